"""The release catalogue: `index.json` for programs and a static `index.html` for people.

Both are regenerated from the release folders themselves after every publish, so they cannot
drift from what is on disk. The page needs no JavaScript and no network: the chart is an SVG
drawn here from the newest release's Parquet files.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from dxdata import durable
from dxdata.model import FACT_TABLES

INDEX_JSON = "index.json"
INDEX_HTML = "index.html"


def _release_module():
    # Imported late: dxdata.release imports this module after publishing.
    from dxdata import release

    return release


def release_entry(folder: Path) -> dict:
    """Catalogue entry of one release folder: date, bump, rows per table, every file's size and hash."""
    rel = _release_module()
    descriptor = json.loads((folder / rel.DATAPACKAGE).read_text(encoding="utf-8"))
    meta = descriptor.get("dxdata", {})
    files = []
    for p in sorted(folder.iterdir(), key=lambda p: p.name):
        if p.is_file():
            files.append({"path": f"{folder.name}/{p.name}", "bytes": p.stat().st_size, "hash": f"sha256:{rel.sha256_file(p)}"})
    return {
        "version": descriptor["version"],
        "created": descriptor.get("created"),
        "previous": meta.get("previous"),
        "bump": meta.get("bump"),
        "reason": meta.get("reason"),
        "path": f"{folder.name}/",
        "datapackage": f"{folder.name}/{rel.DATAPACKAGE}",
        "duckdb": f"{folder.name}/{rel.DUCKDB_FILE}",
        "rows": {r["name"]: r.get("rows") for r in descriptor["resources"] if r["name"] != rel.CHANGES_TABLE},
        "changes": meta.get("changes", {}),
        "bytes": sum(f["bytes"] for f in files),
        "files": files,
    }


def recorded_entries(releases_dir: Path) -> dict[str, dict]:
    """The entries index.json holds, by version ({} when it is missing or unreadable)."""
    try:
        index = json.loads((releases_dir / INDEX_JSON).read_text(encoding="utf-8"))
        return {e["version"]: e for e in index["releases"] if isinstance(e, dict) and "files" in e}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def build_index(releases_dir: Path, entries: list[dict] | None = None) -> dict:
    """The catalogue of the complete release folders. An entry index.json already holds is kept
    as recorded (its hashes are the record `dxdata verify` checks a folder against, so they are
    never recomputed from a folder that may since have been changed); a folder it lacks gets a
    new entry."""
    rel = _release_module()
    if entries is None:
        recorded = recorded_entries(releases_dir)
        entries = [recorded.get(v) or release_entry(releases_dir / v) for v in rel.list_versions(releases_dir)]
    entries = sorted(entries, key=lambda e: rel.parse_version(e["version"]), reverse=True)
    return {
        "name": rel.PACKAGE_NAME,
        "title": rel.PACKAGE_TITLE,
        "latest": entries[0]["version"] if entries else None,
        "releases": entries,
    }


INDEX_HASH_META = "dxdata-index-sha256"


