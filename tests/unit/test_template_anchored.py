"""Tables read against the template's ordered labels, in the six classes of layouts that real reports
showed (issue: "Read real reports as they are published"). Every report here is rendered from the
template's own labels (the seeds) with figures of our own, in a layout written for the test: unknown
text between rows, a whole report on one line, Taiwan vocabulary, legacy tables and prose, a later
report on the 2019 table 3, and one unreadable cell among one-cell-per-line figures."""
import csv

import pytest

from loaders.parse import parse_report
from loaders.registry import DEFAULT_SEEDS_DIR

TITLE = "青田县住房和城乡建设局{year}年政府信息公开工作年度报告"
PERIOD = "本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
GROUPS = {"granted": "三、本年度办理结果", "withheld_state_secret": "（三）不予公开", "unavailable_not_held": "（四）无法提供",
          "not_processed_complaint": "（五）不予处理", "other_overdue_correction": "（六）其他处理"}
NUMBERS = {"new_received": "一、", "carried_over": "二、", "granted": "（一）", "partially_granted": "（二）",
           "total_processed": "（七）", "carried_forward": "四、", "other_handling": "（六）"}
SUBROWS = ("withheld_", "unavailable_", "not_processed_", "other_overdue", "other_unpaid", "other_other")
TABLE4_HEADINGS = ["四、政府信息公开行政复议、行政诉讼情况", "行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结",
                   "总计", "未经复议直接起诉", "复议后起诉"] + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2
TABLE4 = [3, 1, 0, 1, 5, 2, 0, 0, 1, 3, 1, 0, 0, 0, 1]


def figures(registry, template="v2021"):
    """A consistent table 3 (T3-01, T3-02, T3-03 hold), multi-digit figures and zeros."""
    rows = {r.row_code: [0] * 6 for r in registry.rows_for(template)}
    rows["granted"] = [42, 3, 0, 0, 1, 0]
    rows["partially_granted"] = [7, 0, 0, 0, 0, 0]
    rows["withheld_prohibited_by_law"] = [2, 1, 0, 0, 0, 0]
    rows["unavailable_not_held"] = [15, 2, 1, 0, 0, 1]
    rows["not_processed_repeat"] = [3, 0, 0, 0, 0, 0]
    other = "other_overdue_correction" if template == "v2021" else "other_handling"
    rows[other] = [4, 1, 0, 0, 0, 0]
    outcomes = [r.row_code for r in registry.rows_for(template) if r.outcome_group]
    rows["total_processed"] = [sum(rows[c][j] for c in outcomes) for j in range(6)]
    rows["carried_over"] = [5, 0, 0, 0, 0, 0]
    rows["carried_forward"] = [6, 1, 0, 0, 0, 0]
    rows["new_received"] = [rows["total_processed"][j] + rows["carried_forward"][j] - rows["carried_over"][j] for j in range(6)]
    return {code: values + [sum(values)] for code, values in rows.items()}


def numbered_labels(registry, template="v2021"):
    """row_code -> label as printed, with the template's numbering (1. … for sub-rows)."""
    out, sub = {}, 0
    for r in registry.rows_for(template):
        if r.row_code in GROUPS:
            sub = 0
        if r.row_code.startswith(SUBROWS):
            sub += 1
            out[r.row_code] = f"{sub}.{r.label_zh}"
        else:
            out[r.row_code] = NUMBERS.get(r.row_code, "") + r.label_zh
    return out


def table3_lines(registry, row, template="v2021", figs=None, labels=None):
    """Table 3 with its heading; `row(code, label, cells)` renders one row as lines."""
    figs = figs or figures(registry, template)
    labels = labels or numbered_labels(registry, template)
    lines = ["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人", "法人或其他组织", "总计", "商业企业", "科研机构",
             "社会公益组织", "法律服务机构", "其他"]
    for r in registry.rows_for(template):
        if r.row_code in GROUPS and not (template == "v2019" and r.row_code == "other_handling"):
            lines.append(GROUPS[r.row_code])
        lines.extend(row(r.row_code, labels[r.row_code], [str(v) for v in figs[r.row_code]]))
    return lines


def tabbed(code, label, cells):
    return ["\t".join([label] + cells)]


