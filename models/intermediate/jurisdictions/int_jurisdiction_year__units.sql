{%- set measures = ['new_received', 'total_processed', 'granted', 'withheld', 'outcome_total',
                    'review_corrected', 'review_concluded', 'litigation_corrected', 'litigation_concluded'] -%}
-- The units a jurisdiction figure is made of, for comparing it with the year before like for like:
-- one row per year, figure (division_code, source_level, figure_kind) and unit, where a unit is a
-- place's summary or one organ's report (int_reports__placed.unit_key). Summaries of several codes
-- merged into one series are one unit. A measure is NULL when any report of the unit lacks it.
--
-- A unit compares with the same unit a year before unless its place's area changed in between
-- (int_divisions__area_changes): a boundary change breaks every unit of the place; a merger breaks
-- an organ's unit, and a summary unit only compares when it covers every code of its series in
-- both years. Requests compare only between figures of the same source (table or prose): legacy
-- prose compares with the tables at outcome-group level only.
with figure_reports as (
    select
        targets.report_year,
        targets.division_code,
        targets.source_level,
        targets.figure_kind,
        placed.unit_key,
        placed.series_code as place_series_code,
        placed.figure_role,
        placed.division_code as place_code,
        measures.*
    from {{ ref('int_reports__targets') }} as targets
    inner join {{ ref('int_reports__placed') }} as placed using (report_id)
    inner join {{ ref('int_reports__measures') }} as measures using (report_id)
    where placed.figure_role in ('summary', 'agency')
),

series_members as (
    -- How many codes of each series were valid in each report year.
    select series.series_code, years.report_year, count(*) as member_count
    from (select distinct report_year from figure_reports) as years
    inner join {{ ref('division_records') }} as records
        on years.report_year >= records.valid_from
        and (records.valid_to is null or years.report_year < records.valid_to)
    inner join {{ ref('int_divisions__series') }} as series using (division_code)
    group by series.series_code, years.report_year
),

area_changes as (
    select
        series_code,
        change_year,
        bool_or(change_kind = 'boundary') as boundary_changed,
        bool_or(change_kind = 'merge') as merged
    from {{ ref('int_divisions__area_changes') }}
    group by series_code, change_year
),

units as (
    select
        report_year,
        division_code,
        source_level,
        figure_kind,
        unit_key,
        place_series_code,
        min(figure_role) as figure_role,
        case when count(distinct table3_source) > 1 then 'mixed' else min(table3_source) end as figures_source,
        count(distinct place_code) as place_count,
        {% for m in measures -%}
        case when count({{ m }}) = count(*) then cast(sum({{ m }}) as bigint) end as {{ m }}{{ ',' if not loop.last }}
        {% endfor %}
    from figure_reports
    group by report_year, division_code, source_level, figure_kind, unit_key, place_series_code
)

select
    units.*,
    units.figure_role = 'agency' or units.place_count = series_members.member_count as covers_whole_series,
    coalesce(area_changes.boundary_changed, false)
        or (units.figure_role = 'agency' and coalesce(area_changes.merged, false)) as area_changed_since_prior_year
from units
left join series_members
    on series_members.series_code = units.place_series_code
    and series_members.report_year = units.report_year
left join area_changes
    on area_changes.series_code = units.place_series_code
    and area_changes.change_year = units.report_year
