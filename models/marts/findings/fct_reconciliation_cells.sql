-- The printed cells and prose figures behind every identity check that did not pass (failed or
-- undecided), so that a finding can be traced to the lines of its source: the operands the residual
-- models read (macros/identities.sql), with the side and sign each enters with. For the non_negative
-- identities, only the counts that break them (negative or not an integer).
with not_passed as (
    select report_id, check_id, scope
    from {{ ref('fct_reconciliation_checks') }}
    where passed is not true
),

one_year as (
    {{ identity_operand_cells('one', only_reports='not_passed') }}
),

two_years as (
    {{ identity_operand_cells('two', only_reports='not_passed') }}
),

operand_cells as (
    select * from one_year
    union all
    select * from two_years
)

select
    operand_cells.report_id,
    operand_cells.check_id,
    operand_cells.scope,
    operand_cells.side,
    operand_cells.sign,
    operand_cells.source as source_table,
    operand_cells.row_key,
    nullif(operand_cells.column_key, '') as column_key,
    operand_cells.cell_report_id,
    operand_cells.value,
    case when operand_cells.source in ('prose', 'parse_issues') then null else operand_cells.cell_state end as cell_state,
    operand_cells.raw_text,
    operand_cells.line
from operand_cells
semi join not_passed using (report_id, check_id, scope)
inner join {{ ref('identities') }} as identities using (check_id)
where identities.test <> 'non_negative'
    or (operand_cells.cell_state = 'number' and (operand_cells.value < 0 or operand_cells.value <> round(operand_cells.value)))
