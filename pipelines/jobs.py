"""`release_job`: every asset, from the article shards to the release.

The in-process executor runs all steps in one process: on a small machine a process per step
costs about two seconds each, which is most of the run."""

from __future__ import annotations

from dagster import AssetKey, AssetSelection, define_asset_job

from pipelines.executors import release_executor
from pipelines.sources import ALL_SHARDS_TAGS

RELEASE_JOB = "release_job"
PARTITIONED_ASSETS = ("article_text", "article_facts", "source_facts")
# What a run needs when no article partition has to be built (a source was removed, or no
# article is registered): everything downstream of the articles, plus the table sources.
UNPARTITIONED_ASSETS = (
    "official_facts",
    "press_facts",
    "facts",
    "review_candidates",
    "review_queue",
    "infrastructure",
    "e_government",
    "workforce",
    "enterprises",
    "rankings",
    "sources",
    "indicators",
    "provinces",
    "provinces_2025",
    "dti_editions",
    "conflicts",
    "release",
)
UNPARTITIONED_KEYS = [AssetKey(name) for name in UNPARTITIONED_ASSETS]

release_job = define_asset_job(
    name=RELEASE_JOB,
    # Capturing the web is its own job (pipelines/capture.py): a release never waits on a portal.
    selection=AssetSelection.all() - AssetSelection.groups("capture"),
    # In process unless DXDATA_EXECUTOR says otherwise (pipelines/executors.py).
    executor_def=release_executor(),
    # A launch that names no partition (the UI's launchpad, "Materialize all") covers every
    # shard; unchanged sources then come from the extraction cache. A run request or a launch
    # naming a partition or range overrides these tags.
    tags=ALL_SHARDS_TAGS,
    description="Build every table from all registered sources, run the checks and publish a release if anything changed.",
)
