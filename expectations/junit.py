"""junit.xml beside the findings: the gate as test cases, for CI systems that show JUnit reports.

- suite `ogi gate`: one test case per rule of the gate (each expectation of the suites), failed exactly
  when the rule failed, with the reports that break it;
- suite `findings`: one test case per finding (one scope of one report, named by its file), failed when
  it counts towards a findings rule that failed, skipped with the reason when it does not (a W or I
  finding, an acknowledged one, or an E finding within --threshold);
- suite `unverified reports`: one test case per report that could not be checked, failed when a
  coverage rule failed, skipped otherwise.

So the file has a failure exactly when `ogi check` fails: one verdict, shown the CI's way.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd

from expectations.gate import GateResult
from expectations.summary import check_line, coverage_clause, findings_clause

_SAMPLE = 20  # unexpected values quoted in a failed rule's message body


def _suite(parent: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(parent, "testsuite", name=name)


def _case(suite: ET.Element, classname: str, name: str, failure: str | None = None, skipped: str | None = None,
          body: str = "", kind: str = "") -> None:
    case = ET.SubElement(suite, "testcase", classname=classname, name=name)
    if failure is not None:
        ET.SubElement(case, "failure", message=failure, type=kind).text = body
    elif skipped is not None:
        ET.SubElement(case, "skipped", message=skipped)
        if body:
            ET.SubElement(case, "system-out").text = body
    elif body:
        ET.SubElement(case, "system-out").text = body


def _count(element: ET.Element) -> None:
    cases = element.iter("testcase")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for case in cases:
        totals["tests"] += 1
        totals["failures"] += case.find("failure") is not None
        totals["skipped"] += case.find("skipped") is not None
    for key, value in totals.items():
        element.set(key, str(value))


def _finding_status(result: GateResult, rows: pd.DataFrame, covered: str) -> tuple[str | None, str | None]:
    """(failure message, skipped message) of one finding's test case."""
    findings_failed = any(o.rule == "findings" for o in result.failed)
    counted = bool(rows["counted"].any())
    in_rule = result.rule.strict or covered == "checked"
    if counted and in_rule and findings_failed:
        return f"E finding: {findings_clause(result)}", None
    if counted and in_rule:
        return None, f"E finding within the gate's rule: {findings_clause(result)}"
    if counted:
        return None, "E finding of a report that could not be checked in full; the coverage rule counts the report"
    if rows["acknowledged"].any():
        return None, "acknowledged: " + "; ".join(sorted(set(rows["acknowledged_reason"].dropna().astype(str))))
    return None, f"{'/'.join(sorted(set(rows['severity'])))} finding: listed, never fatal"


def document(result: GateResult) -> bytes:
    root = ET.Element("testsuites", name="ogi check")
    rules = _suite(root, "ogi gate")
    for o in result.outcomes:
        body = "\n".join(o.unexpected[:_SAMPLE]) + (f"\n... and {o.unexpected_count - _SAMPLE} more" if o.unexpected_count > _SAMPLE else "")
        _case(rules, f"ogi_gate.{o.rule}", o.name,
              failure=None if o.passed else f"{o.unexpected_count} of {o.element_count} reports break it (exit {o.exit_code})",
              body=f"{o.description}\n{body}".rstrip(), kind=f"exit {o.exit_code}")

    coverage = dict(zip(result.coverage["report_id"], result.coverage["coverage"]))
    findings = _suite(root, "findings")
    for (path, report_id, finding), rows in result.findings.groupby(["source_path", "report_id", "finding"], sort=False, dropna=False):
        failure, skipped = _finding_status(result, rows, coverage.get(report_id, ""))
        checks = ", ".join(rows["check_id"])
        _case(findings, str(path), f"{finding} ({checks})", failure=failure, skipped=skipped,
              body="\n".join(check_line(f) for _, f in rows.iterrows()), kind="finding")

    unverified = _suite(root, "unverified reports")
    coverage_failed = any(o.rule in ("coverage_any", "coverage_share") for o in result.failed)
    for r in result.coverage[result.coverage["coverage"] == "unverified"].itertuples():
        message = f"unverified: {r.coverage_reason}"
        _case(unverified, str(r.source_path), f"coverage [{r.report_id}]",
              failure=f"{message}; {coverage_clause(result)}" if coverage_failed else None,
              skipped=None if coverage_failed else f"{message}; within the gate's rule: {coverage_clause(result)}",
              kind="coverage")

    for suite in (rules, findings, unverified, root):
        _count(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
