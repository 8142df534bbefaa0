"""`dxdata extract -` reads the article from standard input (issue 11, item 7)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from dxdata.cli import main

TEXT = (
    "Kon Tum hỗ trợ doanh nghiệp công nghệ thông tin\n"
    "Kon Tum hiện có 38 doanh nghiệp CNTT, phần lớn là doanh nghiệp nhỏ.\n"
)


def test_dash_reads_stdin():
    result = CliRunner().invoke(main, ["extract", "-", "--published", "2022-11-15"], input=TEXT.encode("utf-8"))
    assert result.exit_code == 0, result.output
    facts = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [(f["indicator_id"], f["value"], f["province"], f["source_id"]) for f in facts] == [
        ("ent.it_enterprises", 38.0, "Kon Tum", "stdin")
    ]


def test_empty_stdin_is_an_error_naming_stdin():
    result = CliRunner().invoke(main, ["extract", "-"], input=b"")
    assert result.exit_code == 2
    assert "stdin" in result.output
