"""The template as the anchor: what a table parser does with text that is none of its labels.

A table ends only at a structural boundary (the caller's `stop(i)`: another section's heading or
another table) or at the template's end, never at unknown text. Unknown text between the rows is one
of two things:

- a row whose label matches no variant (a typo, an OCR slip): it carries a row's worth of figures,
  and a row of the template is missing at its place, between the last row read and the next row
  label ahead, whose label it is close to. It is read as that row, and a warning says so;
- anything else (a page footer, a fragment of a merged cell cut by a page break, a converter's
  made-up header, a row the template does not have): it is skipped, with an `info` issue, and so are
  the figures it carries when it carries a row's worth.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from loaders import normalize
from loaders.labels import label_similarity
from loaders.registry import Registry
from loaders.tables import fused
from loaders.tables.slots import Slot
from loaders.types import Issue
from loaders.tokens import EMPTY, TEXT, VALUE, Token, is_page_number

# How far ahead the next row label is looked for, in tokens.
LOOKAHEAD = 80
# A text that matches no label is read as the missing row whose labels it is closest to: with at least
# this similarity (0 to 1) when several rows are missing there, or ALONE_SIMILARITY when one is, and
# ahead of the next closest by the margin.
SIMILARITY = 0.5
ALONE_SIMILARITY = 0.3
SIMILARITY_MARGIN = 0.1


@dataclass(frozen=True)
class Rows:
    """One table's rows for position matching: its codes in print order, the label domain, and how
    to find a row label at a token (the table's own matcher: code or None)."""

    table: str
    codes: list[str]
    domain: str
    row_at: Callable[[list[Token], int], str | None]


def figures_ahead(tokens: list[Token], i: int) -> list[Token]:
    """The value and empty-cell tokens that follow token i, up to the next text."""
    out = []
    for t in tokens[i + 1:]:
        if t.kind == TEXT:
            break
        if t.kind in (VALUE, EMPTY):
            out.append(t)
    return out


def carries_a_row(tokens: list[Token], i: int, slots: list[Slot], registry: Registry, cells: int,
                  signed: bool = False) -> bool:
    """True when the text at i is followed (or ended) by a row's worth of figures of its own: `cells`
    cells, or a run of at least as many digits. A page number carries none, nor a text whose figures
    are exactly the cells the row before it still lacks (a footer printed inside that row)."""
    if is_page_number(tokens[i].text):
        return False
    figures = figures_ahead(tokens, i) or fused.label_figures(tokens[i], registry, signed=signed)
    if slots and slots[-1].expected and len(slots[-1].explicit()) + len(figures) == slots[-1].expected:
        return False
    digits = sum(sum(c.isdigit() for c in t.text) for t in figures)
    return len(figures) >= cells or (bool(figures) and digits >= cells)


def _next_row_ahead(tokens: list[Token], i: int, rows: Rows, stop) -> str | None:
    for j in range(i + 1, min(len(tokens), i + LOOKAHEAD)):
        if tokens[j].kind != TEXT:
            continue
        if stop(j):
            return None
        if code := rows.row_at(tokens, j):
            return code
    return None


@dataclass(frozen=True)
class PositionMatch:
    code: str
    issue: Issue  # the warning that says which row the text was read as, and why


def row_by_position(tokens: list[Token], i: int, slots: list[Slot], rows: Rows, registry: Registry,
                    stop) -> PositionMatch | None:
    """The row that the text at i stands for, or None when no row is missing at its place or the
    text is not close to any missing row's label."""
    order = {code: n for n, code in enumerate(rows.codes)}
    read = [s.code for s in slots if s.code in order and s.explicit()]
    after = order[read[-1]] if read else -1
    ahead = _next_row_ahead(tokens, i, rows, stop)
    before = order.get(ahead, len(rows.codes)) if ahead else len(rows.codes)
    seen = {s.code for s in slots if s.code}
    missing = [code for code in rows.codes[after + 1:before] if code not in seen]
    if not missing:
        return None
    text = tokens[i].text
    split = fused.split_trailing(text, registry, False)
    key = normalize.label_key(split[0] if split else text, registry.script)
    if not key:
        return None
    scored = sorted(((label_similarity(key, registry, rows.domain, code), code) for code in missing), reverse=True)
    best, code = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    threshold = ALONE_SIMILARITY if len(missing) == 1 else SIMILARITY
    if best < threshold or best - runner_up < SIMILARITY_MARGIN:
        return None
    return PositionMatch(code, Issue(
        "warning", "label_by_position",
        f"{rows.table}: {text!r} matches no label; read as row {code} (the row missing at its place, label "
        f"similarity {best:.2f})", tokens[i].line))


def skipped(table: str, token: Token, with_figures: bool) -> Issue:
    return Issue("info", "text_skipped",
                 f"{table}: {token.text[:60]!r} is not a label of the template; skipped"
                 + (" with the figures after it" if with_figures else ""), token.line)
