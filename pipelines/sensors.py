"""The sources sensor: notices new, changed and removed article files and requests the run that
rebuilds their shards and publishes the release that follows.

The cursor maps shard -> digest of its members' content fingerprints (text + sidecar) as last
seen, so a file whose modification time changes but whose content does not requests nothing.
With no cursor for a shard (first tick, or a sensor reset), the shard's stored outputs decide:
shards that `dxdata release` already built from the same content request nothing."""

import hashlib
import json

from dagster import DefaultSensorStatus, RunRequest, SensorEvaluationContext, SensorResult, SkipReason, sensor

from pipelines.jobs import release_job
from pipelines.resources import Warehouse
from pipelines.review import review_fingerprints, stale_review_shards
from pipelines.sources import (
    SHARD_KEYS,
    by_shard,
    range_tags,
    scan_warehouse_articles,
    shard_digest,
    shard_observation,
    spanning_range,
    stale_shards,
)


def plan_shards(warehouse: Warehouse, shards: dict[str, dict[str, str]], cursor: dict[str, str]) -> dict[str, dict | None]:
    """Shards to rebuild -> the members they were last built from (None when unknown)."""
    from dxdata.extract import ENGINE_VERSION
    from pipelines.cache import ingest_version

    unseen = {key: members for key, members in shards.items() if key not in cursor}
    wanted = stale_shards(warehouse, unseen, ENGINE_VERSION, ingest_version())
    for key, members in shards.items():
        if key in cursor and cursor[key] != shard_digest(members):
            wanted[key] = (warehouse.stored_attrs("article_text", key) or {}).get("sources")
    # A review file written, changed or removed since its shard's publication was decided.
    for key, members in stale_review_shards(warehouse, shards).items():
        wanted.setdefault(key, members)
    return dict(sorted(wanted.items()))


@sensor(
    job=release_job,
    minimum_interval_seconds=30,
    default_status=DefaultSensorStatus.STOPPED,
    description="Watches the articles folder (DXDATA_SOURCES/articles): a new, changed (by content hash) or removed "
    "file makes its shard stale and requests a run of release_job over that shard, as does a review file "
    "(sources/reviews) written, changed or removed since; unchanged sources in it come from the extraction cache.",
)
def article_sources_sensor(context: SensorEvaluationContext, warehouse: Warehouse):
    cursor = json.loads(context.cursor) if context.cursor else {}
    shards = by_shard(scan_warehouse_articles(warehouse))
    digests = {key: shard_digest(members) for key, members in shards.items()}
    new_cursor = json.dumps(digests, sort_keys=True)
    wanted = plan_shards(warehouse, shards, cursor)
    if not wanted:
        count = sum(len(m) for m in shards.values())
        return SensorResult(skip_reason=SkipReason(f"{count} source(s), none new, changed or removed"), cursor=new_cursor)

    # The run key names the content of the shards to build, and the state it was seen after, so
    # a file reverted to an earlier content is picked up again.
    reviews = {k: review_fingerprints(warehouse, shards[k]) for k in wanted}
    run_key = hashlib.sha256(
        json.dumps({"wanted": {k: digests[k] for k in wanted}, "reviews": reviews, "after": cursor}, sort_keys=True).encode()
    ).hexdigest()[:16]
    first, last = spanning_range(SHARD_KEYS, set(wanted))
    context.log.info(f"stale shards {list(wanted)}")
    return SensorResult(
        run_requests=[RunRequest(run_key=run_key, tags={**range_tags(first, last), "dxdata/trigger": "sources_sensor"})],
        asset_events=[shard_observation(key, shards[key], before) for key, before in wanted.items()],
        cursor=new_cursor,
    )
