-- Every report placed in space and time: the division record valid in the report's year (name and
-- parents as they were then), the series its figures belong to, and the role it plays in the
-- figures by jurisdiction (figure_role):
--   summary             the place's own summary report (全市/全县): it is the place's figure;
--   agency              one organ's report, summed into the place's figure because the place has
--                       no readable summary for the year;
--   covered_by_summary  an organ's report of a place whose summary is counted instead: adding it
--                       would count its requests twice;
--   duplicate           another copy of the same organ's report for the same year is counted;
--   unreadable          the report could not be parsed (a failed summary leaves the place to its
--                       agencies' reports);
--   scope_unknown       neither a summary nor an organ's report could be told;
--   not_current_version superseded by another version of the same organ's report (the loader's
--                       is_current_version, see dim_reports.version_reason);
--   unplaced            no year or no division code.
with reports as (
    select * from {{ ref('stg_ogi__reports') }}
),

periods as (
    select * from {{ ref('int_divisions__periods') }}
),

placed as (
    select
        reports.report_id,
        reports.report_year,
        reports.division_code,
        reports.report_scope,
        reports.organ_name,
        reports.template,
        reports.parse_status,
        reports.is_current_version,
        in_year.division_code is not null as division_valid_in_year,
        -- The record valid in the year, else the code's latest one (whole records, never mixed).
        {% for column, alias in [('name', 'division_name'), ('level', 'division_level'),
                                 ('prefecture_code', 'prefecture_code'), ('prefecture_name', 'prefecture_name'),
                                 ('province_code', 'province_code'), ('province_name', 'province_name')] -%}
        case when in_year.division_code is not null then in_year.{{ column }} else latest.{{ column }} end as {{ alias }},
        {% endfor -%}
        series.series_code,
        series.series_level,
        series.series_prefecture_code,
        series.series_province_code,
        case
            when not reports.is_current_version then 'not_current_version'
            when reports.report_year is null or series.series_code is null then 'unplaced'
            when reports.parse_status = 'failed' then 'unreadable'
            when reports.report_scope is null then 'scope_unknown'
        end as excluded_as
    from reports
    left join periods as in_year
        on in_year.division_code = reports.division_code
        and reports.report_year >= in_year.valid_from
        and (in_year.valid_to is null or reports.report_year < in_year.valid_to)
    left join periods as latest
        on latest.division_code = reports.division_code
        and latest.is_latest
    left join {{ ref('int_divisions__series') }} as series on series.division_code = reports.division_code
),

ranked as (
    select
        *,
        -- Copies of one organ's report for one year: the best-parsed one counts.
        row_number() over (
            partition by
                excluded_as is null,
                report_year,
                division_code,
                report_scope,
                case when report_scope = 'agency' then coalesce(organ_name, report_id) end
            order by case parse_status when 'ok' then 0 else 1 end, report_id
        ) as copy_rank,
        bool_or(report_scope = 'jurisdiction' and excluded_as is null) over (
            partition by report_year, division_code
        ) as place_has_summary
    from placed
)

select
    report_id,
    report_year,
    division_code,
    report_scope,
    organ_name,
    template,
    parse_status,
    is_current_version,
    division_valid_in_year,
    division_name,
    division_level,
    prefecture_code,
    prefecture_name,
    province_code,
    province_name,
    series_code,
    series_level,
    series_prefecture_code,
    series_province_code,
    case
        when excluded_as is not null then excluded_as
        when copy_rank > 1 then 'duplicate'
        when report_scope = 'jurisdiction' then 'summary'
        when place_has_summary then 'covered_by_summary'
        else 'agency'
    end as figure_role,
    -- What a figure is made of, comparable from year to year: the place's summary, or one organ.
    case
        when excluded_as is not null or copy_rank > 1 then null
        when report_scope = 'jurisdiction' then series_code || ' summary'
        else series_code || ' agency ' || coalesce(organ_name, report_id)
    end as unit_key
from ranked
