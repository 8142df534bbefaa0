"""Patch releases for corrections that touch no row (the package title, a column's description)
and release notes that stay a valid Markdown table whatever the text: details mutation testing
(scripts/mutation_test.py) found no test for."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone

import pytest

from dxdata import release as rel
from dxdata.release import publish_release
from release_fixtures import make_tables

CREATED = datetime(2026, 1, 2, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def first_template(tmp_path_factory):
    return publish_release(make_tables(), releases_dir=tmp_path_factory.mktemp("template") / "releases", created=CREATED)


@pytest.fixture
def releases(first_template, tmp_path):
    shutil.copytree(first_template.path.parent, tmp_path / "releases")
    return tmp_path / "releases"


def test_a_corrected_title_is_a_patch(releases, monkeypatch):
    monkeypatch.setattr(rel, "PACKAGE_TITLE", rel.PACKAGE_TITLE + " (corrected)")
    out = publish_release(make_tables(), releases_dir=releases, created=CREATED)
    assert (out.version, out.bump) == ("1.0.1", "patch") and out.changes.empty


def test_a_corrected_column_description_is_a_patch(releases, monkeypatch):
    original = rel.table_schema

    def table_schema(name, table):
        schema = original(name, table)
        if name == "workforce":
            schema["fields"] = [dict(f, description=f["description"] + " (clarified)") if f["name"] == "quote" else f
                                for f in schema["fields"]]
        return schema

    monkeypatch.setattr(rel, "table_schema", table_schema)
    out = publish_release(make_tables(), releases_dir=releases, created=CREATED)
    assert (out.version, out.bump) == ("1.0.1", "patch") and out.changes.empty


def test_release_notes_escape_table_separators_and_line_breaks():
    changes = rel.changes_frame([{
        "table": "sources", "change": "metadata", "key": '["a|b"]', "columns": "title\nciting",
    }])
    notes = rel.changes_markdown("1.0.1", "2026-01-02T00:00:00Z", "1.0.0", "patch", "Patch release.", changes, {"sources": 2})
    [row] = [line for line in notes.splitlines() if line.startswith("| metadata | sources |")]
    assert row == "| metadata | sources | a\\|b | title citing |"


def test_schema_changes_see_nullability_and_name_the_added_column_type():
    import pyarrow as pa

    old = {"t": pa.schema([pa.field("a", pa.int64(), nullable=True)])}
    new = {"t": pa.schema([pa.field("a", pa.int64(), nullable=False), pa.field("b", pa.string())])}
    assert rel.schema_changes(old, new) == [
        {"table": "t", "change": "column_added", "columns": "b", "detail": "string"},
        {"table": "t", "change": "column_retyped", "columns": "a", "detail": "int64 -> int64 not null"},
    ]
