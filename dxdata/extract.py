"""The extraction engine: catalogue-driven rules turn an article's sentences into facts.

How one number becomes a fact:
1. Sentences are split on the NFC text; only sentences with a digit, a rank word or a
   statement cue are scanned, with one quantity pass (`dxdata.numbers`).
2. Numbers that are not a province's current value are set aside first: growth ("tăng 12%"),
   shares ("chiếm 40%"), national totals and averages ("cả nước", "bình quân"), districts and
   single units ("huyện Lục Ngạn", "Bệnh viện ..."). Targets and plans ("phấn đấu", "mục tiêu",
   "dự kiến", "sẽ", "đến năm 2025") go to `targets`.
3. The catalogue (`schemas/indicators.csv`: columns number, cues, requires, exclusions) says
   which numbers an indicator takes: the number's form (percent, count, rank, index, vnd),
   cue phrases right *after* the number ("1.860 dịch vụ công trực tuyến") or *before* it
   ("tỷ lệ hồ sơ ... đạt 52,17%"), context the sentence must have, and words that exclude it.
   The best-scoring cue wins; the fact records it in `method` ("cue:<indicator>#<n>").
4. The province comes from the sentence, else the paragraph, else the lead, else the title,
   through the province register; when that is ambiguous the fact has no province and goes to
   `candidates`, as does anything below the confidence threshold.
5. The period: an explicit "năm N" (not "so với năm N"), "tính đến ngày ..."; otherwise the
   publication date. DTI ranks map to the edition they quote (`dxdata.editions`).
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left, bisect_right
import re
import sys
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any
from pathlib import Path

from dxdata import paths
from dxdata.catalogue import load_catalogue
from dxdata.editions import edition_for, load_editions
from dxdata.model import FIRST_REF_YEAR, LAST_REF_YEAR, Article, ExtractionResult, Fact
from dxdata.numbers import ORDINAL_WORDS, Quantity, is_whole, number_style, parse_number, scan_quantities
from dxdata.provinces import Province, load_register
from dxdata.text import fold, fold_pattern, normalise, split_sentences, unify_and_fold, unify_case_kept

# Bump when the rules in this module change; the hash of the catalogue and its companion files
# (nicknames, indicator groups) is appended, so editing any of them changes the version.
RULES_REVISION = "13"
DEFAULT_THRESHOLD = 0.6


def _catalogue_digest() -> str:
    digest = hashlib.sha256()
    try:
        digest.update(paths.catalogue_path().read_bytes())
    except OSError:
        return "nocatalogue"
    for extra in _CATALOGUE_COMPANIONS:
        try:
            digest.update((paths.catalogue_path().parent / extra).read_bytes())
        except OSError:
            pass
    return digest.hexdigest()[:12]


# Declarations read by extraction beside the catalogue: their edits change the engine version too.
_CATALOGUE_COMPANIONS = ("province_nicknames.csv", "indicator_groups.csv")


ENGINE_VERSION = f"{RULES_REVISION}+{_catalogue_digest()}"

CUE_SEPARATOR = "¦"


# --- catalogue rules -------------------------------------------------------------------------
@dataclass(frozen=True)
class Cue:
    indicator_id: str
    n: int  # 1-based position in the indicator's cue list; reported in Fact.method
    where: str  # after | before | any | stmt
    regex: re.Pattern | None
    literal: str  # a phrase every match contains ("" when none can be derived); a cheap prefilter
    literals: frozenset[str] | None = None  # every match contains one of these (None: unknown)


@dataclass
class Rule:
    indicator_id: str
    theme: str
    unit: str
    number: str  # which form of number the indicator takes
    cues: list[Cue]
    requires: re.Pattern | None
    exclusions: re.Pattern | None


class RuleError(ValueError):
    pass


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings of which every match of `pattern` contains at least one, or None when no useful
    set can be derived. Used to skip cues whose words a sentence lacks without running them."""
    try:
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - older Pythons
        import sre_parse  # type: ignore
    try:
        tree = sre_parse.parse(pattern)
    except Exception:
        return None
    found = _req_seq(list(tree), sre_parse)
    if not found or min(len(x) for x in found) < 2:
        return None
    return frozenset(found)


def _req_seq(items, sp) -> set[str] | None:
    best: set[str] | None = None

    def better(cand: set[str] | None) -> None:
        nonlocal best
        if cand and (best is None or min(map(len, cand)) > min(map(len, best))):
            best = cand

    run = ""
    for op, av in items:
        if op is sp.LITERAL:
            run += chr(av)
            continue
        if run:
            better({run})
            run = ""
        if op is sp.SUBPATTERN:
            better(_req_seq(list(av[-1]), sp))
        elif op is sp.BRANCH:
            alts = [_req_seq(list(b), sp) for b in av[1]]
            if all(alts):
                better(set().union(*(a for a in alts if a)))
        elif op in (sp.MAX_REPEAT, sp.MIN_REPEAT) and av[0] >= 1:
            better(_req_seq(list(av[2]), sp))
    if run:
        better({run})
    return best


def _required_literal(pattern: str) -> str:
    """The longest run of plain words at the top level of a regex (a substring every match has)."""
    best, run, depth, in_class, i = "", "", 0, False, 0
    while i < len(pattern):
        c = pattern[i]
        if in_class:
            if c == "\\":
                i += 1
            elif c == "]":
                in_class = False
        elif c == "\\":
            run = ""
            i += 1
        elif c == "[":
            in_class, run = True, ""
        elif c == "(":
            depth += 1
            run = ""
        elif c == ")":
            depth -= 1
            run = ""
        elif c in "|":
            if depth == 0:
                return ""  # top-level alternation: no common literal
            run = ""
        elif depth == 0 and (c.isalpha() or c == " "):
            nxt = pattern[i + 1] if i + 1 < len(pattern) else ""
            if nxt in "?*{":
                run = ""
            else:
                run += c
                if len(run.strip()) > len(best):
                    best = run.strip()
        else:
            run = ""
        i += 1
    return best if len(best) >= 3 else ""


@dataclass(frozen=True, slots=True)
class LiteralHits:
    """Where the catalogue's cue words and the context words occur in one article."""

    cue_positions: list[int]  # start of each cue-literal occurrence, ascending
    cue_found: list[frozenset[str]]  # the cue literals that occurrence contains
    starts: list[int]  # every literal occurrence (cue and context words), ascending start
    ends: list[int]
    words: list[str]

    def inside(self, a: int, b: int) -> set[str]:
        """The literals that occur entirely within text[a:b] (the same as `lit in text[a:b]`)."""
        ends, words = self.ends, self.words
        return {words[i] for i in range(bisect_left(self.starts, a), bisect_left(self.starts, b)) if ends[i] <= b}


@dataclass(frozen=True)
class LiteralIndex:
    """Finds every occurrence of every literal in one pass (Aho-Corasick). `implies` maps a cue
    literal to the cue literals it contains, so a long hit also counts as a hit of its parts."""

    automaton: Any  # ahocorasick.Automaton, or None when there are no words
    implies: dict[str, frozenset[str]]

    def hits(self, text: str) -> LiteralHits:
        if self.automaton is None:
            return LiteralHits([], [], [], [], [])
        starts: list[int] = []
        ends: list[int] = []
        words: list[str] = []
        implied: list[frozenset[str] | None] = []
        ordered = True
        for end, (word, n, implies) in self.automaton.iter(text):
            start = end + 1 - n
            if starts and start < starts[-1]:
                ordered = False
            starts.append(start)
            ends.append(end + 1)
            words.append(word)
            implied.append(implies)
        if not ordered:
            # The automaton reports hits by end; by start they are nearly in order. A stable
            # sort on the start keeps hits with one start shortest first, as a sort on (start,
            # end) would.
            order = sorted(range(len(starts)), key=starts.__getitem__)
            starts = [starts[i] for i in order]
            ends = [ends[i] for i in order]
            words = [words[i] for i in order]
            implied = [implied[i] for i in order]
        cue_positions: list[int] = []
        cue_found: list[frozenset[str]] = []
        for i, imp in enumerate(implied):
            if imp is not None:
                cue_positions.append(starts[i])
                cue_found.append(imp)
        return LiteralHits(cue_positions, cue_found, starts, ends, words)


@lru_cache(maxsize=4)
def literal_index(path: Path | None = None) -> LiteralIndex:
    import ahocorasick  # C library; see the README, "How it keeps fast"

    cue_literals = sorted({lit for rule in load_rules(path) for cue in rule.cues if cue.literals for lit in cue.literals})
    words = set(cue_literals).union(*_CONTEXT_LITERALS.values())
    if not words:
        return LiteralIndex(None, {})
    implies = {lit: frozenset(o for o in cue_literals if o in lit) for lit in cue_literals}
    automaton = ahocorasick.Automaton()
    for word in sorted(words):
        automaton.add_word(word, (word, len(word), implies.get(word)))
    automaton.make_automaton()
    return LiteralIndex(automaton, implies)


def _present(positions: list[int], found: list[frozenset[str]], a: int, b: int) -> set[str]:
    out: set[str] = set()
    for i in range(bisect_left(positions, a), bisect_left(positions, b)):
        out |= found[i]
    return out


@lru_cache(maxsize=4)
def load_rules(path: Path | None = None) -> tuple[Rule, ...]:
    """The extraction rules declared in the catalogue, compiled once."""
    path = path or paths.catalogue_path()
    rules = []
    for iid, row in load_catalogue(path).items():
        spec = (row.get("cues") or "").strip()
        if not spec:
            continue  # table-only indicator
        cues = []
        for n, item in enumerate(spec.split(CUE_SEPARATOR), start=1):
            item = item.strip()
            where, sep, pattern = item.partition(":")
            if not sep or where not in ("after", "before", "any", "stmt", "pair", "paren"):
                raise RuleError(f"{path}: {iid}: cue {n} {item!r} must start with after:, before:, any:, stmt:, pair: or paren:")
            if where == "paren":
                # "paren:": the number in parentheses right after a province's name ("Quảng Ninh
                # (0,7024)", "Cao Bằng (61)"), in lists of a ranking.
                cues.append(Cue(iid, n, where, None, "", None))
                continue
            if where == "pair":
                # "pair:<indicator>": a rank stated right after that indicator's value is ours
                # ("trụ cột chính quyền số đạt 0,6683 điểm, xếp hạng 29/63").
                cues.append(Cue(iid, n, where, None, pattern.strip(), None))
                continue
            try:
                regex = re.compile(abbreviation_tolerant(fold_pattern(pattern))) if pattern else None
            except re.error as exc:
                raise RuleError(f"{path}: {iid}: cue {n} is not a valid regular expression ({exc})") from exc
            folded_pattern = fold_pattern(pattern)
            cues.append(Cue(iid, n, where, regex, _required_literal(folded_pattern), required_literals(folded_pattern) if pattern else None))
        try:
            requires = re.compile(fold_pattern(row["requires"])) if row.get("requires") else None
            exclusions = re.compile(fold_pattern(row["exclusions"])) if row.get("exclusions") else None
        except re.error as exc:
            raise RuleError(f"{path}: {iid}: requires/exclusions is not a valid regular expression ({exc})") from exc
        number = row.get("number") or row["unit"]
        rules.append(Rule(iid, row["theme"], row["unit"], number, cues, requires, exclusions))
    return tuple(rules)


# "gần 200 doanh nghiệp (DN) CNTT", "7.000 DN công nghệ thông tin (CNTT)": an abbreviation in
# parentheses may follow any word of a cue phrase.
_ABBREVIATION = r"(?: \([^\W\d_]{2,8}\))?"


def abbreviation_tolerant(pattern: str) -> str:
    """`pattern` with an optional parenthesised abbreviation allowed at each plain space between
    two words of a cue phrase. Spaces inside character classes, lookarounds (whose width must
    stay fixed) or under a quantifier are left alone."""
    out: list[str] = []
    stack: list[bool] = []  # per open group: is it a lookaround?
    in_class = False
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]" or (i > 0 and pattern[i - 1] == "[")
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
        elif c == "(":
            stack.append(pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i))
        elif c == ")" and stack:
            stack.pop()
        elif (
            c == " "
            and not any(stack)
            and i > 0
            and (pattern[i - 1].isalpha() or (pattern[i - 1] == ")" and pattern[i - 2 : i] != "\\)"))
            and i + 1 < n
            and (pattern[i + 1].isalpha() or (pattern[i + 1] == "(" and not pattern.startswith("(?", i + 1)))
        ):
            out.append(_ABBREVIATION + " ")
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


# --- context vocabularies (folded text) --------------------------------------------------------
def _fc(pattern: str) -> re.Pattern:
    return re.compile(fold_pattern(pattern))


# Marker patterns begin with a literal so the regex engine can skip ahead quickly; where a word
# start matters it is checked after the literal with a fixed-width lookbehind.
# "thực hiện kế hoạch", "hoàn thành mục tiêu", "vượt chỉ tiêu" report results, not plans.
TARGET_MARKERS = _fc(
    r"phấn đấu"
    r"|mục tiêu(?<!hoàn thành mục tiêu)(?<!đạt mục tiêu)(?<!vượt mục tiêu)(?<!% mục tiêu)"
    r"|chỉ tiêu(?<!hoàn thành chỉ tiêu)(?<!đạt chỉ tiêu)(?<!vượt chỉ tiêu)(?<!% chỉ tiêu)"
    r"|kế hoạch(?<!thực hiện kế hoạch)(?<!triển khai kế hoạch)(?<!ban hành kế hoạch)(?<!kết quả kế hoạch)(?<!vượt kế hoạch)(?<!% kế hoạch)"
    r"|dự kiến|sẽ(?!\w)|phải đạt|đặt ra|định hướng|hướng tới|kỳ vọng|dự báo|đề ra|cần đạt|nhằm đạt|tiến tới"
    # "Đồng Nai cần 1.000 doanh nghiệp công nghệ số", "cần thêm 500 trạm": a need, not a result.
    r"|(?<!\w)cần(?= (?:có |thêm |tuyển |phát triển |xây dựng )?(?:khoảng |ít nhất |tối thiểu |hơn |trên )?\d)"
)
# "hiện" (now) is a syllable of many words ("hiện trường", "thực hiện", "hiện đại").
HIEN = r"hiện(?<![^\W\d_]hiện)(?<!thực hiện)(?<!thể hiện)(?<!xuất hiện)(?<!phát hiện)(?<!biểu hiện)(?!\w)(?! trường| đại| thực| diện| hành| vật| tượng| rõ| ra| có lên)"
PRESENT_MARKERS = _fc(r"đến nay|hiện nay|hiện tại|" + HIEN + r"|tính đến|đã(?!\w)|vừa qua|toàn tỉnh có|kết quả|nhưng(?!\w)|tuy nhiên|mới đạt|chỉ đạt")
FUTURE_YEAR = _fc(r"(?:đến|vào|trước|tới)\s+(?:cuối\s+|hết\s+)?năm\s+((?:19|20)\d\d)|năm\s+((?:19|20)\d\d)\s*,?\s*(?:tỉnh|thành phố|địa phương)?\s*(?:sẽ|phấn đấu|dự kiến)")
YEAR = _fc(r"năm\s+((?:19|20)\d\d)")
_INDEX_YEAR_BEFORE = _fc(r"(?:chuyển đổi số|\bdti|\bpci|\bpapi|par index|sipas|ict index)(?:\s+cấp tỉnh)?\s*(?:\(\s*\w+\s*\)\s*)?$")
YEAR_IGNORE_BEFORE = _fc(r"(?:so với|so cùng kỳ|từ|giai đoạn|sau|trước|kể từ|cùng kỳ)\s*(?:cùng kỳ\s+)?(?:cuối\s+|hết\s+|đầu\s+)?$")
# "đến ngày 13/11/2024", "tính đến 31/12/2023", "đến ngày 31-12-2023", "đến ngày 31 tháng 12 năm 2023".
AS_OF_DATE = _fc(
    r"(?:đến|tới)\s+(?:hết\s+)?(?:ngày\s+)?(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*((?:19|20)\d\d)(?!\d)"
    r"|(?:đến|tới)\s+(?:hết\s+)?ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d\d)(?!\d)"
)


def _as_of(m: re.Match) -> tuple[int, int, int, int]:
    """(start, day, month, year) of an AS_OF_DATE match, whichever form it took."""
    if m.group(1) is not None:
        return m.start(), int(m.group(1)), int(m.group(3)), int(m.group(4))
    return m.start(), int(m.group(5)), int(m.group(6)), int(m.group(7))
AS_OF_YEAR = _fc(r"(?:tính\s+)?(?:đến|tới)\s+(?:hết|cuối)\s+năm\s+((?:19|20)\d\d)|tính\s+(?:đến|tới)\s+năm\s+((?:19|20)\d\d)")
PERIOD_PRESENT = _fc(r"đến nay|hiện nay|hiện tại|" + HIEN)
DTI_YEAR = _fc(r"(?:dti|chuyển đổi số)(?!\w)[^.;]{0,30}?\b(?:năm\s+)?((?:19|20)\d\d)\b")
# "cao nhất cả nước", "đứng đầu cả nước" compare the province with the country: its own figure.
NATIONAL = _fc(r"cổng dịch vụ công quốc gia (?:(?:đã|hiện|đang) )*(?:cung cấp|có)(?!\w)|cả nước(?<!nhất cả nước)(?<!đầu cả nước)|cả vùng|toàn vùng|các tỉnh trong vùng|toàn quốc|bình quân|trung bình chung|mức trung bình|việt nam(?!\w)|các tỉnh, thành phố|đối với cấp tỉnh(?=\s*,)|dti quốc gia|(?<!\w)trung bình(?! khá)(?!\w)")
# "đứng thứ ba cả nước", "xếp hạng 5 trong cả nước": the province's place in the country, its
# own figure (like "cao nhất cả nước").
_RANK_BEFORE_NATIONAL = _fc(r"(?:thứ|hạng)\s+(?:\d+(?:/\d+)?|nhất|nhì|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười)\s+(?:tỉnh,?\s*thành(?:\s+phố)?\s+|tỉnh\s+|địa phương\s+)?(?:trong\s+|của\s+|trên\s+)?$")
COMPARATIVE_BEFORE = _fc(r"(?:so với|hơn|với|vượt|gấp)\s*(?:mức\s+)?(?:giá trị\s+|điểm\s+)?$")
# "của tỉnh", "toàn tỉnh" bring the subject back to a province; "63 tỉnh", "các tỉnh" do not.
LOCAL_RESET = _fc(
    r"tỉnh(?!\w)(?<!\d tỉnh)(?<!các tỉnh)(?<!những tỉnh)(?<!nhiều tỉnh)(?<!cấp tỉnh)"
    r"|thành phố(?!\w)(?<!\d thành phố)(?<!các thành phố)(?<!tỉnh, thành phố)"
)
GROWTH_BEFORE = _fc(
    r"(?:\b(?:tăng|giảm|tăng thêm|giảm thêm|tăng lên gấp)|\bthêm|cao hơn|thấp hơn|nhiều hơn|ít hơn|bổ sung|\bmới|\bgấp|\bchiếm|\bvượt\s+(?:kế hoạch|chỉ tiêu))\s*$"
)
# Last syllables of the GROWTH_BEFORE words: the pattern ends with a word and whitespace, so a
# number whose preceding word ends with none of these cannot follow one (a cheap pre-check).
_GROWTH_WORD_ENDS = tuple(fold_pattern(w) for w in ("tăng", "giảm", "gấp", "thêm", "hơn", "sung", "mới", "chiếm", "hoạch", "tiêu"))


def _growth_before(folded: str, lo: int, end: int) -> bool:
    e = end
    while e > lo and folded[e - 1].isspace():
        e -= 1
    if e == lo or not folded.endswith(_GROWTH_WORD_ENDS, lo, e):
        return False
    return GROWTH_BEFORE.search(folded, lo, end) is not None


GROWTH_AFTER = _fc(r"\s*(?:so với|so cùng kỳ|điểm phần trăm|lần\b|bậc\b)")
# First letters of the words GROWTH_AFTER, _JOINER and _REGIONAL_AFTER can start with, after
# spaces: when the next character is none of them, the pattern is not run.
_GROWTH_AFTER_FIRST = frozenset("sđlb")
_JOINER_FIRST = frozenset(",vhc")
_REGIONAL_FIRST = frozenset("tcởkvmnđbd")


def _next_char_in(folded: str, pos: int, end: int, first: frozenset[str]) -> bool:
    """Is the first non-space character of folded[pos:end] one of `first`?"""
    while pos < end and folded[pos].isspace():
        pos += 1
    return pos < end and folded[pos] in first
CLAUSE_END = re.compile(r"[,;:]|\s-\s|\s–\s")
# The year of the earlier value may sit in parentheses: "tăng từ 612 (năm 2021) lên 1.015".
TRANSITION_SHAPE = _fc(r"^\s*(?:\(\s*năm\s+(?:19|20)\d\d\s*\)\s*|năm\s+(?:19|20)\d\d\s*)?(?:lên|xuống|tăng lên|giảm xuống)\s*(?:mức\s+)?$")
# Between a value and a compared province's value in parentheses: "..., thấp hơn Bình Dương (",
# "... và Đà Nẵng (" (the province itself is checked to be one compared with).
COMPARED_PAREN_SHAPE = _fc(r"^\s*\)?[^.;\d()]{0,80}?(?:so với|hơn|kém|sau|thua|và|,)\s+(?:tỉnh\s+|thành phố\s+|tp\.?\s*)?[^\W\d_][^.;\d()]{0,30}?\(\s*$")
YEAR_SERIES_SHAPE = _fc(r"^\s*(?:(?:[^\W\d_]+\s*){0,4}[,;]\s*(?:và\s+|còn\s+)?|và\s+)(?:(?:con số|tỷ lệ|số liệu|chỉ số) (?:này|đó|trên)\s+)?(?:trong\s+)?năm\s+((?:19|20)\d\d)\s*(?:là|đạt|có)\s*$")
PARALLEL_SHAPE = _fc(r"^(?:(?:\s*[^\W\d_]+){1,2}\s*[,;])?[\s,;]*(?:còn|trong khi|và|,|ở|tại|của)?[\s,]*(?:ở|tại|của)?\s*(?:tỉnh|thành phố|tp\.?)?\s*[^\d,;%]{0,30}?\s*(?:đạt|có|là|được|xếp thứ|đứng thứ|chỉ đạt|mới đạt)?\s*$")

# Sub-provincial units. Admin units count as sub-units unless their name is a province
# ("TP. Cần Thơ"); named institutions always do.
# The unit word's first letter is matched once, before the alternation, so the regex engine can
# jump between candidate letters (an alternation of [Hh]..., [Qq]... branches is tried at every
# position); each branch re-checks that letter with a lookbehind.
_ADMIN_UNIT = re.compile(
    r"[HhQqTtPpXxĐđ](?:(?<=[Hh])uyện|(?<=[Qq])uận|(?<=[Tt])hị xã|(?<=[Tt])hị trấn|(?<=[Pp])hường|(?<=[Xx])ã|(?<=[Đđ])ặc khu"
    r"|(?<=T)P\.|(?<=T)p\.|(?<=T)P|(?<=[Tt])hành phố)(?:\s+đảo)?\s+"
)
_UNIT_DESCRIPTOR = re.compile(r"(?:biên giới|miền núi|vùng cao|vùng sâu|vùng xa|ven biển|nghèo|đảo|trung tâm|nông thôn|đặc biệt khó khăn)\s+")
_NAME_AFTER_UNIT = re.compile(r"\w[\w-]*(?:\s+\w[\w-]*){0,3}")
_INSTITUTION = re.compile(r"(?:Bệnh viện|Trường|Công ty|Tập đoàn|Ngân hàng|Trung tâm Y tế)(?!\w)")
_UNIT_LOCATOR = re.compile(r"(?:\s*,\s*|\s+)(?i:(?:của|thuộc)\s+(?:(?:tỉnh|thành phố|tp\.?)\s*)?|(?:tỉnh|thành phố|tp\.?)\s*)")
_UNIT_LIST_NEXT = re.compile(r"\s*(?:,|và|cùng)\s*(?:(?:huyện|quận|thị xã|thành phố|xã|phường|thị trấn)\s+)?(?=[A-ZĐÂĂÊÔƠƯ])")
# "Tỷ lệ hồ sơ trực tuyến của Sở Tư pháp đạt 98%": one agency's figure.
# Only inside the figure's own noun phrase: "Theo thống kê của Sở TT&TT, ..." names a source.
_AGENCY_OF = re.compile(r"(?i:tỷ lệ|tỉ lệ|số lượng)[^,.;:()]{0,60}?\s(?:của|tại|ở)\s+(?:Sở|Phòng|Ban|Văn phòng|Bộ|Cục|Chi cục)\s+(?=[A-ZĐ])")
# "Sở Tư pháp cung cấp 150 dịch vụ công trực tuyến", "Bộ Công an đạt 90% ...": one department or
# ministry as the sentence's subject
# (not "Sở TT&TT cho biết, ...", a source).
_AGENCY_SUBJECT = re.compile(
    r"(?:(?:Sở|Ban|Văn phòng|Cục|Chi cục|Bộ)\s+[A-ZĐ]|Ngân hàng Nhà nước\s)[^,.;:]{0,40}?\s(?:đã\s+|hiện\s+|đang\s+)?"
    r"(?:cung cấp|có|đạt|tiếp nhận|xử lý|giải quyết|triển khai)\s"
)
# A network operator's provincial branch ("Viettel Kiên Giang có hơn 2.000 trạm BTS"): one
# company's figures, not the province's; the province named in the branch's name is part of it.
_OPERATOR = re.compile(r"(?:Viettel|VNPT|MobiFone|Mobifone|VinaPhone|Vinaphone|Vietnamobile|FPT Telecom)(?!\w)")
_SINGULAR_UNIT = _fc(
    r"(?:của|tại)\s+(?:huyện|quận|thị xã|bệnh viện|công ty|trường)(?=\s*[.,;)]|\s+(?:đạt|là|có|được|đã|hiện|trên|chỉ))"
)
# Names that contain a province name without being the province.
_NOT_PROVINCE = re.compile(r"Thái Bình Dương|[Đđ]ường Hồ Chí Minh|[Tt]ư tưởng Hồ Chí Minh|Chủ tịch Hồ Chí Minh|Bác Hồ")
_AMBIGUOUS_BARE = {"Hồ Chí Minh", "Ho Chi Minh"}


# --- provinces ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    province: Province


@lru_cache(maxsize=4)
def province_nicknames(path: Path | None = None) -> dict[str, Province]:
    """Press nicknames of provinces ("Tây Đô", "Xứ Thanh"), from schemas/province_nicknames.csv:
    names the register does not list but the press uses as a province's name. Only extraction
    reads them; the published register keeps the official names and aliases."""
    import csv

    path = path or paths.catalogue_path().parent / "province_nicknames.csv"
    by_code = {p.code: p for p in load_register().provinces}
    out: dict[str, Province] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            province = by_code.get((row.get("province_code") or "").strip())
            nickname = unicodedata.normalize("NFC", (row.get("nickname") or "").strip())
            if province is None or not nickname:
                raise RuleError(f"{path}: line {line}: needs a nickname and a province_code of the register (got {row!r})")
            out[nickname] = province
    return out


@lru_cache(maxsize=4)
def _province_regex(register_key: int = 0) -> tuple[re.Pattern, dict[str, Province]]:
    register = load_register()
    forms: dict[str, Province] = {}
    for text, prov in [*register.surface_forms().items(), *province_nicknames().items()]:
        if text in _AMBIGUOUS_BARE:
            continue
        forms.setdefault(unify_case_kept(text), prov)
    # A trie-shaped alternation lets the regex engine reject most positions on the first
    # character; the "not inside a longer word" check before the name is done in Python.
    return re.compile(rf"(?:{_trie_pattern(sorted(forms))})(?![\w-])"), forms


def _trie_pattern(words: list[str]) -> str:
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if end:
            return "(?:" + body + ")?"
        return body

    return build(trie)


# Every _NOT_PROVINCE match contains "Hồ" (at most 9 characters into it, with at most 11 from
# "Hồ" to its end) or is "Thái Bình Dương". The pattern opens with an alternation, so running it
# over a whole article tries every position; it runs only around those anchors instead.
_NOT_PROVINCE_ANCHORS = (("Hồ", 10, 12), ("Thái Bình Dương", 0, 15))


def _not_province_spans(cased: str) -> list[tuple[int, int]]:
    """The spans of _NOT_PROVINCE.finditer(cased), as a set of spans in text order."""
    spans: set[tuple[int, int]] = set()
    n = len(cased)
    for anchor, before, after in _NOT_PROVINCE_ANCHORS:
        i = cased.find(anchor)
        while i >= 0:
            for m in _NOT_PROVINCE.finditer(cased, max(0, i - before), min(n, i + after)):
                spans.add(m.span())
            i = cased.find(anchor, i + 1)
    return sorted(spans)


def find_mentions(cased: str) -> list[Mention]:
    """Province names in a tone-unified, case-kept text, excluding names inside other names."""
    regex, forms = _province_regex()
    blocked = _not_province_spans(cased)
    out = []
    for m in regex.finditer(cased):
        if m.start() and (cased[m.start() - 1].isalnum() or cased[m.start() - 1] in "._"):
            continue
        if any(a <= m.start() < b for a, b in blocked):
            continue
        out.append(Mention(m.start(), m.end(), forms[m.group(0)]))
    return out


