-- Identity residuals of table 4: per proceeding, total = upheld + corrected + other + pending
-- (T4-01 review, T4-02 litigation filed directly, T4-03 litigation after review), and the heuristic
-- T4-05 (litigation after review cannot exceed reviews). Blank cells count as 0; unreadable and
-- inferred operands leave a check undecided (check_verdict macro).
with cells as (
    select * from {{ ref('stg_ogi__review_litigation_cells') }}
),

by_proceeding as (
    select
        report_id,
        proceeding,
        sum(coalesce(value, 0)) filter (where result = 'total') as total,
        sum(coalesce(value, 0)) filter (where result <> 'total') as parts,
        count(*) filter (where result <> 'total') as part_cells,
        bool_or(cell_state = 'unreadable') as is_unreadable,
        bool_or(cell_state = 'inferred') as is_inferred
    from cells
    group by report_id, proceeding
),

per_proceeding as (
    select
        report_id,
        case proceeding
            when 'review' then 'T4-01'
            when 'litigation_direct' then 'T4-02'
            when 'litigation_after_review' then 'T4-03'
        end as check_id,
        proceeding as scope,
        'proceeding' as scope_kind,
        total as lhs,
        parts as rhs,
        total - parts as difference,
        {{ check_verdict('total = parts', 'is_unreadable', 'is_inferred') }},
        null::varchar as related_report_id
    from by_proceeding
    -- Legacy reports may give a proceeding's total alone (from the prose): nothing to add up.
    where proceeding in ('review', 'litigation_direct', 'litigation_after_review') and part_cells > 0
),

after_review_vs_review as (
    select
        after_review.report_id,
        'T4-05' as check_id,
        'litigation_after_review' as scope,
        'proceeding' as scope_kind,
        after_review.total as lhs,
        review.total as rhs,
        after_review.total - review.total as difference,
        {{ check_verdict(
            'after_review.total <= review.total',
            'after_review.is_unreadable or review.is_unreadable',
            'after_review.is_inferred or review.is_inferred'
        ) }},
        null::varchar as related_report_id
    from by_proceeding as after_review
    inner join by_proceeding as review
        on after_review.report_id = review.report_id
        and review.proceeding = 'review'
    where after_review.proceeding = 'litigation_after_review'
)

select * from per_proceeding
union all
select * from after_review_vs_review
