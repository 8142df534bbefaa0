"""Editor reviews: reading and checking review files, the blind split, the publication policy
(reviewed / automatic / queued) and evaluation against reviews.

The sample is the bundled seed article with its review (sources/reviews/000_a63f0aa6a1ed3e39.csv,
written from the text); malformed variants are written to tmp_path."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from dxdata import paths
from dxdata.ingest import load_article
from test_pipeline_support import TEST_ARTICLE, TEST_ID, TEST_IT_STAFF, TEST_PROVINCE_CODE, extract_engine, world, write_article  # noqa: F401
from dxdata.reviews import (
    REVIEW_COLUMNS,
    ReviewError,
    find_quote,
    in_split,
    is_blind,
    load_review,
    pair_engine_facts,
    read_review,
    split_of,
    value_in_quote,
)

SEED = "000_a63f0aa6a1ed3e39"
SEED_REVIEW = paths.REPO_ROOT / "sources" / "reviews" / f"{SEED}.csv"


@pytest.fixture(scope="module")
def seed_article():
    return load_article(paths.REPO_ROOT / "sources" / "articles" / f"{SEED}.txt")


def review_rows() -> list[dict]:
    with SEED_REVIEW.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_review(path: Path, rows: list[dict], header=REVIEW_COLUMNS) -> Path:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(header), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def row(which: str, **changes) -> dict:
    """The seed review's row for an indicator, with changes."""
    found = next(r for r in review_rows() if r["indicator_id"] == which)
    return {**found, **changes}


# --- reading -----------------------------------------------------------------------------------


def test_the_seed_review_reads_with_offsets_into_the_clean_text(seed_article):
    review = load_review(SEED, seed_article.clean_text)
    assert review is not None and len(review.rows) == 26 and len(review.gold) == 26
    text = seed_article.clean_text
    for r in review.rows:
        assert text[r.quote_start : r.quote_end] == r.quote
    level4 = next(r for r in review.rows if r.indicator_id == "egov.online_services_level4")
    assert (level4.value, level4.province, level4.province_code, level4.ref_date) == (1219.0, "Hậu Giang", "93", "2022-05-05")


def test_a_source_without_review_file_has_none(seed_article, tmp_path):
    assert load_review(SEED, seed_article.clean_text, folder=tmp_path) is None


def test_quote_found_across_a_no_break_space(seed_article):
    # The page writes "16.000 hồ sơ\xa0trong đó"; a reader copies a plain space.
    start, end = find_quote(seed_article.clean_text, "với gần 16.000 hồ sơ trong đó")
    assert seed_article.clean_text[start:end] == "với gần 16.000 hồ sơ\xa0trong đó"


@pytest.mark.parametrize(
    "value, quote",
    [
        (1219, "bao gồm 1.219 dịch vụ công trực tuyến mức 4"),
        (98.5, "tỷ lệ đạt 98,5%"),
        (1.2e12, "doanh thu khoảng 1,2 nghìn tỷ đồng"),
        (300e9, "là khoảng 300 tỉ đồng"),
        (3, "tỉnh xếp thứ ba cả nước"),
        (0.5064, "đạt 0.5064 điểm"),
        (2300, "khoảng 2,300 chứng thư"),
        (1, "với TP.HCM đứng đầu và TP Đà Nẵng giữ vị trí thứ 2"),
        (63, "Cao Bằng đứng cuối bảng"),
    ],
)
def test_values_are_read_as_the_quote_writes_them(value, quote):
    assert value_in_quote(value, quote)


@pytest.mark.parametrize("value, quote", [(1291, "bao gồm 1.219 dịch vụ"), (300e6, "là khoảng 300 tỉ đồng"), (4, "xếp thứ ba")])
def test_a_value_the_quote_does_not_state_is_not_found(value, quote):
    assert not value_in_quote(value, quote)


