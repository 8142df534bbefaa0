"""Editor reviews of real sources: one CSV per source under `sources/reviews/<source_id>.csv`.

A review lists every catalogue fact a careful reader finds in the source's text, and a decision
on each fact the extraction engine proposed (docs/reviews.md has the format):

- `accepted`: the engine proposed this fact and it is right;
- `corrected`: the engine proposed this indicator and province with a wrong value, qualifier or
  period; the row holds the right fact and `engine_value` the engine's value;
- `missed`: a right fact the engine did not propose;
- `rejected`: a wrong fact the engine proposed, as it proposed it; never published, not gold.

Gold (what the release publishes for a reviewed source, and what evaluation scores against) is
accepted + corrected + missed. Every row is checked against the source's clean text: the quote
must occur in it and must state the value (read with the engine's own number grammar, so
"1.219" is 1219, "98,5" is 98.5 and "1,2 nghìn tỷ" is 1.2e12). Any problem is a `ReviewError`
naming the file and the line.

The blind split: a third of the sources, chosen by a hash of the source_id salted with
`SPLIT_SEED`, is never used to tune the engine (`is_blind`, `dxdata split`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from dxdata import paths

REVIEW_COLUMNS = (
    "indicator_id", "province", "value", "qualifier", "ref_year", "ref_date",
    "quote", "decision", "engine_value", "reason", "reviewer", "reviewed_on",
)
DECISIONS = ("accepted", "corrected", "missed", "rejected")
GOLD_DECISIONS = ("accepted", "corrected", "missed")
# Decisions about a fact the engine proposed (the others are the reader's own finds).
ENGINE_DECISIONS = ("accepted", "corrected", "rejected")
VALUE_TOLERANCE = 0.005  # the same 0.5 % as dxdata.evaluate: "2.300" may be read as 2,3 nghìn

# The draw of the blind split. Changing it redraws the split and spoils the blind third: never do.
SPLIT_SEED = "dxdata-issue13-blind-split-2026-12-07"
BLIND_SHARE = 3  # one source in three


class ReviewError(ValueError):
    """A review file that cannot be used; the message names the file, the line and the problem."""


@dataclass(frozen=True)
class ReviewRow:
    line: int  # line of the CSV file the row starts on
    indicator_id: str
    province: str  # register name
    province_code: str
    value: float
    qualifier: str
    ref_year: int
    ref_date: str | None
    quote: str
    decision: str
    engine_value: float | None
    reason: str
    reviewer: str
    reviewed_on: str
    quote_start: int  # the quote's first occurrence in the clean text
    quote_end: int

    @property
    def is_gold(self) -> bool:
        return self.decision in GOLD_DECISIONS


@dataclass
class Review:
    source_id: str
    path: Path
    rows: list[ReviewRow] = field(default_factory=list)

    @property
    def gold(self) -> list[ReviewRow]:
        return [r for r in self.rows if r.is_gold]

    @property
    def rejected(self) -> list[ReviewRow]:
        return [r for r in self.rows if r.decision == "rejected"]


# --- the blind split -----------------------------------------------------------------------------


def is_blind(source_id: str) -> bool:
    """Is this source in the blind third? A seeded hash of the id: stable as sources are added."""
    digest = hashlib.sha256(f"{SPLIT_SEED}\0{source_id}".encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % BLIND_SHARE == 0


def split_of(source_id: str) -> str:
    return "blind" if is_blind(source_id) else "dev"


def in_split(source_id: str, split: str) -> bool:
    """split: "blind", "dev" or "all"."""
    return split == "all" or split_of(source_id) == split


# --- where reviews live --------------------------------------------------------------------------


def reviews_dir() -> Path:
    return paths.sources_dir() / "reviews"


def review_path(source_id: str, folder: Path | None = None) -> Path:
    return Path(folder or reviews_dir()) / f"{source_id}.csv"


def review_fingerprint(source_id: str, folder: Path | None = None) -> str | None:
    """SHA-256 of a source's review file, None when it has none."""
    path = review_path(source_id, folder)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


