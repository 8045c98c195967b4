"""What the gate reads from the warehouse. DuckDB only, no Great Expectations.

A finding is defined in dbt, once (fct_findings), and so is how far each report could be checked
(fct_report_coverage); here they are read, counted one way for every output (`Counts`), and reduced
to the frames the expectation suites validate: one row per gated report (its coverage, its counted E
findings, and per E identity the scopes that break it) and one row per invariant × report. The gate
scales with reports, not cells: dbt has already reduced the cells to residuals.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

# The value of a frame cell with nothing to report (what the suites expect).
NO_FINDING = "none"
# fct_report_coverage.coverage
CHECKED, UNVERIFIED, NO_TABLES, SUPERSEDED = "checked", "unverified", "no_tables", "superseded"

# Integers print without a decimal point, amounts keep theirs.
_NUM_MACRO = (
    "create or replace temp macro num(x) as "
    "case when x = round(x) then cast(cast(x as hugeint) as varchar) else cast(x as varchar) end"
)
_REPORT_LABEL = (
    "concat_ws(' · ', {r}.source_path, {r}.jurisdiction_name, {r}.organ_name, cast({r}.report_year as varchar))"
)


@dataclass(frozen=True)
class Identity:
    check_id: str
    table_no: int | None
    severity: str
    label_zh: str
    rule_en: str
    lhs_en: str
    rhs_en: str


@dataclass(frozen=True)
class Invariant:
    invariant_id: str
    label_zh: str
    rule_en: str


@dataclass(frozen=True)
class Counts:
    """The gate's counts, computed once from fct_report_coverage and fct_findings: the summary, the JSON
    document, the JUnit file, the Data Docs notes and the HTML report all print these."""
    reports_in_warehouse: int
    superseded: int
    checked: int
    unverified: int
    no_tables: int
    findings: int  # scopes of reports (a finding), every severity
    finding_checks: int
    reports_with_findings: int
    counted_findings: int  # findings with a counted check (E, not acknowledged)
    counted_checks: int
    failing_checked_reports: int  # checked reports with a counted finding: the default gate's share
    reports_with_counted_findings: int  # any gated report with a counted finding: what --strict fails on
    counted_findings_checked: int  # counted findings and checks of checked reports (the default gate's)
    counted_checks_checked: int
    by_identity: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def gated(self) -> int:
        return self.checked + self.unverified + self.no_tables

    @property
    def checkable(self) -> int:
        """Reports that should print the template tables: the denominator of the checked share."""
        return self.checked + self.unverified

    @property
    def checked_share(self) -> float:
        return self.checked / self.checkable if self.checkable else 0.0

    @property
    def failing_share(self) -> float:
        return self.failing_checked_reports / self.checked if self.checked else 0.0


# What the gate reads; a warehouse built before the gate existed lacks some of them.
_REQUIRED = ("fct_findings", "fct_report_coverage", "fct_reconciliation_checks", "fct_pipeline_invariants",
             "dim_reports", "identities", "pipeline_invariants", "acknowledged_findings")


def connect(db: Path) -> duckdb.DuckDBPyConnection:
    if not Path(db).exists():
        raise FileNotFoundError(f"no warehouse at {db}: run `ogi build` first")
    con = duckdb.connect(str(db), read_only=True)
    present = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    if missing := [t for t in _REQUIRED if t not in present]:
        con.close()
        raise FileNotFoundError(f"the warehouse {db} has no {', '.join(missing)}: rebuild it with `ogi build`")
    con.execute(_NUM_MACRO)
    return con


def identities(con: duckdb.DuckDBPyConnection) -> list[Identity]:
    rows = con.execute(
        "select check_id, table_no, severity, label_zh, rule_en, lhs_en, rhs_en from identities "
        "order by coalesce(table_no, 0), check_id"
    ).fetchall()
    return [Identity(*r) for r in rows]


def invariants(con: duckdb.DuckDBPyConnection) -> list[Invariant]:
    rows = con.execute("select invariant_id, label_zh, rule_en from pipeline_invariants").fetchall()
    return [Invariant(*r) for r in rows]


def findings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every finding (fct_findings), in report order."""
    return con.execute("select * from fct_findings order by source_path, report_id, sort_order").df()


