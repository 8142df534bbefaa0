"""Precision on real-text phrasing (session 4, tune-p): kinds of false fact the editor reviews
of the dev split found, each with short sentences written for the test (not page text)."""

from __future__ import annotations

from datetime import date

from dxdata.extract import extract_article
from dxdata.model import Article


def facts(body: str, title: str = "Chuyển đổi số ở địa phương", published: date = date(2023, 9, 1)) -> set[tuple]:
    text = f"{title}\n{body}\n"
    result = extract_article(Article(source_id="t", title=title, clean_text=text, published=published))
    return {(f.indicator_id, f.province, f.value) for f in result.facts}


def ranks(got: set[tuple]) -> set[tuple]:
    return {g for g in got if g[0] == "dti.rank"}


# --- a group at the top or bottom of a table is membership, not a rank ----------------------


def test_top_ten_list_gives_no_rank_to_its_first_member():
    got = facts("Nhóm 10 tỉnh, thành phố dẫn đầu về DTI 2022 gồm: Quảng Ninh, Đà Nẵng, Bắc Ninh và Hải Phòng.")
    assert not ranks(got)
    got = facts("Top 10 tỉnh, thành phố đứng đầu về DTI 2022 gồm: Quảng Ninh, Đà Nẵng, Bắc Ninh và Hải Phòng.")
    assert not ranks(got)


def test_bottom_group_listed_after_gives_no_last_rank():
    got = facts("Ba địa phương đứng cuối bảng DTI 2022 là Điện Biên, Lai Châu và Hà Giang.")
    assert not ranks(got)
    got = facts("3 địa phương đứng cuối bảng với giá trị DTI dưới 0,4 là Điện Biên, Lai Châu và Hà Giang.")
    assert not ranks(got)


def test_a_single_province_leading_or_last_keeps_its_rank():
    assert ("dti.rank", "Quảng Ninh", 1.0) in facts("Về DTI 2022, Quảng Ninh đứng đầu cả nước.")
    assert ("dti.rank", "Lai Châu", 63.0) in facts("Về chuyển đổi số năm 2022, Lai Châu xếp cuối bảng.")
