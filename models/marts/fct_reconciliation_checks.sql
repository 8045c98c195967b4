-- Every identity check of every report: both sides as printed, the difference, and whether it held.
with checks as (
    select * from {{ ref('int_reconciliation__table2') }}
    union all
    select * from {{ ref('int_reconciliation__table3') }}
    union all
    select * from {{ ref('int_reconciliation__table4') }}
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
    identities.severity
from checks
inner join {{ ref('identities') }} as identities using (check_id)
