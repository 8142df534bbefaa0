"""Provenance in the sources table (issue 11, item 4): one URL per row, every compiled-table fact
names its page, original_outlet holds an outlet, published_at has one type."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from dxdata import official, paths
from dxdata.official import press_dti_facts, table_source_records
from dxdata.tables import frame_for, published_fields
from schemas.tables import PUBLISHED_TZ, validate_table


@pytest.fixture(scope="module")
def sources():
    return frame_for("sources", table_source_records())


def test_every_source_row_has_at_most_one_url(sources):
    assert validate_table("sources", sources).passed
    urls = sources["url"].dropna()
    assert len(urls) >= 40 and urls.str.fullmatch(r"https?://\S+").all()
    assert sources["source_id"].is_unique


def test_sources_model_refuses_several_urls_in_one_row(sources):
    bad = sources.copy()
    bad.loc[0, "url"] = "https://example.org/a https://example.org/b"
    outcome = validate_table("sources", bad)
    assert not outcome.passed and "str_matches" in set(outcome.failures["check"].astype(str).str.split("(").str[0])


def test_every_compiled_fact_names_its_page(sources):
    by_id = sources.set_index("source_id")
    header = official.press_dti_path().read_text(encoding="utf-8").splitlines()[0]
    facts = press_dti_facts()
    assert len(facts) > 300
    for f in facts:
        row = next(csv.DictReader(io.StringIO(header + "\n" + f.quote + "\n")))
        assert by_id.loc[f.source_id, "url"] == row["source_url"]
        assert by_id.loc[f.source_id, "title"] == row["source_title"]
        assert row["source_url"] in f.note


def test_original_outlet_is_an_outlet_or_null(sources):
    # It used to say "see the source_urls column of each row", a column no release has.
    outlets = sources["original_outlet"].dropna()
    assert not outlets.str.contains("column").any()
    assert outlets.str.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}").all(), outlets.tolist()


def test_published_at_has_one_type(sources):
    assert str(sources["published_at"].dtype) == f"datetime64[ns, {PUBLISHED_TZ}]"
    assert set(sources["published_precision"].dropna()) <= {"minute", "day", "month", "year"}
    assert (sources["published_at"].isna() == sources["published_precision"].isna()).all()
    official_row = sources.set_index("source_id").loc["dti_provincial_2022"]
    assert official_row["published_at"] == pd.Timestamp("2023-07-12", tz=PUBLISHED_TZ)
    assert official_row["published_precision"] == "day"


@pytest.mark.parametrize(
    "written, expected, precision",
    [
        ("2022-05-05T21:48:00+07:00", "2022-05-05 21:48", "minute"),
        ("2022-05-05T14:48:00Z", "2022-05-05 21:48", "minute"),
        ("2023-05-12T00:00:00+07:00", "2023-05-12 00:00", "day"),
        ("2023-07-12", "2023-07-12 00:00", "day"),
        ("2021-10", "2021-10-01 00:00", "month"),
        ("2023", "2023-01-01 00:00", "year"),
    ],
)
def test_publication_dates_of_every_form_become_one_type(written, expected, precision):
    row = published_fields({"source_id": "s", "published_at": written})
    assert row["published_at"].tz_convert(PUBLISHED_TZ).strftime("%Y-%m-%d %H:%M") == expected
    assert row["published_precision"] == precision


@pytest.mark.parametrize("written", ["2021-13", "yesterday", "2022-05-05T08:00:00"])
def test_unreadable_publication_date_names_the_source(written):
    with pytest.raises(ValueError, match="source 'art-1': published_at"):
        published_fields({"source_id": "art-1", "published_at": written})


def test_sidecars_hold_no_url_lists():
    import json

    for sidecar in [*(paths.sources_dir() / "tables").rglob("*.json"), paths.registers_dir() / "provinces.json"]:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        assert meta.get("url") is None or " " not in meta["url"], sidecar
