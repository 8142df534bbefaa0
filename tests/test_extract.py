"""Extraction behaviour on constructions of Vietnamese reporting: what is a province's fact,
what is a target, a national figure or a district's, and where each fact comes from."""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxdata import extract as engine
from dxdata.extract import ENGINE_VERSION, cli_extract, extract_article
from dxdata.model import Article


def article(body: str, *, title: str = "Tin chuyển đổi số", published: date | None = date(2023, 5, 9)) -> Article:
    text = f"{title}\n{body}\n"
    return Article(source_id="t", title=title, clean_text=text, published=published)


def facts(body: str, **kw) -> list[tuple]:
    result = extract_article(article(body, **kw))
    return sorted((f.indicator_id, f.province, f.value, f.qualifier, f.ref_year, f.ref_date) for f in result.facts)


def test_count_and_share_in_parentheses_are_two_facts():
    got = facts("Hệ thống họp trực tuyến của tỉnh Cao Bằng đã kết nối tới 10 UBND cấp huyện (100%).")
    assert got == [
        ("infra.videoconf_district_pct", "Cao Bằng", 100.0, "exact", 2023, "2023-05-09"),
        ("infra.videoconf_district_units", "Cao Bằng", 10.0, "exact", 2023, "2023-05-09"),
    ]


def test_targets_and_plans_are_not_facts():
    a = article(
        "Tỉnh Sóc Trăng phấn đấu đến năm 2025 đạt 80% hộ gia đình có kết nối cáp quang băng rộng. "
        "Tỉnh dự kiến thành lập thêm 150 tổ công nghệ số cộng đồng."
    )
    result = extract_article(a)
    assert result.facts == []
    assert [(t.indicator_id, t.value, t.ref_year) for t in result.targets] == [("infra.fiber_household_pct", 80.0, 2025)]


def test_national_totals_and_averages_are_not_a_provinces():
    assert facts(
        "Theo Bộ TT&TT, cả nước hiện có hơn 80.000 tổ công nghệ số cộng đồng với trên 350.000 thành viên. "
        "Tỷ lệ hồ sơ được xử lý trực tuyến bình quân cả nước đạt 42,6%.",
        title="Long An phát triển tổ công nghệ số",
    ) == []


def test_comparison_with_the_national_average_keeps_the_provinces_value():
    got = facts("Năm 2022, tỷ lệ hồ sơ được xử lý trực tuyến của Quảng Ninh đạt 86,5%, cao hơn bình quân cả nước.")
    assert got == [("egov.online_dossier_pct", "Quảng Ninh", 86.5, "exact", 2022, None)]


def test_districts_and_single_units_are_not_a_provinces():
    got = facts(
        "Lâm Đồng hiện có 2.387 trạm BTS. Riêng huyện Lạc Dương đã lắp đặt 30 điểm cầu. "
        "Toàn tỉnh có 2.065 trạm BTS, trong đó TP. Đà Lạt có 412 trạm."
    )
    assert got == [("infra.bts_stations", "Lâm Đồng", 2387.0, "exact", 2023, "2023-05-09")]


def test_growth_and_shares_are_not_levels():
    got = facts("Năm 2022, tỷ lệ hồ sơ thủ tục hành chính được xử lý trực tuyến của Trà Vinh đạt 52,17%, tăng 21,4% so với năm 2021.")
    assert got == [("egov.online_dossier_pct", "Trà Vinh", 52.17, "exact", 2022, None)]


def test_several_provinces_in_one_sentence():
    got = facts("Quảng Bình hiện có 1.532 trạm BTS, còn Quảng Trị có 1.186 trạm. Tỷ lệ hộ gia đình có kết nối cáp quang băng rộng ở Quảng Bình đạt 68%, ở Quảng Trị đạt 61,5%.")
    assert [(i, p, v) for i, p, v, *_ in got] == [
        ("infra.bts_stations", "Quảng Bình", 1532.0),
        ("infra.bts_stations", "Quảng Trị", 1186.0),
        ("infra.fiber_household_pct", "Quảng Bình", 68.0),
        ("infra.fiber_household_pct", "Quảng Trị", 61.5),
    ]


