"""Where things live. Every path can be overridden by an environment variable so tests and
operators can point the pipeline at another sources folder or warehouse."""

from __future__ import annotations

import os
import re
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


# A name that becomes one path component (a partition key, a source id used as a file name):
# letters (any script), digits, '_', '.', '-' and inner spaces, starting with a letter or digit,
# so never '..', '/', a control character or empty.
SAFE_NAME = re.compile(r"\w(?:[\w .-]{0,198}[\w.-])?")


class UnsafeName(ValueError):
    """A name from outside (UI, API, a file) that would not stay one component of a path."""


def safe_name(name: object, what: str = "partition key") -> str:
    """`name` unchanged when it is safe as a single path component; UnsafeName otherwise. Called
    wherever a key from outside becomes part of a path, so `../x` never leaves its folder."""
    if not isinstance(name, str) or not SAFE_NAME.fullmatch(name) or ".." in name:
        raise UnsafeName(
            f"{what} {name!r} is not a safe name (letters, digits, '.', '_', '-', inner spaces; no '..' or '/'); "
            "refusing to use it as a file name"
        )
    return name
