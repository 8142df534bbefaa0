"""Which value wins (docs/precedence.md): official table > reviewed article > press compilation >
automatic extraction, then the most recently published source; a value contradicting an official
table is held out of every current view but stays in its fact table and in `conflicts`."""

from __future__ import annotations

from datetime import datetime, timezone

import duckdb
import pytest

from dxdata.conflicts import find_conflicts
from dxdata.official import official_dti_facts, press_dti_facts, reference_tables, table_source_records
from dxdata.release import publish_release
from dxdata.tables import facts_frame, frame_for, indicators_frame, split_fact_tables
from release_fixtures import fact

NGHE_AN = {"province_code": "40", "province": "Nghệ An"}  # official DTI 2022 rank: 52


def article_source(source_id: str, published_at: str) -> dict:
    return {"source_id": source_id, "kind": "article", "title": f"Bài {source_id}", "publisher": "Báo thử",
            "original_outlet": None, "published_at": published_at, "url": f"https://example.org/{source_id}",
            "language": "vi", "licence": "test", "citation": source_id, "path": f"articles/{source_id}.txt",
            "sha256": "c" * 64}


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    table_facts = [f.to_row() for f in official_dti_facts() + press_dti_facts()]
    articles = [
        # Contradicts the official table: Nghệ An was 52nd in 2022, not 21st.
        fact("dti.rank", 21, ref_year=2022, ref_date=None, unit="rank", rank_of=63, source_id="a_new", **NGHE_AN),
        # Hà Nội's 2020 rank is 43 in the press compilation; an extraction says 40 (no official table).
        fact("dti.rank", 40, province_code="01", province="Hà Nội", ref_year=2020, ref_date=None, unit="rank",
             rank_of=63, source_id="a_new"),
        # Two extractions of one present-state value on one day: the later publication wins.
        fact("egov.online_services_total", 1800, ref_date="2022-05-05", source_id="a_old"),
        fact("egov.online_services_total", 1860, ref_date="2022-05-05", source_id="a_new"),
        # A reviewed value beats an extraction of the same period.
        fact("workforce.it_staff_total", 600, source_id="a_new"),
        fact("workforce.it_staff_total", 625, source_id="a_old", method="review:accepted"),
    ]
    facts = facts_frame(table_facts + articles)
    sources = frame_for("sources", table_source_records() + [article_source("a_old", "2022-05-05T08:00:00+07:00"),
                                                            article_source("a_new", "2022-05-06T08:00:00+07:00")])
    tables = {**split_fact_tables(facts), **reference_tables(), "sources": sources, "indicators": indicators_frame(),
              "conflicts": find_conflicts(facts)}
    out = publish_release(tables, releases_dir=tmp_path_factory.mktemp("w") / "releases",
                          created=datetime(2026, 1, 2, tzinfo=timezone.utc))
    c = duckdb.connect(str(out.path / "dx.duckdb"), read_only=True)
    yield c
    c.close()


def one(con, sql):
    return con.execute(sql).fetchall()


def test_official_table_wins_in_every_view(con):
    where = "indicator_id = 'dti.rank' AND province_code = '40' AND unit_set = 63 AND ref_year = 2022"
    assert one(con, f"SELECT value, source_id FROM current_facts WHERE {where}") == [(52.0, "dti_provincial_2022")]
    assert one(con, f"SELECT value FROM facts_current_units WHERE {where}") == [(52.0,)]
    assert one(con, "SELECT rank FROM rankings_wide WHERE province_code = '40' AND unit_set = 63 AND ref_year = 2022") == [(52.0,)]
    latest = one(con, "SELECT ref_year, value FROM latest_facts WHERE indicator_id = 'dti.rank' AND province_code = '40' AND unit_set = 63")
    assert latest == [(2022, 52.0)]


def test_contradicting_value_stays_in_the_fact_table_and_conflicts(con):
    where = "indicator_id = 'dti.rank' AND province_code = '40' AND ref_year = 2022"
    assert sorted(one(con, f"SELECT value, source_id FROM rankings WHERE {where}")) == [(21.0, "a_new"), (52.0, "dti_provincial_2022")]
    held = one(con, f"SELECT source_id, value, held_out FROM conflicts WHERE {where} ORDER BY source_id")
    assert held == [("a_new", 21.0, True), ("dti_provincial_2022", 52.0, False)]


def test_press_compilation_beats_automatic_extraction(con):
    where = "indicator_id = 'dti.rank' AND province_code = '01' AND ref_year = 2020"
    got = one(con, f"SELECT value, precedence FROM current_facts WHERE {where}")
    assert got == [(43.0, 3)]
    # Not an official table: the extraction is not held out, only outranked.
    assert one(con, f"SELECT held_out FROM conflicts WHERE {where} AND source_id = 'a_new'") == [(False,)]


def test_reviewed_article_beats_extraction_and_recency_breaks_ties(con):
    assert one(con, "SELECT value, source_id FROM current_facts WHERE indicator_id = 'workforce.it_staff_total'") == [(625.0, "a_old")]
    assert one(con, "SELECT value, source_id FROM current_facts WHERE indicator_id = 'egov.online_services_total'") == [(1860.0, "a_new")]
    assert one(con, "SELECT it_staff_total FROM workforce_wide WHERE province_code = '93' AND ref_year = 2022") == [(625.0,)]


def test_current_facts_has_one_row_per_period(con):
    dupes = one(con, "SELECT count(*) FROM (SELECT indicator_id, province_code, unit_set, ref_year, ref_date, count(*) AS n "
                     "FROM current_facts GROUP BY ALL HAVING n > 1)")
    assert dupes == [(0,)]
