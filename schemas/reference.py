"""pandera models of the reference tables a release carries beside the facts: the two province
registers, the DTI editions and the list of cross-source disagreements.

This module must not import `schemas.tables`: that module imports this one at its end to
register these models in `TABLE_MODELS`.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from dxdata.model import QUALIFIERS, UNITS

PROVINCE_CODE = r"^\d{2}$"
CODE_LIST = r"^\d{2}(\|\d{2})*$"
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
PROVINCE_TYPES = ["tỉnh", "thành phố trực thuộc trung ương"]


class ProvincesTable(pa.DataFrameModel):
    """The 63 provincial-level units of Vietnam before 1 July 2025, as coded by the General
    Statistics Office, with the merged unit each became part of. Facts with unit_set 63 refer to
    this table through province_code = code."""

    code: Series[str] = pa.Field(unique=True, str_matches=PROVINCE_CODE, description="Statistics office code of the unit, two digits as text (Hậu Giang = 93)")
    name: Series[str] = pa.Field(unique=True, description="Name without the prefix Tỉnh / Thành phố, in the statistics office's spelling (Hoà Bình, Thanh Hóa)")
    type: Series[str] = pa.Field(isin=PROVINCE_TYPES, description="tỉnh (province) or thành phố trực thuộc trung ương (centrally-run city), before the merger")
    slug: Series[str] = pa.Field(unique=True, str_matches=SLUG, description="ASCII form of name for URLs and file names (ha-noi, ho-chi-minh)")
    merged_into_2025: Series[str] = pa.Field(description="Name of the unit of the 34-unit map that this unit belongs to since 1 July 2025 (its own name when not merged)")
    merged_into_2025_code: Series[str] = pa.Field(str_matches=PROVINCE_CODE, description="Code of that unit in table provinces_2025; the same code may mean another unit in this table (24 is Bắc Giang here, Bắc Ninh there)")
    aliases: Series[str] = pa.Field(description="Other spellings that name this unit in sources (full name, ASCII, TP. forms, English), separated by |")

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(name="sixty_three_units")
    def sixty_three_units(cls, df: pd.DataFrame) -> bool:
        return len(df) == 63


class Provinces2025Table(pa.DataFrameModel):
    """The 34 provincial-level units formed on 1 July 2025, derived from the merger columns of
    table provinces. Facts with unit_set 34 refer to this table through province_code = code."""

    code: Series[str] = pa.Field(unique=True, str_matches=PROVINCE_CODE, description="Statistics office code of the merged unit (letter 915/CTK-CSCL), two digits as text")
    name: Series[str] = pa.Field(unique=True, description="Name of the merged unit, without Tỉnh / Thành phố")
    type: Series[str] = pa.Field(isin=PROVINCE_TYPES, description="tỉnh (province) or thành phố trực thuộc trung ương (centrally-run city)")
    slug: Series[str] = pa.Field(unique=True, str_matches=SLUG, description="ASCII form of name")
    merged_from_codes: Series[str] = pa.Field(str_matches=CODE_LIST, description="Codes (in table provinces) of the pre-merger units that form this unit, separated by |")
    merged_from: Series[str] = pa.Field(description="Names of those pre-merger units, in the same order, separated by |")
    aliases: Series[str] = pa.Field(description="Other spellings of name (those of the pre-merger unit of the same name), separated by |; may be empty")

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(name="thirty_four_units")
    def thirty_four_units(cls, df: pd.DataFrame) -> bool:
        return len(df) == 34

    @pa.dataframe_check(name="every_old_unit_merged_once")
    def every_old_unit_merged_once(cls, df: pd.DataFrame) -> bool:
        codes = [c for cell in df["merged_from_codes"] for c in cell.split("|")]
        return len(codes) == 63 and len(set(codes)) == 63


class DtiEditionsTable(pa.DataFrameModel):
    """Editions of the provincial Digital Transformation Index (DTI) and when each was announced.
    An edition assesses one year and is announced in a later year, which is how an article's
    "năm 2021" can mean the 2020 edition."""

    edition: Series[int] = pa.Field(unique=True, ge=2020, le=2100, description="Assessment year of the edition; the ref_year of its ranks and scores")
    announced_on: Series[pd.StringDtype] = pa.Field(nullable=True, str_matches=ISO_DATE, description="Date the results were announced (ISO); null when not established")
    announced_precision: Series[str] = pa.Field(isin=["day", "month", "year", "unknown"], description="How precisely announced_on is known")
    source_url: Series[str] = pa.Field(description="Page that reports the announcement")
    note: Series[pd.StringDtype] = pa.Field(nullable=True, description="What changed in that edition, or what is uncertain about it")

    class Config:
        strict = True
        coerce = True


class ConflictsTable(pa.DataFrameModel):
    """Disagreements between sources: one row per source taking part in a conflict, i.e. two or
    more sources giving the same indicator for the same province (same unit_set) and year with
    values that differ beyond rounding. Every value stays in the fact tables; a value that
    contradicts an official table is marked held_out and left out of the current views."""

    conflict_id: Series[str] = pa.Field(description="Identifier of the disagreement: indicator/unit_set/province_code/ref_year (and ref_date when dated)")
    indicator_id: Series[str] = pa.Field(description="Indicator the sources disagree on (table indicators)")
    province_code: Series[str] = pa.Field(str_matches=PROVINCE_CODE, description="Province code in the register named by unit_set")
    province: Series[str] = pa.Field(description="Province name in that register")
    unit_set: Series[int] = pa.Field(isin=[63, 34], description="Register of province_code: 63 = units before 1 July 2025, 34 = merged units")
    ref_year: Series[int] = pa.Field(ge=2000, le=2100, description="Year the values refer to")
    ref_date: Series[pd.StringDtype] = pa.Field(nullable=True, str_matches=ISO_DATE, description="Date this source's value refers to; null for a whole-year value")
    value: Series[float] = pa.Field(description="The value this source gives, in the unit of column unit")
    unit: Series[str] = pa.Field(isin=list(UNITS), description="Unit of value")
    qualifier: Series[str] = pa.Field(isin=list(QUALIFIERS), description="How this source states the value: exact, approx, over, under")
    source_id: Series[str] = pa.Field(description="Source giving this value (table sources)")
    method: Series[str] = pa.Field(description="What produced the fact: an extraction rule id, official_table or press_table")
    quote: Series[str] = pa.Field(description="The sentence or table row this source states the value in")
    held_out: Series[bool] = pa.Field(
        description="True when this value contradicts an official table's: the fact stays in its fact table but the current views (current_facts, latest_facts, the *_wide views) leave it out"
    )

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(name="conflict_has_two_sources")
    def conflict_has_two_sources(cls, df: pd.DataFrame) -> Series[bool]:
        sources = df.groupby("conflict_id")["source_id"].transform("nunique")
        return sources >= 2

    @pa.dataframe_check(name="conflict_id_names_one_fact_group")
    def conflict_id_names_one_fact_group(cls, df: pd.DataFrame) -> Series[bool]:
        group = ["indicator_id", "province_code", "unit_set", "ref_year"]
        return df.groupby("conflict_id")[group].transform("nunique").eq(1).all(axis=1)


REFERENCE_MODELS: dict[str, type[pa.DataFrameModel]] = {
    "provinces": ProvincesTable,
    "provinces_2025": Provinces2025Table,
    "dti_editions": DtiEditionsTable,
    "conflicts": ConflictsTable,
}
