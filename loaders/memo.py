"""The results of the parser's pure per-string functions for short strings, kept in plain dicts.

A corpus repeats the same short strings millions of times: the template's labels, markers and cell
values. `standardize`, `search_key`, `label_key`, `match_label` and `parse_value` are pure functions
of (the string, the script map or registry), so their results for short strings are kept in a dict
that is a named field of that script map or registry (built with it, gone with it, never shared
between registries) and looked up directly by the function: one dict lookup a call. Prose lines are
unique and are not kept; a dict that reaches MAX_ENTRIES is emptied, so memory stays bounded.
"""
from __future__ import annotations

MAX_KEY_LENGTH = 80
MAX_ENTRIES = 100_000


def remember(results: dict, key, value):
    """`value`, kept under `key` in `results` (emptied first when full)."""
    if len(results) >= MAX_ENTRIES:
        results.clear()
    results[key] = value
    return value


def remember_short(results: dict, text: str, value):
    """`value`, kept under `text` in `results` when `text` is short (see MAX_KEY_LENGTH)."""
    return remember(results, text, value) if len(text) <= MAX_KEY_LENGTH else value
