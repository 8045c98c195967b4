"""The reconciliation identities, declared once: the `identities` seed (severity, test, labels) and the
`identity_operands` seed (what each side adds up), read here for Python as dbt reads them for SQL.

dbt generates the residual models and the cell lineage from the same two seeds (macros/identities.sql);
the lost-separator solver (loaders/tables/fused.py), the synthetic corpus (ogi/synth.py) and the mutation
test (tests/mutations.py) read them through this module. An operand names a cell of one source:

- `source`: table2 (item × measure), table3 (row × applicant), table4 (proceeding × result), prose (a
  narrative fact; no column) or parse_issues (the table_printed_twice issues of one table: how many of
  its copies printed again have other figures);
- `year`: `this` (the checked report) or `previous` (the same organ's report one year earlier);
- `row_key`, `column_key`: a code, `{scope}` (the check's scope: one check per value), `*` (every value) or,
  for T3-08 only, `{mapped}` (the table-3 rows the legacy_outcome_map seed maps the scope's fact onto);
- `scope`: a fixed scope, when no key is `{scope}`;
- `required`: a check is formed only when every required operand is printed; optional operands are added
  when printed (T3-02's outcome rows, T3-04's counts);
- `part`, `preference`: alternatives within a side: of the operands of one part, only those of the lowest
  preference that the report prints are used (T3-02 adds （六）其他处理 only where its three sub-rows are not
  printed).

Tests: `equal` (lhs = rhs), `at_most` (lhs ≤ rhs), `non_negative` (every count printed is an integer ≥ 0;
lhs is the smallest, or a non-integer), `zero` (lhs = 0). Blank and not-applicable cells count as 0; a cell
marked `not_printed` is as if absent.
"""
from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

SCOPE = "{scope}"
ANY = "*"
MAPPED = "{mapped}"
# Cell states that hold no figure that was read: the identities that need them cannot be decided.
UNREADABLE = "unreadable"
INFERRED = "inferred"
NOT_PRINTED = "not_printed"


@dataclass(frozen=True)
class Operand:
    scope: str | None
    side: str  # lhs | rhs
    sign: int
    source: str
    year: str  # this | previous
    row_key: str
    column_key: str  # "" for prose and parse issues
    required: bool
    part: str | None
    preference: int


@dataclass(frozen=True)
class Identity:
    check_id: str
    table_no: int | None
    severity: str
    scope_kind: str
    test: str
    templates: frozenset[str]  # empty: every template
    label_zh: str
    rule_en: str
    lhs_en: str
    rhs_en: str
    operands: tuple[Operand, ...]

    @property
    def within_one_table(self) -> bool:
        """Every operand from one table of one year: an inference inside that table may have used this
        very identity, so an inferred operand proves nothing (the check is left undecided)."""
        return len({(o.source, o.year) for o in self.operands}) == 1 and self.operands[0].source not in ("prose", "parse_issues")

    @property
    def spans_years(self) -> bool:
        return any(o.year == "previous" for o in self.operands)

    def applies_to(self, template: str | None) -> bool:
        return not self.templates or template in self.templates


