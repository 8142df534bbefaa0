"""Assemble published tables from facts and source metadata, with the dtypes the pandera
models in `schemas.tables` declare."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from dxdata.catalogue import CONTRACT_COLUMNS, load_catalogue
from dxdata.model import FACT_TABLES, Fact
from schemas.tables import FACT_TABLE_MODELS, TABLE_MODELS

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
}


def facts_frame(facts: Iterable[Fact | dict]) -> pd.DataFrame:
    """All facts as one frame with the published fact-table columns and dtypes."""
    rows = [f.to_row() if isinstance(f, Fact) else dict(f) for f in facts]
    df = pd.DataFrame(rows, columns=FACT_TABLE_COLUMNS) if rows else pd.DataFrame(columns=FACT_TABLE_COLUMNS)
    df = df[FACT_TABLE_COLUMNS]
    for col, dtype in FACT_DTYPES.items():
        df[col] = df[col].astype(dtype)
    return df


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
    return pd.DataFrame(rows, columns=columns)
