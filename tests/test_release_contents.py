"""Parts of a published release that no test read before mutation testing
(scripts/mutation_test.py) showed they could change unnoticed: the release notes' sections and
rows for every kind of change, the metadata of changes.parquet, and each resource's format in
datapackage.json."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pyarrow.parquet as pq
import pytest

from dxdata.release import PARQUET_MEDIATYPE, publish_release
from release_fixtures import base_facts, fact, make_tables
from schemas.tables import TABLE_MODELS, table_description

CREATED = datetime(2026, 1, 2, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory):
    releases = tmp_path_factory.mktemp("w") / "releases"
    first = publish_release(make_tables(), releases_dir=releases, created=CREATED)
    rows = [r for r in base_facts() if r["indicator_id"] != "ent.it_enterprises"]  # removed
    rows = [dict(r, value=626.0) if r["indicator_id"] == "workforce.it_staff_total" else r for r in rows]  # changed
    rows.append(fact("infra.bts_stations", 512))  # added
    second = publish_release(make_tables(rows, citation_suffix=" Corrected."), releases_dir=releases,
                             created=datetime(2026, 2, 1, tzinfo=timezone.utc))
    return first, second


def section(notes: str, heading: str) -> list[str]:
    assert f"\n## {heading}\n" in notes, heading
    return notes.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0].strip().splitlines()


def test_first_release_notes_count_the_rows_of_every_table(two_releases):
    first, _ = two_releases
    lines = section((first.path / "CHANGES.md").read_text(encoding="utf-8"), "Rows per table")
    assert lines[:2] == ["| table | rows |", "|---|---:|"]
    assert "| workforce | 3 |" in lines and "| provinces_2025 | 34 |" in lines


def test_later_release_notes_list_every_kind_of_change(two_releases):
    _, second = two_releases
    notes = (second.path / "CHANGES.md").read_text(encoding="utf-8")
    assert notes.startswith("# Release 1.1.0\n\nPublished 2026-02-01. Minor release: ")
    assert "Compared with release 1.0.0. Version bump: **minor**." in notes
    assert section(notes, "Counts per table")[0].startswith("| table | rows | added | removed | changed |")
    assert section(notes, "Schema changes") == ["None."]
    facts = section(notes, "Fact changes")
    assert any(line.startswith("| added | infrastructure | infra.bts_stations |") for line in facts), facts
    assert any(line.startswith("| removed | enterprises | ent.it_enterprises |") for line in facts), facts
    assert any(line.startswith("| changed | workforce | workforce.it_staff_total |") and "| 625 | 626 |" in line for line in facts), facts
    assert any(line.startswith("| metadata | sources |") and "citation" in line for line in section(notes, "Other table changes"))


def test_changes_parquet_says_what_it_is(two_releases):
    _, second = two_releases
    schema = pq.read_schema(second.path / "changes.parquet")
    assert schema.metadata[b"table"] == b"changes"
    assert schema.metadata[b"description"].startswith(b"Difference from the previous release")
    assert [f.name for f in schema if not f.nullable] == ["table", "change"]


def test_every_resource_is_declared_as_parquet(two_releases):
    _, second = two_releases
    descriptor = json.loads((second.path / "datapackage.json").read_text(encoding="utf-8"))
    assert {(r["format"], r["mediatype"]) for r in descriptor["resources"]} == {("parquet", PARQUET_MEDIATYPE)}
    described = {r["name"]: r["description"] for r in descriptor["resources"] if r["name"] != "changes"}
    assert described == {name: table_description(TABLE_MODELS[name]) for name in described}
