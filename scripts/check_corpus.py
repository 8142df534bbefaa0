#!/usr/bin/env python3
"""Check the real-corpus sources and their editor reviews against the shared contract.

Usage: python scripts/check_corpus.py [SOURCE_ID_PREFIX ...]

Checks, for every `sources/articles/r-*.txt` (or those whose id starts with a given prefix):
the sidecar has every key of the contract with sane values, its sha256 and excerpt_chars match
the text, the text is NFC without BOM; the review file exists, has the exact header, and each row
names a catalogue indicator and a register province, a valid decision with the columns it
requires, and a quote that is a substring of the text and holds a digit or a rank word.
Standard library only; exits 1 on any problem and names file and line.
"""
import csv
import hashlib
import json
import re
import sys
import unicodedata
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "sources" / "articles"
REVIEWS = ROOT / "sources" / "reviews"

SIDECAR_KEYS = {
    "source_id", "kind", "title", "publisher", "original_outlet", "outlet_credit",
    "published_at", "published_at_from", "url", "language", "licence", "provinces", "themes",
    "excerpt", "excerpt_chars", "captured_from", "captured_on", "sha256",
}
OPTIONAL_KEYS = {"notes"}  # e.g. how a date the page gives only in part was completed
DATE_FROM = {"dateline in the text", "date shown on the page", "date in the URL"}
THEMES = {"infrastructure", "e_government", "workforce", "enterprises", "rankings"}
HEADER = ("indicator_id,province,value,qualifier,ref_year,ref_date,quote,decision,"
          "engine_value,reason,reviewer,reviewed_on").split(",")
DECISIONS = {"accepted", "corrected", "missed", "rejected"}
QUALIFIERS = {"exact", "approx", "over", "under"}
ID_RE = re.compile(r"^r-[a-z0-9]+(-[a-z0-9]+)*$")


# DTI main-index rank ids announced by the lead (review-format.md, CHANGED); valid for
# reviews even while schemas/indicators.csv does not list them yet.
EXTRA_RANK_IDS = ["dti.rank_digital_awareness", "dti.rank_digital_institutions",
                  "dti.rank_digital_infrastructure", "dti.rank_digital_workforce",
                  "dti.rank_cybersecurity", "dti.rank_digital_government_ops",
                  "dti.rank_digital_economy_ops", "dti.rank_digital_society_ops"]


def load_catalogue():
    with open(ROOT / "schemas" / "indicators.csv", encoding="utf-8") as fh:
        catalogue = {row["indicator_id"]: row for row in csv.DictReader(fh)}
    for iid in EXTRA_RANK_IDS:
        catalogue.setdefault(iid, {"indicator_id": iid, "theme": "rankings", "unit": "rank"})
    return catalogue


