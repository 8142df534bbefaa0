"""Counts stated as a part of a whole and online-service levels named together."""

from __future__ import annotations

from datetime import date

from dxdata.extract import extract_article
from dxdata.model import Article


def facts(body: str, title: str = "Tin chuyển đổi số") -> set[tuple]:
    text = f"{title}\n{body}\n"
    result = extract_article(Article(source_id="t", title=title, clean_text=text, published=date(2023, 9, 1)))
    return {(f.indicator_id, f.province, f.value) for f in result.facts}


def test_part_of_total_is_the_part():
    got = facts("Hệ thống họp trực tuyến của Bắc Giang đã kết nối 205 trên tổng số 209 UBND cấp xã.")
    assert got == {("infra.videoconf_commune_units", "Bắc Giang", 205.0)}


def test_levels_three_and_four_together_are_the_total():
    got = facts("Cổng dịch vụ công của Hưng Yên cung cấp 1.640 dịch vụ công trực tuyến mức độ 3, 4, trong đó mức độ 4 là 1.020 dịch vụ.")
    assert got == {
        ("egov.online_services_total", "Hưng Yên", 1640.0),
        ("egov.online_services_level4", "Hưng Yên", 1020.0),
    }
