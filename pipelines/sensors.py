"""The sources sensor: registers new or changed article files as partitions and requests the
run that extracts them and publishes the release that follows.

The cursor maps source_id -> content fingerprint (text + sidecar) as last seen, so a file whose
modification time changes but whose content does not requests nothing."""

import hashlib
import json

from dagster import (
    AssetKey,
    AssetRecordsFilter,
    DefaultSensorStatus,
    RunRequest,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from pipelines.jobs import UNPARTITIONED_KEYS, release_job
from pipelines.resources import Warehouse
from pipelines.review import stale_review_partitions
from pipelines.sources import ARTICLE_PARTITIONS, fingerprint_observation, range_tags, scan_articles, spanning_range



def materialized_fingerprint(instance, source_id: str) -> str | None:
    """The source fingerprint recorded by the latest materialisation of a partition's facts."""
    result = instance.fetch_materializations(
        AssetRecordsFilter(asset_key=AssetKey("article_facts"), asset_partitions=[source_id]), limit=1
    )
    if not result.records:
        return None
    value = result.records[0].asset_materialization.metadata.get("source_fingerprint")
    return getattr(value, "value", None)


def plan_sources(instance, current: dict[str, str], cursor: dict[str, str]) -> dict:
    """Compare the files with the registered partitions and the cursor."""
    registered = list(instance.get_dynamic_partitions(ARTICLE_PARTITIONS.name))
    new = [key for key in current if key not in registered]
    removed = [key for key in registered if key not in current]
    changed = []
    for key in registered:
        if key not in current or key in new:
            continue
        seen = cursor.get(key)
        if seen is None:
            # Registered by another route (`dxdata release`, a previous sensor state): only a
            # partition built from other content needs a run.
            seen = materialized_fingerprint(instance, key)
        if seen != current[key]:
            changed.append(key)
    order = [key for key in registered if key not in removed] + new
    return {"new": new, "changed": changed, "removed": removed, "order": order}


@sensor(
    job=release_job,
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.STOPPED,
    description="Watches the articles folder (DXDATA_SOURCES/articles): a new or changed file (by content hash) "
    "becomes a partition and a run of release_job over it, as does a source whose review file (sources/reviews) "
    "was written, changed or removed; a removed file loses its partition and the "
    "release is rebuilt without it.",
)
def article_sources_sensor(context: SensorEvaluationContext, warehouse: Warehouse):
    cursor = json.loads(context.cursor) if context.cursor else {}
    current = scan_articles(warehouse.articles())
    plan = plan_sources(context.instance, current, cursor)
    # A review file written, changed or removed since its source's publication was decided.
    reviews = stale_review_partitions(warehouse, [k for k in plan["order"] if k not in plan["new"] + plan["changed"]])
    wanted = plan["new"] + plan["changed"] + list(reviews)
    new_cursor = json.dumps(current, sort_keys=True)

    partition_requests = []
    if plan["new"]:
        partition_requests.append(ARTICLE_PARTITIONS.build_add_request(plan["new"]))
    if plan["removed"]:
        partition_requests.append(ARTICLE_PARTITIONS.build_delete_request(plan["removed"]))

    # The run key names the content, and the state it was seen after, so a file reverted to an
    # earlier content is picked up again.
    run_key = hashlib.sha256(
        json.dumps({"wanted": {k: current[k] for k in wanted}, "reviews": reviews, "removed": plan["removed"], "after": cursor}, sort_keys=True).encode()
    ).hexdigest()[:16]
    run_requests = []
    if wanted:
        first, last = spanning_range(plan["order"], set(wanted))
        run_requests.append(RunRequest(run_key=run_key, tags={**range_tags(first, last), "dxdata/trigger": "sources_sensor"}))
    elif plan["removed"]:
        run_requests.append(RunRequest(run_key=run_key, asset_selection=UNPARTITIONED_KEYS, tags={"dxdata/trigger": "sources_sensor"}))

    if not run_requests and not partition_requests:
        return SensorResult(skip_reason=SkipReason(f"{len(current)} source(s), none new, changed or removed"), cursor=new_cursor)
    context.log.info(f"new {plan['new']}, changed {plan['changed']}, review changed {list(reviews)}, removed {plan['removed']}")
    observations = [fingerprint_observation(key, current[key]) for key in wanted]
    return SensorResult(
        run_requests=run_requests,
        dynamic_partitions_requests=partition_requests,
        asset_events=observations,
        cursor=new_cursor,
    )
