"""Text handling for extraction: a folded matching copy with identical offsets, NFD input mapped
back to the caller's offsets, and sentence splitting that survives Vietnamese abbreviations.

Offsets are the contract: every span the engine reports indexes the text the caller passed in,
so the folded copy must have exactly the same length as the text it folds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Tone marks that old-style placement puts on the second vowel of oa / oe / uy.
_TONES = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")


def _build_tone_pairs() -> dict[str, str]:
    """Two-character NFC sequences "oà" -> "òa" (and capitals), length-preserving."""
    pairs: dict[str, str] = {}
    for first, seconds in (("o", "ae"), ("O", "aeAE"), ("u", "y"), ("U", "yY")):
        for second in seconds:
            for tone in _TONES:
                old = first + unicodedata.normalize("NFC", second + tone)
                new = unicodedata.normalize("NFC", first + tone) + second
                if len(old) == 2 and len(new) == 2:
                    pairs[old] = new
    return pairs


_TONE_PAIRS = _build_tone_pairs()
# Only an open syllable ("hoà", "thuỷ") has two spellings; "hoàn", "khoảng" have one.
_TONE_RE = re.compile("[oOuU][" + "".join(sorted({k[1] for k in _TONE_PAIRS})) + r"](?![^\W\d_])")
def _swap_tone(m: re.Match) -> str:
    return _TONE_PAIRS.get(m.group(0), m.group(0))


# "tỉ" and "tỷ" are the same word (billion, ratio); fold to one spelling. The word-start check
# is a lookbehind placed after the literal, so the regex engine can jump between "tỉ" hits
# (a leading lookbehind makes it try every position: 20x slower on an article).
_TI_RE = re.compile(r"tỉ(?<![^\W\d_]tỉ)(?![^\W\d_])")


# No-break and thin spaces, tabs: copied web text is full of them; cues are written with ' '.
_ODD_SPACES = "\u00a0\u2007\u2009\u202f\u200a\u2002\u2003\t\u3000"
_ODD_SPACE = re.compile(f"[{_ODD_SPACES}]")
_SPACE_TABLE = str.maketrans({c: " " for c in _ODD_SPACES})


def fold(text: str) -> str:
    """Lower-case, new-style tone placement, tỉ -> tỷ; always the same length as `text`.

    Expects NFC. Characters whose lower-case form is longer (rare, non-Vietnamese) are kept."""
    low = text.lower()
    if _ODD_SPACE.search(low):
        low = low.translate(_SPACE_TABLE)
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    if _TONE_RE.search(low):
        low = _TONE_RE.sub(_swap_tone, low)
    if "tỉ" in low:
        low = _TI_RE.sub("tỷ", low)
    return low


def unify_case_kept(text: str) -> str:
    """Tone-unified copy that keeps case (for matching capitalised names); same length."""
    if _ODD_SPACE.search(text):
        text = text.translate(_SPACE_TABLE)
    if _TONE_RE.search(text):
        text = _TONE_RE.sub(_swap_tone, text)
    return text


def unify_and_fold(text: str) -> tuple[str, str]:
    """(unify_case_kept(text), fold(text)) with one tone pass over the text instead of three:
    the folded copy is the lower-cased case-kept one. Lower-casing the case-kept copy can only create a tone pair where that
    pass left one alone (a lower-case "o" before a capital "À", which has no swap); only then
    is the lower-cased copy searched again."""
    cased = text.translate(_SPACE_TABLE) if _ODD_SPACE.search(text) else text
    unswapped = False
    parts: list[str] = []
    last = 0
    for m in _TONE_RE.finditer(cased):
        pair = m.group(0)
        swapped = _TONE_PAIRS.get(pair)
        if swapped is None:
            unswapped = True
            continue
        a = m.start()
        parts.append(cased[last:a])
        parts.append(swapped)
        last = a + 2
    if parts:
        parts.append(cased[last:])
        cased = "".join(parts)
    low = cased.lower()
    if len(low) != len(cased):
        return cased, fold(text)
    if unswapped:
        low = _TONE_RE.sub(_swap_tone, low)
    if "tỉ" in low:
        low = _TI_RE.sub("tỷ", low)
    return cased, low


@dataclass
class Normalised:
    """NFC text plus the map from its offsets back to the caller's text."""

    text: str
    original: str
    offsets: list[int] | None  # None when the input was already NFC (identity map)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        if self.offsets is None:
            return start, end
        o = self.offsets
        return o[start], (o[end] if end < len(o) else len(self.original))


_CLUSTER = re.compile(r".[\u0300-\u036f\u0323]*", re.DOTALL)


