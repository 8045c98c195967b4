-- Table 2 (主动公开政府信息情况) by year and jurisdiction, with the v2019 and v2021 measures lined up
-- (disclosure_measure_alignment): a measure that means the same in both templates is one series
-- across 2020 and 2021. The same reports as fct_jurisdiction_year (a place's summary, else its organs'
-- reports; the rollups of the places below apart, never added to a place's own figure). Blank and
-- not-applicable cells count as 0; an unreadable cell leaves its report out of that sum.
with report_values as (
    select
        cells.report_id,
        reports.template,
        cells.item,
        alignment.aligned_measure as measure,
        alignment.alignment,
        cells.measure as printed_measure,
        case when cells.cell_state = 'unreadable' then null else coalesce(cells.value, 0) end as value
    from {{ ref('stg_ogi__disclosure_cells') }} as cells
    inner join {{ ref('stg_ogi__reports') }} as reports using (report_id)
    inner join {{ ref('disclosure_measure_alignment') }} as alignment
        on alignment.template = reports.template
        and alignment.measure = cells.measure
),

counted as (
    select targets.report_year, targets.division_code, targets.source_level, targets.figure_kind, report_values.*
    from {{ ref('int_reports__targets') }} as targets
    inner join {{ ref('int_reports__placed') }} as placed using (report_id)
    inner join report_values using (report_id)
    where placed.figure_role in ('summary', 'agency')
),

figures as (
    select
        report_year,
        division_code,
        source_level,
        figure_kind,
        item,
        measure,
        -- A measure's alignment is the same in both templates (the seed says it once per template).
        min(alignment) as alignment,
        string_agg(distinct template, ', ' order by template) as templates,
        string_agg(distinct printed_measure, ', ' order by printed_measure) as printed_measures,
        count(distinct report_id) as report_count,
        count(distinct report_id) filter (where value is not null) as readable_report_count,
        sum(value) as value
    from counted
    group by report_year, division_code, source_level, figure_kind, item, measure
)

select
    figures.report_year,
    figures.division_code,
    {{ jurisdiction_columns() }}
    figures.source_level,
    figures.figure_kind,
    figures.item,
    figures.measure,
    figures.alignment,
    figures.templates,
    figures.printed_measures,
    figures.report_count,
    figures.readable_report_count,
    figures.value
from figures
left join {{ ref('dim_jurisdictions') }} as jurisdictions using (division_code)
