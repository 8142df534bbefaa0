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
    "triệu tỷ": 1e15,
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
    ("gần như", "under"),
    ("gần", "under"),
    ("ngót", "under"),
    ("dưới", "under"),
    ("không đến", "under"),
]
_QUALIFIER_RE = re.compile(
    r"(?:^|(?<=[\s(,:]))(" + "|".join(re.escape(fold_pattern(w)) for w, _ in sorted(QUALIFIER_WORDS, key=lambda x: -len(x[0]))) + r")\s+$"
)
_QUALIFIER_OF = {fold_pattern(w): q for w, q in QUALIFIER_WORDS}
_QUALIFIER_ENDS = tuple(_QUALIFIER_OF)

ORDINAL_WORDS = {
    "nhất": 1, "nhì": 2, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
    "tám": 8, "chín": 9, "mười": 10, "một": 1,
}

_NUM = r"\d+(?:[.,]\d+)*"
# One pass finds every digit run (with its '.'/',' groups and '/' parts); each token is then
# classified from a few characters of context on either side. Running small anchored checks
# around the ~20 numbers of an article is much cheaper than running date, phone and document
# patterns over the whole text.
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*(?:/\d+(?:[.,]\d+)*)*")
# A bare "thứ N" is a rank in lists that state the verb once ("Kon Tum thứ 45 và Đắk Lắk thứ
# 47", "kinh tế số thứ 22"), except after the nouns that count events or days ("lần thứ 2",
# "năm thứ ba", "kỳ họp thứ 5", "sáng thứ 2"): those are checked by _NOT_RANK_BEFORE.
_RANK_BEFORE = re.compile(
    r"(?:(?:xếp|đứng|giữ|vươn lên|tụt xuống|lên|xuống|ở|nằm ở)\s+(?:ở\s+)?(?:vị trí\s+)?(?:hạng\s+)?thứ"
    r"|vị trí\s+(?:thứ\s+|số\s+)?|xếp hạng\s+(?:thứ\s+)?|hạng\s+(?:thứ\s+|số\s+)?|(?:xếp|đứng)\s+số|(?<!\w)thứ)\s*$"
)
_NOT_RANK_BEFORE = re.compile(
    r"(?<!\w)(?:lần|năm|ngày|kỳ|kỳ họp|khóa|đợt|phiên|tuần|tháng|quý|bước|vòng|mùa|hội nghị|đại hội|phần|chương|điều|mục|khoản|tập|tầng|lớp|con|người|vào|sáng|chiều|tối|trưa|hôm|các|mỗi|giai đoạn|thế hệ|thế kỷ|tỉnh|địa phương|thành phố|đơn vị|doanh nghiệp|xã|huyện|sở|bộ|cơ quan|dự án|nền tảng|sản phẩm|hệ thống|ứng dụng|trường hợp|hồ sơ|dịch vụ|chương trình|nội dung|tiêu chí|chỉ tiêu|nhiệm vụ|giải pháp)\s+thứ\s*$"
)
# "từ thứ 2 đến thứ 6" (Monday to Friday) names weekdays; "từ thứ 15 lên thứ 12" ranks.
_WEEKDAY_SPAN_BEFORE = re.compile(r"(?<!\w)(?:từ|đến)\s+thứ\s*$")
# The number of places a ranking has, not a rank: "xếp hạng 34 địa phương".
_RANK_COUNT_AFTER = re.compile(r"\s+(?:tỉnh|địa phương|đơn vị|bộ|thành phố)(?!\w)")
_RANK_VERB_BEFORE = re.compile(r"(?:xếp|đứng)\s+(?:thứ|hạng)\s+\w+[^.;:!?\d]*$")
_RANK_WORD = re.compile(r"(?:thứ|số)\s+(nhất|nhì|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười|một)(?!\w)(?!\s*\d)(?!\s+(?:mươi|mốt|lăm|linh|lẻ)(?!\w))")
# "đứng đầu cả nước", "đứng đầu cả ba trụ cột": rank 1. Not "người đứng đầu" (the head of an
# agency) nor "nhóm ... đứng đầu" (a group of leaders).
_FIRST_PLACE = re.compile(
    r"(?<!người )(?<!những )(?<!các )(?:đứng (đầu)(?=\s+về)"
    r"|(?:đứng|dẫn) (đầu)(?=\s*[,.;]|\s+(?:cả nước|toàn quốc|cả (?:hai|ba|bốn|năm|sáu|bảy|tám|\d)|(?:\d{1,2}(?:/\d{1,2})?|hai|bốn|năm|sáu|bảy|tám) (?:chỉ số|trụ cột)|các trụ cột|ba trụ cột|bảng|trong bảng|với|khối|ở (?:cả|các|bảng|trụ))))"
    r"|giữ (?:vững )?ngôi (đầu)(?!\w)"
)
# Not "ba địa phương xếp cuối bảng là ...": a group of the last places, listed after it.
_LAST_PLACE = re.compile(r"(?<!\w)(?:xếp|đứng|nằm)\s+(cuối cùng|cuối bảng|chót bảng|bét bảng)(?!\w)(?!\s+(?:khu vực|vùng|miền|nhóm|là|gồm|thuộc về))")
# "3 huyện đứng đầu", "Top 10 tỉnh, thành phố đứng đầu về DTI", "3 địa phương đứng cuối bảng":
# a group of leaders (or of the last places), not one province's place.
_COUNTED_GROUP = re.compile(r"(?:(?<![\d.,])\d+|(?<!\w)(?:hai|ba|bốn|năm|sáu|bảy|tám|chín|mười))\s+(?:huyện|xã|tỉnh|địa phương|đơn vị|thành phố|quận|doanh nghiệp|sở|cơ quan|trường)(?:\s*,\s*thành(?: phố)?)?(?:\s+[^\W\d]+)?\s+$")
_TOP_GROUP = re.compile(r"(?<!\w)(?:top|tốp|nhóm)\s*\d*(?!\w)")
# "412 trên tổng số 460 xã": a part of a whole, read like "412/460".
_OF_TOTAL_AFTER = re.compile(r"\s+trên\s+tổng\s+số\s+(\d+(?:\.\d{3})*)(?![\d,.]\d)")
_RANK_OF_AFTER = re.compile(r"\s+(?:trong|trên)\s+(?:tổng\s+số\s+)?(?:cả\s+nước\s+)?(\d{1,3})\s+(?:tỉnh|địa phương)")
_DATE_BEFORE = re.compile(r"(?:ngày|hôm|sáng|chiều|tối|trưa|đêm|tháng|quý|từ ngày|đến ngày)\s+$")
_DATE_AFTER = re.compile(r"\s+tháng\s+\d")
_LEVEL_PAIR_BEFORE = re.compile(r"mức(?:\s+độ)?\s+\d\s*(?:,|và|-|–)\s*$")
_MONTHS_AFTER = re.compile(r"\s+tháng(?!\w)(?!\s+\d)")
_YEAR_BEFORE = re.compile(r"(?:năm|giai đoạn|niên độ|niên khóa|dti|pci|papi|index|chỉ số|đến|từ)\s+$|(?:19|20)\d\d\s*[-–]\s*$")
_YEAR_AFTER = re.compile(r"\s*[-–]\s*(?:19|20)\d\d(?!\d)")
_LEVEL_BEFORE = re.compile(r"mức(?:\s+độ)?\s+$")
_DOC_BEFORE = re.compile(
    r"(?:nghị quyết|quyết định|kế hoạch|công văn|thông tư|nghị định|chỉ thị|văn bản|luật|đề án|chương trình|thông báo|tờ trình|số hiệu)\s+(?:số\s+)?$"
)
_DOC_AFTER = re.compile(r"[/-][^\W\d_]")
_PHONE_BEFORE = re.compile(
    r"(?:số điện thoại|điện thoại (?:số|liên hệ|hỗ trợ)|đường dây nóng|hotline|tổng đài|số máy|fax|zalo)\s*(?:số\s*)?(?:là\s*)?:?\s*[\d.\s-]*$"
)
_PCT_AFTER = re.compile(r"\s*(?:%|phần trăm)")
_SCALE_AFTER = re.compile(r"\s+(triệu tỷ|nghìn tỷ|ngàn tỷ|nghìn|ngàn|triệu|tỷ)(?!\w)(\s*%)?")
_MONEY_AFTER = re.compile(r"\s*(?:đồng|vnđ|vnd)(?!\w)")
_RANGE_AFTER = re.compile(r"\s*(%|phần trăm)?\s+(?:đến|tới)\s+(\d+(?:[.,]\d+)*)(?![\w/])|\s*[-–]\s*(\d+(?:[.,]\d+)*)(?![\w/])")
_FROM_BEFORE = re.compile(r"từ\s+$")
_NOT_BEFORE = set("._-+/:@#&")
# Everything that makes the next number a non-quantity, as one pattern over a short window:
# document numbers, "mức độ 4", dates ("ngày 15", "tháng 10"), phone numbers.
_SKIP_BEFORE = re.compile(
    r"(?:(?:nghị quyết|quyết định|kế hoạch|công văn|thông tư|nghị định|chỉ thị|văn bản|luật|đề án|chương trình|thông báo|tờ trình|số hiệu)\s+(?:số\s+)?"
    r"|(?:ngày|hôm|sáng|chiều|tối|trưa|đêm|tháng|quý)\s+"
    r"|(?:điện thoại|đường dây nóng|hotline|tổng đài|số máy|fax|zalo)\s*(?:số\s*)?(?:là\s*)?:?\s*[\d.\s-]*)$"
)


