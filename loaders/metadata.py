"""Who published the report, for which year, in which template.

- title: the first short line (or `|`-separated segment) near the top naming an OGI annual report;
- report_year: from the title, else from the 统计期限 sentence; never from a publication date;
- template: the template whose markers (seed `text_markers`, kind `template`) the text contains most;
- jurisdiction: the divisions named in the title, else the one the text names most (full names
  count more than short ones, and a province or prefecture named alongside backs its counties);
- scope: a title that names only a place and its government is the jurisdiction's summary report;
  anything after the place (办公室, 财政局, a township government …) is one organ's own report.
"""
from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass

from loaders import normalize
from loaders.divisions import Division
from loaders.registry import Registry

_TITLE_SEARCH_LINES = 60
_MAX_TITLE_LENGTH = 120
_YEAR_IN_TITLE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_YEAR_WITH_SUFFIX = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*年度?")
_PERIOD = re.compile(r"((?:19|20)\d{2})年1月1日(?:起)?(?:至|到|-)((?:19|20)\d{2})年12月31日")
_LEVEL_RANK = {"county": 3, "prefecture": 2, "province": 1}
# The jurisdiction must be named this often (a full name counts 3, a short one 1) to be trusted.
_MIN_TEXT_SCORE = 3


@dataclass(frozen=True)
class Jurisdiction:
    name: str
    division_code: str
    level: str
    evidence: str


@dataclass(frozen=True)
class ReportMetadata:
    title: str | None
    title_line: int | None
    report_year: int | None
    template: str
    script: str
    jurisdiction: Jurisdiction | None
    organ_name: str | None
    report_scope: str | None


def find_title(lines: list[str], registry: Registry) -> tuple[str | None, int | None]:
    endings = registry.marker_values("report_title")
    # Only lines with text count towards the window: the lines of an HTML page or a PDF are
    # numbered by source line or page, with long runs of empty entries.
    with_text = ((n, line) for n, line in enumerate(lines, start=1) if line.strip())
    for number, line in itertools.islice(with_text, _TITLE_SEARCH_LINES):
        for segment in line.split("|"):
            segment = segment.strip()
            key = normalize.search_key(segment, registry.script)
            if len(segment) <= _MAX_TITLE_LENGTH and (
                any(e in key for e in endings) or ("政府信息公开" in key and "报告" in key)
            ):
                return segment, number
    return None, None


def find_year(title: str | None, text_key: str) -> int | None:
    if title and (m := _YEAR_IN_TITLE.search(title)):
        return int(m.group(1))
    if m := _PERIOD.search(text_key):
        return int(m.group(2))
    return None


def find_template(text_key: str, registry: Registry) -> str:
    scores: dict[str, int] = defaultdict(int)
    for marker, template in registry.markers["template"]:
        if normalize.search_key(marker, registry.script) in text_key:
            scores[template] += 1
    if not scores:
        return "unknown"
    # The 2021 markers exist only in the 2021 template; 2019 and legacy ones can linger in prose.
    if scores.get("v2021"):
        return "v2021"
    best = max(scores.values())
    winners = [t for t, s in scores.items() if s == best]
    return winners[0] if len(winners) == 1 else "unknown"


def _most_specific(mentions: list[tuple[Division, bool, int]]) -> Division | None:
    """The most specific division among those named, preferring ones whose parents are also named."""
    if not mentions:
        return None
    named = {d.code for d, _, _ in mentions}

    def rank(d: Division) -> tuple[int, int, int]:
        backed = (d.province_code in named) + (d.prefecture_code in named if d.prefecture_code else 0)
        return (_LEVEL_RANK[d.level], backed, -min(p for x, _, p in mentions if x == d))

    return max((d for d, _, _ in mentions), key=rank)


def _from_text(mentions: list[tuple[Division, bool, int]]) -> Division | None:
    score: dict[Division, int] = defaultdict(int)
    for d, full, _ in mentions:
        score[d] += 3 if full else 1
    named = {d.code for d in score}
    for d in list(score):
        # A province or prefecture named in the same text backs the counties under it; this is what
        # tells apart county names that repeat across provinces.
        score[d] += 2 * (d.province_code in named and d.level != "province")
        score[d] += 2 * bool(d.prefecture_code and d.prefecture_code in named)
    if not score:
        return None
    best = max(score.items(), key=lambda kv: (kv[1], _LEVEL_RANK[kv[0].level]))
    return best[0] if best[1] >= _MIN_TEXT_SCORE else None


def _forms_at(mentions, registry: Registry):
    """(division, printed form, position) for each mention."""
    for d, full, p in mentions:
        form = d.name if full else (d.short_name() or d.name)
        yield d, normalize.standardize(form, registry.script), p


def _publisher_phrase(title: str, registry: Registry) -> str:
    phrase = normalize.standardize(title, registry.script)
    phrase = _YEAR_WITH_SUFFIX.sub("", phrase)
    for ending in sorted(registry.marker_values("report_title"), key=len, reverse=True):
        if ending in phrase:
            phrase = phrase[: phrase.index(ending)]
            break
    return phrase.strip(" _-|:：")


def describe(lines: list[str], text: str, registry: Registry) -> ReportMetadata:
    script_name = normalize.detect_script(text, registry.script)
    text_key = normalize.search_key(text, registry.script)
    title, title_line = find_title(lines, registry)
    year = find_year(title, text_key)
    template = find_template(text_key, registry)
    divisions = registry.divisions

    phrase = _publisher_phrase(title, registry) if title else ""
    title_mentions = divisions.mentions(phrase, year)
    full_in_title = [m for m in title_mentions if m[1]]
    place = _most_specific(full_in_title or title_mentions)
    evidence = "title"
    if place is None:
        place = _from_text(divisions.mentions(text_key, year))
        evidence = "text"
    jurisdiction = Jurisdiction(place.name, place.code, place.level, evidence) if place else None

    organ_name, scope = None, None
    government_words = ("",) + registry.marker_values("government_word")
    if place and evidence == "title":
        start, end = next((p, p + len(form)) for d, form, p in _forms_at(title_mentions, registry) if d == place)
        if phrase[end:] in government_words:
            scope, organ_name = "jurisdiction", place.name + "人民政府"
        else:
            scope, organ_name = "agency", phrase[start:]
    elif phrase:
        # No place in the title (it may have been replaced by junk): a title ending in 人民政府 is
        # still the government's summary report.
        if place and any(phrase.endswith(w) for w in government_words if w):
            scope, organ_name = "jurisdiction", place.name + "人民政府"
        else:
            scope, organ_name = "agency", phrase
    return ReportMetadata(title, title_line, year, template, script_name, jurisdiction, organ_name, scope)
