{#-
  Incremental models keyed by report. A report id is a hash of the file's bytes, so the rows a model
  derives from one report's own rows never change: an incremental build only adds the rows of new
  reports and deletes those of reports that are gone. `ogi build` runs on a copy of the previous
  warehouse only when the dbt project (models, seeds, macros) is unchanged; otherwise it builds a
  new warehouse from scratch, so a change of logic always rebuilds everything.

  Only for models whose rows depend on nothing but their own report's rows and attributes: not for
  anything that compares reports (versions, year pairs, rollups). The models are configured in
  dbt_project.yml (materialized incremental, delete+insert on report_id, this pre-hook).
-#}

{#- The reports whose rows are not in the model yet (a predicate on `report_id`): reports are few
    next to their rows, so the difference is taken on report ids, then joined to the rows. -#}
{% macro new_reports_only(column="report_id") %}
    {%- if is_incremental() -%}
        {{ column }} in (
            select report_id from {{ ref('stg_ogi__reports') }}
            except
            select distinct report_id from {{ this }}
        )
    {%- else -%}
        true
    {%- endif -%}
{% endmacro %}

{#- Pre-hook: rows of reports that are no longer staged (their files were deleted or changed). -#}
{% macro delete_reports_gone() %}
    {%- if is_incremental() -%}
        delete from {{ this }} where report_id not in (select report_id from {{ ref('stg_ogi__reports') }})
    {%- endif -%}
{% endmacro %}