# The words the context patterns above end with (before the whitespace that separates them from
# the number). A number whose preceding word ends with none of them, and is not preceded by a
# digit, '.', '-' or ':' (phone numbers in groups, "2021-"), cannot match: the pattern is not run.
def _ends(*words: str) -> tuple[str, ...]:
    return tuple(fold_pattern(w) for w in words)


_SKIP_ENDS = _ends(
    "quyết", "định", "hoạch", "văn", "tư", "thị", "bản", "luật", "án", "trình", "báo", "hiệu", "số",
    "ngày", "hôm", "sáng", "chiều", "tối", "trưa", "đêm", "tháng", "quý",
    "thoại", "nóng", "hotline", "đài", "máy", "fax", "zalo", "là",
)
_RANK_ENDS = _ends("thứ", "trí", "hạng", "số")
_LEVEL_ENDS = _ends("mức", "độ")
_YEAR_ENDS = _ends("năm", "đoạn", "độ", "khóa", "dti", "pci", "papi", "index", "số", "đến", "từ")
_DATE_ENDS = _ends("ngày", "hôm", "sáng", "chiều", "tối", "trưa", "đêm", "tháng", "quý")


def _last_word_end(folded: str, lo: int, a: int) -> int:
    """Where the text before position `a` stops being whitespace (not below `lo`)."""
    e = a
    while e > lo and folded[e - 1].isspace():
        e -= 1
    return e


