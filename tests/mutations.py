"""Planted errors for the mutation test: copies of the sample reports, each with one error planted
where the parsed report says a figure is (its row, column and line), never at line numbers of one file.

Kinds of error, each detectable by construction: only figures whose identities hold in the original
are touched, and every change moves some identity. Which identities must then fail (or become
unverifiable) is worked out from the identities seed itself (loaders/identities.py evaluates it on the
mutant's parsed figures), so the test can say per identity how many planted errors it should catch and
how many the gate caught.

- changed_total    a 总计 cell printed with another value: its row's T3-03 (or T4) moves;
- swapped_columns  two applicant cells of a row exchanged: the row still adds up, both columns'
                   T3-01/T3-02 move (every table-3 row is in one of them);
- dropped_row      an outcome row left out of the table: its cells are missing, the identities that
                   need them cannot be verified;
- shifted_cell     a value printed one column to the right, into an empty (0) cell: the row adds up,
                   both columns move;
- digit_typo       one digit of a number changed: everything that adds it up moves;
- negative_count   a count printed with a minus sign (行政处罚 decisions −231434, a lawsuit −3): T2-07 or
                   T4-04 (and T4-0x when it is added up);
- prose_figure     a figure quoted in the prose changed (行政复议 46 → 47, 受理申请 398 → 399): the prose
                   against the table (T3-08, T3-09, T4-06);
- printed_twice    table 4 printed a second time with one figure changed (R-01).

Known blind spot, planted too and reported: a typo in a table-2 cell that no identity of one year
covers (anything but new_published / total_published, and still a count ≥ 0) can only be caught across
years (T2-02, T2-03, T2-05, T2-06). Every mutant is parsed again before use, and a target whose edit did
not land exactly where intended is not used.
"""
from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from loaders import identities, normalize
from loaders.decode import decode_bytes
from loaders.parse import ParsedReport, parse_report
from loaders.registry import Registry

KINDS = ("changed_total", "swapped_columns", "dropped_row", "shifted_cell", "digit_typo", "negative_count",
         "prose_figure", "printed_twice")
PER_KIND = 2
NO_YEAR = "2101"
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


_TABLES = {"table2": "disclosure_cells", "table3": "application_cells", "table4": "review_litigation_cells",
           "prose": "narrative_facts"}
_KEYS = {"table2": ("item", "measure"), "table3": ("row_code", "applicant"), "table4": ("proceeding", "result"),
         "prose": ("fact", "column")}


def _cells(parsed: ParsedReport, table: str) -> list[dict]:
    if table == "prose":  # a prose figure as a cell: its printed number, on its line
        return [{**f, "column": "", "cell_state": "number", "raw_text": _plain(f["value"])} for f in parsed.narrative_facts]
    return getattr(parsed, _TABLES[table])


def _plain(value) -> str:
    return str(int(value)) if value is not None and float(value).is_integer() else str(value)


def _key(table: str, cell: dict) -> tuple[str, str]:
    return tuple(cell[k] for k in _KEYS[table])


