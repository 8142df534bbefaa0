"""Reliability of publishing (issue 10, items 1, 8-11): the catalogue after a crash, the publish
lock, durability, paths, and `dxdata verify` against tampering. See docs/reliability.md."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest
from filelock import FileLock

from dxdata import durable
from dxdata import release as rel
from dxdata.release import latest_version, publish_release, read_latest
from dxdata.site import catalogue_problems
from dxdata.verify import verify_release
from release_fixtures import make_tables, with_value

CREATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
CATALOGUE = ("LATEST", "index.json", "index.html")


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory) -> dict[str, Path]:
    """releases/ after 1.0.0, and a copy after 1.1.0 (built once per module)."""
    root = tmp_path_factory.mktemp("two")
    one = root / "one" / "releases"
    publish_release(make_tables(), releases_dir=one, created=CREATED)
    two = root / "two" / "releases"
    shutil.copytree(one, two)
    publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=two, created=CREATED)
    return {"1.0.0": one, "1.1.0": two}


@pytest.fixture
def crashed_after_rename(two_releases, tmp_path) -> Path:
    """1.1.0 renamed into place, but LATEST, index.json and index.html still on 1.0.0: what a
    kill between the rename and the catalogue update leaves."""
    releases = shutil.copytree(two_releases["1.1.0"], tmp_path / "releases")
    for name in CATALOGUE:
        shutil.copy2(two_releases["1.0.0"] / name, releases / name)
    return releases


# --- item 1: the catalogue names the newest complete release -------------------------------------


def test_latest_version_is_the_highest_complete_folder_not_latest(crashed_after_rename):
    assert (crashed_after_rename / "LATEST").read_text().strip() == "1.0.0"
    assert latest_version(crashed_after_rename) == "1.1.0"
    # A version folder without a descriptor was not made by a publish: it is not a release.
    (crashed_after_rename / "1.2.0").mkdir()
    assert latest_version(crashed_after_rename) == "1.1.0"


def test_unchanged_run_repairs_a_stale_catalogue(crashed_after_rename):
    assert [p.split()[0] for p in catalogue_problems(crashed_after_rename)] == ["LATEST", "index.json"]
    out = publish_release(make_tables(with_value("workforce.it_staff_total", 626)),
                          releases_dir=crashed_after_rename, created=CREATED)
    assert out.version is None and "repaired" in out.reason and out.repaired
    assert read_latest(crashed_after_rename) == "1.1.0"
    index = json.loads((crashed_after_rename / "index.json").read_text())
    assert index["latest"] == "1.1.0" and [e["version"] for e in index["releases"]] == ["1.1.0", "1.0.0"]
    assert "Latest release: <strong>1.1.0</strong>" in (crashed_after_rename / "index.html").read_text()
    assert catalogue_problems(crashed_after_rename) == []
    assert verify_release(crashed_after_rename / "1.1.0") == []


def test_consistent_catalogue_is_not_rewritten(two_releases, tmp_path):
    releases = shutil.copytree(two_releases["1.1.0"], tmp_path / "releases")
    before = {n: (releases / n).stat().st_mtime_ns for n in CATALOGUE}
    out = publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=releases, created=CREATED)
    assert out.repaired == []
    assert {n: (releases / n).stat().st_mtime_ns for n in CATALOGUE} == before


def test_next_release_after_the_crash_gets_the_next_number(crashed_after_rename):
    out = publish_release(make_tables(with_value("workforce.it_staff_total", 700)),
                          releases_dir=crashed_after_rename, created=CREATED)
    assert out.version == "1.2.0" and read_latest(crashed_after_rename) == "1.2.0"


@pytest.mark.parametrize("content", ["../../../etc\n", "1.1.0/../../x\n", "", "1.0.0\n../x", "\x00"])
def test_latest_content_is_validated_before_use(crashed_after_rename, content):
    (crashed_after_rename / "LATEST").write_text(content)
    assert read_latest(crashed_after_rename) is None
    assert any("LATEST names None" in p for p in catalogue_problems(crashed_after_rename))
    publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=crashed_after_rename)
    assert read_latest(crashed_after_rename) == "1.1.0"


@pytest.mark.parametrize("text", ["../1.0.0", "1.0.0/..", "1.0.0\n../x", "01.0.0", "1.0", "1.0.0.0", "/1.0.0", " 1.0.0/"])
def test_versions_are_validated(text):
    with pytest.raises(ValueError):
        rel.parse_version(text)


# --- item 8: one publisher at a time --------------------------------------------------------------


def test_publish_refuses_while_another_run_holds_the_lock(two_releases, tmp_path):
    releases = shutil.copytree(two_releases["1.0.0"], tmp_path / "releases")
    other = FileLock(str(releases / ".lock"))
    other.acquire()
    (releases / ".lock.owner").write_text(json.dumps({"pid": 4242, "host": "elsewhere", "what": "publishing", "since": "now"}))
    try:
        with pytest.raises(durable.LockBusy, match="held by pid 4242 on elsewhere"):
            publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=releases, lock_timeout=0)
    finally:
        other.release()
    assert latest_version(releases) == "1.0.0" and not (releases / "1.1.0").exists()


def test_a_waiting_run_says_for_whom_then_proceeds(tmp_path):
    lock = tmp_path / ".lock"
    holder = FileLock(str(lock))
    holder.acquire()
    said = []

    def on_wait(text):
        said.append(text)
        holder.release()  # the other run finishes while we wait

    with durable.exclusive(lock, "a test", timeout=30, on_wait=on_wait):
        entered = True
    assert entered and len(said) == 1 and "waiting up to 30 s" in said[0] and str(lock) in said[0]


def test_a_lock_held_past_the_timeout_is_a_clear_error(tmp_path):
    lock = tmp_path / ".lock"
    holder = FileLock(str(lock))
    holder.acquire()
    try:
        with pytest.raises(durable.LockBusy, match="still held by .* after"):
            with durable.exclusive(lock, "a test", timeout=0.05, on_wait=lambda _t: None):
                pass
    finally:
        holder.release()


# --- item 11: durability --------------------------------------------------------------------------


def test_files_and_folders_are_fsynced_around_the_rename(two_releases, tmp_path, monkeypatch):
    releases = shutil.copytree(two_releases["1.0.0"], tmp_path / "releases")
    events: list[tuple[str, str]] = []
    real_fsync, real_rename = os.fsync, os.rename

    def fsync(fd):
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        return real_fsync(fd)

    def rename(src, dst):
        events.append(("rename", str(dst)))
        return real_rename(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "rename", rename)
    publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=releases, created=CREATED)
    at = events.index(("rename", str(releases / "1.1.0")))
    synced_before = [Path(p) for kind, p in events[:at] if kind == "fsync"]
    assert {p.name for p in (releases / "1.1.0").iterdir()} <= {p.name for p in synced_before}
    # The new folder itself, then the releases folder, before the rename.
    assert synced_before[-2].name.startswith(rel.TMP_PREFIX + "1.1.0") and synced_before[-2].parent == releases
    assert synced_before[-1] == releases
    assert events[at + 1] == ("fsync", str(releases))
    # Each catalogue file: its content, then the folder after its rename.
    assert events[-1] == ("fsync", str(releases))


# --- item 9: verify catches tampering -------------------------------------------------------------


@pytest.fixture
def published(two_releases, tmp_path) -> Path:
    """A copy of releases/ after 1.1.0, with its index.json; returns the 1.1.0 folder."""
    return shutil.copytree(two_releases["1.1.0"], tmp_path / "releases") / "1.1.0"


def _edit_descriptor(folder: Path, change) -> None:
    path = folder / "datapackage.json"
    d = json.loads(path.read_text())
    change(d)
    path.write_text(json.dumps(d, ensure_ascii=False, indent=2) + "\n")


def test_fresh_release_and_its_index_verify(published):
    assert verify_release(published) == []


def test_edited_version_with_rewritten_changes_md_fails(published):
    _edit_descriptor(published, lambda d: d.update(version="1.0.1"))
    notes = published / "CHANGES.md"
    notes.write_text(notes.read_text().replace("# Release 1.1.0", "# Release 1.0.1", 1))
    problems = verify_release(published)
    assert "datapackage.json: version is '1.0.1', the folder is 1.1.0" in problems
    assert any(p.startswith("datapackage.json: sha256 is") for p in problems)
    assert any(p.startswith("CHANGES.md: sha256 is") for p in problems)


@pytest.mark.parametrize("tamper", [
    lambda d: d["licenses"][0].update(name="CC0-1.0"),
    lambda d: next(r for r in d["resources"] if r["name"] == "workforce")["schema"].pop("foreignKeys"),
    lambda d: next(r for r in d["resources"] if r["name"] == "workforce")["schema"]["fields"][0]["constraints"].pop("required"),
    lambda d: d.update(created="2020-01-01T00:00:00Z"),
    lambda d: d["dxdata"]["duckdb"].update(storage_version="v1.2.0"),
], ids=["licence", "foreign_key", "constraint", "created", "storage_version"])
def test_descriptor_flips_fail_against_the_index(published, tamper):
    _edit_descriptor(published, tamper)
    problems = verify_release(published)
    assert any(p.startswith("datapackage.json: sha256 is") and "index.json says" in p for p in problems), problems


def test_descriptor_flips_checkable_without_an_index(published, tmp_path):
    copy = shutil.copytree(published, tmp_path / "download" / "1.1.0")
    _edit_descriptor(copy, lambda d: d["dxdata"]["duckdb"].update(storage_version="v1.2.0"))
    _edit_descriptor(copy, lambda d: d.update(created="2020-01-01T00:00:00Z"))
    problems = verify_release(copy)
    assert "dx.duckdb: storage version v1.0.0, datapackage.json says v1.2.0" in problems
    assert any(p.startswith("CHANGES.md: its date does not match") for p in problems)


def _alter_db(folder: Path, sql: str) -> None:
    with duckdb.connect(str(folder / "dx.duckdb")) as con:
        con.execute(sql)


@pytest.mark.parametrize("sql, expected", [
    ("CREATE OR REPLACE VIEW facts AS SELECT 'x' AS theme, * FROM workforce", "dx.duckdb: view facts differs"),
    ("CREATE TABLE extra AS SELECT 1 AS a", "dx.duckdb: table extra is not a resource"),
    ("COMMENT ON TABLE workforce IS 'something else'", "dx.duckdb: the comment on table workforce differs"),
    ("COMMENT ON COLUMN workforce.value IS 'something else'", "dx.duckdb: table workforce columns, types, NOT NULL or comments differ"),
    ("CREATE VIEW sneaky AS SELECT 1 AS a", "dx.duckdb: view sneaky is not declared"),
    ("DROP VIEW latest_facts", "dx.duckdb: view latest_facts is missing"),
], ids=["replaced_view", "extra_table", "table_comment", "column_comment", "extra_view", "dropped_view"])
def test_database_schema_views_and_comments_are_checked(published, tmp_path, sql, expected):
    # Without the index and the recorded dx.duckdb hash, the structural check alone must catch it.
    copy = shutil.copytree(published, tmp_path / "download" / "1.1.0")
    _alter_db(copy, sql)
    _edit_descriptor(copy, lambda d: d["dxdata"].pop("files"))
    problems = verify_release(copy)
    assert any(p.startswith(expected) for p in problems), problems


def test_extra_unlisted_file_fails(published):
    (published / "notes.txt").write_text("not part of the release")
    problems = verify_release(published)
    assert "notes.txt: not part of the release (not listed in datapackage.json)" in problems
    assert "notes.txt: not listed for 1.1.0 in index.json" in problems


def test_index_hashes_are_checked(published):
    index_path = published.parent / "index.json"
    index = json.loads(index_path.read_text())
    entry = next(e for e in index["releases"] if e["version"] == "1.1.0")
    next(f for f in entry["files"] if f["path"] == "1.1.0/CHANGES.md")["hash"] = "sha256:" + "0" * 64
    index_path.write_text(json.dumps(index))
    problems = verify_release(published)
    assert any(p.startswith("CHANGES.md: sha256 is") and "index.json says " + "0" * 64 in p for p in problems)


def test_renamed_field_type_is_a_clear_error_not_a_keyerror(published):
    def rename(d):
        field = next(r for r in d["resources"] if r["name"] == "workforce")["schema"]["fields"][0]
        field["kind"] = field.pop("type")

    _edit_descriptor(published, rename)
    problems = verify_release(published)
    assert any(p.startswith("workforce.parquet: field 1 in datapackage.json has no 'type'") for p in problems)


def test_cli_verify_with_an_index_elsewhere(published, tmp_path, capsys):
    from dxdata.verify import cli_verify

    copy = shutil.copytree(published, tmp_path / "download" / "1.1.0")
    assert cli_verify(copy) == 0
    assert "datapackage.json itself is unchecked" in capsys.readouterr().out
    assert cli_verify(copy, published.parent / "index.json") == 0
    assert "every file matches the hashes index.json recorded" in capsys.readouterr().out
    _edit_descriptor(copy, lambda d: d["licenses"][0].update(name="CC0-1.0"))
    assert cli_verify(copy) == 0  # nothing to compare the descriptor with...
    assert cli_verify(copy, published.parent / "index.json") == 1  # ...but the index catches it
