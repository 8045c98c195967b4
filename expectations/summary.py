"""The gate's printed summary: the verdict, then the findings grouped by report.

A finding is one scope of one report: a column, row, proceeding, item or prose figure. When several
identities fail on the same scope (Yiwu's printed 总计 breaks both T3-01 and T3-02 of the same
column), that is one finding seen by several identities: the scope is named once and every failed
check is listed under it, with both sides and the difference, so nothing is hidden and a reader sees
the report's findings at a glance.
"""
from __future__ import annotations

import pandas as pd

from expectations.gate import GateResult

# Beyond this many reports with findings, the summary names the rest only in findings.csv.
LISTED_REPORTS = 50
LISTED_INVARIANT_VIOLATIONS = 20
_UNDECIDED_WORDS = {
    "inferred_cell": "on cells inferred from the same table's arithmetic",
    "several_previous_reports": "against several previous-year reports that disagree",
}


def _number(value) -> str:
    if pd.isna(value):
        return "NULL"
    return str(int(value)) if float(value).is_integer() else str(value)


def _check_line(f) -> str:
    if f["status"] == "failed":
        text = (
            f"{f['lhs_en']} {_number(f['lhs'])} vs {f['rhs_en']} {_number(f['rhs'])}, "
            f"difference {_number(f['difference'])}"
        )
        if not pd.isna(f["related_source_path"]):
            text += f" (last year: {f['related_source_path']})"
    else:
        text = "a cell it needs is unreadable or missing"
    line = f"{f['check_id']} {f['severity']} {f['status']}: {text}"
    if f["acknowledged"]:
        line += f" [acknowledged, not counted: {f['acknowledged_reason']}]"
    return line


def _report_lines(result: GateResult) -> list[str]:
    findings = result.findings
    out: list[str] = []
    keys = findings[["source_path", "report_id"]].drop_duplicates().sort_values(["source_path", "report_id"])
    listed = findings[findings["report_id"].isin(keys["report_id"].head(LISTED_REPORTS))]
    for (path, report_id), rows in listed.groupby(["source_path", "report_id"], sort=True, dropna=False):
        first = rows.iloc[0]
        where = " · ".join(
            _number(first[c]) if c == "report_year" else str(first[c])
            for c in ("jurisdiction_name", "organ_name", "report_year", "report_scope")
            if not pd.isna(first[c])
        )
        scopes = list(rows.groupby("finding", sort=False))
        counted = rows[rows["counted"]]
        out.append(f"  {path} [{report_id}] {where}")
        out.append(
            f"    {len(scopes)} findings ({len(rows)} checks, {len(counted)} counted): "
            + ", ".join(name for name, _ in scopes)
        )
        # Why checks could not be decided, before the checks themselves.
        errors = result.parse_errors[result.parse_errors["report_id"] == report_id]
        for _, e in errors.iterrows():
            at = "" if pd.isna(e["line"]) else f"line {_number(e['line'])} "
            out.append(f"    parse error: {at}{e['code']}: {e['message']}")
        for name, checks in scopes:
            out.append(f"    {name}")
            out.extend(f"      {_check_line(f)}" for _, f in checks.iterrows())
    if len(keys) > LISTED_REPORTS:
        out.append(f"  ... and {len(keys) - LISTED_REPORTS} more reports with findings: see {result.findings_csv}")
    return out


def lines(result: GateResult) -> list[str]:
    out = [f"check: {'PASSED' if result.passed else 'FAILED'}: {result.verdict}"]
    violations = result.invariant_violations
    checked = ", ".join(f"{name} {count}" for name, count in result.invariant_checks.items())
    if violations.empty:
        out.append(f"  pipeline invariants: all held ({checked})")
    else:
        out.append(f"  pipeline invariants: {len(violations)} violated (a bug in OGI Warehouse):")
        out.extend(f"    {v.invariant_id} {v.violation}" for v in violations.head(LISTED_INVARIANT_VIOLATIONS).itertuples())
    findings = result.findings
    out.append(
        f"  reports: {result.reports_total} in the warehouse, {result.reports_checked} checked against the E "
        f"identities, {findings['report_id'].nunique()} with findings"
    )
    if not findings.empty:
        out.append(
            "  findings by report (a finding is one column, row, proceeding, item or prose figure; "
            "every identity check that did not hold on it is listed):"
        )
        out.extend(_report_lines(result))
    if result.unchecked_identities:
        out.append(f"  not checked, nothing to compare in this warehouse: {', '.join(result.unchecked_identities)}")
    for reason, count in sorted(result.undecided.items()):
        out.append(f"  undecided, not findings: {count} checks {_UNDECIDED_WORDS.get(reason, reason)}")
    for ack in result.stale_acknowledgments.itertuples():
        out.append(f"  stale acknowledgment (matches no finding): {ack.report_id} {ack.check_id} {ack.scope}")
    out.append(f"  data docs: {result.data_docs}")
    out.append(f"  findings: {result.findings_csv} (and .parquet); summary: {result.out_dir / 'summary.txt'}")
    return out
