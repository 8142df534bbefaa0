"""Official and press-reported DTI tables become facts exactly as published, with provenance."""

import csv
import hashlib
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from dxdata import official, paths
from dxdata.official import TableSourceError, official_dti_facts, press_dti_facts, table_source_records
from dxdata.provinces import UnknownProvinceError
from dxdata.tables import facts_frame, frame_for, split_fact_tables
from schemas.tables import validate_table

OFFICIAL_CSV = paths.REPO_ROOT / "sources" / "tables" / "dti" / "dti_provincial_2022.csv"
PRESS_CSV = paths.REPO_ROOT / "sources" / "tables" / "dti" / "dti_reported_values.csv"
PRESS_HEADER = "edition,unit_set,province_code,province,province_as_written,indicator_id,value,source_url,source_title,published,quote,note"


def press_row(edition, unit_set, code, written, value, url="https://example.org/a", indicator="dti.rank", province=""):
    return f"{edition},{unit_set},{code},{province},{written},{indicator},{value},{url},Title,2022-01-02,,"


@pytest.fixture(scope="module")
def official_facts():
    return official_dti_facts()


@pytest.fixture(scope="module")
def press_facts():
    return press_dti_facts()


def csv_rows(path):
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_official_ranks_are_the_csv_ranks_ties_included(official_facts):
    ranks = [f for f in official_facts if f.indicator_id == "dti.rank"]
    published = [int(r["rank"]) for r in csv_rows(OFFICIAL_CSV)]
    assert len(ranks) == 63
    assert sorted(int(f.value) for f in ranks) == sorted(published)
    counts = Counter(int(f.value) for f in ranks)
    assert counts[15] == 2 and 16 not in counts
    assert {f.province for f in ranks if f.value == 15} == {"Thanh Hóa", "Yên Bái"}
    assert len({f.province_code for f in ranks}) == 63
    assert all(f.rank_of == 63 and f.unit_set == 63 and f.ref_year == 2022 and f.ref_date is None for f in ranks)
    assert all(f.method == "official_table" and f.source_id == "dti_provincial_2022" and f.confidence == 1 for f in ranks)
    by_code = {f.province_code: int(f.value) for f in ranks}
    assert by_code["48"] == 1 and by_code["93"] == 17 and by_code["06"] == 63


def test_each_official_fact_quotes_its_csv_line(official_facts):
    text = OFFICIAL_CSV.read_text(encoding="utf-8")
    lines = set(text.splitlines()[1:])
    for f in official_facts:
        assert text[f.quote_start : f.quote_end] == f.quote
        assert f.quote in lines
        row = next(csv.DictReader([text.splitlines()[0], f.quote]))
        if f.indicator_id == "dti.rank":
            assert int(row["rank"]) == f.value


def test_official_scores_only_where_published(official_facts):
    scores = [f for f in official_facts if f.unit == "index"]
    assert len(scores) == 5 * 9
    assert {f.province_code for f in scores} == {"48", "79", "22", "46", "92"}
    da_nang = {f.indicator_id: f.value for f in scores if f.province_code == "48"}
    assert da_nang["dti.score"] == 0.8002
    assert da_nang["dti.score_digital_society_ops"] == 0.5197
    assert da_nang["dti.score_digital_awareness"] == 1.0


def test_tied_ranks_say_so_in_the_note(official_facts):
    notes = {f.province: f.note for f in official_facts if f.indicator_id == "dti.rank"}
    assert "tied" in notes["Yên Bái"] and "https://dti.gov.vn/xep-hang-2022" in notes["Yên Bái"]
    assert "tied" not in notes["Hậu Giang"]


