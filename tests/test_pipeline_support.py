"""Shared set-up for the pipeline, sensor and UI tests (no tests here): a temporary copy of the
bundled sources, a temporary warehouse and Dagster instance, and a second article written for
the tests only (it lives in tmp_path and never reaches the repository's sources or warehouse)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import types
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEED_ID = "000_a63f0aa6a1ed3e39"
TEST_ID = "900_test_soc_trang"
TEST_PROVINCE_CODE = "94"  # Sóc Trăng
TEST_IT_STAFF = 412.0

TEST_ARTICLE = """Sóc Trăng đẩy mạnh chuyển đổi số trong cơ quan nhà nước

Thứ hai, 12/06/2023 08:15

Theo báo cáo của Sở Thông tin và Truyền thông, về nguồn nhân lực: toàn tỉnh Sóc Trăng có 412 cán bộ chuyên trách, phụ trách công nghệ thông tin trong các cơ quan nhà nước.
"""


def write_article(folder: Path, source_id: str, text: str, province: str = "Sóc Trăng") -> Path:
    """An article file plus a valid sidecar (sha256 of the text) in `folder`."""
    path = folder / f"{source_id}.txt"
    path.write_text(text, encoding="utf-8")
    sidecar = {
        "source_id": source_id,
        "kind": "article",
        "title": text.splitlines()[0],
        "publisher": "Test fixture (never published)",
        "published_at": "2023-06-12T08:15:00+07:00",
        "url": f"https://example.invalid/{source_id}",
        "language": "vi",
        "licence": "Invented for the tests of this repository",
        "provinces": [province],
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
    }
    path.with_suffix(".json").write_text(json.dumps(sidecar, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def extract_engine():
    """The extraction module the pipeline calls (tests patch its `extract_article`)."""
    import dxdata.extract

    return dxdata.extract


@pytest.fixture
def world(tmp_path, monkeypatch, extract_engine):
    """Sources copied to tmp (seed article and DTI tables), an empty warehouse and DAGSTER_HOME.
    The real corpus (`r-*`) and captured pages (`w-*`) stay out, so what a test adds is all that
    differs from the seed."""
    sources = tmp_path / "sources"
    shutil.copytree(REPO / "sources", sources, ignore=shutil.ignore_patterns("r-*", "w-*"))
    monkeypatch.setenv("DXDATA_SOURCES", str(sources))
    monkeypatch.setenv("DXDATA_WAREHOUSE", str(tmp_path / "warehouse"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    from pipelines.run import ensure_dagster_home

    ensure_dagster_home()
    return types.SimpleNamespace(
        root=tmp_path,
        sources=sources,
        articles=sources / "articles",
        warehouse=tmp_path / "warehouse",
        releases=tmp_path / "warehouse" / "releases",
        extract=extract_engine,
    )


class ExtractionSpy:
    """Records which sources the pipeline actually extracted."""

    def __init__(self, monkeypatch, module):
        self.calls: list[str] = []
        real = module.extract_article

        def spy(article):
            self.calls.append(article.source_id)
            return real(article)

        monkeypatch.setattr(module, "extract_article", spy)


def stop_process_group(process: subprocess.Popen) -> None:
    """Stop a server started in its own process group (webserver, daemon, code servers, run
    workers): SIGTERM to the group, SIGKILL if it has not gone within 30 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
