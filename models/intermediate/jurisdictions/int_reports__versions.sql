-- Which reports are the current version (现行版本) of what an organ published for a year. A report can
-- be printed twice with different bytes (republished with corrections, mirrored with changes): only
-- the current version counts in the figures by jurisdiction. Until versions are told apart every
-- report is current; int_reports__placed still counts one report per organ, place and year.
select
    report_id,
    true as is_current_version
from {{ ref('stg_ogi__reports') }}
