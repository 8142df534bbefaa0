#!/usr/bin/env python3
"""Screenshot of the Dagster UI's asset graph, for the README (docs/asset-graph.png).

Builds a release from the bundled sources into a temporary warehouse and Dagster instance (so
the graph shows materialised assets and passed checks), starts `dagster dev` on 127.0.0.1 in its
own process group, captures the page with headless Chromium and stops the server. Nothing is
written to the repository except the PNG.

    .venv/bin/python scripts/screenshot_asset_graph.py [--out docs/asset-graph.png]

Needs Debian's `chromium` (apt-get install -y chromium).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dagster dev exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/server_info", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(1)
    raise RuntimeError(f"dagster dev did not serve {url} within {timeout:.0f} s")


def graph_page() -> str:
    """The global asset graph with every group expanded (the UI collapses groups when there are
    several; it reads the expanded ones from the `expanded` query parameter)."""
    from urllib.parse import quote

    sys.path.insert(0, str(REPO))
    from pipelines.definitions import defs

    groups = sorted({spec.group_name for spec in defs.resolve_all_asset_specs() if spec.group_name})
    return "/asset-groups?expanded=" + ",".join(quote(f"global@global:{g}", safe="") for g in groups)


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("chromium not found: apt-get install -y chromium")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "asset-graph.png")
    parser.add_argument("--page", default=None, help="UI path to capture (default: the global asset graph, groups expanded)")
    parser.add_argument("--size", default="1900,2000", help="window size WIDTH,HEIGHT")
    parser.add_argument("--settle-ms", type=int, default=20000, help="virtual time Chromium gives the page to render")
    args = parser.parse_args(argv)

    page = args.page or graph_page()
    chromium = find_chromium()
    work = Path(tempfile.mkdtemp(prefix="dxdata-screenshot-"))
    env = {
        **os.environ,
        "DAGSTER_HOME": str(work / "dagster_home"),
        "DXDATA_WAREHOUSE": str(work / "warehouse"),
        "PYTHONUNBUFFERED": "1",
    }
    server = None
    try:
        print("building a release into a temporary warehouse ...", flush=True)
        subprocess.run([sys.executable, "-m", "pipelines.run", "release"], cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)

        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = (work / "dagster-dev.log").open("wb")
        server = subprocess.Popen(
            [sys.executable, "-m", "dagster", "dev", "-w", str(REPO / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(port)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until_serving(url, server, timeout=120)
        print(f"UI serving at {url}; capturing {page} ...", flush=True)

        args.out.parent.mkdir(parents=True, exist_ok=True)
        shot = work / "shot.png"
        subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={work / 'chromium-profile'}",
                f"--window-size={args.size}",
                f"--virtual-time-budget={args.settle_ms}",
                f"--screenshot={shot}",
                f"{url}{page}",
            ],
            check=True,
            timeout=180,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if not shot.exists() or shot.stat().st_size == 0:
            raise RuntimeError("chromium wrote no screenshot")
        shutil.copyfile(shot, args.out)
        print(f"saved {args.out} ({args.out.stat().st_size} bytes)")
        return 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
