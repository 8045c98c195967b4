"""One report: bytes -> staging rows. Pure: no I/O, no state; whatever goes wrong becomes a row.

    bytes -> Document (format, encoding, lines, tokens)
          -> metadata (title, year, template, jurisdiction, organ, scope)
          -> tables 2, 3, 4 located in the tokens and parsed into typed cells with provenance
          -> narrative facts from the prose
          -> status: ok / partial / failed, with the reason
"""
from __future__ import annotations

import hashlib
import math
import traceback
from dataclasses import dataclass, field, replace

from loaders import PARSER_VERSION
from loaders import segment, staging
from loaders.formats import Document, UnreadableDocument, detect_format, read_document
from loaders.labels import section_of
from loaders.metadata import ReportMetadata, describe, find_title
from loaders.narrative import combine, extract_facts
from loaders.registry import Registry
from loaders.tables import applications, disclosures, fused, legacy_statistics, review_litigation
from loaders.tokens import TEXT, Token, tokenize_line
from loaders.types import Issue, TableResult
from loaders.versions import publication_date

TABLE_PARSERS = {
    "table2": disclosures,
    "table3": applications,
    "table4": review_litigation,
}
TEMPLATED = ("v2019", "v2021")
CELL_TABLES = ("disclosure_cells", "application_cells", "review_litigation_cells")
# The template section each table is printed in (its heading does not end the table).
SECTIONS = {"table2": "二", "table3": "三", "table4": "四"}


@dataclass
class ParsedReport:
    report: dict
    disclosure_cells: list[dict] = field(default_factory=list)
    application_cells: list[dict] = field(default_factory=list)
    review_litigation_cells: list[dict] = field(default_factory=list)
    narrative_facts: list[dict] = field(default_factory=list)
    parse_issues: list[dict] = field(default_factory=list)


def report_id_for(data: bytes) -> tuple[str, str]:
    """(report_id, sha256): the id is stable because it is derived from the bytes alone."""
    digest = hashlib.sha256(data).hexdigest()
    return digest[:16], digest


def _table_template(meta: ReportMetadata) -> str:
    return meta.template if meta.template in TEMPLATED else "v2019"


def _boundary(tokens: list[Token], name: str, registry: Registry):
    """`stop(i)` for table `name`: token i is a structural boundary of the template (the heading of
    another section, or the start of another table), where the table ends."""
    own = SECTIONS[name]
    others = [m for n, m in TABLE_PARSERS.items() if n != name]

    def stop(i: int) -> bool:
        t = tokens[i]
        if t.kind != TEXT:
            return False
        section = section_of(t.text, registry)
        if section is not None:
            return section != own
        return any(m.is_start(tokens, i, registry) for m in others)
    return stop


def _locate_tables(tokens: list[Token], template: str, registry: Registry) -> tuple[dict[str, TableResult], list[Issue]]:
    """Parse every table copy found; keep the first copy of each and compare the others with it."""
    kept: dict[str, TableResult] = {}
    issues: list[Issue] = []
    stops = {name: _boundary(tokens, name, registry) for name in TABLE_PARSERS}
    i = 0
    while i < len(tokens):
        if tokens[i].kind != TEXT:
            i += 1  # every table starts at a text (its heading or first label)
            continue
        for name, module in TABLE_PARSERS.items():
            if module.is_start(tokens, i, registry):
                result = module.parse(tokens, i, template, registry, stops[name])
                if name not in kept:
                    kept[name] = result
                else:
                    first = kept[name]
                    same = [(c.cell.value, c.cell.state) for c in first.cells] == [
                        (c.cell.value, c.cell.state) for c in result.cells
                    ]
                    issues.append(
                        Issue(
                            "info" if same else "warning",
                            "table_printed_twice",
                            f"{name} printed again at line {result.start_line}"
                            + (" with the same figures" if same else f" with different figures; kept the copy at line {first.start_line}"),
                            result.start_line,
                        )
                    )
                i = max(result.end, i + 1)
                break
        else:
            i += 1
    return kept, issues


