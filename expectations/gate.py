"""`ogi check`: validate the warehouse with the expectation suites and decide whether the gate passes.

Two kinds of user run the gate. An office screening submissions wants any arithmetic error to fail
(`strict`: any E finding fails). A researcher gating a data release wants the gate to fail when the
pipeline regresses, while source errors are listed but not fatal: by default the gate fails only when
the share of checked reports with an E finding exceeds `threshold` (default and rationale:
expectations.DEFAULT_THRESHOLD). Either way a failed pipeline invariant fails the gate: it is a bug of
ours. Findings acknowledged in the `acknowledged_findings` seed are listed but do not count.

A finding is a check that failed, or that could not be decided because a cell it needs is unreadable
or missing (a table that cannot be verified). Great Expectations validates one row per report ×
identity (and per report × invariant); the gate stops if GX and those rows disagree on how many
reports break a rule. The details (both sides, the difference, the labels) come from the checks.
"""
from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from expectations import DEFAULT_THRESHOLD, warehouse

# These names become folders of the Data Docs: no spaces.
IDENTITY_ASSET = "identity_checks_per_report"
INVARIANT_ASSET = "pipeline_invariants_per_report"


@dataclass
class GateResult:
    passed: bool
    verdict: str
    findings: pd.DataFrame  # every failed or unverifiable check (warehouse.findings) + `counted`
    invariant_violations: pd.DataFrame  # invariant_id, subject, violation
    invariant_checks: dict[str, int]  # invariant -> rows checked
    reports_checked: int  # reports with at least one E check
    undecided: dict[str, int]
    stale_acknowledgments: pd.DataFrame
    parse_errors: pd.DataFrame
    out_dir: Path
    reports_total: int
    unchecked_identities: list[str]  # identities with nothing to check in this warehouse

    @property
    def data_docs(self) -> Path:
        return self.out_dir / "data_docs" / "index.html"

    @property
    def findings_csv(self) -> Path:
        return self.out_dir / "findings.csv"


def _validate(frames: dict[str, pd.DataFrame], suites: dict[str, object], data_docs: Path,
              run_name: str) -> dict[str, dict[str, int]]:
    """Validate each frame with its suite and build the Data Docs; return per frame the number of
    unexpected rows of each expectation, by the rule it checks."""
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    from expectations.suites import DOCS_SAMPLE

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
    source = context.data_sources.add_pandas("warehouse")
    run_id = RunIdentifier(run_name=run_name)
    unexpected: dict[str, dict[str, int]] = {}
    for asset_name, frame in frames.items():
        suite = context.suites.add(suites[asset_name])
        batch = source.add_dataframe_asset(asset_name).add_batch_definition_whole_dataframe(asset_name)
        validation = context.validation_definitions.add(gx.ValidationDefinition(name=suite.name, data=batch, suite=suite))
        # SUMMARY, not COMPLETE: the unexpected values name their report, the Data Docs show a sample
        # of them, and the gate's cost stays proportional to the reports, not to the findings.
        result = validation.run(
            batch_parameters={"dataframe": frame},
            result_format={"result_format": "SUMMARY", "partial_unexpected_count": DOCS_SAMPLE},
            run_id=run_id,
        )
        unexpected[asset_name] = {
            r.expectation_config.meta["rule_id"]: r.result.get("unexpected_count") or 0 for r in result.results
        }
    context.build_data_docs(site_names=["gate"])
    return unexpected


def _flagged(frame: pd.DataFrame, column: str, rule: str, gx_counts: dict[str, int]) -> pd.DataFrame:
    """The rows of `frame` with something to report; GX must have found exactly as many per rule."""
    flagged = frame[frame[column] != warehouse.NO_FINDING]
    ours = flagged[rule].value_counts().to_dict()
    if {k: v for k, v in gx_counts.items() if v} != ours:
        raise RuntimeError(f"gate inconsistency: GX counted {gx_counts}, the warehouse rows {ours}")
    return flagged


