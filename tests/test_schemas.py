"""Each named check of the fact-table models fails on the row that breaks it, and only there."""

import pandas as pd
import pytest

from dxdata.model import Fact
from dxdata.tables import facts_frame, split_fact_tables
from schemas.tables import FACT_TABLE_MODELS, describe_columns, validate_table


def fact(indicator_id, value, *, unit, qualifier="exact", rank_of=None, province_code="93", source_id="s1", ref_year=2022, ref_date="2022-05-05"):
    quote = f"{indicator_id} {value}"
    return Fact(
        indicator_id=indicator_id, province_code=province_code, province="Hậu Giang", ref_year=ref_year,
        ref_date=ref_date, value=float(value), unit=unit, qualifier=qualifier, source_id=source_id,
        quote=quote, quote_start=10, quote_end=10 + len(quote), method="test", rank_of=rank_of,
    )


def table(name, *facts):
    return split_fact_tables(facts_frame(facts))[name]


def failed_checks(name, df):
    outcome = validate_table(name, df)
    if outcome.passed:
        return set(), set()
    checks = set(outcome.failures["check"].astype(str))
    rows = set(outcome.failing_rows.index)
    return checks, rows


def test_valid_rows_pass():
    df = table(
        "e_government",
        fact("egov.online_services_total", 1860, unit="count"),
        fact("egov.online_services_level4", 1219, unit="count"),
        fact("egov.services_on_national_portal", 910, unit="count"),
    )
    assert validate_table("e_government", df).passed


@pytest.mark.parametrize(
    "name, bad, check",
    [
        ("infrastructure", fact("infra.agency_internet_lan_pct", 101, unit="percent"), "percent_within_0_100"),
        ("infrastructure", fact("infra.videoconf_points", -1, unit="count"), "count_nonnegative_whole"),
        ("infrastructure", fact("infra.videoconf_points", 2.5, unit="count"), "count_nonnegative_whole"),
        ("infrastructure", fact("infra.data_platform_national_link", 2, unit="boolean"), "boolean_is_0_or_1"),
        ("rankings", fact("dti.rank", 64, unit="rank", rank_of=63), "rank_within_rank_of"),
        ("rankings", fact("dti.rank", 0, unit="rank", rank_of=63), "rank_within_rank_of"),
        ("rankings", fact("dti.rank", 64, unit="rank", rank_of=None), "rank_within_rank_of"),
        ("rankings", fact("dti.rank", 2.5, unit="rank", rank_of=None), "rank_within_rank_of"),
        ("rankings", fact("dti.score", 1.2, unit="index"), "index_within_0_1"),
        ("enterprises", fact("ent.it_enterprises", 40, unit="percent"), "unit_matches_catalogue"),
    ],
)
def test_value_checks_name_the_failing_row(name, bad, check):
    good = {
        "infrastructure": fact("infra.videoconf_district_units", 8, unit="count"),
        "rankings": fact("dti.rank_digital_economy", 18, unit="rank", rank_of=63),
        "enterprises": fact("ent.it_employees", 500, unit="count", qualifier="over"),
    }[name]
    df = table(name, good, bad)
    checks, rows = failed_checks(name, df)
    assert check in checks
    bad_index = df.index[df["indicator_id"] == bad.indicator_id][0]
    assert rows == {bad_index}


def test_a_rank_without_rank_of_is_valid():
    # "xếp thứ 5" names no ranking size: the rank is still a valid fact (issue 12).
    df = table("rankings", fact("dti.rank", 5, unit="rank", rank_of=None), fact("dti.rank_digital_economy", 63, unit="rank", rank_of=None))
    assert validate_table("rankings", df).passed


def test_enums_reject_unknown_qualifier():
    df = table("workforce", fact("workforce.it_staff_total", 625, unit="count"))
    df.loc[0, "qualifier"] = "roughly"
    checks, _ = failed_checks("workforce", df)
    assert any("isin" in c for c in checks)


def test_indicator_must_belong_to_the_tables_theme():
    df = table("workforce", fact("workforce.it_staff_total", 625, unit="count"))
    df.loc[0, "indicator_id"] = "egov.online_services_total"
    checks, rows = failed_checks("workforce", df)
    assert "indicator_in_catalogue_theme" in checks and rows == {0}


def test_unknown_indicator_fails():
    df = table("workforce", fact("workforce.it_staff_total", 625, unit="count"))
    df.loc[0, "indicator_id"] = "workforce.unicorns"
    checks, _ = failed_checks("workforce", df)
    assert "indicator_in_catalogue_theme" in checks


def test_duplicate_key_fails_on_both_rows():
    df = table(
        "enterprises",
        fact("ent.it_enterprises", 40, unit="count"),
        fact("ent.it_enterprises", 41, unit="count"),
    )
    checks, rows = failed_checks("enterprises", df)
    assert "key_unique" in checks and rows == {0, 1}


def test_same_indicator_from_two_sources_is_not_a_duplicate():
    df = table(
        "enterprises",
        fact("ent.it_enterprises", 40, unit="count", source_id="a"),
        fact("ent.it_enterprises", 41, unit="count", source_id="b"),
    )
    assert validate_table("enterprises", df).passed


@pytest.mark.parametrize(
    "name, part, whole",
    [
        ("e_government", "egov.online_services_level4", "egov.online_services_total"),
        ("e_government", "egov.services_on_national_portal", "egov.online_services_total"),
        ("e_government", "egov.staff_records_complete", "egov.staff_records"),
    ],
)
def test_part_cannot_exceed_whole(name, part, whole):
    df = table(name, fact(whole, 100, unit="count"), fact(part, 101, unit="count"))
    checks, rows = failed_checks(name, df)
    assert "relations_between_indicators" in checks and rows == {0, 1}
    # Another province's figures are not compared.
    df = table(name, fact(whole, 100, unit="count"), fact(part, 101, unit="count", province_code="92"))
    assert validate_table(name, df).passed


def test_it_staff_parts_checked_only_when_all_exact():
    parts = [
        fact("workforce.it_staff_total", 625, unit="count"),
        fact("workforce.it_staff_government", 125, unit="count"),
    ]
    over = table("workforce", *parts, fact("workforce.it_staff_public_units", 600, unit="count", qualifier="over"))
    assert validate_table("workforce", over).passed
    exact = table("workforce", *parts, fact("workforce.it_staff_public_units", 600, unit="count"))
    checks, rows = failed_checks("workforce", exact)
    assert "relations_between_indicators" in checks and len(rows) == 3


def test_quote_offsets_must_span_the_quote():
    df = table("enterprises", fact("ent.it_enterprises", 40, unit="count"))
    df.loc[0, "quote_end"] = df.loc[0, "quote_end"] + 1
    checks, _ = failed_checks("enterprises", df)
    assert "quote_span_matches_quote" in checks


def test_every_column_is_described():
    for model in FACT_TABLE_MODELS.values():
        for col in describe_columns(model):
            assert col["description"], col["name"]
