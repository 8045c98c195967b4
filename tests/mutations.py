"""Planted errors for the mutation test: copies of the sample reports, each with one error planted
where the parsed table says a cell is (its row, column and line), never at line numbers of one file.

Kinds of error, each detectable by construction: only cells whose identities hold in the original
are touched, and every change moves some identity by a non-zero amount.

- changed_total    a 总计 cell printed with another value: its row's T3-03 (or T4) moves;
- swapped_columns  two applicant cells of a row exchanged: the row still adds up, both columns'
                   T3-01/T3-02 move (every table-3 row is in one of them);
- dropped_row      an outcome row left out of the table: its cells are missing, the identities that
                   need them cannot be verified;
- shifted_cell     a value printed one column to the right, into an empty (0) cell: the row adds up,
                   both columns move;
- digit_typo       one digit of a number changed: everything that adds it up moves.

Known blind spot, planted too and reported: a typo in a table-2 cell that no identity of one year
covers (anything but new_published / total_published) can only be caught across years (T2-03, T2-06).
Every mutant is parsed again before use, and a target whose edit did not land exactly where intended
is not used.
"""
from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from loaders.decode import decode_bytes
from loaders.parse import ParsedReport, parse_report
from loaders.registry import Registry

KINDS = ("changed_total", "swapped_columns", "dropped_row", "shifted_cell", "digit_typo")
PER_KIND = 2
_PLAIN_COUNT = re.compile(r"^\s*\d+\s*$")


@dataclass(frozen=True)
class Mutant:
    name: str  # file name of the mutant
    base: str  # sample it was made from
    kind: str
    table: str  # table2 / table3 / table4
    change: str  # what was planted, e.g. "granted/total 126 -> 136"
    text: str
    detectable: bool = True  # False for the documented blind spot


_TABLES = {"table2": "disclosure_cells", "table3": "application_cells", "table4": "review_litigation_cells"}
_KEYS = {"table2": ("item", "measure"), "table3": ("row_code", "applicant"), "table4": ("proceeding", "result")}


def _cells(parsed: ParsedReport, table: str) -> list[dict]:
    return getattr(parsed, _TABLES[table])


def _key(table: str, cell: dict) -> tuple[str, str]:
    return tuple(cell[k] for k in _KEYS[table])


class Grid:
    """One parsed report's tables, with the identities of the spec worked out here independently of
    the dbt models (blank = 0), to choose targets whose identities hold."""

    def __init__(self, parsed: ParsedReport, registry: Registry):
        self.parsed = parsed
        self.registry = registry
        self.tables = {t: {_key(t, c): c for c in _cells(parsed, t)} for t in ("table2", "table3", "table4")}

    def value(self, table: str, key: tuple[str, str]) -> int:
        return self.tables[table][key]["value"] or 0

    def _readable(self, table: str, keys) -> bool:
        return all(self.tables[table][k]["cell_state"] in ("number", "blank", "not_applicable") for k in keys)

    def editable(self, table: str, key: tuple[str, str]) -> bool:
        cell = self.tables[table].get(key)
        return bool(cell and cell["cell_state"] == "number" and cell["line"] and _PLAIN_COUNT.match(cell["raw_text"]))

    def row_holds(self, row: str) -> bool:
        """T3-03: the total column equals the six applicant columns."""
        t3 = self.tables["table3"]
        keys = [(row, a) for a in self.registry.applicants]
        if not all(k in t3 for k in keys) or not self._readable("table3", keys):
            return False
        return self.value("table3", (row, "total")) == sum(self.value("table3", k) for k in keys[:-1])

    def column_holds(self, applicant: str) -> bool:
        """T3-01 and T3-02 for one applicant column."""
        t3 = self.tables["table3"]
        rows = [r for r in self.registry.rows_for(self.template) if (r.row_code, applicant) in t3]
        if len(rows) != len(self.registry.rows_for(self.template)):
            return False
        if not self._readable("table3", [(r.row_code, applicant) for r in rows]):
            return False
        v = {r.row_code: self.value("table3", (r.row_code, applicant)) for r in rows}
        outcomes = sum(v[r.row_code] for r in rows if r.outcome_group)
        return (v["new_received"] + v["carried_over"] == v["total_processed"] + v["carried_forward"]
                and v["total_processed"] == outcomes)

    def proceeding_holds(self, proceeding: str) -> bool:
        keys = [(proceeding, r) for r in self.registry.review_results]
        if not all(k in self.tables["table4"] for k in keys) or not self._readable("table4", keys):
            return False
        return self.value("table4", (proceeding, "total")) == sum(self.value("table4", k) for k in keys[:-1])

    @property
    def template(self) -> str:
        return self.parsed.report["template"] if self.parsed.report["template"] in ("v2019", "v2021") else "v2019"

    def clean(self, key: tuple[str, str]) -> bool:
        """A table-3 cell whose row and column identities all hold, and that can be edited in place."""
        return self.editable("table3", key) and self.row_holds(key[0]) and self.column_holds(key[1])


