"""Bad input is refused before the run, by name (issue 10, items 3 to 7; issue 16's untested
sidecar branches).

Every case writes one article source (text + sidecar) into a temporary sources folder and checks
that `validate_sources` (the pre-run check the command line calls) and `load_article` (ingest,
inside the run) both refuse it with a message naming the file and the field. The bundled sources
must stay valid.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from dxdata import paths
from dxdata.extract import ExtractionError, SourceFileError, article_from_file, extract_article
from dxdata.ingest import SourceError, load_article
from dxdata.model import FIRST_REF_YEAR, LAST_REF_YEAR, Article
from dxdata.sidecar import ArticleSidecar, iso_639_1
from dxdata.text import MAX_SENTENCE_CHARS, split_sentences
from dxdata.validate import SourcesInvalid, check_sources, validate_sources

RUN_DATE = date(2026, 12, 7)
TEXT = "Hậu Giang chuyển đổi số\nNgày 05/05/2022\nHậu Giang có 98 điểm cầu họp trực tuyến.\n"
SEED_ID = "000_a63f0aa6a1ed3e39"


def sidecar_for(stem: str, **changes) -> dict:
    meta = {
        "source_id": stem,
        "kind": "article",
        "title": "Hậu Giang chuyển đổi số",
        "publisher": "Cổng thông tin điện tử tỉnh Hậu Giang",
        "published_at": "2022-05-05T08:00:00+07:00",
        "url": "https://example.invalid/hau-giang",
        "language": "vi",
        "licence": "test licence",
        "provinces": ["Hậu Giang"],
    }
    meta.update(changes)
    return {k: v for k, v in meta.items() if v is not DROP}


DROP = object()


def write_source(root: Path, stem: str = "a1", text: str | bytes = TEXT, *, raw_sidecar: bytes | None = None, **changes) -> Path:
    """articles/<stem>.txt and its sidecar (source_id = stem unless changed)."""
    articles = root / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    txt = articles / f"{stem}.txt"
    txt.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    sidecar = raw_sidecar if raw_sidecar is not None else json.dumps(sidecar_for(stem, **changes), ensure_ascii=False).encode("utf-8")
    txt.with_suffix(".json").write_bytes(sidecar)
    return txt


def problems(root: Path) -> list[str]:
    return [str(p) for p in validate_sources(root, today=RUN_DATE)]


def refused(root: Path, txt: Path, pattern: str) -> None:
    """validate_sources and load_article both refuse the source with a message matching pattern
    (a regular expression that names the file)."""
    import re

    found = problems(root)
    assert any(re.search(pattern, p) for p in found), found
    with pytest.raises(SourceError, match=pattern):
        load_article(txt, today=RUN_DATE)


# --- the bundled sources stay valid --------------------------------------------------------------
def test_bundled_sources_are_valid():
    # As of today (a run's date): sources captured after the fixed RUN_DATE are bundled too.
    assert validate_sources(paths.sources_dir()) == []
    check_sources(paths.sources_dir())  # does not raise
    assert load_article(paths.articles_dir() / f"{SEED_ID}.txt").published == date(2022, 5, 5)


def test_a_corpus_sidecar_with_every_documented_key_is_valid(tmp_path):
    """The real-corpus format (briefs/review-format.md) adds keys; the schema declares them."""
    text = TEXT
    txt = write_source(
        tmp_path, "r-hau-giang-20220505-diem-cau", text,
        original_outlet="baohaugiang.com.vn", outlet_credit="Theo Báo Hậu Giang", published_at_from="dateline in the text",
        themes=["infrastructure", "e_government"], excerpt=True, excerpt_chars=len(text), captured_from="stored public copy",
        captured_on="2026-12-07", sha256=hashlib.sha256(text.encode()).hexdigest(),
    )
    assert problems(tmp_path) == []
    assert load_article(txt, today=RUN_DATE).metadata["themes"] == ["infrastructure", "e_government"]


def test_a_captured_page_sidecar_is_valid(tmp_path):
    """`dxdata add` (dxdata/capture.py) records how it fetched the page; those keys are declared."""
    write_source(
        tmp_path, "w-20220505-hau-giang-0a1b2c3d", author=None, published_at_from="page metadata (htmldate)",
        final_url="https://example.invalid/b", redirects=["https://example.invalid/a"], fetched_at="2026-12-07T01:02:03+00:00",
        raw_sha256="0" * 64, snapshot="snapshots/0000.html.gz", supersedes="w-20220505-hau-giang-99999999", excerpt=False,
        captured_from="fetched with dxdata add", captured_on="2026-12-07",
    )
    assert problems(tmp_path) == []


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("redirects", ["javascript:alert(1)"], r"redirects\.0: URL scheme should be 'http' or 'https'"),
        ("fetched_at", "yesterday", r"fetched_at: 'yesterday' is not an ISO 8601 date-time string"),
        ("snapshot", "../../x.html", r"snapshot: '\.\./\.\./x\.html' must be a relative path"),
        ("supersedes", "W 1", r"supersedes: 'W 1' does not match"),
    ],
)
def test_captured_page_keys_are_checked(tmp_path, key, value, message):
    txt = write_source(tmp_path, **{key: value})
    refused(tmp_path, txt, r"a1\.json: " + message)


def test_validation_runs_without_dagster_or_pandas():
    """The pre-run check is cheap: it loads neither Dagster nor pandas."""
    code = (
        "import sys; from dxdata.validate import validate_sources; "
        "assert validate_sources() == [], validate_sources(); "
        "print(sorted(m for m in ('dagster', 'pandas', 'duckdb') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- sidecar: file-level branches ------------------------------------------------------------------
def test_missing_sidecar(tmp_path):
    txt = write_source(tmp_path)
    txt.with_suffix(".json").unlink()
    refused(tmp_path, txt, r"a1\.json: metadata sidecar missing for a1\.txt")


def test_invalid_json_names_line_and_column(tmp_path):
    txt = write_source(tmp_path, raw_sidecar=b'{"source_id": "a1",\n "title": }')
    refused(tmp_path, txt, r"a1\.json: not valid JSON \(Expecting value at line 2 column 11\)")


@pytest.mark.parametrize("body, kind", [(b"[1, 2]", "list"), (b'"a1"', "str"), (b"null", "NoneType")])
def test_sidecar_that_is_not_an_object(tmp_path, body, kind):
    txt = write_source(tmp_path, raw_sidecar=body)
    refused(tmp_path, txt, rf"a1\.json: expected a JSON object, found {kind}")


def test_latin1_sidecar_names_the_file(tmp_path):
    body = json.dumps(sidecar_for("a1", title="Hội nghị café"), ensure_ascii=False).encode("latin-1", errors="replace")
    body = body.replace("Hội".encode("latin-1", errors="replace"), b"H\xe9i")
    txt = write_source(tmp_path, raw_sidecar=body)
    refused(tmp_path, txt, r"a1\.json: not UTF-8 \(invalid continuation byte at byte \d+\); save the sidecar as UTF-8")


def test_sidecar_without_its_text(tmp_path):
    txt = write_source(tmp_path)
    txt.unlink()
    assert any("a1.json: sidecar without its text file a1.txt" in p for p in problems(tmp_path))


# --- sidecar: fields -------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["source_id", "title", "publisher", "published_at", "language", "licence"])
def test_each_required_key(tmp_path, key):
    txt = write_source(tmp_path, **{key: DROP})
    refused(tmp_path, txt, rf"a1\.json: {key}: Field required")


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("title", 12345, r"title: Input should be a valid string \(found 12345\)"),
        ("title", "", r"title: String should have at least 1 character"),
        ("title", "   ", r"title: String should match pattern"),
        ("title", "Tiêu đề\x00", r"title: holds the control character U\+0000"),
        ("title", unicodedata.normalize("NFD", "Tiêu đề"), r"title: is not in Unicode normal form NFC"),
        ("publisher", {"name": "x"}, r"publisher: Input should be a valid string \(found \{'name': 'x'\}\)"),
        ("licence", ["CC-BY"], r"licence: Input should be a valid string"),
        ("url", 42, r"url: URL input should be a string or URL \(found 42\)"),
        ("url", "javascript:alert(1)", r"url: URL scheme should be 'http' or 'https'"),
        ("url", "not a url <script>", r"url: Input should be a valid URL"),
        ("url", "ftp://example.org/a", r"url: URL scheme should be 'http' or 'https'"),
        ("published_at", 20221115, r"published_at: 20221115 is not an ISO 8601 date-time string"),
        ("published_at", "1651762080", r"published_at: '1651762080' is not an ISO 8601 date-time string"),
        ("published_at", "05/05/2022", r"published_at: '05/05/2022' is not an ISO 8601 date-time string"),
        ("published_at", "2022-05-05", r"published_at: Input should have timezone info"),
        ("published_at", "2022-05-05T08:00:00", r"published_at: Input should have timezone info"),
        ("published_at", "2022-13-05T08:00:00+07:00", r"published_at: Input should be a valid datetime"),
        ("published_at", "0001-01-01T00:00:00+07:00", r"published_at: year 1 is outside 2000\.\.2100"),
        ("published_at", "1990-06-01T00:00:00+07:00", r"published_at: year 1990 is outside 2000\.\.2100"),
        ("published_at", "1999-12-31T23:00:00+07:00", r"published_at: year 1999 is outside 2000\.\.2100"),
        ("published_at", "9999-12-31T23:59:59-12:00", r"published_at: year 9999 is outside 2000\.\.2100"),
        ("language", "xx", r"language: 'xx' is not an ISO 639-1 language code"),
        ("language", "vie", r"language: 'vie' is not an ISO 639-1 language code"),
        ("language", "VI", r"language: 'VI' is not an ISO 639-1 language code"),
        ("kind", "official_table", r"kind: Input should be 'article'"),
        ("path", "../../../../etc/passwd", r"path: '\.\./\.\./\.\./\.\./etc/passwd' must be a relative path inside the sources folder"),
        ("path", "/etc/passwd", r"path: '/etc/passwd' must be a relative path"),
        ("provinces", "Hậu Giang", r"provinces: Input should be a valid array"),
        ("provinces", ["Hậu Giang", "Atlantis"], r"provinces\.1: unknown province name 'Atlantis'"),
        ("themes", ["sports"], r"themes\.0: Input should be 'infrastructure'"),
        ("excerpt", "yes", r"excerpt: Input should be a valid boolean"),
        ("excerpt_chars", -1, r"excerpt_chars: Input should be greater than or equal to 0"),
        ("captured_on", "07/12/2026", r"captured_on: Input should be a valid date"),
        ("sha256", "abc", r"sha256: String should match pattern"),
        ("publisher_name", "x", r"publisher_name: unknown key"),
    ],
)
def test_field_problems_name_file_and_field(tmp_path, key, value, message):
    txt = write_source(tmp_path, **{key: value})
    refused(tmp_path, txt, r"a1\.json: " + message)


def test_every_problem_of_a_sidecar_is_reported_at_once(tmp_path):
    txt = write_source(tmp_path, title=12345, url="javascript:alert(1)", language="xx", published_at=20221115)
    found = [p for p in problems(tmp_path) if "a1.json" in p]
    assert {p.split(": ")[1] for p in found} == {"title", "url", "language", "published_at"}
    with pytest.raises(SourceError) as err:
        load_article(txt, today=RUN_DATE)
    assert "source 'a1'" in str(err.value) and str(txt) in str(err.value)
    assert all(field in str(err.value) for field in ("title", "url", "language", "published_at"))


def test_sources_invalid_lists_every_file(tmp_path):
    write_source(tmp_path, "a1", title=1)
    write_source(tmp_path, "a2", language="xx")
    with pytest.raises(SourcesInvalid) as err:
        check_sources(tmp_path, today=RUN_DATE)
    assert "2 problem(s) in 2 source file(s)" in str(err.value)
    assert "a1.json: title" in str(err.value) and "a2.json: language" in str(err.value)
    assert len(err.value.problems) == 2


# --- dates against the capture and run dates ------------------------------------------------------
def test_publication_after_the_run_date(tmp_path):
    txt = write_source(tmp_path, published_at="2099-01-01T00:00:00+07:00")
    refused(tmp_path, txt, r"a1\.json: published_at: 2099-01-01 is after the run date 2026-12-07")


def test_publication_after_the_capture_date(tmp_path):
    txt = write_source(tmp_path, published_at="2024-03-02T00:00:00+07:00", captured_on="2024-03-01")
    refused(tmp_path, txt, r"a1\.json: published_at: 2024-03-02 is after the capture date 2024-03-01")


def test_capture_after_the_run_date(tmp_path):
    txt = write_source(tmp_path, captured_on="2030-01-01")
    refused(tmp_path, txt, r"a1\.json: captured_on: 2030-01-01 is after the run date 2026-12-07")


def test_publication_on_the_run_date_in_vietnam_is_accepted(tmp_path):
    # 06:30 on 7 December in Vietnam is still 6 December in UTC: the Vietnamese date counts.
    write_source(tmp_path, published_at="2026-12-07T06:30:00+07:00")
    assert problems(tmp_path) == []


# --- source ids --------------------------------------------------------------------------------------
@pytest.mark.parametrize("source_id", [SEED_ID, "r-bac-giang-20230512-dich-vu-cong", "x", "a" * 100])
def test_valid_source_ids(tmp_path, source_id):
    write_source(tmp_path, source_id)
    assert problems(tmp_path) == []


@pytest.mark.parametrize("source_id", ["Hau-Giang", "-a", "_a", "a b", "a.b", "a" * 101, "café"])
def test_unsafe_source_ids(tmp_path, source_id):
    txt = write_source(tmp_path, source_id)
    found = problems(tmp_path)
    assert any(f"{txt.name}: file name {source_id!r} is not a valid source id" in p for p in found), found
    assert any(f"{txt.with_suffix('.json').name}: source_id: {source_id!r} does not match" in p for p in found), found


def test_newline_in_a_source_id(tmp_path):
    txt = write_source(tmp_path, "a1", source_id="a1\n")
    refused(tmp_path, txt, r"a1\.json: source_id: 'a1\\n' does not match")


def test_two_ids_differing_only_in_normalisation_are_both_refused(tmp_path):
    nfc, nfd = unicodedata.normalize("NFC", "hậu"), unicodedata.normalize("NFD", "hậu")
    write_source(tmp_path, "x1", source_id=nfc)
    write_source(tmp_path, "x2", source_id=nfd)
    found = problems(tmp_path)
    assert any(f"x1.json: source_id: {nfc!r} does not match" in p for p in found)
    assert any(f"x2.json: source_id: {nfd!r} does not match" in p for p in found)


def test_source_id_must_match_the_file_name(tmp_path):
    txt = write_source(tmp_path, "a1", source_id="a2")
    refused(tmp_path, txt, r"a1\.json: source_id: 'a2' does not match the file name 'a1'")


def test_source_id_equal_to_a_table_source(tmp_path):
    table = tmp_path / "tables" / "dti"
    table.mkdir(parents=True)
    (table / "t.json").write_text(json.dumps({"source_id": "dti_provincial_2022", "kind": "official_table"}), encoding="utf-8")
    txt = write_source(tmp_path, "dti_provincial_2022")
    refused(tmp_path, txt, r"dti_provincial_2022\.json: source_id: 'dti_provincial_2022' is already the id of the table source .*tables/dti/t\.json")


def test_source_id_equal_to_the_province_register(tmp_path):
    txt = write_source(tmp_path, "provinces")
    refused(tmp_path, txt, r"articles/provinces\.json: source_id: 'provinces' is already the id of the table source .*registers/provinces\.json")


# --- the article text --------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "   \n\t\n  "])
def test_empty_article(tmp_path, text):
    txt = write_source(tmp_path, text=text)
    refused(tmp_path, txt, r"a1\.txt: the article is empty")


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x85"])
def test_control_characters_in_the_text(tmp_path, char):
    txt = write_source(tmp_path, text=f"Tiêu đề\nHậu Giang có 3{char}8 điểm cầu.\n")
    refused(tmp_path, txt, rf"a1\.txt: control character U\+{ord(char):04X} at line 2 column 15")


def test_nul_inside_a_number_is_never_read_as_the_digits_after_it(tmp_path):
    """`dxdata extract` on a file refuses it too, instead of publishing 8 for '3\\x008'."""
    path = tmp_path / "x.txt"
    path.write_text("Tiêu đề\nHậu Giang có 3\x008 điểm cầu họp trực tuyến.\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"x\.txt: control character U\+0000 at line 2 column 15"):
        article_from_file(path, date(2022, 5, 5))


def test_control_characters_on_standard_input_are_refused(monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("Tiêu đề\nHậu Giang có 3\x008 điểm cầu.\n".encode())))
    with pytest.raises(SourceFileError, match=r"stdin: control character U\+0000 at line 2 column 15"):
        article_from_file(Path("-"), date(2022, 5, 5))


def test_text_not_utf8(tmp_path):
    txt = write_source(tmp_path, text="Hậu Giang có 98 điểm cầu.".encode("utf-16"))
    refused(tmp_path, txt, r"a1\.txt: not UTF-8 text")


def test_sha256_mismatch(tmp_path):
    txt = write_source(tmp_path, sha256="0" * 64)
    refused(tmp_path, txt, r"a1\.txt: sha256 [0-9a-f]{64} differs from the sidecar's 0{64}")


def test_tabs_zero_width_spaces_and_crlf_are_accepted(tmp_path):
    write_source(tmp_path, text="Tiêu đề\r\nHậu Giang\tcó 98\u200b điểm cầu.\r\n")
    assert problems(tmp_path) == []


# --- one article never blocks the release anonymously ----------------------------------------------
def test_a_fact_dated_1999_goes_to_review_not_to_the_fact_tables():
    text = "Tiêu đề\nNăm 1999, tỷ lệ hồ sơ trực tuyến của Hậu Giang đạt 50%.\n"
    result = extract_article(Article("a1", "Tiêu đề", text, date(2022, 5, 5), {}))
    assert result.facts == []
    [held] = [c for c in result.candidates if c.indicator_id == "egov.online_dossier_pct"]
    assert held.ref_year == 1999 and "outside the years the fact tables hold" in held.note


def test_the_year_bounds_are_the_fact_tables_bounds():
    from schemas.tables import FactTable

    checks = FactTable.to_schema().columns["ref_year"].checks
    stats = {k: v for c in checks for k, v in c.statistics.items()}
    assert (stats["min_value"], stats["max_value"]) == (FIRST_REF_YEAR, LAST_REF_YEAR)


def test_an_engine_failure_names_the_source(monkeypatch):
    """Any exception inside the engine surfaces as an ExtractionError naming the source. The
    failure is injected through the dateline reader, which the engine looks up at call time in
    both the pure-Python and the compiled build."""
    import dxdata.ingest

    def broken(*args, **kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(dxdata.ingest, "find_dateline", broken)
    article = Article("r-hau-giang-1", None, "Chỉ số | Điểm\nHạ tầng số | 0,7\n", None, {"path": "articles/r-hau-giang-1.txt"})
    with pytest.raises(ExtractionError, match=r"source 'r-hau-giang-1' \(articles/r-hau-giang-1\.txt\): extraction failed: IndexError"):
        extract_article(article)
    # A bundled article's file is named even when its sidecar gives no path.
    bundled = Article("r-hau-giang-2", None, "Hạ tầng số.\n", None, {"source_id": "r-hau-giang-2"})
    with pytest.raises(ExtractionError, match=r"source 'r-hau-giang-2' \(articles/r-hau-giang-2\.txt\): extraction failed"):
        extract_article(bundled)


# --- item 3: long lines --------------------------------------------------------------------------------
def test_a_200_kb_line_extracts_and_no_fact_holds_a_copy_of_it():
    """Each candidate used to copy the whole sentence (memory grew with the square of its length):
    quotes are now bounded by the sentence limit, whatever the line's length."""
    piece = "Hậu Giang xếp thứ 1/63, có 98 điểm cầu họp trực tuyến, "
    line = (piece * (200_000 // len(piece) + 1))[:200_000]
    result = extract_article(Article("long", None, line + "\n", date(2022, 5, 5), {}))
    every = result.facts + result.candidates + result.targets
    assert len(every) > 1000  # the figures along the whole line are read
    assert max(len(f.quote) for f in every) <= MAX_SENTENCE_CHARS
    assert max(f.value_end for f in every) > 190_000  # including the end of the line
    for f in every[::97]:
        assert line[f.quote_start : f.quote_end] == f.quote
    # The candidates of one sentence share its quote: one string per sentence, not one per figure.
    by_span: dict[tuple[int, int], list] = {}
    for f in every:
        by_span.setdefault((f.quote_start, f.quote_end), []).append(f.quote)
    assert len(by_span) < len(every) / 10
    assert all(all(q is quotes[0] for q in quotes) for quotes in by_span.values())


def test_long_sentences_are_cut_at_a_clause_mark_and_lose_no_text():
    text = ("Hậu Giang có 98 điểm cầu, " * 400).strip()
    spans = split_sentences(text)
    assert len(spans) > 1 and all(b - a <= MAX_SENTENCE_CHARS for a, b in spans)
    assert all(text[b - 1] == "," for a, b in spans[:-1])  # cut after a comma, never inside a number
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "")


def test_a_long_run_without_spaces_is_still_bounded():
    text = "x" * (3 * MAX_SENTENCE_CHARS + 5)
    spans = split_sentences(text)
    assert [b - a for a, b in spans] == [MAX_SENTENCE_CHARS] * 3 + [5]


def test_iso_639_1_list_is_the_two_letter_one():
    codes = iso_639_1()
    assert {"vi", "en", "fr", "zh"} <= codes and "vie" not in codes and len(codes) > 150


def test_schema_is_declared_once():
    """The schema is the pydantic model: its JSON Schema lists every key a sidecar may hold."""
    schema = ArticleSidecar.model_json_schema()
    assert set(schema["required"]) == {"source_id", "title", "publisher", "published_at", "language", "licence"}
    assert {"published_at_from", "themes", "excerpt", "excerpt_chars", "captured_from", "captured_on",
            "original_outlet", "outlet_credit", "provinces", "url", "sha256"} <= set(schema["properties"])


# --- table and register sidecars -------------------------------------------------------------------
def write_table_sidecar(root: Path, name: str, **changes) -> Path:
    meta = {
        "source_id": name, "kind": "official_table", "title": "Bảng", "publisher": "Bộ", "published_at": "2023-07-12",
        "url": "https://dti.gov.vn/a https://dti.gov.vn/b", "language": "vi", "licence": "l", "citation": "c", "coverage": "any extra key",
    }
    meta.update(changes)
    path = root / "tables" / "dti" / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({k: v for k, v in meta.items() if v is not DROP}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("url", "https://dti.gov.vn/a javascript:alert(1)", r"url: 'javascript:alert\(1\)': URL scheme should be 'http' or 'https'"),
        ("url", " ", r"url: is blank"),
        ("kind", "article", r"kind: Input should be 'official_table', 'press_table' or 'register'"),
        ("citation", DROP, r"citation: Field required"),
        ("published_at", "12/07/2023", r"published_at: Input should be a valid date"),
        ("language", "vn", r"language: 'vn' is not an ISO 639-1 language code"),
        ("source_id", "DTI 2022", r"source_id: 'DTI 2022' does not match"),
    ],
)
def test_table_sidecar_problems(tmp_path, key, value, message):
    import re

    write_table_sidecar(tmp_path, "t1", **{key: value})
    found = problems(tmp_path)
    assert any(re.search(r"tables/dti/t1\.json: " + message, p) for p in found), found


def test_a_valid_table_sidecar_with_extra_keys_and_two_urls(tmp_path):
    write_table_sidecar(tmp_path, "t1", published_at=None)
    assert problems(tmp_path) == []


def test_two_tables_with_one_id(tmp_path):
    write_table_sidecar(tmp_path, "t1")
    write_table_sidecar(tmp_path, "t2", source_id="t1")
    assert any("t2.json: source_id: 't1' is already the id of" in p and "t1.json" in p for p in problems(tmp_path))
