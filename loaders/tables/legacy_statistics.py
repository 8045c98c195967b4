"""The legacy statistics table (政府信息公开情况统计表, 2008-2018): 指标名称 / 计量单位 / 本年度 / 历年累计.

Legacy reports often carry this table instead of (or besides) prose figures. Its header names the
columns (a year heading such as 2016年度 is the year's column); each row is a label, a unit, then one
figure per value column. The rows the `legacy_statistics_rows` seed knows become narrative facts (the
year's figure, the row's label as the sentence, the figure's line); the others (主动公开, 机构建设 …)
are read past, but their figures still count in the arithmetic below. Labels that recur under
different sections (被依法纠错数 under 行政复议数量 or 行政诉讼数量) take their fact from the section they
are printed under. The table ends at the first line of prose.

Copies that lost the cell separators glue a row's columns together (`受理…总数条1423` is 14 | 23).
Such a row is split as the lost-separator rows of the template tables are: a split whose cells have
no leading zero, whose year's figure is at most the cumulative one, and that agrees with the table's
breakdowns (a row equals the sum of the rows printed under it with 其中 or sub-numbering, in every
column). A row left with one split is read (as printed when it has one digit per cell, else
inferred); several splits leave it unreadable, with an issue.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from loaders import normalize
from loaders.narrative import NarrativeFact
from loaders.registry import Registry
from loaders.tables import fused
from loaders.tables.slots import Cell, Issue, Slot, place
from loaders.tokens import BREAK, TEXT, VALUE, Token
from loaders.values import parse_value

TABLE = "legacy statistics table"
_HEADER_LOOKAHEAD = 8
_MAX_LABEL = 60
# Combinations of glued rows' splits tried when a breakdown decides between them.
_MAX_COMBINATIONS = 20_000
_YEAR_HEADING = re.compile(r"(?:19|20)\d\d年度?")
# Numbering of a row, by depth: 一、 then （一） then 1.
_LEVELS = (re.compile(r"^[一二三四五六七八九十]+[、.]"), re.compile(r"^\([一二三四五六七八九十]+\)"),
           re.compile(r"^(?:\d{1,2}[.、)](?!\d)|\(\d{1,2}\))"))


@dataclass
class _Row:
    slot: Slot
    unit: str | None
    level: int
    parent: int | None = None  # index of the row it breaks down


def _header_roles(text: str, registry: Registry) -> list[str]:
    """The column roles a heading names, in order ("指标名称" -> [label]; "统计指标 单位 统计数" or
    "单位2016年度" -> [unit, current]); [] when the text is not made of headings only."""
    key = normalize.label_key(text, registry.script)
    roles: list[str] = []
    position = 0
    markers = registry.statistics_headers
    while position < len(key):
        year = _YEAR_HEADING.match(key, position)
        if year:
            roles.append("current")
            position = year.end()
            continue
        found = next(((marker, role) for marker, role in markers if key.startswith(marker, position)), None)
        if found is None:
            return []
        roles.append(found[1])
        position += len(found[0])
    return roles


def is_start(tokens: list[Token], i: int, registry: Registry) -> bool:
    if tokens[i].kind != TEXT or _header_roles(tokens[i].text, registry)[:1] != ["label"]:
        return False
    ahead = [tokens[i].text] + [t.text for t in tokens[i + 1:i + 1 + _HEADER_LOOKAHEAD] if t.kind == TEXT]
    return any("current" in _header_roles(text, registry) for text in ahead)


def _is_prose(text: str) -> bool:
    return len(text) > _MAX_LABEL or "。" in text


def _label_and_unit(text: str, units: tuple[str, ...]) -> tuple[str, str | None]:
    """'（一）收到申请数 件' -> ('（一）收到申请数', '件'), and '受理申请总数条' -> ('受理申请总数', '条'): a unit
    run into the label's cell, with or without a space."""
    words = text.split()
    if len(words) > 1 and words[-1] in units:
        return " ".join(words[:-1]), words[-1]
    stripped = text.rstrip()
    for unit in sorted(units, key=len, reverse=True):
        if stripped.endswith(unit) and len(stripped) > len(unit) + 1 and not stripped[-len(unit) - 1].isdigit():
            return stripped[: -len(unit)], unit
    return text, None


def _breakdown(standard: str, registry: Registry) -> tuple[bool, str]:
    """(whether the label opens or continues a 其中 breakdown, the label without its 其中)."""
    for marker in registry.marker_values("breakdown"):
        if standard.startswith(marker):
            return True, standard[len(marker):].lstrip(":： ")
    return False, standard


