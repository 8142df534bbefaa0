"""One pandera DataFrameModel per published table: the data dictionary of a release.

Field descriptions and units (``metadata={"unit": ...}``) feed the Parquet schema metadata, the
Frictionless ``datapackage.json``, DuckDB ``COMMENT ON`` statements and Dagster's column schema,
so a column is described once, here.

Checks that need more than one row (catalogue membership, key uniqueness, relations between
indicators) are dataframe checks returning a boolean Series, so a failure names its rows.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from dxdata.catalogue import load_catalogue
from dxdata.model import QUALIFIERS, THEMES, UNITS

# Publication times are instants shown in Vietnam's time zone, whatever the source wrote.
PUBLISHED_TZ = "Asia/Ho_Chi_Minh"
PUBLISHED_PRECISIONS = ["minute", "day", "month", "year"]
FACT_KEY = ["indicator_id", "province_code", "unit_set", "ref_year", "ref_date", "source_id"]
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


@dataclass(frozen=True)
class Relation:
    name: str
    table: str
    parts: tuple[str, ...]
    whole: str
    only_when_all_exact: bool
    description: str


def load_relations(path: Path | None = None) -> list[Relation]:
    path = path or Path(__file__).with_name("relations.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Relation(
                name=row["relation"],
                table=row["table"],
                parts=tuple(row["parts"].split("+")),
                whole=row["whole"],
                only_when_all_exact=row["only_when_all_exact"].strip().lower() == "true",
                description=row["description"],
            )
            for row in csv.DictReader(fh)
        ]


def relation_violations(df: pd.DataFrame, relation: Relation) -> pd.Series:
    """True for every row taking part in a violated relation, within one province, date and source.

    Computed per group with vectorised group operations (no loop over groups): a group breaks the
    relation when it states every part and the whole, all exactly if the relation asks so, and
    the parts (first value of each) add up to more than the whole."""
    bad = pd.Series(False, index=df.index)
    ids = [*relation.parts, relation.whole]
    sub = df[df["indicator_id"].isin(ids)]
    if sub.empty:
        return bad
    group_cols = ["province_code", "unit_set", "ref_year", "ref_date", "source_id"]
    group = sub.groupby(group_cols, dropna=False, sort=False).ngroup()
    framed = pd.DataFrame({"group": group.to_numpy(), "indicator_id": sub["indicator_id"].to_numpy(), "value": sub["value"].to_numpy(dtype="float64")})
    first = framed.drop_duplicates(["group", "indicator_id"], keep="first")
    values = first.pivot(index="group", columns="indicator_id", values="value").reindex(columns=ids)
    present = first.groupby("group")["indicator_id"].nunique() == len(set(ids))
    broken = present & (values[list(relation.parts)].sum(axis=1) > values[relation.whole])
    if relation.only_when_all_exact:
        inexact = (sub["qualifier"] != "exact").groupby(group.to_numpy()).any()
        broken &= ~inexact.reindex(broken.index, fill_value=False)
    bad.loc[sub.index[group.isin(broken[broken].index).to_numpy()]] = True
    return bad


class FactTable(pa.DataFrameModel):
    """Columns shared by the five fact tables; one row per indicator, province, period and source."""

    indicator_id: Series[str] = pa.Field(description="Indicator identifier from the catalogue (table `indicators`)")
    province_code: Series[str] = pa.Field(
        str_matches=r"^\d{2}$",
        description="Statistics office province code, two digits as text; which register is given by unit_set",
    )
    province: Series[str] = pa.Field(description="Province name as in the register named by unit_set")
    unit_set: Series[int] = pa.Field(
        isin=[63, 34],
        description="Province register of province_code: 63 = units before 1 July 2025, 34 = merged units since",
    )
    ref_year: Series[int] = pa.Field(ge=2000, le=2100, description="Year the value refers to")
    ref_date: Series[pd.StringDtype] = pa.Field(
        nullable=True,
        str_matches=ISO_DATE,
        description="Date the value refers to (present-state facts: the publication date); null for a whole-year value",
    )
    value: Series[float] = pa.Field(description="The value, in the unit of column unit")
    unit: Series[str] = pa.Field(isin=list(UNITS), description="Unit of value: percent (0-100), count, boolean (1 = yes), vnd, rank, index (0-1)")
    qualifier: Series[str] = pa.Field(
        isin=list(QUALIFIERS),
        description="How the source states the value: exact, approx (khoảng), over (hơn / trên), under (gần / dưới)",
    )
    rank_of: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, description="Size of the ranking for a rank (63 in '28/63'), else null")
    source_id: Series[str] = pa.Field(description="Source document (table `sources`)")
    quote: Series[str] = pa.Field(description="The sentence or table row the value was taken from, verbatim from the source's clean text")
    quote_start: Series[int] = pa.Field(ge=0, description="Character offset of quote in the source's clean text")
    quote_end: Series[int] = pa.Field(ge=0, description="Character offset just past quote in the source's clean text")
    method: Series[str] = pa.Field(description="What produced the row: an extraction rule id, official_table or press_table")
    confidence: Series[float] = pa.Field(ge=0, le=1, description="Extraction confidence from 0 to 1 (1 for transcribed tables)")
    note: Series[pd.StringDtype] = pa.Field(nullable=True, description="Why a value was interpreted as it was, when not obvious")
    review: Series[str] = pa.Field(
        isin=["reviewed", "automatic", "transcribed"],
        description="How the fact was checked: reviewed (in the source's editor review, sources/reviews/), automatic "
        "(extracted from an unreviewed source at or above the automatic confidence threshold; see the publication "
        "policy in datapackage.json), transcribed (copied by hand from an official or press table)",
    )

    class Config:
        strict = True
        coerce = True
        # Subclasses set the theme their indicators must belong to.
        metadata = {"theme": None}

    @classmethod
    def theme(cls) -> str | None:
        return (cls.__config__.metadata or {}).get("theme")

    @pa.dataframe_check(name="indicator_in_catalogue_theme")
    def indicator_in_catalogue_theme(cls, df: pd.DataFrame) -> Series[bool]:
        catalogue = load_catalogue()
        theme = cls.theme()
        return df["indicator_id"].map(lambda i: i in catalogue and (theme is None or catalogue[i]["theme"] == theme))

    @pa.dataframe_check(name="unit_matches_catalogue")
    def unit_matches_catalogue(cls, df: pd.DataFrame) -> Series[bool]:
        catalogue = load_catalogue()
        return pd.Series(
            [catalogue.get(i, {}).get("unit") == u for i, u in zip(df["indicator_id"], df["unit"])], index=df.index
        )

    @pa.dataframe_check(name="percent_within_0_100")
    def percent_within_0_100(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["unit"] != "percent") | df["value"].between(0, 100)

    @pa.dataframe_check(name="index_within_0_1")
    def index_within_0_1(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["unit"] != "index") | df["value"].between(0, 1)

    @pa.dataframe_check(name="rank_within_rank_of")
    def rank_within_rank_of(cls, df: pd.DataFrame) -> Series[bool]:
        # A rank stated without its ranking size ("xếp thứ 5") is bounded by the register's
        # number of provinces (unit_set) instead: a missing rank_of is not an error.
        is_rank = df["unit"] == "rank"
        bound = df["rank_of"].astype("Float64").fillna(df["unit_set"].astype("Float64"))
        ok = (df["value"] >= 1) & (df["value"] <= bound) & (df["value"] % 1 == 0)
        return (~is_rank) | ok.fillna(False).astype(bool)

    @pa.dataframe_check(name="count_nonnegative_whole")
    def count_nonnegative_whole(cls, df: pd.DataFrame) -> Series[bool]:
        is_count = df["unit"].isin(["count", "vnd"])
        return (~is_count) | ((df["value"] >= 0) & (df["value"] % 1 == 0))

    @pa.dataframe_check(name="boolean_is_0_or_1")
    def boolean_is_0_or_1(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["unit"] != "boolean") | df["value"].isin([0.0, 1.0])

    @pa.dataframe_check(name="quote_span_matches_quote")
    def quote_span_matches_quote(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["quote_end"] - df["quote_start"]) == df["quote"].str.len()

    @pa.dataframe_check(name="key_unique")
    def key_unique(cls, df: pd.DataFrame) -> Series[bool]:
        return ~df.duplicated(subset=FACT_KEY, keep=False)

    @pa.dataframe_check(name="relations_between_indicators")
    def relations_between_indicators(cls, df: pd.DataFrame) -> Series[bool]:
        bad = pd.Series(False, index=df.index)
        for relation in load_relations():
            if cls.theme() in (None, relation.table):
                bad |= relation_violations(df, relation)
        return ~bad


class InfrastructureTable(FactTable):
    """IT infrastructure: connectivity of state agencies, video-conferencing, data platforms, digital signatures, networks."""

    class Config:
        metadata = {"theme": "infrastructure"}


class EGovernmentTable(FactTable):
    """E-government: online public services, the national portal, personnel-record software, citizen field reports."""

    class Config:
        metadata = {"theme": "e_government"}


class WorkforceTable(FactTable):
    """IT workforce: dedicated IT staff in the public sector and community digital-technology teams."""

    class Config:
        metadata = {"theme": "workforce"}


class EnterprisesTable(FactTable):
    """IT and digital-technology enterprises: counts, revenue and employment."""

    class Config:
        metadata = {"theme": "enterprises"}


class RankingsTable(FactTable):
    """Provincial Digital Transformation Index (DTI): ranks and scores by edition (ref_year = assessment year)."""

    class Config:
        metadata = {"theme": "rankings"}


class SourcesTable(pa.DataFrameModel):
    """One row per source document: bundled articles, official tables, each page a compiled table
    cites, and the province register. Every row has at most one URL."""

    source_id: Series[str] = pa.Field(unique=True, description="Identifier of the source document")
    kind: Series[str] = pa.Field(isin=["article", "official_table", "press_table", "register"], description="Kind of source")
    title: Series[str] = pa.Field(description="Title of the document")
    publisher: Series[str] = pa.Field(description="Who published the document we captured")
    original_outlet: Series[pd.StringDtype] = pa.Field(
        nullable=True,
        description="Outlet the publisher credits as the original author (an article republished from a newspaper); null when the publisher wrote it",
    )
    published_at: Series[Annotated[pd.DatetimeTZDtype, "ns", PUBLISHED_TZ]] = pa.Field(
        nullable=True,
        description="Publication time in Vietnam's time zone (UTC+07:00); when only the day, month or year is known, its first moment (see published_precision); null when unknown",
    )
    published_precision: Series[pd.StringDtype] = pa.Field(
        nullable=True,
        isin=PUBLISHED_PRECISIONS,
        description="How much of published_at the source gives: minute, day, month or year; null when published_at is null",
    )
    url: Series[pd.StringDtype] = pa.Field(
        nullable=True,
        str_matches=r"^https?://\S+$",
        description="The one address of the document (a page a compiled table cites is a source of its own); null for bundled documents without one",
    )
    language: Series[str] = pa.Field(description="Language of the document (BCP 47)")
    licence: Series[str] = pa.Field(description="Licence or terms under which the document is used")
    citation: Series[str] = pa.Field(description="How to cite the document")
    path: Series[str] = pa.Field(description="Path of the bundled copy, relative to the sources folder")
    sha256: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{64}$", description="SHA-256 of the clean text that quotes and offsets refer to")
    supersedes: Series[pd.StringDtype] = pa.Field(
        nullable=True,
        description="source_id of the earlier capture of the same page that this one replaces (the page changed; `dxdata add --refresh`); null otherwise",
    )

    class Config:
        strict = True
        coerce = True

    @pa.dataframe_check(name="precision_given_with_time")
    def precision_given_with_time(cls, df: pd.DataFrame) -> Series[bool]:
        return df["published_at"].isna() == df["published_precision"].isna()


class IndicatorsTable(pa.DataFrameModel):
    """The indicator catalogue: what each indicator_id measures."""

    indicator_id: Series[str] = pa.Field(unique=True, description="Indicator identifier (public API)")
    theme: Series[str] = pa.Field(isin=list(THEMES), description="Theme, which is also the fact table holding the indicator")
    unit: Series[str] = pa.Field(isin=list(UNITS), description="Unit of the indicator's values")
    label_vi: Series[str] = pa.Field(description="Vietnamese label")
    definition_en: Series[str] = pa.Field(description="English definition")

    class Config:
        strict = True
        coerce = True


FACT_TABLE_MODELS: dict[str, type[FactTable]] = {
    "infrastructure": InfrastructureTable,
    "e_government": EGovernmentTable,
    "workforce": WorkforceTable,
    "enterprises": EnterprisesTable,
    "rankings": RankingsTable,
}

# Every published table and its model. Other modules add reference tables here (provinces,
# conflicts, ...) by importing and extending this registry in one place: this module.
TABLE_MODELS: dict[str, type[pa.DataFrameModel]] = {
    **FACT_TABLE_MODELS,
    "sources": SourcesTable,
    "indicators": IndicatorsTable,
}


def describe_columns(model: type[pa.DataFrameModel]) -> list[dict]:
    """Name, pandas dtype, nullability, description and unit of each column of a model."""
    schema = model.to_schema()
    out = []
    for name, col in schema.columns.items():
        out.append(
            {
                "name": name,
                "dtype": str(col.dtype),
                "nullable": bool(col.nullable),
                "description": col.description or "",
                "unit": (col.metadata or {}).get("unit"),
            }
        )
    return out


def table_description(model: type[pa.DataFrameModel]) -> str:
    return " ".join((model.__doc__ or "").split())


@dataclass
class CheckOutcome:
    table: str
    passed: bool
    failures: pd.DataFrame  # pandera's failure cases: column, check, failure_case, index
    failing_rows: pd.DataFrame  # the offending rows of the table


def frame_digest(df: pd.DataFrame) -> str | None:
    """A digest of a frame's content: column names and dtypes, the kind of values each object
    column holds, the index and every value. Two frames with the same digest validate alike, so
    a step that validated a frame can pass its digest on and a later step holding the same frame
    need not validate it again (`dxdata.release.gate`). None when a value cannot be hashed (the
    frame is then simply validated again)."""
    import hashlib
    import json

    from pandas.api.types import infer_dtype

    try:
        kinds = [[str(c), str(t), infer_dtype(df[c], skipna=False) if t == object else ""] for c, t in df.dtypes.items()]
        rows = pd.util.hash_pandas_object(df, index=True, categorize=True).to_numpy()
    except (TypeError, ValueError):
        return None
    digest = hashlib.sha256(json.dumps([len(df), kinds], ensure_ascii=False).encode("utf-8"))
    digest.update(rows.tobytes())
    return digest.hexdigest()


def validate_table(name: str, df: pd.DataFrame) -> CheckOutcome:
    """Run the table's pandera model lazily and return every failure with the rows it names."""
    model = TABLE_MODELS[name]
    try:
        model.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        failures = exc.failure_cases
        idx = pd.to_numeric(failures["index"], errors="coerce").dropna().astype(int).unique()
        rows = df.loc[[i for i in idx if i in df.index]]
        return CheckOutcome(name, False, failures, rows)
    return CheckOutcome(name, True, pd.DataFrame(), df.iloc[0:0])


# Reference tables (province registers, DTI editions, conflicts) are declared in
# schemas.reference, which does not import this module, so registering them here is cycle-free.
from schemas.reference import REFERENCE_MODELS  # noqa: E402

TABLE_MODELS.update(REFERENCE_MODELS)