def test_press_facts_one_per_row_each_naming_its_page(press_facts):
    rows = csv_rows(PRESS_CSV)
    official_rows = [r for r in rows if r["source_url"] == "https://dti.gov.vn/xep-hang-2022"]
    assert official_rows, "the compiled table also cites the official table"
    # Rows citing the bundled official table are read from it, not twice.
    assert len(press_facts) == len(rows) - len(official_rows)
    text = PRESS_CSV.read_text(encoding="utf-8")
    for f in press_facts:
        assert f.method == "press_table"
        assert text[f.quote_start : f.quote_end] == f.quote
        row = next(csv.DictReader([text.splitlines()[0], f.quote]))
        # Each fact's source is its page, and its note names the page's URL.
        assert f.source_id == official.page_source_id(row["source_url"])
        assert f.note.startswith(f"reported by {row['source_url']}")
        assert (f.indicator_id, f.province_code, f.ref_year, f.value) == (row["indicator_id"], row["province_code"], int(row["edition"]), float(row["value"]))
    assert len({f.source_id for f in press_facts}) == len({r["source_url"] for r in rows}) - 1


def test_press_rows_of_the_34_unit_ranking_keep_their_own_map(press_facts):
    merged = [f for f in press_facts if f.unit_set == 34]
    assert merged and all(f.rank_of in (34, None) for f in merged)
    assert all(f.rank_of == 34 for f in merged if f.unit == "rank")
    assert all(f.ref_year == 2024 for f in merged)
    da_nang_2024 = {(f.unit_set, int(f.value)) for f in press_facts if f.province_code == "48" and f.ref_year == 2024 and f.indicator_id == "dti.rank"}
    assert da_nang_2024 == {(63, 2), (34, 17)}
    khanh_hoa = [f for f in press_facts if f.province_code == "56" and f.indicator_id == "dti.rank"]
    assert [(f.unit_set, f.value, f.province) for f in khanh_hoa] == [(34, 16.0, "Khánh Hòa")]


def test_table_facts_pass_the_rankings_model(official_facts, press_facts):
    tables = split_fact_tables(facts_frame(official_facts + press_facts))
    assert all(len(df) == 0 for name, df in tables.items() if name != "rankings")
    outcome = validate_table("rankings", tables["rankings"])
    assert outcome.passed, outcome.failures


