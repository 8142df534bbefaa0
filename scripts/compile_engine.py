#!/usr/bin/env python3
"""Compile the extraction engine's modules with mypyc, out of the source tree.

The engine (dxdata/extract.py and the modules it leans on) is ordinary typed Python. mypyc, the
compiler that ships with mypy, turns those same files into C extension modules; nothing is
rewritten by hand, and the pure-Python modules stay the reference implementation.

Steps:
  1. copy the dxdata package into a fresh staging directory (.build/engine.tmp);
  2. run mypyc there on ENGINE_MODULES (type errors are printed against the repository's files);
  3. check that the compiled engine extracts exactly what the pure-Python engine extracts from
     the seed article and the evaluation passages;
  4. delete everything from the staging dxdata/ but the extension modules, write stamp.json
     (source hashes, Python version, extension suffix, mypy version) and move the result to
     .build/engine, which dxdata/compiled.py picks up at import.

On any failure the previous build is removed too, so the package falls back to pure Python
silently instead of warning about a stale build at every import. Exit status 0 = compiled,
1 = not compiled (the engine stays pure Python).

Usage: .venv/bin/python scripts/compile_engine.py [--skip-check]
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from datetime import datetime, timezone
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = REPO_ROOT / "dxdata"
BUILD_ROOT = REPO_ROOT / ".build"
ENGINE_DIR = BUILD_ROOT / "engine"
STAGING_DIR = BUILD_ROOT / "engine.tmp"
STAMP_NAME = "stamp.json"
STAMP_FORMAT = 1

# The modules on the extraction hot path. All six compile with mypy 2.4.1 and give output
# identical to pure Python (checked by step 3 at every build and by tests/test_compiled_engine.py).
ENGINE_MODULES = ("extract", "numbers", "text", "model", "provinces", "editions")

# Inputs of the equivalence check: real and invented passages, none of them generated.
CHECK_GLOBS = (
    (REPO_ROOT.parent / "shared" / "seed", "*.txt"),
    (REPO_ROOT.parent / "shared" / "devset", "*.txt"),
    (REPO_ROOT / "tests" / "devsets", "*/*.txt"),
)

MYPY_MESSAGE = re.compile(r"^(?P<path>[^\s:]+\.pyi?):(?P<line>\d+):(?:\d+:)? (?P<kind>error|note): (?P<text>.*)$")


class BuildFailed(Exception):
    """The engine could not be compiled; the message says why."""


def step(message: str) -> None:
    print(f"compile_engine: {message}", flush=True)


def source_imports(path: Path) -> set[str]:
    """dxdata modules imported anywhere in one module (compiled code calls them with typed
    assumptions, so a change to any of them makes the build stale)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "dxdata":
                found.update(alias.name for alias in node.names)
            elif node.module.startswith("dxdata."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[1] for alias in node.names if alias.name.startswith("dxdata."))
    return {name for name in found if (path.parent / f"{name}.py").is_file()}


def build_stamp(mypy_version: str) -> dict:
    # The loader's own hash function, loaded by path: importing the dxdata package here would
    # already pick an engine build.
    spec = importlib.util.spec_from_file_location("_dxdata_compiled", SOURCE_DIR / "compiled.py")
    assert spec is not None and spec.loader is not None
    loader_module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = loader_module
    spec.loader.exec_module(loader_module)
    file_digest, python_version = loader_module.file_digest, loader_module.python_version

    staged = STAGING_DIR / "dxdata"
    dependencies: set[str] = set()
    for name in ENGINE_MODULES:
        dependencies |= source_imports(staged / f"{name}.py")
    dependencies -= set(ENGINE_MODULES)
    return {
        "format": STAMP_FORMAT,
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "python": python_version(),
        "ext_suffix": sysconfig.get_config_var("EXT_SUFFIX"),
        "mypy": mypy_version,
        # Hashes of the staged copies: the files compiled, even if the sources change meanwhile.
        "modules": {name: file_digest(staged / f"{name}.py") for name in ENGINE_MODULES},
        "dependencies": {name: file_digest(staged / f"{name}.py") for name in sorted(dependencies)},
    }


def mypy_version() -> str:
    try:
        from mypy.version import __version__
    except ImportError as exc:
        raise BuildFailed("mypy is not installed in this Python; install the compile extra: "
                          f"{sys.executable} -m pip install -e '.[compile]'") from exc
    try:
        import setuptools  # noqa: F401  (mypyc builds the extensions through setuptools)
    except ImportError as exc:
        raise BuildFailed("setuptools is not installed; install the compile extra: "
                          f"{sys.executable} -m pip install -e '.[compile]'") from exc
    return __version__


def stage_sources() -> None:
    shutil.rmtree(STAGING_DIR, ignore_errors=True)
    STAGING_DIR.mkdir(parents=True)
    shutil.copytree(SOURCE_DIR, STAGING_DIR / "dxdata", ignore=shutil.ignore_patterns("__pycache__", "*.so"))


def type_errors(output: str) -> list[str]:
    """mypy's messages from mypyc's output, pointing at the repository's files (mypy ran on the
    staged copies, with paths relative to the staging directory)."""
    problems = []
    for line in output.splitlines():
        match = MYPY_MESSAGE.match(line.strip())
        if match:
            where = Path(match["path"])
            if where.is_absolute() and STAGING_DIR in where.parents:
                where = where.relative_to(STAGING_DIR)
            if not where.is_absolute():
                where = REPO_ROOT / where
            problems.append(f"  {where}:{match['line']}: {match['kind']}: {match['text']}")
    return problems


