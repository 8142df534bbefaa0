"""Phrasings from real news text that the engine missed on the dev split (tuning session 4,
helper tune-r, focus recall). Each test sentence is written for the test, not copied from a
page; the error kind it covers is named in the test's docstring or name."""

from __future__ import annotations

from datetime import date

from dxdata.extract import extract_article
from dxdata.model import Article


def run(body: str, title: str = "Kết quả chuyển đổi số", published: date = date(2023, 9, 1)):
    text = f"{title}\n{body}\n"
    return extract_article(Article(source_id="t", title=title, clean_text=text, published=published))


def facts(body: str, title: str = "Kết quả chuyển đổi số", published: date = date(2023, 9, 1)) -> set[tuple]:
    return {(f.indicator_id, f.province, f.value) for f in run(body, title, published).facts}


def dated(body: str, title: str = "Kết quả chuyển đổi số", published: date = date(2023, 9, 1)) -> set[tuple]:
    return {(f.indicator_id, f.province, f.value, f.qualifier, f.ref_year) for f in run(body, title, published).facts}


# --- The eight DTI main-index ranks ---------------------------------------------------------

def test_main_index_ranks_listed_after_the_overall_rank():
    got = facts(
        "Theo DTI 2022, Phú Yên xếp thứ 40/63. Ở các chỉ số chính, thể chế số xếp hạng 12/63, "
        "nhận thức số 20/63, nhân lực số 35/63, hạ tầng số 44/63, an toàn thông tin mạng 50/63."
    )
    assert got == {
        ("dti.rank", "Phú Yên", 40.0),
        ("dti.rank_digital_institutions", "Phú Yên", 12.0),
        ("dti.rank_digital_awareness", "Phú Yên", 20.0),
        ("dti.rank_digital_workforce", "Phú Yên", 35.0),
        ("dti.rank_digital_infrastructure", "Phú Yên", 44.0),
        ("dti.rank_cybersecurity", "Phú Yên", 50.0),
    }


def test_main_index_rank_with_the_index_named_before_the_verb():
    got = facts("Theo DTI 2022, chỉ số về an toàn thông tin mạng của Hà Tĩnh xếp thứ 7/63.")
    assert got == {("dti.rank_cybersecurity", "Hà Tĩnh", 7.0)}


def test_operations_rank_is_not_the_pillar_rank():
    got = facts("Theo DTI 2022, chỉ số hoạt động kinh tế số của Nam Định xếp thứ 11/63, trụ cột kinh tế số xếp thứ 18/63.")
    assert got == {("dti.rank_digital_economy_ops", "Nam Định", 11.0), ("dti.rank_digital_economy", "Nam Định", 18.0)}


def test_main_index_name_outside_dti_context_gives_no_rank():
    assert facts("Hạ tầng số của Phú Yên được đầu tư mạnh, số trạm BTS xếp thứ 9 khu vực.", title="Phú Yên đầu tư hạ tầng") == set()
