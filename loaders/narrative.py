"""Figures quoted in the prose (收到申请N件, 予以公开N件, N件转下年度 …) -> narrative_facts.

Each keyword of the `narrative_fact_keywords` seed names a fact and where its number sits: `after`
the keyword (予以公开126件) or `before` it (163件属本机关不掌握…). A number is taken only with a count
unit (件, 起 …), only within a short gap free of other figures, and only once; the first mention of a
fact in the document wins, since later mentions are usually breakdowns (其中…).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from loaders import normalize
from loaders.registry import FactKeyword, Registry
from loaders.tokens import TEXT, Token

_SENTENCE_END = re.compile(r"[。；;!！?？]")
_COUNT = r"(?P<number>\d+(?:\.\d+)?)(?P<unit>件|起|宗|个|次)"
_AFTER = re.compile(rf"^[^\d。；;]{{0,12}}?{_COUNT}")
_BEFORE = re.compile(rf"{_COUNT}[^\d。；;，,、]{{0,4}}$")


@dataclass(frozen=True)
class NarrativeFact:
    fact: str
    value: float
    unit: str
    sentence: str
    line: int


def _sentences(tokens: list[Token]):
    for t in tokens:
        if t.kind != TEXT:
            continue
        start = 0
        for m in _SENTENCE_END.finditer(t.text):
            yield t.text[start:m.end()].strip(), t.line
            start = m.end()
        if t.text[start:].strip():
            yield t.text[start:].strip(), t.line


def _keyword_pattern(registry: Registry) -> tuple[re.Pattern, dict[str, FactKeyword]]:
    """One regex of every keyword, longest first, so that `finditer` yields the non-overlapping
    occurrences, leftmost first and longest at each position; built once per registry."""
    cached = registry.memo.get("narrative_keywords")
    if cached is None:
        by_keyword: dict[str, FactKeyword] = {}
        for k in registry.fact_keywords:  # already longest first
            by_keyword.setdefault(k.keyword, k)
        pattern = re.compile("|".join(re.escape(k) for k in by_keyword))
        cached = registry.memo["narrative_keywords"] = (pattern, by_keyword)
    return cached


def extract_facts(tokens: list[Token], registry: Registry) -> list[NarrativeFact]:
    found: dict[str, NarrativeFact] = {}
    qualifiers = tuple(normalize.search_key(m, registry.script) for m in registry.marker_values("includes_carried_over"))
    pattern, by_keyword = _keyword_pattern(registry)
    for sentence, line in _sentences(tokens):
        key = normalize.search_key(sentence, registry.script)
        hits = [(m.start(), by_keyword[m.group()]) for m in pattern.finditer(key)]
        used: set[int] = set()
        for n, (pos, kw) in enumerate(hits):
            end = pos + len(kw.keyword)
            if kw.direction == "after":
                limit = hits[n + 1][0] if n + 1 < len(hits) else len(key)
                m = _AFTER.match(key[end:limit])
                number_at = end + m.start("number") if m else None
            else:
                since = hits[n - 1][0] + len(hits[n - 1][1].keyword) if n else 0
                m = _BEFORE.search(key[since:pos])
                number_at = since + m.start("number") if m else None
            if m is None or number_at in used:
                continue
            used.add(number_at)
            fact = kw.fact
            after_number = key[number_at + len(m.group("number")) + len(m.group("unit")):]
            if fact == "requests_total" and after_number.lstrip("([（【").startswith(qualifiers):
                fact = "requests_total_incl_carried_over"
            if fact not in found:
                found[fact] = NarrativeFact(fact, float(m.group("number")), m.group("unit"), sentence, line)
    return list(found.values())
