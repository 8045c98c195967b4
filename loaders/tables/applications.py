"""Table 3 (收到和处理政府信息公开申请情况): template rows x seven applicant columns.

The table starts at its first row label (本年新收政府信息公开申请数量); the column headings before it
are skipped, because merged header cells print in an order that says nothing about the columns.
Columns follow the template order of the `applicants` seed. Group headings (三、本年度办理结果,
（三）不予公开 …) expect no cells, and a label broken over two lines is joined back.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from loaders import normalize
from loaders.labels import MAX_LABEL_LENGTH, is_marker, is_note, match_label
from loaders.registry import Registry
from loaders.tables import anchors, fused
from loaders.tables.slots import Slot, place
from loaders.tokens import BLANK, BREAK, EMPTY, TEXT, VALUE, Token, match_joined
from loaders.types import Cell, Issue, TableResult

TABLE = "table 3"
_GROUP_NUMBERING = re.compile(r"^\s*\([一二三四五六七八九十]+\)")
# Template numbering in front of a label: 一、 （一） 1. 1、



class ApplicationCell(NamedTuple):  # a named tuple: one per cell, built in C
    row_code: str
    applicant: str
    cell: Cell


def _label_only(text: str, registry: Registry) -> tuple[str, str] | None:
    row = match_label(text, "application_row", registry)
    if row:
        return "row", row.code
    group = match_label(text, "outcome_group", registry)
    if group or is_marker(text, "table3_header", registry):
        return "group", group.code if group else ""
    return None


def _row_or_group(text: str, registry: Registry) -> tuple[str, str] | None:
    """The row or group heading a label names. A group heading printed in the same cell or line as
    its first row, separated by a space ("（三）不予公开 1.属于国家秘密", "三、本年度办理结果 （一）予以公开"),
    names that row: a group heading owns no cells."""
    found = _label_only(text, registry)
    if found or len(text) > MAX_LABEL_LENGTH:
        return found
    words = text.split()
    for k in range(1, len(words)):
        head, tail = _label_only(" ".join(words[:k]), registry), _label_only(" ".join(words[k:]), registry)
        if head and tail and tail[0] == "row":  # the head may be （六）其他处理, a row in v2019
            return tail
    return None


def _match_at(tokens: list[Token], i: int, registry: Registry) -> tuple[tuple[str, str] | None, int]:
    """The label starting at token i, joining up to three consecutive text pieces ("(三)不予" +
    "公開"), and how many tokens it used."""
    found, used = match_joined(tokens, i, lambda text: _row_or_group(text, registry))
    return (found, used) if found else (None, 1)


def _is_heading_fragment(text: str, registry: Registry) -> bool:
    """True when `text` is the beginning or the end of a group heading (outcome groups and the
    table's headings), at least two characters of it, but not the whole of any label."""
    key = normalize.label_key(text, registry.script)
    return len(key) >= 2 and key in registry.indexes.table3_heading_fragments


def _continues_label(slot: Slot, t: Token, registry: Registry) -> bool:
    """True when `t` is the end of the slot's label, wrapped onto a line of its own (a copy of a PDF
    laid out in columns prints "（二）部分公开（区分处理的，" with the figures, and "只计这一情形，不计
    其他情形）" on the next line): the label and `t` together still name the slot's row."""
    if slot.code is None or any(c.isdigit() for c in t.text):
        return False  # a figure is never part of a label ("- 2 -", a page number, is not)
    joined = _row_or_group(slot.label.text + t.text, registry)
    return joined == ("row", slot.code)


def _is_column_heading(text: str, registry: Registry, within: bool) -> bool:
    """Text of the column headings (申请人情况, 自然人 … or a bracketed note). 其他 and 总计 are also
    row labels, so they count only within a heading already started."""
    if is_note(text, registry) or is_marker(text, "table3_header", registry):
        return True
    return match_label(text, "applicant", registry) is not None and (
        within or match_label(text, "application_row", registry) is None
    )


def _heading_run(tokens: list[Token], i: int, registry: Registry) -> int:
    """How many tokens from i are column headings printed again inside the table (a page break in
    the source, a converter's stray header row): up to the end of their grid row or their run of
    lines. 0 when tokens[i] does not start one."""
    if not _is_column_heading(tokens[i].text, registry, within=False):
        return 0
    j = i + 1
    while j < len(tokens):
        t = tokens[j]
        if t.kind == BREAK:
            return j + 1 - i
        if t.kind == VALUE or (t.kind == TEXT and not _is_column_heading(t.text, registry, within=True)):
            break
        j += 1
    return j - i


def is_start(tokens: list[Token], i: int, registry: Registry) -> bool:
    t = tokens[i]
    if t.kind != TEXT:
        return False
    m = match_label(t.text, "application_row", registry)
    return bool(m and m.code == "new_received")


def _cells_follow(tokens: list[Token], j: int, registry: Registry) -> bool:
    """True when the label ending before token j has cells: figures in its own text, or a value or
    empty cell next (a label followed by the end of its grid row or by text has none)."""
    if j and fused.label_figures(tokens[j - 1], registry, signed=False):
        return True
    nxt = next((t for t in tokens[j:] if t.kind != BLANK), None)
    return nxt is not None and nxt.kind in (VALUE, EMPTY)


def _heads_subrows(tokens: list[Token], i: int, used: int, registry: Registry) -> bool:
    """True when （六）其他处理 at i heads sub-rows (v2021) rather than printing its own cells (v2019,
    or a later report on the 2019 table): no figures follow it, and the next label is one of its
    sub-rows."""
    if fused.label_figures(tokens[i + used - 1], registry, signed=False):
        return False
    j = i + used
    while j < len(tokens) and tokens[j].kind in (BLANK, BREAK, EMPTY):
        j += 1
    if j == len(tokens) or tokens[j].kind != TEXT:
        return False
    found, _ = _match_at(tokens, j, registry)
    return bool(found and found[0] == "row" and found[1].startswith("other_") and found[1] != "other_handling")


def parse(tokens: list[Token], start: int, template: str, registry: Registry, stop=lambda i: False) -> TableResult:
    """Read table 3 from its first row label to its end: the template's last row read, or a
    structural boundary (`stop(i)`: another section's heading or another table), never unknown text.
    Text between the rows that is no label is skipped with an `info` issue, or, when it carries a
    row's worth of figures where a row is missing, read as that row with a warning."""
    template_rows = [r.row_code for r in registry.rows_for(template)]
    # Both forms of the 其他处理 group are read as printed: one row (v2019) or three sub-rows (v2021).
    candidates = [r.row_code for r in registry.application_rows]

    def row_at(tokens: list[Token], j: int) -> str | None:
        found, _ = _match_at(tokens, j, registry)
        return found[1] if found and found[0] == "row" else None
    rows = anchors.Rows(TABLE, candidates, "application_row", row_at)
    slots: list[Slot] = []
    issues: list[Issue] = []
    ncols = len(registry.applicants)
    skipping = False  # after a skipped text that carried a row of figures: those figures are skipped too
    i = start
    while i < len(tokens):
        t = tokens[i]
        if t.kind == TEXT:
            if slots and slots[-1].code == "carried_forward" and len(slots[-1].explicit()) >= slots[-1].expected \
                    and not _continues_label(slots[-1], t, registry):
                break  # the template's last row read with its cells: the table is over
            if _GROUP_NUMBERING.match(normalize.standardize(t.text, registry.script)) and _is_heading_fragment(t.text, registry):
                # "（六）其他" of （六）其他处理 broken in two: a group heading, not the row 其他.
                i += 1
                continue
            found, used = _match_at(tokens, i, registry)
            if found is None and i > start and stop(i):
                break
            if found is None and is_marker(t.text, "subtotal_row", registry):
                # A group's subtotal (小计), which the template does not have: a row of cells kept
                # out of the table's cells.
                issues.append(Issue("info", "subtotal_row_skipped", f"{TABLE}: subtotal row {t.text!r} is not in the template", t.line))
                slots.append(Slot(None, t, ncols))
                skipping = False
                i += 1
                continue
            if found is None:
                if heading := _heading_run(tokens, i, registry):
                    i += heading
                    continue
                if _is_heading_fragment(t.text, registry):
                    # Part of a merged group heading that a PDF without ruling lines printed broken
                    # between the rows it spans ("（三）不予" … "公开", "三、本年度" … "办理结果").
                    i += 1
                    continue
                if slots and _continues_label(slots[-1], t, registry):
                    # The rest of the row's label, wrapped onto the next line after its figures.
                    slots[-1].label = Token(TEXT, slots[-1].label.text + t.text, slots[-1].label.line)
                    i += 1
                    continue
                open_row = slots and not skipping and len(slots[-1].explicit()) < slots[-1].expected
                figures = fused.figure_tokens(t.text, t.line, registry, signed=False) if open_row else None
                if figures:
                    slots[-1].add_all(figures)  # figures run together ("35221件0")
                    i += 1
                    continue
                carries = anchors.carries_a_row(tokens, i, slots, registry, ncols)
                if carries and (guess := anchors.row_by_position(tokens, i, slots, rows, registry, stop)):
                    issues.append(guess.issue)
                    found, used = ("row", guess.code), 1
                else:
                    issues.append(anchors.skipped(TABLE, t, carries))
                    skipping = carries
                    i += 1
                    continue
            kind, code = found
            skipping = False
            if kind == "row" and code == "new_received" and any(s.code == "new_received" and s.explicit() for s in slots):
                break  # the table printed a second time: the caller parses that copy separately
            if kind == "row" and code == "other_handling" and _heads_subrows(tokens, i, used, registry):
                kind = "group"  # （六）其他处理 heading three sub-rows
            keep = kind == "row"
            earlier = next((s for s in slots if s.code == code), None) if keep else None
            if earlier is not None and not earlier.explicit():
                # The label printed before without its cells (a converter's heading over each row's
                # table): this is the row.
                slots.remove(earlier)
            elif earlier is not None and not _cells_follow(tokens, i + used, registry):
                i += used  # the label again without cells (a heading over a converter's small table)
                continue
            elif earlier is not None:
                issues.append(Issue("warning", "row_repeated", f"{TABLE}: row {code} printed twice; kept the first", t.line))
                keep = False
            label = Token(TEXT, "".join(x.text for x in tokens[i:i + used]), t.line)
            # A row that is not kept still owns the cells printed after it; a group heading owns none.
            slots.append(Slot(code if keep else None, label, ncols if kind == "row" else 0))
            if kind == "row":
                # Figures printed in the label's own cell ("…申请数量352210511380") are the row's items.
                slots[-1].add_all(fused.label_figures(tokens[i + used - 1], registry, signed=False))
            i += used
            continue
        if skipping:
            i += 1
            continue
        if slots:
            last = slots[-1]
            if last.code == "carried_forward" and len(last.explicit()) >= last.expected and t.kind == VALUE:
                # Figures after the last row's cells belong to what follows, except within a grid
                # row: when rows end with breaks, the last row runs to its break.
                gridded = any(x.kind == BREAK for s in slots for x in s.items)
                if not gridded or any(x.kind == BREAK for x in last.items):
                    break
            last.add(t)
        i += 1

    structure = _printed_structure({s.code for s in slots if s.code}, candidates, template_rows)
    outcome_rows = [r.row_code for r in registry.application_rows if r.outcome_group and r.row_code in structure]
    placement = fused.recover_table3(slots, place(slots, TABLE, registry, _row_adds_up), outcome_rows, registry, TABLE)
    issues.extend(placement.issues)
    cells, cell_issues = _cells(slots, placement.cells, structure, template, template_rows, registry, tokens[start].line)
    return TableResult(cells, issues + cell_issues, tokens[start].line, i)


def _row_adds_up(cells: list[Cell]) -> bool:
    """The row's total is the sum of its six applicant columns (T3-03; empty cells count 0)."""
    values = [c.value or 0 for c in cells]
    return sum(values[:-1]) == values[-1]


def _printed_structure(printed: set[str], candidates: list[str], template_rows: list[str]) -> list[str]:
    """The table's rows in the form its 其他处理 group was printed: the one row (v2019's form) or the
    three sub-rows (v2021's); the template's form when the report printed neither."""
    subrows = {code for code in candidates if code.startswith("other_") and code != "other_handling"}
    if "other_handling" in printed and not printed & subrows:
        return [c for c in candidates if c not in subrows]
    if printed & subrows:
        return [c for c in candidates if c != "other_handling"]
    return template_rows


def _cells(slots: list[Slot], placed: list[list[Cell]], structure: list[str], template: str, template_rows: list[str],
           registry: Registry, line: int) -> tuple[list[ApplicationCell], list[Issue]]:
    """The table's cells: the rows read, the template's form of the 其他处理 group that the report
    printed in the other form as `not_printed`, and every other row not found as unreadable."""
    cells: list[ApplicationCell] = []
    issues: list[Issue] = []
    seen = set()
    for slot, slot_cells in zip(slots, placed):
        if slot.code is None:
            continue
        if slot.code not in structure and slot.code not in template_rows:
            issues.append(Issue("warning", "row_not_in_template", f"{TABLE}: row {slot.code} is not in template {template}", slot.label.line))
            continue
        seen.add(slot.code)
        cells.extend(ApplicationCell(slot.code, a, c) for a, c in zip(registry.applicants, slot_cells))
    for code in template_rows + [c for c in structure if c not in template_rows]:
        if code in seen:
            continue
        if code not in structure:
            cells.extend(ApplicationCell(code, a, Cell(None, "not_printed", "", None)) for a in registry.applicants)
            continue
        issues.append(Issue("error", "row_missing", f"{TABLE}: row {code} not found", line))
        cells.extend(ApplicationCell(code, a, Cell(None, "unreadable", "", None)) for a in registry.applicants)
    return cells, issues
