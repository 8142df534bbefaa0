"""dx.duckdb: same tables as the Parquet files, comments, views, old-reader storage, isolation."""

from __future__ import annotations

import hashlib
import os
import struct
import subprocess
import sys
import warnings
from datetime import datetime, timezone

import duckdb
import pytest

from ci_requirements import require
from dxdata import release as rel
from dxdata.release import publish_release
from release_fixtures import base_facts, fact, make_tables, with_value

CREATED = datetime(2026, 1, 2, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    rows = base_facts() + [
        # An older and a newer value of one indicator: latest_facts must pick the newer.
        fact("egov.online_services_total", 1500, ref_year=2021, ref_date="2021-06-30"),
        fact("egov.online_services_total", 1900, ref_year=2022, ref_date=None, source_id="dti_test_table", method="official_table"),
        *TIES,
    ]
    tables = make_tables(rows)
    tables["sources"] = with_sources(tables["sources"], TIE_SOURCES)
    return publish_release(tables, releases_dir=tmp_path_factory.mktemp("w") / "releases", created=CREATED)


# Values of one indicator, province and date from several sources: current_facts takes the most
# recently published source, a source without a publication date last, and among sources
# published at the same moment the smallest source_id. Each pair is built so that reversing one
# of those three orders picks the other value.
TIE_SOURCES = {
    "zzz_later_article": "2023-01-10T08:00:00+07:00",  # published after 000_test_article, larger id
    "zzz_same_day_article": "2022-05-05T21:48:00+07:00",  # as 000_test_article, larger id
    "aaa_undated_note": None,
}
TIES = [
    # the later-published source wins although its id sorts last
    fact("ent.it_enterprises", 100, province_code="01", province="Hà Nội", ref_date=None),
    fact("ent.it_enterprises", 101, province_code="01", province="Hà Nội", ref_date=None, source_id="zzz_later_article"),
    # same publication moment: the smaller source_id wins
    fact("ent.it_enterprises", 10, province_code="27", province="Bắc Ninh", ref_date=None),
    fact("ent.it_enterprises", 11, province_code="27", province="Bắc Ninh", ref_date=None, source_id="zzz_same_day_article"),
    # an undated source loses to a dated one whatever its id
    fact("ent.it_enterprises", 20, province_code="48", province="Đà Nẵng", ref_date=None),
    fact("ent.it_enterprises", 21, province_code="48", province="Đà Nẵng", ref_date=None, source_id="aaa_undated_note"),
]


def with_sources(sources, published_at: dict):
    import pandas as pd

    template = sources[sources["source_id"] == "000_test_article"].iloc[0]
    extra = [template.copy() for _ in published_at]
    for row, (source_id, when) in zip(extra, published_at.items()):
        row["source_id"], row["title"], row["path"] = source_id, f"Test source {source_id}", f"articles/{source_id}.txt"
        row["published_at"] = pd.Timestamp(when).tz_convert(template["published_at"].tz) if when else pd.NaT
        row["published_precision"] = template["published_precision"] if when else None
    return pd.concat([sources, pd.DataFrame(extra).astype(sources.dtypes.to_dict())], ignore_index=True)


def test_one_value_per_period_breaks_ties_by_publication_then_source_id(con):
    """current_facts (and latest_facts, which reads it) among sources of equal precedence."""
    for view in ("current_facts", "latest_facts"):
        got = dict(con.execute(
            f"SELECT province_code, value FROM {view} WHERE indicator_id = 'ent.it_enterprises' AND province_code IN ('01', '27', '48')"
        ).fetchall())
        assert got == {"01": 101.0, "27": 10.0, "48": 20.0}, view


@pytest.fixture
def con(published):
    c = duckdb.connect(str(published.path / "dx.duckdb"), read_only=True)
    yield c
    c.close()


def test_readme_query_returns_the_value(con):
    got = con.execute(
        "SELECT value FROM workforce WHERE indicator_id = 'workforce.it_staff_total' AND province_code = '93'"
    ).fetchall()
    assert got == [(625.0,)]


def test_every_table_and_column_has_a_comment(con, published):
    tables = dict(con.execute("SELECT table_name, comment FROM duckdb_tables()").fetchall())
    assert set(tables) == set(make_tables())
    assert all(tables.values()), tables
    missing = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal "
                          "AND table_name IN (SELECT table_name FROM duckdb_tables()) "
                          "AND (comment IS NULL OR comment = '')").fetchall()
    assert missing == []
    comment = con.execute("SELECT comment FROM duckdb_columns() WHERE table_name = 'workforce' AND column_name = 'rank_of'").fetchone()[0]
    assert comment.startswith("Size of the ranking")


def test_not_null_columns_are_declared(con):
    nullable = dict(con.execute("SELECT column_name, is_nullable FROM duckdb_columns() WHERE table_name = 'rankings'").fetchall())
    assert nullable["value"] is False and nullable["ref_date"] is True


def test_facts_view_is_the_union_of_the_fact_tables(con):
    total = sum(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in rel.FACT_TABLES)
    assert con.execute("SELECT count(*) FROM facts").fetchone()[0] == total
    themes = dict(con.execute("SELECT theme, count(*) FROM facts GROUP BY theme").fetchall())
    assert themes["workforce"] == 3 and themes["rankings"] == 8


