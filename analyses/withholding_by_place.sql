-- Which places withhold most? (see _analyses.yml)
select
    report_year,
    jurisdiction_level,
    rank() over (partition by report_year, jurisdiction_level order by withheld_share desc) as withheld_rank,
    division_code,
    jurisdiction_name,
    figure_basis,
    outcome_total,
    withheld,
    withheld_share,
    unavailable_share
from {{ ref('fct_jurisdiction_year') }}
where figure_kind = 'own'
    and outcome_total >= {{ var('min_requests', 10) }}
order by report_year, jurisdiction_level, withheld_rank, division_code
