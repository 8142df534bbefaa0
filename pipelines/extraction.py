"""Facts from every source kind: per-article clean text and extraction (partitioned by shard of
sources, see `pipelines.sources`), and the transcribed official and press-reported DTI tables."""

import json
import warnings

import pandas as pd
from dagster import AssetExecutionContext, AssetIn, BackfillPolicy, BetaWarning, Failure, MetadataValue, asset

from dxdata.model import FACT_FIELDS
from pipelines.cache import EXTRACT_STAGE, INGEST_STAGE, ResultCache, cached_map, ingest_version
from pipelines.metadata import markdown_table
from pipelines.resources import Warehouse
from pipelines.sources import (
    ARTICLE_PARTITIONS,
    NAMES_SHOWN,
    article_files,
    article_path,
    by_shard,
    membership_changes,
    names,
    scan_warehouse_articles,
    shard_digest,
)
from pipelines.tasks import TEXT_FIELDS, extract_source, ingest_source

IO_MANAGER = "warehouse_io_manager"

TEXT_COLUMNS = list(TEXT_FIELDS)
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


def unreadable_folder(warehouse: Warehouse):
    """One JSON file per shard naming its sources that cannot be read, with why (see article_text)."""
    return warehouse.review() / "unreadable"


def write_unreadable(warehouse: Warehouse, key: str, set_aside: dict[str, str]) -> None:
    from dxdata import durable

    path = unreadable_folder(warehouse) / f"{key}.json"
    if set_aside:
        path.parent.mkdir(parents=True, exist_ok=True)
        durable.write_text_atomic(path, json.dumps(set_aside, ensure_ascii=False, indent=1, sort_keys=True))
    else:
        path.unlink(missing_ok=True)


def read_unreadable(warehouse: Warehouse) -> dict[str, str]:
    """Every source set aside as unreadable, over all shards: source_id -> why."""
    out: dict[str, str] = {}
    folder = unreadable_folder(warehouse)
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        out.update(json.loads(path.read_text(encoding="utf-8")))
    return out


def per_shard_asset(**kwargs):
    """`@asset` partitioned by shard of article sources, a run over many shards running as one step."""
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
    return extraction_rows_frame(rows)


def extraction_rows_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=EXTRACTION_COLUMNS).astype(_EXTRACTION_DTYPES)


def _why(previous: pd.DataFrame | None, members: dict[str, str]) -> dict[str, list[str]]:
    """What changed in a shard since its stored output was built."""
    return membership_changes(previous.attrs.get("sources") if previous is not None else None, members)


@per_shard_asset(
    deps=[article_files],
    code_version=ingest_version(),
    group_name="extraction",
    io_manager_key=IO_MANAGER,
    kinds={"python"},
    description="Clean text of each article (NFC, page chrome removed), its metadata and its `sources` row, one file "
    "per shard. Every quote offset refers to this text. Unchanged sources come from the cache, not ingested again.",
)
def article_text(context: AssetExecutionContext, warehouse: Warehouse) -> dict[str, pd.DataFrame]:
    shards = by_shard(scan_warehouse_articles(warehouse))
    keys = context.partition_keys
    wanted = {source_id: fp for key in keys for source_id, fp in shards[key].items()}
    root = str(warehouse.sources_root())
    tasks = {source_id: (str(article_path(warehouse.articles(), source_id)), root) for source_id in wanted}
    version = ingest_version()
    with ResultCache(warehouse.cache_file()) as cache:
        values, ingested = cached_map(cache, INGEST_STAGE, version, wanted, ingest_source, tasks)
    # A source that cannot be read (a malformed sidecar, an undecodable text) is set aside, named
    # here and in warehouse/review/unreadable/, and the other sources go on: one bad file never
    # blocks a release. (`dxdata release` refuses such files before starting; runs launched from
    # the UI or by the daemon meet them here.)
    # Named by their path inside the sources folder: the same on every machine.
    unreadable = {s: v["error"].replace(f"{root}/", "") for s, v in values.items() if "error" in v}
    if unreadable:
        context.log.warning(f"{len(unreadable)} source(s) cannot be read and are left out: " + "; ".join(sorted(unreadable.values())))
    ingested_set = set(ingested)
    out: dict[str, pd.DataFrame] = {}
    for key in keys:
        members = shards[key]
        set_aside = {s: unreadable[s] for s in members if s in unreadable}
        write_unreadable(warehouse, key, set_aside)
        df = pd.DataFrame([values[s] for s in members if s not in set_aside], columns=TEXT_COLUMNS).astype("string")
        why = _why(warehouse.stored("article_text", key), members)
        # `sources` stays the shard's full membership (what the tables compare with the folder);
        # `unreadable` says which of them have no row.
        df.attrs = {"shard": key, "sources": members, "ingest_version": version, "unreadable": set_aside}
        fresh = [s for s in members if s in ingested_set]
        context.add_asset_metadata(
            {
                "sources": MetadataValue.int(len(members)),
                "unreadable": MetadataValue.int(len(set_aside)),
                "unreadable_sources": MetadataValue.md(
                    "\n".join(f"- {message}" for message in set_aside.values()) or "none"
                ),
                "ingested": MetadataValue.int(len(fresh)),
                "from_cache": MetadataValue.int(len(members) - len(fresh)),
                "new_sources": MetadataValue.text(names(why["new"])),
                "changed_sources": MetadataValue.text(names(why["changed"])),
                "removed_sources": MetadataValue.text(names(why["removed"])),
                "shard_digest": MetadataValue.text(shard_digest(members)),
                "characters": MetadataValue.int(int(df["clean_text"].str.len().sum()) if len(df) else 0),
            },
            partition_key=key,
        )
        out[key] = df
    context.log.info(f"ingested {len(ingested)} source(s); {len(wanted) - len(ingested)} from the cache")
    return out