@dataclass(slots=True)
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


# "Not preceded by a digit, '.' or ','" is checked after the first digit, not before it, so the
# regex engine can skip straight to digits instead of trying every position.
_EN_EVIDENCE = re.compile(r"\d(?<![\d.,]\d)\d*\.(?!0(?!\d))\d{1,2}(?![\d.,])|\d(?<![\d.,]\d)\d{0,2}(?:,\d{3}){2,}(?![\d,])|\d,\d{3}\.\d")
_VN_EVIDENCE = re.compile(r"\d(?<![\d.,]\d)\d*,\d{1,2}(?![\d.,])|\d(?<![\d.,]\d)\d{0,2}(?:\.\d{3}){2,}(?![\d.])|\d\.\d{3},\d|\d(?<![\d.,]\d)\d*,\d{4,}(?![\d.,])")


_EN_HINT = re.compile(r"\d\.\d{1,2}(?!\d)|\d,\d{3},\d|\d,\d{3}\.\d")


# Runs of digits, '.' and ',': every evidence match lies inside one run and looks only at whether
# its neighbours are digits, '.' or ','. Counting on the runs joined by spaces gives the counts
# over the whole text on a string a fifth of its length.
_NUMBER_RUN = re.compile(r"[.,\d][\d.,]*")


def number_style(text: str) -> str:
    """"en" when a text writes numbers the English way ("96.5%", "12,480,000") more often than
    the Vietnamese way ("96,5%", "12.480.000"); "vn" otherwise. Version numbers like "4.0" are
    not evidence."""
    if not _EN_HINT.search(text):
        return "vn"
    runs = " ".join(_NUMBER_RUN.findall(text))
    en = len(_EN_EVIDENCE.findall(runs))
    if not en:
        return "vn"
    return "en" if en > len(_VN_EVIDENCE.findall(runs)) else "vn"


