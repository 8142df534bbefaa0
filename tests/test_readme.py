"""The README is for users (issue 11, item 5): two quick-start commands that exist, a Python query
that runs on a release, a DuckDB CLI that opens it, links that resolve, internals in docs/."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from dxdata import paths
from dxdata.release import publish_release
from release_fixtures import make_tables

README = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_quick_start_is_the_two_make_commands_ci_runs():
    block = re.search(r"```sh\n(.*?)```", section("Quick start"), re.S).group(1)
    commands = [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ["make release", "make test"]
    makefile = (paths.REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^release:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (paths.REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_python_comes_before_the_duckdb_cli_and_says_how_to_get_one():
    query = section("Querying a release")
    assert query.index("### Python") < query.index("### DuckDB command line")
    assert "pip install duckdb-cli" in query and "v1.0.0" in query


def test_readme_python_query_runs_on_a_release(tmp_path):
    out = publish_release(make_tables(), releases_dir=tmp_path / "releases",
                          created=datetime(2026, 1, 1, tzinfo=timezone.utc))
    code = re.search(r"```python\n(.*?)```", section("Querying a release"), re.S).group(1)
    code = code.replace("warehouse/releases/1.0.0", str(out.path))
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)
    assert "rank" in scope["df"].columns  # the fixture has no 2022 ranks; the query must still run


def test_links_resolve_and_internals_live_in_docs():
    for target in re.findall(r"\]\(((?:docs/)?[\w./-]+\.md)\)", README):
        assert (paths.REPO_ROOT / target).is_file(), target
    assert len(README.splitlines()) < 300
    for internal in ("## Extraction benchmark", "first run P / R", "### How the engine decides", "### Compiled engine"):
        assert internal not in README
    docs = {p.name for p in (paths.REPO_ROOT / "docs").glob("*.md")}
    assert {"benchmarks.md", "evaluation.md", "extraction.md", "precedence.md", "releases.md"} <= docs


@pytest.mark.parametrize("setting", ["DXDATA_WAREHOUSE", "DXDATA_SOURCES", "DAGSTER_HOME", "--warehouse"])
def test_settings_are_documented(setting):
    assert setting in section("Settings")
