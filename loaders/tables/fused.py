"""Rows whose cell separators were lost, recovered from the table's own arithmetic.

When a page's visible text is copied, a row such as 352 | 21 | 0 | 5 | 1 | 1 | 380 can come out as
`一、本年新收政府信息公开申请数量352210511380`. The figures are still there, in order; only the
boundaries between cells are gone. A row's printed items are read as *parts*: a run of digits (which
may hold one or several cells), or a cell that cannot be split (a marker such as "-", a number with
thousands separators). Units and signs end or start a cell, so they are boundaries too.

A *split* gives every part one or more cells (no cell has a leading zero: "05" is not a printed
count), optionally with empty cells in between when the table prints empty cells at all. The
template's arithmetic then decides:

- table 3: each row's six applicant columns sum to its total (T3-03), inside the row; each column
  satisfies T3-01 and T3-02 across the table, which ties fused rows to each other and to the rows
  printed normally;
- table 4: each proceeding's four results sum to its total (T4-01..03);
- table 2: no equality holds inside a row, so a fused row is recovered only when a single split is
  possible at all (e.g. "000"), with T2-01 (v2019 new_published <= total_published) as a filter.

A row left with exactly one split gets `inferred` cells (the run of figures as raw_text, its line).
When several splits satisfy every constraint, no cell is kept: the row stays unreadable and an issue
says how many splits fit. In table 3 a row whose own sum allows one split is decided by it alone, so
a misprinted total elsewhere (a publication error that no split can repair) does not stop it; rows
with several splits that the column identities cannot decide, because those fail whatever the split,
are reported so. Inferred values satisfy the identities used to infer them by construction, so they
are never evidence that those identities hold (see docs/ogi-report-spec.md, section 5).

The search is bounded: rows are enumerated with their totals forced (a total cell must spell the sum
of its parts), the column identities are solved by dynamic programming over the fused rows with
interval pruning after a column-by-column pruning of the candidates, and both stop at fixed budgets
(`STEP_BUDGET`, `WORK_BUDGET`) with an issue rather than running on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from loaders import identities, normalize
from loaders.labels import is_marker, match_label
from loaders.registry import Registry
from loaders.tables.slots import Cell, Issue, Placement, Slot
from loaders.tokens import BREAK, EMPTY, TEXT, VALUE, Token, is_page_number
from loaders.values import parse_value

# Search steps allowed for splitting the fused rows of one table (a fully fused table 3 of counts
# below 1,000 needs about 2,000; one 36-digit row about 100,000, some 0.2 s).
STEP_BUDGET = 150_000
# Transitions allowed when the column identities decide between rows' splits (a fully fused table
# that prints empty cells as nothing needs up to some tens of thousands).
WORK_BUDGET = 400_000
# Splits of one row tried without its own sum, when no split adds up (a misprinted figure).
FREE_SPLIT_BUDGET = 20_000


@dataclass(frozen=True)
class Part:
    """A run of printed figures: `sign` goes to its first cell, `tail` (decimals, unit) to its last."""

    text: str
    line: int
    sign: str = ""
    digits: str = ""  # empty for a cell that cannot be split
    tail: str = ""

    @property
    def splittable(self) -> bool:
        return len(self.digits) > 1 and "," not in self.digits


def lex(text: str, line: int, registry: Registry, signed: bool) -> list[Part] | None:
    """The parts of a run of figures, or None when the text holds anything else."""
    standard = normalize.standardize(text, registry.script)
    pattern = registry.indexes.figure_parts[signed]
    parts: list[Part] = []
    i = 0
    while i < len(standard):
        m = pattern.match(standard, i)
        if not m or m.end() == i:
            return None
        if m.group("marker"):
            parts.append(Part(m.group("marker"), line))
        else:
            printed = (m.group("sign") or "") + m.group("digits") + m.group("tail")
            parts.append(Part(printed, line, m.group("sign") or "", m.group("digits"), m.group("tail")))
        i = m.end()
    return parts or None


def figure_tokens(text: str, line: int, registry: Registry, signed: bool) -> list[Token] | None:
    """A text that is nothing but figures ("10921个3.23亿") as one value token per part; None for a
    page number printed as a footer ("- 3 -"), which is no figure of the table."""
    if is_page_number(text):
        return None
    parts = lex(text, line, registry, signed)
    if parts is None or not any(p.digits for p in parts):
        return None
    return [Token(VALUE, p.text, line) for p in parts]


def split_trailing(text: str, registry: Registry, signed: bool) -> tuple[str, str] | None:
    """(label, figures) for a label printed with its figures in the same cell
    ("一、本年新收政府信息公开申请数量352210511380"), or None. Works on the printed text, not on the
    label key, which drops the signs and decimal points the figures need."""
    standard = normalize.standardize(text, registry.script)
    for m in re.finditer(r"(?<![\d.])[+\-−]?\d", standard):
        if m.start() == 0:
            continue  # numbering ("1.属于国家秘密") or a bare figure, not a label
        tail = standard[m.start():]
        if lex(tail, 0, registry, signed):
            return standard[: m.start()].rstrip(), tail.strip()
    return None


def label_figures(label: Token, registry: Registry, signed: bool) -> list[Token]:
    """Value tokens for the figures printed at the end of a label's cell, if any."""
    found = split_trailing(label.text, registry, signed) if any(c.isdigit() for c in label.text) else None
    return (figure_tokens(found[1], label.line, registry, signed) or []) if found else []