def _status(meta: ReportMetadata, tables: dict, facts: list, issues: list[Issue], pictures: int = 0) -> tuple[str, str | None]:
    errors = [i for i in issues if i.severity == "error"]
    if meta.template in TEMPLATED or tables:
        missing = [n for n in TABLE_PARSERS if n not in tables]
        if not tables and not facts and meta.title is None:
            return "failed", "no OGI report content found (no title, tables or figures)"
        if missing:
            shown = (f" ({pictures} picture{'s' * (pictures != 1)} in the document: tables printed as images are not read)"
                     if pictures else "")
            return "partial", "tables missing: " + ", ".join(missing) + shown
        if errors:
            return "partial", f"{len(errors)} table problems: " + "; ".join(e.code for e in errors[:3])
        return "ok", None
    if meta.template == "legacy":
        return ("ok", None) if facts else ("partial", "legacy report without figures found in the prose")
    if facts or meta.title:
        return "partial", "template not recognised; only prose figures kept"
    return "failed", "no OGI report content found (no title, tables or figures)"


def _issue_row(report_id: str, source_path: str, issue: Issue) -> dict:
    return {
        "report_id": report_id,
        "source_path": source_path,
        "severity": issue.severity,
        "code": issue.code,
        "message": issue.message,
        "line": issue.line,
    }


def _count(value: float | None) -> int | float | None:
    # A figure too long for a float (inf) stays as it is: the load makes it an unreadable cell.
    return value if value is None or not math.isfinite(value) else int(value)


# The units a count may be printed with: any other (万元) makes the cell no count.
_COUNT_UNITS = (None, "件", "个")


def _application_rows(report_id: str, result: TableResult) -> tuple[list[dict], list[Issue]]:
    # Cells are unpacked, not read field by field: a report has about 150 of them.
    rows, issues = [], []
    for row_code, applicant, (value, state, raw_text, line, unit) in result.cells:
        if value is not None and math.isfinite(value):  # inf stays: the load makes it an unreadable cell
            if value != int(value) or unit not in _COUNT_UNITS:
                issues.append(Issue("error", "count_not_integer", f"table 3: {row_code}/{applicant} prints {raw_text!r}", line))
                state, value = "unreadable", None
            else:
                value = int(value)
        rows.append({"report_id": report_id, "row_code": row_code, "applicant": applicant, "value": value,
                     "cell_state": state, "raw_text": raw_text, "line": line})
    return rows, issues


def _legacy_review_litigation_cells(report_id: str, facts: list, registry: Registry) -> list[dict]:
    """A legacy report's review and litigation counts (prose or statistics table) as the totals of
    table 4 (spec section 4): review/total and litigation_unsplit/total, never split by result."""
    return [
        {"report_id": report_id, "proceeding": registry.table4_total_facts[f.fact], "result": "total",
         "value": _count(f.value), "cell_state": "number", "raw_text": f.sentence, "line": f.line}
        for f in facts if f.fact in registry.table4_total_facts
    ]


def _format_of(data: bytes) -> str | None:
    """The format of a file that failed, for the per-format counts; None if even that fails."""
    try:
        return detect_format(data)
    except Exception:
        return None


@dataclass(frozen=True)
class Identity:
    """Who the bytes are: the id and checksum of the file as read (a repaired copy is parsed under
    the id of the bytes as read: ids name files, not repairs), and its size."""

    report_id: str
    sha256: str | None
    size: int


def failed_report(identity: Identity, source_path: str, code: str, reason: str, source_format: str | None = None,
                  notes: tuple = ()) -> ParsedReport:
    """The one failed report of a file that yields no other: an error naming the file, so that no
    report fails silently."""
    message = f"{source_path}: {reason}"
    report = {"report_id": identity.report_id, "source_path": source_path, "source_sha256": identity.sha256,
              "size_bytes": max(identity.size, 0), "parser_version": PARSER_VERSION, "source_format": source_format,
              "parse_status": "failed", "status_reason": message}
    parsed = ParsedReport(report, parse_issues=[_issue_row(identity.report_id, source_path, Issue("error", code, message, None))])
    _with_notes(parsed, notes)
    return parsed


