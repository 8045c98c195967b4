"""Table 3 in layouts the samples do not have, rendered from the template: the parser follows the
template's structure, not one file's quirks."""
from loaders.parse import parse_report

HEADER = ["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人", "法人或其他组织", "总计",
          "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
GROUPS = {"granted": "三、本年度办理结果", "withheld_state_secret": "（三）不予公开",
          "unavailable_not_held": "（四）无法提供", "not_processed_complaint": "（五）不予处理"}
TITLE = "2020年缙云县人民政府政府信息公开工作年度报告"


def figures(registry):
    """A consistent v2019 table: row -> seven cells (None for an empty cell)."""
    rows = {r.row_code: [None] * 7 for r in registry.rows_for("v2019")}
    rows["new_received"] = [10, 2, None, None, 1, None, 13]
    rows["carried_over"] = [1, None, None, None, None, None, 1]
    rows["granted"] = [6, 1, None, None, None, None, 7]
    rows["unavailable_not_held"] = [4, 1, None, None, 1, None, 6]
    rows["total_processed"] = [10, 2, None, None, 1, None, 13]
    rows["carried_forward"] = [1, None, None, None, None, None, 1]
    return rows


def labels(registry):
    return {r.row_code: r.label_zh for r in registry.rows_for("v2019")}


def render(registry, row_lines):
    lines = [TITLE, ""] + HEADER
    names = labels(registry)
    for code, cells in figures(registry).items():
        if code in GROUPS:
            lines.append(GROUPS[code])
        lines.extend(row_lines(names[code], cells))
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    return "\n".join(lines).encode("utf-8")


def parsed_cells(registry, data):
    parsed = parse_report(data, "layout.txt", registry)
    return parsed, {(c["row_code"], c["applicant"]): (c["value"], c["cell_state"]) for c in parsed.application_cells}


def assert_figures(registry, cells):
    applicants = registry.applicants
    for code, values in figures(registry).items():
        for applicant, value in zip(applicants, values):
            assert cells[code, applicant] == (value, "number" if value is not None else "blank"), (code, applicant)


def test_plain_one_cell_per_line(registry):
    data = render(registry, lambda label, cells: [label] + ["" if v is None else str(v) for v in cells])
    parsed, cells = parsed_cells(registry, data)
    assert_figures(registry, cells)
    assert not [i for i in parsed.parse_issues if i["severity"] == "error"]


def test_separated_one_cell_per_line(registry):
    def row(label, cells):
        out = [label, ""]
        for v in cells:
            out += [""] if v is None else [str(v), ""]
        return out

    _, cells = parsed_cells(registry, render(registry, row))
    assert_figures(registry, cells)


def test_tab_separated_rows(registry):
    data = render(registry, lambda label, cells: ["\t".join([label] + ["" if v is None else str(v) for v in cells])])
    _, cells = parsed_cells(registry, data)
    assert_figures(registry, cells)


def test_pipe_table_with_stray_header_row(registry):
    def row(label, cells):
        out = ["| " + " | ".join([label] + ["" if v is None else f" {v} " for v in cells]) + " |"]
        if label.startswith("予以公开"):
            out.append("|---|---|---|---|---|---|---|---|")
        return out

    _, cells = parsed_cells(registry, render(registry, row))
    assert_figures(registry, cells)


def test_missing_empty_cells_are_placed_by_the_arithmetic(registry):
    """One cell per line, where one row's empty cells are simply missing: no layout places them, so the
    row is read like a row whose separators were lost. Only one placement satisfies T3-01/T3-02 in
    every column, so its cells are recovered, marked inferred, and the report says so."""
    def row(label, cells):
        printed = [str(v) for v in cells if v is not None]
        if label == "予以公开":
            return [label] + printed  # two values, no trace of the five empty cells
        return [label] + ["" if v is None else str(v) for v in cells]

    parsed, cells = parsed_cells(registry, render(registry, row))
    granted = figures(registry)["granted"]
    assert [cells["granted", a] for a in registry.applicants] == [(v, "inferred") for v in granted]
    issue = next(i for i in parsed.parse_issues if i["code"] == "separators_recovered")
    assert "granted" in issue["message"] and "6 | 1 | (empty) | (empty) | (empty) | (empty) | 7" in issue["message"]
    assert not [i for i in parsed.parse_issues if i["code"] == "cells_not_placeable"]
    assert cells["new_received", "total"] == (13, "number")


def test_labels_cut_short_or_misprinted(registry):
    """A narrow column cut every long label to its first eight characters, and one label has a
    printing slip (己 for 已): the rows still land where the template puts them."""
    def row(label, cells):
        printed = label.replace("已获取", "己获取") if "已获取" in label else label[:8]
        return ["\t".join([printed] + ["" if v is None else str(v) for v in cells])]

    data = render(registry, row)
    assert "本年新收政府信息\t" in data.decode() and "出具己获取信息\t" in data.decode()
    parsed, cells = parsed_cells(registry, data)
    assert_figures(registry, cells)
    assert not [i for i in parsed.parse_issues if i["severity"] == "error"]
