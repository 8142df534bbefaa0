"""Asset checks. Every published table gets one blocking check that runs its pandera model
(`schemas.tables.validate_table`, the single source of truth: nothing is restated here) and
reports what was checked, how many rows failed and the first of them. Conflicts between sources
get a non-blocking check: they are published, with their provenance, not hidden."""

import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    MetadataValue,
    asset_check,
)

from pipelines.metadata import markdown_table, model_for
from pipelines.resources import Warehouse
from pipelines.tables import PUBLISHED_TABLES, quarantine_path

SCHEMA_CHECK = "pandera_schema"
CONFLICTS_CHECK = "sources_agree"
QUARANTINE_CHECK = "article_rows_valid"
UNREADABLE_CHECK = "sources_readable"
QUARANTINE_COLUMNS = ["source_id", "indicator_id", "province", "ref_year", "value", "unit", "rank_of", "reason", "quote"]
FAILING_ROWS_SHOWN = 10


def checked_summary(table: str) -> str:
    """What the table's model checks, as markdown: column types, nullability and checks, then the
    checks across rows."""
    model = model_for(table)
    if model is None:
        return f"_no pandera model registered for `{table}`_"
    schema = model.to_schema()
    lines = [f"Model `{model.__name__}` (strict columns: {bool(schema.strict)})", "", "| column | dtype | nullable | checks |", "|---|---|---|---|"]
    for name, col in schema.columns.items():
        checks = ", ".join(c.name or str(c) for c in col.checks) or ("unique" if col.unique else "")
        if col.unique and checks != "unique":
            checks += ", unique"
        lines.append(f"| {name} | {col.dtype} | {col.nullable} | {checks} |")
    if schema.checks:
        lines += ["", "Checks across rows: " + ", ".join(f"`{c.name}`" for c in schema.checks)]
    return "\n".join(lines)


# Metadata key of a schema check's result holding the digest of the frame it validated
# (`schemas.tables.frame_digest`): the release step re-validates only a table whose frame differs.
FRAME_DIGEST = "frame_digest"


def schema_check_result(table: str, df: pd.DataFrame) -> AssetCheckResult:
    from schemas.tables import frame_digest, validate_table

    if model_for(table) is None:
        return AssetCheckResult(
            asset_key=table,
            check_name=SCHEMA_CHECK,
            passed=False,
            metadata={"error": MetadataValue.text(f"no pandera model registered for table {table!r} in schemas.tables.TABLE_MODELS")},
        )
    outcome = validate_table(table, df)
    metadata = {
        "rows_checked": MetadataValue.int(len(df)),
        "failing_rows": MetadataValue.int(len(outcome.failing_rows)),
        "failure_cases": MetadataValue.int(len(outcome.failures)),
        "what_was_checked": MetadataValue.md(checked_summary(table)),
    }
    digest = frame_digest(df)
    if digest is not None:
        metadata[FRAME_DIGEST] = MetadataValue.text(digest)
    if not outcome.passed:
        failures = outcome.failures
        by_check = failures.groupby(["column", "check"], dropna=False).size().reset_index(name="cases") if not failures.empty else failures
        metadata["failed_checks"] = MetadataValue.md(markdown_table(by_check, rows=50))
        metadata["first_failing_rows"] = MetadataValue.md(markdown_table(outcome.failing_rows, rows=FAILING_ROWS_SHOWN))
        metadata["first_failure_cases"] = MetadataValue.md(markdown_table(failures, rows=FAILING_ROWS_SHOWN))
    return AssetCheckResult(
        asset_key=table, check_name=SCHEMA_CHECK, passed=outcome.passed, severity=AssetCheckSeverity.ERROR, metadata=metadata
    )


