"""The report's charts as Vega-Lite specifications, made with Altair.

Each kind of chart is built once with Altair (validated against the Vega-Lite schema) around a named
dataset, `table`; a page's chart is that specification with the page's rows as the dataset and the
page's years and categories as parameters. Building a chart object per page would cost ~30 ms each,
which a national warehouse (thousands of jurisdiction pages) cannot afford.

Every row a chart draws carries `label` (its category, bilingual) and the fields named in its
tooltip; the axis and legend titles are bilingual too. The browser draws them with the Vega
libraries shipped beside the report (assets/, written by ogi.report.render).
"""
from __future__ import annotations

import copy
from functools import cache

import altair as alt

DATA = "table"
# The categories and x positions of a page, as parameters the scales read their domain from: the
# order of categories is the seeds' order, and a year with no figure keeps its place on the axis.
CATEGORIES = "categories"
POSITIONS = "positions"
# Chinese first, then the faces a reader's system is likely to have.
FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif"
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
# Categories whose colour says something: good green, doubtful orange, bad red, unknown grey.
_GOOD, _DOUBT, _BAD, _NONE = "#2e7d32", "#ef8a17", "#c62828", "#9e9e9e"
MEANINGFUL_COLORS = {
    "parse_status": {"ok": _GOOD, "partial": _DOUBT, "failed": _BAD},
    "check_coverage": {"e_finding": _BAD, "acknowledged_only": _DOUBT, "no_e_finding": _GOOD, "not_checked": _NONE},
    "finding_status": {"failed": _BAD, "unverifiable": _DOUBT},
}


def color(domain: str, code: str, index: int) -> str:
    """A category's colour: its meaning where it has one, else by its place in its code list, so that
    the same category has the same colour on every page."""
    return MEANINGFUL_COLORS.get(domain, {}).get(code) or PALETTE[index % len(PALETTE)]


def _params() -> list[alt.Parameter]:
    return [alt.param(name=name, value=[]) for name in (CATEGORIES, POSITIONS)]


def _configure(chart: alt.TopLevelMixin) -> dict:
    return (
        chart.configure(font=FONT)
        .configure_axis(labelFontSize=12, titleFontSize=12, labelLimit=260)
        .configure_legend(labelFontSize=12, titleFontSize=12, labelLimit=360, orient="bottom", direction="vertical")
        .configure_header(labelFontSize=12, titleFontSize=12, labelLimit=400)
        .configure_range(category=PALETTE)
        .to_dict()
    )


# A facet header "中文 English gloss" on two lines.
_TWO_LINES = ("indexof(datum.label, ' ') > 0 ? [slice(datum.label, 0, indexof(datum.label, ' ')), "
              "slice(datum.label, indexof(datum.label, ' ') + 1)] : datum.label")


def _header() -> alt.Header:
    return alt.Header(labelAngle=0, labelAlign="left", labelExpr=_TWO_LINES)


def _series_row(title: str) -> alt.Row:
    """A row per figure (`series`), the place's own figure first (`series_order`)."""
    return alt.Row("series:N", title=title, header=_header(), sort=alt.EncodingSortField("series_order", op="min"))


def _column(title: str) -> alt.Column:
    """A panel per `column` (a measure or proceeding), in the order of `column_order`."""
    return alt.Column("column:N", title=title, header=alt.Header(labelExpr=_TWO_LINES),
                      sort=alt.EncodingSortField("column_order", op="min"))


def _color(title: str) -> alt.Color:
    return alt.Color("label:N", title=title, scale=alt.Scale(domain=alt.ExprRef(CATEGORIES)))


def _position(axis: str, title: str, horizontal: bool = False):
    channel = alt.Y if horizontal else alt.X
    return channel(f"{axis}:O", title=title, scale=alt.Scale(domain=alt.ExprRef(POSITIONS)),
                   axis=alt.Axis(labelAngle=0) if not horizontal else alt.Axis())


def _count_axis() -> alt.Axis:
    """Counts are whole: no label between two integers (Vega 6 ignores tickMinStep here)."""
    return alt.Axis(format=",d", labelExpr="datum.value % 1 ? '' : datum.label")


def _tooltip_fields(fields: tuple[tuple[str, str, str], ...]) -> list[alt.Tooltip]:
    """(field, type, title); type `%` is a share shown as a percentage."""
    return [alt.Tooltip(f"{name}:Q", title=title, format=".1%") if kind == "%" else alt.Tooltip(f"{name}:{kind}", title=title)
            for name, kind, title in fields]


