"""The one declared schema of an article's metadata sidecar (`<source_id>.json`), and the checks of
the article text it describes.

`ArticleSidecar` (pydantic) is the contract: every key, its type and its allowed values. A sidecar
is read as UTF-8 JSON and validated against it in one go, so every problem of a file is reported
at once, each with the file and the field. The checks that need more than the sidecar (the file
name, the capture or run date, the sources folder, the text itself) run in `problems_of_article`,
which both the pre-run validation (`dxdata.validate.validate_sources`) and ingest call.

Why each rule exists (issue 10, items 5 to 7): wrong types raised bare TypeError far from the file;
a publication year before 2000 dates every present-state fact before the catalogue's first year
and blocked the release; a date after the capture is a typo; only http(s) URLs may reach
`sources.url` and `datapackage.json`; a `path` must stay in the sources folder; a source id is a
file name, a partition key and a key in every table, so it is ASCII from a small set (which also
makes it NFC and rules out look-alike ids); control characters split numbers ("3\\x008" read as 8).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    StrictBool,
    StrictInt,
    TypeAdapter,
    ValidationError,
)

from dxdata.ingest import VN_TZ, published_month_only
from dxdata.model import FIRST_REF_YEAR, LAST_REF_YEAR, THEMES

SOURCE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")
# Characters no article text may hold: C0 and C1 control characters other than line breaks and
# tabs (NUL, ESC, DEL, ...). Format characters (zero-width spaces) are left: real pages carry them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@lru_cache(maxsize=1)
def iso_639_1() -> frozenset[str]:
    """The two-letter ISO 639-1 language codes, from the CLDR data Babel ships."""
    from babel import Locale

    return frozenset(code for code in Locale("en").languages if len(code) == 2 and code.isalpha() and code.islower())


def _source_id(value: str) -> str:
    if not SOURCE_ID.fullmatch(value):
        raise ValueError(f"{value!r} does not match {SOURCE_ID.pattern} (lowercase ASCII letters, digits, '_' and '-', at most 100)")
    return value


def _no_controls(value: str) -> str:
    found = _CONTROL.search(value)
    if found:
        raise ValueError(f"holds the control character U+{ord(found.group()):04X} at position {found.start()}")
    if unicodedata.normalize("NFC", value) != value:
        raise ValueError("is not in Unicode normal form NFC")
    return value


def _publication(value: object) -> object:
    """published_at as a date-time string; a year and month stands for its first moment."""
    if published_month_only(value):
        return f"{value}-01T00:00:00+07:00"
    return _iso_string(value)


def _iso_string(value: object) -> object:
    # pydantic also reads a number of seconds as a datetime; sidecars must spell the date out.
    if not isinstance(value, str) or not re.match(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(f"{value!r} is not an ISO 8601 date-time string (YYYY-MM-DDTHH:MM:SS+07:00)")
    return value


def _within_fact_years(value: datetime) -> datetime:
    if not FIRST_REF_YEAR <= value.year <= LAST_REF_YEAR:
        raise ValueError(f"year {value.year} is outside {FIRST_REF_YEAR}..{LAST_REF_YEAR}, the years the fact tables accept")
    return value


def _language(value: str) -> str:
    if value not in iso_639_1():
        raise ValueError(f"{value!r} is not an ISO 639-1 language code (such as 'vi' or 'en')")
    return value


def _inside_sources(value: str) -> str:
    path = PurePosixPath(value)
    if "\\" in value or path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"{value!r} must be a relative path inside the sources folder, without '..'")
    return value


Text = Annotated[str, Field(min_length=1, pattern=r"\S"), AfterValidator(_no_controls)]
OptionalText = Annotated[str, AfterValidator(_no_controls)] | None


class ArticleSidecar(BaseModel):
    """Metadata of one article source. Keys outside this list are refused (a misspelt key would
    otherwise be ignored silently)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    source_id: Annotated[str, AfterValidator(_source_id)]
    kind: Literal["article"] = "article"
    title: Text
    publisher: Text
    original_outlet: OptionalText = None
    outlet_credit: OptionalText = None
    # Not strict: the string _iso_string lets through is parsed (strict mode takes only datetimes).
    # A date-time with its UTC offset, or a year and month ("2022-11") when the page gives no day.
    published_at: Annotated[AwareDatetime, Field(strict=False), BeforeValidator(_publication), AfterValidator(_within_fact_years)]
    published_at_from: OptionalText = None  # how the date was established ("dateline in the text", ...)
    url: HttpUrl | None = None
    language: Annotated[str, AfterValidator(_language)]
    licence: Text
    citation: OptionalText = None
    path: Annotated[str, AfterValidator(_inside_sources)] | None = None
    provinces: list[Text] = []
    themes: list[Literal[THEMES]] = []  # type: ignore[valid-type]
    excerpt: StrictBool | None = None
    excerpt_chars: Annotated[StrictInt, Field(ge=0)] | None = None
    captured_from: OptionalText = None
    captured_on: date | None = None
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None
    notes: OptionalText = None
    # Written by `dxdata add` (dxdata/capture.py) for a page it fetched.
    author: OptionalText = None
    final_url: HttpUrl | None = None
    redirects: list[HttpUrl] = []
    fetched_at: Annotated[AwareDatetime, Field(strict=False), BeforeValidator(_iso_string)] | None = None
    raw_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None = None
    snapshot: Annotated[str, AfterValidator(_inside_sources)] | None = None
    supersedes: Annotated[str, AfterValidator(_source_id)] | None = None