# --- malformed reviews: each a clear error naming file and line ---------------------------------


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"quote": "1.219 dịch vụ công trực tuyến mức 3"}, "quote not in the source's text"),
        ({"indicator_id": "egov.level4_services"}, "unknown indicator 'egov.level4_services'"),
        ({"province": "Hậu Giang Mới"}, "unknown province 'Hậu Giang Mới'"),
        ({"value": "1291"}, "the quote does not contain the value 1291"),
        ({"value": "12190"}, "the quote does not contain the value 12190"),
        ({"value": "1,219"}, "is not a plain number"),
        ({"decision": "ok"}, "unknown decision 'ok'"),
        ({"decision": ""}, "decision is empty"),
        ({"decision": "corrected", "engine_value": "1200"}, "a corrected row needs a reason"),
        ({"decision": "corrected", "reason": "wrong value"}, "a corrected row needs engine_value"),
        ({"decision": "rejected"}, "a rejected row needs a reason"),
        ({"engine_value": "1200"}, "engine_value is only for corrected rows"),
        ({"qualifier": "about"}, "qualifier 'about' is not one of"),
        ({"ref_year": "22"}, "ref_year '22' is not a year"),
        ({"ref_year": "1999"}, "ref_year '1999' is not a year from 2000 on"),
        ({"value": "1219.5"}, "value 1219.5 is impossible for egov.online_services_level4 (unit count: a whole number)"),
        ({"ref_date": "2021-05-05"}, "ref_date 2021-05-05 is not in ref_year 2022"),
        ({"reviewer": ""}, "reviewer is empty"),
        ({"reviewed_on": "07/12/2026"}, "reviewed_on '07/12/2026' is not a date"),
    ],
)
def test_a_malformed_row_names_file_line_and_problem(seed_article, tmp_path, changes, message):
    rows = [row("egov.online_services_total"), row("egov.online_services_level4", **changes)]
    path = write_review(tmp_path / f"{SEED}.csv", rows)
    with pytest.raises(ReviewError) as err:
        read_review(path, seed_article.clean_text)
    assert str(err.value).startswith(f"{path}:3: ")
    assert message in str(err.value)


def test_a_duplicate_fact_names_both_lines(seed_article, tmp_path):
    rows = [row("egov.online_services_level4"), row("egov.online_services_total"), row("egov.online_services_level4")]
    path = write_review(tmp_path / f"{SEED}.csv", rows)
    with pytest.raises(ReviewError, match=r":4: duplicate fact .* already on line 2"):
        read_review(path, seed_article.clean_text)


def test_a_wrong_header_is_an_error_on_line_1(seed_article, tmp_path):
    path = write_review(tmp_path / f"{SEED}.csv", [row("egov.online_services_total")], header=REVIEW_COLUMNS[:-1])
    with pytest.raises(ReviewError, match=r":1: the header must be exactly"):
        read_review(path, seed_article.clean_text)


def test_line_numbers_count_quotes_that_span_lines(seed_article, tmp_path):
    # A quote with a line break inside (two lines of the file) shifts the next row's line.
    multi = row("ent.it_enterprises", quote="Tổng số nhân lực của các doanh nghiệp\ncông nghệ thông tin là hơn 500 người.",
                indicator_id="ent.it_employees", value="500", qualifier="over")
    path = write_review(tmp_path / f"{SEED}.csv", [multi, row("egov.online_services_level4", value="9")])
    with pytest.raises(ReviewError, match=rf"^{path}:4: the quote does not contain the value 9"):
        read_review(path, seed_article.clean_text)


# --- the blind split ---------------------------------------------------------------------------


def test_the_blind_split_is_a_stable_third():
    ids = [f"r-vn-2023{i:04d}-source" for i in range(3000)]
    blind = [i for i in ids if is_blind(i)]
    assert 900 < len(blind) < 1100
    assert [is_blind(i) for i in ids] == [is_blind(i) for i in ids]
    assert all(split_of(i) == "blind" and in_split(i, "blind") and not in_split(i, "dev") for i in blind)
    assert all(in_split(i, "all") for i in ids)


# --- the engine's proposals beside the review ----------------------------------------------------


