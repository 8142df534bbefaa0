"""Kill campaign (issue 10): SIGKILL a publishing process at every named crash point of a release
(dxdata.durable.crash_point: after each file of the new folder, around its fsync and rename,
around each catalogue file), then check what a reader and the next run see.

Each kill point runs in a child forked from this process (imports already done, so a point
costs a fraction of a second rather than a fresh interpreter), which kills itself with SIGKILL
when it reaches its point: no `finally`, no cleanup, like a crash. After each kill:

- every complete version folder passes `dxdata verify` (checked against index.json when it
  lists the version); no half-written folder carries a version name;
- LATEST, when present, names a complete release; index.json, when present, parses;
- the next run succeeds, publishes the expected version, and leaves LATEST, index.json and
  index.html naming the newest complete release.

Two scenarios: a first release into an empty folder (every point) and an update
(1.0.0 -> 1.1.0; in CI the points from the descriptor on, where the folder is published and the
catalogue updated; every point with DXDATA_KILL_CAMPAIGN=full). Together at least 30 kill points
run in CI (asserted). The pandera gate, which runs before anything is written, is skipped in the
children to keep the campaign affordable; the gate has its own tests. docs/reliability.md
describes the campaign.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import warnings
from datetime import datetime, timezone
from pathlib import Path

import pytest

from dxdata import durable
from dxdata import release as rel
from dxdata.release import list_versions, publish_release, read_latest
from dxdata.site import catalogue_problems
from dxdata.verify import verify_release
from release_fixtures import make_tables, with_value

CREATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)

SCENARIOS = {
    # name: (state to start from, tables to publish, version the run publishes)
    "first": (None, lambda: make_tables(), "1.0.0"),
    "update": ("1.0.0", lambda: make_tables(with_value("workforce.it_staff_total", 626)), "1.1.0"),
}


def _in_child(releases: Path, tables, env: dict[str, str]) -> int:
    """Publish in a forked child with `env` set; returns the child's wait status."""
    pid = os.fork()
    if pid == 0:  # child: never returns into pytest
        code = 0
        try:
            os.environ.update(env)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                publish_release(tables, releases_dir=releases, created=CREATED)
        except BaseException:  # noqa: BLE001 (the parent sees the exit code)
            code = 3
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return status


@pytest.fixture(scope="module")
def start_states(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("kill")
    one = root / "1.0.0" / "releases"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        publish_release(make_tables(), releases_dir=one, created=CREATED)
    return {"1.0.0": one}


def _kill_points(scenario: str, start_states, tmp_path: Path) -> list[str]:
    start, tables, _ = SCENARIOS[scenario]
    releases = tmp_path / f"count-{scenario}" / "releases"
    if start:
        shutil.copytree(start_states[start], releases)
    log = tmp_path / f"points-{scenario}.txt"
    status = _in_child(releases, tables(), {durable.KILL_LOG_ENV: str(log)})
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    return [line.split("\t", 1)[1] for line in log.read_text().splitlines()]


def _check_after_kill(releases: Path, where: str) -> None:
    if not releases.exists():
        return
    versions = list_versions(releases)
    names = {p.name for p in releases.iterdir() if p.is_dir()}
    # Only complete versions and temp folders: never a version-named partial folder.
    assert all(n in versions or n.startswith(durable.TMP_PREFIX) for n in names), (where, names)
    for v in versions:
        assert verify_release(releases / v) == [], (where, v)
    latest = releases / "LATEST"
    if latest.exists():
        assert read_latest(releases) in versions, (where, latest.read_text())
    if (releases / "index.json").exists():
        index = json.loads((releases / "index.json").read_text())
        assert {e["version"] for e in index["releases"]} <= set(versions), where


def _kill_and_recover(scenario: str, n: int, name: str, total: int, start_states, tmp_path: Path) -> None:
    """One kill point: kill a publishing child at point n, check, run again, check."""
    start, tables, expected = SCENARIOS[scenario]
    where = f"{scenario}: kill {n} of {total} ({name})"
    releases = tmp_path / f"{scenario}-{n}" / "releases"
    if start:
        shutil.copytree(start_states[start], releases)
    status = _in_child(releases, tables(), {durable.KILL_AT_ENV: str(n)})
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, where
    _check_after_kill(releases, where)
    # The next run: publishes what the killed one did not, or repairs the catalogue.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        publish_release(tables(), releases_dir=releases, created=CREATED)
    assert list_versions(releases)[-1] == expected, where
    assert read_latest(releases) == expected, where
    assert catalogue_problems(releases) == [], where
    assert verify_release(releases / expected) == [], where
    assert not any(p.name.startswith(durable.TMP_PREFIX) for p in releases.iterdir()), where
    shutil.rmtree(releases.parent)


def _campaign(scenario: str, start_states, tmp_path: Path, first_point: str | None = None) -> int:
    """Kill at every point (from `first_point` on, when given), a few points at a time (each in
    its own forked worker, one per core); returns how many ran. Fails listing every point whose
    checks failed."""
    points = _kill_points(scenario, start_states, tmp_path)
    skip = points.index(first_point) if first_point else 0
    todo = list(enumerate(points, start=1))[skip:]
    jobs = max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))
    running: dict[int, tuple[int, str, Path]] = {}
    failures = []
    while todo or running:
        while todo and len(running) < jobs:
            n, name = todo.pop(0)
            report = tmp_path / f"failure-{scenario}-{n}.txt"
            pid = os.fork()
            if pid == 0:  # worker: never returns into pytest
                code = 0
                try:
                    _kill_and_recover(scenario, n, name, len(points), start_states, tmp_path)
                except BaseException as exc:  # noqa: BLE001 (reported by the parent)
                    report.write_text(f"{type(exc).__name__}: {exc}")
                    code = 1
                os._exit(code)
            running[pid] = (n, name, report)
        pid, status = os.waitpid(-1, 0)
        if pid not in running:
            continue
        n, name, report = running.pop(pid)
        if status != 0:
            failures.append(report.read_text() if report.exists() else f"kill {n} ({name}): worker status {status}")
    assert not failures, "\n".join(failures)
    return len(points) - skip


