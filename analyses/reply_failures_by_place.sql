-- Which places fail to reply? (see _analyses.yml)
select
    report_year,
    rank() over (
        partition by report_year
        order by (not_processed + other_handled) / outcome_total desc
    ) as no_answer_rank,
    division_code,
    jurisdiction_name,
    jurisdiction_level,
    figure_basis,
    outcome_total,
    not_processed + other_handled as no_substantive_answer,
    (not_processed + other_handled) / outcome_total as no_substantive_answer_share,
    carried_forward,
    carried_forward / nullif(new_received + coalesce(carried_over, 0), 0) as carried_forward_share
from {{ ref('fct_jurisdiction_year') }}
where figure_kind = 'own'
    and outcome_total >= {{ var('min_requests', 10) }}
order by report_year, no_answer_rank, division_code
