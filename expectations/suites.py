"""The expectation suites. The gate's rule is in the suites themselves, so that the validation result
(and the Data Docs that show it) is the verdict `ogi check` prints, and every expectation that fails is
a rule of the gate that failed:

- `ogi_gate`, over one row per gated report (warehouse.report_frame):
  - `coverage_any`: at least one report was checked against the template tables (exit 3 otherwise);
  - `coverage_share`: of the reports that should print the template tables, the share checked is at least
    `--min-checked` (`--strict`: every one) (exit 3);
  - `findings`: the share of checked reports with a counted E finding is at most `--threshold` (`mostly`
    = 1 − threshold; `--strict`: no gated report has one) (exit 1);
  - one expectation per E identity with the same `mostly` over the same reports: which reports break it.
    Each is weaker than `findings` (a report that breaks one identity has an E finding), so none fails
    where the gate passes;
- `pipeline_invariants`: one expectation per invariant, over one row per invariant × report (and per
  dbt test). Any unexpected row is a bug of OGI Warehouse (exit 4).

Built from the warehouse's own `identities` and `pipeline_invariants` seeds, so that a warehouse is
checked against the rules it was built with. The descriptions and notes are what a reader of the Data
Docs sees: plain English with the Chinese.
"""
from __future__ import annotations

from dataclasses import dataclass

import great_expectations as gx
from great_expectations.expectations.metadata_types import FailureSeverity
from great_expectations.expectations.row_conditions import Column

from expectations.warehouse import CHECKED, NO_FINDING, NO_TABLES, Counts, Identity, Invariant

GATE_SUITE = "ogi_gate"
INVARIANT_SUITE = "pipeline_invariants"
# The Data Docs show up to this many unexpected values (reports) per expectation; findings.csv has all.
DOCS_SAMPLE = 200

# Exit status of `ogi check` by the rule that failed (see expectations/__init__.py).
EXIT_FINDINGS, EXIT_COVERAGE, EXIT_PIPELINE = 1, 3, 4

_SEVERITY_WORDS = {
    "E": "E, must hold for a correct report",
    "W": "W, usually holds (legitimate exceptions exist)",
    "I": "I, a heuristic",
}


@dataclass(frozen=True)
class GateRule:
    """How the gate decides: `strict` (any E finding or unverified report fails) or a share of checked
    reports with E findings up to `threshold`, and at least `min_checked` of the reports that should
    print the template tables checked."""
    strict: bool
    threshold: float
    min_checked: float

    @property
    def findings_mostly(self) -> float:
        return 1.0 if self.strict else 1.0 - self.threshold

    @property
    def coverage_mostly(self) -> float:
        return 1.0 if self.strict else self.min_checked

    @property
    def findings_condition(self):
        return None if self.strict else Column("coverage") == CHECKED


def _findings_expectation(column: str, rule: GateRule, description: str, meta: dict) -> gx.expectations.Expectation:
    return gx.expectations.ExpectColumnValuesToBeInSet(
        column=column,
        value_set=[NO_FINDING],
        mostly=rule.findings_mostly,
        row_condition=rule.findings_condition,
        severity=FailureSeverity.CRITICAL,
        description=description,
        meta={"exit_code": EXIT_FINDINGS, **meta},
    )


def _identity_table(identities: list[Identity], counts: Counts) -> str:
    rows = [
        f"| {i.check_id} | {i.severity} | {i.label_zh} | {i.rule_en} | {counts.by_identity.get(i.check_id, {}).get('checks', 0)} "
        f"| {counts.by_identity.get(i.check_id, {}).get('failed', 0)} | {counts.by_identity.get(i.check_id, {}).get('unverifiable', 0)} "
        f"| {counts.by_identity.get(i.check_id, {}).get('counted', 0)} |"
        for i in identities
    ]
    return "\n".join([
        "**Every identity (勾稽关系) and its findings in this warehouse.** W and I findings are listed in "
        "`findings.csv`, never fatal; E findings count unless acknowledged.",
        "",
        "| identity | severity | 中文 | rule | checks | failed | unverifiable | counted |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
    ])