def _read(seeds_dir: Path, name: str) -> list[dict[str, str]]:
    with open(Path(seeds_dir) / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_identities(seeds_dir: Path | str) -> tuple[Identity, ...]:
    operands: dict[str, list[Operand]] = {}
    for o in _read(seeds_dir, "identity_operands"):
        operands.setdefault(o["check_id"], []).append(Operand(
            o["scope"] or None, o["side"], int(o["sign"]), o["source"], o["year"], o["row_key"], o["column_key"],
            o["required"] == "true", o["part"] or None, int(o["preference"]),
        ))
    return tuple(
        Identity(
            i["check_id"], int(i["table_no"]) if i["table_no"] else None, i["severity"], i["scope_kind"], i["test"],
            frozenset(i["templates"].split()), i["label_zh"], i["rule_en"], i["lhs_en"], i["rhs_en"],
            tuple(operands.get(i["check_id"], ())),
        )
        for i in _read(seeds_dir, "identities")
    )


def by_id(identities: tuple[Identity, ...]) -> dict[str, Identity]:
    return {i.check_id: i for i in identities}


# --- identities as linear terms, for the lost-separator solver -----------------------------------

def coefficients(identity: Identity, present: set[str] | frozenset[str], axis: str = "row") -> dict[str, int] | None:
    """The identity as `sum(coefficient × cell) = 0` over the keys of one axis (`row` or `column`) that a
    table has (`present`): lhs operands positive, rhs negative; of each part's alternatives, the lowest
    preference present. None when a required operand is not present."""
    candidates = []
    for o in identity.operands:
        key = o.row_key if axis == "row" else o.column_key
        if key in present:
            candidates.append((o, o.part, o.preference, key))
        elif o.required:
            return None
    terms: dict[str, int] = {}
    for o, key in _preferred(candidates):
        terms[key] = terms.get(key, 0) + o.sign * (1 if o.side == "lhs" else -1)
    return terms


def within_table(identities: tuple[Identity, ...], source: str, test: str = "equal") -> list[Identity]:
    """The E identities of one test whose operands all lie in one table of the checked report: those the
    lost-separator solver may split a fused row by (loaders/tables/fused.py)."""
    return [i for i in identities if i.severity == "E" and i.test == test and i.within_one_table
            and i.operands[0].source == source and i.operands[0].year == "this"]


def per_row(identity: Identity) -> bool:
    """True when the identity holds inside each row (its scope is the row: T3-03, T2-01); False when it
    holds per column (T3-01, T3-02, T3-05) or for a fixed scope (T4-01..03)."""
    return any(o.row_key == SCOPE for o in identity.operands)


def sums(terms: dict[str, int], order: tuple[str, ...], offset: int = 0) -> dict[int, tuple[int, ...]]:
    """A `total = sum of parts` identity as {index of the total: indices of its parts} over cells in
    `order` (shifted by `offset`), as the solver takes row sums."""
    totals = [k for k, c in terms.items() if c == 1]
    parts = [k for k, c in terms.items() if c == -1]
    if len(totals) != 1 or len(parts) + 1 != len(terms):
        raise ValueError(f"not a total and its parts: {terms}")
    return {offset + order.index(totals[0]): tuple(offset + order.index(p) for p in parts)}


def _preferred(candidates):
    """(operand, key) of the candidates (operand, part, preference, key) without a part, and of each
    side's part those of the lowest preference."""
    best: dict[tuple[str, str], int] = {}
    for o, part, preference, _ in candidates:
        if part:
            best[o.side, part] = min(best.get((o.side, part), preference), preference)
    return [(o, key) for o, part, preference, key in candidates if not part or best[o.side, part] == preference]


# --- evaluating identities on figures held in memory (synthetic corpus, mutation test) ------------

Cells = Mapping[tuple[str, str, str, str], tuple[float | None, str]]  # (year, source, row, column) -> (value, state)
Mapped = Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]]  # fact -> (its table-3 rows, its group's rows)


def cells_of(tables, year: str = "this") -> dict[tuple[str, str, str, str], tuple[float | None, str]]:
    """The cells of one parsed report (its staging rows: loaders.parse.ParsedReport) as the identities
    read them, like macros/identities.sql's identity_cells: the three tables, the prose figures, and per
    table printed again the number of its copies with other figures."""
    cells: dict[tuple[str, str, str, str], tuple[float | None, str]] = {}
    for source, rows, row_key, column_key in (
        ("table2", tables.disclosure_cells, "item", "measure"),
        ("table3", tables.application_cells, "row_code", "applicant"),
        ("table4", tables.review_litigation_cells, "proceeding", "result"),
    ):
        for c in rows:
            cells[year, source, c[row_key], c[column_key]] = (c["value"], c["cell_state"])
    for f in tables.narrative_facts:
        cells[year, "prose", f["fact"], ""] = (f["value"], "number")
    for issue in tables.parse_issues:
        if issue["code"] == "table_printed_twice":
            key = (year, "parse_issues", issue["code"], issue["message"].split(" ", 1)[0])
            cells[key] = ((cells.get(key, (0, ""))[0] or 0) + (issue["severity"] == "warning"), "number")
    return cells


def outcome_map(seeds_dir: Path | str) -> Mapped:
    """The `{mapped}` rows of T3-08: per fact mapped with high confidence, its table-3 row and the rows of
    its outcome group (the legacy_outcome_map and application_rows seeds)."""
    groups: dict[str, list[str]] = {}
    for r in _read(seeds_dir, "application_rows"):
        if r["outcome_group"]:
            groups.setdefault(r["outcome_group"], []).append(r["row_code"])
    return {
        m["fact"]: (tuple([m["row_code"]] if m["row_code"] else []), tuple(groups.get(m["outcome_group"], [])))
        for m in _read(seeds_dir, "legacy_outcome_map") if m["confidence"] == "high" and (m["row_code"] or m["outcome_group"])
    }


