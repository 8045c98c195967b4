"""What the report reads from the warehouse: the marts as they are, and the findings as the gate sees
them (expectations.warehouse). Nothing here adds up a figure or decides an identity again."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from expectations import warehouse
from ogi.report.labels import Labels, read_labels

# Beyond the gate's tables, what the report reads; a warehouse built before them lacks some.
_REQUIRED = ("fct_jurisdiction_year", "fct_jurisdiction_year_applicants", "fct_reconciliation_cells", "code_labels")


@dataclass(frozen=True)
class ReportData:
    labels: Labels
    identities: dict[str, warehouse.Identity]
    reports: pd.DataFrame  # dim_reports
    jurisdiction_years: pd.DataFrame  # fct_jurisdiction_year
    applicants: pd.DataFrame  # fct_jurisdiction_year_applicants
    findings: pd.DataFrame  # fct_findings: every failed or unverifiable check of a current report
    finding_cells: pd.DataFrame  # fct_reconciliation_cells of those checks
    parse_errors: pd.DataFrame  # the loaders' errors of the reports with findings
    e_checked_report_ids: frozenset[str]  # reports the gate checked (fct_report_coverage: checked)
    counts: warehouse.Counts  # the gate's counts (findings, checks, counted, coverage), as `ogi check` prints them


def read(db: Path) -> ReportData:
    with warehouse.connect(db) as con:
        present = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        if missing := [t for t in _REQUIRED if t not in present]:
            raise FileNotFoundError(f"the warehouse {db} has no {', '.join(missing)}: rebuild it with `ogi build`")
        findings = warehouse.findings(con)
        con.register("gate_findings", findings[["report_id", "check_id", "scope"]].drop_duplicates())
        return ReportData(
            labels=read_labels(con),
            identities={i.check_id: i for i in warehouse.identities(con)},
            reports=con.execute("select * from dim_reports order by source_path, report_id").df(),
            jurisdiction_years=con.execute(
                "select * from fct_jurisdiction_year order by division_code, source_level, report_year"
            ).df(),
            applicants=con.execute("select * from fct_jurisdiction_year_applicants").df(),
            findings=findings,
            finding_cells=con.execute(
                """
                select cells.*
                from fct_reconciliation_cells as cells
                inner join gate_findings using (report_id, check_id, scope)
                order by cells.report_id, cells.check_id, cells.scope, cells.side, cells.line nulls last
                """
            ).df(),
            parse_errors=warehouse.parse_errors(con, sorted(findings["report_id"].unique())),
            e_checked_report_ids=frozenset(
                r[0] for r in con.execute(f"select report_id from fct_report_coverage where coverage = '{warehouse.CHECKED}'").fetchall()
            ),
            counts=warehouse.counts(con),
        )
