"""Match a printed label against the registry's labels and variants."""
from __future__ import annotations

import re
from dataclasses import dataclass

from loaders import memo, normalize
from loaders.registry import Registry

# Labels are short; longer text is prose and is never a label (the cap leaves room for a label
# whose cell separators were lost and whose figures follow it).
MAX_LABEL_LENGTH = 120
_TRAILING_FIGURES = re.compile(r"^[\d.,+\-%万元亿个件项]+$")


@dataclass(frozen=True)
class LabelMatch:
    code: str
    trailing: str = ""  # figures printed in the same cell after the label (lost separators)


@memo.on_last_argument
def match_label(text: str, domain: str, registry: Registry) -> LabelMatch | None:
    """Exact match of the label key, or a known label followed only by figures."""
    if len(text) > MAX_LABEL_LENGTH:
        return None
    key = normalize.label_key(text, registry.script)
    if not key:
        return None
    for label, code in registry.labels[domain]:
        if key == label:
            return LabelMatch(code)
    for label, code in registry.labels[domain]:
        if key.startswith(label) and _TRAILING_FIGURES.match(key[len(label):]):
            return LabelMatch(code, key[len(label):])
    return None


def matches_any(text: str, domains: tuple[str, ...], registry: Registry) -> bool:
    return any(match_label(text, d, registry) for d in domains)


def is_marker(text: str, kind: str, registry: Registry) -> bool:
    return normalize.label_key(text, registry.script) in registry.marker_label_keys.get(kind, frozenset())