def test_latest_facts_picks_the_most_recent_value_with_its_source(con):
    rows = con.execute(
        "SELECT ref_year, ref_date, value, source_id, source_title FROM latest_facts "
        "WHERE indicator_id = 'egov.online_services_total' AND province_code = '93'"
    ).fetchall()
    # 2022 has a dated article value and a whole-year table value; the whole-year one counts as of
    # 31 December, so it is the most recent.
    assert rows == [(2022, None, 1900.0, "dti_test_table", "DTI 2020 test table")]
    n = con.execute("SELECT count(*) FROM latest_facts").fetchone()[0]
    distinct = con.execute("SELECT count(DISTINCT (indicator_id, province_code, unit_set)) FROM facts").fetchone()[0]
    assert n == distinct


def test_wide_view_per_theme(con):
    views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert {f"{t}_wide" for t in rel.FACT_TABLES} <= views
    row = con.execute("SELECT it_staff_total, it_staff_government, it_staff_public_units FROM workforce_wide "
                      "WHERE province_code = '93' AND ref_year = 2022").fetchall()
    assert row == [(625.0, 150.0, 400.0)]
    ranks = con.execute("SELECT province, rank FROM rankings_wide WHERE ref_year = 2020 ORDER BY rank").fetchall()
    assert ranks[0] == ("Đà Nẵng", 1.0) and len(ranks) == 4
    # One column per catalogue indicator of the theme, present even without values.
    cols = [r[0] for r in con.execute("DESCRIBE enterprises_wide").fetchall()]
    assert cols[:4] == ["province_code", "province", "unit_set", "ref_year"] and "it_revenue_vnd" in cols


def test_storage_version_readable_by_duckdb_1x(published, con):
    header = (published.path / "dx.duckdb").read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    # Storage version number 64 is what DuckDB 0.10 to 1.1 write; every 1.x reader opens it.
    assert struct.unpack("<Q", header[12:20])[0] == 64
    tags = con.execute("SELECT tags FROM duckdb_databases() WHERE NOT internal AND path IS NOT NULL").fetchone()[0]
    assert tags["storage_version"].startswith("v1.0.0")


def test_opens_with_duckdb_1x(published):
    require(bool(os.environ.get("DXDATA_DUCKDB1_PATH")),
            "set DXDATA_DUCKDB1_PATH to a folder holding duckdb 1.x (pip install --target) to open the file with it; `make test` does")
    code = ("import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); "
            "print(duckdb.__version__, c.execute(\"SELECT value FROM workforce WHERE indicator_id='workforce.it_staff_total'\").fetchone()[0])")
    env = {**os.environ, "PYTHONPATH": os.environ["DXDATA_DUCKDB1_PATH"]}
    out = subprocess.run([sys.executable, "-c", code, str(published.path / "dx.duckdb")], env=env,
                         capture_output=True, text=True, check=True).stdout.split()
    assert out[0].startswith("1.") and float(out[1]) == 625.0


def test_reader_of_an_older_release_is_not_disturbed(tmp_path):
    releases = tmp_path / "releases"
    first = publish_release(make_tables(), releases_dir=releases, created=CREATED)
    reader = duckdb.connect(str(first.path / "dx.duckdb"), read_only=True)
    try:
        query = "SELECT value FROM workforce WHERE indicator_id = 'workforce.it_staff_total'"
        assert reader.execute(query).fetchone()[0] == 625.0
        digest = hashlib.sha256((first.path / "dx.duckdb").read_bytes()).hexdigest()
        second = publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=releases, created=CREATED)
        assert second.version == "1.1.0"
        assert reader.execute(query).fetchone()[0] == 625.0
        assert hashlib.sha256((first.path / "dx.duckdb").read_bytes()).hexdigest() == digest
    finally:
        reader.close()
    with duckdb.connect(str(second.path / "dx.duckdb"), read_only=True) as new:
        assert new.execute(query).fetchone()[0] == 626.0


def test_view_files_run_in_name_order(tmp_path):
    views = tmp_path / "views"
    views.mkdir()
    (views / "a_base.sql").write_text("CREATE VIEW a_base AS SELECT 1 AS x FROM t;")
    (views / "c_uses_a.sql").write_text("CREATE VIEW c AS SELECT x + 1 AS y FROM a_base;")
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT 1 AS x")
    assert rel.run_view_files(con, views) == ["a_base", "c_uses_a"]
    assert con.execute("SELECT y FROM c").fetchall() == [(2,)]


def test_a_view_whose_table_is_missing_is_an_error_not_a_warning(tmp_path):
    """A release without one of its views would be published silently incomplete."""
    views = tmp_path / "views"
    views.mkdir()
    (views / "a_base.sql").write_text("CREATE VIEW a_base AS SELECT 1 AS x FROM t;")
    (views / "b_needs_missing.sql").write_text("CREATE VIEW b AS SELECT * FROM no_such_table;")
    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT 1 AS x")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(rel.ReleaseError, match=r"b_needs_missing\.sql.*no_such_table"):
            rel.run_view_files(con, views)


def test_publishing_without_a_table_a_view_needs_fails_and_publishes_nothing(tmp_path):
    releases = tmp_path / "releases"
    tables = make_tables()
    del tables["provinces_2025"]
    with pytest.raises(rel.ReleaseError, match="facts_current_units.sql"):
        publish_release(tables, releases_dir=releases, created=CREATED)
    assert not (releases / "LATEST").exists()
    assert [p.name for p in releases.iterdir() if not p.name.startswith(".")] == []


def test_broken_view_file_is_an_error_naming_it(tmp_path):
    views = tmp_path / "views"
    views.mkdir()
    (views / "broken.sql").write_text("CREATE VIEW oops AS SELEKT 1;")
    with pytest.raises(rel.ReleaseError, match="broken.sql"):
        rel.run_view_files(duckdb.connect(), views)