def parse_number(token: str, style: str = "vn") -> float | None:
    """One number token -> float, or None when the token is not a valid number.

    Vietnamese first: "1.860" = 1860, "2,5" = 2.5, "1.234,56" = 1234.56. English only when the
    Vietnamese reading is invalid: "0.5064", "98.5", "1,234,567", "1,234.5".
    """
    token = token.strip()
    if not token or not _PLAIN_TOKEN.fullmatch(token):
        return None
    return _parse_plain(token, style)


_PLAIN_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")


def _parse_plain(token: str, style: str) -> float | None:
    """parse_number for a token already known to be digits with '.'/',' groups."""
    if token.isdigit():
        return float(token)  # no separator: both readings agree
    first, second = (_parse_en, _parse_vn) if style == "en" else (_parse_vn, _parse_en)
    value = first(token)
    return value if value is not None else second(token)


def _parse_grouped(token: str, thousands: str, decimal: str, *, reject_leading_zero: bool) -> float | None:
    """A token with `thousands` grouping and an optional `decimal` part, or None when the
    token does not fit that convention ("2,300.1999" is no Vietnamese number: a '.' after its
    decimal comma; "4.2150,5064" no English one)."""
    if token.count(decimal) > 1:
        return None
    int_part, _, dec = token.partition(decimal)
    if thousands in dec:
        return None
    groups = int_part.split(thousands)
    if len(groups) > 1:
        if not (1 <= len(groups[0]) <= 3) or any(len(g) != 3 for g in groups[1:]):
            return None
        if reject_leading_zero and groups[0].startswith("0"):
            return None
    digits = "".join(groups)
    return float(f"{digits}.{dec}") if dec else float(digits)


def _parse_vn(token: str) -> float | None:
    return _parse_grouped(token, ".", ",", reject_leading_zero=True)


def _parse_en(token: str) -> float | None:
    return _parse_grouped(token, ",", ".", reject_leading_zero=False)


def english_alternative(token: str) -> float | None:
    """The English reading of a token the Vietnamese grammar reads as a decimal ("2,300")."""
    if "," in token and _EN_THOUSANDS.fullmatch(token):
        return float(token.replace(",", ""))
    return None


_EN_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:,\d{3})")


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
    groups: list[str] = []
    while len(int_part) > 3:
        groups.insert(0, int_part[-3:])
        int_part = int_part[:-3]
    groups.insert(0, int_part)
    out = ".".join(groups) + (f",{dec}" if dec else "")
    return ("-" if negative else "") + out


def qualifier_before(folded: str, start: int, floor: int = 0) -> tuple[str, int | None]:
    """The qualifier word ending right before position `start` (e.g. "khoảng "), if any."""
    lo = max(floor, start - 16)
    # Every qualifier is followed by whitespace, and the text before that whitespace ends with
    # the qualifier: without both there is nothing to search for.
    if start <= lo or not folded[start - 1].isspace():
        return "exact", None
    if not folded.endswith(_QUALIFIER_ENDS, lo, _last_word_end(folded, lo, start)):
        return "exact", None
    m = _QUALIFIER_RE.search(folded, lo, start)
    if not m:
        return "exact", None
    return _QUALIFIER_OF[m.group(1)], m.start(1)


