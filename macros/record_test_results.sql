{#
    on-run-end hook: record the outcome of every dbt test of this build in the warehouse itself
    (table dbt_test_results), so that the gate's pipeline invariant dbt_tests_passed can tell that
    the warehouse it checks was built with its keys, relationships and accepted values tested,
    without asserting any of them a second time. Only `dbt build` replaces the table;
    other commands (docs generate) leave it alone.
#}
{% macro record_test_results(results) %}
    {% if execute and flags.WHICH == 'build' %}
        {% set rows = [] %}
        {% for result in results if result.node.resource_type in ('test', 'unit_test') %}
            {% set message = (result.message or '') | string | replace("'", "''") %}
            {% do rows.append(
                "('" ~ result.node.unique_id ~ "', '" ~ result.node.resource_type ~ "', '" ~ result.node.name
                ~ "', '" ~ result.status ~ "', " ~ (result.failures if result.failures is not none else 'null')
                ~ ", '" ~ message ~ "')"
            ) %}
        {% endfor %}
        {% do run_query(
            "create or replace table " ~ target.schema ~ ".dbt_test_results ("
            ~ "unique_id varchar, resource_type varchar, test_name varchar, status varchar, failures bigint, message varchar)"
        ) %}
        {% if rows %}
            {% do run_query("insert into " ~ target.schema ~ ".dbt_test_results values " ~ rows | join(", ")) %}
        {% endif %}
    {% endif %}
{% endmacro %}