_HTTP_URL = TypeAdapter(HttpUrl)


def _http_urls(value: str) -> str:
    """One or more http(s) URLs separated by spaces (a compiled table cites several pages)."""
    if not value.split():
        raise ValueError("is blank (use null when there is no URL)")
    for url in value.split():
        try:
            _HTTP_URL.validate_python(url)
        except ValidationError as exc:
            raise ValueError(f"{url!r}: {exc.errors(include_url=False)[0]['msg']}") from None
    return value


class TableSidecar(BaseModel):
    """Metadata of a table source or register (`sources/tables/**/<table>.json`,
    `sources/registers/<register>.json`): the keys that reach the published `sources` table are
    declared; a table may carry more (coverage, edition, url_column, ...), read by its reader."""

    model_config = ConfigDict(strict=True, extra="allow", frozen=True)

    source_id: Annotated[str, AfterValidator(_source_id)]
    kind: Literal["official_table", "press_table", "register"]
    title: Text
    publisher: Text
    original_outlet: OptionalText = None
    published_at: date | None = None
    url: Annotated[str, AfterValidator(_http_urls)] | None = None
    language: Annotated[str, AfterValidator(_language)]
    licence: Text
    citation: Text


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a source: the file, the field (or None for the file as a whole), why."""

    file: Path
    field: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}" if self.field else f"{self.file}: {self.message}"


def _field_name(loc: tuple) -> str | None:
    parts = [str(p) for p in loc if p != "function-after"]
    return ".".join(parts) if parts else None


def read_sidecar(sidecar: Path, schema: type[BaseModel] = ArticleSidecar) -> tuple:
    """The sidecar validated against `schema` (an article's by default): (model, raw dict,
    problems). The model is None when there are problems; the raw dict is None when the file is
    not a JSON object."""
    try:
        raw = sidecar.read_bytes()
    except FileNotFoundError:
        return None, None, [Problem(sidecar, None, f"metadata sidecar missing for {sidecar.with_suffix('.txt').name}")]
    except OSError as exc:
        return None, None, [Problem(sidecar, None, f"cannot read the file ({exc.strerror or exc})")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, None, [Problem(sidecar, None, f"not UTF-8 ({exc.reason} at byte {exc.start}); save the sidecar as UTF-8")]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, None, [Problem(sidecar, None, f"not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})")]
    if not isinstance(data, dict):
        return None, None, [Problem(sidecar, None, f"expected a JSON object, found {type(data).__name__}")]
    try:
        return schema.model_validate_json(text), data, []
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            message = err["msg"].removeprefix("Value error, ")
            if err["type"] not in ("missing", "extra_forbidden", "value_error"):
                message += f" (found {err['input']!r})"
            elif err["type"] == "extra_forbidden":
                message = "unknown key (not in the sidecar schema, dxdata/sidecar.py)"
            problems.append(Problem(sidecar, _field_name(err["loc"]), message))
        return None, data, problems


def problems_of_text(txt_path: Path, raw: bytes) -> list[Problem]:
    """What makes an article text unusable: not UTF-8, control characters, no text at all."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [Problem(txt_path, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
    problems = []
    for found in list(_CONTROL.finditer(text))[:3]:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        problems.append(Problem(txt_path, None, f"control character U+{ord(found.group()):04X} at line {line} column {column} "
                                                "(it would split the text around it, e.g. '3\\x008' read as 8)"))
    if not text.strip():
        problems.append(Problem(txt_path, None, "the article is empty (no text besides whitespace)"))
    return problems


