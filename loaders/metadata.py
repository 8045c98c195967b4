"""Who published the report, for which year, in which template.

- title: the first short line (or `|`-separated segment) near the top naming an OGI annual report,
  not a sentence; joined with the next line when it wraps onto it (…工作年 / 度报告), and with the
  line or segment before it when the title names no publisher and that is a bare name (a title
  broken over two lines);
- report_year: from the title (Arabic or Chinese numerals), else from the 统计期限 sentence, else from a
  bracketed "（2019年度）" next to the title, else from the first year the prose gives to the subject of
  the report (现将本机关2021年度政府信息公开工作情况报告如下; seed `text_markers`, kind `report_subject`);
  never from a publication date;
- template: the template whose markers (seed `text_markers`, kind `template`) the text contains most;
- jurisdiction, from every clue there is:
  - the places named in the title's publisher phrase (names, short names and the aliases of the
    `division_aliases` seed), the most specific one;
  - the 信息索引号 (its 12-digit division prefix, or the division inside a 统一社会信用代码);
  - the places named by the publisher fields (发布机构, 来源 …);
  - the places named in the text, weighed by how often and how fully they are named;
  and, to tell apart names that several divisions carry (鼓楼区, 通州区), the context: the province
  or prefecture named nearby, the index number, the postcode and telephone area code (seed
  `place_clues`) and the address. A name the context cannot decide is left unresolved, with an issue.
- organ and scope: a title that names only a place and its government is the jurisdiction's summary
  report; anything after the place (办公室, 财政局, a township government …) is one organ's own report.
  When the title names no usable place, the publisher fields and the text decide, and an issue says so;
  a national organ (国务院…, 国家…) gets no division code.
"""
from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from loaders import normalize
from loaders.divisions import Division, Mention
from loaders.formats.grid import cjk_join
from loaders.registry import Registry
from loaders.types import Issue

_TITLE_SEARCH_LINES = 60
_MAX_TITLE_LENGTH = 120
# Every title ending (report_title markers) names a 报告 or a 年报.
_REPORT_WORD = re.compile("[报報]")
# A title set on two lines: the organ's name on the line above, at most this many lines up (HTML,
# PDF and DOCX lines are numbered by source line, page line or paragraph, and stay adjacent).
_TITLE_LINE_GAP = 2
_MIN_V2021_MARKERS = 2
# The rest of a title wrapped onto the next line is short (度报告, 工作年度报告).
_MAX_WRAPPED_TAIL = 20
_SENTENCE_END = normalize.SENTENCE_END
_WHITESPACE = re.compile(r"\s+")
_YEAR = r"((?:19|20)\d{2})"
_YEAR_IN_TITLE = re.compile(rf"(?<!\d){_YEAR}\s*年")
# A title may print its year without 年 ("缙云县2021政府信息公开…", "…年度报告（2021）"): a lone
# four-digit year, no longer number.
_BARE_YEAR_IN_TITLE = re.compile(rf"(?<![\d.\-/]){_YEAR}(?![\d.\-/])")
_YEAR_WITH_SUFFIX = re.compile(r"(?<![\d.\-/])(?:19|20)\d{2}(?![\d.\-/])\s*(?:年度?)?")
# A year in Chinese numerals. Zero is typed as 〇, 零, ○ (a circle), or a Latin O or an Arabic 0
# (also in full width, which NFKC folds) by writers who cannot find 〇.
_CHINESE_YEAR = re.compile(r"[〇零○Oo0一二三四五六七八九]{4}(?=\s*年)")
_CHINESE_DIGITS = str.maketrans("〇零○Oo0一二三四五六七八九", "0000001234567" + "89")
# On the search key (no spaces): "2019年1月1日起至2019年12月31日止", "2019年1月1日至12月31日".
_PERIOD = re.compile(rf"{_YEAR}年1月1日(?:起)?(?:至|到|-|—|~){_YEAR}?年?12月31日")
_PERIOD_NAMED = re.compile(rf"统计期限(?:为|是|:)?{_YEAR}年")
_YEAR_BRACKETED = re.compile(rf"^\(?{_YEAR}年度?\)?$")
_LEVEL_RANK = {"county": 3, "prefecture": 2, "province": 1}
# The jurisdiction must be named this often (a full name counts 3, a short one 1) to be trusted.
_MIN_TEXT_SCORE = 3
# On the search key. A 统一社会信用代码 carries the registering division in characters 3-8.
_INDEX_NUMBER = re.compile(r"(?:索引号|信用代码)[:]?(?P<id>[0-9A-Z]{9,18})")
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}(?P<code>\d{6})[0-9A-HJ-NPQRTUWXY]{10}$")
_POSTCODE = re.compile(r"(?:邮编|邮政编码)[:]?(?P<code>\d{6})(?!\d)")
_AREA_CODE = re.compile(r"(?:电话|传真)[:]?\(?(?P<code>0\d{2,3})[)\-—]")
_ADDRESS = re.compile(r"地址[:](?P<address>[^,，;；。()]{2,40})")
# Separators and brackets around the publisher in a title ("【缙云县财政局】2021年…", "… _ 网站").
_PHRASE_EDGES = " _-|:：【】[]〔〕"
_BREADCRUMB = re.compile(r"[>＞»›]|当前位置|您的位置")
# The value may stand in the next cell of the page's field table ("发布机构： | 龙泉市人民政府办公室").
_FIELD_VALUE = re.compile(r"[:：]\s*(?:\|\s*)?(?P<value>[^\s:：|]*)")
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff]{2,30}$")


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
    issues: list[Issue] = field(default_factory=list)