def test_engine_facts_pair_with_their_decisions(seed_article, tmp_path):
    from dxdata.extract import extract_article

    facts = extract_article(seed_article).facts
    rows = [
        row("egov.online_services_level4"),
        row("egov.online_services_total", decision="rejected", reason="test: pretend the engine was wrong"),
        row("egov.staff_records", value="16000", decision="corrected", engine_value="16000", qualifier="under",
            reason="test: pretend the period was wrong"),
        row("dti.rank", decision="missed"),
    ]
    review = read_review(write_review(tmp_path / f"{SEED}.csv", rows), seed_article.clean_text)
    paired, unanswered = pair_engine_facts(review, facts)
    decided = {f.indicator_id: r.decision for f, r in paired if r is not None}
    assert decided == {"egov.online_services_level4": "accepted", "egov.online_services_total": "rejected", "egov.staff_records": "corrected"}
    assert sum(r is None for _, r in paired) == len(facts) - 3
    assert [r.indicator_id for r in unanswered] == ["dti.rank"]


# --- the publication policy through the real pipeline and release code ----------------------------


def _events(result, kind: str):
    return [e for e in result.all_events if e.event_type_value == kind]


def test_release_publishes_reviewed_facts_automatic_facts_and_queues_the_rest(world, monkeypatch):
    """The seed has a review (changed here: one engine fact rejected, one left out), a second
    source has none: the release holds exactly the seed's gold rows (`reviewed`) and the second
    source's confident fact (`automatic`); its other fact waits in the queue, with a warning. A
    malformed review first fails the run and publishes nothing. Then a changed review alone makes
    the sources sensor ask for a run."""
    import json

    import pandas as pd
    from dagster import DagsterInstance

    from dxdata.model import ExtractionResult, Fact
    from pipelines.run import run_release

    monkeypatch.setenv("DXDATA_AUTOMATIC_THRESHOLD", "0.9")
    for other in [*world.articles.iterdir(), *(world.sources / "reviews").iterdir()]:
        if not other.name.startswith(SEED):
            other.unlink()  # the seed alone, so the counts below do not move with the corpus
    write_article(world.articles, TEST_ID, TEST_ARTICLE)
    real = world.extract.extract_article
    sentence = next(line for line in TEST_ARTICLE.splitlines() if "412" in line)

    def extract(article):
        if article.source_id != TEST_ID:
            return real(article)
        start = article.clean_text.index(sentence)

        def fact(indicator_id, value, confidence):
            return Fact(indicator_id=indicator_id, province_code=TEST_PROVINCE_CODE, province="Sóc Trăng", ref_year=2023,
                        ref_date="2023-06-12", value=value, unit="count", qualifier="exact", source_id=TEST_ID, quote=sentence,
                        quote_start=start, quote_end=start + len(sentence), method="test", confidence=confidence)

        return ExtractionResult(facts=[fact("workforce.it_staff_total", TEST_IT_STAFF, 0.95),
                                       fact("workforce.it_staff_government", TEST_IT_STAFF, 0.7)], candidates=[], targets=[])

    monkeypatch.setattr(world.extract, "extract_article", extract)

    review_file = world.sources / "reviews" / f"{SEED}.csv"
    rows = [r for r in review_rows() if r["indicator_id"] != "ent.it_enterprises"]
    rejected = next(r for r in rows if r["indicator_id"] == "egov.online_services_total")
    rejected.update(decision="rejected", reason="test: pretend the figure is the national portal's")
    bad = [dict(r) for r in rows]
    bad[4]["quote"] = "75 UBND cấp xã (99%)"
    write_review(review_file, bad)

    instance = DagsterInstance.ephemeral()
    failed = run_release(instance, echo=lambda *_: None)
    assert not failed.success
    [failure] = _events(failed, "STEP_FAILURE")
    assert f"{review_file}:6: quote not in the source's text" in failure.event_specific_data.user_failure_data.description
    assert not world.releases.exists() or not any(world.releases.glob("1.*"))

    write_review(review_file, rows)
    result = run_release(instance, echo=lambda *_: None)
    assert result.success
    release = world.releases / "1.0.0"
    tables = {t: pd.read_parquet(release / f"{t}.parquet") for t in ("infrastructure", "e_government", "workforce", "enterprises", "rankings")}
    facts = pd.concat(tables.values(), ignore_index=True)

    seed = facts[facts["source_id"] == SEED]
    gold = {(r["indicator_id"], float(r["value"])) for r in rows if r["decision"] != "rejected"}
    assert set(zip(seed["indicator_id"], seed["value"])) == gold and len(seed) == len(gold)
    assert set(seed["review"]) == {"reviewed"}
    text = load_article(world.articles / f"{SEED}.txt").clean_text
    assert all(text[s:e] == q for s, e, q in zip(seed["quote_start"], seed["quote_end"], seed["quote"]))

    second = facts[facts["source_id"] == TEST_ID]
    assert list(zip(second["indicator_id"], second["review"])) == [("workforce.it_staff_total", "automatic")]
    assert set(facts[facts["method"].isin(["official_table", "press_table"])]["review"]) == {"transcribed"}

    queue = pd.read_csv(world.warehouse / "review" / "queue.csv")
    assert list(zip(queue["source_id"], queue["indicator_id"])) == [(TEST_ID, "workforce.it_staff_government")]
    [check] = [e.event_specific_data for e in _events(result, "ASSET_CHECK_EVALUATION") if e.event_specific_data.check_name == "review_queue_empty"]
    assert not check.passed and check.severity.value == "WARN"

    from pipelines.sources import by_shard, scan_articles, shard_digest, shard_of

    expected: dict[str, dict[str, int]] = {}
    for source_id, got in ((SEED, {"reviewed": len(gold), "automatic": 0, "waiting": 0}), (TEST_ID, {"reviewed": 0, "automatic": 1, "waiting": 1})):
        shard = expected.setdefault(shard_of(source_id), {"reviewed": 0, "automatic": 0, "waiting": 0})
        for k, n in got.items():
            shard[k] += n
    counts = {m.partition: {k: m.metadata[k].value for k in ("reviewed", "automatic", "waiting")}
              for m in result.asset_materializations_for_node("source_facts")}
    assert {k: v for k, v in counts.items() if any(v.values())} == expected
    by_source = next(m.metadata["by_source"].value for m in result.asset_materializations_for_node("source_facts") if m.partition == shard_of(TEST_ID))
    assert f"| {TEST_ID} | 0 | 1 | 1 | no |" in by_source

    policy = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))["dxdata"]["publication_policy"]
    assert policy["automatic_threshold"] == 0.9 and policy["facts_by_review"]["reviewed"] == len(gold)
    page = (world.releases / "index.html").read_text(encoding="utf-8")
    assert "Publication policy" in page and "<strong>0.9</strong>" in page

    # A new threshold, or a changed review, makes `dxdata release` rebuild the shards concerned.
    from pipelines.run import release_run_request

    assert release_run_request()[2] == {}
    monkeypatch.setenv("DXDATA_AUTOMATIC_THRESHOLD", "0.8")
    assert set(release_run_request()[2]) == {shard_of(SEED), shard_of(TEST_ID)}
    monkeypatch.setenv("DXDATA_AUTOMATIC_THRESHOLD", "0.9")

    # The sources sensor asks for a run when a review changes, though no article did.
    from dagster import build_sensor_context

    from pipelines.resources import Warehouse
    from pipelines.sensors import article_sources_sensor

    cursor = json.dumps({k: shard_digest(m) for k, m in by_shard(scan_articles(world.articles)).items()})

    def tick():
        return article_sources_sensor.evaluate_tick(build_sensor_context(instance=instance, cursor=cursor, resources={"warehouse": Warehouse()}))

    assert tick().run_requests == []
    write_review(review_file, [r for r in rows if r["indicator_id"] != "ent.it_employees"])
    first, again = tick(), tick()
    assert set(release_run_request()[2]) == {shard_of(SEED)}
    [request] = first.run_requests
    assert (request.tags["dagster/asset_partition_range_start"], request.tags["dagster/asset_partition_range_end"]) == (shard_of(SEED),) * 2
    assert [r.run_key for r in again.run_requests] == [request.run_key]  # the same state asks once
    review_file.unlink()
    assert [r.run_key for r in tick().run_requests] != [request.run_key]


