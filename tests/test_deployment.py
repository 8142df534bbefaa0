"""The team deployment (deploy/, docs/deployment.md), run for real on this machine:

- a throwaway PostgreSQL server (Debian's package; `.ci/run` installs it) on a free loopback
  port, with `dagster-daemon` running the sources sensor, which requests the release run the
  daemon then launches: the release it publishes equals the default path's, file for file;
- the multiprocess executor and a Dask cluster (a `LocalCluster` of two worker processes)
  publish the same release too.

Every server is started here and stopped at the end; nothing listens beyond 127.0.0.1."""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from test_pipeline_support import stop_process_group

REPO = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")


def _parquet_hashes(release: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(release.glob("*.parquet"))}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DXDATA_", "DAGSTER_"))}
    env.update(
        PYTHONPATH=str(REPO) + os.pathsep + env.get("PYTHONPATH", ""),
        DXDATA_SOURCES=str(tmp / "sources"),
        DXDATA_WAREHOUSE=str(tmp / "warehouse"),
        DAGSTER_HOME=str(tmp / "dagster_home"),
    )
    env.update(extra)
    return env


def _sources(tmp: Path) -> None:
    # The seed and the tables: enough for every table, small enough for several full runs.
    shutil.copytree(REPO / "sources", tmp / "sources", ignore=shutil.ignore_patterns("r-*", "w-*"))


def _release(env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dxdata.cli", "release"], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def default_release(tmp_path_factory) -> dict[str, str]:
    """Parquet hashes of the release the README's default path (in process, SQLite) publishes."""
    tmp = tmp_path_factory.mktemp("default")
    _sources(tmp)
    done = _release(_env(tmp))
    assert done.returncode == 0, done.stderr[-3000:]
    return _parquet_hashes(tmp / "warehouse" / "releases" / "1.0.0")


@pytest.mark.parametrize("executor", ["multiprocess", "dask"])
def test_other_executors_publish_the_same_release(executor, default_release, tmp_path):
    if executor == "dask":
        pytest.importorskip("dagster_dask") if not IN_CI else __import__("dagster_dask")
    _sources(tmp_path)
    env = _env(tmp_path, DXDATA_EXECUTOR=executor, DXDATA_DASK_WORKERS="2", DXDATA_MAX_CONCURRENT="2")
    done = _release(env)
    assert done.returncode == 0, (done.stdout[-2000:], done.stderr[-4000:])
    assert "Published release 1.0.0" in done.stdout
    # The gate saw every table's check: none proceeded ungated.
    assert "emitted no result" not in done.stderr
    assert _parquet_hashes(tmp_path / "warehouse" / "releases" / "1.0.0") == default_release


def test_an_unknown_executor_is_a_clear_error(tmp_path):
    _sources(tmp_path)
    done = _release(_env(tmp_path, DXDATA_EXECUTOR="spark"))
    assert done.returncode == 1
    assert "DXDATA_EXECUTOR='spark': expected one of in_process, multiprocess, dask" in done.stderr


# --- PostgreSQL and the daemon ------------------------------------------------------------------
def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    # PostgreSQL refuses to run as root; Debian's package creates the `postgres` user.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + args, capture_output=True, text=True, check=True, **kwargs)


@pytest.fixture(scope="module")
def postgres():
    bin_dir = _pg_bin()
    if bin_dir is None:
        message = "PostgreSQL is not installed (Debian package `postgresql`; .ci/run installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    # Under /tmp itself: pytest's own temporary folders are private to root, and the server
    # runs as `postgres`.
    base = Path(tempfile.mkdtemp(prefix="dxdata-pg-"))
    data, sockets = base / "data", base / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    _as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "dagster", "--auth=trust", "-E", "UTF8", "--no-locale"])
    _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-w", "-t", "60", "-o",
                  f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off", "start"])
    try:
        _as_postgres([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "dagster", "dagster"])
        yield {"DAGSTER_PG_HOST": "127.0.0.1", "DAGSTER_PG_PORT": str(port), "DAGSTER_PG_USER": "dagster",
               "DAGSTER_PG_PASSWORD": "", "DAGSTER_PG_DB": "dagster"}
    finally:
        subprocess.run((["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else [])
                       + [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    # Its own process group, so stopping it stops the code server and run workers it started.
    return subprocess.Popen(args, env=env, cwd=REPO, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)


def test_the_daemon_on_postgres_publishes_the_same_release(postgres, default_release, tmp_path, monkeypatch):
    from dagster import DagsterInstance, DagsterRunStatus, RunsFilter

    _sources(tmp_path)
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "deploy" / "dagster.yaml", home / "dagster.yaml")
    env = _env(tmp_path, **postgres)
    for name, value in postgres.items():
        monkeypatch.setenv(name, value)  # for the instance this test reads the runs from
    dagster = [sys.executable, "-m", "dagster"]
    workspace = str(REPO / "deploy" / "workspace.yaml")

    # The operator turns the sensor on; the daemon evaluates it, queues the run it requests and
    # launches it. Nothing else starts the release.
    started = subprocess.run(dagster + ["sensor", "start", "article_sources_sensor", "-w", workspace], env=env, cwd=REPO,
                             capture_output=True, text=True, timeout=180)
    assert started.returncode == 0, started.stderr[-3000:]
    # `dagster-daemon run`, through the interpreter that runs the tests.
    daemon = _start([sys.executable, "-m", "dagster._daemon", "run", "-w", workspace], env, tmp_path / "daemon.log")
    release = tmp_path / "warehouse" / "releases" / "1.0.0"
    instance = DagsterInstance.from_config(str(home))
    runs = []
    try:
        # Until the run has ended: the release folder appears before the run records its success.
        deadline = time.monotonic() + 420
        while time.monotonic() < deadline and daemon.poll() is None:
            runs = instance.get_runs(RunsFilter(job_name="release_job", statuses=[
                DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED]))
            if runs:
                break
            time.sleep(2)
    finally:
        stop_process_group(daemon)
        instance.dispose()
    log = (tmp_path / "daemon.log").read_text(errors="replace")
    assert runs and runs[0].status == DagsterRunStatus.SUCCESS, log[-4000:]
    assert runs[0].tags.get("dagster/sensor_name") == "article_sources_sensor"
    assert _parquet_hashes(release) == default_release
    # The runs are in PostgreSQL, not in a SQLite file under DAGSTER_HOME.
    assert not list(home.rglob("*.db")), sorted(p.name for p in home.rglob("*.db"))

    # `dxdata release` on the same instance finds nothing new to publish.
    again = _release(env)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "nothing published" in again.stdout
