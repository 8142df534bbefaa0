"""Check a whole sources folder before a run starts, fast and without Dagster.

`validate_sources(folder)` returns every problem of every article source (its text and its
sidecar, against the schema in `dxdata.sidecar`) and of the folder as a whole (a sidecar without
its text, an article id already used by a table source), each naming the file and the field.
`check_sources(folder)` raises `SourcesInvalid` listing them all. The command line calls it before
it starts a run, so one bad article is reported by name instead of failing inside the pipeline;
ingest applies the same per-article checks to files that arrive later.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dxdata import paths
from dxdata.ingest import discover_articles
from dxdata.sidecar import Problem, TableSidecar, problems_of_article, read_sidecar, table_source_ids


class SourcesInvalid(ValueError):
    """The sources folder has problems; `problems` lists them, the message shows them all."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(report(problems))


def report(problems: list[Problem]) -> str:
    files = len({p.file for p in problems})
    lines = [f"{len(problems)} problem(s) in {files} source file(s):"]
    lines += [f"  - {p}" for p in problems]
    return "\n".join(lines)


def validate_sources(folder: Path | None = None, *, today: date | None = None) -> list[Problem]:
    """Every problem of the article sources under `folder` (the sources root, holding articles/
    and tables/; default: the configured sources folder). An empty list means the run may start.
    `today` is the run date (default: today in Vietnam)."""
    root = Path(folder) if folder is not None else paths.sources_dir()
    articles = root / "articles"
    problems: list[Problem] = []
    if not root.is_dir():
        return [Problem(root, None, "sources folder not found")]
    tables = table_source_ids(root)  # read once for the whole folder
    texts = discover_articles(articles) if articles.is_dir() else []
    for txt in texts:
        model, _data, sidecar_problems = read_sidecar(txt.with_suffix(".json"))
        problems += sidecar_problems
        if model is not None:
            problems += problems_of_article(txt, sources_root=root, today=today, model=model, table_ids=tables)
        else:
            problems += _text_only(txt)
    problems += _table_problems(root)
    stems = {t.stem for t in texts}
    for sidecar in sorted(articles.glob("*.json")) if articles.is_dir() else []:
        if sidecar.stem not in stems:
            problems.append(Problem(sidecar, None, f"sidecar without its text file {sidecar.with_suffix('.txt').name}"))
    return problems


def table_sidecars(root: Path) -> list[Path]:
    """The sidecars of the table sources and registers under a sources folder."""
    return [*sorted((root / "tables").rglob("*.json")), *sorted((root / "registers").glob("*.json"))]


def _table_problems(root: Path) -> list[Problem]:
    """Each table or register sidecar against `TableSidecar`; no two of them share an id."""
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for sidecar in table_sidecars(root):
        model, _data, found = read_sidecar(sidecar, TableSidecar)
        problems += found
        if model is not None:
            if model.source_id in seen:
                problems.append(Problem(sidecar, "source_id", f"{model.source_id!r} is already the id of {seen[model.source_id]}"))
            seen.setdefault(model.source_id, sidecar)
    return problems


def _text_only(txt: Path) -> list[Problem]:
    """The text's own problems when its sidecar is unusable (they are reported with it)."""
    from dxdata.sidecar import SOURCE_ID, problems_of_text

    problems = [] if SOURCE_ID.fullmatch(txt.stem) else [
        Problem(txt, None, f"file name {txt.stem!r} is not a valid source id (must match {SOURCE_ID.pattern})")
    ]
    try:
        return problems + problems_of_text(txt, txt.read_bytes())
    except OSError as exc:
        return problems + [Problem(txt, None, f"cannot read the file ({exc.strerror or exc})")]


def check_sources(folder: Path | None = None, *, today: date | None = None) -> None:
    """Raise `SourcesInvalid` naming every problem of the sources folder; return when there is none."""
    problems = validate_sources(folder, today=today)
    if problems:
        raise SourcesInvalid(problems)