def _decide(strict: bool, threshold: float, invariant_violations: pd.DataFrame, counted_e: pd.DataFrame,
            reports_checked: int) -> tuple[bool, str]:
    failing = counted_e["report_id"].nunique()
    share = failing / reports_checked if reports_checked else 0.0
    findings_words = (
        f"{counted_e.groupby(['report_id', 'finding']).ngroups} E findings ({len(counted_e)} checks) "
        f"in {failing} of {reports_checked} checked reports ({share:.0%})"
    )
    if not invariant_violations.empty:
        return False, (
            f"{len(invariant_violations)} pipeline invariant violations: a bug in OGI Warehouse, not in the reports"
        )
    if strict:
        return counted_e.empty, f"strict, any E finding fails: {findings_words}"
    return share <= threshold, f"{findings_words}; the gate allows up to {threshold:.0%} (--threshold), --strict allows none"


def run_gate(db: Path, out_dir: Path, strict: bool = False, threshold: float = DEFAULT_THRESHOLD) -> GateResult:
    from expectations import suites, summary

    with warehouse.connect(db) as con:
        identities = warehouse.identities(con)
        identity_frame = warehouse.identity_frame(con)
        invariant_frame = warehouse.invariant_frame(con)
        findings = warehouse.findings(con)
        checked = set(identity_frame["check_id"])
        suite_objects = {
            IDENTITY_ASSET: suites.identity_suite([i for i in identities if i.check_id in checked]),
            INVARIANT_ASSET: suites.invariant_suite(warehouse.invariants(con)),
        }
        undecided = warehouse.undecided_counts(con)
        stale = warehouse.stale_acknowledgments(con)
        errors = warehouse.parse_errors(con, sorted(findings.loc[findings["status"] == "unverifiable", "report_id"].unique()))
        reports_total = con.execute("select count(*) from dim_reports").fetchone()[0]

    building = out_dir.with_name(f".{out_dir.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    gx_counts = _validate(
        {IDENTITY_ASSET: identity_frame, INVARIANT_ASSET: invariant_frame},
        suite_objects,
        building / "data_docs",
        "ogi_check_strict" if strict else f"ogi_check_threshold_{threshold}",
    )
    flagged = _flagged(identity_frame, "finding", "check_id", gx_counts[IDENTITY_ASSET])
    failing_pairs = set(zip(flagged["report_id"], flagged["check_id"]))
    findings["counted"] = pd.Series(
        [pair in failing_pairs for pair in zip(findings["report_id"], findings["check_id"])], index=findings.index, dtype=bool
    ) & ~findings["acknowledged"].astype(bool)
    invariant_violations = _flagged(invariant_frame, "violation", "invariant_id", gx_counts[INVARIANT_ASSET])[
        ["invariant_id", "subject", "violation"]
    ].reset_index(drop=True)

    e_checks = identity_frame[identity_frame["severity"] == "E"]
    counted_e = findings[findings["counted"] & (findings["severity"] == "E")]
    passed, verdict = _decide(strict, threshold, invariant_violations, counted_e, e_checks["report_id"].nunique())
    result = GateResult(
        passed=passed, verdict=verdict, findings=findings,
        invariant_violations=invariant_violations,
        invariant_checks=invariant_frame.groupby("invariant_id", sort=False)["checks"].sum().to_dict(),
        reports_checked=e_checks["report_id"].nunique(),
        undecided=undecided, stale_acknowledgments=stale, parse_errors=errors, out_dir=out_dir,
        reports_total=reports_total,
        unchecked_identities=[i.check_id for i in identities if i.check_id not in checked],
    )

    # UTF-8 with a byte-order mark: Excel in a Chinese locale otherwise reads the labels as GBK.
    findings.to_csv(building / "findings.csv", index=False, encoding="utf-8-sig")
    findings.to_parquet(building / "findings.parquet", index=False)
    invariant_violations.to_csv(building / "invariant_violations.csv", index=False, encoding="utf-8-sig")
    (building / "summary.txt").write_text("\n".join(summary.lines(result)) + "\n", encoding="utf-8")
    # Replace the previous outputs only once the new ones are complete.
    shutil.rmtree(out_dir, ignore_errors=True)
    os.replace(building, out_dir)
    return result
