"""Cell text -> (value, state, unit). Units, signs and 'not applicable' markers come from the seeds."""
from __future__ import annotations

import re
from dataclasses import dataclass

from loaders import memo, normalize
from loaders.registry import Registry

_NUMBER = re.compile(
    r"^(?P<sign>增加|减少|增|减|\+|-|−)?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
)
_NEGATIVE_SIGNS = {"-", "−", "减", "减少"}


@dataclass(frozen=True)
class ParsedValue:
    number: float | None
    state: str  # number | blank | not_applicable | unreadable
    unit: str | None = None

    def scaled(self, multiplier: float) -> float | None:
        return None if self.number is None else self.number * multiplier


def _cannot_start_value(raw: str, registry: Registry) -> bool:
    """True when `raw` begins with a common CJK ideograph that no value, sign or marker can begin
    with, even after script conversion: prose and labels, rejected without normalising them whole.
    (Ideographs U+4E00..U+9FFF are their own NFKC form and never compose with what follows.)"""
    stripped = raw.lstrip()
    if not stripped or not "\u4e00" <= stripped[0] <= "\u9fff":
        return False
    return stripped[0] not in registry.indexes.value_starts


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
    if _cannot_start_value(raw, registry):
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