def _edit(lines: list[str], cells: list[dict], cell: dict, new_text: str) -> None:
    """Replace `cell`'s printed number on its line; cells sharing a line are told apart by order."""
    raw = cell["raw_text"].strip()
    same = [c for c in cells if c["line"] == cell["line"] and c["raw_text"].strip() == raw]
    nth = next(i for i, c in enumerate(same) if c is cell)
    index = cell["line"] - 1
    found = list(re.finditer(rf"(?<![\d.]){re.escape(raw)}(?![\d.])", lines[index]))
    match = found[nth]
    lines[index] = lines[index][: match.start()] + new_text + lines[index][match.end():]


def _typo(value: int) -> int:
    digits = str(value)
    first = int(digits[0])
    return int(str(first + 1 if first < 9 else first - 1) + digits[1:])


class Planter:
    def __init__(self, base: str, data: bytes, registry: Registry):
        self.base = base
        self.registry = registry
        self.lines = decode_bytes(data).text.split("\n")
        self.grid = Grid(parse_report(data, base, registry), registry)
        # Two mutants with the same bytes would be one report (the id is derived from the bytes).
        self._made: set[str] = set()

    def _apply(self, table: str, edits: dict[tuple[str, str], int]) -> str:
        lines = list(self.lines)
        cells = _cells(self.grid.parsed, table)
        for key, value in edits.items():
            _edit(lines, cells, self.grid.tables[table][key], str(value))
        return "\n".join(lines)

    def _landed(self, text: str, table: str, edits: dict[tuple[str, str], int] | None, dropped: str | None = None) -> bool:
        """Parse the mutant again: exactly the intended cells changed (or the dropped row is gone)."""
        mutant = Grid(parse_report(text.encode("utf-8"), "mutant.txt", self.registry), self.registry).tables[table]
        original = self.grid.tables[table]
        if dropped:
            return all(c["cell_state"] == "unreadable" for k, c in mutant.items() if k[0] == dropped)
        changed = {k for k in original if (mutant[k]["value"], mutant[k]["cell_state"]) != (original[k]["value"], original[k]["cell_state"])}
        return changed == set(edits) and all(mutant[k]["value"] == v for k, v in edits.items())

    def _candidates(self, kind: str) -> Iterator[tuple[str, dict | None, str | None, str, bool]]:
        """(table, edits, dropped row, description, preferred) for every target of `kind`, in template
        order; preferred targets look most like the real error (a non-zero total, two non-zero cells
        swapped, a typo in a number of two digits or more)."""
        g, applicants = self.grid, self.registry.applicants
        rows = [r.row_code for r in self.registry.rows_for(g.template)]
        if kind == "changed_total":
            for row in rows:
                if g.clean((row, "total")):
                    v = g.value("table3", (row, "total"))
                    new = v + max(1, v // 10)
                    yield "table3", {(row, "total"): new}, None, f"{row}/total {v} -> {new}", v > 0
            for p in self.registry.proceedings:
                if g.proceeding_holds(p) and g.editable("table4", (p, "total")):
                    v = g.value("table4", (p, "total"))
                    yield "table4", {(p, "total"): v + 1}, None, f"{p}/total {v} -> {v + 1}", v > 0
        elif kind in ("swapped_columns", "shifted_cell"):
            for row in rows:
                for i, a in enumerate(applicants[:-1]):
                    pairs = applicants[i + 1:-1] if kind == "swapped_columns" else applicants[i + 1:i + 2][:1]
                    for b in pairs:
                        if b == "total" or not (g.clean((row, a)) and g.clean((row, b))):
                            continue
                        va, vb = g.value("table3", (row, a)), g.value("table3", (row, b))
                        if kind == "swapped_columns" and va != vb:
                            yield "table3", {(row, a): vb, (row, b): va}, None, f"{row}: {a} {va} <-> {b} {vb}", va * vb > 0
                        elif kind == "shifted_cell" and va != 0 and vb == 0:
                            yield "table3", {(row, a): 0, (row, b): va}, None, f"{row}: {a} {va} -> {b}", True
        elif kind == "dropped_row":
            spec = {r.row_code: r for r in self.registry.rows_for(g.template)}
            for before, row in zip(rows, rows[1:]):
                same_group = spec[row].outcome_group and spec[row].outcome_group == spec[before].outcome_group
                if same_group and g.row_holds(row) and g.value("table3", (row, "total")) != 0:
                    yield "table3", None, row, f"row {row} left out", True
        elif kind == "digit_typo":
            for row in rows:
                for a in applicants:
                    if g.clean((row, a)):
                        v = g.value("table3", (row, a))
                        yield "table3", {(row, a): _typo(v)}, None, f"{row}/{a} {v} -> {_typo(v)}", v >= 10
            for p in self.registry.proceedings:
                for r in self.registry.review_results:
                    if g.proceeding_holds(p) and g.editable("table4", (p, r)):
                        v = g.value("table4", (p, r))
                        yield "table4", {(p, r): _typo(v)}, None, f"{p}/{r} {v} -> {_typo(v)}", v >= 10

    def _drop(self, row: str) -> str:
        rows = [r.row_code for r in self.registry.rows_for(self.grid.template)]
        before = rows[rows.index(row) - 1]
        t3 = self.grid.tables["table3"]
        start = max(t3[(before, a)]["line"] for a in self.registry.applicants)  # last line of the row before
        end = max(t3[(row, a)]["line"] for a in self.registry.applicants)
        return "\n".join(self.lines[:start] + self.lines[end:])

    def mutants(self, kind: str, per_kind: int = PER_KIND) -> list[Mutant]:
        """Up to `per_kind` mutants per table, targets drawn at random (seeded) among the candidates,
        preferred ones first."""
        by_table: dict[str, list] = {}
        for candidate in self._candidates(kind):
            by_table.setdefault(candidate[0], []).append(candidate)
        out: list[Mutant] = []
        for table, candidates in sorted(by_table.items()):
            random.Random(f"{self.base}:{kind}:{table}").shuffle(candidates)
            candidates.sort(key=lambda c: not c[-1])
            for table_, edits, dropped, change, _ in candidates:
                text = self._drop(dropped) if dropped else self._apply(table_, edits)
                if text not in self._made and self._landed(text, table_, edits, dropped):
                    self._made.add(text)
                    n = sum(m.table == table for m in out) + 1
                    out.append(Mutant(f"{self.base.removesuffix('.txt')}__{kind}_{table}_{n}.txt", self.base,
                                      kind, table, change, text))
                if sum(m.table == table for m in out) == per_kind:
                    break
        return out

    def blind_spot(self, count: int = 1) -> list[Mutant]:
        """Digit typos in table-2 cells that no identity of a single year covers."""
        g = self.grid
        keys = [k for k in g.tables["table2"] if k[1] not in ("new_published", "total_published") and g.editable("table2", k)]
        random.Random(f"{self.base}:blind").shuffle(keys)
        out = []
        for key in keys:
            v = int(g.value("table2", key))
            text = self._apply("table2", {key: _typo(v)})
            if self._landed(text, "table2", {key: _typo(v)}):
                out.append(Mutant(f"{self.base.removesuffix('.txt')}__blind_spot_table2_{len(out) + 1}.txt", self.base,
                                  "digit_typo", "table2", f"{key[0]}/{key[1]} {v} -> {_typo(v)}", text, detectable=False))
            if len(out) == count:
                break
        return out
