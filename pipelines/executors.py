"""Which Dagster executor runs `release_job`, chosen by configuration.

`DXDATA_EXECUTOR`:
- `in_process` (default): every step in the `dxdata release` process. Right for one machine and
  the README's quick start: a process per step costs about two seconds each on a small machine.
- `multiprocess`: a process per step on this machine (`DXDATA_MAX_CONCURRENT` at once, default
  the number of cores).
- `dask`: steps on a Dask cluster: the scheduler at `DXDATA_DASK_SCHEDULER`
  (`tcp://host:8786`), or, when that is unset, a local cluster of `DXDATA_DASK_WORKERS`
  processes (default 2) started for the run. Workers must see the same sources and warehouse
  folders (a shared filesystem) and the same Dagster instance (PostgreSQL; see docs/deployment.md).

The executors other than `in_process` run steps in other processes, so the run needs a
persistent Dagster instance and a job Dagster can rebuild there (`reconstructable`)."""

from __future__ import annotations

import os

EXECUTORS = ("in_process", "multiprocess", "dask")


class ExecutorConfigError(ValueError):
    pass


def executor_name() -> str:
    name = os.environ.get("DXDATA_EXECUTOR", "").strip() or "in_process"
    if name not in EXECUTORS:
        raise ExecutorConfigError(f"DXDATA_EXECUTOR={name!r}: expected one of {', '.join(EXECUTORS)}")
    return name


def release_executor():
    """The executor definition `release_job` is built with."""
    from dagster import in_process_executor, multiprocess_executor

    name = executor_name()
    if name == "in_process":
        return in_process_executor
    if name == "multiprocess":
        limit = int(os.environ.get("DXDATA_MAX_CONCURRENT") or os.cpu_count() or 1)
        return multiprocess_executor.configured({"max_concurrent": limit}, name="multiprocess")
    from dagster_dask import dask_executor

    address = os.environ.get("DXDATA_DASK_SCHEDULER", "").strip()
    if address:
        cluster = {"existing": {"address": address}}
    else:
        workers = int(os.environ.get("DXDATA_DASK_WORKERS") or 2)
        # One thread per worker: the engine is CPU-bound Python, threads would share one core.
        cluster = {"local": {"n_workers": workers, "threads_per_worker": 1, "dashboard_address": None}}
    return dask_executor.configured({"cluster": cluster}, name="dask")


def reconstructable_release_job():
    """`release_job` as the other processes rebuild it (they import this module)."""
    from dagster import reconstructable

    return reconstructable(_release_job)


def _release_job():
    from pipelines.definitions import defs
    from pipelines.jobs import RELEASE_JOB

    return defs.resolve_job_def(RELEASE_JOB)


def release_pool(pool: str) -> str | None:
    """The concurrency pool of the release step, or None on Dask.

    dagster-dask hands the run record to the Dask client, which walks it as a tuple; a run that
    uses a pool carries a record Dagster forbids iterating, so the submit fails. On Dask the
    release therefore runs without the pool: `publish_release` still writes under its own file
    lock (one writer per warehouse), and the deployment's run queue runs one run at a time."""
    return None if executor_name() == "dask" else pool