def _fit_staging_types(parsed: ParsedReport, display: str) -> None:
    """Rows typed by the staging schemas: values that the staging columns cannot hold would fail the
    writing of every report of the task, so a cell figure becomes an unreadable cell, a prose figure
    is dropped, any other number is left empty, each with an issue that names the file, the column
    and the line."""
    found: list[tuple[str, str, object, int | None]] = []  # (table, column, value as printed, line)
    for name in CELL_TABLES + ("narrative_facts",):
        bounds = _BOUNDS[name]
        rows = getattr(parsed, name)
        if all(row.get(c) is None or low <= row[c] <= high for row in rows for c, low, high in bounds):
            continue  # the usual case, checked at the cost of a comparison per number
        kept = []
        for row in rows:
            for column, low, high in bounds:
                if row.get(column) is not None and not low <= row[column] <= high:
                    found.append((name, column, row.get("raw_text") or row.get("sentence") or row[column], row.get("line")))
                    row[column] = None
                    if column == "value" and name in CELL_TABLES:
                        row["cell_state"] = "unreadable"
            if name != "narrative_facts" or row["value"] is not None:
                kept.append(row)
        setattr(parsed, name, kept)
    for column, low, high in _BOUNDS["reports"]:
        value = parsed.report.get(column)
        if value is not None and not low <= value <= high:
            found.append(("reports", column, value, None))
            parsed.report[column] = None
    _, low, high = next(b for b in _BOUNDS["parse_issues"] if b[0] == "line")
    for table, column, value, line in found:
        done = ("read as unreadable" if column == "value" and table in CELL_TABLES
                else "the figure is dropped" if table == "narrative_facts" else "left empty")
        parsed.parse_issues.append({
            "report_id": parsed.report["report_id"], "source_path": display, "severity": "error", "code": "value_out_of_range",
            "message": f"{display}: {table}.{column} {str(value)[:40]} cannot be stored (beyond the range of the column), {done}",
            "line": line if line is None or low <= line <= high else None,
        })
    if found and parsed.report.get("parse_status") == "ok":
        parsed.report["parse_status"] = "partial"
        parsed.report["status_reason"] = f"{len(found)} figures beyond the range of the staging columns"
    for issue in parsed.parse_issues:
        if issue.get("line") is not None and not low <= issue["line"] <= high:
            issue["line"] = None


_BOUNDS = {name: staging.numeric_bounds(name) for name in staging.TABLES}


def _with_notes(parsed: ParsedReport, notes: tuple) -> None:
    """The guard's notes become warnings. One that changed the bytes makes an ok report partial and
    joins the reason; a failed report's reason carries every note (an encrypted PDF says so)."""
    report = parsed.report
    source_path = report["source_path"]
    for note in notes:
        parsed.parse_issues.append(_issue_row(report["report_id"], source_path,
                                              Issue("warning", note.code, f"{source_path}: {note.message}", None)))
    failed = report["parse_status"] == "failed"
    told = "; ".join(n.message for n in notes if n.damaging or failed)
    if told:
        if report["parse_status"] == "ok":
            report["parse_status"], report["status_reason"] = "partial", told
        else:
            report["status_reason"] = f"{report['status_reason']}; {told}"


def parse_report(data: bytes, source_path: str, registry: Registry, identity: Identity | None = None,
                 notes: tuple = ()) -> ParsedReport:
    """The report and its rows, whatever the bytes hold. `identity`: the file's, when the caller
    has it (the bytes' own otherwise); `notes`: the guard's, which the status takes into account."""
    if identity is None:
        report_id, sha256 = report_id_for(data)
        identity = Identity(report_id, sha256, len(data))
    report = {
        "report_id": identity.report_id,
        "source_path": source_path,
        "source_sha256": identity.sha256,
        "size_bytes": identity.size,
        "parser_version": PARSER_VERSION,
    }
    try:
        parsed = _parse(data, source_path, report, registry)
    except UnreadableDocument as exc:
        return failed_report(identity, source_path, "parse_failed", str(exc), _format_of(data), notes)
    except MemoryError:
        raise  # the per-file memory limit: the loader records it as such
    except Exception as exc:  # a bug or a pathological file: the batch goes on, the file is named
        last = traceback.extract_tb(exc.__traceback__)[-1]
        reason = f"parser error {type(exc).__name__}: {exc} (at {last.name}:{last.lineno})"
        return failed_report(identity, source_path, "parse_failed", reason, _format_of(data), notes)
    _fit_staging_types(parsed, source_path)
    _with_notes(parsed, notes)
    return parsed