TABLE2 = {
    "v2021": ["二、主动公开政府信息情况", "第二十条第（一）项", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数", "规章\t0\t0\t3",
              "行政规范性文件\t4\t2\t13", "第二十条第（五）项", "信息内容\t本年处理决定数量", "行政许可\t128",
              "第二十条第（六）项", "信息内容\t本年处理决定数量", "行政处罚\t56", "行政强制\t0",
              "第二十条第（八）项", "信息内容\t本年收费金额（单位：万元）", "行政事业性收费\t0"],
    "v2019": ["二、主动公开政府信息情况", "第二十条第（一）项", "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
              "规章\t0\t0\t3", "规范性文件\t4\t4\t13", "第二十条第（五）项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量",
              "行政许可\t35\t-2\t128", "其他对外管理服务事项\t3\t0\t9", "第二十条第（六）项",
              "信息内容\t上一年项目数量\t本年增/减\t处理决定数量", "行政处罚\t12\t0\t56", "行政强制\t2\t0\t0",
              "第二十条第（八）项", "信息内容\t上一年项目数量\t本年增/减", "行政事业性收费\t1\t0",
              "第二十条第（九）项", "信息内容\t采购项目数量\t采购总金额", "政府集中采购\t3\t12.5万元"],
}


def report(registry, table3, year=2021, table4=None, table2="v2021"):
    lines = [TITLE.format(year=year), PERIOD.format(year=year), "一、总体情况", "本机关依法做好政府信息公开工作。"]
    lines += TABLE2[table2] + table3
    lines += TABLE4_HEADINGS + (table4 if table4 is not None else ["\t".join(map(str, TABLE4))])
    lines += ["五、存在的主要问题及改进情况", "工作仍有不足。", "六、其他需要报告的事项", "无。"]
    return lines


def parse(registry, lines, name="report.txt", encoding="utf-8"):
    return parse_report("\n".join(lines).encode(encoding), name, registry)


def cells3(parsed):
    return {(c["row_code"], c["applicant"]): (c["value"], c["cell_state"]) for c in parsed.application_cells}


def issues(parsed, code):
    return [i for i in parsed.parse_issues if i["code"] == code]


def assert_table3(registry, parsed, template="v2021", figs=None, states=("number",)):
    cells = cells3(parsed)
    for code, values in (figs or figures(registry, template)).items():
        got = [cells[code, a] for a in registry.applicants]
        assert [v for v, _ in got] == values, code
        assert {s for _, s in got} <= set(states), (code, got)
    assert not [i for i in parsed.parse_issues if i["severity"] == "error" and i["message"].startswith("table 3")]


def assert_table4(parsed, values=TABLE4):
    assert [c["value"] for c in parsed.review_litigation_cells] == values


# --- 1. Text that is not a known label never ends the table ------------------------------------------

def test_a_mistyped_label_with_its_figures_is_read_by_its_place(registry):
    labels = numbered_labels(registry)
    labels["withheld_prohibited_by_law"] = "2.其他法律行政止公开"  # 法规禁 lost
    parsed = parse(registry, report(registry, table3_lines(registry, tabbed, labels=labels)))
    assert_table3(registry, parsed)
    (issue,) = issues(parsed, "label_by_position")
    assert "withheld_prohibited_by_law" in issue["message"] and issue["severity"] == "warning"
    assert_table4(parsed)
    assert parsed.report["parse_status"] == "ok"


def test_several_garbled_labels_in_a_row_are_each_read_by_their_place(registry):
    labels = numbered_labels(registry)
    labels["withheld_internal_affairs"] = "5.属于三娄内部事物信忠"  # three slips: too far for a variant
    labels["withheld_deliberative"] = "6.属于四类过桯性信总"
    labels["total_processed"] = "（七）忌计"
    parsed = parse(registry, report(registry, table3_lines(registry, tabbed, labels=labels)))
    assert_table3(registry, parsed)
    assert len(issues(parsed, "label_by_position")) == 3


def test_a_page_break_inside_a_merged_group_cell_and_page_footers(registry):
    """One cell per line (a PDF's text copied): the group heading （四）无法提供 is cut by the page
    break into （四）无 at the foot of one page and 法提供 on the next, with the page's footer between;
    another footer falls between two cells of a row."""
    def row(code, label, cells):
        out = [label] + cells
        if code == "withheld_administrative_inquiry":
            out += ["（四）无", "第 2 页 共 5 页", "- 2 -", "法提供"]
        if code == "not_processed_repeat":
            out = [label] + cells[:3] + ["第 3 页 共 5 页"] + cells[3:]
        return out
    lines = table3_lines(registry, row)
    lines.remove("（四）无法提供")
    parsed = parse(registry, report(registry, lines))
    assert_table3(registry, parsed)
    skipped = [i["message"] for i in issues(parsed, "text_skipped")]
    assert any("第 2 页" in m for m in skipped) and all(i["severity"] == "info" for i in issues(parsed, "text_skipped"))


