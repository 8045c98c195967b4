-- Table 4 (行政复议、行政诉讼) per report x proceeding x result, as printed.
select
    cells.report_id,
    reports.report_year,
    reports.division_code,
    reports.report_scope,
    reports.template,
    cells.proceeding,
    cells.result,
    cells.value,
    cells.cell_state,
    cells.raw_text,
    cells.line
from {{ ref('stg_ogi__review_litigation_cells') }} as cells
inner join {{ ref('stg_ogi__reports') }} as reports using (report_id)
where {{ new_reports_only('cells.report_id') }}
