"""Versioned, immutable releases in `warehouse/releases/<version>/`.

A release is published only when every check passed and the tables differ from the newest
release already on disk; the size of the difference picks the semantic version bump (schema ->
major, rows -> minor, descriptions and citations -> patch). The folder is built next to its
final place and renamed into it, so a reader sees either no release or a complete one, and a
published folder is never written again.

Layout of one release (see the README, "Releases"):
  <table>.parquet   one per table, zstd, no timestamps inside, descriptions in field metadata
  changes.parquet   the difference from the previous release, one row per change
  CHANGES.md        the same difference for people
  dx.duckdb         every table, views, COMMENT ON every table and column; storage v1.0.0
  datapackage.json  Frictionless Data Package v2 with sha256 and row count per file (sizes in index.json)

`ref_date` is stored as an ISO 8601 string (YYYY-MM-DD) rather than date32: it is the form the
pandera models validate, it reads back unchanged in pandas, and the diff against an older
release compares like with like. DuckDB users cast it with `ref_date::DATE`.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dxdata import durable, paths
from dxdata.durable import TMP_PREFIX, crash_point, write_text_atomic  # noqa: F401  (re-exported)
from dxdata.model import FACT_TABLES
from schemas.tables import FACT_KEY, TABLE_MODELS, CheckOutcome, describe_columns, frame_digest, table_description, validate_table

if TYPE_CHECKING:
    from dxdata.policy import PublicationPolicy

log = logging.getLogger(__name__)

PACKAGE_NAME = "vietnam-provincial-digital-transformation"
PACKAGE_TITLE = "Vietnam provincial digital transformation indicators"
PACKAGE_DESCRIPTION = (
    "Indicator values on the digital transformation of Vietnam's provinces (IT infrastructure, "
    "e-government, IT workforce, digital enterprises, DTI rankings), each with the sentence or "
    "table row of the source it was taken from."
)
LICENSES = [
    {
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0 International",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    }
]
DATAPACKAGE_PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TABLESCHEMA_PROFILE = "https://datapackage.org/profiles/2.0/tableschema.json"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
# Pinned so that a pyarrow upgrade changing a default does not silently change published bytes.
PARQUET_OPTIONS = {
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": True,
    "write_statistics": True,
    "data_page_version": "1.0",
    "version": "2.6",
}
DUCKDB_STORAGE_VERSION = "v1.0.0"
NULL_AS_PANDAS_PRINTS = ["", "nan"]
# Packaged with the schemas package (pyproject package-data), so installed copies find them too.
VIEWS_DIR = paths.views_dir()

CHANGES_TABLE = "changes"
DATAPACKAGE = "datapackage.json"
DUCKDB_FILE = "dx.duckdb"
CHANGES_MD = "CHANGES.md"
LATEST = "LATEST"
VERSION_RE = re.compile(r"^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})$")

# Columns whose change is a correction of description or attribution, not of data: a release
# differing only there is a patch.
METADATA_COLUMNS: dict[str, frozenset[str]] = {
    "sources": frozenset({"title", "publisher", "original_outlet", "url", "language", "licence", "citation", "supersedes"}),
    "indicators": frozenset({"label_vi", "definition_en"}),
}

CHANGE_COLUMNS = {
    "table": pa.string(),
    "change": pa.string(),
    "key": pa.string(),
    "indicator_id": pa.string(),
    "province_code": pa.string(),
    "province": pa.string(),
    "unit_set": pa.int64(),
    "ref_year": pa.int64(),
    "ref_date": pa.string(),
    "source_id": pa.string(),
    "old_value": pa.float64(),
    "new_value": pa.float64(),
    "columns": pa.string(),
    "detail": pa.string(),
}
CHANGE_DESCRIPTIONS = {
    "table": "Table the change is in",
    "change": "Kind of change: added, removed, changed (data), metadata (description or citation only), "
    "table_added, table_removed, column_added, column_removed, column_retyped",
    "key": "Key of the row in its table, as a JSON array (key columns listed in detail for schema changes)",
    "indicator_id": "Indicator of the row, for tables that have one",
    "province_code": "Province code of the row, for tables that have one",
    "province": "Province name of the row, for tables that have one",
    "unit_set": "Province register of province_code (63 or 34)",
    "ref_year": "Year the value refers to",
    "ref_date": "Date the value refers to (ISO 8601), null for a whole-year value",
    "source_id": "Source document of the row",
    "old_value": "Value in the previous release (null when added)",
    "new_value": "Value in this release (null when removed)",
    "columns": "Columns that differ (changed, metadata) or the column concerned (column_*)",
    "detail": "Old and new type for a retyped column; key columns for a table",
}
CHANGE_KINDS_ORDER = [
    "table_added", "table_removed", "column_added", "column_removed", "column_retyped",
    "added", "removed", "changed", "metadata",
]


class ReleaseBlocked(RuntimeError):
    """A check failed or a table does not validate: nothing was published."""

    def __init__(self, message: str, failed: Sequence[str] = ()):
        super().__init__(message)
        self.failed = list(failed)


class ReleaseError(RuntimeError):
    """The releases folder is in a state we refuse to build on (for instance a damaged release)."""


@dataclass
class ReleaseOutcome:
    version: str | None
    path: Path | None
    bump: str | None  # 'major' | 'minor' | 'patch' | None (nothing published)
    reason: str
    changes: pd.DataFrame = field(repr=False)
    # What was wrong with LATEST, index.json or index.html before this run repaired it.
    repaired: list[str] = field(default_factory=list)


# --- versions ------------------------------------------------------------------------------------


def parse_version(text: str) -> tuple[int, int, int]:
    m = VERSION_RE.fullmatch(text.strip()) if isinstance(text, str) else None
    if not m:
        raise ValueError(f"not a release version (MAJOR.MINOR.PATCH): {text!r}")
    return int(m[1]), int(m[2]), int(m[3])


def bump_version(version: str, bump: str) -> str:
    major, minor, patch = parse_version(version)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise ValueError(f"unknown bump {bump!r}")


def list_versions(releases_dir: Path) -> list[str]:
    """Complete published versions, oldest first: folders named MAJOR.MINOR.PATCH that hold a
    datapackage.json (written before the folder is renamed into place, so a folder without one
    was not made by a publish). Temp folders and anything else are ignored."""
    if not releases_dir.is_dir():
        return []
    found = [p.name for p in releases_dir.iterdir()
             if p.is_dir() and VERSION_RE.fullmatch(p.name) and (p / DATAPACKAGE).is_file()]
    return sorted(found, key=parse_version)


def latest_version(releases_dir: Path) -> str | None:
    """The newest published version: the highest complete version folder, whatever LATEST says.
    The two differ only after a crash between the rename and the LATEST update (or after someone
    edited LATEST); building on the older one would reuse a version number that is taken, and
    uploading it would publish a stale release."""
    versions = list_versions(releases_dir)
    return versions[-1] if versions else None


def read_latest(releases_dir: Path) -> str | None:
    """The version LATEST names, or None when it is missing or does not name a version (such as
    a path like ../../etc): its content is never used as a path before this check."""
    try:
        text = (releases_dir / LATEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        parse_version(text)
    except ValueError:
        return None
    return text.strip()


# --- table preparation ---------------------------------------------------------------------------


def _arrow_type(dtype: str) -> pa.DataType | None:
    d = dtype.lower()
    if d in ("str", "string", "string[python]", "string[pyarrow]", "object"):
        return pa.string()
    if d in ("int64", "int32", "int16", "int8"):
        return pa.int64()
    if d in ("float64", "float32"):
        return pa.float64()
    if d in ("bool", "boolean"):
        return pa.bool_()
    if d in ("date", "date32[day]"):
        return pa.date32()
    m = re.fullmatch(r"datetime64\[\w+, (?P<tz>[^\]]+)\]", dtype)
    if m:
        # Milliseconds (Parquet has no seconds unit, so "s" would read back as "ms" and look
        # retyped), with the zone the model names; DuckDB reads it as TIMESTAMP WITH TIME ZONE.
        return pa.timestamp("ms", tz=m["tz"])
    return None


def _column_array(series: pd.Series, typ: pa.DataType | None) -> pa.Array:
    if typ is None:
        return pa.array(series, from_pandas=True)
    if pa.types.is_string(typ):
        values = [None if pd.isna(v) else str(v) for v in series.astype(object)]
        return pa.array(values, type=typ)
    if pa.types.is_integer(typ):
        return pa.array(pd.to_numeric(series).astype("Int64"), type=typ)
    if pa.types.is_floating(typ):
        return pa.array(pd.to_numeric(series).astype("Float64"), type=typ)
    if pa.types.is_boolean(typ):
        return pa.array(series.astype("boolean"), type=typ)
    if pa.types.is_timestamp(typ):
        stamps = pd.to_datetime(series, utc=True).dt.tz_convert(typ.tz)
        return pa.array(stamps, type=pa.timestamp("ns", tz=typ.tz), from_pandas=True).cast(typ)
    return pa.array(series, type=typ, from_pandas=True)


def field_metadata(column: dict) -> dict[bytes, bytes]:
    meta = {b"description": column["description"].encode()}
    if column.get("unit"):
        meta[b"unit"] = str(column["unit"]).encode()
    return meta


def to_arrow(name: str, df: pd.DataFrame) -> pa.Table:
    """The table in model column order with model types; descriptions and units as field
    metadata. Fact tables are sorted by their key so that the same facts give the same bytes."""
    model = TABLE_MODELS[name]
    columns = describe_columns(model)
    if name in FACT_TABLES:
        sort = ["indicator_id", "unit_set", "province_code", "ref_year", "ref_date", "source_id"]
        df = df.sort_values(sort, na_position="first", kind="mergesort")
    arrays, fields = [], []
    for col in columns:
        typ = _arrow_type(col["dtype"])
        arr = _column_array(df[col["name"]], typ)
        arrays.append(arr)
        fields.append(pa.field(col["name"], arr.type, nullable=col["nullable"], metadata=field_metadata(col)))
    schema = pa.schema(
        fields,
        metadata={b"table": name.encode(), b"description": table_description(model).encode()},
    )
    return pa.Table.from_arrays(arrays, schema=schema)


def changes_arrow(changes: pd.DataFrame) -> pa.Table:
    arrays = [_column_array(changes[c], t) for c, t in CHANGE_COLUMNS.items()]
    fields = [
        pa.field(c, t, nullable=c not in ("table", "change"), metadata={b"description": CHANGE_DESCRIPTIONS[c].encode()})
        for c, t in CHANGE_COLUMNS.items()
    ]
    schema = pa.schema(fields, metadata={b"table": CHANGES_TABLE.encode(), b"description": b"Difference from the previous release"})
    return pa.Table.from_arrays(arrays, schema=schema)


def write_parquet(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, **PARQUET_OPTIONS)


# --- diff ----------------------------------------------------------------------------------------

_PANDAS_TYPES = {
    pa.string(): pd.StringDtype(),
    pa.large_string(): pd.StringDtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.float64(): pd.Float64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


def arrow_to_pandas(table: pa.Table) -> pd.DataFrame:
    """Nullable pandas dtypes for both sides of a diff, so that a null compares as null."""
    return table.to_pandas(types_mapper=_PANDAS_TYPES.get)


def _type_label(f: pa.Field) -> str:
    return f"{f.type}{'' if f.nullable else ' not null'}"


def schema_changes(old: Mapping[str, pa.Schema], new: Mapping[str, pa.Schema]) -> list[dict]:
    """Tables and columns added, removed or retyped between two sets of table schemas."""
    out: list[dict] = []
    for t in sorted(set(new) - set(old)):
        out.append({"table": t, "change": "table_added"})
    for t in sorted(set(old) - set(new)):
        out.append({"table": t, "change": "table_removed"})
    for t in sorted(set(old) & set(new)):
        o = {f.name: f for f in old[t]}
        n = {f.name: f for f in new[t]}
        for c in [c for c in n if c not in o]:
            out.append({"table": t, "change": "column_added", "columns": c, "detail": _type_label(n[c])})
        for c in [c for c in o if c not in n]:
            out.append({"table": t, "change": "column_removed", "columns": c, "detail": _type_label(o[c])})
        for c in [c for c in n if c in o and _type_label(n[c]) != _type_label(o[c])]:
            out.append({"table": t, "change": "column_retyped", "columns": c, "detail": f"{_type_label(o[c])} -> {_type_label(n[c])}"})
    return out


# A conflict row is one source's value in one disagreement (a source can give a dated and a
# whole-year value to the same comparison).
CONFLICT_KEY = ["conflict_id", "source_id", "ref_date"]


def key_columns(table: str, old: pd.DataFrame | None, new: pd.DataFrame) -> list[str]:
    cols = list(new.columns)
    if table in FACT_TABLES and all(c in cols for c in FACT_KEY):
        return list(FACT_KEY)
    if table == "conflicts" and all(c in cols for c in CONFLICT_KEY):
        return list(CONFLICT_KEY)
    first = cols[0]
    if new[first].is_unique and (old is None or (first in old.columns and old[first].is_unique)):
        return [first]
    return cols


def _json_values(column: pd.Series) -> pd.Series:
    """Each value of a column as JSON (null for a missing value), encoding each distinct value once."""
    distinct = column.dropna().unique()
    encoded = {v: json.dumps(v.item() if hasattr(v, "item") else v, ensure_ascii=False) for v in distinct}
    return column.map(encoded).astype(object).where(column.notna(), "null")


def _key_strings(df: pd.DataFrame, cols: list[str]) -> pd.Series:
    """The key of every row as a JSON array, built column by column (no loop over rows)."""
    out = pd.Series("[", index=df.index, dtype=object)
    for i, c in enumerate(cols):
        out = out + ("" if i == 0 else ", ") + _json_values(df[c])
    return out + "]"


DESCRIBED_COLUMNS = ("indicator_id", "province_code", "province", "unit_set", "ref_year", "ref_date", "source_id")


def _described(df: pd.DataFrame, keys: pd.Series, **extra) -> pd.DataFrame:
    """Change records for the rows of `df` (aligned with `keys`): their describing columns, key and `extra`."""
    out = pd.DataFrame({c: df[c].to_numpy() for c in DESCRIBED_COLUMNS if c in df.columns}, index=range(len(df)))
    out["key"] = keys.to_numpy()
    for name, value in extra.items():
        out[name] = value.to_numpy() if isinstance(value, pd.Series) else value
    return out


def row_changes_frame(table: str, old: pd.DataFrame | None, new: pd.DataFrame) -> pd.DataFrame:
    """Rows added, removed and changed in one table, compared on the columns both sides have,
    as change records (one per row), computed with joins on the key and column-wise comparisons."""
    has_value = "value" in new.columns and (old is None or "value" in old.columns)

    def values(df: pd.DataFrame) -> pd.Series | None:
        return df["value"].astype("Float64") if has_value else None

    if old is None:
        keys = key_columns(table, None, new)
        return _described(new, _key_strings(new, keys), table=table, change="added", new_value=values(new))
    common = [c for c in new.columns if c in old.columns]
    keys = [c for c in key_columns(table, old, new) if c in common] or common
    old_k = old[common].set_axis(_key_strings(old, keys).to_numpy())
    new_k = new[common].set_axis(_key_strings(new, keys).to_numpy())
    added = new_k[~new_k.index.isin(old_k.index)]
    removed = old_k[~old_k.index.isin(new_k.index)]
    parts = [
        _described(added, added.index.to_series(), table=table, change="added", new_value=values(added)),
        _described(removed, removed.index.to_series(), table=table, change="removed", old_value=values(removed)),
    ]
    b = new_k[new_k.index.isin(old_k.index)]
    a = old_k.loc[b.index]
    compared = [c for c in common if c not in keys]
    if len(b) and compared:
        differs = pd.DataFrame({c: ~_same(a[c], b[c]).to_numpy() for c in compared}, index=b.index)
        hit = differs.any(axis=1).to_numpy()
        if hit.any():
            differs, a, b = differs[hit], a[hit], b[hit]
            names = pd.Series("", index=differs.index, dtype=object)
            for c in compared:
                names = names + np.where(differs[c].to_numpy(), c + ",", "")
            metadata_only = frozenset(METADATA_COLUMNS.get(table, frozenset()))
            data_cols = [c for c in compared if c not in metadata_only]
            kind = np.where(differs[data_cols].any(axis=1).to_numpy() if data_cols else False, "changed", "metadata")
            parts.append(_described(
                b, b.index.to_series(), table=table, change=kind, columns=names.str.rstrip(","),
                old_value=values(a), new_value=values(b),
            ))
    return pd.concat([p for p in parts if len(p)] or [parts[0]], ignore_index=True)


def row_changes(table: str, old: pd.DataFrame | None, new: pd.DataFrame) -> list[dict]:
    """`row_changes_frame` as a list of dicts (missing values as None)."""
    df = row_changes_frame(table, old, new)
    return df.astype(object).where(df.notna(), None).to_dict("records")


def _same(a: pd.Series, b: pd.Series) -> pd.Series:
    eq = (a == b).fillna(False).astype(bool)
    return eq | (a.isna() & b.isna())


def _stack_changes(records: list[dict], frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Schema change records and row change frames as one frame (empty parts left out)."""
    parts = [pd.DataFrame(records, columns=list(CHANGE_COLUMNS)), *frames]
    parts = [p.dropna(axis=1, how="all") for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(CHANGE_COLUMNS))


