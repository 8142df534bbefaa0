"""Score the extraction engine against hand-checked gold files.

A folder holds `NNN_slug.txt` passages and `NNN_slug.gold.csv` files with the columns
indicator_id, province, value, qualifier, ref_year, ref_date. An extracted fact matches a gold
row when indicator and province agree and the value is within 0.5 %; qualifier, ref_year and
ref_date are scored separately on the matched pairs. Precision, recall and F1 are printed per
dataset, overall and per theme, with every miss and every false fact.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from dxdata import paths
from dxdata.catalogue import load_catalogue
from dxdata.model import Fact
from dxdata.provinces import name_key

GOLD_COLUMNS = ("indicator_id", "province", "value", "qualifier", "ref_year", "ref_date")
VALUE_TOLERANCE = 0.005
TARGET_PRECISION = 0.98
TARGET_RECALL = 0.95


class GoldError(ValueError):
    pass


@dataclass
class GoldRow:
    file: str
    indicator_id: str
    province: str
    value: float
    qualifier: str
    ref_year: int | None
    ref_date: str | None


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class DatasetReport:
    name: str
    path: Path
    files: int = 0
    score: Score = field(default_factory=Score)
    by_theme: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    qualifier_ok: int = 0
    ref_year_ok: int = 0
    ref_date_ok: int = 0
    matched: int = 0
    misses: list[tuple[GoldRow, str]] = field(default_factory=list)
    false_facts: list[tuple[str, Fact]] = field(default_factory=list)
    attribute_errors: list[str] = field(default_factory=list)

    @property
    def meets_targets(self) -> bool:
        return self.score.precision >= TARGET_PRECISION and self.score.recall >= TARGET_RECALL


def read_gold(path: Path) -> list[GoldRow]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in GOLD_COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise GoldError(f"{path}: missing gold columns {missing}")
            rows = []
            for line_no, row in enumerate(reader, start=2):
                try:
                    rows.append(
                        GoldRow(
                            file=path.name,
                            indicator_id=row["indicator_id"].strip(),
                            province=row["province"].strip(),
                            value=float(row["value"]),
                            qualifier=(row["qualifier"] or "exact").strip(),
                            ref_year=int(row["ref_year"]) if row["ref_year"].strip() else None,
                            ref_date=row["ref_date"].strip() or None,
                        )
                    )
                except (TypeError, ValueError) as exc:
                    raise GoldError(f"{path}:{line_no}: bad gold row ({exc})") from exc
            return rows
    except OSError as exc:
        raise GoldError(f"{path}: cannot read ({exc})") from exc


def value_matches(extracted: float, gold: float) -> bool:
    if gold == 0:
        return abs(extracted) < 1e-12
    return abs(extracted - gold) <= VALUE_TOLERANCE * abs(gold)


def _province_key(name: str | None) -> str:
    if not name:
        return ""
    from dxdata.provinces import load_register

    found = load_register().lookup(name)
    return found.code if found else name_key(name)


def evaluate_folder(folder: Path, name: str | None = None) -> DatasetReport:
    """Extract every passage in the folder that has a gold file and score it."""
    from dxdata.extract import article_from_file, extract_article

    folder = Path(folder)
    report = DatasetReport(name or folder.name, folder)
    catalogue = load_catalogue()
    for gold_path in sorted(folder.glob("*.gold.csv")):
        txt = gold_path.with_name(gold_path.name[: -len(".gold.csv")] + ".txt")
        if not txt.exists():
            raise GoldError(f"{gold_path}: no passage {txt.name} next to it")
        gold = read_gold(gold_path)
        article = article_from_file(txt)
        facts = extract_article(article).facts
        report.files += 1
        unmatched = list(facts)
        for g in gold:
            theme = catalogue.get(g.indicator_id, {}).get("theme", "unknown")
            hit = None
            for f in unmatched:
                if (
                    f.indicator_id == g.indicator_id
                    and _province_key(f.province) == _province_key(g.province)
                    and value_matches(f.value, g.value)
                ):
                    hit = f
                    break
            if hit is None:
                report.score.fn += 1
                report.by_theme[theme].fn += 1
                near = [f for f in facts if f.indicator_id == g.indicator_id]
                why = (
                    "extracted " + ", ".join(f"{f.value:g} ({f.province})" for f in near) if near else "not extracted"
                )
                report.misses.append((g, why))
                continue
            unmatched.remove(hit)
            report.score.tp += 1
            report.by_theme[theme].tp += 1
            report.matched += 1
            ok_q = hit.qualifier == g.qualifier
            ok_y = hit.ref_year == g.ref_year
            ok_d = (hit.ref_date or None) == g.ref_date
            report.qualifier_ok += ok_q
            report.ref_year_ok += ok_y
            report.ref_date_ok += ok_d
            if not (ok_q and ok_y and ok_d):
                report.attribute_errors.append(
                    f"{g.file}: {g.indicator_id} {g.province} {g.value:g}: "
                    f"qualifier {hit.qualifier} (gold {g.qualifier}), ref_year {hit.ref_year} (gold {g.ref_year}), "
                    f"ref_date {hit.ref_date} (gold {g.ref_date})"
                )
        for f in unmatched:
            theme = catalogue.get(f.indicator_id, {}).get("theme", "unknown")
            report.score.fp += 1
            report.by_theme[theme].fp += 1
            report.false_facts.append((gold_path.name, f))
    return report


def _line(label: str, s: Score) -> str:
    return f"  {label:<16} P {s.precision:6.3f}  R {s.recall:6.3f}  F1 {s.f1:6.3f}   (tp {s.tp}, fp {s.fp}, fn {s.fn})"


def print_report(reports: list[DatasetReport], *, quiet: bool, out=None) -> None:
    out = out or sys.stdout
    total = Score()
    themes: dict[str, Score] = defaultdict(Score)
    for r in reports:
        total.add(r.score)
        for t, s in r.by_theme.items():
            themes[t].add(s)
        m = r.matched or 1
        verdict = "meets targets" if r.meets_targets else "BELOW TARGET"
        print(f"{r.name}: {r.files} passages, {r.path}", file=out)
        print(_line("facts", r.score) + f"   {verdict}", file=out)
        print(
            f"  {'attributes':<16} qualifier {r.qualifier_ok}/{r.matched} ({r.qualifier_ok / m:.3f}), "
            f"ref_year {r.ref_year_ok}/{r.matched} ({r.ref_year_ok / m:.3f}), "
            f"ref_date {r.ref_date_ok}/{r.matched} ({r.ref_date_ok / m:.3f})",
            file=out,
        )
        for t in sorted(r.by_theme):
            print(_line(t, r.by_theme[t]), file=out)
        if not quiet:
            for g, why in r.misses:
                print(f"  MISS  {g.file}: {g.indicator_id} {g.province} {g.value:g} ({g.qualifier}, {g.ref_year}) - {why}", file=out)
            for name, f in r.false_facts:
                print(
                    f"  FALSE {name}: {f.indicator_id} {f.province} {f.value:g} ({f.qualifier}, {f.ref_year}) "
                    f"[{f.method}] \"{f.quote[:140]}\"",
                    file=out,
                )
            for line in r.attribute_errors:
                print(f"  ATTR  {line}", file=out)
        print(file=out)
    print("overall", file=out)
    print(_line("facts", total), file=out)
    for t in sorted(themes):
        print(_line(t, themes[t]), file=out)
    print(f"targets: precision >= {TARGET_PRECISION}, recall >= {TARGET_RECALL} on every set", file=out)


DEVSETS_DIR = paths.REPO_ROOT / "tests" / "devsets"


def default_sets() -> list[tuple[str, Path]]:
    """The seed and the shared dev set beside the repository, then every dev set of our own
    (tests/devsets/<name>/, one gold convention: docs/gold-convention.md)."""
    root = paths.REPO_ROOT
    own = sorted(p for p in DEVSETS_DIR.iterdir() if p.is_dir()) if DEVSETS_DIR.is_dir() else []
    return [
        ("seed", (root / ".." / "shared" / "seed").resolve()),
        ("shared devset", (root / ".." / "shared" / "devset").resolve()),
        *((f"tests/devsets/{p.name}", p) for p in own),
    ]


def cli_evaluate(paths_: list[Path], *, quiet: bool) -> int:
    """`dxdata evaluate`: exit 0 when every set meets the targets, 1 otherwise, 2 on bad input."""
    sets = [(str(p), Path(p)) for p in paths_] if paths_ else default_sets()
    reports = []
    for name, folder in sets:
        if not folder.is_dir():
            if paths_:
                print(f"error: {folder}: not a folder of passages and gold files", file=sys.stderr)
                return 2
            print(f"note: {name} skipped ({folder} not found)")
            continue
        if not any(folder.glob("*.gold.csv")):
            print(f"note: {name} skipped (no *.gold.csv in {folder})")
            continue
        try:
            reports.append(evaluate_folder(folder, name))
        except (GoldError, ValueError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if not reports:
        print("error: no gold files found", file=sys.stderr)
        return 2
    print_report(reports, quiet=quiet)
    return 0 if all(r.meets_targets for r in reports) else 1
