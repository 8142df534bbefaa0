"""`dxdata publish` after an interrupted upload, and with a stale or hostile LATEST (issue 10
items 1 and 10, issue 16), against moto's S3 server on loopback (tests/test_publish_s3.py)."""

from __future__ import annotations

import json
import shutil

import moto.server  # noqa: F401  (a test dependency: fail, never skip, when it is missing)
import pytest

from dxdata.publish import PublishError, cli_publish, upload_release
from dxdata.release import publish_release
from release_fixtures import make_tables, with_value
from test_publish_s3 import _keys, s3, s3_endpoint  # noqa: F401  (fixtures)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    releases = tmp_path_factory.mktemp("publish") / "warehouse" / "releases"
    publish_release(make_tables(), releases_dir=releases)
    return releases


@pytest.fixture
def warehouse(template, tmp_path, monkeypatch):
    """A fresh copy of a warehouse holding release 1.0.0 (copying costs less than publishing)."""
    monkeypatch.setenv("DXDATA_WAREHOUSE", str(tmp_path / "warehouse"))
    return shutil.copytree(template, tmp_path / "warehouse" / "releases")


def _other_release(tmp_path, value=999):
    other = tmp_path / "other" / "releases"
    publish_release(make_tables(with_value("workforce.it_staff_total", value)), releases_dir=other)
    return other / "1.0.0"


def _interrupted_upload(client, bucket, release_dir, prefix="p/"):
    """What a killed upload leaves: some data objects, no descriptor, no index."""
    for name in ("changes.parquet", "workforce.parquet"):
        client.put_object(Bucket=bucket, Key=f"{prefix}1.0.0/{name}", Body=(release_dir / name).read_bytes())


def test_a_different_release_is_refused_after_an_interrupted_upload(s3, warehouse, tmp_path):
    client, bucket = s3
    _interrupted_upload(client, bucket, warehouse / "1.0.0")
    before = client.get_object(Bucket=bucket, Key="p/1.0.0/workforce.parquet")["Body"].read()
    with pytest.raises(PublishError, match=r"workforce.parquet: .*never overwritten"):
        upload_release(client, bucket, "p/", _other_release(tmp_path))
    assert client.get_object(Bucket=bucket, Key="p/1.0.0/workforce.parquet")["Body"].read() == before
    assert _keys(client, bucket) == {"p/1.0.0/changes.parquet", "p/1.0.0/workforce.parquet"}


def test_the_same_release_resumes_an_interrupted_upload(s3, warehouse):
    client, bucket = s3
    _interrupted_upload(client, bucket, warehouse / "1.0.0")
    written = upload_release(client, bucket, "p/", warehouse / "1.0.0")
    assert "p/1.0.0/workforce.parquet" not in written and "p/1.0.0/datapackage.json" in written
    assert written[-1] == "p/index.json"
    for p in (warehouse / "1.0.0").iterdir():
        assert client.get_object(Bucket=bucket, Key=f"p/1.0.0/{p.name}")["Body"].read() == p.read_bytes()


def test_an_extra_object_under_the_version_is_refused(s3, warehouse):
    client, bucket = s3
    client.put_object(Bucket=bucket, Key="p/1.0.0/stray.bin", Body=b"x")
    with pytest.raises(PublishError, match="stray.bin is not part of the local release"):
        upload_release(client, bucket, "p/", warehouse / "1.0.0")


def test_a_same_size_object_with_other_bytes_is_refused(s3, warehouse):
    client, bucket = s3
    body = bytearray((warehouse / "1.0.0" / "workforce.parquet").read_bytes())
    body[len(body) // 2] ^= 1
    client.put_object(Bucket=bucket, Key="p/1.0.0/workforce.parquet", Body=bytes(body))
    with pytest.raises(PublishError, match="workforce.parquet: MD5"):
        upload_release(client, bucket, "p/", warehouse / "1.0.0")


def test_publish_uploads_the_newest_complete_release_not_a_stale_latest(s3, s3_endpoint, warehouse, capsys):
    client, bucket = s3
    publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=warehouse)
    (warehouse / "LATEST").write_text("1.0.0\n")  # as a kill after the rename would leave it
    assert cli_publish(f"s3://{bucket}/p", endpoint_url=s3_endpoint) == 0, capsys.readouterr().err
    index = json.loads(client.get_object(Bucket=bucket, Key="p/index.json")["Body"].read())
    assert index["latest"] == "1.1.0" and [e["version"] for e in index["releases"]] == ["1.1.0"]
    assert (warehouse / "LATEST").read_text() == "1.1.0\n"  # and the local catalogue is repaired
    assert "repaired the local catalogue" in capsys.readouterr().err


def test_a_latest_pointing_outside_releases_is_never_followed(s3, s3_endpoint, warehouse, tmp_path, capsys):
    client, bucket = s3
    outside = shutil.copytree(_other_release(tmp_path), tmp_path / "secret" / "1.0.0")
    (warehouse / "LATEST").write_text("../../secret/1.0.0\n")
    assert cli_publish(f"s3://{bucket}/p", endpoint_url=s3_endpoint) == 0
    assert {k.split("/")[1] for k in _keys(client, bucket) if k.count("/") == 2} == {"1.0.0"}
    uploaded = client.get_object(Bucket=bucket, Key="p/1.0.0/workforce.parquet")["Body"].read()
    assert uploaded == (warehouse / "1.0.0" / "workforce.parquet").read_bytes()
    assert uploaded != (outside / "workforce.parquet").read_bytes()


@pytest.mark.parametrize("version", ["../1.0.0", "../../secret", "1.0.0/..", "1.0"])
def test_a_hostile_version_argument_is_refused(s3, s3_endpoint, warehouse, version, capsys):
    client, bucket = s3
    assert cli_publish(f"s3://{bucket}/p", version=version, endpoint_url=s3_endpoint) == 2
    assert "--version" in capsys.readouterr().err
    assert _keys(client, bucket) == set()
