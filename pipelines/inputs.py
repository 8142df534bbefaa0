"""Whether anything a release depends on changed since the last successful `dxdata release`.

A release is a function of its inputs: the article files, the transcribed tables and registers,
the code, catalogue and schemas of this package, the library versions, and the release it would
be compared with (LATEST). When none of these changed since a run that ended with a release or
with "no change", another run can only say "no change" again: `dxdata release` says so at once
instead of starting one (a run costs seconds of Dagster events even when every step is a no-op).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib import metadata
from pathlib import Path

PACKAGE_DIRS = ("dxdata", "pipelines", "schemas")
PACKAGE_SUFFIXES = {".py", ".csv", ".sql", ".json", ".yaml"}
LIBRARIES = ("dagster", "pandas", "pyarrow", "duckdb", "pandera")
RECORD = "last_release_inputs.json"


def _files_digest(digest, root: Path, files) -> None:
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def inputs_digest(warehouse, articles: dict[str, str], dagster_home: Path) -> str:
    """One digest of everything a release run reads (articles by their fingerprints), except
    the release it compares with (`latest_state`)."""
    from dxdata import paths

    digest = hashlib.sha256()
    digest.update(json.dumps(articles, sort_keys=True).encode("utf-8"))
    code_root = Path(__file__).resolve().parent.parent
    for name in PACKAGE_DIRS:
        folder = code_root / name
        _files_digest(digest, code_root, (p for p in folder.rglob("*") if p.suffix in PACKAGE_SUFFIXES and p.is_file()))
    sources = warehouse.sources_root()
    _files_digest(digest, sources, _files_besides_articles(sources))
    registers = paths.registers_dir()
    _files_digest(digest, registers, (p for p in registers.rglob("*") if p.is_file()))
    state = {"python": sys.version, "libraries": {name: _version(name) for name in LIBRARIES}, "dagster_home": str(dagster_home)}
    digest.update(json.dumps(state, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()


def _files_besides_articles(sources: Path) -> list[Path]:
    """Every file under the sources folder except those in articles/ (they are digested by their
    fingerprints), without listing articles/ (tens of thousands of files) at all."""
    found = []
    for folder, dirs, files in os.walk(sources):
        if Path(folder) == sources:
            dirs[:] = [d for d in dirs if d != "articles"]
        found += [Path(folder) / name for name in files if os.path.isfile(os.path.join(folder, name))]
    return found


def latest_state(warehouse) -> dict:
    """The release a run compares with: LATEST, and whether its folder is there."""
    latest = warehouse.releases() / "LATEST"
    version = latest.read_text(encoding="utf-8").strip() if latest.exists() else None
    return {"latest": version, "present": bool(version) and (warehouse.releases() / version).is_dir()}


def unchanged(warehouse, digest: str) -> dict | None:
    """The record of the last successful run when neither its inputs nor LATEST changed since."""
    last = last_recorded(warehouse)
    if last is not None and last.get("inputs_digest") == digest and last.get("latest") == latest_state(warehouse):
        return last
    return None


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def last_recorded(warehouse) -> dict | None:
    path = warehouse.cache_file().parent / RECORD
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def record(warehouse, digest: str, run_id: str, message: str) -> None:
    """After a successful run: the inputs it read (digest taken before it started) and the
    LATEST it left."""
    path = warehouse.cache_file().parent / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    entry = {"inputs_digest": digest, "latest": latest_state(warehouse), "run_id": run_id, "message": message}
    tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