def scan_quantities(folded: str, start: int = 0, end: int | None = None, *, style: str = "vn") -> list[Quantity]:
    """Every quantity in folded[start:end], left to right, without overlaps. `style` is the
    text's number convention (see `number_style`)."""
    end = len(folded) if end is None else end
    found: list[Quantity] = []
    consumed_until = start
    for m in _TOKEN.finditer(folded, start, end):
        a, b = m.span()
        if a < consumed_until:
            continue
        q = _classify(folded, m.group(0), a, b, end, style)
        if q is None:
            continue
        found.append(q)
        consumed_until = q.end
    if folded.find("thứ", start, end) >= 0 or folded.find("số một", start, end) >= 0:
        for m in _rank_word_matches(folded, start, end):
            lo, word_start = max(start, m.start() - 30), m.end(1) - len(m.group(1))
            # A bare "thứ tư" is a rank only in a list whose verb came just before ("Quảng Ninh
            # xếp thứ ba, Huế thứ tư"): alone it is as likely a weekday.
            listed = _RANK_VERB_BEFORE.search(folded, max(start, m.start() - 50), m.start()) is not None
            if _is_rank_context(folded, lo, word_start, bare_ok=listed, value=ORDINAL_WORDS[m.group(1)]) and (m.group(1) != "một" or folded.startswith("số", m.start())):
                a, b = m.span(1)
                found.append(Quantity(a, b, float(ORDINAL_WORDS[m.group(1)]), "rank", text=m.group(1)))
                # "ở vị trí thứ hai và ba": the ordinals listed after the first are ranks too.
                nxt = _NEXT_ORDINAL.match(folded, b, end)
                while nxt is not None:
                    g = nxt.lastindex or 1
                    a, b = nxt.span(g)
                    found.append(Quantity(a, b, float(ORDINAL_WORDS[nxt.group(g)]), "rank", text=nxt.group(g)))
                    nxt = _NEXT_ORDINAL.match(folded, b, end)
        found.sort(key=lambda q: q.start)
    in_words = _word_quantities(folded, start, end)
    if in_words:
        found.extend(in_words)
        found.sort(key=lambda q: q.start)
    if folded.find("cuối", start, end) >= 0:
        # "Bắc Kạn xếp cuối cùng", "đứng cuối bảng": the last place of the 63.
        for m in _LAST_PLACE.finditer(folded, start, end):
            before = folded[max(start, m.start() - 40) : m.start()]
            if not _TOP_GROUP.search(before) and not _COUNTED_GROUP.search(before):
                found.append(Quantity(m.start(1), m.end(1), 63.0, "rank", denominator=63, text=m.group(1)))
        found.sort(key=lambda q: q.start)
    if folded.find("đứng đầu", start, end) >= 0 or folded.find("dẫn đầu", start, end) >= 0 or folded.find("ngôi đầu", start, end) >= 0:
        for m in _FIRST_PLACE.finditer(folded, start, end):
            before = folded[max(start, m.start() - 40) : m.start()]
            if not _TOP_GROUP.search(before) and not _COUNTED_GROUP.search(before):
                g = m.lastindex or 1
                found.append(Quantity(m.start(g), m.end(g), 1.0, "rank", text="đầu"))
        found.sort(key=lambda q: q.start)
    for q in found:
        q.qualifier, q.qualifier_start = qualifier_before(folded, q.start, start)
        if q.kind == "range":
            q.qualifier = "approx"
    if len(found) > 1 and folded.find("từ ", start, end) >= 0:
        found = _qualified_ranges(folded, found, start)
    return found


# "từ khoảng 0,5 đến gần 0,6", "từ 60% đến hơn 70%": a range whose bounds carry qualifiers (the
# plain "từ 75% đến 80%" is read as one token run by _classify).
_QUALIFIED_RANGE_JOIN = re.compile(r"\s*(?:đến|tới|-|–)\s*")


