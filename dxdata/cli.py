"""`dxdata` command line. click gives typed options, --help and exit codes for free.

Each command imports its implementation lazily so `dxdata extract` starts without loading
Dagster, pandas or DuckDB.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.group()
@click.version_option(package_name="dxdata")
def main() -> None:
    """Open data on Vietnam's provincial digital transformation."""


# --- extraction (owner: dxdata.extract / dxdata.evaluate) -------------------------------------
@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@click.option("--published", default=None, help="Publication date YYYY-MM-DD, for files without a dateline.")
def extract(paths: tuple[Path, ...], fmt: str, published: str | None) -> None:
    """Extract catalogue facts from plain-text articles (UTF-8; first line may be the title)."""
    from dxdata.extract import cli_extract

    sys.exit(cli_extract(list(paths), fmt=fmt, published=published))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--quiet", is_flag=True, help="Print only the scores, not every miss and false fact.")
def evaluate(paths: tuple[Path, ...], quiet: bool) -> None:
    """Score extraction against gold CSV files (folders of NNN.txt + NNN.gold.csv).

    With no PATH: the seed, ../shared/devset (when present) and every set in tests/devsets/."""
    from dxdata.evaluate import cli_evaluate

    sys.exit(cli_evaluate(list(paths), quiet=quiet))


# --- pipeline (owner: pipelines) ----------------------------------------------------------------
@main.command()
def release() -> None:
    """Run the release job on the bundled sources and publish a release when anything changed."""
    from pipelines.run import cli_release

    sys.exit(cli_release())


# --- releases (owner: dxdata.release / dxdata.verify / dxdata.publish) -------------------------
@main.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
def verify(path: Path) -> None:
    """Verify a release folder: hashes, row counts and schemas against datapackage.json, and dx.duckdb."""
    from dxdata.verify import cli_verify

    sys.exit(cli_verify(path))


@main.command()
@click.option("--to", "target", required=True, help="s3://bucket/prefix")
@click.option("--version", "version", default=None, help="Release version to upload (default: LATEST).")
@click.option("--endpoint-url", default=None, envvar="DXDATA_S3_ENDPOINT", help="S3-compatible endpoint.")
def publish(target: str, version: str | None, endpoint_url: str | None) -> None:
    """Upload a release to S3-compatible object storage, data files first and index.json last."""
    from dxdata.publish import cli_publish

    sys.exit(cli_publish(target, version=version, endpoint_url=endpoint_url))


if __name__ == "__main__":
    main()