def _level(label: str, previous: _Row | None) -> int:
    """Depth of a row: by its numbering (一、 < （一） < 1.), one below the row before it for a 其中
    breakdown; a row without numbering stays in the breakdown it follows, else is at the top."""
    for depth, pattern in enumerate(_LEVELS, start=1):
        if pattern.match(label):
            return depth
    if previous is not None and previous.level > 3:
        return previous.level  # 涉及商业秘密 after 其中：涉及国家秘密
    return 0


def _fact(key: str, section: str | None, registry: Registry) -> tuple[str | None, str | None]:
    """(the row's fact, the section it opens) for a label's matching form."""
    candidates = registry.statistic_rows.get(key, ())
    fact = next((f for f, context in candidates if context and context == section), None) or next(
        (f for f, context in candidates if not context), None)
    return fact, (fact if fact and (fact, None) in candidates else section)


def _read_rows(tokens: list[Token], i: int, registry: Registry, width: int) -> tuple[list[_Row], int]:
    units = registry.marker_values("statistics_unit")
    rows: list[_Row] = []
    section: str | None = None  # the last top-level fact read (review_total, litigation_total …)
    breakdown_next = False
    while i < len(tokens):
        t = tokens[i]
        if t.kind == TEXT:
            text = t.text.strip()
            if text in units and rows and not rows[-1].slot.items and rows[-1].unit is None:
                rows[-1].unit = text  # the unit column
                i += 1
                continue
            if _is_prose(text):
                break
            label, unit = _label_and_unit(text, units)
            standard = normalize.standardize(label, registry.script)
            opens, rest = _breakdown(standard, registry)
            if opens and not normalize.key_of_standard(rest):
                breakdown_next = True  # a 其中： on its own, before the rows it introduces
                i += 1
                continue
            previous = rows[-1] if rows else None
            level = _level(rest, previous)
            if opens or breakdown_next:
                level = max(level, (previous.level if previous else 0) + 1)
                if not _LEVELS[2].match(rest) and not _LEVELS[1].match(rest):
                    level = max(level, 4)
            breakdown_next = False
            fact, section = _fact(normalize.key_of_standard(rest), section, registry)
            row = _Row(Slot(fact, Token(TEXT, label, t.line), width), unit, level)
            row.parent = next((k for k in range(len(rows) - 1, -1, -1) if rows[k].level < level), None)
            rows.append(row)
        elif t.kind != BREAK and rows:
            rows[-1].slot.add(t)
        i += 1
    return rows, i


def _candidates(row: _Row, registry: Registry, order: tuple[int, int] | None) -> list[fused.Split] | None:
    """The splits of a glued row into its cells; None when its items are not figures."""
    parts = fused.parts_of(row.slot, registry, signed=False)
    if not parts:
        return None

    def ok(values: list[float | None]) -> bool:
        if order is None:
            return True
        current, cumulative = values[order[0]], values[order[1]]
        return current is None or cumulative is None or current <= cumulative
    return fused.row_splits(parts, row.slot.expected, {}, False, registry, ok, fused.Budget(fused.FREE_SPLIT_BUDGET))


def _decide_by_breakdowns(rows: list[_Row], known: dict[int, list[float | None]],
                          open_splits: dict[int, list[fused.Split]], width: int) -> dict[int, list[fused.Split]]:
    """For each open row, the splits that some solution of the breakdowns it takes part in uses."""
    children: dict[int, list[int]] = {}
    for k, row in enumerate(rows):
        if row.parent is not None:
            children.setdefault(row.parent, []).append(k)
    kept = {k: set() for k in open_splits}
    touched = set()
    for parent, kids in children.items():
        members = [parent] + kids
        if len(kids) < 2 or not any(m in open_splits for m in members):
            continue
        if any(m not in known and m not in open_splits for m in members):
            continue  # an unreadable member: the breakdown cannot decide
        open_members = [m for m in members if m in open_splits]
        combos = list(itertools.islice(itertools.product(*(range(len(open_splits[m])) for m in open_members)),
                                       _MAX_COMBINATIONS + 1))
        if len(combos) > _MAX_COMBINATIONS:
            continue
        touched.update(open_members)
        for combo in combos:
            chosen = dict(zip(open_members, combo))

            def values(m: int) -> list[float]:
                cells = known[m] if m in known else [c.value for c in open_splits[m][chosen[m]]]
                return [v or 0 for v in cells]
            if all(values(parent)[c] == sum(values(k)[c] for k in kids) for c in range(width)):
                for m, s in chosen.items():
                    kept[m].add(s)
    return {m: [open_splits[m][s] for s in sorted(kept[m])] for m in touched}


