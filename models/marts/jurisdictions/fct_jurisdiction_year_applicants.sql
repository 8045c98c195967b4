{%- set flows = ['new_received', 'carried_over', 'total_processed', 'carried_forward'] -%}
-- Table 3's request flows by applicant column, by year and jurisdiction: the figures of
-- fct_jurisdiction_year (a place's own figure or the rollup of the places below, each level apart,
-- never added together; the same reports, figure_role `summary` or `agency`) split by who applied.
-- Only table 3 gives the split: reports whose requests come from the prose are not in it. Blank cells
-- count as 0; an unreadable cell leaves its report out of that sum. Names and levels as in
-- fct_jurisdiction_year.
with report_flows as (
    select
        report_id,
        applicant,
        {% for row in flows -%}
        case
            when bool_or(cell_state = 'unreadable') filter (where row_code = '{{ row }}') then null
            else sum(coalesce(value, 0)) filter (where row_code = '{{ row }}')
        end as {{ row }},
        {% endfor -%}
    from {{ ref('stg_ogi__application_cells') }}
    where row_code in ('{{ flows | join("', '") }}')
    group by report_id, applicant
),

counted as (
    select targets.*, report_flows.* exclude (report_id)
    from {{ ref('int_reports__targets') }} as targets
    inner join {{ ref('int_reports__placed') }} as placed using (report_id)
    inner join report_flows using (report_id)
    where placed.figure_role in ('summary', 'agency')
),

figures as (
    select
        report_year,
        division_code,
        source_level,
        figure_kind,
        applicant,
        count(*) as table3_report_count,
        {% for row in flows -%}
        cast(sum({{ row }}) as bigint) as {{ row }}{{ ',' if not loop.last }}
        {% endfor %}
    from counted
    group by report_year, division_code, source_level, figure_kind, applicant
)

select
    figures.report_year,
    figures.division_code,
    {{ jurisdiction_columns() }}
    figures.source_level,
    figures.figure_kind,
    figures.applicant,
    figures.table3_report_count,
    {% for row in flows -%}
    figures.{{ row }}{{ ',' if not loop.last }}
    {% endfor %}
from figures
left join {{ ref('dim_jurisdictions') }} as jurisdictions using (division_code)
