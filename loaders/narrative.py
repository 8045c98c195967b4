"""Figures quoted in the prose (收到申请N件, 予以公开N件, N件转下年度 …) -> narrative_facts.

Each keyword of the `narrative_fact_keywords` seed names a fact and where its number sits: `after`
the keyword (予以公开126件) or `before` it (163件属本机关不掌握…). A number is taken only with a count
unit (件, 起 …), so percentages and amounts are never read, only within a short gap free of other
figures, and only once. Some keywords depend on what the sentence is about (维持 after a review count is
`review_upheld`, after a lawsuit count `litigation_upheld`): their `context_fact` is the last fact
read without a context, in the same or the previous sentence.

When a fact is quoted more than once, the mention that reads as the whole wins: one qualified by
共 / 合计 / 全年 … over a plain one, a plain one over one inside a 其中 breakdown, and otherwise the
first. Figures about another period are skipped: a sentence that names only other years than the
report's, or a clause that speaks of 上年 / 去年 … before the keyword. A total that includes the
requests carried over (…398件（含上年结转申请18件）) is its own fact. A count written in Chinese
numerals (一百二十三件, 两件) reads as its figure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from loaders import normalize
from loaders.registry import FactKeyword, Registry
from loaders.types import Issue
from loaders.tokens import TEXT, Token

_SENTENCE_END = normalize.SENTENCE_END
_CLAUSE_START = re.compile(r"[,，、:：;；(（]")
_COUNT = r"(?P<number>\d+(?:\.\d+)?)(?P<unit>件|起|宗|个|次|条)"
_AFTER = re.compile(rf"^[^\d。；;]{{0,12}}?{_COUNT}")
_BEFORE = re.compile(rf"{_COUNT}[^\d。；;，,、]{{0,4}}$")
_YEARS = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
# A count in Chinese numerals: 一百二十三件, 十二件, 两件 (not an ordinal: 第一次).
_CHINESE_COUNT = re.compile(r"(?<![第每单])(?P<numeral>[零〇一二两三四五六七八九十百千万]+)(?=件|起|宗|个|次|条)")
_CHINESE_DIGIT = {c: n for n, cs in enumerate(("零〇", "一", "二两", "三", "四", "五", "六", "七", "八", "九")) for c in cs}
_CHINESE_UNIT = {"十": 10, "百": 100, "千": 1000}
# Priorities of a mention: that there was none, a breakdown, a plain mention, a qualified total.
_ABSENT, _BREAKDOWN, _PLAIN, _TOTAL = -1, 0, 1, 2
# What a subject that is only a modifier of another is followed by (政府信息公开申请的行政复议).
_MODIFIER = re.compile(r"^的")
# A sentence naming this many of the template's labels is a table run into the text, not prose.
_TABLE_LABELS = 3
# Where a negated clause begins: not at 、, which joins the subjects a negation covers.
_NEGATED_CLAUSE_START = re.compile(r"[,，:：;；。]")


@dataclass(frozen=True)
class NarrativeFact:
    fact: str
    value: float
    unit: str
    sentence: str
    line: int


def chinese_numeral(text: str) -> int | None:
    """一百二十三 -> 123, 十二 -> 12, 一万零五 -> 10005, 二〇 -> 20 (digit by digit); None if malformed."""
    if all(c in _CHINESE_DIGIT for c in text):
        return int("".join(str(_CHINESE_DIGIT[c]) for c in text))
    total = section = 0
    digit: int | None = None
    for c in text:
        if c in _CHINESE_DIGIT:
            if digit is not None and digit != 0:
                return None  # two digits in a row: 一二十
            digit = _CHINESE_DIGIT[c]
        elif c in _CHINESE_UNIT:
            section += (1 if digit is None else digit) * _CHINESE_UNIT[c]
            digit = None
        else:  # 万
            total += (section + (digit or 0)) * 10_000
            section, digit = 0, None
    return total + section + (digit or 0)


def _arabic_counts(key: str) -> str:
    """The counts written in Chinese numerals as Arabic figures, so that they read like the others."""
    def arabic(m: re.Match) -> str:
        value = chinese_numeral(m.group("numeral"))
        return m.group(0) if value is None else str(value)

    return _CHINESE_COUNT.sub(arabic, key)


# Characters that NFKC turns into a sentence end (｡ ︔ ﹖ …): text holding one is cut after normalising.
_FOLDING_INTO_SENTENCE_END = re.compile(
    "[" + "".join(sorted(map(re.escape, normalize.chars_folding_into("。；;!！?？")))) + "]")


def _cut(text: str) -> list[str]:
    """The text cut after each sentence end; the last piece is what follows the last one."""
    pieces, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        pieces.append(text[start:m.end()])
        start = m.end()
    pieces.append(text[start:])
    return pieces


def _keyed_sentences(tokens: list[Token], registry: Registry):
    """(sentence, line, key) for every sentence of the text tokens, the key being its search key with
    counts in Arabic figures; None in place of the sentences of a text whose key names no keyword.

    A text is normalised once and its key cut at the same sentence ends (NFKC keeps each sentence
    end and joins nothing across it), unless it holds a traditional character (whose conversion
    depends on the whole text) or a character that NFKC turns into a sentence end: then each sentence
    is normalised by itself."""
    script, keywords = registry.script, registry.indexes.keywords
    for t in tokens:
        if t.kind != TEXT:
            continue
        whole = None if _FOLDING_INTO_SENTENCE_END.search(t.text) else normalize.simplified_search_key(t.text, script)
        if whole is not None and keywords.figure_free and not keywords.pattern.search(whole):
            if t.text.strip():  # it has sentences (a sentence end is no space)
                yield None
            continue
        pieces = _cut(t.text)
        sentences = [p.strip() for p in pieces]
        if not sentences[-1]:
            sentences.pop()
        keys = _cut(whole) if whole is not None else []
        if len(keys) != len(pieces):
            for sentence in sentences:
                yield sentence, t.line, _arabic_counts(normalize.search_key(sentence, script))
            continue
        for sentence, key in zip(sentences, keys):
            yield sentence, t.line, _arabic_counts(key)


def _choose(rows: tuple[FactKeyword, ...], last_fact: str | None) -> FactKeyword | None:
    """The seed row a keyword stands for here: one whose context is the fact read last, else one
    without a context."""
    return next((r for r in rows if r.context and r.context == last_fact), None) or next(
        (r for r in rows if not r.context), None
    )


def _markers(registry: Registry, kind: str) -> tuple[str, ...]:
    return registry.indexes.marker_search_keys.get(kind, ())


def extract_facts(tokens: list[Token], registry: Registry, report_year: int | None = None) -> list[NarrativeFact]:
    found: dict[str, tuple[int, NarrativeFact]] = {}
    carried_over = _markers(registry, "includes_carried_over")
    other_period = _markers(registry, "other_period")
    qualifiers = _markers(registry, "total_qualifier")
    breakdown = _markers(registry, "breakdown")
    absence = _markers(registry, "absence")
    keywords = registry.indexes.keywords
    pattern, rows_of, absent_of = keywords.pattern, keywords.rows, keywords.absent
    labels = registry.segment_vocabulary.pattern
    last_fact: str | None = None
    for keyed in _keyed_sentences(tokens, registry):
        if keyed is None:
            last_fact = None  # text without a keyword (see below)
            continue
        sentence, line, key = keyed
        years = {int(y) for y in _YEARS.findall(key)}
        about_other_years = report_year and years and report_year not in years
        hits = [] if about_other_years else [(h.start(), h.group(), rows_of[h.group()]) for h in pattern.finditer(key)]
        if not hits:
            last_fact = None  # a context lasts into the next sentence, no further
            continue  # no figure, or about another year (2018年共收到申请…)
        used: set[int] = set()
        # A table run into the prose (a page's text saved without separators) names its labels, which
        # hold the subjects (政府信息公开申请) and the words (无法提供, 无正当理由) of a negation: no absence is
        # read there.
        table_text = len(labels.findall(key)) >= _TABLE_LABELS
        for n, (pos, keyword, rows) in enumerate(hits):
            none = absent_of.get(keyword)
            if none and none.fact not in found and not table_text and _says_none(key, pos, keyword, absence, absent_of, pattern):
                # 未收到…政府信息公开申请: a zero, which any figure for the fact outranks.
                found[none.fact] = (_ABSENT, NarrativeFact(none.fact, 0.0, "件", sentence, line))
                continue
            kw = _choose(rows, last_fact)
            if kw is None:
                continue
            end = pos + len(keyword)
            if kw.direction == "after":
                limit = hits[n + 1][0] if n + 1 < len(hits) else len(key)
                m = _AFTER.match(key[end:limit])
                number_at = end + m.start("number") if m else None
            else:
                since = hits[n - 1][0] + len(hits[n - 1][1]) if n else 0
                m = _BEFORE.search(key[since:pos])
                number_at = since + m.start("number") if m else None
            if m is None or number_at in used:
                continue
            clause = key[max((c.end() for c in _CLAUSE_START.finditer(key, 0, pos)), default=0):pos]
            if any(p in clause for p in other_period):
                continue  # 上年共收到申请80件
            used.add(number_at)
            fact = kw.fact
            after_number = key[number_at + len(m.group("number")) + len(m.group("unit")):]
            if fact == "requests_total" and after_number.lstrip("([（【").startswith(carried_over):
                fact = "requests_total_incl_carried_over"
            priority = (
                _TOTAL if any(q in clause for q in qualifiers)
                else _BREAKDOWN if any(b in key[:pos] for b in breakdown)
                else _PLAIN
            )
            if not kw.context:
                last_fact = kw.fact  # the subject that context keywords (维持, 纠错) refer to
            if fact not in found or priority > found[fact][0]:
                found[fact] = (priority, NarrativeFact(fact, float(m.group("number")), m.group("unit"), sentence, line))
    return [fact for _, fact in found.values()]


def _says_none(key: str, pos: int, keyword: str, absence: tuple[str, ...], absent_of, pattern: re.Pattern) -> bool:
    """True when the clause says the keyword's subject did not occur (未收到…政府信息公开申请, 没有发生…
    行政复议、行政诉讼): a negation before it in its clause (enumerations with 、 included), no figure
    between, and the subject not merely modifying another subject after it (政府信息公开申请的行政复议
    is about reviews)."""
    clause = key[max((c.end() for c in _NEGATED_CLAUSE_START.finditer(key, 0, pos)), default=0):pos]
    negation = max((clause.rfind(a) for a in absence), default=-1)
    if negation < 0 or any(c.isdigit() for c in clause[negation:]):
        return False
    after = key[pos + len(keyword):]
    if _MODIFIER.match(after):
        nxt = pattern.search(after, 0, 8)
        if nxt and nxt.group() in absent_of:
            return False
    return True


def combine(table_facts: list[NarrativeFact], prose_facts: list[NarrativeFact]) -> tuple[list[NarrativeFact], list[Issue]]:
    """One fact per code: a statistics table's figure over the prose's, and an issue where they differ."""
    by_fact = {f.fact: f for f in table_facts}
    issues = []
    for f in prose_facts:
        table = by_fact.get(f.fact)
        if table is None:
            by_fact[f.fact] = f
        elif table.value != f.value:
            issues.append(Issue("warning", "prose_differs_from_statistics",
                                f"{f.fact}: the prose says {f.value:g} (line {f.line}), the statistics table "
                                f"{table.value:g} (line {table.line}); the table's figure is kept", f.line))
    return list(by_fact.values()), issues