def test_a_converter_that_prints_every_row_as_its_own_table(registry):
    """OCR or LLM markdown: each row under a ### heading, in a small table of its own with a made-up
    header row."""
    lines = [TITLE.format(year=2021), PERIOD.format(year=2021), "## 三、收到和处理政府信息公开申请情况"]
    labels = numbered_labels(registry)
    for code, values in figures(registry).items():
        lines += ["", f"### {labels[code]}", "", "| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |",
                  "|---|---|---|---|---|---|---|---|", f"| {labels[code]} | " + " | ".join(map(str, values)) + " |"]
    lines += ["## 四、政府信息公开行政复议、行政诉讼情况", "| 行政复议 | 结果维持 |", "|---|---|"]
    parsed = parse(registry, lines, "converted.md")
    assert parsed.report["source_format"] == "markdown"
    assert_table3(registry, parsed)


def test_unknown_rows_with_figures_are_skipped_whole(registry):
    """A row the template does not have (a breakdown 其中：市本级) carries figures where no row is
    missing: it is skipped with them, and the rows after it are read."""
    def row(code, label, cells):
        out = tabbed(code, label, cells)
        if code == "granted":
            out.append("\t".join(["其中：通过网络答复"] + cells))
        return out
    parsed = parse(registry, report(registry, table3_lines(registry, row)))
    assert_table3(registry, parsed)
    (issue,) = issues(parsed, "text_skipped")
    assert "其中：通过网络答复" in issue["message"] and "with the figures after it" in issue["message"]


# --- 2. A whole report on one line ---------------------------------------------------------------------

def one_line_report(registry, year=2021):
    labels = numbered_labels(registry)
    runs = {code: "".join(map(str, values)) for code, values in figures(registry).items()}
    runs["carried_over"] = "5 000005"  # a space inside the run that is one cell boundary among seven
    runs["granted"] = "4230 0 1046"  # spaces that do not separate every cell: 42|3|0|0|1|0|46
    text = ("一、总体情况本机关依法做好政府信息公开工作。二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数"
            "本年废止件数现行有效件数规章000行政规范性文件4213第二十条第（五）项信息内容本年处理决定数量行政许可128"
            "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
            "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他")
    for r in registry.rows_for("v2021"):
        text += GROUPS.get(r.row_code, "") + labels[r.row_code] + runs[r.row_code]
    # The last run goes on into the next sentence, which begins with a year.
    text += f"{year}年，本机关共收到政府信息公开申请{figures(registry)['new_received'][6]}件。"
    text += "".join(TABLE4_HEADINGS) + "31015200131000" + "1" + "五、存在的主要问题及改进情况工作仍有不足。"
    return [TITLE.format(year=year) + PERIOD.format(year=year) + text]


def test_a_whole_report_on_one_line(registry):
    lines = one_line_report(registry)
    assert len(lines) == 1 and "4230 0 1046" in lines[0] and "61000072021年" in lines[0]
    parsed = parse(registry, lines)
    assert_table3(registry, parsed, states=("number", "inferred"))
    assert_table4(parsed)
    t2 = {(c["item"], c["measure"]): c["value"] for c in parsed.disclosure_cells}
    assert t2["rules", "in_force"] == 0 and t2["licensing", "decisions"] == 128
    assert parsed.report["report_year"] == 2021 and parsed.report["template"] == "v2021"
    assert parsed.report["organ_name"] == "青田县住房和城乡建设局" and parsed.report["division_code"] == "331121"
    facts = {f["fact"]: f["value"] for f in parsed.narrative_facts}
    assert facts["requests_total"] == figures(registry)["new_received"][6] == 85


# --- 3. Vocabulary: a traditional-script copy with Taiwan wording ----------------------------------------

def _in_big5(text: str) -> bool:
    try:
        text.encode("big5")
    except UnicodeEncodeError:
        return False
    return True


