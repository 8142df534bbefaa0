"""`dxdata verify PATH`: is this release folder the one that was published?

Every file of a release is checked against a recorded hash: the Parquet files against
datapackage.json (size, sha256, row count, columns), CHANGES.md and dx.duckdb against the hashes
the descriptor records for them, and, when an index.json lists the release (the one beside the
folder, or the one given with --index), every file including datapackage.json itself against
the hashes recorded there when it was published. A file the release does not list is a problem.
dx.duckdb must hold exactly the Parquet files' rows, and its tables, columns, types, NOT NULL
constraints, comments, views and storage version must be the ones the descriptor declares.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from dxdata.release import (
    CHANGES_MD,
    CHANGES_TABLE,
    DATAPACKAGE,
    DUCKDB_FILE,
    VERSION_RE,
    _frictionless_type,
    _ident,
    _sql_str,
    duckdb_views,
    sha256_file,
)
from dxdata.site import INDEX_JSON

# DuckDB column types as the Frictionless types the descriptor declares.
_DUCKDB_TYPES = {"VARCHAR": "string", "BIGINT": "integer", "DOUBLE": "number", "BOOLEAN": "boolean", "DATE": "date",
                 "TIMESTAMP": "datetime", "TIMESTAMP WITH TIME ZONE": "datetime", "TIMESTAMP_NS": "datetime",
                 "TIMESTAMP_MS": "datetime", "TIMESTAMP_S": "datetime"}


def _column_comment(field: dict) -> str:
    text = str(field.get("description", ""))
    return text + (f" (unit: {field['unit']})" if field.get("unit") else "")


def _declared_fields(label: str, res: dict) -> tuple[list[dict], list[str]]:
    """The resource's fields, or the problems that keep them from being read."""
    fields = res.get("schema", {}).get("fields") if isinstance(res.get("schema"), dict) else None
    if not isinstance(fields, list):
        return [], [f"{label}: {DATAPACKAGE} gives no schema fields"]
    problems = []
    for i, f in enumerate(fields):
        missing = [k for k in ("name", "type") if not isinstance(f, dict) or not isinstance(f.get(k), str)]
        if missing:
            problems.append(f"{label}: field {i + 1} in {DATAPACKAGE} has no {' or '.join(map(repr, missing))} (got {f!r})")
    return ([] if problems else fields), problems


def _check_hash(label: str, file: Path, expected: object, where: str) -> list[str]:
    algo, _, digest = str(expected or "").partition(":")
    if algo != "sha256" or not digest:
        return [f"{label}: {where} gives no sha256 hash (got {expected!r})"]
    actual = sha256_file(file)
    return [] if actual == digest else [f"{label}: sha256 is {actual}, {where} says {digest}"]


def _check_resources(path: Path, resources: list) -> tuple[list[str], dict[str, Path], dict[str, dict]]:
    problems: list[str] = []
    readable: dict[str, Path] = {}
    declared: dict[str, dict] = {}
    for res in resources:
        if not isinstance(res, dict):
            problems.append(f"{DATAPACKAGE}: a resource is not an object ({res!r})")
            continue
        name = str(res.get("name", "?"))
        label = str(res.get("path", name))
        file = path / label
        fields, field_problems = _declared_fields(label, res)
        if name != CHANGES_TABLE:
            # Declared even when its file is missing or damaged: dx.duckdb's table of that name is
            # then still a resource of the descriptor, not an extra one.
            declared[name] = {"description": res.get("description"), "fields": fields}
        if "/" in label or label.startswith(".") or not file.is_file():
            problems.append(f"{label}: listed in {DATAPACKAGE} but missing")
            continue
        size = file.stat().st_size
        if "bytes" in res and size != res["bytes"]:
            problems.append(f"{label}: size is {size} bytes, {DATAPACKAGE} says {res['bytes']}")
        problems += _check_hash(label, file, res.get("hash"), DATAPACKAGE)
        problems += field_problems
        try:
            meta = pq.read_metadata(file)
            schema = pq.read_schema(file)
        except Exception as exc:  # pyarrow raises several types for damaged files
            problems.append(f"{label}: cannot be read as Parquet ({exc})")
            continue
        if "rows" in res and meta.num_rows != res["rows"]:
            problems.append(f"{label}: holds {meta.num_rows} rows, {DATAPACKAGE} says {res['rows']}")
        if not field_problems:
            expected = [(f["name"], f["type"]) for f in fields]
            actual = [(f.name, _frictionless_type(f.type)) for f in schema]
            if expected != actual:
                problems.append(f"{label}: columns {actual} differ from the schema in {DATAPACKAGE}: {expected}")
        if name != CHANGES_TABLE:
            readable[name] = file
    return problems, readable, declared