# --- dxdata review ---------------------------------------------------------------------------------


FIXTURES = paths.REPO_ROOT / "tests" / "fixtures" / "reviews"
# The sample: the seed and two real sources with their reviews (accepted, missed and rejected
# rows), copied from sources/ so the tests do not move with the corpus.
SAMPLE = ["000_a63f0aa6a1ed3e39", "r-binh-phuoc-20230428-thu-9-chuyen-doi-so", "r-vn-20251021-ha-noi-dan-dau-dti-2024"]


@pytest.fixture
def sources_copy(tmp_path, monkeypatch):
    """The bundled sources (tables, registers) with the sample's articles and reviews only."""
    import shutil

    sources = tmp_path / "sources"
    shutil.copytree(paths.REPO_ROOT / "sources", sources, ignore=shutil.ignore_patterns("articles", "reviews"))
    shutil.copytree(FIXTURES / "articles", sources / "articles")
    shutil.copytree(FIXTURES / "reviews", sources / "reviews")
    monkeypatch.setenv("DXDATA_SOURCES", str(sources))
    return sources


def test_review_view_shows_each_status(seed_article, tmp_path):
    from dxdata.extract import extract_article
    from dxdata.review_view import NOT_REVIEWED, view_lines

    facts = extract_article(seed_article).facts
    rows = [
        row("egov.online_services_level4"),
        row("egov.online_services_total", decision="rejected", reason="test"),
        row("egov.staff_records", decision="corrected", engine_value="16000", reason="test: period"),
        row("dti.rank", decision="missed"),
    ]
    review = read_review(write_review(tmp_path / f"{SEED}.csv", rows), seed_article.clean_text)
    lines = {line.indicator_id: line for line in view_lines(review, facts)}
    assert lines["egov.online_services_level4"].status == "accepted"
    assert lines["egov.online_services_total"].status == "rejected" and lines["egov.online_services_total"].reviewed == ""
    assert lines["egov.staff_records"].status == "corrected"
    assert lines["dti.rank"].status == "missed (the engine now finds it)"
    assert lines["workforce.it_staff_total"].status == NOT_REVIEWED and lines["workforce.it_staff_total"].engine == "625"
    assert len(lines) == len(facts)


