"""The shape of one extracted or transcribed fact, shared by every source kind.

Extraction (articles), the official-table reader and the press-table reader all produce
`Fact` records; `dxdata.tables` turns them into the published fact tables whose columns are
declared, with descriptions and units, in `schemas.tables`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date

QUALIFIERS = ("exact", "approx", "over", "under")
UNITS = ("percent", "count", "boolean", "vnd", "rank", "index")
THEMES = ("infrastructure", "e_government", "workforce", "enterprises", "rankings")
# A theme name is also the name of the published fact table that holds its indicators.
FACT_TABLES = THEMES

# The years a published fact may refer to: the fact tables' `ref_year` check (schemas/tables.py,
# ge=2000, le=2100); the sidecar schema and extraction keep sources and facts inside them.
FIRST_REF_YEAR = 2000
LAST_REF_YEAR = 2100

METHOD_OFFICIAL_TABLE = "official_table"
METHOD_PRESS_TABLE = "press_table"


@dataclass
class Fact:
    indicator_id: str
    province_code: str | None  # statistics office code as text ("93"); None = not attributable
    province: str | None  # register `name`
    ref_year: int
    ref_date: str | None  # ISO date for present-state facts, else None
    value: float
    unit: str
    qualifier: str
    source_id: str
    quote: str  # the sentence (articles) or the CSV line (tables) the value comes from
    quote_start: int  # offsets into the source's clean text: clean_text[start:end] == quote
    quote_end: int
    method: str  # the rule that produced it ("cue:<indicator>#<n>", "official_table", ...)
    unit_set: int = 63  # which province register province_code refers to (63 or 34 units)
    rank_of: int | None = None  # 63 for "28/63", else None
    confidence: float = 1.0
    note: str | None = None
    # Character span of the number itself inside the clean text; not published, used by
    # evaluation and for debugging.
    value_start: int | None = field(default=None, compare=False)
    value_end: int | None = field(default=None, compare=False)

    def to_row(self) -> dict:
        return asdict(self)


FACT_FIELDS = [f.name for f in fields(Fact)]


@dataclass
class Article:
    """An article ready for extraction, as produced by `dxdata.ingest`."""

    source_id: str
    title: str | None
    clean_text: str  # NFC, page chrome dropped; every quote offset refers to this string
    published: "date | None"  # local publication date (Asia/Ho_Chi_Minh), from metadata or dateline
    metadata: dict = field(default_factory=dict)


@dataclass
class ExtractionResult:
    facts: list[Fact]  # confident and attributed to a province: these go into the release
    candidates: list[Fact]  # below the confidence threshold or without a province: for review only
    targets: list[Fact] = field(default_factory=list)  # plans and targets ("phấn đấu ... đạt 80%"), never facts
