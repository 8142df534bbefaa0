"""`dxdata release` and `python -m pipelines.run ui`: run the pipeline from a terminal with the
same Dagster instance the UI uses, so command-line runs appear in the UI's run history.

The instance lives in DAGSTER_HOME, by default `<warehouse>/.dagster` (git-ignored with the rest
of the warehouse). Its dagster.yaml turns telemetry off and limits the `duckdb_writer` pool and
queued runs to one at a time."""

from __future__ import annotations

import atexit
import logging
import os
import socket
import sys
import threading
import time
import uuid
import warnings
from pathlib import Path

from dxdata import durable, paths
from pipelines.steps import check_words, step_words

MARKER = "# written by pipelines/run.py"
DAGSTER_YAML = f"""{MARKER}: the Dagster instance of dxdata (runs, schedules, sensor cursors).
telemetry:
  enabled: false
nux:
  # No community sign-up dialog on first visit to the UI.
  enabled: false
concurrency:
  pools:
    # Every pool holds one step at a time; the release step is in pool `duckdb_writer`, so two
    # runs never write DuckDB files at once (DuckDB allows one writer per file).
    default_limit: 1
    granularity: op
  runs:
    # Each run rebuilds the release from every partition: running them one after another lets
    # each run see what the previous one extracted.
    max_concurrent_runs: 1
"""


def dagster_home() -> Path:
    value = os.environ.get("DAGSTER_HOME")
    return Path(value).resolve() if value else paths.warehouse_dir() / ".dagster"


