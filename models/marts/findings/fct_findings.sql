-- What a finding is, defined once (the gate, its outputs and the HTML report read this mart): a check of a
-- report's current version that failed, or that could not be decided because a cell it needs is
-- unreadable or missing from the table (unverifiable). Checks left undecided for other reasons (an
-- operand inferred from the same table's arithmetic, previous-year reports that disagree) prove nothing
-- either way and are not findings. A finding counts against the gate when its identity is of severity E
-- and it is not acknowledged in the acknowledged_findings seed; superseded versions of a report are not
-- gated at all (fct_report_coverage).
with checks as (
    select * from {{ ref('fct_reconciliation_checks') }}
    where passed = false or undecided_reason = 'unreadable_cell'
),

scope_labels as (
    select 'applicant' as scope_kind, applicant as scope, label_zh, sort_order from {{ ref('applicants') }}
    union all select 'row', row_code, label_zh, sort_order from {{ ref('application_rows') }}
    union all select 'proceeding', proceeding, label_zh, sort_order from {{ ref('proceedings') }}
    union all select 'item', item, label_zh, sort_order from {{ ref('disclosure_items') }}
    union all select 'fact', fact, label_zh, sort_order from {{ ref('narrative_fact_codes') }}
)

select
    checks.report_id,
    reports.source_path,
    reports.jurisdiction_name,
    reports.division_code,
    reports.organ_name,
    reports.report_scope,
    reports.report_year,
    -- The scope in words: one finding is one scope of one report, whichever identities fail on it.
    case
        when checks.scope_kind = 'table' then 'table ' || regexp_extract(checks.scope, '(\d+)$', 1) || ' printed twice'
        else 'table ' || identities.table_no || ' '
            || case checks.scope_kind when 'applicant' then 'column' when 'fact' then 'prose figure' else checks.scope_kind end
            || ' ' || checks.scope || coalesce(' (' || scope_labels.label_zh || ')', '')
    end as finding,
    checks.check_id,
    checks.severity,
    case when checks.passed = false then 'failed' else 'unverifiable' end as status,
    checks.scope_kind,
    checks.scope,
    case
        when checks.scope_kind = 'table' then '表' || regexp_extract(checks.scope, '(\d+)$', 1)
        else scope_labels.label_zh
    end as scope_label_zh,
    identities.table_no,
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
    checks.acknowledged_reason,
    checks.severity = 'E' and not checks.acknowledged as counted,
    -- Where the finding sorts within its report: by table, kind of scope, then template order.
    row_number() over (
        partition by checks.report_id
        order by coalesce(identities.table_no, 0), checks.scope_kind, scope_labels.sort_order, checks.scope, checks.check_id
    ) as sort_order
from checks
inner join {{ ref('identities') }} as identities using (check_id)
inner join {{ ref('dim_reports') }} as reports using (report_id)
left join {{ ref('dim_reports') }} as related on related.report_id = checks.related_report_id
left join scope_labels
    on scope_labels.scope_kind = checks.scope_kind
    and scope_labels.scope = checks.scope
where reports.is_current_version is not false
