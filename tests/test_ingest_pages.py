"""Ingest details that mutation testing (scripts/mutation_test.py) found no test for: where a
page's stamp may come from, a time printed in its own part of a dateline, and the fields an
article and its `sources` row take from the sidecar."""

from __future__ import annotations

from datetime import date, datetime

from dxdata.ingest import VN_TZ, article_from_text, find_dateline, parse_dateline, source_record

PROSE = [f"Đoạn văn thứ {i} của bài viết nói về chuyển đổi số ở địa phương." for i in range(1, 19)]


def page(*, at: int, line: str) -> str:
    """A title, then 18 prose lines with `line` inserted at index `at` of the body."""
    body = PROSE[:at] + [line] + PROSE[at:]
    return "\n".join(["Tiêu đề bài viết", *body])


def test_a_time_in_its_own_part_of_the_dateline_is_read():
    assert parse_dateline("05/10/2023 | 10:15") == datetime(2023, 10, 5, 10, 15, tzinfo=VN_TZ)
    assert parse_dateline("Chuyển đổi số | 05/10/2023 | 10:15") == datetime(2023, 10, 5, 10, 15, tzinfo=VN_TZ)


def test_a_stamp_at_the_foot_of_the_page_is_found():
    assert find_dateline(page(at=17, line="Cập nhật 12/01/2023 10:15")) == datetime(2023, 1, 12, 10, 15, tzinfo=VN_TZ)


def test_a_stamp_in_the_middle_of_the_page_is_not_the_dateline():
    # Neither near the top nor among the last lines: a date and time inside the story.
    assert find_dateline(page(at=9, line="Cập nhật 12/01/2023 10:15")) is None


def test_a_foot_line_with_a_date_but_no_time_is_not_a_stamp():
    assert find_dateline(page(at=17, line="Cập nhật 12/01/2023")) is None


def test_a_foot_line_ending_as_a_sentence_is_not_a_stamp():
    for end in (".", "!", "?", ":"):
        assert find_dateline(page(at=17, line=f"Hẹn gặp lại lúc 10:15 ngày 12/01/2023{end}")) is None, end


SIDECAR = {
    "source_id": "901_test_page",
    "title": "Tiêu đề từ sidecar",
    "publisher": "Nhà xuất bản thử nghiệm",
    "published_at": "2023-06-11T20:30:00+00:00",  # 12 June in Vietnam
    "url": "https://example.invalid/901",
    "language": "vi",
    "licence": "Invented for the tests of this repository",
}


def test_article_takes_source_id_title_and_date_from_the_sidecar():
    article = article_from_text("Dòng đầu không phải tiêu đề\nNội dung bài viết.\n", source_id="901_test_page", metadata=SIDECAR)
    assert (article.source_id, article.title, article.published) == ("901_test_page", "Tiêu đề từ sidecar", date(2023, 6, 12))


def test_source_record_fields():
    article = article_from_text("Tiêu đề\nNội dung bài viết.\n", source_id="901_test_page", metadata=SIDECAR)
    record = source_record(article, sources_root=None)
    assert {k: record[k] for k in ("source_id", "kind", "title", "publisher", "url", "language", "licence", "path")} == {
        "source_id": "901_test_page",
        "kind": "article",
        "title": "Tiêu đề từ sidecar",
        "publisher": "Nhà xuất bản thử nghiệm",
        "url": "https://example.invalid/901",
        "language": "vi",
        "licence": "Invented for the tests of this repository",
        "path": "articles/901_test_page.txt",
    }
    assert record["published_at"] == SIDECAR["published_at"] and len(record["sha256"]) == 64


def test_a_dateline_is_looked_for_in_the_first_five_lines_only():
    lines = ["Tiêu đề bài viết", *PROSE[:4]]
    assert find_dateline("\n".join([*lines[:4], "Ngày 12/01/2023", *PROSE])) == datetime(2023, 1, 12, tzinfo=VN_TZ)
    # A date-only line further down is a date in the story (the foot rule needs a clock time).
    assert find_dateline("\n".join([*lines, "Ngày 12/01/2023", *PROSE])) is None
