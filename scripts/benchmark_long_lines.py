#!/usr/bin/env python3
"""Peak memory and time of extraction on one very long line (no sentence end), the shape that
made both grow with the square of the line's length (issue 10, item 3).

Each case runs in its own child process, so the peak resident set size (ru_maxrss) it reports is
that case's alone. Texts are generated in memory from the bundled seed article, nothing is
written. Usage:

    .venv/bin/python scripts/benchmark_long_lines.py [--kb 185] [--rank-kb 80] [--json]

Figures: characters, wall seconds, peak RSS (MiB), facts, candidates, the longest quote kept.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED = REPO_ROOT / "sources" / "articles" / "000_a63f0aa6a1ed3e39.txt"


def one_line_seed(chars: int) -> str:
    """The seed article's prose as one line: line breaks and full stops become commas, so the
    sentence splitter finds no end, repeated until `chars` characters."""
    body = re.sub(r"[.!?…]+(?=\s)", ",", SEED.read_text(encoding="utf-8")).replace("\n", " ")
    return (body * (chars // len(body) + 1))[:chars]


def rank_run(chars: int) -> str:
    piece = "Hậu Giang xếp thứ 1/63, "
    return (piece * (chars // len(piece) + 1))[:chars]


def rank_lines(chars: int) -> str:
    """The same ranks, one sentence per line: one paragraph per rank."""
    piece = "Hậu Giang xếp thứ 1/63 về chỉ số DTI.\n"
    return (piece * (chars // len(piece) + 1))[:chars]


CASES = {"seed_one_line": one_line_seed, "rank_run": rank_run, "rank_lines": rank_lines}


def child(case: str, chars: int) -> None:
    sys.path.insert(0, str(REPO_ROOT))
    from datetime import date

    from dxdata.compiled import ENGINE_BUILD
    from dxdata.extract import extract_article
    from dxdata.model import Article

    text = CASES[case](chars)
    article = Article("bench", None, text + "\n", date(2022, 5, 5), {})
    extract_article(Article("warm", None, "Hậu Giang xếp thứ 1/63.\n", date(2022, 5, 5), {}))
    t0 = time.perf_counter()
    result = extract_article(article)
    seconds = time.perf_counter() - t0
    every = result.facts + result.candidates + result.targets
    print(json.dumps({
        "case": case, "chars": len(text), "seconds": round(seconds, 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "facts": len(result.facts), "candidates": len(result.candidates), "targets": len(result.targets),
        "longest_quote": max((len(f.quote) for f in every), default=0), "engine": ENGINE_BUILD,
    }))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kb", type=int, default=185, help="size of the one-line seed text, KB of characters")
    ap.add_argument("--rank-kb", type=int, default=80, help="size of the repeated-rank texts (one line, and one rank per line)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return 0
    rows = []
    for case, kb in (("seed_one_line", args.kb), ("rank_run", args.rank_kb), ("rank_lines", args.rank_kb)):
        out = subprocess.run([sys.executable, __file__, "--child", case, str(kb * 1000)], capture_output=True, text=True)
        if out.returncode:
            rows.append({"case": case, "chars": kb * 1000, "error": f"exit {out.returncode}: {out.stderr.strip()[-300:]}"})
        else:
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    for r in rows:
        if "error" in r:
            print(f"{r['case']:14} {r['chars']:>8,} chars  {r['error']}")
            continue
        print(f"{r['case']:14} {r['chars']:>8,} chars  {r['seconds']:>7.2f} s  peak RSS {r['peak_rss_mib']:>8.1f} MiB  "
              f"facts {r['facts']:>5}  candidates {r['candidates']:>5}  longest quote {r['longest_quote']:>7,} chars  ({r['engine']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