def _title_key(segment: str, registry: Registry) -> str | None:
    """The search key of a line (or `|`-separated segment) that may name a report, None for one that
    cannot (no character that standardises into 报, which every title and title ending names)."""
    return normalize.search_key(segment, registry.script) if registry.indexes.report_word.search(segment) else None


def _is_title(segment: str, key: str | None, registry: Registry) -> bool:
    """Whether a line (or a `|`-separated segment; `key`: its `_title_key`) reads as a report title:
    short, naming an annual report, and not a sentence (本报告根据《…政府信息公开条例》编制。… names one too)."""
    return (
        key is not None and len(segment) <= _MAX_TITLE_LENGTH and not _SENTENCE_END.search(key)
        and (any(e in key for e in registry.marker_values("report_title")) or ("政府信息公开" in key and "报告" in key))
    )


def _leading_title(segment: str, registry: Registry) -> str:
    """A line too long to be a title that begins with one (a whole report saved as one line): the
    title, up to the first title ending; the line itself otherwise."""
    if len(segment) <= _MAX_TITLE_LENGTH or not _REPORT_WORD.search(segment, 0, _MAX_TITLE_LENGTH):
        return segment
    head = normalize.standardize(segment[:_MAX_TITLE_LENGTH], registry.script)
    ends = [head.find(e) + len(e) for e in registry.marker_values("report_title") if e in head]
    if not ends or len(head) != _MAX_TITLE_LENGTH:
        return segment
    title = segment[:min(ends)]
    return title if not _SENTENCE_END.search(title) else segment


def _is_site_furniture(segment: str, key: str | None, registry: Registry) -> bool:
    """A site's column name (政府信息公开年报) or its breadcrumb, not a report's title."""
    return key in registry.marker_values("report_title") or bool(_BREADCRUMB.search(segment))


