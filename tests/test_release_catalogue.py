"""datapackage.json (validated with frictionless), index.json and the static index.html."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from html.parser import HTMLParser

import pytest
from frictionless import Package

from dxdata.release import publish_release
from release_fixtures import make_tables, with_value

CREATED = datetime(2026, 1, 2, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def releases(tmp_path_factory):
    root = tmp_path_factory.mktemp("w") / "releases"
    publish_release(make_tables(), releases_dir=root, created=CREATED)
    publish_release(make_tables(with_value("workforce.it_staff_total", 626)), releases_dir=root,
                    created=datetime(2026, 2, 1, tzinfo=timezone.utc))
    return root


def descriptor(releases, version="1.1.0") -> dict:
    return json.loads((releases / version / "datapackage.json").read_text())


def test_datapackage_is_a_valid_v2_descriptor(releases):
    d = descriptor(releases)
    report = Package.validate_descriptor(d)
    assert report.valid, report.flatten(["type", "message"])
    assert d["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert (d["version"], d["created"]) == ("1.1.0", "2026-02-01T00:00:00Z")
    assert d["licenses"][0]["name"] == "CC-BY-4.0"


def test_frictionless_rejects_a_broken_descriptor(releases):
    # The validation above must be able to fail: a field with an unknown type is refused.
    d = descriptor(releases)
    d["resources"][0]["schema"]["fields"][0]["type"] = "no-such-type"
    assert not Package.validate_descriptor(d).valid


def test_resources_list_hash_rows_and_described_fields(releases):
    d = descriptor(releases)
    names = [r["name"] for r in d["resources"]]
    assert sorted(names) == sorted([*make_tables(), "changes"])
    for r in d["resources"]:
        data = (releases / "1.1.0" / r["path"]).read_bytes()
        # No byte count: frictionless cannot count a Parquet file's bytes and would call it invalid.
        assert "bytes" not in r
        assert r["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
        assert r["format"] == "parquet" and isinstance(r["rows"], int)
        assert all(f["description"] for f in r["schema"]["fields"]), r["name"]
    workforce = next(r for r in d["resources"] if r["name"] == "workforce")
    assert workforce["rows"] == 3
    fields = {f["name"]: f for f in workforce["schema"]["fields"]}
    assert fields["ref_date"]["type"] == "string" and fields["ref_date"]["constraints"]["pattern"]
    assert fields["unit"]["constraints"]["enum"][0] == "percent"
    assert fields["value"]["type"] == "number" and fields["unit_set"]["type"] == "integer"


def test_sources_come_from_the_sources_table(releases):
    sources = {s["source_id"]: s for s in descriptor(releases)["sources"]}
    assert sources["dti_test_table"]["path"] == "https://example.org/dti-2020"
    assert sources["000_test_article"]["path"] == "sources/articles/000_test_article.txt"
    assert sources["000_test_article"]["citation"].startswith("Test publisher (2022)")
    assert sources["000_test_article"]["title"] == "Bài báo thử nghiệm"


def test_index_json_lists_every_release_with_sizes_hashes_and_rows(releases):
    index = json.loads((releases / "index.json").read_text())
    assert index["latest"] == "1.1.0"
    assert [e["version"] for e in index["releases"]] == ["1.1.0", "1.0.0"]
    newest = index["releases"][0]
    assert newest["created"] == "2026-02-01T00:00:00Z" and newest["bump"] == "minor"
    assert newest["rows"]["workforce"] == 3
    assert newest["changes"]["workforce"]["changed"] == 1
    for f in newest["files"]:
        data = (releases / f["path"]).read_bytes()
        assert f["bytes"] == len(data) and f["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert {f["path"] for f in newest["files"]} >= {"1.1.0/dx.duckdb", "1.1.0/datapackage.json", "1.1.0/CHANGES.md"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.marks, self.svgs, self.codes = [], 0, 0, []
        self._in_code = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a":
            self.links.append(a.get("href"))
        if tag == "svg":
            self.svgs += 1
        if tag in ("rect", "circle") and "mark" in (a.get("class") or ""):
            self.marks += 1
        self._in_code = tag == "code"

    def handle_data(self, data):
        if self._in_code:
            self.codes.append(data)
            self._in_code = False


def test_index_html_links_every_file_and_holds_dictionary_and_charts(releases):
    page = _Page()
    page.feed((releases / "index.html").read_text())
    local = [h for h in page.links if not h.startswith("https://")]
    for f in [f for e in json.loads((releases / "index.json").read_text())["releases"] for f in e["files"]]:
        assert f["path"] in local
    assert all((releases / h).is_file() for h in local), [h for h in local if not (releases / h).is_file()]
    assert page.svgs == 2
    # Four DTI rank bars plus one circle per (province, theme) with facts.
    assert page.marks >= 4 + 4
    assert {"indicator_id", "province_code", "workforce.it_staff_total", "dti.rank"} <= set(page.codes)
