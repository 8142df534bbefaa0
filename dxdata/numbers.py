"""Vietnamese quantity grammar: the numbers a news sentence states, with their span, scale,
kind (plain, percent, fraction, rank, range) and qualifier.

Vietnamese writes '.' between thousands and ',' before decimals ("1.860", "2,5", "0,5064").
English-style numbers turn up in copy from wire services, so a token is read the Vietnamese way
whenever that reading is valid and the English way only when it is not ("0.5064", "1,234,567",
"98.5%"). "2,300" is ambiguous; it is read as 2.3 and carries the English reading in
`alt_value` so a count cue can prefer it.

What is *not* a quantity is as important: dates ("5/5/2022", "ngày 15/11", "quý I/2022"), years
after "năm", document numbers ("942/QĐ-TTg", "14-NQ/TU"), phone numbers ("0205.3.888.123"),
network generations ("4G"), clock times. `scan_quantities` drops them.

All functions work on a *folded* copy of the text (see `dxdata.text.fold`): lower-case with
unified tone placement and the same length as the original, so spans are original offsets.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from dxdata.text import fold_pattern

# Scale words, longest first so "nghìn tỷ" wins over "nghìn". Folded text spells tỉ as tỷ.
SCALES: dict[str, float] = {
    "nghìn tỷ": 1e12,
    "ngàn tỷ": 1e12,
    "nghìn": 1e3,
    "ngàn": 1e3,
    "triệu": 1e6,
    "tỷ": 1e9,
}

QUALIFIER_WORDS: list[tuple[str, str]] = [
    # longest first: "trên dưới" is approx, "chưa đến" under
    ("trên dưới", "approx"),
    ("xấp xỉ", "approx"),
    ("ước tính", "approx"),
    ("ước đạt", "approx"),
    ("ước khoảng", "approx"),
    ("khoảng", "approx"),
    ("chừng", "approx"),
    ("ước", "approx"),
    ("ít nhất", "over"),
    ("tối thiểu", "over"),
    ("hơn", "over"),
    ("trên", "over"),
    ("vượt", "over"),
    ("vượt quá", "over"),
    ("chưa đến", "under"),
    ("chưa tới", "under"),
    ("chưa đầy", "under"),
    ("gần", "under"),
    ("dưới", "under"),
    ("không đến", "under"),
]
_QUALIFIER_RE = re.compile(
    r"(?:^|(?<=[\s(,:]))(" + "|".join(re.escape(fold_pattern(w)) for w, _ in sorted(QUALIFIER_WORDS, key=lambda x: -len(x[0]))) + r")\s+$"
)
_QUALIFIER_OF = {fold_pattern(w): q for w, q in QUALIFIER_WORDS}

ORDINAL_WORDS = {
    "nhất": 1, "nhì": 2, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
    "tám": 8, "chín": 9, "mười": 10,
}

_NUM = r"\d+(?:[.,]\d+)*"
# One token: a number with its optional scale word and percent sign. The lookbehind keeps
# "H10", "x2" and the middle of "0205.3.888.123" out; the lookahead keeps "4G" and "Hue-S1" out.
_TOKEN = re.compile(
    rf"(?<![\w.,/\-+:])(?P<num>{_NUM})(?![\w/])"
    rf"(?:\s*(?P<pct>%|phần trăm))?"
    rf"(?:\s+(?P<scale>nghìn tỷ|ngàn tỷ|nghìn|ngàn|triệu|tỷ)(?!\w))?"
    rf"(?:\s*(?P<pct2>%))?"
)
_FRACTION = re.compile(rf"(?<![\w.,/\-+:])(?P<a>\d{{1,4}})\s*/\s*(?P<b>\d{{1,4}})(?![\w/])")
_RANK = re.compile(
    r"(?:(?:xếp|đứng|giữ|vươn lên|tụt xuống|lên|xuống|ở|nằm ở)\s+(?:ở\s+)?(?:vị trí\s+)?(?:hạng\s+)?thứ"
    r"|vị trí\s+(?:thứ\s+)?|xếp hạng\s+(?:thứ\s+)?|hạng\s+(?:thứ\s+)?)"
    r"\s*(?P<n>\d{1,3}(?![\w,.]\d)|(?:nhất|nhì|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười)(?!\s*\d))(?!\w)"
    r"(?:\s*/\s*(?P<of>\d{1,3})(?![\w/]))?"
    r"(?:\s+(?:trong|trên)\s+(?:tổng\s+số\s+)?(?:cả\s+nước\s+)?(?P<of2>\d{1,3})\s+(?:tỉnh|địa phương))?"
)
_RANGE = re.compile(rf"từ\s+(?P<lo>{_NUM})\s*(?:%|phần trăm)?\s+(?:đến|tới)\s+(?P<hi>{_NUM})|(?<![\w.,/])(?P<lo2>{_NUM})\s*[-–]\s*(?P<hi2>{_NUM})(?![\w/])")
_DATE = re.compile(
    r"(?<![\w.,/])\d{1,2}/\d{1,2}/\d{2,4}(?!\w)"
    r"|(?:ngày|hôm|sáng|chiều|tối|trưa|đêm|tháng|từ ngày|đến ngày)\s+\d{1,2}(?:/\d{1,4})+"
    r"|(?:tháng|quý)\s+[\divxlc]+/\d{4}"
    r"|(?<![\w.,/])\d{1,2}/(?:19|20)\d\d(?!\w)"
    r"|\d{1,2}[:h]\d{2}(?!\w)"
    r"|(?:năm|giai đoạn|niên độ|đến năm|từ năm|vào năm)\s+(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?"
    r"|(?<![\w.,])(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d(?!\w)"
    r"|(?:dti|pci|papi|index|chỉ số)\s+(?:19|20)\d\d(?!\w)"
    r"|mức(?:\s+độ)?\s+\d(?!\w)"
    r"|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?"
    r"|tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?"
)
_DOC_NUMBER = re.compile(
    r"(?:nghị quyết|quyết định|kế hoạch|công văn|thông tư|nghị định|chỉ thị|văn bản|luật|đề án|chương trình|thông báo|tờ trình)\s+(?:số\s+)?\d[\d.]*(?:[/-][\wđ.-]+)*"
    r"|(?<![\w.,])\d+(?:[/-][a-zđ]{1,6}[\wđ.]*)+(?:[/-][\wđ.-]+)*"
)
_PHONE = re.compile(r"(?:số điện thoại|điện thoại (?:số|liên hệ|hỗ trợ)|đường dây nóng|hotline|tổng đài|số máy|fax|zalo)\s*(?:số\s*)?(?:là\s*)?:?\s*[\d.\s-]{3,20}\d|(?<![\w.,])0\d{2,4}[.\s]\d(?:[.\s]?\d{2,4}){2,3}(?!\w)")


@dataclass
class Quantity:
    start: int  # span of the number expression (qualifier excluded) in the text
    end: int
    value: float
    kind: str  # "number", "percent", "fraction", "rank", "range"
    qualifier: str = "exact"
    qualifier_start: int | None = None  # where the qualifier word begins, when there is one
    scale: float = 1.0
    denominator: int | None = None  # rank_of for ranks, b for fractions "a/b"
    high: float | None = None  # upper bound of a range
    alt_value: float | None = None  # the English reading of an ambiguous "2,300"
    money: bool = False  # followed by "đồng" / "vnđ"
    percent: bool = False  # a percentage (kind "percent", or a range of percentages)
    text: str = ""


_EN_EVIDENCE = re.compile(r"(?<![\d.,])\d+\.(?!0(?!\d))\d{1,2}(?![\d.,])|(?<![\d.,])\d{1,3}(?:,\d{3}){2,}(?![\d,])|\d,\d{3}\.\d")
_VN_EVIDENCE = re.compile(r"(?<![\d.,])\d+,\d{1,2}(?![\d.,])|(?<![\d.,])\d{1,3}(?:\.\d{3}){2,}(?![\d.])|\d\.\d{3},\d|(?<![\d.,])\d+,\d{4,}(?![\d.,])")


def number_style(text: str) -> str:
    """"en" when a text writes numbers the English way ("96.5%", "12,480,000") more often than
    the Vietnamese way ("96,5%", "12.480.000"); "vn" otherwise. Version numbers like "4.0" are
    not evidence."""
    en = len(_EN_EVIDENCE.findall(text))
    if not en:
        return "vn"
    return "en" if en > len(_VN_EVIDENCE.findall(text)) else "vn"


def parse_number(token: str, style: str = "vn") -> float | None:
    """One number token -> float, or None when the token is not a valid number.

    Vietnamese first: "1.860" = 1860, "2,5" = 2.5, "1.234,56" = 1234.56. English only when the
    Vietnamese reading is invalid: "0.5064", "98.5", "1,234,567", "1,234.5".
    """
    token = token.strip()
    if not token or not re.fullmatch(r"\d+(?:[.,]\d+)*", token):
        return None
    first, second = (_parse_en, _parse_vn) if style == "en" else (_parse_vn, _parse_en)
    value = first(token)
    return value if value is not None else second(token)


def _parse_vn(token: str) -> float | None:
    if token.count(",") > 1:
        return None
    int_part, _, dec = token.partition(",")
    groups = int_part.split(".")
    if len(groups) > 1:
        if not (1 <= len(groups[0]) <= 3) or any(len(g) != 3 for g in groups[1:]):
            return None
        if groups[0].startswith("0"):
            return None
    digits = "".join(groups)
    return float(f"{digits}.{dec}") if dec else float(digits)


def _parse_en(token: str) -> float | None:
    if token.count(".") > 1:
        return None
    int_part, _, dec = token.partition(".")
    groups = int_part.split(",")
    if len(groups) > 1 and (not (1 <= len(groups[0]) <= 3) or any(len(g) != 3 for g in groups[1:])):
        return None
    digits = "".join(groups)
    return float(f"{digits}.{dec}") if dec else float(digits)


def english_alternative(token: str) -> float | None:
    """The English reading of a token the Vietnamese grammar reads as a decimal ("2,300")."""
    if re.fullmatch(r"[1-9]\d{0,2}(?:,\d{3})", token):
        return float(token.replace(",", ""))
    return None


def format_vn(value: float, decimals: int | None = None) -> str:
    """A number written the Vietnamese way: '.' between thousands, ',' before decimals."""
    if decimals is None:
        text = repr(float(value))
        if "e" in text or "E" in text:
            text = f"{value:.10f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.{decimals}f}"
    negative = text.startswith("-")
    text = text.lstrip("-")
    int_part, _, dec = text.partition(".")
    dec = dec.rstrip("0")
    groups = []
    while len(int_part) > 3:
        groups.insert(0, int_part[-3:])
        int_part = int_part[:-3]
    groups.insert(0, int_part)
    out = ".".join(groups) + (f",{dec}" if dec else "")
    return ("-" if negative else "") + out


def qualifier_before(folded: str, start: int, floor: int = 0) -> tuple[str, int | None]:
    """The qualifier word ending right before position `start` (e.g. "khoảng "), if any."""
    lo = max(floor, start - 16)
    m = _QUALIFIER_RE.search(folded, lo, start)
    if not m:
        return "exact", None
    return _QUALIFIER_OF[m.group(1)], m.start(1)


def _blocked_spans(folded: str) -> list[tuple[int, int]]:
    spans = [m.span() for m in _DATE.finditer(folded)]
    spans += [m.span() for m in _DOC_NUMBER.finditer(folded)]
    spans += [m.span() for m in _PHONE.finditer(folded)]
    return spans


def _inside(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(s <= a and b <= e for s, e in spans)


def scan_quantities(folded: str, start: int = 0, end: int | None = None, *, style: str = "vn") -> list[Quantity]:
    """Every quantity in folded[start:end], left to right, without overlaps. `style` is the
    text's number convention (see `number_style`)."""
    end = len(folded) if end is None else end
    segment = folded[start:end]
    blocked = [(a + start, b + start) for a, b in _blocked_spans(segment)]
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(a < e and s < b for s, e in taken)

    for m in _RANK.finditer(folded, start, end):
        n = m.group("n")
        value = float(n) if n.isdigit() else float(ORDINAL_WORDS[n])
        a, b = m.start("n"), m.end()
        if _inside(blocked, m.start("n"), m.end("n")) and n.isdigit():
            continue
        of = m.group("of") or m.group("of2")
        q = Quantity(a, m.end("n"), value, "rank", denominator=int(of) if of else None, text=folded[a:b])
        found.append(q)
        taken.append((a, b))
    for m in _RANGE.finditer(folded, start, end):
        lo_s = m.group("lo") or m.group("lo2")
        hi_s = m.group("hi") or m.group("hi2")
        lo, hi = parse_number(lo_s, style), parse_number(hi_s, style)
        a, b = m.span()
        if lo is None or hi is None or not (lo < hi) or _inside(blocked, a, b) or not free(a, b):
            continue
        tail = folded[b : b + 12]
        pct = tail.lstrip().startswith("%") or tail.lstrip().startswith("phần trăm")
        if pct:
            b = b + (len(tail) - len(tail.lstrip())) + (1 if tail.lstrip().startswith("%") else 9)
        q = Quantity(a, b, lo, "range", high=hi, text=folded[a:b], percent=pct)
        if re.match(r"\s*(?:nghìn tỷ|ngàn tỷ|nghìn|ngàn|triệu|tỷ)?\s*(?:đồng|vnđ|vnd)(?!\w)", folded[b : b + 16]):
            q.money = True
        found.append(q)
        taken.append((a, b))
    for m in _FRACTION.finditer(folded, start, end):
        a, b = m.span()
        if _inside(blocked, a, b) or not free(a, b):
            continue
        num, den = int(m.group("a")), int(m.group("b"))
        if den == 0 or num > den:
            continue
        found.append(Quantity(a, b, float(num), "fraction", denominator=den, text=folded[a:b]))
        taken.append((a, b))
    for m in _TOKEN.finditer(folded, start, end):
        a, b = m.span()
        na, nb = m.span("num")
        if not free(na, nb) or _inside(blocked, na, nb):
            continue
        token = m.group("num")
        value = parse_number(token, style)
        if value is None:
            continue
        scale = SCALES[m.group("scale")] if m.group("scale") else 1.0
        kind = "percent" if (m.group("pct") or m.group("pct2")) else "number"
        q = Quantity(na, b, value * scale, kind, scale=scale, text=folded[na:b], percent=kind == "percent")
        alt = english_alternative(token) if style == "vn" else None
        if alt is not None:
            q.alt_value = alt * scale
        tail = folded[b : b + 8]
        if re.match(r"\s*(?:đồng|vnđ|vnd)(?!\w)", tail):
            q.money = True
        found.append(q)
        taken.append((na, b))
    found.sort(key=lambda q: q.start)
    for q in found:
        floor = start
        q.qualifier, q.qualifier_start = qualifier_before(folded, q.start, floor)
        if q.kind == "range":
            q.qualifier = "approx"
    return found


def is_whole(value: float) -> bool:
    return math.isfinite(value) and abs(value - round(value)) < 1e-9
