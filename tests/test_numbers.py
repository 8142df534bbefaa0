"""The Vietnamese quantity grammar: notation, scale words, percent, ranks, ranges, qualifiers,
and the numbers that are not quantities (dates, decrees, phone numbers)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dxdata.numbers import format_vn, number_style, parse_number, scan_quantities
from dxdata.text import fold


def quantities(text: str, style: str = "vn"):
    return scan_quantities(fold(text), style=style)


def one(text: str, style: str = "vn"):
    found = quantities(text, style)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "token, value",
    [
        ("1.860", 1860),
        ("2,5", 2.5),
        ("0,5064", 0.5064),
        ("16.000", 16000),
        ("1.234.567,89", 1234567.89),
        ("0.5064", 0.5064),  # invalid as Vietnamese (group of 4): read the English way
        ("98.5", 98.5),
        ("1,234,567", 1234567),
        ("625", 625),
    ],
)
def test_parse_number_vietnamese_first(token, value):
    assert parse_number(token) == pytest.approx(value)


@pytest.mark.parametrize("token", ["0205.3.888.123", "1.23.4", "12,3,4", "", "abc"])
def test_parse_number_rejects_non_numbers(token):
    assert parse_number(token) is None


def test_english_style_reads_ambiguous_tokens_the_english_way():
    assert parse_number("4,215", "en") == 4215
    assert parse_number("4,215", "vn") == pytest.approx(4.215)
    assert number_style("đạt 96.5%, là 93.2%, xử lý 3.5 ngày; có 4,215 trạm") == "en"
    assert number_style("đạt 96,5%, có 4.215 trạm, công nghiệp 4.0") == "vn"


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=0, max_value=1e15, allow_nan=False, allow_infinity=False), st.integers(min_value=0, max_value=4))
def test_format_vn_then_parse_gives_the_number_back(value, decimals):
    text = format_vn(value, decimals)
    expected = float(f"{value:.{decimals}f}")
    assert parse_number(text) == pytest.approx(expected, rel=1e-12, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_format_vn_integers_roundtrip_inside_a_sentence(n):
    q = one(f"Tỉnh có {format_vn(n)} hồ sơ.")
    assert q.value == n and q.kind == "number"


@pytest.mark.parametrize(
    "text, value",
    [
        ("khoảng 300 tỉ đồng", 300e9),
        ("1,2 nghìn tỷ đồng", 1.2e12),
        ("206,4 nghìn tỷ đồng", 206.4e12),
        ("36 ngàn hồ sơ", 36000),
        ("xấp xỉ 2,3 triệu phản ánh", 2.3e6),
    ],
)
def test_scale_words(text, value):
    assert one(text).value == pytest.approx(value)


def test_money_is_marked():
    assert one("doanh thu 300 tỉ đồng").money
    assert not one("300 người").money


@pytest.mark.parametrize("text", ["98%", "98 %", "98 phần trăm"])
def test_percent_forms(text):
    q = one("đạt " + text)
    assert q.kind == "percent" and q.value == 98


@pytest.mark.parametrize(
    "text, value, of",
    [
        ("xếp thứ 28/63 tỉnh, thành phố", 28, 63),
        ("đứng thứ 6 trong 63 tỉnh, thành phố", 6, 63),
        ("xếp hạng 12/63", 12, 63),
        ("hạng 12", 12, None),
        ("ở vị trí thứ 21", 21, None),
        ("xếp thứ 09/63", 9, 63),
        ("xếp thứ ba trong bảng", 3, None),
        ("đứng thứ nhất", 1, None),
    ],
)
def test_ranks(text, value, of):
    q = one(text)
    assert (q.kind, q.value, q.denominator) == ("rank", value, of)


def test_weekday_is_not_a_rank():
    assert quantities("Thứ năm, 05/05/2022 21:48") == []


def test_fraction_and_count_share():
    found = quantities("100% UBND cấp huyện (15/15 đơn vị) và 8 UBND cấp huyện (100%)")
    assert [(q.kind, q.value) for q in found] == [("percent", 100), ("fraction", 15), ("number", 8), ("percent", 100)]


@pytest.mark.parametrize(
    "text, qualifier",
    [
        ("khoảng 7.000", "approx"),
        ("xấp xỉ 80%", "approx"),
        ("ước tính 41.500", "approx"),
        ("ước đạt 2,5 nghìn tỷ đồng", "approx"),
        ("trên dưới 19.000", "approx"),
        ("hơn 500", "over"),
        ("trên 91%", "over"),
        ("ít nhất 600", "over"),
        ("vượt 2.000", "over"),
        ("gần 16.000", "under"),
        ("dưới 400", "under"),
        ("chưa đến 300", "under"),
        ("có 625", "exact"),
    ],
)
def test_qualifiers(text, qualifier):
    assert one(text).qualifier == qualifier


def test_ranges():
    q = one("mỗi tổ có từ 5 đến 7 thành viên")
    assert (q.kind, q.value, q.high) == ("range", 5, 7)
    q = one("ước từ 75% đến 80%")
    assert q.kind == "range" and q.percent and (q.value, q.high) == (75, 80)


@pytest.mark.parametrize(
    "text",
    [
        "ngày 5/5/2022",
        "Quyết định số 942/QĐ-TTg",
        "Nghị quyết số 14-NQ/TU",
        "Kế hoạch số 115/KH-UBND",
        "số điện thoại 0205.3.888.123",
        "qua tổng đài 1022",
        "phủ sóng 4G",
        "lúc 21:48",
        "năm 2021",
        "giai đoạn 2022-2023",
        "tháng 9/2024",
        "quý I/2022",
        "ngày 7 tháng 10",
        "dịch vụ mức độ 4",
        "GMT+7",
    ],
)
def test_not_quantities(text):
    assert quantities(text) == []


def test_spans_point_into_the_text():
    text = "Tỉnh có gần 16.000 hồ sơ và 98 % cơ quan."
    for q in quantities(text):
        assert fold(text)[q.start : q.end] == q.text
        assert not math.isnan(q.value)


@pytest.mark.parametrize("token", ["4.2150,5064", "0.50644,215", "1,5.25"])
def test_parse_number_rejects_a_separator_after_the_decimal_mark(token):
    # Both readings are invalid: neither style puts a group separator after the decimal mark.
    assert parse_number(token) is None
    assert parse_number(token, "en") is None


def test_extraction_survives_tokens_no_number_style_can_read():
    from datetime import date

    from dxdata.extract import extract_article
    from dxdata.model import Article

    text = "Bắc Ninh hiện có 4.2150,5064 trạm BTS và 1.860 dịch vụ công trực tuyến.\n"
    result = extract_article(Article("odd_tokens", None, text, date(2023, 3, 1)))
    assert [(f.indicator_id, f.value) for f in result.facts] == [("egov.online_services_total", 1860.0)]
