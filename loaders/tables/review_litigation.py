"""Table 4 (行政复议、行政诉讼情况): fifteen cells, review / litigation filed directly / litigation
after review, each upheld, corrected, other, pending, total.

The headings are merged cells that print in any order, so they are skipped and the fifteen cells
are read in template order. Headings printed between the cells (a transposed layout with one row per
proceeding) are skipped the same way.
"""
from __future__ import annotations

from dataclasses import dataclass

from loaders.labels import is_marker, is_note, match_label
from loaders.registry import Registry
from loaders.tables.applications import TableResult
from loaders.tables import fused
from loaders.tables.slots import Cell, Issue, Slot, place
from loaders.tokens import BREAK, TEXT, VALUE, Token

TABLE = "table 4"
_HEADER_DOMAINS = ("proceeding", "review_result")
_LOOKAHEAD = 16


@dataclass(frozen=True)
class ReviewLitigationCell:
    proceeding: str
    result: str
    cell: Cell


def _is_header(text: str, registry: Registry) -> bool:
    return (
        any(match_label(text, d, registry) for d in _HEADER_DOMAINS) or is_marker(text, "table4_header", registry)
        or is_note(text, registry)
    )


def is_start(tokens: list[Token], i: int, registry: Registry) -> bool:
    t = tokens[i]
    if t.kind != TEXT:
        return False
    m = match_label(t.text, "proceeding", registry)
    if not m or m.code != "review":
        return False
    ahead = [x for x in tokens[i + 1:i + 1 + _LOOKAHEAD * 2] if x.kind == TEXT][:_LOOKAHEAD]
    return any((r := match_label(x.text, "review_result", registry)) and r.code == "upheld" for x in ahead)


def parse(tokens: list[Token], start: int, template: str, registry: Registry) -> TableResult:
    """Table 4 is the same in every template, so `template` is not used."""
    expected = len(registry.proceedings) * len(registry.review_results)
    slot = Slot("table4", tokens[start], expected)
    i = start + 1
    while i < len(tokens):
        t = tokens[i]
        if t.kind == TEXT:
            header = _is_header(t.text, registry)
            figures = None if header else fused.figure_tokens(t.text, t.line, registry, signed=False)
            if figures and len(slot.explicit()) < expected:
                slot.items.extend(figures)  # figures run together ("9191264610320")
                i += 1
                continue
            if not header:
                break
            if not any(x.kind == VALUE for x in slot.items):
                # Still in the heading: the cells start after its last label (empty cells there
                # are the fillers of merged headings in a copy that lost its merges).
                slot = Slot("table4", t, expected)
        elif t.kind != BREAK:
            if len(slot.explicit()) >= expected and t.kind != "blank":
                break
            slot.items.append(t)
        i += 1
    placement = fused.recover_table4([slot], place([slot], TABLE, registry), registry, TABLE)
    resolved, issues = placement.cells, placement.issues
    cells = [
        ReviewLitigationCell(p, r, c)
        for (p, r), c in zip(
            [(p, r) for p in registry.proceedings for r in registry.review_results], resolved[0]
        )
    ]
    return TableResult(cells, issues, tokens[start].line, i)
