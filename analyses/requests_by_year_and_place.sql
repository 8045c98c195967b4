-- How did request volumes and outcomes change by year and place? (see _analyses.yml)
select
    report_year,
    division_code,
    jurisdiction_name,
    jurisdiction_level,
    figure_basis,
    figures_source,
    new_received,
    carried_over,
    total_processed,
    carried_forward,
    granted_share,
    partially_granted_share,
    withheld_share,
    unavailable_share,
    not_processed_share,
    other_handled_share,
    yoy_comparability,
    new_received_yoy_change,
    new_received_yoy_pct
from {{ ref('fct_jurisdiction_year') }}
where figure_kind = 'own'
order by province_code, division_code, report_year
