"""`dxdata publish --to s3://bucket/prefix`: copy a local release to S3-compatible storage.

Readers discover releases through `index.json`, so it is written last: first the data files of
the release, then its `datapackage.json` (which names them), then `LATEST` and `index.html`,
then `index.json`. A reader who sees a version in the index can fetch all of it. A version
already in the bucket is never overwritten: if its files match, the upload is skipped; if they
differ, publishing stops with an error.
"""

from __future__ import annotations

import json
import mimetypes
import sys
from pathlib import Path
from urllib.parse import urlparse

from dxdata import paths
from dxdata.release import DATAPACKAGE, LATEST, parse_version, sha256_file
from dxdata.site import INDEX_HTML, INDEX_JSON, build_index, release_entry, render_html

CONTENT_TYPES = {
    ".parquet": "application/vnd.apache.parquet",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".duckdb": "application/octet-stream",
}


class PublishError(RuntimeError):
    pass


def parse_target(target: str) -> tuple[str, str]:
    """s3://bucket/prefix -> (bucket, 'prefix/') ('' for the bucket root)."""
    url = urlparse(target)
    if url.scheme != "s3" or not url.netloc:
        raise PublishError(f"--to must look like s3://bucket/prefix, got {target!r}")
    prefix = url.path.strip("/")
    return url.netloc, f"{prefix}/" if prefix else ""


def _content_type(path: Path) -> str:
    return CONTENT_TYPES.get(path.suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def _get_json(client, bucket: str, key: str) -> dict | None:
    try:
        body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
    except client.exceptions.NoSuchKey:
        return None
    except client.exceptions.ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey"):
            return None
        raise
    return json.loads(body)


def upload_release(client, bucket: str, prefix: str, release_dir: Path) -> list[str]:
    """Upload one release folder and refresh the remote catalogue; returns the keys written, in order."""
    version = release_dir.name
    parse_version(version)
    entry = release_entry(release_dir)
    remote_index = _get_json(client, bucket, f"{prefix}{INDEX_JSON}") or {"releases": []}
    remote_entries = {e["version"]: e for e in remote_index.get("releases", [])}
    written: list[str] = []

    if version in remote_entries:
        if remote_entries[version]["files"] != entry["files"]:
            raise PublishError(
                f"s3://{bucket}/{prefix}{version}/ already holds release {version} with different files; "
                "a published release is never overwritten"
            )
    else:
        data_files = sorted(p for p in release_dir.iterdir() if p.is_file() and p.name != DATAPACKAGE)
        # Data before the descriptor that names them; CHANGES.md with the data (it is not indexed).
        for p in [*data_files, release_dir / DATAPACKAGE]:
            key = f"{prefix}{version}/{p.name}"
            with p.open("rb") as fh:
                client.put_object(
                    Bucket=bucket, Key=key, Body=fh, ContentType=_content_type(p),
                    Metadata={"sha256": sha256_file(p)},
                )
            written.append(key)
        remote_entries[version] = entry

    index = build_index(release_dir.parent, entries=list(remote_entries.values()))
    latest = index["latest"]
    if latest == version or (release_dir.parent / latest).is_dir():
        page = render_html(index, release_dir.parent / latest)
    else:
        page = render_html(index, None)
    for key, body, ctype in (
        (f"{prefix}{LATEST}", (latest + "\n").encode(), "text/plain; charset=utf-8"),
        (f"{prefix}{INDEX_HTML}", page.encode(), CONTENT_TYPES[".html"]),
        (f"{prefix}{INDEX_JSON}", (json.dumps(index, ensure_ascii=False, indent=2) + "\n").encode(), CONTENT_TYPES[".json"]),
    ):
        client.put_object(Bucket=bucket, Key=key, Body=body, ContentType=ctype)
        written.append(key)
    return written


def make_client(endpoint_url: str | None = None):
    import boto3
    from botocore.config import Config

    # Recent boto3 adds CRC checksum trailers to every upload by default; several S3-compatible
    # stores reject them, so checksums are sent only where the API requires one.
    config = Config(request_checksum_calculation="when_required", response_checksum_validation="when_required")
    return boto3.client("s3", endpoint_url=endpoint_url, config=config)


def cli_publish(target: str, version: str | None = None, endpoint_url: str | None = None) -> int:
    releases = paths.releases_dir()
    try:
        bucket, prefix = parse_target(target)
        if version is None:
            latest_file = releases / LATEST
            if not latest_file.is_file():
                raise PublishError(f"{latest_file}: missing; publish a release first or pass --version")
            version = latest_file.read_text(encoding="utf-8").strip()
        release_dir = releases / version
        if not (release_dir / DATAPACKAGE).is_file():
            raise PublishError(f"{release_dir}: no release {version} here (no {DATAPACKAGE})")
        from dxdata.verify import verify_release

        problems = verify_release(release_dir)
        if problems:
            raise PublishError(f"{release_dir} does not verify, refusing to upload it: " + "; ".join(problems))
        client = make_client(endpoint_url)
        keys = upload_release(client, bucket, prefix, release_dir)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # botocore errors: credentials, endpoint, permissions
        print(f"error: uploading to {target} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"published release {version} to s3://{bucket}/{prefix} ({len(keys)} objects written, index.json last)")
    return 0


__all__ = ["cli_publish", "upload_release", "parse_target", "PublishError"]