def coverage(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every report with its coverage (fct_report_coverage) and the words that name it."""
    return con.execute(
        f"""
        select coverage.*, coalesce({_REPORT_LABEL.format(r='reports')}, coverage.report_id) as report_label
        from fct_report_coverage as coverage
        inner join dim_reports as reports using (report_id)
        order by coverage.source_path, coverage.report_id
        """
    ).df()


def counts(con: duckdb.DuckDBPyConnection) -> Counts:
    by_coverage = dict(con.execute("select coverage, count(*) from fct_report_coverage group by coverage").fetchall())
    totals = con.execute(
        f"""
        select
            count(distinct (report_id, finding)),
            count(*),
            count(distinct report_id),
            count(distinct (report_id, finding)) filter (where counted),
            count(*) filter (where counted),
            count(distinct report_id) filter (where counted and coverage = '{CHECKED}'),
            count(distinct report_id) filter (where counted),
            count(distinct (report_id, finding)) filter (where counted and coverage = '{CHECKED}'),
            count(*) filter (where counted and coverage = '{CHECKED}')
        from fct_findings
        inner join fct_report_coverage using (report_id)
        """
    ).fetchone()
    by_identity = {
        check_id: {"checks": checks, "failed": failed, "unverifiable": unverifiable, "counted": counted,
                   "acknowledged": acknowledged, "reports_with_findings": reports}
        for check_id, checks, failed, unverifiable, counted, acknowledged, reports in con.execute(
            f"""
            with checks as (
                select check_id, count(*) as checks from fct_reconciliation_checks
                inner join fct_report_coverage using (report_id)
                where coverage <> '{SUPERSEDED}'
                group by check_id
            )
            select
                identities.check_id,
                coalesce(any_value(checks.checks), 0),
                count(findings.check_id) filter (where findings.status = 'failed'),
                count(findings.check_id) filter (where findings.status = 'unverifiable'),
                count(findings.check_id) filter (where findings.counted),
                count(findings.check_id) filter (where findings.acknowledged),
                count(distinct findings.report_id)
            from identities
            left join checks using (check_id)
            left join fct_findings as findings using (check_id)
            group by identities.check_id
            order by identities.check_id
            """
        ).fetchall()
    }
    return Counts(
        reports_in_warehouse=sum(by_coverage.values()),
        superseded=by_coverage.get(SUPERSEDED, 0), checked=by_coverage.get(CHECKED, 0),
        unverified=by_coverage.get(UNVERIFIED, 0), no_tables=by_coverage.get(NO_TABLES, 0),
        findings=totals[0], finding_checks=totals[1], reports_with_findings=totals[2],
        counted_findings=totals[3], counted_checks=totals[4], failing_checked_reports=totals[5],
        reports_with_counted_findings=totals[6], counted_findings_checked=totals[7], counted_checks_checked=totals[8],
        by_identity=by_identity,
    )


def report_frame(con: duckdb.DuckDBPyConnection, e_identities: list[str]) -> pd.DataFrame:
    """One row per gated report, what the gate suite validates: `coverage` (the code), `coverage_detail`
    (`checked`, or the report and why it is not), `e_findings` (the report and its counted E findings as
    `scope: lhs vs rhs (difference d)` or `scope unverifiable`, or NO_FINDING) and one column per E
    identity with the same for that identity alone."""
    per_identity = "".join(
        f", coalesce(any_value(label) || ': ' || {_finding_text(with_check_id=False)} filter (where findings.check_id = '{c}'),"
        f" '{NO_FINDING}') as \"{c}\""
        for c in e_identities
    )
    return con.execute(
        f"""
        with gated as (
            select coverage.report_id, coverage.coverage, coverage.coverage_reason,
                coalesce({_REPORT_LABEL.format(r='reports')}, coverage.report_id) as label
            from fct_report_coverage as coverage
            inner join dim_reports as reports using (report_id)
            where coverage.coverage <> '{SUPERSEDED}'
        )
        select
            gated.report_id,
            any_value(gated.coverage) as coverage,
            case when any_value(gated.coverage) = '{UNVERIFIED}'
                then any_value(label) || ': unverified, ' || any_value(gated.coverage_reason)
                else any_value(gated.coverage)
            end as coverage_detail,
            coalesce(any_value(label) || ': ' || {_finding_text(with_check_id=True)}, '{NO_FINDING}') as e_findings
            {per_identity}
        from gated
        left join fct_findings as findings on findings.report_id = gated.report_id and findings.counted
        group by gated.report_id
        order by gated.report_id
        """
    ).df()


def _finding_text(with_check_id: bool) -> str:
    """SQL aggregate: a report's findings as `[check_id] scope lhs vs rhs (difference d)` or `scope unverifiable`."""
    check = "findings.check_id || ' ' || " if with_check_id else ""
    return (
        f"string_agg({check}case when findings.status = 'failed' then findings.scope || ' ' || coalesce(num(findings.lhs), 'NULL')"
        " || ' vs ' || coalesce(num(findings.rhs), 'NULL') || ' (difference ' || coalesce(num(findings.difference), 'NULL') || ')'"
        " else findings.scope || ' unverifiable (a cell it needs is unreadable or missing)' end, '; ' order by findings.sort_order)"
    )


def undecided_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Checks of gated reports left undecided for a reason that is not a finding, by reason."""
    rows = con.execute(
        f"""
        select undecided_reason, count(*) from fct_reconciliation_checks
        inner join fct_report_coverage using (report_id)
        where passed is null and undecided_reason <> 'unreadable_cell' and coverage <> '{SUPERSEDED}'
        group by undecided_reason
        """
    ).fetchall()
    return dict(rows)


def unchecked_identities(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Identities with no check on any gated report: nothing to compare in this warehouse."""
    return [r[0] for r in con.execute(
        f"""
        select check_id from identities
        where check_id not in (
            select check_id from fct_reconciliation_checks
            inner join fct_report_coverage using (report_id)
            where coverage <> '{SUPERSEDED}'
        )
        order by coalesce(table_no, 0), check_id
        """
    ).fetchall()]


def parse_errors(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> pd.DataFrame:
    """The loaders' errors for these reports: why a check could not be decided."""
    return con.execute(
        """
        select report_id, code, message, line from stg_ogi__parse_issues
        where severity = 'error' and report_id in (select unnest(?::varchar[]))
        order by report_id, line nulls last, code
        """,
        [report_ids],
    ).df()


def stale_acknowledgments(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Rows of the acknowledged_findings seed that match no current finding (fixed, or mistyped)."""
    return con.execute(
        """
        select acknowledged.* from acknowledged_findings as acknowledged
        anti join fct_findings as findings using (report_id, check_id, scope)
        order by all
        """
    ).df()


def invariant_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per invariant × report (and per recorded dbt test): `violation` names the report and
    what did not hold, or is NO_FINDING."""
    frame = con.execute(
        f"""
        select
            invariants.invariant_id,
            coalesce(any_value({_REPORT_LABEL.format(r='reports')}), invariants.report_id) as subject,
            count(*) as checks,
            coalesce(
                subject || ': ' || string_agg(
                    invariants.scope || ' expected ' || coalesce(num(invariants.expected), 'NULL') || ', found '
                    || coalesce(num(invariants.actual), 'NULL') || coalesce(' (' || invariants.detail || ')', ''),
                    '; ' order by invariants.scope
                ) filter (where invariants.passed is not true),
                '{NO_FINDING}'
            ) as violation
        from fct_pipeline_invariants as invariants
        left join dim_reports as reports using (report_id)
        group by invariants.invariant_id, invariants.report_id
        order by invariants.invariant_id, invariants.report_id
        """
    ).df()
    return pd.concat([frame, _dbt_test_frame(con)], ignore_index=True)


def _dbt_test_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    recorded = con.execute(
        "select count(*) from information_schema.tables where table_name = 'dbt_test_results'"
    ).fetchone()[0]
    frame = con.execute(
        f"""
        select
            'dbt_tests_passed' as invariant_id,
            test_name as subject,
            1 as checks,
            case
                when status = 'pass' then '{NO_FINDING}'
                else test_name || ': ' || status || coalesce(': ' || nullif(message, ''), '')
            end as violation
        from dbt_test_results
        order by test_name
        """
    ).df() if recorded else pd.DataFrame()
    if frame.empty:
        missing = {
            "invariant_id": "dbt_tests_passed", "subject": "the build", "checks": 0,
            "violation": "the build: no dbt test results are recorded in this warehouse: it was not built by `ogi build`",
        }
        return pd.DataFrame([missing])
    return frame
