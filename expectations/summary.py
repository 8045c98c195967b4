"""The gate's summary: the verdict, each rule, the unverified reports, then the findings by report; as
text (what `ogi check` prints, summary.txt) and as a document (`ogi check --json`, summary.json). Both
are built from the same GateResult, whose counts come from warehouse.counts: one way of counting.

A finding is one scope of one report: a column, row, proceeding, item, prose figure or table. When
several identities fail on the same scope (Yiwu's printed 总计 breaks both T3-01 and T3-02 of the same
column), that is one finding seen by several identities: the scope is named once and every failed
check is listed under it, with both sides and the difference.
"""
from __future__ import annotations

import json

import pandas as pd

from expectations.gate import GateResult, RuleOutcome

# Beyond this many reports, the summary names the rest only in findings.csv / coverage.csv.
LISTED_REPORTS = 50
LISTED_INVARIANT_VIOLATIONS = 20
_UNDECIDED_WORDS = {
    "inferred_cell": "on cells inferred from the same table's arithmetic",
    "several_previous_reports": "against several previous-year reports that disagree",
}
_RULE_NAMES = {1: "findings", 3: "coverage", 4: "pipeline"}


def _number(value) -> str:
    if pd.isna(value):
        return "NULL"
    return str(int(value)) if float(value).is_integer() else str(value)


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "0%"


def findings_clause(result: GateResult) -> str:
    c, rule = result.counts, result.rule
    if rule.strict:
        return (f"strict, any E finding fails: {c.counted_findings} E findings ({c.counted_checks} checks) "
                f"in {c.reports_with_counted_findings} of {c.gated} gated reports")
    return (f"{c.counted_findings_checked} E findings ({c.counted_checks_checked} checks) in {c.failing_checked_reports} "
            f"of {c.checked} checked reports ({_share(c.failing_checked_reports, c.checked)}); the gate allows up to "
            f"{rule.threshold:.0%} (--threshold), --strict allows none")


def coverage_clause(result: GateResult) -> str:
    c, rule = result.counts, result.rule
    if not c.checked:
        head = f"no report could be checked: 0 of {c.checkable} reports that should print the template tables"
    else:
        head = (f"{c.checked} of {c.checkable} reports that should print the template tables checked "
                f"({_share(c.checked, c.checkable)}); "
                + ("strict, any unverified report fails" if rule.strict else
                   f"the gate needs at least {rule.min_checked:.0%} (--min-checked)"))
    return (f"{head}; {c.unverified} unverified, {c.no_tables} legacy reports without template tables, "
            f"{c.superseded} superseded versions not gated")


def _rule_clause(result: GateResult, outcome: RuleOutcome) -> str:
    if outcome.rule in ("coverage_any", "coverage_share"):
        return coverage_clause(result)
    if outcome.rule in ("findings", "identity"):
        return findings_clause(result)
    return f"{len(result.invariant_violations)} pipeline invariant violations: a bug in OGI Warehouse, not in the reports"


def verdict(result: GateResult) -> str:
    """The first line: PASSED, or FAILED with the exit status and the rule that decided it."""
    if result.passed:
        return f"check: PASSED: {findings_clause(result)}"
    deciding = next(o for o in result.failed if o.exit_code == result.exit_code)
    return f"check: FAILED (exit {result.exit_code}, {_RULE_NAMES[result.exit_code]}): {_rule_clause(result, deciding)}"


def check_line(f) -> str:
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


def _where(first) -> str:
    return " · ".join(
        _number(first[c]) if c == "report_year" else str(first[c])
        for c in ("jurisdiction_name", "organ_name", "report_year", "report_scope")
        if not pd.isna(first[c])
    )


def _errors(result: GateResult, report_id: str) -> list[str]:
    errors = result.parse_errors[result.parse_errors["report_id"] == report_id]
    out = []
    for _, e in errors.iterrows():
        at = "" if pd.isna(e["line"]) else f"line {_number(e['line'])} "
        out.append(f"parse error: {at}{e['code']}: {e['message']}")
    return out