class Grid:
    """One parsed report's tables, and every identity of the seed evaluated on its figures
    (loaders/identities.py, independently of the dbt models), to choose targets whose identities hold."""

    def __init__(self, parsed: ParsedReport, registry: Registry):
        self.parsed = parsed
        self.registry = registry
        self.tables = {t: {_key(t, c): c for c in _cells(parsed, t)} for t in _TABLES}
        cells = identities.cells_of(parsed)
        mapped = identities.outcome_map(registry.seeds_dir)
        self.verdicts = {
            (i.check_id, scope): v for i in registry.identities
            for scope, v in identities.evaluate(i, cells, parsed.report["template"], mapped).items()
        }

    def findings(self) -> set[tuple[str, str]]:
        """(check_id, scope) of every check that fails or cannot be verified: what the gate must list."""
        return {k for k, v in self.verdicts.items() if v.passed is False or v.undecided_reason == "unreadable_cell"}

    def value(self, table: str, key: tuple[str, str]) -> int:
        return self.tables[table][key]["value"] or 0

    def editable(self, table: str, key: tuple[str, str]) -> bool:
        cell = self.tables[table].get(key)
        return bool(cell and cell["cell_state"] == "number" and cell["line"] and _PLAIN_COUNT.match(cell["raw_text"]))

    def holds(self, scope: str) -> bool:
        """Every identity checked on this scope (a row, a column, a proceeding, an item, a fact) held."""
        verdicts = [v for (_, s), v in self.verdicts.items() if s == scope]
        return bool(verdicts) and all(v.passed for v in verdicts)

    @property
    def template(self) -> str:
        return self.parsed.report["template"] if self.parsed.report["template"] in ("v2019", "v2021") else "v2019"

    def clean(self, key: tuple[str, str]) -> bool:
        """A table-3 cell whose row and column identities all hold, and that can be edited in place."""
        return self.editable("table3", key) and self.holds(key[0]) and self.holds(key[1])


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
        cells = list(self.grid.tables[table].values())
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
                if g.holds(p) and g.editable("table4", (p, "total")):
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
                if same_group and g.holds(row) and g.value("table3", (row, "total")) != 0:
                    yield "table3", None, row, f"row {row} left out", True
        elif kind == "negative_count":
            for identity in identities.within_table(self.registry.identities, "table2", "non_negative") + \
                    identities.within_table(self.registry.identities, "table4", "non_negative"):
                table = identity.operands[0].source
                counted = {o.column_key for o in identity.operands}
                for key in g.tables[table]:
                    if (identities.ANY in counted or key[1] in counted) and g.editable(table, key) and g.holds(key[0]):
                        v = int(g.value(table, key))
                        if v > 0:
                            yield table, {key: -v}, None, f"{key[0]}/{key[1]} {v} -> -{v}", v >= 10
        elif kind == "prose_figure":
            totals = {i.check_id for i in self.registry.identities
                      if any(o.source == "prose" and o.scope for o in i.operands)}
            for key, fact in g.tables["prose"].items():
                if g.editable("prose", key) and g.holds(key[0]) and fact["value"] > 0:
                    v = int(fact["value"])
                    # Preferred: a figure compared with a total (T3-09, T4-06: identities of fixed scopes), not
                    # only with the row the legacy_outcome_map gives it (T3-08).
                    preferred = any(s == key[0] and c in totals for c, s in g.verdicts)
                    yield "prose", {key: v + 1}, None, f"prose {key[0]} {v} -> {v + 1}", preferred
        elif kind == "digit_typo":
            for row in rows:
                for a in applicants:
                    if g.clean((row, a)):
                        v = g.value("table3", (row, a))
                        yield "table3", {(row, a): _typo(v)}, None, f"{row}/{a} {v} -> {_typo(v)}", v >= 10
            for p in self.registry.proceedings:
                for r in self.registry.review_results:
                    if g.holds(p) and g.editable("table4", (p, r)):
                        v = g.value("table4", (p, r))
                        yield "table4", {(p, r): _typo(v)}, None, f"{p}/{r} {v} -> {_typo(v)}", v >= 10

    def _printed_twice(self) -> Iterator[tuple[str, str]]:
        """(mutant text, description) with table 4 printed again at the end of the report, one figure
        of the copy changed: from the line of its first heading (行政复议, found above its first cell) to
        its last cell."""
        t4 = self.grid.tables["table4"]
        if not t4 or not all(self.grid.holds(p) for p in self.registry.proceedings):
            return
        lines = [c["line"] for c in t4.values() if c["line"]]
        first, last = min(lines), max(lines)
        review = normalize.search_key(next(label for label, code in self.registry.labels["proceeding"] if code == "review"),
                                      self.registry.script)
        start = next((n for n in range(first, 0, -1)
                      if review in normalize.search_key(self.lines[n - 1], self.registry.script)), None)
        if start is None:
            return
        for key, cell in sorted(t4.items()):
            if self.grid.editable("table4", key) and cell["value"] > 0:
                copy = self.lines[start - 1:last]
                index = cell["line"] - start
                found = list(re.finditer(rf"(?<![\d.]){re.escape(cell['raw_text'].strip())}(?![\d.])", copy[index]))
                if len(found) != 1:
                    continue
                match = found[0]
                copy[index] = copy[index][: match.start()] + str(cell["value"] + 1) + copy[index][match.end():]
                text = "\n".join(self.lines + [""] + copy + [""])  # the copy as an appendix, after the report
                yield text, f"table 4 printed again with {key[0]}/{key[1]} {cell['value']} -> {cell['value'] + 1}"

    def _printed_twice_landed(self, text: str) -> bool:
        """The mutant's own table 4 is the original's, and the copy was seen with other figures."""
        parsed = parse_report(text.encode("utf-8"), "mutant.txt", self.registry)
        def figures(table: dict) -> dict:
            return {k: (c["value"], c["cell_state"], c["line"]) for k, c in table.items()}
        same = figures(Grid(parsed, self.registry).tables["table4"]) == figures(self.grid.tables["table4"])
        return same and any(i["code"] == "table_printed_twice" and i["severity"] == "warning" for i in parsed.parse_issues)

    def _drop(self, row: str) -> str:
        rows = [r.row_code for r in self.registry.rows_for(self.grid.template)]
        before = rows[rows.index(row) - 1]
        t3 = self.grid.tables["table3"]
        start = max(t3[(before, a)]["line"] for a in self.registry.applicants)  # last line of the row before
        end = max(t3[(row, a)]["line"] for a in self.registry.applicants)
        return "\n".join(self.lines[:start] + self.lines[end:])

    def _mutant(self, suffix: str, kind: str, table: str, change: str, text: str, detectable: bool = True) -> Mutant:
        """A mutant whose year is printed as one no report has (2101, which the loader leaves unresolved):
        it is then a report of its own, never another version of its sample or of another mutant (only
        current versions are gated), and never compared across years."""
        year = self.grid.parsed.report["report_year"]
        own = re.sub(rf"{year}(?=\s*年)", NO_YEAR, text)
        return Mutant(f"{self.base.removesuffix('.txt')}__{suffix}.txt", self.base, kind, table, change, own, detectable)

    def mutants(self, kind: str, per_kind: int = PER_KIND) -> list[Mutant]:
        """Up to `per_kind` mutants per table, targets drawn at random (seeded) among the candidates,
        preferred ones first."""
        if kind == "printed_twice":
            for text, change in self._printed_twice():
                if text not in self._made and self._printed_twice_landed(text):
                    self._made.add(text)
                    return [self._mutant("printed_twice_table4_1", kind, "table4", change, text)]
            return []
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
                    out.append(self._mutant(f"{kind}_{table}_{n}", kind, table, change, text))
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
                out.append(self._mutant(f"blind_spot_table2_{len(out) + 1}", "digit_typo", "table2",
                                        f"{key[0]}/{key[1]} {v} -> {_typo(v)}", text, detectable=False))
            if len(out) == count:
                break
        return out


# Plants the issue names, each in a copy of one sample (name -> (sample, printed, planted)): the sign
# error and the prose figure seen in plants of the real-site probes, and a legacy report whose answers
# no longer add up.
NAMED_PLANTS = {
    "luzhou_penalties_negative.txt": ("luzhou_2020_traditional.txt", "231434", "-231434"),
    "luzhou_prose_review_47.txt": ("luzhou_2020_traditional.txt", "行政複議申請46件", "行政複議申請47件"),
    "dongyang_granted_55.txt": ("dongyang_2017_legacy.txt", "“同意公开”的54件", "“同意公开”的55件"),
}


def named_plants(samples_dir) -> dict[str, str]:
    """The texts of NAMED_PLANTS, each printed once, in a year no report has (see Planter._mutant)."""
    out = {}
    for name, (sample, printed, planted) in NAMED_PLANTS.items():
        text = (samples_dir / sample).read_text(encoding="utf-8")
        assert text.count(printed) == 1, (sample, printed)
        year = re.search(r"_(\d{4})_", sample).group(1)
        out[name] = re.sub(rf"{year}(?=\s*年)", NO_YEAR, text.replace(printed, planted))
    return out
