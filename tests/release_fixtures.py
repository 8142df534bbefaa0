"""Small hand-made tables that pass the pandera models, for release tests.

Values are invented for tests; they never reach the repository's warehouse (tests publish into
tmp_path)."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from dxdata.conflicts import find_conflicts
from dxdata.official import reference_tables
from dxdata.tables import facts_frame, frame_for, indicators_frame, split_fact_tables

ARTICLE_ID = "000_test_article"
TABLE_ID = "dti_test_table"
ARTICLE_DATE = "2022-05-05"


def fact(indicator_id, value, *, province_code="93", province="Hậu Giang", ref_year=2022, ref_date=ARTICLE_DATE,
         unit="count", qualifier="exact", rank_of=None, source_id=ARTICLE_ID, quote=None, method="cue:test#1", note=None) -> dict:
    quote = quote or f"{indicator_id} {province} = {value}"
    return {
        "indicator_id": indicator_id, "province_code": province_code, "province": province, "unit_set": 63,
        "ref_year": ref_year, "ref_date": ref_date, "value": float(value), "unit": unit, "qualifier": qualifier,
        "rank_of": rank_of, "source_id": source_id, "quote": quote, "quote_start": 10, "quote_end": 10 + len(quote),
        "method": method, "confidence": 1.0, "note": note,
    }


def base_facts() -> list[dict]:
    ranks = [("48", "Đà Nẵng", 1, 0.4874), ("27", "Bắc Ninh", 3, 0.41), ("01", "Hà Nội", 7, 0.38), ("93", "Hậu Giang", 28, 0.29)]
    rows = [
        fact("workforce.it_staff_total", 625),
        fact("workforce.it_staff_government", 150),
        fact("workforce.it_staff_public_units", 400),
        fact("egov.online_services_total", 1860),
        fact("egov.online_services_level4", 1219),
        fact("infra.agency_internet_lan_pct", 100, unit="percent"),
        fact("ent.it_enterprises", 52, qualifier="over"),
    ]
    for code, name, rank, score in ranks:
        rows.append(fact("dti.rank", rank, province_code=code, province=name, ref_year=2020, ref_date=None, unit="rank",
                         rank_of=63, source_id=TABLE_ID, method="official_table", note="DTI 2020 edition"))
        rows.append(fact("dti.score", score, province_code=code, province=name, ref_year=2020, ref_date=None, unit="index",
                         source_id=TABLE_ID, method="official_table"))
    return rows


def sources_frame(citation_suffix: str = "") -> pd.DataFrame:
    return frame_for("sources", [
        {
            "source_id": ARTICLE_ID, "kind": "article", "title": "Bài báo thử nghiệm", "publisher": "Test publisher",
            "original_outlet": "example.vn", "published_at": "2022-05-05T21:48:00+07:00", "url": None, "language": "vi",
            "licence": "test licence", "citation": "Test publisher (2022). Bài báo thử nghiệm." + citation_suffix,
            "path": f"articles/{ARTICLE_ID}.txt", "sha256": "a" * 64,
        },
        {
            "source_id": TABLE_ID, "kind": "official_table", "title": "DTI 2020 test table", "publisher": "Test ministry",
            "original_outlet": None, "published_at": "2021-10-19T00:00:00+07:00", "url": "https://example.org/dti-2020",
            "language": "vi", "licence": "test licence", "citation": "Test ministry (2021). DTI 2020.",
            "path": f"tables/dti/{TABLE_ID}.csv", "sha256": "b" * 64,
        },
    ]).astype({"original_outlet": "string", "url": "string"})


@lru_cache(maxsize=1)
def _reference_tables() -> dict[str, pd.DataFrame]:
    return reference_tables()


def make_tables(facts: list[dict] | None = None, *, citation_suffix: str = "") -> dict[str, pd.DataFrame]:
    """Every table a release holds, as the pipeline publishes it: the five fact tables from the
    given fact rows, sources, indicators, the province registers, the DTI editions and the
    conflicts among the facts (the current views read them). A release missing any of them
    loses a view, which is an error, so the fixtures are complete like the pipeline's."""
    facts_df = facts_frame(base_facts() if facts is None else facts)
    tables = split_fact_tables(facts_df)
    tables["sources"] = sources_frame(citation_suffix)
    tables["indicators"] = indicators_frame()
    tables.update({name: df.copy() for name, df in _reference_tables().items()})
    tables["conflicts"] = find_conflicts(facts_df).reset_index(drop=True)
    return tables


def with_value(indicator_id: str, value: float, province_code: str = "93") -> list[dict]:
    """base_facts with one value replaced."""
    rows = base_facts()
    for r in rows:
        if r["indicator_id"] == indicator_id and r["province_code"] == province_code:
            r["value"] = float(value)
    return rows