def _with_page_title(document: Document, registry: Registry) -> Document:
    """The page read with its <title> as a line of its own (some sites print the report's title
    only there)."""
    line, text = document.page_title
    lines = document.lines + [""] * max(0, line - len(document.lines))
    lines[line - 1] = f"{text} | {lines[line - 1]}" if lines[line - 1] else text
    return replace(document, lines=lines, tokens=tokenize_line(text, line, registry) + document.tokens)


def _read_titled(data: bytes, registry: Registry) -> tuple[Document, tuple[str | None, int | None]]:
    """The document and its title (text, line). A web page whose body names no report title is read
    with its <title> added; the title is looked for once, and again only on a page so extended."""
    document = read_document(data, registry)
    page_title = document.page_title[1] if document.page_title else None
    title = find_title(document.lines, registry, page_title, document.unread_lines)
    if title[0] is None and document.page_title is not None:
        document = _with_page_title(document, registry)
        title = find_title(document.lines, registry, page_title, document.unread_lines)
    return document, title


def _parse(data: bytes, source_path: str, report: dict, registry: Registry) -> ParsedReport:
    report_id = report["report_id"]
    document, title = _read_titled(data, registry)
    meta = describe(document.lines, document.text, registry, title)
    issues: list[Issue] = [Issue("warning", "decoding", p, None) for p in document.problems]
    template = _table_template(meta)
    table_tokens = segment.cut_at_labels(document.tokens, registry)
    tables, table_issues = _locate_tables(table_tokens, template, registry)
    issues.extend(table_issues)
    if tables and meta.template not in TEMPLATED:
        issues.append(Issue("warning", "template_unknown", f"template not recognised; tables read as {template}", None))
    for result in tables.values():
        issues.extend(result.issues)
    statistics, statistics_issues = legacy_statistics.extract(table_tokens, registry)
    facts, fact_issues = combine(statistics, extract_facts(document.tokens, registry, meta.report_year))
    issues.extend(statistics_issues + fact_issues)

    parsed = ParsedReport(report)
    if "table3" in tables:
        parsed.application_cells, count_issues = _application_rows(report_id, tables["table3"])
        issues.extend(count_issues)
    if "table2" in tables:
        parsed.disclosure_cells = [
            {"report_id": report_id, "item": c.item, "measure": c.measure, "value": c.cell.value,
             "cell_state": c.cell.state, "raw_text": c.cell.raw_text, "line": c.cell.line}
            for c in tables["table2"].cells
        ]
    if "table4" in tables:
        parsed.review_litigation_cells = [
            {"report_id": report_id, "proceeding": c.proceeding, "result": c.result, "value": _count(c.cell.value),
             "cell_state": c.cell.state, "raw_text": c.cell.raw_text, "line": c.cell.line}
            for c in tables["table4"].cells
        ]
    elif meta.template == "legacy":
        parsed.review_litigation_cells = _legacy_review_litigation_cells(report_id, facts, registry)
    parsed.narrative_facts = [
        {"report_id": report_id, "fact": f.fact, "value": f.value, "unit": f.unit, "sentence": f.sentence, "line": f.line}
        for f in facts
    ]
    issues.extend(meta.issues)
    status, reason = _status(meta, tables, facts, issues, document.pictures)
    if status == "failed":
        # Like every other failure: an error naming the file, so that no report fails silently.
        reason = f"{source_path}: {reason}"
        issues.append(Issue("error", "no_report_content", reason, None))
    j = meta.jurisdiction
    report.update(
        source_format=document.source_format,
        encoding=document.encoding,
        script=meta.script,
        title=meta.title,
        title_line=meta.title_line,
        report_year=meta.report_year,
        template=meta.template,
        jurisdiction_name=j.name if j else None,
        division_code=j.division_code if j else None,
        jurisdiction_evidence=j.evidence if j else None,
        organ_name=meta.organ_name,
        report_scope=meta.report_scope,
        parse_status=status,
        status_reason=reason,
        published_on=publication_date(document.lines),
    )
    parsed.parse_issues = [_issue_row(report_id, source_path, i) for i in issues]
    return parsed
