"""Table sources: the official DTI 2022 table, the press-reported DTI figures, and the reference
tables (province registers, DTI editions) that every release carries.

A table's "clean text" is the file decoded as UTF-8 and normalised to NFC; each fact quotes its
CSV line verbatim with character offsets into that text, exactly as article facts quote a
sentence, so one provenance check (`text[quote_start:quote_end] == quote`) covers both kinds.
Citations live in a JSON sidecar next to each file (`<table>.json`), not in code.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from dxdata import paths
from dxdata.catalogue import load_catalogue
from dxdata.model import METHOD_OFFICIAL_TABLE, METHOD_PRESS_TABLE, Fact
from dxdata.provinces import (
    UNIT_SET_2025,
    UNIT_SET_PRE_2025,
    Province,
    UnknownProvinceError,
    load_register,
    load_register_2025,
    register_for,
)


class TableSourceError(ValueError):
    """A table source is malformed: the message names the file, the line and the problem."""


# CSV column -> catalogue indicator. Ranks get rank_of = size of the ranking (unit_set).
RANK_COLUMNS = {
    "rank": "dti.rank",
    "rank_digital_government": "dti.rank_digital_government",
    "rank_digital_economy": "dti.rank_digital_economy",
    "rank_digital_society": "dti.rank_digital_society",
}
OFFICIAL_SCORE_COLUMNS = {
    "score_overall": "dti.score",
    "score_digital_awareness": "dti.score_digital_awareness",
    "score_digital_institutions": "dti.score_digital_institutions",
    "score_digital_infrastructure": "dti.score_digital_infrastructure",
    "score_digital_workforce": "dti.score_digital_workforce",
    "score_cybersecurity": "dti.score_cybersecurity",
    "score_digital_government_ops": "dti.score_digital_government_ops",
    "score_digital_economy_ops": "dti.score_digital_economy_ops",
    "score_digital_society_ops": "dti.score_digital_society_ops",
}
OFFICIAL_REQUIRED = ("year", "rank", "province")
REPORTED_REQUIRED = ("edition", "unit_set", "province_code", "province", "province_as_written", "indicator_id",
                     "value", "source_url", "source_title", "published", "quote", "note")


def dti_dir() -> Path:
    return paths.tables_dir() / "dti"


def official_dti_path() -> Path:
    return dti_dir() / "dti_provincial_2022.csv"


def press_dti_path() -> Path:
    """The compiled table of DTI values stated by pages: one row per value per page."""
    return dti_dir() / "dti_reported_values.csv"


def editions_path() -> Path:
    return dti_dir() / "editions.csv"


# --- reading a table as text with line offsets ------------------------------------------------


@dataclass(frozen=True)
class TableRow:
    """One CSV record with the exact text span it occupies in the table's clean text."""

    line_no: int  # 1-based physical line where the record starts
    values: dict[str, str]
    quote: str
    start: int
    end: int


