"""Disagreements between sources: the same indicator, province (in the same register) and year
stated with values that cannot both be right.

Nothing is dropped here: every fact stays in its fact table with its provenance, and the
`conflicts` table lists the disagreements so a reader (and a non-blocking asset check) can see
them. One decision is taken: a value that contradicts an official table is marked `held_out`,
and the current views of a release (docs/precedence.md) leave it out.

Two values agree when they are equal within the rounding of the less precise one: 0.32 and
0.3215 agree (0.32 may be 0.3215 rounded), 0.3215 and 0.3216 do not, and neither do ranks 28
and 29. Qualified values are read as ranges: "over 80" is [80, inf), "under 80" is (-inf, 80],
"approx 80" is 80 +/- 10 %. Values dated differently within one year (present-state facts
from articles of different days) describe different moments and are not compared with each
other; a whole-year value (ref_date null) is compared with every dated one.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd

from dxdata.model import METHOD_OFFICIAL_TABLE
from dxdata.tables import FACT_DTYPES
from schemas.reference import ConflictsTable

CONFLICT_COLUMNS = list(ConflictsTable.to_schema().columns)
GROUP = ["indicator_id", "unit_set", "province_code", "ref_year"]
# "khoảng 80 %" is taken to mean within a tenth of the stated value.
APPROX_RELATIVE = 0.10
_FLOAT_SLACK = 1e-9


def decimals_of(value: float) -> int:
    """Decimal places of a value as written: 0.3215 -> 4, 0.32 -> 2, 28.0 -> 0, 100.0 -> 0."""
    if not math.isfinite(value):
        return 0
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def half_unit(value: float) -> float:
    """Half a unit in the last stated decimal: the widest rounding error the value can carry."""
    return 0.5 * 10.0 ** -decimals_of(value)


def value_range(value: float, qualifier: str) -> tuple[float, float]:
    if qualifier == "over":
        return value, math.inf
    if qualifier == "under":
        return -math.inf, value
    if qualifier == "approx":
        spread = APPROX_RELATIVE * abs(value)
        return value - spread, value + spread
    return value, value


def values_agree(a: float, qualifier_a: str, b: float, qualifier_b: str) -> bool:
    """True when both statements can describe the same true value, allowing for the rounding of
    the less precise one."""
    lo_a, hi_a = value_range(a, qualifier_a)
    lo_b, hi_b = value_range(b, qualifier_b)
    gap = max(lo_a, lo_b) - min(hi_a, hi_b)
    return gap <= max(half_unit(a), half_unit(b)) + _FLOAT_SLACK


# Pairs of facts that cannot both be right: same group, different sources, comparable dates
# (equal, or one of them a whole-year value), and ranges further apart than the rounding of the
# less precise value. A comparable set is the facts of one date plus the whole-year ones (or
# the whole-year ones alone when the group has no dated fact): a pair with a date conflicts in
# that date's set, a pair of whole-year values in every set of its group.
_CONFLICT_SQL = """
WITH pairs AS (
    SELECT a.indicator_id, a.unit_set, a.province_code, a.ref_year,
           coalesce(a.ref_date, b.ref_date) AS d, a.ref_date IS NULL AND b.ref_date IS NULL AS undated
    FROM f AS a JOIN f AS b USING (indicator_id, unit_set, province_code, ref_year)
    WHERE a.rid < b.rid AND a.source_id <> b.source_id
      AND (a.ref_date IS NULL OR b.ref_date IS NULL OR a.ref_date = b.ref_date)
      AND greatest(a.lo, b.lo) - least(a.hi, b.hi) > greatest(a.half, b.half) + {slack}
),
dates AS (
    SELECT DISTINCT indicator_id, unit_set, province_code, ref_year, ref_date AS d FROM f WHERE ref_date IS NOT NULL
),
sets AS (
    SELECT DISTINCT indicator_id, unit_set, province_code, ref_year, d FROM pairs WHERE NOT undated
    UNION
    SELECT DISTINCT p.indicator_id, p.unit_set, p.province_code, p.ref_year, dates.d
    FROM pairs AS p LEFT JOIN dates USING (indicator_id, unit_set, province_code, ref_year) WHERE p.undated
)
SELECT f.rid, s.d FROM sets AS s JOIN f USING (indicator_id, unit_set, province_code, ref_year)
WHERE f.ref_date IS NULL OR f.ref_date = s.d
"""


def _ranges(facts: pd.DataFrame) -> pd.DataFrame:
    """lo, hi (the value read as a range by its qualifier) and half (its rounding), per row."""
    value = facts["value"].astype("float64")
    unique = value.dropna().unique()
    half = value.map(dict(zip(unique, (half_unit(v) for v in unique))))
    spread = APPROX_RELATIVE * value.abs()
    qualifier = facts["qualifier"].astype(object)
    lo = value.where(qualifier != "approx", value - spread).where(qualifier != "under", -math.inf)
    hi = value.where(qualifier != "approx", value + spread).where(qualifier != "over", math.inf)
    return pd.DataFrame({"lo": lo, "hi": hi, "half": half}, index=facts.index)


def mark_held_out(conflicts: pd.DataFrame) -> pd.DataFrame:
    """Conflict rows with `held_out`: within each conflict, the rows that contradict an official
    table's value."""
    held = pd.Series(False, index=conflicts.index, dtype=bool)
    for _, group in conflicts[conflicts["method"] == METHOD_OFFICIAL_TABLE].groupby("conflict_id"):
        members = conflicts[conflicts["conflict_id"] == group["conflict_id"].iloc[0]]
        held.loc[members.index] = contradicts_official(members)
    return conflicts.assign(held_out=held)


