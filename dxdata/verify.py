"""`dxdata verify PATH`: is this release folder the one that was published?

Checks, against the folder's datapackage.json: every resource's size and sha256, that it reads
as Parquet with the declared row count and columns (names and types), and that dx.duckdb holds
exactly the rows of each Parquet file. Works on a downloaded copy: it needs only the folder.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from dxdata.release import (
    CHANGES_TABLE,
    DATAPACKAGE,
    DUCKDB_FILE,
    _frictionless_type,
    _ident,
    _sql_str,
    sha256_file,
)


def verify_release(path: Path) -> list[str]:
    """Every problem found, each naming the file and the mismatch; empty when the release holds."""
    path = Path(path)
    dp_path = path / DATAPACKAGE
    if not dp_path.is_file():
        return [f"{dp_path}: missing; is {path} a release folder (warehouse/releases/<version>/)?"]
    try:
        descriptor = json.loads(dp_path.read_text(encoding="utf-8"))
        resources = descriptor["resources"]
    except (ValueError, KeyError, TypeError) as exc:
        return [f"{dp_path}: not a readable data package descriptor ({exc})"]

    problems: list[str] = []
    readable: dict[str, Path] = {}
    for res in resources:
        name = res.get("name", "?")
        file = path / res.get("path", "")
        label = res.get("path", name)
        if not file.is_file():
            problems.append(f"{label}: listed in {DATAPACKAGE} but missing")
            continue
        size = file.stat().st_size
        if "bytes" in res and size != res["bytes"]:
            problems.append(f"{label}: size is {size} bytes, {DATAPACKAGE} says {res['bytes']}")
        algo, _, expected = str(res.get("hash", "")).partition(":")
        if algo != "sha256" or not expected:
            problems.append(f"{label}: {DATAPACKAGE} gives no sha256 hash (got {res.get('hash')!r})")
        else:
            actual = sha256_file(file)
            if actual != expected:
                problems.append(f"{label}: sha256 is {actual}, {DATAPACKAGE} says {expected}")
        try:
            meta = pq.read_metadata(file)
            schema = pq.read_schema(file)
        except Exception as exc:  # pyarrow raises several types for damaged files
            problems.append(f"{label}: cannot be read as Parquet ({exc})")
            continue
        if "rows" in res and meta.num_rows != res["rows"]:
            problems.append(f"{label}: holds {meta.num_rows} rows, {DATAPACKAGE} says {res['rows']}")
        declared = [(f["name"], f["type"]) for f in res.get("schema", {}).get("fields", [])]
        actual_fields = [(f.name, _frictionless_type(f.type)) for f in schema]
        if declared != actual_fields:
            problems.append(f"{label}: columns {actual_fields} differ from the schema in {DATAPACKAGE}: {declared}")
        if name != CHANGES_TABLE:
            readable[name] = file

    problems += _check_duckdb(path, readable)
    return problems


def _check_duckdb(path: Path, parquet_files: dict[str, Path]) -> list[str]:
    db = path / DUCKDB_FILE
    if not db.is_file():
        return [f"{DUCKDB_FILE}: missing"]
    problems = []
    con = duckdb.connect(":memory:")
    try:
        try:
            con.execute(f"ATTACH {_sql_str(str(db))} AS rel (READ_ONLY)")
        except duckdb.Error as exc:
            return [f"{DUCKDB_FILE}: cannot be opened ({exc})"]
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'rel'").fetchall()}
        for name, file in sorted(parquet_files.items()):
            if name not in tables:
                problems.append(f"{DUCKDB_FILE}: table {name} is missing")
                continue
            src = f"read_parquet({_sql_str(str(file))})"
            tbl = f"rel.main.{_ident(name)}"
            try:
                # EXCEPT ALL both ways: equal multisets of rows, whatever their order.
                only_db = con.execute(f"SELECT count(*) FROM (SELECT * FROM {tbl} EXCEPT ALL SELECT * FROM {src})").fetchone()[0]
                only_pq = con.execute(f"SELECT count(*) FROM (SELECT * FROM {src} EXCEPT ALL SELECT * FROM {tbl})").fetchone()[0]
            except duckdb.Error as exc:
                problems.append(f"{DUCKDB_FILE}: table {name} cannot be compared with {file.name} ({str(exc).splitlines()[0]})")
                continue
            if only_db or only_pq:
                problems.append(
                    f"{DUCKDB_FILE}: table {name} differs from {file.name}: "
                    f"{only_db} rows only in {DUCKDB_FILE}, {only_pq} rows only in {file.name}"
                )
    finally:
        con.close()
    return problems


def cli_verify(path: Path) -> int:
    problems = verify_release(Path(path))
    if problems:
        for p in problems:
            print(f"FAIL {p}", file=sys.stderr)
        print(f"{path}: {len(problems)} problem(s); this is not the release as published.", file=sys.stderr)
        return 1
    descriptor = json.loads((Path(path) / DATAPACKAGE).read_text(encoding="utf-8"))
    n = len(descriptor["resources"])
    print(f"OK {path}: release {descriptor.get('version')}, {n} Parquet files match their sha256, sizes, row counts "
          f"and schemas, and {DUCKDB_FILE} holds the same rows.")
    return 0
