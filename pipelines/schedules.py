"""The weekly release: Monday 06:00 in Viet Nam, over every registered article partition.
Stopped until an operator turns it on in the UI (Automation tab)."""

from dagster import DefaultScheduleStatus, RunRequest, ScheduleEvaluationContext, schedule

from pipelines.jobs import UNPARTITIONED_KEYS, release_job
from pipelines.sources import ARTICLE_PARTITIONS, range_tags


@schedule(
    job=release_job,
    cron_schedule="0 6 * * 1",
    execution_timezone="Asia/Ho_Chi_Minh",
    default_status=DefaultScheduleStatus.STOPPED,
    description="Weekly release, Monday 06:00 Asia/Ho_Chi_Minh: rebuilds every table from all registered sources "
    "(unchanged sources are not re-extracted) and publishes a release when anything changed.",
)
def weekly_release_schedule(context: ScheduleEvaluationContext):
    keys = list(context.instance.get_dynamic_partitions(ARTICLE_PARTITIONS.name))
    tags = {"dxdata/trigger": "weekly_schedule"}
    if keys:
        return RunRequest(tags={**range_tags(keys[0], keys[-1]), **tags})
    return RunRequest(asset_selection=UNPARTITIONED_KEYS, tags=tags)
