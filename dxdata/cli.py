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
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "table"]), default="jsonl", show_default=True)
@click.option("--published", default=None, help="Publication date YYYY-MM-DD, for files without a dateline.")
def extract(paths: tuple[Path, ...], fmt: str, published: str | None) -> None:
    """Extract catalogue facts from plain-text articles (UTF-8; first line may be the title).
    A PATH of - reads the article from standard input."""
    from dxdata.extract import cli_extract

    sys.exit(cli_extract(list(paths), fmt=fmt, published=published))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--quiet", is_flag=True, help="Print only the scores, not every miss and false fact.")
@click.option(
    "--split",
    type=click.Choice(["blind", "dev", "all"]),
    default=None,
    help="Score against the editor reviews of the real corpus (sources/reviews/): the blind third, the dev two thirds, or all.",
)
def evaluate(paths: tuple[Path, ...], quiet: bool, split: str | None) -> None:
    """Score extraction against gold CSV files (folders of NNN.txt + NNN.gold.csv), or with
    --split against the review files of the real corpus (per theme, per indicator, per confidence band).

    With no PATH and no --split: the seed, ../shared/devset (when present) and every set in
    tests/devsets/."""
    from dxdata.evaluate import cli_evaluate

    if split and paths:
        raise click.UsageError("give PATHs or --split, not both")
    sys.exit(cli_evaluate(list(paths), quiet=quiet, split=split))


# --- editor reviews (owner: dxdata.reviews / dxdata.review_view) -------------------------------
@main.command()
@click.argument("source_id")
@click.option("--init", is_flag=True, help="Write a starter review file (engine proposals, decisions empty) for an unreviewed source.")
def review(source_id: str, init: bool) -> None:
    """Show the engine's facts for SOURCE_ID beside its editor review (sources/reviews/SOURCE_ID.csv)."""
    from dxdata.review_view import cli_review

    sys.exit(cli_review(source_id, init=init))


@main.command()
@click.option("--only", type=click.Choice(["blind", "dev"]), default=None, help="List only the sources of one split.")
def split(only: str | None) -> None:
    """List the article sources with their split: blind (never used for tuning) or dev."""
    from dxdata import paths
    from dxdata.reviews import review_path, split_of

    for txt in sorted(paths.articles_dir().glob("*.txt")):
        which = split_of(txt.stem)
        if only in (None, which):
            reviewed = "reviewed" if review_path(txt.stem).exists() else "unreviewed"
            click.echo(f"{which}\t{reviewed}\t{txt.stem}")


# --- capture (owner: dxdata.capture) ------------------------------------------------------------
def _report_captures(results) -> int:
    from dxdata.capture import Captured

    failed = 0
    for result in results:
        if isinstance(result, Captured):
            click.echo(result.message)
        else:
            failed += 1
            click.echo(f"error: {result}", err=True)
    return 1 if failed else 0


@main.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--published", default=None, help="Publication date YYYY-MM-DD, when the page shows none (or shows a wrong one).")
@click.option("--province", "provinces", multiple=True, help="Province the page is about (repeatable); recorded in the sidecar.")
@click.option("--refresh", is_flag=True, help="Fetch pages captured before again; a changed page becomes a new source, the old one is kept.")
@click.option("--timeout", default=20.0, show_default=True, help="Seconds to wait for a server.")
@click.option("--feed", is_flag=True, help="The URLs are RSS/Atom feeds: add them to sources/watch.csv and capture the articles they list.")
def add(targets: tuple[str, ...], published: str | None, provinces: tuple[str, ...], refresh: bool, timeout: float, feed: bool) -> None:
    """Capture web pages (URLs) or saved pages (FILE.html) as article sources.

    Writes sources/articles/<id>.txt and .json, keeps the raw page under the warehouse's
    snapshots/, and prints the title, date, length and how many facts the engine sees.
    With --feed, each URL is a feed kept on the watch list (`dxdata watch` and the daily
    capture schedule read it again later)."""
    from datetime import date

    from dxdata import paths
    from dxdata.capture import CaptureError, CaptureSettings, add as add_pages, add_to_watch_list, capture_watch_list

    if feed:
        for url in targets:
            try:
                listed = add_to_watch_list(paths.watch_list_path(), url, kind="feed", province=provinces[0] if provinces else "")
            except CaptureError as exc:
                raise click.BadParameter(str(exc), param_hint="URL") from None
            click.echo(f"{url}: {'added to' if listed else 'already on'} the watch list {paths.watch_list_path()}")
        results = capture_watch_list(paths.watch_list_path(), articles=paths.articles_dir(), snapshots=paths.snapshots_dir(),
                                     settings=CaptureSettings(timeout=timeout))
        sys.exit(_report_captures(results))

    day = None
    if published:
        try:
            day = date.fromisoformat(published)
        except ValueError:
            raise click.BadParameter(f"{published!r} is not a date YYYY-MM-DD", param_hint="--published") from None
    results = add_pages(list(targets), articles=paths.articles_dir(), snapshots=paths.snapshots_dir(), published=day,
                        provinces=list(provinces), refresh=refresh, settings=CaptureSettings(timeout=timeout))
    sys.exit(_report_captures(results))


