"""Assemble published tables from facts and source metadata, with the dtypes the pandera
models in `schemas.tables` declare."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

import pandas as pd

from dxdata.catalogue import CONTRACT_COLUMNS, load_catalogue
from dxdata.model import FACT_TABLES, Fact
from schemas.tables import FACT_TABLE_MODELS, PUBLISHED_TZ, TABLE_MODELS

FACT_TABLE_COLUMNS = list(FACT_TABLE_MODELS["infrastructure"].to_schema().columns)
FACT_SORT = ["indicator_id", "unit_set", "province_code", "ref_year", "ref_date", "source_id"]

FACT_DTYPES = {
    "indicator_id": "str",
    "province_code": "str",
    "province": "str",
    "unit_set": "int64",
    "ref_year": "int64",
    "ref_date": "string",
    "value": "float64",
    "unit": "str",
    "qualifier": "str",
    "rank_of": "Int64",
    "source_id": "str",
    "quote": "str",
    "quote_start": "int64",
    "quote_end": "int64",
    "method": "str",
    "confidence": "float64",
    "note": "string",
    "review": "str",
}


def facts_frame(facts: Iterable[Fact | dict]) -> pd.DataFrame:
    """All facts as one frame with the published fact-table columns and dtypes."""
    rows = [f.to_row() if isinstance(f, Fact) else dict(f) for f in facts]
    for row in rows:
        if row.get("review") is None:
            row["review"] = default_review(row.get("method"))
    df = pd.DataFrame(rows, columns=FACT_TABLE_COLUMNS) if rows else pd.DataFrame(columns=FACT_TABLE_COLUMNS)
    df = df[FACT_TABLE_COLUMNS]
    for col, dtype in FACT_DTYPES.items():
        df[col] = df[col].astype(dtype)
    return df


def default_review(method: str | None) -> str:
    """The review status of a fact that did not pass through the publication policy
    (dxdata.policy): a transcribed table's, else an automatic extraction's."""
    from dxdata.model import METHOD_OFFICIAL_TABLE, METHOD_PRESS_TABLE
    from dxdata.policy import AUTOMATIC, TRANSCRIBED

    return TRANSCRIBED if method in (METHOD_OFFICIAL_TABLE, METHOD_PRESS_TABLE) else AUTOMATIC


def split_fact_tables(facts: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """One frame per theme, sorted by key so that the same facts give the same files."""
    catalogue = load_catalogue()
    theme = facts["indicator_id"].map({i: row["theme"] for i, row in catalogue.items()})
    unknown = facts.loc[theme.isna(), "indicator_id"].unique().tolist()
    if unknown:
        raise ValueError(f"facts with indicator_id not in the catalogue: {unknown}")
    out = {}
    for name in FACT_TABLES:
        part = facts[theme == name]
        out[name] = part.sort_values(FACT_SORT, na_position="first", kind="mergesort").reset_index(drop=True)
    return out


def indicators_frame() -> pd.DataFrame:
    rows = [{c: row[c] for c in CONTRACT_COLUMNS} for row in load_catalogue().values()]
    return pd.DataFrame(rows, columns=list(CONTRACT_COLUMNS)).sort_values("indicator_id").reset_index(drop=True)


def frame_for(name: str, rows: list[dict]) -> pd.DataFrame:
    """A frame with exactly the columns of the named table's model, in model order."""
    columns = list(TABLE_MODELS[name].to_schema().columns)
    if name == "sources":
        rows = [published_fields(r) for r in rows]
    df = pd.DataFrame(rows, columns=columns)
    if name == "sources":
        df["published_at"] = pd.to_datetime(df["published_at"], utc=True).dt.tz_convert(PUBLISHED_TZ)
        df["published_precision"] = df["published_precision"].astype("string")
    return df


# As sources write a publication date: a year, a month, a day, or a time with its UTC offset.
_PARTIAL_DATE = {"year": re.compile(r"^\d{4}$"), "month": re.compile(r"^\d{4}-\d{2}$"), "day": re.compile(r"^\d{4}-\d{2}-\d{2}$")}


def published_fields(row: dict) -> dict:
    """The row with `published_at` as an aware datetime and `published_precision` saying how much
    of it the source gave, whatever form the sidecar or compiled table used. A time of exactly
    00:00 counts as a day: sidecars write it when the page shows no time."""
    value = row.get("published_at")
    if isinstance(value, datetime) or (value is not None and not isinstance(value, str)):
        return {**row, "published_precision": row.get("published_precision")}
    if not value:
        return {**row, "published_at": None, "published_precision": None}
    text = value.strip()
    for precision, pattern in _PARTIAL_DATE.items():
        if pattern.match(text):
            first = text + {"year": "-01-01", "month": "-01", "day": ""}[precision]
            try:
                start = datetime.fromisoformat(first)
            except ValueError:
                break  # "2021-13": reported below as not a date
            return {**row, "published_at": pd.Timestamp(start).tz_localize(PUBLISHED_TZ), "published_precision": precision}
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"source {row.get('source_id')!r}: published_at {value!r} is not an ISO 8601 date or time") from None
    if when.tzinfo is None:
        raise ValueError(f"source {row.get('source_id')!r}: published_at {value!r} has no UTC offset (expected +07:00)")
    precision = "day" if (when.hour, when.minute, when.second) == (0, 0, 0) else "minute"
    return {**row, "published_at": pd.Timestamp(when).tz_convert(PUBLISHED_TZ), "published_precision": precision}