def test_kill_points_cover_the_release(start_states, tmp_path):
    points = _kill_points("update", start_states, tmp_path)
    assert points[-1] == "LATEST: replaced"
    for needed in ("workforce.parquet: written", "dx.duckdb: written", "datapackage.json: written",
                   "release folder: synced", "release folder: renamed", "releases folder: synced",
                   "index.html: replaced", "index.json: replaced"):
        assert needed in points
    assert points.index("release folder: renamed") < points.index("index.json: replaced") < points.index("LATEST: replaced")


@pytest.fixture
def no_gate(monkeypatch):
    monkeypatch.setattr(rel, "gate", lambda *args, **kwargs: None)


def test_kill_campaign(start_states, tmp_path, no_gate):
    ran = _campaign("first", start_states, tmp_path)
    ran += _campaign("update", start_states, tmp_path, first_point="datapackage.json: written")
    assert ran >= 30


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("DXDATA_KILL_CAMPAIGN") != "full", reason="set DXDATA_KILL_CAMPAIGN=full (about 2 minutes)")
def test_kill_campaign_update_every_point(start_states, tmp_path, no_gate):
    assert _campaign("update", start_states, tmp_path) >= 20


STRACE = shutil.which("strace")
CHILD = """
import sys, warnings
from datetime import datetime, timezone
warnings.simplefilter("ignore")
from dxdata.release import publish_release
from release_fixtures import make_tables, with_value
publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=sys.argv[1],
                created=datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
"""


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("DXDATA_KILL_CAMPAIGN") != "full" or STRACE is None,
                    reason="set DXDATA_KILL_CAMPAIGN=full, with strace installed (about a minute)")
def test_strace_kills_an_update_at_every_rename(start_states, tmp_path):
    """The same checks with a kill the code does not cooperate with: strace sends SIGKILL at the
    Nth rename(2) of a fresh `python` process publishing 1.0.0 -> 1.1.0."""
    import subprocess
    import sys

    tests = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tests.parent), str(tests)]), "PYTHONDONTWRITEBYTECODE": "1"}

    def run(releases: Path, *strace_args: str) -> subprocess.CompletedProcess:
        return subprocess.run([STRACE, "-f", "-qq", "-o", os.devnull, "-e", "trace=rename", *strace_args,
                               sys.executable, "-c", CHILD, str(releases)], env=env, capture_output=True)

    counted = tmp_path / "count" / "releases"
    shutil.copytree(start_states["1.0.0"], counted)
    log = tmp_path / "renames.txt"
    assert subprocess.run([STRACE, "-f", "-qq", "-o", str(log), "-e", "trace=rename", sys.executable, "-c", CHILD,
                           str(counted)], env=env, capture_output=True).returncode == 0
    renames = [line for line in log.read_text().splitlines() if "rename(" in line and "= 0" in line]
    assert len(renames) >= 4  # the folder, index.html, index.json, LATEST
    for n in range(1, len(renames) + 1):
        releases = tmp_path / f"s-{n}" / "releases"
        shutil.copytree(start_states["1.0.0"], releases)
        done = run(releases, "-e", f"inject=rename:signal=KILL:when={n}")
        assert done.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL), (n, done.returncode, done.stderr[-500:])
        _check_after_kill(releases, f"strace rename {n}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=releases, created=CREATED)
        assert read_latest(releases) == "1.1.0" and catalogue_problems(releases) == []
        assert verify_release(releases / "1.1.0") == []


def test_two_publishers_at_once_get_distinct_versions(start_states, tmp_path, no_gate):
    """Two processes publish different tables into one releases folder at the same time: the
    publish lock makes one wait for the other, so both publish, under 1.1.0 and 1.2.0."""
    releases = shutil.copytree(start_states["1.0.0"], tmp_path / "releases")
    children = []
    for value in (626, 627):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    publish_release(make_tables(with_value("workforce.it_staff_total", value)), releases_dir=releases,
                                    created=CREATED)
            except BaseException:  # noqa: BLE001
                code = 3
            os._exit(code)
        children.append(pid)
    statuses = [os.waitpid(pid, 0)[1] for pid in children]
    assert all(os.WIFEXITED(s) and os.WEXITSTATUS(s) == 0 for s in statuses)
    assert list_versions(releases) == ["1.0.0", "1.1.0", "1.2.0"]
    assert read_latest(releases) == "1.2.0" and catalogue_problems(releases) == []
    assert all(verify_release(releases / v) == [] for v in list_versions(releases))