_PROVINCE_SCOPE = _fc(r"toàn tỉnh|cả tỉnh|toàn thành phố|tỉnh (?:hiện )?(?:có|đã)(?!\w)")
_DISTRICT_SCOPE = _fc(r"toàn (?:huyện|quận|thị xã)\b|địa bàn (?:huyện|quận|thị xã|xã|phường)(?!\w)|(?:một số|nhiều|những) (?:huyện|quận|thị xã|xã|phường)(?: như)?(?!\w)|(?:một số|nhiều|những) (?:đơn vị|sở|cơ quan)[^.;,\d]{0,60}? như(?!\w)")


def _in_subunit_scope(ctx: "_Ctx", s: "_Sentence", q: Quantity, clause_end: int) -> bool:
    """Is the number about a district, commune or single institution? Looks from the sentence
    start, or from the last province-level phrase ("toàn tỉnh", a province name not in
    parentheses) before the number, to the end of the number's clause."""
    info = _info(ctx, s)
    if not info.district_scope and not info.subunits:
        return False
    start = max([s.start] + [r for r in info.scope_resets if r <= q.start])
    return any(start <= p < clause_end for p in info.district_scope) or any(start <= p < clause_end for p in info.subunits)


@lru_cache(maxsize=4096)
def _is_province_name(name: str) -> bool:
    return _province_named(name) is not None


def _province_named(name: str) -> Province | None:
    found = load_register().lookup(name)
    return found if found is not None else province_nicknames().get(unicodedata.normalize("NFC", name))


# Unit words that name a city: "thành phố Cần Thơ" is the province, "thành phố Thanh Hóa" the
# provincial capital of Thanh Hóa (a sub-unit); "huyện Điện Biên", "thị xã Quảng Trị" are always
# sub-units.
_CITY_WORDS = ("thành phố", "tp")
_CITY_PROVINCE_TYPE = "thành phố trực thuộc trung ương"


def _subunit_starts(ctx: "_Ctx", s: "_Sentence") -> list[int]:
    """Where a sentence names a district, commune or single institution. A province mention that
    is the name of such a unit ("thành phố Thanh Hóa") is recorded in s.unit_names."""
    cased, a, b = ctx.cased, s.start, s.end
    out = []
    for m in _marks(ctx, s, "admin", _ADMIN_UNIT, cased):
        name_at = m.end()
        if not cased[name_at : name_at + 1].isupper():
            # "huyện biên giới Mường Nhé", "xã vùng cao Y Tý": a descriptor before the name.
            d = _UNIT_DESCRIPTOR.match(cased, name_at, b)
            name_at = d.end() if d else name_at
        if (m.start() and cased[m.start() - 1].isalnum()) or not cased[name_at : name_at + 1].isupper():
            continue
        name = _NAME_AFTER_UNIT.match(cased, name_at, b)
        if not name:
            continue
        caps = []
        for w in name.group(0).split():
            if not w[:1].isupper():
                break
            caps.append(w)
        if not caps:
            continue
        # "TP. Phú Quốc", "huyện Lục Ngạn" are sub-units; "TP. Cần Thơ", "TP. HCM" are provinces.
        unit_word = cased[m.start() : m.end()]
        named: Province | None = None
        for k in range(len(caps), 0, -1):
            whole = _province_named(unit_word + " ".join(caps[:k]))
            if whole is not None:
                named = whole  # an alias with its unit word: "TP. Hà Nội", "Thành phố Hồ Chí Minh"
                break
            named = _province_named(" ".join(caps[:k]))
            if named is not None:
                city = unit_word.lower().rstrip(". ").startswith(_CITY_WORDS)
                if not city or named.type != _CITY_PROVINCE_TYPE:
                    s.unit_names.add(name_at)  # the unit is named after its province
                    named = None
                break
        if named is None:
            out.append(m.start())
            # "Huyện Lục Ngạn của Bắc Giang có 50 trạm", "huyện Lục Ngạn, tỉnh Bắc Giang có ...":
            # the province named right after the unit locates it; it does not make the unit's
            # figures the province's.
            loc = _UNIT_LOCATOR.match(cased, name_at + len(" ".join(caps)), b)
            if loc is not None:
                for x in _info_mentions(ctx, s):
                    if x.start == loc.end():
                        s.unit_names.add(x.start)
            # "Các huyện Lệ Thủy, Quảng Ninh có ...": later names of the list are units too, even
            # one spelled like a province.
            e = name_at + len(" ".join(caps))
            while True:
                j = _UNIT_LIST_NEXT.match(cased, e, b)
                if j is None:
                    break
                nxt = _NAME_AFTER_UNIT.match(cased, j.end(), b)
                words = []
                for w in (nxt.group(0).split() if nxt else ()):
                    if not w[:1].isupper():
                        break
                    words.append(w)
                if not words:
                    break
                if any(x.start == j.end() for x in _info_mentions(ctx, s)):
                    s.unit_names.add(j.end())
                e = j.end() + len(" ".join(words))
    out += [m.start() for m in _marks(ctx, s, "institution", _INSTITUTION, cased) if not (m.start() and (cased[m.start() - 1].isalnum() or cased[m.start() - 1] == "."))]
    out += [m.start() for m in _marks(ctx, s, "agency", _AGENCY_OF, cased)]
    m = _AGENCY_SUBJECT.match(cased, a, b)
    if m is not None:
        out.append(m.start())
    out += [m.start() for m in _marks(ctx, s, "singular", _SINGULAR_UNIT)]
    for m in _marks(ctx, s, "operator", _OPERATOR, cased):
        out.append(m.start())
        after = m.end() + 1
        if cased[m.end() : after] == " " and any(x.start == after for x in _info_mentions(ctx, s)):
            s.unit_names.add(after)
    return out


def _info_mentions(ctx: "_Ctx", s: "_Sentence") -> list[Mention]:
    lo, hi = bisect_left(ctx.mention_starts, s.start), bisect_left(ctx.mention_starts, s.end)
    return ctx.mentions[lo:hi]


# --- the engine --------------------------------------------------------------------------------
@dataclass(slots=True)
class _Sentence:
    start: int
    end: int
    para: int
    info: "_SentenceInfo | None" = None
    inside: set[str] | None = None  # literals occurring in the sentence (see LiteralHits.inside)
    unit_names: set[int] = field(default_factory=set)  # starts of province mentions naming a sub-unit


@dataclass(slots=True)
class _SentenceInfo:
    """Context markers of one sentence, found once and shared by all its numbers."""

    mentions: list[Mention]
    target_ends: list[int]
    present_ends: list[int]
    future_years: list[tuple[int, int, int, bool]]  # start, end, year, "đến năm N" form
    national: list[tuple[int, int]]
    local_resets: list[int]
    scope_resets: list[int]
    district_scope: list[int]
    subunits: list[int]
    years: list[tuple[int, int, int, bool, bool]]  # start, end, year, ignored, as-of
    as_of_dates: list[tuple[int, int, int, int]]  # start, day, month, year
    period_present: list[int]


_TOWARD_BEFORE = _fc(r"(?:đến|vào|trước|tới)\s+(?:cuối\s+|hết\s+)?$")
# "Tính đến hết năm 2018": the figure reached by then, never a target's year, even when the
# page has no publication date to compare the year with.
_RECKONED_BEFORE = _fc(r"tính\s+$")
_PLAN_AFTER = _fc(r"\s*,?\s*(?:tỉnh|thành phố|địa phương)?\s*(?:sẽ|phấn đấu|dự kiến)")


_TOWARD_YEAR = re.compile(r"(?:đến|vào|tới)\s+(?:cuối\s+|hết\s+)?$")


def _words_of(pattern: re.Pattern) -> frozenset[str] | None:
    """Folded words every match of a context pattern contains (None: none derivable)."""
    found = required_literals(pattern.pattern)
    return frozenset(fold_pattern(w) for w in found) if found else None


# Words one of which every match of a context pattern contains, in folded text; a sentence
# without them skips the pattern. They are found with the cue words, in the same single pass.
_CONTEXT_LITERALS: dict[str, frozenset[str]] = {
    name: words
    for name, words in (
        ("national", _words_of(NATIONAL)),
        ("year", _words_of(YEAR)),
        ("target", _words_of(TARGET_MARKERS)),
        ("present", _words_of(PRESENT_MARKERS)),
        ("local_reset", _words_of(LOCAL_RESET)),
        ("province_scope", _words_of(_PROVINCE_SCOPE)),
        ("district_scope", _words_of(_DISTRICT_SCOPE)),
        ("as_of_date", _words_of(AS_OF_DATE)),
        ("period_present", _words_of(PERIOD_PRESENT)),
        ("singular", _words_of(_SINGULAR_UNIT)),
        ("institution", _words_of(_INSTITUTION)),
        ("operator", _words_of(_OPERATOR)),
        ("agency", frozenset(fold_pattern(w) for w in ("tỷ lệ", "số lượng"))),
        # Checked with _has_any (declared below, with the checks they serve).
        # Folded like the text: folding writes "quý" as "qúy".
        ("sentence_words", frozenset(fold_pattern(w) for w in ("tháng", "quý", "nửa", "này", "đó", "trên", "tương ứng", "nhưng", "trong khi", "song", "tuy nhiên", "còn"))),
        # _ADMIN_UNIT matches the case-kept text; these are its unit words as folded text has them.
        ("admin", frozenset({"huyện", "quận", "thị xã", "thị trấn", "phường", "xã", "tp", "thành phố", "đặc khu"})),
    )
    if words
}


def _marks(ctx: "_Ctx", s: _Sentence, name: str, regex: re.Pattern, text: str | None = None):
    """regex.finditer over the sentence, skipped when the sentence lacks every word a match needs."""
    words = _CONTEXT_LITERALS.get(name)
    if words is not None:
        # Inlined _inside: _info asks about a dozen markers per sentence, most of them absent.
        inside = s.inside
        if inside is None:
            inside = s.inside = ctx.hits.inside(s.start, s.end)
        if words.isdisjoint(inside):
            return ()
    return regex.finditer(ctx.folded if text is None else text, s.start, s.end)


# Words whose absence lets a sentence skip whole checks. They are found with every other word in
# the article's one Aho-Corasick pass (see _CONTEXT_LITERALS), so a check is a set lookup.
_QUY = fold_pattern("quý")  # folded text writes "qúy"
_PERIOD_WORDS = frozenset({"tháng", _QUY, "nửa"})
_REFERS_BACK_WORDS = frozenset(fold_pattern(w) for w in ("này", "đó", "trên", "tương ứng"))
_CONTRAST_WORDS = frozenset(fold_pattern(w) for w in ("nhưng", "trong khi", "song", "tuy nhiên", "còn"))


def _has_any(ctx: "_Ctx", s: "_Sentence", words: frozenset[str]) -> bool:
    return not words.isdisjoint(_inside(ctx, s))


def _inside(ctx: "_Ctx", s: _Sentence) -> set[str]:
    if s.inside is None:
        s.inside = ctx.hits.inside(s.start, s.end)
    return s.inside


def _info(ctx: "_Ctx", s: _Sentence) -> _SentenceInfo:
    if s.info is not None:
        return s.info
    f, c, a, b = ctx.folded, ctx.cased, s.start, s.end
    lo, hi = bisect_left(ctx.mention_starts, a), bisect_left(ctx.mention_starts, b)
    mentions = ctx.mentions[lo:hi]
    national = []
    for m in _marks(ctx, s, "national", NATIONAL):
        if not COMPARATIVE_BEFORE.search(f, max(a, m.start() - 20), m.start()) and not _RANK_BEFORE_NATIONAL.search(f, max(a, m.start() - 48), m.start()):
            national.append(m.span())
    years = []
    future_years = []
    for m in _marks(ctx, s, "year", YEAR):
        ms, me = m.span()
        # "địa phương xếp thứ 25/63 về Chỉ số chuyển đổi số năm 2022, có 894 tổ": the year of an
        # index edition dates the rank, not the other figures of the sentence (_dti_year reads
        # ranks' years on its own).
        ignored = YEAR_IGNORE_BEFORE.search(f, max(a, ms - 20), ms) is not None or _INDEX_YEAR_BEFORE.search(f, max(a, ms - 30), ms) is not None
        as_of = AS_OF_YEAR.search(f, max(a, ms - 20), me) is not None
        toward = _TOWARD_YEAR.search(f, max(a, ms - 12), ms) is not None
        year = int(m.group(1))
        years.append((ms, me, year, ignored, as_of or not toward))
        # Years that can mark a target: "đến năm 2025" (toward) or "năm 2024 tỉnh sẽ ...".
        toward_target = _TOWARD_BEFORE.search(f, max(a, ms - 16), ms)
        if toward_target:
            reckoned = _RECKONED_BEFORE.search(f, max(a, toward_target.start() - 8), toward_target.start()) is not None
            if not (reckoned and (ctx.published is None or year <= ctx.published.year)):
                future_years.append((toward_target.start(), me, year, True))
        elif _PLAN_AFTER.match(f, me, b):
            future_years.append((ms, me, year, False))
    target_ends = [m.end() for m in _marks(ctx, s, "target", TARGET_MARKERS)]
    district_scope = [m.start() for m in _marks(ctx, s, "district_scope", _DISTRICT_SCOPE)]
    subunits = _subunit_starts(ctx, s)
    # Markers that only qualify others are looked for only when those others are there:
    # present markers cancel a target word, local resets a national one, province scope a
    # district one, present-period words a stated year (see _is_target, _is_national,
    # _in_subunit_scope, _period).
    s.info = _SentenceInfo(
        mentions=mentions,
        target_ends=target_ends,
        present_ends=[m.end() for m in _marks(ctx, s, "present", PRESENT_MARKERS)] if target_ends or future_years else [],
        future_years=future_years,
        national=national,
        local_resets=([m.start() for m in _marks(ctx, s, "local_reset", LOCAL_RESET)] + [m.start for m in mentions]) if national else [],
        scope_resets=(
            [m.end for m in mentions if c[max(a, m.start - 1) : m.start] != "(" and m.start not in s.unit_names]
            + [m.end() for m in _marks(ctx, s, "province_scope", _PROVINCE_SCOPE)]
        ) if district_scope or subunits else [],
        district_scope=district_scope,
        subunits=subunits,
        years=years,
        as_of_dates=[_as_of(m) for m in _marks(ctx, s, "as_of_date", AS_OF_DATE)],
        period_present=[m.start() for m in _marks(ctx, s, "period_present", PERIOD_PRESENT)] if years else [],
    )
    return s.info


@dataclass(slots=True)
class _Match:
    rule: Rule
    cue: Cue
    score: float
    how: str  # "", "+paren", "+parallel", "+shared"
    value: float
    cue_conf: float
    mstart: int = -1  # span of the cue match in the folded text
    mend: int = -1
    year: int | None = None  # the year the construction itself states ("so với năm 2022 (57,2%)")


@dataclass
class _Ctx:
    text: str
    folded: str
    cased: str
    mentions: list[Mention]
    sentences: list[_Sentence]
    published: date | None
    title_folded: str
    lead_provinces: list[Province]
    title_provinces: list[Province]
    article_provinces: list[Province]
    subunit_article: bool
    number_style: str = "vn"
    statement_rules: list = field(default_factory=list)
    mention_paras: list = field(default_factory=list)
    mention_starts: list[int] = field(default_factory=list)
    sentence_starts: list[int] = field(default_factory=list)
    mentions_by_para: dict[int, list[Mention]] = field(default_factory=dict)
    published_iso: str | None = None
    hits: LiteralHits = field(default_factory=lambda: LiteralHits([], [], [], [], []))
    statement_spans: list[tuple[int, int]] | None = None  # statement-cue words found (start, end), by start
    asides: frozenset[int] = frozenset()  # starts of mentions that are not a running subject
    compared: frozenset[int] = frozenset()  # starts of mentions compared with, never a subject
    lead_para: int = -1  # the paragraph of the lead (sapo)
    para_editions: dict[int, int | None] = field(default_factory=dict)  # paragraph -> the DTI edition it names
    editions_before: dict[int, int | None] = field(default_factory=dict)  # sentence index -> see _edition_earlier_in_paragraph
    quotes: dict[tuple[int, int], str] = field(default_factory=dict)  # span -> its quote, shared by the facts quoting it
    title_requires: dict[re.Pattern, bool] = field(default_factory=dict)  # requires pattern -> found in the title
    # The facts of the last sentence that gave any, in order, with their years and paragraph:
    # "tỷ lệ này ..." and "các con số tương ứng ..." in the next sentence refer back to them.
    last_matches: list[tuple[_Match, int | None]] = field(default_factory=list)
    last_matches_para: int = -1
    section_years: dict[int, int] | None = None  # paragraph -> year of its section heading (see _section_years)
    edition_date: date | None = None  # the date DTI editions are looked up at (see _extract_article)
    outlet_province: Province | None = None  # the one province the publisher's name names ("Báo Ninh Bình")
    national_sentences: dict[int, bool] = field(default_factory=dict)  # sentence index -> see _national_sentence
    target_list_paras: dict[int, int | None] = field(default_factory=dict)  # see _target_lists


def _distinct(provs: list[Province]) -> list[Province]:
    seen: dict[str, Province] = {}
    for p in provs:
        seen.setdefault(p.code, p)
    return list(seen.values())


# Everything scan_quantities can read without a digit: ordinal ranks, first and last places,
# numbers in words. An article with none of them has no quantity to scan.
_DIGIT_OR_RANK = re.compile(r"\d|thứ (?:nhất|nhì|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)|số một|đứng đầu|dẫn đầu|ngôi đầu|cuối| (?:nghìn|ngàn|triệu|tỷ)(?!\w)")


class ExtractionError(Exception):
    """The engine failed on an article (a defect, never the text's fault); names the source."""


def extract_article(article: Article, *, threshold: float = DEFAULT_THRESHOLD) -> ExtractionResult:
    """Facts, review candidates and targets from one article. Never raises on odd text; should the
    engine itself fail, the ExtractionError names the source, so one article never blocks a
    release anonymously."""
    try:
        return _extract_article(article, threshold)
    except Exception as exc:
        meta = article.metadata if isinstance(article.metadata, dict) else {}
        # A bundled article (its sidecar gave the metadata) lives at articles/<id>.txt unless its
        # sidecar says otherwise, as in the `sources` table.
        where = meta.get("path") or (f"articles/{article.source_id}.txt" if meta.get("source_id") == article.source_id else None)
        raise ExtractionError(
            f"source {article.source_id!r}{f' ({where})' if where else ''}: extraction failed: {type(exc).__name__}: {exc}"
        ) from exc


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _extract_article(article: Article, threshold: float) -> ExtractionResult:
    # Imported here: dxdata.ingest is light, and importing it at the top would tie import order.
    from dxdata.ingest import find_dateline, parse_dateline, published_month_only

    if article.published is None:
        # An Article built without ingest (tests, other callers): the same dateline reading.
        found = find_dateline(article.clean_text or "")
        if found is not None:
            article = Article(article.source_id, article.title, article.clean_text, found.date(), article.metadata)
    norm = normalise(article.clean_text or "")
    text = norm.text
    cased, folded = unify_and_fold(text)
    rules = load_rules()
    indicator_groups()  # declaration errors surface here, not as per-sentence error candidates
    mentions = find_mentions(cased)
    spans = split_sentences(text)

    # Paragraph index per sentence (a paragraph is a line).
    sentences: list[_Sentence] = []
    para, last_nl = 0, 0
    for a, b in spans:
        para += text.count("\n", last_nl, a)
        last_nl = a
        sentences.append(_Sentence(a, b, para))

    title = unify_case_kept(normalise(article.title).text) if article.title else ""
    first_line_end = text.find("\n") if "\n" in text else len(text)
    skip_paras: set[int] = set()
    first_line = text[:first_line_end].strip()
    # The first line is a title (no figures to take from it) when it matches the article's
    # title and is not a lone sentence: a one-line file or a line ending in a full stop is prose.
    if title and first_line == normalise(article.title or "").text.strip() and text[first_line_end:].strip() and not first_line.endswith((".", "!", "?")):
        skip_paras.add(0)
    for s in sentences[:4]:
        line = text[s.start : s.end]
        if s.para > 3 or len(line) > 80 or not any(ch.isdigit() for ch in line):
            continue
        if parse_dateline(line):
            skip_paras.add(s.para)
    body = [s for s in sentences if s.para not in skip_paras]
    lead_para = body[0].para if body else None
    sentence_starts = [s.start for s in sentences]
    mention_paras = [_para_at(sentences, sentence_starts, m.start) for m in mentions]
    # Lead paragraphs are never skipped, so every sentence of the lead paragraph is in the body.
    compared, asides = _aside_mentions(folded, cased, mentions)
    lead_provinces = _distinct([m.province for m, p in zip(mentions, mention_paras) if p == lead_para and m.start not in asides])
    title_provinces = _distinct([m.province for m in find_mentions(title)]) if title else []
    article_provinces = _distinct([m.province for m in mentions])
    subunit_article = bool(title) and _title_is_subunit(title)

    # A page dated by month only ("2023-07") may have appeared on any day of it: the editions and
    # years it can know are those of the month's last day, and no fact takes a day from it.
    published = article.published
    month_only = published is not None and published_month_only(article.metadata.get("published_at"))
    if published is not None and month_only:
        published = _month_end(published)
    ctx = _Ctx(
        text, folded, cased, mentions, sentences, published, fold(title), lead_provinces,
        title_provinces, article_provinces, subunit_article,
    )
    ctx.number_style = number_style(text)
    if not article_provinces:
        ctx.outlet_province = _outlet_province(article.metadata)
    ctx.lead_para = lead_para if lead_para is not None else -1
    ctx.mention_paras = mention_paras
    ctx.asides = asides
    ctx.compared = compared
    ctx.sentence_starts = sentence_starts
    ctx.mention_starts = [m.start for m in mentions]
    for m, mpara in zip(mentions, ctx.mention_paras):
        ctx.mentions_by_para.setdefault(mpara, []).append(m)
    ctx.published_iso = published.isoformat() if published is not None and not month_only else None
    # DTI editions are looked up at the month's last day for a page dated by month only (main's
    # `published` above already is that day; tune-r's edition_date says so where it is used).
    ctx.edition_date = published
    ctx.statement_rules = [r for r in rules if r.number == "boolean"]

    # Where each cue's and context pattern's words occur, found in one pass.
    ctx.hits = literal_index().hits(folded)
    if ":" in text:
        ctx.target_list_paras = _target_lists(ctx, text)
    words = _statement_words()
    if words is not None:
        h = ctx.hits
        ctx.statement_spans = [(h.starts[i], h.ends[i]) for i, w in enumerate(h.words) if w in words]
    quantities = scan_quantities(folded, style=ctx.number_style) if _DIGIT_OR_RANK.search(folded) else []
    starts = [q.start for q in quantities]

    facts: list[Fact] = []
    targets: list[Fact] = []
    candidates: list[Fact] = []
    prev_sentence_folded = ""
    prev_para = -1
    para_sentences = 0  # sentences read so far in the current paragraph
    # Rows of a table flattened into text are read as rows (header cell -> indicator), not as
    # sentences: a row's first cell is a row number, not a rank.
    table_rows = _scan_tables(ctx, body, article, norm, facts) if ("|" in text or "\t" in text) else set()
    for s in body:
        if s.start in table_rows:
            continue
        fs = folded[s.start : s.end]
        if s.para != prev_para:
            # Pages that give each sentence its own line go on from the line before ("... 100% văn
            # bản ... dạng điện tử." / "Tỉ lệ sử dụng chữ ký số đạt 98%"); a paragraph of several
            # sentences starts afresh.
            if para_sentences != 1:
                prev_sentence_folded = ""
            para_sentences = 0
        para_sentences += 1
        prev_para = s.para
        try:
            lo, hi = bisect_left(starts, s.start), bisect_left(starts, s.end)
            # "ba địa phương dẫn đầu lần lượt là A, B và C" has no number of its own.
            if hi > lo or (fs.find("lần lượt") >= 0 and (fs.find("dẫn đầu") >= 0 or fs.find("đứng đầu") >= 0 or fs.find("xếp đầu") >= 0)):
                quants = [q for q in quantities[lo:hi] if q.end <= s.end]
                _scan_sentence(ctx, s, quants, prev_sentence_folded, article, norm, facts, targets, candidates)
            if ctx.statement_rules:
                _scan_statements(ctx, s, prev_sentence_folded, article, norm, facts, targets, candidates)
        except Exception as exc:  # pragma: no cover - the engine must survive any text; record why
            candidates.append(_error_fact(article, norm, s, exc))
        prev_sentence_folded = fs

    if 0 in skip_paras and quantities:
        facts.extend(_headline_facts(ctx, sentences, quantities, starts, article, norm, facts, candidates))

    kept, dupes = _deduplicate(facts)
    final, review = [], candidates + dupes
    for f in kept:
        if f.province_code is None or f.confidence < threshold:
            review.append(f)
        elif not FIRST_REF_YEAR <= f.ref_year <= LAST_REF_YEAR:
            # "Năm 1999, ... đạt 50%": a true statement, but the fact tables start in 2000; such a
            # row would fail the release's schema check, so it is left for review instead.
            f.note = ((f.note + "; ") if f.note else "") + f"refers to {f.ref_year}, outside the years the fact tables hold ({FIRST_REF_YEAR}..{LAST_REF_YEAR})"
            review.append(f)
        else:
            final.append(f)
    return ExtractionResult(facts=final, candidates=review, targets=targets)


# "Hậu Giang: Đã thành lập 600 Tổ công nghệ số cộng đồng" as the headline, the body telling how
# the teams work: a count or share the headline alone states is read from it. Only for the
# indicators the body gives nothing on for that province (a body's figure, exact or not, is the
# one to quote), and not for the DTI's ranks and scores, which headlines play with ("năm thứ 5
# liên tiếp dẫn đầu").
_HEADLINE_CONFIDENCE = 0.9


def _headline_facts(ctx: _Ctx, sentences: list[_Sentence], quantities: list[Quantity], starts: list[int],
                    article: Article, norm, body_facts: list[Fact], candidates: list[Fact]) -> list[Fact]:
    heads = [s for s in sentences if s.para == 0]
    if not heads:
        return []
    saved = (ctx.last_matches, ctx.last_matches_para)
    found: list[Fact] = []
    for s in heads:
        lo, hi = bisect_left(starts, s.start), bisect_left(starts, s.end)
        quants = [q for q in quantities[lo:hi] if q.end <= s.end]
        if quants:
            try:
                _scan_sentence(ctx, s, quants, "", article, norm, found, [], [])
            except Exception:  # pragma: no cover - a headline never stops the article
                pass
    ctx.last_matches, ctx.last_matches_para = saved
    stated = {(f.indicator_id, f.province_code) for f in body_facts + candidates}
    stated_ids = {f.indicator_id for f in body_facts + candidates if f.province_code is None}
    themes = {r.indicator_id: r.theme for r in load_rules()}
    out = []
    for f in found:
        if themes.get(f.indicator_id) == "rankings" or f.province_code is None:
            continue
        if (f.indicator_id, f.province_code) in stated or f.indicator_id in stated_ids:
            continue
        f.confidence = round(f.confidence * _HEADLINE_CONFIDENCE, 3)
        f.method += "+headline"
        out.append(f)
    return out


# --- tables flattened into text ------------------------------------------------------------------
# "STT | Địa phương | Tỷ lệ hồ sơ trực tuyến năm 2023 (%)" then "1 | Bắc Giang | 81,6": a header
# row whose cells name an indicator (the catalogue's cues, run on the cell), then rows naming a
# province. Each row's value in that column is a fact, quoted by its row.
def _cells(line: str) -> list[str]:
    sep = "|" if "|" in line else "\t"
    return [c.strip() for c in line.split(sep)]


_HeaderColumn = tuple[list[tuple[Rule, Cue]], str]  # candidate indicators, longest cue match first; folded cell


def _header_indicators(ctx: _Ctx, header: list[str], context: str) -> dict[int, _HeaderColumn]:
    """Column index -> the indicators a header cell names ("Chính quyền số" names both the pillar's
    score and its rank: each value takes the first whose number form it fits)."""
    out: dict[int, _HeaderColumn] = {}
    for col, cell in enumerate(header):
        folded_cell = fold(cell)
        found: list[tuple[int, Rule, Cue]] = []
        for rule, cue in _cue_table().cues:
            if cue.regex is None or cue.where not in ("before", "after") or any(r is rule for _, r, _c in found):
                continue
            m = cue.regex.search(folded_cell)
            if m is None or (rule.exclusions is not None and rule.exclusions.search(folded_cell)):
                continue
            if rule.requires is not None and not rule.requires.search(folded_cell + " \n " + context):
                continue
            found.append((m.end() - m.start(), rule, cue))
        if not found and _RANK_HEADER.fullmatch(folded_cell):
            # "Xếp hạng", "Thứ hạng DTI (/63)": the overall rank of the ranking the table belongs to.
            for rule, cue in _cue_table().cues:
                if rule.number == "rank" and cue.where == "any" and (rule.requires is None or rule.requires.search(folded_cell + " \n " + context)):
                    found.append((0, rule, cue))
                    break
        if found:
            found.sort(key=_first_desc)
            out[col] = ([(rule, cue) for _, rule, cue in found], folded_cell)
    return out


def _first_desc(item: tuple[int, Rule, Cue]) -> int:
    return -item[0]


_RANK_HEADER = _fc(r"\s*(?:xếp hạng|thứ hạng|hạng|vị trí)(?:\s+(?:dti|chuyển đổi số|chung|tổng thể))?(?:\s*\(\s*/\s*(?:63|34)\s*\))?(?:\s+(?:năm\s+)?(?:19|20)\d\d)?\s*")
_YEAR_CELL = re.compile(r"\s*((?:19|20)\d\d)\s*")


