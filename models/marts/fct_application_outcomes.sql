-- Table 3's outcome rows (三、本年度办理结果) per report x applicant x row, with the outcome group.
select
    cells.report_id,
    reports.report_year,
    reports.division_code,
    reports.report_scope,
    reports.template,
    cells.applicant,
    cells.row_code,
    rows.outcome_group,
    cells.value,
    cells.cell_state,
    cells.raw_text,
    cells.line
from {{ ref('stg_ogi__application_cells') }} as cells
inner join {{ ref('application_rows') }} as rows using (row_code)
inner join {{ ref('stg_ogi__reports') }} as reports using (report_id)
where rows.outcome_group is not null and {{ new_reports_only('cells.report_id') }}
