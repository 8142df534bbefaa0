"""Benchmark of `dxdata release` at scale (issue 12), printed as a table.

For each N, N synthetic articles are written to a temporary folder (never into sources/): copies
of the test passages (tests/devsets/*), each under its own source_id,
publication date and sidecar. Then, side by side in the same run:

  extract w=K  ingest, then extraction alone with K worker processes (K = 1 and 2);
  floor        the same work done by the project's own functions without Dagster (ingest,
               extract, publication policy, quarantine, tables, conflicts, checks, publish),
               serially in one process or with the same worker processes;
  first        `dxdata release` (the README's command) on the N articles, fresh warehouse;
  add one      one more article, `dxdata release` again;
  change one   one article's text changed;
  nothing      nothing changed.

Each row gives wall time, CPU time (the release process and its worker processes), peak RSS (sum
over the process tree, sampled), the Dagster events written by the run, and rows per table of the
latest release. The machine may be shared: compare rows measured in the same run, as ratios.

    python scripts/benchmark_release.py --sizes 1000,10000 [--workers N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from datetime import date
from pathlib import Path

import psutil  # installed with Dagster

REPO = Path(__file__).resolve().parent.parent
DEVSETS = REPO / "tests" / "devsets"


def passages() -> list[str]:
    """The texts of every dev set (tests/devsets/<kind>-<number>/*.txt), in a fixed order."""
    found = []
    for folder in sorted(p for p in DEVSETS.iterdir() if p.is_dir()):
        found += sorted(folder.glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in found]


def write_article(folder: Path, index: int, text: str) -> str:
    """One synthetic article and its sidecar; returns its source_id."""
    source_id = f"bench_{index:06d}"
    path = folder / f"{source_id}.txt"
    path.write_text(text, encoding="utf-8")
    month = index % 60
    published = date(2020 + month // 12, month % 12 + 1, 1 + index % 28)
    sidecar = {
        "source_id": source_id,
        "kind": "article",
        "title": unicodedata.normalize("NFC", text.strip().splitlines()[0][:200]) if text.strip() else source_id,
        "publisher": "Benchmark (synthetic copy of a test passage, never published)",
        "published_at": f"{published.isoformat()}T08:00:00+07:00",
        "url": f"https://example.invalid/{source_id}",
        "language": "vi",
        "licence": "Synthetic benchmark input",
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }
    path.with_suffix(".json").write_text(json.dumps(sidecar, ensure_ascii=False), encoding="utf-8")
    return source_id


def make_sources(root: Path, n: int) -> Path:
    """A sources folder with the bundled tables and registers and N synthetic articles."""
    shutil.copytree(REPO / "sources", root, ignore=lambda d, names: names if Path(d).name == "articles" else [])
    texts = passages()
    for i in range(n):
        write_article(root / "articles", i, texts[i % len(texts)])
    return root


def measure(cmd: list[str], env: dict) -> dict:
    """Run a command; wall time, CPU time and peak RSS of its whole process tree."""
    started = time.monotonic()
    proc = psutil.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    cpu: dict[int, float] = {}
    peak = 0
    output: list[str] = []
    import threading

    reader = threading.Thread(target=lambda: output.extend(proc.stdout), daemon=True)
    reader.start()
    while proc.poll() is None:
        try:
            tree = [proc, *proc.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        rss = 0
        for p in tree:
            try:
                times = p.cpu_times()
                # Each process's own time only: a parent's children_* times repeat its reaped
                # children (the worker processes), which are sampled themselves.
                cpu[p.pid] = times.user + times.system
                rss += p.memory_info().rss
            except psutil.Error:
                pass
        peak = max(peak, rss)
        time.sleep(0.2)
    reader.join(timeout=10)
    return {
        "wall": time.monotonic() - started,
        "cpu": sum(cpu.values()),
        "rss": peak,
        "code": proc.returncode,
        "output": "".join(output),
    }


def run_events(home: Path, seen: set[str]) -> int:
    """Events written by the run the command started (0 when it started none)."""
    from dagster import DagsterInstance

    if not home.is_dir():
        return 0
    with DagsterInstance.from_config(str(home)) as instance:
        runs = [r for r in instance.get_runs(limit=1) if r.run_id not in seen]
        seen.update(r.run_id for r in runs)
        return len(instance.all_logs(runs[0].run_id)) if runs else 0


def release_rows(warehouse: Path) -> dict[str, int]:
    import pyarrow.parquet as pq

    releases = warehouse / "releases"
    latest = releases / "LATEST"
    if not latest.exists():
        return {}
    folder = releases / latest.read_text().strip()
    return {p.stem: pq.read_metadata(p).num_rows for p in sorted(folder.glob("*.parquet")) if p.stem != "changes"}


def floor(sources: Path, warehouse: Path, workers: int) -> None:
    """The release's work without Dagster, with the project's own functions."""
    os.environ["DXDATA_SOURCES"] = str(sources)
    import pandas as pd

    from dxdata.conflicts import find_conflicts
    from dxdata.ingest import discover_articles
    from dxdata.official import official_dti_facts, press_dti_facts, reference_tables, table_source_records
    from dxdata.policy import apply_policy, current_policy
    from dxdata.release import publish_release
    from dxdata.reviews import load_review
    from dxdata.tables import facts_frame, frame_for, indicators_frame, split_fact_tables
    from pipelines.cache import parallel_map
    from pipelines.extraction import extraction_rows_frame
    from pipelines.quarantine import split_quarantine
    from pipelines.review import _engine_facts, policy_frame, policy_rows
    from pipelines.sources import scan_articles
    from pipelines.tables import conform, typed_facts
    from pipelines.tasks import extract_source, ingest_source
    from schemas.tables import validate_table

    scan_articles(sources / "articles")
    texts = parallel_map(ingest_source, [(str(p), str(sources)) for p in discover_articles(sources / "articles")], workers)
    extracted = parallel_map(extract_source, texts, workers)
    found = extraction_rows_frame([row for rows in extracted for row in rows])
    # The publication policy, as the source_facts step applies it: editor reviews, else the
    # engine's facts at or above the automatic threshold; the others wait in the review queue.
    engine, policy, reviews = _engine_facts(found), current_policy(), sources / "reviews"
    published = []
    for text in texts:
        review = load_review(text["source_id"], text["clean_text"], reviews)
        published += policy_rows(apply_policy(text["source_id"], engine.get(text["source_id"], []), review, policy))
    published = policy_frame(published)
    published = published[published["review"] != "queued"].reset_index(drop=True)
    kept, _held = split_quarantine(published[list(facts_frame([]).columns)])
    facts = pd.concat([typed_facts(kept), facts_frame(official_dti_facts()), facts_frame(press_dti_facts())], ignore_index=True)
    tables = {name: conform(name, df) for name, df in split_fact_tables(facts).items()}
    records = [json.loads(t["source_record_json"]) for t in texts] + list(table_source_records())
    tables["sources"] = conform("sources", frame_for("sources", records).sort_values("source_id", kind="mergesort"))
    tables["indicators"] = conform("indicators", indicators_frame())
    tables.update({name: conform(name, df) for name, df in reference_tables().items()})
    tables["conflicts"] = conform("conflicts", find_conflicts(facts))
    outcomes = [validate_table(name, df) for name, df in tables.items()]
    publish_release(tables, releases_dir=warehouse / "releases", check_outcomes=outcomes)


def extraction_only(sources: Path, workers: int) -> None:
    """Ingest and extraction alone, with the given number of worker processes (no cache)."""
    from dxdata.ingest import discover_articles
    from pipelines.cache import parallel_map
    from pipelines.tasks import extract_source, ingest_source

    texts = parallel_map(ingest_source, [(str(p), str(sources)) for p in discover_articles(sources / "articles")], 1)
    started = time.monotonic()
    parallel_map(extract_source, texts, workers, min_parallel=0)
    print(f"extraction {time.monotonic() - started:.2f}")


def line(label: str, n: int, m: dict, events, rows: dict) -> str:
    total = sum(rows.values()) if rows else 0
    ev = "-" if events is None else str(events)
    status = "" if m["code"] == 0 else f"  EXIT {m['code']}"
    return f"{n:>7} {label:<12} {m['wall']:8.1f} {m['cpu']:8.1f} {m['rss'] / 2**20:8.0f} {ev:>7} {total:>8}{status}"


def bench(n: int, workers: int | None, keep: bool) -> None:
    root = Path(tempfile.mkdtemp(prefix=f"dxbench{n}_"))
    try:
        started = time.monotonic()
        sources = make_sources(root / "sources", n)
        print(f"# N={n}: {n} articles generated in {time.monotonic() - started:.1f} s under {root}", flush=True)
        base_env = {**os.environ, "PYTHONPATH": str(REPO), "DXDATA_SOURCES": str(sources)}
        if workers is not None:
            base_env["DXDATA_WORKERS"] = str(workers)

        timings = {}
        for count in (1, 2):
            m = measure([sys.executable, __file__, "--extraction-run", str(sources), str(count)], base_env)
            timings[count] = float(m["output"].split("extraction ")[-1].split()[0]) if m["code"] == 0 else float("nan")
            print(line(f"extract w={count}", n, m, None, {}) + f"   (extraction alone {timings[count]:.1f} s)", flush=True)
        print(f"# N={n}: extraction speed-up with 2 workers: {timings[1] / timings[2]:.2f}x (load average {os.getloadavg()[0]:.1f})", flush=True)

        floor_wh = root / "floor"
        m = measure([sys.executable, __file__, "--floor-run", str(sources), str(floor_wh), str(workers or 0)], {**base_env, "DXDATA_WAREHOUSE": str(floor_wh)})
        print(line("floor", n, m, None, release_rows(floor_wh)), flush=True)
        if m["code"]:
            print(m["output"][-3000:])

        warehouse = root / "warehouse"
        env = {**base_env, "DXDATA_WAREHOUSE": str(warehouse), "DAGSTER_HOME": str(warehouse / ".dagster")}
        command = [sys.executable, "-m", "dxdata.cli", "release"]
        texts = passages()
        seen: set[str] = set()
        for label, prepare in (
            ("first", lambda: None),
            ("add one", lambda: write_article(sources / "articles", n, texts[n % len(texts)] + "\n")),
            ("change one", lambda: write_article(sources / "articles", 0, texts[0] + "\nThêm một dòng.\n")),
            ("nothing", lambda: None),
        ):
            prepare()
            m = measure(command, env)
            print(line(label, n, m, run_events(warehouse / ".dagster", seen), release_rows(warehouse)), flush=True)
            if m["code"]:
                print(m["output"][-3000:])
        rows = release_rows(warehouse)
        print(f"# N={n} rows per table: " + ", ".join(f"{k} {v}" for k, v in rows.items()), flush=True)
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def main() -> int:
    if sys.argv[1:2] == ["--extraction-run"]:
        extraction_only(Path(sys.argv[2]), int(sys.argv[3]))
        return 0
    if sys.argv[1:2] == ["--floor-run"]:
        sources, warehouse, workers = sys.argv[2:5]
        floor(Path(sources), Path(warehouse), int(workers))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated numbers of articles")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: every core)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders")
    args = parser.parse_args()
    print(f"# {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; {len(passages())} test passages")
    print(f"{'N':>7} {'run':<12} {'wall s':>8} {'cpu s':>8} {'RSS MB':>8} {'events':>7} {'rows':>8}")
    for n in [int(x) for x in args.sizes.split(",") if x.strip()]:
        bench(n, args.workers, args.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