def _scan_tables(ctx: _Ctx, body: list[_Sentence], article: Article, norm, facts: list[Fact]) -> set[int]:
    """Facts from the rows of flattened tables; returns the starts of the lines read as a table.
    Two shapes: columns naming indicators and rows naming provinces ("STT | Tỉnh | Điểm | Xếp
    hạng"), or rows naming indicators for the article's province ("Chỉ số | Điểm" then "Hạ tầng
    số | 0,7648")."""
    register = load_register()
    text = ctx.text
    header: dict[int, _HeaderColumn] = {}
    width = 0
    by_row = False  # the second shape: a header with no indicator column
    consumed: set[int] = set()
    before: _Sentence | None = None  # the last sentence that is not a table row: the table's introduction
    columns: dict[int, Province] = {}  # the fourth shape: a column per province
    row_columns: dict[int, bool] = {}  # the second shape with several value columns: column -> is a rank
    for s in body:
        if text.find("|", s.start, s.end) < 0 and text.find("\t", s.start, s.end) < 0:
            header, width, by_row, before, columns, row_columns = {}, 0, False, s, {}, {}
            continue
        line = text[s.start : s.end]
        cells = _cells(line)
        if len(cells) < 2:
            header, width, by_row, before, columns = {}, 0, False, s, {}
            continue
        intro = ctx.folded[before.start : before.end] if before is not None else ""
        named = [(col, p) for col, p in ((col, register.lookup(cell)) for col, cell in enumerate(cells)) if p is not None]
        if not header and not by_row and len(named) >= 2 and named[0][0] > 0:
            # "Chỉ số | Đà Nẵng | TP HCM | Quảng Ninh": a column per province, a row per indicator.
            columns = dict(named)
            width = len(cells)
            consumed.add(s.start)
            continue
        if columns and len(cells) == width and not named:
            row = _header_indicators(ctx, cells[:1], intro + " \n " + ctx.title_folded)
            if 0 in row:
                consumed.add(s.start)
                candidates, head = row[0]
                for col, col_province in columns.items():
                    _table_fact(ctx, s, line, cells[col], candidates, head, intro, col_province, article, norm, facts)
            continue
        if not named and not header and not by_row:
            # A new header ends any table of province columns: its column indexes belong to the
            # old width ("Chỉ số | Hà Nội | Kon Tum | Lai Châu" then "STT | Ghi chú").
            columns = {}
            header = _header_indicators(ctx, cells, intro + " \n " + ctx.title_folded)
            width = len(cells)
            by_row = not header and _VALUE_HEADER.fullmatch(fold(cells[-1])) is not None
            row_columns = _row_value_columns(cells)
            if row_columns:
                # "Chỉ số | Điểm | Xếp hạng" then "Nhận thức số | 0,85 | 3": a row per indicator,
                # with its value and its rank.
                header, by_row = {}, True
            if header or by_row:
                consumed.add(s.start)
            continue
        if len(cells) != width:
            continue
        year_row = _YEAR_CELL.fullmatch(cells[0])
        if header and len(named) == 1:
            consumed.add(s.start)
            for col, (candidates, head) in header.items():
                _table_fact(ctx, s, line, cells[col], candidates, head, intro, named[0][1], article, norm, facts)
        elif header and not named and year_row:
            # "Năm | Xếp hạng DTI (/63) | Chính quyền số | ..." then "2021 | 12 | 12 | 22 | 12": a
            # row per year, for the article's province.
            consumed.add(s.start)
            province, _how, _conf = _attribute(ctx, s, s.start)
            if province is not None:
                for col, (candidates, head) in header.items():
                    if col:
                        _table_fact(ctx, s, line, cells[col], candidates, head, "năm " + year_row.group(1), province, article, norm, facts)
        elif by_row and not named:
            # The row's first cell names the indicator; the province is the article's.
            row = _header_indicators(ctx, cells[:1], intro + " \n " + ctx.title_folded)
            if 0 in row:
                consumed.add(s.start)
                province, _how, _conf = _attribute(ctx, s, s.start)
                if province is not None:
                    candidates, head = row[0]
                    if not row_columns:
                        _table_fact(ctx, s, line, cells[-1], candidates, head, intro, province, article, norm, facts)
                    for col, is_rank in row_columns.items():
                        chosen = [(r, c) for r, c in candidates if (r.number == "rank") == is_rank]
                        if chosen:
                            _table_fact(ctx, s, line, cells[col], chosen, head, intro, province, article, norm, facts)
    return consumed


_ROW_INDICATOR_HEADER = _fc(r"\s*(?:chỉ số(?: chính| thành phần)?|các chỉ số|trụ cột|nội dung|tiêu chí|lĩnh vực)\s*")


def _row_value_columns(cells: list[str]) -> dict[int, bool]:
    """"Chỉ số | Điểm | Xếp hạng": the value and rank columns of a table with an indicator per
    row (column -> is a rank), when every header cell after the first is one of them."""
    if len(cells) < 3 or not _ROW_INDICATOR_HEADER.fullmatch(fold(cells[0])):
        return {}
    out: dict[int, bool] = {}
    for col, cell in enumerate(cells[1:], start=1):
        folded_cell = fold(cell)
        if _RANK_HEADER.fullmatch(folded_cell):
            out[col] = True
        elif _VALUE_HEADER.fullmatch(folded_cell):
            out[col] = False
        else:
            return {}
    return out if any(out.values()) else {}


# The value column of a table listing indicators by row: "Điểm", "Giá trị", "Kết quả", "Tỷ lệ (%)".
_VALUE_HEADER = _fc(r"\s*(?:điểm(?: số)?|giá trị|kết quả|số liệu|tỷ lệ|số lượng)(?:\s*\(\s*%\s*\))?(?:\s+(?:năm\s+)?(?:19|20)\d\d)?\s*")


def _table_fact(ctx: _Ctx, s: _Sentence, line: str, cell: str, candidates: list[tuple[Rule, Cue]], head: str, intro: str,
                province: Province, article: Article, norm, facts: list[Fact]) -> None:
    token = cell.replace("%", "").strip()
    value = parse_number(token, ctx.number_style) if token else None
    if value is None:
        return
    at = line.find(cell)
    for rule, cue in candidates:
        kind = "percent" if "%" in head or "%" in cell or "phần trăm" in head else "rank" if rule.number == "rank" else "number"
        q = Quantity(s.start + at, s.start + at + len(cell), value, kind, text=cell, percent=kind == "percent")
        accepted, conf = _accepts(rule.number, q, ctx.folded)
        if accepted is not None:
            break
    else:
        return
    pub = ctx.published.year if ctx.published else None
    ref_year: int | None
    ref_date: str | None
    note = None
    if rule.theme == "rankings":
        # The edition the table's header, its introduction or the title quotes, else the latest
        # one announced by the publication date.
        quoted = next((int(m.group(1)) for m in (YEAR.search(head), DTI_YEAR.search(head), YEAR.search(intro), DTI_YEAR.search(intro), DTI_YEAR.search(ctx.title_folded)) if m is not None), None)
        choice = edition_for(quoted if quoted is None or pub is None or quoted <= pub else None, ctx.edition_date)
        if choice.year is None:
            return
        ref_year, ref_date, note = choice.year, None, choice.note
    else:
        year = YEAR.search(head) or YEAR.search(intro)
        if year is not None and (pub is None or int(year.group(1)) <= pub):
            ref_year, ref_date = int(year.group(1)), None
        else:
            ref_year, ref_date = pub, ctx.published_iso
    if ref_year is None:
        return
    fact = _make_fact(article, norm, ctx, s, rule, accepted, "exact", province, ref_year, ref_date,
                      f"table:{rule.indicator_id}#{cue.n}", round(0.9 * conf, 3), note, (q.start, q.end), None)
    if rule.theme == "rankings" and ref_year >= 2024 and (
        _UNITS_34.search(head + " " + intro) is not None or _article_ranks_34_units(ctx, s, rule, province, ref_year)
    ):
        # A table of the merged units' ranking ("... các tỉnh, thành phố sau sáp nhập:"), as in prose.
        merged = _merged_unit(province)
        if merged is not None and (rule.number == "rank" or _formed_from_several(province) or _UNITS_34.search(head + " " + intro)):
            fact.unit_set, fact.province_code, fact.province = 34, merged.code, merged.name
            fact.note = ((fact.note + "; ") if fact.note else "") + "ranking of the 34 units formed on 1 July 2025"
    facts.append(fact)


def _title_is_subunit(title: str) -> bool:
    head = title[:60]
    m = _ADMIN_UNIT.match(head)
    name = _NAME_AFTER_UNIT.match(head, m.end()) if m else None
    if m and name:
        caps = []
        for w in name.group(0).split():
            if not w[:1].isupper():
                break
            caps.append(w)
        if caps and not _is_province_name(" ".join(caps)):
            return True
    return bool(_INSTITUTION.match(head))


def _deduplicate(facts: list[Fact]) -> tuple[list[Fact], list[Fact]]:
    """One value per indicator, province and period within an article: the first stated wins
    (articles state a total before its parts: "2.387 trạm BTS, trong đó 1.650 trạm 4G")."""
    seen: dict[tuple, int] = {}
    kept: list[Fact] = []
    dupes: list[Fact] = []
    for f in sorted(facts, key=_stated_at):
        key = (f.indicator_id, f.unit_set, f.province_code, f.ref_year, f.ref_date)
        if f.province_code is not None and key in seen:
            k = seen[key]
            if _exact_of_rounded(kept[k], f):
                # "hơn 2.000 trạm BTS ... tổng số 2.035 trạm": the exact figure beats the rounded one.
                earlier = kept[k]
                earlier.note = ((earlier.note + "; ") if earlier.note else "") + "a rounded figure; the exact one is stated nearby"
                kept[k] = f
                dupes.append(earlier)
                continue
            f.note = ((f.note + "; ") if f.note else "") + "a value for the same indicator, province and period was stated earlier in the article"
            dupes.append(f)
            continue
        seen[key] = len(kept)
        kept.append(f)
    return kept, dupes


def _stated_at(f: Fact) -> int:
    return f.value_start if f.value_start is not None else f.quote_start


_NEARBY_CHARS = 600  # "the same sentence group": a few sentences apart


def _exact_of_rounded(rounded: Fact, exact: Fact) -> bool:
    """`exact` states precisely the figure `rounded` gives with "hơn", "gần", "khoảng"..."""
    if rounded.qualifier == "exact" or exact.qualifier != "exact" or rounded.unit != exact.unit:
        return False
    if abs(_stated_at(exact) - _stated_at(rounded)) > _NEARBY_CHARS or not rounded.value or not exact.value:
        return False
    if abs(exact.value - rounded.value) > 0.2 * abs(rounded.value):
        return False
    if rounded.qualifier == "over":
        return exact.value >= rounded.value
    if rounded.qualifier == "under":
        return exact.value <= rounded.value
    return True


# The characters CLAUSE_END's matches turn on: a one-class search skips through a sentence
# several times faster than the alternation, whose whitespace branches are tried at every space.
_CLAUSE_CHAR = re.compile(r"[,;:\-–]")


def _clause_end(folded: str, pos: int, limit: int) -> int:
    """CLAUSE_END.search(folded, pos, limit).start(), or limit when there is no match."""
    while True:
        m = _CLAUSE_CHAR.search(folded, pos, limit)
        if m is None:
            return limit
        i = m.start()
        if folded[i] in ",;:":
            return i
        # A dash ends a clause only with whitespace on both sides, inside [pos, limit).
        if i > pos and i + 1 < limit and folded[i - 1].isspace() and folded[i + 1].isspace():
            return i - 1
        pos = i + 1


_REGIONAL_AFTER = _fc(
    r"\s*(?:(?:trong|của|ở|tại|toàn)\s+)?(?:khu vực|vùng|miền|các tỉnh|nhóm|tây nguyên|đbscl|đồng bằng sông|bắc trung bộ|nam trung bộ"
    r"|duyên hải|đông nam bộ|tây nam bộ|tây bắc|đông bắc|trung du)(?!\w)"
)


_FOREIGN_CURRENCY_AFTER = _fc(r"\s*(?:usd|đô|dollar|euro|eur|yên|nhân dân tệ|\$|won|bảng)")


def _accepts(number: str, q: Quantity, folded: str) -> tuple[float | None, float]:
    """The value an indicator of this number form takes from q, and a confidence factor."""
    if number == "percent":
        if q.kind == "percent":
            return q.value, (1.0 if 0 <= q.value <= 100 else 0.3)
        if q.kind == "range" and q.percent:
            return q.value, 0.4
        return None, 0
    if number == "count":
        if q.kind not in ("number", "fraction", "range") or q.money or q.percent:
            return None, 0
        if is_whole(q.value):
            return q.value, (0.4 if q.kind == "range" else 1.0)
        if q.alt_value is not None and is_whole(q.alt_value):
            return q.alt_value, 0.7
        return None, 0
    if number == "vnd":
        if q.kind in ("number", "range") and q.money and not q.percent:
            return q.value, (0.4 if q.kind == "range" else 1.0)
        if q.kind == "number" and not q.percent and q.scale >= 1e9 and not _FOREIGN_CURRENCY_AFTER.match(folded, q.end):
            return q.value, 0.9  # "doanh thu đạt hơn 1 nghìn tỷ": billions of đồng, unnamed
        return None, 0
    if number == "rank":
        # A rank among 5 or 6 provinces ("xếp thứ 3 trong 5 tỉnh Tây Nguyên") is a regional one.
        if q.denominator is None and _next_char_in(folded, q.end, len(folded), _REGIONAL_FIRST) and _REGIONAL_AFTER.match(folded, q.end):
            return None, 0  # "đứng thứ 2 khu vực Đồng bằng sông Cửu Long"
        if (q.kind == "rank" and q.denominator in (None, 63, 34)) or (q.kind == "fraction" and q.denominator in (63, 34)):
            if is_whole(q.value) and q.value >= 1 and (q.denominator is None or q.value <= q.denominator):
                return q.value, 1.0
        return None, 0
    if number == "index":
        if q.kind == "number" and not q.money and 0 < q.value <= 1:
            return q.value, 1.0
        return None, 0
    return None, 0


def _excluded(rule: Rule, local: str) -> bool:
    return rule.exclusions is not None and rule.exclusions.search(local) is not None


def _best_cue(ctx: _Ctx, q: Quantity, floor: int, pre_end: int, s_end: int, active: dict, local: str) -> _Match | None:
    """The best-scoring cue for q among the sentence's active cues: a cue right after the number
    beats one before it; longer matches and nearer ones score higher."""
    folded = ctx.folded
    post = q.end
    while post < s_end and folded[post] == " ":
        post += 1
    best: _Match | None = None
    best_score = 0.0
    pre_text = None
    for number, pairs in active.items():
        value, conf = _accepts(number, q, folded)
        if value is None:
            continue
        for rule, cue in pairs:
            where = cue.where
            if where == "after":
                m = cue.regex.match(folded, post, s_end)
                if m is None:
                    continue
                ms, me = m.span()
                score, cue_conf = 3.0 + min(me - ms, 60) / 100, 0.97
            elif where == "before":
                if cue.literals is not None:
                    if pre_text is None:
                        pre_text = _present(ctx.hits.cue_positions, ctx.hits.cue_found, floor, pre_end)
                    if cue.literals.isdisjoint(pre_text):
                        continue
                last = None
                for last in cue.regex.finditer(folded, floor, pre_end):
                    pass
                if last is None:
                    continue
                ms, me = last.span()
                score, cue_conf = 2.0 + min(me - ms, 60) / 100 - (pre_end - me) / 200, 0.93
            elif where == "any":
                score, cue_conf, ms, me = 1.0, 0.9, -1, -1
            else:
                continue
            if (best is None or score > best_score) and (rule.exclusions is None or rule.exclusions.search(local) is None):
                best, best_score = _Match(rule, cue, score, "", value, cue_conf * conf, ms, me), score
    return best


# "An toàn thông tin mạng, hạ tầng số (xếp thứ 2)": the place in parentheses after the last
# name of a list is each name's.
_PAREN_PLACE_BEFORE_RANK = _fc(r"\s*\(\s*(?:(?:xếp|đứng)\s+)?(?:thứ|hạng)\s*$")


def _paren_list_names(ctx: _Ctx, floor: int, pre_end: int, best: _Match, active: dict, local: str) -> list[_Match]:
    """The names of "A, B (xếp thứ 2)", right to left: the last ends at the parenthesis, each
    earlier one is joined to the next by a comma or "và"."""
    folded = ctx.folded
    paren = _PAREN_PLACE_BEFORE_RANK.search(folded, floor, pre_end)
    if paren is None:
        return []
    pairs = [(r, c) for r, c in active.get(best.rule.number, []) if c.where == "before" and c.regex is not None and not _excluded(r, local)]
    out: list[_Match] = []
    left = paren.start()
    while True:
        found = None
        for r, cue in pairs:
            if any(o.rule is r for o in out):
                continue
            for m in cue.regex.finditer(folded, floor, left):
                joined = not folded[m.end() : left].strip() if not out else _JOINER.fullmatch(folded, m.end(), left) is not None
                if joined and (found is None or (m.start(), m.end()) > (found.mstart, found.mend)):
                    found = _Match(r, cue, best.score, "+shared", best.value, best.cue_conf * 0.97, *m.span())
        if found is None:
            return out
        out.append(found)
        left = found.mstart
_JOINER = re.compile(r"\s*(?:,|và|hoặc|cũng như)\s*(?:trụ cột\s+)?")
_SHARED = _fc(r"\b(?:cùng|đều)\b|\bđồng(?= (?:xếp|đứng|hạng))")


def _companions(ctx: _Ctx, q: Quantity, best: _Match, floor: int, pre_end: int, s_end: int, active: dict, local: str) -> list[_Match]:
    """Indicators that share one number: "UBND cấp huyện, cấp xã (100%)", "kinh tế số và xã hội
    số cùng xếp thứ 8", "cả ba trụ cột ... đều xếp thứ nhất"."""
    folded = ctx.folded
    out: list[_Match] = []
    pairs = None  # computed only when a joiner or "cùng/đều" makes a companion possible
    if best.cue.where == "after":
        pos = best.mend
        while True:
            j = _JOINER.match(folded, pos, s_end) if _next_char_in(folded, pos, s_end, _JOINER_FIRST) else None
            if not j or j.end() == pos:
                break
            if pairs is None:
                pairs = [(r, c) for r, c in active.get(best.rule.number, []) if r is not best.rule and not _excluded(r, local)]
            found = None
            for r, cue in pairs:
                if cue.where != "after":
                    continue
                m = cue.regex.match(folded, j.end(), s_end)
                if m and (found is None or m.end() > found.mend):
                    found = _Match(r, cue, best.score, "+shared", best.value, best.cue_conf * 0.97, *m.span())
            if found is None:
                break
            out.append(found)
            pairs = [(r, c) for r, c in pairs if r is not found.rule]
            pos = found.mend
    elif best.cue.where == "before" and best.rule.number == "rank" and _PAREN_PLACE_BEFORE_RANK.search(folded, floor, pre_end):
        out = [m for m in _paren_list_names(ctx, floor, pre_end, best, active, local) if m.rule is not best.rule]
    elif best.cue.where == "before" and _SHARED.search(folded, best.mend, pre_end):
        pairs = [(r, c) for r, c in active.get(best.rule.number, []) if r is not best.rule and not _excluded(r, local)]
        left = best.mstart
        while True:
            found = None
            for r, cue in pairs:
                if cue.where != "before":
                    continue
                for m in cue.regex.finditer(folded, floor, left):
                    if _JOINER.fullmatch(folded, m.end(), left) and (found is None or m.start() > found.mstart):
                        found = _Match(r, cue, best.score, "+shared", best.value, best.cue_conf * 0.97, *m.span())
            if found is None:
                break
            out.append(found)
            pairs = [(r, c) for r, c in pairs if r is not found.rule]
            left = found.mstart
    return out


_PAREN_VERB = _fc(r"\(\s*(?:đạt tỷ lệ|đạt|chiếm tỷ lệ|chiếm|bằng|tương đương|tỷ lệ)$")
_PAREN_SHARE_VERB = _fc(r"\(\s*chiếm(?:\s+tỷ lệ)?\s")
_SHARE_OF_TOTAL_AFTER = _fc(r"\s*(?:%\s*)?(?:trên\s+|của\s+|so với\s+)?(?:tổng số|tổng)(?!\w)")


def _paren_parent_match(ctx: _Ctx, q: Quantity, prev: Quantity | None, s_end: int, active: dict, local: str) -> _Match | None:
    """"8 UBND cấp huyện (100%)": the share in parentheses takes the noun phrase of the count
    before it (and "100% UBND cấp xã (151/151 xã)" the other way round)."""
    if prev is None:
        return None
    folded = ctx.folded
    opening = (q.qualifier_start if q.qualifier_start is not None else q.start) - 1
    while opening > prev.end and folded[opening] == " ":
        opening -= 1
    if opening > prev.end and folded[opening] != "(":
        # "10 huyện, thành phố (đạt 100%)": a verb inside the parentheses.
        verb = _PAREN_VERB.search(folded, max(prev.end, opening - 24), opening + 1)
        if verb is not None:
            opening = verb.start()
    if opening <= prev.end or folded[opening] != "(":
        return None
    between = folded[prev.end : opening]
    if any(c in between for c in ".;(") or len(between) > 80:
        return None
    post = prev.end
    while post < opening and folded[post] == " ":
        post += 1
    best = None
    for number, pairs in active.items():
        value, conf = _accepts(number, q, folded)
        if value is None:
            continue
        for rule, cue in pairs:
            if cue.where != "after":
                continue
            m = cue.regex.match(folded, post, opening)
            if m:
                score = 2.5 + min(m.end() - m.start(), 60) / 100
                if (best is None or score > best.score) and not _excluded(rule, local):
                    best = _Match(rule, cue, score, "+paren", value, 0.92 * conf, *m.span())
    if best is None and _PAREN_SHARE_VERB.match(folded, opening) and _SHARE_OF_TOTAL_AFTER.match(folded, q.end):
        # "Tổng số hồ sơ được giải quyết trực tuyến năm 2018 là trên 22.600 hồ sơ (chiếm tỷ lệ
        # hơn 10% tổng số hồ sơ)": the share of the count's subject, named before the count.
        lead = prev.qualifier_start if prev.qualifier_start is not None else prev.start
        subject_start = max(ctx.folded.rfind(c, 0, lead) for c in ".;:(") + 1
        for rule, cue in active.get("percent", ()):
            if cue.where != "after" or _excluded(rule, local):
                continue
            for m in cue.regex.finditer(folded, subject_start, lead):
                if lead - m.end() <= 30:
                    best = _Match(rule, cue, 2.0, "+paren-subject", q.value, 0.85, *m.span())
    return best


def _is_target(ctx: _Ctx, s: _Sentence, q: Quantity, clause_end: int) -> tuple[bool, int | None]:
    """A plan or target rather than an achieved value: the last marker before the number is a
    target word ("phấn đấu", "dự kiến", "sẽ") rather than a present one ("đến nay", "đã"), or the
    clause names a year after the publication year ("đến năm 2025")."""
    info = _info(ctx, s)
    if info.target_ends and _is_baseline(ctx, s, q, clause_end):
        return False, None
    last_target = max((e for e in info.target_ends if e <= q.start and not _closed_aside(ctx.folded, s.start, e, q.start)), default=-1) if info.target_ends else -1
    last_present = max((e for e in info.present_ends if e <= q.start), default=-1) if info.present_ends else -1
    pub_year = ctx.published.year if ctx.published else None
    target_year = None
    for a, e, y, toward in info.future_years:
        if e > clause_end:
            break
        future = (y > pub_year or (not toward and y >= pub_year)) if pub_year else toward
        if not future:
            continue
        target_year = y
        if a >= q.start:
            return True, y  # "... 80% vào năm 2025"
        last_target = max(last_target, e)
    if last_target > last_present:
        return True, target_year
    folded = ctx.folded
    if (folded.find("sẽ", q.end, clause_end) >= 0 or folded.find("dự kiến", q.end, clause_end) >= 0) and _FUTURE_AFTER.search(folded, q.end, clause_end):
        return True, target_year
    if last_present < 0 and folded.startswith("về ", s.start) and _TOPIC_ITEM.match(folded, s.start, s.end) and _target_list_before(ctx, s):
        return True, None
    if s.para in ctx.target_list_paras and not PRESENT_MARKERS.search(folded, s.start, q.start):
        return True, ctx.target_list_paras[s.para]  # an item under "Các chỉ tiêu cụ thể đến năm 2025:"
    if (
        folded.find("nâng", s.start, q.start) >= 0
        and _RAISE_TO_BEFORE.search(folded, max(s.start, q.start - 80), q.start)
        and not PRESENT_MARKERS.search(folded, s.start, q.start)
        and not any(y < (pub_year or 0) and not ignored for _a, _e, y, ignored, _ok in info.years)
    ):
        return True, target_year  # "nâng tỷ lệ hồ sơ trực tuyến lên 70%"
    return False, None


_RAISE_TO_BEFORE = _fc(r"(?<!đã )(?<!được )(?<!\w)nâng\s[^.;\d]{0,60}?\slên\s+(?:mức\s+|tỷ lệ\s+)?(?:khoảng\s+|trên\s+|ít nhất\s+)?$")
# A paragraph that announces targets and ends with a colon ("Các chỉ tiêu cụ thể đến năm 2025:",
# "Mục tiêu cụ thể năm 2023 như sau:") heads the list of targets in the paragraphs after it.
_RESULTS_HEAD = _fc(r"thực hiện|đạt được|kết quả|tình hình")
_BULLET = re.compile(r"\s*(?:[-–•+*▪●]|[a-zđ]\)|\d{1,2}[.)]\s)")


def _target_lists(ctx: _Ctx, text: str) -> dict[int, int | None]:
    """Paragraph -> target year, for the items of a list of targets (see _LIST_HEAD_END)."""
    out: dict[int, int | None] = {}
    sentences = ctx.sentences
    by_para: dict[int, list[_Sentence]] = {}
    for s in sentences:
        by_para.setdefault(s.para, []).append(s)
    paras = sorted(by_para)
    for k, para in enumerate(paras):
        head = by_para[para][-1]
        if not text[head.start : head.end].rstrip().endswith((":", "：")):
            continue
        info = _info(ctx, head)
        if not info.target_ends and not info.future_years:
            continue
        if PRESENT_MARKERS.search(ctx.folded, head.start, head.end) or _RESULTS_HEAD.search(ctx.folded, head.start, head.end):
            continue  # "Kết quả thực hiện các chỉ tiêu năm 2022 như sau:" lists results
        year = next((y for _a, _e, y, _t in info.future_years), None)
        for nxt in paras[k + 1 : k + 13]:
            items = by_para[nxt]
            first = items[0]
            bullet = _BULLET.match(text, first.start) is not None
            if not bullet and (len(items) > 1 or _info(ctx, first).present_ends or _PRESENT_ANY.search(ctx.folded, first.start, first.end)):
                break
            out[nxt] = year
    return out


_PRESENT_ANY = PRESENT_MARKERS


# "Mục tiêu cụ thể năm 2023 về hạ tầng số, tỉnh phấn đấu 70% ... . Về chính quyền số, 100% ...;
# tỷ lệ ... đạt 60%": the next item of a list of targets by topic is a target too.
_TOPIC_ITEM = _fc(r"về [^,.;:\d]{1,40}[,:]")


def _target_list_before(ctx: _Ctx, s: _Sentence) -> bool:
    i = bisect_left(ctx.sentence_starts, s.start) - 1
    if i < 0:
        return False
    o = ctx.sentences[i]
    info = _info(ctx, o)
    if not info.target_ends or ctx.folded.find("về ", o.start, o.end) < 0:
        return False
    return max(info.target_ends) > max(info.present_ends, default=-1)


_FUTURE_AFTER = re.compile(r"\bsẽ\b|dự kiến")


def _closed_aside(folded: str, lo: int, pos: int, q_start: int) -> bool:
    """Is `pos` inside parentheses that close before `q_start`? "đạt 96% (vượt mục tiêu theo kế
    hoạch ... là 85%); tỷ lệ hồ sơ ... đạt 73%": the aside's plan is not the later figure's."""
    return folded.rfind("(", lo, pos) > folded.rfind(")", lo, pos) and 0 <= folded.find(")", pos, q_start)
# "phấn đấu tăng số lượng doanh nghiệp CNTT từ 700 lên 900 doanh nghiệp vào năm 2020": the
# figure the plan starts from is the present one, not a target.
_BASELINE_BEFORE = _fc(r"(?:tăng|nâng)(?!\w)[^.;\d]{0,80}?(?<!\w)từ\s+(?:mức\s+)?$")
_BASELINE_AFTER = _fc(r"[^.;\d]{0,40}?(?<!\w)(?:lên|đến|tới)\s+(?:mức\s+)?(?:khoảng\s+|gần\s+|hơn\s+|trên\s+)?\d")


def _is_baseline(ctx: _Ctx, s: _Sentence, q: Quantity, clause_end: int) -> bool:
    folded = ctx.folded
    pre_end = q.qualifier_start if q.qualifier_start is not None else q.start
    if not folded.endswith(("từ ", "mức "), max(s.start, pre_end - 5), pre_end):
        return False
    return _BASELINE_BEFORE.search(folded, max(s.start, pre_end - 100), pre_end) is not None and _BASELINE_AFTER.match(folded, q.end, s.end) is not None


