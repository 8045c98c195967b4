{%- set check_columns = "checks.report_id, checks.check_id, checks.scope" -%}
{%- set cell_columns = "cells.report_id as cell_report_id, cast(cells.value as double) as value, cells.cell_state, cells.raw_text, cells.line" -%}
-- The printed cells and prose figures behind every identity check that did not pass (failed or
-- undecided), so that a finding can be traced to the lines of its source. Each identity lists the
-- operands its residual model adds up (int_reconciliation__*): `side` says which side a cell is on
-- and `sign` how it enters that side (T2-06 subtracts the items repealed); T3-04 lists the negative
-- counts. Cells of last year's report (T3-06, T2-03, T2-06) carry its id in cell_report_id.
with checks as (
    select report_id, check_id, scope, related_report_id
    from {{ ref('fct_reconciliation_checks') }}
    where passed is not true
),

table3 as (
    select cells.*, rows.outcome_group
    from {{ ref('stg_ogi__application_cells') }} as cells
    inner join {{ ref('application_rows') }} as rows using (row_code)
),

table3_operands as (
    select
        {{ check_columns }},
        case
            when checks.check_id = 'T3-01' and cells.row_code in ('new_received', 'carried_over') then 'lhs'
            when checks.check_id = 'T3-02' and cells.row_code = 'total_processed' then 'lhs'
            when checks.check_id = 'T3-03' and cells.applicant = 'total' then 'lhs'
            when checks.check_id = 'T3-04' then 'lhs'
            when checks.check_id = 'T3-06' then 'lhs'
            else 'rhs'
        end as side,
        1 as sign,
        'table3' as source_table,
        cells.row_code as row_key,
        cells.applicant as column_key,
        {{ cell_columns }}
    from checks
    inner join table3 as cells
        on cells.report_id = checks.report_id
        and (
            (checks.check_id = 'T3-01' and cells.applicant = checks.scope
                and cells.row_code in ('new_received', 'carried_over', 'total_processed', 'carried_forward'))
            or (checks.check_id = 'T3-02' and cells.applicant = checks.scope
                and (cells.row_code = 'total_processed' or cells.outcome_group is not null))
            or (checks.check_id = 'T3-03' and cells.row_code = checks.scope)
            or (checks.check_id = 'T3-04' and cells.row_code = checks.scope and cells.value < 0)
            or (checks.check_id = 'T3-06' and cells.applicant = checks.scope and cells.row_code = 'carried_over')
        )
),

prose_map as (
    select fact, row_code, outcome_group
    from {{ ref('legacy_outcome_map') }}
    where confidence = 'high' and (row_code is not null or outcome_group is not null)
),

prose_operands as (
    -- T3-08: the prose figure against the 总计 column of the mapped row, or of the mapped group's rows
    -- when the report has no such row (as int_reconciliation__prose compares them).
    select
        {{ check_columns }},
        'lhs' as side,
        1 as sign,
        'prose' as source_table,
        facts.fact as row_key,
        null::varchar as column_key,
        facts.report_id as cell_report_id,
        cast(facts.value as double) as value,
        null::varchar as cell_state,
        facts.sentence as raw_text,
        facts.line
    from checks
    inner join {{ ref('stg_ogi__narrative_facts') }} as facts
        on facts.report_id = checks.report_id
        and facts.fact = checks.scope
    where checks.check_id = 'T3-08'

    union all

    select
        {{ check_columns }},
        'rhs',
        1,
        'table3',
        cells.row_code,
        cells.applicant,
        {{ cell_columns }}
    from checks
    inner join prose_map on prose_map.fact = checks.scope
    inner join table3 as cells
        on cells.report_id = checks.report_id
        and cells.applicant = 'total'
        and (
            cells.row_code = prose_map.row_code
            or (
                cells.outcome_group = prose_map.outcome_group
                and not exists (
                    select 1 from table3 as mapped_row
                    where mapped_row.report_id = checks.report_id
                        and mapped_row.applicant = 'total'
                        and mapped_row.row_code = prose_map.row_code
                )
            )
        )
    where checks.check_id = 'T3-08'
),

table4_operands as (
    select
        {{ check_columns }},
        case
            when checks.check_id = 'T4-05' and cells.proceeding = 'litigation_after_review' then 'lhs'
            when checks.check_id = 'T4-05' then 'rhs'
            when cells.result = 'total' then 'lhs'
            else 'rhs'
        end as side,
        1 as sign,
        'table4' as source_table,
        cells.proceeding as row_key,
        cells.result as column_key,
        {{ cell_columns }}
    from checks
    inner join {{ ref('stg_ogi__review_litigation_cells') }} as cells
        on cells.report_id = checks.report_id
        and (
            (checks.check_id in ('T4-01', 'T4-02', 'T4-03') and cells.proceeding = checks.scope)
            or (checks.check_id = 'T4-05' and cells.result = 'total'
                and cells.proceeding in ('litigation_after_review', 'review'))
        )
),

table2_operands as (
    select
        {{ check_columns }},
        case
            when checks.check_id = 'T2-01' and cells.measure = 'new_published' then 'lhs'
            when checks.check_id in ('T2-03', 'T2-06') and cells.measure in ('prior_year_items', 'in_force') then 'lhs'
            else 'rhs'
        end as side,
        case when cells.measure = 'repealed' then -1 else 1 end as sign,
        'table2' as source_table,
        cells.item as row_key,
        cells.measure as column_key,
        {{ cell_columns }}
    from checks
    inner join {{ ref('stg_ogi__disclosure_cells') }} as cells
        on cells.report_id = checks.report_id
        and cells.item = checks.scope
        and (
            (checks.check_id = 'T2-01' and cells.measure in ('new_published', 'total_published'))
            or (checks.check_id = 'T2-03' and cells.measure = 'prior_year_items')
            or (checks.check_id = 'T2-06' and cells.measure in ('in_force', 'issued', 'repealed'))
        )
),

last_year_operands as (
    -- The identities across two years: the cells of last year's report of the same organ, always
    -- on the right-hand side.
    select
        {{ check_columns }},
        'rhs' as side,
        1 as sign,
        'table3' as source_table,
        cells.row_code as row_key,
        cells.applicant as column_key,
        {{ cell_columns }}
    from checks
    inner join table3 as cells
        on cells.report_id = checks.related_report_id
        and cells.applicant = checks.scope
        and cells.row_code = 'carried_forward'
    where checks.check_id = 'T3-06'

    union all

    select
        {{ check_columns }},
        'rhs',
        1,
        'table2',
        cells.item,
        cells.measure,
        {{ cell_columns }}
    from checks
    inner join {{ ref('stg_ogi__disclosure_cells') }} as cells
        on cells.report_id = checks.related_report_id
        and cells.item = checks.scope
        and (
            (checks.check_id = 'T2-03' and cells.measure in ('prior_year_items', 'change'))
            or (checks.check_id = 'T2-06' and cells.measure = 'in_force')
        )
)

select * from table3_operands
union all
select * from prose_operands
union all
select * from table4_operands
union all
select * from table2_operands
union all
select * from last_year_operands