# --- reading and checking ------------------------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")
# First and last places in words, however the sentence goes on ("TP.HCM đứng đầu và ...").
_FIRST_WORDS = re.compile(r"(?<!\w)(?:đứng đầu|dẫn đầu|ngôi đầu|xếp đầu|vị trí đầu|quán quân|thứ nhất|số một)(?!\w)")
_LAST_WORDS = re.compile(r"(?<!\w)(?:đứng cuối|xếp cuối|cuối bảng|chót bảng|bét bảng|vị trí cuối)(?!\w)")
_SCALE_AFTER = re.compile(r"\s*(triệu tỷ|nghìn tỷ|ngàn tỷ|nghìn|ngàn|triệu|tỷ)(?!\w)")


def quote_values(quote: str) -> list[float]:
    """Every value the quote states, read with the engine's number grammar both ways round
    (Vietnamese and English separators), with scale words, ranks in words and ranges; and each
    bare digit run, so a number the grammar sets aside (a year, a date) still counts as written."""
    from dxdata.numbers import SCALES, parse_number, scan_quantities
    from dxdata.text import fold

    folded = fold(quote)
    found: list[float] = []
    for style in ("vn", "en"):
        for q in scan_quantities(folded, style=style):
            found.extend(v for v in (q.value, q.high, q.alt_value) if v is not None)
    for m in _TOKEN.finditer(folded):
        scale = _SCALE_AFTER.match(folded, m.end())
        factor = SCALES[scale.group(1)] if scale else 1.0
        for style in ("vn", "en"):
            reading = parse_number(m.group(0), style)
            if reading is not None:
                found.extend((reading, reading * factor))
    lowered = _nfc(quote).lower()
    if _FIRST_WORDS.search(lowered):
        found.append(1.0)
    if _LAST_WORDS.search(lowered):
        found.extend((63.0, 34.0))  # the last of the 63 provinces, or of the 34 since the 2025 merger
    return found


def value_in_quote(value: float, quote: str) -> bool:
    return any(abs(v - value) <= VALUE_TOLERANCE * abs(value) if value else v == 0 for v in quote_values(quote))


def find_quote(text: str, quote: str) -> tuple[int, int] | None:
    """Where the quote first occurs in the text, any run of white space (a no-break space, a line
    break) matching any other, so a reader's copy of a sentence is found as the page wrote it."""
    words = quote.split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return (m.start(), m.end()) if m else None


def _number(text: str) -> float:
    """A plain number with a '.' decimal point, as the gold format writes values."""
    if not re.fullmatch(r"-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?", text):
        raise ValueError(f"{text!r} is not a plain number (write 1219, 98.5 or 1200000000000: '.' before decimals, no grouping)")
    return float(text)


