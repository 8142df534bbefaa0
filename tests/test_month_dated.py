"""A page that shows only the month it appeared in: its sidecar says "YYYY-MM", the sources table
records month precision, and its present-state facts get the year but no day."""

import json
from datetime import date
from pathlib import Path

import pytest

from dxdata.extract import article_from_file, extract_article
from dxdata.ingest import load_article, published_month_only, source_record
from dxdata.sidecar import read_sidecar
from dxdata.tables import published_fields

TEXT = (
    "Tỉnh Hậu Giang đẩy mạnh hạ tầng số\n"
    "Hiện nay, toàn tỉnh Hậu Giang có 1.250 trạm BTS phủ sóng đến tất cả các xã.\n"
)


def _write(folder: Path, published_at: str) -> Path:
    articles = folder / "articles"
    articles.mkdir(parents=True)
    txt = articles / "r-hau-giang-202211-ha-tang-so.txt"
    txt.write_text(TEXT, encoding="utf-8")
    sidecar = {
        "source_id": "r-hau-giang-202211-ha-tang-so",
        "kind": "article",
        "title": TEXT.splitlines()[0],
        "publisher": "A test publisher",
        "published_at": published_at,
        "published_at_from": "date in the URL",
        "url": "https://example.org/202211/ha-tang-so.html",
        "language": "vi",
        "licence": "test text written for this test",
    }
    txt.with_suffix(".json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    return txt


@pytest.mark.parametrize("value, expected", [("2022-11", True), ("2022-13", False), ("2022-11-05", False), ("2022", False), (None, False)])
def test_month_only_dates_are_recognised(value, expected):
    assert published_month_only(value) is expected


def test_month_dated_sidecar_is_valid_and_dates_facts_by_year_only(tmp_path):
    txt = _write(tmp_path, "2022-11")
    model, _meta, problems = read_sidecar(txt.with_suffix(".json"))
    assert not problems and model is not None
    article = load_article(txt)
    assert article.published.isoformat() == "2022-11-01"
    facts = [f for f in extract_article(article).facts if f.indicator_id == "infra.bts_stations"]
    assert [(f.value, f.ref_year, f.ref_date) for f in facts] == [(1250, 2022, None)]
    row = published_fields(source_record(article, sources_root=tmp_path))
    assert row["published_precision"] == "month"
    assert row["published_at"].isoformat().startswith("2022-11-01T00:00:00+07:00")


def test_day_dated_sidecar_still_dates_facts_by_day(tmp_path):
    txt = _write(tmp_path, "2022-11-05T00:00:00+07:00")
    facts = [f for f in extract_article(article_from_file(txt)).facts if f.indicator_id == "infra.bts_stations"]
    assert [(f.ref_year, f.ref_date) for f in facts] == [(2022, "2022-11-05")]


@pytest.mark.parametrize("bad", ["2022-13", "2022-1", "11-2022"])
def test_malformed_month_is_an_error_naming_the_field(tmp_path, bad):
    txt = _write(tmp_path, bad)
    _model, _meta, problems = read_sidecar(txt.with_suffix(".json"))
    assert any(p.field == "published_at" for p in problems), problems


def test_a_month_dated_page_knows_the_editions_announced_within_its_month(tmp_path):
    """Published "2023-07": the page may have appeared after a DTI edition announced in July, so
    the engine reads it as of the month's last day (and still gives no fact a day)."""
    from dxdata.extract import _month_end

    assert [_month_end(date.fromisoformat(d)).isoformat() for d in ("2023-07-01", "2024-02-01", "2023-12-01")] == [
        "2023-07-31", "2024-02-29", "2023-12-31"]
