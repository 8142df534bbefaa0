"""Dates of facts on pages without a dateline (issue 13, item 4): the sidecar's published_at dates
a bundled source in `dxdata extract` as in the pipeline, and a stated period ("Tính đến hết năm
2018", "năm 2023", "quý I năm 2023", "Quý I/2023") dates a fact even with no publication date.

The sentences are written for these tests; the province and figures are invented."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest

from dxdata.extract import cli_extract, extract_article
from dxdata.ingest import SourceError, article_from_text, load_article

TITLE = "Bắc Giang đẩy mạnh chuyển đổi số"


def facts_of(sentence: str, published: date | None = None):
    result = extract_article(article_from_text(f"{TITLE}\n\n{sentence}\n", source_id="t", published=published))
    return [(f.indicator_id, f.value, f.ref_year, f.ref_date) for f in result.facts], result


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Tính đến hết năm 2018, toàn tỉnh Bắc Giang có 1.250 trạm BTS.", ("infra.bts_stations", 1250.0, 2018, None)),
        ("Tính đến cuối năm 2022, tỉnh Bắc Giang có 325 doanh nghiệp công nghệ số.", ("ent.digital_tech_enterprises", 325.0, 2022, None)),
        ("Năm 2023, tỷ lệ hồ sơ trực tuyến của tỉnh Bắc Giang đạt 81,6%.", ("egov.online_dossier_pct", 81.6, 2023, None)),
        ("Trong quý I năm 2023, tỷ lệ hồ sơ trực tuyến của tỉnh Bắc Giang đạt 45,2%.", ("egov.online_dossier_pct", 45.2, 2023, None)),
        ("Quý I/2023, tỷ lệ hồ sơ trực tuyến của tỉnh Bắc Giang đạt 45,2%.", ("egov.online_dossier_pct", 45.2, 2023, None)),
    ],
)
def test_a_stated_period_dates_a_fact_without_any_publication_date(sentence, expected):
    facts, _ = facts_of(sentence)
    assert facts == [expected]


def test_a_stated_quarter_is_not_read_as_the_publication_date():
    facts, _ = facts_of("Quý I/2023, tỷ lệ hồ sơ trực tuyến của tỉnh Bắc Giang đạt 45,2%.", date(2024, 3, 1))
    assert facts == [("egov.online_dossier_pct", 45.2, 2023, None)]


def test_a_quarter_without_year_is_the_publication_year_without_a_date():
    facts, _ = facts_of("Trong quý II, tỷ lệ hồ sơ trực tuyến của tỉnh Bắc Giang đạt 45,2%.", date(2024, 8, 1))
    assert facts == [("egov.online_dossier_pct", 45.2, 2024, None)]


def test_a_target_year_stays_a_target_without_a_publication_date():
    facts, result = facts_of("Phấn đấu đến hết năm 2025, tỉnh Bắc Giang có 500 doanh nghiệp công nghệ số.")
    assert facts == [] and [(t.indicator_id, t.ref_year) for t in result.targets] == [("ent.digital_tech_enterprises", 2025)]


def test_a_present_state_fact_without_any_date_is_held_back():
    facts, result = facts_of("Đến nay, toàn tỉnh Bắc Giang có 2.100 trạm BTS.")
    assert facts == [] and [f.indicator_id for f in result.candidates] == ["infra.bts_stations"]


# --- the sidecar's date ------------------------------------------------------------------------------

UNDATED = f"{TITLE}\n\nĐến nay, toàn tỉnh Bắc Giang có 2.100 trạm BTS.\n"


def write_source(folder, text: str, **sidecar) -> object:
    path = folder / "r-bac-giang-20230512-test.txt"
    path.write_text(text, encoding="utf-8")
    meta = {
        "source_id": path.stem, "kind": "article", "title": TITLE, "publisher": "Test fixture",
        "published_at": "2023-05-12T00:00:00+07:00", "url": "https://example.invalid/x", "language": "vi",
        "licence": "Invented for the tests", "provinces": ["Bắc Giang"], "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }
    meta.update(sidecar)
    path.with_suffix(".json").write_text(json.dumps({k: v for k, v in meta.items() if v is not None}, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_pipeline_dates_an_undated_text_from_its_sidecar(tmp_path):
    article = load_article(write_source(tmp_path, UNDATED))
    assert article.published == date(2023, 5, 12)
    assert [(f.indicator_id, f.ref_year, f.ref_date) for f in extract_article(article).facts] == [("infra.bts_stations", 2023, "2023-05-12")]


def test_extract_command_dates_an_undated_text_from_its_sidecar(tmp_path, capsys):
    path = write_source(tmp_path, UNDATED)
    assert cli_extract([path], fmt="jsonl", published=None) == 0
    out, err = capsys.readouterr()
    [fact] = [json.loads(line) for line in out.splitlines()]
    assert (fact["indicator_id"], fact["ref_date"]) == ("infra.bts_stations", "2023-05-12")
    assert "no publication date" not in err


def test_a_sidecar_without_a_date_is_an_error_naming_it(tmp_path, capsys):
    path = write_source(tmp_path, UNDATED, published_at=None)
    assert cli_extract([path], fmt="jsonl", published=None) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {path.with_suffix('.json')}: ") and "published_at" in err
    with pytest.raises(SourceError, match="published_at"):
        load_article(path)
