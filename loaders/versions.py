"""Republished reports: the same organ and year published more than once with different bytes.

Offices republish a report with corrections, and mirrors keep older copies. Every version stays in
`reports`; one per organ and year is marked `is_current_version`, the one the marts use, and
`version_reason` says why, in this order of preference:

1. the most complete parse (ok before partial): figures that cannot be read cannot be used;
2. the latest publication date printed in the report (发布日期, or the date that signs it off): a
   republication is normally a correction;
3. the most table cells and prose figures read;
4. otherwise the versions are indistinguishable and the first by report id is used (the reason says
   so, so that an analyst can check both).

Failed reports, and reports without an organ or a year, are never grouped: nothing says whose
version they are.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from loaders import normalize

_CJK_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0"}
_DATE = r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
# The date may stand in the next cell of the page's field table ("发布日期： | 2022-01-20").
_LABELLED = re.compile(r"(?:[发發][布佈]|成文|印发|印發)(?:日期|时间|時間)\s*[:：]?\s*(?:\|\s*)?" + _DATE)
_SIGN_OFF = re.compile(r"^\s*" + _DATE + r"\s*$")
_HEAD_LINES = 60
_TAIL_LINES = 15
_STATUS_RANK = {"ok": 0, "partial": 1}


def _cjk_number(text: str) -> str:
    """二〇二一年一月二十日 -> 2021年1月20日 (numerals of official documents)."""
    def day_or_month(m: re.Match) -> str:
        s = m.group(0)
        if s == "十":
            return "10"
        if s.startswith("十"):
            return "1" + _CJK_DIGITS[s[1]]
        if s.endswith("十"):
            return _CJK_DIGITS[s[0]] + "0"
        if "十" in s:
            return _CJK_DIGITS[s[0]] + _CJK_DIGITS[s[2]]
        return "".join(_CJK_DIGITS[c] for c in s)

    text = re.sub(r"[〇一二三四五六七八九零○Ｏ]{4}(?=年)", lambda m: "".join(_CJK_DIGITS[c] for c in m.group(0)), text)
    return re.sub(r"(?<=[年月])[一二三四五六七八九]?十?[一二三四五六七八九]?(?=[月日])",
                  lambda m: day_or_month(m) if m.group(0) else "", text)


def _date(match: re.Match | None) -> dt.date | None:
    if not match:
        return None
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def publication_date(lines: list[str]) -> dt.date | None:
    """The date printed as 发布日期/发布时间 near the top, else the date line that signs the report
    off at its end (落款日期). None when neither is printed."""
    # Lines with text count (a PDF numbers its lines from 1001 on the first page, an HTML page by
    # source line: the entries before them are empty).
    for line in [line for line in lines[:_HEAD_LINES * 100] if line.strip()][:_HEAD_LINES]:
        if found := _date(_LABELLED.search(normalize.nfkc(line))):
            return found
    tail = [line for line in lines[-_TAIL_LINES * 3:] if line.strip()][-_TAIL_LINES:]
    for line in reversed(tail):
        if found := _date(_SIGN_OFF.match(_cjk_number(normalize.nfkc(line)))):
            return found
    return None


@dataclass(frozen=True)
class Candidate:
    report_id: str
    parse_status: str
    organ_name: str | None
    division_code: str | None
    report_year: int | None
    published_on: dt.date | None
    figures: int  # table cells and prose figures read


@dataclass(frozen=True)
class Version:
    version_count: int
    is_current_version: bool
    version_reason: str
    current_report_id: str


def _rank(c: Candidate) -> tuple:
    return (_STATUS_RANK[c.parse_status], -(c.published_on or dt.date.min).toordinal(), -c.figures, c.report_id)


def _why(best: Candidate, runner_up: Candidate, count: int) -> str:
    of = f"of {count} versions"
    if best.parse_status != runner_up.parse_status:
        return f"most complete parse ({best.parse_status}) {of}"
    if best.published_on != runner_up.published_on:
        return f"latest publication ({best.published_on.isoformat()}) {of}"
    if best.figures != runner_up.figures:
        return f"most figures read ({best.figures}) {of}"
    return f"{count} versions equally complete and dated alike: first by report id; check both"


def choose_versions(candidates: Iterable[Candidate]) -> dict[str, Version]:
    """Version columns for every report id given."""
    groups: dict[tuple, list[Candidate]] = {}
    out: dict[str, Version] = {}
    for c in candidates:
        if c.parse_status in _STATUS_RANK and c.organ_name and c.report_year is not None:
            groups.setdefault((c.report_year, c.division_code or "", c.organ_name), []).append(c)
        else:
            out[c.report_id] = Version(1, True, "only version", c.report_id)
    for members in groups.values():
        if len(members) == 1:
            out[members[0].report_id] = Version(1, True, "only version", members[0].report_id)
            continue
        ranked = sorted(members, key=_rank)
        best, why = ranked[0], _why(ranked[0], ranked[1], len(members))
        for c in ranked:
            reason = why if c is best else f"superseded by {best.report_id}: {why}"
            out[c.report_id] = Version(len(members), c is best, reason, best.report_id)
    return out