@cache
def stacked_bars(position_title: str, value_title: str, legend_title: str, *, normalize: bool = False,
                 horizontal: bool = False, facet_title: str | None = None,
                 tooltip: tuple[tuple[str, str, str], ...] = ()) -> dict:
    """Bars of `value` at each `position`, stacked by `label` in the categories' order; with
    `normalize`, each bar shows the shares of its total. Faceted into a row per `series` when
    `facet_title` is given (a place's own figure and its rollups are never stacked together)."""
    value = alt.X if horizontal else alt.Y
    base = alt.Chart(alt.Data(name=DATA)).mark_bar().encode(
        _position("position", position_title, horizontal),
        value("value:Q", title=value_title, stack="normalize" if normalize else "zero",
              axis=alt.Axis(format="%") if normalize else _count_axis()),
        _color(legend_title),
        alt.Order("order:Q"),
        tooltip=_tooltip_fields((("label", "N", legend_title), ("position", "O", position_title),
                                 ("value", "Q", value_title)) + tooltip),
    )
    if horizontal:
        chart = base.properties(width=520, height=alt.Step(22))
    else:
        chart = base.properties(width=alt.Step(56), height=220)
    if facet_title:
        chart = chart.facet(row=_series_row(facet_title))
    return _configure(chart.add_params(*_params()))


@cache
def lines(position_title: str, value_title: str, legend_title: str, column_title: str, *, percent: bool = False,
          tooltip: tuple[tuple[str, str, str], ...] = ()) -> dict:
    """A line per `label` over the positions (years), with a point per figure, in a panel per
    `column` (a measure), side by side; a row whose value is NULL breaks the line (see `with_gaps`)."""
    chart = alt.Chart(alt.Data(name=DATA)).mark_line(point=alt.OverlayMarkDef(size=60, filled=True)).encode(
        _position("position", position_title),
        alt.Y("value:Q", title=value_title, axis=alt.Axis(format="%") if percent else _count_axis(),
              scale=alt.Scale(zero=True)),
        _color(legend_title),
        tooltip=_tooltip_fields((("label", "N", legend_title), ("column", "N", column_title),
                                 ("position", "O", position_title), ("value", "%" if percent else "Q", value_title))
                                + tooltip),
    ).properties(width=alt.Step(70), height=240).facet(column=_column(column_title))
    return _configure(chart.add_params(*_params()))


@cache
def grouped_bars(position_title: str, value_title: str, legend_title: str, column_title: str,
                 facet_title: str) -> dict:
    """Bars side by side (`label`) at each position, a column per `column` and a row per `series`."""
    chart = alt.Chart(alt.Data(name=DATA)).mark_bar().encode(
        _position("position", position_title),
        alt.XOffset("label:N", scale=alt.Scale(domain=alt.ExprRef(CATEGORIES))),
        alt.Y("value:Q", title=value_title, axis=_count_axis()),
        _color(legend_title),
        tooltip=_tooltip_fields((("series", "N", facet_title), ("column", "N", column_title),
                                 ("label", "N", legend_title), ("position", "O", position_title),
                                 ("value", "Q", value_title))),
    ).properties(width=alt.Step(80, **{"for": "position"}), height=180).facet(
        column=_column(column_title),
        row=_series_row(facet_title),
    )
    return _configure(chart.add_params(*_params()))


def with_data(template: dict, rows: list[dict], categories: list[tuple[str, str]], positions: list) -> dict:
    """The page's chart: the template with its rows, its categories ((label, colour), in legend
    order) and its positions."""
    spec = copy.deepcopy(template)
    spec["datasets"] = {DATA: rows}
    values = {CATEGORIES: [label for label, _ in categories], POSITIONS: positions}
    spec["params"] = [{**p, "value": values[p["name"]]} if p["name"] in values else p for p in spec.get("params", [])]
    _set_colors(spec, [c for _, c in categories])
    return spec


def with_gaps(rows: list[dict], positions: list) -> list[dict]:
    """Line rows plus a NULL row for each position a line has no figure at, so that the line breaks
    there instead of joining the years on either side."""
    present = {(r["label"], r["column"], r["position"]) for r in rows}
    drawn = {(r["label"], r["column"], r["column_order"]) for r in rows}
    return rows + [{"position": p, "label": label, "column": column, "column_order": order, "value": None}
                   for label, column, order in sorted(drawn, key=str) for p in positions if (label, column, p) not in present]


def _set_colors(node, colors: list[str]) -> None:
    """Give the colour scale (the one whose domain is the categories) its range: the schema does not
    let a range be a parameter."""
    if isinstance(node, dict):
        if "color" in node and isinstance(node["color"], dict) and node["color"].get("scale", {}).get("domain") == {"expr": CATEGORIES}:
            node["color"]["scale"]["range"] = colors
        for value in node.values():
            _set_colors(value, colors)
    elif isinstance(node, list):
        for value in node:
            _set_colors(value, colors)
