"""The publication policy in the pipeline (dxdata.policy): per article partition, the facts the
release publishes (reviewed or automatic) and the ones that wait for an editor; the review
queue; and a warning check while that queue is not empty.

A malformed review file fails its partition with the file, line and problem, so nothing
downstream of it (no table, no release) is built.
"""

import pandas as pd
from dagster import AllPartitionMapping, AssetCheckResult, AssetCheckSeverity, AssetExecutionContext, AssetIn, Failure, MetadataValue, asset, asset_check

from dxdata.model import FACT_FIELDS, Fact
from pipelines.extraction import IO_MANAGER, _article_of, _removed_frame, per_source_asset
from pipelines.metadata import markdown_table
from pipelines.resources import Warehouse

POLICY_COLUMNS = [*FACT_FIELDS, "review"]
QUEUE_CHECK = "review_queue_empty"


def reviews_folder(warehouse: Warehouse):
    return warehouse.sources_root() / "reviews"


def policy_frame(outcome) -> pd.DataFrame:
    rows = [{**f.to_row(), "review": status} for f, status in outcome.published]
    rows += [{**f.to_row(), "review": "queued"} for f in outcome.queued]
    df = pd.DataFrame(rows, columns=POLICY_COLUMNS)
    return df.astype({"value": "float64", "confidence": "float64", "review": "string"})


def _engine_facts(frame: pd.DataFrame) -> list[Fact]:
    found = frame[frame["kind"] == "fact"].drop(columns=["kind"])
    records = found.astype(object).where(found.notna(), None).to_dict("records")
    return [Fact(**{k: r[k] for k in FACT_FIELDS if k in r}) for r in records]


@per_source_asset(
    ins={"article_text": AssetIn(), "article_facts": AssetIn()},
    group_name="extraction",
    io_manager_key=IO_MANAGER,
    kinds={"python"},
    description="What each article publishes under the publication policy (dxdata.policy): with an editor review "
    "(sources/reviews/<source_id>.csv), exactly its reviewed facts; without one, the engine's facts at or above "
    "the automatic threshold. Column `review`: reviewed, automatic, or queued (waiting for an editor, not published).",
)
def source_facts(
    context: AssetExecutionContext, article_text: dict[str, pd.DataFrame], article_facts: dict[str, pd.DataFrame], warehouse: Warehouse
) -> dict[str, pd.DataFrame]:
    from dxdata.policy import apply_policy, current_policy
    from dxdata.reviews import ReviewError, load_review, review_fingerprint

    policy = current_policy()
    folder = reviews_folder(warehouse)
    out: dict[str, pd.DataFrame] = {}
    for key in context.partition_keys:
        text, found = article_text.get(key), article_facts.get(key)
        if text is None or text.attrs.get("removed") or found is None or found.attrs.get("removed"):
            out[key] = _removed_frame(POLICY_COLUMNS, key)
            continue
        article = _article_of(text.iloc[0])
        try:
            review = load_review(key, article.clean_text, folder)
        except ReviewError as exc:
            raise Failure(description=f"Malformed review, nothing published: {exc}") from exc
        outcome = apply_policy(key, _engine_facts(found), review, policy)
        df = policy_frame(outcome)
        df.attrs = {
            "source_id": key,
            "source_fingerprint": text.attrs["source_fingerprint"],
            "review_fingerprint": review_fingerprint(key, folder),
        }
        counts = outcome.counts()
        context.add_asset_metadata(
            {
                "reviewed": MetadataValue.int(counts["reviewed"]),
                "automatic": MetadataValue.int(counts["automatic"]),
                "waiting": MetadataValue.int(counts["waiting"]),
                "review_file": MetadataValue.path(str(folder / f"{key}.csv")) if review else MetadataValue.text("(none)"),
                "automatic_threshold": MetadataValue.float(policy.automatic_threshold),
                "preview": MetadataValue.md(
                    markdown_table(df, columns=["review", "indicator_id", "province", "ref_year", "value", "confidence", "quote"])
                ),
            },
            partition_key=key,
        )
        out[key] = df
    return out


def stale_reviews(frames: dict[str, pd.DataFrame], warehouse: Warehouse) -> list[str]:
    """Partitions whose review file changed (or appeared, or went) since they were built."""
    from dxdata.reviews import review_fingerprint

    folder = reviews_folder(warehouse)
    return [key for key, frame in frames.items() if frame.attrs.get("review_fingerprint") != review_fingerprint(key, folder)]


def stale_review_partitions(warehouse: Warehouse, keys: list[str]) -> dict[str, str | None]:
    """Built `source_facts` partitions whose review file was written, changed or removed since:
    source_id -> the review's fingerprint now (None: no review). For the sources sensor; reads
    only each stored file's schema metadata."""
    import json

    import pyarrow.parquet as pq

    from dxdata.reviews import review_fingerprint
    from pipelines.resources import ATTRS_KEY

    folder = reviews_folder(warehouse)
    stale: dict[str, str | None] = {}
    for key in keys:
        path = warehouse.work_file("source_facts", key)
        if not path.exists():
            continue
        raw = (pq.read_schema(path).metadata or {}).get(ATTRS_KEY)
        built = json.loads(raw).get("review_fingerprint") if raw else None
        now = review_fingerprint(key, folder)
        if built != now:
            stale[key] = now
    return stale


@asset(
    ins={"source_facts": AssetIn(partition_mapping=AllPartitionMapping())},
    group_name="tables",
    io_manager_key=IO_MANAGER,
    kinds={"pandas"},
    description="The review queue: facts the engine found in unreviewed sources below the automatic threshold. "
    "Not published; an editor's review of the source settles them. Also written to warehouse/review/queue.csv.",
)
def review_queue(context: AssetExecutionContext, source_facts: dict[str, pd.DataFrame], warehouse: Warehouse) -> pd.DataFrame:
    from pipelines.tables import current_partitions

    current = current_partitions(context, source_facts, warehouse, "source_facts")
    frames = [f[f["review"] == "queued"] for f in current.values()]
    frames = [f for f in frames if not f.empty]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=POLICY_COLUMNS)
    df = df.drop(columns=["review"]).reset_index(drop=True)
    df.attrs = {}
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