def _is_national(ctx: _Ctx, s: _Sentence, q: Quantity) -> bool:
    info = _info(ctx, s)
    for a, e in info.national:
        if a >= q.start:
            break
        if _closed_aside(ctx.folded, s.start, a, q.start):
            continue  # "đạt 96% (gấp 2 lần so với trung bình toàn quốc); tỷ lệ ... đạt 73%"
        if not any(e <= r < q.start for r in info.local_resets):
            return True
    if (
        not info.mentions
        and q.kind != "rank"
        and _MINISTRY_SOURCE.search(ctx.folded, s.start, q.start)
        and not _local_words(ctx, s)
        and not _DTI_NAMED.search(ctx.folded, s.start, s.end)
    ):
        # "Theo Bộ TT&TT, tỷ lệ người dân sử dụng điện thoại thông minh đạt 73%": a ministry's
        # figure that names no province, nor "tỉnh", is the country's (not the DTI, which the
        # ministry reports of provinces).
        return True
    if not info.mentions and not info.national:
        # "Đối với cấp tỉnh, giá trị DTI năm 2024 đạt 0,6961. Cả ba trụ cột đều ...: Chính quyền
        # số đạt 0,7582": a sentence naming no province goes on with the country's (or the
        # provinces' average) figures of the sentence before it in the paragraph.
        i = bisect_left(ctx.sentence_starts, s.start) - 1
        if i >= 0 and ctx.sentences[i].para == s.para and _national_sentence(ctx, i):
            return not _local_words(ctx, s)
    return False


_DIGIT = re.compile(r"\d")
_LOCAL_AREA = _fc(r"(?<!\w)(?:trên địa bàn|tại địa phương|của địa phương|địa phương (?:này|đã|có|hiện))(?!\w)")
_COMPARED_BEFORE_MARK = _fc(r"(?:so với|hơn|vượt|gấp|kém)(?!\w)")


_MINISTRY_SOURCE = _fc(r"(?:theo|của)\s+(?:báo cáo\s+|số liệu\s+|thống kê\s+)?(?:của\s+)?bộ\s+(?!này)\S|(?<!\w)bộ\s+(?:tt&tt|tt-tt|tttt|thông tin và truyền thông|kh&cn|khoa học và công nghệ)\s+(?:cho biết|công bố|thông tin)")


def _local_words(ctx: _Ctx, s: _Sentence) -> bool:
    """Does the sentence speak of the province itself ("tỉnh", "toàn tỉnh", "trên địa bàn")?"""
    f = ctx.folded
    return bool(LOCAL_RESET.search(f, s.start, s.end) or _PROVINCE_SCOPE.search(f, s.start, s.end) or _LOCAL_AREA.search(f, s.start, s.end))


def _national_sentence(ctx: _Ctx, i: int) -> bool:
    """Does sentence i speak of the country (or of all provinces together) and name no province,
    itself or by going on from such a sentence before it in its paragraph?"""
    known = ctx.national_sentences.get(i)
    if known is not None:
        return known
    s = ctx.sentences[i]
    info = _info(ctx, s)
    if info.mentions:
        out = False
    elif info.national:
        # The marker must lead a figure of its own ("DTI quốc gia năm 2024 đạt 0,7955"), not close
        # a comparison ("cao hơn mức bình quân cả nước.").
        a, e = info.national[0]
        folded = ctx.folded
        out = (
            _DIGIT.search(folded, e, s.end) is not None
            and not LOCAL_RESET.search(folded, e, s.end)
            and not _COMPARED_BEFORE_MARK.search(folded, max(s.start, a - 30), a)
        )
    else:
        out = i > 0 and ctx.sentences[i - 1].para == s.para and _national_sentence(ctx, i - 1)
    ctx.national_sentences[i] = out
    return out


_NEXT_ITEM = re.compile(r"[,;]|(?<!\w)(?:và|còn|trong khi|nhưng|rồi)(?!\w)")


# "tháng 12/2023", "tháng 12-2023", "tháng 12.2023", "tháng 12 năm 2023".
_MONTH_OF_YEAR = r"tháng\s+\d{1,2}\s*(?:[/.\-]|\s+năm\s+)\s*((?:19|20)\d\d)(?!\d)"
# A month opening the sentence ("Tính đến tháng 12/2023, ...", "Tháng 12/2023, ...") dates it all.
_AS_OF_MONTH_START = _fc(r"\W{0,3}(?:(?:tính\s+|lũy kế\s+)?(?:đến|tới)\s+(?:hết\s+|cuối\s+)?|trong\s+)?" + _MONTH_OF_YEAR)
_MONTH_YEAR = _fc(r"(?:đến|tới|tính đến|hết|cuối|trong|từ)\s+(?:hết\s+|cuối\s+)?" + _MONTH_OF_YEAR)
# "Trong năm qua, ..." on a page of the first quarter: the calendar year before.
_PAST_YEAR = _fc(r"(?<!\w)(?<!so với )năm\s+(?:vừa\s+)?qua(?!\w)")
# "Năm ngoái, ..." is the calendar year before the page's, whenever it appeared.
_LAST_YEAR = _fc(r"(?<!\w)(?<!so với )(?<!so )(?<!hơn )(?<!kỳ )năm\s+ngoái(?!\w)")
_QUARTER_YEAR = _fc(r"(?<!\w)quý\s+(?:i|ii|iii|iv|1|2|3|4)\s*/\s*((?:19|20)\d\d)(?!\d)")
_PART_OF_YEAR = _fc(r"(?<!\w)(?:\d{1,2}|ba|sáu|chín) tháng(?: đầu năm| cuối năm| qua| năm)?(?!\w)(?! \d)|nửa đầu năm|(?<!\w)quý (?:i|ii|iii|iv|1|2|3|4)(?!\w)")
_PRESENT_AFTER_FIRST = frozenset("vhđt")  # vào, hiện nay / hiện tại, đến nay, thời điểm hiện tại
_PRESENT_AFTER = _fc(r"\s*(?:vào\s+)?(?:hiện nay|hiện tại|thời điểm hiện tại|đến nay)(?!\w)")


def _period(ctx: _Ctx, s: _Sentence, q: Quantity, clause_end: int) -> tuple[int | None, str | None, str]:
    """(ref_year, ref_date, how) for a non-DTI fact."""
    info = _info(ctx, s)
    dates = [d for d in info.as_of_dates if d[0] < q.start] if info.as_of_dates else None
    if dates:
        _, d, mo, y = dates[-1]
        try:
            return y, date(y, mo, d).isoformat(), "as-of date"
        except ValueError:
            pass
    # "lên 86,5% hiện nay": the number is today's, whatever year came before it.
    if ctx.published is not None and _next_char_in(ctx.folded, q.end, clause_end, _PRESENT_AFTER_FIRST) and _PRESENT_AFTER.match(ctx.folded, q.end, clause_end):
        return ctx.published.year, ctx.published_iso, "present"
    # "đến cuối tháng 5/2024 toàn tỉnh có 2.784 trạm BTS": a stated month dates the figure to
    # its year, with no date of its own.
    own_part = max(s.start, ctx.folded.rfind(";", s.start, q.start) + 1)
    # Both period patterns need "tháng", "quý" or "nửa"; most sentences have none of them.
    period_words = _has_any(ctx, s, _PERIOD_WORDS)
    has_month = period_words and ctx.folded.find("tháng", own_part, q.start) >= 0
    month = None
    if has_month:
        for month in _MONTH_YEAR.finditer(ctx.folded, own_part, q.start):
            pass
    if month is None and period_words:
        # "Tính đến tháng 12/2023, Đà Nẵng có ...; đã tích hợp được 1.569 dịch vụ": an as-of
        # month opening the sentence dates every part of it.
        month = _AS_OF_MONTH_START.match(ctx.folded, s.start, q.start)
    if month is not None and PERIOD_PRESENT.search(ctx.folded, month.end(), q.start):
        # "Từ tháng 1/2017 đến nay, đã có 5.000 hồ sơ": a total to date; "Tháng 6/2023, tỉnh có
        # 100 tổ; hiện nay có 150 tổ": today's figure after the month's.
        month = None
    if month is not None and (ctx.published is None or int(month.group(1)) <= ctx.published.year):
        return int(month.group(1)), None, "stated month"
    # "Quý I/2023, tỷ lệ ... đạt 45,2%": a stated quarter dates the figure to its year.
    if period_words and ctx.folded.find(_QUY, own_part, q.start) >= 0:
        quarter = None
        for quarter in _QUARTER_YEAR.finditer(ctx.folded, own_part, q.start):
            pass
        if quarter is not None and (ctx.published is None or int(quarter.group(1)) <= ctx.published.year):
            return int(quarter.group(1)), None, "stated quarter"
    # "Cũng trong 6 tháng, tỷ lệ ... đạt 97,8%": a figure for part of the year, with no year
    # stated in the sentence, belongs to the publication year; it has no date of its own. The
    # period must be named in the number's own part of the sentence (after any ";").
    if (
        ctx.published is not None
        and (has_month or (period_words and (ctx.folded.find(_QUY, own_part, q.start) >= 0 or ctx.folded.find("nửa", own_part, q.start) >= 0)))
        and _PART_OF_YEAR.search(ctx.folded, own_part, q.start)
        and not any(a < q.start and not ignored for a, _e, _y, ignored, _ok in info.years)
        and not any(p < q.start for p in info.period_present)
    ):
        return ctx.published.year, None, "part of the publication year"
    # A year right after the number belongs to it: "từ 18,4% năm 2021 lên 46,3% năm 2022".
    for a, e, y, ignored, _ok in info.years:
        if a >= q.end and e <= min(clause_end, q.end + 30) and not ignored:
            # Not when a conjunction starts the next item: "năm 2022 đạt 47,9% và năm 2023 đạt
            # 76,2%" gives 47,9% the year before it.
            if not _NEXT_ITEM.search(ctx.folded, q.end, a):
                return y, None, "stated year"
            break
    year, year_end = None, -1
    pub = ctx.published.year if ctx.published else 9999
    for a, e, y, ignored, ok in info.years:
        if e > q.start:
            break
        if not ignored and ok and y <= pub:  # a later year is a target's, not this value's
            year, year_end = y, e
    if year is not None:
        if not any(year_end <= p < q.start for p in info.period_present):
            # "- ...; tỷ lệ hồ sơ nộp trực tuyến năm 2023 đạt 68,3%; 97% văn bản ... được ký số"
            # under "Tính đến ngày 31/12/2023, ... như sau:": the year is its own clause's; the
            # later clause of the item takes the list's period (gold convention, dates rule 2).
            if ctx.folded.find(";", year_end, q.start) >= 0:
                listed = _list_frame(ctx, s, q)
                if listed is not None:
                    return listed
            return year, None, "stated year"
    else:
        for a, e, y, ignored, _ok in info.years:
            if a >= q.end and e <= clause_end and not ignored:
                return y, None, "stated year"
    launched = _launch_period(ctx, s, q)
    if launched is not None:
        return launched
    if ctx.published is not None and _list_part_year(ctx, s, q, own_part):
        return ctx.published.year, None, "part of the year introducing the list"
    if ctx.published is not None and "ngoái" in ctx.folded[s.start : q.start]:
        last = _LAST_YEAR.search(ctx.folded, s.start, q.start)
        if last is not None and not PERIOD_PRESENT.search(ctx.folded, last.end(), q.start):
            return ctx.published.year - 1, None, "the year before (\"năm ngoái\")"
    if ctx.published is not None and ctx.published.month <= 3 and "qua" in ctx.folded[s.start : q.start]:
        past = _PAST_YEAR.search(ctx.folded, s.start, q.start)
        if past is not None and not PERIOD_PRESENT.search(ctx.folded, past.end(), q.start):
            return ctx.published.year - 1, None, "the year before (\"năm qua\" early in the year)"
    # "Trong đó, hiện nay ...", "Hiện nay, tỷ lệ ...": a present marker of the sentence's own
    # (looked for here: info.period_present is only filled when the sentence states a year).
    own_present = PERIOD_PRESENT.search(ctx.folded, s.start, q.start) is not None
    inherited = None if own_present else _breakdown_period(ctx, s, q)
    if inherited is not None:
        return inherited
    section = _section_year(ctx, s.para)
    if section is not None and not own_present:
        return section, None, "section heading"
    topic = None if own_present else _topic_year(ctx, s)
    if topic is not None:
        return topic, None, "the year the paragraph is about"
    listed = None if own_present else _list_frame(ctx, s, q)
    if listed is not None:
        return listed
    reckoned = None if own_present else _paragraph_as_of(ctx, s)
    if reckoned is not None:
        return reckoned
    if ctx.published is None:
        return None, None, "present, no publication date"
    return ctx.published.year, ctx.published_iso, "present"


# "Phần I / ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NĂM 2022 / 1. Về hạ tầng ...: trên 60% dân số có điện
# thoại thông minh": in a plan reviewing last year, a heading naming the year reviewed dates the
# undated figures of its section.
_SECTION_YEAR = _fc(r"(?:kết quả|thực hiện|đánh giá|tình hình)[^.;]{0,60}?năm\s+((?:19|20)\d\d)(?!\d)")
_HEADING_START = re.compile(r"(?:Phần|PHẦN|Chương|CHƯƠNG|[IVX]{1,4}\.|[A-Z]\.)(?:\s|$)")


def _section_year(ctx: _Ctx, para: int) -> int | None:
    if ctx.section_years is None:
        ctx.section_years = _section_years(ctx)
    return ctx.section_years.get(para)


def _section_years(ctx: _Ctx) -> dict[int, int]:
    """paragraph -> the past year its section's heading names (see _SECTION_YEAR)."""
    pub = ctx.published.year if ctx.published else None
    out: dict[int, int] = {}
    if pub is None:
        return out
    paras: dict[int, tuple[int, int]] = {}
    for o in ctx.sentences:
        a, _b = paras.get(o.para, (o.start, o.end))
        paras[o.para] = (a, o.end)
    current: int | None = None
    for para in sorted(paras):
        a, b = paras[para]
        line = ctx.text[a:b].strip()
        letters = [c for c in line if c.isalpha()]
        heading = 0 < len(line) <= 120 and not line.endswith((".", ":", ";")) and (
            _HEADING_START.match(line) is not None or (letters and sum(c.isupper() for c in letters) >= 0.8 * len(letters))
        )
        if heading:
            m = _SECTION_YEAR.search(ctx.folded, a, b)
            if m is not None and int(m.group(1)) < pub:
                current = int(m.group(1))
            elif _HEADING_START.match(line) is not None or m is not None:
                current = None  # another part, or a heading of the present year
            continue
        if current is not None:
            out[para] = current
    return out


# "Hệ thống ... chính thức khai trương từ tháng 10/2017. ... Tại thời điểm khai trương, hệ thống
# có 466 bộ thủ tục mức độ 3": the figures at a launch are dated by the launch stated before.
_AT_LAUNCH = _fc(r"\W{0,3}(?:tại\s+|vào\s+)?(?:thời điểm|lúc|khi)\s+(?:mới\s+)?(?:khai trương|ra mắt|đưa vào (?:sử dụng|vận hành|hoạt động))")
_LAUNCH_DATED = _fc(r"(?:khai trương|ra mắt|đưa vào (?:sử dụng|vận hành|hoạt động)|chính thức (?:vận hành|hoạt động))[^.;\d]{0,40}?(?:ngày\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*|tháng\s+\d{1,2}\s*/\s*|năm\s+)((?:19|20)\d\d)(?!\d)")


def _launch_period(ctx: _Ctx, s: _Sentence, q: Quantity) -> tuple[int, None, str] | None:
    if not _AT_LAUNCH.match(ctx.folded, s.start, q.start):
        return None
    launch = None
    for launch in _LAUNCH_DATED.finditer(ctx.folded, max(0, s.start - 800), s.start):
        pass
    if launch is None or (ctx.published is not None and int(launch.group(1)) > ctx.published.year):
        return None
    return int(launch.group(1)), None, "launch stated before"


# ""Năm 2023 là năm hạ tầng số của tỉnh có nhiều chuyển biến. Chúng tôi đã phát triển thêm 150
# trạm, nâng tổng số trạm lên 1.912 trạm; tỷ lệ ... đạt 61,7%"" on a page of 2024: a sentence
# about a past year as such frames the sentences after it in its paragraph. A year merely opening
# a sentence ("Trong năm 2021, ... . Toàn tỉnh có 625 cán bộ") does not: reviews date the next
# sentence's figures to the page.
_YEAR_TOPIC = _fc(r"(?:^\W{0,3}|[:\"“]\s*)năm\s+((?:19|20)\d\d)\s+(?:là|được (?:xem|coi|đánh giá) là)\s+(?:một\s+)?năm(?!\s+(?:19|20)\d\d)")


def _topic_year(ctx: _Ctx, s: _Sentence) -> int | None:
    if ctx.published is None:
        return None
    i = bisect_left(ctx.sentence_starts, s.start) - 1
    while i >= 0 and ctx.sentences[i].para == s.para:
        before = ctx.sentences[i]
        topic = _YEAR_TOPIC.search(ctx.folded[before.start : before.end])
        if topic is not None:
            year = int(topic.group(1))
            return year if year < ctx.published.year else None
        info = _info(ctx, before)
        if info.as_of_dates or any(not ignored for _a, _e, _y, ignored, _ok in info.years) or PERIOD_PRESENT.search(ctx.folded, before.start, before.end):
            return None  # a sentence between dates itself
        i -= 1
    return None


# "Tính đến ngày 31/12/2023, kết quả ... như sau:" then "- Toàn tỉnh có 2.150 trạm BTS;" on lines
# of their own, or "... tính đến tháng 12/2023 như sau: 2.150 trạm BTS; 1.100 tổ ...": the period
# of the phrase that introduces a list covers every item of it (gold convention, dates rule 2).
_LIST_ITEM_START = re.compile(r"\s*(?:[-+•*–—]|\d{1,2}[.)]|[a-zđ][.)])\s")


def _frame_in(ctx: _Ctx, a: int, b: int) -> tuple[int, str | None, str] | None:
    """The period a list's introduction [a, b) states: an as-of date, a month, one year."""
    f = ctx.folded
    if PERIOD_PRESENT.search(f, a, b):
        return None
    pub = ctx.published.year if ctx.published else 9999
    day = None
    for day in AS_OF_DATE.finditer(f, a, b):
        pass
    if day is not None:
        _, d, mo, y = _as_of(day)
        try:
            return (y, date(y, mo, d).isoformat(), "as-of date of the list's introduction") if y <= pub else None
        except ValueError:
            return None
    month = None
    for month in _MONTH_YEAR.finditer(f, a, b):
        pass
    if month is None:
        month = _AS_OF_MONTH_START.match(f, a, b)
    if month is not None and int(month.group(1)) <= pub:
        return int(month.group(1)), None, "month of the list's introduction"
    stated = set()
    for m in YEAR.finditer(f, a, b):
        ms = m.start()
        if YEAR_IGNORE_BEFORE.search(f, max(a, ms - 20), ms) or _INDEX_YEAR_BEFORE.search(f, max(a, ms - 30), ms):
            continue
        toward = _TOWARD_YEAR.search(f, max(a, ms - 12), ms) is not None and AS_OF_YEAR.search(f, max(a, ms - 20), m.end()) is None
        if not toward:
            stated.add(int(m.group(1)))
    if len(stated) == 1:
        y = stated.pop()
        return (y, None, "year of the list's introduction") if y <= pub else None
    return None


def _list_intro(ctx: _Ctx, s: _Sentence, q: Quantity) -> tuple[int, int] | None:
    """The span of the phrase introducing the list the number is an item of: the part of its own
    sentence before "như sau:", or the sentence ending in ":" before "- ..." item lines."""
    f = ctx.folded
    pre_end = q.qualifier_start if q.qualifier_start is not None else q.start
    colon = f.rfind(":", s.start, pre_end)
    if colon >= 0 and "như sau" in f[max(s.start, colon - 40) : colon]:
        return s.start, colon
    # An item on a line of its own: go back over the items before it to the introduction.
    i = bisect_left(ctx.sentence_starts, s.start)
    first = ctx.sentences[i] if i < len(ctx.sentences) and ctx.sentences[i].start == s.start else s
    if not _LIST_ITEM_START.match(ctx.text, first.start):
        return None
    j = i - 1
    para = s.para
    while j >= 0:
        prev = ctx.sentences[j]
        if prev.para == para:
            j -= 1
            continue
        line_start = prev.start
        k = j
        while k - 1 >= 0 and ctx.sentences[k - 1].para == prev.para:
            k -= 1
            line_start = ctx.sentences[k].start
        if _LIST_ITEM_START.match(ctx.text, line_start):
            para, j = prev.para, k - 1
            continue
        # The introduction is the sentence that ends the paragraph with ":" (not the whole
        # paragraph: "... triển khai nhiệm vụ 6 tháng cuối năm 2024. Theo báo cáo, ... như sau:").
        if not f[prev.start : prev.end].rstrip().endswith(":"):
            return None
        return prev.start, prev.end
    return None


def _list_frame(ctx: _Ctx, s: _Sentence, q: Quantity) -> tuple[int, str | None, str] | None:
    intro = _list_intro(ctx, s, q)
    return _frame_in(ctx, intro[0], intro[1]) if intro is not None else None


def _list_part_year(ctx: _Ctx, s: _Sentence, q: Quantity, own_part: int) -> bool:
    """A share in a list introduced by a part of the year with no year named ("Theo báo cáo, trong
    6 tháng đầu năm, ... đạt được ... như sau:"): a figure for part of the publication year (gold
    convention, dates rule 3), unless its own clause says "hiện", "đến nay". Counts in such a
    list ("Toàn tỉnh có 1.085 tổ") stay present-state figures."""
    if q.kind != "percent" or PERIOD_PRESENT.search(ctx.folded, own_part, q.start):
        return False
    intro = _list_intro(ctx, s, q)
    if intro is None:
        return False
    a, b = intro
    return (
        _PART_OF_YEAR.search(ctx.folded, a, b) is not None
        and YEAR.search(ctx.folded, a, b) is None
        and AS_OF_DATE.search(ctx.folded, a, b) is None
        and not PERIOD_PRESENT.search(ctx.folded, a, b)
    )


# "Đến cuối năm 2023, toàn tỉnh có 2.947 trạm BTS. Tỷ lệ hộ gia đình có cáp quang đạt 78%.": a
# sentence opened by the point the figures are reckoned to ("(Tính) đến cuối năm 2023,", "Tính
# đến ngày 31/12/2023,", "Đến tháng 12/2023,") frames the undated sentences after it in its
# paragraph. A year that only opens a sentence ("Năm 2021, ...", "Trong năm 2021, ...") does not.
_AS_OF_OPENING = _fc(
    r"\W{0,3}(?:theo báo cáo,?\s+)?(?:tính\s+|lũy kế\s+)?(?:đến|tới)\s+(?:hết\s+|cuối\s+)?"
    r"(?:năm\s+(?:19|20)\d\d|tháng\s+\d{1,2}\s*[/.\-]\s*(?:19|20)\d\d|ngày\s+\d{1,2}\s*[/.\-]\s*\d{1,2}|\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-])"
)


def _paragraph_as_of(ctx: _Ctx, s: _Sentence) -> tuple[int, str | None, str] | None:
    i = bisect_left(ctx.sentence_starts, s.start) - 1
    while i >= 0 and ctx.sentences[i].para == s.para:
        before = ctx.sentences[i]
        info = _info(ctx, before)
        dated = info.as_of_dates or any(not ignored for _a, _e, _y, ignored, _ok in info.years) or "tháng" in ctx.folded[before.start : before.end]
        if _AS_OF_OPENING.match(ctx.folded, before.start, before.end):
            frame = _frame_in(ctx, before.start, before.end)
            return (frame[0], frame[1], "as-of phrase opening the paragraph's sentence before") if frame else None
        if dated or PERIOD_PRESENT.search(ctx.folded, before.start, before.end):
            return None  # a sentence between dates itself
        i -= 1
    return None


def _breakdown_period(ctx: _Ctx, s: _Sentence, q: Quantity) -> tuple[int, str | None, str] | None:
    """"Tính đến ngày 13/11/2024, ... đã cung cấp 2.206 dịch vụ công. Trong đó, ... có 742 dịch
    vụ": a breakdown with no period of its own has the period of the total before it."""
    if not _BREAKDOWN_START.match(ctx.folded, s.start) or any(a < q.start for a, *_ in _info(ctx, s).years):
        return None
    i = bisect_left(ctx.sentence_starts, s.start) - 1
    if i < 0:
        return None
    before = ctx.sentences[i]
    info = _info(ctx, before)
    if info.as_of_dates:
        _, d, mo, y = info.as_of_dates[-1]
        try:
            return y, date(y, mo, d).isoformat(), "as-of date of the total before"
        except ValueError:
            return None
    pub = ctx.published.year if ctx.published else 9999
    stated = [y for _a, _e, y, ignored, ok in info.years if not ignored and ok and y <= pub]
    if stated and not info.period_present:
        return stated[-1], None, "stated year of the total before"
    # "tính đến cuối tháng 3/2024, toàn tỉnh có 386 cán bộ ... . Trong số này, 139 người ...".
    if "tháng" in ctx.folded[before.start : before.end] and not PERIOD_PRESENT.search(ctx.folded, before.start, before.end):
        month = None
        for month in _MONTH_YEAR.finditer(ctx.folded, before.start, before.end):
            pass
        if month is not None and int(month.group(1)) <= pub:
            return int(month.group(1)), None, "stated month of the total before"
    return None


def _attribute(ctx: _Ctx, s: _Sentence, pos: int) -> tuple[Province | None, str, float]:
    inside = _info(ctx, s).mentions
    before = [m for m in inside if m.start < pos]
    if (
        before
        and before[-1].start in ctx.asides
        and _FRONTED_ASIDE_BEFORE.search(ctx.folded, max(s.start, before[-1].start - 30), before[-1].start)
        and _FRONTED_ASIDE_AFTER.match(ctx.folded, before[-1].end, pos)
    ):
        # "Cùng với Quảng Trị, tỉnh đã thành lập 1.500 tổ": a contrast or example fronted before
        # the clause is not its subject.
        before = [m for m in before if m.start not in ctx.asides]
    if len(before) >= 2 and _listed_subjects(ctx, before, pos):
        # "Đà Nẵng, Hà Nội, TP.HCM là những địa phương có tỷ lệ ... trên 80%": a list of
        # provinces with no "cùng"/"đều" (see _shared_subject) gives the figure to no one of them.
        return None, "a list of provinces", 0.0
    if before:
        last = before[-1]
        if last.start not in ctx.compared or _PAREN_AFTER_NAME.fullmatch(ctx.folded, last.end, pos):
            return last.province, "sentence", 1.0
        if _OWN_VERB_AFTER_NAME.fullmatch(ctx.folded, last.end, pos):
            # "chỉ sau Đà Nẵng giữ vị trí số 1", "chỉ sau TP.HCM (cũ) đứng đầu": the province
            # compared with has a verb of its own, and the number is its own.
            return last.province, "sentence (the province compared with, with its own verb)", 0.95
        if _WHERE_CLAUSE_AFTER_NAME.match(ctx.folded, last.end, pos):
            # "so với Đà Nẵng, nơi có hơn 1.300 doanh nghiệp": the clause describes the province
            # compared with.
            return last.province, "sentence (a clause about the province compared with)", 0.95
        # "Sơn La đạt 0,45 điểm, kém Lào Cai ... và xếp thứ 50": the province compared with is
        # not the subject; a number in parentheses right after it is its own ("chỉ sau Đà Nẵng
        # (0,64 điểm)").
        subjects = [m for m in before if m.start not in ctx.compared]
        if subjects:
            return subjects[-1].province, "sentence (past a compared province)", 0.95
    elif inside and inside[0].start not in ctx.asides:
        # "Với 1.250 trạm BTS, Sơn La ...": named after the number. Not a contrast or a comparison
        # that follows it ("Tỉnh có 1.200 tổ, còn Điện Biên có 1.400 tổ").
        return inside[0].province, "sentence", 0.97
    if ctx.subunit_article:
        return None, "sub-unit article", 0.0
    carried = _carried_province(ctx, s)
    if carried is not None:
        return carried
    if inside and s.para == ctx.lead_para and len(ctx.title_provinces) == 1:
        # "Năm 2022, chỉ số DTI của tỉnh xếp thứ 30/63, trong khi tỉnh Hà Tĩnh xếp thứ 40 và Nghệ
        # An đứng thứ 36" in the lead: the provinces the sentence names after the number are not
        # its subject, so the lead they make up is not either; the title's province is.
        return ctx.title_provinces[0], "title (the lead names only other provinces)", 0.9
    if len(ctx.lead_provinces) == 1:
        return ctx.lead_provinces[0], "lead", 0.92
    if len(ctx.title_provinces) == 1:
        return ctx.title_provinces[0], "title", 0.9
    if len(ctx.article_provinces) == 1:
        return ctx.article_provinces[0], "article", 0.85
    if ctx.outlet_province is not None:
        # A provincial paper's article that names no province at all reports on its own
        # province ("Hiện nay, 100% đơn vị có mạng nội bộ LAN" in Báo Ninh Bình).
        return ctx.outlet_province, "the outlet's province (the article names none)", 0.8
    return None, "ambiguous" if ctx.article_provinces else "none", 0.0


