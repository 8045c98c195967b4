with reports as (
    select * from {{ ref('stg_ogi__reports') }}
),

files as (
    select report_id, count(*) as source_file_count
    from {{ ref('stg_ogi__source_files') }}
    group by report_id
),

cell_counts as (
    select report_id, count(*) as table_cell_count
    from (
        select report_id from {{ ref('stg_ogi__disclosure_cells') }}
        union all
        select report_id from {{ ref('stg_ogi__application_cells') }}
        union all
        select report_id from {{ ref('stg_ogi__review_litigation_cells') }}
    )
    group by report_id
),

fact_counts as (
    select report_id, count(*) as narrative_fact_count
    from {{ ref('stg_ogi__narrative_facts') }}
    group by report_id
),

issues as (
    select
        report_id,
        count(*) filter (where severity = 'error') as parse_error_count,
        count(*) filter (where severity = 'warning') as parse_warning_count
    from {{ ref('stg_ogi__parse_issues') }}
    group by report_id
)

select
    reports.report_id,
    reports.report_year,
    reports.division_code,
    reports.jurisdiction_name,
    placed.division_name,
    placed.division_valid_in_year,
    placed.division_level as jurisdiction_level,
    placed.prefecture_code,
    placed.prefecture_name,
    placed.province_code,
    placed.province_name,
    placed.series_code,
    reports.organ_name,
    reports.report_scope,
    reports.template,
    reports.title,
    reports.parse_status,
    reports.status_reason,
    placed.figure_role,
    reports.source_path,
    reports.source_format,
    reports.encoding,
    reports.script,
    reports.published_on,
    reports.version_count,
    reports.is_current_version,
    reports.version_reason,
    reports.current_report_id,
    coalesce(files.source_file_count, 0) as source_file_count,
    coalesce(cell_counts.table_cell_count, 0) as table_cell_count,
    coalesce(fact_counts.narrative_fact_count, 0) as narrative_fact_count,
    coalesce(issues.parse_error_count, 0) as parse_error_count,
    coalesce(issues.parse_warning_count, 0) as parse_warning_count
from reports
inner join {{ ref('int_reports__placed') }} as placed using (report_id)
left join files using (report_id)
left join cell_counts using (report_id)
left join fact_counts using (report_id)
left join issues using (report_id)
