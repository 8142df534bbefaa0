"""Capture web pages as article sources: `dxdata add URL|FILE.html` and the watch list.

A capture reads one page (fetched with httpx, or a saved file), keeps its raw bytes as an
immutable, compressed snapshot named by their hash, extracts the article with trafilatura (main
text, title, site name, author; the date with htmldate), and writes the source's text and JSON
sidecar into the articles folder, where the sources sensor and `dxdata release` find it.

Why these libraries: trafilatura is the maintained reference for main-text extraction from news
pages (it drops menus, share buttons and related-article blocks without site-specific rules);
htmldate reads publication dates from page markup in the many formats CMSs use; httpx gives
timeouts, redirects with their history and streaming (so a size limit is enforced while reading);
feedparser reads RSS and Atom alike.

Nothing is half-written: the snapshot is written first (content-addressed, so a repeat is a
no-op), then the sidecar and the text are written to temporary names and renamed into place,
the text last, because the text file is what makes a source visible.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from dxdata import __version__ as DXDATA_VERSION
from dxdata.durable import write_bytes_atomic
from dxdata.ingest import VN_TZ, find_dateline, nfc

USER_AGENT = f"dxdata/{DXDATA_VERSION} (open-data capture of public news pages about digital transformation; one request per page)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
# As servers label feeds: Python's http.server and some CMSs use the x- forms.
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml",
              "application/x-rss+xml", "application/x-atom+xml")
LICENCE = (
    "Article text © its publisher, stored as the cited source of the facts extracted from it; "
    "the facts are published under CC-BY-4.0 with attribution to the publisher."
)
# Letters only Vietnamese uses among Latin scripts: a Vietnamese text has them in a large share
# of its words, an English or French page in almost none.
VIETNAMESE_LETTERS = set("ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")
MIN_VIETNAMESE_WORD_SHARE = 0.2
WATCH_COLUMNS = ("url", "kind", "province", "note")


class CaptureError(ValueError):
    """A page that cannot become a source; the message names the page and the problem."""


@dataclass(frozen=True)
class CaptureSettings:
    timeout: float = 20.0  # seconds, for connecting and for each read
    attempts: int = 3  # tries for timeouts, connection errors, 429 and 5xx answers
    backoff: float = 1.0  # seconds before the second try; doubles after each
    max_bytes: int = 5_000_000  # a news page is well under 1 MB; more is not an article
    min_text_chars: int = 200  # less than this is a menu or an error page, not an article


@dataclass
class Fetched:
    """The raw bytes of a page and how they were obtained."""

    url: str
    final_url: str
    body: bytes
    content_type: str
    fetched_at: str
    redirects: list[str] = field(default_factory=list)
    saved_file: str | None = None


@dataclass
class Page:
    title: str
    text: str
    publisher: str
    author: str | None
    published_at: datetime
    published_at_from: str


@dataclass
class Captured:
    status: str  # added | already captured | unchanged | duplicate text
    source_id: str
    message: str
    facts: int = 0


def check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CaptureError(f"{url}: only http:// and https:// page addresses can be captured")
    return url


# --- reading the page ---------------------------------------------------------------------------
def fetch(url: str, settings: CaptureSettings = CaptureSettings(), *, client=None, accept: tuple[str, ...] = HTML_TYPES) -> Fetched:
    """GET a page with retries and a size limit. Raises CaptureError naming the URL."""
    import httpx

    check_url(url)
    own = client is None
    if own:
        client = httpx.Client(
            follow_redirects=True, timeout=settings.timeout, headers={"User-Agent": USER_AGENT, "Accept": ", ".join(accept)}
        )
    try:
        delay = settings.backoff
        for attempt in range(1, settings.attempts + 1):
            problem = None
            try:
                fetched = _get_once(client, url, settings, accept)
                if fetched is not None:
                    return fetched
            except httpx.TimeoutException:
                problem = f"timed out after {settings.timeout:g} s"
            except httpx.TransportError as exc:
                problem = f"could not connect ({exc.__class__.__name__}: {exc})"
            except _Retryable as exc:
                problem = str(exc)
            if attempt == settings.attempts:
                raise CaptureError(f"{url}: {problem} ({settings.attempts} attempts)")
            time.sleep(delay)
            delay *= 2
    finally:
        if own:
            client.close()
    raise AssertionError("unreachable")


class _Retryable(Exception):
    pass


def _get_once(client, url: str, settings: CaptureSettings, accept: tuple[str, ...]) -> Fetched | None:
    with client.stream("GET", url) as response:
        if response.status_code == 429 or response.status_code >= 500:
            raise _Retryable(f"the server answered HTTP {response.status_code}")
        if response.status_code >= 400:
            raise CaptureError(f"{url}: the server answered HTTP {response.status_code}")
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        declared = int(response.headers.get("content-length") or 0)
        if declared > settings.max_bytes:
            raise CaptureError(f"{url}: the page is {declared:,} bytes, over the {settings.max_bytes:,}-byte limit")
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > settings.max_bytes:
                raise CaptureError(f"{url}: the page is over the {settings.max_bytes:,}-byte limit")
            chunks.append(chunk)
        body = b"".join(chunks)
        if content_type and content_type not in accept:
            wanted = "a feed or an HTML page" if any(t in FEED_TYPES for t in accept) else "an HTML page"
            raise CaptureError(f"{url}: not {wanted} (Content-Type {content_type})")
        if not content_type and not _looks_like_html(body):
            raise CaptureError(f"{url}: not an HTML page (no Content-Type, and the body is not HTML)")
        return Fetched(
            url=url,
            final_url=str(response.url),
            body=body,
            content_type=content_type or "text/html",
            fetched_at=_now_utc(),
            redirects=[str(r.url) for r in response.history],
        )


def read_saved(path: Path, *, url: str | None = None, settings: CaptureSettings = CaptureSettings()) -> Fetched:
    """A page saved from a browser. Its address is `url`, else the page's canonical link."""
    path = Path(path)
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise CaptureError(f"{path}: cannot read ({exc.strerror})") from exc
    if len(body) > settings.max_bytes:
        raise CaptureError(f"{path}: {len(body):,} bytes, over the {settings.max_bytes:,}-byte limit")
    if not _looks_like_html(body):
        raise CaptureError(f"{path}: not an HTML file (expected a page saved from a browser)")
    if url:
        check_url(url)
    found = url or _canonical_url(body)
    if found:
        check_url(found)
    return Fetched(url=found or path.resolve().as_uri(), final_url=found or path.resolve().as_uri(), body=body,
                   content_type="text/html", fetched_at=_now_utc(), saved_file=str(path))


