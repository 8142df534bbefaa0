"""The weekly release: Monday 06:00 in Viet Nam, over every shard of article sources.
Stopped until an operator turns it on in the UI (Automation tab)."""

from dagster import DefaultScheduleStatus, RunRequest, ScheduleEvaluationContext, schedule

from pipelines.jobs import release_job
from pipelines.sources import ALL_SHARDS_TAGS


@schedule(
    job=release_job,
    cron_schedule="0 6 * * 1",
    execution_timezone="Asia/Ho_Chi_Minh",
    default_status=DefaultScheduleStatus.STOPPED,
    description="Weekly release, Monday 06:00 Asia/Ho_Chi_Minh: rebuilds every table from all registered sources "
    "(unchanged sources are not re-extracted) and publishes a release when anything changed.",
)
def weekly_release_schedule(context: ScheduleEvaluationContext):
    return RunRequest(tags={**ALL_SHARDS_TAGS, "dxdata/trigger": "weekly_schedule"})
