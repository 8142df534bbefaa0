"""Editor reviews: reading and checking review files, the blind split, the publication policy
(reviewed / automatic / queued) and evaluation against reviews.

The sample is the bundled seed article with its review (sources/reviews/000_a63f0aa6a1ed3e39.csv,
written from the text); malformed variants are written to tmp_path."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from dxdata import paths
from dxdata.ingest import load_article
from dxdata.reviews import (
    REVIEW_COLUMNS,
    ReviewError,
    find_quote,
    in_split,
    is_blind,
    load_review,
    pair_engine_facts,
    read_review,
    split_of,
    value_in_quote,
)

SEED = "000_a63f0aa6a1ed3e39"
SEED_REVIEW = paths.REPO_ROOT / "sources" / "reviews" / f"{SEED}.csv"


@pytest.fixture(scope="module")
def seed_article():
    return load_article(paths.REPO_ROOT / "sources" / "articles" / f"{SEED}.txt")


def review_rows() -> list[dict]:
    with SEED_REVIEW.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_review(path: Path, rows: list[dict], header=REVIEW_COLUMNS) -> Path:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(header), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def row(which: str, **changes) -> dict:
    """The seed review's row for an indicator, with changes."""
    found = next(r for r in review_rows() if r["indicator_id"] == which)
    return {**found, **changes}


# --- reading -----------------------------------------------------------------------------------


def test_the_seed_review_reads_with_offsets_into_the_clean_text(seed_article):
    review = load_review(SEED, seed_article.clean_text)
    assert review is not None and len(review.rows) == 26 and len(review.gold) == 26
    text = seed_article.clean_text
    for r in review.rows:
        assert text[r.quote_start : r.quote_end] == r.quote
    level4 = next(r for r in review.rows if r.indicator_id == "egov.online_services_level4")
    assert (level4.value, level4.province, level4.province_code, level4.ref_date) == (1219.0, "Hậu Giang", "93", "2022-05-05")


def test_a_source_without_review_file_has_none(seed_article, tmp_path):
    assert load_review(SEED, seed_article.clean_text, folder=tmp_path) is None


def test_quote_found_across_a_no_break_space(seed_article):
    # The page writes "16.000 hồ sơ\xa0trong đó"; a reader copies a plain space.
    start, end = find_quote(seed_article.clean_text, "với gần 16.000 hồ sơ trong đó")
    assert seed_article.clean_text[start:end] == "với gần 16.000 hồ sơ\xa0trong đó"


@pytest.mark.parametrize(
    "value, quote",
    [
        (1219, "bao gồm 1.219 dịch vụ công trực tuyến mức 4"),
        (98.5, "tỷ lệ đạt 98,5%"),
        (1.2e12, "doanh thu khoảng 1,2 nghìn tỷ đồng"),
        (300e9, "là khoảng 300 tỉ đồng"),
        (3, "tỉnh xếp thứ ba cả nước"),
        (0.5064, "đạt 0.5064 điểm"),
        (2300, "khoảng 2,300 chứng thư"),
    ],
)
def test_values_are_read_as_the_quote_writes_them(value, quote):
    assert value_in_quote(value, quote)


@pytest.mark.parametrize("value, quote", [(1291, "bao gồm 1.219 dịch vụ"), (300e6, "là khoảng 300 tỉ đồng"), (4, "xếp thứ ba")])
def test_a_value_the_quote_does_not_state_is_not_found(value, quote):
    assert not value_in_quote(value, quote)