def _title_candidates(lines: list[str], registry: Registry, unread: frozenset[int]):
    """(title, line) of every title near the top, in order. Each segment is normalised at most once,
    and only when it names a report."""
    # Only lines with text count towards the window: the lines of an HTML page or a PDF are
    # numbered by source line or page, with long runs of empty entries.
    with_text = list(itertools.islice(
        ((n, line) for n, line in enumerate(lines, start=1) if line.strip() and n not in unread), _TITLE_SEARCH_LINES))
    for i, (number, line) in enumerate(with_text):
        above = with_text[i - 1] if i else None
        segments = [_leading_title(segment.strip(), registry) for segment in line.split("|")]
        keys = [_title_key(segment, registry) for segment in segments]
        titles = [j for j, (segment, key) in enumerate(zip(segments, keys))
                  if _is_title(segment, key, registry) and not _is_site_furniture(segment, key, registry)]
        for j in titles:
            yield _with_publisher_before(segments[j], number, segments[:j], above, registry)
        if titles or _is_site_furniture(segments[-1], keys[-1], registry):
            continue
        # A title too long for one line wraps onto the next (…政府信息公开工作年 / 度报告).
        following = with_text[i + 1][1].split("|")[0].strip() if i + 1 < len(with_text) else ""
        if not following or len(following) > _MAX_WRAPPED_TAIL:
            continue
        joined = cjk_join([segments[-1], following])
        if not _is_title(following, _title_key(following, registry), registry) and _is_title(joined, _title_key(joined, registry), registry):
            yield _with_publisher_before(joined, number, segments[:-1], above, registry)


def find_title(lines: list[str], registry: Registry, page_title: str | None = None,
               unread: frozenset[int] = frozenset()) -> tuple[str | None, int | None]:
    """The report's title and its line: the first candidate, or, given the page's own title (an HTML
    page's <title>), the first candidate that the report title read in it contains, so that links to
    other years' reports printed above the title (a site's sidebar) are passed over. `unread`: lines
    that hold page furniture (a PDF's running header, such as the date and page title a browser
    prints at the top of every page), where no title is looked for."""
    candidates = _title_candidates(lines, registry, unread)
    first = next(candidates, (None, None))
    hint = find_title([page_title], registry)[0] if page_title and first[0] is not None else None
    if hint:
        hint_key = normalize.search_key(hint, registry.script)
        # Candidates are read only up to the first that the page's title contains.
        return next((c for c in itertools.chain([first], candidates)
                     if normalize.search_key(c[0], registry.script) in hint_key), first)
    return first


def _with_publisher_before(segment: str, number: int, before: list[str], above: tuple[int, str] | None,
                           registry: Registry) -> tuple[str, int]:
    """A title broken over two lines puts the publisher on the line above, or before a line break
    in the same paragraph (开化县财政局 / 2020年政府信息公开工作年度报告): when the title names no
    publisher and what stands just before it is a bare name that names a place (not a site's menu
    or crumb), the two are the title."""
    if _publisher_phrase(segment, registry):
        return segment, number
    if before:
        above = (number, before[-1])
    elif above and number - above[0] > _TITLE_LINE_GAP:
        above = None
    name = normalize.standardize(above[1].strip(), registry.script) if above else ""
    subjects = registry.marker_values("report_subject")
    if (above and "|" not in above[1] and _CJK_NAME.match(name) and not any(m in name for m in subjects)
            and registry.divisions.mentions(name, None)):
        return above[1].strip() + segment, above[0]
    return segment, number


def _arabic_years(text: str) -> str:
    """二〇一九年 / 二O一九年 / ２０１９年 -> 2019年 (full-width forms folded first)."""
    text = normalize.nfkc(text)
    return _CHINESE_YEAR.sub(lambda m: m.group(0).translate(_CHINESE_DIGITS), text)


def find_year(title: str | None, text_key: str, lines: list[str] | None = None, title_line: int | None = None,
              subjects: tuple[str, ...] = ()) -> int | None:
    if title and (m := _YEAR_IN_TITLE.search(_arabic_years(title)) or _BARE_YEAR_IN_TITLE.search(_arabic_years(title))):
        return int(m.group(1))
    if m := _PERIOD.search(text_key):
        return int(m.group(2) or m.group(1))
    if m := _PERIOD_NAMED.search(text_key):
        return int(m.group(1))
    if lines and title_line:
        # A subtitle such as "（2019年度）" on the lines right after the title.
        for line in lines[title_line:title_line + 3]:
            compact = _arabic_years(line.strip().translate({ord("（"): "(", ord("）"): ")", ord(" "): None}))
            if m := _YEAR_BRACKETED.match(compact):
                return int(m.group(1))
    if subjects and (m := _subject_year(subjects).search(_arabic_years(text_key))):
        return int(m.group(1))
    return None


