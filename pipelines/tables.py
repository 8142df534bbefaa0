"""The published tables, one unpartitioned asset each, built from every current source.

Article facts and texts are read from every shard, each shard required to hold exactly the
article files of its shard as they are now: a removed source disappears from the next release,
and a shard whose files changed after it was built stops the build with a message saying which
shard to materialise again and what changed in it. Everything here works on whole frames
(concatenation, masks, joins), never row by row.
"""

import json

import pandas as pd
from dagster import (
    AllPartitionMapping,
    AssetExecutionContext,
    AssetIn,
    AssetSpec,
    Failure,
    MaterializeResult,
    MetadataValue,
    Output,
    asset,
    multi_asset,
)

from dxdata.model import FACT_TABLES
from pipelines.extraction import extraction_rows_frame
from pipelines.metadata import definition_metadata, markdown_table, model_for, table_metadata, urls_of
from pipelines.resources import Warehouse, write_frame
from pipelines.sources import by_shard, membership_changes, names, scan_warehouse_articles

IO_MANAGER = "warehouse_io_manager"
REFERENCE_TABLES = ("provinces", "provinces_2025", "dti_editions")
PUBLISHED_TABLES = (*FACT_TABLES, "sources", "indicators", *REFERENCE_TABLES, "conflicts")
ALL_PARTITIONS = AllPartitionMapping()


def _description(table: str, fallback: str) -> str:
    from schemas.tables import table_description

    model = model_for(table)
    return (table_description(model) if model is not None else "") or fallback