def _check_own_files(path: Path, descriptor: dict, resources: list) -> list[str]:
    """Version and date agree with the folder and CHANGES.md; CHANGES.md and dx.duckdb match the
    recorded hashes; no file the release does not list."""
    problems = []
    version = descriptor.get("version")
    if VERSION_RE.fullmatch(path.name) and version != path.name:
        problems.append(f"{DATAPACKAGE}: version is {version!r}, the folder is {path.name}")
    notes = path / CHANGES_MD
    if notes.is_file():
        head = notes.read_text(encoding="utf-8", errors="replace").splitlines()[:3]
        if not head or head[0] != f"# Release {version}":
            problems.append(f"{CHANGES_MD}: its title {head[:1]} is not '# Release {version}' of {DATAPACKAGE}")
        created = str(descriptor.get("created") or "")[:10]
        if len(head) < 3 or not head[2].startswith(f"Published {created}."):
            problems.append(f"{CHANGES_MD}: its date does not match created {descriptor.get('created')!r} of {DATAPACKAGE}")
    recorded = (descriptor.get("dxdata") or {}).get("files") or {}
    for name in (CHANGES_MD, DUCKDB_FILE):
        if not (path / name).is_file():
            problems.append(f"{name}: missing")
        elif name in recorded:
            problems += _check_hash(name, path / name, recorded[name], DATAPACKAGE)
    listed = {str(r.get("path")) for r in resources if isinstance(r, dict)} | {CHANGES_MD, DUCKDB_FILE, DATAPACKAGE}
    for extra in sorted(p.name for p in path.iterdir() if p.name not in listed):
        problems.append(f"{extra}: not part of the release (not listed in {DATAPACKAGE})")
    return problems


