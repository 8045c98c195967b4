"""Rows of a flattened table ("slots") and how their printed items become cells.

A slot is one template row: its label token and the value / empty / blank tokens printed after it.
When a slot holds exactly the cells the template expects, blank lines are irrelevant. When it holds
fewer, the empty cells were printed as empty lines, and the layout decides how many:

- `separated`: every cell is followed by one separator line, and an empty cell is one more empty
  line, so a run of r empty lines holds r - 1 empty cells;
- `plain`: one cell per line, so a run of r empty lines holds r empty cells.

One layout is chosen per table, the one under which every short row adds up to the template's
count. When neither does, the row's cells are `unreadable` and the report says so: cells are never
guessed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from loaders.registry import Registry
from loaders.tokens import BLANK, EMPTY, VALUE, Token
from loaders.types import Cell, Issue
from loaders.values import parse_value

LAYOUTS = ("separated", "plain")
_CELL_KINDS = (VALUE, EMPTY)  # the items that are cells (blank lines and breaks are not)


@dataclass
class Slot:
    """Tokens are added through `add` and `add_all`, which keep the slot's explicit cells (its value
    and empty tokens) as they go: the tables ask for them after every token they read."""

    code: str | None  # None for a group heading, which expects no cells
    label: Token
    expected: int
    items: list[Token] = field(default_factory=list)
    _explicit: list[Token] = field(init=False, repr=False, compare=False)
    _values: int = field(init=False, repr=False, compare=False)  # how many of them are values

    def __post_init__(self) -> None:
        self._explicit = [t for t in self.items if t.kind in _CELL_KINDS]
        self._values = sum(t.kind == VALUE for t in self._explicit)

    def add(self, token: Token) -> None:
        self.items.append(token)
        if token.kind in _CELL_KINDS:
            self._explicit.append(token)
            self._values += token.kind == VALUE

    def add_all(self, tokens: list[Token]) -> None:
        for t in tokens:
            self.add(t)

    def remove(self, token: Token) -> None:
        """The first item equal to `token` removed."""
        self.items.remove(token)
        self.__post_init__()

    def explicit(self) -> list[Token]:
        """The value and empty tokens among the items (the slot's own list: read it, do not change it)."""
        return self._explicit

    def has_values(self) -> bool:
        return self._values > 0


def _with_blank_layout(items: list[Token], layout: str) -> list[Token] | None:
    out: list[Token] = []
    run: list[Token] = []

    def flush(trailing: bool) -> bool:
        if layout == "separated":
            if not run:
                return trailing or not out  # a separator is required after every cell
            empties = run[1:]
        else:
            empties = run
        out.extend(Token(EMPTY, "", t.line) for t in empties)
        run.clear()
        return True

    for t in items:
        if t.kind == BLANK:
            run.append(t)
            continue
        if not flush(trailing=False):
            return None
        out.append(t)
    if not flush(trailing=True):
        return None
    return out


def _cells_under(slot: Slot, layout: str) -> list[Token] | None:
    """The slot's cells if its empty lines are read with `layout`, or None when they do not add up.
    Empty lines after the last printed value may run on into the gap before the next heading: the
    cells after the last value are empty whatever their number, so the surplus is dropped."""
    laid = _with_blank_layout(slot.items, layout)
    if laid is None:
        return None
    cells = [t for t in laid if t.kind in (VALUE, EMPTY)]
    last_value = max((i for i, t in enumerate(cells) if t.kind == VALUE), default=-1)
    if len(cells) > slot.expected and last_value < slot.expected:
        cells = cells[: slot.expected]
    return cells if len(cells) == slot.expected else None


def _without_filler(explicit: list[Token], expected: int) -> list[Token] | None:
    """A row with surplus empty cells all on one side of its figures: the filler cells of a merged
    label (before) or of a figure spanning columns (after), as copies that lost their merges print
    them. None when the surplus is not all empty on exactly one side (or both sides agree)."""
    surplus = len(explicit) - expected
    readings = [
        kept for kept, dropped in ((explicit[surplus:], explicit[:surplus]), (explicit[:expected], explicit[expected:]))
        if all(t.kind == EMPTY for t in dropped)
    ]
    if not readings or any([(t.kind, t.text) for t in r] != [(t.kind, t.text) for t in readings[0]] for r in readings):
        return None
    return readings[0]


def to_cell(token: Token, registry: Registry) -> Cell:
    if token.kind == EMPTY:
        return Cell(None, "blank", "", token.line)
    parsed = parse_value(token.text, registry)
    if parsed is None:
        return Cell(None, "unreadable", token.text, token.line)
    return Cell(parsed.number, parsed.state, token.text, token.line, parsed.unit)


def unreadable_cells(slot: Slot) -> list[Cell]:
    explicit = slot.explicit()
    line = explicit[0].line if explicit else slot.label.line
    raw = " ".join(t.text for t in explicit)
    return [Cell(None, "unreadable", raw, line) for _ in range(slot.expected)]


@dataclass
class Placement:
    cells: list[list[Cell]]  # one list per slot, each exactly `slot.expected` long
    issues: list[Issue]
    # slots whose printed items fit no layout (candidates for lost separators) -> their issue
    unplaceable: dict[int, Issue]


def _separated_from_its_heading(slot: Slot) -> list[Slot]:
    """The slot with its first empty line, or all the empty lines before its first item, read as a
    separator (a blank line between a table's headings and its figures); [] when it begins with none."""
    first = next((n for n, t in enumerate(slot.items) if t.kind != BLANK), len(slot.items))
    cuts = sorted({1, first}) if first else []
    return [Slot(slot.code, slot.label, slot.expected, slot.items[cut:]) for cut in cuts]


def _reading(slot: Slot, layout: str) -> list[Token] | None:
    """The slot's cells under `layout`: its leading empty lines read as empty cells, or, when the
    cells do not come to the template's count so, the first of them (or all) as a separator."""
    for variant in [slot] + _separated_from_its_heading(slot):
        if (cells := _cells_under(variant, layout)) is not None:
            return cells
    return None


def _readings(slot: Slot) -> list[list[Token]]:
    """The slot's cells under every layout, its leading empty lines read every way."""
    variants = [slot] + _separated_from_its_heading(slot)
    return [cells for v in variants for layout in LAYOUTS if (cells := _cells_under(v, layout)) is not None]


def place(slots: list[Slot], table_name: str, registry: Registry,
          adds_up: Callable[[list[Cell]], bool] | None = None) -> Placement:
    """Cells for every slot, in slot order. A slot whose items fit no layout gets unreadable cells and
    a `cells_not_placeable` issue, and is listed so that the table may recover it from its arithmetic
    (`loaders.tables.fused`). Where the table's layout reads a short slot so that its own arithmetic
    fails (`adds_up`: a row's or a proceeding's total) and exactly one other reading of its empty lines
    adds up, that reading is taken: the arithmetic decides what the empty lines were, as it decides
    where lost separators were."""
    issues: list[Issue] = []
    unplaceable: dict[int, Issue] = {}
    short = [s for s in slots if len(s.explicit()) < s.expected]

    def fits(slot: Slot, layout: str) -> bool:
        return _reading(slot, layout) is not None

    # Rows that fit no layout at all (e.g. cells fused together) say nothing about the table's layout.
    placeable = [s for s in short if any(fits(s, layout) for layout in LAYOUTS)]
    table_layout = next((layout for layout in LAYOUTS if all(fits(s, layout) for s in placeable)), None)
    result: list[list[Cell]] = []
    for index, slot in enumerate(slots):
        explicit = slot.explicit()
        if len(explicit) > slot.expected and (trimmed := _without_filler(explicit, slot.expected)) is not None:
            explicit = trimmed
        if len(explicit) == slot.expected:
            tokens = explicit
        elif len(explicit) > slot.expected:
            issues.append(
                Issue(
                    "error",
                    "too_many_cells",
                    f"{table_name}: row {slot.code} has {len(explicit)} cells where the template has {slot.expected}",
                    slot.label.line,
                )
            )
            result.append(unreadable_cells(slot))
            continue
        else:
            fitting = [lay for lay in LAYOUTS if fits(slot, lay)]
            layout = table_layout if table_layout in fitting else next(iter(fitting), None)
            if layout is None:
                unplaceable[index] = Issue(
                    "error",
                    "cells_not_placeable",
                    f"{table_name}: row {slot.code} prints {len(explicit)} of {slot.expected} cells and its "
                    "empty lines do not say which are empty",
                    slot.label.line,
                )
                issues.append(unplaceable[index])
                result.append(unreadable_cells(slot))
                continue
            tokens = _reading(slot, layout)
            if adds_up is not None and not adds_up([to_cell(t, registry) for t in tokens]):
                adding = {tuple((t.kind, t.text) for t in r): r for r in _readings(slot)
                          if adds_up([to_cell(t, registry) for t in r])}
                if len(adding) == 1:
                    tokens = next(iter(adding.values()))
        result.append([to_cell(t, registry) for t in tokens])
    return Placement(result, issues, unplaceable)
