"""Metadata that makes an asset or a check explain itself in the UI: row counts, the column
schema (from the pandera models, the single source of truth), a preview and source URLs."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
from dagster import MetadataValue, TableColumn, TableColumnConstraints, TableSchema

PREVIEW_ROWS = 10
CELL_WIDTH = 60


def _cell(value) -> str:
    if value is None or (not isinstance(value, (list, dict)) and pd.isna(value)):
        return ""
    text = " ".join(str(value).split())
    if len(text) > CELL_WIDTH:
        text = text[: CELL_WIDTH - 1] + "…"
    # A pipe would end the markdown cell.
    return text.replace("|", "\\|")


def markdown_table(df: pd.DataFrame, rows: int = PREVIEW_ROWS, columns: list[str] | None = None) -> str:
    """The first rows of a frame as a markdown table, long cells shortened."""
    if df.empty:
        return "_no rows_"
    head = df.head(rows)
    if columns:
        head = head[[c for c in columns if c in head.columns]]
    names = [str(c) for c in head.columns]
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    for record in head.itertuples(index=False):
        lines.append("| " + " | ".join(_cell(v) for v in record) + " |")
    if len(df) > rows:
        lines.append(f"\n_{len(df) - rows} more rows_")
    return "\n".join(lines)


@lru_cache(maxsize=None)
def column_schema(model) -> TableSchema:
    """Dagster's column schema for a pandera DataFrameModel (names, dtypes, nullability,
    descriptions with units). Built once per model: every table's materialisation carries it,
    and building it (pandera's `to_schema`) is not free."""
    from schemas.tables import describe_columns

    columns = []
    for col in describe_columns(model):
        description = col["description"]
        if col.get("unit"):
            description = f"{description} (unit: {col['unit']})"
        columns.append(
            TableColumn(
                name=col["name"],
                type=col["dtype"],
                description=description or None,
                constraints=TableColumnConstraints(nullable=col["nullable"]),
            )
        )
    return TableSchema(columns=columns)


def model_for(table: str):
    from schemas.tables import TABLE_MODELS

    return TABLE_MODELS.get(table)


def definition_metadata(table: str) -> dict:
    """Metadata known before anything runs: the column schema of the table's model."""
    model = model_for(table)
    return {"dagster/column_schema": column_schema(model)} if model is not None else {}


def table_metadata(table: str, df: pd.DataFrame, source_urls: list[str] | None = None) -> dict:
    meta = {
        "dagster/row_count": MetadataValue.int(len(df)),
        "preview": MetadataValue.md(markdown_table(df)),
        **definition_metadata(table),
    }
    if source_urls is not None:
        meta["source_urls"] = MetadataValue.md("\n".join(f"- {u}" for u in source_urls) or "_none_")
    return meta


def urls_of(sources: pd.DataFrame, source_ids) -> list[str]:
    """URLs of the given sources (the `url` column may hold several, space-separated)."""
    if sources is None or sources.empty or "url" not in sources.columns:
        return []
    wanted = sources[sources["source_id"].isin(set(source_ids))]
    # In order of first appearance, each once.
    return wanted["url"].dropna().astype(str).str.split().explode().dropna().drop_duplicates().tolist()
