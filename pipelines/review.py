"""The publication policy in the pipeline (dxdata.policy): per shard of article sources, the facts
each source publishes (reviewed or automatic) and the ones that wait for an editor; the review
queue; and a warning check while that queue is not empty.

A malformed review file fails its shard with the file, line and problem, so nothing downstream
of it (no table, no release) is built.
"""

import os

import pandas as pd
from dagster import AllPartitionMapping, AssetCheckResult, AssetCheckSeverity, AssetExecutionContext, AssetIn, Failure, MetadataValue, asset, asset_check

from dxdata.model import FACT_FIELDS, Fact
from pipelines.extraction import IO_MANAGER, per_shard_asset
from pipelines.metadata import markdown_table
from pipelines.resources import Warehouse

POLICY_COLUMNS = [*FACT_FIELDS, "review"]
QUEUE_CHECK = "review_queue_empty"


def reviews_folder(warehouse: Warehouse):
    return warehouse.sources_root() / "reviews"


def review_fingerprints(warehouse: Warehouse, source_ids) -> dict[str, str | None]:
    """source_id -> SHA-256 of its review file (None: no review), for the given sources."""
    from dxdata.reviews import review_fingerprint

    folder = reviews_folder(warehouse)
    # One listing of the folder, not one lookup per source: most sources have no review.
    try:
        present = set(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):
        present = set()
    return {source_id: review_fingerprint(source_id, folder) if f"{source_id}.csv" in present else None for source_id in source_ids}


def policy_rows(outcome) -> list[dict]:
    rows = [{**f.to_row(), "review": status} for f, status in outcome.published]
    return rows + [{**f.to_row(), "review": "queued"} for f in outcome.queued]


def policy_frame(rows: list[dict]) -> pd.DataFrame:
    """The rows with the extraction frame's dtypes, so empty and all-null columns stack alike."""
    from pipelines.extraction import _EXTRACTION_DTYPES

    df = pd.DataFrame(rows, columns=POLICY_COLUMNS)
    return df.astype({**{c: t for c, t in _EXTRACTION_DTYPES.items() if c in POLICY_COLUMNS}, "review": "string"})


def _engine_facts(frame: pd.DataFrame) -> dict[str, list[Fact]]:
    """source_id -> the engine's facts (kind "fact") in a shard's extraction frame."""
    found = frame[frame["kind"] == "fact"]
    records = found.astype(object).where(found.notna(), None).to_dict("records")
    out: dict[str, list[Fact]] = {}
    for r in records:
        out.setdefault(r["source_id"], []).append(Fact(**{k: r[k] for k in FACT_FIELDS if k in r}))
    return out


@per_shard_asset(
    ins={"article_text": AssetIn(), "article_facts": AssetIn()},
    group_name="extraction",
    io_manager_key=IO_MANAGER,
    kinds={"python"},
    description="What each article publishes under the publication policy (dxdata.policy), one file per shard: with an "
    "editor review (sources/reviews/<source_id>.csv), exactly its reviewed facts; without one, the engine's facts at "
    "or above the automatic threshold. Column `review`: reviewed, automatic, or queued (waiting for an editor, not "
    "published). Each shard's metadata counts reviewed, automatic and waiting facts per source.",
)
def source_facts(
    context: AssetExecutionContext, article_text: dict[str, pd.DataFrame], article_facts: dict[str, pd.DataFrame], warehouse: Warehouse
) -> dict[str, pd.DataFrame]:
    from dxdata.policy import apply_policy, current_policy
    from dxdata.reviews import ReviewError, load_review

    policy = current_policy()
    folder = reviews_folder(warehouse)
    out: dict[str, pd.DataFrame] = {}
    for key in context.partition_keys:
        texts, found = article_text.get(key), article_facts.get(key)
        if texts is None or found is None:
            raise Failure(description=f"article_text or article_facts has not been materialised for {key}: materialise them first")
        members = texts.attrs["sources"]
        engine = _engine_facts(found)
        rows, per_source = [], []
        for source_id, clean_text in zip(texts["source_id"], texts["clean_text"]):
            try:
                review = load_review(source_id, clean_text, folder)
            except ReviewError as exc:
                raise Failure(description=f"Malformed review, nothing published: {exc}") from exc
            outcome = apply_policy(source_id, engine.get(source_id, []), review, policy)
            rows.extend(policy_rows(outcome))
            per_source.append({"source_id": source_id, **outcome.counts(), "review_file": "yes" if review else "no"})
        df = policy_frame(rows)
        df.attrs = {
            "shard": key,
            "sources": members,
            "reviews": review_fingerprints(warehouse, members),
            "automatic_threshold": policy.automatic_threshold,
        }
        counts = pd.DataFrame(per_source, columns=["source_id", "reviewed", "automatic", "waiting", "review_file"])
        context.add_asset_metadata(
            {
                "reviewed": MetadataValue.int(int(counts["reviewed"].sum())),
                "automatic": MetadataValue.int(int(counts["automatic"].sum())),
                "waiting": MetadataValue.int(int(counts["waiting"].sum())),
                "reviewed_sources": MetadataValue.int(int((counts["review_file"] == "yes").sum())),
                "automatic_threshold": MetadataValue.float(policy.automatic_threshold),
                # Per source: the grain a reader of the UI asks about.
                "by_source": MetadataValue.md(markdown_table(counts.sort_values("waiting", ascending=False, kind="mergesort"), rows=100)),
            },
            partition_key=key,
        )
        out[key] = df
    return out


