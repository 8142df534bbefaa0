"""Which build of the extraction engine this process runs: mypyc-compiled or pure Python.

`make compile` (scripts/compile_engine.py) compiles the engine's modules, unchanged, into C
extension modules under .build/engine/ together with stamp.json, which records the sha256 of each
source file it was built from, the Python version and the extension suffix. At `import dxdata`,
`use_best_engine` puts that directory in front of the package's own, so `dxdata.extract` and the
other compiled modules load from the extensions, but only if the stamp still matches the
current sources exactly; otherwise the pure-Python modules run (same output, slower).

  DXDATA_PURE_PYTHON=1   always run pure Python
  DXDATA_ENGINE_DIR=DIR  look for the build in DIR instead of .build/engine

`ENGINE_BUILD` says in words which build was chosen (benchmarks and reports print it).
This module must not import the rest of dxdata: it runs before any engine module is imported.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import sysconfig
import warnings
from collections.abc import Mapping, MutableSequence
from dataclasses import dataclass
from pathlib import Path

PURE_PYTHON_ENV = "DXDATA_PURE_PYTHON"
ENGINE_DIR_ENV = "DXDATA_ENGINE_DIR"
SOURCE_DIR = Path(__file__).resolve().parent
DEFAULT_BUILD_DIR = SOURCE_DIR.parent / ".build" / "engine"
STAMP_NAME = "stamp.json"
STAMP_FORMAT = 1
PURE = "pure Python"


class StaleCompiledEngineWarning(UserWarning):
    """A compiled engine build exists but no longer matches the sources, so pure Python runs."""


@dataclass(frozen=True)
class EngineChoice:
    """The outcome of `choose_engine`: which build to run and why."""

    compiled: bool
    description: str  # the value of ENGINE_BUILD
    build_dir: Path | None = None  # set when compiled
    modules: tuple[str, ...] = ()  # compiled module names (extract, numbers, ...)
    stale_reason: str | None = None  # set when a build exists but cannot be used

    @property
    def warning(self) -> str | None:
        if self.stale_reason is None:
            return None
        return (f"the compiled extraction engine in {self.build_dir} is stale ({self.stale_reason}); "
                "running the pure-Python engine instead (identical output, slower). "
                "`make compile` rebuilds it; DXDATA_PURE_PYTHON=1 silences this warning.")


def python_version() -> str:
    """'3.11.7' (what platform.python_version() says, without importing platform)."""
    return sys.version.split()[0]


def file_digest(path: Path) -> str:
    """sha256 of a file's bytes; '' when it does not exist (so a deleted source counts as changed)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return ""


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() not in ("", "0", "false", "no")


def _stale(build_dir: Path, reason: str) -> EngineChoice:
    return EngineChoice(compiled=False, description=f"{PURE} (compiled build is stale: {reason})",
                        build_dir=build_dir, stale_reason=reason)


def choose_engine(source_dir: Path, build_dir: Path, env: Mapping[str, str]) -> EngineChoice:
    """Decide between the compiled build in `build_dir` and the pure-Python sources in
    `source_dir`. Has no side effects: `activate` applies a compiled choice."""
    if _truthy(env.get(PURE_PYTHON_ENV)):
        return EngineChoice(compiled=False, description=f"{PURE} ({PURE_PYTHON_ENV} is set)")
    stamp_path = build_dir / STAMP_NAME
    try:
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return EngineChoice(compiled=False, description=PURE)
    except (OSError, ValueError) as exc:
        return _stale(build_dir, f"cannot read {stamp_path}: {exc}")
    if not isinstance(stamp, dict) or stamp.get("format") != STAMP_FORMAT or not isinstance(stamp.get("modules"), dict):
        return _stale(build_dir, f"{stamp_path} is not a stamp this version of dxdata understands")
    ext_suffix = sysconfig.get_config_var("EXT_SUFFIX")
    python = python_version()
    if stamp.get("ext_suffix") != ext_suffix or stamp.get("python") != python:
        return _stale(build_dir, f"built for Python {stamp.get('python')} ({stamp.get('ext_suffix')}), "
                                 f"this is Python {python} ({ext_suffix})")
    modules: dict[str, str] = stamp["modules"]
    recorded = {**stamp.get("dependencies", {}), **modules}
    changed = sorted(f"{name}.py" for name, digest in recorded.items()
                     if file_digest(source_dir / f"{name}.py") != digest)
    if changed:
        return _stale(build_dir, f"{', '.join(changed)} changed")
    missing = sorted(name for name in modules if not (build_dir / "dxdata" / f"{name}{ext_suffix}").is_file())
    if missing:
        return _stale(build_dir, f"no compiled module for {', '.join(missing)}")
    names = tuple(modules)
    return EngineChoice(compiled=True, description=f"compiled (mypyc {stamp.get('mypy', '?')}): {', '.join(names)}",
                        build_dir=build_dir, modules=names)


def activate(choice: EngineChoice, package_path: MutableSequence[str]) -> None:
    """Make a compiled choice take effect: the build's dxdata/ goes in front of the package's
    __path__ (so its extension modules shadow the .py files), and the build root onto sys.path
    (mypyc's shared runtime library lives there, as a top-level module)."""
    if not choice.compiled or choice.build_dir is None:
        return
    package_dir = str(choice.build_dir / "dxdata")
    if package_dir not in package_path:
        package_path.insert(0, package_dir)
    root = str(choice.build_dir)
    if root not in sys.path:
        sys.path.append(root)


def warn_if_stale(choice: EngineChoice) -> None:
    """One StaleCompiledEngineWarning for a stale build; nothing otherwise."""
    message = choice.warning
    if message is None:
        return
    try:
        warnings.warn(message, StaleCompiledEngineWarning, stacklevel=3)
    except Warning:
        # Warnings made errors (-W error) must not stop the package importing over an optional
        # accelerator; the message goes to stderr instead.
        print(f"warning: {message}", file=sys.stderr)


ENGINE: EngineChoice | None = None
ENGINE_BUILD = PURE


def use_best_engine(package_path: MutableSequence[str]) -> EngineChoice:
    """Called once by dxdata/__init__.py, before any engine module is imported."""
    global ENGINE, ENGINE_BUILD
    if ENGINE is not None:
        return ENGINE
    build_dir = Path(os.environ.get(ENGINE_DIR_ENV) or DEFAULT_BUILD_DIR)
    choice = choose_engine(SOURCE_DIR, build_dir, os.environ)
    warn_if_stale(choice)
    activate(choice, package_path)
    ENGINE, ENGINE_BUILD = choice, choice.description
    return choice
