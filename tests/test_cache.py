"""The extraction cache and the worker pool: several processes give the same output as one, and
a cached source is not computed again unless its content or the version changes."""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.cache import EXTRACT_STAGE, ResultCache, cached_map, parallel_map
from pipelines.tasks import extract_source

PASSAGES = sorted((Path(__file__).parent / "devsets" / "passages-100").glob("*.txt"))[:24]


def text_rows() -> dict[str, dict]:
    from dxdata.ingest import article_from_text

    rows = {}
    for path in PASSAGES:
        article = article_from_text(path.read_text(encoding="utf-8"), source_id=path.stem)
        rows[path.stem] = {
            "source_id": article.source_id,
            "title": article.title,
            "published": article.published.isoformat() if article.published else None,
            "clean_text": article.clean_text,
            "metadata_json": json.dumps(article.metadata),
        }
    return rows


def test_two_worker_processes_give_the_serial_output():
    rows = list(text_rows().values())
    serial = parallel_map(extract_source, rows, workers=1)
    parallel = parallel_map(extract_source, rows, workers=2, min_parallel=0)
    assert parallel == serial
    assert sum(len(r) for r in serial) > len(rows)  # the passages do yield facts


def test_cache_hits_by_source_fingerprint_and_version(tmp_path):
    rows = text_rows()
    wanted = {source_id: f"fp-{source_id}" for source_id in rows}
    calls = []

    def compute(row):
        calls.append(row["source_id"])
        return extract_source(row)

    with ResultCache(tmp_path / "cache.sqlite") as cache:
        first, computed = cached_map(cache, EXTRACT_STAGE, "v1", wanted, compute, rows, workers=1)
        assert sorted(computed) == sorted(rows)
        calls.clear()
        again, computed = cached_map(cache, EXTRACT_STAGE, "v1", wanted, compute, rows, workers=1)
        assert computed == [] and calls == [] and again == first

        one = next(iter(rows))
        changed = {**wanted, one: "fp-changed"}
        _, computed = cached_map(cache, EXTRACT_STAGE, "v1", changed, compute, rows, workers=1)
        assert computed == [one]
        # Back to the earlier content: still cached (entries are never overwritten by another key).
        _, computed = cached_map(cache, EXTRACT_STAGE, "v1", wanted, compute, rows, workers=1)
        assert computed == []
        _, computed = cached_map(cache, EXTRACT_STAGE, "v2", wanted, compute, rows, workers=1)
        assert sorted(computed) == sorted(rows)


def test_fingerprints_are_read_again_only_for_files_whose_stat_changed(tmp_path):
    import os

    from dxdata.ingest import source_fingerprint

    folder = tmp_path / "articles"
    folder.mkdir()
    paths = []
    for name in ("a", "b"):
        path = folder / f"{name}.txt"
        path.write_text(f"text {name}", encoding="utf-8")
        path.with_suffix(".json").write_text("{}", encoding="utf-8")
        old = 1_600_000_000_000_000_000  # files written long before they are scanned
        os.utime(path, ns=(old, old))
        os.utime(path.with_suffix(".json"), ns=(old, old))
        paths.append(path)
    hashed = []

    def fingerprint(path):
        hashed.append(path.name)
        return source_fingerprint(path)

    with ResultCache(tmp_path / "cache.sqlite") as cache:
        first = cache.fingerprints(paths, fingerprint)
        assert sorted(hashed) == ["a.txt", "b.txt"]
        hashed.clear()
        assert cache.fingerprints(paths, fingerprint) == first and hashed == []
        # Same size, rewritten just now: its stat changed, and it is racy; read again.
        paths[0].write_text("text c", encoding="utf-8")
        again = cache.fingerprints(paths, fingerprint)
        assert hashed == ["a.txt"] and again[paths[0]] != first[paths[0]] and again[paths[1]] == first[paths[1]]
        # Still racy (written within the last seconds): read again rather than trusted.
        hashed.clear()
        cache.fingerprints(paths, fingerprint)
        assert hashed == ["a.txt"]


def test_a_scan_with_the_fingerprint_cache_lists_what_discover_articles_lists(tmp_path):
    from pipelines.sources import scan_articles

    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("b", "a", ".hidden", "Z"):
        (folder / f"{name}.txt").write_text(f"text {name}", encoding="utf-8")
        (folder / f"{name}.json").write_text("{}", encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    (folder / "folder.txt").mkdir()
    plain = scan_articles(folder)
    cached = scan_articles(folder, tmp_path / "cache.sqlite")
    assert list(cached.items()) == list(plain.items()) and len(plain) == 4
