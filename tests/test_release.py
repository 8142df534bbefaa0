"""Versioning by diff, atomic publishing, the gate, reproducible files and release notes."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dxdata import release as rel
from dxdata.release import ReleaseBlocked, ReleaseOutcome, publish_release, schema_changes
from release_fixtures import base_facts, fact, make_tables, with_value
import pandera.pandas as pa_model
from pandera.typing import Series

from schemas.reference import DtiEditionsTable
from schemas.tables import TABLE_MODELS, CheckOutcome

CREATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under folder: sha256 and mtime, to prove nothing was touched."""
    return {
        str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"
    }


@pytest.fixture
def releases(tmp_path) -> Path:
    return tmp_path / "releases"


@pytest.fixture(scope="module")
def first_template(tmp_path_factory) -> ReleaseOutcome:
    return publish_release(make_tables(), releases_dir=tmp_path_factory.mktemp("template") / "releases", created=CREATED)


@pytest.fixture
def first(first_template, releases) -> ReleaseOutcome:
    """A fresh copy of a published 1.0.0 (publishing costs about a second; copying does not)."""
    shutil.copytree(first_template.path.parent, releases)
    return dataclasses.replace(first_template, path=releases / "1.0.0")


def test_first_release_is_1_0_0_and_complete(first, releases):
    assert (first.version, first.bump) == ("1.0.0", "major")
    assert first.path == releases / "1.0.0"
    assert (releases / "LATEST").read_text().strip() == "1.0.0"
    names = {p.name for p in first.path.iterdir()}
    expected_tables = {f"{t}.parquet" for t in make_tables()}
    assert expected_tables | {"changes.parquet", "CHANGES.md", "dx.duckdb", "datapackage.json"} == names
    notes = (first.path / "CHANGES.md").read_text()
    assert "first release" in notes.lower()
    # No temp folder is left beside the release.
    assert sorted(p.name for p in releases.iterdir() if p.is_dir()) == ["1.0.0"]


def test_parquet_files_carry_model_descriptions_and_zstd(first):
    pf = pq.ParquetFile(first.path / "workforce.parquet")
    assert pf.metadata.row_group(0).column(0).compression == "ZSTD"
    schema = pf.schema_arrow
    assert schema.field("value").metadata[b"description"].startswith(b"The value")
    assert schema.field("ref_date").type == pa.string()
    assert schema.metadata[b"table"] == b"workforce"
    df = pd.read_parquet(first.path / "workforce.parquet")
    assert df.loc[df.indicator_id == "workforce.it_staff_total", "value"].tolist() == [625.0]


def test_unchanged_inputs_publish_nothing(first, releases):
    before = snapshot(releases)
    again = publish_release(make_tables(), releases_dir=releases, created=datetime(2027, 1, 1, tzinfo=timezone.utc))
    assert (again.version, again.path, again.bump) == (None, None, None)
    assert "no change" in again.reason and "1.0.0" in again.reason
    assert snapshot(releases) == before


def test_changed_value_bumps_minor_and_notes_list_exactly_that_change(first, releases):
    before = snapshot(first.path)
    second = publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=releases, created=CREATED)
    assert (second.version, second.bump) == ("1.1.0", "minor")
    assert (releases / "LATEST").read_text().strip() == "1.1.0"
    assert snapshot(first.path) == before  # the published release is untouched

    data_changes = second.changes[second.changes["change"].isin(["added", "removed", "changed", "metadata"])]
    assert len(data_changes) == 1
    row = data_changes.iloc[0]
    assert (row["table"], row["change"], row["indicator_id"], row["province_code"], row["ref_year"]) == (
        "workforce", "changed", "workforce.it_staff_total", "93", 2022)
    assert (row["old_value"], row["new_value"], row["columns"]) == (625.0, 626.0, "value")

    stored = pd.read_parquet(second.path / "changes.parquet")
    assert len(stored) == 1 and stored.iloc[0]["new_value"] == 626.0

    notes = (second.path / "CHANGES.md").read_text()
    fact_lines = [line for line in notes.splitlines() if line.startswith("| changed |") or line.startswith("| added |")
                  or line.startswith("| removed |")]
    assert fact_lines == [
        "| changed | workforce | workforce.it_staff_total | Hậu Giang (93) | 2022 | 2022-05-05 | 625 | 626 | 000_test_article | value |"
    ]
    assert "Compared with release 1.0.0" in notes
    assert "| workforce | 3 | 0 | 0 | 1 | 0 |" in notes


def test_added_and_removed_rows_bump_minor(first, releases):
    rows = base_facts()[1:] + [fact("ent.it_employees", 900)]  # drop it_staff_total, add one
    out = publish_release(make_tables(rows), releases_dir=releases, created=CREATED)
    assert (out.version, out.bump) == ("1.1.0", "minor")
    kinds = out.changes.groupby(["table", "change"]).size().to_dict()
    assert kinds == {("enterprises", "added"): 1, ("workforce", "removed"): 1}


