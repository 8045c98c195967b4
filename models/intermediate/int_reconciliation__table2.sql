-- Identity residuals of table 2: T2-01, new_published <= total_published per item. Only v2019
-- tables have these two measures, so no template filter is needed.
with by_item as (
    select
        report_id,
        item,
        sum(coalesce(value, 0)) filter (where measure = 'new_published') as new_published,
        sum(coalesce(value, 0)) filter (where measure = 'total_published') as total_published,
        bool_or(cell_state = 'unreadable') as undecidable
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
    case when undecidable then null else new_published <= total_published end as passed
from by_item