def _check_index(path: Path, index_path: Path | None) -> tuple[list[str], bool]:
    """Every file against the entry of this release in index.json. Returns (problems, checked).
    The index beside the folder may not list it yet (a run stopped between publishing the folder
    and updating the catalogue; the next run adds it): then there is nothing to compare with. An
    index named with --index must list it."""
    given = index_path is not None
    if index_path is None:
        candidate = path.parent / INDEX_JSON
        if not candidate.is_file():
            return [], False
        index_path = candidate
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
        entries = {e["version"]: e for e in index["releases"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"{index_path}: not a readable release index ({type(exc).__name__}: {exc})"], False
    entry = entries.get(path.name)
    if entry is None:
        return ([f"{index_path}: does not list release {path.name}"] if given else []), False
    problems = []
    try:
        files = {f["path"].split("/", 1)[-1]: f for f in entry["files"]}
    except (KeyError, TypeError, AttributeError) as exc:
        return [f"{index_path}: the entry of {path.name} has no readable file list ({exc})"], False
    on_disk = {p.name for p in path.iterdir() if p.is_file()}
    for name in sorted(set(files) - on_disk):
        problems.append(f"{name}: listed for {path.name} in {index_path.name} but missing")
    for name in sorted(on_disk & set(files)):
        problems += _check_hash(name, path / name, files[name].get("hash"), index_path.name)
    for name in sorted(on_disk - set(files)):
        problems.append(f"{name}: not listed for {path.name} in {index_path.name}")
    return problems, True


def _check_duckdb(path: Path, parquet_files: dict[str, Path], declared: dict[str, dict], descriptor: dict) -> list[str]:
    db = path / DUCKDB_FILE
    if not db.is_file():
        return []  # reported with the release's own files
    problems = []
    con = duckdb.connect(":memory:")
    try:
        try:
            con.execute(f"ATTACH {_sql_str(str(db))} AS rel (READ_ONLY)")
        except duckdb.Error as exc:
            return [f"{DUCKDB_FILE}: cannot be opened ({exc})"]
        meta = (descriptor.get("dxdata") or {}).get("duckdb") or {}
        [tags] = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = 'rel'").fetchone()
        actual_storage = str((tags or {}).get("storage_version", "")).rstrip("+")
        if meta.get("storage_version") and actual_storage and actual_storage != meta["storage_version"]:
            problems.append(f"{DUCKDB_FILE}: storage version {actual_storage}, {DATAPACKAGE} says {meta['storage_version']}")
        tables = dict(con.execute(
            "SELECT table_name, comment FROM duckdb_tables() WHERE database_name = 'rel'").fetchall())
        for extra in sorted(set(tables) - set(declared)):
            problems.append(f"{DUCKDB_FILE}: table {extra} is not a resource of {DATAPACKAGE}")
        if "views" in meta:
            views = duckdb_views(con, "rel")
            want = meta["views"] if isinstance(meta["views"], dict) else {}
            for name in sorted(set(views) | set(want)):
                if name not in views:
                    problems.append(f"{DUCKDB_FILE}: view {name} is missing")
                elif name not in want:
                    problems.append(f"{DUCKDB_FILE}: view {name} is not declared in {DATAPACKAGE}")
                elif views[name] != want[name]:
                    problems.append(f"{DUCKDB_FILE}: view {name} differs from its definition or comment in {DATAPACKAGE}")
        for name, file in sorted(parquet_files.items()):
            if name not in tables:
                problems.append(f"{DUCKDB_FILE}: table {name} is missing")
                continue
            problems += _compare_table(con, name, file, tables[name], declared[name])
    finally:
        con.close()
    return problems


def _compare_table(con, name: str, file: Path, comment: str | None, declared: dict) -> list[str]:
    problems = []
    if comment != declared["description"]:
        problems.append(f"{DUCKDB_FILE}: the comment on table {name} differs from its description in {DATAPACKAGE}")
    columns = con.execute(
        "SELECT column_name, data_type, is_nullable, comment FROM duckdb_columns() "
        "WHERE database_name = 'rel' AND table_name = ? ORDER BY column_index", [name]).fetchall()
    want = [(f["name"], f["type"], not (f.get("constraints") or {}).get("required"), _column_comment(f))
            for f in declared["fields"]]
    have = [(c, _DUCKDB_TYPES.get(re.sub(r"\(.*", "", t), t), nullable, cmt or "") for c, t, nullable, cmt in columns]
    if declared["fields"] and have != want:
        diff = [f"{h[0]}" for h, w in zip(have, want) if h != w] or ["(column count)"]
        problems.append(f"{DUCKDB_FILE}: table {name} columns, types, NOT NULL or comments differ from "
                        f"{DATAPACKAGE} (at {', '.join(diff)})")
    src = f"read_parquet({_sql_str(str(file))})"
    tbl = f"rel.main.{_ident(name)}"
    try:
        # EXCEPT ALL both ways: equal multisets of rows, whatever their order.
        only_db = con.execute(f"SELECT count(*) FROM (SELECT * FROM {tbl} EXCEPT ALL SELECT * FROM {src})").fetchone()[0]
        only_pq = con.execute(f"SELECT count(*) FROM (SELECT * FROM {src} EXCEPT ALL SELECT * FROM {tbl})").fetchone()[0]
    except duckdb.Error as exc:
        return [*problems, f"{DUCKDB_FILE}: table {name} cannot be compared with {file.name} ({str(exc).splitlines()[0]})"]
    if only_db or only_pq:
        problems.append(
            f"{DUCKDB_FILE}: table {name} differs from {file.name}: "
            f"{only_db} rows only in {DUCKDB_FILE}, {only_pq} rows only in {file.name}"
        )
    return problems


def verify_release(path: Path, index: Path | None = None) -> list[str]:
    """Every problem found, each naming the file and the mismatch; empty when the release holds."""
    return verify_release_report(path, index)[0]


def verify_release_report(path: Path, index: Path | None = None) -> tuple[list[str], bool]:
    """(problems, whether the files were also checked against an index.json)."""
    path = Path(path)
    dp_path = path / DATAPACKAGE
    if not dp_path.is_file():
        return [f"{dp_path}: missing; is {path} a release folder (warehouse/releases/<version>/)?"], False
    try:
        descriptor = json.loads(dp_path.read_text(encoding="utf-8"))
        resources = descriptor["resources"]
        if not isinstance(descriptor, dict) or not isinstance(resources, list):
            raise TypeError("resources is not a list")
    except (ValueError, KeyError, TypeError) as exc:
        return [f"{dp_path}: not a readable data package descriptor ({type(exc).__name__}: {exc})"], False

    index_problems, indexed = _check_index(path, index)
    problems, readable, declared = _check_resources(path, resources)
    problems += _check_own_files(path, descriptor, resources)
    problems += _check_duckdb(path, readable, declared, descriptor)
    return index_problems + problems, indexed


def cli_verify(path: Path, index: Path | None = None) -> int:
    problems, indexed = verify_release_report(Path(path), index)
    if problems:
        for p in problems:
            print(f"FAIL {p}", file=sys.stderr)
        print(f"{path}: {len(problems)} problem(s); this is not the release as published.", file=sys.stderr)
        return 1
    descriptor = json.loads((Path(path) / DATAPACKAGE).read_text(encoding="utf-8"))
    n = len(descriptor["resources"])
    against = (f"every file matches the hashes {INDEX_JSON} recorded at publication" if indexed else
               f"no {INDEX_JSON} lists it, so {DATAPACKAGE} itself is unchecked (pass --index to check it)")
    print(f"OK {path}: release {descriptor.get('version')}, {n} Parquet files match their sha256, sizes, row counts "
          f"and schemas; {DUCKDB_FILE} holds the same rows, tables, comments and views; {against}.")
    return 0