def test_province_from_the_title_and_aliases():
    assert facts("Toàn tỉnh hiện có 318 cán bộ chuyên trách, phụ trách CNTT.", title="Hoà Bình chú trọng nhân lực")[0][:3] == (
        "workforce.it_staff_total", "Hoà Bình", 318.0,
    )
    assert facts("TP.HCM hiện có hơn 13.000 doanh nghiệp CNTT.")[0][1] == "Hồ Chí Minh"
    assert facts("Thừa Thiên - Huế đang cung cấp 1.912 DVCTT.")[0][1] == "Huế"


def test_no_province_means_a_candidate_not_a_fact():
    result = extract_article(article("Tỉnh hiện có 318 cán bộ chuyên trách, phụ trách CNTT.", title="Nhân lực công nghệ thông tin"))
    assert result.facts == []
    assert [(c.indicator_id, c.province) for c in result.candidates] == [("workforce.it_staff_total", None)]
    assert "no province" in result.candidates[0].note


def test_road_named_after_a_city_is_not_a_province():
    result = extract_article(article("Các nhà mạng lắp đặt 30 trạm BTS dọc đường Hồ Chí Minh.", title="Hạ tầng viễn thông"))
    assert result.facts == []


def test_periods():
    got = facts(
        "Tính đến ngày 30/6/2023, toàn tỉnh Bình Phước có 1.250 tổ công nghệ số cộng đồng. "
        "Trong năm 2022, Bình Phước đã tiếp nhận 4.512 phản ánh hiện trường. "
        "Tỷ lệ hồ sơ trực tuyến của Bình Phước đã tăng từ 18,4% năm 2021 lên 46,3% năm 2022.",
        published=date(2024, 1, 15),
    )
    assert got == [
        ("egov.field_reports", "Bình Phước", 4512.0, "exact", 2022, None),
        ("egov.online_dossier_pct", "Bình Phước", 18.4, "exact", 2021, None),
        ("egov.online_dossier_pct", "Bình Phước", 46.3, "exact", 2022, None),
        ("workforce.community_tech_teams", "Bình Phước", 1250.0, "exact", 2023, "2023-06-30"),
    ]


def test_present_facts_need_a_publication_date():
    result = extract_article(article("Bình Định hiện có 146 doanh nghiệp công nghệ số.", published=None))
    assert result.facts == [] and result.candidates[0].confidence < engine.DEFAULT_THRESHOLD


def test_dti_edition_rule():
    body = "Năm 2021, Bắc Ninh xếp thứ 3/63 tỉnh, thành phố về chỉ số chuyển đổi số (DTI)."
    before = extract_article(article(body, published=date(2022, 4, 20))).facts[0]
    after = extract_article(article(body, published=date(2022, 9, 1))).facts[0]
    assert (before.ref_year, after.ref_year) == (2020, 2021)
    assert "2020 edition" in before.note and after.note is None


def test_other_indices_are_not_dti():
    assert facts("Theo Chỉ số PAPI năm 2021, An Giang xếp thứ 14/63. Ở Vietnam ICT Index, tỉnh đứng thứ 11/63.", title="An Giang chuyển đổi số") == []


def test_shared_ranks():
    got = facts("Theo DTI năm 2022, Đà Nẵng xếp thứ nhất; cả ba trụ cột chính quyền số, kinh tế số và xã hội số của thành phố đều xếp thứ nhất.", published=date(2023, 8, 1))
    assert {i for i, *_ in got} == {"dti.rank", "dti.rank_digital_government", "dti.rank_digital_economy", "dti.rank_digital_society"}


