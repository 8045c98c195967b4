-- Requests handled by outcome group (办理结果类别), one row per report and group, for every template:
-- table 3's rows of the group for the 2019 and 2021 templates, the prose figures mapped through
-- legacy_outcome_map for legacy (2008-2018) reports and for reports whose tables are missing. This
-- is the level at which legacy years compare with later ones.
select
    groups.report_id,
    placed.report_year,
    placed.division_code,
    placed.report_scope,
    placed.template,
    placed.figure_role,
    groups.outcome_group,
    groups.value,
    groups.figure_source,
    groups.confidence
from {{ ref('int_reports__outcome_groups') }} as groups
inner join {{ ref('int_reports__placed') }} as placed using (report_id)