def test_review_view_prints_a_plain_table_without_rich(seed_article, monkeypatch):
    import sys

    from dxdata.extract import extract_article
    from dxdata.review_view import render, view_lines

    monkeypatch.setitem(sys.modules, "rich.console", None)  # import fails: rich is optional
    out = io.StringIO()
    render(SEED, view_lines(load_review(SEED, seed_article.clean_text), extract_article(seed_article).facts), reviewed=True, out=out)
    text = out.getvalue().splitlines()
    assert text[0] == f"{SEED}: engine beside the review" and text[1].split() == ["status", "indicator", "province", "engine", "review", "qualifier", "period", "quote"]
    assert any(line.split()[:5] == ["accepted", "egov.online_services_level4", "Hậu", "Giang", "1,219"] for line in text)
    assert text[-1] == "26 accepted"


def test_review_command_prints_the_review_and_init_writes_an_undecided_starter(sources_copy, capsys):
    from dxdata.review_view import cli_review

    assert cli_review(SEED, init=False) == 0
    assert "26 accepted" in capsys.readouterr().out
    assert cli_review(SEED, init=True) == 2  # a review exists: never overwritten
    assert "exists" in capsys.readouterr().err

    (sources_copy / "reviews" / f"{SEED}.csv").unlink()
    assert cli_review(SEED, init=False) == 0
    assert "26 not yet reviewed" in capsys.readouterr().out
    assert cli_review(SEED, init=True) == 0
    starter = sources_copy / "reviews" / f"{SEED}.csv"
    with starter.open(encoding="utf-8", newline="") as fh:
        proposals = list(csv.DictReader(fh))
    assert len(proposals) == 26 and {p["decision"] for p in proposals} == {""}
    text = load_article(sources_copy / "articles" / f"{SEED}.txt").clean_text
    with pytest.raises(ReviewError, match=r":2: decision is empty: an undecided proposal"):
        read_review(starter, text)
    assert cli_review(SEED, init=False) == 2
    assert "decision is empty" in capsys.readouterr().err


# --- dxdata evaluate against reviews ---------------------------------------------------------------


