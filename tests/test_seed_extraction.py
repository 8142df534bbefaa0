"""The seed article gives exactly the 26 hand-checked facts, with provenance."""

from __future__ import annotations

import pytest

from dxdata import paths
from dxdata.extract import extract_article
from dxdata.ingest import load_article

SEED = "000_a63f0aa6a1ed3e39"
P = "2022-05-05"
# indicator_id, value, qualifier, ref_year, ref_date: the seed's gold file (all Hậu Giang, 93).
GOLD = [
    ("infra.agency_internet_lan_pct", 100, "exact", 2022, P),
    ("infra.videoconf_district_units", 8, "exact", 2022, P),
    ("infra.videoconf_district_pct", 100, "exact", 2022, P),
    ("infra.videoconf_commune_units", 75, "exact", 2022, P),
    ("infra.videoconf_commune_pct", 100, "exact", 2022, P),
    ("infra.videoconf_points", 98, "exact", 2022, P),
    ("infra.data_platform_national_link", 1, "exact", 2022, P),
    ("infra.digital_signature_pct", 98, "approx", 2022, P),
    ("infra.digital_certificates", 2300, "approx", 2022, P),
    ("egov.staff_mgmt_units", 703, "exact", 2022, P),
    ("egov.staff_records", 16000, "under", 2022, P),
    ("egov.staff_records_complete", 7000, "approx", 2022, P),
    ("egov.online_services_total", 1860, "exact", 2022, P),
    ("egov.online_services_level4", 1219, "exact", 2022, P),
    ("egov.services_on_national_portal", 910, "exact", 2022, P),
    ("egov.field_reports", 3159, "exact", 2021, None),
    ("workforce.it_staff_total", 625, "exact", 2022, P),
    ("workforce.it_staff_government", 125, "exact", 2022, P),
    ("workforce.it_staff_public_units", 500, "over", 2022, P),
    ("ent.it_enterprises", 40, "exact", 2022, P),
    ("ent.it_revenue_vnd", 300_000_000_000, "approx", 2021, None),
    ("ent.it_employees", 500, "over", 2022, P),
    ("dti.rank", 28, "exact", 2020, None),
    ("dti.rank_digital_government", 26, "exact", 2020, None),
    ("dti.rank_digital_economy", 18, "exact", 2020, None),
    ("dti.rank_digital_society", 35, "exact", 2020, None),
]


@pytest.fixture(scope="module")
def seed():
    article = load_article(paths.REPO_ROOT / "sources" / "articles" / f"{SEED}.txt")
    return article, extract_article(article)


def test_exactly_the_gold_facts(seed):
    _, result = seed
    got = sorted((f.indicator_id, f.value, f.qualifier, f.ref_year, f.ref_date) for f in result.facts)
    assert got == sorted((i, float(v), q, y, d) for i, v, q, y, d in GOLD)


def test_every_fact_is_hau_giang_with_provenance(seed):
    article, result = seed
    for f in result.facts:
        assert (f.province_code, f.province, f.unit_set) == ("93", "Hậu Giang", 63)
        assert f.source_id == SEED
        assert article.clean_text[f.quote_start : f.quote_end] == f.quote
        assert f.method.startswith(f"cue:{f.indicator_id}#")
        assert 0 < f.confidence <= 1
        assert f.value_start is not None and f.quote_start <= f.value_start < f.value_end <= f.quote_end


def test_units_and_ranks_of(seed):
    _, result = seed
    by_id = {f.indicator_id: f for f in result.facts}
    assert by_id["dti.rank"].rank_of == 63 and by_id["dti.rank"].unit == "rank"
    assert by_id["ent.it_revenue_vnd"].unit == "vnd"
    assert by_id["infra.data_platform_national_link"].unit == "boolean"
    assert by_id["egov.online_services_total"].rank_of is None


def test_dti_rows_carry_2020_and_say_why(seed):
    _, result = seed
    dti = [f for f in result.facts if f.indicator_id.startswith("dti.")]
    assert len(dti) == 4
    for f in dti:
        assert f.ref_year == 2020 and f.ref_date is None
        assert "năm 2021" in f.note and "2022-08-08" in f.note and "2020 edition" in f.note


def test_quotes_are_the_sentences(seed):
    _, result = seed
    quotes = {f.indicator_id: f.quote for f in result.facts}
    assert quotes["workforce.it_staff_total"].startswith("Toàn tỉnh có 625 cán")
    assert quotes["dti.rank"] == "Năm 2021, Hậu Giang xếp thứ 28/63 tỉnh, thành phố về chuyển đổi số."


def test_nothing_held_back_for_review(seed):
    _, result = seed
    assert result.candidates == []