# --- malformed reviews: each a clear error naming file and line ---------------------------------


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"quote": "1.219 dịch vụ công trực tuyến mức 3"}, "quote not in the source's text"),
        ({"indicator_id": "egov.level4_services"}, "unknown indicator 'egov.level4_services'"),
        ({"province": "Hậu Giang Mới"}, "unknown province 'Hậu Giang Mới'"),
        ({"value": "1291"}, "the quote does not contain the value 1291"),
        ({"value": "12190"}, "the quote does not contain the value 12190"),
        ({"value": "1,219"}, "is not a plain number"),
        ({"decision": "ok"}, "unknown decision 'ok'"),
        ({"decision": ""}, "decision is empty"),
        ({"decision": "corrected", "engine_value": "1200"}, "a corrected row needs a reason"),
        ({"decision": "corrected", "reason": "wrong value"}, "a corrected row needs engine_value"),
        ({"decision": "rejected"}, "a rejected row needs a reason"),
        ({"engine_value": "1200"}, "engine_value is only for corrected rows"),
        ({"qualifier": "about"}, "qualifier 'about' is not one of"),
        ({"ref_year": "22"}, "ref_year '22' is not a year"),
        ({"ref_date": "2021-05-05"}, "ref_date 2021-05-05 is not in ref_year 2022"),
        ({"reviewer": ""}, "reviewer is empty"),
        ({"reviewed_on": "07/12/2026"}, "reviewed_on '07/12/2026' is not a date"),
    ],
)
def test_a_malformed_row_names_file_line_and_problem(seed_article, tmp_path, changes, message):
    rows = [row("egov.online_services_total"), row("egov.online_services_level4", **changes)]
    path = write_review(tmp_path / f"{SEED}.csv", rows)
    with pytest.raises(ReviewError) as err:
        read_review(path, seed_article.clean_text)
    assert str(err.value).startswith(f"{path}:3: ")
    assert message in str(err.value)


def test_a_duplicate_fact_names_both_lines(seed_article, tmp_path):
    rows = [row("egov.online_services_level4"), row("egov.online_services_total"), row("egov.online_services_level4")]
    path = write_review(tmp_path / f"{SEED}.csv", rows)
    with pytest.raises(ReviewError, match=r":4: duplicate fact .* already on line 2"):
        read_review(path, seed_article.clean_text)


def test_a_wrong_header_is_an_error_on_line_1(seed_article, tmp_path):
    path = write_review(tmp_path / f"{SEED}.csv", [row("egov.online_services_total")], header=REVIEW_COLUMNS[:-1])
    with pytest.raises(ReviewError, match=r":1: the header must be exactly"):
        read_review(path, seed_article.clean_text)


def test_line_numbers_count_quotes_that_span_lines(seed_article, tmp_path):
    # A quote with a line break inside (two lines of the file) shifts the next row's line.
    multi = row("ent.it_enterprises", quote="Tổng số nhân lực của các doanh nghiệp\ncông nghệ thông tin là hơn 500 người.",
                indicator_id="ent.it_employees", value="500", qualifier="over")
    path = write_review(tmp_path / f"{SEED}.csv", [multi, row("egov.online_services_level4", value="9")])
    with pytest.raises(ReviewError, match=rf"^{path}:4: the quote does not contain the value 9"):
        read_review(path, seed_article.clean_text)


# --- the blind split ---------------------------------------------------------------------------


def test_the_blind_split_is_a_stable_third():
    ids = [f"r-vn-2023{i:04d}-source" for i in range(3000)]
    blind = [i for i in ids if is_blind(i)]
    assert 900 < len(blind) < 1100
    assert [is_blind(i) for i in ids] == [is_blind(i) for i in ids]
    assert all(split_of(i) == "blind" and in_split(i, "blind") and not in_split(i, "dev") for i in blind)
    assert all(in_split(i, "all") for i in ids)


# --- the engine's proposals beside the review ----------------------------------------------------


def test_engine_facts_pair_with_their_decisions(seed_article, tmp_path):
    from dxdata.extract import extract_article

    facts = extract_article(seed_article).facts
    rows = [
        row("egov.online_services_level4"),
        row("egov.online_services_total", decision="rejected", reason="test: pretend the engine was wrong"),
        row("egov.staff_records", value="16000", decision="corrected", engine_value="16000", qualifier="under",
            reason="test: pretend the period was wrong"),
        row("dti.rank", decision="missed"),
    ]
    review = read_review(write_review(tmp_path / f"{SEED}.csv", rows), seed_article.clean_text)
    paired, unanswered = pair_engine_facts(review, facts)
    decided = {f.indicator_id: r.decision for f, r in paired if r is not None}
    assert decided == {"egov.online_services_level4": "accepted", "egov.online_services_total": "rejected", "egov.staff_records": "corrected"}
    assert sum(r is None for _, r in paired) == len(facts) - 3
    assert [r.indicator_id for r in unanswered] == ["dti.rank"]
