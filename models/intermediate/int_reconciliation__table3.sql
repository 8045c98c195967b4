-- Identity residuals of table 3 (spec section 6). lhs/rhs are the two sides as printed, with blank
-- cells counted as 0; `passed` is NULL when an unreadable or inferred operand makes the check
-- undecidable (see the check_verdict macro).
with by_applicant as (
    select * from {{ ref('int_applications__by_applicant') }}
),

cells as (
    select * from {{ ref('stg_ogi__application_cells') }}
),

t3_01 as (
    select
        report_id,
        'T3-01' as check_id,
        applicant as scope,
        'applicant' as scope_kind,
        new_received + carried_over as lhs,
        total_processed + carried_forward as rhs,
        unreadable_flow_cells > 0 as is_unreadable,
        inferred_flow_cells > 0 as is_inferred
    from by_applicant
),

t3_02 as (
    select
        report_id,
        'T3-02' as check_id,
        applicant as scope,
        'applicant' as scope_kind,
        total_processed as lhs,
        outcomes_sum as rhs,
        unreadable_outcome_cells > 0 as is_unreadable,
        inferred_outcome_cells > 0 as is_inferred
    from by_applicant
),

t3_03 as (
    select
        report_id,
        'T3-03' as check_id,
        row_code as scope,
        'row' as scope_kind,
        sum(coalesce(value, 0)) filter (where applicant = 'total') as lhs,
        sum(coalesce(value, 0)) filter (where applicant <> 'total') as rhs,
        bool_or(cell_state = 'unreadable') as is_unreadable,
        bool_or(cell_state = 'inferred') as is_inferred
    from cells
    group by report_id, row_code
    -- A row the report did not print (the other form of the 其他处理 group) has nothing to add up.
    having not bool_and(cell_state = 'not_printed')
),

equalities as (
    select * from t3_01
    union all
    select * from t3_02
    union all
    select * from t3_03
),

t3_04 as (
    -- Every count printed is an integer >= 0: lhs is the smallest count printed in the row. Counts are
    -- integers by type; a printed non-integer is made unreadable by the loader (parse issue
    -- count_not_integer), which leaves T3-01..T3-03 of its row and column undecided.
    select
        report_id,
        'T3-04' as check_id,
        row_code as scope,
        'row' as scope_kind,
        min(value) filter (where cell_state = 'number') as lhs,
        0 as rhs
    from cells
    group by report_id, row_code
)

select
    report_id,
    check_id,
    scope,
    scope_kind,
    lhs,
    rhs,
    lhs - rhs as difference,
    {{ check_verdict('lhs = rhs', 'is_unreadable', 'is_inferred') }},
    null::varchar as related_report_id
from equalities

union all

select
    report_id,
    check_id,
    scope,
    scope_kind,
    lhs,
    rhs,
    lhs - rhs as difference,
    coalesce(lhs >= rhs, true) as passed,
    null::varchar as undecided_reason,
    null::varchar as related_report_id
from t3_04