def test_evaluation_on_the_real_sample_accounts_for_every_gold_row_and_false_fact(sources_copy):
    from dxdata.evaluate import evaluate_reviews, value_matches
    from dxdata.reviews import reviewed_source_ids

    report = evaluate_reviews("all")
    reviews = {i: read_review(sources_copy / "reviews" / f"{i}.csv", load_article(sources_copy / "articles" / f"{i}.txt").clean_text)
               for i in reviewed_source_ids(sources_copy / "reviews")}
    gold = [(f"{i}.csv", r) for i, rev in reviews.items() for r in rev.gold]
    assert report.files == 3 and report.score.tp + report.score.fn == len(gold) == 29
    assert report.matched == report.score.tp and len(report.misses) == report.score.fn
    assert sum(s.tp + s.fn for s in report.by_indicator.values()) == len(gold)
    assert sum(s.tp + s.fn for s in report.by_theme.values()) == len(gold)
    # A false fact answers to no gold row of its source; a rejected row the engine still proposes
    # is a false fact (the engine's output moves with its tuning; these relations do not).
    for name, f in report.false_facts:
        assert not any(n == name and r.indicator_id == f.indicator_id and r.province == f.province and value_matches(f.value, r.value)
                       for n, r in gold)
    aside: set[tuple] = set()
    for i, rev in reviews.items():
        from dxdata.extract import extract_article

        proposed = extract_article(load_article(sources_copy / "articles" / f"{i}.txt")).facts
        for r in rev.rejected:
            # A fact of the 34 merged units is another unit's than the review's rows: set aside.
            if any(f.indicator_id == r.indicator_id and f.province == r.province and value_matches(f.value, r.value) and f.unit_set != 34 for f in proposed):
                assert any(n == f"{i}.csv" and f.indicator_id == r.indicator_id and value_matches(f.value, r.value)
                           for n, f in report.false_facts)
        aside.update((f"{i}.csv", f.indicator_id, f.province, f.value) for f in proposed if f.unit_set == 34)
    assert {(n, f.indicator_id, f.province, f.value) for n, f in report.set_aside} == aside
    assert len(report.confidences) == report.score.tp + report.score.fp


def test_evaluation_counts_rejected_left_out_and_missed_rows(sources_copy):
    from dxdata.evaluate import evaluate_reviews

    for other in (sources_copy / "reviews").glob("r-*.csv"):
        other.unlink()
    report = evaluate_reviews("all")
    assert (report.files, report.score.tp, report.score.fp, report.score.fn) == (1, 26, 0, 0)
    assert report.qualifier_ok == report.ref_year_ok == report.ref_date_ok == 26

    # One right engine fact left out of the review, one rejected, and a fact added that the engine
    # cannot have found: two false facts and one miss.
    rows = [r for r in review_rows() if r["indicator_id"] != "ent.it_enterprises"]
    next(r for r in rows if r["indicator_id"] == "egov.online_services_total").update(decision="rejected", reason="test")
    rows.append(row("infra.videoconf_commune_units", indicator_id="infra.videoconf_points", ref_year="2021", ref_date="", decision="missed"))
    write_review(sources_copy / "reviews" / f"{SEED}.csv", rows)
    report = evaluate_reviews("all")
    assert (report.score.tp, report.score.fp, report.score.fn) == (24, 2, 1)
    assert {f.indicator_id for _, f in report.false_facts} == {"ent.it_enterprises", "egov.online_services_total"}
    assert [(g.indicator_id, g.value) for g, _ in report.misses] == [("infra.videoconf_points", 75.0)]
    assert report.by_indicator["infra.videoconf_points"].fn == 1 and report.by_indicator["infra.videoconf_points"].tp == 1
    assert report.by_theme["enterprises"].fp == 1
    assert sum(ok for _, ok in report.confidences) == 24 and len(report.confidences) == 26


def test_evaluation_splits(sources_copy):
    from dxdata.evaluate import evaluate_reviews

    assert not any(is_blind(i) for i in SAMPLE)  # the sample is from the dev two thirds: tests never show blind sources
    assert evaluate_reviews("dev").files == 3
    assert evaluate_reviews("blind").files == 0


def test_evaluate_command_with_a_split(sources_copy, capsys):
    from dxdata.evaluate import cli_evaluate

    assert cli_evaluate([], quiet=False, split="dev") in (0, 1)
    out = capsys.readouterr().out
    assert "real corpus (dev): 3 passages" in out and "dti.score " in out and "engine precision by confidence" in out
    assert "qualifier" in out and "ref_year" in out
    assert cli_evaluate([], quiet=True, split="blind") == 2
    assert "no review files of split 'blind'" in capsys.readouterr().err