def read_review(path: Path, text: str, *, source_id: str | None = None) -> Review:
    """Read and check the review file `path` of a source whose clean text is `text`.
    Raises ReviewError naming the file and line of the first problem."""
    from dxdata.catalogue import load_catalogue
    from dxdata.model import QUALIFIERS
    from dxdata.provinces import load_register

    path = Path(path)
    source_id = source_id or path.stem
    try:
        raw = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ReviewError(f"{path}: cannot read the review ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise ReviewError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    raw = _nfc(raw.removeprefix("\ufeff"))
    text = _nfc(text)
    catalogue = load_catalogue()
    register = load_register()
    reader = csv.reader(io.StringIO(raw, newline=""))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != REVIEW_COLUMNS:
        raise ReviewError(f"{path}:1: the header must be exactly {','.join(REVIEW_COLUMNS)} (found {','.join(header or [])!r})")

    review = Review(source_id, path)
    seen: dict[tuple, int] = {}
    line = reader.line_num + 1
    for cells in reader:
        where = f"{path}:{line}"
        next_line = reader.line_num + 1
        if not any(c.strip() for c in cells):
            line = next_line
            continue
        if len(cells) != len(REVIEW_COLUMNS):
            raise ReviewError(f"{where}: {len(cells)} cells, expected {len(REVIEW_COLUMNS)} (a comma inside a quote needs the cell in double quotes)")
        row = {k: (v if k == "quote" else v.strip()) for k, v in zip(REVIEW_COLUMNS, cells)}
        review.rows.append(_check_row(row, where, line, text, catalogue, register, QUALIFIERS))
        r = review.rows[-1]
        key = (r.indicator_id, r.province_code, r.ref_year, r.ref_date) if r.is_gold else (r.indicator_id, r.province_code, r.value, "rejected")
        if key in seen:
            what = "fact (indicator, province, ref_year, ref_date)" if r.is_gold else "rejected fact"
            raise ReviewError(f"{where}: duplicate {what} {r.indicator_id} {r.province} {r.ref_year} {r.ref_date or ''}: already on line {seen[key]}")
        seen[key] = line
        line = next_line
    return review


def _check_row(row: dict, where: str, line: int, text: str, catalogue: dict, register, qualifiers) -> ReviewRow:
    decision = row["decision"]
    if not decision:
        raise ReviewError(
            f"{where}: decision is empty: an undecided proposal (from `dxdata review --init`); "
            f"set it to one of {', '.join(DECISIONS)}, or delete the row"
        )
    if decision not in DECISIONS:
        raise ReviewError(f"{where}: unknown decision {decision!r} (one of {', '.join(DECISIONS)})")
    indicator = row["indicator_id"]
    if indicator not in catalogue:
        raise ReviewError(f"{where}: unknown indicator {indicator!r} (not in schemas/indicators.csv)")
    province = register.lookup(row["province"]) if row["province"] else None
    if province is None:
        raise ReviewError(f"{where}: unknown province {row['province']!r} (use a `name` of sources/registers/provinces.csv)")
    try:
        value = _number(row["value"])
    except ValueError as exc:
        raise ReviewError(f"{where}: value {exc}") from exc
    if row["qualifier"] not in qualifiers:
        raise ReviewError(f"{where}: qualifier {row['qualifier']!r} is not one of {', '.join(qualifiers)}")
    if not re.fullmatch(r"20\d\d", row["ref_year"]):
        raise ReviewError(f"{where}: ref_year {row['ref_year']!r} is not a year from 2000 on")
    ref_year = int(row["ref_year"])
    ref_date = row["ref_date"] or None
    if ref_date is not None:
        try:
            when = date.fromisoformat(ref_date)
        except ValueError as exc:
            raise ReviewError(f"{where}: ref_date {ref_date!r} is not a date YYYY-MM-DD") from exc
        if when.year != ref_year:
            raise ReviewError(f"{where}: ref_date {ref_date} is not in ref_year {ref_year}")
    quote = _nfc(row["quote"])
    if not quote.strip():
        raise ReviewError(f"{where}: quote is empty (copy the words the fact rests on from the text)")
    found = find_quote(text, quote)
    if found is None:
        raise ReviewError(f"{where}: quote not in the source's text: {quote[:120]!r}")
    start, end = found
    quote = text[start:end]  # as the text writes it (a no-break space stays one)
    unit = catalogue[indicator]["unit"]
    impossible = _impossible_for_unit(value, unit)
    if impossible:
        raise ReviewError(f"{where}: value {value:g} is impossible for {indicator} (unit {unit}: {impossible})")
    if unit != "boolean" and not value_in_quote(value, quote):
        raise ReviewError(f"{where}: the quote does not contain the value {value:g} ({indicator}): {quote[:120]!r}")
    engine_value = None
    if decision == "corrected":
        if not row["engine_value"]:
            raise ReviewError(f"{where}: a corrected row needs engine_value (the value the engine proposed)")
        try:
            engine_value = _number(row["engine_value"])
        except ValueError as exc:
            raise ReviewError(f"{where}: engine_value {exc}") from exc
    elif row["engine_value"]:
        raise ReviewError(f"{where}: engine_value is only for corrected rows (this one is {decision})")
    if decision in ("corrected", "rejected") and not row["reason"]:
        raise ReviewError(f"{where}: a {decision} row needs a reason (what the engine got wrong)")
    if not row["reviewer"]:
        raise ReviewError(f"{where}: reviewer is empty (who reviewed the row)")
    try:
        date.fromisoformat(row["reviewed_on"])
    except ValueError as exc:
        raise ReviewError(f"{where}: reviewed_on {row['reviewed_on']!r} is not a date YYYY-MM-DD") from exc
    return ReviewRow(
        line=line, indicator_id=indicator, province=province.name, province_code=province.code, value=value,
        qualifier=row["qualifier"], ref_year=ref_year, ref_date=ref_date, quote=quote, decision=decision,
        engine_value=engine_value, reason=row["reason"], reviewer=row["reviewer"], reviewed_on=row["reviewed_on"],
        quote_start=start, quote_end=end,
    )


# The fact tables' row rules (schemas/tables.py), said to an editor rather than found later by the
# release's checks.
_UNIT_RULES = {
    "percent": (lambda v: 0 <= v <= 100, "a percentage from 0 to 100"),
    "index": (lambda v: 0 <= v <= 1, "an index from 0 to 1 (write 0.8241, not 82.41)"),
    "count": (lambda v: v >= 0 and v % 1 == 0, "a whole number"),
    "vnd": (lambda v: v >= 0 and v % 1 == 0, "the full amount in đồng, a whole number"),
    "rank": (lambda v: v >= 1 and v % 1 == 0, "a place from 1"),
    "boolean": (lambda v: v in (0, 1), "1 (yes) or 0"),
}


def _impossible_for_unit(value: float, unit: str) -> str | None:
    rule = _UNIT_RULES.get(unit)
    return rule[1] if rule is not None and not rule[0](value) else None


def load_review(source_id: str, text: str, folder: Path | None = None) -> Review | None:
    """The checked review of a source, or None when it has no review file."""
    path = review_path(source_id, folder)
    return read_review(path, text, source_id=source_id) if path.exists() else None


def reviewed_source_ids(folder: Path | None = None) -> list[str]:
    return sorted(p.stem for p in Path(folder or reviews_dir()).glob("*.csv"))


# --- the engine's proposals beside a review --------------------------------------------------------


def same_fact(fact, row: ReviewRow, value: float | None = None) -> bool:
    """Does an engine fact name the same indicator and province as the row, with `value` (the
    row's own value unless given) within the tolerance?"""
    value = row.value if value is None else value
    close = abs(fact.value - value) <= VALUE_TOLERANCE * abs(value) if value else fact.value == 0
    return fact.indicator_id == row.indicator_id and (fact.province_code or "") == row.province_code and close


def pair_engine_facts(review: Review | None, facts: list) -> tuple[list[tuple[object, ReviewRow | None]], list[ReviewRow]]:
    """Each engine fact with the review row that decided it (None: not yet reviewed), and the
    review rows no engine fact answers to (missed facts, and decisions on facts the engine no
    longer proposes)."""
    rows = list(review.rows) if review else []
    left = [r for r in rows if r.decision in ENGINE_DECISIONS]
    paired: list[tuple[object, ReviewRow | None]] = []
    for f in facts:
        hit = next(
            (r for r in left if same_fact(f, r, r.engine_value if r.decision == "corrected" else None)),
            None,
        )
        if hit is not None:
            left.remove(hit)
        paired.append((f, hit))
    used = {id(r) for _, r in paired if r is not None}
    unanswered = [r for r in rows if id(r) not in used]
    return paired, unanswered