def test_citation_change_is_a_patch(first, releases):
    out = publish_release(make_tables(citation_suffix=" Corrected."), releases_dir=releases, created=CREATED)
    assert (out.version, out.bump) == ("1.0.1", "patch")
    assert out.changes[["table", "change", "columns"]].values.tolist() == [["sources", "metadata", "citation"]]


def test_description_change_is_a_patch(first, releases, monkeypatch):
    monkeypatch.setattr(rel, "PACKAGE_DESCRIPTION", rel.PACKAGE_DESCRIPTION + " Now with a better description.")
    out = publish_release(make_tables(), releases_dir=releases, created=CREATED)
    assert (out.version, out.bump) == ("1.0.1", "patch")
    assert out.changes.empty


def test_table_removed_or_added_is_major(first, releases):
    tables = make_tables()
    del tables["indicators"]
    out = publish_release(tables, releases_dir=releases, created=CREATED)
    assert (out.version, out.bump) == ("2.0.0", "major")
    assert ("indicators", "table_removed") in set(zip(out.changes["table"], out.changes["change"]))
    assert not (out.path / "indicators.parquet").exists()

    back = publish_release(make_tables(), releases_dir=releases, created=CREATED)
    assert (back.version, back.bump) == ("3.0.0", "major")
    assert ("indicators", "table_added") in set(zip(back.changes["table"], back.changes["change"]))


def test_column_retyped_is_major(first, releases, monkeypatch):
    # A model whose `confidence` column became a string: the schema of a published table changed.
    original_to_arrow = rel.to_arrow

    def to_arrow(name, df):
        table = original_to_arrow(name, df)
        if name == "workforce":
            i = table.schema.get_field_index("confidence")
            f = table.schema.field(i)
            table = table.set_column(i, pa.field("confidence", pa.string(), nullable=False, metadata=f.metadata),
                                     table.column(i).cast(pa.string()))
        return table

    monkeypatch.setattr(rel, "to_arrow", to_arrow)
    out = publish_release(make_tables(), releases_dir=releases, created=CREATED)
    assert (out.version, out.bump) == ("2.0.0", "major")
    retype = out.changes[out.changes["change"] == "column_retyped"]
    assert retype[["table", "columns", "detail"]].values.tolist() == [
        ["workforce", "confidence", "double not null -> string not null"]]


class _EditionsWithReviewer(DtiEditionsTable):
    """The dti_editions model with one more column, as a schema change would add it."""

    reviewer: Series[pd.StringDtype] = pa_model.Field(nullable=True, description="Who checked the edition's dates")


def test_column_added_then_removed_is_major_each_time(first, releases, monkeypatch):
    """A column added to, then removed from, a published table, with no row changed otherwise:
    each is a major release on its own (a reader's SELECT of that column breaks)."""
    monkeypatch.setitem(TABLE_MODELS, "dti_editions", _EditionsWithReviewer)
    tables = make_tables()
    tables["dti_editions"] = tables["dti_editions"].assign(reviewer=pd.Series([None] * len(tables["dti_editions"]), dtype="string"))
    added = publish_release(tables, releases_dir=releases, created=CREATED)
    assert (added.version, added.bump) == ("2.0.0", "major")
    assert added.changes[["table", "change", "columns"]].values.tolist() == [["dti_editions", "column_added", "reviewer"]]

    monkeypatch.setitem(TABLE_MODELS, "dti_editions", DtiEditionsTable)
    removed = publish_release(make_tables(), releases_dir=releases, created=CREATED)
    assert (removed.version, removed.bump) == ("3.0.0", "major")
    assert removed.changes[["table", "change", "columns"]].values.tolist() == [["dti_editions", "column_removed", "reviewer"]]


def test_schema_changes_names_added_removed_and_retyped_columns():
    old = {"t": pa.schema([("a", pa.string()), ("b", pa.int64()), ("c", pa.float64())]), "gone": pa.schema([("x", pa.int64())])}
    new = {"t": pa.schema([("a", pa.string()), ("b", pa.float64()), ("d", pa.string())]), "new": pa.schema([("y", pa.int64())])}
    got = {(c["table"], c["change"], c.get("columns")) for c in schema_changes(old, new)}
    assert got == {
        ("new", "table_added", None), ("gone", "table_removed", None),
        ("t", "column_added", "d"), ("t", "column_removed", "c"), ("t", "column_retyped", "b"),
    }


def test_same_inputs_give_byte_identical_parquet(tmp_path):
    a = publish_release(make_tables(), releases_dir=tmp_path / "a", created=CREATED)
    b = publish_release(make_tables(), releases_dir=tmp_path / "b", created=datetime(2030, 6, 1, tzinfo=timezone.utc))
    parquet = sorted(p.name for p in a.path.glob("*.parquet"))
    assert len(parquet) == len(make_tables()) + 1  # every table and changes.parquet
    for name in parquet:
        assert (a.path / name).read_bytes() == (b.path / name).read_bytes(), name
    # The creation time lives in datapackage.json only.
    assert '"created": "2026-01-02T03:04:05Z"' in (a.path / "datapackage.json").read_text()
    assert '"created": "2030-06-01T00:00:00Z"' in (b.path / "datapackage.json").read_text()