def conform(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Columns in model order with the model's nullable-aware dtypes, so the stored and published
    files have a stable schema. Plain `str` columns are left alone: casting would turn a missing
    value into the text "None" and hide it from the checks."""
    model = model_for(table)
    if model is None:
        return df.reset_index(drop=True)
    columns = model.to_schema().columns
    df = df[[c for c in columns if c in df.columns] + [c for c in df.columns if c not in columns]].copy()
    for name, col in columns.items():
        dtype = str(col.dtype)
        if name in df.columns and dtype in ("string", "Int64", "int64", "float64", "boolean"):
            try:
                df[name] = df[name].astype(dtype)
            except (TypeError, ValueError):
                pass  # left for the schema check to report, row by row
    return df.reset_index(drop=True)


def quarantine_path(warehouse: Warehouse):
    """The review queue of extracted facts held out of the release (see `pipelines.quarantine`)."""
    return warehouse.review() / "quarantined.parquet"


def current_shards(context: AssetExecutionContext, frames: dict[str, pd.DataFrame], warehouse: Warehouse, asset_name: str) -> list[pd.DataFrame]:
    """The stored shards of `asset_name`, each required to hold exactly the article files of
    its shard as they are now (a removed source is gone from the next release; a shard that
    changed since it was built stops the build, naming the shard and what changed in it)."""
    problems = []
    current = []
    for key, members in by_shard(scan_warehouse_articles(warehouse)).items():
        frame = frames.get(key)
        if frame is None:
            if members:
                problems.append(f"{key} has not been materialised")
            continue
        built = frame.attrs.get("sources")
        if built != members:
            why = membership_changes(built, members)
            detail = ", ".join(f"{kind} {names(ids)}" for kind, ids in why.items() if ids)
            problems.append(f"{key} changed since it was materialised ({detail})")
        else:
            current.append(frame)
    if problems:
        raise Failure(
            description=f"{asset_name}: shards out of date: {'; '.join(problems)}. "
            f"Materialise {asset_name} for them (the sources sensor requests this; release_job does it for all)."
        )
    return current


def stack(frames: list[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    df = pd.concat(frames, ignore_index=True) if frames else empty.iloc[0:0]
    df.attrs = {}
    return df


def typed_facts(df: pd.DataFrame) -> pd.DataFrame:
    """Fact rows in the fact-table columns and dtypes (rows left valid by the quarantine)."""
    from dxdata.tables import FACT_DTYPES, FACT_TABLE_COLUMNS

    df = df[FACT_TABLE_COLUMNS].reset_index(drop=True)
    return df.astype({c: t for c, t in FACT_DTYPES.items() if c in df.columns})


@asset(
    ins={
        "source_facts": AssetIn(partition_mapping=ALL_PARTITIONS),
        "official_facts": AssetIn(),
        "press_facts": AssetIn(),
    },
    group_name="tables",
    io_manager_key=IO_MANAGER,
    kinds={"pandas"},
    description="Every published fact from every current source (articles under the publication policy, official "
    "and press tables), before the split by theme.",
)
def facts(
    context: AssetExecutionContext,
    source_facts: dict[str, pd.DataFrame],
    official_facts: pd.DataFrame,
    press_facts: pd.DataFrame,
    warehouse: Warehouse,
) -> pd.DataFrame:
    from dxdata.tables import FACT_TABLE_COLUMNS
    from pipelines.quarantine import split_quarantine
    from pipelines.review import policy_frame, stale_reviews

    shards = current_shards(context, source_facts, warehouse, "source_facts")
    stale = stale_reviews(shards, warehouse)
    if stale:
        raise Failure(
            description=f"source_facts: the review file of {names(stale)} changed since its shard was built; "
            "materialise source_facts for its shard (the sources sensor requests this; release_job does it for all)."
        )
    found = stack(shards, policy_frame([]))
    found = found[found["review"] != "queued"].reset_index(drop=True)
    articles, quarantined = split_quarantine(found[FACT_TABLE_COLUMNS])
    write_frame(quarantined, quarantine_path(warehouse))
    articles = typed_facts(articles)
    parts = [df for df in (articles, typed_facts(official_facts), typed_facts(press_facts)) if not df.empty]
    df = pd.concat(parts, ignore_index=True) if parts else articles
    context.add_output_metadata(
        {
            "dagster/row_count": MetadataValue.int(len(df)),
            "article_sources": MetadataValue.int(int(sum(len(f.attrs.get("sources", {})) for f in shards))),
            "article_facts": MetadataValue.int(len(articles)),
            "reviewed_facts": MetadataValue.int(int((articles["review"] == "reviewed").sum())),
            "automatic_facts": MetadataValue.int(int((articles["review"] == "automatic").sum())),
            "quarantined_article_facts": MetadataValue.int(len(quarantined)),
            "official_table_facts": MetadataValue.int(len(official_facts)),
            "press_table_facts": MetadataValue.int(len(press_facts)),
            "preview": MetadataValue.md(markdown_table(df)),
        }
    )
    return df


@asset(
    ins={"article_facts": AssetIn(partition_mapping=ALL_PARTITIONS)},
    group_name="tables",
    kinds={"parquet"},
    description="Findings below the confidence threshold, without a province, or stated as targets: "
    "written to warehouse/review/candidates.parquet for an editor, never released.",
)
def review_candidates(context: AssetExecutionContext, article_facts: dict[str, pd.DataFrame], warehouse: Warehouse) -> MaterializeResult:
    found = stack(current_shards(context, article_facts, warehouse, "article_facts"), extraction_rows_frame([]))
    df = found[found["kind"] != "fact"].reset_index(drop=True)
    path = warehouse.review() / "candidates.parquet"
    write_frame(df, path)
    return MaterializeResult(
        metadata={
            "path": MetadataValue.path(str(path)),
            "dagster/row_count": MetadataValue.int(len(df)),
            "preview": MetadataValue.md(
                markdown_table(df, columns=["kind", "indicator_id", "province", "value", "confidence", "source_id", "quote"])
            ),
        }
    )


@multi_asset(
    specs=[
        AssetSpec(
            theme,
            deps=["facts", "sources"],
            group_name="tables",
            kinds={"pandas"},
            description=_description(theme, f"Facts of the {theme} theme"),
            metadata=definition_metadata(theme),
        ).with_io_manager_key(IO_MANAGER)
        for theme in FACT_TABLES
    ],
    ins={"facts": AssetIn(), "sources": AssetIn()},
    can_subset=True,
    name="fact_tables",
    description="Splits the facts by theme into the five published fact tables (one step, five assets).",
)
def fact_tables(context: AssetExecutionContext, facts: pd.DataFrame, sources: pd.DataFrame):
    from dxdata.tables import split_fact_tables

    split = split_fact_tables(facts)
    for key in sorted(context.selected_asset_keys, key=lambda k: k.to_user_string()):
        theme = key.to_user_string()
        df = conform(theme, split[theme])
        yield Output(df, output_name=theme, metadata=table_metadata(theme, df, urls_of(sources, df["source_id"].unique())))


@asset(
    # The sources rows only: not the clean text of every article.
    ins={"article_text": AssetIn(partition_mapping=ALL_PARTITIONS, metadata={"columns": ["source_id", "source_record_json"]})},
    group_name="tables",
    io_manager_key=IO_MANAGER,
    kinds={"pandas"},
    description=_description("sources", "One row per source document"),
    metadata=definition_metadata("sources"),
)
def sources(context: AssetExecutionContext, article_text: dict[str, pd.DataFrame], warehouse: Warehouse) -> pd.DataFrame:
    from dxdata.official import table_source_records
    from dxdata.tables import frame_for

    texts = stack(current_shards(context, article_text, warehouse, "article_text"), pd.DataFrame(columns=["source_record_json"]))
    rows = [json.loads(record) for record in texts["source_record_json"]] + list(table_source_records())
    df = conform("sources", frame_for("sources", rows).sort_values("source_id", kind="mergesort"))
    context.add_output_metadata(table_metadata("sources", df, urls_of(df, df["source_id"])))
    return df


@asset(
    group_name="tables",
    io_manager_key=IO_MANAGER,
    kinds={"pandas"},
    description=_description("indicators", "The indicator catalogue"),
    metadata=definition_metadata("indicators"),
)
def indicators(context: AssetExecutionContext) -> pd.DataFrame:
    from dxdata.tables import indicators_frame

    df = conform("indicators", indicators_frame())
    context.add_output_metadata(table_metadata("indicators", df))
    return df


@multi_asset(
    specs=[
        AssetSpec(
            table,
            group_name="tables",
            kinds={"pandas"},
            description=_description(table, f"Reference table {table}"),
            metadata=definition_metadata(table),
        ).with_io_manager_key(IO_MANAGER)
        for table in REFERENCE_TABLES
    ],
    can_subset=True,
    name="reference_tables",
    description="The province registers (63 and 34 units) and the DTI editions, read in one step.",
)
def reference_tables(context: AssetExecutionContext):
    from dxdata.official import reference_tables as read_reference_tables

    tables = read_reference_tables()
    for key in sorted(context.selected_asset_keys, key=lambda k: k.to_user_string()):
        table = key.to_user_string()
        df = conform(table, tables[table])
        yield Output(df, output_name=table, metadata=table_metadata(table, df))


@asset(
    ins={"facts": AssetIn()},
    group_name="tables",
    io_manager_key=IO_MANAGER,
    kinds={"pandas"},
    description=_description("conflicts", "Indicator, province and year for which sources state different values"),
    metadata=definition_metadata("conflicts"),
)
def conflicts(context: AssetExecutionContext, facts: pd.DataFrame) -> pd.DataFrame:
    from dxdata.conflicts import find_conflicts

    df = conform("conflicts", find_conflicts(facts))
    context.add_output_metadata(table_metadata("conflicts", df))
    return df


table_assets = [facts, review_candidates, fact_tables, sources, indicators, reference_tables, conflicts]
