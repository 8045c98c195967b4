-- T3-08: figures quoted in the prose (narrative_facts) equal table 3. A fact is compared only where
-- the legacy_outcome_map seed maps it with high confidence onto a table-3 row or outcome group, i.e.
-- where the prose figure means the same thing as the table's (a prose 申请 total may count new
-- requests only, or include those carried over: medium and low mappings are not compared). The
-- table's figure is the 总计 (total) column of the mapped row, or the sum over the mapped group's rows
-- when the map names a group only or the row is not in the report's template (v2021 splits
-- 其他处理 into three rows). Blank cells count as 0; an unreadable cell leaves the check undecided; an
-- inferred cell does not, since the table's arithmetic cannot have used the prose.
with facts as (
    select
        facts.report_id,
        facts.fact,
        facts.value,
        map.row_code,
        map.outcome_group
    from {{ ref('stg_ogi__narrative_facts') }} as facts
    inner join {{ ref('legacy_outcome_map') }} as map using (fact)
    where map.confidence = 'high'
        and (map.row_code is not null or map.outcome_group is not null)
),

totals as (
    select
        cells.report_id,
        cells.row_code,
        rows.outcome_group,
        coalesce(cells.value, 0) as value_or_zero,
        cells.cell_state = 'unreadable' as is_unreadable
    from {{ ref('stg_ogi__application_cells') }} as cells
    inner join {{ ref('application_rows') }} as rows using (row_code)
    where cells.applicant = 'total'
),

matched as (
    select
        facts.report_id,
        facts.fact,
        facts.value,
        count(*) filter (where totals.row_code = facts.row_code) as row_cells,
        sum(totals.value_or_zero) filter (where totals.row_code = facts.row_code) as row_figure,
        bool_or(totals.is_unreadable) filter (where totals.row_code = facts.row_code) as row_unreadable,
        sum(totals.value_or_zero) filter (where totals.outcome_group = facts.outcome_group) as group_figure,
        bool_or(totals.is_unreadable) filter (where totals.outcome_group = facts.outcome_group) as group_unreadable
    from facts
    inner join totals
        on totals.report_id = facts.report_id
        and (totals.row_code = facts.row_code or totals.outcome_group = facts.outcome_group)
    group by facts.report_id, facts.fact, facts.value
),

compared as (
    select
        report_id,
        fact,
        value as lhs,
        case when row_cells > 0 then row_figure else group_figure end as rhs,
        coalesce(case when row_cells > 0 then row_unreadable else group_unreadable end, false) as is_unreadable
    from matched
)

select
    report_id,
    'T3-08' as check_id,
    fact as scope,
    'fact' as scope_kind,
    lhs,
    rhs,
    lhs - rhs as difference,
    {{ check_verdict('lhs = rhs', 'is_unreadable') }},
    null::varchar as related_report_id
from compared
