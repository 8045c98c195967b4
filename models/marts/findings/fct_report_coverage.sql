-- How far each report could be checked, defined once (the gate counts and shows it; `ogi report` too):
--   superseded  another version of the same organ's report for the year is current: not gated;
--   no_tables   a legacy (2008–2018) report: no template table to check, only its prose;
--   unverified  a report that should print the template tables but could not be checked: it could not be
--               read, its template was not recognised, or a table is missing (deleted, its heading
--               reworded) or has no readable cell;
--   checked     every template table is there with cells that could be read.
-- Hiding a table must not hide its errors: an unverified report is counted and shown, `--strict` fails on
-- it, and `--min-checked` sets the share of checked reports a release needs.
with reports as (
    select * from {{ ref('dim_reports') }}
),

tables as (
    select report_id, 'table2' as table_name, cell_state from {{ ref('stg_ogi__disclosure_cells') }}
    union all
    select report_id, 'table3', cell_state from {{ ref('stg_ogi__application_cells') }}
    union all
    select report_id, 'table4', cell_state from {{ ref('stg_ogi__review_litigation_cells') }}
),

by_table as (
    select
        report_id,
        table_name,
        bool_or(cell_state not in ('unreadable', 'not_printed')) as is_readable
    from tables
    group by report_id, table_name
),

expected as (
    select reports.report_id, table_names.table_name, by_table.is_readable
    from reports
    cross join (values ('table2'), ('table3'), ('table4')) as table_names (table_name)
    left join by_table using (report_id, table_name)
),

table_status as (
    select
        report_id,
        count(is_readable) as tables_found,
        string_agg(table_name, ', ' order by table_name) filter (where is_readable is null) as tables_missing,
        string_agg(table_name, ', ' order by table_name) filter (where not is_readable) as tables_unreadable
    from expected
    group by report_id
),

findings as (
    select
        report_id,
        count(*) as finding_checks,
        count(*) filter (where counted) as counted_e_checks
    from {{ ref('fct_findings') }}
    group by report_id
),

checks as (
    select
        report_id,
        count(*) filter (where severity = 'E') as e_checks,
        count(*) filter (where severity = 'E' and passed is not null) as e_checks_decided
    from {{ ref('fct_reconciliation_checks') }}
    group by report_id
)

select
    reports.report_id,
    reports.source_path,
    reports.template,
    reports.parse_status,
    reports.is_current_version is not false as is_gated,
    case
        when reports.is_current_version = false then 'superseded'
        when reports.parse_status = 'failed' then 'unverified'
        when reports.template = 'legacy' then 'no_tables'
        when table_status.tables_missing is not null or table_status.tables_unreadable is not null then 'unverified'
        else 'checked'
    end as coverage,
    case
        when reports.is_current_version = false then 'superseded by ' || reports.current_report_id
        when reports.parse_status = 'failed' then 'not read: ' || coalesce(reports.status_reason, 'parse failed')
        when reports.template = 'legacy' then 'legacy report: no template table, its figures from the prose'
        when reports.template is null and table_status.tables_found = 0 then 'template not recognised, no table found'
        else nullif(concat_ws('; ',
            'tables missing: ' || table_status.tables_missing,
            'tables without a readable cell: ' || table_status.tables_unreadable), '')
    end as coverage_reason,
    coalesce(checks.e_checks, 0) as e_checks,
    coalesce(checks.e_checks_decided, 0) as e_checks_decided,
    coalesce(findings.finding_checks, 0) as finding_checks,
    coalesce(findings.counted_e_checks, 0) as counted_e_checks
from reports
inner join table_status using (report_id)
left join checks using (report_id)
left join findings using (report_id)
