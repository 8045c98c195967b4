-- Outcomes from the legacy years to the template years, by outcome group (see _analyses.yml)
with own as (
    select *
    from {{ ref('fct_jurisdiction_year') }}
    where figure_kind = 'own' and outcome_total is not null
),

groups as (
    unpivot own
    on granted, partially_granted, withheld, unavailable, not_processed, other_handled
    into name outcome_group value requests
)

select
    report_year,
    source_level,
    outcome_group,
    sum(requests) as requests,
    sum(requests) / sum(sum(requests)) over (partition by report_year, source_level) as share,
    string_agg(distinct figures_source, ', ' order by figures_source) as figures_source,
    {{ confidence_label('min(' ~ confidence_rank('prose_confidence') ~ ')') }} as prose_confidence
from groups
group by report_year, source_level, outcome_group
order by report_year, source_level, outcome_group
