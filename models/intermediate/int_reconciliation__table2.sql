-- Identity residuals of table 2: T2-01, new_published <= total_published per item. Only v2019
-- tables have these two measures, so no template filter is needed. Blank cells count as 0;
-- unreadable and inferred operands leave the check undecided (check_verdict macro).
with by_item as (
    select
        report_id,
        item,
        sum(coalesce(value, 0)) filter (where measure = 'new_published') as new_published,
        sum(coalesce(value, 0)) filter (where measure = 'total_published') as total_published,
        bool_or(cell_state = 'unreadable') as is_unreadable,
        bool_or(cell_state = 'inferred') as is_inferred
    from {{ ref('stg_ogi__disclosure_cells') }}
    where measure in ('new_published', 'total_published')
    group by report_id, item
)

select
    report_id,
    'T2-01' as check_id,
    item as scope,
    'item' as scope_kind,
    new_published as lhs,
    total_published as rhs,
    new_published - total_published as difference,
    {{ check_verdict('new_published <= total_published', 'is_unreadable', 'is_inferred') }},
    null::varchar as related_report_id
from by_item