def ensure_dagster_home(path: Path | None = None) -> Path:
    """Create DAGSTER_HOME with our dagster.yaml (kept if an operator wrote their own) and point
    the environment at it."""
    home = Path(path).resolve() if path else dagster_home()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    current = config.read_text(encoding="utf-8") if config.exists() else None
    if current is None or (current.startswith(MARKER) and current != DAGSTER_YAML):
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def fewer_history_syncs() -> None:
    """Dagster writes each event of a run as its own SQLite transaction (WAL mode), and SQLite's
    default waits for the disk at every commit. For this process, commits of the run history wait
    only at checkpoints (`synchronous=NORMAL`): an application crash loses nothing, a power cut
    may lose the last events of the run; the published data never depends on them."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    if not event.contains(Engine, "connect", _on_sqlite_connect):
        event.listen(Engine, "connect", _on_sqlite_connect)


def _close_kept_open() -> None:
    """At exit: the last connection of each file checkpoints it and removes its log."""
    while _KEPT_OPEN:
        _KEPT_OPEN.popitem()[1].close()


# One idle connection per SQLite file of the run history, open for the life of the process.
_KEPT_OPEN: dict[str, object] = {}
_ATEXIT: list = []


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    """Dagster opens and closes a connection for each event it stores; closing the last
    connection to a WAL database checkpoints it and deletes the log, each time waiting for the
    disk (about 1,200 fdatasync calls in a run that adds one article to 10,000, slow when the
    disk is busy writing back what the previous run wrote). One idle connection per WAL file,
    kept for the life of the process, means no close is the last one: checkpoints are left to
    SQLite's automatic ones and to the end of the process (about 90 calls). The idle connection
    starts no transaction; it holds only the shared lock every WAL user holds."""
    if not type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")
    import sqlite3

    try:
        files = [row[2] for row in dbapi_connection.execute("PRAGMA database_list") if row[1] == "main" and row[2]]
        for path in files:
            if path not in _KEPT_OPEN:
                if not _ATEXIT:
                    _ATEXIT.append(atexit.register(_close_kept_open))
                keeper = sqlite3.connect(path, check_same_thread=False)
                # Only a WAL database, and after a read: from then on the idle connection holds
                # the file's shared lock (a new run's file is created in rollback mode first).
                if keeper.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                    keeper.close()
                    continue
                keeper.execute("SELECT count(*) FROM sqlite_master").fetchall()
                _KEPT_OPEN[path] = keeper
    except sqlite3.Error:
        pass  # only a saving: without the idle connection each close checkpoints, as before


def quiet_dagster_warnings() -> None:
    """Beta and preview notices are for developers, not for someone publishing a release."""
    from dagster import BetaWarning, PreviewWarning

    warnings.filterwarnings("ignore", category=BetaWarning)
    warnings.filterwarnings("ignore", category=PreviewWarning)


class ProgressHandler(logging.Handler):
    """Prints one line per finished step and per check, from the events of a run."""

    def __init__(self, stream=None):
        super().__init__(logging.DEBUG)
        self.stream = stream or sys.stderr
        self.started: dict[str, float] = {}
        self.checked: dict[str, list[str]] = {}  # tables each check step has checked so far

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        if event is None:
            message = meta.get("orig_message", record.getMessage())
            if "were not executed" in message:
                self.stream.write(f"  skip  {step_words(meta.get('step_key'))} (an upstream step failed)\n")
            elif record.levelno >= logging.WARNING:
                self.stream.write(f"  !     {meta.get('step_key') or ''} {message}\n")
            return
        kind = event.event_type_value
        step = event.step_key
        if kind == "STEP_START":
            self.started[step] = time.monotonic()
        elif kind == "STEP_SUCCESS":
            took = time.monotonic() - self.started.get(step, time.monotonic())
            self.stream.write(f"  done  {step_words(step, self.checked.pop(step, ()))} ({took:.1f} s)\n")
        elif kind == "STEP_FAILURE":
            self.stream.write(f"  FAIL  {step_words(step)} [{step}]: {_failure_text(event)}\n")
        elif kind == "STEP_SKIPPED":
            self.stream.write(f"  skip  {step_words(step)}\n")
        elif kind == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            self.checked.setdefault(step, []).append(evaluation.asset_key.to_user_string())
            if not evaluation.passed:
                words = check_words(evaluation.asset_key.to_user_string(), evaluation.check_name,
                                    evaluation.severity.value == "ERROR")
                self.stream.write(f"  check {words}\n")
        elif kind == "ENGINE_EVENT" and "pool" in (event.message or "").lower():
            self.stream.write(f"  wait  {step}: {event.message}\n")
        self.stream.flush()


def _failure_text(event) -> str:
    data = event.event_specific_data
    user = getattr(data, "user_failure_data", None)
    if user is not None and user.description:
        return user.description
    error = getattr(data, "error", None)
    if error is None:
        return event.message or "failed"
    # The user code's exception, not the Dagster error wrapped around it.
    while error.cause is not None:
        error = error.cause
    return f"{error.cls_name}: {error.message.strip()}"


def progress_logger_def():
    from dagster import logger

    @logger(description="One line per finished step and failed check, for the terminal (used by `dxdata release`).")
    def progress(_init_context) -> logging.Logger:
        log = logging.Logger("dxdata.progress", logging.DEBUG)
        log.addHandler(ProgressHandler())
        return log

    return progress


PID_TAG = "dxdata/pid"
HOST_TAG = "dxdata/host"
# When the process started (clock ticks since boot, /proc/<pid>/stat): a pid reused by another
# process after a kill does not make the dead run look alive.
PID_START_TAG = "dxdata/pid_start"
RUN_LOCK = ".release.lock"


class PoolBusy(RuntimeError):
    """The DuckDB writer slot stayed held by a live run for longer than we wait."""


def _process_start(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Field 22, counted after the command name, which is in parentheses and may hold spaces.
    return stat.rsplit(")", 1)[1].split()[19]


def _process_alive(pid: int, started: str | None = None) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    now = _process_start(pid)
    return not (started and now and now != started)


def _dead_run(instance, run_id: str) -> str | None:
    """Why the run can no longer release a pool slot (it finished, or it is a `dxdata release`
    run on this machine whose process is gone, which is then marked failed), or None when it
    may still be running or is not a run of this instance."""
    run = instance.get_run_by_id(run_id)
    if run is None:
        return None  # not a run of this instance: leave it to whoever claimed it
    if run.is_finished:
        return f"run {run_id} finished ({run.status.value}) without releasing it"
    pid = run.tags.get(PID_TAG)
    if pid and run.tags.get(HOST_TAG) == socket.gethostname() and not _process_alive(int(pid), run.tags.get(PID_START_TAG)):
        instance.report_run_failed(run, f"the `dxdata release` process {pid} that ran it is gone")
        return f"run {run_id}: its `dxdata release` process {pid} is gone"
    return None


def free_stale_pool_slots(instance, pool: str | None = None) -> list[str]:
    """Free what runs that can no longer release it hold in the pool: claimed slots, and pending
    steps (queued, or assigned a slot they never claimed: a run killed between the two would
    otherwise block the pool for good). Returns the run ids freed."""
    from pipelines.release import DUCKDB_POOL

    pool = pool or DUCKDB_POOL
    storage = instance.event_log_storage
    if pool not in storage.get_concurrency_keys():
        return []
    info = storage.get_concurrency_info(pool)
    holders = {slot.run_id for slot in info.claimed_slots} | {step.run_id for step in info.pending_steps}
    freed = []
    for run_id in sorted(holders):
        if _dead_run(instance, run_id) is not None:
            storage.free_concurrency_slots_for_run(run_id)
            freed.append(run_id)
    return freed


def pool_holders(instance, pool: str | None = None, *, exclude: str | None = None) -> list[str]:
    """What holds the pool or stands ahead in it: claimed slots and assigned pending steps."""
    from pipelines.release import DUCKDB_POOL

    pool = pool or DUCKDB_POOL
    storage = instance.event_log_storage
    if pool not in storage.get_concurrency_keys():
        return []
    info = storage.get_concurrency_info(pool)
    claimed = {(s.run_id, s.step_key) for s in info.claimed_slots}
    found = {(run_id, step, "holds") for run_id, step in claimed}
    found |= {(p.run_id, p.step_key, "was assigned") for p in info.pending_steps
              if p.assigned_timestamp is not None and (p.run_id, p.step_key) not in claimed}
    out = []
    for run_id, step, how in sorted(found):
        if run_id == exclude:
            continue
        run = instance.get_run_by_id(run_id)
        who = (f"run {run_id} ({run.status.value}" + (f", pid {run.tags[PID_TAG]} on {run.tags.get(HOST_TAG)}" if PID_TAG in run.tags else "")
               + ")") if run is not None else f"{run_id} (not a run of this instance)"
        out.append(f"{who} {how} it for step {step}")
    return out


def wait_for_pool(instance, *, timeout: float, echo=print, poll: float = 1.0) -> None:
    """Before a run: free slots of dead runs, then wait up to `timeout` seconds for the DuckDB
    writer pool to be free, saying what holds it; raise PoolBusy when it stays held."""
    from pipelines.release import DUCKDB_POOL

    deadline = time.monotonic() + timeout
    said = None
    while True:
        freed = free_stale_pool_slots(instance)
        if freed:
            echo(f"freed the DuckDB writer slot held by runs that ended without releasing it: {freed}")
        holders = pool_holders(instance)
        if not holders:
            return
        text = "; ".join(holders)
        if text != said:
            echo(f"waiting up to {timeout:.0f} s for pool {DUCKDB_POOL}: {text}")
            said = text
        if time.monotonic() >= deadline:
            raise PoolBusy(
                f"pool {DUCKDB_POOL} is still held after {timeout:.0f} s: {text}. Not starting the release. If that run "
                f"is dead, end it in the UI (Runs, Terminate) or free it with `dagster instance concurrency`; "
                f"set {durable.LOCK_TIMEOUT_ENV} to wait longer."
            )
        time.sleep(poll)


def release_run_request(warehouse=None, echo=None) -> tuple[dict[str, str], list | None, dict]:
    """Tags and asset selection for a run of release_job over what changed: the range of shards
    that are stale (their files, or the ingest or engine version, changed since they were built),
    or only the tables and the release when no shard is. Returns (tags, selection, stale shards
    -> the members they were built from)."""
    from dxdata.extract import ENGINE_VERSION
    from pipelines.cache import ingest_version
    from pipelines.jobs import UNPARTITIONED_KEYS
    from pipelines.resources import Warehouse
    from pipelines.sources import SHARD_KEYS, by_shard, range_tags, scan_warehouse_articles, spanning_range, stale_shards

    warehouse = warehouse or Warehouse()
    shards = by_shard(scan_warehouse_articles(warehouse))
    stale = stale_shards(warehouse, shards, ENGINE_VERSION, ingest_version())
    if echo is not None:
        count = sum(len(m) for m in shards.values())
        echo(f"sources: {count} article(s) in {warehouse.articles()}; {len(stale)} of {len(SHARD_KEYS)} shard(s) to rebuild")
    if stale:
        first, last = spanning_range(SHARD_KEYS, set(stale))
        return range_tags(first, last), None, {key: (shards[key], before) for key, before in stale.items()}
    return {}, UNPARTITIONED_KEYS, {}


def run_release(instance=None, *, echo=print, workers: int | None = None, extra_tags: dict[str, str] | None = None):
    """Run release_job in this process over the shards of article sources that changed (all of
    them the first time), then the tables and the release. Returns the ExecuteInProcessResult."""
    from dagster import DagsterInstance

    from pipelines.cache import WORKERS_ENV
    from pipelines.definitions import defs
    from pipelines.executors import executor_name, reconstructable_release_job
    from pipelines.jobs import RELEASE_JOB
    from pipelines.sources import shard_observation

    instance = instance or DagsterInstance.get()
    if workers is not None:
        os.environ[WORKERS_ENV] = str(workers)
    tags, selection, stale = release_run_request(echo=echo)
    # One observation per stale shard (not per source): its data version, and which sources are
    # new, changed or removed, for the UI's staleness view.
    for key, (members, before) in stale.items():
        instance.report_runless_asset_event(shard_observation(key, members, before))
    freed = free_stale_pool_slots(instance)
    if freed:
        echo(f"freed the DuckDB writer slot held by runs that ended without releasing it: {freed}")
    start = _process_start(os.getpid())
    tags = {**tags, **(extra_tags or {}), "dxdata/trigger": "cli", PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname(),
            **({PID_START_TAG: start} if start else {})}
    run_config = {"loggers": {"progress": {}}}
    if executor_name() != "in_process":
        # Steps run in other processes (or on a cluster), which rebuild the job from its module.
        from dagster import execute_job

        return execute_job(
            reconstructable_release_job(), instance=instance, tags=tags, asset_selection=selection,
            run_config=run_config, raise_on_error=False,
        )
    job = defs.resolve_job_def(RELEASE_JOB)
    return job.execute_in_process(instance=instance, tags=tags, asset_selection=selection, raise_on_error=False, run_config=run_config)


def release_summary(result) -> tuple[bool, str]:
    """(success, the message for the operator) from a finished release run."""
    if not result.success:
        failures = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
        lines = [f"{e.step_key}: {_failure_text(e)}" for e in failures] or ["the run failed (see the run in the UI)"]
        return False, "Release failed, nothing published.\n" + "\n".join(f"  {line}" for line in lines)
    materialized = [e for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION" and e.asset_key.to_user_string() == "release"]
    if not materialized:
        return False, "Release step did not run, nothing published (see the run in the UI)."
    metadata = {k: getattr(v, "value", v) for k, v in materialized[-1].materialization.metadata.items()}
    if metadata.get("status") == "published":
        return True, f"Published release {metadata['version']} at {metadata['path']}\n  {metadata.get('reason', '')}"
    reason = str(metadata.get("reason") or "inputs unchanged")
    # The release module's reason usually opens with "no change" itself; do not say it twice.
    text = reason[0].upper() + reason[1:] if reason.lower().startswith("no change") else f"No change: {reason}"
    return True, text + ("" if "nothing published" in reason else "; nothing published.")


def cli_release(workers: int | None = None) -> int:
    """`dxdata release`: exit 0 when a release was published or nothing changed, 1 on failure.

    One release run per warehouse: a second one waits for the first (up to DXDATA_LOCK_TIMEOUT
    seconds, default 600, saying for whom; 0 refuses at once), instead of interleaving with it
    and failing on the other run's half-checked tables."""
    home = ensure_dagster_home()
    quiet_dagster_warnings()
    fewer_history_syncs()
    print(f"dagster instance: {home}")
    started = time.monotonic()
    from pipelines import inputs
    from pipelines.resources import Warehouse
    from pipelines.sources import scan_warehouse_articles

    warehouse = Warehouse()
    try:
        with durable.exclusive(paths.warehouse_dir() / RUN_LOCK, "a release run (`dxdata release`)",
                               on_wait=lambda text: print(text, flush=True)):
            # Taken under the lock: a run in progress may still change LATEST.
            digest = inputs.inputs_digest(warehouse, scan_warehouse_articles(warehouse), home)
            result = _locked_release(workers, unchanged=lambda: inputs.unchanged(warehouse, digest))
    except (durable.LockBusy, PoolBusy) as exc:
        print(f"Release not started: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # an error before the run starts (bad instance, definitions)
        print(f"Release failed before the run started: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    if isinstance(result, dict):
        print(f"No change since run {result.get('run_id')}: articles, tables, code and LATEST are as they were; "
              "nothing published, no run started.")
        return 0
    ok, message = release_summary(result)
    if ok:
        inputs.record(warehouse, digest, result.run_id, message)
    print(f"run {result.run_id} ({time.monotonic() - started:.1f} s), visible in the UI's run history")
    print(message, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def _locked_release(workers: int | None = None, unchanged=lambda: None):
    """The release run, under the warehouse's run lock; or, when `unchanged()` returns the record
    of the last successful run (nothing it read changed since) and the catalogue needed no
    repair, that record instead of a run."""
    from dagster import DagsterInstance

    from dxdata.release import _publish_lock
    from dxdata.site import reconcile_catalogue

    releases = paths.releases_dir()
    if releases.is_dir():
        # Every run repairs the catalogue, even one whose checks then block the release.
        with _publish_lock(releases):
            repaired = list(reconcile_catalogue(releases))
            for problem in repaired:
                print(f"repaired the release catalogue (an earlier run was interrupted): {problem}")
        last = None if repaired else unchanged()
        if last is not None:
            return last
    instance = DagsterInstance.get()
    timeout = durable.lock_timeout()
    wait_for_pool(instance, timeout=timeout)
    invocation = uuid.uuid4().hex
    stop = threading.Event()
    watchdog = threading.Thread(target=_watch_pool, args=(instance, invocation, timeout, stop), daemon=True)
    watchdog.start()
    try:
        return run_release(instance, workers=workers, extra_tags={INVOCATION_TAG: invocation})
    finally:
        stop.set()
        watchdog.join()


INVOCATION_TAG = "dxdata/invocation"


def pool_wait_check(instance, invocation: str, timeout: float, waiting_since: float | None) -> tuple[float | None, str | None]:
    """One look at the run tagged `invocation`: (since when its step has waited for the writer
    slot, or None when it is not waiting; a message when it has waited `timeout` seconds or more,
    after marking the run failed and freeing its place in the pool)."""
    from dagster import RunsFilter

    from pipelines.release import DUCKDB_POOL

    storage = instance.event_log_storage
    free_stale_pool_slots(instance)
    runs = instance.get_runs(filters=RunsFilter(tags={INVOCATION_TAG: invocation}), limit=1)
    if not runs or DUCKDB_POOL not in storage.get_concurrency_keys():
        return None, None
    run_id = runs[0].run_id
    info = storage.get_concurrency_info(DUCKDB_POOL)
    if not any(p.run_id == run_id and p.assigned_timestamp is None for p in info.pending_steps):
        return None, None
    waiting_since = waiting_since if waiting_since is not None else time.monotonic()
    if time.monotonic() - waiting_since < timeout:
        return waiting_since, None
    holders = "; ".join(pool_holders(instance, exclude=run_id)) or "nothing visible"
    instance.report_run_failed(runs[0], f"gave up waiting {timeout:.0f} s for pool {DUCKDB_POOL}")
    storage.free_concurrency_slots_for_run(run_id)
    return waiting_since, f"Release failed, nothing published: waited {timeout:.0f} s for pool {DUCKDB_POOL}, held by {holders}"


def _watch_pool(instance, invocation: str, timeout: float, stop: threading.Event, poll: float = 2.0) -> None:
    """While a `dxdata release` run executes: keep freeing slots of runs that died, and if our
    run's step has waited for the writer slot longer than `timeout`, say what holds it, mark the
    run failed and exit (a wait on a pool never goes on without a bound)."""
    waiting_since = None
    while not stop.wait(poll):
        try:
            waiting_since, message = pool_wait_check(instance, invocation, timeout, waiting_since)
        except Exception as exc:  # a storage hiccup must not stop the watch, nor the run
            print(f"  !     pool watch: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            continue
        if message:
            print(message, file=sys.stderr, flush=True)
            os._exit(1)


def cli_ui(argv: list[str]) -> int:
    """`python -m pipelines.run ui [dagster dev options]`: the UI on this instance."""
    ensure_dagster_home()
    # An installed package has no workspace.yaml beside it: name the code location's module.
    workspace = paths.REPO_ROOT / "workspace.yaml"
    target = ["-w", str(workspace)] if workspace.is_file() else ["-m", "pipelines.definitions"]
    args = [sys.executable, "-m", "dagster", "dev", *target, *argv]
    os.execv(sys.executable, args)
    return 0  # not reached


if __name__ == "__main__":
    if sys.argv[1:2] == ["ui"]:
        sys.exit(cli_ui(sys.argv[2:]))
    if sys.argv[1:2] in (["release"], []):
        sys.exit(cli_release())
    print("usage: python -m pipelines.run [release | ui [dagster dev options]]", file=sys.stderr)
    sys.exit(2)
