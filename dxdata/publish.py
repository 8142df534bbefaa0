"""`dxdata publish --to s3://bucket/prefix`: copy a local release to S3-compatible storage.

Readers discover releases through `index.json`, so it is written last: first the data files of
the release, then its `datapackage.json` (which names them), then `LATEST` and `index.html`,
then `index.json`. A reader who sees a version in the index can fetch all of it.

A version already in the bucket is never overwritten. Whether it is there is decided from the
objects under `<prefix><version>/` and their content hashes, not from the remote index alone:
an upload interrupted before index.json leaves data objects and no index entry, and a different
release must not then be accepted under the same version. Before anything is written, every
object already there must equal the local file of the same name (MD5 ETag and recorded sha256,
or the downloaded bytes' sha256) and be part of the release; the missing ones are then uploaded.

Without --version the newest complete release folder is uploaded (never a stale LATEST).
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import sys
from pathlib import Path
from urllib.parse import urlparse

from dxdata import paths
from dxdata.durable import LockBusy
from dxdata.release import DATAPACKAGE, LATEST, _publish_lock, latest_version, parse_version, read_latest, sha256_file
from dxdata.site import INDEX_HTML, INDEX_JSON, build_index, reconcile_catalogue, release_entry, render_html

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


def _remote_objects(client, bucket: str, prefix: str) -> dict[str, dict]:
    """Objects under prefix, by the rest of their key."""
    out = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for obj in page.get("Contents", []):
            out[obj["Key"][len(prefix):]] = obj
    return out


def _md5_file(path: Path) -> str:
    h = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _differs(client, bucket: str, key: str, local: Path) -> str | None:
    """Why the object at key is not the local file, or None when it is."""
    head = client.head_object(Bucket=bucket, Key=key)
    if head.get("ContentLength") != local.stat().st_size:
        return f"{head.get('ContentLength')} bytes, the local file has {local.stat().st_size}"
    etag = str(head.get("ETag", "")).strip('"')
    recorded = (head.get("Metadata") or {}).get("sha256")
    local_sha = sha256_file(local)
    if recorded and recorded != local_sha:
        return f"sha256 {recorded}, the local file has {local_sha}"
    if len(etag) == 32 and "-" not in etag:
        # A single-part upload's ETag is the MD5 the store computed from the bytes it holds.
        return None if etag == _md5_file(local) else f"MD5 {etag} differs from the local file's"
    body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
    actual = hashlib.sha256(body).hexdigest()
    return None if actual == local_sha else f"sha256 {actual}, the local file has {local_sha}"


def upload_release(client, bucket: str, prefix: str, release_dir: Path) -> list[str]:
    """Upload one release folder and refresh the remote catalogue; returns the keys written, in order."""
    version = release_dir.name
    parse_version(version)
    entry = release_entry(release_dir)
    remote_index = _get_json(client, bucket, f"{prefix}{INDEX_JSON}") or {"releases": []}
    remote_entries = {e["version"]: e for e in remote_index.get("releases", [])}
    written: list[str] = []
    where = f"s3://{bucket}/{prefix}{version}/"

    local = {p.name: p for p in release_dir.iterdir() if p.is_file()}
    remote = _remote_objects(client, bucket, f"{prefix}{version}/")
    conflicts = [f"{name} is not part of the local release" for name in sorted(set(remote) - set(local))]
    conflicts += [f"{name}: {why}" for name in sorted(set(remote) & set(local))
                  if (why := _differs(client, bucket, f"{prefix}{version}/{name}", local[name]))]
    if version in remote_entries and remote_entries[version].get("files") != entry["files"]:
        conflicts.append(f"the remote {INDEX_JSON} lists other files or hashes for {version}")
    if conflicts:
        raise PublishError(
            f"{where} already holds a different release {version} ({'; '.join(conflicts)}); "
            "a published release is never overwritten"
        )
    # Data before the descriptor that names them; CHANGES.md with the data (it is not indexed).
    # Objects already there with the same bytes (an interrupted upload) are not sent again.
    order = sorted(n for n in local if n != DATAPACKAGE) + [DATAPACKAGE]
    for name in [n for n in order if n not in remote]:
        p = local[name]
        key = f"{prefix}{version}/{name}"
        with p.open("rb") as fh:
            client.put_object(
                Bucket=bucket, Key=key, Body=fh, ContentType=_content_type(p),
                Metadata={"sha256": sha256_file(p)},
            )
        written.append(key)
    remote_entries.setdefault(version, entry)

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


def upload_snapshots(client, bucket: str, prefix: str, snapshots: Path) -> list[str]:
    """Upload the raw pages captured by `dxdata add` (`<warehouse>/snapshots/<sha256>.html.gz`)
    under `<prefix>snapshots/`. A snapshot is named by its hash, so one already there is kept;
    one there with other bytes is refused, never overwritten. Returns the keys written."""
    written = []
    remote = _remote_objects(client, bucket, f"{prefix}snapshots/")
    for path in sorted(Path(snapshots).glob("*.html.gz")) if Path(snapshots).is_dir() else []:
        key = f"{prefix}snapshots/{path.name}"
        if path.name in remote:
            problem = _differs(client, bucket, key, path)
            if problem:
                raise PublishError(f"s3://{bucket}/{key} already holds other bytes ({problem}); refusing to overwrite a snapshot")
            continue
        client.put_object(Bucket=bucket, Key=key, Body=path.read_bytes(), ContentType="application/gzip",
                          Metadata={"sha256": sha256_file(path)})
        written.append(key)
    return written


def make_client(endpoint_url: str | None = None):
    import boto3
    from botocore.config import Config

    # Recent boto3 adds CRC checksum trailers to every upload by default; several S3-compatible
    # stores reject them, so checksums are sent only where the API requires one.
    config = Config(request_checksum_calculation="when_required", response_checksum_validation="when_required")
    return boto3.client("s3", endpoint_url=endpoint_url, config=config)


def choose_release(releases: Path, version: str | None) -> Path:
    """The folder to upload: --version if given (validated), else the newest complete release.
    LATEST is only compared, never used as a path."""
    if version is None:
        version = latest_version(releases)
        if version is None:
            raise PublishError(f"{releases}: no complete release here; publish a release first")
        named = read_latest(releases)
        if named != version:
            print(f"note: {releases / LATEST} names {named!r}, but the newest complete release is {version}; "
                  f"uploading {version}", file=sys.stderr)
    else:
        try:
            parse_version(version)
        except ValueError as exc:
            raise PublishError(f"--version: {exc}") from None
    release_dir = releases / version
    if not (release_dir / DATAPACKAGE).is_file():
        raise PublishError(f"{release_dir}: no release {version} here (no {DATAPACKAGE})")
    return release_dir


def cli_publish(target: str, version: str | None = None, endpoint_url: str | None = None, snapshots: bool = False) -> int:
    releases = paths.releases_dir()
    try:
        bucket, prefix = parse_target(target)
        if releases.is_dir():
            # The local catalogue first, so it names the release about to be uploaded.
            with _publish_lock(releases):
                for problem in reconcile_catalogue(releases):
                    print(f"repaired the local catalogue: {problem}", file=sys.stderr)
        release_dir = choose_release(releases, version)
        version = release_dir.name
        from dxdata.verify import verify_release

        problems = verify_release(release_dir)
        if problems:
            raise PublishError(f"{release_dir} does not verify, refusing to upload it: " + "; ".join(problems))
        client = make_client(endpoint_url)
        keys = upload_release(client, bucket, prefix, release_dir)
        if snapshots:
            pages = upload_snapshots(client, bucket, prefix, paths.snapshots_dir())
            print(f"uploaded {len(pages)} new page snapshot(s) to s3://{bucket}/{prefix}snapshots/")
    except (PublishError, LockBusy) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # botocore errors: credentials, endpoint, permissions
        print(f"error: uploading to {target} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"published release {version} to s3://{bucket}/{prefix} ({len(keys)} objects written, index.json last)")
    return 0


__all__ = ["cli_publish", "upload_release", "upload_snapshots", "parse_target", "PublishError"]
