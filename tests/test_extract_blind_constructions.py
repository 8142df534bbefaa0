"""Constructions first seen in the blind set, tested on sentences written for these tests."""

from __future__ import annotations

from datetime import date

from dxdata.extract import extract_article
from dxdata.model import Article


def facts(body: str, title: str = "Tin chuyển đổi số") -> set[tuple]:
    text = f"{title}\n{body}\n"
    result = extract_article(Article(source_id="t", title=title, clean_text=text, published=date(2025, 10, 1)))
    return {(f.indicator_id, f.province, f.value) for f in result.facts}


def test_communes_worded_xa_phuong_after_the_merger():
    got = facts("Hệ thống hội nghị truyền hình của tỉnh Quảng Trị đã kết nối 78 xã, phường (100%).")
    assert got == {
        ("infra.videoconf_commune_units", "Quảng Trị", 78.0),
        ("infra.videoconf_commune_pct", "Quảng Trị", 100.0),
    }


def test_a_count_of_xa_phuong_without_video_conference_is_not_a_fact():
    got = facts("Sau sắp xếp, tỉnh Quảng Trị có 78 xã, phường và 2 đặc khu.")
    assert got == set()


def test_a_count_in_words_with_a_scale_word():
    got = facts("Tính đến nay, tỉnh Phú Thọ đã cấp hơn hai nghìn chứng thư số chuyên dùng cho các cơ quan.")
    assert got == {("infra.digital_certificates", "Phú Thọ", 2000.0)}


def test_compound_or_vague_amounts_in_words_are_not_read():
    from dxdata.numbers import scan_quantities
    from dxdata.text import fold

    for phrase in ("hai mươi ba nghìn chứng thư số", "hàng nghìn chứng thư số", "năm nghìn 500 chứng thư số"):
        assert [q.value for q in scan_quantities(fold(phrase)) if q.scale == 1e3] == [], phrase
    q = scan_quantities(fold("khoảng ba triệu đồng"))[0]
    assert (q.value, q.qualifier, q.money) == (3e6, "approx", True)
