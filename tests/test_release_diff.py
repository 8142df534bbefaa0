"""The row diff behind versions and release notes: exactly the rows touched are reported."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dxdata.release import arrow_to_pandas, row_changes, to_arrow
from release_fixtures import base_facts, fact
from dxdata.tables import facts_frame, split_fact_tables

BASE = base_facts()


def rankings(rows: list[dict]) -> pd.DataFrame:
    return arrow_to_pandas(to_arrow("rankings", split_fact_tables(facts_frame(rows))["rankings"]))


RANK_ROWS = [i for i, r in enumerate(BASE) if r["indicator_id"].startswith("dti.")]


@settings(max_examples=40, deadline=None)
@given(
    changed=st.sets(st.sampled_from(RANK_ROWS)),
    removed=st.sets(st.sampled_from(RANK_ROWS)),
    added_ranks=st.sets(st.integers(min_value=30, max_value=63), max_size=3),
)
def test_diff_reports_exactly_the_touched_rows(changed, removed, added_ranks):
    changed -= removed
    new_rows = []
    for i, row in enumerate(BASE):
        if i in removed:
            continue
        row = dict(row)
        if i in changed:
            row["value"] = row["value"] + 1 if row["unit"] == "rank" else round(row["value"] / 2, 4)
        new_rows.append(row)
    for rank in added_ranks:
        new_rows.append(fact("dti.rank", rank, province_code=f"{rank:02d}", province=f"P{rank}", ref_year=2021,
                             ref_date=None, unit="rank", rank_of=63, source_id="dti_test_table", method="official_table"))
    got = row_changes("rankings", rankings(BASE), rankings(new_rows))
    by_kind = {k: sorted((c["indicator_id"], c["province_code"]) for c in got if c["change"] == k)
               for k in ("added", "removed", "changed")}
    expect = lambda idx: sorted((BASE[i]["indicator_id"], BASE[i]["province_code"]) for i in idx)  # noqa: E731
    assert by_kind["changed"] == expect(changed)
    assert by_kind["removed"] == expect(removed)
    assert by_kind["added"] == sorted(("dti.rank", f"{r:02d}") for r in added_ranks)
    for c in got:
        if c["change"] == "changed":
            assert c["columns"] == "value" and c["old_value"] != c["new_value"]


def test_null_ref_date_matches_null_and_note_change_is_a_change():
    old = rankings(BASE)
    rows = [dict(r) for r in BASE]
    rows_with_note = [dict(r, note="checked again") if r["indicator_id"] == "dti.score" and r["province_code"] == "01" else r
                      for r in rows]
    assert row_changes("rankings", old, rankings(rows)) == []
    got = row_changes("rankings", old, rankings(rows_with_note))
    assert [(c["change"], c["province_code"], c["columns"]) for c in got] == [("changed", "01", "note")]


def test_row_keys_are_json_arrays_built_column_by_column():
    import json

    import pandas as pd

    from dxdata.release import _key_strings

    df = pd.DataFrame({
        "indicator_id": ["dti.rank", "dti.score", None],
        "ref_year": pd.array([2022, None, 2020], dtype="Int64"),
        "ref_date": pd.array([None, "2022-05-05", None], dtype="string"),
        "value": [17.0, 0.3215, float("nan")],
        "province": ["Hậu Giang", "Đà Nẵng", "Hà Nội"],
    })
    expected = [
        json.dumps([None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in row], ensure_ascii=False)
        for row in df.itertuples(index=False, name=None)
    ]
    assert list(_key_strings(df, list(df.columns))) == expected
