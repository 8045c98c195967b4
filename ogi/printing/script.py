"""Simplified to traditional script, as mirror sites print reports, through the script seed read
backwards (the first mapping of a simplified character wins)."""
from __future__ import annotations

import csv
from functools import cache

from loaders.project import SEEDS_DIR


@cache
def _to_traditional() -> dict[int, str]:
    table: dict[int, str] = {}
    with open(SEEDS_DIR / "script_char_map.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            table.setdefault(ord(row["simplified"]), row["traditional"])
    return table


def to_traditional(text: str, encoding: str | None = None) -> str:
    """`text` in traditional characters; with `encoding`, a character whose traditional form that
    encoding cannot write (Big5 lacks some) stays as it is."""
    if encoding is None:
        return text.translate(_to_traditional())
    out = []
    for ch in text:
        trad = _to_traditional().get(ord(ch), ch)
        try:
            trad.encode(encoding)
        except UnicodeEncodeError:
            trad = ch
        out.append(trad)
    return "".join(out)