def _outlet_province(metadata: dict | None) -> Province | None:
    """The province a provincial outlet is named after ("Báo Ninh Bình", "Cổng thông tin điện tử
    tỉnh Sơn La"), when its name names exactly one."""
    publisher = (metadata or {}).get("publisher")
    if not isinstance(publisher, str) or not publisher.strip():
        return None
    # The outlet's own name only: not the site in parentheses nor a description after a comma
    # ("Báo Đồng Khởi (Bến Tre)", "Thư viện Pháp luật (...), text of a plan of ...").
    name = re.split(r"[(,;]", publisher, maxsplit=1)[0]
    named = _distinct([m.province for m in find_mentions(normalise(name).text)])
    return named[0] if len(named) == 1 else None


_FRONTED_ASIDE_BEFORE = _fc(r"(?<!\w)(?:cùng với|bên cạnh|ngoài|giống như|như|học tập)\s+(?:tỉnh\s+|thành phố\s+|tp\.?\s*)?$")
_FRONTED_ASIDE_AFTER = _fc(r"\s*(?:\([^()]{0,30}\)\s*)?,\s*(?:tỉnh|thành phố|địa phương|tp\.?)(?: ta| nhà| này)?\s")
_LIST_SUBJECT_JOIN = _fc(r"\s*(?:,|và)\s*(?:tỉnh\s+|thành phố\s+|tp\.?\s*)?")
_LIST_PLURAL_AFTER = _fc(r"\s*(?:là\s+)?(?:những|các|nhóm)\s+(?:địa phương|tỉnh|thành phố)")


def _listed_subjects(ctx: _Ctx, before: list[Mention], pos: int) -> bool:
    folded = ctx.folded
    last, prev = before[-1], before[-2]
    if last.start in ctx.asides or prev.start in ctx.asides:
        return False
    j = _LIST_SUBJECT_JOIN.match(folded, prev.end, last.start)
    if j is None or j.end() != last.start:
        return False
    if _LIST_PLURAL_AFTER.match(folded, last.end, pos) is not None:
        return True
    # "X và Y cùng đạt ...": each (see _shared_subject). Otherwise a joined subject's figure is the
    # group's or unassigned: "Bắc Giang và Bắc Ninh có tổng cộng 2.000 tổ", "Bắc Giang, Bắc Ninh
    # xếp thứ 9 và 7" (no "lần lượt").
    return not _SHARED_VERB.search(folded, last.end, pos)


# A province named after these words is compared with, not reported on: "chỉ sau Đà Nẵng",
# "so với Hà Nội", "(trước đây thuộc Quảng Nam)". It never becomes the subject of later sentences.
_ASIDE_BEFORE = _fc(
    r"(?:(?<!\w)sau|so với|(?<!\w)hơn|thuộc|vượt qua|(?<!\w)kém|nhường|bỏ xa|(?:hợp nhất|sáp nhập) (?:với|vào))"
    r"\s+(?:cả\s+)?(?:tỉnh\s+|thành phố\s+|tp\.?\s*)?$"
)
# "còn Ninh Thuận đứng thứ 27", "trong khi Hòa Bình đạt ...": the subject of its own clause, but
# a contrast, not the running subject of the sentences after it.
_CONTRAST_BEFORE = _fc(r"(?:(?<!\w)còn|trong khi(?: đó)?|ngược lại|(?<!\w)như|cùng với|bên cạnh|ngoài)\s+(?:tỉnh\s+|thành phố\s+|tp\.?\s*)?$")
# The words the matches of the two patterns above end with, spaces stripped: a mention whose
# preceding word ends with none of them needs neither pattern run.
_PROVINCE_WORD_ENDS = ("tỉnh", "phố", "tp", "tp.")
_ASIDE_LAST_WORDS = tuple(fold_pattern(w) for w in ("sau", "với", "hơn", "thuộc", "qua", "kém", "nhường", "xa", "vào", "cả", *_PROVINCE_WORD_ENDS))
_CONTRAST_LAST_WORDS = tuple(fold_pattern(w) for w in ("còn", "khi", "đó", "lại", "như", "với", "cạnh", "ngoài", *_PROVINCE_WORD_ENDS))
_OWN_VERB_AFTER_NAME = _fc(r"\s*(?:\([^()]{0,12}\)\s*)?(?:giữ vị trí|giữ vững vị trí|ở vị trí|xếp|đứng|dẫn)(?:\s+(?:thứ|số|hạng|vị trí))*\s*")
_WHERE_CLAUSE_AFTER_NAME = _fc(r"\s*(?:\([^()]{0,12}\)\s*)?,\s*(?:nơi|địa phương|tỉnh|thành phố)(?: này)?\s+(?:có|đạt|đã có|hiện có|đang có)\s+(?:[^.;,\d]{0,30}?\s)?$")
_PAREN_AFTER_NAME = _fc(r"\s*(?:\(\s*(?:(?:xếp\s+|đứng\s+)?thứ|hạng|gần|khoảng|hơn|trên|dưới|xấp xỉ|ước|chưa đến)?\s*)")
_LIST_JOIN = _fc(r"\s*(?:\([^()]{0,30}\)\s*)?(?:,|và|;)?\s*(?:tỉnh\s+|thành phố\s+|tp\.?\s*)?$")


def _aside_mentions(folded: str, cased: str, mentions: list[Mention]) -> tuple[frozenset[int], frozenset[int]]:
    """Starts of the mentions that name a province only in passing: (compared, asides).
    Compared: after a comparison word, inside parentheses, or later in a list that began with
    such a mention; never the subject, even of their own sentence. Asides: those and the
    provinces of a contrast or example ("còn X", "như X"); never carried to later sentences."""
    out: set[int] = set()
    contrast: set[int] = set()
    prev: Mention | None = None
    for m in mentions:
        lo = max(0, m.start - 40)
        window = cased[lo : m.start]
        open_at = window.rfind("(")
        lo30 = max(0, m.start - 30)
        e = m.start
        while e > lo30 and folded[e - 1].isspace():
            e -= 1
        if (
            (folded.endswith(_ASIDE_LAST_WORDS, lo30, e) and _ASIDE_BEFORE.search(folded, lo30, m.start))
            or (open_at >= 0 and ")" not in window[open_at:] and not any(c in window[open_at:] for c in ".;\n"))
            or (prev is not None and prev.start in out and m.start - prev.end < 60 and _LIST_JOIN.match(folded, prev.end, m.start))
        ):
            out.add(m.start)
        elif (folded.endswith(_CONTRAST_LAST_WORDS, lo30, e) and _CONTRAST_BEFORE.search(folded, lo30, m.start)) or (
            prev is not None and prev.start in contrast and m.start - prev.end < 60 and _LIST_JOIN.match(folded, prev.end, m.start)
        ):
            contrast.add(m.start)
        prev = m
    return frozenset(out), frozenset(out | contrast)


_ANAPHORIC_STARTS = ("tỉnh", "thành phố", "địa phương", "tp")
_ANAPHORIC_SUBJECT = _fc(r"\s*(?:tỉnh|thành phố|địa phương|tp\.?)(?: này| ta| nhà)?\s+(?:cũng|hiện|đã|đang|còn|có|đạt|xếp|đứng|vẫn)(?!\w)")


def _carried_province(ctx: _Ctx, s: _Sentence) -> tuple[Province | None, str, float] | None:
    """The province a sentence that names none inherits from earlier in its paragraph: the
    last province named as a subject. When the sentence naming it names another province too
    ("Khánh Hòa đứng thứ 41 còn Ninh Thuận đứng thứ 27"), which one carries on is unclear: the
    article's own subject (title, else lead) is taken if there is one, with less confidence."""
    last = None
    for m in reversed(ctx.mentions_by_para.get(s.para, ())):
        if m.start < s.start and m.start not in ctx.asides:
            last = m
            break
    if last is None and ctx.folded.startswith(_ANAPHORIC_STARTS, s.start) and _ANAPHORIC_SUBJECT.match(ctx.folded, s.start, s.end):
        # "Bình Định hiện có 3.512 trạm BTS." / "Tỉnh cũng có 174 doanh nghiệp ...": a sentence on
        # its own line whose subject is "tỉnh" continues the line before.
        i = bisect_left(ctx.sentence_starts, s.start) - 1
        if i >= 0 and ctx.sentences[i].para == s.para - 1:
            o = ctx.sentences[i]
            lo, hi = bisect_left(ctx.mention_starts, o.start), bisect_left(ctx.mention_starts, o.end)
            subjects = [m for m in ctx.mentions[lo:hi] if m.start not in ctx.asides]
            if subjects and all(m.province.code == subjects[0].province.code for m in subjects):
                return subjects[0].province, "the line before (the sentence's subject is 'tỉnh')", 0.9
    if last is None:
        return None
    i = bisect_right(ctx.sentence_starts, last.start) - 1
    o = ctx.sentences[i]
    lo, hi = bisect_left(ctx.mention_starts, o.start), bisect_left(ctx.mention_starts, o.end)
    named = {m.province.code for m in ctx.mentions[lo:hi] if m.start not in ctx.compared}
    if len(named) <= 1:
        subject = _article_subject(ctx)
        if i < bisect_left(ctx.sentence_starts, s.start) - 2 and (subject is None or subject.code != last.province.code):
            # Named three or more sentences back and not the article's subject: for review.
            return last.province, "paragraph (named several sentences back)", 0.6
        return last.province, "paragraph", 0.95
    subject = _article_subject(ctx)
    if subject is not None and subject.code in named:
        return subject, "article subject (the previous province mention names several)", 0.9
    return None, "ambiguous (the previous province mention names several)", 0.0


def _article_subject(ctx: _Ctx) -> Province | None:
    if len(ctx.title_provinces) == 1:
        return ctx.title_provinces[0]
    if len(ctx.lead_provinces) == 1:
        return ctx.lead_provinces[0]
    return None


def _para_at(sentences: list[_Sentence], starts: list[int], pos: int) -> int:
    """The paragraph of the sentence holding `pos`, -1 when no sentence holds it."""
    i = bisect_right(starts, pos) - 1
    if i >= 0 and pos < sentences[i].end:
        return sentences[i].para
    return -1


def _make_fact(article: Article, norm, ctx: _Ctx, s: _Sentence, rule: Rule, value: float, qualifier: str,
               province: Province | None, ref_year: int | None, ref_date: str | None, method: str,
               confidence: float, note: str | None, vspan: tuple[int, int], rank_of: int | None) -> Fact:
    if norm.offsets is None:
        (qs, qe), (vs, ve) = (s.start, s.end), vspan
    else:
        qs, qe = norm.to_original(s.start, s.end)
        vs, ve = norm.to_original(*vspan)
    return Fact(
        indicator_id=rule.indicator_id,
        province_code=province.code if province else None,
        province=province.name if province else None,
        ref_year=ref_year if ref_year is not None else 0,
        ref_date=ref_date,
        value=float(value),
        unit=rule.unit,
        qualifier=qualifier,
        source_id=article.source_id,
        quote=_quote(ctx, article, qs, qe),
        quote_start=qs,
        quote_end=qe,
        method=method,
        unit_set=63,
        rank_of=rank_of,
        confidence=round(confidence, 3),
        note=note,
        value_start=vs,
        value_end=ve,
    )


def _quote(ctx: _Ctx, article: Article, qs: int, qe: int) -> str:
    """The quote of a span, one string per span: the many candidates of one sentence share it
    instead of each holding a copy of the sentence."""
    quote = ctx.quotes.get((qs, qe))
    if quote is None:
        quote = ctx.quotes[(qs, qe)] = (article.clean_text or "")[qs:qe]
    return quote


@dataclass(frozen=True)
class _CueTable:
    """The number cues in catalogue order, indexed by the words they need."""

    cues: tuple[tuple[Rule, Cue], ...]
    always: frozenset[int]  # cues with no derivable words: tried in every sentence
    by_word: dict[str, tuple[int, ...]]


@lru_cache(maxsize=4)
def _cue_table(path: Path | None = None) -> _CueTable:
    cues = tuple((rule, cue) for rule in load_rules(path) if rule.number != "boolean" for cue in rule.cues if cue.where not in ("pair", "paren"))
    by_word: dict[str, list[int]] = {}
    for i, (_, cue) in enumerate(cues):
        for word in cue.literals or ():
            by_word.setdefault(word, []).append(i)
    always = frozenset(i for i, (_, cue) in enumerate(cues) if cue.literals is None)
    return _CueTable(cues, always, {w: tuple(ix) for w, ix in by_word.items()})


@lru_cache(maxsize=4)
def _rank_pairs(path: Path | None = None) -> dict[str, tuple[Rule, Cue]]:
    """indicator -> the rank indicator that a rank stated right after its value belongs to."""
    return {src: rc for src, rcs in _value_pairs(path).items() for rc in rcs if rc[0].number == "rank"}


@lru_cache(maxsize=4)
def _value_pairs(path: Path | None = None) -> dict[str, tuple[tuple[Rule, Cue], ...]]:
    """indicator -> the indicators declared "pair:<indicator>" (a rank after a score, a share
    after a count)."""
    out: dict[str, list] = {}
    for rule in load_rules(path):
        for cue in rule.cues:
            if cue.where == "pair":
                out.setdefault(cue.literal, []).append((rule, cue))
    return {k: tuple(v) for k, v in out.items()}


_SCORE_AFTER_RANK = _fc(r"\s*(?:tỉnh,\s*thành phố|tỉnh|địa phương|cả nước)?\s*(?:về\s+(?:chỉ số\s+|mức độ\s+)?(?:chuyển đổi số|dti)(?:\s+cấp tỉnh)?(?:\s+(?:năm\s+)?(?:19|20)\d\d)?)?\s*,?\s*(?:với|đạt|có)\s*(?:tổng\s+)?(?:số\s+)?(?:chỉ số\s+|điểm tổng hợp\s+|điểm\s+|giá trị\s+)?(?:số\s+)?(?:là\s+|đạt(?:\s+được)?(?:\s+là)?\s+)?$")


def _score_of_rank(ctx: _Ctx, q: Quantity, assigned: list) -> _Match | None:
    """"trụ cột kinh tế số ... xếp thứ 8 với 0,4410 điểm": the score of the indicator whose rank
    was just stated (the reverse of a "pair:" cue)."""
    if not assigned or assigned[-1] is None:
        return None
    rank_rule = assigned[-1][1].rule
    for source, partners in _value_pairs().items():
        for rule, cue in partners:
            if rule is rank_rule:
                score_rule = next((r for r in load_rules() if r.indicator_id == source), None)
                if score_rule is None or not score_rule.cues:
                    return None
                value, conf = _accepts(score_rule.number, q, ctx.folded)
                if value is None:
                    return None
                return _Match(score_rule, score_rule.cues[0], 2.0, "+pair", value, 0.9 * conf)
    return None


def _score_before_rank(ctx: _Ctx, s: _Sentence, q: Quantity, nxt: Quantity, prev_folded: str, local: str) -> _Match | None:
    """"Về DTI năm 2022, Bắc Kạn đạt 0,4582, xếp hạng 25/63": a bare number between 0 and 1 right
    before the overall rank is the overall score (the rank then pairs with it)."""
    if q.kind != "number" or q.money or not 0 < q.value < 1 or nxt.kind not in ("rank", "fraction"):
        return None
    folded = ctx.folded
    if _accepts("rank", nxt, folded)[0] is None or q.qualifier_start is not None:
        return None
    if not _BARE_SCORE_BEFORE.search(folded, max(0, q.start - 24), q.start):
        return None
    nxt_start = nxt.qualifier_start if nxt.qualifier_start is not None else nxt.start
    if not _PAIR_BETWEEN.match(folded[q.end : nxt_start]):
        return None
    rule = _overall_score_rule()
    if rule is None or not rule.cues or _excluded(rule, local):
        return None
    if rule.requires is not None and not (
        rule.requires.search(folded, s.start, s.end) or rule.requires.search(prev_folded) or rule.requires.search(ctx.title_folded)
    ):
        return None
    return _Match(rule, rule.cues[0], 1.5, "+pair-before", q.value, 0.85)


@lru_cache(maxsize=1)
def _overall_score_rule() -> Rule | None:
    return next((r for r in load_rules() if r.indicator_id == _OVERALL_SCORE), None)


_OVERALL_SCORE = "dti.score"
_BARE_SCORE_BEFORE = _fc(r"(?<!\w)(?:đạt|với|là)\s*(?:mức\s+|giá trị\s+)?$|:\s*$")


# "412 trên tổng số 460 UBND xã ... đã có điểm cầu trực tuyến, chiếm 89,6%": the share of the
# count stated just before.
_SHARE_AFTER_COUNT = _fc(r"[^.;%\d]{0,100}?,?\s*(?:chiếm|tương đương|đạt tỷ lệ|bằng|,\s*đạt)\s*$")
# "đạt 80% kế hoạch": the share of a plan, not of the units counted.
_SHARE_OF_PLAN_AFTER = _fc(r"\s*(?:kế hoạch|chỉ tiêu|mục tiêu|so với)")


def _share_pair(ctx: _Ctx, q: Quantity, assigned: list) -> list[_Match] | None:
    if q.kind != "percent" or not assigned or assigned[-1] is None:
        return None
    pq, pm, _ = assigned[-1]
    if pm.rule.number != "count":
        return None
    pre_end = q.qualifier_start if q.qualifier_start is not None else q.start
    if not _SHARE_AFTER_COUNT.match(ctx.folded, pq.end, pre_end) or _SHARE_OF_PLAN_AFTER.match(ctx.folded, q.end):
        return None
    value, conf = _accepts("percent", q, ctx.folded)
    if value is None:
        return None
    counts = [pm]
    if _BOTH_LEVELS_AFTER.match(ctx.folded, q.end) and len(assigned) >= 2 and assigned[-2] is not None and assigned[-2][1].rule.number == "count":
        counts.insert(0, assigned[-2][1])  # "12 UBND huyện và 143 UBND xã, đạt 100% cả hai cấp"
    out = [_Match(r, c, 2.0, "+pair", value, 0.9 * conf) for m in counts for r, c in _value_pairs().get(m.rule.indicator_id, ()) if r.number == "percent"]
    return out or None


_BOTH_LEVELS_AFTER = _fc(r"\s*(?:ở\s+)?cả hai cấp(?!\w)")


# Between a value and the rank that goes with it: "0,6683 điểm, xếp hạng 29/63", "0,4052 điểm,
# cùng xếp thứ 2", "0,6647 điểm, thứ 27" (the verb said once for the first pillar). The rank
# quantity itself starts after the verb.
_PAIR_BETWEEN = _fc(
    r"^\s*(?:điểm)?\s*(?:,|và|-|–|\()?\s*(?:(?:cùng|đều|qua đó|theo đó)\s+)?(?:(?:vươn lên|tụt xuống|leo lên|lên|xuống)\s+(?=xếp|đứng))?(?:(?:xếp|đứng|giữ|vươn lên|tụt xuống)\s+(?:ở\s+)?(?:vị trí\s+)?(?:hạng\s+)?(?:thứ\s*)?|xếp hạng\s+(?:thứ\s*)?|hạng\s+(?:thứ\s*)?|vị trí\s+(?:thứ\s*|số\s*)?|thứ\s*)$"
)
_PAIR_SHARED = _fc(r"(?:cùng|đều)\s")
_GROWTH_LEAD = _fc(r"\s*(?:điểm)?\s*,\s*(?:tăng|giảm)(?:\s+thêm)?\s*")
_GROWTH_TAIL = _fc(r"\s*(?:điểm(?:\s+phần trăm)?|lần)?\s*(?:so với\s+(?:cùng kỳ\s+)?(?:dti\s+)?(?:năm\s+)?(?:(?:19|20)\d\d|trước))?")
_PAIR_JOIN = _fc(r"^\s*(?:điểm)?\s*(?:,|và)\s*[^\d,;.]{0,40}?$")


@lru_cache(maxsize=4)
def _paren_rules(path: Path | None = None) -> tuple[tuple[Rule, Cue], ...]:
    return tuple((rule, cue) for rule in load_rules(path) for cue in rule.cues if cue.where == "paren")


# "tốp 10 còn có Lạng Sơn (6)", "nhóm cuối như Hà Giang (57)": groups of a ranking name it too.
_RANKING_WORDS = _fc(r"xếp hạng|bảng xếp|xếp thứ|đứng thứ|vị trí|cuối bảng|đầu bảng|dẫn đầu|\bhạng\b|\btốp\b|\btop\b|\bnhóm\b")
_PAREN_CLOSE = _fc(r"\s*(?:điểm\s*)?\)")


def _paren_after_name(ctx: _Ctx, s: _Sentence, q: Quantity, prev_folded: str) -> _Match | None:
    """"Quảng Ninh (0,7024), Thừa Thiên - Huế (0,6975)", "Cao Bằng (61), Gia Lai (62)": a bare
    number in parentheses right after a province name, for the indicators with a "paren:" cue.
    A whole number is a rank only in a sentence about a ranking."""
    folded = ctx.folded
    o = q.start - 1
    if o < s.start or folded[o] != "(" or q.qualifier_start is not None or not _PAREN_CLOSE.match(folded, q.end, s.end):
        return None
    e = o
    while e > s.start and folded[e - 1] == " ":
        e -= 1
    if not any(m.end == e for m in _info(ctx, s).mentions):
        return None
    best = None
    for rule, cue in _paren_rules():
        if rule.requires is not None and not (
            rule.requires.search(folded, s.start, s.end) or rule.requires.search(prev_folded) or rule.requires.search(ctx.title_folded)
        ):
            continue
        if rule.exclusions is not None and rule.exclusions.search(folded, s.start, q.end):
            continue
        value, conf = _accepts(rule.number, q, folded)
        if rule.number == "index" and is_whole(q.value):
            value = None  # "Sơn La (1)" is a footnote or a rank, not a score
        if value is None and rule.number == "rank" and q.kind == "number" and is_whole(q.value) and 1 <= q.value <= 63:
            if _RANKING_WORDS.search(folded, s.start, s.end):
                value, conf = q.value, 0.9
        if value is not None and best is None:
            best = _Match(rule, cue, 1.5, "+paren-name", value, 0.9 * conf)
    return best


def _pair_matches(ctx: _Ctx, q: Quantity, prev: Quantity | None, assigned: list) -> list[_Match] | None:
    """A rank right after a score takes the rank indicator paired with the score's indicator
    (declared as "pair:" cues); several when the rank is shared ("kinh tế số đạt 0,37 điểm và xã
    hội số đạt 0,41 điểm, cùng xếp thứ 2"). [] when the score has no rank partner (a sub-index
    rank, never the overall rank); None when the construction does not apply."""
    if prev is None or q.kind != "rank" or not assigned:
        return None
    folded = ctx.folded
    pre_end = q.qualifier_start if q.qualifier_start is not None else q.start
    if assigned[-1] is None:
        # "Chính quyền số đạt 0,6787, tăng 93,03% so với năm 2021, xếp thứ 24/63": a growth
        # figure between the score and its rank.
        if len(assigned) < 2 or assigned[-2] is None or assigned[-2][1].rule.number != "index":
            return None
        pq = assigned[-2][0]
        lead = prev.qualifier_start if prev.qualifier_start is not None else prev.start
        tail = _GROWTH_TAIL.match(folded, prev.end, pre_end)
        if not _GROWTH_LEAD.fullmatch(folded, pq.end, lead) or tail is None or not _PAIR_BETWEEN.match(folded[tail.end() : pre_end]):
            return None
        assigned = assigned[:-1]
        between = folded[tail.end() : pre_end]
    else:
        between = folded[assigned[-1][0].end : pre_end]
        if not _PAIR_BETWEEN.match(between):
            return None
    pq, pm, _ = assigned[-1]
    if pm.rule.number != "index":
        return None
    pairs = _rank_pairs()
    chain = [pm]
    if _PAIR_SHARED.search(between):
        for k in range(len(assigned) - 2, -1, -1):
            nxt, cur = assigned[k + 1], assigned[k]
            if cur is None or nxt is None or cur[1].rule.number != "index" or not _PAIR_JOIN.match(folded[cur[0].end : nxt[0].start]):
                break
            chain.append(cur[1])
    out = []
    for m in chain:
        partner = pairs.get(m.rule.indicator_id)
        if partner is None:
            continue
        value, conf = _accepts("rank", q, folded)
        if value is not None:
            out.append(_Match(partner[0], partner[1], 2.0, "+pair", value, 0.9 * conf))
    return out


def _active_cues(ctx: _Ctx, s: _Sentence, prev_folded: str) -> dict[str, list[tuple[Rule, Cue]]]:
    """The cues that can match in this sentence: their words occur in it and the context the
    indicator requires is in the sentence, the one before it or the title."""
    context_text = None
    requires: dict[re.Pattern, bool] = {}  # by pattern: indicators that share one share the answer
    active: dict[str, list[tuple[Rule, Cue]]] = {}
    present = _present(ctx.hits.cue_positions, ctx.hits.cue_found, s.start, s.end)
    table = _cue_table()
    chosen = set(table.always)
    for word in present:
        chosen.update(table.by_word.get(word, ()))
    cues = table.cues
    title_hits = ctx.title_requires
    for i in sorted(chosen):
        rule, cue = cues[i]
        if rule.requires is not None:
            ok = requires.get(rule.requires)
            if ok is None:
                # The title ends the context text, so a match in the title alone is a match there
                # (for patterns that do not anchor at the start): one search per article.
                in_title = title_hits.get(rule.requires)
                if in_title is None:
                    in_title = title_hits[rule.requires] = _unanchored(rule.requires) and rule.requires.search(ctx.title_folded) is not None
                if in_title:
                    ok = requires[rule.requires] = True
                else:
                    if context_text is None:
                        context_text = ctx.folded[s.start : s.end] + " \n " + prev_folded + " \n " + ctx.title_folded
                    ok = requires[rule.requires] = rule.requires.search(context_text) is not None
            if not ok:
                continue
        active.setdefault(rule.number, []).append((rule, cue))
    return active


@lru_cache(maxsize=256)
def _unanchored(pattern: re.Pattern) -> bool:
    return "^" not in pattern.pattern and "\\A" not in pattern.pattern


_LEADS_IN_AFTER = _fc(r"\s+(?:cả nước\s+|toàn quốc\s+|khu vực\s+)?về(?!\w)")
_CONTRAST_AFTER = _fc(r"\s(?:nhưng|trong khi|song|tuy nhiên|còn)\s")
# "từng hai năm liền giữ vị trí thứ hai": a place once held, with no edition to date it.
_PAST_PLACE_BEFORE = _fc(r"(?<!\w)từng(?!\w)[^,;.\d]{0,40}$")
_BARE_UNIT_CUE = 5  # an after-cue match this short is a unit word ("điểm", "tổ"), not a name


_BREAKDOWN_START = _fc(r"\s*(?:trong đó|trong số (?:này|đó|trên))(?!\w)")
_COMPARED_PLACE_BEFORE = _fc(r"so với\s+(?:(?:xếp hạng|thứ hạng|vị trí|hạng)\s+)+(?:thứ\s+)?$")


def _part_of_earlier_total(ctx: _Ctx, s: _Sentence, match: _Match) -> bool:
    """"... đã thành lập 1.459 tổ ... Trong đó, có 204 tổ cấp xã và 1.255 tổ cấp thôn": a count
    in a sentence that breaks down a count of the same indicator stated just before is a part."""
    return (
        match.rule.number == "count"
        and ctx.last_matches_para == s.para
        and _BREAKDOWN_START.match(ctx.folded, s.start) is not None
        and any(m.rule is match.rule for m, _ in ctx.last_matches)
    )


