"""The dev sets' files are well formed: the shared one (../shared/devset) and ours (tests/devsets/).

`dxdata evaluate` scores the engine against these gold files, so a malformed gold row (an alias
instead of the register name, "1.860" instead of 1860, an unknown qualifier) would silently turn
into a miss or a false fact. `check_devset` lists every problem as "<file>: <problem>"; the tests
below run it on the shared set and on passages-100 and prove, on corrupted copies, that it can
fail. tests/test_devsets.py runs it on every set of tests/devsets/. The rules it checks are
written in docs/gold-convention.md.
"""

from __future__ import annotations

import csv
import io
import math
import re
import shutil
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from dxdata.catalogue import load_catalogue
from dxdata.model import QUALIFIERS
from dxdata.provinces import load_register
from dxdata.paths import REPO_ROOT

OWN_DEVSET = Path(__file__).resolve().parent / "devsets" / "passages-100"
SHARED_DEVSET = REPO_ROOT.parent / "shared" / "devset"
SHARED_SPEC = REPO_ROOT.parent / "shared" / "spec" / "indicators.csv"

GOLD_HEADER = ["indicator_id", "province", "value", "qualifier", "ref_year", "ref_date"]
PASSAGE_NAME = re.compile(r"^(\d{3})_[a-z0-9]+(?:-[a-z0-9]+)*\.txt$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Years bound what a gold row may claim: DTI editions start in 2020, the devsets were written
# about 2020-2025; anything outside is a typo.
PLAUSIBLE_YEARS = range(2015, 2031)

# Dateline styles seen in Vietnamese outlets; the first that matches gives the publication date.
_DATELINE_PATTERNS = [
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"), ("y", "m", "d")),
    (re.compile(r"[Nn]gày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"), ("d", "m", "y")),
    (re.compile(r"(?<!\d)(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?!\d)"), ("d", "m", "y")),
]

# The two shapes of passage (docs/gold-convention.md): a "passages" set follows the shared format
# (a title without figures, 3 to 12 sentences); an "articles" set holds text as outlets print it,
# headlines with figures and whole pages included, so only its lower bound on sentences applies.
KINDS = ("passages", "articles")
# The 2024 DTI edition has a 63-unit and a 34-unit ranking; a passage quoting both for one name
# gives two rows with one key (docs/gold-convention.md, "Two rankings").
_TWO_RANKINGS = re.compile(r"/\s?34(?!\d)|(?<!\d)34 (?:tỉnh|địa phương|đơn vị)")

# Tokens after which a full stop does not end a sentence ("TP. Cần Thơ", "TS. Nguyễn").
_NON_FINAL_ABBREVIATIONS = {"TP", "Tp", "TS", "ThS", "PGS", "GS", "BS", "KS", "Th", "St", "Q", "P"}


def publication_date(dateline: str) -> date | None:
    text = unicodedata.normalize("NFC", dateline)
    for pattern, order in _DATELINE_PATTERNS:
        m = pattern.search(text)
        if m:
            parts = dict(zip(order, (int(g) for g in m.groups())))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return None


def count_sentences(body: str) -> int:
    """Sentences in the body: a '.', '!' or '?' followed by a space and a capital or digit ends
    one, unless the word before is an abbreviation that precedes a name."""
    text = unicodedata.normalize("NFC", body).strip()
    if not text:
        return 0
    count = 0
    for m in re.finditer(r"([.!?…])(?:\s+(?=[A-ZĐÀ-Ỹ0-9\"“(])|\s*$)", text):
        before = re.search(r"([\wĐđ&]+)$", text[: m.start()])
        if m.group(1) == "." and before and before.group(1) in _NON_FINAL_ABBREVIATIONS:
            continue
        count += 1
    return count


def _decode(path: Path, problems: list[str]) -> str | None:
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append(f"{path}: starts with a UTF-8 byte-order mark")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(f"{path}: not valid UTF-8 ({exc.reason} at byte {exc.start})")
        return None


def _check_passage(path: Path, problems: list[str], kind: str = "passages") -> date | None:
    text = _decode(path, problems)
    if text is None:
        return None
    lines = [line.strip() for line in text.splitlines()]
    if len(lines) < 3:
        problems.append(f"{path}: needs a title, a dateline and a body; found {len(lines)} line(s)")
        return None
    title, dateline, body = lines[0], lines[1], " ".join(line for line in lines[2:] if line)
    if not title:
        problems.append(f"{path}: line 1 (title) is empty")
    # "4G" or "2G" names a technology; a number standing alone is a figure.
    for figure in re.findall(r"(?<!\w)\d+(?:[.,]\d+)*(?!\w)", title) if kind == "passages" else ():
        if not re.fullmatch(r"(?:19|20)\d\d", figure):
            problems.append(f"{path}: title holds a figure {figure!r} (titles may name a year only)")
    published = publication_date(dateline)
    if published is None:
        problems.append(f"{path}: line 2 {dateline!r} is not a dateline with a valid date")
    sentences = count_sentences(body)
    if kind == "passages" and not 3 <= sentences <= 12:
        problems.append(f"{path}: body has {sentences} sentence(s); expected 3 to 12")
    elif sentences < 3:
        problems.append(f"{path}: body has {sentences} sentence(s); expected at least 3")
    return published


def _check_value(where: str, unit: str, raw: str, problems: list[str]) -> None:
    try:
        value = float(raw)
    except ValueError:
        problems.append(f"{where}: value {raw!r} is not a plain number with a '.' decimal point")
        return
    if not math.isfinite(value) or value < 0:
        problems.append(f"{where}: value {raw!r} is not a finite non-negative number")
        return
    if unit in ("count", "rank", "vnd") and value != int(value):
        problems.append(f"{where}: value {raw!r} must be a whole number for unit {unit}")
    if unit == "percent" and value > 100:
        problems.append(f"{where}: percent value {raw!r} is above 100")
    if unit == "index" and value > 1:
        problems.append(f"{where}: index value {raw!r} is above 1")
    if unit == "boolean" and value != 1:
        problems.append(f"{where}: boolean value {raw!r} must be 1")
    if unit == "rank" and not 1 <= value <= 63:
        problems.append(f"{where}: rank {raw!r} is outside 1..63")


def _check_gold(path: Path, published: date | None, problems: list[str], two_rankings: bool = False) -> list[dict]:
    text = _decode(path, problems)
    if text is None:
        return []
    if unicodedata.normalize("NFC", text) != text:
        problems.append(f"{path}: gold file is not NFC")
    catalogue = load_catalogue()
    register = load_register()
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header != GOLD_HEADER:
        problems.append(f"{path}: header is {header}, expected {','.join(GOLD_HEADER)}")
        return []
    rows, seen = [], {}
    for line_no, fields in enumerate(reader, start=2):
        where = f"{path}:{line_no}"
        if not fields:
            problems.append(f"{where}: blank line")
            continue
        if len(fields) != len(GOLD_HEADER):
            problems.append(f"{where}: {len(fields)} fields, expected {len(GOLD_HEADER)}")
            continue
        row = dict(zip(GOLD_HEADER, fields))
        rows.append(row)
        indicator = catalogue.get(row["indicator_id"])
        if indicator is None:
            problems.append(f"{where}: indicator_id {row['indicator_id']!r} is not in the catalogue")
        else:
            _check_value(where, indicator["unit"], row["value"], problems)
        province = register.lookup(row["province"]) if row["province"] else None
        if province is None:
            problems.append(f"{where}: province {row['province']!r} is not in the province register")
        elif province.name != row["province"]:
            problems.append(f"{where}: province {row['province']!r} must be written as the register name {province.name!r}")
        if row["qualifier"] not in QUALIFIERS:
            problems.append(f"{where}: qualifier {row['qualifier']!r} is not one of {', '.join(QUALIFIERS)}")
        try:
            ref_year = int(row["ref_year"])
        except ValueError:
            problems.append(f"{where}: ref_year {row['ref_year']!r} is not a year")
            ref_year = None
        if ref_year is not None and ref_year not in PLAUSIBLE_YEARS:
            problems.append(f"{where}: ref_year {ref_year} is outside {PLAUSIBLE_YEARS.start}..{PLAUSIBLE_YEARS.stop - 1}")
        if ref_year is not None and published and ref_year > published.year:
            problems.append(f"{where}: ref_year {ref_year} is after the publication date {published}")
        if row["ref_date"]:
            try:
                if not ISO_DATE.match(row["ref_date"]):
                    raise ValueError
                ref_date = date.fromisoformat(row["ref_date"])
            except ValueError:
                problems.append(f"{where}: ref_date {row['ref_date']!r} is neither blank nor an ISO date YYYY-MM-DD")
            else:
                if ref_year is not None and ref_date.year != ref_year:
                    problems.append(f"{where}: ref_date {ref_date} is not in ref_year {ref_year}")
                if published and ref_date > published:
                    problems.append(f"{where}: ref_date {ref_date} is after the publication date {published}")
        key = (row["indicator_id"], row["province"], row["ref_year"], row["ref_date"])
        if key in seen and not _other_ranking(key, seen[key], row["value"], two_rankings):
            problems.append(f"{where}: duplicate fact {key}")
        seen.setdefault(key, []).append(row["value"])
    return rows


def _other_ranking(key: tuple, values: list[str], value: str, two_rankings: bool) -> bool:
    """A second row for one key is the province's figure in the other 2024 DTI ranking: allowed
    once, with a different value, when the passage names the 34-unit ranking."""
    indicator, _, ref_year, ref_date = key
    return (two_rankings and indicator.startswith("dti.") and ref_year == "2024" and not ref_date
            and len(values) == 1 and values[0] != value)


def check_devset(folder: Path, kind: str = "passages") -> list[str]:
    """Every problem in a dev-set folder, as '<file>: <problem>'; empty when it is well formed.
    `kind` is the shape of its passages, one of KINDS."""
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {KINDS}")
    problems: list[str] = []
    passages = sorted(folder.glob("*.txt"))
    if not passages:
        return [f"{folder}: no passages (*.txt)"]
    numbers: dict[str, Path] = {}
    for txt in passages:
        m = PASSAGE_NAME.match(txt.name)
        if not m:
            problems.append(f"{txt}: file name is not NNN_slug.txt (lower-case ASCII slug)")
        elif m.group(1) in numbers:
            problems.append(f"{txt}: number {m.group(1)} is also used by {numbers[m.group(1)].name}")
        else:
            numbers[m.group(1)] = txt
        published = _check_passage(txt, problems, kind)
        gold = txt.with_name(txt.name[: -len(".txt")] + ".gold.csv")
        if not gold.exists():
            problems.append(f"{txt}: no gold file {gold.name}")
            continue
        text = unicodedata.normalize("NFC", txt.read_bytes().decode("utf-8", errors="replace"))
        _check_gold(gold, published, problems, two_rankings=bool(_TWO_RANKINGS.search(text)))
    for gold in sorted(folder.glob("*.gold.csv")):
        if not gold.with_name(gold.name[: -len(".gold.csv")] + ".txt").exists():
            problems.append(f"{gold}: no passage for this gold file")
    return problems


def gold_rows(folder: Path) -> list[dict]:
    rows: list[dict] = []
    for gold in sorted(folder.glob("*.gold.csv")):
        with gold.open(encoding="utf-8", newline="") as fh:
            rows.extend(dict(r, file=gold.name) for r in csv.DictReader(fh))
    return rows


# --- the two dev sets ------------------------------------------------------------------------


def test_own_devset_is_well_formed():
    assert check_devset(OWN_DEVSET) == []


@pytest.mark.skipif(not SHARED_DEVSET.is_dir(), reason="../shared/devset is not present")
def test_shared_devset_is_well_formed():
    assert check_devset(SHARED_DEVSET) == []


def test_own_devset_size_and_numbering():
    passages = sorted(OWN_DEVSET.glob("*.txt"))
    assert len(passages) >= 32
    numbers = [int(p.name[:3]) for p in passages]
    assert min(numbers) >= 101, "our passages are numbered from 101 so they never clash with the shared set"
    header_only = [p for p in passages if not gold_rows_of(p)]
    assert 3 <= len(header_only) < len(passages) // 4


def gold_rows_of(passage: Path) -> list[dict]:
    with passage.with_name(passage.name[: -len(".txt")] + ".gold.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.skipif(not SHARED_SPEC.is_file(), reason="../shared/spec/indicators.csv is not present")
def test_own_devset_covers_every_contract_indicator_twice():
    with SHARED_SPEC.open(encoding="utf-8", newline="") as fh:
        contract = [row["indicator_id"] for row in csv.DictReader(fh)]
    counts = {iid: 0 for iid in contract}
    for row in gold_rows(OWN_DEVSET):
        assert row["indicator_id"] in counts, f"{row['file']}: {row['indicator_id']} is outside the 36-indicator contract"
        counts[row["indicator_id"]] += 1
    assert {iid: n for iid, n in counts.items() if n < 2} == {}


def test_own_devset_uses_every_qualifier():
    qualifiers = {row["qualifier"] for row in gold_rows(OWN_DEVSET)}
    assert qualifiers == set(QUALIFIERS)


def test_own_devset_has_nfd_and_old_tone_passages():
    texts = [p.read_text(encoding="utf-8") for p in OWN_DEVSET.glob("*.txt")]
    assert sum(unicodedata.normalize("NFC", t) != t for t in texts) >= 3
    assert sum(bool(re.search(r"(?i)\b\w*(?:oà|oá|uỷ)(?!\w)", unicodedata.normalize("NFC", t))) for t in texts) >= 3


# --- the checker itself can fail ---------------------------------------------------------------

GOOD_TXT = (
    "Hậu Giang đẩy mạnh chuyển đổi số\n"
    "Thứ năm, 05/05/2022 21:48\n"
    "Đến nay, Hậu Giang có 1.860 DVCTT. Tỉnh hiện có 40 doanh nghiệp CNTT. "
    "Năm 2021, doanh thu đạt khoảng 300 tỉ đồng.\n"
)
GOOD_GOLD = (
    "indicator_id,province,value,qualifier,ref_year,ref_date\n"
    "egov.online_services_total,Hậu Giang,1860,exact,2022,2022-05-05\n"
    "ent.it_enterprises,Hậu Giang,40,exact,2022,2022-05-05\n"
    "ent.it_revenue_vnd,Hậu Giang,300000000000,approx,2021,\n"
)
GOOD_ROW = "egov.online_services_total,Hậu Giang,1860,exact,2022,2022-05-05"


def _write(folder: Path, txt: str | bytes = GOOD_TXT, gold: str | bytes | None = GOOD_GOLD, name: str = "201_hau-giang") -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.txt").write_bytes(txt if isinstance(txt, bytes) else txt.encode("utf-8"))
    if gold is not None:
        (folder / f"{name}.gold.csv").write_bytes(gold if isinstance(gold, bytes) else gold.encode("utf-8"))


def test_checker_accepts_a_good_file(tmp_path):
    _write(tmp_path)
    assert check_devset(tmp_path) == []


BAD_GOLD_ROWS = {
    "unknown indicator": ("egov.online_services_all,Hậu Giang,1860,exact,2022,2022-05-05", "not in the catalogue"),
    "alias not register name": ("egov.online_services_total,Tỉnh Hậu Giang,1860,exact,2022,2022-05-05", "register name"),
    "unknown province": ("egov.online_services_total,Hậu Giang Mới,1860,exact,2022,2022-05-05", "not in the province register"),
    "vietnamese number": ("egov.online_services_total,Hậu Giang,\"1.860,5\",exact,2022,2022-05-05", "plain number"),
    "fractional count": ("egov.online_services_total,Hậu Giang,1.86,exact,2022,2022-05-05", "whole number"),
    "percent above 100": ("infra.digital_signature_pct,Hậu Giang,980,exact,2022,2022-05-05", "above 100"),
    "index above 1": ("dti.score,Hậu Giang,50.64,exact,2021,", "above 1"),
    "rank out of range": ("dti.rank,Hậu Giang,64,exact,2021,", "outside 1..63"),
    "boolean zero": ("infra.data_platform_national_link,Hậu Giang,0,exact,2022,2022-05-05", "must be 1"),
    "bad qualifier": ("egov.online_services_total,Hậu Giang,1860,about,2022,2022-05-05", "qualifier"),
    "vietnamese date": ("egov.online_services_total,Hậu Giang,1860,exact,2022,05/05/2022", "ISO date"),
    "date outside ref_year": ("egov.online_services_total,Hậu Giang,1860,exact,2021,2022-05-05", "not in ref_year"),
    "date after publication": ("egov.online_services_total,Hậu Giang,1860,exact,2022,2022-06-01", "after the publication"),
    "year typo": ("egov.online_services_total,Hậu Giang,1860,exact,2202,", "outside"),
    "missing field": ("egov.online_services_total,Hậu Giang,1860,exact,2022", "fields"),
    "duplicate": (GOOD_ROW, "duplicate"),
}


@pytest.mark.parametrize("case", sorted(BAD_GOLD_ROWS))
def test_checker_rejects_a_bad_gold_row(tmp_path, case):
    row, expected = BAD_GOLD_ROWS[case]
    _write(tmp_path, gold=GOOD_GOLD + row + "\n")
    problems = check_devset(tmp_path)
    assert problems, f"{case}: not detected"
    assert any("201_hau-giang.gold.csv" in p and expected in p for p in problems), problems


BAD_FILES = {
    "gold header": dict(gold=GOOD_GOLD.replace("ref_date", "date")),
    "gold with BOM": dict(gold=b"\xef\xbb\xbf" + GOOD_GOLD.encode("utf-8")),
    "gold not NFC": dict(gold=unicodedata.normalize("NFD", GOOD_GOLD)),
    "passage not UTF-8": dict(txt=GOOD_TXT.encode("cp1258", errors="replace")),
    "no dateline": dict(txt=GOOD_TXT.replace("Thứ năm, 05/05/2022 21:48", "Theo báo cáo của tỉnh")),
    "impossible date": dict(txt=GOOD_TXT.replace("05/05/2022", "31/02/2022")),
    "figure in title": dict(txt=GOOD_TXT.replace("đẩy mạnh", "có 1.860 DVCTT,")),
    "too few sentences": dict(txt="Hậu Giang\n05/05/2022 21:48\nĐến nay, Hậu Giang có 1.860 DVCTT.\n"),
    "missing gold": dict(gold=None),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_checker_rejects_a_bad_file(tmp_path, case):
    _write(tmp_path, **BAD_FILES[case])
    problems = check_devset(tmp_path)
    assert problems, f"{case}: not detected"
    assert all("201_hau-giang" in p for p in problems), problems


def test_checker_rejects_bad_names_and_orphans(tmp_path):
    _write(tmp_path, name="7_Hau Giang")
    _write(tmp_path, name="202_hau-giang")
    (tmp_path / "203_orphan.gold.csv").write_text(GOOD_GOLD, encoding="utf-8")
    problems = check_devset(tmp_path)
    assert any("7_Hau Giang.txt" in p and "NNN_slug" in p for p in problems)
    assert any("203_orphan.gold.csv" in p and "no passage" in p for p in problems)
    assert not any("202_hau-giang" in p for p in problems)


def test_checker_rejects_an_empty_folder(tmp_path):
    assert check_devset(tmp_path) == [f"{tmp_path}: no passages (*.txt)"]


def test_checker_runs_on_a_copy_of_a_real_passage(tmp_path):
    # Guards against a checker that only knows the synthetic example above.
    source = sorted(OWN_DEVSET.glob("*.txt"))[0]
    shutil.copy(source, tmp_path / source.name)
    gold = source.with_name(source.name[: -len(".txt")] + ".gold.csv")
    shutil.copy(gold, tmp_path / gold.name)
    assert check_devset(tmp_path) == []
    with (tmp_path / gold.name).open("a", encoding="utf-8") as fh:
        fh.write("dti.rank,TP.HCM,2,exact,2022,\n")
    assert any("'TP.HCM'" in p for p in check_devset(tmp_path))


@pytest.mark.parametrize(
    "dateline, expected",
    [
        ("Thứ năm, 05/05/2022 21:48", date(2022, 5, 5)),
        ("Cập nhật: 14:20 ngày 20/9/2023", date(2023, 9, 20)),
        ("Ngày 7 tháng 10 năm 2022", date(2022, 10, 7)),
        ("15:30 | 28/07/2023", date(2023, 7, 28)),
        ("Ngày đăng: 21-04-2023 | 10:12", date(2023, 4, 21)),
        ("2023-09-14T08:30:00+07:00", date(2023, 9, 14)),
        ("Theo báo cáo của tỉnh", None),
    ],
)
def test_publication_date_of_dateline_styles(dateline, expected):
    assert publication_date(dateline) == expected


def test_sentence_count_ignores_abbreviations():
    assert count_sentences("TP. Cần Thơ có 9 quận. Sở TT&TT cho biết vậy. Hết.") == 3
    assert count_sentences("Tỷ lệ đạt 98,5%. Năm 2022 tăng 2.5 lần.") == 2


# --- kinds of set and the two 2024 rankings --------------------------------------------------------

LONG_TXT = (
    "Hậu Giang: 40 doanh nghiệp CNTT\n"
    "Thứ năm, 05/05/2022 21:48\n"
    + " ".join(f"Câu thứ {i} của bài viết dài." for i in range(1, 14))
    + " Đến nay, Hậu Giang có 1.860 DVCTT. Tỉnh hiện có 40 doanh nghiệp CNTT. Năm 2021, doanh thu đạt khoảng 300 tỉ đồng.\n"
)


def test_articles_may_have_headline_figures_and_long_bodies_passages_may_not(tmp_path):
    _write(tmp_path, txt=LONG_TXT)
    assert check_devset(tmp_path, "articles") == []
    problems = check_devset(tmp_path, "passages")
    assert any("title holds a figure '40'" in p for p in problems) and any("expected 3 to 12" in p for p in problems)
    with pytest.raises(ValueError, match="kind"):
        check_devset(tmp_path, "pages")


TWO_RANKINGS_TXT = (
    "Đà Nẵng sau hợp nhất\n"
    "Thứ năm, 23/10/2025 21:48\n"
    "Theo DTI 2024, Đà Nẵng xếp thứ 17/34 tỉnh, thành phố. Xét theo 63 đơn vị cũ, Đà Nẵng xếp thứ 2. "
    "Kết quả được công bố ngày 21/10.\n"
)
TWO_RANKINGS_GOLD = "indicator_id,province,value,qualifier,ref_year,ref_date\ndti.rank,Đà Nẵng,17,exact,2024,\ndti.rank,Đà Nẵng,2,exact,2024,\n"


@pytest.mark.parametrize("case, txt, gold, duplicate", [
    ("both rankings named", TWO_RANKINGS_TXT, TWO_RANKINGS_GOLD, False),
    ("no 34-unit ranking in the text", TWO_RANKINGS_TXT.replace("17/34 tỉnh, thành phố", "thứ 17"), TWO_RANKINGS_GOLD, True),
    ("same value twice", TWO_RANKINGS_TXT, TWO_RANKINGS_GOLD.replace(",2,", ",17,"), True),
    ("a third row", TWO_RANKINGS_TXT, TWO_RANKINGS_GOLD + "dti.rank,Đà Nẵng,5,exact,2024,\n", True),
    ("another year", TWO_RANKINGS_TXT, TWO_RANKINGS_GOLD.replace("2024", "2023"), True),
])
def test_one_key_twice_only_for_the_two_2024_rankings(tmp_path, case, txt, gold, duplicate):
    _write(tmp_path, txt=txt, gold=gold)
    problems = [p for p in check_devset(tmp_path) if "duplicate fact" in p]
    assert bool(problems) is duplicate, (case, problems)
