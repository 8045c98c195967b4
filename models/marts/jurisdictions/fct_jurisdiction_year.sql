{%- set groups = ['granted', 'partially_granted', 'withheld', 'unavailable', 'not_processed', 'other_handled'] -%}
{%- set flows = ['new_received', 'carried_over', 'total_processed', 'carried_forward'] -%}
{%- set figure = "figure_role in ('summary', 'agency')" -%}
-- Requests, outcomes, review and litigation by year and jurisdiction. One row per year, series code
-- and source level: a place's own figure (its summary report, else the sum of its organs' reports)
-- and, for prefectures and provinces, the rollups of the figures of the places below them, each
-- level in its own row, never added together. See the model's docs for every rule.
with report_rows as (
    select
        targets.report_year,
        targets.division_code,
        targets.source_level,
        targets.figure_kind,
        placed.division_code as place_code,
        placed.figure_role,
        placed.template,
        measures.*
    from {{ ref('int_reports__targets') }} as targets
    inner join {{ ref('int_reports__placed') }} as placed using (report_id)
    inner join {{ ref('int_reports__measures') }} as measures using (report_id)
),

identity_status as (
    -- A report fails when one of its E-severity identities fails; it is checked when at least one
    -- of them could be decided.
    select
        report_id,
        count(*) filter (where severity = 'E' and passed is not null) > 0 as is_checked,
        count(*) filter (where severity = 'E' and not passed) > 0 as fails_identity
    from {{ ref('fct_reconciliation_checks') }}
    group by report_id
),

figures as (
    select
        report_rows.report_year,
        report_rows.division_code,
        report_rows.source_level,
        report_rows.figure_kind,
        count(distinct report_rows.place_code) filter (where {{ figure }}) as place_count,
        count(distinct report_rows.place_code) filter (where figure_role = 'summary') as summary_place_count,
        count(distinct report_rows.place_code) filter (where figure_role = 'agency') as agency_place_count,
        count(*) filter (where {{ figure }}) as figure_report_count,
        count(*) filter (where {{ figure }} and table3_source is not null) as table3_report_count,
        count(*) filter (where {{ figure }} and table4_source is not null) as table4_report_count,
        case
            when count(distinct table3_source) filter (where {{ figure }}) > 1 then 'mixed'
            else min(table3_source) filter (where {{ figure }})
        end as figures_source,
        {{ confidence_label("min(" ~ confidence_rank('prose_confidence') ~ ") filter (where " ~ figure ~ ")") }}
            as prose_confidence,
        string_agg(distinct template, ', ' order by template) filter (where {{ figure }}) as templates,
        {% for m in flows -%}
        cast(sum({{ m }}) filter (where {{ figure }}) as bigint) as {{ m }},
        {% endfor -%}
        {% for g in groups -%}
        cast(sum({{ g }}) filter (where {{ figure }} and outcome_total is not null) as bigint) as {{ g }},
        {% endfor -%}
        cast(sum(outcome_total) filter (where {{ figure }}) as bigint) as outcome_total,
        {% for kind in ['review', 'litigation'] -%}
        cast(sum({{ kind }}_total) filter (where {{ figure }}) as bigint) as {{ kind }}_total,
        cast(sum({{ kind }}_concluded) filter (where {{ figure }}) as bigint) as {{ kind }}_concluded,
        cast(sum({{ kind }}_corrected) filter (where {{ figure }} and {{ kind }}_concluded is not null) as bigint)
            as {{ kind }}_corrected,
        {% endfor -%}
        count(*) as published_report_count,
        count(*) filter (where identity_status.is_checked) as checked_report_count,
        count(*) filter (where identity_status.fails_identity) as failing_report_count
    from report_rows
    left join identity_status using (report_id)
    group by report_rows.report_year, report_rows.division_code, report_rows.source_level, report_rows.figure_kind
),

units as (
    select * from {{ ref('int_jurisdiction_year__units') }}
),

unit_counts as (
    select report_year, division_code, source_level, count(*) as unit_count
    from units
    group by report_year, division_code, source_level
),

