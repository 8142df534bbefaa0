"""find_conflicts lists every cross-source disagreement and nothing else."""

import dataclasses

import pandas as pd
import pytest

from dxdata import paths
from dxdata.conflicts import conflict_count, find_conflicts, values_agree
from dxdata.model import METHOD_OFFICIAL_TABLE, Fact
from dxdata.official import official_dti_facts, press_dti_facts
from dxdata.tables import facts_frame
from schemas.tables import validate_table

SEED = paths.REPO_ROOT / "sources" / "articles" / "000_a63f0aa6a1ed3e39.txt"


@pytest.fixture(scope="module")
def table_facts():
    return official_dti_facts() + press_dti_facts()


def article_fact(indicator_id, value, *, province_code="93", province="Hậu Giang", ref_year=2022, unit="rank",
                 rank_of=63, qualifier="exact", ref_date=None, source_id="test_article", unit_set=63):
    quote = f"{province} xếp thứ {value:g}/63"
    return Fact(
        indicator_id=indicator_id, province_code=province_code, province=province, ref_year=ref_year,
        ref_date=ref_date, value=float(value), unit=unit, qualifier=qualifier, source_id=source_id, quote=quote,
        quote_start=0, quote_end=len(quote), method="cue:test#1", unit_set=unit_set, rank_of=rank_of,
    )


def test_article_rank_different_from_the_official_table_is_a_conflict(table_facts):
    article = article_fact("dti.rank", 20)  # the official 2022 table has Hậu Giang at 17
    conflicts = find_conflicts(facts_frame(table_facts + [article]))
    assert validate_table("conflicts", conflicts).passed
    assert conflict_count(conflicts) == 1
    assert set(conflicts["conflict_id"]) == {"dti.rank/63/93/2022"}
    by_source = conflicts.set_index("source_id")
    assert by_source.loc["dti_provincial_2022", "value"] == 17.0
    assert by_source.loc["test_article", "value"] == 20.0
    assert by_source.loc["test_article", "quote"] == "Hậu Giang xếp thứ 20/63"
    assert by_source.loc["dti_provincial_2022", "quote"].startswith("2022,17,Hậu Giang")
    assert set(conflicts["province"]) == {"Hậu Giang"} and set(conflicts["ref_year"]) == {2022}


def test_article_rank_equal_to_the_press_table_is_no_conflict(table_facts):
    # Hà Nội's 2020 rank is 43 in the compiled table (baothanhhoa.vn); an article saying 43 agrees.
    rank = article_fact("dti.rank", 43, province_code="01", province="Hà Nội", ref_year=2020)
    facts = facts_frame(table_facts + [rank])
    same_key = facts[(facts["indicator_id"] == "dti.rank") & (facts["province_code"] == "01") & (facts["ref_year"] == 2020)]
    assert len(same_key) >= 2  # the comparison really happens
    assert find_conflicts(facts).empty


def test_bundled_tables_agree_where_they_overlap(table_facts):
    facts = facts_frame(table_facts)
    overlap = facts.groupby(["indicator_id", "unit_set", "province_code", "ref_year"])["source_id"].nunique()
    assert (overlap >= 2).sum() >= 4  # 2022 ranks of Đà Nẵng, HCM, Hà Nội, Trà Vinh
    conflicts = find_conflicts(facts)
    assert conflicts.empty and list(conflicts.columns)[0] == "conflict_id"
    assert validate_table("conflicts", conflicts).passed


def test_same_code_in_the_other_register_is_not_compared():
    facts = facts_frame([
        article_fact("dti.rank", 9, province_code="24", province="Bắc Giang", ref_year=2024, source_id="a"),
        article_fact("dti.rank", 3, province_code="24", province="Bắc Ninh", ref_year=2024, source_id="b",
                     unit_set=34, rank_of=34),
    ])
    assert find_conflicts(facts).empty


@pytest.mark.parametrize(
    "a, b, agree",
    [
        (0.3215, 0.32, True),  # 0.32 may be 0.3215 rounded
        (0.3215, 0.3216, False),  # same precision, different values
        (0.3215, 0.33, False),  # beyond the rounding of the less precise one
        (0.3215, 0.3, True),
        (28, 28, True),
        (28, 29, False),
    ],
)
def test_scores_compare_within_the_rounding_of_the_less_precise(a, b, agree):
    assert values_agree(a, "exact", b, "exact") is agree
    facts = facts_frame([
        article_fact("dti.score", a, unit="index", rank_of=None, source_id="a") if a < 1 else article_fact("dti.rank", a, source_id="a"),
        article_fact("dti.score", b, unit="index", rank_of=None, source_id="b") if b < 1 else article_fact("dti.rank", b, source_id="b"),
    ])
    assert find_conflicts(facts).empty is agree


