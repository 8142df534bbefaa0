"""`dxdata add` and the watch list, against a local web site on 127.0.0.1 (tests/capture_site.py)."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from dxdata import paths
from dxdata.capture import Captured, CaptureError, CaptureSettings, add, capture_watch_list, read_watch_list
from dxdata.extract import extract_article
from dxdata.ingest import VN_TZ, article_from_text, load_article
from tests.capture_site import FURNITURE, Site
from test_publish_s3 import s3, s3_endpoint, warehouse  # noqa: F401  (fixtures: moto S3 on 127.0.0.1, a published release)

ARTICLES = paths.REPO_ROOT / "sources" / "articles"
REVIEWS = paths.REPO_ROOT / "sources" / "reviews"
SEED = ARTICLES / "000_a63f0aa6a1ed3e39.txt"
FAST = CaptureSettings(timeout=2.0, attempts=2, backoff=0.01)
GOLD_DECISIONS = {"accepted", "corrected", "missed"}


def gold_quotes(txt: Path) -> list[str]:
    """The words every reviewed fact of a bundled source rests on (sources/reviews)."""
    review = REVIEWS / f"{txt.stem}.csv"
    if not review.exists():
        return []
    with review.open(encoding="utf-8", newline="") as fh:
        return [row["quote"] for row in csv.DictReader(fh) if row["decision"] in GOLD_DECISIONS]


def _articles() -> list[Path]:
    """The seed and eleven real pages of the corpus with reviewed facts: real article text for
    the test site to wrap in page furniture."""
    real = [
        txt for txt in sorted(ARTICLES.glob("r-*.txt"))
        if gold_quotes(txt) and not any(word in txt.read_text(encoding="utf-8") for word in FURNITURE)
    ]
    return [SEED, *real[:11]]


@pytest.fixture(scope="module")
def site():
    assert len(_articles()) == 12, "the corpus should hold eleven reviewed real pages for the capture tests"
    s = Site(_articles(), datetime(2023, 5, 1, tzinfo=VN_TZ)).start()
    yield s
    s.stop()


@pytest.fixture
def folders(tmp_path):
    return tmp_path / "sources" / "articles", tmp_path / "warehouse" / "snapshots"


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("*")) if folder.exists() else []


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _facts(article) -> set[tuple]:
    return {(f.indicator_id, f.province, round(f.value, 6), f.qualifier, f.ref_year) for f in extract_article(article).facts}


def test_every_page_is_captured_with_its_text_date_and_facts(site, folders):
    articles, snapshots = folders
    urls = [site.url(path) for path in site.pages]
    results = add(urls, articles=articles, snapshots=snapshots, settings=FAST)
    assert all(isinstance(r, Captured) and r.status == "added" for r in results), results
    assert len(set(r.source_id for r in results)) == len(site.pages) == 12
    for result, page in zip(results, site.pages.values()):
        meta = json.loads((articles / f"{result.source_id}.json").read_text(encoding="utf-8"))
        text = (articles / f"{result.source_id}.txt").read_text(encoding="utf-8")
        # The date the page states, whichever way it states it.
        assert meta["published_at"][:10] == page.published.date().isoformat(), (page.style, meta["published_at_from"])
        assert meta["title"] == page.title
        # Every sentence a reviewed fact rests on is kept, no page furniture is.
        quotes = gold_quotes(page.source)
        assert quotes, page.source.name
        for quote in quotes:
            assert _squash(quote) in _squash(text), (page.style, page.source.name, quote[:60])
        for word in FURNITURE:
            assert word not in text, (page.style, word)
        # The engine reads the captured source as it reads the article file itself.
        original = article_from_text(page.source.read_text(encoding="utf-8"), source_id="x", published=page.published.date())
        assert _facts(load_article(articles / f"{result.source_id}.txt")) == _facts(original), page.style
        assert result.facts == len(extract_article(original).facts)
        # The raw page is kept as served, named by its hash.
        raw = gzip.decompress((snapshots / f"{meta['raw_sha256']}.html.gz").read_bytes())
        assert hashlib.sha256(raw).hexdigest() == meta["raw_sha256"]
        assert meta["sha256"] == hashlib.sha256(text.encode()).hexdigest()
        assert meta["url"] == site.url(page.path) and meta["fetched_at"]


def test_the_seed_page_yields_every_gold_fact(site, folders):
    articles, snapshots = folders
    seed_path = next(p for p, page in site.pages.items() if page.source == SEED)
    [result] = add([site.url(seed_path)], articles=articles, snapshots=snapshots, settings=FAST)
    got = {(f.indicator_id, f.province, f.value) for f in extract_article(load_article(articles / f"{result.source_id}.txt")).facts}
    with open(REVIEWS / f"{SEED.stem}.csv", encoding="utf-8") as fh:
        gold = {(r["indicator_id"], r["province"], float(r["value"])) for r in csv.DictReader(fh) if r["decision"] in GOLD_DECISIONS}
    assert gold <= got


def test_a_page_captured_once_is_not_fetched_again(site, folders):
    articles, snapshots = folders
    url = site.url(next(iter(site.pages)))
    [first] = add([url], articles=articles, snapshots=snapshots, settings=FAST)
    before, hits = _files(articles), dict(site.hits)
    [again] = add([url], articles=articles, snapshots=snapshots, settings=FAST)
    assert again.status == "already captured" and again.source_id == first.source_id
    assert _files(articles) == before and site.hits == hits
    # Asked to look again: the same text is recognised, nothing is added.
    [refreshed] = add([url], articles=articles, snapshots=snapshots, settings=FAST, refresh=True)
    assert refreshed.status == "unchanged" and _files(articles) == before


def test_a_changed_page_is_a_new_snapshot_and_the_old_one_is_kept(site, folders):
    articles, snapshots = folders
    path = list(site.pages)[1]
    [first] = add([site.url(path)], articles=articles, snapshots=snapshots, settings=FAST)
    status, kind, body = site.bodies[path]
    site.bodies[path] = (status, kind, body.replace("</div>\n<p class=\"author\">".encode(), "<p>Bài viết được cập nhật thêm.</p></div>\n<p class=\"author\">".encode()))
    try:
        [second] = add([site.url(path)], articles=articles, snapshots=snapshots, settings=FAST, refresh=True)
    finally:
        site.bodies[path] = (status, kind, body)
    assert second.status == "added" and second.source_id != first.source_id
    meta = json.loads((articles / f"{second.source_id}.json").read_text(encoding="utf-8"))
    assert meta["supersedes"] == first.source_id
    # ...and the published `sources` row says so.
    from dxdata.ingest import load_article, source_record

    record = source_record(load_article(articles / f"{second.source_id}.txt"), sources_root=articles.parent)
    assert record["supersedes"] == first.source_id
    assert source_record(load_article(articles / f"{first.source_id}.txt"), sources_root=articles.parent)["supersedes"] is None
    assert (articles / f"{first.source_id}.txt").exists()
    assert len(list(snapshots.glob("*.html.gz"))) == 2


def test_the_same_text_under_another_address_is_not_duplicated(site, folders, tmp_path):
    articles, snapshots = folders
    path = list(site.pages)[2]
    add([site.url(path)], articles=articles, snapshots=snapshots, settings=FAST)
    saved = tmp_path / "saved.html"
    saved.write_bytes(site.bodies[path][2])
    [dup] = add([str(saved)], articles=articles, snapshots=snapshots, settings=FAST)
    assert dup.status == "duplicate text" and len(list(articles.glob("*.txt"))) == 1


def test_a_redirect_is_followed_and_recorded(site, folders):
    articles, snapshots = folders
    [result] = add([site.url("/moved")], articles=articles, snapshots=snapshots, settings=FAST)
    meta = json.loads((articles / f"{result.source_id}.json").read_text(encoding="utf-8"))
    assert meta["url"] == site.url("/moved")
    assert meta["final_url"] == site.url(next(iter(site.pages)))
    assert meta["redirects"] == [site.url("/moved")]


def test_a_saved_page_takes_its_address_from_the_canonical_link(site, folders, tmp_path):
    articles, snapshots = folders
    path = list(site.pages)[3]
    saved = tmp_path / "page.html"
    saved.write_bytes(site.bodies[path][2].replace(b"</title>", b'</title><link rel="canonical" href="https://example.gov.vn/tin/a.html">'))
    [result] = add([str(saved)], articles=articles, snapshots=snapshots, settings=FAST)
    meta = json.loads((articles / f"{result.source_id}.json").read_text(encoding="utf-8"))
    assert meta["url"] == "https://example.gov.vn/tin/a.html"
    assert meta["captured_from"] == "saved page page.html"


@pytest.mark.parametrize(
    "target, settings, message",
    [
        ("/missing", FAST, "HTTP 404"),
        ("/broken", FAST, "HTTP 500 (2 attempts)"),
        ("/slow", CaptureSettings(timeout=0.3, attempts=1), "timed out after 0.3 s"),
        ("/report.pdf", FAST, "not an HTML page (Content-Type application/pdf)"),
        ("/huge", CaptureSettings(max_bytes=100_000, attempts=1), "over the 100,000-byte limit"),
        ("/english", FAST, "does not read as Vietnamese"),
        ("/undated", FAST, "no publication date found on the page; give it with --published"),
    ],
)
def test_bad_pages_get_a_clear_error_and_leave_nothing_behind(site, folders, target, settings, message):
    articles, snapshots = folders
    [result] = add([site.url(target)], articles=articles, snapshots=snapshots, settings=settings)
    assert isinstance(result, CaptureError)
    assert site.url(target) in str(result) and message in str(result)
    assert _files(articles) == [] and _files(snapshots) == []


def test_server_errors_are_retried_and_client_errors_are_not(site, folders):
    articles, snapshots = folders
    site.hits.clear()
    add([site.url("/broken"), site.url("/missing")], articles=articles, snapshots=snapshots, settings=FAST)
    assert site.hits == {"/broken": 2, "/missing": 1}


def test_an_undated_page_takes_the_date_given(site, folders):
    articles, snapshots = folders
    [result] = add([site.url("/undated")], articles=articles, snapshots=snapshots, settings=FAST, published=date(2024, 3, 2))
    meta = json.loads((articles / f"{result.source_id}.json").read_text(encoding="utf-8"))
    assert meta["published_at"].startswith("2024-03-02") and meta["published_at_from"] == "given by the user (--published)"


@pytest.mark.parametrize("target, message", [("ftp://example.vn/a.html", "only http:// and https://"), ("javascript:alert(1)", "only http:// and https://")])
def test_other_schemes_are_refused(folders, target, message):
    articles, snapshots = folders
    [result] = add([target], articles=articles, snapshots=snapshots, settings=FAST)
    assert isinstance(result, CaptureError) and message in str(result)


def test_a_file_that_is_not_html_is_refused(folders, tmp_path):
    articles, snapshots = folders
    note = tmp_path / "note.txt"
    note.write_text("Tỉnh có 120 tổ công nghệ số cộng đồng.", encoding="utf-8")
    missing = tmp_path / "gone.html"
    results = add([str(note), str(missing)], articles=articles, snapshots=snapshots, settings=FAST)
    assert "not an HTML file" in str(results[0]) and str(note) in str(results[0])
    assert "cannot read" in str(results[1]) and str(missing) in str(results[1])
    assert _files(articles) == []


def _watch(path: Path, rows: list[tuple[str, str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["url", "kind", "province", "note"])
        writer.writerows(rows)
    return path


def test_the_watch_list_captures_feed_entries_once(site, folders, tmp_path):
    articles, snapshots = folders
    paths_ = list(site.pages)
    site.bodies["/rss"] = (200, "application/rss+xml", site.feed(paths_[4:7]))
    watch = _watch(tmp_path / "watch.csv", [(site.url("/rss"), "feed", "Hậu Giang", "tin chuyển đổi số"), (site.url(paths_[8]), "page", "", "")])
    first = capture_watch_list(watch, articles=articles, snapshots=snapshots, settings=FAST)
    assert [r.status for r in first] == ["added"] * 4
    meta = json.loads((articles / f"{first[0].source_id}.json").read_text(encoding="utf-8"))
    assert meta["provinces"] == ["Hậu Giang"]
    hits = dict(site.hits)
    second = capture_watch_list(watch, articles=articles, snapshots=snapshots, settings=FAST)
    assert [r.status for r in second] == ["already captured"] * 4
    assert {p: n for p, n in site.hits.items() if p != "/rss"} == {p: n for p, n in hits.items() if p != "/rss"}


def test_a_malformed_watch_list_names_the_line(tmp_path):
    watch = _watch(tmp_path / "watch.csv", [("https://a.gov.vn/rss", "feed", "", ""), ("https://a.gov.vn/x", "podcast", "", "")])
    with pytest.raises(CaptureError, match=r"watch.csv:3: kind must be 'page' or 'feed'"):
        read_watch_list(watch)


def test_the_watch_list_asset_in_dagster(site, tmp_path):
    from dagster import materialize

    from pipelines.capture import watched_sources
    from pipelines.resources import Warehouse

    sources = tmp_path / "sources"
    (sources / "articles").mkdir(parents=True)
    _watch(sources / "watch.csv", [(site.url(list(site.pages)[9]), "page", "", ""), (site.url("/missing"), "page", "", "")])
    result = materialize([watched_sources], resources={"warehouse": Warehouse(sources_dir=str(sources), warehouse_dir=str(tmp_path / "wh"))})
    assert result.success
    [event] = result.get_asset_materialization_events()
    meta = event.materialization.metadata
    assert meta["added"].value == 1 and meta["failed"].value == 1
    assert len(list((sources / "articles").glob("*.txt"))) == 1
    assert len(list((tmp_path / "wh" / "snapshots").glob("*.html.gz"))) == 1


def test_release_job_does_not_fetch_the_web():
    from pipelines.definitions import defs

    nodes = {node.name for node in defs.resolve_job_def("release_job").nodes}
    assert "watched_sources" not in nodes
    assert "watched_sources" in {node.name for node in defs.resolve_job_def("capture_job").nodes}


def test_dxdata_add_prints_what_it_found(site, tmp_path, monkeypatch):
    from dxdata.cli import main

    monkeypatch.setenv("DXDATA_SOURCES", str(tmp_path / "sources"))
    monkeypatch.setenv("DXDATA_WAREHOUSE", str(tmp_path / "wh"))
    runner = CliRunner()
    page = list(site.pages.values())[5]
    ok = runner.invoke(main, ["add", site.url(page.path), "--province", "Hậu Giang"])
    assert ok.exit_code == 0, ok.output
    assert page.title in ok.output and f"published: {page.published:%Y-%m-%d}" in ok.output
    assert re.search(r"text: [\d,]+ characters; the engine sees \d+ fact", ok.output)
    bad = runner.invoke(main, ["add", site.url("/report.pdf"), "--timeout", "2"])
    assert bad.exit_code == 1 and "not an HTML page" in bad.output
    wrong = runner.invoke(main, ["add", site.url(page.path), "--published", "5/5/2022"])
    assert wrong.exit_code == 2 and "is not a date YYYY-MM-DD" in wrong.output


def test_dxdata_add_feed_lists_it_and_captures_its_entries(site, tmp_path, monkeypatch):
    from dxdata.cli import main

    monkeypatch.setenv("DXDATA_SOURCES", str(tmp_path / "sources"))
    monkeypatch.setenv("DXDATA_WAREHOUSE", str(tmp_path / "wh"))
    pages = list(site.pages)
    site.bodies["/feed.xml"] = (200, "application/rss+xml", site.feed(pages[10:12]))
    runner = CliRunner()
    first = runner.invoke(main, ["add", "--feed", site.url("/feed.xml"), "--province", "Hậu Giang"])
    assert first.exit_code == 0, first.output
    assert "added to the watch list" in first.output and first.output.count("added w-") == 2
    rows = read_watch_list(tmp_path / "sources" / "watch.csv")
    assert [(r["url"], r["kind"], r["province"]) for r in rows] == [(site.url("/feed.xml"), "feed", "Hậu Giang")]
    again = runner.invoke(main, ["add", "--feed", site.url("/feed.xml")])
    assert again.exit_code == 0 and "already on the watch list" in again.output and "added w-" not in again.output
    assert len(read_watch_list(tmp_path / "sources" / "watch.csv")) == 1


def test_snapshots_are_uploaded_with_the_releases_and_never_overwritten(site, folders, s3, s3_endpoint, warehouse):
    """`dxdata publish --with-snapshots` sends the captured raw pages beside the releases."""
    from dxdata.publish import PublishError, cli_publish, upload_snapshots
    from test_publish_s3 import _keys

    client, bucket = s3
    articles, _ = folders
    snapshots = warehouse.parent / "snapshots"  # the warehouse fixture's DXDATA_WAREHOUSE
    add([site.url(p) for p in list(site.pages)[:2]], articles=articles, snapshots=snapshots, settings=FAST)
    names = sorted(p.name for p in snapshots.glob("*.html.gz"))
    assert len(names) == 2
    assert cli_publish(f"s3://{bucket}/p", endpoint_url=s3_endpoint, snapshots=True) == 0
    assert {f"p/snapshots/{n}" for n in names} <= _keys(client, bucket)
    # Again: nothing new to send. A snapshot name holding other bytes remotely is refused.
    assert upload_snapshots(client, bucket, "p/", snapshots) == []
    client.put_object(Bucket=bucket, Key=f"p/snapshots/{names[0]}", Body=b"other bytes")
    with pytest.raises(PublishError, match="refusing to overwrite a snapshot"):
        upload_snapshots(client, bucket, "p/", snapshots)


@pytest.mark.parametrize("content_type", ["application/x-rss+xml", "application/atom+xml", "text/xml"])
def test_feeds_are_read_whatever_feed_type_the_server_labels_them(site, folders, tmp_path, content_type):
    """Python's http.server labels .rss files application/x-rss+xml: still a feed."""
    articles, snapshots = folders
    site.bodies["/feed.rss"] = (200, content_type, site.feed(list(site.pages)[4:5]))
    watch = _watch(tmp_path / "watch.csv", [(site.url("/feed.rss"), "feed", "", "")])
    assert [r.status for r in capture_watch_list(watch, articles=articles, snapshots=snapshots, settings=FAST)] == ["added"]


def test_a_feed_address_serving_something_else_says_what_was_expected(site, folders, tmp_path):
    articles, snapshots = folders
    site.bodies["/feed.pdf"] = (200, "application/pdf", b"%PDF-1.4")
    watch = _watch(tmp_path / "watch.csv", [(site.url("/feed.pdf"), "feed", "", "")])
    [result] = capture_watch_list(watch, articles=articles, snapshots=snapshots, settings=FAST)
    assert isinstance(result, CaptureError)
    assert "feed.pdf: not a feed or an HTML page (Content-Type application/pdf)" in str(result)