def changes_frame(records: list[dict] | pd.DataFrame) -> pd.DataFrame:
    if isinstance(records, pd.DataFrame):
        df = records.reindex(columns=list(CHANGE_COLUMNS))
    else:
        df = pd.DataFrame.from_records(records, columns=list(CHANGE_COLUMNS))
    for c, t in CHANGE_COLUMNS.items():
        df[c] = df[c].astype("Int64" if pa.types.is_integer(t) else "Float64" if pa.types.is_floating(t) else "string")
    order = {k: i for i, k in enumerate(CHANGE_KINDS_ORDER)}
    df = df.assign(_o=df["change"].map(order)).sort_values(["table", "_o", "key", "columns"], na_position="first", kind="mergesort")
    return df.drop(columns="_o").reset_index(drop=True)


# --- metadata ------------------------------------------------------------------------------------


def _frictionless_type(t: pa.DataType) -> str:
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "string"
    if pa.types.is_integer(t):
        return "integer"
    if pa.types.is_floating(t):
        return "number"
    if pa.types.is_boolean(t):
        return "boolean"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_timestamp(t):
        return "datetime"
    return "any"


def _constraints(model, column: str) -> dict:
    col = model.to_schema().columns[column]
    out: dict = {}
    if not col.nullable:
        out["required"] = True
    if col.unique:
        out["unique"] = True
    for check in col.checks:
        stats = check.statistics or {}
        if check.name == "isin":
            out["enum"] = list(stats["allowed_values"])
        elif check.name == "str_matches":
            out["pattern"] = str(stats["pattern"])
        elif check.name == "greater_than_or_equal_to":
            out["minimum"] = stats["min_value"]
        elif check.name == "less_than_or_equal_to":
            out["maximum"] = stats["max_value"]
        elif check.name == "in_range":
            out["minimum"], out["maximum"] = stats["min_value"], stats["max_value"]
    return out


