"""Article sources: one dynamic partition per article file, keyed by source_id.

The partition key is the file name without `.txt`; the content fingerprint (text + sidecar)
decides whether a partition needs building again.
"""

from pathlib import Path

from dagster import AssetObservation, AssetSpec, DynamicPartitionsDefinition

from dxdata import paths
from dxdata.ingest import discover_articles, source_fingerprint

ARTICLE_PARTITIONS = DynamicPartitionsDefinition(name="article_sources")

# Dagster's run tags for a run over a range of partitions (what a single-run backfill sets).
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
# Dagster's tag for the data version an observation records.
DATA_VERSION_TAG = "dagster/data_version"


def scan_articles(folder: Path) -> dict[str, str]:
    """source_id -> content fingerprint of every article file in a folder, in name order."""
    return {path.stem: source_fingerprint(path) for path in discover_articles(folder)}


def article_path(folder: Path, source_id: str) -> Path:
    # Partition keys can be added through the UI or API: never let one leave the folder.
    return Path(folder) / f"{paths.safe_name(source_id, 'article partition key')}.txt"


def range_tags(first: str, last: str) -> dict[str, str]:
    return {RANGE_START_TAG: first, RANGE_END_TAG: last}


def spanning_range(order: list[str], wanted: set[str]) -> tuple[str, str] | None:
    """The smallest contiguous range of `order` that holds every key in `wanted`.

    One run can only cover a contiguous range of partitions. New sources are appended at the
    end, so for added files this is exactly the new keys; an unchanged partition that falls
    inside the range is materialised again but not re-extracted (see `extraction`)."""
    positions = [i for i, key in enumerate(order) if key in wanted]
    if not positions:
        return None
    return order[positions[0]], order[positions[-1]]


def sync_article_partitions(instance, folder: Path) -> tuple[list[str], list[str]]:
    """Make the registered partitions equal the article files: add new ones, delete removed ones.
    Returns (added, removed)."""
    present = list(scan_articles(folder))
    registered = list(instance.get_dynamic_partitions(ARTICLE_PARTITIONS.name))
    added = [key for key in present if key not in registered]
    removed = [key for key in registered if key not in present]
    if added:
        instance.add_dynamic_partitions(ARTICLE_PARTITIONS.name, added)
    for key in removed:
        instance.delete_dynamic_partition(ARTICLE_PARTITIONS.name, key)
    return added, removed


# The article files themselves, as an external asset: Dagster does not build them, it observes
# them. Their data version per partition (the content fingerprint) is recorded by the sources
# sensor and by `dxdata release` as observations, so the UI shows an extraction as stale when its
# source changed, and through `code_version`, when the engine did.
article_files = AssetSpec(
    "article_files",
    partitions_def=ARTICLE_PARTITIONS,
    group_name="sources",
    kinds={"file"},
    description="Article files in the sources folder (text + JSON metadata sidecar), one partition per source_id. "
    "Data version = SHA-256 of the text and its sidecar.",
)


def fingerprint_observation(source_id: str, fingerprint: str) -> AssetObservation:
    """An observation of one article file carrying its content fingerprint as data version."""
    return AssetObservation(
        asset_key=article_files.key, partition=source_id, tags={DATA_VERSION_TAG: fingerprint}, metadata={"source_fingerprint": fingerprint}
    )
