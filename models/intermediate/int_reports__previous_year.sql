-- The reports the cross-year identities (T3-06, T2-03, T2-06) compare: each report with the
-- report(s) of the same organ one year earlier. "Same organ" is the same `organ_key`: for a
-- jurisdiction summary (全市/全县) the division code alone, for an agency report the division code
-- and the organ's name without spaces. Reports without a year, a division code or (agency reports)
-- an organ name have no key and are never paired. When an organ has several reports for the earlier
-- year (a re-publication, a mirror copy with other bytes), every one of them is listed here; the
-- residual model decides the check only where they agree.
with keyed as (
    select
        report_id,
        report_year,
        case report_scope
            when 'jurisdiction' then 'jurisdiction:' || division_code
            when 'agency' then 'agency:' || division_code || ':' || regexp_replace(organ_name, '\s+', '', 'g')
        end as organ_key
    from {{ ref('stg_ogi__reports') }}
    where parse_status <> 'failed'
        and report_year is not null
        and division_code is not null
        and (report_scope = 'jurisdiction' or (report_scope = 'agency' and nullif(trim(organ_name), '') is not null))
)

select
    later.report_id,
    later.report_year,
    later.organ_key,
    earlier.report_id as previous_report_id,
    count(*) over (partition by later.report_id) as previous_report_count
from keyed as later
inner join keyed as earlier
    on earlier.organ_key = later.organ_key
    and earlier.report_year = later.report_year - 1
