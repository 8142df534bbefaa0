"""Progress lines of `dxdata release` name steps in words (issue 11, item 7)."""

from __future__ import annotations

import logging
import re
from types import SimpleNamespace

from pipelines.run import ProgressHandler
from pipelines.steps import STEP_WORDS, step_words


def test_split_check_steps_say_what_they_checked():
    assert step_words("schema_checks_3", ["sources", "indicators"]) == "check tables against their schemas (indicators, sources)"
    assert step_words("article_facts") == "extract facts from the articles"
    assert step_words("workforce_pandera_schema", ["workforce"]) == "check the table against its schema (workforce)"
    assert step_words("some_new_step_2") == "some_new_step_2"


def test_every_op_of_the_release_job_has_words():
    from pipelines.definitions import defs

    job = defs.resolve_job_def("release_job")
    names = {re.sub(r"_\d+$", "", n) for n in job.graph.node_names()}
    assert names and names <= set(STEP_WORDS), names - set(STEP_WORDS)


def _record(kind, step, data=None):
    event = SimpleNamespace(event_type_value=kind, step_key=step, event_specific_data=data, message="")
    record = logging.LogRecord("dagster", logging.INFO, __file__, 1, "", None, None)
    record.dagster_meta = {"dagster_event": event}
    return record


def test_progress_line_of_a_split_check_step_names_its_tables(capsys):
    import io

    out = io.StringIO()
    handler = ProgressHandler(out)
    evaluation = SimpleNamespace(asset_key=SimpleNamespace(to_user_string=lambda: "sources"), passed=True,
                                 check_name="schema", severity=SimpleNamespace(value="ERROR"))
    for record in (_record("STEP_START", "schema_checks_3"), _record("ASSET_CHECK_EVALUATION", "schema_checks_3", evaluation),
                   _record("STEP_SUCCESS", "schema_checks_3")):
        handler.emit(record)
    line = out.getvalue()
    assert "check tables against their schemas (sources)" in line and "schema_checks_3" not in line


def test_failed_check_line_says_what_it_means():
    import io

    out = io.StringIO()
    handler = ProgressHandler(out)
    evaluation = SimpleNamespace(asset_key=SimpleNamespace(to_user_string=lambda: "conflicts"), passed=False,
                                 check_name="sources_agree", severity=SimpleNamespace(value="WARN"))
    handler.emit(_record("ASSET_CHECK_EVALUATION", "conflicts_sources_agree", evaluation))
    line = out.getvalue()
    assert "check conflicts: sources disagree on some values: see table conflicts" in line and line.rstrip().endswith("(warning)")