def table_schema(name: str, table: pa.Table) -> dict:
    """Frictionless Table Schema of a published table, from the pandera model and Arrow types."""
    model = TABLE_MODELS.get(name)
    fields = []
    for f in table.schema:
        meta = {k.decode(): v.decode() for k, v in (f.metadata or {}).items()}
        entry = {"name": f.name, "type": _frictionless_type(f.type), "description": meta.get("description", "")}
        if "unit" in meta:
            entry["unit"] = meta["unit"]
        constraints = _constraints(model, f.name) if model is not None else ({} if f.nullable else {"required": True})
        if constraints:
            entry["constraints"] = constraints
        if f.nullable and entry["type"] in ("integer", "number"):
            # Readers that go through pandas (frictionless's own Parquet reader among them) turn
            # a null of a numeric column into the float NaN, which they then print as "nan".
            entry["missingValues"] = NULL_AS_PANDAS_PRINTS
        fields.append(entry)
    schema: dict = {"$schema": TABLESCHEMA_PROFILE, "fields": fields}
    names = [f.name for f in table.schema]
    if name in FACT_TABLES:
        # ref_date is null for whole-year values, which a primary key may not be.
        schema["uniqueKeys"] = [list(FACT_KEY)]
    elif model is not None and model.to_schema().columns[names[0]].unique:
        schema["primaryKey"] = [names[0]]
    return schema