def run_mypyc() -> None:
    command = [sys.executable, "-m", "mypyc", "--ignore-missing-imports",
               *(f"dxdata/{name}.py" for name in ENGINE_MODULES)]
    env = dict(os.environ, MYPY_CACHE_DIR=str(BUILD_ROOT / "mypy_cache"))
    done = subprocess.run(command, cwd=STAGING_DIR, env=env, capture_output=True, text=True)
    if done.returncode == 0:
        return
    problems = type_errors(done.stdout + done.stderr)
    if problems:
        raise BuildFailed("mypy found type errors, which mypyc refuses to compile:\n" + "\n".join(problems))
    tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-25:])
    raise BuildFailed(f"mypyc failed (exit {done.returncode}); last lines of its output:\n{tail}")


def strip_staging() -> list[Path]:
    """Leave only the extension modules: dxdata.compiled puts this directory in front of the
    package's own, so any .py left here would shadow the repository's current sources."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    package = STAGING_DIR / "dxdata"
    for entry in list(STAGING_DIR.iterdir()):
        if entry == package or (entry.is_file() and entry.name.endswith(suffix)):
            continue
        shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    kept = []
    for entry in list(package.iterdir()):
        if entry.is_file() and entry.name.endswith(suffix) and entry.name.split(".")[0] in ENGINE_MODULES:
            kept.append(entry)
        else:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    missing = set(ENGINE_MODULES) - {path.name.split(".")[0] for path in kept}
    if missing:
        raise BuildFailed(f"mypyc produced no extension module for: {', '.join(sorted(missing))}")
    return kept


DUMP_PROGRAM = r"""
import dataclasses, glob, json, sys
import dxdata.compiled, dxdata.extract as engine
from dxdata.extract import article_from_file, extract_article
print(json.dumps({"build": dxdata.compiled.ENGINE_BUILD, "file": engine.__file__}))
for pattern in sys.argv[1:]:
    for path in sorted(glob.glob(pattern)):
        result = extract_article(article_from_file(path))
        for kind in ("facts", "candidates", "targets"):
            for item in getattr(result, kind):
                print(json.dumps([path, kind, dataclasses.asdict(item)], ensure_ascii=False, sort_keys=True, default=str))
"""


def dump_extraction(pure: bool, engine_dir: Path) -> tuple[dict, list[str]]:
    env = dict(os.environ, DXDATA_ENGINE_DIR=str(engine_dir))
    env.pop("DXDATA_PURE_PYTHON", None)
    if pure:
        env["DXDATA_PURE_PYTHON"] = "1"
    patterns = [str(directory / pattern) for directory, pattern in CHECK_GLOBS]
    done = subprocess.run([sys.executable, "-c", DUMP_PROGRAM, *patterns], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        label = "pure-Python" if pure else "compiled"
        raise BuildFailed(f"the {label} engine failed on the check passages:\n{done.stderr.strip()[-3000:]}")
    header, *lines = done.stdout.splitlines()
    return json.loads(header), lines


def check_equivalence() -> int:
    compiled_info, compiled = dump_extraction(pure=False, engine_dir=STAGING_DIR)
    if "stale" in compiled_info["build"]:
        raise BuildFailed(f"the sources changed while they were being compiled ({compiled_info['build']}); "
                          "run `make compile` again")
    if not compiled_info["file"].endswith(sysconfig.get_config_var("EXT_SUFFIX")):
        raise BuildFailed(f"the staged build did not load (dxdata.extract came from {compiled_info['file']}; "
                          f"{compiled_info['build']})")
    _, pure = dump_extraction(pure=True, engine_dir=STAGING_DIR)
    if compiled != pure:
        first = next((i for i, (a, b) in enumerate(zip(compiled, pure)) if a != b), min(len(compiled), len(pure)))
        raise BuildFailed(
            f"compiled and pure-Python engines disagree ({len(compiled)} vs {len(pure)} records; first "
            f"difference at record {first}):\n  compiled: {compiled[first][:400] if first < len(compiled) else '-'}"
            f"\n  pure:     {pure[first][:400] if first < len(pure) else '-'}")
    return len(pure)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skip-check", action="store_true",
                        help="skip comparing compiled and pure-Python output on the check passages")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        version = mypy_version()
        step(f"mypy {version}, Python {platform.python_version()} ({sysconfig.get_config_var('EXT_SUFFIX')})")
        step(f"1/4 copying dxdata/ to {STAGING_DIR.relative_to(REPO_ROOT)}/")
        stage_sources()
        stamp = build_stamp(version)
        step(f"2/4 type-checking and compiling {', '.join(ENGINE_MODULES)} with mypyc (takes 30-60 s)")
        t0 = time.perf_counter()
        run_mypyc()
        step(f"    compiled in {time.perf_counter() - t0:.0f} s")
        kept = strip_staging()
        (STAGING_DIR / STAMP_NAME).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")
        if args.skip_check:
            step("3/4 equivalence check skipped (--skip-check)")
        else:
            step("3/4 checking the compiled engine extracts exactly what pure Python does")
            records = check_equivalence()
            step(f"    identical ({records} facts, candidates and targets)")
        step(f"4/4 installing the build in {ENGINE_DIR.relative_to(REPO_ROOT)}/")
        shutil.rmtree(ENGINE_DIR, ignore_errors=True)
        STAGING_DIR.rename(ENGINE_DIR)
    except BuildFailed as exc:
        shutil.rmtree(STAGING_DIR, ignore_errors=True)
        shutil.rmtree(ENGINE_DIR, ignore_errors=True)
        print(f"compile_engine: FAILED: {exc}", file=sys.stderr)
        print("compile_engine: the extraction engine stays pure Python (same output, slower).", file=sys.stderr)
        return 1
    step(f"done in {time.perf_counter() - started:.0f} s: {len(kept)} compiled modules; "
         "set DXDATA_PURE_PYTHON=1 to run without them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