def gate_suite(rule: GateRule, identities: list[Identity], counts: Counts) -> gx.ExpectationSuite:
    mode = (
        "**--strict**: any E finding, and any report that could not be checked, fails the gate."
        if rule.strict else
        f"**Default**: the gate fails when more than {rule.threshold:.0%} of the checked reports have an E finding "
        f"(--threshold), or fewer than {rule.min_checked:.0%} of the reports that should print the template tables "
        "could be checked (--min-checked)."
    )
    notes = [
        "**How to read this page.** This suite is the gate of `ogi check`: it passes exactly when `ogi check` "
        "passes. Each row of the table validated is one current report (a superseded version of a report is not "
        "gated). A report is *checked* when its template tables (2, 3 and 4) were all read, *unverified* when it "
        "could not be read, its template was not recognised, or a table is missing or has no readable cell; legacy "
        "reports (2008–2018) print no template table. " + mode,
        f"**Counts.** {counts.reports_in_warehouse} reports in the warehouse: {counts.checked} checked, "
        f"{counts.unverified} unverified, {counts.no_tables} without template tables, {counts.superseded} superseded "
        f"versions not gated. {counts.findings} findings ({counts.finding_checks} checks) in {counts.reports_with_findings} "
        f"reports; {counts.counted_findings} E findings ({counts.counted_checks} checks) count against the gate.",
        "A finding is one scope (column, row, proceeding, item, prose figure or table) of one report where an identity "
        "failed, or could not be verified because a cell it needs is unreadable or missing. Each unexpected value is "
        "one report, as `file · place · organ · year: identity scope left vs right (difference)`. The warehouse keeps "
        f"the figures as printed and never repairs them. Up to {DOCS_SAMPLE} reports are shown per expectation; "
        "`findings.csv` and `findings.parquet` next to these pages list every finding, `summary.json` the counts.",
        _identity_table(identities, counts),
    ]
    coverage_words = ("every report that should print the template tables is checked" if rule.strict else
                      f"at least {rule.min_checked:.0%} of the reports that should print the template tables are checked")
    findings_words = ("no gated report has an E finding" if rule.strict else
                      f"at most {rule.threshold:.0%} of the checked reports have an E finding")
    expectations = [
        gx.expectations.ExpectColumnDistinctValuesToContainSet(
            column="coverage",
            value_set=[CHECKED],
            severity=FailureSeverity.CRITICAL,
            description="At least one report could be checked against the template tables (有可核验的报告): a gate "
                        "over nothing does not pass.",
            meta={"rule": "coverage_any", "exit_code": EXIT_COVERAGE},
        ),
        gx.expectations.ExpectColumnValuesToBeInSet(
            column="coverage_detail",
            value_set=[CHECKED],
            mostly=rule.coverage_mostly,
            row_condition=Column("coverage") != NO_TABLES,
            severity=FailureSeverity.CRITICAL,
            description=f"Coverage (核验覆盖率): {coverage_words}. Each unexpected value is a report that could not be "
                        "checked, and why.",
            meta={"rule": "coverage_share", "exit_code": EXIT_COVERAGE},
        ),
        _findings_expectation(
            "e_findings", rule,
            f"Findings (勾稽问题): {findings_words}. Each unexpected value is a report with its E findings.",
            {"rule": "findings"},
        ),
    ]
    for i in identities:
        if i.severity == "E":
            expectations.append(_findings_expectation(
                i.check_id, rule,
                f"{i.check_id} ({_SEVERITY_WORDS[i.severity]}), table {i.table_no or 'any'}. {i.rule_en}. 「{i.label_zh}」 "
                f"Left side: {i.lhs_en}. Right side: {i.rhs_en}.",
                {"rule": "identity", "check_id": i.check_id},
            ))
    return gx.ExpectationSuite(name=GATE_SUITE, expectations=expectations, notes=notes)


def invariant_suite(checked: list[Invariant]) -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name=INVARIANT_SUITE,
        expectations=[
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="violation",
                value_set=[NO_FINDING],
                row_condition=Column("invariant_id") == invariant.invariant_id,
                severity=FailureSeverity.CRITICAL,
                description=(
                    f"{invariant.invariant_id}: {invariant.rule_en}. 「{invariant.label_zh}」 "
                    "A failure is a bug in OGI Warehouse."
                ),
                meta={"rule": "pipeline_invariant", "invariant_id": invariant.invariant_id, "exit_code": EXIT_PIPELINE},
            )
            for invariant in checked
        ],
        notes=[
            "**How to read this page.** Each row is a guarantee of the OGI Warehouse pipeline itself, whatever the "
            "reports say (流水线不变量). Any unexpected value is a bug in OGI Warehouse, not a finding about a report, "
            "and fails the gate (exit 4). Each unexpected value names the report (or the dbt test), what was expected "
            "and what was found.",
        ],
    )