def _subject_year(subjects: tuple[str, ...]) -> re.Pattern:
    """A year naming the report's subject: 2021年度政府信息公开工作, 2021年政务公开工作."""
    return re.compile(rf"(?<!\d){_YEAR}年度?(?:{'|'.join(map(re.escape, subjects))})")


def _marker_scores(text_key: str, kind: str, registry: Registry) -> dict[str, int]:
    scores: dict[str, int] = defaultdict(int)
    for key, (_, template) in zip(registry.indexes.marker_search_keys[kind], registry.markers[kind]):
        if key in text_key:
            scores[template] += 1
    return scores


def find_template(text_key: str, registry: Registry) -> str:
    """The template, from the markers in the text. Table 2's measure headings decide when they are
    printed, because table 2 is read by the template's measures, while table 3 is read in whichever
    form it is printed (a report may print 2019 headings in table 2 and 2021 sub-rows in table 3)."""
    table2 = _marker_scores(text_key, "template_table2", registry)
    if table2:
        best = max(table2.values())
        winners = [t for t, n in table2.items() if n == best]
        if len(winners) == 1:
            return winners[0]
    scores = _marker_scores(text_key, "template", registry)
    for template, n in table2.items():
        scores[template] += n
    if not scores:
        return "unknown"
    # The 2021 markers exist only in the 2021 template, and 2019 and legacy ones linger in its prose
    # (政府集中采购, 同意公开), so two 2021 markers decide. One alone may be prose too (a 2020 report
    # announcing the 信息处理费 speaks of 本年收费金额): it decides only against fewer 2019 markers.
    if scores.get("v2021", 0) >= _MIN_V2021_MARKERS or scores.get("v2021", 0) > scores.get("v2019", 0):
        return "v2021"
    scores.pop("v2021", None)
    best = max(scores.values())
    winners = [t for t, s in scores.items() if s == best]
    return winners[0] if len(winners) == 1 else "unknown"


# --- clues -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Clues:
    """What the text says about the place besides its names: each clue is a division (a county, a
    prefecture or a province) that the report's place lies in, contains, or is."""

    index: Division | None  # from the 信息索引号 or a 统一社会信用代码
    regions: tuple[tuple[str, Division], ...]  # (what, division) from postcode, area code, address
    named: frozenset[str]  # codes of every division named anywhere in the text
    addresses: tuple[tuple[int, int], ...]  # where addresses sit in the text key

    def in_address(self, m: Mention) -> bool:
        return any(start <= m.start < end for start, end in self.addresses)

    def support(self, d: Division) -> int:
        """How many clues agree with `d` (the same place, one containing it, or one inside it)."""
        clues = ([self.index] if self.index else []) + [r for _, r in self.regions]
        return sum(_same_lineage(d, c) for c in clues)


def _lineage(d: Division) -> set[str]:
    return {d.code, d.province_code} | ({d.prefecture_code} if d.prefecture_code else set())


def _same_lineage(a: Division, b: Division) -> bool:
    return a.code in _lineage(b) or b.code in _lineage(a)


def _index_division(text_key: str, year: int | None, registry: Registry) -> Division | None:
    for m in _INDEX_NUMBER.finditer(text_key):
        identifier = m.group("id")
        if credit := _CREDIT_CODE.match(identifier):
            code = credit.group("code")
        elif len(identifier) >= 12 and identifier[:12].isdigit():
            code = identifier[:6]  # 330782000000/2021-364241
        else:
            continue  # an organisation code or a local numbering: no division in it
        if d := registry.divisions.valid(code, year):
            return d
    return None