@main.command()
def watch() -> None:
    """Capture the pages and feed entries of sources/watch.csv not captured before."""
    from dxdata import paths
    from dxdata.capture import capture_watch_list

    results = capture_watch_list(paths.watch_list_path(), articles=paths.articles_dir(), snapshots=paths.snapshots_dir())
    if not results:
        click.echo(f"{paths.watch_list_path()}: nothing to capture")
    sys.exit(_report_captures(results))


# --- pipeline (owner: pipelines) ----------------------------------------------------------------
@main.command()
@click.option("--workers", type=click.IntRange(min=0), default=None, envvar="DXDATA_WORKERS",
              help="Processes for ingesting and extracting changed sources (default: every core).")
@click.option("--sources", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              envvar="DXDATA_SOURCES", help="Sources folder (articles/, tables/); default: the bundled sources.")
@click.option("--warehouse", type=click.Path(file_okay=False, path_type=Path), default=None,
              envvar="DXDATA_WAREHOUSE", help="Where releases are written; default: warehouse/ of the checkout, else ./warehouse.")
def release(sources: Path | None, warehouse: Path | None, workers: int | None) -> None:
    """Run the release job on the sources and publish a release when anything changed."""
    import os

    # Settings are read through dxdata.paths, in this process and in Dagster's.
    for name, value in (("DXDATA_SOURCES", sources), ("DXDATA_WAREHOUSE", warehouse)):
        if value is not None:
            os.environ[name] = str(value.resolve())
    # A bad sidecar or article is reported in a second, before Dagster starts a whole run.
    problems = _source_problems()
    if problems:
        click.echo(problems, err=True)
        click.echo("Nothing was run: fix the files above and run `dxdata release` again.", err=True)
        sys.exit(2)
    from pipelines.run import cli_release

    sys.exit(cli_release(workers=workers))


def _source_problems() -> str | None:
    """Every problem of the sources folder, as text, from the input checks (dxdata.validate);
    None when there is none."""
    from dxdata import paths
    from dxdata.validate import report, validate_sources

    # Articles found clean before and unchanged since are not checked again (see validate_sources).
    problems = validate_sources(clean_record=paths.warehouse_dir() / "cache" / "clean_sources.sqlite")
    return report(problems) if problems else None


# --- releases (owner: dxdata.release / dxdata.verify / dxdata.publish) -------------------------
@main.command()
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--index", "index", default=None, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="index.json to check every file against (default: the one beside PATH, if any).")
def verify(path: Path, index: Path | None) -> None:
    """Verify a release folder: every file's hash, row counts, schemas and dx.duckdb against what the release declares."""
    from dxdata.verify import cli_verify

    sys.exit(cli_verify(path, index))


@main.command()
@click.option("--to", "target", required=True, help="s3://bucket/prefix")
@click.option("--version", "version", default=None, help="Release version to upload (default: LATEST).")
@click.option("--endpoint-url", default=None, envvar="DXDATA_S3_ENDPOINT", help="S3-compatible endpoint.")
@click.option("--with-snapshots", "snapshots", is_flag=True, help="Also upload the raw pages `dxdata add` captured (warehouse/snapshots/).")
def publish(target: str, version: str | None, endpoint_url: str | None, snapshots: bool) -> None:
    """Upload a release to S3-compatible object storage, data files first and index.json last."""
    from dxdata.publish import cli_publish

    sys.exit(cli_publish(target, version=version, endpoint_url=endpoint_url, snapshots=snapshots))


if __name__ == "__main__":
    main()