def _looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in body[:4096].lower() or b"<body" in head


def _canonical_url(body: bytes) -> str | None:
    text = body[:200_000].decode("utf-8", "replace")
    for pattern in (r'<link[^>]+rel=["\']canonical["\'][^>]+href=["\']([^"\']+)', r'<meta[^>]+property=["\']og:url["\'][^>]+content=["\']([^"\']+)'):
        m = re.search(pattern, text, re.I)
        if m and m.group(1).startswith(("http://", "https://")):
            return m.group(1)
    return None


def _now_utc() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


# --- what the page says -------------------------------------------------------------------------
def read_page(fetched: Fetched, *, published: date | None = None, settings: CaptureSettings = CaptureSettings()) -> Page:
    """Main text, title, publisher, author and publication date of a fetched page."""
    import trafilatura
    from trafilatura.utils import decode_file

    where = fetched.saved_file or fetched.url
    html = decode_file(fetched.body)
    doc = trafilatura.bare_extraction(
        html, url=fetched.final_url if fetched.final_url.startswith("http") else None, with_metadata=True,
        include_comments=False, include_tables=True, include_images=False, favor_precision=True,
    )
    meta = doc.as_dict() if doc is not None else {}
    text = nfc((meta.get("text") or "").strip())
    if len(text) < settings.min_text_chars:
        raise CaptureError(f"{where}: no article text found ({len(text)} characters kept from the page)")
    share = vietnamese_word_share(text)
    if share < MIN_VIETNAMESE_WORD_SHARE:
        raise CaptureError(f"{where}: the page does not read as Vietnamese ({share:.0%} of words have Vietnamese letters); dxdata reads Vietnamese articles")
    title = nfc((meta.get("title") or "").strip()) or text.splitlines()[0][:200]
    when, how = _publication_date(html, text, published, fetched.final_url if fetched.final_url.startswith("http") else None, title)
    if when is None:
        raise CaptureError(f"{where}: no publication date found on the page; give it with --published YYYY-MM-DD")
    today = datetime.now(VN_TZ).date()
    if when.date() > today:
        raise CaptureError(f"{where}: publication date {when.date()} is after today ({today}); give the right one with --published")
    host = urlsplit(fetched.final_url).netloc.lower().removeprefix("www.")
    publisher = nfc((meta.get("sitename") or "").strip()) or host or Path(where).name
    author = nfc(meta["author"].strip()) if meta.get("author") else None
    return Page(title=title, text=text, publisher=publisher, author=author, published_at=when, published_at_from=how)


