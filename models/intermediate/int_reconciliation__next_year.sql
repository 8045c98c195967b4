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

-- Each year's cells of a pair, reached through the pair first. The two years' cells are then
-- joined on the pair and the applicant or item together: joined to each other on the applicant or
-- item alone (a plan the optimizer picks when it cannot count rows in Parquet), every report's
-- cells would meet every other report's. Materialized, so that the plan cannot be reordered.
later_applications as materialized (
    select pairs.report_id, pairs.previous_report_id, cells.applicant, cells.value, cells.cell_state
    from pairs
    inner join applications as cells on cells.report_id = pairs.report_id
    where cells.row_code = 'carried_over'
),

earlier_applications as materialized (
    select pairs.report_id, pairs.previous_report_id, cells.applicant, cells.value, cells.cell_state
    from pairs
    inner join applications as cells on cells.report_id = pairs.previous_report_id
    where cells.row_code = 'carried_forward'
),

later_disclosures as materialized (
    select pairs.report_id, pairs.previous_report_id, cells.item, cells.measure, cells.value, cells.cell_state
    from pairs
    inner join disclosures as cells on cells.report_id = pairs.report_id
    where cells.measure in ('prior_year_items', 'in_force', 'issued', 'repealed')
),

earlier_disclosures as materialized (
    select pairs.report_id, pairs.previous_report_id, cells.item, cells.measure, cells.value, cells.cell_state
    from pairs
    inner join disclosures as cells on cells.report_id = pairs.previous_report_id
    where cells.measure in ('prior_year_items', 'change', 'in_force')
),

t3_06 as (
    select
        later.report_id,
        later.previous_report_id,
        'T3-06' as check_id,
        later.applicant as scope,
        'applicant' as scope_kind,
        coalesce(later.value, 0) as lhs,
        coalesce(earlier.value, 0) as rhs,
        later.cell_state = 'unreadable' or earlier.cell_state = 'unreadable' as is_unreadable
    from later_applications as later
    inner join earlier_applications as earlier using (report_id, previous_report_id, applicant)
),

t2_03 as (
    select
        later.report_id,
        later.previous_report_id,
        'T2-03' as check_id,
        later.item as scope,
        'item' as scope_kind,
        coalesce(later.value, 0) as lhs,
        coalesce(earlier.value, 0) + coalesce(change.value, 0) as rhs,
        'unreadable' in (later.cell_state, earlier.cell_state, change.cell_state) as is_unreadable
    from later_disclosures as later
    inner join earlier_disclosures as earlier using (report_id, previous_report_id, item)
    inner join earlier_disclosures as change using (report_id, previous_report_id, item)
    where later.measure = 'prior_year_items'
        and earlier.measure = 'prior_year_items'
        and change.measure = 'change'
),

t2_06 as (
    select
        later.report_id,
        later.previous_report_id,
        'T2-06' as check_id,
        later.item as scope,
        'item' as scope_kind,
        coalesce(later.value, 0) as lhs,
        coalesce(earlier.value, 0) + coalesce(issued.value, 0) - coalesce(repealed.value, 0) as rhs,
        'unreadable' in (later.cell_state, earlier.cell_state, issued.cell_state, repealed.cell_state) as is_unreadable
    from later_disclosures as later
    inner join later_disclosures as issued using (report_id, previous_report_id, item)
    inner join later_disclosures as repealed using (report_id, previous_report_id, item)
    inner join earlier_disclosures as earlier using (report_id, previous_report_id, item)
    where later.measure = 'in_force'
        and issued.measure = 'issued'
        and repealed.measure = 'repealed'
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
