"""The expectation suites, built from the warehouse's own `identities` and `pipeline_invariants`
seeds, so that each rule is described once and a warehouse is checked against the rules it was
built with.

- `reconciliation_identities`: one expectation per identity of the spec (E, W and I, each with its
  severity), over one row per report × identity (warehouse.identity_frame). A row is unexpected when
  the report breaks the identity in some scope that is not acknowledged; its value lists those
  scopes with both sides and the difference.
- `pipeline_invariants`: one expectation per invariant, over one row per invariant × report (and per
  dbt test). Any unexpected row is a bug of OGI Warehouse.

The descriptions and notes are what a reader of the Data Docs sees: plain English with the Chinese.
"""
from __future__ import annotations

import great_expectations as gx
from great_expectations.expectations.metadata_types import FailureSeverity
from great_expectations.expectations.row_conditions import Column

from expectations.warehouse import NO_FINDING, Identity, Invariant

IDENTITY_SUITE = "reconciliation_identities"
# The Data Docs show up to this many unexpected values (reports) per expectation; findings.csv has all.
DOCS_SAMPLE = 200
INVARIANT_SUITE = "pipeline_invariants"

_SEVERITIES = {"E": FailureSeverity.CRITICAL, "W": FailureSeverity.WARNING, "I": FailureSeverity.INFO}
_SEVERITY_WORDS = {
    "E": "E, must hold for a correct report",
    "W": "W, usually holds (legitimate exceptions exist)",
    "I": "I, a heuristic",
}

_IDENTITY_NOTES = [
    "**How to read this page.** Each row of the table below is one identity (勾稽关系) that a published OGI "
    "annual report (政府信息公开工作年度报告) should satisfy. It was checked on every report that prints the "
    "table concerned. Each *Unexpected Value* is one report that breaks the identity: its file, place, organ "
    "and year, then the columns, rows, proceedings, items or prose figures (scopes) that fail, as `scope left "
    "side vs right side (difference)`. A scope marked *unverifiable* could not be checked because a cell it "
    f"needs is unreadable or missing from the table (see the report's parse issues). Up to {DOCS_SAMPLE} reports are "
    "shown per identity; `findings.csv` and `findings.parquet` next to these pages list every finding.",
    "A failure is a finding about the source: the warehouse keeps the figures as printed and never repairs "
    "them. Severity: E (critical) must hold, W (warning) usually holds, I (info) is a heuristic. Findings "
    "acknowledged in the `acknowledged_findings` seed are not shown here; `findings.csv` lists them too, "
    "marked as acknowledged.",
    "Blank cells count as 0. Checks whose cells were inferred from the same table's arithmetic are "
    "left undecided, since they would prove nothing.",
]
_INVARIANT_NOTES = [
    "**How to read this page.** Each row is a guarantee of the OGI Warehouse pipeline itself, whatever the "
    "reports say (流水线不变量). Any unexpected value is a bug in OGI Warehouse, not a finding about a report, "
    "and fails the gate. Each unexpected value names the report (or the dbt test), what was expected and "
    "what was found.",
]


def _identity_expectation(identity: Identity) -> gx.expectations.Expectation:
    return gx.expectations.ExpectColumnValuesToBeInSet(
        column="finding",
        value_set=[NO_FINDING],
        row_condition=Column("check_id") == identity.check_id,
        severity=_SEVERITIES[identity.severity],
        description=(
            f"{identity.check_id} ({_SEVERITY_WORDS[identity.severity]}), table {identity.table_no}. "
            f"{identity.rule_en}. 「{identity.label_zh}」"
        ),
        notes=[
            f"Left side: {identity.lhs_en}. Right side: {identity.rhs_en}.",
            "Each row is one report; it is unexpected when the report breaks this identity in a scope that is "
            "not acknowledged.",
        ],
        meta={"rule_id": identity.check_id, "severity": identity.severity},
    )


def identity_suite(checked: list[Identity]) -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name=IDENTITY_SUITE,
        expectations=[_identity_expectation(i) for i in checked],
        notes=_IDENTITY_NOTES,
    )


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
                meta={"rule_id": invariant.invariant_id},
            )
            for invariant in checked
        ],
        notes=_INVARIANT_NOTES,
    )
