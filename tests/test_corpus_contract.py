"""The bundled real corpus keeps its contract: every `sources/articles/r-*` page has a complete
sidecar whose sha256 and excerpt length match the text, an id carrying its province and date,
and a review file whose rows name catalogue indicators, register provinces and quotes found in
the text (scripts/check_corpus.py, which names file and line of every problem)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_real_source_and_review_meets_the_corpus_contract():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_corpus.py")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " 0 problems" in done.stdout


def test_the_checker_names_a_source_whose_text_no_longer_matches_its_sidecar(tmp_path):
    # A copy of the checker and one real source, with one character of the text changed.
    import shutil

    for part in ("scripts", "schemas", "sources/registers"):
        shutil.copytree(ROOT / part, tmp_path / part)
    (tmp_path / "sources" / "articles").mkdir()
    (tmp_path / "sources" / "reviews").mkdir()
    source = sorted((ROOT / "sources" / "articles").glob("r-*.txt"))[0]
    for suffix in (".txt", ".json"):
        shutil.copy(source.with_suffix(suffix), tmp_path / "sources" / "articles")
    shutil.copy(ROOT / "sources" / "reviews" / f"{source.stem}.csv", tmp_path / "sources" / "reviews")
    copy = tmp_path / "sources" / "articles" / source.name
    copy.write_text(copy.read_text(encoding="utf-8") + " ", encoding="utf-8")
    done = subprocess.run([sys.executable, str(tmp_path / "scripts" / "check_corpus.py")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert source.stem in done.stdout and "sha256" in done.stdout
