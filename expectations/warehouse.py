"""What the gate reads from the warehouse. DuckDB only, no Great Expectations.

The gate scales with reports, not cells: dbt has already reduced the cells to identity residuals
(fct_reconciliation_checks) and invariant rows (fct_pipeline_invariants); here they are reduced once
more, in DuckDB, to one row per report × identity and per report × invariant, which is what the
expectation suites validate. Only the checks that did not pass are read in full.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

# A check that did not pass is a finding when it failed, or when it could not be decided because a
# cell it needs is unreadable or missing: the table cannot be verified. Checks left undecided for
# the other reasons (an inferred operand, disagreeing previous-year reports) prove nothing either
# way and are only counted.
IS_FINDING = "(checks.passed = false or checks.undecided_reason = 'unreadable_cell')"
COUNTS = f"({IS_FINDING} and not checks.acknowledged)"

# The value of a frame row with nothing to report (what the suites expect).
NO_FINDING = "none"

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
    table_no: int
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


# What the gate reads; a warehouse built before the gate existed lacks some of them.
_REQUIRED = ("fct_reconciliation_checks", "fct_pipeline_invariants", "dim_reports", "identities",
             "pipeline_invariants", "acknowledged_findings")


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
        "select check_id, table_no, severity, label_zh, rule_en, lhs_en, rhs_en from identities order by check_id"
    ).fetchall()
    return [Identity(*r) for r in rows]


def invariants(con: duckdb.DuckDBPyConnection) -> list[Invariant]:
    rows = con.execute("select invariant_id, label_zh, rule_en from pipeline_invariants").fetchall()
    return [Invariant(*r) for r in rows]


def identity_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per report × identity: how many checks, and in `finding` the report and the scopes
    that count as findings (`report: scope: lhs vs rhs (difference d); ...`, or `scope: unverifiable`),
    or NO_FINDING."""
    return con.execute(
        f"""
        select
            checks.report_id,
            checks.check_id,
            any_value(checks.severity) as severity,
            count(*) as checks,
            coalesce(
                coalesce(any_value({_REPORT_LABEL.format(r='reports')}), checks.report_id) || ': ' || string_agg(
                    case
                        when checks.passed = false then
                            checks.scope || ' ' || coalesce(num(checks.lhs), 'NULL') || ' vs '
                            || coalesce(num(checks.rhs), 'NULL') || ' (difference ' || coalesce(num(checks.difference), 'NULL') || ')'
                        else checks.scope || ' unverifiable (a cell it needs is unreadable or missing)'
                    end,
                    '; ' order by checks.scope
                ) filter (where {COUNTS}),
                '{NO_FINDING}'
            ) as finding
        from fct_reconciliation_checks as checks
        left join dim_reports as reports using (report_id)
        group by checks.report_id, checks.check_id
        order by checks.report_id, checks.check_id
        """
    ).df()


def findings(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every check that failed or is unverifiable, acknowledged or not, with everything a reader needs:
    the report, the identity and its two sides in words, the scope with its Chinese label."""
    return con.execute(
        f"""
        with scope_labels as (
            select 'applicant' as scope_kind, applicant as scope, label_zh, sort_order from applicants
            union all select 'row', row_code, label_zh, sort_order from application_rows
            union all select 'proceeding', proceeding, label_zh, sort_order from proceedings
            union all select 'item', item, label_zh, sort_order from disclosure_items
            union all select 'fact', fact, label_zh, sort_order from narrative_fact_codes
        )

        select
            reports.source_path,
            checks.report_id,
            reports.jurisdiction_name,
            reports.division_code,
            reports.organ_name,
            reports.report_scope,
            reports.report_year,
            'table ' || identities.table_no || ' '
                || case checks.scope_kind
                    when 'applicant' then 'column'
                    when 'fact' then 'prose figure'
                    else checks.scope_kind
                end
                || ' ' || checks.scope || coalesce(' (' || scope_labels.label_zh || ')', '') as finding,
            checks.check_id,
            checks.severity,
            case when checks.passed = false then 'failed' else 'unverifiable' end as status,
            checks.scope_kind,
            checks.scope,
            scope_labels.label_zh as scope_label_zh,
            identities.rule_en,
            identities.label_zh as rule_zh,
            identities.lhs_en,
            checks.lhs,
            identities.rhs_en,
            checks.rhs,
            checks.difference,
            checks.undecided_reason,
            checks.related_report_id,
            related.source_path as related_source_path,
            checks.acknowledged,
            checks.acknowledged_reason
        from fct_reconciliation_checks as checks
        inner join identities using (check_id)
        left join dim_reports as reports using (report_id)
        left join dim_reports as related on related.report_id = checks.related_report_id
        left join scope_labels
            on scope_labels.scope_kind = checks.scope_kind
            and scope_labels.scope = checks.scope
        where {IS_FINDING}
        order by
            reports.source_path, checks.report_id, identities.table_no, checks.scope_kind, scope_labels.sort_order,
            checks.scope, checks.check_id
        """
    ).df()


def undecided_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Checks left undecided for a reason that is not a finding, by reason."""
    rows = con.execute(
        """
        select undecided_reason, count(*) from fct_reconciliation_checks
        where passed is null and undecided_reason <> 'unreadable_cell'
        group by undecided_reason
        """
    ).fetchall()
    return dict(rows)


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
        f"""
        select acknowledged.* from acknowledged_findings as acknowledged
        where not exists (
            select 1 from fct_reconciliation_checks as checks
            where checks.report_id = acknowledged.report_id
                and checks.check_id = acknowledged.check_id
                and checks.scope = acknowledged.scope
                and {IS_FINDING}
        )
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
