"""Capturing the watch list: the pages and feeds of `sources/watch.csv` become article sources.

A separate job from the release, on its own (stopped) daily schedule: fetching the web is slow
and can fail, and a failure to reach one portal must not hold back a release. The pages it adds
land in the articles folder, where the sources sensor registers them and requests their run."""


from dagster import (
    AssetExecutionContext,
    DefaultScheduleStatus,
    MaterializeResult,
    MetadataValue,
    ScheduleDefinition,
    asset,
    define_asset_job,
)

from dxdata.capture import Captured, CaptureSettings, capture_watch_list
from pipelines.resources import Warehouse

CAPTURE_GROUP = "capture"


@asset(
    group_name=CAPTURE_GROUP,
    kinds={"web"},
    description="Pages and RSS/Atom feeds listed in sources/watch.csv, captured as article sources "
    "(text + sidecar in sources/articles, raw page snapshot in the warehouse). A page captured once is not fetched again.",
)
def watched_sources(context: AssetExecutionContext, warehouse: Warehouse) -> MaterializeResult:
    results = capture_watch_list(
        warehouse.sources_root() / "watch.csv", articles=warehouse.articles(), snapshots=warehouse.snapshots(),
        settings=CaptureSettings(),
    )
    added = [r for r in results if isinstance(r, Captured) and r.status == "added"]
    held = [r for r in results if isinstance(r, Captured) and r.status != "added"]
    failed = [r for r in results if not isinstance(r, Captured)]
    for r in added:
        context.log.info(r.message)
    for exc in failed:
        context.log.warning(str(exc))
    return MaterializeResult(
        metadata={
            "added": len(added),
            "already_held": len(held),
            "failed": len(failed),
            "added_sources": MetadataValue.json([r.source_id for r in added]),
            "failures": MetadataValue.md("\n".join(f"- {exc}" for exc in failed) or "none"),
        }
    )


capture_job = define_asset_job(
    "capture_job", selection=[watched_sources], description="Capture new pages from the watch list (sources/watch.csv)."
)
capture_schedule = ScheduleDefinition(
    job=capture_job,
    cron_schedule="0 5 * * *",
    execution_timezone="Asia/Ho_Chi_Minh",
    default_status=DefaultScheduleStatus.STOPPED,
    description="Daily at 05:00 Asia/Ho_Chi_Minh: capture new pages from the watch list, before the sources sensor picks them up.",
)
