"""Article ingest: captured text plus metadata sidecar -> an `Article` whose clean text the
extraction engine reads and every quote offset refers to.

Cleaning is deliberately conservative: it only removes whole lines that are page chrome
(image file names, navigation words, the portal's footer blocks), never edits inside a line,
so the prose keeps its wording. The chrome vocabulary is data (`CHROME_LINES`, `FOOTER_START`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from dxdata.model import Article

VN_TZ = timezone(timedelta(hours=7))

# Whole lines that are navigation or layout, not prose (compared case-insensitively).
CHROME_LINES = {
    "banner", "icon", "top", "xem chi tiết", "xem chi tiết icon", "icon icon", "chia sẻ",
    "in bài", "quay lại", "bản in", "gửi email", "facebook", "zalo", "twitter",
}
# An image or attachment file name standing alone on a line ("202255-h10.jpg").
FILE_NAME_LINE = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|bmp|svg|pdf|docx?)$", re.IGNORECASE)
# The credit line that closes a republished article ("Theo baohaugiang.com.vn"); everything after
# it on a portal page is footer (service banners, link blocks).
# Only a short line naming an outlet or a domain qualifies, so a sentence opening with "Theo báo cáo"
# never truncates an article.
CREDIT_LINE = re.compile(
    r"^(?:Theo|Nguồn)\s*:?\s+(?:[\w.-]+\.(?:vn|com|net|org|gov)(?:\.vn)?\S*|(?:[A-ZĐ][\w-]*\s*){1,6})$"
)

# The heading of the block of other stories that closes a page ("Tin liên quan", "Xem thêm:",
# "Từ khóa: ..."), alone on its line or followed by a colon. Their headlines carry other
# provinces' figures; everything from it on is dropped.
RELATED_HEADING = re.compile(
    r"^(?:tin liên quan|bài liên quan|bài viết liên quan|(?:tin|bài|bài viết) cùng chuyên mục|cùng chuyên mục"
    r"|(?:các )?tin khác|(?:các )?bài khác|tin bài khác|tin,? bài liên quan|xem thêm|đọc thêm|tin mới(?: nhất)?|mới nhất"
    r"|tin nổi bật|tin đọc nhiều|đọc nhiều(?: nhất)?|tin xem nhiều|xem nhiều(?: nhất)?|quan tâm nhất|có thể bạn quan tâm"
    r"|từ khóa|từ khoá|tags?)\s*(?:(?::|\|).*)?$",
    re.IGNORECASE,
)

# A dateline is a short line holding a date, optionally a time, and nothing else but the words
# portals print around them: weekday, "ngày", "lúc", "Cập nhật", "Đăng ngày", "GMT+7", separators.
# Parsing therefore finds the date and time, removes them and those words, and accepts the line
# only when nothing is left, which keeps prose such as "Chiều ngày 5/5/2022, Đoàn ..." out.
_DATE_FORMS = (
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?=T|\b)"),
    re.compile(r"\b(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})\b"),
    re.compile(r"\bngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})\b", re.IGNORECASE),
)
_TIME = re.compile(r"(?:\bT|\b)(?P<H>\d{1,2})[:h](?P<M>\d{2})(?::\d{2})?(?:[+-]\d{2}:?\d{2}|Z)?\b")
_DATELINE_WORDS = re.compile(
    r"\b(?:thứ\s+(?:hai|ba|tư|năm|sáu|bảy|[2-7])|t[2-7]|cn|chủ\s+nhật|cập\s+nhật|đăng\s+ngày|ngày\s+đăng|đăng\s+tải|đăng"
    r"|xuất\s+bản|phát\s+hành|thời\s+gian(?:\s+đăng)?|ngày|lúc"
    r"|gmt\s*[+-]\s*\d{1,2}(?::?\d{2})?|utc\s*[+-]?\s*\d{0,2}(?::?\d{2})?|sa|ch|am|pm)\b",
    re.IGNORECASE,
)
_DATELINE_MAX_CHARS = 80


class SourceError(ValueError):
    """A source file or its metadata is unusable; the message names the file and the problem."""


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_dateline(line: str) -> datetime | None:
    """A Vietnamese dateline as a local (+07:00) datetime, or None when the line is not one.
    A short section name before or after it, set off by a separator, is allowed ("Chính phủ số |
    15/03/2023 16:42", "Số hóa › Chuyển đổi số — Thứ ba, 12/9/2023, 06:00 (GMT+7)")."""
    line = nfc(line).strip()
    if not line or len(line) > _DATELINE_MAX_CHARS:
        return None
    found = _parse_bare_dateline(line)
    if found is not None:
        return found
    parts = [p for p in _SECTION_SEPARATOR.split(line) if p.strip()]
    dated = [i for i, p in enumerate(parts) if _find_date(p) is not None]
    if not dated or len(parts) < 2:
        return None
    if len(dated) > 1:
        # "Đăng: 08:10, 24/08/2023 | Cập nhật: 10:25, 24/08/2023": the first is the publication.
        stamps = [_parse_bare_dateline(parts[i]) for i in dated]
        if any(stamp is None for stamp in stamps):
            return None
        return stamps[0] if _only_section_names(parts, dated) else None
    if not _only_section_names(parts, dated):
        return None
    # The dated part, with a time that stood in its own part ("05/10/2023 | 10:15").
    times = [p for i, p in enumerate(parts) if i != dated[0] and _parse_time_only(p)]
    return _parse_bare_dateline(" ".join([parts[dated[0]], *times]))


# Separators between a section name and the dateline: "|", "›", "»", "—", "–", " - ", "•".
_SECTION_SEPARATOR = re.compile(r"\s*(?:\||›|»|—|–|•|\s-\s)\s*")
_SECTION_MAX_WORDS = 6
# A page counter printed beside the dateline: "Lượt xem: 1.073", "12 bình luận".
_PAGE_COUNTER = re.compile(r"\s*(?:(?:lượt xem|lượt đọc|lượt thích|bình luận|views?)\s*:?\s*[\d.,]+|[\d.,]+\s+(?:lượt xem|lượt đọc|bình luận))\s*", re.IGNORECASE)


def _only_section_names(parts: list[str], dated: list[int]) -> bool:
    """Are the undated parts of a dateline section names, times or page counters? A section name
    has no figures and few words; anything else is prose."""
    for i, part in enumerate(parts):
        if i in dated or _parse_time_only(part) or _PAGE_COUNTER.fullmatch(part):
            continue
        if any(ch.isdigit() for ch in part) or len(part.split()) > _SECTION_MAX_WORDS:
            return False
    return True


def _parse_time_only(part: str) -> bool:
    match = _TIME.search(part)
    return match is not None and not re.sub(r"[\W_]+", "", _DATELINE_WORDS.sub(" ", part[: match.start()] + " " + part[match.end() :]))


def _find_date(line: str) -> re.Match | None:
    for form in _DATE_FORMS:
        date_match = form.search(line)
        if date_match:
            return date_match
    return None


def _stamp(date_match: re.Match, time_match: re.Match | None) -> datetime | None:
    hour, minute = (int(time_match["H"]), int(time_match["M"])) if time_match else (0, 0)
    try:
        return datetime(int(date_match["y"]), int(date_match["m"]), int(date_match["d"]), hour, minute, tzinfo=VN_TZ)
    except ValueError:
        return None


def _parse_bare_dateline(line: str) -> datetime | None:
    date_match = _find_date(line)
    if date_match is None:
        return None
    rest = line[: date_match.start()] + " " + line[date_match.end() :]
    time_match = _TIME.search(rest)
    if time_match:
        rest = rest[: time_match.start()] + " " + rest[time_match.end() :]
    if re.sub(r"[\W_]+", "", _DATELINE_WORDS.sub(" ", rest)):
        return None
    return _stamp(date_match, time_match)


def find_dateline(text: str, max_lines: int = 5) -> datetime | None:
    """The first dateline among the first non-empty lines of a text. Failing that, a short line
    near the top or the bottom (where some portals print it, by the byline) that holds both a
    date and a clock time: prose seldom states the minute, page furniture always does."""
    lines = [line for line in text.splitlines() if line.strip()]
    for line in lines[:max_lines]:
        found = parse_dateline(line)
        if found:
            return found
    for line in [*lines[: max_lines + 3], *lines[-_BOTTOM_LINES:]]:
        found = _stamp_in_furniture(line)
        if found:
            return found
    return None


_BOTTOM_LINES = 8
_FURNITURE_MAX_CHARS = 120


def _stamp_in_furniture(line: str) -> datetime | None:
    line = nfc(line).strip()
    if len(line) > _FURNITURE_MAX_CHARS or line.endswith((".", "!", "?", ":")):
        return None
    date_match = _find_date(line)
    if date_match is None:
        return None
    time_match = _TIME.search(line[: date_match.start()] + " " + line[date_match.end() :])
    return _stamp(date_match, time_match) if time_match is not None else None


def clean_text(raw: str) -> str:
    """NFC text with chrome lines, and the footer after the credit line or a related-articles
    heading, removed."""
    kept: list[str] = []
    for line in nfc(raw).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if stripped.casefold() in CHROME_LINES or FILE_NAME_LINE.match(stripped):
            continue
        if RELATED_HEADING.match(stripped) and len(kept) > 3:
            break  # the related-articles block: other stories' headlines, never this article's
        kept.append(line.rstrip())
        if CREDIT_LINE.match(stripped) and len(kept) > 3:
            break
    text = "\n".join(kept)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


def _title_of(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return None


# A page that shows only the month it appeared in ("Tháng 11/2022", ".../202211/...") is dated by
# year and month in its sidecar: its present-state facts get the year and no day.
_YEAR_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def published_month_only(value: object) -> bool:
    """Is this sidecar `published_at` a year and month only ("2022-11")?"""
    return isinstance(value, str) and _YEAR_MONTH.fullmatch(value) is not None


def article_from_text(raw: str, *, source_id: str, published: date | None = None, metadata: dict | None = None) -> Article:
    """An `Article` from plain text (first line the title). The publication date comes from
    `published`, else the metadata's published_at, else a dateline near the top."""
    text = clean_text(raw)
    metadata = dict(metadata or {})
    if published is None and metadata.get("published_at"):
        stated = metadata["published_at"]
        # A year-month date ("2022-11") is read as the month's first day; the engine dates no fact
        # by that day (it checks the metadata too: `dxdata.sidecar.published_month_only`).
        published = date.fromisoformat(stated + "-01") if published_month_only(stated) else datetime.fromisoformat(stated).astimezone(VN_TZ).date()
    if published is None:
        found = find_dateline(text)
        published = found.date() if found else None
    title = metadata.get("title") or _title_of(text)
    return Article(source_id=source_id, title=nfc(title) if title else None, clean_text=text, published=published, metadata=metadata)


def article_stat(path) -> tuple[str, int]:
    """Size, inode and modification time of an article's text and its sidecar, and the later
    mtime: what says, without reading them, that neither file changed. Paths as text: this runs
    for every article of the folder."""
    text = os.fspath(path)
    sidecar = text[:-4] + ".json" if text.endswith(".txt") else os.fspath(Path(text).with_suffix(".json"))
    parts, newest = [], 0
    for p in (text, sidecar):
        try:
            st = os.stat(p)
        except OSError:
            parts.append("-")
            continue
        parts.append(f"{st.st_size}:{st.st_ino}:{st.st_mtime_ns}")
        newest = max(newest, st.st_mtime_ns)
    return "|".join(parts), newest


def discover_articles(folder: Path) -> list[Path]:
    """Article text files in a sources folder, in name order."""
    return sorted(p for p in Path(folder).glob("*.txt") if p.is_file())


def read_metadata(txt_path: Path) -> dict:
    """The JSON sidecar of an article, validated against the sidecar schema (dxdata/sidecar.py)."""
    from dxdata.sidecar import read_sidecar

    sidecar = Path(txt_path).with_suffix(".json")
    _model, data, problems = read_sidecar(sidecar)
    if problems:
        raise SourceError(_problem_report(Path(txt_path), problems))
    return data


def _problem_report(txt_path: Path, problems) -> str:
    """Every problem of one source, under a line naming its id and file."""
    head = f"source {txt_path.stem!r} ({txt_path}) cannot be used"
    if len(problems) == 1:
        return f"{problems[0]} [{head}]"
    return head + ":\n" + "\n".join(f"  - {p}" for p in problems)


def text_problems(txt_path: Path, raw: bytes) -> list[str]:
    """Why an article's bytes cannot be read as its text (not UTF-8, control characters, empty),
    each naming the file; the rules are dxdata.sidecar's."""
    from dxdata.sidecar import problems_of_text

    return [str(p) for p in problems_of_text(txt_path, raw)]


def read_text(txt_path: Path) -> str:
    try:
        return txt_path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{txt_path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def load_article(txt_path: Path, *, today: date | None = None) -> Article:
    """A bundled article: text + sidecar, with every check of `dxdata.sidecar` (the same as the
    pre-run validation of the whole folder): a SourceError names the source, the file and each
    problem. `today` is the run date (default: today in Vietnam)."""
    from dxdata.sidecar import problems_of_article, read_sidecar

    txt_path = Path(txt_path)
    model, meta, problems = read_sidecar(txt_path.with_suffix(".json"))
    if model is not None:
        problems = problems_of_article(txt_path, sources_root=txt_path.parent.parent, today=today, model=model)
    if problems:
        raise SourceError(_problem_report(txt_path, problems))
    return article_from_text(read_text(txt_path), source_id=meta["source_id"], metadata=meta)


def source_fingerprint(txt_path: Path) -> str:
    """Content hash of an article source (text + sidecar): what the sensor and partitions key on."""
    h = hashlib.sha256()
    h.update(Path(txt_path).read_bytes())
    sidecar = Path(txt_path).with_suffix(".json")
    if sidecar.exists():
        h.update(b"\0")
        h.update(sidecar.read_bytes())
    return h.hexdigest()


def source_record(article: Article, *, sources_root: Path) -> dict:
    """The article's row of the `sources` table."""
    meta = article.metadata
    outlet = meta.get("original_outlet")
    published_at = meta.get("published_at")
    citation = meta.get("citation") or "; ".join(
        part
        for part in (
            meta.get("publisher"),
            f"“{article.title}”" if article.title else None,
            published_at[:10] if published_at else None,
            f"citing {outlet}" if outlet else None,
            meta.get("url"),
        )
        if part
    )
    path = meta.get("path") or f"articles/{article.source_id}.txt"
    return {
        "source_id": article.source_id,
        "kind": "article",
        "title": article.title,
        "publisher": meta["publisher"],
        "original_outlet": outlet,
        "published_at": published_at,
        "url": meta.get("url"),
        "language": meta["language"],
        "licence": meta["licence"],
        "citation": citation,
        "path": path,
        "sha256": sha256_text(article.clean_text),
        "supersedes": meta.get("supersedes"),
    }
