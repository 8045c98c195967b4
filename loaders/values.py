"""Cell text -> (value, state, unit). Units, signs and 'not applicable' markers come from the seeds."""
from __future__ import annotations

import re
from dataclasses import dataclass

from loaders import memo, normalize
from loaders.registry import SIGN_WORDS, Registry

_NUMBER = re.compile(
    r"^(?P<sign>" + "|".join(map(re.escape, (*SIGN_WORDS, "+", "-", "−"))) + ")?"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
)
_NEGATIVE_SIGNS = {"-", "−", "减", "减少"}


@dataclass(frozen=True)
class ParsedValue:
    number: float | None
    state: str  # number | blank | not_applicable | unreadable
    unit: str | None = None

    def scaled(self, multiplier: float) -> float | None:
        return None if self.number is None else self.number * multiplier


_UNKNOWN = object()


def parse_value(raw: str, registry: Registry) -> ParsedValue | None:
    """Parse one printed cell. None when the text is not a cell value at all (a label or prose)."""
    found = registry.parsed_values.get(raw, _UNKNOWN)
    if found is _UNKNOWN:
        found = memo.remember_short(registry.parsed_values, raw, _parse_value(raw, registry))
    return found


def _parse_value(raw: str, registry: Registry) -> ParsedValue | None:
    if raw.isdigit() and raw.isascii():
        # The usual cell ("0", "12"): nothing to normalise, strip or convert.
        return ParsedValue(None, "not_applicable") if raw in registry.marker_values("not_applicable") \
            else ParsedValue(float(raw), "number")
    if registry.indexes.not_in_values.search(raw):
        # An ideograph no value holds (prose, a label, a year's 年): rejected without normalising the
        # text, which may be a whole paragraph.
        return None
    text = normalize.clean_cell(raw)
    if not text:
        return ParsedValue(None, "blank")
    if text in registry.marker_values("not_applicable"):
        return ParsedValue(None, "not_applicable")
    traditional_free = registry.script.to_simplified(text)
    match = _NUMBER.match(traditional_free)
    if not match:
        return None
    rest = traditional_free[match.end():]
    unit = None
    if rest:
        unit_match = registry.unit_pattern.match(rest)
        if not unit_match or unit_match.end() != len(rest):
            return None
        unit = unit_match.group("unit")
    number = float(match.group("number").replace(",", ""))
    if match.group("sign") in _NEGATIVE_SIGNS:
        number = -number
    return ParsedValue(number, "number", unit)


def is_value(raw: str, registry: Registry) -> bool:
    return parse_value(raw, registry) is not None