def test_row_order_of_input_does_not_change_the_bytes(tmp_path):
    a = publish_release(make_tables(base_facts()), releases_dir=tmp_path / "a", created=CREATED)
    b = publish_release(make_tables(list(reversed(base_facts()))), releases_dir=tmp_path / "b", created=CREATED)
    assert (a.path / "rankings.parquet").read_bytes() == (b.path / "rankings.parquet").read_bytes()


def test_failed_check_outcome_blocks_and_publishes_nothing(first, releases):
    before = snapshot(releases)
    bad_rows = pd.DataFrame([{"indicator_id": "infra.agency_internet_lan_pct", "value": 120.0}])
    failed = CheckOutcome("infrastructure", False, pd.DataFrame({"check": ["percent_within_0_100"]}), bad_rows)
    with pytest.raises(ReleaseBlocked) as err:
        publish_release(make_tables(with_value("workforce.it_staff_total", 700)), releases_dir=releases,
                        check_outcomes=[CheckOutcome("workforce", True, pd.DataFrame(), bad_rows.iloc[0:0]), failed])
    assert "infrastructure" in str(err.value) and err.value.failed == ["infrastructure"]
    assert snapshot(releases) == before


def test_table_failing_its_model_blocks_the_release(first, releases):
    before = snapshot(releases)
    rows = base_facts()
    rows[5]["value"] = 120.0  # infra.agency_internet_lan_pct: a percentage above 100
    with pytest.raises(ReleaseBlocked) as err:
        publish_release(make_tables(rows), releases_dir=releases, created=CREATED)
    assert "infrastructure" in str(err.value) and "percent_within_0_100" in str(err.value)
    assert snapshot(releases) == before


def test_blocked_first_release_creates_nothing(releases):
    rows = base_facts()
    rows[5]["value"] = 120.0
    with pytest.raises(ReleaseBlocked):
        publish_release(make_tables(rows), releases_dir=releases, created=CREATED)
    assert not releases.exists() or not any(p.name != ".lock" for p in releases.iterdir())


def test_unknown_table_blocks(releases):
    tables = make_tables()
    tables["mystery"] = pd.DataFrame({"a": [1]})
    with pytest.raises(ReleaseBlocked, match="mystery"):
        publish_release(tables, releases_dir=releases)


def test_crash_while_building_leaves_no_partial_release(first, releases, monkeypatch):
    before = snapshot(releases)

    def crash(*args, **kwargs):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(rel, "build_duckdb", crash)
    with pytest.raises(OSError, match="simulated"):
        publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=releases, created=CREATED)
    assert snapshot(releases) == before
    assert [p.name for p in releases.iterdir() if p.is_dir()] == ["1.0.0"]


def test_leftover_temp_folder_from_a_hard_crash_is_ignored_and_cleaned(first, releases):
    stale = releases / f"{rel.TMP_PREFIX}1.1.0-deadbeef"
    stale.mkdir()
    (stale / "workforce.parquet").write_bytes(b"half written")
    out = publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=releases, created=CREATED)
    assert out.version == "1.1.0"
    assert not stale.exists()


def test_existing_release_folder_is_never_overwritten(first, releases):
    # The newest version folder has no descriptor (damaged, or made by hand): refuse to build
    # on it, and leave it as it is.
    squatter = releases / "1.1.0"
    squatter.mkdir()
    with pytest.raises(rel.ReleaseError, match="1.1.0"):
        publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=releases, created=CREATED)
    assert list(squatter.iterdir()) == []


def test_latest_is_replaced_atomically(first, releases, monkeypatch):
    replaced = []
    real_replace = os.replace

    def spy(src, dst):
        replaced.append((Path(src).name, Path(dst).name))
        return real_replace(src, dst)

    monkeypatch.setattr(rel.os, "replace", spy)
    publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=releases, created=CREATED)
    targets = [dst for _, dst in replaced]
    # LATEST last: it names a version only once the catalogue lists it.
    assert targets == ["index.html", "index.json", "LATEST"]
    assert all(src.startswith(rel.TMP_PREFIX) for src, _ in replaced)


def test_bump_version_rules():
    assert rel.bump_version("1.2.3", "major") == "2.0.0"
    assert rel.bump_version("1.2.3", "minor") == "1.3.0"
    assert rel.bump_version("1.2.3", "patch") == "1.2.4"
    with pytest.raises(ValueError):
        rel.parse_version("1.2")


def test_damaged_previous_release_is_a_clear_error_and_left_alone(first, releases):
    (first.path / "workforce.parquet").write_bytes(b"not parquet")
    before = snapshot(releases)
    with pytest.raises(rel.ReleaseError, match="workforce.parquet.*dxdata verify"):
        publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=releases, created=CREATED)
    assert snapshot(releases) == before