def test_method_names_the_cue_and_confidence_is_set():
    result = extract_article(article("Cổng Dịch vụ công tỉnh Hà Giang đang cung cấp 1.687 DVCTT, trong đó có 1.024 dịch vụ mức độ 4."))
    assert {f.method for f in result.facts} == {"cue:egov.online_services_total#1", "cue:egov.online_services_level4#1"}
    assert all(0 < f.confidence <= 1 for f in result.facts)


def test_threshold_moves_facts_to_candidates():
    a = article("Cổng Dịch vụ công tỉnh Hà Giang đang cung cấp 1.687 DVCTT.")
    assert extract_article(a, threshold=0.999).facts == []
    assert len(extract_article(a, threshold=0.999).candidates) == 1


def test_nfd_text_keeps_offsets_into_the_callers_text():
    body = unicodedata.normalize("NFD", "Toàn tỉnh Hoà Bình hiện có 318 cán bộ chuyên trách, phụ trách CNTT.")
    a = article(body, title=unicodedata.normalize("NFD", "Hoà Bình"))
    result = extract_article(a)
    (f,) = result.facts
    assert a.clean_text[f.quote_start : f.quote_end] == f.quote
    assert a.clean_text[f.value_start : f.value_end] == "318"


def test_engine_version_changes_with_the_catalogue(tmp_path, monkeypatch):
    assert ENGINE_VERSION == f"{engine.RULES_REVISION}+{engine._catalogue_digest()}"
    copy = tmp_path / "indicators.csv"
    copy.write_bytes(engine.paths.catalogue_path().read_bytes())
    for companion in ("province_nicknames.csv", "indicator_groups.csv"):
        (tmp_path / companion).write_bytes((engine.paths.catalogue_path().parent / companion).read_bytes())
    nicknames = tmp_path / "province_nicknames.csv"
    monkeypatch.setattr(engine.paths, "catalogue_path", lambda: copy)
    same = engine._catalogue_digest()
    copy.write_bytes(copy.read_bytes().replace(b"after:\xc4\x91i\xe1\xbb\x83m c\xe1\xba\xa7u", b"after:\xc4\x91i\xe1\xbb\x83m"))
    assert same == ENGINE_VERSION.split("+")[1] and engine._catalogue_digest() != same
    edited = engine._catalogue_digest()
    nicknames.write_text(nicknames.read_text(encoding="utf-8") + "Xứ Nghệ,40,\n", encoding="utf-8")
    assert engine._catalogue_digest() != edited


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400), st.sampled_from(["NFC", "NFD"]))
def test_arbitrary_text_never_crashes(text, form):
    text = unicodedata.normalize(form, text)
    result = extract_article(Article("x", text[:20] or None, text, date(2023, 1, 1)))
    for f in result.facts + result.candidates + result.targets:
        assert text[f.quote_start : f.quote_end] == f.quote


VOCAB = "Hà Giang Hậu Giang hiện có khoảng hơn gần 1.860 98% 2,5 xếp thứ 28/63 năm 2021 DVCTT trạm BTS tổ công nghệ số thành viên ( ) , . \n tỉ đồng doanh thu CNTT cả nước huyện phấn đấu".split(" ")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(VOCAB), max_size=80))
def test_reporting_vocabulary_in_any_order_never_crashes(words):
    text = " ".join(words)
    result = extract_article(Article("x", None, text, date(2023, 1, 1)))
    for f in result.facts:
        assert text[f.quote_start : f.quote_end] == f.quote and f.province_code


