"""Expectation suites, built from the `identities` seed so that each identity is described once.

Suite `reconciliation_identities`: one expectation per identity of the spec, over the rows of
`fct_reconciliation_checks` for that identity: every decidable check passed. Its description, in
English with the Chinese rule, is what a reader of the Data Docs sees.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import great_expectations as gx
from great_expectations.expectations.metadata_types import FailureSeverity
from great_expectations.expectations.row_conditions import Column

from loaders.registry import DEFAULT_SEEDS_DIR, read_seed

RECONCILIATION_SUITE = "reconciliation_identities"
_SEVERITIES = {"E": FailureSeverity.CRITICAL, "W": FailureSeverity.WARNING, "I": FailureSeverity.INFO}
_SEVERITY_WORDS = {"E": "must hold", "W": "usually holds", "I": "heuristic"}


@dataclass(frozen=True)
class Identity:
    check_id: str
    severity: str
    scope_kind: str
    label_zh: str
    rule_en: str


def identities(seeds_dir: Path = DEFAULT_SEEDS_DIR) -> list[Identity]:
    return [
        Identity(r["check_id"], r["severity"], r["scope_kind"], r["label_zh"], r["rule_en"])
        for r in read_seed(seeds_dir, "identities")
    ]


def reconciliation_suite(checked: list[Identity]) -> gx.ExpectationSuite:
    suite = gx.ExpectationSuite(
        name=RECONCILIATION_SUITE,
        meta={
            "notes": {
                "format": "markdown",
                "content": [
                    "Each expectation is one identity that a published OGI annual report should satisfy "
                    "(政府信息公开工作年度报告勾稽关系). A failure names a report whose printed figures do not "
                    "add up: a finding about the source, which the warehouse keeps as printed.",
                    "Rows are the checks of `fct_reconciliation_checks`; blank cells count as 0 and "
                    "undecidable checks (an unreadable cell) are left out.",
                ],
            }
        },
    )
    for identity in checked:
        suite.add_expectation(
            gx.expectations.ExpectColumnValuesToBeInSet(
                column="passed",
                value_set=[True],
                row_condition=Column("check_id") == identity.check_id,
                severity=_SEVERITIES[identity.severity],
                description=(
                    f"{identity.check_id} ({identity.severity}: {_SEVERITY_WORDS[identity.severity]}), "
                    f"per {identity.scope_kind}: {identity.rule_en}. 「{identity.label_zh}」"
                ),
                meta={"check_id": identity.check_id, "severity": identity.severity},
            )
        )
    return suite