def parts_of(slot: Slot, registry: Registry, signed: bool) -> list[Part] | None:
    """A slot's printed items as parts; empty lines are only separators here. None when an item is
    not a figure."""
    parts: list[Part] = []
    for t in slot.items:
        if t.kind == EMPTY:
            parts.append(Part("", t.line))  # an explicit empty cell (pipe or tab layouts)
        elif t.kind == VALUE:
            lexed = lex(t.text, t.line, registry, signed)
            if lexed is None:
                return None
            parts.extend(lexed)
    return parts


# --- one row ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SplitCell:
    text: str | None  # the cell's share of the printed figures; None for an empty cell
    value: float | None  # None for an empty cell or a marker
    unit: str | None
    part: Part | None


Split = tuple[SplitCell, ...]
_EMPTY = SplitCell(None, None, None, None)


class _OverBudget(Exception):
    pass


class Budget:
    """Search steps left, shared by the rows of one table."""

    def __init__(self, steps: int = STEP_BUDGET):
        self.steps = steps

    def spend(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise _OverBudget


class _Row:
    """A row's parts flattened into units, one per digit of a splittable part and one per other part:
    a cell is a run of units [a, b) inside one part. Cell values are computed once."""

    def __init__(self, parts: list[Part], registry: Registry):
        self.parts = parts
        self.registry = registry
        self.part_of: list[int] = []
        self.offset: list[int] = []
        for i, part in enumerate(parts):
            width = len(part.digits) if part.splittable else 1
            self.part_of += [i] * width
            self.offset += list(range(width))
        self.size = len(self.part_of)
        self._cells: dict[tuple[int, int], SplitCell | None] = {}

    def cell(self, a: int, b: int) -> SplitCell | None:
        """The cell made of units [a, b), or None when it is not a printable cell (it crosses parts,
        or has a leading zero)."""
        key = (a, b)
        if key not in self._cells:
            self._cells[key] = self._make(a, b)
        return self._cells[key]

    def _make(self, a: int, b: int) -> SplitCell | None:
        if not (a < b <= self.size) or self.part_of[a] != self.part_of[b - 1]:
            return None
        part = self.parts[self.part_of[a]]
        if not part.splittable:
            if not part.text:
                return SplitCell(None, None, None, part)  # an explicit empty cell
            parsed = parse_value(part.text, self.registry)
            return SplitCell(part.text, parsed.number if parsed else None, parsed.unit if parsed else None, part)
        start, end = self.offset[a], self.offset[b - 1] + 1
        group = part.digits[start:end]
        if len(group) > 1 and group[0] == "0":
            return None  # "05" is not a printed count
        text = (part.sign if start == 0 else "") + group + (part.tail if end == len(part.digits) else "")
        if text.isascii() and text.isdigit():
            return SplitCell(text, float(text), None, part)
        parsed = parse_value(text, self.registry)
        return SplitCell(text, parsed.number if parsed else None, parsed.unit if parsed else None, part)

    def cells_from(self, a: int, limit: int):
        """Cells starting at unit a and ending at or before unit `limit`, shortest first."""
        for b in range(a + 1, limit + 1):
            if self.part_of[b - 1] != self.part_of[a]:
                return
            cell = self.cell(a, b)
            if cell is None:
                return  # a leading zero: no longer cell either
            yield b, cell

    def parts_from(self, u: int) -> int:
        """How many parts the units from u on touch (units are in part order)."""
        return len(self.parts) - self.part_of[u] if u < self.size else 0


def row_splits(
    parts: list[Part],
    n: int,
    totals: dict[int, tuple[int, ...]],
    allow_empty: bool,
    registry: Registry,
    row_ok: Callable[[list[float | None]], bool] | None = None,
    budget: Budget | None = None,
) -> list[Split] | None:
    """Every split of `parts` into `n` cells such that each cell index in `totals` equals the sum of
    the cells it lists (the cells just before it; empty cells and markers count 0). None when the
    search runs out of `budget`.

    A group (addends, total) is searched total first: for each place the total can take, the
    addends in between are enumerated with the total as a bound (no addend exceeds what is left of
    it, so none is longer than the total), which keeps a fused row of 30 digits to a few thousand
    steps."""
    row = _Row(parts, registry)
    group_at = {min(addends): (len(addends), total) for total, addends in totals.items()}
    budget = budget or Budget()
    results: list[Split] = []
    cells: list[SplitCell] = []

    def fits(u: int, k: int) -> bool:
        """Can units [u, end) make exactly the cells k..n-1?"""
        left = n - k
        return row.parts_from(u) <= left and (allow_empty or left <= row.size - u)

    def addends(u: int, end: int, left: int, remaining: float):
        """Place `left` cells on units [u, end) summing to `remaining`."""
        budget.spend()
        if left == 0:
            if u == end and remaining == 0:
                yield
            return
        digits = end - u
        if digits > left * (len(str(int(remaining))) if remaining >= 1 else 1):
            return  # too many figures left for cells that cannot exceed the total
        widest = digits if allow_empty else digits - (left - 1)
        if remaining > left * (10 ** max(widest, 0) - 1):
            return  # too few figures left to reach the total
        if allow_empty:
            cells.append(_EMPTY)
            yield from addends(u, end, left - 1, remaining)
            cells.pop()
        if u < end:
            for b, cell in row.cells_from(u, end):
                value = cell.value or 0
                if value > remaining:
                    break
                cells.append(cell)
                yield from addends(b, end, left - 1, remaining - value)
                cells.pop()

    def walk(u: int, k: int) -> None:
        budget.spend()
        if k == n:
            if u == row.size and (row_ok is None or row_ok([c.value for c in cells])):
                results.append(tuple(cells))
            return
        if not fits(u, k):
            return
        if k in group_at:
            count, total = group_at[k]
            for start in range(u, row.size + 1):
                spans = [(start, _EMPTY)] if allow_empty else []
                if start < row.size:
                    spans += [(b, c) for b, c in row.cells_from(start, row.size)]
                for end, total_cell in spans:
                    if not fits(end, total + 1):
                        continue
                    for _ in addends(u, start, count, total_cell.value or 0):
                        cells.append(total_cell)
                        walk(end, total + 1)
                        cells.pop()
            return
        if allow_empty:
            cells.append(_EMPTY)
            walk(u, k + 1)
            cells.pop()
        if u < row.size:
            for b, cell in row.cells_from(u, row.size):
                cells.append(cell)
                walk(b, k + 1)
                cells.pop()

    try:
        walk(0, 0)
    except _OverBudget:
        return None
    return results


# --- a whole table ---------------------------------------------------------------------------------

class _Work:
    """Transitions left for the table-wide search."""

    def __init__(self, steps: int):
        self.steps = steps

    def spend(self, n: int) -> None:
        self.steps -= n
        if self.steps < 0:
            raise _OverBudget


def _sweep(initial: tuple, rows: list[list[tuple]], work: _Work) -> tuple[list[dict[tuple, int]], list[dict[tuple, int]]]:
    """Forward and backward reachable partial sums (with the number of ways) when one vector is
    taken from each row and the total must be zero. A state is dropped as soon as the remaining
    rows cannot bring it back to zero (their smallest and largest contributions bound it)."""
    dims = len(initial)
    zero = (0,) * dims
    low = [zero] * (len(rows) + 1)
    high = [zero] * (len(rows) + 1)
    for k in range(len(rows) - 1, -1, -1):
        low[k] = tuple(low[k + 1][d] + min((c[d] for c in rows[k]), default=0) for d in range(dims))
        high[k] = tuple(high[k + 1][d] + max((c[d] for c in rows[k]), default=0) for d in range(dims))

    def viable(state: tuple, k: int) -> bool:
        return all(state[d] + low[k][d] <= 0 <= state[d] + high[k][d] for d in range(dims))

    forward = [{initial: 1} if viable(initial, 0) else {}]
    for k, candidates in enumerate(rows):
        work.spend(len(forward[k]) * len(candidates))
        layer: dict[tuple, int] = {}
        for state, count in forward[k].items():
            for c in candidates:
                nxt = tuple(a + b for a, b in zip(state, c))
                if viable(nxt, k + 1):
                    layer[nxt] = layer.get(nxt, 0) + count
        forward.append(layer)
    backward = [{} for _ in forward]
    backward[-1] = {zero: 1} if zero in forward[-1] else {}
    for k in range(len(rows) - 1, -1, -1):
        work.spend(len(forward[k]) * len(rows[k]))
        for state in forward[k]:
            ways = sum(backward[k + 1].get(tuple(a + b for a, b in zip(state, c)), 0) for c in rows[k])
            if ways:
                backward[k][state] = ways
    return forward, backward


def solve(initial: tuple, rows: list[list[tuple]], blocks: list[list[int]], budget: int = WORK_BUDGET) -> list[list[int]] | None:
    """Choose one contribution vector per row so that `initial` plus the chosen vectors is zero in
    every dimension (a dimension is one identity of one column). Returns, per row and candidate, the
    number of full solutions that use it, or None when the search exceeds `budget` transitions.

    First, column by column (`blocks` group the dimensions of one column), candidates whose value in
    that column cannot be completed are dropped, until nothing changes: a column has few distinct
    values, so this is cheap, and it leaves few candidates. Then a forward-backward count over all
    dimensions at once."""
    work = _Work(budget)
    alive = [list(range(len(r))) for r in rows]
    try:
        changed = True
        while changed:
            changed = False
            for block in blocks:
                projections = [sorted({tuple(rows[k][c][d] for d in block) for c in alive[k]}) for k in range(len(rows))]
                forward, backward = _sweep(tuple(initial[d] for d in block), projections, work)
                for k in range(len(rows)):
                    fits = {p for p in projections[k]
                            if any(tuple(a + b for a, b in zip(s, p)) in backward[k + 1] for s in forward[k])}
                    kept = [c for c in alive[k] if tuple(rows[k][c][d] for d in block) in fits]
                    changed |= len(kept) < len(alive[k])
                    alive[k] = kept
        forward, backward = _sweep(initial, [[rows[k][c] for c in alive[k]] for k in range(len(rows))], work)
    except _OverBudget:
        return None
    counts = [[0] * len(r) for r in rows]
    for k in range(len(rows)):
        for c in alive[k]:
            counts[k][c] = sum(
                count * backward[k + 1].get(tuple(a + b for a, b in zip(state, rows[k][c])), 0)
                for state, count in forward[k].items()
            )
    return counts


@dataclass
class FusedRow:
    index: int  # the slot's index in the table
    code: str
    text: str  # the row's printed figures, as printed
    line: int
    parts: list[Part]
    size: int  # cells the template expects
    splits: list[Split] | None = None  # None: the search ran out of budget
    allow_empty: bool = False  # whether the search let empty cells vanish with the separators
    # One figure per cell: the row's only reading is each digit a cell, whatever the arithmetic says.
    forced: bool = False

    @property
    def units(self) -> int:
        return sum(len(p.digits) if p.splittable else 1 for p in self.parts)


def _fused_rows(slots: list[Slot], placement: Placement, registry: Registry, signed: bool) -> list[FusedRow]:
    rows = []
    for index in placement.unplaceable:
        slot = slots[index]
        if any(t.kind == BREAK for t in slot.items):
            # A grid row (HTML, DOCX, PDF or pipe table) prints its cell boundaries: a row that does
            # not add up to the template there lost a cell, not a separator.
            continue
        parts = parts_of(slot, registry, signed) if slot.code else None
        if parts is not None:
            line = next((p.line for p in parts if p.line), slot.label.line)
            text = " ".join(t.text for t in slot.items if t.kind == VALUE)
            rows.append(FusedRow(index, slot.code, text, line, parts, slot.expected))
    return rows


def _split_all(rows: list[FusedRow], totals, table_prints_empty: bool, registry: Registry, row_ok=None) -> None:
    """Splits for every row. Empty cells are considered when the table prints empty cells elsewhere,
    or when some fused row cannot be read without them (its figures are too few, or no split adds up).
    `row_ok(row)` may give a filter on a split's values. A row with one figure per cell whose only
    reading that way is the only one that fits (or nothing fits at all) is forced: it is read so,
    whether or not it adds up."""
    def run(allow_empty: bool, subset: list[FusedRow]) -> None:
        budget = Budget()
        for row in subset:
            row.allow_empty = allow_empty
            row.splits = row_splits(row.parts, row.size, totals, allow_empty, registry, row_ok(row) if row_ok else None, budget)

    run(table_prints_empty, rows)
    if not table_prints_empty and any(r.splits == [] for r in rows):
        run(True, rows)
    for row in rows:
        if row.units == row.size:
            one = _one_per_cell(row, registry)
            if row.splits == []:
                row.splits = [one]  # a misprinted figure: no reading adds up, and this one needs no arithmetic
            row.forced = row.splits == [one]


def _cells(split: Split, line: int, state: str = "inferred") -> list[Cell]:
    return [
        Cell(c.value, state, c.part.text if c.part else "", c.part.line if c.part else line, c.unit)
        for c in split
    ]


def _one_per_cell(row: FusedRow, registry: Registry) -> Split:
    """The reading of a forced row: each digit (or unsplittable part) one cell."""
    unit = _Row(row.parts, registry)
    return tuple(unit.cell(u, u + 1) for u in range(unit.size))


def _show(split: Split) -> str:
    return " | ".join("(empty)" if c.text is None else c.text for c in split)


def _where(table: str, row: FusedRow) -> str:
    return (f"{table}: row {row.code} prints {row.text!r}, {len(row.parts)} runs of figures for {row.size} cells "
            "(cell separators or empty cells lost)")


def _decide(table: str, row: FusedRow, fitting: list[Split] | None, context: str = "") -> tuple[list[Cell] | None, Issue]:
    """The row's cells and the issue that explains them: inferred when exactly one split fits,
    unreadable otherwise."""
    if fitting is None:
        return None, Issue("error", "separators_search_bound",
                           f"{_where(table, row)}; the search for its cells exceeded its budget: cells left unreadable", row.line)
    if not fitting:
        return None, Issue("error", "separators_unrecoverable",
                           f"{_where(table, row)}; no split of the figures satisfies the table's arithmetic{context}: "
                           "cells left unreadable", row.line)
    if row.forced and len(fitting) == 1:
        # Not inferred: the figures give one cell each, so the arithmetic was not needed to read them
        # and the identities can still be checked on them.
        return _cells(fitting[0], row.line, "number"), Issue(
            "info", "separators_lost",
            f"{table}: row {row.code} prints {row.text!r}, {row.size} figures run together for {row.size} cells: "
            f"one figure per cell{context}", row.line)
    if len(fitting) == 1:
        return _cells(fitting[0], row.line), Issue(
            "warning", "separators_recovered",
            f"{_where(table, row)}; only one split satisfies the table's arithmetic: {_show(fitting[0])} "
            "(cells marked inferred)", row.line)
    shown = "; ".join(_show(s) for s in fitting[:3]) + ("; …" if len(fitting) > 3 else "")
    return None, Issue("error", "separators_ambiguous",
                       f"{_where(table, row)}; {len(fitting)} splits satisfy every constraint{context} ({shown}): "
                       "none is kept, cells left unreadable", row.line)


def _apply(table: str, rows: list[FusedRow], decisions: dict[int, list[Split] | None], placement: Placement,
           contexts: dict[int, str] | None = None) -> Placement:
    cells = list(placement.cells)
    issues = [i for i in placement.issues if all(i is not placement.unplaceable[r.index] for r in rows)]
    for row in rows:
        recovered, issue = _decide(table, row, decisions[row.index], (contexts or {}).get(row.index, ""))
        if recovered is not None:
            cells[row.index] = recovered
        issues.append(issue)
    return Placement(cells, issues, placement.unplaceable)


def _prints_empty(placement: Placement) -> bool:
    return any(c.state == "blank" for i, row in enumerate(placement.cells) if i not in placement.unplaceable for c in row)


def _number(value: float | None) -> int | float | None:
    return int(value) if value is not None and value == int(value) else value


def recover_table3(slots: list[Slot], placement: Placement, outcome_rows: list[str], registry: Registry,
                   table: str) -> Placement:
    """Table 3: rows split by their own sum (T3-03), then by T3-01 and T3-02 per column across the
    whole table (`outcome_rows`: the rows whose sum is 总计, as printed). Rows with a single split that
    adds up are decided by it alone; the others are decided together with the column identities. A
    row that adds up under no split (a misprinted figure) is decided by the column identities alone:
    the one split that satisfies more of them than any other, if there is one."""
    rows = _fused_rows(slots, placement, registry, signed=False)
    if not rows:
        return placement
    row_sums: dict[int, tuple[int, ...]] = {}
    for identity in identities.within_table(registry.identities, "table3"):
        if identities.per_row(identity):  # T3-03: the row's total is the sum of its applicant columns
            row_sums.update(identities.sums(identities.coefficients(identity, set(registry.applicants), "column"),
                                            registry.applicants))
    _split_all(rows, row_sums, _prints_empty(placement), registry)
    decisions: dict[int, list[Split] | None] = {r.index: r.splits for r in rows}
    contexts: dict[int, str] = {}
    column_identities = _table3_identities(outcome_rows, registry)
    open_rows = [r for r in rows if r.splits and len(r.splits) > 1]
    if open_rows:
        counts = _solve_table3(slots, placement, rows, open_rows, column_identities, registry)
        solvable = counts is not None and any(any(c) for c in counts)
        for k, row in enumerate(open_rows):
            if counts is None:
                decisions[row.index] = None
            elif solvable:
                decisions[row.index] = [s for s, c in zip(row.splits, counts[k]) if c]
            else:
                contexts[row.index] = (" within the row; the column identities T3-01 and T3-02, which fail "
                                       "whatever the split (a misprinted figure?), cannot decide between them")
    for row in rows:
        if row.splits == []:
            free = row_splits(row.parts, row.size, {}, row.allow_empty, registry, budget=Budget(FREE_SPLIT_BUDGET))
            if free:
                decisions[row.index] = _best_by_columns(row, free, slots, placement, rows, decisions, column_identities,
                                                        registry)
                contexts[row.index] = (" by the column identities T3-01 and T3-02, the row's own figures adding up under "
                                       "no split (a misprinted figure)")
    return _apply(table, rows, decisions, placement, contexts)


def _table3_identities(outcome_rows: list[str], registry: Registry) -> list[dict[str, int]]:
    """The column identities of the identities seed (T3-01, T3-02; T3-05 where the group row and its parts
    are both in the table) over the table's rows: the flow rows and `outcome_rows`, so that T3-02 adds
    the form of the 其他处理 group that the report prints."""
    rows = {r.row_code for r in registry.application_rows if not r.outcome_group} | set(outcome_rows)
    return [
        terms for identity in identities.within_table(registry.identities, "table3") if not identities.per_row(identity)
        if (terms := identities.coefficients(identity, rows, "row")) is not None
    ]


def _known_value(index: int, col: int, fused: dict[int, FusedRow], decisions, placement: Placement) -> int | float | None:
    """A cell's value when it is known: printed, or in a fused row decided to one split."""
    if index in fused:
        splits = decisions.get(index)
        if not splits or len(splits) > 1:
            return None
        return _number(splits[0][col].value or 0)
    cell = placement.cells[index][col]
    return None if cell.state == "unreadable" else _number(cell.value or 0)


def _best_by_columns(row: FusedRow, candidates: list[Split], slots, placement, rows, decisions, column_identities,
                     registry: Registry) -> list[Split]:
    """The candidates that satisfy the most column identities whose other cells are known (several
    when they tie, none when none satisfies any)."""
    ncols = len(registry.applicants)
    index_of = {s.code: i for i, s in enumerate(slots) if s.code and s.expected == ncols}
    fused = {r.index: r for r in rows}
    scores = []
    for split in candidates:
        held = 0
        for col in range(ncols):
            for coefficients in column_identities:
                if row.code not in coefficients or any(code not in index_of for code in coefficients):
                    continue
                total = coefficients[row.code] * _number(split[col].value or 0)
                for code, coef in coefficients.items():
                    if code == row.code:
                        continue
                    value = _known_value(index_of[code], col, fused, decisions, placement)
                    if value is None:
                        break
                    total += coef * value
                else:
                    held += total == 0
        scores.append(held)
    best = max(scores, default=0)
    return [s for s, score in zip(candidates, scores) if best and score == best]


def _solve_table3(slots, placement, rows, open_rows, column_identities, registry) -> list[list[int]] | None:
    """Solution counts per split of each open row under T3-01 and T3-02, for every column whose
    cells are all known (printed, or fused with at least one split)."""
    ncols = len(registry.applicants)
    index_of = {s.code: i for i, s in enumerate(slots) if s.code and s.expected == ncols}
    fused = {r.index: r for r in rows}
    open_index = [r.index for r in open_rows]
    splits_of = {r.index: r.splits for r in rows}

    def fixed_value(index: int, col: int) -> int | float | None:
        return _known_value(index, col, fused, splits_of, placement)

    initial: list[int | float] = []
    blocks: list[list[int]] = []
    contributions: list[list[list[int | float]]] = [[[] for _ in r.splits] for r in open_rows]
    for col in range(ncols):
        blocks.append([])
        for coefficients in column_identities:
            if any(code not in index_of for code in coefficients):
                continue
            total, known = 0, True
            for code, coef in coefficients.items():
                index = index_of[code]
                if index in open_index:
                    continue
                value = fixed_value(index, col)
                if value is None:
                    known = False
                    break
                total += coef * value
            if not known:
                continue
            blocks[-1].append(len(initial))
            initial.append(total)
            for k, row in enumerate(open_rows):
                coef = coefficients.get(row.code, 0)
                for s, split in enumerate(row.splits):
                    contributions[k][s].append(coef * _number(split[col].value or 0))
    return solve(tuple(initial), [[tuple(c) for c in row] for row in contributions], [b for b in blocks if b])


def recover_table4(slots: list[Slot], placement: Placement, registry: Registry, table: str) -> Placement:
    """Table 4 (one slot of fifteen cells): each proceeding's results sum to its total."""
    rows = _fused_rows(slots, placement, registry, signed=False)
    if not rows:
        return placement
    width = len(registry.review_results)
    totals: dict[int, tuple[int, ...]] = {}
    for identity in identities.within_table(registry.identities, "table4"):  # T4-01..03
        scope = identity.operands[0].scope
        if scope in registry.proceedings:
            totals.update(identities.sums(identities.coefficients(identity, set(registry.review_results), "column"),
                                          registry.review_results, offset=registry.proceedings.index(scope) * width))
    _split_all(rows, totals, _prints_empty(placement), registry)
    return _apply(table, rows, {r.index: r.splits for r in rows}, placement)


def recover_table2(slots: list[Slot], placement: Placement, measures_of, registry: Registry, table: str) -> Placement:
    """Table 2: no equality holds inside a row, so a fused row is kept only when one split is
    possible at all ("000", "0012"), filtered by T2-01. `measures_of(code)` gives the row's measures."""
    rows = _fused_rows(slots, placement, registry, signed=True)
    if not rows:
        return placement

    # T2-01 (v2019): new_published <= total_published, the only relation inside a table-2 row.
    ordered = [
        (next(o.column_key for o in i.operands if o.side == "lhs"), next(o.column_key for o in i.operands if o.side == "rhs"))
        for i in identities.within_table(registry.identities, "table2", test="at_most") if identities.per_row(i)
    ]

    def row_ok(row: FusedRow):
        measures = measures_of(row.code)
        pairs = [(measures.index(a), measures.index(b)) for a, b in ordered if a in measures and b in measures]

        def ok(values: list[float | None]) -> bool:
            return all(values[a] is None or values[b] is None or values[a] <= values[b] for a, b in pairs)
        return ok

    _split_all(rows, {}, _prints_empty(placement), registry, row_ok)
    return _apply(table, rows, {r.index: r.splits for r in rows}, placement)


# --- rows run together on one line ---------------------------------------------------------------

_MIN_RUN_TOGETHER_ROWS = 3
# A fused row of table 3 is a label followed by a run of digits (seven, five when two empty cells
# vanished too; a year has four): a cheap test that most prose fails, before labels are looked for.
_FUSED_ROW = re.compile(r"[^\d\s.,，、:：;；]\d{5,}")
_RUN = re.compile(r"\d[\d ]*|\D+")
_CJK_NUMBERING = re.compile(r"(?=[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))")


def _row_pieces(text: str) -> list[tuple[str, str]]:
    """('text' | 'figures', piece) for a line of table-3 rows run together. A digit right before
    '.' or '、' and a non-digit is the next row's numbering (1.属于国家秘密), not a figure: the
    template numbers sub-rows 1 to 8."""
    pieces: list[tuple[str, str]] = []
    numbering = ""
    for m in _RUN.finditer(text):
        piece = m.group()
        if piece[0].isdigit():
            after = text[m.end():m.end() + 2]
            if after[:1] in (".", "、") and not after[1:2].isdigit():
                piece, numbering = piece.rstrip()[:-1], piece.rstrip()[-1]
            if piece.strip():
                pieces.append(("figures", piece.strip()))
        else:
            for segment in _CJK_NUMBERING.split(numbering + piece):
                if segment.strip():
                    pieces.append(("text", segment.strip()))
            numbering = ""
    return pieces


def _is_row_label(text: str, registry: Registry) -> bool:
    return bool(
        match_label(text, "application_row", registry) or match_label(text, "outcome_group", registry)
        or is_marker(text, "table3_header", registry)
    )


def _label_pieces(text: str, registry: Registry) -> list[str]:
    """A text piece that is a group heading and a row label run together (三、本年度办理结果予以公开)
    split in two; any other piece as it is."""
    if _is_row_label(text, registry):
        return [text]
    for k in range(2, len(text) - 1):
        if _is_row_label(text[:k], registry) and _is_row_label(text[k:], registry):
            return [text[:k], text[k:]]
    return [text]


def separate_run_together_rows(tokens: list[Token], registry: Registry) -> list[Token]:
    """A table whose rows *and* cells all ran into one line (a page's text copied without any
    separator) is cut back into rows: at each run of figures, and at each row's numbering. Only
    lines naming at least three table-3 row labels are touched; prose is left alone."""
    labels = [label for label, _ in registry.labels["application_row"] if len(label) >= 4]
    out: list[Token] = []
    for t in tokens:
        if t.kind == TEXT and len(t.text) >= 40 and len(_FUSED_ROW.findall(t.text)) >= _MIN_RUN_TOGETHER_ROWS:
            key = normalize.search_key(t.text, registry.script)
            if sum(label in key for label in labels) >= _MIN_RUN_TOGETHER_ROWS:
                for kind, piece in _row_pieces(normalize.standardize(t.text, registry.script)):
                    if kind == "text":
                        out.extend(Token(TEXT, label, t.line) for label in _label_pieces(piece, registry))
                    else:
                        out.extend(Token(VALUE, word, t.line) for word in piece.split())
                continue
        out.append(t)
    return out
