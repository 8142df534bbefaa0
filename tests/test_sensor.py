"""The sources sensor (new / changed / unchanged / removed files) and the weekly schedule."""

from __future__ import annotations

import json
import os

import pandas as pd
from dagster import AddDynamicPartitionsRequest, DagsterInstance, DeleteDynamicPartitionsRequest, build_schedule_context, build_sensor_context, instance_for_test

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
    """Evaluate the sensor once and apply its partition requests, as the daemon would."""
    from pipelines.resources import Warehouse
    from pipelines.sensors import article_sources_sensor

    context = build_sensor_context(instance=instance, cursor=cursor, resources={"warehouse": Warehouse()})
    data = article_sources_sensor.evaluate_tick(context)
    for request in data.dynamic_partitions_requests or []:
        if isinstance(request, AddDynamicPartitionsRequest):
            instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
        elif isinstance(request, DeleteDynamicPartitionsRequest):
            for key in request.partition_keys:
                instance.delete_dynamic_partition(request.partitions_def_name, key)
    return data


def added(data):
    return [k for r in data.dynamic_partitions_requests or [] if isinstance(r, AddDynamicPartitionsRequest) for k in r.partition_keys]


def deleted(data):
    return [k for r in data.dynamic_partitions_requests or [] if isinstance(r, DeleteDynamicPartitionsRequest) for k in r.partition_keys]


def ranges(data):
    return [(r.tags.get(RANGE_START), r.tags.get(RANGE_END)) for r in data.run_requests]


def fingerprint_of(path):
    from dxdata.ingest import source_fingerprint

    return source_fingerprint(path)


def test_new_changed_unchanged_and_removed_files(world):
    instance = DagsterInstance.ephemeral()

    first = tick(instance, None)
    assert added(first) == [SEED_ID]
    assert ranges(first) == [(SEED_ID, SEED_ID)]
    assert json.loads(first.cursor) == {SEED_ID: fingerprint_of(world.articles / f"{SEED_ID}.txt")}

    # Unchanged content, even with a new modification time: nothing to do.
    os.utime(world.articles / f"{SEED_ID}.txt")
    unchanged = tick(instance, first.cursor)
    assert unchanged.run_requests == [] and added(unchanged) == [] and deleted(unchanged) == []
    assert unchanged.skip_message and "none new" in unchanged.skip_message

    # A new file becomes a partition and a run over that partition only.
    write_article(world.articles, TEST_ID, TEST_ARTICLE)
    new = tick(instance, unchanged.cursor)
    assert added(new) == [TEST_ID]
    assert ranges(new) == [(TEST_ID, TEST_ID)]
    assert instance.get_dynamic_partitions("article_sources") == [SEED_ID, TEST_ID]
    assert [e.partition for e in new.asset_events] == [TEST_ID]  # its fingerprint is observed

    # Changed content: a run for that partition, no new partition.
    write_article(world.articles, TEST_ID, TEST_ARTICLE.replace("412", "413"))
    changed = tick(instance, new.cursor)
    assert added(changed) == []
    assert ranges(changed) == [(TEST_ID, TEST_ID)]
    assert changed.run_requests[0].run_key != new.run_requests[0].run_key

    # A removed file loses its partition; the release is rebuilt without it (no partition to extract).
    (world.articles / f"{TEST_ID}.txt").unlink()
    (world.articles / f"{TEST_ID}.json").unlink()
    removed = tick(instance, changed.cursor)
    assert deleted(removed) == [TEST_ID]
    [request] = removed.run_requests
    assert RANGE_START not in request.tags
    assert "release" in {k.to_user_string() for k in request.asset_selection}
    assert instance.get_dynamic_partitions("article_sources") == [SEED_ID]


def test_sensor_runs_add_a_new_source_to_the_release_then_drop_it_when_removed(world):
    from pipelines.definitions import defs
    from pipelines.run import run_release

    instance = DagsterInstance.ephemeral()
    assert run_release(instance, echo=lambda *_: None).success
    # Sources that `dxdata release` already built from the same content request nothing.
    assert tick(instance, None).run_requests == []

    write_article(world.articles, TEST_ID, TEST_ARTICLE)
    data = tick(instance, None)
    [request] = data.run_requests
    result = defs.resolve_job_def(request.job_name or "release_job").execute_in_process(instance=instance, tags=request.tags)
    assert result.success
    assert sorted(m.partition for m in result.asset_materializations_for_node("article_facts")) == [TEST_ID]
    workforce = pd.read_parquet(world.releases / "1.1.0" / "workforce.parquet")
    assert TEST_IT_STAFF in set(workforce.loc[workforce["source_id"] == TEST_ID, "value"])

    # The file is removed: its partition goes, and the run rebuilds the release without it.
    (world.articles / f"{TEST_ID}.txt").unlink()
    (world.articles / f"{TEST_ID}.json").unlink()
    data = tick(instance, data.cursor)
    [request] = data.run_requests
    job = defs.resolve_job_def(request.job_name or "release_job")
    result = job.execute_in_process(instance=instance, tags=request.tags, asset_selection=request.asset_selection)
    assert result.success
    assert not result.asset_materializations_for_node("article_facts")  # nothing to extract
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

    with instance_for_test() as instance:
        [request] = weekly_release_schedule.evaluate_tick(build_schedule_context(instance=instance)).run_requests
        assert "release" in {k.to_user_string() for k in request.asset_selection}  # no article yet

        instance.add_dynamic_partitions("article_sources", [SEED_ID, TEST_ID])
        [request] = weekly_release_schedule.evaluate_tick(build_schedule_context(instance=instance)).run_requests
        assert (request.tags[RANGE_START], request.tags[RANGE_END]) == (SEED_ID, TEST_ID)