@dataclass(frozen=True)
class Verdict:
    lhs: float | None
    rhs: float | None
    passed: bool | None  # None: undecided
    undecided_reason: str | None


def _scopes(identity: Identity, cells: Cells) -> set[str]:
    scopes: set[str] = set()
    for o in identity.operands:
        if o.scope:
            scopes.add(o.scope)
        elif SCOPE in (o.row_key, o.column_key):
            axis = 2 if o.row_key == SCOPE else 3
            scopes |= {key[axis] for key in cells if key[:2] == (o.year, o.source)}
    return scopes


def _hits(o: Operand, scope: str, cells: Cells, mapped: Mapped):
    """(cell key, part, preference) of every printed cell the operand reads for this scope."""
    rows = {scope if o.row_key == SCOPE else o.row_key: o.preference}
    if o.row_key == MAPPED:
        direct, group = mapped.get(scope, ((), ()))
        rows = {**{r: 2 for r in group}, **{r: 1 for r in direct}}
    column = scope if o.column_key == SCOPE else o.column_key
    for key, (_, state) in cells.items():
        year, source, row, col = key
        if (year, source) == (o.year, o.source) and state != NOT_PRINTED \
                and (o.row_key == ANY or row in rows) and (o.column_key == ANY or col == column):
            yield key, o.part or (MAPPED if o.row_key == MAPPED else None), rows.get(row, o.preference)


def evaluate(identity: Identity, cells: Cells, template: str | None = None, mapped: Mapped | None = None) -> dict[str, Verdict]:
    """The identity's verdict per scope on one report's cells (and last year's, with year `previous`), as
    the residual models compute it."""
    if not identity.applies_to(template):
        return {}
    out: dict[str, Verdict] = {}
    for scope in _scopes(identity, cells):
        candidates, complete = [], True
        for o in identity.operands:
            if o.scope not in (None, scope):
                continue  # an operand of another fixed scope (T3-09, T4-06: one per prose figure)
            hits = list(_hits(o, scope, cells, mapped or {}))
            complete &= bool(hits) or not o.required
            candidates += [(o, part, preference, key) for key, part, preference in hits]
        sides = {s: [(cells[key], o) for o, key in _preferred(candidates) if o.side == s] for s in ("lhs", "rhs")}
        printed = any(state == "number" and v is not None for (v, state), _ in sides["lhs"])
        if complete and sides["lhs"] and (sides["rhs"] or identity.test in ("non_negative", "zero")) \
                and (printed or identity.test != "non_negative"):
            out[scope] = _verdict(identity, sides)
    return out


def _verdict(identity: Identity, sides) -> Verdict:
    if identity.test == "non_negative":
        printed = [v for (v, state), _ in sides["lhs"] if state == "number" and v is not None]
        bad = [v for v in printed if v < 0] or [v for v in printed if v != int(v)]
        lhs = min(bad) if bad else min(printed)
        return Verdict(lhs, 0, not bad, None)
    total = {s: sum(o.sign * (v or 0) for (v, _), o in sides[s]) for s in sides}
    if identity.test == "zero":
        return Verdict(total["lhs"], 0, total["lhs"] == 0, None)
    states = {state for s in sides.values() for (_, state), _ in s}
    if UNREADABLE in states:
        return Verdict(total["lhs"], total["rhs"], None, "unreadable_cell")
    if INFERRED in states and identity.within_one_table:
        return Verdict(total["lhs"], total["rhs"], None, "inferred_cell")
    holds = total["lhs"] == total["rhs"] if identity.test == "equal" else total["lhs"] <= total["rhs"]
    return Verdict(total["lhs"], total["rhs"], holds, None)


def failed(identities: tuple[Identity, ...], cells: Cells, template: str | None = None,
           mapped: Mapped | None = None) -> set[tuple[str, str]]:
    """(check_id, scope) of every check that fails on these cells."""
    return {(i.check_id, scope) for i in identities
            for scope, v in evaluate(i, cells, template, mapped).items() if v.passed is False}
