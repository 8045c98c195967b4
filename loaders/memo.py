"""Memoisation of the parser's pure per-string functions, kept on the object they depend on.

A corpus repeats the same short strings millions of times: the template's labels, markers and
cell values such as "0" or "12". `standardize`, `label_key`, `match_label` and `parse_value` are
pure functions of (the string, the registry or script map), so their results are kept in an LRU
cache that lives on that registry or script map (`memo`): built with it, gone with it, never shared
between registries. Only short strings are cached (prose lines are unique), and each cache is
bounded, so memory stays bounded.
"""
from __future__ import annotations

import functools

MAX_KEY_LENGTH = 80
MAX_ENTRIES = 100_000


def on_last_argument(fn):
    """Memoise fn(text, ..., owner) in `owner.memo` when `text` is short."""
    name = fn.__qualname__

    @functools.wraps(fn)
    def memoised(*args):
        if len(args[0]) > MAX_KEY_LENGTH:
            return fn(*args)
        owner = args[-1]
        try:
            cached = owner.memo[name]
        except KeyError:
            cached = owner.memo[name] = functools.lru_cache(maxsize=MAX_ENTRIES)(functools.partial(_call_with, fn, owner))
        return cached(*args[:-1])

    return memoised


def _call_with(fn, owner, *args):
    return fn(*args, owner)
