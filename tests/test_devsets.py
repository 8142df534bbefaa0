"""Our dev sets (tests/devsets/<set>/): every file follows the gold convention, and the engine
scores at or above each set's floor, so an extraction change that loses facts, invents facts or
dates them wrongly fails CI.

The floors in tests/devsets/sets.csv are the scores of the engine when a set was last reviewed,
minus a small margin (0.01 for precision and recall, 0.02 for the share of matched facts whose
qualifier, ref_year and ref_date are all right). When the engine improves, raise the floor;
lower one only with the reason in the commit. Each set is extracted once, by whichever engine
build this process runs (pure Python or compiled). The gold convention: docs/gold-convention.md.
"""

from __future__ import annotations

import csv
import shutil
from functools import cache
from pathlib import Path

import pytest

from dxdata.evaluate import DatasetReport, evaluate_folder, read_gold
from test_devset_files import KINDS, check_devset

DEVSETS = Path(__file__).resolve().parent / "devsets"
MANIFEST = DEVSETS / "sets.csv"


def manifest() -> dict[str, dict]:
    with MANIFEST.open(encoding="utf-8", newline="") as fh:
        return {row["set"]: row for row in csv.DictReader(fh)}


SETS = sorted(manifest())


@cache
def report(name: str) -> DatasetReport:
    return evaluate_folder(DEVSETS / name, name)


def number(passage: Path) -> int:
    return int(passage.name.split("_", 1)[0])


def below_floor(r: DatasetReport, row: dict) -> list[str]:
    """Each score of the report under its floor, with the misses and false facts that explain it."""
    attributes = (r.matched - len(r.attribute_errors)) / r.matched if r.matched else 1.0
    scores = {"precision": r.score.precision, "recall": r.score.recall, "attributes": attributes}
    low = [f"{what} {value:.4f} < floor {row[f'{what}_floor']}" for what, value in scores.items() if value < float(row[f"{what}_floor"])]
    if low:
        low += [f"MISS {g.file}: {g.indicator_id} {g.province} {g.value:g} - {why}" for g, why in r.misses]
        low += [f"FALSE {name}: {f.indicator_id} {f.province} {f.value:g}" for name, f in r.false_facts]
        low += [f"ATTR {line}" for line in r.attribute_errors]
    return low


def test_manifest_lists_every_set_folder():
    folders = sorted(p.name for p in DEVSETS.iterdir() if p.is_dir())
    assert folders == SETS
    assert all(row["kind"] in KINDS for row in manifest().values())


def test_passage_numbers_are_unique_across_sets_and_within_each_range():
    seen: dict[int, str] = {}
    for name, row in manifest().items():
        for passage in sorted((DEVSETS / name).glob("*.txt")):
            n = number(passage)
            assert int(row["first"]) <= n <= int(row["last"]), f"{passage}: outside {row['first']}..{row['last']}"
            assert n not in seen, f"{passage}: number {n} is also used in {seen[n]}"
            seen[n] = name
    assert min(seen) > 45, "001-045 belong to the shared dev set"


@pytest.mark.parametrize("name", SETS)
def test_set_files_follow_the_gold_convention(name):
    row = manifest()[name]
    folder = DEVSETS / name
    assert check_devset(folder, row["kind"]) == []
    assert len(list(folder.glob("*.txt"))) == int(row["passages"])
    assert sum(len(read_gold(g)) for g in folder.glob("*.gold.csv")) == int(row["gold_rows"])


@pytest.mark.parametrize("name", SETS)
def test_engine_scores_at_or_above_the_set_floor(name):
    r = report(name)
    assert r.files == int(manifest()[name]["passages"])
    assert below_floor(r, manifest()[name]) == []


def test_a_regression_falls_below_the_floor(tmp_path):
    """The floor check can fail: in a copy of a set, three gold files give values the passages do
    not state (as a lost fact would look), and one gold row's date moves."""
    name = "passages-100"
    copy = tmp_path / name
    shutil.copytree(DEVSETS / name, copy)
    golds = [g for g in sorted(copy.glob("*.gold.csv")) if len(read_gold(g)) >= 3][:3]
    for gold in golds:
        lines = gold.read_text(encoding="utf-8").splitlines()
        header, rows = lines[0], [line.split(",") for line in lines[1:]]
        for fields in rows:
            fields[2] = str(float(fields[2]) * 3 + 7)
        gold.write_text("\n".join([header, *(",".join(f) for f in rows)]) + "\n", encoding="utf-8")
    low = below_floor(evaluate_folder(copy, name), manifest()[name])
    assert any(line.startswith("recall") for line in low) and any(line.startswith("precision") for line in low), low
    assert any(line.startswith("MISS") for line in low)