def test_cli_extract_prints_jsonl(tmp_path, capsys):
    p = tmp_path / "a.txt"
    p.write_text("Kon Tum hỗ trợ doanh nghiệp\nThứ Ba, ngày 15/11/2022\nKon Tum hiện có 38 doanh nghiệp CNTT.\n", encoding="utf-8")
    assert cli_extract([p], fmt="jsonl", published=None) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows == [
        {
            "indicator_id": "ent.it_enterprises", "province": "Kon Tum", "province_code": "62", "value": 38.0,
            "unit": "count", "qualifier": "exact", "ref_year": 2022, "ref_date": "2022-11-15", "rank_of": None,
            "quote": "Kon Tum hiện có 38 doanh nghiệp CNTT.", "start": rows[0]["start"], "end": rows[0]["end"],
            "method": "cue:ent.it_enterprises#1", "confidence": rows[0]["confidence"], "note": None,
            "source_id": "a", "file": str(p),
        }
    ]
    text = p.read_text(encoding="utf-8")
    assert text[rows[0]["start"] : rows[0]["end"]] == rows[0]["quote"]


def test_cli_extract_published_option_and_errors(tmp_path, capsys):
    p = tmp_path / "b.txt"
    p.write_text("Hậu Giang có 40 doanh nghiệp CNTT.\n", encoding="utf-8")
    assert cli_extract([p], fmt="jsonl", published="2023-05-01") == 0
    assert json.loads(capsys.readouterr().out)["ref_date"] == "2023-05-01"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00bad")
    assert cli_extract([bad], fmt="jsonl", published=None) == 2
    assert str(bad) in capsys.readouterr().err
    assert cli_extract([tmp_path / "missing.txt"], fmt="jsonl", published=None) == 2
    assert "missing.txt" in capsys.readouterr().err
    assert cli_extract([p], fmt="jsonl", published="5/1/2023") == 2


def test_extract_module_import_is_light():
    code = "import sys, dxdata.extract; print(any(m in sys.modules for m in ('pandas', 'dagster', 'duckdb')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


def test_dxdata_extract_command(tmp_path):
    p = tmp_path / "c.txt"
    p.write_text("Lạng Sơn\nĐăng ngày: 02/08/2023\nLạng Sơn đã cấp 7.416 chứng thư số.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "dxdata.cli", "extract", str(p), "--format", "jsonl"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    row = json.loads(done.stdout)
    assert (row["indicator_id"], row["province"], row["value"], row["ref_date"]) == ("infra.digital_certificates", "Lạng Sơn", 7416.0, "2023-08-02")


def test_ranks_on_other_measures_are_not_dti_but_named_dti_ranks_are():
    got = facts(
        "Năm 2021, Nghệ An xếp thứ 30 về chỉ số DTI, năm 2022 vươn lên thứ 20. Tỉnh đứng thứ 2 cả nước về tỷ lệ hồ sơ trực tuyến.",
        published=date(2023, 9, 20),
    )
    assert [(i, v, y) for i, _, v, _, y, _ in got] == [("dti.rank", 20.0, 2022), ("dti.rank", 30.0, 2021)]


def test_national_statement_is_not_a_provinces():
    result = extract_article(article("Bộ TT&TT cho biết, đến nay cả nước có 63/63 tỉnh đã kết nối LGSP với NDXP.", title="Hà Nội và cả nước"))
    assert result.facts == [] and result.candidates == []


def test_results_of_a_plan_are_facts():
    got = facts("Theo báo cáo kết quả thực hiện Kế hoạch chuyển đổi số, toàn tỉnh Bắc Giang có 2.150 tổ công nghệ số cộng đồng.")
    assert got == [("workforce.community_tech_teams", "Bắc Giang", 2150.0, "exact", 2023, "2023-05-09")]


def test_unrecorded_announcement_dates_keep_the_quoted_year_with_less_confidence():
    body = "Theo Bộ chỉ số DTI năm 2023, Hậu Giang xếp thứ 17/63 tỉnh, thành phố."
    (f,) = extract_article(article(body, published=date(2024, 6, 25))).facts
    assert f.ref_year == 2023 and "unknown" in f.note and f.confidence < 0.9
    (g,) = extract_article(article(body, published=date(2023, 12, 1))).facts
    assert g.ref_year == 2022 and "2022 edition" in g.note
