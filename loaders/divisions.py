"""Administrative division codes: the seed built from data/divisions, and name lookups by year.

`build_division_records` turns the MCA list (data/divisions/mca_county_codes/result.csv, CC0, see
data/divisions/SOURCE.md) into seeds/division_records.csv, one row per code and validity period.
`DivisionIndex` answers "which codes carry this name in year Y", for the jurisdiction resolver; the
`division_aliases` seed adds names that are not in the official list (special areas such as a
综合实验区 that administers a county, and printing slips such as 沐阳 for 沭阳).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import ahocorasick_rs

from loaders import normalize

PROJECT_DIR = Path(__file__).resolve().parents[1]
MCA_RESULT_CSV = PROJECT_DIR / "data" / "divisions" / "mca_county_codes" / "result.csv"
SEED_COLUMNS = [
    "division_code", "valid_from", "valid_to", "name", "level", "status",
    "province_code", "province_name", "prefecture_code", "prefecture_name", "successor_codes",
]
_LEVELS = {"省级": "province", "地级": "prefecture", "县级": "county"}
_STATUSES = {"在用": "in_use", "弃用": "retired", "变更": "changed"}
# Generic suffixes that a name is often quoted without (温州市 -> 温州, 景宁畲族自治县 -> 景宁).
_SHORT_NAME = re.compile(
    r"^(?P<short>.{2,}?)(?:(?:[\u4e00-\u9fa5]{1,4}族)+自治(?:区|州|县|旗)|特别行政区|自治区|地区|林区|特区|矿区|省|市|县|区|盟|旗)$"
)

# An autonomous prefecture, county or banner is usually called by its place name and its kind alone:
# 恩施土家族苗族自治州 -> 恩施州, 景宁畲族自治县 -> 景宁县.
_AUTONOMOUS = re.compile(r"^(?P<short>.{2,}?)(?:[\u4e00-\u9fa5]{1,4}族)+自治(?P<kind>州|县|旗)$")


def _overlaps(a_from: int, a_to: int | None, b_from: int, b_to: int | None) -> bool:
    return a_from < (b_to or 10_000) and b_from < (a_to or 10_000)


def build_division_records(result_csv: Path = MCA_RESULT_CSV) -> list[dict[str, str]]:
    with open(result_csv, encoding="utf-8-sig", newline="") as f:
        raw = list(csv.DictReader(f))
    records = []
    for r in raw:
        records.append(
            {
                "division_code": r["代码"],
                "valid_from": int(r["启用时间"]),
                "valid_to": int(r["变更/弃用时间"]) if r["变更/弃用时间"] else None,
                "name": r["名称"],
                "level": _LEVELS[r["级别"]],
                "status": _STATUSES[r["状态"]],
                "province_name": r["一级行政区"],
                "prefecture_name": r["二级行政区"] if r["二级行政区"] not in ("", "直辖") else None,
                "successor_codes": r["新代码"] or None,
            }
        )
    prefectures: dict[str, list[dict]] = {}
    for rec in records:
        if rec["level"] == "prefecture":
            prefectures.setdefault(rec["division_code"], []).append(rec)
    out = []
    for rec in records:
        code = rec["division_code"]
        parent = None
        if rec["level"] == "county":
            # Upstream rule: a county's parent is code[:4]+'00' when that prefecture exists at the same time.
            for p in prefectures.get(code[:4] + "00", []):
                if _overlaps(rec["valid_from"], rec["valid_to"], p["valid_from"], p["valid_to"]):
                    parent = p["division_code"]
                    break
        out.append(
            {
                **rec,
                "province_code": code[:2] + "0000",
                "prefecture_code": parent,
                "prefecture_name": rec["prefecture_name"] if parent else None,
            }
        )
    out.sort(key=lambda r: (r["division_code"], r["valid_from"]))
    return [{k: ("" if r[k] is None else str(r[k])) for k in SEED_COLUMNS} for r in out]


def write_division_seed(path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=SEED_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(build_division_records())


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    province_code: str
    prefecture_code: str | None
    valid_from: int
    valid_to: int | None

    def valid_in(self, year: int) -> bool:
        return self.valid_from <= year and (self.valid_to is None or year < self.valid_to)

    def short_name(self) -> str | None:
        return _short(self.name)


def _short(name: str) -> str | None:
    m = _SHORT_NAME.match(name)
    return m.group("short") if m else None


class Mention(NamedTuple):
    division: Division
    full: bool  # the full name (温州市), not a short form (温州)
    start: int
    end: int
    alias_kind: str | None = None  # special_area, ocr_slip … when named through the alias seed


class _Form(NamedTuple):
    text: str
    full: bool
    division: Division
    alias_kind: str | None


@dataclass(frozen=True)
class DivisionIndex:
    divisions: tuple[Division, ...]
    by_code: dict[str, tuple[Division, ...]]
    # first two characters of a name form (standardised) -> its forms, longest first; every form has
    # at least two characters.
    forms_by_prefix: dict[str, tuple[_Form, ...]]
    # (kind, prefix) -> division code, from the place_clues seed: telephone area codes and postcode
    # prefixes that lie wholly inside one division.
    clues: dict[tuple[str, str], str]
    # Words that contain a place's name but name no place (中华人民共和国 holds 共和, short for 共和县):
    # no mention starts inside them (text_markers of kind not_a_place).
    not_places: re.Pattern = re.compile("(?!)")
    # Every name form, for finding them all in one pass over a text (a compiled Aho-Corasick
    # automaton): the forms by text, in the order of `forms_by_prefix`.
    form_texts: tuple[str, ...] = field(default=(), compare=False, repr=False)
    forms_by_text: dict[str, tuple[_Form, ...]] = field(default_factory=dict, compare=False, repr=False)
    automaton: ahocorasick_rs.AhoCorasick | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        by_text: dict[str, list[_Form]] = {}
        for forms in self.forms_by_prefix.values():
            for form in forms:
                by_text.setdefault(form.text, []).append(form)
        texts = tuple(by_text)
        object.__setattr__(self, "form_texts", texts)
        object.__setattr__(self, "forms_by_text", {t: tuple(f) for t, f in by_text.items()})
        object.__setattr__(self, "automaton", ahocorasick_rs.AhoCorasick(texts) if texts else None)

    @classmethod
    def from_seed(cls, seeds_dir: Path, script: normalize.ScriptMap) -> "DivisionIndex":
        with open(seeds_dir / "division_records.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        with open(seeds_dir / "division_aliases.csv", encoding="utf-8", newline="") as f:
            aliases = list(csv.DictReader(f))
        with open(seeds_dir / "place_clues.csv", encoding="utf-8", newline="") as f:
            clues = {(r["kind"], r["prefix"]): r["division_code"] for r in csv.DictReader(f)}
        with open(seeds_dir / "text_markers.csv", encoding="utf-8", newline="") as f:
            words = sorted({normalize.standardize(r["marker"], script) for r in csv.DictReader(f) if r["kind"] == "not_a_place"}, key=len, reverse=True)
        divisions = tuple(
            Division(
                r["division_code"], r["name"], r["level"], r["province_code"], r["prefecture_code"] or None,
                int(r["valid_from"]), int(r["valid_to"]) if r["valid_to"] else None,
            )
            for r in rows
        )
        by_code: dict[str, list[Division]] = {}
        for d in divisions:
            by_code.setdefault(d.code, []).append(d)
        forms: dict[str, list[_Form]] = {}

        def add(name: str | None, full: bool, division: Division, kind: str | None = None) -> None:
            key = normalize.standardize(name, script) if name else ""
            if len(key) >= 2:
                forms.setdefault(key[:2], []).append(_Form(key, full, division, kind))

        for d in divisions:
            add(d.name, True, d)
            add(d.short_name(), False, d)
            if m := _AUTONOMOUS.match(d.name):
                add(m.group("short") + m.group("kind"), True, d)  # 恩施州, 景宁县: as full as the full name
        for a in aliases:
            alias_from = int(a["valid_from"]) if a["valid_from"] else 0
            alias_to = int(a["valid_to"]) if a["valid_to"] else None
            for d in by_code.get(a["division_code"], ()):
                if _overlaps(alias_from, alias_to, d.valid_from, d.valid_to):
                    add(a["alias"], True, d, a["kind"])
                    add(_short(a["alias"]), False, d, a["kind"])
        return cls(
            divisions,
            {k: tuple(v) for k, v in by_code.items()},
            {k: tuple(sorted(v, key=lambda f: -len(f.text))) for k, v in forms.items()},
            clues,
            not_places=re.compile("|".join(map(re.escape, words)) if words else "(?!)"),
        )

    def valid(self, code: str, year: int | None) -> Division | None:
        candidates = self.by_code.get(code, ())
        if year is None:
            return candidates[-1] if candidates else None
        return next((d for d in candidates if d.valid_in(year)), None)

    def by_clue(self, kind: str, value: str, year: int | None) -> Division | None:
        """The division a telephone area code (exact) or a postcode (by prefix) lies in, if the seed
        knows it."""
        lengths = [len(value)] if kind == "area_code" else range(len(value), 1, -1)
        code = next((self.clues[kind, value[:n]] for n in lengths if (kind, value[:n]) in self.clues), None)
        return self.valid(code, year) if code else None

    def mentions(self, text: str, year: int | None) -> list[Mention]:
        """Every division named in standardised `text` (by name, short name or alias), longest form
        first at each position, restricted to divisions valid in `year` (any year when None). A name
        that several divisions carry (鼓楼区) yields one mention per division at the same place."""
        found: list[Mention] = []
        if self.automaton is None:
            return found
        # Blank out the words that name no place, keeping every other position where it is.
        text = self.not_places.sub(lambda m: "\0" * len(m.group()), text)
        # Every form found at every position; then, left to right, the longest form valid in `year`
        # at each position, and the scan goes on after it (after one character where none is).
        at: dict[int, list[str]] = {}
        for index, start, _ in self.automaton.find_matches_as_indexes(text, overlapping=True):
            at.setdefault(start, []).append(self.form_texts[index])
        resume = 0
        for start in sorted(at):
            if start < resume:
                continue
            matched = 0
            for form_text in sorted(at[start], key=len, reverse=True):
                for form in self.forms_by_text[form_text]:
                    if year is None or form.division.valid_in(year):
                        found.append(Mention(form.division, form.full, start, start + len(form_text), form.alias_kind))
                        matched = len(form_text)
                if matched:
                    break
            resume = start + (matched or 1)
        return found
