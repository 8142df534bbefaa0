"""The mypyc-compiled engine: when it is chosen, that a stale build is never used, and that it
extracts exactly what the pure-Python engine does (dxdata/compiled.py, scripts/compile_engine.py)."""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import sysconfig
import warnings
from pathlib import Path

import pytest

from dxdata import compiled
from dxdata.compiled import StaleCompiledEngineWarning, activate, choose_engine, file_digest, warn_if_stale

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
# Real and invented passages, plus generated articles (the benchmark's corpus) for breadth.
PASSAGE_GLOBS = [
    (SHARED / "seed", "*.txt"),
    (SHARED / "devset", "*.txt"),
    *((REPO_ROOT / "tests" / "devsets" / name, "*.txt") for name in ("passages-100", "articles-200", "passages-300", "passages-400")),
]
GENERATED_ARTICLES = 200


# --- the decision, on temporary directories ------------------------------------------------------


def fake_build(tmp_path: Path, **stamp_changes) -> tuple[Path, Path]:
    """Sources (text.py, numbers.py, paths.py) and a build stamped from them, with extension
    files standing in for the compiled modules."""
    source_dir = tmp_path / "src"
    source_dir.mkdir()
    for name in ("text", "numbers", "paths"):
        (source_dir / f"{name}.py").write_text(f"NAME = {name!r}\n", encoding="utf-8")
    build_dir = tmp_path / "build"
    (build_dir / "dxdata").mkdir(parents=True)
    for name in ("text", "numbers"):
        (build_dir / "dxdata" / f"{name}{EXT_SUFFIX}").write_bytes(b"")
    stamp = {
        "format": 1,
        "python": compiled.python_version(),
        "ext_suffix": EXT_SUFFIX,
        "mypy": "2.4.1",
        "modules": {name: file_digest(source_dir / f"{name}.py") for name in ("text", "numbers")},
        "dependencies": {"paths": file_digest(source_dir / "paths.py")},
        **stamp_changes,
    }
    (build_dir / "stamp.json").write_text(json.dumps(stamp), encoding="utf-8")
    return source_dir, build_dir


def test_no_build_means_pure_python_without_a_warning(tmp_path):
    choice = choose_engine(tmp_path, tmp_path / "nothing-here", {})
    assert not choice.compiled
    assert choice.description == "pure Python"
    assert choice.warning is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_if_stale(choice)


def test_a_build_matching_the_sources_is_chosen_and_activated(tmp_path, monkeypatch):
    source_dir, build_dir = fake_build(tmp_path)
    choice = choose_engine(source_dir, build_dir, {})
    assert choice.compiled
    assert choice.modules == ("text", "numbers")
    assert choice.description == "compiled (mypyc 2.4.1): text, numbers"
    assert choice.warning is None

    monkeypatch.setattr(sys, "path", list(sys.path))
    package_path = [str(source_dir)]
    activate(choice, package_path)
    assert package_path == [str(build_dir / "dxdata"), str(source_dir)]  # extensions shadow sources
    assert str(build_dir) in sys.path  # where mypyc's shared library is imported from


def test_a_changed_module_makes_the_build_stale_with_one_warning_naming_it(tmp_path):
    source_dir, build_dir = fake_build(tmp_path)
    (source_dir / "numbers.py").write_text("NAME = 'edited'\n", encoding="utf-8")
    choice = choose_engine(source_dir, build_dir, {})
    assert not choice.compiled
    assert choice.description == "pure Python (compiled build is stale: numbers.py changed)"
    package_path = [str(source_dir)]
    activate(choice, package_path)
    assert package_path == [str(source_dir)]
    with pytest.warns(StaleCompiledEngineWarning) as caught:
        warn_if_stale(choice)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "numbers.py changed" in message and "make compile" in message


def test_a_changed_or_deleted_dependency_makes_the_build_stale(tmp_path):
    source_dir, build_dir = fake_build(tmp_path)
    (source_dir / "paths.py").unlink()
    choice = choose_engine(source_dir, build_dir, {})
    assert not choice.compiled and choice.stale_reason == "paths.py changed"


@pytest.mark.parametrize("change, reason", [
    ({"ext_suffix": ".cpython-399-riscv.so"}, "built for Python"),
    ({"python": "3.0.0"}, "built for Python 3.0.0"),
    ({"format": 99}, "not a stamp"),
])
def test_a_build_for_another_python_or_stamp_format_is_stale(tmp_path, change, reason):
    source_dir, build_dir = fake_build(tmp_path, **change)
    choice = choose_engine(source_dir, build_dir, {})
    assert not choice.compiled and reason in choice.stale_reason


