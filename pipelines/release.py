"""The release: Parquet files, dx.duckdb and datapackage.json under warehouse/releases/<version>/.

Publishing is gated explicitly on the tables' pandera checks (run again here, so a release can
never be published from tables that fail them, whichever way the asset was launched), not only
on the blocking asset checks. The asset sits in the `duckdb_writer` pool, whose limit of one
(set in the instance's dagster.yaml) keeps two runs from writing DuckDB files at once.
"""

import pandas as pd
from dagster import AssetExecutionContext, AssetIn, Failure, MaterializeResult, MetadataValue, asset

from pipelines.metadata import markdown_table
from pipelines.resources import Warehouse
from pipelines.tables import PUBLISHED_TABLES

DUCKDB_POOL = "duckdb_writer"


def change_counts(changes: pd.DataFrame | None) -> dict[str, int]:
    """Counts of added / removed / changed rows in a release's change list."""
    if changes is None or changes.empty:
        return {}
    for column in ("change", "kind", "change_type", "status"):
        if column in changes.columns:
            return {str(k): int(v) for k, v in changes[column].value_counts().sort_index().items()}
    return {"changes": len(changes)}


def gate(tables: dict[str, pd.DataFrame]):
    """Validate every table against its model; raise `Failure` naming the failing tables."""
    from schemas.tables import validate_table

    outcomes = [validate_table(name, df) for name, df in tables.items()]
    failed = [o for o in outcomes if not o.passed]
    if failed:
        lines = [f"{o.table}: {len(o.failing_rows)} failing row(s), checks {sorted(set(o.failures['check'].astype(str)))}" for o in failed]
        raise Failure(
            description="Release blocked, nothing published: " + "; ".join(lines),
            metadata={
                "blocked_by": MetadataValue.md("\n".join(f"- {line}" for line in lines)),
                **{f"failing_rows_{o.table}": MetadataValue.md(markdown_table(o.failing_rows)) for o in failed},
            },
        )
    return outcomes


@asset(
    ins={name: AssetIn() for name in PUBLISHED_TABLES},
    pool=DUCKDB_POOL,
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
    outcomes = gate(tables)
    try:
        outcome = publish_release(tables, releases_dir=warehouse.releases(), check_outcomes=outcomes)
    except ReleaseBlocked as exc:
        raise Failure(description=f"Release blocked, nothing published: {exc}") from exc

    rows = {f"rows_{name}": MetadataValue.int(len(df)) for name, df in tables.items()}
    if outcome.version is None:
        context.log.info(f"no change: {outcome.reason}")
        return MaterializeResult(
            metadata={"status": MetadataValue.text("no change"), "reason": MetadataValue.text(str(outcome.reason or "")), **rows}
        )
    counts = change_counts(outcome.changes)
    context.log.info(f"published release {outcome.version} at {outcome.path} ({outcome.bump} bump)")
    return MaterializeResult(
        metadata={
            "status": MetadataValue.text("published"),
            "version": MetadataValue.text(str(outcome.version)),
            "path": MetadataValue.path(str(outcome.path)),
            "bump": MetadataValue.text(str(outcome.bump)),
            "reason": MetadataValue.text(str(outcome.reason or "")),
            "changes": MetadataValue.json(counts),
            "conflicts": MetadataValue.int(len(conflicts)),
            "first_changes": MetadataValue.md(markdown_table(outcome.changes if outcome.changes is not None else pd.DataFrame())),
            **rows,
        }
    )