def _foreign_keys(name: str, table_names: set[str]) -> list[dict]:
    out = []
    if name in FACT_TABLES or name == "conflicts":
        if "indicators" in table_names:
            out.append({"fields": ["indicator_id"], "reference": {"resource": "indicators", "fields": ["indicator_id"]}})
        if "sources" in table_names:
            out.append({"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}})
    return out


def package_sources(sources: pd.DataFrame | None) -> list[dict]:
    if sources is None:
        return []
    out = []
    # Only the columns read below: turning all of them into dicts cost more than the loop.
    used = [c for c in ("title", "url", "path", "citation", "source_id") if c in sources.columns]
    for row in sources[used].to_dict("records"):
        url = row.get("url")
        first_url = str(url).split()[0] if isinstance(url, str) and url.strip() else None
        entry = {"title": row["title"], "path": first_url or f"sources/{row['path']}"}
        if row.get("citation"):
            entry["citation"] = row["citation"]
        entry["source_id"] = row["source_id"]
        out.append(entry)
    return out


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def resource_entry(name: str, path: Path, table: pa.Table, table_names: set[str], description: str) -> dict:
    entry = {
        "name": name,
        "type": "table",
        "path": path.name,
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "description": description,
        # No "bytes": frictionless reads Parquet through pyarrow, never as a byte stream, so it
        # cannot count them and `frictionless validate` would fail every resource. The sha256
        # (which frictionless skips for the same reason) is checked by `dxdata verify`, and
        # index.json gives every file's size.
        "hash": f"sha256:{sha256_file(path)}",
        "rows": table.num_rows,
        "schema": table_schema(name, table),
    }
    fks = _foreign_keys(name, table_names)
    if fks:
        entry["schema"]["foreignKeys"] = fks
    return entry


def metadata_projection(descriptor: dict) -> dict:
    """The parts of a datapackage that describe rather than hold data: what a patch release changes."""
    return {
        "title": descriptor.get("title"),
        "description": descriptor.get("description"),
        "licenses": descriptor.get("licenses"),
        "sources": descriptor.get("sources"),
        # The policy's settings and rules; its counts of facts follow the rows, which are compared apart.
        "publication_policy": {
            k: v for k, v in ((descriptor.get("dxdata") or {}).get("publication_policy") or {}).items() if k != "facts_by_review"
        },
        "resources": {
            r["name"]: {"description": r.get("description"), "schema": r.get("schema")}
            for r in descriptor.get("resources", [])
            if r["name"] != CHANGES_TABLE
        },
    }


# --- previous release ----------------------------------------------------------------------------


@dataclass
class PreviousRelease:
    version: str
    path: Path
    descriptor: dict

    def table_names(self) -> list[str]:
        return [r["name"] for r in self.descriptor["resources"] if r["name"] != CHANGES_TABLE]

    def schema(self, name: str) -> pa.Schema:
        return self._read(name, pq.read_schema)

    def frame(self, name: str) -> pd.DataFrame:
        return arrow_to_pandas(self._read(name, pq.read_table))

    def _read(self, name: str, reader):
        path = self.path / f"{name}.parquet"
        try:
            return reader(path)
        except Exception as exc:  # pyarrow raises several types for missing or damaged files
            raise ReleaseError(
                f"{path}: cannot read the previous release to compare with ({exc}); run `dxdata verify {self.path}`"
            ) from exc


def load_previous(releases_dir: Path) -> PreviousRelease | None:
    version = latest_version(releases_dir)
    if version is None:
        return None
    path = releases_dir / version
    dp = path / DATAPACKAGE
    try:
        descriptor = json.loads(dp.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReleaseError(f"{dp}: cannot read the previous release's descriptor ({exc}); run `dxdata verify {path}`") from exc
    return PreviousRelease(version, path, descriptor)


# --- DuckDB --------------------------------------------------------------------------------------


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def wide_view_sql(theme: str, indicator_ids: list[str]) -> str:
    """A row per province and year, a column per indicator of the theme, from `current_facts`
    (one value per period, chosen by precedence). When a year has several dated values of one
    indicator, the latest date wins; a whole-year value counts as of 31 December."""
    short = [i.split(".", 1)[-1] for i in indicator_ids]
    names = short if len(set(short)) == len(short) else indicator_ids
    cols = ",\n  ".join(
        f"max(value) FILTER (WHERE indicator_id = {_sql_str(i)}) AS {_ident(n)}" for i, n in zip(indicator_ids, names)
    )
    return (
        f"CREATE VIEW {_ident(theme + '_wide')} AS\n"
        f"WITH picked AS (\n"
        f"  SELECT * FROM current_facts WHERE theme = {_sql_str(theme)}\n"
        f"  QUALIFY row_number() OVER (PARTITION BY indicator_id, province_code, unit_set, ref_year\n"
        f"    ORDER BY coalesce(ref_date, ref_year::VARCHAR || '-12-31') DESC) = 1)\n"
        f"SELECT province_code, province, unit_set, ref_year{',' if cols else ''}\n  {cols}\n"
        f"FROM picked GROUP BY province_code, province, unit_set, ref_year\n"
        f"ORDER BY unit_set, province_code, ref_year"
    )


def run_view_files(con: duckdb.DuckDBPyConnection, views_dir: Path) -> list[str]:
    """Execute every *.sql file in name order. Every view is part of the release's contract, so a
    file whose tables are missing is an error naming the file and the missing table, never a
    release without that view; any other error names the file too."""
    created = []
    for sql_file in sorted(views_dir.glob("*.sql")) if views_dir.is_dir() else []:
        sql = sql_file.read_text(encoding="utf-8")
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
        except duckdb.CatalogException as exc:
            con.execute("ROLLBACK")
            first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ReleaseError(f"{sql_file}: the view needs a table or view this release lacks ({first_line})") from exc
        except duckdb.Error as exc:
            con.execute("ROLLBACK")
            raise ReleaseError(f"{sql_file}: {exc}") from exc
        con.execute("COMMIT")
        created.append(sql_file.stem)
    return created


def duckdb_views(con: duckdb.DuckDBPyConnection, database: str) -> dict[str, dict]:
    """Every view of a database with the sha256 of its SQL and its comment: what the descriptor
    declares and `dxdata verify` compares."""
    rows = con.execute(
        "SELECT view_name, sql, comment FROM duckdb_views() WHERE database_name = ? AND NOT internal ORDER BY view_name",
        [database],
    ).fetchall()
    return {name: {"sha256": hashlib.sha256((sql or "").encode()).hexdigest(), "comment": comment} for name, sql, comment in rows}


def build_duckdb(folder: Path, table_names: list[str], views_dir: Path = VIEWS_DIR) -> dict[str, dict]:
    """dx.duckdb from the Parquet files already in the folder, so both hold the same rows.
    Returns its views (see duckdb_views)."""
    db_path = folder / DUCKDB_FILE
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH {_sql_str(str(db_path))} AS rel (STORAGE_VERSION {_sql_str(DUCKDB_STORAGE_VERSION)})")
        con.execute("USE rel")
        for name in table_names:
            pq_path = folder / f"{name}.parquet"
            schema = pq.read_schema(pq_path)
            con.execute(f"CREATE TABLE {_ident(name)} AS SELECT * FROM read_parquet({_sql_str(str(pq_path))})")
            desc = (schema.metadata or {}).get(b"description", b"").decode()
            con.execute(f"COMMENT ON TABLE {_ident(name)} IS {_sql_str(desc)}")
            for f in schema:
                meta = {k.decode(): v.decode() for k, v in (f.metadata or {}).items()}
                text = meta.get("description", "")
                if meta.get("unit"):
                    text += f" (unit: {meta['unit']})"
                con.execute(f"COMMENT ON COLUMN {_ident(name)}.{_ident(f.name)} IS {_sql_str(text)}")
                if not f.nullable:
                    con.execute(f"ALTER TABLE {_ident(name)} ALTER COLUMN {_ident(f.name)} SET NOT NULL")
        created = run_view_files(con, views_dir)
        if "indicators" in table_names and not any(name.endswith("current_facts") for name in created):
            # A release without its views is incomplete: an error, as for the view files.
            raise ReleaseError(f"{views_dir}: the wide views read current_facts, which no view file creates")
        if "indicators" in table_names:
            catalogue = con.execute("SELECT indicator_id, theme FROM indicators").fetchall()
            for theme in [t for t in FACT_TABLES if t in table_names]:
                ids = [i for i, th in catalogue if th == theme]
                con.execute(wide_view_sql(theme, ids))
                con.execute(
                    f"COMMENT ON VIEW {_ident(theme + '_wide')} IS "
                    + _sql_str(f"Table {theme} wide: a row per province and year, a column per indicator (id without the theme prefix)")
                )
        con.execute("CHECKPOINT rel")
        con.execute("USE memory")
        con.execute("DETACH rel")
        # Read back from the file: DuckDB rewrites a view's SQL when it loads it, and the
        # descriptor must declare the form any later reader (`dxdata verify`) sees.
        con.execute(f"ATTACH {_sql_str(str(db_path))} AS rel (READ_ONLY)")
        views = duckdb_views(con, "rel")
        con.execute("DETACH rel")
    finally:
        con.close()
    return views


# --- notes ---------------------------------------------------------------------------------------


def _fmt_value(v) -> str:
    if v is None or pd.isna(v):
        return ""
    v = float(v)
    return str(int(v)) if v.is_integer() else repr(v)


def _md(text) -> str:
    return "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text).replace("|", "\\|").replace("\n", " ")


def change_counts(changes: pd.DataFrame, table_names: Sequence[str]) -> dict[str, dict[str, int]]:
    kinds = ["added", "removed", "changed", "metadata"]
    out = {}
    for t in sorted(set(table_names) | set(changes["table"].dropna())):
        sub = changes[changes["table"] == t]
        out[t] = {k: int((sub["change"] == k).sum()) for k in kinds}
    return out


def changes_markdown(version: str, created: str, previous: str | None, bump: str, reason: str,
                     changes: pd.DataFrame, rows: Mapping[str, int]) -> str:
    lines = [f"# Release {version}", "", f"Published {created[:10]}. {reason}", ""]
    if previous is None:
        lines += ["There is no earlier release to compare with.", "",
                  "## Rows per table", "", "| table | rows |", "|---|---:|"]
        lines += [f"| {t} | {n} |" for t, n in sorted(rows.items())]
        return "\n".join(lines) + "\n"
    lines += [f"Compared with release {previous}. Version bump: **{bump}**.", "", "## Counts per table", "",
              "| table | rows | added | removed | changed | metadata only |", "|---|---:|---:|---:|---:|---:|"]
    for t, c in change_counts(changes, list(rows)).items():
        lines.append(f"| {t} | {rows.get(t, 0)} | {c['added']} | {c['removed']} | {c['changed']} | {c['metadata']} |")
    schema = changes[changes["change"].str.startswith(("table_", "column_"))]
    lines += ["", "## Schema changes", ""]
    if schema.empty:
        lines.append("None.")
    else:
        for r in schema.itertuples():
            what = r.change.replace("_", " ")
            lines.append(f"- {r.table}: {what}" + (f" `{r.columns}`" if not pd.isna(r.columns) else "")
                         + (f" ({r.detail})" if not pd.isna(r.detail) else ""))
    rows_changed = changes[changes["change"].isin(["added", "removed", "changed", "metadata"])]
    facts = rows_changed[rows_changed["table"].isin(FACT_TABLES)]
    lines += ["", "## Fact changes", ""]
    if facts.empty:
        lines.append("None.")
    else:
        lines += ["| change | table | indicator | province | year | date | old value | new value | source | columns |",
                  "|---|---|---|---|---:|---|---:|---:|---|---|"]
        for r in facts.itertuples():
            lines.append(
                f"| {r.change} | {r.table} | {_md(r.indicator_id)} | {_md(r.province)} ({_md(r.province_code)}) | "
                f"{_md(r.ref_year)} | {_md(r.ref_date)} | {_fmt_value(r.old_value)} | {_fmt_value(r.new_value)} | "
                f"{_md(r.source_id)} | {_md(r.columns)} |"
            )
    conflicts = rows_changed[rows_changed["table"] == "conflicts"]
    lines += ["", "## Disagreements between sources", ""]
    if conflicts.empty:
        lines.append("None.")
    else:
        lines += ["| change | indicator | province | year | date | source | old value | new value | columns |",
                  "|---|---|---|---:|---|---|---:|---:|---|"]
        for r in conflicts.itertuples():
            lines.append(
                f"| {r.change} | {_md(r.indicator_id)} | {_md(r.province)} ({_md(r.province_code)}) | {_md(r.ref_year)} | "
                f"{_md(r.ref_date)} | {_md(r.source_id)} | {_fmt_value(r.old_value)} | {_fmt_value(r.new_value)} | {_md(r.columns)} |"
            )
    other = rows_changed[~rows_changed["table"].isin([*FACT_TABLES, "conflicts"])]
    lines += ["", "## Other table changes", ""]
    if other.empty:
        lines.append("None.")
    else:
        lines += ["| change | table | row | columns |", "|---|---|---|---|"]
        for r in other.itertuples():
            lines.append(f"| {r.change} | {r.table} | {_md(_key_words(r.key))} | {_md(r.columns)} |")
    return "\n".join(lines) + "\n"


def _key_words(key) -> str:
    """A row key for people: its values joined by " / ", not the JSON array of changes.parquet."""
    try:
        values = json.loads(key)
    except (TypeError, ValueError):
        return "" if key is None or pd.isna(key) else str(key)
    return " / ".join("" if v is None else str(v) for v in values) if isinstance(values, list) else str(values)


# --- publishing ----------------------------------------------------------------------------------


def _publish_lock(releases_dir: Path, timeout: float | None = None):
    """One publisher at a time on a releases folder, so two runs never pick the same version
    number; a second run waits (bounded, saying for whom) or refuses, see durable.exclusive."""
    return durable.exclusive(releases_dir / ".lock", f"publishing into {releases_dir}", timeout=timeout)


def gate(tables: Mapping[str, pd.DataFrame], check_outcomes: Sequence[CheckOutcome],
         validated: Mapping[str, str] | None = None) -> list[str]:
    """Raise ReleaseBlocked naming every failed check and every table that does not validate.

    `validated` maps a table to the digest (`schemas.tables.frame_digest`) of a frame that
    passed its model elsewhere (the pipeline's schema check): a table whose frame has that
    digest is not validated again. Returns the tables validated here."""
    problems: list[str] = []
    failed: list[str] = []
    checked: list[str] = []
    validated = validated or {}
    for outcome in check_outcomes:
        if not outcome.passed:
            n = len(outcome.failing_rows) if outcome.failing_rows is not None else 0
            failed.append(outcome.table)
            problems.append(f"check on {outcome.table} failed ({n} failing rows)")
    for name, df in tables.items():
        if name == CHANGES_TABLE:
            failed.append(name)
            problems.append(f"table name {name!r} is reserved for the release notes")
            continue
        if name not in TABLE_MODELS:
            failed.append(name)
            problems.append(f"table {name!r} has no pandera model in schemas.tables.TABLE_MODELS")
            continue
        if name in validated and frame_digest(df) == validated[name]:
            continue
        checked.append(name)
        outcome = validate_table(name, df)
        if not outcome.passed:
            checks = sorted({str(c) for c in outcome.failures.get("check", pd.Series(dtype=str))})
            failed.append(name)
            problems.append(f"table {name} does not validate: {len(outcome.failing_rows)} failing rows, checks {checks}")
    if not tables:
        problems.append("no tables given")
    if problems:
        raise ReleaseBlocked("release blocked, nothing published: " + "; ".join(problems), failed=sorted(set(failed)))
    return checked


def _describe_bump(bump: str, changes: pd.DataFrame) -> str:
    counts = changes["change"].value_counts().to_dict()
    parts = [f"{n} {k.replace('_', ' ')}" for k in CHANGE_KINDS_ORDER if (n := counts.get(k))]
    rule = {
        "major": "the schema changed (table or column added, removed or retyped)",
        "minor": "rows were added, removed or changed",
        "patch": "only descriptions, citations or licences changed",
    }[bump]
    return f"{bump.capitalize()} release: {rule}; " + ", ".join(parts) + "."


def publish_release(
    tables: dict[str, pd.DataFrame],
    *,
    releases_dir: Path | None = None,
    check_outcomes: Sequence[CheckOutcome] = (),
    validated: Mapping[str, str] | None = None,
    created: datetime | None = None,
    policy: "PublicationPolicy | None" = None,
    lock_timeout: float | None = None,
) -> ReleaseOutcome:
    """Publish `tables` as the next release when every check passed and something changed.
    Either way, leave LATEST, index.json and index.html naming the newest complete release.

    Raises ReleaseBlocked (nothing written) when a check outcome failed or a table does not
    validate against its pandera model (a table whose frame has the digest `validated` gives
    for it passed its model already and is not validated again, see `gate`), durable.LockBusy
    when another run is publishing into the same folder for longer than `lock_timeout` seconds
    (default DXDATA_LOCK_TIMEOUT or 600)."""
    from dxdata.policy import current_policy

    gate(tables, check_outcomes, validated)
    policy_text = (policy or current_policy()).describe()
    releases_dir = Path(releases_dir) if releases_dir is not None else paths.releases_dir()
    releases_dir.mkdir(parents=True, exist_ok=True)
    created_dt = (created or datetime.now(timezone.utc)).astimezone(timezone.utc)
    created_iso = created_dt.replace(microsecond=0).isoformat().replace("+00:00", "Z")

    arrow_tables = {name: to_arrow(name, tables[name]) for name in sorted(tables)}

    from dxdata.site import reconcile_catalogue, write_catalogue

    with _publish_lock(releases_dir, lock_timeout):
        _remove_stale_temp(releases_dir)
        repaired = reconcile_catalogue(releases_dir)
        if repaired:
            log.warning("repaired the release catalogue (an earlier run was interrupted): %s", "; ".join(repaired))
        previous = load_previous(releases_dir)
        new_frames = {n: arrow_to_pandas(t) for n, t in arrow_tables.items()}

        if previous is None:
            records = [{"table": n, "change": "table_added", "detail": ",".join(key_columns(n, None, new_frames[n]))}
                       for n in arrow_tables]
            rows = [row_changes_frame(n, None, new_frames[n]) for n in arrow_tables]
            changes = changes_frame(_stack_changes(records, rows))
            version, bump = "1.0.0", "major"
            reason = "First release: every table and row is new."
        else:
            old_names = previous.table_names()
            old_schemas = {n: previous.schema(n) for n in old_names}
            new_schemas = {n: t.schema for n, t in arrow_tables.items()}
            records = schema_changes(old_schemas, new_schemas)
            rows = [_table_row_changes(previous, n, arrow_tables[n], new_frames[n]) if n in old_schemas
                    else row_changes_frame(n, None, new_frames[n]) for n in arrow_tables]
            for n in [n for n in old_names if n not in arrow_tables]:
                gone = row_changes_frame(n, None, previous.frame(n))
                rows.append(gone.assign(change="removed").rename(columns={"new_value": "old_value"}))
            changes = changes_frame(_stack_changes(records, rows))
            kinds = set(changes["change"])
            new_descriptor_meta = metadata_projection(_descriptor_without_files(arrow_tables, tables, policy_text))
            meta_changed = new_descriptor_meta != metadata_projection(previous.descriptor)
            if kinds & {"table_added", "table_removed", "column_added", "column_removed", "column_retyped"}:
                bump = "major"
            elif kinds & {"added", "removed", "changed"}:
                bump = "minor"
            elif "metadata" in kinds or meta_changed:
                bump = "patch"
            else:
                note = ("; LATEST, index.json and index.html were repaired to name it (an earlier run was interrupted)"
                        if repaired else "")
                return ReleaseOutcome(
                    None, None, None,
                    f"no change against release {previous.version}: tables, schemas and metadata are identical; "
                    f"nothing published{note}",
                    changes, repaired,
                )
            version = bump_version(previous.version, bump)
            reason = _describe_bump(bump, changes) if len(changes) else f"{bump.capitalize()} release: descriptions or licences changed."

        final = releases_dir / version
        if final.exists():
            raise ReleaseError(f"{final} already exists; a published release is never rewritten")
        tmp = releases_dir / f"{TMP_PREFIX}{version}-{uuid.uuid4().hex}"
        tmp.mkdir()
        try:
            _build_folder(tmp, version, created_iso, bump, reason, previous.version if previous else None,
                          arrow_tables, tables, changes, policy_text)
            # Power loss after the rename must not leave a renamed but empty folder: the files
            # and both folders' entries reach the disk before the rename, the rename after it.
            durable.fsync_tree(tmp)
            durable.fsync_dir(releases_dir)
            crash_point("release folder: synced")
            os.rename(tmp, final)
            crash_point("release folder: renamed")
            durable.fsync_dir(releases_dir)
            crash_point("releases folder: synced")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        write_catalogue(releases_dir)
    log.info("published release %s at %s (%s)", version, final, reason)
    return ReleaseOutcome(version, final, bump, reason, changes, repaired)


def _table_row_changes(previous: PreviousRelease, name: str, table: pa.Table, frame: pd.DataFrame) -> pd.DataFrame:
    """`row_changes_frame` of one table against the previous release; none, without comparing
    row by row, when the table's column names, types and values are those of the previous one
    (most tables of a run that added or changed a few sources)."""
    old = previous._read(name, pq.read_table)
    if old.schema.names == table.schema.names and old.equals(table, check_metadata=False):
        return row_changes_frame(name, None, frame.iloc[0:0])
    return row_changes_frame(name, arrow_to_pandas(old), frame)


def review_counts(tables: Mapping[str, pd.DataFrame]) -> dict[str, int]:
    """Published fact rows per review status (reviewed, automatic, transcribed), over the fact tables."""
    counts: dict[str, int] = {}
    for name in FACT_TABLES:
        df = tables.get(name)
        if df is not None and "review" in df.columns:
            for status, n in df["review"].value_counts().items():
                counts[str(status)] = counts.get(str(status), 0) + int(n)
    return dict(sorted(counts.items()))


def _remove_stale_temp(releases_dir: Path) -> None:
    # Under the publish lock no other build is running, so any temp folder is a crash's leftover.
    for p in releases_dir.glob(f"{TMP_PREFIX}*"):
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)


def _descriptor_without_files(arrow_tables: Mapping[str, pa.Table], tables: Mapping[str, pd.DataFrame], policy: dict) -> dict:
    names = set(arrow_tables)
    return {
        "dxdata": {"publication_policy": policy},
        "title": PACKAGE_TITLE,
        "description": PACKAGE_DESCRIPTION,
        "licenses": LICENSES,
        "sources": package_sources(tables.get("sources")),
        "resources": [
            {"name": n, "description": table_description(TABLE_MODELS[n]),
             "schema": _with_fks(table_schema(n, t), n, names)}
            for n, t in arrow_tables.items()
        ],
    }


def _with_fks(schema: dict, name: str, names: set[str]) -> dict:
    fks = _foreign_keys(name, names)
    if fks:
        schema["foreignKeys"] = fks
    return schema


def _build_folder(folder: Path, version: str, created: str, bump: str, reason: str, previous: str | None,
                  arrow_tables: Mapping[str, pa.Table], tables: Mapping[str, pd.DataFrame], changes: pd.DataFrame,
                  policy: dict) -> None:
    names = set(arrow_tables)
    resources = []
    for name, table in arrow_tables.items():
        path = folder / f"{name}.parquet"
        write_parquet(table, path)
        crash_point(f"{path.name}: written")
        resources.append(resource_entry(name, path, table, names, table_description(TABLE_MODELS[name])))
    changes_table = changes_arrow(changes)
    changes_path = folder / f"{CHANGES_TABLE}.parquet"
    write_parquet(changes_table, changes_path)
    crash_point(f"{changes_path.name}: written")
    resources.append(resource_entry(CHANGES_TABLE, changes_path, changes_table, names,
                                    f"Difference from the previous release{f' ({previous})' if previous else ' (first release: every row added)'}"))
    rows = {n: t.num_rows for n, t in arrow_tables.items()}
    (folder / CHANGES_MD).write_text(changes_markdown(version, created, previous, bump, reason, changes, rows), encoding="utf-8")
    crash_point(f"{CHANGES_MD}: written")
    # From the written Parquet files, so the database cannot disagree with them; before the
    # descriptor, which records its hash and views.
    views = build_duckdb(folder, list(arrow_tables))
    crash_point(f"{DUCKDB_FILE}: written")
    descriptor = {
        "$schema": DATAPACKAGE_PROFILE,
        "name": PACKAGE_NAME,
        "title": PACKAGE_TITLE,
        "description": PACKAGE_DESCRIPTION,
        "version": version,
        "created": created,
        "licenses": LICENSES,
        "sources": package_sources(tables.get("sources")),
        "resources": resources,
        "dxdata": {
            "previous": previous,
            "bump": bump,
            "reason": reason,
            "changes": change_counts(changes, list(arrow_tables)),
            "duckdb": {"path": DUCKDB_FILE, "storage_version": DUCKDB_STORAGE_VERSION, "views": views},
            # The files that are not resources, so `dxdata verify` checks every file it ships.
            "files": {n: f"sha256:{sha256_file(folder / n)}" for n in (CHANGES_MD, DUCKDB_FILE)},
            "publication_policy": {**policy, "facts_by_review": review_counts(tables)},
        },
    }
    (folder / DATAPACKAGE).write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    crash_point(f"{DATAPACKAGE}: written")
