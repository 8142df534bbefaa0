"""Words for the steps of a run, as `dxdata release` prints them: a user reads what a step did,
not Dagster's step key (`schema_checks_3` is the third part of one subsettable check step)."""

from __future__ import annotations

import re

# Step key without Dagster's "_<n>" suffix -> what the step does.
STEP_WORDS = {
    "article_text": "read the articles",
    "article_facts": "extract facts from the articles",
    "official_facts": "read the official DTI table",
    "press_facts": "read the DTI values stated by the press",
    "reference_tables": "read the province registers and DTI editions",
    "indicators": "read the indicator catalogue",
    "sources": "list the sources",
    "source_facts": "apply the publication policy (editor reviews, automatic threshold)",
    "facts": "gather every fact",
    "review_queue": "list the facts waiting for an editor",
    "review_queue_review_queue_empty": "check that no fact waits for an editor",
    "review_candidates": "set aside uncertain findings for review",
    "conflicts": "find values on which sources disagree",
    "fact_tables": "split the facts into the five tables",
    "schema_checks": "check tables against their schemas",
    "conflicts_sources_agree": "check that sources agree",
    "facts_article_rows_valid": "check the extracted rows, setting aside any that break a rule",
    "facts_sources_readable": "check that every source could be read",
    "release": "publish the release",
}
# One blocking schema check step per published table (pipelines/checks.py); the progress line
# names the table in brackets.
STEP_WORDS.update({f"{table}_pandera_schema": "check the table against its schema" for table in (
    "infrastructure", "e_government", "workforce", "enterprises", "rankings", "sources", "indicators",
    "provinces", "provinces_2025", "dti_editions", "conflicts")})


# A check that did not pass -> what that means, for the progress line naming it.
CHECK_WORDS = {
    "pandera_schema": "does not match its schema; nothing is published (the check's page lists the rows)",
    "sources_agree": "sources disagree on some values: see table conflicts; a value contradicting an official table is left out of the views",
    "article_rows_valid": "some extracted rows break a rule and were set aside (review/quarantined.parquet)",
    "sources_readable": "some sources cannot be read and were left out (review/unreadable/)",
}


def check_words(table: str, check: str, failed: bool) -> str:
    """'conflicts: sources disagree on some values: ... (warning)' for a check that did not pass."""
    return f"{table}: {CHECK_WORDS.get(check, check)} ({'failed' if failed else 'warning'})"


def step_words(step_key: str | None, checked: list[str] | tuple[str, ...] = ()) -> str:
    """'check tables against their schemas (sources, indicators)' for 'schema_checks_2' with
    the tables it checked; an unknown step keeps its key."""
    if not step_key:
        return ""
    base = re.sub(r"_\d+$", "", step_key)
    words = STEP_WORDS.get(step_key) or STEP_WORDS.get(base) or step_key
    return f"{words} ({', '.join(sorted(checked))})" if checked else words