def _listed_reports(findings: pd.DataFrame):
    keys = findings[["source_path", "report_id"]].drop_duplicates().sort_values(["source_path", "report_id"])
    listed = findings[findings["report_id"].isin(keys["report_id"].head(LISTED_REPORTS))]
    return len(keys), listed.groupby(["source_path", "report_id"], sort=True, dropna=False)


def _report_lines(result: GateResult) -> list[str]:
    out: list[str] = []
    total, groups = _listed_reports(result.findings)
    for (path, report_id), rows in groups:
        scopes = list(rows.groupby("finding", sort=False))
        out.append(f"  {path} [{report_id}] {_where(rows.iloc[0])}")
        out.append(
            f"    {len(scopes)} findings ({len(rows)} checks, {int(rows['counted'].sum())} counted): "
            + ", ".join(name for name, _ in scopes)
        )
        # Why checks could not be decided, before the checks themselves.
        out.extend(f"    {e}" for e in _errors(result, report_id))
        for name, checks in scopes:
            out.append(f"    {name}")
            out.extend(f"      {check_line(f)}" for _, f in checks.iterrows())
    if total > LISTED_REPORTS:
        out.append(f"  ... and {total - LISTED_REPORTS} more reports with findings: see {result.findings_csv}")
    return out


def _unverified(result: GateResult) -> pd.DataFrame:
    return result.coverage[result.coverage["coverage"] == "unverified"]


def lines(result: GateResult) -> list[str]:
    c = result.counts
    out = [verdict(result)]
    failed = {o.rule for o in result.failed}
    out.append(f"  findings: {'FAILED' if failed & {'findings', 'identity'} else 'ok'}: {findings_clause(result)}")
    out.append(f"  coverage: {'FAILED' if failed & {'coverage_any', 'coverage_share'} else 'ok'}: {coverage_clause(result)}")
    violations = result.invariant_violations
    checked = ", ".join(f"{name} {count}" for name, count in result.invariant_checks.items())
    if violations.empty:
        out.append(f"  pipeline invariants: all held ({checked})")
    else:
        out.append(f"  pipeline invariants: FAILED: {len(violations)} violated (a bug in OGI Warehouse):")
        out.extend(f"    {v.invariant_id} {v.violation}" for v in violations.head(LISTED_INVARIANT_VIOLATIONS).itertuples())
    out.append(
        f"  reports: {c.reports_in_warehouse} in the warehouse: {c.checked} checked, {c.unverified} unverified, "
        f"{c.no_tables} without template tables, {c.superseded} superseded; {c.reports_with_findings} with findings"
    )
    unverified = _unverified(result)
    if not unverified.empty:
        out.append("  unverified reports (could not be checked against the template tables):")
        for r in unverified.head(LISTED_REPORTS).itertuples():
            out.append(f"    {r.source_path} [{r.report_id}]: {r.coverage_reason}")
        if len(unverified) > LISTED_REPORTS:
            out.append(f"    ... and {len(unverified) - LISTED_REPORTS} more: see {result.out_dir / 'coverage.csv'}")
    if not result.findings.empty:
        out.append(
            f"  findings by report: {c.findings} findings ({c.finding_checks} checks) in {c.reports_with_findings} reports, "
            f"{c.counted_findings} of them counted ({c.counted_checks} checks); a finding is one column, row, proceeding, "
            "item, prose figure or table, with every identity check that did not hold on it:"
        )
        out.extend(_report_lines(result))
    if result.unchecked_identities:
        out.append(f"  not checked, nothing to compare in this warehouse: {', '.join(result.unchecked_identities)}")
    for reason, count in sorted(result.undecided.items()):
        out.append(f"  undecided, not findings: {count} checks {_UNDECIDED_WORDS.get(reason, reason)}")
    for ack in result.stale_acknowledgments.itertuples():
        out.append(f"  stale acknowledgment (matches no finding): {ack.report_id} {ack.check_id} {ack.scope}")
    out.append(f"  data docs: {result.data_docs}")
    out.append(f"  findings: {result.findings_csv} (and .parquet); junit: {result.junit_xml}; "
               f"summary: {result.out_dir / 'summary.txt'}, {result.summary_json}")
    return out