def test_a_missing_extension_module_makes_the_build_stale(tmp_path):
    source_dir, build_dir = fake_build(tmp_path)
    (build_dir / "dxdata" / f"text{EXT_SUFFIX}").unlink()
    choice = choose_engine(source_dir, build_dir, {})
    assert not choice.compiled and choice.stale_reason == "no compiled module for text"


def test_an_unreadable_stamp_is_stale_not_a_crash(tmp_path):
    source_dir, build_dir = fake_build(tmp_path)
    (build_dir / "stamp.json").write_text("{not json", encoding="utf-8")
    choice = choose_engine(source_dir, build_dir, {})
    assert not choice.compiled and "cannot read" in choice.stale_reason


@pytest.mark.parametrize("value, compiled_expected", [("1", False), ("true", False), ("0", True), ("", True)])
def test_dxdata_pure_python_forces_pure_python(tmp_path, value, compiled_expected):
    source_dir, build_dir = fake_build(tmp_path)
    choice = choose_engine(source_dir, build_dir, {"DXDATA_PURE_PYTHON": value})
    assert choice.compiled is compiled_expected
    if not compiled_expected:
        assert choice.description == "pure Python (DXDATA_PURE_PYTHON is set)"
        assert choice.warning is None


def test_warnings_as_errors_do_not_stop_the_import(tmp_path, capsys):
    source_dir, build_dir = fake_build(tmp_path)
    (source_dir / "text.py").write_text("NAME = 'edited'\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_if_stale(choose_engine(source_dir, build_dir, {}))
    assert "text.py changed" in capsys.readouterr().err


def test_importing_dxdata_with_a_stale_build_runs_the_sources(tmp_path):
    """End to end in a fresh interpreter: a stamp that no longer matches extract.py."""
    build_dir = tmp_path / "engine"
    (build_dir / "dxdata").mkdir(parents=True)
    (build_dir / "dxdata" / f"extract{EXT_SUFFIX}").write_bytes(b"not a shared library")
    stamp = {"format": 1, "python": compiled.python_version(), "ext_suffix": EXT_SUFFIX, "mypy": "2.4.1",
             "modules": {"extract": "0" * 64}, "dependencies": {}}
    (build_dir / "stamp.json").write_text(json.dumps(stamp), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DXDATA_PURE_PYTHON"}
    env["DXDATA_ENGINE_DIR"] = str(build_dir)
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c",
         "import dxdata.compiled as c, dxdata.extract as e; print(c.ENGINE_BUILD); print(e.__file__)"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    build, module_file = done.stdout.splitlines()
    assert build == "pure Python (compiled build is stale: extract.py changed)"
    assert module_file == str(REPO_ROOT / "dxdata" / "extract.py")
    assert "make compile" in done.stderr


# --- the build this process runs ------------------------------------------------------------------


def compiled_is_active() -> bool:
    return compiled.ENGINE is not None and compiled.ENGINE.compiled


def require_compiled_engine() -> None:
    if compiled_is_active():
        return
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"CI must test the compiled engine, but this process runs: {compiled.ENGINE_BUILD} "
                    "(`make compile` builds it)")
    pytest.skip(f"the compiled engine is not active ({compiled.ENGINE_BUILD}); `make compile` builds it")


def test_engine_build_says_where_the_engine_modules_come_from():
    import dxdata.extract

    assert compiled.ENGINE is not None
    assert compiled.ENGINE_BUILD == compiled.ENGINE.description
    if compiled_is_active():
        assert compiled.ENGINE_BUILD.startswith("compiled (mypyc ")
        assert "extract" in compiled.ENGINE.modules
        assert dxdata.extract.__file__.endswith(EXT_SUFFIX)
        for name in compiled.ENGINE.modules:
            module = importlib.import_module(f"dxdata.{name}")
            assert Path(module.__file__).parent == compiled.ENGINE.build_dir / "dxdata", name
    else:
        assert compiled.ENGINE_BUILD.startswith("pure Python")
        assert dxdata.extract.__file__ == str(REPO_ROOT / "dxdata" / "extract.py")


def extraction_records() -> list[str]:
    """Every fact, candidate and target, all fields, for the passages and generated articles."""
    sys.path.insert(0, str(REPO_ROOT / "scripts"))
    try:
        from benchmark_extraction import generate_corpus
    finally:
        sys.path.remove(str(REPO_ROOT / "scripts"))
    from dxdata.extract import article_from_file, extract_article

    articles = [article_from_file(path) for directory, pattern in PASSAGE_GLOBS
                for path in sorted(directory.glob(pattern))]
    assert len(articles) > 100, "the evaluation passages are missing"
    articles += generate_corpus(GENERATED_ARTICLES, 7).articles
    records = []
    for article in articles:
        result = extract_article(article)
        for kind in ("facts", "candidates", "targets"):
            for item in getattr(result, kind):
                records.append(json.dumps([article.source_id, kind, dataclasses.asdict(item)],
                                          ensure_ascii=False, sort_keys=True, default=str))
    return records


def test_compiled_and_pure_python_engines_extract_the_same():
    require_compiled_engine()
    env = dict(os.environ, DXDATA_PURE_PYTHON="1")
    program = ("import sys, dxdata.extract as e; sys.path.insert(0, 'tests'); import test_compiled_engine as t; "
               "print(e.__file__); print('\\n'.join(t.extraction_records()))")
    done = subprocess.run([sys.executable, "-c", program], cwd=REPO_ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    pure_file, *pure = done.stdout.splitlines()
    assert pure_file.endswith("extract.py"), "the reference run did not use the pure-Python engine"

    ours = extraction_records()
    assert len(ours) > 1000
    assert len(ours) == len(pure)
    for compiled_line, pure_line in zip(ours, pure):
        assert compiled_line == pure_line


# --- the build files -------------------------------------------------------------------------------


def load_compile_script():
    spec = importlib.util.spec_from_file_location("compile_engine", REPO_ROOT / "scripts" / "compile_engine.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def makefile_words(variable: str) -> list[str]:
    text = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{variable} := (.*)$", text, re.MULTILINE)
    assert match, f"Makefile has no {variable}"
    return match.group(1).split()


def test_makefile_rebuilds_when_any_source_the_stamp_records_changes():
    """make decides when to rebuild from its own lists; the stamp from the imports it finds."""
    script = load_compile_script()
    assert makefile_words("ENGINE_MODULES") == list(script.ENGINE_MODULES)
    imported = set().union(*(script.source_imports(REPO_ROOT / "dxdata" / f"{name}.py")
                             for name in script.ENGINE_MODULES))
    assert sorted(imported - set(script.ENGINE_MODULES)) == sorted(makefile_words("ENGINE_DEPENDENCIES"))


def test_type_errors_are_reported_against_the_repository_files():
    script = load_compile_script()
    output = ("dxdata/text.py:64: error: Incompatible return value type (got \"str\", expected \"int\")  [return-value]\n"
              f"{script.STAGING_DIR}/dxdata/extract.py:694:12: note: see here\n"
              "Found 1 error in 1 file (checked 6 source files)\n")
    assert script.type_errors(output) == [
        f"  {REPO_ROOT}/dxdata/text.py:64: error: Incompatible return value type (got \"str\", expected \"int\")  [return-value]",
        f"  {REPO_ROOT}/dxdata/extract.py:694: note: see here",
    ]


def test_the_staged_build_keeps_only_the_extension_modules(tmp_path, monkeypatch):
    """Anything else left in the build's dxdata/ would shadow the repository's sources."""
    script = load_compile_script()
    monkeypatch.setattr(script, "STAGING_DIR", tmp_path)
    package = tmp_path / "dxdata"
    (package / "__pycache__").mkdir(parents=True)
    (tmp_path / "build").mkdir()
    shared_library = tmp_path / f"0123abcd__mypyc{EXT_SUFFIX}"
    keep = [shared_library] + [package / f"{name}{EXT_SUFFIX}" for name in script.ENGINE_MODULES]
    drop = [package / "extract.py", package / "cli.py", package / "__init__.py", package / "extract.c",
            package / f"cli{EXT_SUFFIX}", tmp_path / "setup.py", tmp_path / "build" / "ops.txt"]
    for path in keep + drop:
        path.write_bytes(b"")
    assert sorted(script.strip_staging()) == sorted(keep[1:])
    assert sorted(p for p in tmp_path.rglob("*") if p.is_file()) == sorted(keep)
    assert not (package / "__pycache__").exists() and not (tmp_path / "build").exists()


def test_a_build_missing_an_engine_module_is_refused(tmp_path, monkeypatch):
    script = load_compile_script()
    monkeypatch.setattr(script, "STAGING_DIR", tmp_path)
    (tmp_path / "dxdata").mkdir()
    (tmp_path / "dxdata" / f"extract{EXT_SUFFIX}").write_bytes(b"")
    with pytest.raises(script.BuildFailed, match="no extension module for: editions, model, numbers"):
        script.strip_staging()