def parse(tokens: list[Token], start: int, registry: Registry) -> tuple[list[NarrativeFact], list[Issue], int]:
    """(facts, issues, index of the first token after the table)."""
    roles: list[str] = []
    i = start
    while i < len(tokens) and (tokens[i].kind != TEXT or _header_roles(tokens[i].text, registry)):
        if tokens[i].kind == TEXT:
            roles.extend(_header_roles(tokens[i].text, registry))
        i += 1
    value_roles = [r for r in roles if r in ("current", "cumulative")] or ["current"]
    current = value_roles.index("current") if "current" in value_roles else 0
    order = (current, value_roles.index("cumulative")) if len(value_roles) == 2 and "cumulative" in value_roles else None
    rows, end = _read_rows(tokens, i, registry, len(value_roles))

    for row in rows:
        explicit = row.slot.explicit()
        # A "—" in the unit column of a heading row, printed as a cell.
        if len(explicit) == row.slot.expected + 1 and explicit[0].kind == VALUE:
            marker = parse_value(explicit[0].text, registry)
            if marker and marker.state == "not_applicable":
                row.slot.remove(explicit[0])
    placement = place([r.slot for r in rows], TABLE, registry)
    cells: dict[int, list[Cell]] = {}
    open_splits: dict[int, list[fused.Split]] = {}
    for k, row in enumerate(rows):
        if k not in placement.unplaceable:
            cells[k] = placement.cells[k]
            continue
        splits = _candidates(row, registry, order)
        if splits and len(splits) == 1:
            cells[k] = _split_cells(splits[0], row)
        elif splits:
            open_splits[k] = splits
    known = {k: [c.value for c in row_cells] for k, row_cells in cells.items()
             if all(c.state != "unreadable" for c in row_cells)}
    decided = _decide_by_breakdowns(rows, known, open_splits, len(value_roles)) if open_splits else {}
    issues: list[Issue] = []
    for k, splits in open_splits.items():
        fitting = decided.get(k, splits)
        if len(fitting) == 1:
            cells[k] = _split_cells(fitting[0], rows[k])
        else:
            issues.append(Issue("warning", "statistic_ambiguous",
                                f"{TABLE}: row {rows[k].slot.label.text!r} prints "
                                f"{' '.join(t.text for t in rows[k].slot.explicit())!r}: {len(fitting)} ways to split "
                                "its columns fit the table's breakdowns; not read", rows[k].slot.label.line))

    facts: list[NarrativeFact] = []
    seen: set[str] = set()
    for k, row in enumerate(rows):
        slot = row.slot
        if slot.code is None or slot.code in seen:
            continue
        cell = cells[k][current] if k in cells else None
        if cell is not None and cell.state in ("number", "inferred") and cell.value is not None:
            seen.add(slot.code)
            facts.append(NarrativeFact(slot.code, cell.value, row.unit or cell.unit or "件", slot.label.text, cell.line))
        elif cell is None or cell.state == "unreadable":
            raw = " ".join(t.text for t in slot.explicit())
            issues.append(Issue("warning", "statistic_unreadable",
                                f"{TABLE}: row {slot.label.text!r} ({slot.code}) prints {raw!r}", slot.label.line))
    return facts, issues, end


def _split_cells(split: fused.Split, row: _Row) -> list[Cell]:
    """Cells of a glued row's split: as printed when each digit is a cell, else inferred."""
    one_per_cell = all(c.text is not None and len(c.text) == 1 for c in split)
    state = "number" if one_per_cell else "inferred"
    line = row.slot.label.line
    return [Cell(c.value, state, c.part.text if c.part else "", c.part.line if c.part else line, c.unit) for c in split]


def extract(tokens: list[Token], registry: Registry) -> tuple[list[NarrativeFact], list[Issue]]:
    """Facts from every legacy statistics table in the document (the first value of a fact wins)."""
    facts: dict[str, NarrativeFact] = {}
    issues: list[Issue] = []
    i = 0
    while i < len(tokens):
        # Every label-column heading (指标名称, 统计指标) contains 指标: a cheap test before the real one.
        if ("指标" in tokens[i].text or "指標" in tokens[i].text or "指 标" in tokens[i].text) and is_start(tokens, i, registry):
            found, table_issues, end = parse(tokens, i, registry)
            for fact in found:
                facts.setdefault(fact.fact, fact)
            issues.extend(table_issues)
            i = max(end, i + 1)
        else:
            i += 1
    return list(facts.values()), issues
