"""Table 2 (主动公开政府信息情况): blocks of 第二十条 items, each item a row of template measures.

A block starts at its 第二十条第（X）项 heading; the text before its first item is the block's
column heading (measure names, sometimes broken over lines), where a unit printed in brackets
(（单位：万元）, （万元）) applies to that measure's cells. Measures per item and their order come
from the `disclosure_layout` seed for the report's template; amounts are stored in yuan.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from loaders import normalize
from loaders.labels import LabelMatch, is_marker, is_note, match_label
from loaders.registry import Registry
from loaders.tables import anchors, fused
from loaders.tables.slots import Cell, Issue, Slot, place
from loaders.tokens import BREAK, TEXT, Token
from loaders.types import TableResult

TABLE = "table 2"
_BLOCK_HEADING = "第二十条第"
_BRACKETED_UNIT = re.compile(r"\((?:单位[:：]?)?(?P<unit>[^()]+)\)")


class DisclosureCell(NamedTuple):  # a named tuple: one per cell, built in C
    item: str
    measure: str
    cell: Cell


def _is_block_heading(text: str, registry: Registry) -> bool:
    return normalize.search_key(text, registry.script).startswith(_BLOCK_HEADING)


def is_start(tokens: list[Token], i: int, registry: Registry) -> bool:
    t = tokens[i]
    return t.kind == TEXT and len(t.text) < 40 and _is_block_heading(t.text, registry)


def _is_heading_text(text: str, registry: Registry) -> bool:
    """A block's column heading (信息内容, a measure, a bracketed note), also printed again inside the table."""
    return (is_marker(text, "table2_header", registry) or is_note(text, registry)
            or match_label(text, "disclosure_measure", registry) is not None)


def _heading_unit(text: str, registry: Registry) -> tuple[str, str] | None:
    """(measure, unit) for a heading such as 本年收费金额（单位：万元）."""
    standard = normalize.standardize(text, registry.script)
    unit_match = _BRACKETED_UNIT.search(standard)
    if not unit_match or unit_match.group("unit") not in registry.units:
        return None
    measure = match_label(standard[: unit_match.start()], "disclosure_measure", registry)
    return (measure.code, unit_match.group("unit")) if measure else None


def _amount(cell: Cell, measure: str, heading_units: dict[str, str], registry: Registry) -> Cell:
    """Scale a parsed cell to the stored unit: yuan for amounts, plain counts otherwise."""
    if cell.value is None:
        return cell
    spec = registry.measures[measure]
    unit = cell.unit or heading_units.get(measure) or spec.default_unit
    multiplier = registry.units.get(unit, 1.0) if unit else 1.0
    if spec.value_kind != "amount_yuan" and registry.unit_kinds.get(unit) == "currency":
        # A currency unit in a count cell is a misprint that cannot be interpreted.
        return Cell(None, "unreadable", cell.raw_text, cell.line, cell.unit)
    return Cell(cell.value * multiplier, cell.state, cell.raw_text, cell.line, unit)


def parse(tokens: list[Token], start: int, template: str, registry: Registry, stop=lambda i: False) -> TableResult:
    slots: list[Slot] = []
    issues: list[Issue] = []
    heading_units: dict[str, str] = {}
    in_heading = True
    items = [item for (tmpl, item) in registry.disclosure_layout if tmpl == template]

    def item_at(tokens: list[Token], j: int) -> str | None:
        found = match_label(tokens[j].text, "disclosure_item", registry)
        return found.code if found else None
    rows = anchors.Rows(TABLE, items, "disclosure_item", item_at)
    skipping = False  # after a skipped text that carried figures: those figures are skipped too
    i = start
    while i < len(tokens):
        t = tokens[i]
        if t.kind == TEXT:
            skipping = False
            item = match_label(t.text, "disclosure_item", registry)
            if (item is None and i > start and not _is_block_heading(t.text, registry)
                    and not _is_heading_text(t.text, registry) and stop(i)):
                break
            if item is None and not _is_block_heading(t.text, registry) and not _is_heading_text(t.text, registry) \
                    and anchors.carries_a_row(tokens, i, slots, registry, 1, signed=True):
                guess = anchors.row_by_position(tokens, i, slots, rows, registry, stop)
                if guess:
                    issues.append(guess.issue)
                    item = LabelMatch(guess.code)
            if _is_block_heading(t.text, registry):
                in_heading = True
                slots.append(Slot(None, t, 0))
            elif item is not None:
                measures = registry.disclosure_layout.get((template, item.code))
                if measures is None:
                    issues.append(
                        Issue("warning", "item_not_in_template", f"{TABLE}: item {item.code} is not in template {template}", t.line)
                    )
                    slots.append(Slot(None, t, 0))
                elif any(s.code == item.code for s in slots):
                    issues.append(Issue("warning", "item_repeated", f"{TABLE}: item {item.code} printed twice; kept the first", t.line))
                    slots.append(Slot(None, t, len(measures)))
                else:
                    slots.append(Slot(item.code, t, len(measures)))
                # Figures printed in the item's own cell ("行政许可342-511234592") are its items.
                slots[-1].add_all(fused.label_figures(t, registry, signed=True))
                in_heading = False
            elif in_heading or _is_heading_text(t.text, registry):
                # a block's column heading, also when printed again inside the table
                if found := _heading_unit(t.text, registry):
                    heading_units[found[0]] = found[1]
            elif slots and slots[-1].code and (
                (joined := match_label(slots[-1].label.text + t.text, "disclosure_item", registry))
                and joined.code == slots[-1].code and not joined.trailing
            ):  # the rest of the item's label, wrapped onto the next line after its figures
                slots[-1].label = Token(TEXT, slots[-1].label.text + t.text, slots[-1].label.line)
            elif (
                slots and len(slots[-1].explicit()) < slots[-1].expected
                and (figures := fused.figure_tokens(t.text, t.line, registry, signed=True))
            ):
                slots[-1].add_all(figures)  # figures run together ("10921个3.23亿")
            else:
                skipping = anchors.carries_a_row(tokens, i, slots, registry, 1, signed=True)
                issues.append(anchors.skipped(TABLE, t, skipping))
        elif t.kind != BREAK and slots and not in_heading and not skipping:
            slots[-1].add(t)
        i += 1
    placement = fused.recover_table2(
        slots, place(slots, TABLE, registry), lambda code: registry.disclosure_layout[(template, code)], registry, TABLE
    )
    issues.extend(placement.issues)
    cells: list[DisclosureCell] = []
    for slot, slot_cells in zip(slots, placement.cells):
        if slot.code is None:
            continue
        for measure, cell in zip(registry.disclosure_layout[(template, slot.code)], slot_cells):
            cells.append(DisclosureCell(slot.code, measure, _amount(cell, measure, heading_units, registry)))
    found_items = {c.item for c in cells}
    for (tmpl, item), measures in registry.disclosure_layout.items():
        if tmpl == template and item not in found_items:
            issues.append(Issue("error", "item_missing", f"{TABLE}: item {item} not found", tokens[start].line))
            cells.extend(DisclosureCell(item, m, Cell(None, "unreadable", "", None)) for m in measures)
    return TableResult(cells, issues, tokens[start].line, i)