@per_shard_asset(
    ins={"article_text": AssetIn()},
    code_version=engine_version(),
    group_name="extraction",
    io_manager_key=IO_MANAGER,
    kinds={"python"},
    description="Catalogue facts extracted from each article, with candidates below the confidence threshold "
    "and stated targets (column `kind`), one file per shard. A source whose fingerprint and engine version "
    "are in the extraction cache is not extracted again.",
)
def article_facts(
    context: AssetExecutionContext, article_text: dict[str, pd.DataFrame], warehouse: Warehouse
) -> dict[str, pd.DataFrame]:
    from dxdata.extract import ENGINE_VERSION

    keys = context.partition_keys
    missing = [key for key in keys if key not in article_text]
    if missing:
        raise Failure(description=f"article_text has not been materialised for {missing}: materialise it first")
    wanted: dict[str, str] = {}
    inputs: dict[str, dict] = {}
    for key in keys:
        text = article_text[key]
        unreadable = text.attrs.get("unreadable") or {}
        wanted.update({s: fp for s, fp in text.attrs["sources"].items() if s not in unreadable})
        for row in text.astype(object).where(text.notna(), None).to_dict("records"):
            inputs[row["source_id"]] = row
    with ResultCache(warehouse.cache_file()) as cache:
        values, extracted = cached_map(cache, EXTRACT_STAGE, ENGINE_VERSION, wanted, extract_source, inputs)
    extracted_set = set(extracted)
    out: dict[str, pd.DataFrame] = {}
    for key in keys:
        members = article_text[key].attrs["sources"]
        df = extraction_rows_frame([row for source_id in members if source_id in values for row in values[source_id]])
        df.attrs = {"shard": key, "sources": members, "engine_version": ENGINE_VERSION}
        fresh = [s for s in members if s in extracted_set]
        counts = df["kind"].value_counts()
        context.add_asset_metadata(
            {
                "sources": MetadataValue.int(len(members)),
                "extracted": MetadataValue.int(len(fresh)),
                "reused": MetadataValue.int(len(members) - len(fresh)),
                "extracted_sources": MetadataValue.text(names(fresh)),
                "facts": MetadataValue.int(int(counts.get("fact", 0))),
                "candidates": MetadataValue.int(int(counts.get("candidate", 0))),
                "targets": MetadataValue.int(int(counts.get("target", 0))),
                "engine_version": MetadataValue.text(ENGINE_VERSION),
                "shard_digest": MetadataValue.text(shard_digest(members)),
                "preview": MetadataValue.md(
                    markdown_table(df[df["kind"] == "fact"], columns=["source_id", "indicator_id", "province", "ref_year", "value", "qualifier", "quote"])
                ),
            },
            partition_key=key,
        )
        out[key] = df
    shown = extracted if len(extracted) <= NAMES_SHOWN else f"{extracted[:NAMES_SHOWN]} ..."
    context.log.info(f"extracted {len(extracted)} source(s) {shown}; reused {len(wanted) - len(extracted)} unchanged")
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