@pytest.mark.parametrize(
    "qualifier, stated, exact, agree",
    [("over", 80, 82, True), ("over", 80, 75, False), ("under", 80, 79.5, True), ("under", 80, 85, False),
     ("approx", 300, 310, True), ("approx", 300, 400, False)],
)
def test_qualified_values_are_ranges(qualifier, stated, exact, agree):
    assert values_agree(stated, qualifier, exact, "exact") is agree


def test_dated_values_compare_with_the_whole_year_value_but_not_with_each_other():
    def pct(value, ref_date, source_id):
        return article_fact("infra.fiber_household_pct", value, unit="percent", rank_of=None, ref_date=ref_date,
                            source_id=source_id)

    facts = facts_frame([pct(60, "2022-03-01", "a"), pct(70, "2022-11-01", "b")])
    assert find_conflicts(facts).empty  # two moments of one year
    facts = facts_frame([pct(60, "2022-03-01", "a"), pct(70, "2022-11-01", "b"), pct(60, None, "c")])
    conflicts = find_conflicts(facts)
    assert set(conflicts["conflict_id"]) == {"infra.fiber_household_pct/63/93/2022/2022-11-01"}
    assert set(conflicts["source_id"]) == {"b", "c"}


def test_empty_input_gives_an_empty_typed_table():
    conflicts = find_conflicts(facts_frame([]))
    assert conflicts.empty and conflict_count(conflicts) == 0
    assert validate_table("conflicts", conflicts).passed


def test_facts_without_key_columns_are_refused():
    with pytest.raises(ValueError, match="lacks columns"):
        find_conflicts(pd.DataFrame({"indicator_id": ["dti.rank"]}))


def _pairwise_reference(facts: pd.DataFrame) -> pd.DataFrame:
    """The definition, written as loops over groups, dates and pairs: what the join must equal."""
    from itertools import combinations

    from dxdata.conflicts import CONFLICT_COLUMNS, GROUP, conflict_id, contradicts_official

    parts = []
    usable = facts[facts["province_code"].notna()]
    for key, group in usable.groupby(GROUP, sort=True):
        undated = group["ref_date"].isna()
        dates = sorted(group.loc[~undated, "ref_date"].unique())
        sets = [(d, group[undated | (group["ref_date"] == d).fillna(False).astype(bool)]) for d in dates] or [(None, group)]
        for ref_date, facts_set in sets:
            rows = list(facts_set[["source_id", "value", "qualifier"]].itertuples(index=False))
            if any(a.source_id != b.source_id and not values_agree(a.value, a.qualifier, b.value, b.qualifier) for a, b in combinations(rows, 2)):
                # Held out: within the conflict, contradicting one of its official-table values
                # (the definition, row by row; the join computes it as a merge).
                parts.append(facts_set.assign(conflict_id=conflict_id(*key, ref_date), held_out=contradicts_official(facts_set)))
    if not parts:
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    out = pd.concat(parts, ignore_index=True)[CONFLICT_COLUMNS]
    return out.sort_values(["conflict_id", "source_id", "method"], kind="mergesort").reset_index(drop=True)


def test_the_join_finds_exactly_the_pairwise_disagreements():
    import random

    rng = random.Random(12)
    facts = []
    for i in range(600):
        indicator, unit = rng.choice([("dti.rank", "rank"), ("infra.agency_internet_lan_pct", "percent"), ("dti.score", "index")])
        value = {"rank": lambda: rng.randint(1, 5), "percent": lambda: rng.choice([80, 80.4, 81, 95.25]), "index": lambda: rng.choice([0.32, 0.3215, 0.3216, 0.4])}[unit]()
        facts.append(article_fact(
            indicator, value, unit=unit, rank_of=63 if unit == "rank" else None,
            province_code=rng.choice(["93", "94", "01"]), ref_year=rng.choice([2021, 2022]),
            ref_date=rng.choice([None, None, "2022-05-05", "2022-06-01"]),
            qualifier=rng.choice(["exact", "exact", "over", "under", "approx"]),
            source_id=f"s{rng.randint(1, 12)}", unit_set=rng.choice([63, 63, 34]),
        ))
        if rng.random() < 0.15:  # some values from an official table: the others may be held out
            facts[-1] = dataclasses.replace(facts[-1], method=METHOD_OFFICIAL_TABLE, source_id=f"official{rng.randint(1, 2)}")
    frame = facts_frame(facts)
    found = find_conflicts(frame)
    expected = _pairwise_reference(frame)
    assert len(found) > 50 and 0 < found["held_out"].sum() < len(found)
    pd.testing.assert_frame_equal(found.reset_index(drop=True), expected.astype(found.dtypes.to_dict()), check_dtype=True)
