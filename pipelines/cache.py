"""A content-addressed cache of ingestion and extraction results, and the worker pool that fills it.

An entry is keyed by (stage, source_id, source fingerprint, version): the version is the
extraction engine's ENGINE_VERSION for extraction, and a digest of the ingest code for the clean
text. Changing a source, or the engine, therefore only misses for what changed; entries are never
overwritten, so a source reverted to an earlier content hits again. The store is one SQLite file
under `<warehouse>/cache/` (one transaction per batch, safe for concurrent runs).

Misses are computed in worker processes (`DXDATA_WORKERS`, all cores by default; `dxdata
release --workers N`). Workers receive and return plain JSON-able values, and results are put
back in input order, so the output is the same whatever the number of workers.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from dxdata.ingest import article_stat

WORKERS_ENV = "DXDATA_WORKERS"
# Below this many misses, starting worker processes costs more than it saves.
PARALLEL_MIN = 64
_SQL_BATCH = 500
# A file modified this close to the moment its fingerprint was recorded may have changed again
# within the same timestamp tick: its stat is not trusted ("racily clean", as git calls it).
_RACY_NS = 2_000_000_000
INGEST_STAGE = "ingest"
EXTRACT_STAGE = "extract"


def ingest_version() -> str:
    """A digest of the code that turns a file into clean text and a `sources` row."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent / "dxdata"
    for name in ("ingest.py", "text.py", "model.py"):
        try:
            digest.update((root / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    return "ingest+" + digest.hexdigest()[:12]


def worker_count(requested: int | None = None) -> int:
    """Worker processes to use: the request, else DXDATA_WORKERS, else every core."""
    if requested is None:
        value = os.environ.get(WORKERS_ENV, "").strip()
        requested = int(value) if value else 0
    return requested if requested > 0 else (os.cpu_count() or 1)


def parallel_map(fn: Callable, items: list, workers: int | None = None, min_parallel: int = PARALLEL_MIN) -> list:
    """[fn(item) for item in items], in worker processes when there are enough items.

    Workers are forked from a fork server that has the extraction engine imported, so they start
    in milliseconds and never inherit the threads of the Dagster process."""
    workers = min(worker_count(workers), len(items))
    if workers <= 1 or len(items) < min_parallel:
        return [fn(item) for item in items]
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["dxdata.extract", "dxdata.ingest", "pipelines.tasks"])
    chunk = max(1, len(items) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(fn, items, chunksize=chunk))


class ResultCache:
    """Cached results by (stage, source_id, fingerprint, version); values are JSON."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._con = sqlite3.connect(self.path, timeout=120)
        self._con.execute("PRAGMA journal_mode=WAL")
        self._con.execute(
            "CREATE TABLE IF NOT EXISTS results (stage TEXT, source_id TEXT, fingerprint TEXT, version TEXT, value TEXT,"
            " PRIMARY KEY (stage, source_id, fingerprint, version))"
        )

    def close(self) -> None:
        self._con.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def fingerprints(self, paths: list, compute: Callable[[Path], str]) -> dict:
        """The content fingerprint of each file (a Path or a str; the result is keyed by what was
        given), computed only for files whose size, inode or modification time changed since it
        was last recorded (and for racily recorded ones).

        The recorded entries are read from the file once per process and kept: an entry says
        which content a file had at a given stat, which stays true whoever writes the file
        later, so a run that scans the folder at several steps reads the table once."""
        self._con.execute(
            "CREATE TABLE IF NOT EXISTS fingerprints (path TEXT PRIMARY KEY, stat TEXT, recorded_ns INTEGER, fingerprint TEXT)"
        )
        known = _KNOWN.get(str(self.path))
        if known is None:
            known = {path: (stat, recorded, fp) for path, stat, recorded, fp in self._con.execute("SELECT * FROM fingerprints")}
            _KNOWN[str(self.path)] = known
        out, fresh = {}, []
        now = time.time_ns()
        for path in paths:
            key = os.fspath(path)
            stat, newest = article_stat(key)
            entry = known.get(key)
            if entry is not None and entry[0] == stat and newest < entry[1] - _RACY_NS:
                out[path] = entry[2]
            else:
                out[path] = compute(Path(path))
                fresh.append((key, stat, now, out[path]))
        if fresh:
            with self._con:
                self._con.executemany("INSERT OR REPLACE INTO fingerprints VALUES (?, ?, ?, ?)", fresh)
            known.update((key, (stat, recorded, fp)) for key, stat, recorded, fp in fresh)
        return out

    def get_many(self, stage: str, version: str, wanted: dict[str, str]) -> dict[str, object]:
        """{source_id: value} for the sources of `wanted` ({source_id: fingerprint}) that are cached."""
        found: dict[str, object] = {}
        ids = list(wanted)
        for start in range(0, len(ids), _SQL_BATCH):
            batch = ids[start : start + _SQL_BATCH]
            marks = ",".join("?" * len(batch))
            rows = self._con.execute(
                f"SELECT source_id, fingerprint, value FROM results WHERE stage = ? AND version = ? AND source_id IN ({marks})",
                [stage, version, *batch],
            )
            for source_id, fingerprint, value in rows:
                if wanted[source_id] == fingerprint:
                    found[source_id] = json.loads(value)
        return found

    def put_many(self, stage: str, version: str, entries: Iterable[tuple[str, str, object]]) -> None:
        """Store (source_id, fingerprint, value) entries in one transaction."""
        with self._con:
            self._con.executemany(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?)",
                [(stage, source_id, fingerprint, version, json.dumps(value, ensure_ascii=False)) for source_id, fingerprint, value in entries],
            )


# Recorded fingerprints by cache file, read once per process (see ResultCache.fingerprints).
_KNOWN: dict[str, dict[str, tuple[str, int, str]]] = {}


def cached_map(
    cache: ResultCache, stage: str, version: str, wanted: dict[str, str], compute: Callable, inputs: dict[str, object], workers: int | None = None
) -> tuple[dict[str, object], list[str]]:
    """Values for every source of `wanted`: cached ones read, the others computed with
    `compute(inputs[source_id])` in worker processes and stored. Returns (values, computed ids)."""
    values = cache.get_many(stage, version, wanted)
    missing = [source_id for source_id in wanted if source_id not in values]
    results = parallel_map(compute, [inputs[source_id] for source_id in missing], workers)
    computed = dict(zip(missing, results))
    # Errors (a bad source) are returned, not raised, by the workers, and never cached.
    cache.put_many(stage, version, [(k, wanted[k], v) for k, v in computed.items() if not (isinstance(v, dict) and "error" in v)])
    values.update(computed)
    return values, missing
