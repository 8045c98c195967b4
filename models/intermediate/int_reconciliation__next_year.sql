-- Residuals of the identities that span two years of the same organ (pairs from
-- int_reports__previous_year); each check belongs to the later report:
--   T3-06 per applicant column: carried_over(N+1) = carried_forward(N)
--   T2-03 per v2019 item:       prior_year_items(N+1) = prior_year_items(N) + change(N)
--   T2-06 per v2021 item:       in_force(N) = in_force(N-1) + issued(N) - repealed(N)
-- Blank cells count as 0. An unreadable operand leaves the check undecided; an inferred one does
-- not, because an inference inside one year's table cannot have used the other year. When the organ
-- has several reports for the earlier year, the check is decided only if they all give the same
-- figure, and is otherwise undecided (`several_previous_reports`).
with pairs as (
    select * from {{ ref('int_reports__previous_year') }}
),

applications as (
    select * from {{ ref('stg_ogi__application_cells') }}
),

disclosures as (
    select * from {{ ref('stg_ogi__disclosure_cells') }}
),

t3_06 as (
    select
        pairs.report_id,
        pairs.previous_report_id,
        'T3-06' as check_id,
        later.applicant as scope,
        'applicant' as scope_kind,
        coalesce(later.value, 0) as lhs,
        coalesce(earlier.value, 0) as rhs,
        later.cell_state = 'unreadable' or earlier.cell_state = 'unreadable' as is_unreadable
    from pairs
    inner join applications as later
        on later.report_id = pairs.report_id
        and later.row_code = 'carried_over'
    inner join applications as earlier
        on earlier.report_id = pairs.previous_report_id
        and earlier.row_code = 'carried_forward'
        and earlier.applicant = later.applicant
),

t2_03 as (
    select
        pairs.report_id,
        pairs.previous_report_id,
        'T2-03' as check_id,
        later.item as scope,
        'item' as scope_kind,
        coalesce(later.value, 0) as lhs,
        coalesce(earlier.value, 0) + coalesce(change.value, 0) as rhs,
        'unreadable' in (later.cell_state, earlier.cell_state, change.cell_state) as is_unreadable
    from pairs
    inner join disclosures as later
        on later.report_id = pairs.report_id
        and later.measure = 'prior_year_items'
    inner join disclosures as earlier
        on earlier.report_id = pairs.previous_report_id
        and earlier.item = later.item
        and earlier.measure = 'prior_year_items'
    inner join disclosures as change
        on change.report_id = pairs.previous_report_id
        and change.item = later.item
        and change.measure = 'change'
),

t2_06 as (
    select
        pairs.report_id,
        pairs.previous_report_id,
        'T2-06' as check_id,
        later.item as scope,
        'item' as scope_kind,
        coalesce(later.value, 0) as lhs,
        coalesce(earlier.value, 0) + coalesce(issued.value, 0) - coalesce(repealed.value, 0) as rhs,
        'unreadable' in (later.cell_state, earlier.cell_state, issued.cell_state, repealed.cell_state) as is_unreadable
    from pairs
    inner join disclosures as later
        on later.report_id = pairs.report_id
        and later.measure = 'in_force'
    inner join disclosures as issued
        on issued.report_id = pairs.report_id
        and issued.item = later.item
        and issued.measure = 'issued'
    inner join disclosures as repealed
        on repealed.report_id = pairs.report_id
        and repealed.item = later.item
        and repealed.measure = 'repealed'
    inner join disclosures as earlier
        on earlier.report_id = pairs.previous_report_id
        and earlier.item = later.item
        and earlier.measure = 'in_force'
),

per_pair as (
    select * from t3_06
    union all
    select * from t2_03
    union all
    select * from t2_06
),

per_check as (
    -- One check per later report, whatever the number of earlier reports it was paired with.
    select
        report_id,
        check_id,
        scope,
        scope_kind,
        min(lhs) as lhs,
        min(rhs) as rhs,
        min(rhs) = max(rhs) as previous_reports_agree,
        bool_or(is_unreadable) as is_unreadable,
        min(previous_report_id) as related_report_id
    from per_pair
    group by report_id, check_id, scope, scope_kind
)

select
    report_id,
    check_id,
    scope,
    scope_kind,
    lhs,
    case when previous_reports_agree then rhs end as rhs,
    case when previous_reports_agree then lhs - rhs end as difference,
    case when is_unreadable or not previous_reports_agree then null else lhs = rhs end as passed,
    case
        when is_unreadable then 'unreadable_cell'
        when not previous_reports_agree then 'several_previous_reports'
    end as undecided_reason,
    related_report_id
from per_check
