"""`dxdata release` reports bad sources before Dagster starts (issue 11, item 7) and takes its
folders as options."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from dxdata import paths
from dxdata.cli import main


def test_bad_sidecar_is_reported_before_dagster_starts(tmp_path, monkeypatch):
    sources = tmp_path / "sources"
    shutil.copytree(paths.sources_dir() / "tables", sources / "tables")
    seed = paths.sources_dir() / "articles" / "000_a63f0aa6a1ed3e39"
    (sources / "articles").mkdir()
    shutil.copy2(seed.with_suffix(".txt"), sources / "articles" / "000_a63f0aa6a1ed3e39.txt")
    meta = json.loads(seed.with_suffix(".json").read_text(encoding="utf-8"))
    meta["published_at"] = "5 May 2022"
    (sources / "articles" / "000_a63f0aa6a1ed3e39.json").write_text(json.dumps(meta), encoding="utf-8")
    import pipelines.run

    def started():
        raise AssertionError("the Dagster run was started")

    monkeypatch.setattr(pipelines.run, "cli_release", started)
    # The command exports its --sources and --warehouse to the process environment; registering
    # them here makes monkeypatch restore the environment afterwards, for the tests that follow.
    monkeypatch.setenv("DXDATA_SOURCES", str(sources))
    monkeypatch.setenv("DXDATA_WAREHOUSE", str(tmp_path / "wh"))
    result = CliRunner().invoke(main, ["release", "--sources", str(sources), "--warehouse", str(tmp_path / "wh")])
    assert result.exit_code == 2
    assert "000_a63f0aa6a1ed3e39.json" in result.output and "published_at" in result.output
    assert "Nothing was run" in result.output
    assert not (tmp_path / "wh").exists()


def test_ui_without_a_checkout_loads_the_code_location_by_module(tmp_path, monkeypatch):
    import pipelines.run

    calls = []
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    monkeypatch.setattr(pipelines.run.os, "execv", lambda exe, args: calls.append(args))
    pipelines.run.cli_ui(["-p", "3999"])
    assert calls[-1][-4:] == ["-w", str(paths.REPO_ROOT / "workspace.yaml"), "-p", "3999"]
    monkeypatch.setattr(pipelines.run.paths, "REPO_ROOT", tmp_path)  # as in site-packages
    pipelines.run.cli_ui([])
    assert calls[-1][-2:] == ["-m", "pipelines.definitions"]
