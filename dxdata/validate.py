"""Check a whole sources folder before a run starts, fast and without Dagster.

`validate_sources(folder)` returns every problem of every article source (its text and its
sidecar, against the schema in `dxdata.sidecar`) and of the folder as a whole (a sidecar without
its text, an article id already used by a table source), each naming the file and the field.
`check_sources(folder)` raises `SourcesInvalid` listing them all. The command line calls it before
it starts a run, so one bad article is reported by name instead of failing inside the pipeline;
ingest applies the same per-article checks to files that arrive later.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from datetime import date, datetime
from pathlib import Path

from dxdata import paths
from dxdata.ingest import VN_TZ, article_stat
from dxdata.sidecar import Problem, TableSidecar, problems_of_article, read_sidecar, table_source_ids

# A file modified this close to the moment it was recorded clean may have changed again within
# the same timestamp tick: its stat is not trusted (git's "racily clean" rule).
_RACY_NS = 2_000_000_000
# Libraries whose behaviour the article checks depend on (sidecar schema, language codes).
_LIBRARIES = ("pydantic", "pydantic-core", "babel")


class SourcesInvalid(ValueError):
    """The sources folder has problems; `problems` lists them, the message shows them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(report(problems))


def report(problems: list[Problem]) -> str:
    files = len({p.file for p in problems})
    lines = [f"{len(problems)} problem(s) in {files} source file(s):"]
    lines += [f"  - {p}" for p in problems]
    return "\n".join(lines)


def validate_sources(folder: Path | None = None, *, today: date | None = None, clean_record: Path | None = None) -> list[Problem]:
    """Every problem of the article sources under `folder` (the sources root, holding articles/
    and tables/; default: the configured sources folder). An empty list means the run may start.
    `today` is the run date (default: today in Vietnam).

    With `clean_record` (an SQLite file; `dxdata release` keeps it in the warehouse's cache), an
    article found without problems is recorded by the stat of its text and sidecar, and is not
    checked again while neither file, the run date, the table sources' ids, the package's code
    or the registers change. Articles with problems are always checked again, and the record is
    written only when the whole folder passes."""
    root = Path(folder) if folder is not None else paths.sources_dir()
    articles = root / "articles"
    problems: list[Problem] = []
    if not root.is_dir():
        return [Problem(root, None, "sources folder not found")]
    today = today or datetime.now(VN_TZ).date()
    tables = table_source_ids(root)  # read once for the whole folder
    names = _listing(articles)
    texts = sorted(n for n, is_file in names.items() if n.endswith(".txt") and is_file)
    record = _CleanRecord(clean_record, _check_context(root, tables, today)) if clean_record is not None else None
    prefix = os.path.join(articles, "")
    for name in texts:
        if record is not None and record.is_clean(prefix + name):
            continue
        txt = articles / name
        model, _data, sidecar_problems = read_sidecar(txt.with_suffix(".json"))
        found = list(sidecar_problems)
        if model is not None:
            found += problems_of_article(txt, sources_root=root, today=today, model=model, table_ids=tables)
        else:
            found += _text_only(txt)
        if not found and record is not None:
            record.add(txt)
        problems += found
    problems += _table_problems(root)
    stems = {n[:-4] for n in texts}
    for name in sorted(n for n in names if n.endswith(".json")):
        if name[:-5] not in stems:
            sidecar = articles / name
            problems.append(Problem(sidecar, None, f"sidecar without its text file {sidecar.with_suffix('.txt').name}"))
    if record is not None and not problems:
        # Only a folder that passes is recorded: a run refused for a bad file writes nothing.
        record.save()
    return problems


def _listing(folder: Path) -> dict[str, bool]:
    """Name -> is it a file (following links), for each entry of a folder."""
    try:
        with os.scandir(folder) as entries:
            return {e.name: e.is_file() for e in entries}
    except (FileNotFoundError, NotADirectoryError):
        return {}


