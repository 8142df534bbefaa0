"""`dxdata verify`: passes on a fresh release, fails naming the file when anything differs."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone

import duckdb
import pytest
from click.testing import CliRunner

from dxdata.cli import main
from dxdata.release import publish_release
from dxdata.verify import cli_verify, verify_release
from release_fixtures import make_tables


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    out = publish_release(make_tables(), releases_dir=tmp_path_factory.mktemp("w") / "releases",
                          created=datetime(2026, 1, 2, tzinfo=timezone.utc))
    return out.path


@pytest.fixture
def release(template, tmp_path):
    """A downloaded copy of the release, free to damage."""
    return shutil.copytree(template, tmp_path / "1.0.0")


def test_fresh_release_verifies(release, capsys):
    assert verify_release(release) == []
    assert cli_verify(release) == 0
    assert "OK" in capsys.readouterr().out


def test_cli_command_verifies(release):
    result = CliRunner().invoke(main, ["verify", str(release)])
    assert result.exit_code == 0, result.output


def test_one_flipped_byte_fails_naming_the_file(release, capsys):
    target = release / "rankings.parquet"
    data = bytearray(target.read_bytes())
    data[len(data) // 3] ^= 0x01
    target.write_bytes(bytes(data))
    assert cli_verify(release) != 0
    err = capsys.readouterr().err
    assert "rankings.parquet: sha256 is" in err
    assert "workforce.parquet" not in err


def test_cli_exit_code_is_nonzero_after_damage(release):
    (release / "sources.parquet").write_bytes((release / "sources.parquet").read_bytes()[:-1] + b"\x00")
    result = CliRunner().invoke(main, ["verify", str(release)])
    assert result.exit_code != 0
    assert "sources.parquet" in result.output


def test_missing_file_is_named(release):
    (release / "enterprises.parquet").unlink()
    problems = verify_release(release)
    assert any(p.startswith("enterprises.parquet: listed in datapackage.json but missing") for p in problems)
    # ...and only that: dx.duckdb's table of the same name is still a declared resource.
    assert not any("not a resource" in p for p in problems), problems


def test_a_damaged_parquet_file_is_named_without_false_duckdb_problems(release):
    target = release / "conflicts.parquet"
    target.write_bytes(target.read_bytes() + b"\x00")
    problems = verify_release(release)
    assert all(p.startswith("conflicts.parquet: ") for p in problems), problems
    assert any("cannot be read as Parquet" in p for p in problems)


def test_row_count_mismatch_is_named(release):
    dp = release / "datapackage.json"
    d = json.loads(dp.read_text())
    next(r for r in d["resources"] if r["name"] == "workforce")["rows"] = 99
    dp.write_text(json.dumps(d))
    assert verify_release(release) == ["workforce.parquet: holds 3 rows, datapackage.json says 99"]


def test_schema_mismatch_is_named(release):
    dp = release / "datapackage.json"
    d = json.loads(dp.read_text())
    next(r for r in d["resources"] if r["name"] == "indicators")["schema"]["fields"][0]["type"] = "integer"
    dp.write_text(json.dumps(d))
    problems = verify_release(release)
    assert problems[0].startswith("indicators.parquet: columns")
    # The database no longer matches the declared type either.
    assert problems[1:] == ["dx.duckdb: table indicators columns, types, NOT NULL or comments differ from datapackage.json (at indicator_id)"]


def test_duckdb_differing_from_parquet_is_named(release):
    with duckdb.connect(str(release / "dx.duckdb")) as con:
        con.execute("UPDATE workforce SET value = value + 1 WHERE indicator_id = 'workforce.it_staff_total'")
    problems = verify_release(release)
    assert "dx.duckdb: table workforce differs from workforce.parquet: 1 rows only in dx.duckdb, 1 rows only in workforce.parquet" in problems
    assert any(p.startswith("dx.duckdb: sha256 is") for p in problems)


def test_not_a_release_folder(tmp_path):
    problems = verify_release(tmp_path)
    assert len(problems) == 1 and "datapackage.json: missing" in problems[0]
