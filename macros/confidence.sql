{#- The legacy_outcome_map confidences, ordered so that the lowest of several can be taken. -#}
{% macro confidence_rank(column) -%}
    case {{ column }} when 'high' then 3 when 'medium' then 2 when 'low' then 1 end
{%- endmacro %}

{% macro confidence_label(rank) -%}
    case {{ rank }} when 3 then 'high' when 2 then 'medium' when 1 then 'low' end
{%- endmacro %}
