"""Work a run does once, not again (issue 12, adding one article to 10,000 within 15 s).

* Each published table is validated against its pandera model once per run: the release gate
  trusts a passing schema check whose recorded frame digest is the digest of the frame it is
  given, and validates again any table whose frame differs.
* The pre-run check of the sources folder (`dxdata release`) checks again only the articles that
  changed since they were found clean.
"""

from __future__ import annotations

import json
import os
import time

import pandas as pd
import pytest
from dagster import DagsterInstance

import dxdata.release as release_module
from dxdata.release import ReleaseBlocked, gate, publish_release
from schemas.tables import frame_digest, validate_table

from release_fixtures import make_tables
from test_pipeline_support import extract_engine, world  # noqa: F401  (fixtures)


class ValidationSpy:
    """Counts the tables dxdata.release validates itself."""

    def __init__(self, monkeypatch):
        self.tables: list[str] = []

        def spy(name, df):
            self.tables.append(name)
            return validate_table(name, df)

        monkeypatch.setattr(release_module, "validate_table", spy)


def test_frame_digest_follows_content_types_and_index():
    df = pd.DataFrame({"a": ["x", "y"], "b": [1.0, None]})
    assert frame_digest(df) == frame_digest(df.copy())
    changed = df.copy()
    changed.loc[1, "a"] = "z"
    assert frame_digest(changed) != frame_digest(df)
    assert frame_digest(df.astype({"a": "string"})) != frame_digest(df)
    # Same text, other Python types in an object column: pandera would judge them differently.
    mixed = pd.DataFrame({"a": [1, "y"], "b": [1.0, None]}, dtype=object).astype({"b": "float64"})
    assert frame_digest(mixed) != frame_digest(pd.DataFrame({"a": ["1", "y"], "b": [1.0, None]}))
    assert frame_digest(df.set_axis([5, 6])) != frame_digest(df)
    assert frame_digest(df[["b", "a"]]) != frame_digest(df)


def test_gate_skips_tables_validated_on_the_same_frame_and_validates_the_others(monkeypatch):
    tables = make_tables()
    spy = ValidationSpy(monkeypatch)
    validated = {name: frame_digest(df) for name, df in tables.items()}
    assert gate(tables, [], validated) == []
    assert spy.tables == []

    # One table's frame is not the one that was validated: that table alone is validated again.
    other = dict(tables)
    other["sources"] = tables["sources"].iloc[:-1].copy()
    assert gate(other, [], validated) == ["sources"]
    assert spy.tables == ["sources"]


def test_gate_blocks_a_bad_frame_whatever_digest_it_was_given(monkeypatch):
    tables = make_tables()
    validated = {name: frame_digest(df) for name, df in tables.items()}
    bad = dict(tables)
    broken = tables["e_government"].copy()
    broken.loc[broken.index[0], "value"] = -5.0  # below the model's range
    bad["e_government"] = broken
    assert not validate_table("e_government", broken).passed
    with pytest.raises(ReleaseBlocked) as raised:
        gate(bad, [], validated)
    assert raised.value.failed == ["e_government"]


def test_publish_release_without_digests_validates_every_table(monkeypatch, tmp_path):
    tables = make_tables()
    spy = ValidationSpy(monkeypatch)
    assert publish_release(tables, releases_dir=tmp_path).version == "1.0.0"
    assert sorted(spy.tables) == sorted(tables)


def test_a_pipeline_run_validates_each_table_once(world, monkeypatch):
    """The schema checks validate the tables; the release step, given the same frames, does not
    validate them again, and still publishes."""
    from pipelines.run import run_release

    spy = ValidationSpy(monkeypatch)
    checked: list[str] = []
    import pipelines.checks  # noqa: F401
    import schemas.tables as tables_module

    real = tables_module.validate_table

    def check_spy(name, df):
        checked.append(name)
        return real(name, df)

    monkeypatch.setattr(tables_module, "validate_table", check_spy)
    result = run_release(DagsterInstance.ephemeral(), echo=lambda *_: None)
    assert result.success
    assert (world.releases / "LATEST").exists()
    assert spy.tables == []  # the gate trusted every check
    published = set(release_module.TABLE_MODELS)
    # Every published table was validated by its check (the quarantine validates the extracted
    # fact tables' rows as well, before the split).
    assert published <= set(checked)
    for name in published - {"infrastructure", "e_government", "workforce", "enterprises", "rankings"}:
        assert checked.count(name) == 1, (name, checked)


# --- the pre-run check of the sources folder ------------------------------------------------------

TEXT = "Hậu Giang chuyển đổi số\nNgày 05/05/2022\nHậu Giang có 98 điểm cầu họp trực tuyến.\n"


def write_article(root, stem: str, text: str = TEXT) -> None:
    articles = root / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    (articles / f"{stem}.txt").write_text(text, encoding="utf-8")
    sidecar = {
        "source_id": stem, "kind": "article", "title": "Hậu Giang chuyển đổi số",
        "publisher": "Cổng thông tin điện tử tỉnh Hậu Giang", "published_at": "2022-05-05T08:00:00+07:00",
        "url": "https://example.invalid/hau-giang", "language": "vi", "licence": "test licence", "provinces": ["Hậu Giang"],
    }
    (articles / f"{stem}.json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")


def age(root, seconds: float = 10) -> None:
    """Move every article's mtime into the past, so no record of it is 'racily clean'."""
    past = time.time() - seconds
    for p in (root / "articles").iterdir():
        os.utime(p, (past, past))


def test_clean_articles_are_not_checked_again_until_they_change(tmp_path, monkeypatch):
    import dxdata.validate as validate
    from datetime import date

    root = tmp_path / "sources"
    for stem in ("a1", "a2", "a3"):
        write_article(root, stem)
    age(root)
    record = tmp_path / "clean.sqlite"
    read: list[str] = []
    real = validate.read_sidecar

    def spy(path, *args, **kwargs):
        read.append(path.stem)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(validate, "read_sidecar", spy)
    today = date(2026, 12, 7)
    assert validate.validate_sources(root, today=today, clean_record=record) == []
    assert sorted(read) == ["a1", "a2", "a3"]

    read.clear()
    assert validate.validate_sources(root, today=today, clean_record=record) == []
    assert read == []  # all three recorded clean, none changed

    # A changed article is checked again, and its new problem reported (every time).
    (root / "articles" / "a2.txt").write_text(TEXT + "\x00", encoding="utf-8")
    for _ in range(2):
        read.clear()
        found = [str(p) for p in validate.validate_sources(root, today=today, clean_record=record)]
        assert read == ["a2"]
        assert len(found) == 1 and "a2.txt" in found[0] and "control character" in found[0]

    # Another run date checks everything again (dates are checked against it).
    read.clear()
    validate.validate_sources(root, today=date(2026, 12, 8), clean_record=record)
    assert sorted(read) == ["a1", "a2", "a3"]

    # A file written just now is not trusted from its stat alone ("racily clean").
    write_article(root, "a2")
    read.clear()
    validate.validate_sources(root, today=today, clean_record=record)
    read.clear()
    validate.validate_sources(root, today=today, clean_record=record)
    assert read == ["a2"]


def test_a_folder_with_a_problem_records_nothing(tmp_path):
    from datetime import date

    from dxdata.validate import validate_sources

    root = tmp_path / "sources"
    write_article(root, "a1")
    write_article(root, "a2", TEXT + "\x00")
    age(root)
    record = tmp_path / "cache" / "clean.sqlite"
    assert len(validate_sources(root, today=date(2026, 12, 7), clean_record=record)) == 1
    assert not record.parent.exists()  # a refused run writes nothing in the warehouse