def load_provinces():
    with open(ROOT / "sources" / "registers" / "provinces.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {r["name"] for r in rows}, {r["slug"] for r in rows}


def check_source(txt: Path, catalogue, names, slugs, problems):
    sid = txt.stem

    def bad(where, msg):
        problems.append(f"{where}: {msg}")

    raw = txt.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        bad(txt, "has a BOM")
    text = raw.decode("utf-8")
    if unicodedata.normalize("NFC", text) != text:
        bad(txt, "is not NFC")
    if not ID_RE.match(sid) or len(sid) > 80:
        bad(txt, f"source_id {sid!r} is not r-<slug>-<yyyymmdd>-<slug> (<= 80 chars)")
    else:
        m = re.match(r"^r-(.+?)-(\d{8}|\d{6})-", sid)  # yyyymm when the page gives only the month
        if not m or (m.group(1) != "vn" and m.group(1) not in slugs):
            bad(txt, f"source_id {sid!r} does not start with a register slug or 'vn' and a date")
    side_path = txt.with_suffix(".json")
    if not side_path.exists():
        bad(side_path, "missing sidecar")
        return
    side = json.loads(side_path.read_text(encoding="utf-8"))
    missing, extra = SIDECAR_KEYS - side.keys(), side.keys() - SIDECAR_KEYS - OPTIONAL_KEYS
    if missing:
        bad(side_path, f"missing keys {sorted(missing)}")
    if extra:
        bad(side_path, f"unknown keys {sorted(extra)}")
    if side.get("source_id") != sid:
        bad(side_path, "source_id differs from the file name")
    if side.get("kind") != "article":
        bad(side_path, "kind must be 'article'")
    if side.get("sha256") != hashlib.sha256(raw).hexdigest():
        bad(side_path, "sha256 does not match the .txt bytes")
    if side.get("excerpt") is True and side.get("excerpt_chars") != len(text):
        bad(side_path, f"excerpt_chars {side.get('excerpt_chars')} != len(text) {len(text)}")
    if side.get("published_at_from") not in DATE_FROM:
        bad(side_path, f"published_at_from {side.get('published_at_from')!r} not one of {sorted(DATE_FROM)}")
    pub = str(side.get("published_at") or "")
    # A page that shows only its month is dated "YYYY-MM" and its id carries yyyymm.
    if re.match(r"^\d{4}-(0[1-9]|1[0-2])$", pub):
        if f"-{pub.replace('-', '')}-" not in sid:
            bad(side_path, "published_at month differs from the yyyymm in source_id")
    elif not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$", pub):
        bad(side_path, f"published_at {pub!r} is not YYYY-MM-DDTHH:MM:SS+07:00 (or YYYY-MM when the page gives only the month)")
    elif pub[:10].replace("-", "") != sid.split("-")[-1] and pub[:10].replace("-", "") not in sid:
        bad(side_path, "published_at date differs from the date in source_id")
    if not str(side.get("url") or "").startswith(("http://", "https://")):
        bad(side_path, "url must be http(s)")
    if side.get("title") != text.split("\n", 1)[0]:
        bad(side_path, "title differs from line 1 of the text")
    for p in side.get("provinces") or []:
        if p not in names:
            bad(side_path, f"province {p!r} not in the register")
    for t in side.get("themes") or []:
        if t not in THEMES:
            bad(side_path, f"theme {t!r} unknown")
    review = REVIEWS / f"{sid}.csv"
    if not review.exists():
        bad(review, "missing review")
        return
    rtext = review.read_text(encoding="utf-8")
    if unicodedata.normalize("NFC", rtext) != rtext:
        bad(review, "is not NFC")
    rows = list(csv.reader(rtext.splitlines()))
    if not rows or rows[0] != HEADER:
        bad(review, "header differs from the contract")
        return
    for n, row in enumerate(rows[1:], start=2):
        where = f"{review}:{n}"
        if len(row) != len(HEADER):
            bad(where, f"{len(row)} columns, expected {len(HEADER)}")
            continue
        r = dict(zip(HEADER, row))
        ind = catalogue.get(r["indicator_id"])
        if ind is None:
            bad(where, f"unknown indicator {r['indicator_id']!r}")
        if r["province"] not in names:
            bad(where, f"province {r['province']!r} not in the register")
        try:
            value = float(r["value"])
        except ValueError:
            bad(where, f"value {r['value']!r} is not a plain number")
            value = None
        if ind is not None and value is not None:
            unit = ind["unit"]
            if unit == "percent" and not 0 <= value <= 100:
                bad(where, "percent outside 0-100")
            if unit == "index" and not 0 <= value <= 1:
                bad(where, "index outside 0-1")
            if unit in ("count", "rank", "vnd", "boolean") and value != int(value):
                bad(where, f"{unit} must be an integer")
        if r["qualifier"] not in QUALIFIERS:
            bad(where, f"qualifier {r['qualifier']!r}")
        if not re.match(r"^(19|20)\d\d$", r["ref_year"]):
            bad(where, f"ref_year {r['ref_year']!r}")
        if r["ref_date"]:
            try:
                d = date.fromisoformat(r["ref_date"])
                if str(d.year) != r["ref_year"]:
                    bad(where, "ref_date year differs from ref_year")
            except ValueError:
                bad(where, f"ref_date {r['ref_date']!r} is not YYYY-MM-DD")
        if r["indicator_id"].startswith("dti.") and r["ref_date"]:
            bad(where, "DTI rows take a blank ref_date")
        if not r["quote"] or r["quote"] not in text:
            bad(where, "quote is not a substring of the text")
        elif (ind or {}).get("unit") != "boolean" and not re.search(r"\d|nhất|nhì|ba|tư|năm|đầu|cuối", r["quote"]):
            # a boolean fact (e.g. the data platform is linked) is stated in words, not figures
            bad(where, "quote holds no number")
        dec = r["decision"]
        if dec not in DECISIONS:
            bad(where, f"decision {dec!r}")
        if dec == "corrected" and not r["engine_value"]:
            bad(where, "corrected row needs engine_value")
        if dec != "corrected" and r["engine_value"]:
            bad(where, "engine_value only for corrected rows")
        if dec in ("corrected", "rejected") and not r["reason"]:
            bad(where, f"{dec} row needs a reason")
        if not r["reviewer"] or not re.match(r"^\d{4}-\d\d-\d\d$", r["reviewed_on"]):
            bad(where, "reviewer and reviewed_on (YYYY-MM-DD) are required")


def main(argv):
    catalogue = load_catalogue()
    names, slugs = load_provinces()
    problems = []
    txts = sorted(ARTICLES.glob("r-*.txt"))
    if argv:
        txts = [t for t in txts if t.stem.startswith(tuple(argv))]
    for txt in txts:
        check_source(txt, catalogue, names, slugs, problems)
    for orphan in sorted(REVIEWS.glob("r-*.csv")) if REVIEWS.exists() else []:
        if not (ARTICLES / f"{orphan.stem}.txt").exists():
            problems.append(f"{orphan}: review without a source text")
    for p in problems:
        print(p)
    print(f"{len(txts)} sources checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
