-- Every identity check of every report: both sides as printed, the difference, whether it held, and
-- whether a known finding was acknowledged in the acknowledged_findings seed.
with checks as (
    select * from {{ ref('int_reconciliation__one_year') }}
    union all
    select * from {{ ref('int_reconciliation__two_years') }}
)

select
    checks.report_id,
    checks.check_id,
    checks.scope,
    checks.scope_kind,
    checks.lhs,
    checks.rhs,
    checks.difference,
    checks.passed,
    identities.severity,
    checks.undecided_reason,
    checks.related_report_id,
    acknowledged.report_id is not null as acknowledged,
    acknowledged.reason as acknowledged_reason
from checks
inner join {{ ref('identities') }} as identities using (check_id)
left join {{ ref('acknowledged_findings') }} as acknowledged
    on acknowledged.report_id = checks.report_id
    and acknowledged.check_id = checks.check_id
    and acknowledged.scope = checks.scope
