"""What `dxdata verify` prints, and a descriptor missing a resource's schema: details mutation
testing (scripts/mutation_test.py) found no test for."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone

import pytest

from dxdata.release import publish_release
from dxdata.verify import cli_verify, verify_release
from release_fixtures import make_tables


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return publish_release(make_tables(), releases_dir=tmp_path_factory.mktemp("w") / "releases",
                           created=datetime(2026, 1, 2, tzinfo=timezone.utc)).path


@pytest.fixture
def release(template, tmp_path):
    return shutil.copytree(template, tmp_path / "1.0.0")


def test_ok_line_names_the_version_and_goes_to_stdout(release, capsys):
    assert cli_verify(release) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"OK {release}: release 1.0.0, ") and err == ""


def test_failure_summary_counts_the_problems_on_stderr(release, capsys):
    (release / "enterprises.parquet").unlink()
    assert cli_verify(release) == 1
    out, err = capsys.readouterr()
    assert out == ""
    *fails, summary = err.splitlines()
    assert fails and all(line.startswith("FAIL ") for line in fails)
    assert any("enterprises.parquet" in line for line in fails)
    assert summary == f"{release}: {len(fails)} problem(s); this is not the release as published."


def test_a_resource_without_a_schema_is_reported_not_a_crash(release):
    dp = release / "datapackage.json"
    descriptor = json.loads(dp.read_text(encoding="utf-8"))
    del next(r for r in descriptor["resources"] if r["name"] == "workforce")["schema"]
    dp.write_text(json.dumps(descriptor), encoding="utf-8")
    assert verify_release(release) == ["workforce.parquet: datapackage.json gives no schema fields"]