def find_clues(text_key: str, mentions: list[Mention], year: int | None, registry: Registry) -> Clues:
    divisions = registry.divisions
    regions: list[tuple[str, Division]] = []
    for kind, pattern in (("postcode", _POSTCODE), ("area_code", _AREA_CODE)):
        for m in pattern.finditer(text_key):
            if d := divisions.by_clue(kind, m.group("code"), year):
                regions.append((f"{kind} {m.group('code')}", d))
                break
    addresses = []
    for m in _ADDRESS.finditer(text_key):
        addresses.append(m.span("address"))
        # The most specific place of the address, if the others contain it (省 市 区 …).
        found = [x.division for x in divisions.mentions(m.group("address"), year)]
        deepest = max(found, key=lambda d: _LEVEL_RANK[d.level], default=None)
        if deepest and all(_same_lineage(deepest, d) for d in found):
            regions.append((f"address {m.group('address')}", deepest))
    named = frozenset(m.division.code for m in mentions)
    return Clues(_index_division(text_key, year, registry), tuple(regions), named, tuple(addresses))


# --- the place -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    division: Division
    evidence: str
    mention: Mention | None = None  # where the title names it


def _pick(candidates: list[Division], clues: Clues, backing: set[str]) -> tuple[Division | None, list[Division]]:
    """One division among several carrying the same name: the one whose province or prefecture is
    named (`backing`) or that the clues support. (chosen, tied) where tied lists the candidates the
    context could not separate."""
    distinct = list({d.code: d for d in candidates}.values())
    if len(distinct) == 1:
        return distinct[0], []

    def score(d: Division) -> tuple[int, int]:
        backed = (d.province_code in backing and d.level != "province") + bool(d.prefecture_code in backing)
        return backed, clues.support(d)

    best = max(score(d) for d in distinct)
    winners = [d for d in distinct if score(d) == best]
    if len(winners) == 1 and best != (0, 0):
        return winners[0], []
    return None, winners


def _from_title(mentions: list[Mention], clues: Clues) -> tuple[Place | None, list[Division]]:
    if not mentions:
        return None, []
    full = [m for m in mentions if m.full] or mentions
    deepest = max(_LEVEL_RANK[m.division.level] for m in full)
    at_deepest = [m for m in full if _LEVEL_RANK[m.division.level] == deepest]
    first_start = min(m.start for m in at_deepest)
    here = [m for m in at_deepest if m.start == first_start]
    backing = {m.division.code for m in mentions} | set(clues.named)
    chosen, tied = _pick([m.division for m in here], clues, backing)
    if chosen is None:
        return None, tied
    mention = next(m for m in here if m.division == chosen)
    return Place(chosen, "alias" if mention.alias_kind else "title", mention), []


def _from_text(mentions: list[Mention], clues: Clues) -> tuple[Place | None, list[Division]]:
    score: dict[str, int] = defaultdict(int)
    by_code: dict[str, Division] = {}
    # An address names where the office sits (a city government sits in one of its districts): it
    # counts as a clue to the region, not as a mention of the report's place.
    for m in (m for m in mentions if not clues.in_address(m)):
        score[m.division.code] += 3 if m.full else 1
        by_code[m.division.code] = m.division
    named = set(score)
    for code, d in by_code.items():
        # A province or prefecture named in the same text backs the counties under it; this is what
        # tells apart county names that repeat across provinces.
        score[code] += 2 * (d.province_code in named and d.level != "province")
        score[code] += 2 * bool(d.prefecture_code and d.prefecture_code in named)
        score[code] += 2 * clues.support(d)
    if not score:
        return None, []
    top = max(score.values())
    best = [by_code[c] for c, s in score.items() if s == top]
    if top < _MIN_TEXT_SCORE:
        return None, []
    names = {d.name for d in best}
    if len(best) > 1 and len(names) < len(best):
        return None, best  # one name, several places, nothing to tell them apart
    return Place(max(best, key=lambda d: _LEVEL_RANK[d.level]), "text"), []