def _json_value(value):
    if value is None or (not isinstance(value, (str, bool, list, dict)) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value.item() if hasattr(value, "item") else value


def document(result: GateResult) -> dict:
    """The summary as a document: the same verdict, rules, counts and reports as the text."""
    c, rule = result.counts, result.rule
    total, groups = _listed_reports(result.findings)
    reports = []
    for (path, report_id), rows in groups:
        first = rows.iloc[0]
        reports.append({
            "source_path": path, "report_id": report_id,
            **{k: _json_value(first[k]) for k in ("jurisdiction_name", "division_code", "organ_name", "report_year", "report_scope")},
            "parse_errors": _errors(result, report_id),
            "findings": [
                {"finding": name, "checks": [
                    {k: _json_value(f[k]) for k in ("check_id", "severity", "status", "lhs_en", "lhs", "rhs_en", "rhs",
                                                    "difference", "undecided_reason", "related_source_path", "counted",
                                                    "acknowledged", "acknowledged_reason")}
                    for _, f in checks.iterrows()]}
                for name, checks in rows.groupby("finding", sort=False)
            ],
        })
    unverified = _unverified(result)
    return {
        "passed": result.passed,
        "exit_code": result.exit_code,
        "verdict": verdict(result),
        "mode": "strict" if rule.strict else "threshold",
        "threshold": rule.threshold,
        "min_checked": rule.min_checked,
        "rules": [
            {"rule": o.rule, "name": o.name, "passed": o.passed, "exit_code": o.exit_code, "description": o.description,
             "reports": o.element_count, "unexpected": o.unexpected_count}
            for o in result.outcomes
        ],
        "reports": {
            "in_warehouse": c.reports_in_warehouse, "gated": c.gated, "checked": c.checked, "unverified": c.unverified,
            "no_tables": c.no_tables, "superseded": c.superseded, "checked_share": round(c.checked_share, 6),
            "with_findings": c.reports_with_findings, "with_counted_findings": c.reports_with_counted_findings,
            "checked_with_counted_findings": c.failing_checked_reports, "failing_share": round(c.failing_share, 6),
        },
        "findings": {
            "findings": c.findings, "checks": c.finding_checks, "counted_findings": c.counted_findings,
            "counted_checks": c.counted_checks, "by_identity": c.by_identity,
        },
        "unverified_reports": [
            {"source_path": r.source_path, "report_id": r.report_id, "reason": r.coverage_reason}
            for r in unverified.head(LISTED_REPORTS).itertuples()
        ],
        "more_unverified_reports": max(0, len(unverified) - LISTED_REPORTS),
        "reports_with_findings": reports,
        "more_reports_with_findings": max(0, total - LISTED_REPORTS),
        "pipeline_invariants": {
            "checks": {k: int(v) for k, v in result.invariant_checks.items()},
            "violations": [{"invariant_id": v.invariant_id, "violation": v.violation}
                           for v in result.invariant_violations.head(LISTED_INVARIANT_VIOLATIONS).itertuples()],
        },
        "not_checked_identities": result.unchecked_identities,
        "undecided": result.undecided,
        "stale_acknowledgments": [
            {"report_id": a.report_id, "check_id": a.check_id, "scope": a.scope}
            for a in result.stale_acknowledgments.itertuples()
        ],
        "outputs": {
            "data_docs": str(result.data_docs), "findings_csv": str(result.findings_csv),
            "coverage_csv": str(result.out_dir / "coverage.csv"), "junit_xml": str(result.junit_xml),
            "summary_txt": str(result.out_dir / "summary.txt"), "summary_json": str(result.summary_json),
        },
    }


def to_json(result: GateResult) -> str:
    return json.dumps(document(result), ensure_ascii=False, indent=2) + "\n"