def table_schema_check(table: str):
    """The blocking pandera check of one table, as its own step that takes the table as input.

    One step per table (not one multi-check step split by Dagster into several) so that under
    any executor each check runs after its own table and records exactly its own result; the
    release step gates on those records (pipelines/release.py)."""

    @asset_check(
        asset=table,
        name=SCHEMA_CHECK,
        blocking=True,
        description=f"Validates `{table}` against its pandera model in schemas/tables.py (types, nullability, "
        "value ranges, catalogue membership, unique key, relations between indicators). Blocks the release.",
    )
    def _check(df: pd.DataFrame) -> AssetCheckResult:
        return schema_check_result(table, df)

    return _check


schema_checks = [table_schema_check(table) for table in PUBLISHED_TABLES]


@asset_check(
    asset="conflicts",
    name=CONFLICTS_CHECK,
    blocking=False,
    description="Lists every indicator, province and year for which sources state different values. "
    "A warning, not a blocker: all rows are published with their provenance.",
)
def conflicts_check(df: pd.DataFrame) -> AssetCheckResult:
    return AssetCheckResult(
        passed=df.empty,
        severity=AssetCheckSeverity.WARN,
        metadata={
            "conflicts": MetadataValue.int(int(df["conflict_id"].nunique()) if "conflict_id" in df.columns else len(df)),
            "rows": MetadataValue.int(len(df)),
            "first_conflicts": MetadataValue.md(markdown_table(df, rows=20)),
            "what_was_checked": MetadataValue.md(
                "Facts of the same indicator, province (in the same register), year and date that come from "
                "different sources and whose values disagree beyond rounding and their qualifiers "
                "(`dxdata.conflicts.find_conflicts`); each row of `conflicts` names the values and their sources."
            ),
        },
    )


@asset_check(
    asset="facts",
    name=QUARANTINE_CHECK,
    blocking=False,
    description="Extracted article facts that break a row-level rule of their table's model are held out of the "
    "release (quarantined) and listed here and in warehouse/review/quarantined.parquet with the rules they break. "
    "A warning: the other sources publish. Table-level failures are caught by the blocking schema checks.",
)
def quarantine_check(warehouse: Warehouse) -> AssetCheckResult:
    from pipelines.resources import read_frame

    path = quarantine_path(warehouse)
    held = read_frame(path) if path.exists() else pd.DataFrame(columns=QUARANTINE_COLUMNS)
    by_reason = held.groupby("reason").size().reset_index(name="rows") if not held.empty else held
    return AssetCheckResult(
        passed=held.empty,
        severity=AssetCheckSeverity.WARN,
        metadata={
            "quarantined_rows": MetadataValue.int(len(held)),
            "sources": MetadataValue.int(int(held["source_id"].nunique()) if not held.empty else 0),
            "review_queue": MetadataValue.path(str(path)),
            "by_reason": MetadataValue.md(markdown_table(by_reason, rows=50)),
            "failed_rows": MetadataValue.md(markdown_table(held, rows=50, columns=QUARANTINE_COLUMNS)),
        },
    )


@asset_check(
    asset="facts",
    name=UNREADABLE_CHECK,
    blocking=False,
    description="Article sources that cannot be read (a malformed sidecar, an undecodable or empty text) are left "
    "out of the release, named here and in warehouse/review/unreadable/. A warning: the other sources publish. "
    "`dxdata release` refuses such files before it starts; runs from the UI or the daemon meet them here.",
)
def unreadable_check(warehouse: Warehouse) -> AssetCheckResult:
    from pipelines.extraction import read_unreadable, unreadable_folder

    found = read_unreadable(warehouse)
    table = pd.DataFrame({"source_id": list(found), "problem": list(found.values())})
    return AssetCheckResult(
        passed=not found,
        severity=AssetCheckSeverity.WARN,
        metadata={
            "unreadable_sources": MetadataValue.int(len(found)),
            "folder": MetadataValue.path(str(unreadable_folder(warehouse))),
            "sources": MetadataValue.md(markdown_table(table, rows=50)),
            "problems": MetadataValue.md("\n".join(f"- {message}" for message in found.values()) or "none"),
        },
    )


all_checks = [*schema_checks, conflicts_check, quarantine_check, unreadable_check]
