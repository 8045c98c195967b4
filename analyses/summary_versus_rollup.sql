-- Does a jurisdiction's own summary cover the places below it? (see _analyses.yml)
with own as (
    select * from {{ ref('fct_jurisdiction_year') }} where figure_kind = 'own'
),

rollups as (
    select * from {{ ref('fct_jurisdiction_year') }} where figure_kind = 'rollup'
)

select
    rollups.report_year,
    rollups.division_code,
    rollups.jurisdiction_name,
    rollups.jurisdiction_level,
    own.figure_basis as own_basis,
    own.new_received as own_new_received,
    rollups.source_level as rollup_level,
    rollups.place_count as rollup_places,
    rollups.figure_basis as rollup_basis,
    rollups.new_received as rollup_new_received,
    rollups.new_received / nullif(own.new_received, 0) as rollup_to_own_ratio
from rollups
left join own
    on own.report_year = rollups.report_year
    and own.division_code = rollups.division_code
order by rollups.report_year, rollups.division_code, rollups.source_level
