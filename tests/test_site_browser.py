"""index.html in a real headless browser (Debian's chromium), served from a loopback HTTP server."""

from __future__ import annotations

import functools
import shutil
import struct
import subprocess
import threading
import urllib.request
import warnings
import zlib
from datetime import datetime, timezone
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urljoin, urlparse

import pytest

from dxdata.release import publish_release
from release_fixtures import make_tables, with_value

CHROMIUM = shutil.which("chromium") or (shutil.which("/usr/bin/chromium"))
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium; CI's .ci/run installs it)"
)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--window-size=1280,1600"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    releases = tmp_path_factory.mktemp("w") / "releases"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        publish_release(make_tables(), releases_dir=releases, created=datetime(2026, 1, 2, tzinfo=timezone.utc))
        publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=releases,
                        created=datetime(2026, 2, 1, tzinfo=timezone.utc))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(releases)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def chromium(tmp_path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)


class _Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.charts: dict[str, int] = {}
        self._chart: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "svg":
            self._chart = a.get("id", "?")
            self.charts[self._chart] = 0
        if tag in ("rect", "circle") and self._chart and "mark" in (a.get("class") or "").split():
            self.charts[self._chart] += 1

    def handle_endtag(self, tag):
        if tag == "svg":
            self._chart = None


def test_page_loads_links_resolve_and_chart_has_marks(site, tmp_path):
    run = chromium(tmp_path, "--dump-dom", site + "index.html")
    assert run.returncode == 0, run.stderr[-2000:]
    dom = _Dom()
    dom.feed(run.stdout)
    assert "<h1>" in run.stdout and "Data dictionary" in run.stdout
    assert dom.charts.get("dti-chart") == 4  # one bar per province ranked in the fixture
    assert dom.charts.get("facts-chart", 0) >= 4

    local = [urljoin(site, h) for h in dom.links if urlparse(urljoin(site, h)).netloc == urlparse(site).netloc]
    external = {h for h in dom.links if urlparse(urljoin(site, h)).netloc != urlparse(site).netloc}
    assert external == {"https://creativecommons.org/licenses/by/4.0/"}  # not fetched: no network in tests
    assert any(u.endswith("/1.1.0/dx.duckdb") for u in local) and any(u.endswith("/1.0.0/workforce.parquet") for u in local)
    for url in sorted(set(local)):
        with urllib.request.urlopen(url, timeout=10) as resp:
            assert resp.status == 200, url


def _png_colours(data: bytes) -> tuple[int, int, int]:
    """Width, height and the number of distinct byte values in the decoded scanlines."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


def test_screenshot_shows_a_rendered_page(site, tmp_path):
    shot = tmp_path / "index.png"
    run = chromium(tmp_path, f"--screenshot={shot}", site + "index.html")
    assert run.returncode == 0, run.stderr[-2000:]
    assert shot.is_file()
    width, height, distinct = _png_colours(shot.read_bytes())
    assert (width, height) == (1280, 1600)
    # A blank or error page has a handful of byte values; text, bars and circles give many.
    assert distinct > 50, distinct