def table_source_ids(sources_root: Path) -> dict[str, Path]:
    """source_id -> sidecar of every table source and register under the sources folder, and of
    the province register the code carries. An article may not reuse one of these ids: the
    `sources` table is keyed by it."""
    from dxdata import paths

    found: dict[str, Path] = {}
    root = Path(sources_root)
    for sidecar in [*sorted((root / "tables").rglob("*.json")), *sorted((root / "registers").glob("*.json")),
                    paths.registers_dir() / "provinces.json"]:
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # the table readers report their own sidecars' problems
        if isinstance(meta, dict) and isinstance(meta.get("source_id"), str):
            found.setdefault(meta["source_id"], sidecar)
    return found


def problems_of_article(txt_path: Path, *, sources_root: Path | None = None, today: date | None = None,
                        model: ArticleSidecar | None = None, table_ids: dict[str, Path] | None = None) -> list[Problem]:
    """Every problem of one article source (text + sidecar), each naming its file and field.
    `today` is the run date (publication and capture dates may not be after it); `sources_root`
    the folder `path` must stay in and whose table sources' ids (`table_ids`, read from it when
    not given) an article may not take."""
    txt_path = Path(txt_path)
    sidecar = txt_path.with_suffix(".json")
    problems: list[Problem] = []
    if not SOURCE_ID.fullmatch(txt_path.stem):
        problems.append(Problem(txt_path, None, f"file name {txt_path.stem!r} is not a valid source id "
                                                f"(must match {SOURCE_ID.pattern})"))
    try:
        raw = txt_path.read_bytes()
    except OSError as exc:
        return [*problems, Problem(txt_path, None, f"cannot read the file ({exc.strerror or exc})")]
    problems += problems_of_text(txt_path, raw)
    if model is None:
        model, _data, sidecar_problems = read_sidecar(sidecar)
        problems += sidecar_problems
    if model is None:
        return problems
    if model.source_id != txt_path.stem:
        problems.append(Problem(sidecar, "source_id", f"{model.source_id!r} does not match the file name {txt_path.stem!r}"))
    today = today or datetime.now(VN_TZ).date()
    published = model.published_at.astimezone(VN_TZ).date()
    if model.captured_on is not None and model.captured_on > today:
        problems.append(Problem(sidecar, "captured_on", f"{model.captured_on} is after the run date {today}"))
    by_capture = model.captured_on is not None and model.captured_on <= today
    limit = model.captured_on if by_capture else today
    if published > limit:
        problems.append(Problem(sidecar, "published_at", f"{published} is after the {'capture' if by_capture else 'run'} date {limit}"))
    if table_ids is None and sources_root is not None:
        table_ids = table_source_ids(sources_root)
    if table_ids and model.source_id in table_ids:
        problems.append(Problem(sidecar, "source_id", f"{model.source_id!r} is already the id of the table source {table_ids[model.source_id]}"))
    if model.path is not None and sources_root is not None:
        root = Path(sources_root).resolve()
        if not (root / model.path).resolve().is_relative_to(root):
            problems.append(Problem(sidecar, "path", f"{model.path!r} leads outside the sources folder {root}"))
    problems += _province_problems(model, sidecar)
    if model.sha256 is not None and model.sha256 != hashlib.sha256(raw).hexdigest():
        problems.append(Problem(txt_path, None, f"sha256 {hashlib.sha256(raw).hexdigest()} differs from the sidecar's "
                                                f"{model.sha256} (text changed without its metadata)"))
    return problems


def _province_problems(model: ArticleSidecar, sidecar: Path) -> list[Problem]:
    """Province names must resolve through the register (aliases allowed)."""
    from dxdata.provinces import UnknownProvinceError, load_register

    register = load_register()
    problems = []
    for i, name in enumerate(model.provinces):
        try:
            register.resolve(name, where=str(sidecar))
        except UnknownProvinceError as exc:
            problems.append(Problem(sidecar, f"provinces.{i}", str(exc).removeprefix(f"{sidecar}: ")))
    return problems
