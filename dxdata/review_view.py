"""`dxdata review SOURCE_ID`: the engine's facts beside the source's editor review, and
`--init`, a starter review file for an unreviewed source.

Each line of the view has a status: accepted, corrected, rejected (decisions on the engine's
proposals), missed (the reader's own finds), not yet reviewed (an engine fact no row decides),
and, when the engine changed since the review, a decision on a fact it no longer proposes.

The starter file holds the engine's proposals with an empty `decision`: a file with an empty
decision is rejected by `dxdata.reviews` (and so by the release), so it cannot pass for a
finished review. The reader still writes the facts from the text, not from the proposals.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass
from pathlib import Path

from dxdata import paths
from dxdata.reviews import REVIEW_COLUMNS, ReviewError, load_review, pair_engine_facts, review_path, same_fact

NOT_REVIEWED = "not yet reviewed"


@dataclass
class Line:
    status: str
    indicator_id: str
    province: str
    engine: str  # the engine's value, blank when it did not propose the fact
    reviewed: str  # the review's value, blank when no row decides the fact
    qualifier: str
    period: str
    quote: str


def _value(v: float | None) -> str:
    return "" if v is None else f"{v:,.15g}"


def _period(year, day) -> str:
    return f"{year} {day or ''}".strip()


def view_lines(review, facts) -> list[Line]:
    """One line per engine fact and per review row no engine fact answers to."""
    paired, unanswered = pair_engine_facts(review, facts)
    lines = []
    loose = [f for f, r in paired if r is None]
    for f, r in paired:
        if r is None:
            continue
        shown = r.value if r.decision != "rejected" else None
        lines.append(Line(r.decision, f.indicator_id, f.province or "", _value(f.value), _value(shown),
                          r.qualifier if r.decision != "rejected" else f.qualifier,
                          _period(r.ref_year, r.ref_date), r.quote))
    for r in unanswered:
        twin = next((f for f in loose if same_fact(f, r)), None) if r.decision == "missed" else None
        if twin is not None:
            loose.remove(twin)
            status = "missed (the engine now finds it)"
        elif r.decision == "missed":
            status = "missed"
        else:
            status = f"{r.decision} (the engine no longer proposes it)"
        lines.append(Line(status, r.indicator_id, r.province, _value(twin.value) if twin else "", _value(r.value),
                          r.qualifier, _period(r.ref_year, r.ref_date), r.quote))
    for f in loose:
        lines.append(Line(NOT_REVIEWED, f.indicator_id, f.province or "", _value(f.value), "", f.qualifier,
                          _period(f.ref_year, f.ref_date), f.quote))
    return lines


COLUMNS = ("status", "indicator", "province", "engine", "review", "qualifier", "period", "quote")


def render(source_id: str, lines: list[Line], *, reviewed: bool, out=None) -> None:
    out = out or sys.stdout
    rows = [(line.status, line.indicator_id, line.province, line.engine, line.reviewed, line.qualifier, line.period, " ".join(line.quote.split())) for line in lines]
    title = f"{source_id}: {'engine beside the review' if reviewed else 'no review yet; the engine proposes'}"
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # rich is optional: a plain aligned table
        print(title, file=out)
        widths = [max([len(c)] + [len(r[i][:80]) for r in rows]) for i, c in enumerate(COLUMNS)]
        print("  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths)), file=out)
        for r in rows:
            print("  ".join(str(v)[:80].ljust(w) for v, w in zip(r, widths)), file=out)
    else:
        table = Table(title=title, show_lines=False)
        for c in COLUMNS:
            table.add_column(c, justify="right" if c in ("engine", "review") else "left", overflow="fold",
                             max_width=60 if c == "quote" else None)
        for r in rows:
            table.add_row(*r)
        Console(file=out, width=200 if not getattr(out, "isatty", lambda: False)() else None).print(table)
    counts: dict[str, int] = {}
    for line in lines:
        counts[line.status] = counts.get(line.status, 0) + 1
    print(", ".join(f"{n} {k}" for k, n in counts.items()) or "no facts", file=out)


def starter_rows(facts) -> list[dict]:
    """The engine's proposals as undecided review rows."""
    rows = []
    for f in facts:
        rows.append({
            "indicator_id": f.indicator_id, "province": f.province or "", "value": f"{f.value:.15g}",
            "qualifier": f.qualifier, "ref_year": str(f.ref_year or ""), "ref_date": f.ref_date or "",
            "quote": f.quote, "decision": "", "engine_value": "", "reason": "", "reviewer": "", "reviewed_on": "",
        })
    return rows


def write_starter(path: Path, facts) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(REVIEW_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(starter_rows(facts))


def cli_review(source_id: str, *, init: bool) -> int:
    """Exit 0 on success, 2 on a missing or unreadable source, a malformed review, or --init on
    a source that already has a review file."""
    from dxdata.extract import extract_article
    from dxdata.ingest import SourceError, load_article

    txt = paths.articles_dir() / f"{source_id}.txt"
    if not txt.exists():
        print(f"error: {txt}: no such source", file=sys.stderr)
        return 2
    try:
        article = load_article(txt)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    facts = extract_article(article).facts
    path = review_path(source_id)
    if init:
        if path.exists():
            print(f"error: {path} exists; --init only starts a review for a source without one", file=sys.stderr)
            return 2
        write_starter(path, facts)
        print(
            f"wrote {path}: {len(facts)} engine proposal(s) with an empty decision. Read the text first and list "
            "its facts yourself; then decide each proposal (accepted, corrected, rejected) and add what the engine "
            "missed. Until every decision is filled the file is invalid and the release stops on it."
        )
        return 0
    try:
        review = load_review(source_id, article.clean_text)
    except ReviewError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    render(source_id, view_lines(review, facts), reviewed=review is not None)
    return 0
