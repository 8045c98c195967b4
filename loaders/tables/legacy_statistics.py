"""The legacy statistics table (政府信息公开情况统计表, 2008-2018): 指标名称 / 计量单位 / 本年度 / 历年累计.

Legacy reports often carry this table instead of (or besides) prose figures. Its header names the
columns; each row is a label, a unit, then one figure per value column. The rows the
`legacy_statistics_rows` seed knows become narrative facts (the year's figure, the row's label as
the sentence, the figure's line); the others (主动公开, 机构建设 …) are read past. Labels that recur
under different sections (被依法纠错数 under 行政复议数量 or 行政诉讼数量) take their fact from the
section they are printed under. The table ends at the first line of prose.
"""
from __future__ import annotations

from loaders import normalize
from loaders.narrative import NarrativeFact
from loaders.registry import Registry
from loaders.tables.slots import Issue, Slot, place
from loaders.tokens import BREAK, TEXT, VALUE, Token
from loaders.values import parse_value

TABLE = "legacy statistics table"
_HEADER_LOOKAHEAD = 8
_MAX_LABEL = 60


def _header_roles(text: str, registry: Registry) -> list[str]:
    """The column roles a heading cell names ("指标名称" -> [label]; "统计指标 单位 统计数", three
    headings run together, -> [label, unit, current]); [] when it is not a heading."""
    roles = dict(registry.markers.get("statistics_header", ()))
    found = [roles.get(normalize.label_key(word, registry.script)) for word in text.split()]
    return found if found and all(found) else []


def is_start(tokens: list[Token], i: int, registry: Registry) -> bool:
    if tokens[i].kind != TEXT or _header_roles(tokens[i].text, registry)[:1] != ["label"]:
        return False
    ahead = [tokens[i].text] + [t.text for t in tokens[i + 1:i + 1 + _HEADER_LOOKAHEAD] if t.kind == TEXT]
    return any("current" in _header_roles(text, registry) for text in ahead)


def _is_prose(text: str) -> bool:
    return len(text) > _MAX_LABEL or "。" in text


def _label_and_unit(text: str, units: tuple[str, ...]) -> tuple[str, str | None]:
    """'（一）收到申请数 件' -> ('（一）收到申请数', '件'): a unit run into the label's cell."""
    words = text.split()
    if len(words) > 1 and words[-1] in units:
        return " ".join(words[:-1]), words[-1]
    return text, None


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
    units = registry.marker_values("statistics_unit")

    slots: list[Slot] = []
    units_of: list[str | None] = []
    section: str | None = None  # the last top-level fact read (review_total, litigation_total …)
    while i < len(tokens):
        t = tokens[i]
        if t.kind == TEXT:
            text = t.text.strip()
            if text in units and slots and not slots[-1].items and units_of[-1] is None:
                units_of[-1] = text  # the unit column
                i += 1
                continue
            if _is_prose(text):
                break
            label, unit = _label_and_unit(text, units)
            key = normalize.label_key(label, registry.script)
            for marker in registry.marker_values("breakdown"):
                key = key.removeprefix(marker)  # 其中：涉及国家秘密
            candidates = registry.statistic_rows.get(key, ())
            fact = next((f for f, context in candidates if context and context == section), None) or next(
                (f for f, context in candidates if not context), None)
            if fact and (fact, None) in candidates:
                section = fact  # a fact of its own (行政复议数量) heads the rows that need a context
            slots.append(Slot(fact, Token(TEXT, label, t.line), len(value_roles)))
            units_of.append(unit)
        elif t.kind != BREAK and slots:
            slots[-1].items.append(t)
        i += 1

    for slot in slots:
        explicit = slot.explicit()
        # A "—" in the unit column of a heading row, printed as a cell.
        if len(explicit) == slot.expected + 1 and explicit[0].kind == VALUE:
            marker = parse_value(explicit[0].text, registry)
            if marker and marker.state == "not_applicable":
                slot.items.remove(explicit[0])
    placement = place(slots, TABLE, registry)
    facts: list[NarrativeFact] = []
    issues: list[Issue] = []
    seen: set[str] = set()
    for slot, unit, cells in zip(slots, units_of, placement.cells):
        if slot.code is None or slot.code in seen:
            continue
        cell = cells[current]
        if cell.state == "number":
            seen.add(slot.code)
            facts.append(NarrativeFact(slot.code, cell.value, unit or cell.unit or "件", slot.label.text, cell.line))
        elif cell.state == "unreadable":
            issues.append(Issue("warning", "statistic_unreadable",
                                f"{TABLE}: row {slot.label.text!r} ({slot.code}) prints {cell.raw_text!r}", slot.label.line))
    return facts, issues, i


def extract(tokens: list[Token], registry: Registry) -> tuple[list[NarrativeFact], list[Issue]]:
    """Facts from every legacy statistics table in the document (the first value of a fact wins)."""
    facts: dict[str, NarrativeFact] = {}
    issues: list[Issue] = []
    i = 0
    while i < len(tokens):
        # Every label-column heading (指标名称, 统计指标) contains 指标: a cheap test before the real one.
        if ("指标" in tokens[i].text or "指標" in tokens[i].text) and is_start(tokens, i, registry):
            found, table_issues, end = parse(tokens, i, registry)
            for fact in found:
                facts.setdefault(fact.fact, fact)
            issues.extend(table_issues)
            i = max(end, i + 1)
        else:
            i += 1
    return list(facts.values()), issues
