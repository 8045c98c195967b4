"""`ogi check`: validate the warehouse's identity residuals and decide whether the gate passes.

Two kinds of user run the gate. An office screening submissions wants any arithmetic error to fail
(`strict`). A researcher gating a data release wants the gate to fail when the pipeline regresses,
while source errors are listed but not fatal: by default the gate fails only when the share of
reports with an E-severity finding exceeds `threshold` (default and rationale: DEFAULT_THRESHOLD).
"""
from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from expectations import DEFAULT_THRESHOLD

FINDING_COLUMNS = [
    "report_id", "source_path", "jurisdiction_name", "division_code", "organ_name", "report_year",
    "check_id", "severity", "scope", "lhs", "rhs", "difference",
]


@dataclass
class GateResult:
    passed: bool
    reason: str
    findings: pd.DataFrame  # one row per failed check, FINDING_COLUMNS
    reports_checked: int
    reports_failing_e: int
    data_docs: Path
    findings_csv: Path

    @property
    def share_failing_e(self) -> float:
        return self.reports_failing_e / self.reports_checked if self.reports_checked else 0.0


def read_checks(db: Path) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(
            """
            select
                checks.report_id, reports.source_path, reports.jurisdiction_name, reports.division_code,
                reports.organ_name, reports.report_year, checks.check_id, checks.severity, checks.scope,
                checks.lhs, checks.rhs, checks.difference, checks.passed
            from fct_reconciliation_checks as checks
            inner join dim_reports as reports using (report_id)
            order by reports.source_path, checks.check_id, checks.scope
            """
        ).df()


def _validate(checks: pd.DataFrame, data_docs: Path) -> pd.DataFrame:
    """Run the suites over `checks`, build the Data Docs, return the failed checks GX reported."""
    import great_expectations as gx

    from expectations.suites import identities, reconciliation_suite

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    for site in list(context.list_data_docs_sites()):
        context.delete_data_docs_site(site)
    context.add_data_docs_site(
        site_name="gate",
        site_config={
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(data_docs)},
        },
    )
    asset = context.data_sources.add_pandas("warehouse").add_dataframe_asset("fct_reconciliation_checks")
    batch = asset.add_batch_definition_whole_dataframe("all checks")
    present = set(checks["check_id"])
    suite = context.suites.add(reconciliation_suite([i for i in identities() if i.check_id in present]))
    validation = context.validation_definitions.add(gx.ValidationDefinition(name=suite.name, data=batch, suite=suite))
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name="ogi_gate",
            validation_definitions=[validation],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs", site_names=["gate"])],
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["report_id", "check_id", "scope"]},
        )
    )
    result = checkpoint.run(batch_parameters={"dataframe": checks})
    failed = [
        {k: row[k] for k in ("report_id", "check_id", "scope")}
        for run in result.run_results.values()
        for r in run.results
        for row in (r.result.get("unexpected_index_list") or [])
    ]
    return pd.DataFrame(failed, columns=["report_id", "check_id", "scope"])


def run_gate(db: Path, out_dir: Path, strict: bool = False, threshold: float = DEFAULT_THRESHOLD) -> GateResult:
    checks = read_checks(db)
    staging = out_dir.with_name(f".{out_dir.name}.building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    failed = _validate(checks, staging / "data_docs")
    findings = failed.merge(checks, on=["report_id", "check_id", "scope"], how="left")[FINDING_COLUMNS]
    findings.to_csv(staging / "findings.csv", index=False)
    findings.to_parquet(staging / "findings.parquet", index=False)
    # Replace the previous outputs only once the new ones are complete.
    shutil.rmtree(out_dir, ignore_errors=True)
    os.replace(staging, out_dir)

    decided = checks[checks["passed"].notna() & (checks["severity"] == "E")]
    reports_checked = decided["report_id"].nunique()
    e_findings = findings[findings["severity"] == "E"]
    reports_failing = e_findings["report_id"].nunique()
    share = reports_failing / reports_checked if reports_checked else 0.0
    if strict:
        passed = e_findings.empty
        reason = "strict: no E-severity finding" if passed else f"strict: {len(e_findings)} E-severity findings"
    else:
        passed = share <= threshold
        reason = (
            f"{reports_failing} of {reports_checked} checked reports ({share:.0%}) have E-severity findings; "
            f"the gate allows up to {threshold:.0%}"
        )
    return GateResult(
        passed, reason, findings, reports_checked, reports_failing, out_dir / "data_docs" / "index.html",
        out_dir / "findings.csv",
    )