def to_taiwan(text: str) -> str:
    """Simplified -> traditional script (the first traditional form of each character in the seed),
    then the Taiwan wording a mirror site uses (資訊 for 信息, 專案 for 项目)."""
    with open(DEFAULT_SEEDS_DIR / "script_char_map.csv", encoding="utf-8") as f:
        to_traditional = {}
        for r in csv.DictReader(f):
            if _in_big5(r["traditional"]) and (r["simplified"] not in to_traditional or not _in_big5(to_traditional[r["simplified"]])):
                to_traditional[r["simplified"]] = r["traditional"]
    for simplified, taiwan in (("信息", "资讯"), ("项目", "专案"), ("数据", "资料"), ("文件", "档案")):
        text = text.replace(simplified, taiwan)
    return "".join(to_traditional.get(c, c) for c in text)


@pytest.mark.parametrize("encoding", ["utf-8", "big5"])
def test_a_traditional_copy_with_taiwan_vocabulary(registry, encoding):
    lines = [to_taiwan(line) for line in report(registry, table3_lines(registry, tabbed))]
    assert "政府資訊公開申請" in "".join(lines)
    parsed = parse(registry, lines, encoding=encoding)
    assert parsed.report["script"] == "traditional"
    assert_table3(registry, parsed)
    assert_table4(parsed)


# --- 4. Legacy reports ------------------------------------------------------------------------------------

LEGACY_ROWS = [  # label, unit, this year, cumulative
    ("主动公开政府信息数", "条", 318, 2456), ("其中：1.网站公开数", "条", 300, 2400), ("2.公开栏公开数", "条", 18, 56),
    ("受理政府信息公开申请总数", "件", 12, 40), ("其中：1.当面申请数", "件", 2, 9), ("2.网上申请数", "件", 7, 19),
    ("3.信函申请数", "件", 3, 12), ("对申请的答复总数", "件", 12, 40), ("其中：1.同意公开答复数", "件", 8, 30),
    ("2.同意部分公开答复数", "件", 1, 3), ("3.不予公开答复数", "件", 3, 7), ("行政复议数", "件", 1, 2), ("行政诉讼数", "件", 0, 1),
]


def legacy_lines(table_line):
    return ["景宁畲族自治县民政局2015年政府信息公开工作年度报告", "本报告所列数据的统计期限自2015年1月1日起至2015年12月31日止。",
            "一、概述", "本局认真贯彻条例。", "附表：政府信息公开工作统计表", table_line, "景宁畲族自治县民政局 2016年1月20日"]


def test_a_legacy_statistics_table_with_its_two_columns_glued(registry):
    line = "指标名称单位2015年度历年累计" + "".join(f"{label}{unit}{this}{total}" for label, unit, this, total in LEGACY_ROWS)
    parsed = parse(registry, legacy_lines(line))
    facts = {f["fact"]: f["value"] for f in parsed.narrative_facts}
    assert {k: facts.get(k) for k in ("requests_total", "channel_in_person", "channel_online", "channel_letter",
                                       "requests_processed", "granted", "partially_granted", "withheld",
                                       "review_total", "litigation_total")} == {
        "requests_total": 12, "channel_in_person": 2, "channel_online": 7, "channel_letter": 3, "requests_processed": 12,
        "granted": 8, "partially_granted": 1, "withheld": 3, "review_total": 1, "litigation_total": 0}
    t4 = {(c["proceeding"], c["result"]): (c["value"], c["cell_state"]) for c in parsed.review_litigation_cells}
    assert t4 == {("review", "total"): (1, "number"), ("litigation_unsplit", "total"): (0, "number")}


def test_a_space_separated_legacy_table_whose_year_column_is_zero(registry):
    rows = [(label, unit, 0, total) for label, unit, _, total in LEGACY_ROWS]
    line = "指 标 名 称 单位 2015年度 历年累计 " + " ".join(f"{label} {unit} {this} {total}" for label, unit, this, total in rows)
    facts = {f["fact"]: f["value"] for f in parse(registry, legacy_lines(line)).narrative_facts}
    assert facts["requests_total"] == 0 and facts["granted"] == 0 and facts["requests_processed"] == 0


@pytest.mark.parametrize("sentence, expected", [
    ("2015年，本局依申请公开政府信息12条，其中当面申请2条、网上申请7条、信函申请3条。",
     {"requests_total": 12, "channel_in_person": 2, "channel_online": 7, "channel_letter": 3}),
    ("2015年本局受理依申请公开15件，已全部按时答复。", {"requests_total": 15}),
    ("2015年，本局未收到公民、法人或者其他组织提出的政府信息公开申请。", {"requests_total": 0}),
    ("2015年度没有发生因政府信息公开申请的行政复议、行政诉讼。", {"review_total": 0, "litigation_total": 0}),
])
def test_legacy_prose_forms(registry, sentence, expected):
    parsed = parse(registry, ["景宁畲族自治县民政局2015年政府信息公开工作年度报告", "一、概述", sentence,
                              "四、政府信息公开的收费及减免情况", "本年度未收取费用。"])
    assert parsed.report["template"] == "legacy"
    facts = {f["fact"]: f["value"] for f in parsed.narrative_facts}
    assert {k: facts.get(k) for k in expected} == expected
    stored = {c["proceeding"]: c["value"] for c in parsed.review_litigation_cells}
    assert stored == {"review": expected["review_total"], "litigation_unsplit": expected["litigation_total"]} \
        if "review_total" in expected else stored == {}


