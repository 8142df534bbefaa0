"""The extraction engine fuzzed with hypothesis (issue 10, item 4).

Random characters rarely reach the table and sentence readers, so two of the three strategies
build text of the shapes the engine parses: flattened tables (cells naming provinces, indicators,
row numbers and figures, joined by '|' or tabs, with header widths that change between lines) and
sentences (province names, cue phrases, numbers in Vietnamese notation, connectives).

Whatever the text, extraction must return, and every fact, candidate and target must quote its
source exactly (clean_text[quote_start:quote_end] == quote) within the sentence bound.
Kept fast: modest max_examples, no deadline (the machine is shared).
"""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dxdata.extract import extract_article
from dxdata.model import Article
from dxdata.text import MAX_SENTENCE_CHARS

FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)

PROVINCES = ["Hà Nội", "Kon Tum", "Lai Châu", "Hậu Giang", "TP HCM", "Đà Nẵng", "Bắc Giang", "Quảng Ninh", "tỉnh Yên Bái"]
HEADER_WORDS = [
    "STT", "Chỉ số", "Ghi chú", "Tỉnh", "Địa phương", "Xếp hạng", "Thứ hạng DTI (/63)", "Điểm", "Giá trị",
    "Chính quyền số", "Kinh tế số", "Xã hội số", "Tỷ lệ hồ sơ trực tuyến năm 2023 (%)", "Năm", "Hạ tầng số",
    "Điểm DTI", "Số điểm cầu", "Kết quả", "",
]
NUMBERS = ["1", "5", "28/63", "0,7648", "81,6", "81,6%", "1.860", "2021", "2022", "100%", "3\x008", "-", "không", "12,5 triệu"]
CUES = [
    "xếp thứ", "đứng thứ", "tỷ lệ hồ sơ trực tuyến đạt", "có", "điểm cầu", "đạt", "chỉ số DTI năm 2022 là",
    "trạm BTS", "doanh nghiệp công nghệ số", "tăng", "so với năm 2021", "phấn đấu đến năm 2025 đạt", "khoảng", "trên",
]
GLUE = [" ", ", ", "; ", " và ", " (", ") ", ". ", "\n", " tương ứng ", " trong đó "]

ROW_NAMES = ["Xếp hạng", "Điểm", "Hạ tầng số", "Chính quyền số", "Tỷ lệ hồ sơ trực tuyến", "1", "2", "Tổng"]
cell = st.one_of(st.sampled_from(PROVINCES), st.sampled_from(HEADER_WORDS), st.sampled_from(NUMBERS), st.text(max_size=6))
separator = st.sampled_from([" | ", "|", "\t"])

# A header line: a column per province ("Chỉ số | Hà Nội | Kon Tum"), or header words.
province_header = st.builds(lambda first, names: [first, *names], st.sampled_from(["Chỉ số", "Tiêu chí", "STT", ""]),
                            st.lists(st.sampled_from(PROVINCES), min_size=2, max_size=4))
word_header = st.lists(st.sampled_from(HEADER_WORDS), min_size=2, max_size=5)


def _rows_for(header: list[str]):
    """Rows mostly as wide as their header, sometimes not; the first cell names a row."""
    width = len(header)
    first_cell = st.one_of(st.sampled_from(ROW_NAMES), st.sampled_from(ROW_NAMES), st.sampled_from(PROVINCES), cell)
    row = st.builds(lambda first, rest: [first, *rest], first_cell,
                    st.lists(st.one_of(st.sampled_from(NUMBERS), cell), min_size=max(width - 1, 0), max_size=max(width - 1, 0)))
    odd = st.lists(cell, min_size=2, max_size=6)
    return st.lists(st.one_of(row, row, row, odd), min_size=1, max_size=4).map(lambda rows: [header, *rows])


table_block = st.one_of(province_header, word_header).flatmap(_rows_for)
# Several tables in a row, without a blank line between them: a later header changes the width.
table_text = st.builds(
    lambda intro, blocks, sep: intro + "\n" + "\n".join(sep.join(cells) for block in blocks for cells in block) + "\n",
    st.sampled_from(["Bảng xếp hạng chuyển đổi số năm 2022", "Kết quả DTI 2021 các tỉnh", "Bảng điểm chuyển đổi số", ""]),
    st.lists(table_block, min_size=1, max_size=3),
    separator,
)
word = st.one_of(st.sampled_from(PROVINCES), st.sampled_from(CUES), st.sampled_from(NUMBERS), st.sampled_from(GLUE))
sentence_text = st.builds(lambda words: "".join(w if w in GLUE else " " + w for w in words) + ".\n", st.lists(word, min_size=1, max_size=40))


def _check(text: str, title: str | None = None) -> None:
    article = Article("fuzz", title, text, date(2023, 6, 1), {})
    result = extract_article(article)
    for fact in result.facts + result.candidates + result.targets:
        assert text[fact.quote_start : fact.quote_end] == fact.quote
        assert len(fact.quote) <= MAX_SENTENCE_CHARS
        if fact.value_start is not None and fact.method != "error":
            assert fact.quote_start <= fact.value_start <= fact.value_end <= fact.quote_end
        assert fact.method != "error", fact.note  # the engine recorded an exception it survived


@FUZZ
@given(table_text)
# Found by fuzzing (this strategy finds it again without the example, about 1 draw in 16): a
# table of province columns, then a narrower header, then a row naming an
# indicator raised IndexError (the province columns outlived their table).
@example("Bảng điểm chuyển đổi số\nChỉ số | Hà Nội | Kon Tum | Lai Châu\nSTT | Ghi chú\nXếp hạng | 5\n")
def test_table_shaped_text_never_breaks_extraction(text):
    _check(text)


@FUZZ
@given(sentence_text)
def test_sentence_shaped_text_never_breaks_extraction(text):
    _check(text)


@FUZZ
@given(st.text(max_size=300), st.one_of(st.none(), st.text(max_size=40)))
def test_arbitrary_text_never_breaks_extraction(text, title):
    _check(text, title)


def test_province_columns_then_narrower_header():
    """The IndexError case itself, outside hypothesis: the row after the new header is read
    against the new header, not the old province columns."""
    text = "Bảng điểm chuyển đổi số\nChỉ số | Hà Nội | Kon Tum | Lai Châu\nSTT | Ghi chú\nXếp hạng | 5\n"
    result = extract_article(Article("t", None, text, date(2023, 6, 1), {}))
    assert [f for f in result.facts if f.province in ("Kon Tum", "Lai Châu")] == []
