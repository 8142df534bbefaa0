"""The publication policy: which facts of an article the release publishes.

- A source with a review (`sources/reviews/<source_id>.csv`) publishes exactly its reviewed
  facts, the gold rows (accepted + corrected + missed): column `review` = `reviewed`. What the
  engine proposed is not published for it, right or wrong.
- A source without a review publishes the engine's facts whose confidence is at least the
  automatic threshold (`review` = `automatic`); its other facts wait in the review queue.
- Facts transcribed from official and press tables are `transcribed`.

The threshold is a setting (environment variable DXDATA_AUTOMATIC_THRESHOLD) whose default is
justified by the engine's measured precision per confidence band on reviewed pages it was not
tuned on (docs/reviews.md): today it publishes no engine fact unreviewed. The policy is written into every
release's datapackage.json and shown on the catalogue page.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from dxdata.model import Fact

REVIEWED = "reviewed"
AUTOMATIC = "automatic"
TRANSCRIBED = "transcribed"
QUEUED = "queued"
REVIEW_STATUSES = (REVIEWED, AUTOMATIC, TRANSCRIBED)

THRESHOLD_ENV = "DXDATA_AUTOMATIC_THRESHOLD"
# 1.0: no engine fact is published unreviewed. The engine's confidence stays below 1, and on
# pages it was never tuned on (the blind third) its facts at 0.95 or above were right 10 times in
# 11, short of the 0.97 an open-data release needs (docs/reviews.md). Lower it knowingly.
DEFAULT_AUTOMATIC_THRESHOLD = 1.0

REVIEW_METHOD = "review:"  # method of a published reviewed fact: "review:accepted", ...


class PolicyError(ValueError):
    pass


@dataclass(frozen=True)
class PublicationPolicy:
    automatic_threshold: float = DEFAULT_AUTOMATIC_THRESHOLD

    def describe(self) -> dict:
        """The policy as written into datapackage.json."""
        return {
            "automatic_threshold": self.automatic_threshold,
            "automatic_threshold_setting": THRESHOLD_ENV,
            "automatic_threshold_default": DEFAULT_AUTOMATIC_THRESHOLD,
            "rules": {
                REVIEWED: "A source with an editor review publishes exactly its reviewed facts (accepted, corrected "
                "and missed rows of sources/reviews/<source_id>.csv); nothing the engine proposed beyond them.",
                AUTOMATIC: f"A source without a review publishes the engine's facts with confidence >= "
                f"{self.automatic_threshold:g}; the others wait in the review queue and are not published.",
                TRANSCRIBED: "Facts transcribed by hand from official and press-reported tables.",
            },
        }


def current_policy() -> PublicationPolicy:
    """The policy from the environment, the documented default otherwise."""
    raw = os.environ.get(THRESHOLD_ENV)
    if raw is None or not raw.strip():
        return PublicationPolicy()
    try:
        value = float(raw)
    except ValueError as exc:
        raise PolicyError(f"{THRESHOLD_ENV}={raw!r} is not a number from 0 to 1") from exc
    if not 0 <= value <= 1:
        raise PolicyError(f"{THRESHOLD_ENV}={raw!r} is not a number from 0 to 1")
    return PublicationPolicy(value)


@dataclass
class PolicyOutcome:
    published: list[tuple[Fact, str]]  # (fact, review status)
    queued: list[Fact]  # engine facts of an unreviewed source below the threshold

    def counts(self) -> dict[str, int]:
        out = {REVIEWED: 0, AUTOMATIC: 0, "waiting": len(self.queued)}
        for _, status in self.published:
            out[status] = out.get(status, 0) + 1
        return out


def apply_policy(source_id: str, engine_facts: list[Fact], review, policy: PublicationPolicy) -> PolicyOutcome:
    """The facts a source publishes and the ones queued, under the policy. `review` is the
    source's checked `dxdata.reviews.Review`, or None."""
    if review is not None:
        return PolicyOutcome([(f, REVIEWED) for f in reviewed_facts(source_id, review, engine_facts)], [])
    published, queued = [], []
    for f in engine_facts:
        if publishable_automatically(f, policy):
            published.append((f, AUTOMATIC))
        else:
            queued.append(f)
    return PolicyOutcome(published, queued)


def publishable_automatically(fact: Fact, policy: PublicationPolicy) -> bool:
    return fact.confidence >= policy.automatic_threshold


def reviewed_facts(source_id: str, review, engine_facts: list[Fact]) -> list[Fact]:
    """The gold rows of a review as facts, quoted at their offsets in the clean text."""
    from dxdata.catalogue import unit_of
    from dxdata.reviews import pair_engine_facts

    paired, _ = pair_engine_facts(review, engine_facts)
    engine_of = {id(r): f for f, r in paired if r is not None}
    out = []
    for r in review.gold:
        unit = unit_of(r.indicator_id) or ""
        engine = engine_of.get(id(r))
        out.append(
            Fact(
                indicator_id=r.indicator_id,
                province_code=r.province_code,
                province=r.province,
                ref_year=r.ref_year,
                ref_date=r.ref_date,
                value=r.value,
                unit=unit,
                qualifier=r.qualifier,
                source_id=source_id,
                quote=r.quote,
                quote_start=r.quote_start,
                quote_end=r.quote_end,
                method=REVIEW_METHOD + r.decision,
                rank_of=_rank_of(r, engine) if unit == "rank" else None,
                confidence=1.0,
                note=_note(r),
            )
        )
    return out


def _note(row) -> str:
    text = f"reviewed by {row.reviewer} on {row.reviewed_on} ({row.decision})"
    if row.decision == "corrected":
        text += f"; the engine read {row.engine_value:g}: {row.reason}"
    return text


# Ranking size written in the quote: "28/63", "thứ 5/34", "trong 63 tỉnh".
_RANK_OF = re.compile(r"(?<![\d.,])(\d{1,3})\s*/\s*(\d{2})(?!\d)")
_OF_PROVINCES = re.compile(r"(?<!\d)(63|34)\s+(?:tỉnh|địa phương)")


def _rank_of(row, engine: Fact | None) -> int | None:
    """How many places the ranking has: the engine's reading, else as the quote writes it; else
    unknown (the rank is then bounded by the register's size, see schemas.tables)."""
    if engine is not None and engine.rank_of:
        return int(engine.rank_of)
    for m in _RANK_OF.finditer(row.quote):
        if int(m.group(1)) == int(row.value):
            return int(m.group(2))
    m = _OF_PROVINCES.search(row.quote)
    return int(m.group(1)) if m else None
