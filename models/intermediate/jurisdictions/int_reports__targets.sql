-- Where each placed report counts (报告归属): one row per report and jurisdiction figure it enters.
-- A report counts in its own place's series (figure_kind `own`, source_level = the place's level);
-- a county's report also counts in its prefecture's and its province's rollups of county figures,
-- and a prefecture's report in its province's rollup of prefecture figures (figure_kind `rollup`).
-- A county directly under a province (省直辖县) or under a municipality has no prefecture: it enters
-- only the province's county rollup. Parents are those of the series code today, so a rollup's
-- series covers the same area in every year.
with placed as (
    select *
    from {{ ref('int_reports__placed') }}
    where figure_role not in ('not_current_version', 'unplaced', 'duplicate')
)

select report_id, report_year, series_code as division_code, series_level as source_level, 'own' as figure_kind
from placed

union all

select report_id, report_year, series_prefecture_code, series_level, 'rollup'
from placed
where series_level = 'county' and series_prefecture_code is not null

union all

select report_id, report_year, series_province_code, series_level, 'rollup'
from placed
where series_level in ('county', 'prefecture')
