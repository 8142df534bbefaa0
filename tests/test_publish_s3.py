"""`dxdata publish --to s3://...` against a real S3 API: moto's standalone server on loopback."""

from __future__ import annotations

import json
import socket
import uuid
from datetime import datetime, timezone

import boto3
import pytest
from click.testing import CliRunner

from dxdata.cli import main
from dxdata.publish import PublishError, cli_publish, parse_target, upload_release
from dxdata.release import publish_release
from ci_requirements import require_module
from release_fixtures import make_tables, with_value

moto_server = require_module("moto.server", "moto[server] is a test dependency (pyproject [test])")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, monkeypatch):
    # Fake credentials: boto3 must never find real ones, and nothing leaves loopback.
    for var, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(var, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    client = boto3.client("s3", endpoint_url=s3_endpoint)
    # A fresh bucket per test run: the server lives for the session, and a runner may run a test
    # twice in one process (mutmut does), which must not find the previous run's objects.
    bucket = "dx-" + uuid.uuid4().hex[:12]
    client.create_bucket(Bucket=bucket)
    return client, bucket


@pytest.fixture
def warehouse(tmp_path, monkeypatch):
    monkeypatch.setenv("DXDATA_WAREHOUSE", str(tmp_path / "warehouse"))
    releases = tmp_path / "warehouse" / "releases"
    publish_release(make_tables(), releases_dir=releases, created=datetime(2026, 1, 2, tzinfo=timezone.utc))
    return releases


def _keys(client, bucket):
    return {o["Key"] for o in client.list_objects_v2(Bucket=bucket).get("Contents", [])}


def test_upload_order_data_then_descriptor_then_index(s3, warehouse):
    client, bucket = s3
    calls = []
    client.meta.events.register("provide-client-params.s3.PutObject", lambda params, **kw: calls.append(params["Key"]))
    written = upload_release(client, bucket, "open/dx/", warehouse / "1.0.0")
    assert calls == written
    assert written[-1] == "open/dx/index.json"
    dp = written.index("open/dx/1.0.0/datapackage.json")
    data = [k for k in written if k.endswith((".parquet", ".duckdb", ".md"))]
    assert data and all(written.index(k) < dp for k in data)
    assert dp < written.index("open/dx/LATEST") < written.index("open/dx/index.html") < written.index("open/dx/index.json")


def test_cli_publish_uploads_identical_files_and_a_remote_index(s3, s3_endpoint, warehouse, capsys):
    client, bucket = s3
    assert cli_publish(f"s3://{bucket}/open/dx", endpoint_url=s3_endpoint) == 0, capsys.readouterr().err
    keys = _keys(client, bucket)
    local = sorted(p.name for p in (warehouse / "1.0.0").iterdir())
    assert {f"open/dx/1.0.0/{n}" for n in local} <= keys
    for name in local:
        body = client.get_object(Bucket=bucket, Key=f"open/dx/1.0.0/{name}")["Body"].read()
        assert body == (warehouse / "1.0.0" / name).read_bytes(), name
    obj = client.get_object(Bucket=bucket, Key="open/dx/1.0.0/workforce.parquet")
    assert obj["ContentType"] == "application/vnd.apache.parquet"
    index = json.loads(client.get_object(Bucket=bucket, Key="open/dx/index.json")["Body"].read())
    assert index["latest"] == "1.0.0" and [e["version"] for e in index["releases"]] == ["1.0.0"]
    assert client.get_object(Bucket=bucket, Key="open/dx/LATEST")["Body"].read() == b"1.0.0\n"


def test_second_release_is_added_to_the_remote_index(s3, s3_endpoint, warehouse):
    client, bucket = s3
    assert cli_publish(f"s3://{bucket}/p", endpoint_url=s3_endpoint) == 0
    publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=warehouse)
    result = CliRunner().invoke(main, ["publish", "--to", f"s3://{bucket}/p", "--endpoint-url", s3_endpoint])
    assert result.exit_code == 0, result.output
    index = json.loads(client.get_object(Bucket=bucket, Key="p/index.json")["Body"].read())
    assert [e["version"] for e in index["releases"]] == ["1.1.0", "1.0.0"]
    # Publishing 1.0.0 again changes nothing and is not an error.
    before = client.head_object(Bucket=bucket, Key="p/1.0.0/workforce.parquet")["ETag"]
    assert cli_publish(f"s3://{bucket}/p", version="1.0.0", endpoint_url=s3_endpoint) == 0
    assert client.head_object(Bucket=bucket, Key="p/1.0.0/workforce.parquet")["ETag"] == before
    index = json.loads(client.get_object(Bucket=bucket, Key="p/index.json")["Body"].read())
    assert index["latest"] == "1.1.0"


def test_a_different_release_under_the_same_version_is_refused(s3, warehouse, tmp_path):
    client, bucket = s3
    upload_release(client, bucket, "", warehouse / "1.0.0")
    other = tmp_path / "other" / "releases"
    publish_release(make_tables(with_value("workforce.it_staff_total", 999)), releases_dir=other)
    with pytest.raises(PublishError, match="never overwritten"):
        upload_release(client, bucket, "", other / "1.0.0")


def test_a_damaged_release_is_not_uploaded(s3, s3_endpoint, warehouse, capsys):
    client, bucket = s3
    target = warehouse / "1.0.0" / "workforce.parquet"
    target.write_bytes(target.read_bytes()[:-1] + b"\x00")
    assert cli_publish(f"s3://{bucket}/x", endpoint_url=s3_endpoint) != 0
    assert "workforce.parquet" in capsys.readouterr().err
    assert _keys(client, bucket) == set()


def test_bad_target_is_a_clear_error(capsys):
    assert cli_publish("https://example.org/bucket") == 2
    assert "s3://bucket/prefix" in capsys.readouterr().err
    assert parse_target("s3://b") == ("b", "")
    assert parse_target("s3://b/a/b/") == ("b", "a/b/")
