"""Tables of the grid formats (HTML, DOCX, PDF) as a rectangular grid, flattened into tokens.

Every reader expands its merged cells into the same grid: a position holds the `GridCell` printed
there, or None where a merged cell printed earlier (to the left or above) covers it. Flattening
emits each printed cell once, in its first row and column, so a merged label or a figure spanning
several columns is one cell, as the template has it; a row ends with a `break`. A figure merged
down over several rows is printed once, so the rows below it come out a cell short and the table
parser reports them as unplaceable instead of guessing.
"""
from __future__ import annotations

from typing import NamedTuple

from loaders.registry import Registry
from loaders.tokens import Token, row_tokens


class GridCell(NamedTuple):
    """A printed cell: a (text, line) pair, as `row_tokens` takes its cells."""

    text: str
    line: int


Grid = list[list[GridCell | None]]

# Positions of one table's grid, merged cells expanded. Report tables hold a few hundred; a page of
# `<td rowspan="0" colspan="64">` rows would expand to billions (quadratic in the rows) if every
# span were taken at its word. Past this, spans are read as 1 and the document says so.
MAX_GRID_CELLS = 250_000


class GridBudget:
    """Counts the positions a table's merged cells expand to; `take` says whether a span still fits."""

    def __init__(self, cells: int = MAX_GRID_CELLS):
        self.left = cells
        self.exceeded = False

    def take(self, positions: int) -> bool:
        if self.exceeded or positions > self.left:
            self.exceeded = True
            return False
        self.left -= positions
        return True

    def problem(self, where: str) -> str:
        return (f"{where}: its merged cells would expand past {MAX_GRID_CELLS:,} grid positions; "
                "the spans after that point were read as single cells")


def grid_tokens(grid: Grid, registry: Registry) -> tuple[list[Token], list[tuple[int, str]]]:
    """(tokens, (line, text) records for `Document.lines`: one per row, its cells joined by " | ")."""
    tokens: list[Token] = []
    records: list[tuple[int, str]] = []
    for row in grid:
        cells = [c for c in row if c is not None]
        if not cells:
            continue
        tokens.extend(row_tokens(cells, registry))
        records.append((cells[0].line, " | ".join(" ".join(c.text.split()) for c in cells)))
    return tokens, records


def cjk_join(pieces: list[str]) -> str:
    """Join the lines of a wrapped cell: nothing next to a CJK character (Chinese puts no spaces
    between words, and "10921" + "个" is one figure), a space otherwise ("352" and "21" stay two)."""
    if len(pieces) == 1:  # most cells: one line
        return pieces[0].strip()
    out = ""
    for piece in (p.strip() for p in pieces):
        if not piece:
            continue
        if out and not (_is_cjk(out[-1]) or _is_cjk(piece[0])):
            out += " "
        out += piece
    return out


def _is_cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"
