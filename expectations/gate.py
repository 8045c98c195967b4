"""`ogi check`: validate the warehouse with the expectation suites; the validation is the verdict.

Two kinds of user run the gate. An office screening submissions wants any arithmetic error, and any
report it could not check, to fail (`strict`). A researcher gating a data release wants the gate to fail
when the pipeline regresses, while source errors are listed but not fatal: by default the gate fails
only when the share of checked reports with an E finding exceeds `threshold`, or fewer than
`min_checked` of the reports could be checked (defaults and rationale: expectations/__init__.py).
Either way a failed pipeline invariant fails the gate: it is a bug of ours. Findings acknowledged in
the `acknowledged_findings` seed are listed but do not count.

The rule is in the suites (expectations/suites.py), so Great Expectations decides: every failed
expectation is a failed rule, with its exit status, and the Data Docs, the summary, summary.json,
junit.xml and findings.csv all show that one verdict. What a finding is and how far a report could be
checked are defined in dbt (fct_findings, fct_report_coverage); the gate stops if Great Expectations
and those tables disagree on how many reports break a rule.
"""
from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from expectations import DEFAULT_MIN_CHECKED, DEFAULT_THRESHOLD, warehouse
from expectations.suites import EXIT_COVERAGE, EXIT_FINDINGS, EXIT_PIPELINE, GateRule

# These names become folders of the Data Docs: no spaces.
REPORT_ASSET = "gated_reports"
INVARIANT_ASSET = "pipeline_invariants_per_report"
# When several rules fail, the exit status is that of the first of these.
_PRECEDENCE = (EXIT_PIPELINE, EXIT_FINDINGS, EXIT_COVERAGE)


@dataclass(frozen=True)
class RuleOutcome:
    """One expectation of the suites: a rule of the gate, whether it held, and what it saw."""
    rule: str  # coverage_any, coverage_share, findings, identity, pipeline_invariant
    name: str  # the check id or invariant id for the per-identity and invariant rules, else the rule
    passed: bool
    exit_code: int
    description: str
    unexpected_count: int
    element_count: int
    unexpected: list[str]  # a sample of the unexpected values (reports), as the Data Docs show them


@dataclass
class GateResult:
    rule: GateRule
    outcomes: list[RuleOutcome]
    counts: warehouse.Counts
    findings: pd.DataFrame  # fct_findings
    coverage: pd.DataFrame  # fct_report_coverage with report labels
    invariant_violations: pd.DataFrame  # invariant_id, subject, violation
    invariant_checks: dict[str, int]  # invariant -> rows checked
    undecided: dict[str, int]
    stale_acknowledgments: pd.DataFrame
    parse_errors: pd.DataFrame
    unchecked_identities: list[str]  # identities with nothing to check in this warehouse
    identities: list[warehouse.Identity]
    out_dir: Path

    @property
    def failed(self) -> list[RuleOutcome]:
        return [o for o in self.outcomes if not o.passed]

    @property
    def passed(self) -> bool:
        return not self.failed

    @property
    def exit_code(self) -> int:
        codes = {o.exit_code for o in self.failed}
        return next((c for c in _PRECEDENCE if c in codes), 0)

    @property
    def data_docs(self) -> Path:
        return self.out_dir / "data_docs" / "index.html"

    @property
    def findings_csv(self) -> Path:
        return self.out_dir / "findings.csv"

    @property
    def junit_xml(self) -> Path:
        return self.out_dir / "junit.xml"

    @property
    def summary_json(self) -> Path:
        return self.out_dir / "summary.json"


def _validate(frames: dict[str, pd.DataFrame], suites: dict[str, object], data_docs: Path,
              run_name: str) -> list[RuleOutcome]:
    """Validate each frame with its suite and build the Data Docs; one outcome per expectation."""
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
    outcomes: list[RuleOutcome] = []
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
        for r in result.results:
            meta = r.expectation_config.meta
            outcomes.append(RuleOutcome(
                rule=meta["rule"],
                name=meta.get("check_id") or meta.get("invariant_id") or meta["rule"],
                passed=bool(r.success),
                exit_code=meta["exit_code"],
                description=r.expectation_config.description,
                unexpected_count=r.result.get("unexpected_count") or 0,
                element_count=r.result.get("element_count") or 0,
                unexpected=[str(v) for v in r.result.get("partial_unexpected_list") or []],
            ))
    context.build_data_docs(site_names=["gate"])
    return outcomes