def _scan_sentence(ctx: _Ctx, s: _Sentence, quants: list[Quantity], prev_folded: str, article: Article, norm, facts, targets, candidates) -> None:
    folded = ctx.folded
    active = _active_cues(ctx, s, prev_folded)
    refers_back = (
        ctx.last_matches_para == s.para
        and _has_any(ctx, s, _REFERS_BACK_WORDS)
        and _REFERS_BACK.search(folded, s.start, s.end) is not None
    )
    if not active and not refers_back:
        return
    emitted: list[tuple[_Match, int | None]] = []
    assigned: list[tuple[Quantity, _Match, Province | None] | None] = []
    prev: Quantity | None = None
    respective: dict[int, _Match] = {}
    respective_prov: dict[int, Province | None] = {}
    run_shared: dict[int, _Match] = {}  # "X và Y lần lượt đạt 81,6% và 75,2%": the run's one indicator
    at = _next_respective(folded, s.start, s.end)
    while at >= 0:
        # "các vị trí từ thứ 2 đến thứ 5 lần lượt thuộc về A, B, C và D": a span of ranks over
        # the provinces named after it.
        spanned = _rank_span_respective(ctx, s, quants, at, active, article, norm, facts, targets)
        for j in spanned:
            respective_prov[j] = None
        # Each "lần lượt" (respectively) of the sentence distributes the numbers after it.
        quants = _rank_run_as_ranks(ctx, s, quants, at)
        found = _respective_matches(ctx, s, quants, active, at, prev_folded)
        if found:
            respective.update(found)
            respective.update(_second_run(ctx, s, quants, found))
        else:
            provs = _respective_provinces(ctx, s, quants, at)
            respective_prov.update(provs)
            if provs and all(p is not None for p in provs.values()):
                shared = _run_indicator(ctx, s, quants, sorted(provs), active)
                if shared is not None:
                    for j in provs:
                        run_shared[j] = shared
        at = _next_respective(folded, at + 1, s.end)
    if refers_back:
        respective.update(_corresponding_matches(ctx, s, quants))
    last_cue: tuple[Quantity, _Match] | None = None  # the last number a cue took (fact or target)
    prev_floor = s.start
    for i, q in enumerate(quants):
        if i in respective_prov and respective_prov[i] is None:
            assigned.append(None)  # "X, Y và Z lần lượt ..." with a count that does not match
            prev = q
            continue
        pre_end = q.qualifier_start if q.qualifier_start is not None else q.start
        floor = prev.end if prev else s.start
        score_after_rank = False
        if prev is not None and q.kind == "rank" and _RANK_AFTER_MOVE.match(folded, prev.end, pre_end):
            floor = prev_floor  # "trụ cột chính quyền số tăng 10 bậc, lên vị trí thứ 15": one subject
        elif prev is not None and prev.kind == "rank" and q.kind == "number" and _SCORE_AFTER_RANK.match(folded, prev.end, pre_end):
            floor = prev_floor  # "chỉ số Hạ tầng số ... xếp thứ 5 với 0,71 điểm": the rank's subject
            score_after_rank = True
        prev_floor = floor
        clause_end = _clause_end(folded, q.end, s.end)
        if i + 1 < len(quants):
            clause_end = min(clause_end, quants[i + 1].start)
        # Exclusions look at the number's own clause; a contrast ("..., nhưng trong bảng xếp
        # hạng PCI lại đứng thứ 38") starts another.
        contrast = _CONTRAST_AFTER.search(folded, q.end, clause_end) if _has_any(ctx, s, _CONTRAST_WORDS) else None
        local = folded[floor : contrast.start() if contrast else clause_end]
        result = None
        match = respective.get(i) or _best_cue(ctx, q, floor, pre_end, s.end, active, local)
        if i in run_shared and (match is None or match.cue.where == "any"):
            value, conf = _accepts(run_shared[i].rule.number, q, folded)
            if value is not None:
                match = _Match(run_shared[i].rule, run_shared[i].cue, 2.0, "+respective", value, 0.9 * conf)
        if score_after_rank and (match is None or match.cue.where == "any"):
            match = _score_of_rank(ctx, q, assigned) or match
        if match is None and i + 1 < len(quants):
            match = _score_before_rank(ctx, s, q, quants[i + 1], prev_folded, local)
        # A pillar named right after the rank ("đứng đầu cả ba trụ cột ...") beats the pairing.
        paired = None
        if i not in respective and not (match and match.cue.where == "after"):
            paired = _pair_matches(ctx, q, prev, assigned) if q.kind == "rank" else _share_pair(ctx, q, assigned) if match is None else None
        if paired is not None:
            for extra in paired:
                if not _is_national(ctx, s, q):
                    r = _emit(ctx, s, q, extra, article, norm, facts, targets, clause_end)
                    result = result or r
            assigned.append(result)
            prev = q
            continue
        if match is not None and match.cue.where == "any" and q.text == "đầu" and not (
            _DTI_IN_SENTENCE.search(folded, s.start, s.end)
            or _DTI_IN_SENTENCE.search(prev_folded)
            or (folded.endswith("ngôi ", s.start, q.start) and _DTI_IN_SENTENCE.search(ctx.title_folded) and not _LEADS_IN_AFTER.match(folded, q.end, s.end))
        ):
            # "đứng đầu cả nước về tỷ lệ ...", "đứng đầu cả nước với 98% hồ sơ ..." lead in some
            # other figure: the index must be named in the sentence or the one before; only "giữ
            # ngôi đầu", a place in a table, may take it from the title. "chỉ sau TP.HCM đứng đầu"
            # is TP.HCM's: see _attribute.
            match = None
        if match is None or match.cue.where == "any":
            paren = _paren_parent_match(ctx, q, prev, s.end, active, local)
            if paren is not None:
                match = paren
        if match is None or match.cue.where == "any":
            paren = _paren_after_name(ctx, s, q, prev_folded)
            if paren is not None:
                match = paren
        if match is None or match.cue.where == "any" or (match.cue.where == "after" and match.mend - match.mstart <= _BARE_UNIT_CUE):
            # "Bắc Kạn chỉ đạt 0,2815 điểm, Cao Bằng 0,3102 điểm": the second province's figure
            # repeats the first's indicator, which beats a cue that takes any number or only a
            # unit word ("điểm").
            match = _parallel_match(ctx, q, floor, pre_end, assigned) or match
        if (
            q.kind == "rank" and last_cue is not None and last_cue[1].rule.number == "rank"
            and (match is None or match.cue.where == "any")
            and _COMPARED_PLACE_BEFORE.search(folded, max(floor, pre_end - 40), pre_end)
            and _YEAR_AFTER_RANK.match(folded, q.end, s.end)
        ):
            # "chính quyền số xếp hạng 5 (tăng 16 bậc so với xếp hạng 21 của năm 2021)": the
            # place compared with is the same index's, in the year stated after it.
            match = _Match(last_cue[1].rule, last_cue[1].cue, 0.5, "+compared base", q.value, 0.85)
        listed: list[_Match] = []
        if q.kind == "rank" and i not in respective and (match is None or match.cue.where == "any"):
            listed = _listed_ranks(ctx, s, q, active)
            if listed:
                match = listed[0]
            elif _LIST_INTRO.match(folded, q.end, s.end):
                match = None  # a place in several indices not read one by one: never the overall rank
        if match is None and last_cue is not None and last_cue[0] is prev:
            match = _elided_match(ctx, q, prev, pre_end, last_cue[1]) or _compared_base_match(ctx, q, prev, pre_end, last_cue[1])
        if match is None and last_cue is not None and prev is not None:
            match = _compared_year_paren_match(ctx, q, last_cue[0], pre_end, last_cue[1])
        if (
            match is None and last_cue is not None and last_cue[1].rule.number == "rank"
            and q.kind == "number" and is_whole(q.value) and 1 <= q.value <= 63
            and _COMPARED_YEAR_RANK.search(folded, max(floor, pre_end - 60), pre_end)
        ):
            # "tăng 8 bậc so với năm 2020 là 28": the place of the year compared with.
            match = _Match(last_cue[1].rule, last_cue[1].cue, 0.5, "+compared base", q.value, 0.85)
        if (
            match is None and last_cue is not None and last_cue[1].rule.number == "rank"
            and q.kind == "number" and is_whole(q.value) and 1 <= q.value <= 63
            and _PREVIOUS_YEAR_PLACE.search(folded, max(floor, pre_end - 40), pre_end)
        ):
            match = _Match(last_cue[1].rule, last_cue[1].cue, 0.5, "+compared base", q.value, 0.85)
        if (match is None or match.cue.where == "any") and last_cue is not None and last_cue[1].rule.number == "rank":
            match = _compared_rank_match(ctx, q, last_cue[0], pre_end, last_cue[1]) or match
        if match is None and refers_back:
            match = _anaphora_match(ctx, s, q, floor, pre_end)
        if match is not None and not (
            (
                (_growth_before(folded, max(floor, pre_end - 20, match.mend if match.cue.where == "before" and match.mend <= pre_end else floor), pre_end)
                 or (q.qualifier_start is not None and _growth_before(folded, max(floor, q.start - 20), q.start)))
                and not _share_of_total(folded, q, s.end)
            )
            or _gap_to_compared(ctx, s, pre_end)
            or (q.kind == "rank" and _PAST_PLACE_BEFORE.search(folded, max(floor, pre_end - 60), pre_end) is not None)
            or (_next_char_in(folded, q.end, s.end, _GROWTH_AFTER_FIRST) and GROWTH_AFTER.match(folded, q.end, s.end))
            or _is_national(ctx, s, q)
            or _in_subunit_scope(ctx, s, q, clause_end)
            or (match.rule.number == "count" and _per_unit(folded, q, floor, pre_end, s.end))
            or _one_level(ctx, match.rule, q, floor, pre_end)
            or _event_connection(ctx, s, match.rule, q)
            or (q.kind == "number" and _ONE_OF_AFTER.match(folded, q.end, s.end) is not None)
            or (q.qualifier in ("over", "under") and _COUNTED_REACHING.search(folded, s.start, q.start) is not None)
            or (match.rule.number == "count" and _not_stock(folded, q, floor, pre_end, s.end))
            or (q.kind == "percent" and _UNITS_COUNTED_BEFORE.search(folded, max(s.start, pre_end - 70), pre_end) is not None)
            or _earlier_undated(ctx, s, q, pre_end, clause_end)
            or _part_of_earlier_total(ctx, s, match)
        ):
            group = [respective_prov[i]] if i in respective_prov else _group_subject(ctx, s, q.start)
            if group:
                for member in group:
                    result = _emit(ctx, s, q, match, article, norm, facts, targets, clause_end, forced=member) or result
            else:
                result = _emit(ctx, s, q, match, article, norm, facts, targets, clause_end)
                for other in _shared_subject(ctx, s, q):
                    _emit(ctx, s, q, match, article, norm, facts, targets, clause_end, forced=other)
            if result is not None:
                emitted.append((match, facts[-1].ref_year if facts else None))
            last_cue = (q, match)
            if match.how in ("", "+paren"):
                for extra in _companions(ctx, q, match, floor, pre_end, s.end, active, local):
                    _emit(ctx, s, q, extra, article, norm, facts, targets, clause_end)
            elif listed and match is listed[0]:
                for extra in listed[1:]:
                    _emit(ctx, s, q, extra, article, norm, facts, targets, clause_end)
        assigned.append(result)
        prev = q
    if emitted:
        ctx.last_matches, ctx.last_matches_para = emitted, s.para


# "ở mỗi xã, phường, thị trấn ít nhất 03 tổ": a count for each unit, not the province's total.
_PER_UNIT_BEFORE = _fc(
    r"(?<!\w)(?:mỗi|từng)\s+(?:xã|phường|thị trấn|thôn|bản|ấp|tổ dân phố|huyện|quận|thị xã|đơn vị|cơ quan|sở|trường|hộ|doanh nghiệp|tổ)(?!\w)"
)


# "3 doanh nghiệp công nghệ số trên 1.000 dân", "2 DN/1.000 dân": a rate per head of population,
# not a count.
_PER_CAPITA_AFTER = _fc(
    r"[^,.;:\d]{0,40}?(?:(?<!\w)(?:trên|mỗi|cho mỗi)|/)\s*(?:\d{1,3}(?:[.,]\d{3})*\s*|nghìn\s+|vạn\s+|triệu\s+)?(?:dân|người dân)(?!\w)"
)


def _per_unit(folded: str, q: Quantity, floor: int, pre_end: int, s_end: int | None = None) -> bool:
    if s_end is not None and "dân" in folded[q.end : min(s_end, q.end + 90)] and _PER_CAPITA_AFTER.match(folded, q.end, s_end):
        return True
    return folded.find("mỗi", floor, pre_end) + folded.find("từng", floor, pre_end) > -2 and (
        _PER_UNIT_BEFORE.search(folded, max(floor, pre_end - 80), pre_end) is not None
    )


# "tỷ lệ hồ sơ trực tuyến cấp tỉnh đạt 47,75%": the share of one administrative level (the
# provincial agencies), not of the province with its districts and communes. Indicators that
# are of one level themselves ("UBND cấp xã có hệ thống họp trực tuyến") keep it.
_ONE_LEVEL_BEFORE = _fc(
    r"(?<!các )(?<!cả )(?<!\w)(?:ở |tại |của )?(?:cấp (?:tỉnh|huyện|xã)|(?:khu vực |vùng )?(?:thành thị|nông thôn|đô thị|miền núi|vùng cao))"
    r"\s*(?:đạt|là|chiếm|ước đạt|đạt tỷ lệ)\s*(?:khoảng|gần|hơn|trên)?\s*$"
    # "tỷ lệ hộ gia đình có cáp quang tại các thôn đặc biệt khó khăn đạt 45%"
    r"|(?<!\w)(?:tại|ở) (?:các |những )?(?:thôn|bản|ấp|xã|vùng|khu vực|huyện)(?!\w)[^,.;:\d%]{0,40}?\s(?:đạt|là|chiếm)\s*(?:khoảng|gần|hơn|trên)?\s*$"
)


@lru_cache(maxsize=1)
def _level_indicators() -> frozenset[str]:
    """Indicators of one administrative level (their label names it: "UBND cấp xã ...")."""
    return frozenset(i for i, row in load_catalogue().items() if "cấp" in (row.get("label_vi") or ""))


def _one_level(ctx: _Ctx, rule: Rule, q: Quantity, floor: int, pre_end: int) -> bool:
    folded = ctx.folded
    if rule.theme == "rankings":
        return False
    if rule.indicator_id in _level_indicators():
        return False
    return _ONE_LEVEL_BEFORE.search(folded, max(floor, pre_end - 70), pre_end) is not None


# Counts that are not the province's stock: a list's size ("Top 10 doanh nghiệp"), an event's
# participants ("có sự tham gia của 200 doanh nghiệp"), the people a course or award reached
# ("tập huấn cho 3.000 thành viên"), an honoured subset ("5 doanh nghiệp ... được vinh danh").
_NOT_STOCK_BEFORE = _fc(
    r"(?<!\w)(?:top|tốp)\s*$"
    r"|(?<!\w)(?:sự\s+)?(?:tham gia|tham dự|có mặt)\s+(?:của\s+)?$"
    r"|(?<!\w)(?:tập huấn|bồi dưỡng|đào tạo|hướng dẫn|khen thưởng|vinh danh|tặng|trao)[^.;\d]{0,40}?\s(?:cho|tới)\s+$"
)
_HONOURED_AFTER = _fc(r"[^.;,\d]{0,40}?\s(?:được|đã được)\s+(?:vinh danh|khen thưởng|trao|công nhận|tôn vinh|tuyên dương|tập huấn|đào tạo|bồi dưỡng|hướng dẫn)(?!\w)")
# "3 huyện có 100% hộ gia đình dùng cáp quang": the share of the units counted before it.
_UNITS_COUNTED_BEFORE = _fc(r"(?<![\w.,])\d+(?:/\d+)?\s+(?:huyện|quận|thị xã|xã|phường|thị trấn|thôn|bản|ấp|trường|đơn vị|cơ quan|địa phương)(?!\w)[^.;,\d%]{0,30}?\s(?:có|đạt)\s*$")


def _not_stock(folded: str, q: Quantity, floor: int, pre_end: int, s_end: int) -> bool:
    return _NOT_STOCK_BEFORE.search(folded, max(floor, pre_end - 60), pre_end) is not None or _HONOURED_AFTER.match(folded, q.end, s_end) is not None


# "có 15/27 huyện đạt trên 0,5 điểm", "có 20 tỉnh đạt trên 60%": a threshold that a number of
# units reach, not a figure of the province.
_COUNTED_REACHING = _fc(r"(?<!\w)có\s+\d+(?:/\d+)?\s+(?:huyện|xã|tỉnh|địa phương|đơn vị|sở|cơ quan|thành phố)[^.;\d]{0,40}?(?:đạt|có)\s+(?:trên|dưới|từ|hơn)\s*$")
# "là 1 trong 9 tỉnh dẫn đầu về thể chế số": membership of a group, neither a score nor a rank.
_ONE_OF_AFTER = _fc(r"\s+trong\s+(?:số\s+)?(?:\d+|các)\s+(?:tỉnh|địa phương|đơn vị|thành phố|bộ)(?!\w)")


# "tổ chức Hội nghị chuyển đổi số, kết nối trực tuyến đến 120 điểm cầu", "Hội nghị được tổ chức
# trực tuyến tại 66 điểm cầu": the points one meeting was connected to, not the province's
# video-conference system ("Hệ thống hội nghị truyền hình của tỉnh có 142 điểm cầu").
_EVENT_BEFORE = _fc(
    r"(?:tổ chức|khai mạc|chủ trì)\s+(?:buổi\s+|phiên\s+)?(?:hội nghị|hội thảo|diễn đàn|tọa đàm|lễ|cuộc họp|phiên họp)(?! truyền hình)(?!\w)"
    r"|(?<!\w)(?:hội nghị|hội thảo|diễn đàn|tọa đàm|phiên họp)(?! truyền hình)(?!\w)[^.;]{0,40}?(?:được tổ chức|diễn ra)(?!\w)"
)


def _event_connection(ctx: _Ctx, s: _Sentence, rule: Rule, q: Quantity) -> bool:
    if not rule.indicator_id.startswith("infra.videoconf"):
        return False
    return _EVENT_BEFORE.search(ctx.folded, s.start, q.start) is not None


# "Từ 20 trạm BTS ban đầu, đến nay ... có hơn 2.000 trạm": the starting value of a change that
# runs to the present, with no year of its own. Not the base of a plan ("tăng từ 700 lên 900
# doanh nghiệp vào năm 2020": 700 is today's figure), nor a dated one ("từ 18,4% năm 2021").
_FROM_START_BEFORE = _fc(r"(?<!\w)từ\s+(?:chỗ\s+)?(?:chỉ\s+)?(?:có\s+)?$")
_FROM_THEN_NOW_AFTER = _fc(r"(?<!\w)(?:ban đầu|đến nay|tới nay|hiện nay|nay đã|nay có)(?!\w)")


def _earlier_undated(ctx: _Ctx, s: _Sentence, q: Quantity, pre_end: int, clause_end: int) -> bool:
    folded = ctx.folded
    if q.kind == "range" or folded.find("từ", max(s.start, pre_end - 20), pre_end) < 0:
        return False
    if not _FROM_START_BEFORE.search(folded, max(s.start, pre_end - 20), pre_end):
        return False
    return YEAR.search(folded, q.end, clause_end) is None and _FROM_THEN_NOW_AFTER.search(folded, q.end, s.end) is not None


