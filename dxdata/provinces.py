"""The province registers: the 63 provincial units before 1 July 2025 and the 34 merged units.

Names are matched after NFC normalisation, case folding, unified tone placement (hoà / hòa)
and collapsed spacing around hyphens and dots, so "Thừa Thiên - Huế", "Thừa Thiên-Huế" and
"thua thien hue" all find code 46.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from dxdata import paths

UNIT_SET_PRE_2025 = 63
UNIT_SET_2025 = 34

# Old-style tone placement on the diphthongs oa / oe / uy, as in "hoà", "khoẻ", "thuỷ".
# Written NFD so the tone mark can be moved; the key is compared in NFC.
_OLD_TONE = re.compile(r"([oO])([aAeE])([\u0300\u0301\u0303\u0309\u0323])|([uU])([yY])([\u0300\u0301\u0303\u0309\u0323])")


def unify_tone_placement(text: str) -> str:
    """Rewrite old-style tone placement ("hoà", "thuỷ") to the new style ("hòa", "thủy")."""
    decomposed = unicodedata.normalize("NFD", text)

    def move(m: re.Match) -> str:
        if m.group(1):
            return m.group(1) + m.group(3) + m.group(2)
        return m.group(4) + m.group(6) + m.group(5)

    return unicodedata.normalize("NFC", _OLD_TONE.sub(move, decomposed))


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_key(name: str) -> str:
    """The matching key of a province name: NFC, tone-unified, case-folded, spacing collapsed."""
    key = unify_tone_placement(unicodedata.normalize("NFC", name)).casefold()
    key = re.sub(r"\s*([-.])\s*", r"\1", key)
    key = re.sub(r"\s+", " ", key).strip()
    return key


@dataclass(frozen=True)
class Province:
    code: str
    name: str
    unit_set: int
    type: str
    slug: str
    merged_into_2025: str | None = None
    merged_into_2025_code: str | None = None
    aliases: tuple[str, ...] = ()


class UnknownProvinceError(ValueError):
    """A province name in a table source or in source metadata matched no register entry."""


class ProvinceRegister:
    def __init__(self, provinces: list[Province]):
        self.provinces = provinces
        self.by_code = {p.code: p for p in provinces}
        self._by_key: dict[str, Province] = {}
        for p in provinces:
            for alias in (p.name, *p.aliases):
                self._by_key.setdefault(name_key(alias), p)
                self._by_key.setdefault(name_key(strip_diacritics(alias)), p)

    def lookup(self, name: str) -> Province | None:
        key = name_key(name)
        return self._by_key.get(key) or self._by_key.get(name_key(strip_diacritics(name)))

    def resolve(self, name: str, *, where: str) -> Province:
        """Resolve a name or fail with an error naming the file (or source) and the name."""
        found = self.lookup(name)
        if found is None:
            raise UnknownProvinceError(f"{where}: unknown province name {name!r} (not in the province register)")
        return found

    def surface_forms(self) -> dict[str, Province]:
        """Every name and alias as written (NFC), for scanning prose."""
        forms: dict[str, Province] = {}
        for p in self.provinces:
            for alias in (p.name, *p.aliases):
                forms.setdefault(unicodedata.normalize("NFC", alias), p)
        return forms


def _read_register_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=4)
def load_register(path: Path | None = None) -> ProvinceRegister:
    """The 63 provincial units before 1 July 2025."""
    path = path or paths.registers_dir() / "provinces.csv"
    provinces = [
        Province(
            code=row["code"],
            name=unicodedata.normalize("NFC", row["name"]),
            unit_set=UNIT_SET_PRE_2025,
            type=row["type"],
            slug=row["slug"],
            merged_into_2025=row["merged_into_2025"],
            merged_into_2025_code=row["merged_into_2025_code"],
            aliases=tuple(a for a in row["aliases"].split("|") if a),
        )
        for row in _read_register_rows(path)
    ]
    if len(provinces) != 63:
        raise ValueError(f"{path}: expected 63 provinces, found {len(provinces)}")
    return ProvinceRegister(provinces)


@lru_cache(maxsize=4)
def load_register_2025(path: Path | None = None) -> ProvinceRegister:
    """The 34 units formed on 1 July 2025, derived from the 63-unit register's merger columns.

    A merged unit's name and aliases are those of the old unit of the same name when there is
    one (Cần Thơ keeps Cần Thơ's aliases); the others carry only their name.
    """
    old = load_register(path)
    by_name = {p.name: p for p in old.provinces}
    merged: dict[str, Province] = {}
    for p in old.provinces:
        code, name = p.merged_into_2025_code, p.merged_into_2025
        if code is None or name is None:
            raise ValueError(f"{p.name}: no merged_into_2025 unit in the register")
        if code in merged:
            if merged[code].name != name:
                raise ValueError(f"merged code {code} named both {merged[code].name!r} and {name!r}")
            continue
        namesake = by_name.get(name)
        merged[code] = Province(
            code=code,
            name=name,
            unit_set=UNIT_SET_2025,
            type=namesake.type if namesake else "tỉnh",
            slug=namesake.slug if namesake else strip_diacritics(name).lower().replace(" ", "-"),
            aliases=namesake.aliases if namesake else (),
        )
    units = sorted(merged.values(), key=lambda p: p.code)
    if len(units) != 34:
        raise ValueError(f"expected 34 merged units, derived {len(units)}")
    return ProvinceRegister(units)


def register_for(unit_set: int) -> ProvinceRegister:
    # Any other value would silently pick the 34-unit register, where codes mean other units.
    if unit_set == UNIT_SET_PRE_2025:
        return load_register()
    if unit_set == UNIT_SET_2025:
        return load_register_2025()
    raise ValueError(f"unit_set must be {UNIT_SET_PRE_2025} or {UNIT_SET_2025}, got {unit_set!r}")