def _publisher_phrase(title: str, registry: Registry) -> str:
    """Who the title names as publisher: the title before its ending (政府信息公开工作年度报告), or
    failing that before the report's subject (…关于政府信息公开工作的年度报告), without the year,
    spaces and a connective left at its end (关于)."""
    # Chinese puts no spaces in a name: spaces in a title are letter-spacing (开 化 县 财 政 局) or a gap.
    phrase = _WHITESPACE.sub("", normalize.standardize(title, registry.script))
    phrase = _YEAR_WITH_SUFFIX.sub("", _arabic_years(phrase))
    for ending in sorted(registry.marker_values("report_title"), key=len, reverse=True):
        if ending in phrase:
            phrase = phrase[: phrase.index(ending)]
            break
    else:
        at = [phrase.index(s) for s in registry.marker_values("report_subject") if s in phrase]
        phrase = phrase[: min(at)] if at else phrase
    for connective in sorted(registry.marker_values("title_connective"), key=len, reverse=True):
        if connective in phrase:
            # "…办公室关于印发缙云县" names the report's publisher after the connective; "缙云县人民政府关于"
            # before it.
            before, _, after = phrase.partition(connective)
            phrase = after.strip(_PHRASE_EDGES) or before
            break
    return phrase.strip(_PHRASE_EDGES)


def _publisher_fields(lines: list[str], registry: Registry) -> list[str]:
    """Organ names printed in the page's metadata fields (发布机构: …, 来源: …), in order."""
    values = []
    # Lines with text (a PDF's lines are numbered from 1001, an HTML page's by source line).
    text_lines = list(itertools.islice((line for line in lines if line.strip()), _TITLE_SEARCH_LINES + 3))
    # The labels printed anywhere in the lines searched (most pages print one or none), in order.
    searched = "\n".join(text_lines[:_TITLE_SEARCH_LINES])
    labels = [label for label in registry.marker_values("publisher_field") if label in searched]
    for number, line in enumerate(text_lines[:_TITLE_SEARCH_LINES]):
        for label in labels:
            at = line.find(label)
            if at < 0 or not (m := _FIELD_VALUE.match(line, at + len(label))):
                continue
            value = m.group("value") or next((x.strip() for x in text_lines[number + 1:number + 4] if x.strip()), "")
            value = normalize.standardize(value, registry.script)
            if _CJK_NAME.match(value):
                values.append(value)
    return values


def _is_name(text: str) -> bool:
    """Two or more Chinese characters and nothing else (not junk such as 365网站_…)."""
    return bool(_CJK_NAME.match(text))


def _ends_with(text: str, words: tuple[str, ...]) -> str | None:
    return next((w for w in sorted(words, key=len, reverse=True) if w and text.endswith(w)), None)