def contradicts_official(facts: pd.DataFrame) -> pd.Series:
    """True for each fact not from an official table whose value disagrees with an official
    table's value among `facts` (one comparable set)."""
    official = facts[facts["method"] == METHOD_OFFICIAL_TABLE]
    return pd.Series(
        [
            method != METHOD_OFFICIAL_TABLE
            and any(not values_agree(value, qualifier, o.value, o.qualifier) for o in official.itertuples())
            for method, value, qualifier in zip(facts["method"], facts["value"], facts["qualifier"])
        ],
        index=facts.index,
        dtype=bool,
    )


def conflict_id(indicator_id: str, unit_set: int, province_code: str, ref_year: int, ref_date: str | None) -> str:
    parts = [indicator_id, str(int(unit_set)), province_code, str(int(ref_year))]
    if ref_date:
        parts.append(ref_date)
    return "/".join(parts)


def find_conflicts(facts: pd.DataFrame) -> pd.DataFrame:
    """One row per (conflict, source fact) wherever sources disagree on an indicator for one
    province (same unit_set) and year; an empty frame with the same columns when none do.

    Computed as a self-join of the facts on (indicator, register, province, year) in DuckDB,
    so the cost follows the pairs within a group, with no loop over groups or rows."""
    import duckdb

    missing = [c for c in (*GROUP, "ref_date", "value", "qualifier", "source_id") if c not in facts.columns]
    if missing:
        raise ValueError(f"find_conflicts: facts frame lacks columns {missing}")
    usable = facts[facts["province_code"].notna()].reset_index(drop=True)
    f = pd.DataFrame(
        {
            "rid": range(len(usable)),
            "indicator_id": usable["indicator_id"].astype(object),
            "unit_set": pd.to_numeric(usable["unit_set"]).astype("float64"),
            "province_code": usable["province_code"].astype(object),
            "ref_year": pd.to_numeric(usable["ref_year"]).astype("float64"),
            "ref_date": usable["ref_date"].astype(object).where(usable["ref_date"].notna(), None),
            "source_id": usable["source_id"].astype(object),
            **_ranges(usable),
        }
    )
    with duckdb.connect() as con:
        con.register("f", f)
        found = con.execute(_CONFLICT_SQL.format(slack=repr(_FLOAT_SLACK))).df()
    if found.empty:
        return _typed(pd.DataFrame(columns=CONFLICT_COLUMNS))
    found = found.sort_values(["rid", "d"], kind="mergesort")
    out = usable.iloc[found["rid"].to_numpy()].reset_index(drop=True)
    suffix = ("/" + found["d"].astype("string")).fillna("").to_numpy()
    ids = (
        out["indicator_id"].astype(str)
        + "/" + pd.to_numeric(out["unit_set"]).astype("int64").astype(str)
        + "/" + out["province_code"].astype(str)
        + "/" + pd.to_numeric(out["ref_year"]).astype("int64").astype(str)
    )
    out["conflict_id"] = ids + suffix
    out = mark_held_out(out)[CONFLICT_COLUMNS].sort_values(["conflict_id", "source_id", "method"], kind="mergesort").reset_index(drop=True)
    return _typed(out)


# Conflict rows are fact rows plus a conflict id, so they take the fact columns' dtypes.
_DTYPES = {"conflict_id": "str", "held_out": "bool",
           **{c: FACT_DTYPES[c] for c in CONFLICT_COLUMNS if c not in ("conflict_id", "held_out")}}


def _typed(df: pd.DataFrame) -> pd.DataFrame:
    """The dtypes the pandera model declares, also for an empty table. No validation here: the
    caller reports disagreements, and a validation error must not turn into a failed release."""
    return df.astype(_DTYPES)[CONFLICT_COLUMNS]


def conflict_count(conflicts: pd.DataFrame) -> int:
    """Number of distinct disagreements (not of rows), as the release notes state it."""
    return int(conflicts["conflict_id"].nunique()) if len(conflicts) else 0