def test_legacy_prose_about_reviews_does_not_count_requests_as_zero(registry):
    parsed = parse(registry, ["景宁畲族自治县民政局2015年政府信息公开工作年度报告", "一、概述",
                    "2015年本局受理依申请公开15件。未收到因政府信息公开提出的行政复议、行政诉讼的申请。"])
    facts = {f["fact"]: f["value"] for f in parsed.narrative_facts}
    assert facts["requests_total"] == 15 and facts["review_total"] == 0


# --- 5. A report of 2021 or later printed on the 2019 table 3 ------------------------------------------

def test_a_v2021_report_on_the_2019_table3_keeps_its_other_handling_row(registry):
    figs = figures(registry, "v2019")
    lines = report(registry, table3_lines(registry, tabbed, template="v2019", figs=figs, labels=numbered_labels(registry, "v2019")))
    parsed = parse(registry, lines)
    assert parsed.report["template"] == "v2021"
    cells = cells3(parsed)
    assert [cells["other_handling", a] for a in registry.applicants] == [(v, "number") for v in figs["other_handling"]]
    for code in ("other_overdue_correction", "other_unpaid_fee", "other_other"):
        assert {cells[code, a] for a in registry.applicants} == {(None, "not_printed")}
    assert not issues(parsed, "row_missing") and not issues(parsed, "row_not_in_template")
    assert len(parsed.application_cells) == 26 * 7  # the template's 25 rows and the printed group row
    assert parsed.report["parse_status"] == "ok"


def test_a_v2019_report_on_the_2021_table3_keeps_its_sub_rows(registry):
    figs = figures(registry, "v2021")
    lines = report(registry, table3_lines(registry, tabbed, figs=figs), year=2020, table2="v2019")
    parsed = parse(registry, lines)
    assert parsed.report["template"] == "v2019"
    cells = cells3(parsed)
    assert [cells["other_overdue_correction", a][0] for a in registry.applicants] == figs["other_overdue_correction"]
    assert {cells["other_handling", a] for a in registry.applicants} == {(None, "not_printed")}
    assert not issues(parsed, "row_missing")


# --- 6. One unreadable cell does not shift its neighbours ------------------------------------------------

def test_an_ocr_slip_in_one_cell_leaves_its_neighbours_in_place(registry):
    def row(code, label, cells):
        if code == "granted":
            cells = cells[:6] + ["4l6"]  # 46 with an l for a 1? read as printed: unreadable
        if code == "unavailable_not_held":
            cells = ["l5"] + cells[1:]
        if code == "total_processed":
            cells = cells[:1] + ["5三"] + cells[2:]
        if code == "withheld_state_secret":
            cells = cells[:3] + ["O", "〇"] + cells[5:]  # zeros read as letters or as the CJK zero
        return [label] + cells
    parsed = parse(registry, report(registry, table3_lines(registry, row)))
    cells = cells3(parsed)
    figs = figures(registry)
    assert cells["granted", "total"] == (None, "unreadable")
    assert cells["unavailable_not_held", "natural_person"] == (None, "unreadable")
    assert cells["total_processed", "commercial"] == (None, "unreadable")
    assert [cells["withheld_state_secret", a] for a in ("social_welfare", "legal_services")] == [(None, "unreadable")] * 2
    unreadable = [k for k, (_, state) in cells.items() if state == "unreadable"]
    assert len(unreadable) == 5
    for (code, applicant), (value, state) in cells.items():
        if state != "unreadable":
            assert value == figs[code][registry.applicants.index(applicant)], (code, applicant)


# --- the same mechanism in tables 2 and 4 --------------------------------------------------------------