def _qualified_ranges(folded: str, found: list[Quantity], floor: int) -> list[Quantity]:
    out: list[Quantity] = []
    i = 0
    while i < len(found):
        q = found[i]
        if i + 1 < len(found) and q.kind in ("number", "percent") and (q.qualifier_start is not None or found[i + 1].qualifier_start is not None):
            r = found[i + 1]
            lead = q.qualifier_start if q.qualifier_start is not None else q.start
            r_lead = r.qualifier_start if r.qualifier_start is not None else r.start
            low = scaled(q.value, r.scale) if q.scale == 1.0 and r.scale != 1.0 else q.value
            if (
                folded.endswith("từ ", max(floor, lead - 3), lead)
                and (r.kind == q.kind or (q.kind == "number" and r.kind == "percent"))
                and low < r.value
                and not q.money
                and _QUALIFIED_RANGE_JOIN.fullmatch(folded, q.end, r_lead)
            ):
                out.append(Quantity(q.start, r.end, low, "range", "approx", q.qualifier_start, r.scale, high=r.value,
                                    money=r.money, percent=r.percent, text=folded[q.start : r.end]))
                i += 2
                continue
        out.append(q)
        i += 1
    return out


def _rank_word_matches(folded: str, start: int, end: int) -> list[re.Match]:
    """_RANK_WORD.finditer(folded, start, end) as a list. Every match starts at "thứ" or "số",
    so the pattern is tried only there: run over the whole text, its leading alternation is
    tried at every position. Matches cannot overlap (no ordinal word contains either anchor)."""
    found: list[tuple[int, re.Match]] = []
    for anchor in _RANK_WORD_ANCHORS:
        i = folded.find(anchor, start, end)
        while i >= 0:
            m = _RANK_WORD.match(folded, i, end)
            if m is not None:
                found.append((i, m))
            i = folded.find(anchor, i + 1, end)
    found.sort(key=_first)
    return [m for _, m in found]


_RANK_WORD_ANCHORS = ("thứ", "số")
# "năm" (five) only after "thứ": bare, it is "năm nay", "năm 2023" (the year).
_NEXT_ORDINAL = re.compile(
    r"\s*(?:,|và|hoặc)\s*(?:thứ\s+(nhì|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười)|(nhì|hai|ba|tư|bốn|sáu|bảy|tám|chín|mười))(?!\w)(?!\s*\d)"
)


def _first(item: tuple[int, re.Match]) -> int:
    return item[0]


# A count spelled in words is a single cardinal and a scale word ("hơn ba nghìn", "hai triệu").
# Compounds ("hai mươi nghìn") and vague amounts ("hàng nghìn", "vài triệu") are left alone: a
# missing number is better than a wrong one.
_CARDINAL_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
_NUMBER_WORDS = set(_CARDINAL_WORDS) | {"mươi", "trăm", "lẻ", "linh", "nghìn", "ngàn", "triệu", "tỷ", "tư", "lăm", "mốt"}
_WORD_SCALES = ("nghìn", "ngàn", "triệu", "tỷ")
_WORD_NUMBER = re.compile(
    r"(?<!\w)(một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười) (triệu tỷ|nghìn tỷ|ngàn tỷ|nghìn|ngàn|triệu|tỷ)(?!\w)(?! (?:\d|(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|trăm|mươi|lẻ|linh|rưỡi)(?!\w)))"
)


def _word_quantities(folded: str, start: int, end: int) -> list[Quantity]:
    out = []
    # Anchored at the word before each scale word: scanning the whole article with the pattern
    # costs more than the few finds.
    for w in _WORD_SCALES:
        i = folded.find(" " + w, start, end)
        while i >= 0:
            m = _WORD_NUMBER.match(folded, max(start, folded.rfind(" ", start, i) + 1), end)
            i = folded.find(" " + w, i + 1, end)
            if m is None:
                continue
            q = _word_quantity(folded, start, m)
            if q is not None:
                out.append(q)
    return out


def _word_quantity(folded: str, start: int, m: re.Match) -> Quantity | None:
    a, b = m.span()
    prev = folded[max(start, a - 8) : a].rstrip().rsplit(" ", 1)[-1]
    if prev in _NUMBER_WORDS or prev[-1:].isdigit():
        return None  # the tail of "hai mươi ba nghìn" or "15 hai": not the whole number
    scale = SCALES[m.group(2)]
    q = Quantity(a, b, _CARDINAL_WORDS[m.group(1)] * scale, "number", scale=scale, text=m.group(0))
    q.money = bool(_MONEY_AFTER.match(folded, b))
    return q


