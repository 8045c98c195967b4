-- Table 3's flow rows per report x applicant, as printed: a blank cell stays NULL here.
with cells as (
    select * from {{ ref('stg_ogi__application_cells') }}
    where row_code in ('new_received', 'carried_over', 'total_processed', 'carried_forward')
),

pivoted as (
    select
        report_id,
        applicant,
        max(value) filter (where row_code = 'new_received') as new_received,
        max(value) filter (where row_code = 'carried_over') as carried_over,
        max(value) filter (where row_code = 'total_processed') as total_processed,
        max(value) filter (where row_code = 'carried_forward') as carried_forward
    from cells
    group by report_id, applicant
)

select
    pivoted.report_id,
    reports.report_year,
    reports.division_code,
    reports.report_scope,
    reports.template,
    pivoted.applicant,
    pivoted.new_received,
    pivoted.carried_over,
    pivoted.total_processed,
    pivoted.carried_forward
from pivoted
inner join {{ ref('stg_ogi__reports') }} as reports using (report_id)