def read_clean_text(path: Path) -> str:
    """The text that quotes and offsets refer to: UTF-8 (BOM dropped), NFC."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TableSourceError(f"{path}: table source not found") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableSourceError(f"{path}: not valid UTF-8 ({exc.reason} at byte {exc.start})") from None
    return unicodedata.normalize("NFC", text)


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_table_rows(path: Path, required: tuple[str, ...]) -> tuple[str, list[TableRow]]:
    """Parse a CSV file into records that remember their verbatim line and its offsets."""
    text = read_clean_text(path)
    # Split exactly as the csv reader counts lines (str.splitlines also breaks at U+2028 and
    # friends, which would shift every offset after such a character).
    lines = list(io.StringIO(text, newline=""))
    line_starts = [0]
    for line in lines:
        line_starts.append(line_starts[-1] + len(line))

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise TableSourceError(f"{path}: empty table (no header line)") from None
    missing = [c for c in required if c not in header]
    if missing:
        raise TableSourceError(f"{path}: missing columns {missing} (header: {header})")

    rows: list[TableRow] = []
    first_line = reader.line_num + 1
    try:
        for record in reader:
            last_line = reader.line_num
            if not record or all(not cell.strip() for cell in record):
                first_line = last_line + 1
                continue
            if len(record) != len(header):
                raise TableSourceError(
                    f"{path}:{first_line}: {len(record)} fields where the header has {len(header)}"
                )
            start = line_starts[first_line - 1]
            end = line_starts[last_line - 1] + len(lines[last_line - 1].rstrip("\r\n"))
            values = {k: v.strip() for k, v in zip(header, record)}
            rows.append(TableRow(first_line, values, text[start:end], start, end))
            first_line = last_line + 1
    except csv.Error as exc:
        raise TableSourceError(f"{path}:{reader.line_num}: unreadable CSV ({exc})") from None
    return text, rows


def _int(row: TableRow, column: str, path: Path, *, low: int | None = None, high: int | None = None) -> int:
    raw = row.values[column]
    try:
        value = int(raw)
    except ValueError:
        raise TableSourceError(f"{path}:{row.line_no}: column {column} is {raw!r}, not a whole number") from None
    if (low is not None and value < low) or (high is not None and value > high):
        raise TableSourceError(f"{path}:{row.line_no}: column {column} is {value}, outside [{low}, {high}]")
    return value


def _score(row: TableRow, column: str, path: Path) -> float | None:
    raw = row.values.get(column, "")
    if raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise TableSourceError(f"{path}:{row.line_no}: column {column} is {raw!r}, not a number (use '.' decimals)") from None
    if not math.isfinite(value) or not 0 <= value <= 1:
        raise TableSourceError(f"{path}:{row.line_no}: column {column} is {raw}, outside the index range [0, 1]")
    return value


# --- province names as tables write them -----------------------------------------------------

# Qualifiers that tables put around a register name. "former" / "new" also say which map the
# name refers to, so they are checked against the row's unit_set instead of being ignored.
_LEADING = re.compile(r"^(?P<word>former|old|new|tỉnh|thành phố|tp\.?)\s+", re.IGNORECASE)
_TRAILING = re.compile(r"\s+(?P<word>province|city|\(cũ\)|\(mới\)|cũ|mới)$", re.IGNORECASE)
_UNIT_SET_OF_WORD = {
    "former": UNIT_SET_PRE_2025,
    "old": UNIT_SET_PRE_2025,
    "(cũ)": UNIT_SET_PRE_2025,
    "cũ": UNIT_SET_PRE_2025,
    "new": UNIT_SET_2025,
    "(mới)": UNIT_SET_2025,
    "mới": UNIT_SET_2025,
}


def _strip_qualifiers(name: str) -> tuple[str, list[str]]:
    words: list[str] = []
    current = " ".join(unicodedata.normalize("NFC", name).split())
    while True:
        m = _LEADING.match(current) or _TRAILING.search(current)
        if not m:
            return current, words
        words.append(m.group("word").casefold())
        current = (current[: m.start()] + current[m.end() :]).strip()


def resolve_province_name(name: str, unit_set: int, *, where: str) -> Province:
    """Resolve a province name as written in a table source against the register of `unit_set`.

    Register names and aliases match first; otherwise leading "former" / "new" / "Tỉnh" /
    "Thành phố" / "TP" and trailing "Province" / "City" / "(cũ)" / "(mới)" are dropped and the
    rest must match. A "former" name in a 34-unit row (or "new" in a 63-unit row) is an error.
    """
    if unit_set not in (UNIT_SET_PRE_2025, UNIT_SET_2025):
        raise UnknownProvinceError(f"{where}: unit_set {unit_set} is neither 63 nor 34")
    register = register_for(unit_set)
    found = register.lookup(name)
    if found is not None:
        return found
    bare, words = _strip_qualifiers(name)
    for word in words:
        implied = _UNIT_SET_OF_WORD.get(word)
        if implied is not None and implied != unit_set:
            raise UnknownProvinceError(
                f"{where}: province name {name!r} says {word!r} (the {implied}-unit map) in a row for the {unit_set}-unit map"
            )
    found = register.lookup(bare) if bare else None
    if found is None:
        raise UnknownProvinceError(
            f"{where}: unknown province name {name!r} (not in the {unit_set}-unit province register)"
        )
    return found


# --- sidecar metadata --------------------------------------------------------------------------

SIDECAR_FIELDS = ("source_id", "kind", "title", "publisher", "language", "licence", "citation")


def load_sidecar(table_path: Path) -> dict:
    """The citation sidecar `<table>.json` of a table source."""
    sidecar = table_path.with_suffix(".json")
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TableSourceError(f"{sidecar}: metadata sidecar missing for table source {table_path.name}") from None
    except json.JSONDecodeError as exc:
        raise TableSourceError(f"{sidecar}: invalid JSON ({exc})") from None
    missing = [k for k in SIDECAR_FIELDS if not meta.get(k)]
    if missing:
        raise TableSourceError(f"{sidecar}: missing fields {missing}")
    return meta


def _source_id_for(path: Path) -> str:
    """The sidecar's source_id when there is a sidecar (the bundled tables), else the file stem."""
    sidecar = path.with_suffix(".json")
    return load_sidecar(path)["source_id"] if sidecar.exists() else path.stem


