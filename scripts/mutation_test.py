#!/usr/bin/env python3
"""Mutation testing of the release code with mutmut: which small code changes no test notices.

    .venv/bin/python scripts/mutation_test.py                 # every mutant (long: see docs/testing.md)
    .venv/bin/python scripts/mutation_test.py --sample 150    # a reproducible random sample
    .venv/bin/python scripts/mutation_test.py --only 'dxdata.release.x_gate*'

It copies the repository into a scratch folder (mutmut writes a `mutants/` tree next to the code
it mutates, and nothing of that belongs in the worktree), writes mutmut's configuration there,
mutates dxdata/release.py, publish.py, verify.py and ingest.py, and runs only the tests of those
modules (FAST_TESTS) against each mutant. It prints the survivors; docs/testing.md lists them,
each killed by a test or explained. Not run in CI: a full run takes tens of minutes.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MUTATED = ["dxdata/release.py", "dxdata/publish.py", "dxdata/verify.py", "dxdata/ingest.py"]
# The tests that exercise those modules directly; the pipeline and UI tests would cost minutes
# per mutant and add little for these four files.
FAST_TESTS = [
    "tests/test_release.py",
    "tests/test_release_duckdb.py",
    "tests/test_release_diff.py",
    "tests/test_release_catalogue.py",
    "tests/test_publish_s3.py",
    "tests/test_verify.py",
    "tests/test_ingest.py",
    "tests/test_ingest_pages.py",
    "tests/test_verify_reports.py",
    "tests/test_release_patch.py",
    "tests/test_release_contents.py",
]
COPIED = ["dxdata", "schemas", "pipelines", "sources", "tests", "pyproject.toml"]
MUTANT_LINE = re.compile(r"^\s*(\S+\.x_\S+__mutmut_\d+):\s*(\S.*)$")


def config_text() -> str:
    def block(key: str, values: list[str]) -> str:
        return f"{key} =\n" + "".join(f"    {v}\n" for v in values)

    return (
        "[mutmut]\n"
        "source_paths = dxdata\n"
        + block("only_mutate", MUTATED)
        + block("also_copy", ["schemas", "pipelines", "sources"])
        + block("pytest_add_cli_args_test_selection", [t for t in FAST_TESTS if (REPO / t).exists()])
        + block("pytest_add_cli_args", ["-p", "no:cacheprovider", "-q"])
        + "use_git_change_detection = false\n"
    )


def scratch_copy(root: Path) -> Path:
    work = root / "repo"
    work.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.so", ".build", "mutants")
    for name in COPIED:
        src = REPO / name
        (shutil.copytree(src, work / name, ignore=ignore) if src.is_dir() else shutil.copy2(src, work / name))
    # mutmut reads [tool.mutmut] from pyproject.toml first; ours has none, so setup.cfg applies.
    (work / "setup.cfg").write_text(config_text(), encoding="utf-8")
    return work


def mutmut(work: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(work), "DXDATA_PURE_PYTHON": "1"}
    env.pop("DXDATA_WAREHOUSE", None)
    return subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=work, env=env, text=True,
                          capture_output=True, check=check)


def results(work: Path) -> dict[str, str]:
    out = mutmut(work, "results", "--all", "true").stdout
    return {m.group(1): m.group(2) for line in out.splitlines() if (m := MUTANT_LINE.match(line))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=0, help="run only N mutants drawn at random (seeded)")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--only", nargs="*", default=[], help="mutant name globs, e.g. dxdata.release.x_gate*")
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (mutmut show/apply there)")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="dxdata-mutmut-"))
    try:
        work = scratch_copy(root)
        names = list(args.only)
        if args.sample:
            # A run selecting nothing generates every mutant and the test-coverage stats; then
            # draw the sample from the generated names.
            mutmut(work, "run", "--max-children", str(args.max_children), "no-such-mutant", check=False)
            generated = sorted(results(work))
            names = sorted(random.Random(args.seed).sample(generated, min(args.sample, len(generated))))
            print(f"{len(generated)} mutants generated; running a sample of {len(names)} (seed {args.seed})")
        run = mutmut(work, "run", "--max-children", str(args.max_children), *names, check=False)
        statuses = results(work)
        if names:
            statuses = {n: s for n, s in statuses.items() if n in set(names) or any(Path(n).match(g) for g in names)}
        counts: dict[str, int] = {}
        for status in statuses.values():
            counts[status] = counts.get(status, 0) + 1
        print("mutants by outcome:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none")
        survivors = [n for n, s in sorted(statuses.items()) if s in ("survived", "no tests")]
        for name in survivors:
            print(f"\n=== {name} ({statuses[name]})")
            print(mutmut(work, "show", name, check=False).stdout.strip())
        if not statuses or set(statuses.values()) == {"not checked"}:
            print(run.stdout[-3000:], run.stderr[-3000:], sep="\n")
            return 2
        if args.keep:
            print(f"\nscratch copy kept at {work}")
        return 1 if survivors else 0
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
