-- Pipeline invariant: a rollup is exactly the sum of the own figures of the places one level down,
-- and nothing else (never the jurisdiction's own summary). Returns the rollups that differ.
with own as (
    select * from {{ ref('fct_jurisdiction_year') }} where figure_kind = 'own'
),

rollups as (
    select * from {{ ref('fct_jurisdiction_year') }} where figure_kind = 'rollup'
),

expected as (
    select
        rollups.report_year,
        rollups.division_code,
        rollups.source_level,
        sum(own.figure_report_count) as figure_report_count,
        sum(own.published_report_count) as published_report_count,
        sum(own.new_received) as new_received,
        sum(own.outcome_total) as outcome_total,
        sum(own.review_concluded) as review_concluded
    from rollups
    inner join own
        on own.report_year = rollups.report_year
        and own.source_level = rollups.source_level
        and rollups.division_code = case rollups.jurisdiction_level
            when 'prefecture' then own.prefecture_code
            when 'province' then own.province_code
        end
    group by rollups.report_year, rollups.division_code, rollups.source_level
)

select rollups.report_year, rollups.division_code, rollups.source_level
from rollups
left join expected using (report_year, division_code, source_level)
where expected.division_code is null
    or rollups.figure_report_count <> expected.figure_report_count
    or rollups.published_report_count <> expected.published_report_count
    or rollups.new_received is distinct from expected.new_received
    or rollups.outcome_total is distinct from expected.outcome_total
    or rollups.review_concluded is distinct from expected.review_concluded
