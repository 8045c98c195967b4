{#
    The verdict columns shared by every identity residual model: `passed` and `undecided_reason`.

    `holds` is the identity as a boolean SQL expression over both sides. A check is undecided
    (passed NULL) when an operand cell is unreadable or missing (`unreadable_cell`), or, for an
    identity within one table, when an operand was inferred from that table's own arithmetic
    (`inferred_cell`): the inference may have used this very identity, so its agreement proves
    nothing. Checks across tables, years or against the prose pass `inferred` as false, because
    an inference inside one table cannot have used the other side.
#}
{% macro check_verdict(holds, unreadable, inferred='false') %}
    case when ({{ unreadable }}) or ({{ inferred }}) then null else {{ holds }} end as passed,
    case
        when {{ unreadable }} then 'unreadable_cell'
        when {{ inferred }} then 'inferred_cell'
    end as undecided_reason
{% endmacro %}
