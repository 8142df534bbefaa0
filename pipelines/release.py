"""The release: Parquet files, dx.duckdb and datapackage.json under warehouse/releases/<version>/.

Publishing is gated explicitly, not only by the blocking asset checks stopping the run: the
release step reads the recorded result of every table's schema check and refuses to publish
unless each passed on the materialisation being released (so materialising the release alone,
after a failed check, publishes nothing either). The asset sits in the `duckdb_writer` pool,
whose limit of one (set in the instance's dagster.yaml) keeps two runs from writing DuckDB files
at once.
"""

import pandas as pd
from dagster import AssetCheckKey, AssetExecutionContext, AssetIn, AssetKey, Failure, MaterializeResult, MetadataValue, asset

from pipelines.executors import release_pool
from pipelines.checks import FRAME_DIGEST, SCHEMA_CHECK
from pipelines.metadata import markdown_table
from pipelines.resources import Warehouse
from pipelines.tables import PUBLISHED_TABLES

DUCKDB_POOL = "duckdb_writer"


def change_totals(changes: pd.DataFrame | None) -> dict[str, int]:
    """How many rows (and schema items) a release adds, removes or changes, by kind of change."""
    if changes is None or changes.empty:
        return {}
    return {str(k): int(v) for k, v in changes["change"].value_counts().sort_index().items()}


def checked_outcomes(instance, tables: dict[str, pd.DataFrame]):
    """The recorded results of the tables' schema checks, each required to have run on the
    table's latest materialisation. Returns (outcomes for publish_release, problems, digests):
    `digests` maps each table whose check passed to the digest of the frame the check validated,
    so publish_release validates again only a table whose frame is not that one."""
    from schemas.tables import CheckOutcome

    keys = {name: AssetCheckKey(AssetKey(name), SCHEMA_CHECK) for name in tables}
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(list(keys.values()))
    outcomes, problems, digests = [], [], {}
    for name, key in keys.items():
        record = latest.get(key)
        event = record.event.dagster_event if record is not None and record.event is not None else None
        evaluation = event.event_specific_data if event is not None else None
        materialized = instance.fetch_materializations(AssetKey(name), limit=1).records
        passed = False
        if evaluation is None or not hasattr(evaluation, "passed"):
            problems.append(f"{name}: its schema check has not run")
        elif (
            materialized
            and evaluation.target_materialization_data is not None
            and evaluation.target_materialization_data.storage_id != materialized[0].storage_id
        ):
            problems.append(f"{name}: its schema check ran on an earlier materialisation, not on the one being released")
        elif not evaluation.passed:
            failing = evaluation.metadata.get("failing_rows")
            problems.append(f"{name}: schema check failed ({getattr(failing, 'value', '?')} failing rows; see the check's metadata)")
        else:
            passed = True
            digest = evaluation.metadata.get(FRAME_DIGEST)
            if digest is not None and getattr(digest, "value", None):
                digests[name] = str(digest.value)
        outcomes.append(CheckOutcome(name, passed, pd.DataFrame(), tables[name].iloc[0:0]))
    return outcomes, problems, digests


@asset(
    ins={name: AssetIn() for name in PUBLISHED_TABLES},
    pool=release_pool(DUCKDB_POOL),
    group_name="release",
    kinds={"duckdb", "parquet"},
    description="A versioned, immutable release of every published table (Parquet, dx.duckdb, datapackage.json), "
    "published only when every table passes its checks and something changed since the latest release.",
)
def release(
    context: AssetExecutionContext,
    warehouse: Warehouse,
    infrastructure: pd.DataFrame,
    e_government: pd.DataFrame,
    workforce: pd.DataFrame,
    enterprises: pd.DataFrame,
    rankings: pd.DataFrame,
    sources: pd.DataFrame,
    indicators: pd.DataFrame,
    provinces: pd.DataFrame,
    provinces_2025: pd.DataFrame,
    dti_editions: pd.DataFrame,
    conflicts: pd.DataFrame,
) -> MaterializeResult:
    from dxdata.release import ReleaseBlocked, publish_release

    tables = {
        "infrastructure": infrastructure,
        "e_government": e_government,
        "workforce": workforce,
        "enterprises": enterprises,
        "rankings": rankings,
        "sources": sources,
        "indicators": indicators,
        "provinces": provinces,
        "provinces_2025": provinces_2025,
        "dti_editions": dti_editions,
        "conflicts": conflicts,
    }
    # Gate on the checks' recorded results first: a release is never built from a table whose
    # check failed, did not run, or ran on another version of the table. publish_release then
    # validates against its model every table whose frame is not the one its check validated
    # (same digest: validated once, by the check, not three times).
    outcomes, problems, digests = checked_outcomes(context.instance, tables)
    if problems:
        raise Failure(
            description="Release blocked, nothing published: " + "; ".join(problems),
            metadata={"blocked_by": MetadataValue.md("\n".join(f"- {p}" for p in problems))},
        )
    try:
        outcome = publish_release(tables, releases_dir=warehouse.releases(), check_outcomes=outcomes, validated=digests)
    except ReleaseBlocked as exc:
        raise Failure(description=f"Release blocked, nothing published: {exc}") from exc

    rows = {f"rows_{name}": MetadataValue.int(len(df)) for name, df in tables.items()}
    if outcome.version is None:
        context.log.info(f"no change: {outcome.reason}")
        return MaterializeResult(
            metadata={"status": MetadataValue.text("no change"), "reason": MetadataValue.text(str(outcome.reason or "")), **rows}
        )
    from dxdata.release import change_counts

    per_table = {t: c for t, c in change_counts(outcome.changes, list(tables)).items() if any(c.values())}
    context.log.info(f"published release {outcome.version} at {outcome.path} ({outcome.bump} bump)")
    return MaterializeResult(
        metadata={
            "status": MetadataValue.text("published"),
            "version": MetadataValue.text(str(outcome.version)),
            "path": MetadataValue.path(str(outcome.path)),
            "bump": MetadataValue.text(str(outcome.bump)),
            "reason": MetadataValue.text(str(outcome.reason or "")),
            "changes": MetadataValue.json(change_totals(outcome.changes)),
            "changes_by_table": MetadataValue.json(per_table),
            "conflicts": MetadataValue.int(int(conflicts["conflict_id"].nunique()) if "conflict_id" in conflicts.columns else len(conflicts)),
            "first_changes": MetadataValue.md(
                markdown_table(
                    outcome.changes,
                    rows=20,
                    columns=["table", "change", "indicator_id", "province", "ref_year", "old_value", "new_value", "source_id"],
                )
            ),
            **rows,
        }
    )