def _url_for(path: Path) -> str | None:
    sidecar = path.with_suffix(".json")
    return load_sidecar(path).get("url") if sidecar.exists() else None


# --- facts -------------------------------------------------------------------------------------


def _fact(
    row: TableRow,
    province: Province,
    indicator_id: str,
    value: float,
    *,
    year: int,
    source_id: str,
    method: str,
    unit_set: int,
    note: str | None,
) -> Fact:
    unit = load_catalogue()[indicator_id]["unit"]
    return Fact(
        indicator_id=indicator_id,
        province_code=province.code,
        province=province.name,
        ref_year=year,
        ref_date=None,
        value=float(value),
        unit=unit,
        qualifier="exact",
        source_id=source_id,
        quote=row.quote,
        quote_start=row.start,
        quote_end=row.end,
        method=method,
        unit_set=unit_set,
        rank_of=unit_set if unit == "rank" else None,
        confidence=1.0,
        note=note,
    )


def official_dti_facts(path: Path | None = None) -> list[Fact]:
    """Ranks of all 63 provinces and the nine index values where published, from the official
    DTI table. Ties stay as published (two provinces at 15, none at 16)."""
    path = Path(path) if path else official_dti_path()
    _, rows = read_table_rows(path, OFFICIAL_REQUIRED)
    source_id = _source_id_for(path)
    url = _url_for(path)
    facts: list[Fact] = []
    # Ties are legitimate in the official list; counting them lets the note say so.
    rank_counts = Counter((_int(row, "year", path), _int(row, "rank", path)) for row in rows)
    for row in rows:
        where = f"{path}:{row.line_no}"
        year = _int(row, "year", path, low=2000, high=2100)
        province = resolve_province_name(row.values["province"], UNIT_SET_PRE_2025, where=where)
        base_note = f"official table {url}" if url else "official table"

        def rank_note(column: str, rank: int) -> str:
            if column == "rank" and rank_counts[(year, rank)] > 1:
                return f"{base_note}; tied rank {rank} as published, so rank {rank + 1} is not used"
            return base_note

        facts += _row_facts(row, path, province, year=year, source_id=source_id, method=METHOD_OFFICIAL_TABLE,
                            unit_set=UNIT_SET_PRE_2025, score_columns=OFFICIAL_SCORE_COLUMNS, note=base_note,
                            rank_note=rank_note)
    _check_unique(facts, path)
    return facts


def page_source_id(url: str) -> str:
    """The source_id of one page cited by a compiled table: readable (the site's host) and stable
    (a hash of the whole URL), so the same page keeps its id from release to release."""
    host = urlsplit(url).netloc.lower().removeprefix("www.")
    return f"page-{host}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:8]}"


def official_table_urls() -> set[str]:
    """URLs of the bundled official tables: a compiled row citing one of them is read from the
    official transcription instead, so the same value is not published twice."""
    out = set()
    for path in table_source_paths():
        meta = load_sidecar(path) if path.with_suffix(".json").exists() else {}
        if meta.get("kind") == "official_table" and meta.get("url"):
            out.add(meta["url"])
    return out


def _reported_value(row: TableRow, path: Path, indicator_id: str, unit_set: int) -> float:
    unit = load_catalogue()[indicator_id]["unit"]
    if unit == "rank":
        return float(_int(row, "value", path, low=1, high=unit_set))
    value = _score(row, "value", path)
    if value is None:
        raise TableSourceError(f"{path}:{row.line_no}: column value is empty")
    return value