def write_press(tmp_path, *rows):
    path = tmp_path / "press.csv"
    path.write_text("\n".join([PRESS_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_unknown_province_in_official_table_names_file_and_name(tmp_path):
    lines = OFFICIAL_CSV.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("Quảng Ninh", "Quảng Ninhh")
    path = tmp_path / "dti_bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(UnknownProvinceError) as err:
        official_dti_facts(path)
    assert str(path) in str(err.value) and "'Quảng Ninhh'" in str(err.value) and ":4:" in str(err.value)


def test_unknown_province_in_press_table_names_file_and_name(tmp_path):
    path = write_press(tmp_path, press_row(2021, 63, "99", "Atlantis Province", 5, "https://example.org/a"))
    with pytest.raises(UnknownProvinceError) as err:
        press_dti_facts(path)
    assert str(path) in str(err.value) and "'Atlantis Province'" in str(err.value)


def test_press_name_forms_resolve_generally(tmp_path):
    path = write_press(
        tmp_path,
        press_row(2024, 63, "52", "former Binh Dinh Province", 30, "https://example.org/a"),
        press_row(2024, 34, "52", "new Gia Lai", 9, "https://example.org/b"),
        press_row(2024, 34, "92", "Thành phố Cần Thơ", 10, "https://example.org/c"),
        press_row(2024, 63, "93", "Hau Giang (cũ)", 44, "https://example.org/d"),
    )
    got = [(f.unit_set, f.province_code, f.province) for f in press_dti_facts(path)]
    assert got == [(63, "52", "Bình Định"), (34, "52", "Gia Lai"), (34, "92", "Cần Thơ"), (63, "93", "Hậu Giang")]


def test_former_name_in_a_34_unit_row_is_an_error(tmp_path):
    path = write_press(tmp_path, press_row(2024, 34, "48", "former Da Nang", 17, "https://example.org/a"))
    with pytest.raises(UnknownProvinceError, match="former"):
        press_dti_facts(path)


def test_merged_away_province_is_unknown_in_the_34_unit_map(tmp_path):
    path = write_press(tmp_path, press_row(2024, 34, "49", "Quảng Nam", 20, "https://example.org/a"))
    with pytest.raises(UnknownProvinceError, match="34-unit"):
        press_dti_facts(path)


def test_name_and_code_must_agree(tmp_path):
    path = write_press(tmp_path, press_row(2022, 63, "24", "Bắc Ninh", 24, "https://example.org/a"))
    with pytest.raises(TableSourceError) as err:
        press_dti_facts(path)
    assert f"{path}:2" in str(err.value) and "27" in str(err.value)


def test_rank_beyond_its_ranking_is_an_error(tmp_path):
    path = write_press(tmp_path, press_row(2024, 34, "01", "Hà Nội", 40, "https://example.org/a"))
    with pytest.raises(TableSourceError, match=r"press.csv:2: column value is 40"):
        press_dti_facts(path)


def test_decimal_comma_is_rejected_with_its_line(tmp_path):
    path = write_press(tmp_path, press_row(2022, 63, "84", "Trà Vinh", '"0,6077"', indicator="dti.score"))
    with pytest.raises(TableSourceError, match=r"press.csv:2: column value"):
        press_dti_facts(path)


def test_same_value_stated_twice_in_one_table_names_both_lines(tmp_path):
    path = write_press(
        tmp_path,
        press_row(2022, 63, "84", "Trà Vinh", 25, "https://example.org/a"),
        press_row(2022, 63, "84", "Tra Vinh", 26, "https://example.org/a"),
    )
    with pytest.raises(TableSourceError, match=r"press.csv:3: .*already given on line 2"):
        press_dti_facts(path)


def test_crlf_table_offsets_still_match(tmp_path):
    path = tmp_path / "press.csv"
    rows = [press_row(2022, 63, "84", "Trà Vinh", 25), press_row(2022, 63, "84", "Trà Vinh", 0.6077, indicator="dti.score")]
    path.write_bytes((PRESS_HEADER + "\r\n" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
    facts = press_dti_facts(path)
    text = official.read_clean_text(path)
    assert [f.indicator_id for f in facts] == ["dti.rank", "dti.score"]
    assert all(text[f.quote_start : f.quote_end] == f.quote and not f.quote.endswith("\r") for f in facts)


def test_table_source_records_cite_every_bundled_table():
    records = frame_for("sources", table_source_records())
    assert validate_table("sources", records).passed
    by_id = records.set_index("source_id")
    assert by_id.loc["dti_provincial_2022", "kind"] == "official_table"
    assert by_id.loc["dti_provincial_2022", "url"] == "https://dti.gov.vn/xep-hang-2022"
    # One row per page the compiled table cites, each with that page's one URL.
    pages = by_id[by_id["path"] == "tables/dti/dti_reported_values.csv"]
    cited = {r["source_url"] for r in csv_rows(PRESS_CSV)} - {"https://dti.gov.vn/xep-hang-2022"}
    assert set(pages["url"]) == cited and len(pages) == len(cited)
    assert (pages["kind"] == "press_table").all()
    assert records["url"].dropna().str.fullmatch(r"https?://\S+").all()
    assert "dti_reported_values" not in by_id.index
    assert by_id.loc["provinces", "kind"] == "register"
    for source_id, row in by_id.iterrows():
        base = paths.registers_dir().parent if row["path"].startswith("registers/") else paths.sources_dir()
        data = (base / row["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"], source_id


def test_offsets_survive_unusual_line_separators_inside_cells(tmp_path):
    odd = press_row(2022, 63, "84", "Trà Vinh", 25).replace(",Title,", ',"Title\u2028b",')
    path = write_press(tmp_path, odd, press_row(2022, 63, "48", "Đà Nẵng", 1, "https://example.org/c"))
    facts = press_dti_facts(path)
    text = official.read_clean_text(path)
    assert all(text[f.quote_start : f.quote_end] == f.quote for f in facts)
    assert [f.quote.split(",")[4] for f in facts] == ["Trà Vinh", "Đà Nẵng"]