# --- the policy itself --------------------------------------------------------------------------------


def test_policy_queues_facts_below_the_threshold():
    from dxdata.model import Fact
    from dxdata.policy import AUTOMATIC, PublicationPolicy, apply_policy

    def fact(indicator_id, confidence):
        return Fact(indicator_id=indicator_id, province_code="93", province="Hậu Giang", ref_year=2022, ref_date=None, value=3,
                    unit="count", qualifier="exact", source_id="s", quote="q", quote_start=0, quote_end=1, method="test",
                    confidence=confidence)

    sure, edge, unsure = fact("ent.it_enterprises", 0.97), fact("ent.it_employees", 0.9), fact("workforce.it_staff_total", 0.89)
    outcome = apply_policy("s", [sure, edge, unsure], None, PublicationPolicy(0.9))
    assert outcome.published == [(sure, AUTOMATIC), (edge, AUTOMATIC)]
    assert outcome.queued == [unsure]
    assert outcome.counts() == {"reviewed": 0, "automatic": 2, "waiting": 1}
    # The default publishes no engine fact of an unreviewed source (the engine's confidence stays
    # below 1): every fact waits for an editor.
    default = apply_policy("s", [sure, fact("dti.rank", 0.99)], None, PublicationPolicy())
    assert default.published == [] and len(default.queued) == 2


def test_policy_setting_is_read_and_checked(monkeypatch):
    from dxdata.policy import DEFAULT_AUTOMATIC_THRESHOLD, PolicyError, current_policy

    monkeypatch.delenv("DXDATA_AUTOMATIC_THRESHOLD", raising=False)
    assert current_policy().automatic_threshold == DEFAULT_AUTOMATIC_THRESHOLD
    monkeypatch.setenv("DXDATA_AUTOMATIC_THRESHOLD", "0.75")
    assert current_policy().automatic_threshold == 0.75
    monkeypatch.setenv("DXDATA_AUTOMATIC_THRESHOLD", "high")
    with pytest.raises(PolicyError, match="DXDATA_AUTOMATIC_THRESHOLD='high'"):
        current_policy()


def test_reviewed_facts_carry_quote_offsets_and_the_ranking_size_from_the_quote(seed_article):
    from dxdata.policy import reviewed_facts

    review = load_review(SEED, seed_article.clean_text)
    facts = reviewed_facts(SEED, review, [])
    assert len(facts) == 26 and all(seed_article.clean_text[f.quote_start : f.quote_end] == f.quote for f in facts)
    assert {f.indicator_id: f.rank_of for f in facts if f.unit == "rank"} == {
        "dti.rank": 63, "dti.rank_digital_government": 63, "dti.rank_digital_economy": 63, "dti.rank_digital_society": 63}
    assert {f.method for f in facts} == {"review:accepted"} and {f.confidence for f in facts} == {1.0}


def test_the_policy_is_in_datapackage_json_and_a_new_threshold_alone_is_a_patch_release(tmp_path):
    import json

    from dxdata.policy import PublicationPolicy
    from dxdata.release import publish_release
    from release_fixtures import make_tables

    releases = tmp_path / "releases"
    first = publish_release(make_tables(), releases_dir=releases, policy=PublicationPolicy(0.95))
    policy = json.loads((first.path / "datapackage.json").read_text(encoding="utf-8"))["dxdata"]["publication_policy"]
    assert policy["automatic_threshold"] == 0.95 and set(policy["rules"]) == {"reviewed", "automatic", "transcribed"}
    assert sum(policy["facts_by_review"].values()) == sum(len(make_tables()[t]) for t in ("infrastructure", "e_government", "workforce", "enterprises", "rankings"))
    assert publish_release(make_tables(), releases_dir=releases, policy=PublicationPolicy(0.95)).version is None
    second = publish_release(make_tables(), releases_dir=releases, policy=PublicationPolicy(0.9))
    assert (second.version, second.bump) == ("1.0.1", "patch")

