-- Table 2 (主动公开政府信息情况) per report x item x measure, as printed; amounts in yuan.
select
    cells.report_id,
    reports.report_year,
    reports.division_code,
    reports.report_scope,
    reports.template,
    cells.item,
    cells.measure,
    cells.value,
    cells.cell_state,
    cells.raw_text,
    cells.line
from {{ ref('stg_ogi__disclosure_cells') }} as cells
inner join {{ ref('stg_ogi__reports') }} as reports using (report_id)
where {{ new_reports_only('cells.report_id') }}
