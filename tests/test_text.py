"""Sentence splitting, the folded matching copy and NFD input: offsets must never drift."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from dxdata.text import fold, normalise, split_sentences, unify_and_fold, unify_case_kept


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_abbreviations_and_decimals_do_not_end_sentences():
    text = (
        "Theo Sở TT&TT, TP. Cần Thơ có 1,5 triệu dân và 2.3 điểm. UBND tỉnh, CNTT, DVCTT và CQNN đều tăng. "
        "Ông Nguyễn V. A. phát biểu."
    )
    assert sentences(text) == [
        "Theo Sở TT&TT, TP. Cần Thơ có 1,5 triệu dân và 2.3 điểm.",
        "UBND tỉnh, CNTT, DVCTT và CQNN đều tăng.",
        "Ông Nguyễn V. A. phát biểu.",
    ]


def test_lines_always_end_sentences_and_lowercase_continuations_do_not():
    text = "Tiêu đề không dấu chấm\nCâu một... và tiếp tục. Câu hai!"
    assert sentences(text) == ["Tiêu đề không dấu chấm", "Câu một... và tiếp tục.", "Câu hai!"]


def test_fold_unifies_tone_placement_case_and_ti():
    assert fold("Thanh Hoá, Uỷ ban, THUỶ lợi, tỉ lệ 300 tỉ") == "thanh hóa, ủy ban, thủy lợi, tỷ lệ 300 tỷ"
    # closed syllables have one spelling and stay as they are
    assert fold("khoảng hoàn thành") == "khoảng hoàn thành"
    assert fold("a\u00a0b") == "a b"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_fold_and_case_kept_copy_keep_length(text):
    text = unicodedata.normalize("NFC", text)
    assert len(fold(text)) == len(text)
    assert len(unify_case_kept(text)) == len(text)


# Tone pairs in every case combination, odd spaces, "tỉ" and a character whose lower case is
# longer: the one-pass version must agree with the two functions it replaces.
_TONE_TEXT = st.text(alphabet=st.sampled_from(list("oOuUaAeEyYtT ỉỈỳỲýÝàÀáÁẻẺẹẸ\u00a0x.İ")), max_size=40)


@settings(max_examples=500, deadline=None)
@given(_TONE_TEXT)
def test_unify_and_fold_equals_case_kept_copy_and_fold(text):
    text = unicodedata.normalize("NFC", text)
    assert unify_and_fold(text) == (unify_case_kept(text), fold(text))


def test_unify_and_fold_swaps_a_pair_only_lower_casing_reveals():
    # "oÀ" has no case-kept swap; its folded copy is "òa" all the same.
    cased, folded = unify_and_fold("HoÀ thuỷ")
    assert cased == "HoÀ thủy" and folded == "hòa thủy"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aăâeêioôơuưyđ .,\n0123456789") + ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"])))
def test_nfd_spans_map_back_to_the_same_text(text):
    norm = normalise(text)
    for a, b in split_sentences(norm.text):
        oa, ob = norm.to_original(a, b)
        assert unicodedata.normalize("NFC", text[oa:ob]) == norm.text[a:b]


def test_nfd_offsets_are_the_callers():
    nfc = "Hòa Bình có 318 cán bộ."
    nfd = unicodedata.normalize("NFD", nfc)
    norm = normalise(nfd)
    assert norm.text == nfc
    a = nfc.index("318")
    oa, ob = norm.to_original(a, a + 3)
    assert nfd[oa:ob] == "318"


def test_fold_pattern_keeps_escapes_and_folds_the_words():
    import re

    from dxdata.text import fold_pattern

    assert fold_pattern(r"[^\W\d_]+ Tỉ lệ \S+ Hoà") == r"[^\W\d_]+ tỷ lệ \S+ hòa"
    assert re.fullmatch(fold_pattern(r"[^\W\d_]+"), "đồng") is not None
