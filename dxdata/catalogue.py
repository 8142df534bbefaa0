"""The indicator catalogue (`schemas/indicators.csv`): one row per indicator.

The first five columns (indicator_id, theme, unit, label_vi, definition_en) are the public
contract shared with `../shared/spec/indicators.csv`; further columns declare how the
extraction engine recognises the indicator in prose.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from dxdata import paths
from dxdata.model import THEMES, UNITS

CONTRACT_COLUMNS = ("indicator_id", "theme", "unit", "label_vi", "definition_en")


class CatalogueError(ValueError):
    pass


@lru_cache(maxsize=4)
def load_catalogue(path: Path | None = None) -> dict[str, dict[str, str]]:
    """indicator_id -> the row as a dict of strings, in file order."""
    path = path or paths.catalogue_path()
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in CONTRACT_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise CatalogueError(f"{path}: missing columns {missing}")
        rows: dict[str, dict[str, str]] = {}
        for line_no, row in enumerate(reader, start=2):
            iid = row["indicator_id"]
            if iid in rows:
                raise CatalogueError(f"{path}:{line_no}: duplicate indicator_id {iid!r}")
            if row["theme"] not in THEMES:
                raise CatalogueError(f"{path}:{line_no}: unknown theme {row['theme']!r} for {iid}")
            if row["unit"] not in UNITS:
                raise CatalogueError(f"{path}:{line_no}: unknown unit {row['unit']!r} for {iid}")
            rows[iid] = {k: (v or "") for k, v in row.items()}
    return rows


def theme_of(indicator_id: str) -> str | None:
    row = load_catalogue().get(indicator_id)
    return row["theme"] if row else None


def unit_of(indicator_id: str) -> str | None:
    row = load_catalogue().get(indicator_id)
    return row["unit"] if row else None