def _classify(folded: str, tok: str, a: int, b: int, end: int, style: str) -> Quantity | None:
    before = folded[a - 1] if a > 0 else " "
    after = folded[b] if b < len(folded) else " "
    if before.isalnum() or before in _NOT_BEFORE:
        return None  # "H10", "GMT+7", "quý I/2022", the tail of "0205.3.888.123"
    if after.isalpha() or (after == ":" and folded[b + 1 : b + 2].isdigit()):
        return None  # "4G", "21:48"
    if after in "/-" and _DOC_AFTER.match(folded, b):
        return None  # "942/QĐ-TTg", "14-NQ/TU"
    lo = max(0, a - 28)
    # The context words before a number (document, date, phone, rank, year) are all separated
    # from it by whitespace (or "–" in "2021–2025"); any other character before the number,
    # "(" say, rules them out without running the patterns.
    spaced = before.isspace()
    e = a
    if spaced and e > lo:
        e -= 1  # the one space before the number, usually all there is
        if e > lo and folded[e - 1].isspace():
            e = _last_word_end(folded, lo, e)
    last = folded[e - 1] if e > lo else ""
    if "/" in tok:
        return _classify_slashed(folded, tok, a, b, lo, end, spaced, e)
    if (
        spaced
        and last
        and (last.isdecimal() or last in ".-:" or folded.endswith(_SKIP_ENDS, lo, e))
        and _SKIP_BEFORE.search(folded, lo, a)
    ) or (len(tok) >= 4 and tok[0] == "0" and tok.isdigit()):
        return None
    # "mức 4", "mức độ 3": a service level (1 to 4), never a value; "ở mức 76,3%" is a value.
    if len(tok) == 1 and spaced and folded.endswith(_LEVEL_ENDS, lo, e) and _LEVEL_BEFORE.search(folded, lo, a) and not _PCT_AFTER.match(folded, b):
        return None
    if len(tok) == 1 and last in ",-–ào" and _LEVEL_PAIR_BEFORE.search(folded, lo, a):
        return None  # the "4" of "mức độ 3, 4" is a level too
    if len(tok) == 4 and tok[:2] in ("19", "20") and (
        (
            (spaced or before == "–")
            and last
            and (last in "-–" or folded.endswith(_YEAR_ENDS, lo, e))
            and _YEAR_BEFORE.search(folded, lo, a)
        )
        or _YEAR_AFTER.match(folded, b)
    ):
        return None
    # The first non-space character after the number: each unit pattern below (date month, %,
    # scale word, currency) can only match when it is that pattern's first letter.
    nb, n = b, len(folded)
    while nb < n and folded[nb].isspace():
        nb += 1
    nc = folded[nb] if nb < n else "\0"
    if after == " " and nc == "t" and (_DATE_AFTER.match(folded, b) or folded.startswith("tuổi", nb) or _MONTHS_AFTER.match(folded, b)):
        return None  # "15 tháng 3", ages ("từ 15 tuổi"), periods ("6 tháng đầu năm"): never a value
    value = _parse_plain(tok, style)
    if value is None:
        return None
    if spaced and folded.endswith(_RANK_ENDS, lo, e) and _is_rank_context(folded, lo, a, value=value) and not _RANK_COUNT_AFTER.match(folded, b):
        q = Quantity(a, b, value, "rank", text=tok)
        r = _RANK_OF_AFTER.match(folded, b)
        if r:
            q.denominator, q.end = int(r.group(1)), r.end()
        return q if is_whole(value) else None
    if nc == "t" and is_whole(value):
        r = _OF_TOTAL_AFTER.match(folded, b)
        if r:
            den = _parse_plain(r.group(1), style)
            if den is not None and is_whole(den) and value <= den:
                return Quantity(a, r.end(), value, "fraction", denominator=int(den), text=folded[a : r.end()])
    if folded.endswith("từ ", lo, a) or (after in " -–" and folded[b : b + 3].strip()[:1] in "-–"):
        r = _RANGE_AFTER.match(folded, b)
        if r:
            hi_tok = r.group(2) or r.group(3)
            hi = _parse_plain(hi_tok, style)
            if hi is not None and value < hi and not (len(tok) == 4 and tok[:2] in ("19", "20")):
                q_end = r.end()
                pct = bool(r.group(1))
                p = _PCT_AFTER.match(folded, q_end)
                if p:
                    pct, q_end = True, p.end()
                q = Quantity(a, q_end, value, "range", high=hi, text=folded[a:q_end], percent=pct)
                sc = _SCALE_AFTER.match(folded, q_end)
                if sc:
                    scale = SCALES[sc.group(1)]
                    q.value, q.high, q.scale, q.end = scaled(value, scale), scaled(hi, scale), scale, sc.end()
                if _MONEY_AFTER.match(folded, q.end):
                    q.money = True
                return q
    q = Quantity(a, b, value, "number", text=tok)
    p = _PCT_AFTER.match(folded, b) if nc in "%p" else None
    if p:
        q.kind, q.percent, q.end = "percent", True, p.end()
    elif nc in "nt":
        sc = _SCALE_AFTER.match(folded, b)
        if sc:
            q.scale = SCALES[sc.group(1)]
            q.value = scaled(value, q.scale)
            q.end = sc.end()
            if sc.group(2):
                q.kind, q.percent = "percent", True
    if style == "vn" and q.kind == "number":
        alt = english_alternative(tok)
        if alt is not None:
            q.alt_value = scaled(alt, q.scale)
    if q.kind == "number" and (q.end != b or nc in "đv") and _MONEY_AFTER.match(folded, q.end):
        q.money = True
    q.text = folded[a : q.end]
    return q


