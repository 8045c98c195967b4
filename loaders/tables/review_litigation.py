"""Table 4 (行政复议、行政诉讼情况): fifteen cells, review / litigation filed directly / litigation
after review, each upheld, corrected, other, pending, total.

The headings are merged cells that print in any order, so they are skipped and the fifteen cells
are read in template order. Headings printed between the cells (a transposed layout with one row per
proceeding, which starts at 结果维持) are skipped the same way. A heading broken over lines ("结果" /
"维持", as a narrow column wraps in a text copy) is joined back, like the row labels of table 3.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from loaders import normalize
from loaders.labels import is_marker, is_note, match_label
from loaders.registry import TABLE4_HEADER_DOMAINS, Registry
from loaders.tables import anchors, fused
from loaders.tables.slots import Cell, Issue, Slot, place
from loaders.tokens import BREAK, TEXT, VALUE, Token, match_joined
from loaders.types import TableResult

TABLE = "table 4"
_HEADER_DOMAINS = TABLE4_HEADER_DOMAINS
_LOOKAHEAD = 16
_MAX_HEADING_LENGTH = 12  # 结果维持 and its printed variants; longer text is not a result heading
_SENTENCE = re.compile(r"[。；;]")


class ReviewLitigationCell(NamedTuple):  # a named tuple: one per cell, built in C
    proceeding: str
    result: str
    cell: Cell


def _is_one_header(text: str, registry: Registry) -> bool:
    return (
        any(match_label(text, d, registry) for d in _HEADER_DOMAINS) or is_marker(text, "table4_header", registry)
        or is_note(text, registry)
    )


def _is_header(text: str, registry: Registry) -> bool:
    """A heading, or a line of headings separated by spaces ("结果维持 结果纠正 其他结果 …")."""
    if _is_one_header(text, registry):
        return True
    words = text.split()
    return len(words) > 1 and all(_is_one_header(w, registry) for w in words)


def _joined(tokens: list[Token], i: int, accept) -> int:
    """How many consecutive text tokens from i (at most three) make one text that `accept` takes,
    the fewest first; 0 when none does."""
    return match_joined(tokens, i, accept)[1]


def _is_heading_fragment(text: str, registry: Registry) -> bool:
    """Every space-separated word is a piece of a heading of the table."""
    pieces = registry.indexes.table4_heading_keys
    keys = [normalize.label_key(w, registry.script) for w in text.split()]
    return bool(keys) and all(k and any(k in p for p in pieces) for k in keys)


def _header_length(tokens: list[Token], i: int, registry: Registry) -> int:
    return _joined(tokens, i, lambda text: _is_header(text, registry))


def _transposed_start(tokens: list[Token], i: int, registry: Registry) -> bool:
    """The table turned a quarter (one row per proceeding, the results as column headings): it starts
    at 结果维持, and 行政复议 heads the first row of figures."""
    if len(tokens[i].text) > _MAX_HEADING_LENGTH:
        return False
    r = match_label(tokens[i].text, "review_result", registry)
    if not r or r.code != "upheld":
        return False
    for j in range(i + 1, min(i + 1 + _LOOKAHEAD * 2, len(tokens))):
        t = tokens[j]
        if t.kind == VALUE:
            return False
        if t.kind == TEXT and (m := match_label(t.text, "proceeding", registry)) and m.code == "review":
            return True
    return False


def is_start(tokens: list[Token], i: int, registry: Registry) -> bool:
    t = tokens[i]
    if t.kind != TEXT:
        return False
    if _transposed_start(tokens, i, registry):
        return True
    m = match_label(t.text, "proceeding", registry)
    if not m and " " in t.text.strip():  # headings on one line: 行政复议 行政诉讼
        first = match_label(t.text.split()[0], "proceeding", registry)
        m = first if first and _is_header(t.text, registry) else None
    if not m or m.code != "review":
        return False

    def upheld(text: str) -> bool:
        if any((r := match_label(x, "review_result", registry)) and r.code == "upheld" for x in [text] + text.split()):
            return True
        # Result headings broken beyond recognition (a PDF without ruling lines: "结果维" / "持"):
        # the litigation headings still say this is table 4.
        key = normalize.search_key(text, registry.script)
        return any(code == "litigation_direct" and label in key for label, code in registry.labels["proceeding"])

    ahead = [j for j in range(i + 1, min(i + 1 + _LOOKAHEAD * 2, len(tokens))) if tokens[j].kind == TEXT][:_LOOKAHEAD]
    return any(_joined(tokens, j, upheld) for j in ahead)


def parse(tokens: list[Token], start: int, template: str, registry: Registry, stop=lambda i: False) -> TableResult:
    """Table 4 is the same in every template, so `template` is not used."""
    expected = len(registry.proceedings) * len(registry.review_results)
    slot = Slot("table4", tokens[start], expected)
    issues: list[Issue] = []
    i = start + 1
    while i < len(tokens):
        t = tokens[i]
        if t.kind == TEXT:
            if stop(i) or (slot.has_values() and is_start(tokens, i, registry)):
                break  # another section or table, or this table printed again after its figures
            used = _header_length(tokens, i, registry)
            if not used and not slot.has_values() and _is_heading_fragment(t.text, registry):
                used = 1  # pieces of headings broken over lines ("结果维 结果纠 …" / "持 正 …")
            figures = None if used else fused.figure_tokens(t.text, t.line, registry, signed=False)
            if figures and len(slot.explicit()) < expected:
                slot.add_all(figures)  # figures run together ("9191264610320")
                i += 1
                continue
            if not used:
                started = slot.has_values()
                if len(slot.explicit()) >= expected or (not started and _SENTENCE.search(t.text)):
                    break  # the fifteen cells read, or prose where the figures were to come: the table is over
                issues.append(anchors.skipped(TABLE, t, False))
                i += 1
                continue
            if not slot.has_values():
                # Still in the heading: the cells start after its last label (empty cells there
                # are the fillers of merged headings in a copy that lost its merges).
                slot = Slot("table4", tokens[i + used - 1], expected)
            i += used
            continue
        elif t.kind != BREAK:
            if len(slot.explicit()) >= expected and t.kind != "blank":
                break
            slot.add(t)
        i += 1
    width = len(registry.review_results)

    def adds_up(cells: list[Cell]) -> bool:
        """Each proceeding's results add up to its total (T4-01..03; empty cells count 0)."""
        values = [c.value or 0 for c in cells]
        return all(sum(values[k:k + width - 1]) == values[k + width - 1] for k in range(0, len(values), width))
    placement = fused.recover_table4([slot], place([slot], TABLE, registry, adds_up), registry, TABLE)
    resolved = placement.cells
    issues.extend(placement.issues)
    cells = [
        ReviewLitigationCell(p, r, c)
        for (p, r), c in zip(
            [(p, r) for p in registry.proceedings for r in registry.review_results], resolved[0]
        )
    ]
    return TableResult(cells, issues, tokens[start].line, i)