def stale_reviews(frames: list[pd.DataFrame], warehouse: Warehouse) -> list[str]:
    """Sources whose review file was written, changed or removed since their shard was built."""
    stale = []
    for frame in frames:
        built = frame.attrs.get("reviews") or {}
        now = review_fingerprints(warehouse, frame.attrs.get("sources") or {})
        stale.extend(source_id for source_id, fp in now.items() if built.get(source_id) != fp)
    return sorted(stale)


def publication_stale(warehouse: Warehouse, key: str, members: dict[str, str]) -> bool:
    """Was a shard's `source_facts` never built, or built from other sources, other review files
    or another automatic threshold than now? Reads only the stored file's footer."""
    from dxdata.policy import current_policy

    attrs = warehouse.stored_attrs("source_facts", key)
    if attrs is None or not members:
        return bool(members)  # an empty shard publishes nothing, whatever the threshold
    return (
        attrs.get("sources") != members
        or (attrs.get("reviews") or {}) != review_fingerprints(warehouse, members)
        or attrs.get("automatic_threshold") != current_policy().automatic_threshold
    )


def stale_review_shards(warehouse: Warehouse, shards: dict[str, dict[str, str]]) -> dict[str, dict]:
    """Built shards of `source_facts` whose members are as built but whose review files or
    threshold changed since: shard -> its members (the sources sensor's own plan covers the rest)."""
    out = {}
    for key, members in shards.items():
        attrs = warehouse.stored_attrs("source_facts", key)
        if attrs is not None and attrs.get("sources") == members and publication_stale(warehouse, key, members):
            out[key] = members
    return out


@asset(
    ins={"source_facts": AssetIn(partition_mapping=AllPartitionMapping())},
    group_name="tables",
    io_manager_key=IO_MANAGER,
    kinds={"pandas"},
    description="The review queue: facts the engine found in unreviewed sources below the automatic threshold. "
    "Not published; an editor's review of the source settles them. Also written to warehouse/review/queue.csv.",
)
def review_queue(context: AssetExecutionContext, source_facts: dict[str, pd.DataFrame], warehouse: Warehouse) -> pd.DataFrame:
    from pipelines.tables import current_shards, stack

    found = stack(current_shards(context, source_facts, warehouse, "source_facts"), policy_frame([]))
    df = found[found["review"] == "queued"].drop(columns=["review"]).reset_index(drop=True)
    path = warehouse.review() / "queue.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False)
    context.add_output_metadata(
        {
            "dagster/row_count": MetadataValue.int(len(df)),
            "sources_waiting": MetadataValue.int(int(df["source_id"].nunique()) if len(df) else 0),
            "path": MetadataValue.path(str(path)),
            "preview": MetadataValue.md(markdown_table(df, columns=["source_id", "indicator_id", "province", "value", "confidence", "quote"])),
        }
    )
    return df


@asset_check(
    asset="review_queue",
    name=QUEUE_CHECK,
    blocking=False,
    description="Warns while facts wait for an editor (engine facts of unreviewed sources below the automatic "
    "threshold). A warning, not a blocker: those facts are simply not published until a review settles them.",
)
def review_queue_check(review_queue: pd.DataFrame) -> AssetCheckResult:
    per_source = review_queue.groupby("source_id").size().sort_values(ascending=False) if len(review_queue) else pd.Series(dtype=int)
    return AssetCheckResult(
        passed=review_queue.empty,
        severity=AssetCheckSeverity.WARN,
        metadata={
            "waiting": MetadataValue.int(len(review_queue)),
            "sources": MetadataValue.int(len(per_source)),
            "by_source": MetadataValue.md(markdown_table(per_source.rename("waiting").reset_index(), rows=30)),
        },
    )
