"""The Dagster pipeline end to end on real assets, in a temporary warehouse and instance."""

from __future__ import annotations

import json
import subprocess
import sys

import duckdb
import pandas as pd
from dagster import DagsterInstance

from schemas.tables import TABLE_MODELS

from test_pipeline_support import (  # noqa: F401  (fixtures)
    REPO,
    SEED_ID,
    TEST_ARTICLE,
    TEST_ID,
    TEST_IT_STAFF,
    TEST_PROVINCE_CODE,
    ExtractionSpy,
    extract_engine,
    world,
    write_article,
)


def _job():
    from pipelines.definitions import defs

    return defs.resolve_job_def("release_job")


def _materialized_partitions(result, asset: str) -> list[str]:
    return sorted(m.partition for m in result.asset_materializations_for_node(asset))


def _release_meta(result) -> dict:
    [event] = result.asset_materializations_for_node("release")
    return {k: getattr(v, "value", v) for k, v in event.metadata.items()}


IMPOSSIBLE = "120% các cơ quan nhà nước trên địa bàn tỉnh đã có kết nối Internet và mạng nội bộ (LAN)."


def add_source_with_facts(world, monkeypatch, *values: float):
    """A test article stating agencies' connection rates, and an extractor that reads one fact
    per value from it (whatever the real engine would make of it: the subject here is the
    gate, not the engine)."""
    from dxdata.model import ExtractionResult, Fact

    write_article(world.articles, TEST_ID, f"Bài thử nghiệm\n\n{IMPOSSIBLE}\n")
    real = world.extract.extract_article

    def extract(article):
        if article.source_id != TEST_ID:
            return real(article)
        start = article.clean_text.index(IMPOSSIBLE)
        facts = [
            Fact(
                indicator_id="infra.agency_internet_lan_pct", province_code=TEST_PROVINCE_CODE, province="Sóc Trăng",
                ref_year=2023, ref_date="2023-06-12", value=value, unit="percent", qualifier="exact",
                source_id=TEST_ID, quote=IMPOSSIBLE, quote_start=start, quote_end=start + len(IMPOSSIBLE), method="test",
            )
            for value in values
        ]
        return ExtractionResult(facts=facts, candidates=[], targets=[])

    monkeypatch.setattr(world.extract, "extract_article", extract)


def add_impossible_source(world, monkeypatch):
    """An article stating 120 % of agencies connected: a malformed fact (row-level failure)."""
    add_source_with_facts(world, monkeypatch, 120.0)


def add_duplicate_key_source(world, monkeypatch):
    """An article yielding two values for one key: a table-level failure (`key_unique`)."""
    add_source_with_facts(world, monkeypatch, 90.0, 95.0)


