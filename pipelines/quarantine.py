"""Which extracted facts are held back from a release, and why.

A fact extracted from an article that breaks a row-level rule of its table's pandera model (a
percentage over 100, a rank outside its ranking, an indicator the catalogue does not know, ...)
is quarantined: left out of the published tables and listed with the rules it breaks in the
review queue (`warehouse/review/quarantined.parquet`) and in the metadata of the `facts` asset's
`article_rows_valid` check. One bad sentence in one article then never blocks every other source.

What still blocks the release is what is wrong with a table rather than with one extracted row:
duplicate keys, a column of the wrong type or missing, and any failure in the transcribed
official and press tables (they are never quarantined). The tables' own blocking schema checks
see to that, after this split.
"""

from __future__ import annotations

import pandas as pd

from dxdata.catalogue import load_catalogue
from dxdata.model import FACT_TABLES

# Checks that judge the table as a whole, not one row: their failures are never quarantined.
TABLE_LEVEL_CHECKS = frozenset({"key_unique"})
REASON = "reason"
UNKNOWN_INDICATOR = "indicator_in_catalogue_theme (indicator not in the catalogue)"


def _reasons(failures: pd.DataFrame) -> pd.Series:
    """Row index -> the rules it breaks, as text, from pandera's failure cases."""
    rows = failures[failures["index"].notna() & ~failures["check"].astype(str).isin(TABLE_LEVEL_CHECKS)]
    if rows.empty:
        return pd.Series(dtype="object")
    column = rows["column"].astype("string")
    check = rows["check"].astype(str)
    # A dataframe-wide check names the model, not a column: the check's name says it all.
    named = column.isna() | column.str.endswith("Table").fillna(True)
    label = check.where(named, column.fillna("") + " " + check)
    frame = pd.DataFrame({"index": pd.to_numeric(rows["index"], errors="coerce"), "label": label}).dropna(subset=["index"])
    frame["index"] = frame["index"].astype(int)
    return frame.drop_duplicates().sort_values("label").groupby("index")["label"].agg("; ".join)


def split_quarantine(facts: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(facts that may be published, quarantined facts with a `reason` column).

    `facts` are extracted article facts in the fact-table columns (any extra columns are kept
    on both sides)."""
    from schemas.tables import validate_table

    facts = facts.reset_index(drop=True)
    catalogue = load_catalogue()
    theme = facts["indicator_id"].map({i: row["theme"] for i, row in catalogue.items()})
    reason = pd.Series(pd.NA, index=facts.index, dtype="object")
    reason[theme.isna()] = UNKNOWN_INDICATOR
    for name in FACT_TABLES:
        part = facts[theme == name]
        if part.empty:
            continue
        outcome = validate_table(name, part)
        if not outcome.passed:
            found = _reasons(outcome.failures)
            reason.loc[found.index] = found
    bad = reason.notna()
    kept = facts[~bad].reset_index(drop=True)
    held = facts[bad].assign(**{REASON: reason[bad].astype("string")}).reset_index(drop=True)
    return kept, held