def vietnamese_word_share(text: str) -> float:
    words = re.findall(r"\w+", text.lower())
    letters = [w for w in words if not w.isdigit()]
    if not letters:
        return 0.0
    return sum(1 for w in letters if VIETNAMESE_LETTERS.intersection(w)) / len(letters)


def _publication_date(html: str, text: str, published: date | None, url: str | None, title: str) -> tuple[datetime | None, str]:
    if published is not None:
        return datetime(published.year, published.month, published.day, tzinfo=VN_TZ), "given by the user (--published)"
    from htmldate import find_date

    stamp = find_date(html, url=url, extensive_search=False, original_date=True, outputformat="%Y-%m-%dT%H:%M:%S%z")
    dateline = find_dateline(text, max_lines=6)
    if stamp:
        when = datetime.fromisoformat(stamp)
        if when.tzinfo is not None:
            return when.astimezone(VN_TZ), "page metadata (htmldate)"
        # A date without a time zone: keep the day; the dateline gives the hour when it agrees.
        day = when.date()
        if dateline is not None and dateline.date() == day:
            return dateline, "page metadata (htmldate), time from the dateline"
        return datetime(day.year, day.month, day.day, tzinfo=VN_TZ), "page metadata (htmldate)"
    if dateline is not None:
        return dateline, "dateline in the text"
    # Sites often print the date beside the headline, outside what the main-text extraction
    # keeps: read the lines of the whole page just after the headline.
    near_title = _lines_after_title(html, title)
    dateline = find_dateline(near_title, max_lines=8) if near_title else None
    if dateline is not None:
        return dateline, "date beside the headline"
    # Deliberately no extensive search of the text: it takes any date the article mentions
    # (a plan's deadline, last year's figure) for the publication date.

    return None, ""


def _lines_after_title(html: str, title: str) -> str:
    import html as html_lib

    body = re.sub(r"(?is)<(script|style|noscript)\b.*?</\1>", " ", html)
    body = re.sub(r"(?i)<(br|/p|/div|/h[1-6]|/li|/span|/time|/tr|/header|/section)\b[^>]*>", "\n", body)
    page = nfc(html_lib.unescape(re.sub(r"<[^>]+>", " ", body)))
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        if line == title:
            return "\n".join(lines[i + 1 : i + 9])
    return ""


# --- writing the source -------------------------------------------------------------------------
def slug(text: str, limit: int = 48) -> str:
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:limit].rstrip("-") or "page"


def source_text(page: Page) -> str:
    """The source file: the title on the first line, then the article text."""
    body = page.text
    first = body.splitlines()[0].strip() if body else ""
    if first == page.title:
        body = body[len(body.splitlines()[0]) :].lstrip("\n")
    return f"{page.title}\n\n{body.strip()}\n"


