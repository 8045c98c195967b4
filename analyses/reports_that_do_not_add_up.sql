-- Which reports do not add up? (see _analyses.yml)
select
    reports.report_year,
    reports.jurisdiction_name,
    reports.organ_name,
    reports.report_scope,
    reports.source_path,
    checks.check_id,
    identities.label_zh as identity,
    checks.scope,
    checks.lhs,
    checks.rhs,
    checks.difference
from {{ ref('fct_reconciliation_checks') }} as checks
inner join {{ ref('dim_reports') }} as reports using (report_id)
inner join {{ ref('identities') }} as identities using (check_id)
where checks.severity = 'E' and checks.passed = false
order by reports.report_year, reports.source_path, checks.check_id, checks.scope
