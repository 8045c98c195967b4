{#- The names of a row's jurisdiction and of the places above it, from dim_jurisdictions joined as
    `alias`: the same columns, in the same order, in every mart by year and jurisdiction. -#}
{% macro jurisdiction_columns(alias='jurisdictions') -%}
    {{ alias }}.name as jurisdiction_name,
    {{ alias }}.level as jurisdiction_level,
    {{ alias }}.prefecture_code,
    {{ alias }}.prefecture_name,
    {{ alias }}.province_code,
    {{ alias }}.province_name,
{%- endmacro %}