# "xếp thứ nhất trong 5/8 chỉ số chính, bao gồm nhận thức số, thể chế số, ...", "đứng đầu cả 3
# trụ cột chuyển đổi số, gồm chính quyền số, kinh tế số và xã hội số": one rank for each index
# listed after it.
_LIST_INTRO = _fc(
    r"\s*(?:cả nước\s+|toàn quốc\s+)?(?:(?:trong|ở|về|tại)\s+)?(?:cả\s+)?(?:(\d{1,2})(?:/\d{1,2})?\s+|(hai|ba|bốn|năm|sáu|bảy|tám)\s+)?"
    r"(?:chỉ số(?:\s+chính|\s+thành phần)?|trụ cột)(?:\s+(?:chuyển đổi số|dti|của\s+dti))?\s*,?\s*(?:bao gồm|gồm|là)\s*:?\s*"
)
_LIST_ITEM_SPLIT = re.compile(r"\s*(?:,|;|\bvà\b)\s*")
_COUNT_WORDS = {"hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8}


# "có 2 chỉ số đứng đầu cả nước là nhận thức số và thể chế số": the count and the noun before
# the place, the list after it.
_LIST_COUNT_BEFORE = _fc(r"(?<!\w)(?:(\d{1,2})|(hai|ba|bốn|năm|sáu|bảy|tám))\s+(?:chỉ số(?:\s+chính|\s+thành phần)?|trụ cột)\s+(?:(?:đều|cùng)\s+)?(?:xếp|đứng|dẫn)\s+(?:(?:ở\s+)?vị trí\s+)?(?:thứ\s+|hạng\s+)?$")
_LIST_AFTER_PLACE = _fc(r"\s*(?:cả nước\s+|toàn quốc\s+)?,?\s*(?:là|gồm|bao gồm)\s*:?\s*")


def _listed_ranks(ctx: _Ctx, s: _Sentence, q: Quantity, active: dict) -> list[_Match]:
    folded = ctx.folded
    intro = _LIST_INTRO.match(folded, q.end, s.end)
    if intro is None:
        counted = _LIST_COUNT_BEFORE.search(folded, max(s.start, q.start - 60), q.start)
        if counted is None:
            return []
        intro = _LIST_AFTER_PLACE.match(folded, q.end, s.end)
        if intro is None:
            return []
        intro_count = int(counted.group(1)) if counted.group(1) else _COUNT_WORDS.get(counted.group(2) or "", 0)
    else:
        intro_count = int(intro.group(1)) if intro.group(1) else _COUNT_WORDS.get(intro.group(2) or "", 0)
    if _accepts("rank", q, folded)[0] is None:
        return []
    end = s.end
    for stop in (";", "(", ":"):
        k = folded.find(stop, intro.end(), end)
        if k >= 0:
            end = k
    region = folded[intro.end() : end].rstrip(" .")
    items = [t for t in _LIST_ITEM_SPLIT.split(region) if t]
    count = intro_count
    if len(items) < 2 or (count and count != len(items)):
        return []
    cues = [(r, c) for r, c in active.get("rank", ()) if c.where == "after" and r.indicator_id != _OVERALL_RANK]
    out: list[_Match] = []
    for item in items:
        found = None
        for rule, cue in cues:
            m = cue.regex.fullmatch(item) if cue.regex is not None else None
            if m is not None and (found is None or len(m.group(0)) > found[2]):
                found = (rule, cue, len(m.group(0)))
        if found is None or any(o.rule is found[0] for o in out):
            return []  # an item that names no ranked index: the list is not read at all
        out.append(_Match(found[0], found[1], 2.5, "+listed", q.value, 0.9))
    return out


_OVERALL_RANK = "dti.rank"


_ORDINAL = r"(\d{1,2}|nhất|nhì|hai|ba|tư|bốn|năm|sáu|bảy|tám|chín|mười)"
_RANK_SPAN_BEFORE = _fc(r"(?:thứ|hạng)\s+" + _ORDINAL + r"\s+(?:đến|tới|-|–)\s+(?:thứ\s+|hạng\s+)?" + _ORDINAL + r"\s*,?\s*$")
_RANK_SPAN_AFTER = _fc(r"\s*(?:là|thuộc về|gồm)\s")


def _ordinal(word: str) -> int | None:
    return int(word) if word.isdigit() else ORDINAL_WORDS.get(word)


def _rank_span_respective(ctx: _Ctx, s: _Sentence, quants: list[Quantity], at: int, active: dict, article, norm, facts, targets) -> list[int]:
    """Emits the ranks of "(xếp) thứ 2 đến thứ 5 lần lượt là/thuộc về A, B, C và D" when as many
    provinces as places are named after it, and returns the indexes of the span's own numbers."""
    folded = ctx.folded
    mark = _RESPECTIVE_MARK.match(folded, at)
    after = _RANK_SPAN_AFTER.match(folded, mark.end() if mark else at + len("lần lượt"), s.end)
    overall = next((pair for pair in active.get("rank", ()) if pair[1].where == "any"), None)
    if after is None or overall is None:
        return []
    places: list[int] = []
    span = _RANK_SPAN_BEFORE.search(folded, max(s.start, at - 40), at)
    top = _TOP_N_BEFORE.search(folded, max(s.start, at - 60), at) if span is None else None
    if span is not None:
        low, high = _ordinal(span.group(1)), _ordinal(span.group(2))
        if low is None or high is None or not 1 <= low < high <= 63:
            return []
        places = list(range(low, high + 1))
        lo, hi = span.start(), span.end()
    elif top is not None:
        # "ba địa phương dẫn đầu lần lượt là A, B và C": places 1 to 3.
        n = int(top.group(1)) if top.group(1) else _COUNT_WORDS.get(top.group(2) or "", 0)
        if not 2 <= n <= 10:
            return []
        places = list(range(1, n + 1))
        lo, hi = top.start(), top.end()
    else:
        # "đứng thứ nhất, nhì và ba lần lượt là A, B và C": the places listed before.
        listed = [j for j, q in enumerate(quants) if max(s.start, at - 60) <= q.start < at]
        if len(listed) < 2 or any(quants[j].kind != "rank" for j in listed):
            return []
        if any(not _PLACE_LIST_JOIN.fullmatch(folded, quants[a].end, quants[b].start) for a, b in zip(listed, listed[1:])):
            return []
        if not _PLACE_LIST_TAIL.fullmatch(folded, quants[listed[-1]].end, at):
            return []
        places = [int(quants[j].value) for j in listed]
        lo, hi = quants[listed[0]].start, quants[listed[-1]].end
    named: list[Province] = []
    for m in _info(ctx, s).mentions:
        if m.start >= after.end() and all(p.code != m.province.code for p in named):
            named.append(m.province)
    if len(named) != len(places):
        return []
    inside = [j for j, q in enumerate(quants) if lo <= q.start < hi]
    rule, cue = overall
    base = Quantity(lo, hi, float(places[0]), "rank", text=folded[lo:hi])
    clause_end = s.end
    for place, province in zip(places, named):
        q = replace(base, value=float(place))
        match = _Match(rule, cue, 2.5, "+rank span", float(place), 0.85)
        _emit(ctx, s, q, match, article, norm, facts, targets, clause_end, forced=province)
    return inside


_TOP_N_BEFORE = _fc(
    r"(?<!\w)(?:(\d{1,2})|(hai|ba|bốn|năm|sáu|bảy|tám))\s+(?:địa phương|tỉnh,\s*thành phố|tỉnh,\s*thành|tỉnh thành|tỉnh|đơn vị)\s+"
    r"(?:dẫn đầu|đứng đầu|xếp đầu)(?:\s+(?:cả nước|toàn quốc|bảng xếp hạng))?\s*,?\s*$"
)
_PLACE_LIST_JOIN = _fc(r"\s*(?:,|và|,\s*và)\s*(?:thứ\s+|hạng\s+)?")
_PLACE_LIST_TAIL = _fc(r"\s*(?:cả nước|toàn quốc)?\s*,?\s*")


# "Cùng năm, tỷ lệ này tại TP HCM là 67%": the indicator of the sentence before. "Các con số
# tương ứng ở Hà Nội là 1.958, 1.263 và 1.620": its figures, in order, for another province.
_REFERS_BACK = _fc(r"(?:tỷ lệ|con số|số liệu|chỉ số|mức) (?:này|đó|trên)(?!\w)|(?:con số|số liệu|chỉ số|giá trị|mức)[^.;\d]{0,12}? tương ứng(?!\w)")
_ANAPHOR_BEFORE = _fc(r"(?:tỷ lệ|con số|số liệu|chỉ số|mức) (?:này|đó|trên)(?!\w)[^.;\d]{0,40}?$")
_CORRESPONDING = _fc(r"(?:con số|số liệu|chỉ số|giá trị|mức)[^.;\d]{0,12}? tương ứng(?!\w)")
_SAME_YEAR = _fc(r"cùng năm|cùng thời gian|cùng kỳ")


def _anaphora_match(ctx: _Ctx, s: _Sentence, q: Quantity, floor: int, pre_end: int) -> _Match | None:
    if not _ANAPHOR_BEFORE.search(ctx.folded, floor, pre_end):
        return None
    last, year = ctx.last_matches[-1]
    value, conf = _accepts(last.rule.number, q, ctx.folded)
    if value is None:
        return None
    same_year = _SAME_YEAR.search(ctx.folded, s.start, pre_end) is not None
    return _Match(last.rule, last.cue, 0.5, "+anaphora", value, 0.85 * conf, year=year if same_year else None)


def _corresponding_matches(ctx: _Ctx, s: _Sentence, quants: list[Quantity]) -> dict[int, _Match]:
    m = _CORRESPONDING.search(ctx.folded, s.start, s.end)
    if m is None:
        return {}
    _, run = _respective_run(ctx, s, quants, m.end())
    if len(run) != len(ctx.last_matches):
        return {}
    out: dict[int, _Match] = {}
    for (last, _year), j in zip(ctx.last_matches, run):
        value, conf = _accepts(last.rule.number, quants[j], ctx.folded)
        if value is None:
            return {}
        out[j] = _Match(last.rule, last.cue, 2.5, "+corresponding", value, 0.85 * conf)
    return out


# "đạt 71,5%, và trong 9 tháng đầu năm 2022 đạt 82,06%", "mục tiêu ... đạt 50%, nhưng đến hết
# tháng 10 mới đạt 32%": a second value of the same indicator for another period, the subject
# left out. Only time words may come between the two.
_ELIDED_SUBJECT = _fc(
    r"[\s,]*(?:(?:và|nhưng|còn|song|tuy nhiên)\s+)?"
    r"(?:(?:trong|đến|tới|tính|hết|cuối|đầu|năm|tháng|quý|nay|hiện nay|hiện tại|hiện|riêng|\d+|i{1,3}|iv)(?!\w)[\s,]*)+"
    r"(?:(?:mới|chỉ|đã|cũng|tiếp tục|thì)\s+)*(?:đạt|lên|là)\s*$"
    # "đạt 23,5%, trong khi năm 2020 chưa đến 10%": a contrast naming only the earlier year.
    r"|[\s,]*(?:trong khi|còn|nhưng)\s+(?:(?:vào|đến|tới|hết|cuối)\s+)?(?:cùng kỳ\s+)?năm\s+(?:19|20)\d\d\s*,?\s*(?:(?:mới|chỉ|thì)\s+)?(?:đạt\s+|là\s+)?$"
)


def _gap_to_compared(ctx: _Ctx, s: _Sentence, pre_end: int) -> bool:
    """"kém Lào Cai 0,1 điểm", "hơn Hà Nội 5 bậc": a number right after a compared province is
    the gap between the two."""
    if not ctx.compared:
        return False
    for m in _info(ctx, s).mentions:
        if m.start in ctx.compared and m.end <= pre_end and not ctx.folded[m.end : pre_end].strip():
            return True
    return False


# ... and nothing after the second value names another measure ("đến nay đạt 95% hồ sơ được số
# hóa" is not the online share).
_ELIDED_AFTER = _fc(r"\s*(?:[,.;:)!?]|$|(?:và|so với|trong|năm|tháng|cao|thấp|vượt|tăng|giảm|dẫn đầu|đứng|xếp)(?!\w))")


def _elided_match(ctx: _Ctx, q: Quantity, prev: Quantity, pre_end: int, last: _Match) -> _Match | None:
    if not _ELIDED_SUBJECT.match(ctx.folded, prev.end, pre_end) or not _ELIDED_AFTER.match(ctx.folded, q.end):
        return None
    pub = ctx.published.year if ctx.published else None
    if any(pub is None or int(y.group(1)) > pub for y in YEAR.finditer(ctx.folded, prev.end, pre_end)):
        return None  # "..., năm 2025 đạt 80%": a later year is a plan
    value, conf = _accepts(last.rule.number, q, ctx.folded)
    if value is None:
        return None
    # "..., trong khi cùng kỳ năm 2022 chỉ đạt 28%": the year it names is this value's.
    stated = None
    for y in YEAR.finditer(ctx.folded, prev.end, pre_end):
        stated = int(y.group(1))
    return _Match(last.rule, last.cue, 0.5, "+elided", value, 0.85 * conf, year=stated)


# "đạt 68,5%, cao hơn nhiều so với mức 41,2% của năm 2023": the value compared with is the same
# indicator's for an earlier year, taken only when that year is stated right after it.
_COMPARED_BASE_BEFORE = _fc(
    r"[\s,]*(?:(?:cao|thấp|tăng|giảm|nhiều|ít)\s+(?:hơn\s+)?(?:nhiều\s+|hẳn\s+|mạnh\s+|đáng kể\s+)?)?"
    r"so với\s+(?:mức\s+|con số\s+|tỷ lệ\s+)?$"
)
# "tăng hơn 14 điểm phần trăm so với năm 2022 (57,2%)": the earlier year's value in parentheses.
_COMPARED_YEAR_PAREN = _fc(r"[^.;]{0,60}?so với\s+(?:cùng kỳ\s+)?năm\s+((?:19|20)\d\d)\s*\(\s*$")
_COMPARED_BASE_YEAR = _fc(r"\s*(?:của|trong|vào)?\s*năm\s+((?:19|20)\d\d)(?!\d)\s*(?:[.;)]|$)")


def _compared_year_paren_match(ctx: _Ctx, q: Quantity, valued: Quantity, pre_end: int, last: _Match) -> _Match | None:
    """"đạt 71,6%, tăng hơn 14 điểm phần trăm so với năm 2022 (57,2%)": the value in parentheses
    after "so với năm YYYY" is the earlier year's, of the indicator the last cue took."""
    folded = ctx.folded
    if folded[q.start - 1 : q.start] != "(" and folded[pre_end - 1 : pre_end] != "(":
        return None
    m = _COMPARED_YEAR_PAREN.fullmatch(folded, valued.end, pre_end)
    if m is None or (ctx.published is not None and int(m.group(1)) >= ctx.published.year):
        return None
    value, conf = _accepts(last.rule.number, q, folded)
    if value is None and last.rule.number == "rank" and q.kind == "number" and is_whole(q.value) and 1 <= q.value <= 63:
        value, conf = q.value, 1.0  # "xếp thứ 20, tăng 8 bậc so với năm 2020 (28)"
    if value is None:
        return None
    return _Match(last.rule, last.cue, 0.5, "+compared base", value, 0.85 * conf, year=int(m.group(1)))


def _compared_base_match(ctx: _Ctx, q: Quantity, prev: Quantity, pre_end: int, last: _Match) -> _Match | None:
    folded = ctx.folded
    if not _COMPARED_BASE_BEFORE.fullmatch(folded, prev.end, pre_end):
        return None
    m = _COMPARED_BASE_YEAR.match(folded, q.end)
    if m is None or (ctx.published is not None and int(m.group(1)) >= ctx.published.year):
        return None  # no year, or not an earlier one: a base the article does not date
    value, conf = _accepts(last.rule.number, q, folded)
    if value is None:
        return None
    return _Match(last.rule, last.cue, 0.5, "+compared base", value, 0.85 * conf)


# "chính quyền số xếp hạng 5 (tăng 16 bậc so với xếp hạng 21 của năm 2021)": the earlier rank is
# the same pillar's, dated by the year after it, not the overall rank.
_COMPARED_RANK_BETWEEN = _fc(
    r"[^.;\d]{0,12}?\(?\s*(?:tăng|giảm|tụt|vượt|thăng)\s+(?:hạng\s+)?\d+\s+(?:bậc|hạng)\s*,?\s*so với\s+"
    r"(?:xếp hạng|thứ hạng|vị trí|hạng|mức)?\s*(?:thứ\s*)?$"
)


def _compared_rank_match(ctx: _Ctx, q: Quantity, last_q: Quantity, pre_end: int, last: _Match) -> _Match | None:
    folded = ctx.folded
    if last_q.end >= pre_end or not _COMPARED_RANK_BETWEEN.fullmatch(folded, last_q.end, pre_end):
        return None
    if _COMPARED_BASE_YEAR.match(folded, q.end) is None:
        return None
    value, conf = _accepts("rank", q, folded)
    if value is None:
        return None
    return _Match(last.rule, last.cue, 0.5, "+compared base", value, 0.85 * conf)


def _share_of_total(folded: str, q: Quantity, s_end: int) -> bool:
    """"chiếm 57,8% tổng số hồ sơ": a share of a stated whole, which share indicators take
    (whereas "chiếm 40% GRDP" or a bare "chiếm 12%" stays out)."""
    return q.kind == "percent" and _SHARE_TOTAL_AFTER.match(folded, q.end, s_end) is not None


_SHARE_TOTAL_AFTER = _fc(r"\s*(?:trên\s+)?tổng số(?!\w)")


_RANK_AFTER_MOVE = _fc(r"\s*bậc\s*,?\s*(?:lên|xuống|vươn lên|tụt xuống|leo lên|rơi xuống|đạt|và)\s*(?:vị trí|hạng|xếp|đứng)?\s*(?:thứ)?\s*$")
_DTI_IN_SENTENCE = _fc(r"chuyển đổi số|\bdti\b|bảng xếp hạng")


_RESPECTIVE_JOIN = _fc(r"\s*(?:điểm|%)?\s*(?:,|;|và|,\s*và)\s*(?:thứ\s*|hạng\s*)?$")


# "lần lượt" (respectively), and "tương ứng là / đạt" used the same way ("điểm chính quyền số,
# kinh tế số, xã hội số tương ứng là 0,61, 0,52 và 0,49").
_RESPECTIVE_MARK = _fc(r"lần lượt|tương ứng(?=\s*(?:là|đạt|:))")


def _next_respective(folded: str, pos: int, end: int) -> int:
    """Where the next "lần lượt" (or respective "tương ứng") of folded[pos:end] starts, or -1."""
    a = folded.find("lần lượt", pos, end)
    b = folded.find("tương ứng", pos, end)
    while b >= 0 and not _RESPECTIVE_MARK.match(folded, b, end):
        b = folded.find("tương ứng", b + 1, end)
    return min((x for x in (a, b) if x >= 0), default=-1)


# "lần lượt đạt 0,61 điểm (xếp thứ 15), 0,52 điểm (xếp thứ 30) và ...": a place in parentheses
# after each value is that value's rank, not a member of the run.
_PAREN_PLACE_AFTER_VALUE = _fc(r"\s*(?:điểm)?\s*\(\s*(?:(?:xếp|đứng)\s+)?(?:thứ|hạng)?\s*")
_RESPECTIVE_AFTER_PAREN_JOIN = _fc(r"\s*\)\s*(?:,|;|và|,\s*và)\s*$")


# "lần lượt xếp thứ 15, 30 và 25 với số điểm 0,61; 0,52 và 0,49", "lần lượt đạt 0,61, 0,52 và 0,49
# điểm, xếp thứ 15, 30 và 25": a second run for the same names, their scores or their ranks.
_SECOND_RUN_LEAD = _fc(
    r"\s*(?:điểm)?\s*[,;]?\s*(?:và\s+)?(?:(?:với|đạt)\s+(?:tổng\s+)?(?:số\s+)?(?:điểm|giá trị)(?:\s+số)?"
    r"|(?:cùng\s+)?(?:xếp hạng|xếp thứ|đứng thứ|xếp|đứng)(?:\s+thứ)?)(?:\s+(?:lần lượt|tương ứng))?\s*(?:là|đạt)?\s*(?:thứ\s*)?"
)


def _second_run(ctx: _Ctx, s: _Sentence, quants: list[Quantity], found: dict[int, _Match]) -> dict[int, _Match]:
    folded = ctx.folded
    run1 = sorted(found)
    last = run1[-1]
    if last + 1 >= len(quants):
        return {}
    nxt = quants[last + 1]
    lead = nxt.qualifier_start if nxt.qualifier_start is not None else nxt.start
    if not _SECOND_RUN_LEAD.fullmatch(folded, quants[last].end, lead):
        return {}
    run2 = [last + 1]
    for j in range(last + 2, len(quants)):
        if len(run2) == len(run1) or not _RESPECTIVE_JOIN.match(folded, quants[j - 1].end, quants[j].start):
            break
        run2.append(j)
    if len(run2) != len(run1):
        return {}
    out: dict[int, _Match] = {}
    rank_pairs = _rank_pairs()
    for i, j in zip(run1, run2):
        rule = found[i].rule
        partner: tuple[Rule, Cue] | None = None
        if rule.number == "rank":
            source = next((src for src, rc in rank_pairs.items() if rc[0].indicator_id == rule.indicator_id), None)
            score_rule = next((r for r in load_rules() if r.indicator_id == source), None) if source else None
            partner = (score_rule, score_rule.cues[0]) if score_rule is not None and score_rule.cues else None
        else:
            partner = rank_pairs.get(rule.indicator_id)
        if partner is None:
            return {}
        q = quants[j]
        value, conf = _accepts(partner[0].number, q, folded)
        if value is None and partner[0].number == "rank" and q.kind == "number" and is_whole(q.value) and 1 <= q.value <= 63:
            value, conf = q.value, 1.0
        if value is None:
            return {}
        out[j] = _Match(partner[0], partner[1], 2.5, "+respective", value, 0.85 * conf)
    return out


def _respective_run(ctx: _Ctx, s: _Sentence, quants: list[Quantity], at: int) -> tuple[int, list[int]]:
    """The indexes of the joined numbers after the "lần lượt" at `at` ([] if fewer than 2)."""
    folded = ctx.folded
    first = next((i for i, q in enumerate(quants) if q.start > at), None)
    if first is None:
        return at, []
    run = [first]
    j = first + 1
    while j < len(quants):
        a, b = quants[run[-1]], quants[j]
        if _RESPECTIVE_JOIN.match(folded, a.end, b.start):
            run.append(j)
            j += 1
        elif (
            b.kind == "rank" and j + 1 < len(quants)
            and _PAREN_PLACE_AFTER_VALUE.fullmatch(folded, a.end, b.start)
            and _RESPECTIVE_AFTER_PAREN_JOIN.match(folded, b.end, quants[j + 1].start)
        ):
            run.append(j + 1)
            j += 2
        else:
            break
    return at, run if len(run) >= 2 else []


_RANK_VERB_BEFORE_RESPECTIVE = _fc(r"(?:xếp hạng|xếp thứ|đứng thứ|xếp|đứng|hạng)\s*$")
# "Thứ hạng về chính quyền số, kinh tế số, xã hội số của tỉnh lần lượt là 22, 9, 13": the
# subject of the list is a ranking, so its numbers are places.
_RANK_NOUN_BEFORE_RESPECTIVE = _fc(r"(?<!\w)(?:thứ hạng|xếp hạng|vị trí)(?!\w)[^.;\d]{0,100}?\s(?:lần lượt)?\s*$")


def _rank_run_as_ranks(ctx: _Ctx, s: _Sentence, quants: list[Quantity], at: int) -> list[Quantity]:
    """"lần lượt xếp thứ 12, 13 và 14": the bare numbers after the first rank are ranks too; after
    "xếp hạng lần lượt là 29, 27 và 26" all of them are."""
    _, run = _respective_run(ctx, s, quants, at)
    if not run:
        return quants
    ranked_before = (
        _RANK_VERB_BEFORE_RESPECTIVE.search(ctx.folded, max(s.start, at - 20), at) is not None
        or _RANK_NOUN_BEFORE_RESPECTIVE.search(ctx.folded, max(s.start, at - 120), at) is not None
    )
    if quants[run[0]].kind != "rank" and not ranked_before:
        return quants
    out = list(quants)
    limit = quants[run[0]].denominator or 63
    for j in run if ranked_before else run[1:]:
        q = out[j]
        if q.kind == "number" and is_whole(q.value) and 1 <= q.value <= limit:
            out[j] = replace(q, kind="rank")
    return out


def _run_indicator(ctx: _Ctx, s: _Sentence, quants: list[Quantity], run: list[int], active: dict) -> _Match | None:
    """The one indicator of the numbers that "lần lượt" gives to several provinces: the cue of any
    of them, read over the whole sentence ("Bắc Giang và Bắc Ninh lần lượt đạt 81,6% và 75,2%"
    after "Về tỷ lệ hồ sơ trực tuyến"; "... lần lượt đạt 0,70, 0,69 và 0,68 điểm")."""
    folded = ctx.folded
    local = folded[s.start : s.end]
    found: _Match | None = None
    for j in run:
        q = quants[j]
        pre_end = q.qualifier_start if q.qualifier_start is not None else q.start
        m = _best_cue(ctx, q, s.start, pre_end, s.end, active, local)
        if m is None or m.cue.where == "any":
            continue
        if found is not None and m.rule is not found.rule:
            return None  # the numbers take different indicators: not one run
        found = found or m
    return found


def _respective_provinces(ctx: _Ctx, s: _Sentence, quants: list[Quantity], at: int) -> dict[int, Province | None]:
    """"Hà Tĩnh và Nghệ An lần lượt xếp thứ 28 và 30": the numbers go to the provinces named
    before "lần lượt", in order; None for each when the counts differ (nothing is guessed)."""
    _, run = _respective_run(ctx, s, quants, at)
    if not run:
        return {}
    seg_start = max([s.start] + [q.end for q in quants[: run[0]] if q.end <= at])
    named: list[Province] = []
    for m in _info(ctx, s).mentions:
        if seg_start <= m.start < at and m.start not in ctx.compared and all(p.code != m.province.code for p in named):
            named.append(m.province)
    if len(named) < 2:
        return {}
    if len(named) != len(run):
        return {j: None for j in run}
    return dict(zip(run, named))


def _respective_matches(ctx: _Ctx, s: _Sentence, quants: list[Quantity], active: dict, at: int, prev_folded: str) -> dict[int, _Match]:
    """"ba trụ cột chính quyền số, kinh tế số, xã hội số lần lượt xếp thứ 12, 13 và 14": the
    numbers after "lần lượt" (respectively) take, in order, the indicators named before it, or
    else the members of a declared group the sentence names ("điểm của ba trụ cột lần lượt là").
    Nothing is assigned unless there are as many names as numbers."""
    folded = ctx.folded
    _, run = _respective_run(ctx, s, quants, at)
    if not run:
        return {}
    named = _respective_named(ctx, quants, active, at, run, s)
    return named if named else _respective_group(ctx, s, quants, at, run, prev_folded)


def _respective_named(ctx: _Ctx, quants: list[Quantity], active: dict, at: int, run: list[int], s: _Sentence) -> dict[int, _Match]:
    folded = ctx.folded
    first = run[0]
    head = quants[first]
    seg_start = max([s.start] + [q.end for q in quants[:first]])
    found = _respective_named_from(ctx, quants, active, at, run, seg_start)
    if not found and seg_start > s.start and _RESPECTIVE_AFTER_SHARED.fullmatch(folded, seg_start, at):
        # "Kinh tế số và Xã hội số đồng xếp hạng 58/63, đạt giá trị lần lượt là 0,1931 và
        # 0,2021": the names are those of the clause the shared figure belongs to.
        clause_start = max(s.start, folded.rfind(";", s.start, seg_start) + 1)
        found = _respective_named_from(ctx, quants, active, at, run, clause_start)
    return found


# ", đạt giá trị lần lượt là": the second figure of names that took a shared one just before.
_RESPECTIVE_AFTER_SHARED = _fc(r"\s*(?:,|và)?\s*(?:đạt|có|với)\s*(?:giá trị|điểm|điểm số)?\s*(?:tương ứng\s*)?")


def _respective_named_from(ctx: _Ctx, quants: list[Quantity], active: dict, at: int, run: list[int], seg_start: int) -> dict[int, _Match]:
    folded = ctx.folded
    first = run[0]
    head = quants[first]
    for number, pairs in active.items():
        if _accepts(number, head, folded)[0] is None:
            continue
        found = []
        for rule, cue in pairs:
            if cue.where != "before" or cue.regex is None:
                continue
            for m in cue.regex.finditer(folded, seg_start, at):
                found.append((m.start(), -m.end(), rule, cue))
        found.sort(key=lambda x: (x[0], x[1]))
        names: list[tuple[Rule, Cue]] = []
        last_end = -1
        for start, neg_end, rule, cue in found:
            if start < last_end or any(r is rule for r, _ in names):
                continue
            names.append((rule, cue))
            last_end = -neg_end
        if len(names) != len(run):
            continue
        out = {}
        scope = folded[seg_start : quants[run[-1]].end]
        for (rule, cue), j in zip(names, run):
            q = quants[j]
            value, conf = _accepts(number, q, folded)
            if value is None or _excluded(rule, scope):
                return {}
            out[j] = _Match(rule, cue, 2.5, "+respective", value, 0.9 * conf)
        return out
    return {}


@dataclass(frozen=True)
class IndicatorGroup:
    """Indicators a sentence can name together, in a fixed order (schemas/indicator_groups.csv)."""

    group_id: str
    cue: re.Pattern
    members: tuple[Rule, ...]


@lru_cache(maxsize=4)
def indicator_groups(path: Path | None = None) -> tuple[IndicatorGroup, ...]:
    import csv

    path = path or paths.catalogue_path().parent / "indicator_groups.csv"
    rules = {r.indicator_id: r for r in load_rules()}
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            gid = (row.get("group_id") or "").strip()
            ids = [m.strip() for m in (row.get("members") or "").split("|") if m.strip()]
            unknown = [m for m in ids if m not in rules]
            if not gid or len(ids) < 2 or unknown:
                raise RuleError(f"{path}: line {line}: a group needs an id and two or more catalogue indicators with cues (unknown: {unknown})")
            try:
                cue = re.compile(fold_pattern(row.get("cue") or ""))
            except re.error as exc:
                raise RuleError(f"{path}: line {line}: cue is not a valid regular expression ({exc})") from exc
            out.append(IndicatorGroup(gid, cue, tuple(rules[m] for m in ids)))
    return tuple(out)


def _respective_group(ctx: _Ctx, s: _Sentence, quants: list[Quantity], at: int, run: list[int], prev_folded: str) -> dict[int, _Match]:
    folded = ctx.folded
    context = None
    scope = folded[s.start : quants[run[-1]].end]
    for group in indicator_groups():
        if len(group.members) != len(run) or group.cue.search(folded, s.start, at) is None:
            continue
        out: dict[int, _Match] = {}
        for rule, j in zip(group.members, run):
            value, conf = _accepts(rule.number, quants[j], folded)
            if value is None or _excluded(rule, scope):
                break
            if rule.requires is not None:
                if context is None:
                    context = folded[s.start : s.end] + " \n " + prev_folded + " \n " + ctx.title_folded
                if rule.requires.search(context) is None:
                    break
            out[j] = _Match(rule, rule.cues[0], 2.5, f"+group:{group.group_id}", value, 0.85 * conf)
        else:
            return out
    return {}


def _parallel_match(ctx: _Ctx, q: Quantity, floor: int, pre_end: int, assigned) -> _Match | None:
    """"... ở Quảng Bình đạt 68%, ở Quảng Trị đạt 61,5%": the second number repeats the
    indicator of the first for another province."""
    last = next((a for a in reversed(assigned) if a is not None), None)
    if last is None:
        return None
    pq, pm, pprov = last
    between = ctx.folded[floor:pre_end]
    # The mentions between floor and pre_end, found by bisection: scanning every mention of the
    # article for every number made a long text quadratic.
    nearby = ctx.mentions[bisect_left(ctx.mention_starts, floor) : bisect_left(ctx.mention_starts, pre_end)]
    if COMPARED_PAREN_SHAPE.search(between) and any(m.start in ctx.compared and m.end <= pre_end for m in nearby):
        # "thấp hơn nhiều so với Đà Nẵng (0,7836)", "thấp hơn Bình Dương (81,2%) và Đà Nẵng (gần
        # 90%)": the figure in parentheses is the compared province's, for the same indicator.
        value, conf = _accepts(pm.rule.number, q, ctx.folded)
        return _Match(pm.rule, pm.cue, 0.5, "+compared", value, 0.85 * conf, year=pm.year) if value is not None else None
    if TRANSITION_SHAPE.match(between):
        value, conf = _accepts(pm.rule.number, q, ctx.folded)
        if value is None and pm.rule.number == "rank" and pq.kind in ("rank", "fraction") and q.kind == "number" and is_whole(q.value) and 1 <= q.value <= (pq.denominator or 63):
            value, conf = q.value, 1.0  # "từ vị trí 30 lên 22": the place moved to is a rank too
        return _Match(pm.rule, pm.cue, 0.5, "+parallel", value, 0.9 * conf) if value is not None else None
    series = YEAR_SERIES_SHAPE.match(between)
    if series:
        # "năm 2022 là 42,5%; năm 2023 là 66,8%": the same indicator for the next year, never a
        # year still to come (a target).
        pub = ctx.published.year if ctx.published else 9999
        if int(series.group(1)) > pub:
            return None
        value, conf = _accepts(pm.rule.number, q, ctx.folded)
        if value is None and pm.rule.number == "rank" and q.kind == "number" and is_whole(q.value) and 1 <= q.value <= (pq.denominator or 63):
            value, conf = q.value, 1.0  # "xếp thứ 20, năm 2021 là 28": the earlier year's place
        return _Match(pm.rule, pm.cue, 0.5, "+year series", value, 0.9 * conf) if value is not None else None
    if not PARALLEL_SHAPE.match(between):
        return None
    here = [m.province for m in nearby]
    if not here or pprov is None or here[-1].code == pprov.code:
        return None
    value, conf = _accepts(pm.rule.number, q, ctx.folded)
    if value is None:
        return None
    return _Match(pm.rule, pm.cue, 0.5, "+parallel", value, 0.85 * conf)


_OR_MORE_AFTER = _fc(r"(?<!\w)trở (lên|xuống)(?!\w)")


def _emit(ctx: _Ctx, s: _Sentence, q: Quantity, match: _Match, article, norm, facts, targets, clause_end: int,
          forced: Province | None = None):
    rule = match.rule
    named_after = _named_after_rank(ctx, s, q) if rule.number == "rank" and forced is None else None
    province: Province | None
    if forced is not None:
        province, how_prov, prov_conf = forced, "sentence (shared subject)", 0.95
    elif named_after is not None:
        province, how_prov, prov_conf = named_after, "sentence (named after the rank)", 1.0
    else:
        province, how_prov, prov_conf = _attribute(ctx, s, q.start)
    method = f"cue:{rule.indicator_id}#{match.cue.n}{match.how}"
    confidence = match.cue_conf * (prov_conf if province else 1.0)
    notes = []
    is_target, target_year = _is_target(ctx, s, q, clause_end)
    qualifier = q.qualifier
    if qualifier == "exact":
        # "2.000 trạm BTS trở lên": a qualifier after the number's phrase.
        after = _OR_MORE_AFTER.search(ctx.folded, q.end, min(clause_end, q.end + 40))
        if after is not None:
            qualifier = "over" if after.group(1) == "lên" else "under"
    vspan = (q.start, q.end)
    rank_of = q.denominator if rule.number == "rank" else None
    if rule.number == "rank" and rank_of is None and ctx.folded.find("63 tỉnh", q.end, q.end + 40) >= 0:
        rank_of = 63
    if q.kind == "range":
        notes.append(f"range {q.value:g} to {q.high:g}")
    if is_target:
        year = target_year or (ctx.published.year if ctx.published else None)
        targets.append(_make_fact(article, norm, ctx, s, rule, match.value, qualifier, province, year, None,
                                  method.replace("cue:", "target:"), confidence, "target or plan", vspan, rank_of))
        return None
    if rule.theme == "rankings" and _other_index(ctx, s, q, clause_end, rule):
        return None
    if rule.theme == "rankings":
        quoted = _dti_year(ctx, s, q)
        if _before_first_edition(quoted, ctx.published):
            return None  # "năm 2019, Tây Ninh xếp hạng 25/63": no DTI existed; another index's rank
        choice = edition_for(quoted, ctx.edition_date)
        ref_year, ref_date = choice.year, None
        if choice.note:
            notes.append(choice.note)
        if not choice.certain:
            confidence *= 0.8
        if ref_year is not None and (q.kind == "rank" or rule.number == "rank") and _PREVIOUS_YEAR_PLACE.search(ctx.folded, max(s.start, q.start - 40), q.start):
            ref_year -= 1
            notes.append("the place of the year before (\"năm trước\", \"năm ngoái\")")
            if ref_year < _first_edition():
                confidence = min(confidence, 0.3)
        elif ref_year is not None and (q.kind == "rank" or rule.number == "index") and _previous_place(ctx, s, q):
            ref_year -= 1
            notes.append("the place before a move (\"từ vị trí 30 lên 22\"): the edition before")
            if ref_year < _first_edition():
                confidence = min(confidence, 0.3)  # no DTI edition before the first
    elif match.year is not None:
        ref_year, ref_date = match.year, None
    else:
        ref_year, ref_date, how = _period(ctx, s, q, clause_end)
        if ref_year is None:
            confidence *= 0.5
            notes.append("no publication date for a present-state figure")
    if ref_year is None:
        confidence = min(confidence, 0.3)
    if province is None:
        notes.append(f"no province attributable ({how_prov})")
    fact = _make_fact(article, norm, ctx, s, rule, match.value, qualifier, province, ref_year, ref_date, method,
                      confidence, "; ".join(notes) or None, vspan, rank_of)
    if rule.theme == "rankings" and province is not None and ref_year is not None and ref_year >= 2024 and (
        _ranks_34_units(ctx, s, q) or _article_ranks_34_units(ctx, s, rule, province, ref_year)
    ):
        merged = _merged_unit(province)
        if merged is not None:
            fact.unit_set, fact.province_code, fact.province = 34, merged.code, merged.name
            fact.note = ((fact.note + "; ") if fact.note else "") + "ranking of the 34 units formed on 1 July 2025"
    facts.append(fact)
    if rule.number == "rank" and forced is None:
        tied = _tied_province(ctx, s, q)
        if tied is not None and (province is None or tied.code != province.code):
            _emit(ctx, s, q, match, article, norm, facts, targets, clause_end, forced=tied)
    return (q, match, province)


def _before_first_edition(quoted: int | None, published: date | None) -> bool:
    """A ranking quoted for a year before the first DTI edition, or in an article published
    before that edition was announced, is another index's (the ICT Index, the PAR Index)."""
    editions = load_editions()
    if not editions:
        return False
    first = editions[0]
    if quoted is not None and quoted < first.year:
        return True
    return published is not None and first.announced_on is not None and published < first.announced_on


# Other indices and rankings that articles report beside the DTI, with the same verbs and
# denominators: named in the title or the sentence, they own a rank whose sentence does not name
# the DTI itself ("Tây Ninh tăng 8 bậc trong bảng xếp hạng ICT Index" over "năm 2019, Tây Ninh
# xếp hạng 25/63"; "về tỷ lệ nộp hồ sơ trực tuyến, Nghệ An đạt 72%, xếp thứ 20/34").
_OTHER_INDEX = _fc(
    r"ict index|vietnam ict|\bpci\b|\bpapi\b|par index|\bsipas\b|\bpgi\b|năng lực cạnh tranh|cải cách hành chính"
    r"|hiệu quả quản trị|sẵn sàng cho phát triển|phục vụ người dân|chính phủ điện tử|hài lòng"
)
_DTI_NAMED = _fc(r"chuyển đổi số|\bdti\b|digital transformation")
# The ministries' ranking ("Bộ Kế hoạch và Đầu tư dẫn đầu các bộ, ngành", "Bộ này đứng đầu"). The
# ministries that publish the DTI (Thông tin và Truyền thông, Khoa học và Công nghệ) are left out
# of the named ones: "Bộ TT&TT xếp hạng tỉnh thứ 10" is the provinces' ranking.
_MINISTRY_RANKING = _fc(
    r"(?<!\w)(?:các|những|\d+) bộ(?: cung cấp| có|,\s*(?:ngành|cơ quan)|(?!\w))|(?<!\w)bộ này(?!\w)|cơ quan ngang bộ|(?:khối|nhóm|cấp) (?:các )?bộ(?!\w)(?!,? (?:và )?(?:cấp |khối )?(?:tỉnh|địa phương))"
    r"|(?<!\w)(?:bộ (?:tài chính|tư pháp|công thương|kế hoạch và đầu tư|nội vụ|y tế|giáo dục|xây dựng|giao thông|nông nghiệp|tài nguyên|lao động|văn hóa|công an|quốc phòng|ngoại giao)"
    r"|ngân hàng nhà nước|bảo hiểm xã hội việt nam|kho bạc nhà nước)[^.;,]{0,30}?(?:dẫn đầu|đứng đầu|xếp|đứng thứ|giữ vị trí|đạt)(?!\w)"
)


# The DTI of the province's own departments, districts or communes, which provinces rank too.
_SUBLEVEL_INDEX = _fc(r"(?:chuyển đổi số|\bdti)[^.;\d]{0,12}?\s(?:cấp|khối|của các)\s+(?:sở|huyện|xã|cơ sở|sở, ngành|sở ngành|các sở)(?!\w)")
_PROVINCE_LEVEL_INDEX = _fc(r"(?:chuyển đổi số|\bdti)[^.;\d]{0,12}?\scấp tỉnh(?!\w)")
_TOPIC_AFTER_RANK = _fc(
    r"\s*(?:/\s*\d+\s*)?(?:(?:trong\s+)?(?:số\s+)?(?:\d+\s+)?(?:tỉnh|địa phương)(?:\s*,\s*thành(?: phố)?)?\s*)?(?:(?:trong\s+|trên\s+)?(?:cả nước|toàn quốc)\s*)?,?\s*về\s+"
)
_DTI_TOPIC = _fc(
    r"(?:(?:lĩnh vực|mức độ|công tác|kết quả|chỉ số|bộ chỉ số|xếp hạng|bảng xếp hạng|đánh giá)\s+)*(?:đánh giá\s+)?(?:mức độ\s+)?"
    r"(?:chuyển đổi số|\bdti\b|cđs\b|chuyển đổi(?= với| của| năm|\s*[,.;(])|chính quyền số|chính phủ số|kinh tế số|xã hội số|nhận thức số|thể chế số|hạ tầng số|nhân lực số|an toàn thông tin|"
    r"hoạt động (?:chính quyền|kinh tế|xã hội) số|(?:cả\s+)?(?:(?:các|\d+|hai|ba|bốn|năm|sáu|bảy|tám|chín)\s+)?(?:trụ cột|chỉ số chính|chỉ số thành phần))"
)
_FIRST_IN_GROUP_AFTER = _fc(r"\s+(?:về\s+)?(?:cả\s+)?(?:các|\d+|hai|ba|bốn|năm|sáu|bảy|tám|chín)\s+(?:trụ cột|chỉ số)")
_TOPIC_REFERS_BACK = _fc(r"(?:bộ\s+)?(?:chỉ số|chỉ tiêu|bảng xếp hạng|xếp hạng)\s+(?:này|trên|đó|nói trên)(?!\w)")
_SUPERLATIVE_RANK_BEFORE = _fc(r"(?<!\w)(?:nhiều|cao|lớn|thấp|ít|nhanh|mạnh|đông)\s+(?:(?:thứ|hạng)\s*)?$")
_PROVINCES_CITIES_AFTER = _fc(r",\s*thành(?: phố)?(?!\w)")


def _other_index(ctx: _Ctx, s: _Sentence, q: Quantity, clause_end: int, rule: Rule) -> bool:
    """Is this DTI-looking figure another ranking's or index's: a ministries' or a department's
    ranking, another index, another measure, a place among a group? (No fact is made.)"""
    folded = ctx.folded
    if folded.find("cấp", s.start, s.end) >= 0 or folded.find("khối", s.start, s.end) >= 0:
        # "chỉ số chuyển đổi số cấp sở, ngành ...: Sở TT&TT đứng đầu", "DTI cấp huyện": within
        # the rank's part of the sentence (after the last ';' before it).
        part = max(s.start, folded.rfind(";", s.start, q.start) + 1)
        if _SUBLEVEL_INDEX.search(folded, part, s.end) and not _PROVINCE_LEVEL_INDEX.search(folded, part, s.end):
            return True
    if rule.indicator_id == "dti.rank" and q.text == "đầu" and _FIRST_IN_GROUP_AFTER.match(folded, q.end, s.end):
        return True  # "đứng đầu cả ba trụ cột", "đứng đầu về 4 chỉ số chính": not the overall rank
    if rule.number == "rank":
        # "xếp thứ 2 cả nước về thu ngân sách", "xếp thứ 5/63 về chất lượng phục vụ": the topic
        # named right after the rank decides; "xếp thứ 15 về chuyển đổi số" is the DTI's.
        topic = _TOPIC_AFTER_RANK.match(folded, q.end, s.end)
        if (
            topic is not None
            and not _TOPIC_REFERS_BACK.match(folded, topic.end(), s.end)
            and not _MINISTRY_RANKING.search(folded, max(s.start, q.start - 120), clause_end)
        ):
            return _DTI_TOPIC.match(folded, topic.end(), s.end) is None
    if rule.number == "rank" and _SUPERLATIVE_RANK_BEFORE.search(folded, max(s.start, q.start - 20), q.start):
        return True  # "có số lượng dịch vụ công tích hợp nhiều thứ 4 cả nước": a place by a count
    lo = max(s.start, q.start - 120)
    if _MINISTRY_RANKING.search(folded, lo, clause_end):
        return True
    # "xếp hạng 17/63 tỉnh, thành phố về chỉ số phục vụ người dân": the comma of "tỉnh, thành
    # phố" does not end the rank's clause.
    end = clause_end
    if folded.endswith("tỉnh", s.start, end) and _PROVINCES_CITIES_AFTER.match(folded, end, s.end):
        end = _clause_end(folded, end + 1, s.end)
    contrast = _CONTRAST_AFTER.search(folded, q.end, end)
    if contrast is not None:
        end = contrast.start()  # "..., nhưng trong bảng xếp hạng PCI lại đứng thứ 38": another clause
    if _OTHER_INDEX.search(folded, max(s.start, q.start - 60), end):
        return True
    if _DTI_NAMED.search(folded, s.start, s.end):
        return False
    # The sentence does not name the DTI: another index named in it or in the title owns the
    # figure, and so does another measure named before a rank ("về tỷ lệ ...", "đạt 72,35%, xếp
    # thứ 20/34").
    return (
        _OTHER_INDEX.search(folded, s.start, end) is not None
        or (rule.indicator_id == "dti.rank" and (_rate_before(folded, s.start, q.start) or _OTHER_TOPIC.search(folded, s.start, q.start) is not None))
        or _OTHER_INDEX.search(ctx.title_folded) is not None
    )


_PERCENT_BEFORE = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)?\s*%")


