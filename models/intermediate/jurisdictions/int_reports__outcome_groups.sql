-- Requests handled by outcome group (办理结果类别), one row per report and group, from table 3 when
-- the report has one, else from the figures quoted in its prose (legacy 2008-2018 reports, and
-- later reports whose tables are missing) through the legacy_outcome_map seed.
--
-- Table 3: the 总计 column's outcome rows of the group, blank and not-applicable cells as 0; an
-- unreadable cell makes the group NULL.
-- Prose: a fact named after its group (不同意公开N件 -> withheld) is the group's printed total and
-- replaces the group's row-level facts, which are then its breakdown (其中…); without it the
-- row-level facts are summed. Facts that map to a group but to no table-3 row (告知通过其他途径办理)
-- are never part of a printed group total and are always added. The confidence is the lowest of
-- the facts used.
with table3_reports as (
    select distinct report_id
    from {{ ref('stg_ogi__application_cells') }}
),

from_table as (
    select
        cells.report_id,
        rows.outcome_group,
        case
            when bool_or(cells.cell_state = 'unreadable') then null
            else cast(sum(coalesce(cells.value, 0)) as bigint)
        end as value,
        'table' as figure_source,
        cast(null as varchar) as confidence
    from {{ ref('stg_ogi__application_cells') }} as cells
    inner join {{ ref('application_rows') }} as rows using (row_code)
    where cells.applicant = 'total' and rows.outcome_group is not null
    group by cells.report_id, rows.outcome_group
),

prose_facts as (
    select
        facts.report_id,
        facts.fact,
        facts.value,
        map.row_code,
        map.outcome_group,
        map.confidence,
        {{ confidence_rank('map.confidence') }} as confidence_rank,
        facts.fact = map.outcome_group as is_group_total,
        bool_or(facts.fact = map.outcome_group) over (
            partition by facts.report_id, map.outcome_group
        ) as group_total_printed
    from {{ ref('stg_ogi__narrative_facts') }} as facts
    inner join {{ ref('legacy_outcome_map') }} as map using (fact)
    where map.outcome_group is not null
        and facts.report_id not in (select report_id from table3_reports)
),

used_prose_facts as (
    select *
    from prose_facts
    where is_group_total
        or row_code is null
        or not group_total_printed
),

from_prose as (
    select
        report_id,
        outcome_group,
        cast(sum(value) as bigint) as value,
        'prose' as figure_source,
        {{ confidence_label('min(confidence_rank)') }} as confidence
    from used_prose_facts
    group by report_id, outcome_group
)

select * from from_table
union all
select * from from_prose
