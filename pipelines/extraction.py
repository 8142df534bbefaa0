"""Facts from every source kind: per-article clean text and extraction (partitioned by
source_id), and the transcribed official and press-reported DTI tables."""

import json
import warnings
from datetime import date

import pandas as pd
from dagster import AssetExecutionContext, AssetIn, BackfillPolicy, BetaWarning, Failure, MetadataValue, asset

from dxdata.model import FACT_FIELDS, Article
from pipelines.metadata import markdown_table
from pipelines.resources import Warehouse
from pipelines.sources import ARTICLE_PARTITIONS, article_files, article_path

IO_MANAGER = "warehouse_io_manager"

TEXT_COLUMNS = ["source_id", "title", "published", "clean_text", "metadata_json"]
# Stored extraction output: every Fact field plus what kind of finding the row is.
EXTRACTION_COLUMNS = [*FACT_FIELDS, "kind"]
_EXTRACTION_DTYPES = {
    "indicator_id": "string",
    "province_code": "string",
    "province": "string",
    "ref_year": "Int64",
    "ref_date": "string",
    "value": "float64",
    "unit": "string",
    "qualifier": "string",
    "source_id": "string",
    "quote": "string",
    "quote_start": "Int64",
    "quote_end": "Int64",
    "method": "string",
    "unit_set": "Int64",
    "rank_of": "Int64",
    "confidence": "float64",
    "note": "string",
    "value_start": "Int64",
    "value_end": "Int64",
    "kind": "string",
}


def per_source_asset(**kwargs):
    """`@asset` partitioned by article source, a backfill over many sources running as one run."""
    with warnings.catch_warnings():
        # Dagster 1.13 labels `backfill_policy` beta; we rely on it on purpose, and the notice on
        # every load of the code location tells an operator nothing.
        warnings.simplefilter("ignore", BetaWarning)
        return asset(partitions_def=ARTICLE_PARTITIONS, backfill_policy=BackfillPolicy.single_run(), **kwargs)


def engine_version() -> str:
    """The extraction engine's version: the code version of `article_facts`."""
    from dxdata.extract import ENGINE_VERSION

    return ENGINE_VERSION


def extraction_frame(result) -> pd.DataFrame:
    """One row per fact, candidate (below the confidence threshold or without a province) and
    target (a plan, never a fact), with the dtypes fixed so empty frames keep their schema."""
    rows = []
    for kind, found in (("fact", result.facts), ("candidate", result.candidates), ("target", result.targets)):
        rows.extend({**f.to_row(), "kind": kind} for f in found)
    df = pd.DataFrame(rows, columns=EXTRACTION_COLUMNS)
    return df.astype(_EXTRACTION_DTYPES)


def _removed_frame(columns: list[str], key: str) -> pd.DataFrame:
    df = pd.DataFrame(columns=columns).astype("string")
    df.attrs = {"source_id": key, "removed": True}
    return df


def _article_of(row: pd.Series) -> Article:
    published = row["published"]
    return Article(
        source_id=row["source_id"],
        title=None if pd.isna(row["title"]) else row["title"],
        clean_text=row["clean_text"],
        published=date.fromisoformat(published) if isinstance(published, str) and published else None,
        metadata=json.loads(row["metadata_json"]),
    )


@per_source_asset(
    deps=[article_files],
    group_name="extraction",
    io_manager_key=IO_MANAGER,
    kinds={"python"},
    description="Clean text of each article (NFC, page chrome removed), its metadata and its `sources` row. "
    "Every quote offset refers to this text.",
)
def article_text(context: AssetExecutionContext, warehouse: Warehouse) -> dict[str, pd.DataFrame]:
    from dxdata.ingest import SourceError, load_article, source_fingerprint, source_record

    out: dict[str, pd.DataFrame] = {}
    for key in context.partition_keys:
        path = article_path(warehouse.articles(), key)
        if not path.exists():
            # The partition outlived its file; the next release leaves the source out.
            context.log.warning(f"{path}: source removed; partition {key} is empty and not released")
            out[key] = _removed_frame(TEXT_COLUMNS, key)
            continue
        try:
            article = load_article(path)
        except SourceError as exc:
            raise Failure(description=f"Cannot ingest source {key}: {exc}") from exc
        record = source_record(article, sources_root=warehouse.sources_root())
        df = pd.DataFrame(
            [
                {
                    "source_id": article.source_id,
                    "title": article.title,
                    "published": article.published.isoformat() if article.published else None,
                    "clean_text": article.clean_text,
                    "metadata_json": json.dumps(article.metadata, ensure_ascii=False, sort_keys=True),
                }
            ],
            columns=TEXT_COLUMNS,
        ).astype("string")
        df.attrs = {"source_id": key, "source_fingerprint": source_fingerprint(path), "source_record": record}
        context.add_asset_metadata(
            {
                "title": MetadataValue.text(article.title or ""),
                "url": MetadataValue.url(record["url"]) if record.get("url") else MetadataValue.text("(none)"),
                "published_at": MetadataValue.text(record.get("published_at") or ""),
                "characters": MetadataValue.int(len(article.clean_text)),
                "source_fingerprint": MetadataValue.text(df.attrs["source_fingerprint"]),
            },
            partition_key=key,
        )
        out[key] = df
    return out