def normalise(text: str) -> Normalised:
    """NFC text; when the input is not NFC (e.g. NFD), keep a map to the input's offsets.

    Normalising one base character with its combining marks at a time keeps clusters whole, so
    every NFC span maps to a span of the input that holds the same text in its own form."""
    if unicodedata.is_normalized("NFC", text):
        return Normalised(text, text, None)
    out: list[str] = []
    offsets: list[int] = []
    for m in _CLUSTER.finditer(text):
        piece = unicodedata.normalize("NFC", m.group(0))
        out.append(piece)
        if len(piece) == m.end() - m.start():
            offsets.extend(range(m.start(), m.end()))  # nothing composed: one to one
        else:
            offsets.extend([m.start()] * len(piece))
    return Normalised("".join(out), text, offsets)


# Words that end with a dot without ending the sentence: "TP. Cần Thơ", "ThS. Nguyễn", "v.v."
ABBREVIATIONS = frozenset(
    "tp tx tt p q h th ts ths pgs gs bs ks ls ng st mr mrs ms dr tr no v.v vv đ/c ttg nxb cty".split()
)
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘(\[]?(\w))")
_WORD_BEFORE = re.compile(r"([\w/.]+)$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) over `text`: line breaks always end a sentence; '.', '!', '?'
    end one when followed by a capital or digit, except after an abbreviation ("TP.") or a
    single initial ("Nguyễn V. A."). Decimal points never qualify (no space after them)."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    # One pass over the whole text; a candidate whose look-ahead reaches into the next line is
    # not a sentence end (the line break ends the sentence instead).
    ends = _SENTENCE_END.finditer(text)
    m = next(ends, None)
    pos = 0
    while pos < n:
        nl = text.find("\n", pos)
        line_end = n if nl < 0 else nl
        seg_start = pos
        while m is not None and m.start() < line_end:
            if m.start(1) < line_end:
                nxt = m.group(1)
                if (nxt.isupper() or nxt.isdigit()) and not _after_abbreviation(text, seg_start, m.start()):
                    _emit(text, seg_start, m.end(), spans)
                    seg_start = m.end()
            m = next(ends, None)
        _emit(text, seg_start, line_end, spans)
        pos = line_end + 1
    return spans


def _after_abbreviation(text: str, lo: int, stop: int) -> bool:
    """Does the full stop at `stop` close an abbreviation ("TP.") or a single initial ("V.")?
    The word before it is the run of word characters, '/' and '.' ending there (not before
    `lo`, at most 12 characters back); abbreviations are at most four characters long."""
    if text[stop] != ".":
        return False
    lo = max(lo, stop - 12)
    p = stop
    while p > lo and stop - p <= 4 and (text[p - 1].isalnum() or text[p - 1] in "_/."):
        p -= 1
    if p == stop or stop - p > 4:
        return False
    w = text[p:stop].lower()
    return w in ABBREVIATIONS or (len(w) == 1 and w.isalpha())


# The longest sentence the engine reads in one piece. Every fact quotes its sentence and the work
# per number grows with the sentence's length, so an unbounded sentence (a 185 KB line without a
# full stop) made memory and time grow with the square of the line. Real sentences stay far below
# it (the longest in the seed, dev set and bundled sources is under 400 characters); a longer run
# is cut at its last clause mark (", " "; " ": "), else its last space, in the second half of the
# window, else at the limit itself.
MAX_SENTENCE_CHARS = 2000
_CLAUSE_MARKS = (", ", "; ", ": ")


def _emit(text: str, a: int, b: int, spans: list[tuple[int, int]]) -> None:
    a, b = _trimmed(text, a, b)
    while b - a > MAX_SENTENCE_CHARS:
        cut = _cut_point(text, a, a + MAX_SENTENCE_CHARS)
        piece_a, piece_b = _trimmed(text, a, cut)
        if piece_b > piece_a:
            spans.append((piece_a, piece_b))
        a, b = _trimmed(text, cut, b)
    if b > a:
        spans.append((a, b))


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    # A sentence starts at a base character: stray combining marks after a space are skipped.
    while a < b and (text[a].isspace() or unicodedata.combining(text[a])):
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _cut_point(text: str, a: int, limit: int) -> int:
    """Where an over-long sentence starting at `a` is cut, at most at `limit`."""
    floor = a + (limit - a) // 2
    mark = max(text.rfind(m, floor, limit) for m in _CLAUSE_MARKS)
    if mark >= 0:
        return mark + 1
    space = text.rfind(" ", floor, limit)
    if space >= 0:
        return space
    # No space at all: never cut between a letter and its combining mark.
    while limit > a + 1 and unicodedata.combining(text[limit]):
        limit -= 1
    return limit


_ESCAPE_OR_TEXT = re.compile(r"\\.|[^\\]+", re.DOTALL)


@lru_cache(maxsize=512)
def fold_pattern(pattern: str) -> str:
    """A cue pattern written in ordinary Vietnamese, folded like the text it will match.
    Escapes are kept as written: lower-casing would turn \\W, \\S, \\D or \\B into their opposites."""
    pattern = unicodedata.normalize("NFC", pattern)
    if "\\" not in pattern:
        return fold(pattern)
    return "".join(p if p.startswith("\\") else fold(p) for p in _ESCAPE_OR_TEXT.findall(pattern))