def _rate_before(folded: str, lo: int, hi: int) -> bool:
    """A percentage stated before hi that is a rate of its own, not a growth ("tăng 40,5%")."""
    return any(not _growth_before(folded, max(lo, m.start() - 20), m.start()) for m in _PERCENT_BEFORE.finditer(folded, lo, hi))


_OTHER_TOPIC = _fc(r"(?<!\w)về (?:tỷ lệ|số lượng|số |doanh thu|thu hút|kết quả thực hiện)")


# "Thanh Hóa xếp thứ 15, đồng hạng với Yên Bái": the province tied with holds the same rank.
_TIED_WITH = _fc(r"\s*(?:tỉnh,\s*thành phố|tỉnh|địa phương)?\s*,?\s*(?:đồng hạng|cùng hạng|ngang hạng|bằng điểm) với\s+(?:tỉnh\s+|thành phố\s+|tp\.?\s*)?")


def _tied_province(ctx: _Ctx, s: _Sentence, q: Quantity) -> Province | None:
    return _province_right_after(ctx, s, q.end, _TIED_WITH)


_UNITS_34 = _fc(r"/34(?!\d)|(?<!\d)34 (?:tỉnh|địa phương|đơn vị)")
_UNITS_63 = _fc(r"/63(?!\d)|(?<!\d)63 (?:tỉnh|địa phương|đơn vị)|\(cũ\)")


def _ranks_34_units(ctx: _Ctx, s: _Sentence, q: Quantity) -> bool:
    """A 2024-edition DTI figure stated in the 34-unit ranking ("xếp thứ 17/34", "Ở bảng xếp
    hạng 34 địa phương, ..."): only when the sentence says so and names no 63-unit ranking."""
    if q.denominator == 34:
        return True
    if q.denominator is not None:
        return False
    folded = ctx.folded
    return _UNITS_34.search(folded, s.start, s.end) is not None and _UNITS_63.search(folded, s.start, s.end) is None


# The article reports the ranking of the merged units: "Kết quả DTI của tỉnh/TP sau sáp nhập
# được tính toán, xếp hạng ...", "trong số 34 tỉnh, thành phố".
_MERGED_RANKING = _fc(r"sau (?:sáp nhập|hợp nhất)|(?<!\d)34 (?:tỉnh|địa phương|đơn vị)|/34(?!\d)")
_MERGER_DAY = date(2025, 7, 1)


def _article_ranks_34_units(ctx: _Ctx, s: _Sentence, rule: Rule, province: Province, ref_year: int) -> bool:
    """A 2024-edition figure in an article published after the merger that reports the ranking
    of the merged units and never the 63-unit one ("Hà Nội dẫn đầu cả nước ... 0,8241", "Tiếp
    theo là ... Hải Phòng (0,7857)"): a rank is a place among the 34; a score is the merged
    unit's when the unit was formed from several provinces (a unit formed from one keeps the
    province's own score)."""
    if ref_year != 2024 or ctx.published is None or ctx.published < _MERGER_DAY:
        return False
    folded = ctx.folded
    if _MERGED_RANKING.search(folded) is None or _UNITS_63.search(folded) is not None:
        return False
    return rule.number == "rank" or _formed_from_several(province)


@lru_cache(maxsize=128)
def _formed_from_several(province: Province) -> bool:
    code = getattr(province, "merged_into_2025_code", None)
    if not code:
        return False
    return sum(1 for p in load_register().provinces if getattr(p, "merged_into_2025_code", None) == code) > 1


@lru_cache(maxsize=128)
def _merged_unit(province: Province) -> Province | None:
    from dxdata.provinces import register_for

    code = getattr(province, "merged_into_2025_code", None)
    if not code:
        return None
    return next((p for p in register_for(34).provinces if p.code == code), None)


_SUBJECT_JOIN = _fc(r"\s*(?:,|và)\s*(?:tỉnh\s+|thành phố\s+|tp\.?\s*)?")
_SHARED_VERB = _fc(r"(?<!\w)(?:cùng|đều)(?!\w)")


def _shared_subject(ctx: _Ctx, s: _Sentence, q: Quantity) -> list[Province]:
    """"Bình Dương và Đồng Nai cùng đạt 100% ...": the other provinces of a joined subject that
    "cùng"/"đều" says share the figure (the last one is the attributed province)."""
    folded = ctx.folded
    before = [m for m in _info(ctx, s).mentions if m.start < q.start]
    if len(before) < 2:
        return []
    last = before[-1]
    gap = folded[last.end : q.start]
    if not _SHARED_VERB.search(gap) or any(c in gap for c in ",;:()") or len(gap) > 60:
        return []
    out: list[Province] = []
    nxt = last
    for m in reversed(before[:-1]):
        j = _SUBJECT_JOIN.match(folded, m.end, nxt.start)
        if j is None or j.end() != nxt.start:
            break
        if m.province.code != last.province.code and all(p.code != m.province.code for p in out):
            out.append(m.province)
        nxt = m
    return out


_GROUP_SUBJECT = _fc(r"(?<!\w)(?:cả|các|hai|ba)\s+(?:(hai|ba|2|3)\s+)?(?:tỉnh|địa phương|thành phố)(?: này| trên| nói trên)?\s+(?:đều|cùng)(?!\w)")
_GROUP_SIZE = {"hai": 2, "2": 2, "ba": 3, "3": 3}


def _group_subject(ctx: _Ctx, s: _Sentence, pos: int) -> list[Province]:
    """"Cả hai tỉnh đều đã kết nối ...": the provinces named in the paragraph before, when they
    are exactly as many as the sentence says."""
    if ctx.folded.find("đều", s.start, pos) < 0 and ctx.folded.find("cùng", s.start, pos) < 0:
        return []
    m = None
    for m in _GROUP_SUBJECT.finditer(ctx.folded, s.start, pos):
        pass
    if m is None or _info(ctx, s).mentions and any(x.start < pos for x in _info(ctx, s).mentions):
        return []
    # "cả hai tỉnh" names the count after "cả"; "hai tỉnh đều" starts with it.
    size = _GROUP_SIZE.get(m.group(1) or ctx.folded[m.start() : m.end()].split()[0])
    if size is None:
        return []
    named: list[Province] = []
    # The provinces named earlier in the paragraph, else in the paragraph before it.
    for para in (s.para, s.para - 1):
        for x in ctx.mentions_by_para.get(para, ()):
            if x.start < s.start and x.start not in ctx.compared and all(p.code != x.province.code for p in named):
                named.append(x.province)
        if named:
            break
    return named if len(named) == size else []


_RANK_THEN_NAME = _fc(r"\s*(?:là|thuộc về)\s+(?:tỉnh\s+|thành phố\s+|tp\.?\s*)?")


def _named_after_rank(ctx: _Ctx, s: _Sentence, q: Quantity) -> Province | None:
    """"xếp thứ hai là TP. Hồ Chí Minh": the province named right after the rank holds it."""
    return _province_right_after(ctx, s, q.end, _RANK_THEN_NAME)


def _province_right_after(ctx: _Ctx, s: _Sentence, pos: int, pattern: re.Pattern) -> Province | None:
    """The province named where `pattern`, matched at `pos`, ends."""
    m = pattern.match(ctx.folded, pos, s.end)
    if m is None:
        return None
    for mention in _info(ctx, s).mentions:
        if m.start() <= mention.start <= m.end() + 1:
            return mention.province
    return None


_YEAR_AFTER_RANK = _fc(r"\s*(?:điểm\s+)?(?:của\s+|trong\s+|vào\s+)?năm\s+((?:19|20)\d\d)(?!\d)")
# "tăng từ 0,45 điểm (năm 2021) lên 0,55 điểm (năm 2022)": a year of its own in parentheses.
_PAREN_YEAR_AFTER = _fc(r"\s*(?:điểm\s*)?\(\s*(?:năm\s+)?((?:19|20)\d\d)\s*\)")
# "so với năm 2020 (xếp thứ 40/63)", "so với DTI 2020 (52/63)", "so với năm 2022 (0,5878 điểm)":
# the figure in parentheses right after a year is that year's.
# "tăng 5 bậc so với năm trước (25)", "năm ngoái xếp thứ 25": the place of the edition before.
_PREVIOUS_YEAR_PLACE = _fc(
    r"(?<!\w)(?:năm trước|năm ngoái|năm liền trước|kỳ đánh giá trước)\s*(?:\(\s*(?:(?:xếp|đứng)\s+)?(?:thứ\s*|hạng\s*)?"
    r"|\s(?:(?:xếp|đứng)\s+(?:ở\s+)?(?:vị trí\s+|hạng\s+|thứ\s*)*|là\s+(?:thứ\s+)?))$"
)
_ANNOUNCED_IN_BEFORE = _fc(
    r"(?:(?:công bố|ban hành|tổ chức|diễn ra)(?:\s+(?:vào|trong|hồi))?(?:\s+(?:ngày\s+\d{1,2}\s+)?tháng\s+\d{1,2})?"
    r"|tháng\s+\d{1,2}|ngày\s+\d{1,2}(?:\s+tháng\s+\d{1,2})?)\s*,?\s*$"
)
_PAREN_YEAR_RANK = _fc(r"(?:năm|dti)\s+((?:19|20)\d\d)\s*\(\s*(?:(?:xếp|đứng)\s+)?(?:(?:ở\s+)?vị trí\s+|hạng\s+|thứ\s*)*$")
# "tăng 26 bậc so với năm 2021 xếp thứ 53/63": the place held in the edition compared with (no
# comma: "..., so với năm 2021, xếp thứ 27" starts a clause of its own).
_COMPARED_YEAR_RANK = _fc(r"bậc\s+so với\s+(?:dti\s+)?(?:năm\s+)?((?:19|20)\d\d)\s+(?:(?:khi|lúc)\s+)?(?:(?:xếp|đứng)\s+(?:ở\s+)?(?:vị trí\s+|hạng\s+|thứ\s*)*|là\s+(?:thứ\s+|vị trí\s+)?)$")
# "tăng 8 bậc, từ vị trí 30 lên 22": the place before the move is the previous edition's.
_FROM_PLACE_BEFORE = _fc(r"(?<!\w)từ\s+(?:(?:vị trí|hạng|thứ)\s+)+$")
_MOVE_AFTER = _fc(r"\s*(?:điểm\s+)?(?:lên|xuống|vươn lên|tụt xuống|leo lên|rơi xuống)(?!\w)")
# "Điểm DTI tăng từ 0,45 lên 0,55": the score before a move is the previous edition's too.
_FROM_VALUE_BEFORE = _fc(r"(?<!\w)từ\s+(?:mức\s+)?$")


def _previous_place(ctx: _Ctx, s: _Sentence, q: Quantity) -> bool:
    folded = ctx.folded
    pre_end = q.qualifier_start if q.qualifier_start is not None else q.start
    before = _FROM_PLACE_BEFORE if q.kind == "rank" else _FROM_VALUE_BEFORE
    return (
        before.search(folded, max(s.start, pre_end - 30), pre_end) is not None
        and _MOVE_AFTER.match(folded, q.end, s.end) is not None
    )


@lru_cache(maxsize=1)
def _first_edition() -> int:
    return min((e.year for e in load_editions()), default=2020)


def _para_of(s: _Sentence) -> int:
    return s.para


def _paragraph_edition(ctx: _Ctx, para: int, pub: int) -> int | None:
    """The DTI edition a paragraph names last (not after the publication year), found once."""
    if para not in ctx.para_editions:
        found = None
        # Sentences are in paragraph order: start at the paragraph's first (a scan from the
        # article's start for every paragraph made a text of many lines quadratic).
        for i in range(bisect_left(ctx.sentences, para, key=_para_of), len(ctx.sentences)):
            o = ctx.sentences[i]
            if o.para > para:
                break
            for m in DTI_YEAR.finditer(ctx.folded, o.start, o.end):
                if int(m.group(1)) <= pub:
                    found = int(m.group(1))
        ctx.para_editions[para] = found
    return ctx.para_editions[para]


def _edition_earlier_in_paragraph(ctx: _Ctx, i: int, pub: int) -> int | None:
    """The DTI edition (not after `pub`) first named by the nearest sentence before sentence `i`
    of its paragraph that names one. Remembered per sentence, so a paragraph of many ranks is
    walked once, not once per rank."""
    memo = ctx.editions_before
    walked: list[int] = []
    found: int | None = None
    j = i
    while j not in memo:
        walked.append(j)
        if j == 0 or ctx.sentences[j - 1].para != ctx.sentences[j].para:
            break
        o = ctx.sentences[j - 1]
        m = DTI_YEAR.search(ctx.folded, o.start, o.end)
        if m and int(m.group(1)) <= pub:
            found = int(m.group(1))
            break
        j -= 1
    else:
        found = memo[j]
    for k in walked:
        memo[k] = found
    return found


def _dti_year(ctx: _Ctx, s: _Sentence, q: Quantity) -> int | None:
    folded = ctx.folded
    year = None
    # A year after the publication year is a target's ("mục tiêu năm 2025 xếp thứ 20, nhưng hiện
    # mới xếp thứ 28"), never the edition of a rank already achieved.
    pub = ctx.published.year if ctx.published else 9999
    # "tăng 3 bậc so với năm 2020 (xếp thứ 15)": the rank in parentheses is that year's, even
    # though a year after "so với" is otherwise only a comparison base.
    m = _PAREN_YEAR_RANK.search(folded, max(s.start, q.start - 40), q.start) or _COMPARED_YEAR_RANK.search(folded, max(s.start, q.start - 60), q.start)
    if m and int(m.group(1)) <= pub:
        return int(m.group(1))
    # "tăng 5 bậc so với vị trí thứ 26 của năm 2022": the year stated right after the rank.
    m = _YEAR_AFTER_RANK.match(folded, q.end, s.end) or _PAREN_YEAR_AFTER.match(folded, q.end, s.end)
    if m and int(m.group(1)) <= pub:
        return int(m.group(1))
    for m in YEAR.finditer(folded, s.start, q.start):
        if YEAR_IGNORE_BEFORE.search(folded, max(s.start, m.start() - 20), m.start()) or int(m.group(1)) > pub:
            continue
        if _ANNOUNCED_IN_BEFORE.search(folded, max(s.start, m.start() - 40), m.start()):
            continue  # "Tháng 7 năm 2023, Bộ công bố DTI 2022", "DTI 2022 được công bố năm 2023": a date, not the edition
        if folded.rfind("(", s.start, m.start()) > folded.rfind(")", s.start, m.start()) and folded.find(")", m.end(), q.start) >= 0:
            continue  # "(tăng 16 bậc so với xếp hạng 21 của năm 2021), kinh tế số xếp hạng 7": an aside's year
        year = int(m.group(1))
    if year is None:
        # "sau khi cũng xếp thứ 2 trong lần đánh giá đầu tiên năm 2020": a year later in the
        # rank's own clause.
        clause_end = _clause_end(folded, q.end, s.end)
        paren = folded.find("(", q.end, clause_end)
        if paren >= 0:
            clause_end = paren  # "xếp hạng 5 (tăng 16 bậc so với ... năm 2021)": an aside's year
        for m in YEAR.finditer(folded, q.end, clause_end):
            if folded.find("so với", q.end, m.start()) >= 0:
                break  # "xếp hạng 5 (tăng 16 bậc so với xếp hạng 21 của năm 2021)": the base's year
            if not YEAR_IGNORE_BEFORE.search(folded, max(s.start, m.start() - 20), m.start()):
                year = int(m.group(1))
                break
    if year is None:
        for m in DTI_YEAR.finditer(folded, s.start, s.end):
            # "tăng 20 bậc so với DTI 2020 (52/63)": the edition compared with is not this one's.
            if not YEAR_IGNORE_BEFORE.search(folded, max(s.start, m.start() - 20), m.start()):
                year = int(m.group(1))
                break
    if year is None:
        # "Theo Báo cáo DTI năm 2021 ... Theo đó, Ninh Bình đứng thứ 6": the edition named earlier
        # in the paragraph, else in the title.
        earlier = _edition_earlier_in_paragraph(ctx, bisect_left(ctx.sentence_starts, s.start), pub)
        if earlier is not None:
            return earlier
        # Pages that give each sentence its own line name the edition in the paragraph before or
        # in the sapo (the lead paragraph), not in some earlier history paragraph.
        for para in (s.para - 1, ctx.lead_para):
            if 0 <= para < s.para:
                edition = _paragraph_edition(ctx, para, pub)
                if edition is not None:
                    return edition
        m = DTI_YEAR.search(ctx.title_folded)
        if m:
            year = int(m.group(1))
    return year if year is None or year <= pub else None


@lru_cache(maxsize=4)
def _statement_words(path: Path | None = None) -> frozenset[str] | None:
    """Every word a statement cue needs (None when some statement cue has none derivable)."""
    words: set[str] = set()
    for rule in load_rules(path):
        if rule.number != "boolean":
            continue
        for cue in rule.cues:
            if cue.where != "stmt":
                continue
            if cue.literals is None:
                return None
            words |= cue.literals
    return frozenset(words)


def _scan_statements(ctx: _Ctx, s: _Sentence, prev_folded: str, article, norm, facts, targets, candidates) -> None:
    """Indicators stated without a number ("LGSP đã kết nối với NDXP" = 1): the first matching
    cue per indicator and sentence."""
    folded = ctx.folded
    if ctx.statement_spans is not None:
        # No statement cue's words in the sentence: nothing to look for.
        spans = ctx.statement_spans
        i = bisect_left(spans, (s.start, -1))
        if not any(e <= s.end for _, e in spans[i : bisect_left(spans, (s.end, -1))]):
            return
    for rule in ctx.statement_rules:
        for cue in rule.cues:
            if cue.where != "stmt" or (cue.literals is not None and cue.literals.isdisjoint(_inside(ctx, s))):
                continue
            m = cue.regex.search(folded, s.start, s.end)
            if not m:
                continue
            q = Quantity(m.start(), m.end(), 1.0, "statement")
            local = folded[s.start : m.end()]
            province, how_prov, prov_conf = _attribute(ctx, s, m.start())
            is_target, target_year = _is_target(ctx, s, q, s.end)
            if is_target or (rule.exclusions is not None and rule.exclusions.search(local)):
                if is_target or TARGET_MARKERS.search(local):
                    year = target_year or (ctx.published.year if ctx.published else None)
                    targets.append(_make_fact(article, norm, ctx, s, rule, 1.0, "exact", province, year, None,
                                              f"target:{rule.indicator_id}#{cue.n}", 0.9, "target or plan", (m.start(), m.end()), None))
                break
            if _in_subunit_scope(ctx, s, q, s.end) or _is_national(ctx, s, q):
                break
            ref_year, ref_date, _ = _period(ctx, s, q, s.end)
            notes = [] if province else [f"no province attributable ({how_prov})"]
            conf = 0.9 * (prov_conf if province else 1.0)
            if ref_year is None:
                conf = min(conf, 0.3)
                notes.append("no publication date for a present-state statement")
            facts.append(_make_fact(article, norm, ctx, s, rule, 1.0, "exact", province, ref_year, ref_date,
                                    f"cue:{rule.indicator_id}#{cue.n}", conf, "; ".join(notes) or None, (m.start(), m.end()), None))
            group = _group_subject(ctx, s, m.start())
            if group and province is None:
                province, conf, notes = group[0], 0.9 * 0.9, [n for n in notes if not n.startswith("no province")]
                facts[-1] = _make_fact(article, norm, ctx, s, rule, 1.0, "exact", province, ref_year, ref_date,
                                       f"cue:{rule.indicator_id}#{cue.n}+group", conf, "; ".join(notes) or None, (m.start(), m.end()), None)
            for other in (p for p in group if province is None or p.code != province.code):
                facts.append(_make_fact(article, norm, ctx, s, rule, 1.0, "exact", other, ref_year, ref_date,
                                        f"cue:{rule.indicator_id}#{cue.n}+group", conf, "; ".join(notes) or None, (m.start(), m.end()), None))
            break


def _error_fact(article: Article, norm, s: _Sentence, exc: Exception) -> Fact:  # pragma: no cover
    qs, qe = norm.to_original(s.start, s.end)
    return Fact("", None, None, 0, None, float("nan"), "", "exact", article.source_id,
                (article.clean_text or "")[qs:qe], qs, qe, "error", confidence=0.0, note=f"extraction error: {exc!r}")


# --- command line --------------------------------------------------------------------------------
def fact_json(f: Fact, path: str | None = None) -> dict:
    row = {
        "indicator_id": f.indicator_id,
        "province": f.province,
        "province_code": f.province_code,
        "value": f.value,
        "unit": f.unit,
        "qualifier": f.qualifier,
        "ref_year": f.ref_year,
        "ref_date": f.ref_date,
        "rank_of": f.rank_of,
        "quote": f.quote,
        "start": f.quote_start,
        "end": f.quote_end,
        "method": f.method,
        "confidence": f.confidence,
        "note": f.note,
        "source_id": f.source_id,
    }
    if path is not None:
        row["file"] = path
    return row


def article_from_file(path: Path, published: date | None = None) -> Article:
    """A plain-text article file (UTF-8, first line the title) as an Article; clear errors.
    The path "-" reads standard input, so a page can be piped in. With a JSON sidecar beside the
    file (a bundled source), the article is read as the pipeline reads it: the sidecar's
    published_at dates it when `published` is not given, and a sidecar without a date, or
    otherwise invalid, is an error."""
    from dxdata.ingest import SourceError, article_from_text, read_metadata

    if str(path) == "-":
        path = Path("stdin")
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            raise SourceFileError("stdin: no text on standard input")
        _refuse_unreadable(path, raw)
        return article_from_text(_decoded(raw, path), source_id="stdin", published=published)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise SourceFileError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    _refuse_unreadable(Path(path), raw)
    if Path(path).with_suffix(".json").exists():
        try:
            meta = read_metadata(Path(path))
        except SourceError as exc:
            raise SourceFileError(str(exc)) from exc
        return article_from_text(_decoded(raw, path), source_id=meta["source_id"], published=published, metadata=meta)
    return article_from_text(_decoded(raw, path), source_id=Path(path).stem, published=published)


def _refuse_unreadable(path: Path, raw: bytes) -> None:
    """The ingest rules for article text (control characters, empty text), on a file or stdin."""
    from dxdata.ingest import text_problems

    problems = text_problems(path, raw)
    if problems:
        raise SourceFileError("; ".join(problems))


def _decoded(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


class SourceFileError(ValueError):
    pass


def cli_extract(paths: list[Path], *, fmt: str, published: str | None) -> int:
    """`dxdata extract`: one JSON object per fact on stdout (or an aligned table)."""
    pub = None
    if published:
        try:
            pub = date.fromisoformat(published)
        except ValueError:
            print(f"error: --published {published!r} is not a date YYYY-MM-DD", file=sys.stderr)
            return 2
    status = 0
    for path in paths:
        try:
            article = article_from_file(Path(path), pub)
        except SourceFileError as exc:
            print(f"error: {exc}", file=sys.stderr)
            status = 2
            continue
        try:
            result = extract_article(article)
        except ExtractionError as exc:
            print(f"error: {path}: {exc}", file=sys.stderr)
            status = 2
            continue
        if article.published is None:
            print(f"warning: {path}: no publication date (no dateline; use --published); present-state facts are held back", file=sys.stderr)
        if fmt == "jsonl":
            for f in result.facts:
                sys.stdout.write(json.dumps(fact_json(f, str(path)), ensure_ascii=False) + "\n")
        else:
            for f in result.facts:
                sys.stdout.write(
                    f"{f.indicator_id:36} {str(f.province):18} {f.value:>20,.15g} {f.unit:8} {f.qualifier:7} "
                    f"{f.ref_year} {f.ref_date or '':10} {f.method}\n"
                )
    return status