def _agree(outcomes: list[RuleOutcome], counts: warehouse.Counts, rule: GateRule,
           invariant_frame: pd.DataFrame) -> None:
    """Great Expectations and the dbt tables must see the same reports breaking each rule."""
    seen = {o.rule: o.unexpected_count for o in outcomes if o.rule in ("coverage_share", "findings")}
    ours = {
        "coverage_share": counts.unverified,
        "findings": counts.reports_with_counted_findings if rule.strict else counts.failing_checked_reports,
    }
    violated = int((invariant_frame["violation"] != warehouse.NO_FINDING).sum())
    gx_violations = sum(o.unexpected_count for o in outcomes if o.rule == "pipeline_invariant")
    if seen != ours or gx_violations != violated:
        raise RuntimeError(f"gate inconsistency: Great Expectations counted {seen} and {gx_violations} invariant "
                           f"violations, the warehouse {ours} and {violated}")


def run_gate(db: Path, out_dir: Path, strict: bool = False, threshold: float = DEFAULT_THRESHOLD,
             min_checked: float = DEFAULT_MIN_CHECKED, verdict_inputs: dict | None = None) -> GateResult:
    """Validate, and write every output into `out_dir` at once. With `verdict_inputs` (what the warehouse
    and the rule are: expectations/verdict.py), the outputs are recorded with them, for a later check of
    the same inputs to reuse."""
    from expectations import data_docs, junit, suites, summary, verdict

    rule = GateRule(strict, threshold, min_checked)
    with warehouse.connect(db) as con:
        identities = warehouse.identities(con)
        counts = warehouse.counts(con)
        e_identities = [i.check_id for i in identities if i.severity == "E"]
        report_frame = warehouse.report_frame(con, e_identities)
        invariant_frame = warehouse.invariant_frame(con)
        findings = warehouse.findings(con)
        coverage = warehouse.coverage(con)
        suite_objects = {
            REPORT_ASSET: suites.gate_suite(rule, identities, counts),
            INVARIANT_ASSET: suites.invariant_suite(warehouse.invariants(con)),
        }
        undecided = warehouse.undecided_counts(con)
        stale = warehouse.stale_acknowledgments(con)
        unverifiable = findings.loc[findings["status"] == "unverifiable", "report_id"]
        unverified = coverage.loc[coverage["coverage"] == warehouse.UNVERIFIED, "report_id"]
        errors = warehouse.parse_errors(con, sorted(set(unverifiable) | set(unverified)))
        unchecked = warehouse.unchecked_identities(con)

    building = out_dir.with_name(f".{out_dir.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    outcomes = _validate(
        {REPORT_ASSET: report_frame, INVARIANT_ASSET: invariant_frame},
        suite_objects,
        building / "data_docs",
        "ogi_check_strict" if strict else f"ogi_check_threshold_{threshold}_min_checked_{min_checked}",
    )
    _agree(outcomes, counts, rule, invariant_frame)
    data_docs.make_offline(building / "data_docs")
    invariant_violations = invariant_frame[invariant_frame["violation"] != warehouse.NO_FINDING][
        ["invariant_id", "subject", "violation"]
    ].reset_index(drop=True)
    result = GateResult(
        rule=rule, outcomes=outcomes, counts=counts, findings=findings, coverage=coverage,
        invariant_violations=invariant_violations,
        invariant_checks=invariant_frame.groupby("invariant_id", sort=False)["checks"].sum().to_dict(),
        undecided=undecided, stale_acknowledgments=stale, parse_errors=errors,
        unchecked_identities=unchecked, identities=identities, out_dir=out_dir,
    )

    # UTF-8 with a byte-order mark: Excel in a Chinese locale otherwise reads the labels as GBK.
    findings.to_csv(building / "findings.csv", index=False, encoding="utf-8-sig")
    findings.to_parquet(building / "findings.parquet", index=False)
    coverage.drop(columns=["report_label"]).to_csv(building / "coverage.csv", index=False, encoding="utf-8-sig")
    invariant_violations.to_csv(building / "invariant_violations.csv", index=False, encoding="utf-8-sig")
    (building / "summary.txt").write_text("\n".join(summary.lines(result)) + "\n", encoding="utf-8")
    (building / "summary.json").write_text(summary.to_json(result), encoding="utf-8")
    (building / "junit.xml").write_bytes(junit.document(result))
    if verdict_inputs is not None:
        verdict.record(building, verdict_inputs, result.exit_code)
    # Replace the previous outputs only once the new ones are complete.
    shutil.rmtree(out_dir, ignore_errors=True)
    os.replace(building, out_dir)
    return result
