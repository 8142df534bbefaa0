"""Province registers (63 and 34 units), name resolution, and the facts_current_units view."""

import duckdb
import pandas as pd
import pytest

from dxdata import paths
from dxdata.model import Fact
from dxdata.official import (
    facts_current_units_sql,
    official_dti_facts,
    press_dti_facts,
    reference_tables,
    resolve_province_name,
)
from dxdata.provinces import UnknownProvinceError, load_register, name_key, register_for, strip_diacritics
from dxdata.tables import facts_frame
from schemas.tables import validate_table


@pytest.fixture(scope="module")
def refs():
    return reference_tables()


def test_registers_have_63_and_34_rows_and_validate(refs):
    assert len(refs["provinces"]) == 63
    assert len(refs["provinces_2025"]) == 34
    for name in ("provinces", "provinces_2025", "dti_editions"):
        assert validate_table(name, refs[name]).passed, name


def test_register_model_rejects_a_missing_province(refs):
    outcome = validate_table("provinces", refs["provinces"].iloc[1:])
    assert not outcome.passed
    assert "sixty_three_units" in set(outcome.failures["check"].astype(str))


def test_code_24_means_different_units_in_the_two_registers(refs):
    old = refs["provinces"].set_index("code")
    new = refs["provinces_2025"].set_index("code")
    assert old.loc["24", "name"] == "Bắc Giang" and new.loc["24", "name"] == "Bắc Ninh"
    assert new.loc["24", "merged_from_codes"] == "24|27"
    assert new.loc["92", "merged_from"] == "Cần Thơ|Hậu Giang|Sóc Trăng"
    assert old.loc["93", "merged_into_2025_code"] == "92"


def test_editions_table_dates_the_2020_edition(refs):
    editions = refs["dti_editions"].set_index("edition")
    assert list(editions.index) == [2020, 2021, 2022, 2023, 2024]
    assert editions.loc[2020, "announced_on"] == "2021-10-19"
    assert pd.isna(editions.loc[2023, "announced_on"])


def test_every_fact_code_exists_in_the_register_its_unit_set_names():
    facts = official_dti_facts() + press_dti_facts()
    assert {f.unit_set for f in facts} == {63, 34}
    for f in facts:
        unit = register_for(f.unit_set).by_code.get(f.province_code)
        assert unit is not None, (f.unit_set, f.province_code)
        assert unit.name == f.province


def test_no_ascii_form_names_two_provinces():
    seen = {}
    for p in load_register().provinces:
        for alias in (p.name, *p.aliases):
            key = name_key(strip_diacritics(alias))
            assert seen.setdefault(key, p.code) == p.code, alias


@pytest.mark.parametrize(
    "written, unit_set, code",
    [
        ("Thừa Thiên - Huế", 63, "46"),
        ("thua thien hue", 63, "46"),
        ("TP. Đà Nẵng", 63, "48"),
        ("TP.HCM", 63, "79"),
        ("Ho Chi Minh City", 34, "79"),
        ("Hoà Bình", 63, "17"),
        ("Hòa Bình", 63, "17"),
        ("former Da Nang", 63, "48"),
        ("new Da Nang", 34, "48"),
        ("Khanh Hoa Province", 34, "56"),
        ("Bắc Giang", 63, "24"),
        ("Bắc Ninh", 34, "24"),
        ("Bắc Ninh", 63, "27"),
    ],
)
def test_table_name_forms_resolve(written, unit_set, code):
    assert resolve_province_name(written, unit_set, where="t.csv:2").code == code


@pytest.mark.parametrize("written, unit_set", [("Bắc Giang", 34), ("new Da Nang", 63), ("Province", 63), ("Hanoi City Hall", 63)])
def test_names_outside_a_register_fail_naming_source_and_name(written, unit_set):
    with pytest.raises(UnknownProvinceError) as err:
        resolve_province_name(written, unit_set, where="t.csv:2")
    assert "t.csv:2" in str(err.value) and repr(written) in str(err.value)


def _fact(indicator_id, code, province, unit_set, value, source_id="s"):
    return Fact(
        indicator_id=indicator_id, province_code=code, province=province, ref_year=2024, ref_date=None,
        value=value, unit="rank", qualifier="exact", source_id=source_id, quote="q", quote_start=0, quote_end=1,
        method="test", unit_set=unit_set, rank_of=unit_set,
    )


def test_facts_current_units_labels_without_summing(refs):
    facts = facts_frame(
        [
            _fact("dti.rank", "24", "Bắc Giang", 63, 9),
            _fact("dti.rank", "27", "Bắc Ninh", 63, 7),
            _fact("dti.rank", "24", "Bắc Ninh", 34, 3),
            _fact("dti.rank", "93", "Hậu Giang", 63, 17),
            _fact("dti.rank", "93", "Hậu Giang", 63, 17, source_id="other"),
        ]
    )
    con = duckdb.connect()
    con.register("facts_frame", facts)
    # The view labels whatever current_facts holds (chosen by precedence upstream).
    con.execute("CREATE TABLE current_facts AS SELECT * FROM facts_frame")
    for name in ("provinces", "provinces_2025"):
        con.register(f"{name}_frame", refs[name])
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_frame")
    con.execute(facts_current_units_sql())
    got = con.execute(
        "SELECT unit_set, province_code, value, province_2025_code, province_2025 FROM facts_current_units "
        "ORDER BY unit_set, province_code, source_id"
    ).fetchall()
    assert got == [
        (34, "24", 3.0, "24", "Bắc Ninh"),
        (63, "24", 9.0, "24", "Bắc Ninh"),
        (63, "27", 7.0, "24", "Bắc Ninh"),
        (63, "93", 17.0, "92", "Cần Thơ"),
        (63, "93", 17.0, "92", "Cần Thơ"),
    ]
    columns = [row[0] for row in con.execute("DESCRIBE facts_current_units").fetchall()]
    assert columns == [*facts.columns, "province_2025_code", "province_2025"]


def test_readme_top_ten_example_matches_the_data(refs):
    """The DuckDB example in the README, run on the bundled tables, prints what the README shows."""
    import re

    doc = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    example = doc.split("### Example", 1)[1]
    query = re.search(r"```sql\n(.*?)```", example, re.S).group(1)
    shown = re.search(r"```text\n(.*?)```", example, re.S).group(1)
    expected = [
        tuple(cell.strip() for cell in line.strip("│").split("│"))
        for line in shown.splitlines()
        if line.startswith("│") and line.split("│")[1].strip().isdigit()
    ]
    con = bundled_tables_database(refs)
    got = [tuple(str(v) for v in row) for row in con.execute(query).fetchall()]
    assert len(expected) == 10
    assert got == expected


def bundled_tables_database(refs) -> duckdb.DuckDBPyConnection:
    """The bundled table sources as a release's dx.duckdb has them, views included."""
    from dxdata.conflicts import find_conflicts
    from dxdata.official import table_source_records
    from dxdata.release import run_view_files
    from dxdata.tables import frame_for, split_fact_tables

    facts = facts_frame(official_dti_facts() + press_dti_facts())
    tables = {**split_fact_tables(facts), **refs, "conflicts": find_conflicts(facts),
              "sources": frame_for("sources", table_source_records())}
    con = duckdb.connect()
    for name, df in tables.items():
        con.register(f"{name}_frame", df)
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_frame")
    run_view_files(con, paths.views_dir())
    return con


def test_register_for_refuses_an_unknown_unit_set():
    assert len(register_for(34).provinces) == 34
    with pytest.raises(ValueError, match="unit_set"):
        register_for(64)