def _index_bytes(index: Mapping) -> bytes:
    return (json.dumps(index, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_catalogue(releases_dir: Path) -> dict:
    """Regenerate index.html, index.json and LATEST from the complete release folders, each
    replaced atomically and in that order: LATEST names a version only once the catalogue lists
    it. The page carries the sha256 of the index.json it was made with, so a later run can tell
    that the two belong together."""
    rel = _release_module()
    index = build_index(releases_dir)
    latest = index["latest"]
    body = _index_bytes(index)
    page = render_html(index, releases_dir / latest if latest else None, index_sha256=hashlib.sha256(body).hexdigest())
    rel.write_text_atomic(releases_dir / INDEX_HTML, page)
    durable.write_bytes_atomic(releases_dir / INDEX_JSON, body)
    if latest:
        rel.write_text_atomic(releases_dir / rel.LATEST, latest + "\n")
    return index


def catalogue_problems(releases_dir: Path) -> list[str]:
    """How LATEST, index.json and index.html disagree with the complete release folders (empty
    when they agree): which versions they list and name as the latest. Whether a folder's files
    still match their recorded hashes is `dxdata verify`'s question, not this one's."""
    rel = _release_module()
    versions = rel.list_versions(releases_dir)
    if not versions:
        return []
    latest = versions[-1]
    problems = []
    named = rel.read_latest(releases_dir)
    if named != latest:
        problems.append(f"{rel.LATEST} names {named!r}, the newest complete release is {latest}")
    try:
        body = (releases_dir / INDEX_JSON).read_bytes()
        index = json.loads(body)
        listed = [e["version"] for e in index["releases"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [*problems, f"{INDEX_JSON}: missing or unreadable ({type(exc).__name__}: {exc})"]
    if index.get("latest") != latest or listed != versions[::-1]:
        problems.append(f"{INDEX_JSON} lists {listed} with latest {index.get('latest')!r}, the folders hold {versions[::-1]}")
    try:
        page = (releases_dir / INDEX_HTML).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        page = ""
    if f'<meta name="{INDEX_HASH_META}" content="{hashlib.sha256(body).hexdigest()}">' not in page:
        problems.append(f"{INDEX_HTML} was not made from the current {INDEX_JSON}")
    return problems


def reconcile_catalogue(releases_dir: Path) -> list[str]:
    """Rewrite LATEST, index.json and index.html when they disagree with the release folders
    (after a run was killed between publishing a folder and updating them). Returns what was
    wrong; nothing is written when nothing was. Call it under the publish lock."""
    problems = catalogue_problems(releases_dir)
    if problems:
        write_catalogue(releases_dir)
    return problems


# --- charts --------------------------------------------------------------------------------------

_THEME_COLOURS = {
    "infrastructure": "#1b9e77",
    "e_government": "#d95f02",
    "workforce": "#7570b3",
    "enterprises": "#e7298a",
    "rankings": "#66a61e",
}


def _read(folder: Path, name: str) -> pd.DataFrame | None:
    path = folder / f"{name}.parquet"
    return pq.read_table(path).to_pandas() if path.exists() else None


def _province_label(province, unit_set) -> str:
    # The two registers share names (Hà Nội is a unit of both maps); say which map a 34-unit row is on.
    return f"{province} (34-unit map)" if int(unit_set) == 34 else str(province)


def dti_rank_svg(rankings: pd.DataFrame | None) -> str | None:
    """Horizontal bars of the overall DTI rank in the most complete edition (most provinces
    ranked, then the newest): the better the rank, the longer the bar. None when the release
    holds no overall rank."""
    if rankings is None or rankings.empty:
        return None
    ranks = rankings[rankings["indicator_id"] == "dti.rank"].copy()
    if ranks.empty:
        return None
    coverage = ranks.groupby(["ref_year", "unit_set"])["province_code"].nunique().reset_index(name="n")
    best = coverage.sort_values(["n", "ref_year"], ascending=False).iloc[0]
    year, unit_set = int(best["ref_year"]), int(best["unit_set"])
    ranks = ranks[(ranks["ref_year"] == year) & (ranks["unit_set"] == unit_set)]
    # Prefer the official table when several sources rank a province.
    ranks["_official"] = ranks["method"] != "official_table"
    ranks = ranks.sort_values(["_official", "source_id"]).drop_duplicates(["province_code"])
    ranks = ranks.sort_values(["value", "province"])
    rank_of = int(ranks["rank_of"].max()) if ranks["rank_of"].notna().any() else int(ranks["value"].max())
    bar_h, gap, left, width = 14, 4, 170, 420
    height = len(ranks) * (bar_h + gap) + 40
    out = [
        f'<svg class="chart" id="dti-chart" role="img" xmlns="http://www.w3.org/2000/svg" width="{left + width + 60}" height="{height}"'
        f' viewBox="0 0 {left + width + 60} {height}" aria-label="DTI {year} overall rank by province">',
        f'<text x="0" y="14" class="chart-title">Provincial DTI {year} (assessment year), {len(ranks)} of {rank_of} units ranked: '
        "longer bar = better rank</text>",
    ]
    for i, r in enumerate(ranks.itertuples()):
        y = 26 + i * (bar_h + gap)
        rank = int(r.value)
        w = max(2.0, width * (rank_of + 1 - rank) / rank_of)
        label = html.escape(_province_label(r.province, r.unit_set))
        out.append(f'<text x="{left - 6}" y="{y + bar_h - 3}" text-anchor="end" class="label">{label}</text>')
        out.append(
            f'<rect class="mark" x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#3b6ea8">'
            f"<title>{label}: rank {rank}/{rank_of} in DTI {year} ({html.escape(str(r.source_id))})</title></rect>"
        )
        out.append(f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 3}" class="value">{rank}</text>')
    out.append("</svg>")
    return "\n".join(out)


def facts_grid_svg(folder: Path, max_rows: int = 25) -> str | None:
    """A grid of provinces by theme; each circle's area shows how many facts the release holds.
    The provinces with most facts first, at most max_rows of them."""
    frames = []
    for theme in FACT_TABLES:
        df = _read(folder, theme)
        if df is not None and not df.empty:
            frames.append(df.assign(theme=theme)[["theme", "province", "province_code", "unit_set"]])
    if not frames:
        return None
    counts = pd.concat(frames).groupby(["province", "province_code", "unit_set", "theme"]).size()
    provinces = counts.groupby(level=[0, 1, 2]).sum().sort_values(ascending=False, kind="mergesort")
    shown_all = len(provinces) <= max_rows
    total_provinces = len(provinces)
    provinces = provinces.iloc[:max_rows]
    themes = [t for t in FACT_TABLES]
    cell, left, top = 22, 170, 50
    height = top + len(provinces) * cell + 10
    width = max(left + len(themes) * cell * 4, 760)
    biggest = int(counts.max())
    out = [
        f'<svg class="chart" id="facts-chart" role="img" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" aria-label="Facts per theme and province">',
        f'<text x="0" y="14" class="chart-title">Facts per theme and province (circle area = number of facts)'
        f'{"" if shown_all else f", the {max_rows} provinces with most facts of {total_provinces}"}</text>',
    ]
    for j, theme in enumerate(themes):
        x = left + j * cell * 4 + cell * 2
        out.append(f'<text x="{x}" y="{top - 10}" text-anchor="middle" class="label">{html.escape(theme)}</text>')
    for i, (prov, code, unit_set) in enumerate(provinces.index):
        y = top + i * cell + cell / 2
        label = html.escape(_province_label(prov, unit_set))
        out.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end" class="label">{label}</text>')
        for j, theme in enumerate(themes):
            n = int(counts.get((prov, code, unit_set, theme), 0))
            if not n:
                continue
            x = left + j * cell * 4 + cell * 2
            radius = max(2.0, (cell / 2 - 1) * (n / biggest) ** 0.5)
            out.append(
                f'<circle class="mark" cx="{x}" cy="{y}" r="{radius:.1f}" fill="{_THEME_COLOURS[theme]}">'
                f"<title>{label}: {n} facts in {theme}</title></circle>"
            )
    out.append("</svg>")
    return "\n".join(out)


# --- page ----------------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; color: #222; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.num { text-align: right; }
code { background: #f6f6f6; padding: 0 0.2rem; }
.chart { display: block; margin: 1rem 0; } .chart text { font-size: 11px; fill: #333; }
.chart .chart-title { font-size: 13px; font-weight: 600; }
.files a { margin-right: 0.6rem; white-space: nowrap; }
"""


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _e(text) -> str:
    return html.escape("" if text is None else str(text))


def policy_html(descriptor: Mapping) -> list[str]:
    """The publication policy of a release (datapackage.json, dxdata.publication_policy): which
    facts are published, the automatic threshold and how many rows each rule gave."""
    policy = (descriptor.get("dxdata") or {}).get("publication_policy")
    if not policy:
        return []
    counts = policy.get("facts_by_review") or {}
    out = [
        '<h2 id="publication-policy">Publication policy</h2>',
        "<p>Column <code>review</code> of every fact table says how a fact was checked. Automatic threshold: "
        f"<strong>{_e(policy.get('automatic_threshold'))}</strong> (setting <code>{_e(policy.get('automatic_threshold_setting'))}</code>, "
        f"default {_e(policy.get('automatic_threshold_default'))}).</p>",
        "<table><thead><tr><th>review</th><th>rule</th><th>facts in this release</th></tr></thead><tbody>",
    ]
    for status, rule in (policy.get("rules") or {}).items():
        out.append(f'<tr><td><code>{_e(status)}</code></td><td>{_e(rule)}</td><td class="num">{int(counts.get(status, 0))}</td></tr>')
    out.append("</tbody></table>")
    return out


def render_html(index: Mapping, latest_folder: Path | None, index_sha256: str | None = None) -> str:
    rel = _release_module()
    latest = index.get("latest")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        *([f'<meta name="{INDEX_HASH_META}" content="{index_sha256}">'] if index_sha256 else []),
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(index.get('title'))}: releases</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{_e(index.get('title'))}</h1>",
        "<p>Open data on the digital transformation of Vietnam's provinces, each value with the sentence or table "
        "row it was taken from. Data licence: "
        '<a href="https://creativecommons.org/licenses/by/4.0/">CC-BY-4.0</a>. '
        f'Machine-readable catalogue: <a href="{INDEX_JSON}">{INDEX_JSON}</a>.</p>',
    ]
    if latest:
        parts.append(
            f'<p>Latest release: <strong>{_e(latest)}</strong>. Check a download with '
            f"<code>dxdata verify {_e(latest)}/</code> or against the hashes in its "
            f'<a href="{_e(latest)}/{rel.DATAPACKAGE}">datapackage.json</a>.</p>'
        )
    else:
        parts.append("<p>No release has been published yet.</p>")

    if latest_folder is not None:
        charts = [c for c in (dti_rank_svg(_read(latest_folder, "rankings")), facts_grid_svg(latest_folder)) if c]
        if charts:
            parts.append(f"<h2>Release {_e(latest)} at a glance</h2>")
            parts.extend(charts)

    if latest_folder is not None and (latest_folder / rel.DATAPACKAGE).exists():
        parts.extend(policy_html(json.loads((latest_folder / rel.DATAPACKAGE).read_text(encoding="utf-8"))))

    parts.append("<h2>Releases</h2>")
    parts.append("<table><thead><tr><th>version</th><th>published</th><th>change</th><th>rows</th><th>size</th><th>files</th></tr></thead><tbody>")
    for e in index.get("releases", []):
        links = " ".join(
            f'<a href="{_e(f["path"])}" title="{_e(f["hash"])}">{_e(f["path"].split("/", 1)[1])}</a>' for f in e["files"]
        )
        rows = sum(n or 0 for n in e.get("rows", {}).values())
        parts.append(
            f"<tr><td><a href=\"{_e(e['path'])}{rel.CHANGES_MD}\">{_e(e['version'])}</a></td><td>{_e((e.get('created') or '')[:10])}</td>"
            f"<td>{_e(e.get('reason'))}</td><td class=\"num\">{rows}</td><td class=\"num\">{_size(e['bytes'])}</td>"
            f'<td class="files">{links}</td></tr>'
        )
    parts.append("</tbody></table>")

    if latest_folder is not None and (latest_folder / rel.DATAPACKAGE).exists():
        descriptor = json.loads((latest_folder / rel.DATAPACKAGE).read_text(encoding="utf-8"))
        parts.append(f"<h2>Data dictionary (release {_e(latest)})</h2>")
        for r in descriptor["resources"]:
            parts.append(f'<h3 id="table-{_e(r["name"])}">{_e(r["name"])}</h3>')
            parts.append(f"<p>{_e(r.get('description'))} {r.get('rows', 0)} rows, file "
                         f'<a href="{_e(latest)}/{_e(r["path"])}">{_e(r["path"])}</a>.</p>')
            parts.append("<table><thead><tr><th>column</th><th>type</th><th>unit</th><th>required</th><th>description</th></tr></thead><tbody>")
            for f in r["schema"]["fields"]:
                required = "yes" if f.get("constraints", {}).get("required") else ""
                parts.append(f"<tr><td><code>{_e(f['name'])}</code></td><td>{_e(f['type'])}</td><td>{_e(f.get('unit'))}</td>"
                             f"<td>{required}</td><td>{_e(f.get('description'))}</td></tr>")
            parts.append("</tbody></table>")
        indicators = _read(latest_folder, "indicators")
        if indicators is not None:
            parts.append("<h3 id=\"indicator-units\">Indicators and their units</h3>")
            parts.append("<p>Fact tables hold one indicator per row; its unit is in column <code>unit</code> and here.</p>")
            parts.append("<table><thead><tr><th>indicator_id</th><th>table</th><th>unit</th><th>definition</th></tr></thead><tbody>")
            for r in indicators.itertuples():
                parts.append(f"<tr><td><code>{_e(r.indicator_id)}</code></td><td>{_e(r.theme)}</td><td>{_e(r.unit)}</td><td>{_e(r.definition_en)}</td></tr>")
            parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
