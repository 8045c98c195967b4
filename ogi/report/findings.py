"""The findings page and the source copies: every finding of the gate (a scope of a report where an
identity failed or could not be verified), grouped by report, with both sides, the difference, and
the cells behind each check linked to the line they were printed on."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ogi.report.labels import Labels
from ogi.report.pages import (
    CELL_DOMAINS, SCOPE_KINDS, Link, Page, anchor, count, jurisdiction_href, records, source_href, year_text,
)
from ogi.report.sources import SourceText, line_label, line_meaning, original_link

# Cells with nothing printed (blank or not applicable) are many in T3-02's outcome rows: listed apart.
_EMPTY_STATES = ("blank", "not_applicable")
_SIDES = {"lhs": "左边 lhs", "rhs": "右边 rhs"}


@dataclass
class CellView:
    side: str
    report: str  # this report, or last year's
    row: str
    column: str
    printed: str
    value: str
    state: str
    line: str
    href: str | None  # the line in the copy of the source
    original: str | None  # the original file (at the page, for a PDF)


@dataclass
class CheckView:
    check_id: str
    rule: str
    severity: str
    status: str
    sides: list[tuple[str, str]]  # (meaning, value as printed)
    difference: str
    acknowledged: str | None
    related: Link | str | None
    cells: list[CellView] = field(default_factory=list)
    empty_cells: list[CellView] = field(default_factory=list)


@dataclass
class FindingView:
    anchor: str
    heading: str
    checks: list[CheckView]


@dataclass
class ReportView:
    report_id: str
    anchor: str
    heading: str
    facts: list[tuple[str, object]]  # (label, text or Link)
    source_problem: str | None
    parse_errors: list[tuple[str, str | None, str]]  # (line, href, message)
    findings: list[FindingView]


def _by(frame, *keys: str) -> dict:
    """The frame's rows as records, grouped by these columns (in the frame's order)."""
    grouped: dict = {}
    for row in records(frame):
        grouped.setdefault(tuple(getattr(row, k) for k in keys) if len(keys) > 1 else getattr(row, keys[0]), []).append(row)
    return grouped


@dataclass(frozen=True)
class _Context:
    """What every finding needs: the labels, the reports by id, the source copies, the cells and the
    parse errors by report, and the folder the links start from."""
    labels: Labels
    reports: dict
    sources: dict[str, SourceText]
    cells: dict
    parse_errors: dict
    page_dir: Path

    @classmethod
    def of(cls, data, sources: dict[str, SourceText], page_dir: Path) -> "_Context":
        return cls(data.labels, {r.report_id: r for r in records(data.reports)}, sources,
                   _by(data.finding_cells, "report_id", "check_id", "scope"), _by(data.parse_errors, "report_id"), page_dir)

    def source_format(self, report_id: str) -> str | None:
        report = self.reports.get(report_id)
        return report.source_format if report else None

    def line_href(self, report_id: str, line, root: str = "") -> str | None:
        """The line in the copy of the report's text, when there is one."""
        source, href = self.sources.get(report_id), source_href(report_id, root)
        return f"{href}#L{int(line)}" if href and line is not None and source and source.lines else None


def cited_lines(data) -> dict[str, set[int]]:
    """Per report, the lines its findings' cells and parse errors point to."""
    cited: dict[str, set[int]] = {}
    for frame, report in ((data.finding_cells, "cell_report_id"), (data.parse_errors, "report_id")):
        for row in records(frame[[report, "line"]]):
            if row.line is not None:
                cited.setdefault(getattr(row, report), set()).add(int(row.line))
    return cited


def _scope_heading(labels: Labels, identity, scope_kind: str, scope: str) -> str:
    if scope_kind == "table":  # a table printed twice with other figures
        number = scope.removeprefix("table")
        return f"表{number} 两次印出 · table {number} printed twice"
    zh, en = SCOPE_KINDS.get(scope_kind, (scope_kind, scope_kind))
    label = labels.of(scope_kind, scope)
    return f"表{identity.table_no} {zh} {label.zh} · table {identity.table_no} {en} {scope} ({label.en})"


def _cell_place(labels: Labels, cell) -> tuple[str, str]:
    """The cell's row and column in words; a parse issue (R-01) is the copy printed again."""
    if cell.source_table == "parse_issues":
        return "再次印出的表格 the table printed again", ""
    row_domain, column_domain = CELL_DOMAINS[cell.source_table]
    return labels.text(row_domain, cell.row_key), labels.text(column_domain, cell.column_key) if column_domain else ""


def _cell_view(ctx: _Context, cell, report_id: str) -> CellView:
    row, column = _cell_place(ctx.labels, cell)
    source_format = ctx.source_format(cell.cell_report_id)
    source = ctx.sources.get(cell.cell_report_id)
    return CellView(
        side=_SIDES[cell.side] + (" (减 subtracted)" if cell.sign < 0 else ""),
        report="本报告 this report" if cell.cell_report_id == report_id else "上年报告 last year's report",
        row=row,
        column=column,
        printed=cell.raw_text or "",
        value=count(cell.value),
        state=ctx.labels.text("cell_state", cell.cell_state) if cell.cell_state else (
            "解析问题 parse issue" if cell.source_table == "parse_issues" else "正文 prose"),
        line=line_label(source_format, cell.line),
        href=ctx.line_href(cell.cell_report_id, cell.line),
        original=original_link(source.path, ctx.page_dir, source_format, cell.line) if source and source.path else None,
    )


