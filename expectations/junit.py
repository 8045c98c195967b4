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


def _finding_status(result: GateResult, checks: list[dict], covered: str) -> tuple[str | None, str | None]:
    """(failure message, skipped message) of one finding's test case."""
    findings_failed = any(o.rule == "findings" for o in result.failed)
    counted = any(c["counted"] for c in checks)
    in_rule = result.rule.strict or covered == "checked"
    if counted and in_rule and findings_failed:
        return f"E finding: {findings_clause(result)}", None
    if counted and in_rule:
        return None, f"E finding within the gate's rule: {findings_clause(result)}"
    if counted:
        return None, "E finding of a report that could not be checked in full; the coverage rule counts the report"
    if any(c["acknowledged"] for c in checks):
        return None, "acknowledged: " + "; ".join(sorted({str(c["acknowledged_reason"]) for c in checks if c["acknowledged"]}))
    return None, f"{'/'.join(sorted({c['severity'] for c in checks}))} finding: listed, never fatal"


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
    by_finding: dict[tuple, list[dict]] = {}
    for f in result.findings.to_dict("records"):  # records, not rows of a frame: tens of thousands of them
        by_finding.setdefault((f["source_path"], f["report_id"], f["finding"]), []).append(f)
    for (path, report_id, finding), checks in by_finding.items():
        failure, skipped = _finding_status(result, checks, coverage.get(report_id, ""))
        _case(findings, str(path), f"{finding} ({', '.join(c['check_id'] for c in checks)})", failure=failure,
              skipped=skipped, body="\n".join(check_line(c) for c in checks), kind="finding")

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
