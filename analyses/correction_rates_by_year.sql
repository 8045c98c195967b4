-- How often are agencies corrected in review and in litigation? (see _analyses.yml)
select
    report_year,
    source_level,
    count(*) as places,
    sum(review_total) as reviews,
    sum(review_concluded) as reviews_concluded,
    sum(review_corrected) as reviews_corrected,
    sum(review_corrected) / nullif(sum(review_concluded), 0) as review_correction_rate,
    sum(litigation_total) as lawsuits,
    sum(litigation_concluded) as lawsuits_concluded,
    sum(litigation_corrected) as lawsuits_corrected,
    sum(litigation_corrected) / nullif(sum(litigation_concluded), 0) as litigation_correction_rate
from {{ ref('fct_jurisdiction_year') }}
where figure_kind = 'own'
group by report_year, source_level
order by report_year, source_level
