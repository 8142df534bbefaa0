"""What the pipeline publishes, and what stops it: a release built by the pipeline holds every
table the pandera models declare and every view of schemas/views/, and the release step refuses
tables whose schema check never ran or ran on an earlier materialisation of the table."""

from __future__ import annotations

import json
import re

import duckdb
import pandas as pd
from dagster import AssetKey, AssetMaterialization, DagsterInstance

from dxdata.model import FACT_TABLES
from dxdata.release import VIEWS_DIR
from schemas.tables import TABLE_MODELS

from test_pipeline_support import extract_engine, world  # noqa: F401  (fixtures)

VIEW_NAME = re.compile(r"\bCREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+([A-Za-z_]\w*)", re.IGNORECASE)


def declared_views() -> set[str]:
    names = {m.group(1) for f in VIEWS_DIR.glob("*.sql") for m in VIEW_NAME.finditer(f.read_text(encoding="utf-8"))}
    assert len(names) >= 3, names  # facts, facts_current_units, latest_facts at least: the parse works
    return names | {f"{theme}_wide" for theme in FACT_TABLES}


def _release_only(instance):
    from pipelines.definitions import defs

    job = defs.resolve_job_def("release_job")
    return job.execute_in_process(instance=instance, asset_selection=[AssetKey("release")], raise_on_error=False)


def _failure(result) -> str:
    failures = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert failures, "the release step did not fail"
    return failures[0].event_specific_data.user_failure_data.description


def test_pipeline_release_holds_every_declared_table_and_view(world):
    from pipelines.run import run_release

    assert run_release(DagsterInstance.ephemeral(), echo=lambda *_: None).success
    release = world.releases / (world.releases / "LATEST").read_text().strip()
    tables = set(TABLE_MODELS)
    assert {p.stem for p in release.glob("*.parquet")} == tables | {"changes"}
    descriptor = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in descriptor["resources"]} == tables | {"changes"}
    with duckdb.connect(str(release / "dx.duckdb"), read_only=True) as con:
        assert {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()} == tables
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        assert declared_views() <= views
        # Each view answers with rows, not only exists: facts_current_units joins both registers.
        for view in sorted(declared_views()):
            assert con.execute(f'SELECT count(*) FROM "{view}"').fetchone()[0] > 0, view
        unlabelled = con.execute("SELECT count(*) FROM facts_current_units WHERE province_2025 IS NULL").fetchone()[0]
        assert unlabelled == 0


def test_release_step_refuses_tables_whose_check_never_ran_or_ran_on_an_older_table(world):
    from pipelines.run import run_release

    instance = DagsterInstance.ephemeral()
    assert run_release(instance, echo=lambda *_: None).success
    published = sorted(p.name for p in world.releases.iterdir())

    # A new materialisation of one table that its check has not seen.
    instance.report_runless_asset_event(AssetMaterialization(asset_key="provinces_2025"))
    stale = _release_only(instance)
    assert not stale.success
    message = _failure(stale)
    assert "provinces_2025: its schema check ran on an earlier materialisation" in message
    assert "workforce" not in message  # the other tables' checks ran on their latest materialisation

    # An instance that never ran a check: the stored tables are there, the check results are not.
    unchecked = _release_only(DagsterInstance.ephemeral())
    assert not unchecked.success
    message = _failure(unchecked)
    assert all(f"{name}: its schema check has not run" in message for name in TABLE_MODELS), message

    assert sorted(p.name for p in world.releases.iterdir()) == published
    assert len(pd.read_parquet(world.releases / "1.0.0" / "provinces_2025.parquet")) == 34