def test_a_mistyped_table2_item_is_read_by_its_place(registry):
    lines = report(registry, table3_lines(registry, tabbed))
    lines[lines.index("行政处罚\t56")] = "行玫处罚\t56"  # 玫 for 政: too short a label for a one-character slip
    parsed = parse(registry, lines)
    t2 = {(c["item"], c["measure"]): (c["value"], c["cell_state"]) for c in parsed.disclosure_cells}
    assert t2["penalties", "decisions"] == (56, "number") and t2["coercive_measures", "decisions"] == (0, "number")
    (issue,) = issues(parsed, "label_by_position")
    assert "penalties" in issue["message"] and "table 2" in issue["message"]


def test_table4_with_a_page_footer_between_its_cells(registry):
    cells = [str(v) for v in TABLE4]
    parsed = parse(registry, report(registry, table3_lines(registry, tabbed), table4=cells[:6] + ["第 4 页 共 5 页"] + cells[6:]))
    assert_table4(parsed)
    assert any("第 4 页" in i["message"] for i in issues(parsed, "text_skipped"))


def test_a_serial_number_column_before_the_labels(registry):
    """A converter's table with a 序号 column: the number before each label is not a cell."""
    serial = iter(range(1, 100))

    def row(code, label, cells):
        return [f"| {next(serial)} | {label} | " + " | ".join(cells) + " |"]
    lines = table3_lines(registry, row)
    lines.insert(1, "| 序号 | 项目 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n|---|---|---|---|---|---|---|---|---|")
    parsed = parse(registry, report(registry, lines), "serial.md")
    assert_table3(registry, parsed)


@pytest.mark.parametrize("run", ["31004120001200101", "3 10 04 12000 120 0 101"])
def test_table4_as_one_run_of_more_digits_than_cells(registry, run):
    """Table 4 on one line as one run of 17 digits for 15 cells, with or without spaces that fall at
    some of the cell boundaries only: each proceeding's total decides the split."""
    values = [3, 1, 0, 0, 4, 12, 0, 0, 0, 12, 0, 0, 1, 0, 1]
    assert run.replace(" ", "") == "".join(map(str, values))
    parsed = parse(registry, report(registry, table3_lines(registry, tabbed), table4=[run]))
    assert [(c["value"], c["cell_state"]) for c in parsed.review_litigation_cells] == [(v, "inferred") for v in values]


# --- empty lines and empty cells: which they are is decided by the layout and the arithmetic -------------

def test_table4_one_cell_per_line_after_a_blank_line(registry):
    """One cell per line, an empty cell as an empty line, and one more empty line between the headings
    and the figures: read so that each proceeding adds up (the blank line is a separator)."""
    cells = [None, 1, None, 1, 2, 3, None, None, None, 3, None, None, None, None, None]
    figures = [""] + ["" if v is None else str(v) for v in cells]
    parsed = parse(registry, report(registry, table3_lines(registry, tabbed), table4=figures))
    assert [(c["value"], c["cell_state"]) for c in parsed.review_litigation_cells] == [
        (v, "blank" if v is None else "number") for v in cells]


@pytest.mark.parametrize("line", ["\t\t\t\t\t3\t\t\t\t3\t\t\t\t\t", "| | | | | | 3 | | | | 3 | | | | | |"])
def test_a_row_of_cells_that_begins_and_ends_with_empty_cells(registry, line):
    parsed = parse(registry, report(registry, table3_lines(registry, tabbed), table4=[line]), "t.md")
    assert [(c["value"], c["cell_state"]) for c in parsed.review_litigation_cells] == (
        [(None, "blank")] * 5 + [(3, "number")] + [(None, "blank")] * 3 + [(3, "number")] + [(None, "blank")] * 5)


@pytest.mark.parametrize("line", ["\t" * 14, "|" + " |" * 15])
def test_a_row_of_empty_cells_is_blank(registry, line):
    parsed = parse(registry, report(registry, table3_lines(registry, tabbed), table4=[line]), "t.md")
    assert {(c["value"], c["cell_state"]) for c in parsed.review_litigation_cells} == {(None, "blank")}
    assert len(parsed.review_litigation_cells) == 15


def test_a_table_run_into_the_text_says_nothing_in_prose(registry):
    """The labels of a table run into one line hold 政府信息公开申请 after 无正当理由 and 无法提供: that is
    no prose saying no request was received."""
    line = one_line_report(registry)[0]
    line = line.replace(f"本机关共收到政府信息公开申请{figures(registry)['new_received'][6]}件。", "本机关认真答复。")
    facts = {f["fact"]: f["value"] for f in parse(registry, [line]).narrative_facts}
    assert "requests_total" not in facts
