{%- set groups = ['granted', 'partially_granted', 'withheld', 'unavailable', 'not_processed', 'other_handled'] -%}
{%- set counts = ['new_received', 'carried_over', 'total_processed', 'carried_forward'] + groups
    + ['outcome_total', 'review_total', 'review_concluded', 'review_corrected', 'litigation_total',
       'litigation_concluded', 'litigation_corrected'] -%}
{%- set report_counts = ['place_count', 'summary_place_count', 'agency_place_count', 'figure_report_count',
                         'table3_report_count', 'table4_report_count', 'published_report_count'] -%}
{%- set levels = ['province', 'prefecture', 'county'] -%}
-- A province's total over all its levels, and the nation's (全省合计, 全国合计): the figures of every
-- government body of the area, each counted once. It adds the rows of fct_jurisdiction_year that the
-- docs say never to add by hand, in the one way that counts no organ twice: the province's own
-- figure, the own figures of its prefectures and the own figures of its counties. A place's own figure
-- is its summary (the 本级政府 and its departments) or, without one, its organs' reports; no summary
-- is added to its organs, and a place below is in the rollup of its level only. See the model's docs.
with levels as (
    select
        *,
        case source_level when 'province' then 1 when 'prefecture' then 2 else 3 end as level_order,
        source_level || ' ' || place_count || (case when place_count = 1 then ' place' else ' places' end)
            || coalesce(' (' || nullif(concat_ws(', ',
                case when summary_place_count > 0 then summary_place_count || ' by summary' end,
                case when agency_place_count > 0 then agency_place_count || ' by organs'' reports' end
            ), '') || ')', '') as made_of_level
    from {{ ref('fct_jurisdiction_year') }}
    where jurisdiction_level = 'province'
),

provinces as (
    select
        report_year,
        'province' as area,
        division_code as province_code,
        any_value(jurisdiction_name) as province_name,
        string_agg(source_level, ', ' order by level_order) as levels_added,
        string_agg(made_of_level, '; ' order by level_order) as made_of,
        {% for level in levels -%}
        coalesce(sum(place_count) filter (where source_level = '{{ level }}'), 0) as {{ level }}_place_count,
        {% endfor -%}
        {% for c in report_counts -%}
        cast(sum({{ c }}) as bigint) as {{ c }},
        {% endfor -%}
        {% for m in ['new_received', 'total_processed'] -%}
        {% for level in levels -%}
        cast(sum({{ m }}) filter (where source_level = '{{ level }}') as bigint) as {{ m }}_{{ level }}_level,
        {% endfor -%}
        {% endfor -%}
        {% for m in counts -%}
        cast(sum({{ m }}) as bigint) as {{ m }}{{ ',' if not loop.last }}
        {% endfor %}
    from levels
    group by report_year, division_code
),

national as (
    select
        report_year,
        'national' as area,
        null as province_code,
        '全国' as province_name,
        concat_ws(', ', {% for level in levels %}case when sum({{ level }}_place_count) > 0 then '{{ level }}' end{{ ', ' if not loop.last }}{% endfor %})
            as levels_added,
        count(*) || (case when count(*) = 1 then ' province' else ' provinces' end) as made_of,
        {% for level in levels -%}
        sum({{ level }}_place_count) as {{ level }}_place_count,
        {% endfor -%}
        {% for c in report_counts -%}
        cast(sum({{ c }}) as bigint) as {{ c }},
        {% endfor -%}
        {% for m in ['new_received', 'total_processed'] -%}
        {% for level in levels -%}
        cast(sum({{ m }}_{{ level }}_level) as bigint) as {{ m }}_{{ level }}_level,
        {% endfor -%}
        {% endfor -%}
        {% for m in counts -%}
        cast(sum({{ m }}) as bigint) as {{ m }}{{ ',' if not loop.last }}
        {% endfor %}
    from provinces
    group by report_year
),

totals as (
    select * from provinces
    union all by name
    select * from national
)

select
    totals.*,
    {% for g in groups -%}
    {{ g }} / nullif(outcome_total, 0) as {{ g }}_share,
    {% endfor -%}
    review_corrected / nullif(review_concluded, 0) as review_correction_rate,
    litigation_corrected / nullif(litigation_concluded, 0) as litigation_correction_rate
from totals