def press_dti_facts(path: Path | None = None) -> list[Fact]:
    """Every DTI value a page states, one fact per row of the compiled table. Each fact's source
    is the page itself (`page_source_id`), so its row of the `sources` table gives that page's
    one URL, title and date. Rows of the 34-unit ranking keep unit_set 34, the new codes and
    rank_of 34. Rows citing a bundled official table are left to that table."""
    path = Path(path) if path else press_dti_path()
    _, rows = read_table_rows(path, REPORTED_REQUIRED)
    catalogue = load_catalogue()
    official = official_table_urls()
    facts: list[Fact] = []
    for row in rows:
        where = f"{path}:{row.line_no}"
        url = row.values["source_url"]
        if not re.match(r"^https?://\S+$", url):
            raise TableSourceError(f"{where}: source_url {url!r} is not one http(s) URL")
        if url in official:
            continue
        year = _int(row, "edition", path, low=2000, high=2100)
        unit_set = _int(row, "unit_set", path)
        if unit_set not in (UNIT_SET_PRE_2025, UNIT_SET_2025):
            raise TableSourceError(f"{where}: unit_set is {unit_set}, expected 63 or 34")
        indicator_id = row.values["indicator_id"]
        if indicator_id not in catalogue or catalogue[indicator_id]["theme"] != "rankings":
            raise TableSourceError(f"{where}: indicator_id {indicator_id!r} is not a DTI indicator of the catalogue")
        # The name as the page wrote it must name the unit the row's code and register name say.
        written = row.values["province_as_written"]
        province = resolve_province_name(written, unit_set, where=where)
        stated_code = row.values["province_code"]
        if stated_code != province.code or row.values["province"] not in ("", province.name):
            raise TableSourceError(
                f"{where}: province {written!r} is code {province.code} ({province.name}) in the "
                f"{unit_set}-unit register, but the row says province_code {stated_code!r} ({row.values['province']})"
            )
        note = f"reported by {url}" + (f"; {row.values['note']}" if row.values["note"] else "")
        facts.append(_fact(row, province, indicator_id, _reported_value(row, path, indicator_id, unit_set), year=year,
                           source_id=page_source_id(url), method=METHOD_PRESS_TABLE, unit_set=unit_set, note=note))
    _check_unique(facts, path)
    return facts


def _row_facts(row, path: Path, province, *, year: int, source_id: str, method: str, unit_set: int,
               score_columns: dict[str, str], note: str, rank_note=None) -> list[Fact]:
    """One fact per rank and score a table row states; ranks are checked against the ranking size."""
    facts = []
    for column, indicator_id in RANK_COLUMNS.items():
        if row.values.get(column, "") == "":
            continue
        rank = _int(row, column, path, low=1, high=unit_set)
        facts.append(_fact(row, province, indicator_id, rank, year=year, source_id=source_id, method=method,
                           unit_set=unit_set, note=rank_note(column, rank) if rank_note else note))
    for column, indicator_id in score_columns.items():
        value = _score(row, column, path)
        if value is not None:
            facts.append(_fact(row, province, indicator_id, value, year=year, source_id=source_id, method=method,
                               unit_set=unit_set, note=note))
    return facts


def _check_unique(facts: list[Fact], path: Path) -> None:
    """Two rows of one table stating the same indicator for the same province and year would
    collide on the fact key; name both lines instead of letting validation find it later."""
    seen: dict[tuple, Fact] = {}
    for f in facts:
        key = (f.indicator_id, f.province_code, f.unit_set, f.ref_year, f.source_id)
        if key in seen:
            first = seen[key]
            line_a = first_line_of(path, first.quote_start)
            line_b = first_line_of(path, f.quote_start)
            raise TableSourceError(
                f"{path}:{line_b}: {f.indicator_id} for {f.province} ({f.unit_set}-unit map) in {f.ref_year} "
                f"is already given on line {line_a}"
            )
        seen[key] = f


def first_line_of(path: Path, offset: int) -> int:
    return read_clean_text(path).count("\n", 0, offset) + 1


# --- sources table and reference tables --------------------------------------------------------


def table_source_paths() -> list[Path]:
    """Every bundled table source that has a citation sidecar, plus the province register."""
    tables = sorted(p.with_suffix(".csv") for p in paths.tables_dir().rglob("*.json") if p.with_suffix(".csv").exists())
    return [*tables, paths.registers_dir() / "provinces.csv"]


def _relative_to_sources(path: Path) -> str:
    for base, prefix in ((paths.sources_dir(), ""), (paths.registers_dir(), "registers/")):
        try:
            return prefix + path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.name


def _language_of(title: str, default: str) -> str:
    # A page title with Vietnamese letters is a Vietnamese page; the compiled table also cites
    # English editions of Vietnamese outlets and an English dataset card.
    if "đ" in title.casefold() or any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", title)):
        return "vi"
    return "en" if title.strip() else default


