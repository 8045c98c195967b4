"""Pieces of `ogi report` that need no warehouse: where a line is in each format, the years a chart
shows, a page's chart built from its template, and finding a source file by its bytes."""
import pytest

from loaders.parse import report_id_for
from ogi.report import charts
from ogi.report.labels import Labels, Label
from ogi.report.pages import series_label, year_positions
from ogi.report.sources import line_label, locate


@pytest.mark.parametrize("source_format, line, expected", [
    ("text", 419, "第419行 line 419"),
    ("markdown", 7, "第7行 line 7"),
    ("html", 88, "源码第88行 source line 88"),
    ("pdf", 3012, "第3页第12行 page 3, line 12"),
    ("docx", 57, "第57段 paragraph or table row 57"),
    ("pdf", None, "无行号 not printed (missing from the source)"),
    ("text", float("nan"), "无行号 not printed (missing from the source)"),
])
def test_a_line_is_named_in_the_words_of_its_format(source_format, line, expected):
    assert line_label(source_format, line) == expected


def test_a_year_without_figures_keeps_its_place_and_unknown_years_come_last():
    assert year_positions([2021, 2019, None, 2019]) == ["2019", "2020", "2021", "未知"]
    assert year_positions([]) == []


def test_a_pages_chart_is_its_template_with_the_pages_rows_categories_and_colours():
    template = charts.stacked_bars("年份 Year", "报告数 Reports", "模板 Template")
    rows = [{"position": "2019", "label": "2019版模板 2019 template", "order": 1, "value": 2}]
    spec = charts.with_data(template, rows, [("2019版模板 2019 template", "#123456")], ["2019", "2020"])
    assert spec["datasets"] == {"table": rows}
    assert {p["name"]: p["value"] for p in spec["params"]} == {
        "categories": ["2019版模板 2019 template"], "positions": ["2019", "2020"]}
    assert spec["encoding"]["color"]["scale"] == {"domain": {"expr": "categories"}, "range": ["#123456"]}
    assert spec["encoding"]["x"]["scale"] == {"domain": {"expr": "positions"}}
    # The template itself is shared by every page: untouched.
    assert "datasets" not in template and "range" not in template["encoding"]["color"]["scale"]


def test_colours_that_mean_something_keep_their_meaning():
    assert charts.color("parse_status", "failed", 0) == charts.color("check_coverage", "e_finding", 3)
    assert charts.color("applicant", "research", 2) == charts.PALETTE[2]


def test_a_places_own_figure_comes_before_its_rollups():
    labels = Labels({
        "figure_kind": {"own": Label("本级数字", "Own figure", 1), "rollup": Label("下级汇总", "Rollup of the places below", 2)},
        "level": {"province": Label("省级", "Province", 1), "prefecture": Label("地级", "Prefecture", 2),
                  "county": Label("县级", "County", 3)},
    })
    own, counties, prefectures = (series_label(labels, "own", "province"), series_label(labels, "rollup", "county"),
                                  series_label(labels, "rollup", "prefecture"))
    assert sorted([counties, prefectures, own], key=lambda s: s.order) == [own, prefectures, counties]
    assert str(counties) == "下级汇总（县级） Rollup of the places below (county)"


def test_a_source_is_found_only_with_the_bytes_that_were_loaded(tmp_path):
    data = "义乌市人民政府办公室2020年政府信息公开工作年度报告\n".encode()
    report_id = report_id_for(data)[0]
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "yiwu.txt").write_bytes(data)
    assert locate("reports/yiwu.txt", report_id, [tmp_path / "elsewhere", tmp_path]) == (tmp_path / "reports" / "yiwu.txt", None)
    (tmp_path / "reports" / "yiwu.txt").write_bytes(data + b"\n")
    path, problem = locate("reports/yiwu.txt", report_id, [tmp_path])
    assert path is None and "no longer holds the bytes that were loaded" in problem
    assert "was not found" in locate("reports/gone.txt", report_id, [tmp_path])[1]


def test_a_line_breaks_where_a_year_has_no_figure_or_is_not_comparable():
    """A summary's 744 in 2021 and one department's 6 in 2022 (the summary missing, the figure not
    comparable): two segments, not one line from 744 to 6; a missing year breaks a line too."""
    own, rollup = "本级数字（县级） Own figure (county)", "下级汇总（县级） Rollup (county)"
    points = [{"position": year, "label": label, "dash": "新收", "value": value}
              for label, year, value in ((own, "2020", 700), (own, "2021", 744), (own, "2022", 6), (own, "2023", 9),
                                         (rollup, "2018", 80), (rollup, "2020", 120), (rollup, "2021", 130))]
    drawn = charts.segments(points, ["2018", "2019", "2020", "2021", "2022", "2023"], {(own, "2022")})
    segment = {(p["label"], p["position"]): p["segment"] for p in drawn}
    assert segment[own, "2020"] == segment[own, "2021"] != segment[own, "2022"] == segment[own, "2023"]
    assert segment[rollup, "2018"] != segment[rollup, "2020"] == segment[rollup, "2021"]
    assert len({p["segment"] for p in drawn}) == 4


def test_every_chart_is_as_wide_as_its_container():
    for spec in (charts.stacked_bars("年份 Year", "报告数 Reports", "模板 Template"),
                 charts.stacked_bars("省份 Province", "报告数 Reports", "状态 Status", horizontal=True),
                 charts.lines("年份 Year", "申请件数 Requests", "数字 Figure", "指标 Measure"),
                 charts.grouped_bars("年份 Year", "案件数 Cases", "案件 Cases")):
        assert spec["width"] == "container" and spec["autosize"] == {"type": "fit-x", "contains": "padding", "resize": True}
        assert not {"facet", "hconcat", "vconcat", "concat"} & set(spec)  # one view: Vega-Lite sizes only those to a container