@per_source_asset(
    ins={"article_text": AssetIn()},
    code_version=engine_version(),
    group_name="extraction",
    io_manager_key=IO_MANAGER,
    kinds={"python"},
    description="Catalogue facts extracted from each article, with candidates below the confidence threshold "
    "and stated targets (column `kind`). A partition whose source fingerprint and engine version are "
    "unchanged is reused, not extracted again.",
)
def article_facts(
    context: AssetExecutionContext, article_text: dict[str, pd.DataFrame], warehouse: Warehouse
) -> dict[str, pd.DataFrame]:
    from dxdata.extract import ENGINE_VERSION, extract_article

    out: dict[str, pd.DataFrame] = {}
    extracted, reused = [], []
    for key in context.partition_keys:
        text = article_text.get(key)
        if text is None or text.attrs.get("removed"):
            out[key] = _removed_frame(EXTRACTION_COLUMNS, key)
            continue
        fingerprint = text.attrs["source_fingerprint"]
        previous = warehouse.stored("article_facts", key)
        if (
            previous is not None
            and previous.attrs.get("source_fingerprint") == fingerprint
            and previous.attrs.get("engine_version") == ENGINE_VERSION
        ):
            df = previous
            reused.append(key)
        else:
            result = extract_article(_article_of(text.iloc[0]))
            df = extraction_frame(result)
            extracted.append(key)
        df.attrs = {"source_id": key, "source_fingerprint": fingerprint, "engine_version": ENGINE_VERSION}
        counts = df["kind"].value_counts()
        context.add_asset_metadata(
            {
                "facts": MetadataValue.int(int(counts.get("fact", 0))),
                "candidates": MetadataValue.int(int(counts.get("candidate", 0))),
                "targets": MetadataValue.int(int(counts.get("target", 0))),
                "extraction": MetadataValue.text("reused (source and engine unchanged)" if key in reused else "extracted"),
                "engine_version": MetadataValue.text(ENGINE_VERSION),
                "source_fingerprint": MetadataValue.text(fingerprint),
                "preview": MetadataValue.md(
                    markdown_table(df[df["kind"] == "fact"], columns=["indicator_id", "province", "ref_year", "value", "qualifier", "quote"])
                ),
            },
            partition_key=key,
        )
        out[key] = df
    context.log.info(f"extracted {len(extracted)} source(s) {extracted}; reused {len(reused)} unchanged {reused}")
    return out


@asset(
    group_name="extraction",
    io_manager_key=IO_MANAGER,
    kinds={"python"},
    description="Official DTI 2022 provincial rankings and scores (dti.gov.vn), transcribed as facts "
    "(method official_table; provenance = source URL plus the CSV row).",
)
def official_facts(context: AssetExecutionContext) -> pd.DataFrame:
    from dxdata.official import official_dti_facts

    return _table_facts(context, official_dti_facts())


@asset(
    group_name="extraction",
    io_manager_key=IO_MANAGER,
    kinds={"python"},
    description="DTI ranks and scores for 2020-2024 as reported by named outlets (method press_table), "
    "each row with the outlet's URL.",
)
def press_facts(context: AssetExecutionContext) -> pd.DataFrame:
    from dxdata.official import press_dti_facts

    return _table_facts(context, press_dti_facts())


def _table_facts(context: AssetExecutionContext, facts: list) -> pd.DataFrame:
    """Facts transcribed from a table source, as a frame, with row count and preview metadata."""
    from dxdata.tables import facts_frame

    df = facts_frame(facts)
    context.add_output_metadata({"dagster/row_count": MetadataValue.int(len(df)), "preview": MetadataValue.md(markdown_table(df))})
    return df
