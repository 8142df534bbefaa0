"""The sources sensor (new / changed / unchanged / removed files) and the weekly schedule."""

from __future__ import annotations

import json
import os

import pandas as pd
from dagster import DagsterInstance, build_schedule_context, build_sensor_context, instance_for_test

from test_pipeline_support import (  # noqa: F401  (fixtures)
    SEED_ID,
    TEST_ARTICLE,
    TEST_ID,
    TEST_IT_STAFF,
    extract_engine,
    world,
    write_article,
)

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


def tick(instance, cursor):
    """Evaluate the sensor once, as the daemon would."""
    from pipelines.resources import Warehouse
    from pipelines.sensors import article_sources_sensor

    context = build_sensor_context(instance=instance, cursor=cursor, resources={"warehouse": Warehouse()})
    return article_sources_sensor.evaluate_tick(context)


def ranges(data):
    return [(r.tags.get(RANGE_START), r.tags.get(RANGE_END)) for r in data.run_requests]


def shard_digest_of(*source_ids, world):
    from dxdata.ingest import source_fingerprint
    from pipelines.sources import shard_digest

    return shard_digest({s: source_fingerprint(world.articles / f"{s}.txt") for s in source_ids})


def test_new_changed_unchanged_and_removed_files(world):
    from pipelines.sources import shard_of

    instance = DagsterInstance.ephemeral()
    seed, test = shard_of(SEED_ID), shard_of(TEST_ID)
    assert seed != test  # the test below follows two shards

    first = tick(instance, None)
    assert ranges(first) == [(seed, seed)]
    assert json.loads(first.cursor)[seed] == shard_digest_of(SEED_ID, world=world)
    assert [e.partition for e in first.asset_events] == [seed]  # the shard's data version is observed

    # Unchanged content, even with a new modification time: nothing to do.
    os.utime(world.articles / f"{SEED_ID}.txt")
    unchanged = tick(instance, first.cursor)
    assert unchanged.run_requests == []
    assert unchanged.skip_message and "none new" in unchanged.skip_message

    # A new file makes its shard stale: a run over that shard only, whose observation names it.
    write_article(world.articles, TEST_ID, TEST_ARTICLE)
    new = tick(instance, unchanged.cursor)
    assert ranges(new) == [(test, test)]
    [observation] = new.asset_events
    assert observation.partition == test and TEST_ID in observation.metadata["new_sources"].value

    # Changed content: a run for that shard again, under another run key.
    write_article(world.articles, TEST_ID, TEST_ARTICLE.replace("412", "413"))
    changed = tick(instance, new.cursor)
    assert ranges(changed) == [(test, test)]
    assert changed.run_requests[0].run_key != new.run_requests[0].run_key

    # A removed file: its shard is rebuilt without it.
    (world.articles / f"{TEST_ID}.txt").unlink()
    (world.articles / f"{TEST_ID}.json").unlink()
    removed = tick(instance, changed.cursor)
    assert ranges(removed) == [(test, test)]


def test_sensor_runs_add_a_new_source_to_the_release_then_drop_it_when_removed(world, monkeypatch):
    from pipelines.definitions import defs
    from pipelines.run import run_release
    from pipelines.sources import shard_of

    # The new source is unreviewed: its engine facts publish only under a threshold they reach
    # (the default, 1.0, queues them for an editor).
    monkeypatch.setenv("DXDATA_AUTOMATIC_THRESHOLD", "0.6")
    instance = DagsterInstance.ephemeral()
    assert run_release(instance, echo=lambda *_: None).success
    # Sources that `dxdata release` already built from the same content request nothing.
    assert tick(instance, None).run_requests == []

    write_article(world.articles, TEST_ID, TEST_ARTICLE)
    data = tick(instance, None)
    [request] = data.run_requests
    result = defs.resolve_job_def(request.job_name or "release_job").execute_in_process(instance=instance, tags=request.tags)
    assert result.success
    [materialization] = result.asset_materializations_for_node("article_facts")
    assert materialization.partition == shard_of(TEST_ID)
    assert materialization.metadata["extracted_sources"].value == TEST_ID
    workforce = pd.read_parquet(world.releases / "1.1.0" / "workforce.parquet")
    assert TEST_IT_STAFF in set(workforce.loc[workforce["source_id"] == TEST_ID, "value"])

    # The file is removed: its shard is rebuilt without it (nothing to extract), and so is the release.
    (world.articles / f"{TEST_ID}.txt").unlink()
    (world.articles / f"{TEST_ID}.json").unlink()
    data = tick(instance, data.cursor)
    [request] = data.run_requests
    job = defs.resolve_job_def(request.job_name or "release_job")
    result = job.execute_in_process(instance=instance, tags=request.tags, asset_selection=request.asset_selection)
    assert result.success
    [materialization] = result.asset_materializations_for_node("article_facts")
    assert materialization.metadata["extracted"].value == 0
    latest = world.releases / "1.2.0"
    assert TEST_ID not in set(pd.read_parquet(latest / "workforce.parquet")["source_id"])
    assert TEST_ID not in set(pd.read_parquet(latest / "sources.parquet")["source_id"])
    assert SEED_ID in set(pd.read_parquet(latest / "workforce.parquet")["source_id"])


def test_weekly_schedule_covers_every_registered_source_in_viet_nam_time(world):
    from dagster import DefaultScheduleStatus

    from pipelines.schedules import weekly_release_schedule

    assert weekly_release_schedule.execution_timezone == "Asia/Ho_Chi_Minh"
    assert weekly_release_schedule.cron_schedule == "0 6 * * 1"
    assert weekly_release_schedule.default_status == DefaultScheduleStatus.STOPPED

    from pipelines.sources import SHARD_KEYS

    with instance_for_test() as instance:
        [request] = weekly_release_schedule.evaluate_tick(build_schedule_context(instance=instance)).run_requests
        # Every shard; unchanged sources come from the extraction cache.
        assert (request.tags[RANGE_START], request.tags[RANGE_END]) == (SHARD_KEYS[0], SHARD_KEYS[-1])
