-- Table 3 re-grained to one row per report x applicant column, with the four flow rows and the sum of
-- the outcome rows. Blank and not-applicable cells count as 0 in these sums (see the docs); the
-- unreadable and inferred counts let the identity models leave a check undecided instead of guessing.
with cells as (
    select
        cells.report_id,
        cells.row_code,
        cells.applicant,
        coalesce(cells.value, 0) as value_or_zero,
        cells.cell_state = 'unreadable' as is_unreadable,
        cells.cell_state = 'inferred' as is_inferred,
        rows.outcome_group is not null as is_outcome
    from {{ ref('stg_ogi__application_cells') }} as cells
    inner join {{ ref('application_rows') }} as rows using (row_code)
)

select
    report_id,
    applicant,
    sum(value_or_zero) filter (where row_code = 'new_received') as new_received,
    sum(value_or_zero) filter (where row_code = 'carried_over') as carried_over,
    sum(value_or_zero) filter (where row_code = 'total_processed') as total_processed,
    sum(value_or_zero) filter (where row_code = 'carried_forward') as carried_forward,
    coalesce(sum(value_or_zero) filter (where is_outcome), 0) as outcomes_sum,
    count(*) filter (
        where is_unreadable and row_code in ('new_received', 'carried_over', 'total_processed', 'carried_forward')
    ) as unreadable_flow_cells,
    count(*) filter (where is_unreadable and (is_outcome or row_code = 'total_processed')) as unreadable_outcome_cells,
    count(*) filter (
        where is_inferred and row_code in ('new_received', 'carried_over', 'total_processed', 'carried_forward')
    ) as inferred_flow_cells,
    count(*) filter (where is_inferred and (is_outcome or row_code = 'total_processed')) as inferred_outcome_cells
from cells
group by report_id, applicant
