"""Resources: where the pipeline reads and writes, and how intermediate results are stored.

Intermediate results live under `<warehouse>/work/` as Parquet files that are overwritten on
every materialisation, one file per asset or per asset partition. The stock DuckDB IO manager is
not used because it appends rows when a partition is materialised again.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from dagster import ConfigurableIOManager, ConfigurableResource, InputContext, OutputContext

from dxdata import paths

# Key in the Parquet schema metadata holding `DataFrame.attrs` (fingerprints, source records).
ATTRS_KEY = b"dxdata.attrs"


class WarehousePaths:
    """Folders the pipeline reads from and writes to, for classes with `sources_dir` and
    `warehouse_dir` settings. Empty settings mean the `dxdata.paths` defaults, read when a step
    runs, so the overrides DXDATA_SOURCES and DXDATA_WAREHOUSE apply to UI runs, CLI runs and
    tests alike."""

    sources_dir: str
    warehouse_dir: str

    def sources_root(self) -> Path:
        return Path(self.sources_dir).resolve() if self.sources_dir else paths.sources_dir()

    def articles(self) -> Path:
        return self.sources_root() / "articles"

    def root(self) -> Path:
        return Path(self.warehouse_dir).resolve() if self.warehouse_dir else paths.warehouse_dir()

    def work(self) -> Path:
        return self.root() / "work"

    def review(self) -> Path:
        return self.root() / "review"

    def snapshots(self) -> Path:
        """Raw pages as captured, gzip-compressed and named by their sha256 (never rewritten)."""
        return self.root() / "snapshots"

    def releases(self) -> Path:
        return self.root() / "releases"

    def cache_file(self) -> Path:
        """The extraction cache (see `pipelines.cache`)."""
        return self.root() / "cache" / "results.sqlite"

    def work_file(self, asset: str, partition_key: str | None = None) -> Path:
        """Where the warehouse IO manager keeps an asset's (or one partition's) latest output."""
        base = self.work()
        if partition_key is None:
            return base / f"{paths.safe_name(asset, 'asset name')}.parquet"
        # Partition keys can be added through the UI or API: never let one leave the warehouse.
        return base / paths.safe_name(asset, "asset name") / f"{paths.safe_name(partition_key)}.parquet"

    def stored_attrs(self, asset: str, partition_key: str | None = None) -> dict | None:
        """The `attrs` of a stored output, read from its Parquet footer only."""
        path = self.work_file(asset, partition_key)
        if not path.exists():
            return None
        raw = (pq.read_schema(path).metadata or {}).get(ATTRS_KEY)
        return json.loads(raw) if raw else {}

    def stored(self, asset: str, partition_key: str | None = None) -> pd.DataFrame | None:
        path = self.work_file(asset, partition_key)
        return read_frame(path) if path.exists() else None


class Warehouse(WarehousePaths, ConfigurableResource):
    """Where sources are read and outputs written (see `WarehousePaths`)."""

    sources_dir: str = ""
    warehouse_dir: str = ""


def write_frame(df: pd.DataFrame, path: Path) -> None:
    """Write a frame (and its `attrs`) to Parquet, replacing any previous file in one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(df, preserve_index=False)
    if df.attrs:
        meta = dict(table.schema.metadata or {})
        meta[ATTRS_KEY] = json.dumps(df.attrs, ensure_ascii=False, default=str).encode("utf-8")
        table = table.replace_schema_metadata(meta)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".parquet", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_frame(path: Path) -> pd.DataFrame:
    table = pq.read_table(path)
    df = table.to_pandas()
    raw = (table.schema.metadata or {}).get(ATTRS_KEY)
    df.attrs = json.loads(raw) if raw else {}
    return df


class WarehouseParquetIOManager(WarehousePaths, ConfigurableIOManager):
    """Stores DataFrame outputs as `<warehouse>/work/<asset>.parquet`, or one file per partition
    as `<warehouse>/work/<asset>/<partition>.parquet`.

    A partitioned asset returns `{partition_key: DataFrame}` (one entry per partition of the
    run, so a single-run backfill writes each partition's own file). A downstream asset reading
    many partitions receives `{partition_key: DataFrame}` for the partitions that are stored."""

    # Its own settings rather than a nested `Warehouse` resource: nesting makes Dagster 1.13
    # emit a deprecation warning of its own at every run.
    sources_dir: str = ""
    warehouse_dir: str = ""

    def path_for(self, asset: str, partition_key: str | None = None) -> Path:
        return self.work_file(asset, partition_key)

    def handle_output(self, context: OutputContext, obj) -> None:
        if obj is None:
            return
        asset = context.asset_key.to_python_identifier()
        if context.has_asset_partitions:
            keys = context.asset_partition_keys
            if isinstance(obj, pd.DataFrame) and len(keys) == 1:
                obj = {keys[0]: obj}
            if not isinstance(obj, dict) or set(obj) != set(keys):
                raise TypeError(f"{asset}: expected one DataFrame per partition {sorted(keys)}, got {type(obj).__name__}")
            for key in keys:
                write_frame(obj[key], self.path_for(asset, key))
        else:
            if not isinstance(obj, pd.DataFrame):
                raise TypeError(f"{asset}: the warehouse IO manager stores DataFrames, got {type(obj).__name__}")
            write_frame(obj, self.path_for(asset))

    def load_input(self, context: InputContext):
        asset = context.asset_key.to_python_identifier()
        if context.has_asset_partitions:
            # Partitions that were never stored (or were stored by a run that failed before
            # writing) are simply absent; the consuming asset decides whether that is an error.
            frames = {}
            for key in context.asset_partition_keys:
                path = self.path_for(asset, key)
                if path.exists():
                    frames[key] = read_frame(path)
            return frames
        path = self.path_for(asset)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no stored output for asset {asset}; materialise it first")
        return read_frame(path)
