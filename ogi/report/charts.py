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


# Every chart is one view as wide as the element that holds it, whatever the number of years:
# Vega-Lite's container width, the axes and legend fitted inside it.
AUTOSIZE = alt.AutoSizeParams(type="fit-x", contains="padding", resize=True)


def _configure(chart: alt.TopLevelMixin) -> dict:
    return (
        chart.properties(width="container", autosize=AUTOSIZE)
        .configure(font=FONT)
        .configure_axis(labelFontSize=12, titleFontSize=12, labelLimit=260)
        .configure_legend(labelFontSize=12, titleFontSize=12, labelLimit=360, orient="bottom", direction="vertical")
        .configure_title(fontSize=13, anchor="start")
        .configure_range(category=PALETTE)
        .to_dict()
    )


def _color(title: str, legend: bool = True) -> alt.Color:
    return alt.Color("label:N", title=title, scale=alt.Scale(domain=alt.ExprRef(CATEGORIES)),
                     legend=alt.Legend() if legend else None)


def _position(axis: str, title: str, horizontal: bool = False):
    """The years (or categories) along the chart: every one keeps its place; labels that would
    overlap in a narrow chart are left out."""
    channel = alt.Y if horizontal else alt.X
    return channel(f"{axis}:O", title=title, scale=alt.Scale(domain=alt.ExprRef(POSITIONS)),
                   axis=alt.Axis(labelAngle=0, labelOverlap="greedy") if not horizontal else alt.Axis())


def _count_axis() -> alt.Axis:
    """Counts are whole: no label between two integers (Vega 6 ignores tickMinStep here)."""
    return alt.Axis(format=",d", labelExpr="datum.value % 1 ? '' : datum.label")


def _tooltip_fields(fields: tuple[tuple[str, str, str], ...]) -> list[alt.Tooltip]:
    """(field, type, title); type `%` is a share shown as a percentage."""
    return [alt.Tooltip(f"{name}:Q", title=title, format=".1%") if kind == "%" else alt.Tooltip(f"{name}:{kind}", title=title)
            for name, kind, title in fields]


@cache
def stacked_bars(position_title: str, value_title: str, legend_title: str, *, normalize: bool = False,
                 horizontal: bool = False, legend: bool = True, tooltip: tuple[tuple[str, str, str], ...] = ()) -> dict:
    """Bars of `value` at each `position`, stacked by `label` in the categories' order; with
    `normalize`, each bar shows the shares of its total. One series of a place per chart (a place's
    own figure and its rollups are never stacked together)."""
    value = alt.X if horizontal else alt.Y
    chart = alt.Chart(alt.Data(name=DATA)).mark_bar().encode(
        _position("position", position_title, horizontal),
        value("value:Q", title=value_title, stack="normalize" if normalize else "zero",
              axis=alt.Axis(format="%") if normalize else _count_axis()),
        _color(legend_title, legend),
        alt.Order("order:Q"),
        tooltip=_tooltip_fields((("label", "N", legend_title), ("position", "O", position_title),
                                 ("value", "Q", value_title)) + tooltip),
    )
    chart = chart.properties(height=alt.Step(22)) if horizontal else chart.properties(height=220)
    return _configure(chart.add_params(*_params()))


@cache
def lines(position_title: str, value_title: str, legend_title: str, dash_title: str, *, percent: bool = False,
          tooltip: tuple[tuple[str, str, str], ...] = ()) -> dict:
    """A line per `label` (a figure) and `dash` (a measure) over the positions (years), with a point
    per figure. A line is drawn in segments (`segment`, see `segments`): never across a year without
    a figure, nor into a year the marts say is not comparable with the year before."""
    chart = alt.Chart(alt.Data(name=DATA)).mark_line(point=alt.OverlayMarkDef(size=60, filled=True)).encode(
        _position("position", position_title),
        alt.Y("value:Q", title=value_title, axis=alt.Axis(format="%") if percent else _count_axis(),
              scale=alt.Scale(zero=True)),
        _color(legend_title),
        alt.StrokeDash("dash:N", title=dash_title, sort=alt.EncodingSortField("dash_order", op="min"),
                       legend=alt.Legend(symbolType="stroke", symbolStrokeColor="#5b6675")),
        alt.Detail("segment:N"),
        tooltip=_tooltip_fields((("label", "N", legend_title), ("dash", "N", dash_title),
                                 ("position", "O", position_title), ("value", "%" if percent else "Q", value_title))
                                + tooltip),
    ).properties(height=240)
    return _configure(chart.add_params(*_params()))


@cache
def grouped_bars(position_title: str, value_title: str, legend_title: str, *, legend: bool = True,
                 tooltip: tuple[tuple[str, str, str], ...] = ()) -> dict:
    """Bars side by side (`label`) at each position."""
    chart = alt.Chart(alt.Data(name=DATA)).mark_bar().encode(
        _position("position", position_title),
        alt.XOffset("label:N", scale=alt.Scale(domain=alt.ExprRef(CATEGORIES))),
        alt.Y("value:Q", title=value_title, axis=_count_axis()),
        _color(legend_title, legend),
        tooltip=_tooltip_fields((("label", "N", legend_title), ("position", "O", position_title),
                                 ("value", "Q", value_title)) + tooltip),
    ).properties(height=180)
    return _configure(chart.add_params(*_params()))


def titled(spec: dict, title: str) -> dict:
    """A page's chart with a title of its own (which figure of the place it draws)."""
    return {**spec, "title": title}


def segments(points: list[dict], positions: list, breaks: set[tuple[str, str]]) -> list[dict]:
    """The points of a line chart, each with the `segment` of its line it belongs to: a line
    (`label`, `dash`) starts a new segment after a position without a point, and at a position in
    `breaks` ((label, position): not comparable with the year before)."""
    order = {p: i for i, p in enumerate(positions)}
    out, last = [], {}
    for point in sorted(points, key=lambda p: (str(p["label"]), str(p["dash"]), order[p["position"]])):
        line = (point["label"], point["dash"])
        previous = last.get(line)
        here = order[point["position"]]
        if previous is None:
            number = 0
        else:
            number = previous[1] + (here != previous[0] + 1 or (point["label"], point["position"]) in breaks)
        last[line] = (here, number)
        out.append({**point, "segment": f"{point['label']}|{point['dash']}|{number}"})
    return out


def with_data(template: dict, rows: list[dict], categories: list[tuple[str, str]], positions: list) -> dict:
    """The page's chart: the template with its rows, its categories ((label, colour), in legend
    order) and its positions."""
    spec = copy.deepcopy(template)
    spec["datasets"] = {DATA: rows}
    values = {CATEGORIES: [label for label, _ in categories], POSITIONS: positions}
    spec["params"] = [{**p, "value": values[p["name"]]} if p["name"] in values else p for p in spec.get("params", [])]
    _set_colors(spec, [c for _, c in categories])
    return spec


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