def _is_rank_context(folded: str, lo: int, a: int, bare_ok: bool = True, value: float | None = None) -> bool:
    m = _RANK_BEFORE.search(folded, lo, a)
    if m is None:
        return False
    if folded.startswith("thứ", m.start()):
        # A bare "thứ": only digits, inside a sentence (not "Thứ năm, 05/05" nor "Thứ 5" opening
        # a dateline), and not after a noun that counts events or days.
        t = m.start() - 1
        while t >= lo and folded[t] == " ":
            t -= 1
        if not bare_ok or t < lo or not (folded[t].isalpha() or folded[t] in ",;()") or _NOT_RANK_BEFORE.search(folded, lo, a):
            return False
        if (value is None or value <= 7) and _WEEKDAY_SPAN_BEFORE.search(folded, lo, a):
            return False
        if folded[t] == "(" and not (t > lo and folded[t - 1 : t].isspace() and folded[t - 2 : t - 1].isalpha()):
            return False  # "(thứ 5)" after a name is a rank; after a date, "12/10 (thứ 5)", a weekday
    return True


def _classify_slashed(folded: str, tok: str, a: int, b: int, lo: int, end: int, spaced: bool = True, e: int | None = None) -> Quantity | None:
    parts = tok.split("/")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None  # "5/5/2022", "1.5/2"
    num, den = int(parts[0]), int(parts[1])
    if e is None:
        e = _last_word_end(folded, lo, a)
    if len(parts[1]) == 4 or den == 0 or num > den or (spaced and folded.endswith(_DATE_ENDS, lo, e) and _DATE_BEFORE.search(folded, lo, a)):
        return None  # "9/2024", "15/11" after "ngày"
    if spaced and folded.endswith(_RANK_ENDS, lo, e) and _is_rank_context(folded, lo, a, value=float(num)):
        return Quantity(a, b, float(num), "rank", denominator=den, text=tok)
    return Quantity(a, b, float(num), "fraction", denominator=den, text=tok)


def scaled(value: float, scale: float) -> float:
    """value * scale without binary noise in the last digit (1,1 triệu tỷ is 1.1e15, not
    1100000000000000.1): a stated figure never has more than 15 significant digits."""
    if scale == 1.0:
        return value
    return float(f"{value * scale:.15g}")


def is_whole(value: float) -> bool:
    return math.isfinite(value) and abs(value - round(value)) < 1e-9
