"""CHANGES.md shows conflict rows and other non-fact rows in words, not as raw JSON keys
(issue 11, item 7)."""

from __future__ import annotations

from datetime import datetime, timezone

from dxdata.release import publish_release
from release_fixtures import base_facts, fact, make_tables


def test_conflict_rows_in_changes_md_are_readable(tmp_path):
    article_rank = fact("dti.rank", 27, ref_year=2020, ref_date=None, unit="rank", rank_of=63)
    publish_release(make_tables(), releases_dir=tmp_path, created=datetime(2026, 1, 1, tzinfo=timezone.utc))
    out = publish_release(make_tables(base_facts() + [article_rank]), releases_dir=tmp_path,
                          created=datetime(2026, 2, 1, tzinfo=timezone.utc))
    notes = (out.path / "CHANGES.md").read_text(encoding="utf-8")
    section = notes.split("## Disagreements between sources", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| added")]
    assert len(rows) == 2, section
    assert any("| dti.rank | Hậu Giang (93) | 2020 |" in r and "| 000_test_article |" in r and "| 27 |" in r for r in rows), rows
    assert any("| dti_test_table |" in r and "| 28 |" in r for r in rows), rows
    # No key printed as a JSON array anywhere in the notes.
    assert '["' not in notes and "`[" not in notes
