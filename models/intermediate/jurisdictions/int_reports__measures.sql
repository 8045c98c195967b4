{%- set flow_rows = ['new_received', 'carried_over', 'total_processed', 'carried_forward'] -%}
{%- set groups = ['granted', 'partially_granted', 'withheld', 'unavailable', 'not_processed', 'other'] -%}
{%- set results = ['upheld', 'corrected', 'other', 'pending', 'total'] -%}
-- One row per report with the measures the figures by jurisdiction add up: the 总计 column of
-- table 3's flow rows and outcome groups, and table 4 by result for review and for litigation (both
-- routes together). Blank and not-applicable cells count as 0; an unreadable cell makes its measure
-- NULL. A table the report does not have is read from its prose instead (legacy reports; reports
-- whose tables are missing): flow rows and outcome groups through legacy_outcome_map, review and
-- litigation totals from the review_total and litigation_total facts (no split by result there).
with table3_cells as (
    select *
    from {{ ref('stg_ogi__application_cells') }}
    where applicant = 'total'
),

table3_flows as (
    select
        report_id,
        {% for row in flow_rows -%}
        case
            when bool_or(cell_state = 'unreadable') filter (where row_code = '{{ row }}') then null
            else cast(sum(coalesce(value, 0)) filter (where row_code = '{{ row }}') as bigint)
        end as {{ row }}{{ ',' if not loop.last }}
        {% endfor %}
    from table3_cells
    group by report_id
),

prose_flows as (
    -- Flow rows quoted in the prose of reports without table 3 (the largest figure if several
    -- facts map to one row).
    select
        facts.report_id,
        {% for row in flow_rows -%}
        cast(max(facts.value) filter (where map.row_code = '{{ row }}') as bigint) as {{ row }},
        {% endfor -%}
        min({{ confidence_rank('map.confidence') }}) as confidence_rank
    from {{ ref('stg_ogi__narrative_facts') }} as facts
    inner join {{ ref('legacy_outcome_map') }} as map using (fact)
    where map.row_code in ('{{ flow_rows | join("', '") }}')
        and facts.report_id not in (select report_id from table3_flows)
    group by facts.report_id
),

outcome_groups as (
    select
        report_id,
        min(figure_source) as figure_source,
        min({{ confidence_rank('confidence') }}) as confidence_rank,
        {% for group in groups -%}
        cast(sum(value) filter (where outcome_group = '{{ group }}') as bigint) as {{ group }},
        {% endfor -%}
        count(*) filter (where value is null) as unreadable_groups
    from {{ ref('int_reports__outcome_groups') }}
    group by report_id
),

table4 as (
    select
        report_id,
        {% for kind, proceedings in [('review', ['review']), ('litigation', ['litigation_direct', 'litigation_after_review', 'litigation_unsplit'])] -%}
        {% for result in results -%}
        case
            when bool_or(cell_state = 'unreadable') filter (
                where proceeding in ('{{ proceedings | join("', '") }}') and result = '{{ result }}'
            ) then null
            else cast(sum(coalesce(value, 0)) filter (
                where proceeding in ('{{ proceedings | join("', '") }}') and result = '{{ result }}'
            ) as bigint)
        end as {{ kind }}_{{ result }},
        {% endfor -%}
        {% endfor -%}
        count(*) as cell_count
    from {{ ref('stg_ogi__review_litigation_cells') }}
    group by report_id
),

prose_table4 as (
    select
        report_id,
        cast(max(value) filter (where fact = 'review_total') as bigint) as review_total,
        cast(max(value) filter (where fact = 'litigation_total') as bigint) as litigation_total
    from {{ ref('stg_ogi__narrative_facts') }}
    where fact in ('review_total', 'litigation_total')
        and report_id not in (select report_id from table4)
    group by report_id
),

measures as (
    select
        reports.report_id,
        case
            when table3_flows.report_id is not null then 'table'
            when prose_flows.report_id is not null or outcome_groups.report_id is not null then 'prose'
        end as table3_source,
        case
            when table4.report_id is not null then 'table'
            when prose_table4.report_id is not null then 'prose'
        end as table4_source,
        {{ confidence_label('least(prose_flows.confidence_rank, outcome_groups.confidence_rank)') }} as prose_confidence,
        {% for row in flow_rows -%}
        coalesce(table3_flows.{{ row }}, prose_flows.{{ row }}) as {{ row }},
        {% endfor -%}
        -- A group the prose does not mention counts 0 once the prose gives any group.
        {% for group in groups -%}
        case when outcome_groups.figure_source = 'prose' then coalesce(outcome_groups.{{ group }}, 0) else outcome_groups.{{ group }} end
            as {{ group if group != 'other' else 'other_handled' }},
        {% endfor -%}
        case
            when outcome_groups.unreadable_groups = 0
                then {% for group in groups %}coalesce(outcome_groups.{{ group }}, 0){{ ' + ' if not loop.last }}{% endfor %}
        end as outcome_total,
        {% for kind in ['review', 'litigation'] -%}
        {% for result in results -%}
        coalesce(table4.{{ kind }}_{{ result }}{{ ', prose_table4.' ~ kind ~ '_total' if result == 'total' }}) as {{ kind }}_{{ result }},
        {% endfor -%}
        table4.{{ kind }}_upheld + table4.{{ kind }}_corrected + table4.{{ kind }}_other as {{ kind }}_concluded{{ ',' if not loop.last }}
        {% endfor %}
    from {{ ref('stg_ogi__reports') }} as reports
    left join table3_flows using (report_id)
    left join prose_flows using (report_id)
    left join outcome_groups using (report_id)
    left join table4 using (report_id)
    left join prose_table4 using (report_id)
)

select * from measures
