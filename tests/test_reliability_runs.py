"""Reliability of release runs (issue 10, items 2, 8 and 10): stale pool slots of dead runs,
bounded waits that say what they wait for, one release run per warehouse, and partition keys
that cannot leave the warehouse. See docs/reliability.md."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest
from dagster import DagsterInstance, DagsterRunStatus
from dagster._core.test_utils import create_run_for_test
from filelock import FileLock

from dxdata.paths import UnsafeName, safe_name
from pipelines.release import DUCKDB_POOL
from pipelines.run import HOST_TAG, PID_START_TAG, PID_TAG, PoolBusy, free_stale_pool_slots, wait_for_pool
from test_pipeline_support import extract_engine, world  # noqa: F401  (fixtures)


def _dead_pid() -> int:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    return gone.pid


@pytest.fixture
def pool(world):
    instance = DagsterInstance.get()
    instance.event_log_storage.initialize_concurrency_limit_to_default(DUCKDB_POOL)
    return instance


def _run(instance, pid: int, **tags):
    return create_run_for_test(instance, job_name="release_job", status=DagsterRunStatus.STARTED,
                               tags={PID_TAG: str(pid), HOST_TAG: socket.gethostname(), **tags})


def test_a_dead_run_assigned_the_slot_but_never_claiming_it_is_freed(pool):
    """Killed after Dagster assigned the pool slot to its step, before the step claimed it: only
    a pending step holds the pool, and every later release would wait for it forever."""
    storage = pool.event_log_storage
    killed = _run(pool, _dead_pid())
    storage.add_pending_step(DUCKDB_POOL, killed.run_id, "release", should_assign=True)
    assert storage.get_concurrency_info(DUCKDB_POOL).claimed_slots == []
    assert free_stale_pool_slots(pool) == [killed.run_id]
    assert storage.get_concurrency_info(DUCKDB_POOL).pending_steps == []
    assert pool.get_run_by_id(killed.run_id).status == DagsterRunStatus.FAILURE


def test_a_reused_pid_does_not_keep_a_dead_run_alive(pool):
    storage = pool.event_log_storage
    # Our own pid, alive, but started at another time than the process that ran the release.
    reused = _run(pool, os.getpid(), **{PID_START_TAG: "1"})
    assert storage.claim_concurrency_slot(DUCKDB_POOL, reused.run_id, "release").slot_status.value == "CLAIMED"
    assert free_stale_pool_slots(pool) == [reused.run_id]


def test_waiting_for_a_live_holder_is_bounded_and_says_what_it_waits_for(pool):
    storage = pool.event_log_storage
    live = _run(pool, os.getpid())
    assert storage.claim_concurrency_slot(DUCKDB_POOL, live.run_id, "release").slot_status.value == "CLAIMED"
    said = []
    with pytest.raises(PoolBusy, match=f"still held after 0 s: run {live.run_id}"):
        wait_for_pool(pool, timeout=0, echo=said.append)
    assert said == [f"waiting up to 0 s for pool {DUCKDB_POOL}: run {live.run_id} (STARTED, pid {os.getpid()} on "
                    f"{socket.gethostname()}) holds it for step release"]
    # The live run keeps its slot.
    assert [s.run_id for s in storage.get_concurrency_info(DUCKDB_POOL).claimed_slots] == [live.run_id]


def test_waiting_ends_at_once_when_the_holder_is_dead(pool):
    storage = pool.event_log_storage
    killed = _run(pool, _dead_pid())
    assert storage.claim_concurrency_slot(DUCKDB_POOL, killed.run_id, "release").slot_status.value == "CLAIMED"
    said = []
    wait_for_pool(pool, timeout=0, echo=said.append)
    assert said == [f"freed the DuckDB writer slot held by runs that ended without releasing it: ['{killed.run_id}']"]


def test_a_second_release_run_on_the_warehouse_refuses_and_says_why(world, monkeypatch, capsys):
    from pipelines.run import RUN_LOCK, cli_release

    lock = world.warehouse / RUN_LOCK
    world.warehouse.mkdir(parents=True, exist_ok=True)
    first = FileLock(str(lock))
    first.acquire()
    lock.with_name(RUN_LOCK + ".owner").write_text(json.dumps(
        {"pid": 4242, "host": "elsewhere", "what": "a release run (`dxdata release`)", "since": "2026-01-01T00:00:00+00:00"}))
    monkeypatch.setenv("DXDATA_LOCK_TIMEOUT", "0")
    try:
        assert cli_release() == 1
    finally:
        first.release()
    err = capsys.readouterr().err
    assert "Release not started" in err and "held by pid 4242 on elsewhere" in err
    assert "schema check" not in err
    assert DagsterInstance.get().get_runs() == []


@pytest.mark.parametrize("key", ["../x", "../../warehouse/releases/9.9.9", "a/b", "..", "", " x", "x\n", ".hidden", "a..b"])
def test_unsafe_partition_keys_never_become_paths(world, key):
    from pipelines.resources import Warehouse
    from pipelines.sources import article_path

    with pytest.raises(UnsafeName, match="not a safe name"):
        Warehouse().work_file("article_facts", key)
    with pytest.raises(UnsafeName):
        article_path(world.articles, key)


def test_safe_keys_pass_unchanged():
    for key in ("000_a63f0aa6a1ed3e39", "101_ha-noi-dti-2022", "x.y"):
        assert safe_name(key) == key


def test_a_run_waiting_for_the_slot_past_the_timeout_is_failed_and_says_why(pool):
    from pipelines.run import INVOCATION_TAG, pool_wait_check

    storage = pool.event_log_storage
    holder = _run(pool, os.getpid())
    assert storage.claim_concurrency_slot(DUCKDB_POOL, holder.run_id, "release").slot_status.value == "CLAIMED"
    ours = _run(pool, os.getpid(), **{INVOCATION_TAG: "abc"})
    assert storage.claim_concurrency_slot(DUCKDB_POOL, ours.run_id, "release").slot_status.value == "BLOCKED"
    since, message = pool_wait_check(pool, "abc", 3600, None)
    assert since is not None and message is None  # waiting, within the bound
    since, message = pool_wait_check(pool, "abc", 0, since)
    assert message == (f"Release failed, nothing published: waited 0 s for pool {DUCKDB_POOL}, held by run "
                       f"{holder.run_id} (STARTED, pid {os.getpid()} on {socket.gethostname()}) holds it for step release")
    assert pool.get_run_by_id(ours.run_id).status == DagsterRunStatus.FAILURE
    assert [p.run_id for p in storage.get_concurrency_info(DUCKDB_POOL).pending_steps] == [holder.run_id]
    # A run that is not waiting is left alone.
    assert pool_wait_check(pool, "no-such-invocation", 0, None) == (None, None)


def test_every_release_run_repairs_the_catalogue_even_when_the_run_then_fails(world, monkeypatch, capsys):
    """A kill between the rename of 1.1.0 and the catalogue update left LATEST and index.json on
    1.0.0; the next `dxdata release` repairs them before running, whatever the run then does."""
    import shutil
    import warnings

    import pipelines.run as run
    from dxdata.release import publish_release, read_latest
    from dxdata.site import catalogue_problems
    from release_fixtures import make_tables, with_value

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        publish_release(make_tables(), releases_dir=world.releases)
        saved = {n: (world.releases / n).read_bytes() for n in ("LATEST", "index.json", "index.html")}
        publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=world.releases)
    for name, body in saved.items():
        (world.releases / name).write_bytes(body)
    assert read_latest(world.releases) == "1.0.0"

    def broken_run(*args, **kwargs):
        raise RuntimeError("the run could not start")

    monkeypatch.setattr(run, "run_release", broken_run)
    assert run.cli_release() == 1
    out = capsys.readouterr().out
    assert "repaired the release catalogue" in out and "LATEST names '1.0.0'" in out
    assert read_latest(world.releases) == "1.1.0" and catalogue_problems(world.releases) == []
    shutil.rmtree(world.releases)