def _check_context(root: Path, tables: dict[str, Path], today: date) -> str:
    """What an article's checks depend on besides its own two files: the run date, the sources
    folder and its table sources' ids, this package's code, the registers and the libraries."""
    from importlib import metadata

    digest = hashlib.sha256()
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    state = {"today": today.isoformat(), "root": str(root.resolve()), "tables": {k: str(v) for k, v in sorted(tables.items())},
             "libraries": versions}
    digest.update(json.dumps(state, sort_keys=True).encode("utf-8"))
    for folder in (Path(__file__).resolve().parent, paths.registers_dir()):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.name.encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class _CleanRecord:
    """Articles found without problems, by the stat of their two files, under one context."""

    def __init__(self, path: Path, context: str):
        self.path = Path(path)
        self.context = context
        self.fresh: list[tuple[str, str, int, str]] = []
        self.now = time.time_ns()
        self.known: dict[str, tuple[str, int]] = {}
        if not self.path.is_file():
            return
        try:
            con = sqlite3.connect(self.path, timeout=60)
            try:
                rows = con.execute("SELECT path, stat, recorded_ns FROM clean WHERE context = ?", (context,))
                self.known = {p: (st, rec) for p, st, rec in rows}
            finally:
                con.close()
        except (OSError, sqlite3.Error):
            self.known = {}  # no record: every article is checked, as without one

    def is_clean(self, txt: str) -> bool:
        entry = self.known.get(txt)
        if entry is None:
            return False
        stat, newest = article_stat(txt)
        return entry[0] == stat and newest < entry[1] - _RACY_NS

    def add(self, txt: Path) -> None:
        # The stat taken after the checks read the files: a write during them shows as racy or changed.
        self.fresh.append((str(txt), article_stat(str(txt))[0], self.now, self.context))

    def save(self) -> None:
        if not self.fresh:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, timeout=60)
            with con:
                con.execute("CREATE TABLE IF NOT EXISTS clean (path TEXT PRIMARY KEY, stat TEXT, recorded_ns INTEGER, context TEXT)")
                con.execute("DELETE FROM clean WHERE context != ?", (self.context,))
                con.executemany("INSERT OR REPLACE INTO clean VALUES (?, ?, ?, ?)", self.fresh)
            con.close()
        except (OSError, sqlite3.Error):
            pass  # the record only saves time; the next run checks these articles again


def table_sidecars(root: Path) -> list[Path]:
    """The sidecars of the table sources and registers under a sources folder."""
    return [*sorted((root / "tables").rglob("*.json")), *sorted((root / "registers").glob("*.json"))]


def _table_problems(root: Path) -> list[Problem]:
    """Each table or register sidecar against `TableSidecar`; no two of them share an id."""
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for sidecar in table_sidecars(root):
        model, _data, found = read_sidecar(sidecar, TableSidecar)
        problems += found
        if model is not None:
            if model.source_id in seen:
                problems.append(Problem(sidecar, "source_id", f"{model.source_id!r} is already the id of {seen[model.source_id]}"))
            seen.setdefault(model.source_id, sidecar)
    return problems


def _text_only(txt: Path) -> list[Problem]:
    """The text's own problems when its sidecar is unusable (they are reported with it)."""
    from dxdata.sidecar import SOURCE_ID, problems_of_text

    problems = [] if SOURCE_ID.fullmatch(txt.stem) else [
        Problem(txt, None, f"file name {txt.stem!r} is not a valid source id (must match {SOURCE_ID.pattern})")
    ]
    try:
        return problems + problems_of_text(txt, txt.read_bytes())
    except OSError as exc:
        return problems + [Problem(txt, None, f"cannot read the file ({exc.strerror or exc})")]


def check_sources(folder: Path | None = None, *, today: date | None = None) -> None:
    """Raise `SourcesInvalid` naming every problem of the sources folder; return when there is none."""
    problems = validate_sources(folder, today=today)
    if problems:
        raise SourcesInvalid(problems)
