"""index.html in a real headless browser (Debian's chromium), served from a loopback HTTP server."""

from __future__ import annotations

import functools
import io
import shutil
import subprocess
import threading
import urllib.request
from datetime import datetime, timezone
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urljoin, urlparse

import pytest
from PIL import Image

from ci_requirements import require
from dxdata.release import PACKAGE_TITLE, publish_release
from release_fixtures import make_tables, with_value

CHROMIUM = shutil.which("chromium") or (shutil.which("/usr/bin/chromium"))


@pytest.fixture(autouse=True)
def _needs_chromium():
    require(CHROMIUM is not None, "chromium is not installed (apt-get install -y chromium; CI's .ci/run installs it)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--window-size=1280,1600"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    releases = tmp_path_factory.mktemp("w") / "releases"
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
    """Links, chart marks, and the text of the title, the heading and every table row."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.charts: dict[str, int] = {}
        self.text: dict[str, str] = {"title": "", "h1": ""}
        self.rows: list[list[str]] = []
        self._chart: str | None = None
        self._in: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "svg":
            self._chart = a.get("id", "?")
            self.charts[self._chart] = 0
        if tag in ("rect", "circle") and self._chart and "mark" in (a.get("class") or "").split():
            self.charts[self._chart] += 1
        if tag in self.text and self._chart is None:  # an SVG <title> is a tooltip, not the page's
            self._in = tag
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "svg":
            self._chart = None
        if tag == self._in:
            self._in = None
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._in:
            self.text[self._in] += data
        if self._cell is not None:
            self._cell.append(data)


def test_page_loads_links_resolve_and_chart_has_marks(site, tmp_path):
    run = chromium(tmp_path, "--dump-dom", site + "index.html")
    assert run.returncode == 0, run.stderr[-2000:]
    dom = _Dom()
    dom.feed(run.stdout)
    # Text only this catalogue has (a 404 or an empty page has none of it): its title and heading,
    # the row of each release in the releases table, and a row of the data dictionary.
    assert dom.text["title"].strip() == f"{PACKAGE_TITLE}: releases"
    assert dom.text["h1"].strip() == PACKAGE_TITLE
    releases = {r[0]: r for r in dom.rows if r and r[0] in ("1.0.0", "1.1.0")}
    assert releases["1.1.0"][1] == "2026-02-01" and releases["1.1.0"][2].startswith("Minor release")
    assert releases["1.0.0"][1] == "2026-01-02" and releases["1.0.0"][2].startswith("First release")
    assert ["workforce.it_staff_total", "workforce", "count"] in [r[:3] for r in dom.rows]
    assert "Data dictionary" in run.stdout
    assert dom.charts.get("dti-chart") == 4  # one bar per province ranked in the fixture
    assert dom.charts.get("facts-chart", 0) >= 4

    local = [urljoin(site, h) for h in dom.links if urlparse(urljoin(site, h)).netloc == urlparse(site).netloc]
    external = {h for h in dom.links if urlparse(urljoin(site, h)).netloc != urlparse(site).netloc}
    assert external == {"https://creativecommons.org/licenses/by/4.0/"}  # not fetched: no network in tests
    assert any(u.endswith("/1.1.0/dx.duckdb") for u in local) and any(u.endswith("/1.0.0/workforce.parquet") for u in local)
    for url in sorted(set(local)):
        with urllib.request.urlopen(url, timeout=10) as resp:
            assert resp.status == 200, url


DTI_BAR = (0x3B, 0x6E, 0xA8)  # dxdata.site: fill of the DTI chart's bars
THEME_COLOURS = {"infrastructure": (0x1B, 0x9E, 0x77), "e_government": (0xD9, 0x5F, 0x02), "workforce": (0x75, 0x70, 0xB3),
                 "enterprises": (0xE7, 0x29, 0x8A), "rankings": (0x66, 0xA6, 0x1E)}


def pixel_counts(png: bytes) -> tuple[tuple[int, int], dict[tuple[int, int, int], int]]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return image.size, {colour: n for n, colour in image.getcolors(image.width * image.height)}


def test_screenshot_shows_the_charts_of_the_release(site, tmp_path):
    shot = tmp_path / "index.png"
    run = chromium(tmp_path, f"--screenshot={shot}", site + "index.html")
    assert run.returncode == 0, run.stderr[-2000:]
    size, counts = pixel_counts(shot.read_bytes())
    assert size == (1280, 1600)
    # The page's own colours, drawn only by its charts: four DTI bars (thousands of pixels) and a
    # circle for each of the five themes the fixture has facts in. A 404 or blank page, however
    # many colours its text anti-aliasing gives, has none of these exact colours.
    assert counts.get(DTI_BAR, 0) > 4 * 1000, counts.get(DTI_BAR)
    assert {theme: counts.get(colour, 0) > 20 for theme, colour in THEME_COLOURS.items()} == dict.fromkeys(THEME_COLOURS, True)


def test_pixel_check_fails_on_a_not_found_page(site, tmp_path):
    """The check above can fail: chromium shows the server's 404 page without any chart colour."""
    shot = tmp_path / "missing.png"
    run = chromium(tmp_path, f"--screenshot={shot}", site + "no-such-page.html")
    assert run.returncode == 0, run.stderr[-2000:]
    _, counts = pixel_counts(shot.read_bytes())
    assert len(counts) > 50  # the old check (distinct colours) passed on this page
    assert counts.get(DTI_BAR, 0) == 0 and not any(counts.get(c, 0) for c in THEME_COLOURS.values())
