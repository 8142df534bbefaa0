"""The package works outside a checkout (issue 11, item 6): a wheel built from this tree,
installed into a fresh virtualenv elsewhere, runs `dxdata release --sources DIR --warehouse DIR`
with the catalogue, views and province register it ships as package data.

The fresh venv reuses the running environment's installed dependencies through a .pth line (no
download, no index); the wheel itself is installed with --no-deps --no-index. About 20 s."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from dxdata import paths

REPO = paths.REPO_ROOT
SHIPPED = ("pyproject.toml", "README.md", "dxdata", "pipelines", "schemas", "sources")


def _run(args, **kw):
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, **kw)
    assert done.returncode == 0, f"{args[:4]} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(wheel, build output): built from a copy of the tree, so the checkout gets no build/ folder."""
    root = tmp_path_factory.mktemp("pkg")
    tree = root / "tree"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", ".build")
    for name in SHIPPED:
        src = REPO / name
        (shutil.copytree(src, tree / name, ignore=ignore) if src.is_dir() else (tree.mkdir(exist_ok=True), shutil.copy2(src, tree / name)))
    out = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                "-w", str(root / "dist"), str(tree)])
    wheels = list((root / "dist").glob("dxdata-*.whl"))
    assert len(wheels) == 1
    return wheels[0], out.stdout + out.stderr


def test_building_gives_no_licence_deprecation_warning(built):
    _, log = built
    # setuptools < 77 and a `license = {text = ...}` table print "License classifiers are
    # deprecated" / "`project.license` as a TOML table is deprecated".
    assert "deprecated" not in log.lower(), log


def test_installed_wheel_releases_from_a_sources_folder(built, tmp_path):
    wheel, _ = built
    # Nothing of the checkout may leak in: no PYTHONPATH, no settings.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DXDATA_", "PYTHON", "DAGSTER_"))}
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], env=env)
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], env=env).stdout.strip())
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", "--no-index", str(wheel)], env=env)
    # Then the dependencies, from the running environment, after the venv's own site-packages (so
    # the wheel's dxdata, not an editable checkout, is the one imported). Added after the install,
    # or pip would take the running environment's dxdata for an installed copy.
    (site / "_reuse_test_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    # A sources folder elsewhere, without registers: the register ships with the package.
    sources = tmp_path / "my-sources"
    shutil.copytree(REPO / "sources" / "articles", sources / "articles")
    shutil.copytree(REPO / "sources" / "tables", sources / "tables")
    work = tmp_path / "elsewhere"
    work.mkdir()
    env["DXDATA_PURE_PYTHON"] = "1"

    where = _run([str(python), "-c", "import dxdata.paths as p; print(p.__file__); print(p.catalogue_path()); print(p.registers_dir())"],
                 cwd=work, env=env).stdout.split()
    assert all(str(site) in w for w in where), where

    done = _run([str(venv / "bin" / "dxdata"), "release", "--sources", str(sources), "--warehouse", str(work / "wh")],
                cwd=work, env=env)
    assert "Published release 1.0.0" in done.stdout, done.stdout
    release = work / "wh" / "releases" / "1.0.0"
    assert (release / "dx.duckdb").is_file() and (release / "datapackage.json").is_file()


def test_every_sources_folder_is_shipped():
    """A folder added under sources/ must be listed in pyproject.toml, or wheels would lack it."""
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    folders = {p for p in (REPO / "sources").rglob("*") if p.is_dir() and any(c.is_file() for c in p.iterdir())}
    missing = sorted(".".join(("dxdata_sources", *p.relative_to(REPO / "sources").parts)) for p in folders)
    assert [m for m in missing if m not in listed] == []
    assert config["package-dir"]["dxdata_sources"] == "sources"
