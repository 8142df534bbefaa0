"""Where things live. Every path can be overridden by an environment variable so tests and
operators can point the pipeline at another sources folder or warehouse.

Two layouts are supported: a checkout (the code beside `sources/`, `warehouse/`), and an
installed wheel, where the catalogue and views ship inside the `schemas` package and the
bundled sources as the `dxdata_sources` package (pyproject.toml). In a wheel there is no
checkout folder to write to, so the default warehouse is `./warehouse` under the working
directory; set DXDATA_WAREHOUSE (or `dxdata release --warehouse`) to put it elsewhere.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import schemas

REPO_ROOT = Path(__file__).resolve().parent.parent
SCHEMAS_DIR = Path(schemas.__file__).resolve().parent
# A checkout is recognised by its sources folder with the file describing it.
IN_CHECKOUT = (REPO_ROOT / "sources" / "SOURCES.md").is_file()


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).resolve() if value else default


def bundled_sources_dir() -> Path:
    """The sources that come with the code: `sources/` of a checkout, else the installed
    `dxdata_sources` package."""
    if IN_CHECKOUT:
        return REPO_ROOT / "sources"
    spec = importlib.util.find_spec("dxdata_sources")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("no bundled sources: neither a checkout's sources/ nor the dxdata_sources package")
    return Path(list(spec.submodule_search_locations)[0])


def sources_dir() -> Path:
    """Source documents: articles/, tables/ (and registers/ in the bundled copy)."""
    return _env_path("DXDATA_SOURCES", bundled_sources_dir())


def articles_dir() -> Path:
    return sources_dir() / "articles"


def tables_dir() -> Path:
    return sources_dir() / "tables"


def registers_dir() -> Path:
    """The province register travels with the code: it is reference data, not a source that
    operators add to, so it does not follow DXDATA_SOURCES."""
    return _env_path("DXDATA_REGISTERS", bundled_sources_dir() / "registers")


def warehouse_dir() -> Path:
    return _env_path("DXDATA_WAREHOUSE", REPO_ROOT / "warehouse" if IN_CHECKOUT else Path.cwd() / "warehouse")


def snapshots_dir() -> Path:
    """Raw captured pages (`dxdata add`), gzip-compressed and named by their sha256."""
    return warehouse_dir() / "snapshots"


def watch_list_path() -> Path:
    return sources_dir() / "watch.csv"


def releases_dir() -> Path:
    return warehouse_dir() / "releases"


def catalogue_path() -> Path:
    return SCHEMAS_DIR / "indicators.csv"


def views_dir() -> Path:
    """The SQL views every release's dx.duckdb gets (package data of `schemas`)."""
    return SCHEMAS_DIR / "views"


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
