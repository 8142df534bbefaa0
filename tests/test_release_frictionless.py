"""`frictionless validate datapackage.json` passes on a release: the data of every resource, read
by frictionless itself, not only the descriptor (issue 11, item 2)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from frictionless import validate

from dxdata.conflicts import find_conflicts
from dxdata.official import reference_tables
from dxdata.release import publish_release
from release_fixtures import TABLE_ID, base_facts, make_tables, with_value


def _all_tables(facts):
    import pandas as pd

    from dxdata.official import table_source_records
    from dxdata.tables import frame_for

    tables = make_tables(facts)
    tables.update(reference_tables())
    # The bundled table sources too: pages dated to the month or year, and sources without a date.
    tables["sources"] = pd.concat([tables["sources"], frame_for("sources", table_source_records())], ignore_index=True)
    assert tables["sources"]["published_at"].isna().any()
    merged = [t for name, t in tables.items() if name in ("infrastructure", "e_government", "workforce", "enterprises", "rankings")]
    tables["conflicts"] = find_conflicts(pd.concat(merged, ignore_index=True))
    return tables


@pytest.fixture(scope="module")
def release_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("w") / "releases"
    first = base_facts()
    # An article disagreeing with the table on a rank gives the conflicts table rows, and ranks
    # give rank_of values beside the null rank_of of every other fact.
    second = with_value("workforce.it_staff_total", 626) + [
        dict(first[-2], source_id="000_test_article", method="cue:dti#1", rank_of=63, value=27.0,
             quote="Hậu Giang xếp thứ 27/63", quote_end=10 + len("Hậu Giang xếp thứ 27/63"))
    ]
    publish_release(_all_tables(first), releases_dir=root, created=datetime(2026, 1, 2, tzinfo=timezone.utc))
    publish_release(_all_tables(second), releases_dir=root, created=datetime(2026, 2, 1, tzinfo=timezone.utc))
    return root / "1.1.0"


def test_frictionless_validates_the_data_of_every_resource(release_dir):
    report = validate(str(release_dir / "datapackage.json"))
    problems = [(t.name, e.type, getattr(e, "field_name", None), e.message) for t in report.tasks for e in t.errors]
    assert report.valid, problems[:10]
    import json

    names = {r["name"] for r in json.loads((release_dir / "datapackage.json").read_text())["resources"]}
    assert {t.name for t in report.tasks} == names
    assert {"conflicts", "changes", "rankings", "provinces"} <= names
    # The data was read: row counts come from the files, and the conflicts table is not empty.
    rows = {t.name: t.stats["rows"] for t in report.tasks}
    assert rows["conflicts"] >= 2 and rows["provinces"] == 63


def test_frictionless_finds_bad_data(release_dir, tmp_path):
    # The check above can fail: a value outside a declared constraint is reported by frictionless.
    import shutil

    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    copy = tmp_path / "rel"
    shutil.copytree(release_dir, copy)
    table = pq.read_table(copy / "provinces.parquet")
    table = table.set_column(0, table.schema.field(0), pc.utf8_replace_slice(table["code"], 0, 2, "X"))
    pq.write_table(table, copy / "provinces.parquet")
    report = validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert any(e.type == "constraint-error" for t in report.tasks if t.name == "provinces" for e in t.errors)


def test_release_with_timestamped_sources_verifies(release_dir):
    # published_at is TIMESTAMP WITH TIME ZONE in dx.duckdb and "datetime" in the descriptor.
    from dxdata.verify import verify_release

    assert verify_release(release_dir) == []