matched as (
    -- Like for like: the units of this year's figure that were also in last year's and whose
    -- area did not change in between.
    select
        now.report_year,
        now.division_code,
        now.source_level,
        {% for m in ['new_received', 'total_processed'] -%}
        {% set both = "now." ~ m ~ " is not null and before." ~ m ~ " is not null and now.figures_source = before.figures_source" -%}
        cast(sum(now.{{ m }}) filter (where {{ both }}) as bigint) as {{ m }}_now,
        cast(sum(before.{{ m }}) filter (where {{ both }}) as bigint) as {{ m }}_before,
        {% endfor -%}
        {% for numerator, denominator in [('granted', 'outcome_total'), ('withheld', 'outcome_total'),
                                          ('review_corrected', 'review_concluded'),
                                          ('litigation_corrected', 'litigation_concluded')] -%}
        {% set both = "now." ~ denominator ~ " is not null and before." ~ denominator ~ " is not null" -%}
        {% for side in ['now', 'before'] -%}
        sum({{ side }}.{{ numerator }}) filter (where {{ both }})
            / nullif(sum({{ side }}.{{ denominator }}) filter (where {{ both }}), 0) as {{ numerator }}_rate_{{ side }},
        {% endfor -%}
        {% endfor -%}
        count(*) as matched_unit_count
    from units as now
    inner join units as before
        on before.division_code = now.division_code
        and before.source_level = now.source_level
        and before.unit_key = now.unit_key
        and before.report_year = now.report_year - 1
    where not now.area_changed_since_prior_year
        and now.covers_whole_series
        and before.covers_whole_series
    group by now.report_year, now.division_code, now.source_level
),

rates as (
    select
        figures.*,
        case
            when figures.place_count = 0 then null
            when figures.agency_place_count = 0 then 'summary'
            when figures.summary_place_count = 0 then 'agency_sum'
            else 'mixed'
        end as figure_basis,
        {% for g in groups -%}
        figures.{{ g }} / nullif(figures.outcome_total, 0) as {{ g }}_share,
        {% endfor -%}
        figures.review_corrected / nullif(figures.review_concluded, 0) as review_correction_rate,
        figures.litigation_corrected / nullif(figures.litigation_concluded, 0) as litigation_correction_rate,
        figures.failing_report_count / nullif(figures.checked_report_count, 0) as failing_report_share
    from figures
)

select
    rates.report_year,
    rates.division_code,
    {{ jurisdiction_columns() }}
    rates.source_level,
    rates.figure_kind,
    rates.figure_basis,
    rates.place_count,
    rates.summary_place_count,
    rates.agency_place_count,
    rates.figure_report_count,
    rates.table3_report_count,
    rates.table4_report_count,
    rates.figures_source,
    rates.prose_confidence,
    rates.templates,
    {% for m in flows -%}
    rates.{{ m }},
    {% endfor -%}
    {% for g in groups -%}
    rates.{{ g }},
    {% endfor -%}
    rates.outcome_total,
    {% for g in groups -%}
    rates.{{ g }}_share,
    {% endfor -%}
    rates.review_total,
    rates.review_concluded,
    rates.review_corrected,
    rates.review_correction_rate,
    rates.litigation_total,
    rates.litigation_concluded,
    rates.litigation_corrected,
    rates.litigation_correction_rate,
    rates.published_report_count,
    rates.checked_report_count,
    rates.failing_report_count,
    rates.failing_report_share,
    case
        when prior.division_code is null then 'no_prior_year'
        when coalesce(matched.matched_unit_count, 0) = 0 then 'not_comparable'
        when matched.matched_unit_count = now_units.unit_count and matched.matched_unit_count = prior_units.unit_count
            then 'comparable'
        else 'partly_comparable'
    end as yoy_comparability,
    coalesce(matched.matched_unit_count, 0) as yoy_matched_unit_count,
    {% for m in ['new_received', 'total_processed'] -%}
    matched.{{ m }}_now - matched.{{ m }}_before as {{ m }}_yoy_change,
    (matched.{{ m }}_now - matched.{{ m }}_before) / nullif(matched.{{ m }}_before, 0) as {{ m }}_yoy_pct,
    {% endfor -%}
    matched.granted_rate_now - matched.granted_rate_before as granted_share_yoy_change,
    matched.withheld_rate_now - matched.withheld_rate_before as withheld_share_yoy_change,
    matched.review_corrected_rate_now - matched.review_corrected_rate_before as review_correction_rate_yoy_change,
    matched.litigation_corrected_rate_now - matched.litigation_corrected_rate_before
        as litigation_correction_rate_yoy_change
from rates
left join {{ ref('dim_jurisdictions') }} as jurisdictions using (division_code)
left join rates as prior
    on prior.division_code = rates.division_code
    and prior.source_level = rates.source_level
    and prior.report_year = rates.report_year - 1
    and prior.place_count > 0
left join unit_counts as now_units
    on now_units.division_code = rates.division_code
    and now_units.source_level = rates.source_level
    and now_units.report_year = rates.report_year
left join unit_counts as prior_units
    on prior_units.division_code = rates.division_code
    and prior_units.source_level = rates.source_level
    and prior_units.report_year = rates.report_year - 1
left join matched
    on matched.division_code = rates.division_code
    and matched.source_level = rates.source_level
    and matched.report_year = rates.report_year
