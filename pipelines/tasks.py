"""What a worker process does for one source: ingest it, or extract its facts.

Kept free of Dagster and pandas so worker processes start light; inputs and results are plain
JSON-able values (they are cached as JSON by `pipelines.cache`)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

TEXT_FIELDS = ("source_id", "title", "published", "clean_text", "metadata_json", "source_record_json")


def ingest_source(task: tuple[str, str]) -> dict:
    """(article path, sources root) -> the article's text row, or {"error": message}."""
    from dxdata.ingest import SourceError, load_article, source_record

    path, sources_root = task
    try:
        article = load_article(Path(path))
    except SourceError as exc:
        return {"error": str(exc)}
    record = source_record(article, sources_root=Path(sources_root))
    return {
        "source_id": article.source_id,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "clean_text": article.clean_text,
        "metadata_json": json.dumps(article.metadata, ensure_ascii=False, sort_keys=True),
        "source_record_json": json.dumps(record, ensure_ascii=False, sort_keys=True),
    }


def extract_source(text: dict) -> list[dict]:
    """An article's text row -> its extraction rows (facts, candidates and targets, with `kind`)."""
    import dxdata.extract as engine  # looked up at call time: tests replace extract_article
    from dxdata.model import Article

    published = text.get("published")
    article = Article(
        source_id=text["source_id"],
        title=text.get("title"),
        clean_text=text["clean_text"],
        published=date.fromisoformat(published) if published else None,
        metadata=json.loads(text["metadata_json"]),
    )
    result = engine.extract_article(article)
    rows = []
    for kind, found in (("fact", result.facts), ("candidate", result.candidates), ("target", result.targets)):
        rows.extend({**f.to_row(), "kind": kind} for f in found)
    return rows
