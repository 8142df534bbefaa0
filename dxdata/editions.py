"""Which DTI edition a ranking quoted in an article refers to.

An edition (assessment year N) is announced in a later year, so articles often name the
announcement year: "Năm 2021, Hậu Giang xếp thứ 28/63" in an article of 5 May 2022 cannot be
the 2021 edition, announced on 8 August 2022; it is the 2020 edition, announced in 2021.
The announcement dates are data: `sources/tables/dti/editions.csv`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from dxdata import paths


@dataclass(frozen=True)
class Edition:
    year: int
    announced_on: date | None  # None when the announcement date is not established


class EditionsError(ValueError):
    pass


@lru_cache(maxsize=4)
def load_editions(path: Path | None = None) -> tuple[Edition, ...]:
    path = path or paths.tables_dir() / "dti" / "editions.csv"
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise EditionsError(f"{path}: cannot read the DTI editions table ({exc})") from exc
    out = []
    for line_no, row in enumerate(rows, start=2):
        try:
            year = int(row["edition"])
            announced = date.fromisoformat(row["announced_on"]) if row.get("announced_on") else None
        except (KeyError, ValueError) as exc:
            raise EditionsError(f"{path}:{line_no}: bad edition row {row!r} ({exc})") from exc
        out.append(Edition(year, announced))
    return tuple(sorted(out, key=lambda e: e.year))


@dataclass(frozen=True)
class EditionChoice:
    year: int | None
    note: str | None
    certain: bool


def _announced_by(edition: Edition, published: date, editions: tuple[Edition, ...] = ()) -> bool | None:
    """True/False when known; None when the announcement date is unknown and could be either.
    An edition is never announced within its own assessment year; after that, an unrecorded
    date leaves the question open (the fact keeps the quoted year, with lower confidence)."""
    if edition.announced_on is not None:
        return edition.announced_on <= published
    if published.year <= edition.year:
        return False
    return None


def edition_for(quoted_year: int | None, published: date | None, editions: tuple[Edition, ...] | None = None) -> EditionChoice:
    """The edition a DTI figure refers to, given the year the article names (if any) and its
    publication date (if known), with a note whenever the answer differs from the quoted year."""
    return _edition_for(quoted_year, published, editions if editions is not None else load_editions())


@lru_cache(maxsize=1024)
def _edition_for(quoted_year: int | None, published: date | None, editions: tuple[Edition, ...]) -> EditionChoice:
    # Articles quote a handful of (year, date) pairs over and over; the answer is immutable.
    by_year = {e.year: e for e in editions}
    if published is None:
        return EditionChoice(quoted_year, None if quoted_year else "no year quoted and no publication date", bool(quoted_year))
    if quoted_year is None:
        known = [e for e in editions if _announced_by(e, published, editions)]
        if not known:
            return EditionChoice(None, "no DTI edition had been announced by the publication date", False)
        latest = known[-1]
        pending = [e for e in editions if e.year > latest.year and _announced_by(e, published, editions) is None]
        note = f"no year quoted: the latest edition announced by {published.isoformat()} is {latest.year}"
        return EditionChoice(latest.year, note, not pending)
    edition = by_year.get(quoted_year)
    if edition is None:
        return EditionChoice(quoted_year, f"edition {quoted_year} is not in editions.csv", False)
    announced = _announced_by(edition, published, editions)
    if announced:
        return EditionChoice(quoted_year, None, True)
    previous = by_year.get(quoted_year - 1)
    previous_out = _announced_by(previous, published, editions) if previous is not None else False
    if announced is False and previous is not None and previous_out is not False:
        # The quoted edition was not out yet, so the ranking is an earlier one: the previous
        # edition, certainly so when its announcement date is on record.
        when = f"on {edition.announced_on.isoformat()}" if edition.announced_on else "in a later year"
        note = (
            f"quoted under 'năm {quoted_year}' in an article published {published.isoformat()}, before the "
            f"{quoted_year} edition was announced ({when}): the ranking is the {previous.year} edition, "
            f"announced {previous.announced_on.isoformat() if previous.announced_on else 'earlier (date not on record)'}"
        )
        return EditionChoice(previous.year, note, previous_out is True)
    if announced is None:
        return EditionChoice(quoted_year, f"announcement date of edition {quoted_year} unknown; taken as quoted", False)
    return EditionChoice(quoted_year, f"edition {quoted_year} was not yet announced on {published.isoformat()}", False)
