"""Where things live. Every path can be overridden by an environment variable so tests and
operators can point the pipeline at another sources folder or warehouse."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).resolve() if value else default


def sources_dir() -> Path:
    """Bundled source documents: articles/, tables/, registers/."""
    return _env_path("DXDATA_SOURCES", REPO_ROOT / "sources")


def articles_dir() -> Path:
    return sources_dir() / "articles"


def tables_dir() -> Path:
    return sources_dir() / "tables"


def registers_dir() -> Path:
    """The province register travels with the code: it is reference data, not a source that
    operators add to, so it does not follow DXDATA_SOURCES."""
    return _env_path("DXDATA_REGISTERS", REPO_ROOT / "sources" / "registers")


def warehouse_dir() -> Path:
    return _env_path("DXDATA_WAREHOUSE", REPO_ROOT / "warehouse")


def snapshots_dir() -> Path:
    """Raw captured pages (`dxdata add`), gzip-compressed and named by their sha256."""
    return warehouse_dir() / "snapshots"


def watch_list_path() -> Path:
    return sources_dir() / "watch.csv"


def releases_dir() -> Path:
    return warehouse_dir() / "releases"


def catalogue_path() -> Path:
    return REPO_ROOT / "schemas" / "indicators.csv"
