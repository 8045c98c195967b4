"""Match a printed label against the registry's labels and variants."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from loaders import memo, normalize
from loaders.registry import Registry

# Labels are short; longer text is prose and is never a label (the cap leaves room for a label
# whose cell separators were lost and whose figures follow it).
MAX_LABEL_LENGTH = 120
# The figures (with their units and signs) that may follow a label in its cell: the run at the end.
_TRAILING_FIGURES = re.compile(r"[\d.,+\-%万元亿个件项]+$")
# A label cut short (a narrow column, a copy that lost the end of a cell) still matches when what is
# left is at least this many characters of its key and begins exactly one code's labels in the
# domain. Six is more than any two labels of one domain share (属于行政执法案卷 / 属于行政查询事项
# share four), so a fragment never picks between two rows by chance. A label of that length with one
# mistyped character still matches when no other code's label is as close.
MIN_TRUNCATED_LENGTH = 6
_SECTION_NUMBER = re.compile(r"^\s*[一二三四五六七八九十]+[、.]")
# A section heading may carry a few characters more than the template's (政府信息公开工作存在的…).
_HEADING_SLACK = 8


@dataclass(frozen=True)
class LabelMatch:
    code: str
    trailing: str = ""  # figures printed in the same cell after the label (lost separators)


_UNKNOWN = object()


def match_label(text: str, domain: str, registry: Registry) -> LabelMatch | None:
    """Exact match of the label key, a known label followed only by figures, or the unambiguous
    beginning of a label (see MIN_TRUNCATED_LENGTH)."""
    if len(text) > MAX_LABEL_LENGTH:
        return None
    found = registry.label_matches.get((text, domain), _UNKNOWN)
    if found is _UNKNOWN:
        # Kept up to MAX_LABEL_LENGTH: every text that could be a label, matched or not.
        found = memo.remember(registry.label_matches, (text, domain), _match_label(text, domain, registry))
    return found


def _match_label(text: str, domain: str, registry: Registry) -> LabelMatch | None:
    key = normalize.label_key(text, registry.script)
    if not key:
        return None
    codes_by_label = registry.indexes.label_codes[domain]
    if (code := codes_by_label.get(key)) is not None:
        return LabelMatch(code)
    if tail := _TRAILING_FIGURES.search(key):
        # The longest label followed only by figures: the shortest tail of figures after a label.
        for end in range(max(tail.start(), 1), len(key)):
            if (code := codes_by_label.get(key[:end])) is not None:
                return LabelMatch(code, key[end:])
    codes = registry.label_prefixes[domain].get(key, ()) if len(key) >= MIN_TRUNCATED_LENGTH else ()
    if len(codes) == 1:
        return LabelMatch(next(iter(codes)))
    if len(key) >= MIN_TRUNCATED_LENGTH:
        # One character mistyped (事物 for 事务, 己 for 已, an OCR slip): the label of exactly one code
        # that the key matches but for one ideograph.
        by_length = registry.indexes.labels_by_length.get(domain, {})
        codes = {code for label, code in by_length.get(len(key), ()) if _one_slip(label, key)}
        if len(codes) == 1:
            return LabelMatch(codes.pop())
    return None


def _one_slip(label: str, key: str) -> bool:
    differ = [(a, b) for a, b in zip(label, key) if a != b]
    return len(differ) == 1 and "\u4e00" <= differ[0][1] <= "\u9fff"


def matches_any(text: str, domains: tuple[str, ...], registry: Registry) -> bool:
    return any(match_label(text, d, registry) for d in domains)


def is_note(text: str, registry: Registry) -> bool:
    """Text with no label left once numbering, bracketed notes and punctuation are dropped: a
    table's bracketed note or （续表）, which a table may print anywhere."""
    return not normalize.label_key(text, registry.script)


def is_marker(text: str, kind: str, registry: Registry) -> bool:
    return normalize.label_key(text, registry.script) in registry.marker_label_keys.get(kind, frozenset())


def label_similarity(key: str, registry: Registry, domain: str, code: str) -> float:
    """How close a label key is to the closest label of `code` (0 to 1: the share of characters the
    two have in common, in order)."""
    return max((difflib.SequenceMatcher(None, key, label, autojunk=False).ratio()
                for label, c in registry.labels[domain] if c == code), default=0.0)


def section_of(text: str, registry: Registry) -> str | None:
    """The template section (一 … 六) whose heading `text` is: it begins with the heading, and is
    numbered or little longer than the heading (a heading run into the prose that follows it in a
    copy without line breaks is cut from it before)."""
    if len(text) > MAX_LABEL_LENGTH * 4:
        return None
    key = normalize.label_key(text, registry.script)
    numbered = bool(_SECTION_NUMBER.match(normalize.standardize(text, registry.script)))
    for heading, section in registry.section_headings:
        if key.startswith(heading) and (numbered or len(key) <= len(heading) + _HEADING_SLACK):
            return section
    return None
