"""The model every format renders: blocks in reading order, tables as grids of merged cells."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cell:
    """A cell as printed: its text, and how many rows and columns it covers."""
    text: str
    rowspan: int = 1
    colspan: int = 1


Grid = list[list[Cell]]
Block = tuple[str, object]  # ("title" | "h" | "p", str) or ("grid", Grid)
HEADING_PREFIXES = ("一、", "二、", "三、", "四、", "五、", "六、")


def width(grid: Grid) -> int:
    return sum(c.colspan for c in grid[0])


def expand(grid: Grid) -> list[list[str | None]]:
    """The grid with merges expanded: a cell's text at its first position, None where it covers."""
    out: list[list[str | None]] = []
    covered: set[tuple[int, int]] = set()
    columns = width(grid)
    for r, row in enumerate(grid):
        line: list[str | None] = []
        cells = iter(row)
        c = 0
        while c < columns:
            if (r, c) in covered:
                line.append(None)
                c += 1
                continue
            cell = next(cells, None)
            if cell is None:  # a short row: the rest is empty
                line += [""] * (columns - c)
                break
            line += [cell.text] + [None] * (cell.colspan - 1)
            covered.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            c += cell.colspan
        out.append(line)
    return out


def placed(grid: Grid) -> list[tuple[int, int, Cell]]:
    """(row, column, cell) of every cell, at the first position it covers."""
    out = []
    covered: set[tuple[int, int]] = set()
    columns = width(grid)
    for r, row in enumerate(grid):
        cells = iter(row)
        c = 0
        while c < columns:
            if (r, c) in covered:
                c += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            out.append((r, c, cell))
            covered.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            c += cell.colspan
    return out


def map_text(blocks: list[Block], convert) -> list[Block]:
    """The blocks with every text passed through `convert` (a change of script)."""
    return [(kind, [[Cell(convert(c.text), c.rowspan, c.colspan) for c in row] for row in content]) if kind == "grid"
            else (kind, convert(content)) for kind, content in blocks]