def test_release_command_publishes_once_then_reports_no_change(world, capsys):
    from pipelines.run import cli_release

    assert cli_release() == 0
    out = capsys.readouterr().out
    assert "Published release 1.0.0" in out
    release = world.releases / "1.0.0"
    assert (world.releases / "LATEST").read_text().strip() == "1.0.0"
    with duckdb.connect(str(release / "dx.duckdb"), read_only=True) as con:
        values = con.execute(
            "SELECT value FROM workforce WHERE indicator_id = 'workforce.it_staff_total' AND province_code = '93'"
        ).fetchall()
    assert values == [(625.0,)]
    # The pipeline's release holds every file it declares, against its index.json too.
    from dxdata.site import catalogue_problems
    from dxdata.verify import verify_release

    assert verify_release(release) == [] and catalogue_problems(world.releases) == []
    before = sorted(p.name for p in world.releases.iterdir())

    assert cli_release() == 0
    out = capsys.readouterr().out
    assert "No change" in out
    assert sorted(p.name for p in world.releases.iterdir()) == before
    assert (world.releases / "LATEST").read_text().strip() == "1.0.0"
    # The run is in the instance the UI reads (one DAGSTER_HOME for CLI and UI); with nothing
    # changed since it, the second command started no run at all.
    runs = DagsterInstance.get().get_runs()
    assert len(runs) == 1 and {r.job_name for r in runs} == {"release_job"}
    assert "no run started" in out

    # Any input changing (here a transcribed table's file) makes the next command run again.
    table = next((world.sources / "tables").rglob("*.csv"))
    table.write_text(table.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cli_release() == 0
    out = capsys.readouterr().out
    assert "no run started" not in out
    assert len(DagsterInstance.get().get_runs()) == 2


def test_second_source_extracts_only_its_partition_and_reaches_the_release(world, monkeypatch):
    from pipelines.run import run_release
    from pipelines.sources import shard_of

    # The new source is unreviewed and its engine facts are to publish automatically (the default
    # threshold, 1.0, would queue them all for an editor: tests/test_reviews.py covers that).
    monkeypatch.setenv("DXDATA_AUTOMATIC_THRESHOLD", "0.6")
    instance = DagsterInstance.ephemeral()
    first = run_release(instance, echo=lambda *_: None)
    assert first.success
    assert _release_meta(first)["version"] == "1.0.0"

    write_article(world.articles, TEST_ID, TEST_ARTICLE)
    spy = ExtractionSpy(monkeypatch, world.extract)
    second = _job().execute_in_process(instance=instance, partition_key=shard_of(TEST_ID))
    assert second.success
    assert spy.calls == [TEST_ID]
    assert _materialized_partitions(second, "article_facts") == [shard_of(TEST_ID)]
    meta = _release_meta(second)
    assert meta["version"] == "1.1.0" and meta["bump"] == "minor"

    release = world.releases / "1.1.0"
    workforce = pd.read_parquet(release / "workforce.parquet")
    new_rows = workforce[workforce["source_id"] == TEST_ID]
    assert new_rows[["province_code", "value"]].values.tolist() == [[TEST_PROVINCE_CODE, TEST_IT_STAFF]]
    assert SEED_ID in set(workforce["source_id"])  # the seed's stored partition is still read
    sources = pd.read_parquet(release / "sources.parquet")
    assert TEST_ID in set(sources["source_id"])

    # What the UI shows for a table: column schema from the pandera model, row count, preview,
    # the URLs of the sources its rows come from.
    [materialization] = [
        e.event_specific_data.materialization
        for e in second.all_events
        if e.event_type_value == "ASSET_MATERIALIZATION" and e.asset_key.to_user_string() == "workforce"
    ]
    metadata = materialization.metadata
    assert [c.name for c in metadata["dagster/column_schema"].schema.columns] == list(TABLE_MODELS["workforce"].to_schema().columns)
    assert metadata["dagster/row_count"].value == len(workforce)
    assert "workforce.it_staff_total" in metadata["preview"].value
    assert f"https://example.invalid/{TEST_ID}" in metadata["source_urls"].value
    # Every released article fact quotes the stored clean text of its source at its offsets.
    texts = pd.concat(pd.read_parquet(p) for p in (world.warehouse / "work" / "article_text").iterdir())
    stored_text = dict(zip(texts["source_id"], texts["clean_text"]))
    assert set(stored_text) == {SEED_ID, TEST_ID}
    facts = pd.concat(pd.read_parquet(release / f"{t}.parquet") for t in ("infrastructure", "e_government", "workforce", "enterprises", "rankings"))
    article_facts = facts[facts["source_id"].isin(stored_text)]
    assert len(article_facts) > len(new_rows)
    for row in article_facts.itertuples():
        assert stored_text[row.source_id][row.quote_start : row.quote_end] == row.quote
    # Per-partition outputs are files overwritten in place, one per shard; candidates go to
    # the review folder, never into a release.
    stored = sorted(p.name for p in (world.warehouse / "work" / "article_facts").iterdir())
    assert stored == sorted({f"{shard_of(SEED_ID)}.parquet", f"{shard_of(TEST_ID)}.parquet"})
    assert (world.warehouse / "review" / "candidates.parquet").exists()
    assert not any("candidates" in p.name for p in release.iterdir())

    # A full run afterwards re-extracts nothing (sources and engine unchanged) and publishes
    # nothing; `dxdata release` does not even rebuild a shard. A run over every shard (what a
    # plain launch from the UI does) rebuilds them from the cache, still extracting nothing.
    spy.calls.clear()
    third = run_release(instance, echo=lambda *_: None)
    assert third.success
    assert spy.calls == []
    assert _materialized_partitions(third, "article_facts") == []
    assert _release_meta(third)["status"] == "no change"
    fourth = _job().execute_in_process(instance=instance)
    assert fourth.success and spy.calls == []
    assert len(_materialized_partitions(fourth, "article_facts")) == 16
    assert _release_meta(fourth)["status"] == "no change"


def test_failing_check_reports_the_row_and_blocks_the_release(world, monkeypatch):
    from dagster import AssetKey

    from pipelines.run import release_summary, run_release

    instance = DagsterInstance.ephemeral()
    assert run_release(instance, echo=lambda *_: None).success
    published = sorted(p.name for p in world.releases.iterdir())

    # Two values for one key is a table-level failure: it blocks (row-level ones are quarantined,
    # see the next test).
    add_duplicate_key_source(world, monkeypatch)
    result = run_release(instance, echo=lambda *_: None)

    assert not result.success
    [evaluation] = [
        e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and e.event_specific_data.asset_key.to_user_string() == "infrastructure"
    ]
    assert not evaluation.passed
    meta = {k: getattr(v, "value", v) for k, v in evaluation.metadata.items()}
    assert meta["failing_rows"] == 2
    assert "key_unique" in meta["failed_checks"]
    assert "95" in meta["first_failing_rows"] and TEST_ID in meta["first_failing_rows"]
    assert "key_unique" in meta["what_was_checked"]
    # The release step never ran: nothing new under releases/, LATEST as it was.
    assert not result.asset_materializations_for_node("release")
    assert sorted(p.name for p in world.releases.iterdir()) == published
    assert (world.releases / "LATEST").read_text().strip() == "1.0.0"
    ok, message = release_summary(result)
    assert not ok and "nothing published" in message

    # The release asset gates on the recorded check results itself: materialising it alone
    # (no checks in that run) after the failed check publishes nothing either.
    alone = _job().execute_in_process(instance=instance, asset_selection=[AssetKey("release")], raise_on_error=False)
    assert not alone.success
    [failure] = [e for e in alone.all_events if e.event_type_value == "STEP_FAILURE"]
    assert "infrastructure: schema check failed (2 failing rows" in failure.event_specific_data.user_failure_data.description
    assert sorted(p.name for p in world.releases.iterdir()) == published


def test_a_malformed_extracted_fact_is_quarantined_while_the_other_sources_publish(world, monkeypatch):
    """120 % of agencies connected breaks `percent_within_0_100` on one extracted row: that row
    is held out (review queue + the check's failed-rows table), the release publishes the rest."""
    from pipelines.run import run_release

    add_impossible_source(world, monkeypatch)
    result = run_release(DagsterInstance.ephemeral(), echo=lambda *_: None)

    assert result.success
    assert _release_meta(result)["version"] == "1.0.0"
    release = world.releases / "1.0.0"
    infrastructure = pd.read_parquet(release / "infrastructure.parquet")
    assert TEST_ID not in set(infrastructure["source_id"])
    assert SEED_ID in set(pd.read_parquet(release / "workforce.parquet")["source_id"])
    assert TEST_ID in set(pd.read_parquet(release / "sources.parquet")["source_id"])

    held = pd.read_parquet(world.warehouse / "review" / "quarantined.parquet")
    assert held[["source_id", "value"]].values.tolist() == [[TEST_ID, 120.0]]
    assert "percent_within_0_100" in held["reason"][0]
    [evaluation] = [
        e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and e.event_specific_data.check_name == "article_rows_valid"
    ]
    assert not evaluation.passed and evaluation.severity.value == "WARN"
    meta = {k: getattr(v, "value", v) for k, v in evaluation.metadata.items()}
    assert meta["quarantined_rows"] == 1
    assert TEST_ID in meta["failed_rows"] and "percent_within_0_100" in meta["failed_rows"]


def test_sources_that_disagree_warn_and_the_release_still_publishes(world, monkeypatch):
    """An article giving Hậu Giang's 2022 DTI rank as 50/63 where the official table says 17:
    the non-blocking check lists the conflict, and the release (with both rows) is published."""
    from dxdata.model import ExtractionResult, Fact
    from pipelines.run import run_release

    sentence = "Năm 2022, Hậu Giang xếp thứ 50/63 về chỉ số chuyển đổi số."
    write_article(world.articles, TEST_ID, f"Bài thử nghiệm\n\n{sentence}\n", province="Hậu Giang")
    real = world.extract.extract_article

    def extract(article):
        if article.source_id != TEST_ID:
            return real(article)
        start = article.clean_text.index(sentence)
        fact = Fact(
            indicator_id="dti.rank", province_code="93", province="Hậu Giang", ref_year=2022, ref_date=None,
            value=50.0, unit="rank", qualifier="exact", rank_of=63, source_id=TEST_ID,
            quote=sentence, quote_start=start, quote_end=start + len(sentence), method="test",
        )
        return ExtractionResult(facts=[fact], candidates=[], targets=[])

    monkeypatch.setattr(world.extract, "extract_article", extract)
    result = run_release(DagsterInstance.ephemeral(), echo=lambda *_: None)
    assert result.success
    [evaluation] = [
        e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and e.event_specific_data.check_name == "sources_agree"
    ]
    assert not evaluation.passed and evaluation.severity.value == "WARN"
    meta = {k: getattr(v, "value", v) for k, v in evaluation.metadata.items()}
    assert meta["conflicts"] == 1
    assert "dti.rank/63/93/2022" in meta["first_conflicts"] and TEST_ID in meta["first_conflicts"]
    assert _release_meta(result)["version"] == "1.0.0"
    rankings = pd.read_parquet(world.releases / "1.0.0" / "rankings.parquet")
    hau_giang_2022 = rankings[(rankings["indicator_id"] == "dti.rank") & (rankings["province_code"] == "93") & (rankings["ref_year"] == 2022)]
    assert sorted(hau_giang_2022["value"]) == [17.0, 50.0]


def test_definitions_load_without_dagster_deprecation_warnings():
    code = (
        "import warnings\n"
        "from dagster_shared.utils.warnings import SupersessionWarning\n"
        "warnings.simplefilter('error', DeprecationWarning)\n"
        "warnings.simplefilter('error', SupersessionWarning)\n"
        "from dagster import Definitions\n"
        "from pipelines.definitions import defs\n"
        "Definitions.validate_loadable(defs)\n"
        "job = defs.resolve_job_def('release_job')\n"
        "print(len(defs.resolve_asset_graph().get_all_asset_keys()), job.name)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "release_job" in done.stdout


def test_definitions_declare_partitions_versions_and_the_writer_pool(extract_engine):
    from dagster import AssetKey, BackfillPolicy

    from pipelines.definitions import defs
    from pipelines.extraction import engine_version

    from pipelines.sources import SHARD_KEYS

    graph = defs.resolve_asset_graph()
    for name in ("article_text", "article_facts"):
        node = graph.get(AssetKey(name))
        assert node.partitions_def.get_partition_keys() == SHARD_KEYS
        assert node.backfill_policy == BackfillPolicy.single_run()
    assert graph.get(AssetKey("article_facts")).code_version == engine_version() == extract_engine.ENGINE_VERSION
    assert defs.resolve_assets_def("release").op.pool == "duckdb_writer"
    assert graph.get(AssetKey("workforce")).partitions_def is None


def test_release_waits_for_the_single_duckdb_writer_slot(world):
    """The release step is in the `duckdb_writer` pool, limited to one by the instance's
    dagster.yaml: while another run holds the slot, the step waits instead of hitting DuckDB's
    file lock, then publishes."""
    import threading
    import time


    from pipelines.release import DUCKDB_POOL
    from pipelines.run import run_release

    instance = DagsterInstance.get()
    storage = instance.event_log_storage
    storage.initialize_concurrency_limit_to_default(DUCKDB_POOL)
    assert storage.get_concurrency_info(DUCKDB_POOL).slot_count == 1
    assert storage.claim_concurrency_slot(DUCKDB_POOL, "another-run", "release").slot_status.value == "CLAIMED"

    results = {}
    worker = threading.Thread(target=lambda: results.update(run=run_release(instance, echo=lambda *_: None)))
    worker.start()
    try:
        blocked = False
        for _ in range(600):  # until the run reports the step blocked (bounded, not a timing check)
            for run in instance.get_runs(limit=1):
                blocked = any(
                    e.dagster_event is not None and f"pool {DUCKDB_POOL}" in (e.dagster_event.message or "")
                    for e in instance.all_logs(run.run_id)
                )
            if blocked or not worker.is_alive():
                break
            time.sleep(0.2)
        assert blocked, "the release step did not wait for the DuckDB writer slot"
        assert not (world.releases / "LATEST").exists()
    finally:
        storage.free_concurrency_slots_for_run("another-run")
        worker.join(timeout=120)
    assert results["run"].success
    assert (world.releases / "LATEST").read_text().strip() == "1.0.0"


def test_a_killed_release_does_not_hold_the_writer_slot_forever(world):
    """A `dxdata release` process killed while publishing leaves its slot claimed; the next
    release frees it (marking the dead run failed), but never the slot of a live run."""
    import os
    import socket
    import subprocess
    import sys

    from dagster import DagsterRunStatus
    from dagster._core.test_utils import create_run_for_test

    from pipelines.release import DUCKDB_POOL
    from pipelines.run import HOST_TAG, PID_TAG, free_stale_pool_slots

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    instance = DagsterInstance.get()
    storage = instance.event_log_storage
    storage.initialize_concurrency_limit_to_default(DUCKDB_POOL)
    here = socket.gethostname()
    killed = create_run_for_test(instance, job_name="release_job", status=DagsterRunStatus.STARTED, tags={PID_TAG: str(gone.pid), HOST_TAG: here})
    live = create_run_for_test(instance, job_name="release_job", status=DagsterRunStatus.STARTED, tags={PID_TAG: str(os.getpid()), HOST_TAG: here})

    assert storage.claim_concurrency_slot(DUCKDB_POOL, live.run_id, "release").slot_status.value == "CLAIMED"
    assert free_stale_pool_slots(instance) == []
    storage.free_concurrency_slots_for_run(live.run_id)

    assert storage.claim_concurrency_slot(DUCKDB_POOL, killed.run_id, "release").slot_status.value == "CLAIMED"
    assert free_stale_pool_slots(instance) == [killed.run_id]
    assert instance.get_run_by_id(killed.run_id).status == DagsterRunStatus.FAILURE
    assert storage.get_concurrency_info(DUCKDB_POOL).claimed_slots == []


def test_an_unreadable_source_is_left_out_named_and_the_others_publish(world):
    """A run launched from the UI or the daemon (no pre-run validation) meets a source whose
    sidecar has a month 13: that source is set aside with its problem (asset metadata, the
    non-blocking `sources_readable` check, warehouse/review/unreadable/), the release publishes the
    others; once the sidecar is fixed, the next run brings the source in and clears the list."""
    from pipelines.run import run_release

    path = write_article(world.articles, TEST_ID, "Bài thử nghiệm\n\nHiện có 1.234 trạm BTS.\n")
    sidecar = path.with_suffix(".json")
    good = sidecar.read_text(encoding="utf-8")
    sidecar.write_text(good.replace("2023-06-12T08:15:00", "2023-13-12T08:15:00"), encoding="utf-8")
    instance = DagsterInstance.ephemeral()
    result = run_release(instance, echo=lambda *_: None)

    assert result.success
    release = world.releases / "1.0.0"
    assert TEST_ID not in set(pd.read_parquet(release / "sources.parquet")["source_id"])
    assert SEED_ID in set(pd.read_parquet(release / "workforce.parquet")["source_id"])
    [evaluation] = [
        e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION" and e.event_specific_data.check_name == "sources_readable"
    ]
    assert not evaluation.passed and evaluation.severity.value == "WARN"
    meta = {k: getattr(v, "value", v) for k, v in evaluation.metadata.items()}
    assert meta["unreadable_sources"] == 1
    assert TEST_ID in meta["sources"]
    assert f"articles/{TEST_ID}.json: published_at" in meta["problems"]
    [listed] = list((world.warehouse / "review" / "unreadable").glob("*.json"))
    assert TEST_ID in json.loads(listed.read_text(encoding="utf-8"))

    sidecar.write_text(good, encoding="utf-8")
    again = run_release(instance, echo=lambda *_: None)
    assert again.success
    version = _release_meta(again)["version"]
    assert TEST_ID in set(pd.read_parquet(world.releases / version / "sources.parquet")["source_id"])
    assert not list((world.warehouse / "review" / "unreadable").glob("*.json"))