@dataclass
class SourceIndex:
    """What the articles folder already holds: by page address and by text hash."""

    by_url: dict[str, list[tuple[str, str]]]  # url -> [(fetched_at or published_at, source_id)]
    by_text: dict[str, str]  # sha256 of the text file -> source_id

    @classmethod
    def scan(cls, articles: Path) -> "SourceIndex":
        by_url: dict[str, list[tuple[str, str]]] = {}
        by_text: dict[str, str] = {}
        for sidecar in sorted(Path(articles).glob("*.json")):
            try:
                meta = json.loads(sidecar.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # the release reports unreadable sidecars; capture only needs the good ones
            if not isinstance(meta, dict):
                continue
            sid = sidecar.stem
            stamp = str(meta.get("fetched_at") or meta.get("published_at") or "")
            for key in {meta.get("url"), meta.get("final_url")} - {None}:
                by_url.setdefault(normal_url(str(key)), []).append((stamp, sid))
            if meta.get("sha256"):
                by_text[str(meta["sha256"])] = sid
        return cls(by_url, by_text)

    def latest_for(self, *urls: str) -> str | None:
        found = [entry for url in urls if url for entry in self.by_url.get(normal_url(url), [])]
        return max(found)[1] if found else None


def normal_url(url: str) -> str:
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")


def write_snapshot(snapshots: Path, body: bytes) -> tuple[str, Path]:
    digest = hashlib.sha256(body).hexdigest()
    target = Path(snapshots) / f"{digest}.html.gz"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(target, gzip.compress(body, mtime=0))
    return digest, target


def capture(
    fetched: Fetched,
    *,
    articles: Path,
    snapshots: Path,
    published: date | None = None,
    provinces: list[str] | None = None,
    refresh: bool = False,
    settings: CaptureSettings = CaptureSettings(),
    index: SourceIndex | None = None,
) -> Captured:
    """Turn a fetched page into a source (or recognise it as one already held)."""
    index = index or SourceIndex.scan(articles)
    page = read_page(fetched, published=published, settings=settings)
    text = source_text(page)
    data = text.encode("utf-8")
    text_sha = hashlib.sha256(data).hexdigest()
    previous = index.latest_for(fetched.url, fetched.final_url)
    if text_sha in index.by_text:
        same = index.by_text[text_sha]
        status = "unchanged" if same == previous else "duplicate text"
        return Captured(status, same, f"{fetched.url}: same text as source {same}; nothing added")
    raw_sha, snapshot = write_snapshot(snapshots, fetched.body)
    source_id = f"w-{page.published_at:%Y%m%d}-{slug(page.title)}-{text_sha[:8]}"
    meta = {
        "source_id": source_id,
        "kind": "article",
        "title": page.title,
        "publisher": page.publisher,
        "original_outlet": None,
        "outlet_credit": None,
        "author": page.author,
        "published_at": page.published_at.isoformat(),
        "published_at_from": page.published_at_from,
        "url": fetched.url if fetched.url.startswith("http") else None,
        "final_url": fetched.final_url if fetched.final_url.startswith("http") else None,
        "redirects": fetched.redirects,
        "fetched_at": fetched.fetched_at,
        "language": "vi",
        "licence": LICENCE,
        "provinces": list(provinces or []),
        "excerpt": False,
        "captured_from": f"saved page {Path(fetched.saved_file).name}" if fetched.saved_file else "fetched with dxdata add",
        "captured_on": fetched.fetched_at[:10],
        "raw_sha256": raw_sha,
        "snapshot": f"snapshots/{snapshot.name}",
        "sha256": text_sha,
    }
    if previous and refresh:
        meta["supersedes"] = previous
    articles = Path(articles)
    articles.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(articles / f"{source_id}.json", (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    write_bytes_atomic(articles / f"{source_id}.txt", data)
    index.by_text[text_sha] = source_id
    for url in {fetched.url, fetched.final_url}:
        index.by_url.setdefault(normal_url(url), []).append((fetched.fetched_at, source_id))
    facts = _count_facts(articles / f"{source_id}.txt")
    note = f" (replaces {previous}, kept)" if meta.get("supersedes") else ""
    return Captured(
        "added", source_id,
        f"added {source_id}{note}\n  title: {page.title}\n  published: {page.published_at:%Y-%m-%d %H:%M} ({page.published_at_from})\n"
        f"  publisher: {page.publisher}\n  text: {len(text):,} characters; the engine sees {facts} fact(s)",
        facts,
    )


def _count_facts(txt: Path) -> int:
    from dxdata.extract import extract_article
    from dxdata.ingest import load_article

    return len(extract_article(load_article(txt)).facts)


# --- entry points -------------------------------------------------------------------------------
def add(
    targets: list[str],
    *,
    articles: Path,
    snapshots: Path,
    published: date | None = None,
    provinces: list[str] | None = None,
    refresh: bool = False,
    settings: CaptureSettings = CaptureSettings(),
    client=None,
    index: SourceIndex | None = None,
) -> list[Captured | CaptureError]:
    """Capture URLs and saved pages; one result (or error) per target, in order. `index` (what
    the articles folder holds) is scanned here unless the caller already has it."""
    index = index or SourceIndex.scan(articles)
    results: list[Captured | CaptureError] = []
    for target in targets:
        try:
            if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]+:", target) and not Path(target).exists():
                check_url(target)
                held = index.latest_for(target)
                if held and not refresh:
                    results.append(Captured("already captured", held, f"{target}: already captured as {held} (--refresh fetches it again)"))
                    continue
                fetched = fetch(target, settings, client=client)
            else:
                fetched = read_saved(Path(target), settings=settings)
            results.append(capture(fetched, articles=articles, snapshots=snapshots, published=published,
                                   provinces=provinces, refresh=refresh, settings=settings, index=index))
        except CaptureError as exc:
            results.append(exc)
    return results


def read_watch_list(path: Path) -> list[dict]:
    """`sources/watch.csv`: url, kind (page | feed), province, note."""
    path = Path(path)
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != WATCH_COLUMNS:
            raise CaptureError(f"{path}: expected the columns {','.join(WATCH_COLUMNS)}, found {','.join(reader.fieldnames or [])}")
        rows = []
        for line, row in enumerate(reader, start=2):
            if row["kind"] not in ("page", "feed"):
                raise CaptureError(f"{path}:{line}: kind must be 'page' or 'feed', not {row['kind']!r}")
            try:
                check_url(row["url"])
            except CaptureError as exc:
                raise CaptureError(f"{path}:{line}: {exc}") from None
            rows.append(row)
    return rows


def feed_entries(fetched: Fetched) -> list[str]:
    import feedparser

    parsed = feedparser.parse(fetched.body)
    if parsed.bozo and not parsed.entries:
        raise CaptureError(f"{fetched.url}: not a readable RSS or Atom feed ({parsed.bozo_exception})")
    return [entry.link for entry in parsed.entries if entry.get("link", "").startswith(("http://", "https://"))]


def add_to_watch_list(watch: Path, url: str, *, kind: str = "feed", province: str = "", note: str = "") -> bool:
    """Append a page or feed to the watch list (created with its header if missing). False when
    the address is listed already."""
    check_url(url)
    watch = Path(watch)
    rows = read_watch_list(watch)
    if any(normal_url(row["url"]) == normal_url(url) for row in rows):
        return False
    new_file = not watch.exists()
    watch.parent.mkdir(parents=True, exist_ok=True)
    with watch.open("a", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        if new_file:
            writer.writerow(WATCH_COLUMNS)
        writer.writerow([url, kind, province, note])
    return True


def capture_watch_list(
    watch: Path, *, articles: Path, snapshots: Path, settings: CaptureSettings = CaptureSettings(), client=None
) -> list[Captured | CaptureError]:
    """Every page of the watch list, and every article its feeds list, not captured before."""
    results: list[Captured | CaptureError] = []
    # One scan of the sidecars for the whole list; `capture` keeps it up to date as pages are added.
    index = SourceIndex.scan(articles)
    for row in read_watch_list(watch):
        provinces = [row["province"]] if row.get("province") else None
        urls = [row["url"]]
        if row["kind"] == "feed":
            try:
                urls = feed_entries(fetch(row["url"], settings, client=client, accept=FEED_TYPES + HTML_TYPES))
            except CaptureError as exc:
                results.append(exc)
                continue
        results.extend(add(urls, articles=articles, snapshots=snapshots, provinces=provinces, settings=settings,
                           client=client, index=index))
    return results
