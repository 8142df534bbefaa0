"""Article sources and their partitions: a fixed number of shards, each source in the shard its
source_id hashes to.

Dagster records a few events per partition and per run, so the grain is fixed: SHARD_COUNT
partitions whether the folder holds ten articles or fifty thousand. A shard's data version is the
digest of its members' content fingerprints (text + sidecar), so adding, changing or removing
one article makes exactly one shard stale; inside a shard, the extraction cache
(`pipelines.cache`) keeps unchanged sources from being ingested or extracted again.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from dagster import AssetObservation, AssetSpec, StaticPartitionsDefinition

from dxdata import paths
from dxdata.ingest import discover_articles, source_fingerprint

SHARD_COUNT = 16
SHARD_KEYS = [f"shard_{i:02d}" for i in range(SHARD_COUNT)]
ARTICLE_PARTITIONS = StaticPartitionsDefinition(SHARD_KEYS)

# Dagster's run tags for a run over a range of partitions (what a single-run backfill sets).
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
# Dagster's tag for the data version an observation records.
DATA_VERSION_TAG = "dagster/data_version"
# Shown when listing sources in metadata: the rest are counted, not named.
NAMES_SHOWN = 50


def shard_of(source_id: str) -> str:
    """The shard a source belongs to, stable across machines and runs."""
    number = int.from_bytes(hashlib.sha256(source_id.encode("utf-8")).digest()[:4], "big")
    return SHARD_KEYS[number % SHARD_COUNT]


def scan_articles(folder: Path, cache_file: Path | None = None) -> dict[str, str]:
    """source_id -> content fingerprint of every article file in a folder, in name order.

    With a cache file (`Warehouse.cache_file()`), only files whose stat changed are read again."""
    if cache_file is None:
        return {path.stem: source_fingerprint(path) for path in discover_articles(folder)}
    # The same files as discover_articles (*.txt files, in name order), listed without
    # building and sorting a Path per file: this runs several times per release run.
    # Paths as text, not Path objects: at 10,000 articles building them cost more than the stats.
    prefix = os.path.join(os.fspath(folder), "")
    with os.scandir(folder) as listing:
        names = sorted(e.name for e in listing if e.name.endswith(".txt") and e.is_file())
    from pipelines.cache import ResultCache

    with ResultCache(cache_file) as cache:
        prints = cache.fingerprints([prefix + name for name in names], source_fingerprint)
    return {name[:-4]: prints[prefix + name] for name in names}


def scan_warehouse_articles(warehouse) -> dict[str, str]:
    """`scan_articles` of the warehouse's articles folder, with its fingerprint cache."""
    return scan_articles(warehouse.articles(), warehouse.cache_file())


def by_shard(current: dict[str, str]) -> dict[str, dict[str, str]]:
    """Every shard (also the empty ones) -> {source_id: fingerprint} of its members."""
    shards: dict[str, dict[str, str]] = {key: {} for key in SHARD_KEYS}
    for source_id, fingerprint in current.items():
        shards[shard_of(source_id)][source_id] = fingerprint
    return shards


def shard_digest(members: dict[str, str]) -> str:
    """The data version of a shard: what its members are and what they contain."""
    return hashlib.sha256(json.dumps(members, sort_keys=True).encode("utf-8")).hexdigest()


def article_path(folder: Path, source_id: str) -> Path:
    # Partition keys can be added through the UI or API: never let one leave the folder.
    return Path(folder) / f"{paths.safe_name(source_id, 'article partition key')}.txt"


def range_tags(first: str, last: str) -> dict[str, str]:
    return {RANGE_START_TAG: first, RANGE_END_TAG: last}


ALL_SHARDS_TAGS = range_tags(SHARD_KEYS[0], SHARD_KEYS[-1])


def spanning_range(order: list[str], wanted: set[str]) -> tuple[str, str] | None:
    """The smallest contiguous range of `order` that holds every key in `wanted`.

    One run covers a contiguous range of shards; a shard inside the range that did not change
    is rebuilt from the extraction cache, without ingesting or extracting anything."""
    positions = [i for i, key in enumerate(order) if key in wanted]
    if not positions:
        return None
    return order[positions[0]], order[positions[-1]]


def membership_changes(before: dict[str, str] | None, after: dict[str, str]) -> dict[str, list[str]]:
    """Which sources of a shard are new, changed or removed between two {source_id: fingerprint}."""
    before = before or {}
    return {
        "new": sorted(k for k in after if k not in before),
        "changed": sorted(k for k in after if k in before and before[k] != after[k]),
        "removed": sorted(k for k in before if k not in after),
    }


def names(keys: list[str]) -> str:
    """A short list of source ids for metadata (the UI shows it as text)."""
    shown = ", ".join(keys[:NAMES_SHOWN])
    return shown + (f" and {len(keys) - NAMES_SHOWN} more" if len(keys) > NAMES_SHOWN else "") if keys else "(none)"


# The article files themselves, as an external asset: Dagster does not build them, it observes
# them. Each shard's data version (the digest of its members' fingerprints) is recorded by the
# sources sensor and by `dxdata release` as an observation naming the sources that are new,
# changed or removed, so the UI shows a shard's extraction as stale, and why; through
# `code_version`, it also shows it stale when the engine changed.
article_files = AssetSpec(
    "article_files",
    partitions_def=ARTICLE_PARTITIONS,
    group_name="sources",
    kinds={"file"},
    description=f"Article files in the sources folder (text + JSON metadata sidecar), in {SHARD_COUNT} shards by a hash "
    "of source_id. Data version of a shard = digest of its members' SHA-256 (text and sidecar).",
)


def shard_observation(shard: str, members: dict[str, str], before: dict[str, str] | None) -> AssetObservation:
    """An observation of one shard of article files: its data version, and what changed in it."""
    digest = shard_digest(members)
    changes = membership_changes(before, members)
    return AssetObservation(
        asset_key=article_files.key,
        partition=shard,
        tags={DATA_VERSION_TAG: digest},
        metadata={
            "shard_digest": digest,
            "sources": len(members),
            **{f"{kind}_sources": names(keys) for kind, keys in changes.items()},
        },
    )


def stale_shards(warehouse, shards: dict[str, dict[str, str]], engine: str, ingest: str) -> dict[str, dict[str, str] | None]:
    """Shards whose stored text or facts do not hold exactly their current members, or were
    built by another ingest or engine version -> the members they were built from (None when
    never built). A shard that is empty and was never built is not stale."""
    from pipelines.review import publication_stale

    stale = {}
    for key, members in shards.items():
        text = warehouse.stored_attrs("article_text", key)
        found = warehouse.stored_attrs("article_facts", key)
        if text is None and found is None and not members:
            continue
        if (
            text is None
            or found is None
            or text.get("sources") != members
            or found.get("sources") != members
            or text.get("ingest_version") != ingest
            or found.get("engine_version") != engine
            or publication_stale(warehouse, key, members)
        ):
            stale[key] = (text or {}).get("sources")
    return stale