def _organ_and_scope(phrase: str, place: Place | None, registry: Registry) -> tuple[str | None, str | None, list[Issue]]:
    """(organ_name, report_scope, issues) from the title's publisher phrase."""
    government = registry.marker_values("government_word")
    townships = registry.marker_values("township_suffix")
    if place and place.mention:
        m = place.mention
        rest = phrase[m.end:]
        if rest in ("",) + government:
            if m.alias_kind == "special_area":
                return phrase[m.start:], "jurisdiction", []  # 平潭综合实验区 (管委会)
            return place.division.name + "人民政府", "jurisdiction", []
        prefix = phrase[: m.start]
        # An organ such as 国家税务总局温州市税务局 keeps its prefix; junk before the place is dropped.
        return (phrase if not prefix or _is_name(prefix) else phrase[m.start:]), "agency", []
    if not phrase:
        return None, None, []
    word = _ends_with(phrase, government)
    name = phrase[: len(phrase) - len(word)] if word else phrase
    if word and _ends_with(name, townships):
        return phrase, "agency", []  # a township government reports as an organ of its county
    if word and not _is_name(name):
        # The place name in the title is junk (or missing): the government of the place the rest
        # of the report names, if it names one.
        found = f"read as the government of {place.division.name}, named by the {place.evidence}" if place else "and no place is found"
        issue = Issue("warning", "publisher_not_a_place", f"the title's publisher {phrase!r} names no known place; {found}", None)
        return (place.division.name + "人民政府" if place else None), "jurisdiction", [issue]
    if word:
        return phrase, None, [Issue(
            "warning", "scope_unresolved",
            f"the title's publisher {phrase!r} is a government that is not a known division: "
            "jurisdiction summary or an organ's own report cannot be told", None)]
    if place and phrase[:1] in "省市县区州旗盟" and place.division.name.endswith(phrase[:1]):
        return place.division.name + phrase[1:], "agency", []  # 市财政局 -> 温州市财政局
    return phrase, "agency", []


def describe(lines: list[str], text: str, registry: Registry,
             title: tuple[str | None, int | None]) -> ReportMetadata:
    """`title`: the report's title and its line, as `find_title` finds it (the caller looks for it
    first, since a web page whose body names none is read with its <title> added)."""
    script_name = normalize.detect_script(text, registry.script)
    text_key = normalize.search_key(text, registry.script)
    title, title_line = title
    subjects = registry.indexes.marker_search_keys.get("report_subject", ())
    year = find_year(title, text_key, lines, title_line, subjects)
    template = find_template(text_key, registry)
    divisions = registry.divisions
    issues: list[Issue] = []

    text_mentions = divisions.mentions(text_key, year)
    clues = find_clues(text_key, text_mentions, year, registry)
    phrase = _publisher_phrase(title, registry) if title else ""
    fields = _publisher_fields(lines, registry)

    place, tied = _from_title(divisions.mentions(phrase, year), clues)
    if place is None and not tied and clues.index:
        place = Place(clues.index, "index_number")
    for value in fields if place is None and not tied else ():
        found, tied = _from_title(divisions.mentions(value, year), clues)
        if found or tied:
            place = Place(found.division, "publisher_field") if found else None
            break
    national = place is None and phrase.startswith(registry.marker_values("national_organ"))
    if place is None and not tied and not national:
        # (A national organ's report names provinces and cities as it goes: none of them is its place.)
        place, tied = _from_text(text_mentions, clues)
    if national:
        issues.append(Issue("info", "national_organ", f"{phrase} is a national organ: no division code", title_line))
    elif tied:
        codes = ", ".join(f"{d.code} ({d.name}, {d.province_code})" for d in tied)
        issues.append(Issue("warning", "jurisdiction_ambiguous",
                            f"the place name fits several divisions and nothing in the report tells them apart: {codes}",
                            title_line))
    elif place is None:
        issues.append(Issue("warning", "jurisdiction_unresolved", "no division named in the title, fields or text", None))
    jurisdiction = Jurisdiction(place.division.name, place.division.code, place.division.level, place.evidence) if place else None

    if phrase:
        organ_name, scope, organ_issues = _organ_and_scope(phrase, place, registry)
    elif fields:
        organ_name = fields[0]
        scope = "jurisdiction" if _ends_with(organ_name, registry.marker_values("government_word")) else "agency"
        organ_issues = [Issue("warning", "title_missing", f"no report title; organ read from the page's fields: {organ_name}", None)]
    else:
        organ_name, scope = None, None
        organ_issues = [Issue("warning", "organ_unresolved", "no title or publisher field names the reporting organ", None)]
    issues.extend(organ_issues)
    if year is None:
        issues.append(Issue("warning", "year_unresolved", "no report year in the title or the 统计期限", None))
    return ReportMetadata(title, title_line, year, template, script_name, jurisdiction, organ_name, scope, issues)