def page_source_records(path: Path, meta: dict, sha256: str) -> list[dict]:
    """One `sources` row per page a compiled table cites: the page's own URL, title and date, and
    the compiled file (path, sha256) that its facts quote."""
    _, rows = read_table_rows(path, ("source_url", "source_title", "published"))
    official = official_table_urls()
    pages: dict[str, dict] = {}
    for row in rows:
        url = row.values["source_url"]
        if url in official or url in pages:
            continue
        title = row.values["source_title"] or url
        published = row.values["published"] or None
        host = urlsplit(url).netloc.lower().removeprefix("www.")
        pages[url] = {
            "source_id": page_source_id(url),
            "kind": meta["kind"],
            "title": title,
            "publisher": host,
            "original_outlet": None,
            "published_at": published,
            "url": url,
            "language": _language_of(row.values["source_title"], meta["language"]),
            "licence": meta["licence"],
            "citation": f"{host}: “{title}”" + (f", {published}" if published else "") + f". {url}. "
                        f"Value transcribed in dxdata {_relative_to_sources(path)}.",
            "path": _relative_to_sources(path),
            "sha256": sha256,
        }
    return list(pages.values())


def table_source_records() -> list[dict]:
    """Rows of the `sources` table for the table sources, citations taken from the sidecars. A
    compiled table that names a page per row (`page_sources` in its sidecar) gives one row per
    page instead of one for the file, so every row has at most one URL."""
    from schemas.tables import SourcesTable

    columns = list(SourcesTable.to_schema().columns)
    records = []
    for path in table_source_paths():
        meta = load_sidecar(path)
        sha256 = text_sha256(read_clean_text(path))
        if meta.get("page_sources"):
            records += page_source_records(path, meta, sha256)
            continue
        record = {c: meta.get(c) for c in columns}
        record["path"] = _relative_to_sources(path)
        record["sha256"] = sha256
        records.append(record)
    return records


def provinces_frame() -> pd.DataFrame:
    """The 63-unit register as published: one row per province before 1 July 2025."""
    rows = [
        {
            "code": p.code,
            "name": p.name,
            "type": p.type,
            "slug": p.slug,
            "merged_into_2025": p.merged_into_2025,
            "merged_into_2025_code": p.merged_into_2025_code,
            "aliases": "|".join(p.aliases),
        }
        for p in load_register().provinces
    ]
    return pd.DataFrame(rows).sort_values("code", kind="mergesort").reset_index(drop=True)


def provinces_2025_frame() -> pd.DataFrame:
    """The 34 merged units, each with the pre-merger units it was formed from."""
    old = load_register().provinces
    rows = []
    for unit in load_register_2025().provinces:
        parts = sorted((p for p in old if p.merged_into_2025_code == unit.code), key=lambda p: p.code)
        rows.append(
            {
                "code": unit.code,
                "name": unit.name,
                "type": unit.type,
                "slug": unit.slug,
                "merged_from_codes": "|".join(p.code for p in parts),
                "merged_from": "|".join(p.name for p in parts),
                "aliases": "|".join(unit.aliases),
            }
        )
    return pd.DataFrame(rows).sort_values("code", kind="mergesort").reset_index(drop=True)


def editions_frame(path: Path | None = None) -> pd.DataFrame:
    """The DTI editions and when each was announced (editions.csv)."""
    path = Path(path) if path else editions_path()
    _, rows = read_table_rows(path, ("edition", "announced_on", "announced_precision", "source_url", "note"))
    records = []
    for row in rows:
        announced = row.values["announced_on"] or None
        if announced and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", announced):
            raise TableSourceError(f"{path}:{row.line_no}: announced_on {announced!r} is not an ISO date")
        records.append(
            {
                "edition": _int(row, "edition", path, low=2000, high=2100),
                "announced_on": announced,
                "announced_precision": row.values["announced_precision"],
                "source_url": row.values["source_url"],
                "note": row.values["note"] or None,
            }
        )
    df = pd.DataFrame(records, columns=["edition", "announced_on", "announced_precision", "source_url", "note"])
    df["edition"] = df["edition"].astype("int64")
    for col in ("announced_on", "note"):
        df[col] = df[col].astype("string")
    return df.sort_values("edition").reset_index(drop=True)


def reference_tables() -> dict[str, pd.DataFrame]:
    """provinces (63 rows), provinces_2025 (34 rows) and dti_editions, validated."""
    from schemas.reference import REFERENCE_MODELS

    tables = {
        "provinces": provinces_frame(),
        "provinces_2025": provinces_2025_frame(),
        "dti_editions": editions_frame(),
    }
    return {name: REFERENCE_MODELS[name].validate(df) for name, df in tables.items()}


def facts_current_units_sql() -> str:
    """DDL of the `facts_current_units` view; needs `current_facts`, `provinces` and `provinces_2025`."""
    return (paths.views_dir() / "30_facts_current_units.sql").read_text(encoding="utf-8")