def _check_view(ctx: _Context, identity, f) -> CheckView:
    related = None
    if f.related_report_id is not None:
        copy = ctx.sources.get(f.related_report_id)
        href = source_href(f.related_report_id, "") if copy and copy.lines else None
        related = Link(f.related_source_path, href) if href else f.related_source_path
    view = CheckView(
        check_id=f.check_id,
        rule=f"{identity.label_zh} · {identity.rule_en}",
        severity=ctx.labels.text("severity", f.severity),
        status=ctx.labels.text("finding_status", f.status),
        sides=[(identity.lhs_en, count(f.lhs)), (identity.rhs_en, count(f.rhs))],
        difference=count(f.difference),
        acknowledged=f.acknowledged_reason if f.acknowledged else None,
        related=related,
    )
    for cell in ctx.cells.get((f.report_id, f.check_id, f.scope), []):
        is_empty = cell.cell_state in _EMPTY_STATES and not (cell.raw_text or "").strip()
        (view.empty_cells if is_empty else view.cells).append(_cell_view(ctx, cell, f.report_id))
    return view


def findings_page(data, sources: dict[str, SourceText], page_dir: Path) -> dict:
    ctx = _Context.of(data, sources, page_dir)
    views = []
    for (path, report_id), checks in sorted(_by(data.findings, "source_path", "report_id").items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        scopes = {}
        for f in checks:
            scopes.setdefault((f.scope_kind, f.scope), []).append(f)
        findings = [
            FindingView(anchor("report", report_id, scope_kind, scope),
                        _scope_heading(ctx.labels, data.identities[group[0].check_id], scope_kind, scope),
                        [_check_view(ctx, data.identities[f.check_id], f) for f in group])
            for (scope_kind, scope), group in scopes.items()
        ]
        views.append(_report_view(ctx, report_id, path, findings))
    c = data.counts
    return {"page": Page("勾稽问题 Findings", ""), "reports": views, "finding_count": c.findings,
            "check_count": c.finding_checks, "report_count": c.reports_with_findings,
            "counted_count": c.counted_findings, "counted_checks": c.counted_checks}


def _report_view(ctx: _Context, report_id: str, path, findings: list[FindingView]) -> ReportView:
    labels, report, source = ctx.labels, ctx.reports.get(report_id), ctx.sources.get(report_id)
    facts: list[tuple[str, object]] = []
    if report:
        place = f"{report.jurisdiction_name or ''} {report.division_code or ''}".strip() or "未定位 unplaced"
        href = jurisdiction_href(report.series_code, "")
        facts += [
            ("地区 Jurisdiction", Link(place, href) if href else place),
            ("发布机关 Organ", report.organ_name or "—"),
            ("年份 Year", year_text(report.report_year)),
            ("范围 Scope", labels.text("report_scope", report.report_scope)),
            ("模板 Template", labels.text("template", report.template)),
            ("格式 Format", f"{report.source_format or '—'} {report.encoding or ''}".strip()),
            ("标题 Title", report.title or "—"),
        ]
    facts.append(("源文件 Source file", str(path)))
    if source and source.lines:
        facts.append(("原文副本 Copy of the text", Link("逐行原文 the text, line by line", source_href(report_id, ""))))
    if source and source.path:
        facts.append(("原文件 Original file",
                      Link(str(source.path), original_link(source.path, ctx.page_dir, ctx.source_format(report_id)))))
    parse_errors = [(line_label(ctx.source_format(report_id), e.line), ctx.line_href(report_id, e.line), f"{e.code}: {e.message}")
                    for e in ctx.parse_errors.get(report_id, [])]
    name = " · ".join(str(v) for v in ((report.jurisdiction_name, report.organ_name, report.report_year) if report else ())
                      if v is not None)
    return ReportView(report_id, anchor("report", report_id), name or str(path), facts,
                      source.problem if source else None, parse_errors, findings)


def source_page(data, report_id: str, source: SourceText, page_dir: Path) -> dict:
    """The copy of one report's text, each line anchored (#L<line>), the cited ones marked with what
    cites them."""
    labels = data.labels
    report = records(data.reports[data.reports["report_id"] == report_id])[0]
    notes: dict[int, list[str]] = {}
    for cell in records(data.finding_cells[data.finding_cells["cell_report_id"] == report_id]):
        if cell.line is None:
            continue
        row, column = _cell_place(labels, cell)
        where = row + (f" · {column}" if column else "")
        value = count(cell.value) if cell.value is not None else labels.text("cell_state", cell.cell_state)
        note = f"{cell.check_id} {where}: {value}"
        if note not in notes.setdefault(int(cell.line), []):
            notes[int(cell.line)].append(note)
    for e in records(data.parse_errors[data.parse_errors["report_id"] == report_id]):
        if e.line is not None:
            notes.setdefault(int(e.line), []).append(e.code)
    lines, previous = [], 0
    for n, text in source.lines:
        lines.append({"n": n, "label": line_label(report.source_format, n), "text": text, "gap": n > previous + 1,
                      "notes": notes.get(n, [])})
        previous = n
    return {
        "page": Page(f"原文 {report.source_path}", "../"),
        "report": report, "report_id": report_id, "lines": lines,
        "line_meaning": line_meaning(report.source_format),
        "original": Link(str(source.path), original_link(source.path, page_dir, report.source_format)) if source.path else None,
        "findings_href": f"../findings.html#{anchor('report', report_id)}",
    }
