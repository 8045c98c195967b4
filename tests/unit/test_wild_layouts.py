"""Layouts and titles seen on real government sites that the bundled samples do not have: each
test renders the template's own labels in that layout and asserts the printed figures."""
import pytest

from loaders.parse import parse_report

PERIOD = "本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
TABLE4 = {"review": [4, 1, 0, 1, 6], "litigation_direct": [2, 0, 1, 1, 4], "litigation_after_review": [1, 0, 0, 0, 1]}


def parse(registry, lines, name="wild.txt"):
    return parse_report("\n".join(lines).encode("utf-8"), name, registry)


@pytest.mark.parametrize("title, year, organ, code", [
    # Zero typed as a Latin O (or an Arabic 0) by writers who cannot find 〇.
    ("缙云县市场监督管理局二O一九年政府信息公开工作年度报告", 2019, "缙云县市场监督管理局", "331122"),
    ("缙云县市场监督管理局二0二一年政府信息公开工作年度报告", 2021, "缙云县市场监督管理局", "331122"),
    # Full-width digits in the title.
    ("缙云县财政局２０２１年政府信息公开工作年度报告", 2021, "缙云县财政局", "331122"),
    # The year without 年, in the title or in brackets after it.
    ("缙云县财政局2021政府信息公开工作年度报告", 2021, "缙云县财政局", "331122"),
    ("缙云县财政局政府信息公开工作年度报告（2021）", 2021, "缙云县财政局", "331122"),
])
def test_title_years_typed_with_o_for_zero_or_in_full_width(registry, title, year, organ, code):
    # No 统计期限 sentence: the year can come only from the title.
    report = parse(registry, [title, "一、总体情况", "本机关认真落实条例。"]).report
    assert (report["report_year"], report["organ_name"], report["division_code"], report["report_scope"]) == (
        year, organ, code, "agency")


def test_table4_headings_broken_over_lines(registry):
    """A text copy (one cell per line) of a table whose narrow columns wrapped their headings:
    "结果" / "维持", "尚未" / "审结", "未经复议" / "直接起诉"."""
    split = {"结果维持": ["结果", "维持"], "结果纠正": ["结果", "纠正"], "其他结果": ["其他", "结果"],
             "尚未审结": ["尚未", "审结"]}
    lines = ["苍南县2021年政府信息公开工作年度报告", PERIOD.format(year=2021),
             "四、政府信息公开行政复议、行政诉讼情况", "行政复议", "行政诉讼", "未经复议", "直接起诉", "复议后起诉"]
    for label in RESULTS * 3:
        lines += split.get(label, [label])
    lines += [str(v) for p in TABLE4 for v in TABLE4[p]]
    lines += ["五、存在的主要问题及改进情况", "工作仍存在不足。"]
    parsed = parse(registry, lines)
    cells = {(c["proceeding"], c["result"]): (c["value"], c["cell_state"]) for c in parsed.review_litigation_cells}
    keys = [("review", r) for r in ("upheld", "corrected", "other", "pending", "total")]
    assert [cells[k] for k in keys] == [(4, "number"), (1, "number"), (0, "number"), (1, "number"), (6, "number")]
    assert cells["litigation_direct", "other"] == (1, "number")
    assert cells["litigation_after_review", "total"] == (1, "number")
    assert len(cells) == 15


# --- table 3 rows as the template prints them, for the layouts below -------------------------------

ROWS = [  # (group heading printed before the row, label)
    (None, "一、本年新收政府信息公开申请数量"), (None, "二、上年结转政府信息公开申请数量"),
    ("三、本年度办理结果", "（一）予以公开"), (None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("（三）不予公开", "1.属于国家秘密"), (None, "2.其他法律行政法规禁止公开"), (None, "3.危及“三安全一稳定”"),
    (None, "4.保护第三方合法权益"), (None, "5.属于三类内部事务信息"), (None, "6.属于四类过程性信息"),
    (None, "7.属于行政执法案卷"), (None, "8.属于行政查询事项"),
    ("（四）无法提供", "1.本机关不掌握相关政府信息"), (None, "2.没有现成信息需要另行制作"), (None, "3.补正后申请内容仍不明确"),
    ("（五）不予处理", "1.信访举报投诉类申请"), (None, "2.重复申请"), (None, "3.要求提供公开出版物"),
    (None, "4.无正当理由大量反复申请"), (None, "5.要求行政机关确认或重新出具已获取信息"),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    (None, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"), (None, "3.其他"),
    (None, "（七）总计"), (None, "四、结转下年度继续办理"),
]
CODES = ["new_received", "carried_over", "granted", "partially_granted", "withheld_state_secret",
         "withheld_prohibited_by_law", "withheld_security_stability", "withheld_third_party_rights",
         "withheld_internal_affairs", "withheld_deliberative", "withheld_enforcement_file",
         "withheld_administrative_inquiry", "unavailable_not_held", "unavailable_needs_creation",
         "unavailable_still_unclear", "not_processed_complaint", "not_processed_repeat", "not_processed_publication",
         "not_processed_mass_repetitive", "not_processed_confirm_reissue", "other_overdue_correction",
         "other_unpaid_fee", "other_other", "total_processed", "carried_forward"]


def table3_figures():
    rows = {code: [0] * 7 for code in CODES}
    rows["new_received"] = [1120, 8, 1, 0, 3, 2, 1134]
    rows["carried_over"] = [5, 1, 0, 0, 0, 0, 6]
    rows["granted"] = [660, 4, 1, 0, 1, 1, 667]
    rows["partially_granted"] = [10, 1, 0, 0, 0, 0, 11]
    rows["unavailable_not_held"] = [325, 2, 0, 0, 1, 1, 329]
    rows["not_processed_confirm_reissue"] = [4, 0, 0, 0, 0, 0, 4]
    rows["other_overdue_correction"] = [2, 0, 0, 0, 1, 0, 3]
    rows["other_unpaid_fee"] = [0, 1, 0, 0, 0, 0, 1]
    rows["total_processed"] = [1001, 8, 1, 0, 3, 2, 1015]
    rows["carried_forward"] = [124, 1, 0, 0, 0, 0, 125]
    return rows


def table3_cells(parsed):
    return {(c["row_code"], c["applicant"]): (c["value"], c["cell_state"]) for c in parsed.application_cells}


def assert_table3(registry, parsed):
    cells = table3_cells(parsed)
    for code, values in table3_figures().items():
        assert [cells[code, a] for a in registry.applicants] == [(v, "number") for v in values], code
    assert not [i for i in parsed.parse_issues if i["severity"] == "error" and i["message"].startswith("table 3")]


def test_labels_wrapped_onto_the_next_line_after_their_figures(registry):
    """A PDF laid out in columns (pdftotext -layout): a long label prints its first part with the
    row's figures and the rest on the next line(s), alone. Table 2's items wrap the same way."""
    figures = table3_figures()
    lines = ["景宁畲族自治县2021年政府信息公开工作年度报告", PERIOD.format(year=2021), "二、主动公开政府信息情况",
             "第二十条第（一）项", "信息内容    本年制发件数    本年废止件数    现行有效件数",
             "规章    2    0    15", "行政规范性文件    12    3    86",
             "三、收到和处理政府信息公开申请情况", "        申请人情况", "        自然人    法人或其他组织    总计",
             "        商业企业  科研机构  社会公益组织  法律服务机构  其他"]
    for (group, label), code in zip(ROWS, CODES):
        pieces = [label[k:k + 14] for k in range(0, len(label), 14)]
        lines.append(f"{group or ''}  {pieces[0]}     " + "    ".join(str(v) for v in figures[code]))
        lines += ["      " + p for p in pieces[1:]]
    lines += ["四、政府信息公开行政复议、行政诉讼情况"]
    parsed = parse(registry, lines)
    assert "只计这一情形，不计其他情形）" in "\n".join(lines) and "      数量" in lines
    assert_table3(registry, parsed)


def test_table2_item_wrapped_onto_the_next_line_after_its_figures(registry):
    lines = ["庆元县2019年政府信息公开工作年度报告", PERIOD.format(year=2019), "二、主动公开政府信息情况",
             "第二十条第（五）项", "信息内容    上一年项目数量    本年增/减    处理决定数量",
             "行政许可    277    -11    61157", "其他对外管理服务    749    +3    138655", "事项",
             "第二十条第（六）项", "信息内容    上一年项目数量    本年增/减    处理决定数量",
             "行政处罚    2491    0    5737", "行政强制    111    0    2142", "三、收到和处理政府信息公开申请情况"]
    parsed = parse(registry, lines)
    cells = {(c["item"], c["measure"]): (c["value"], c["cell_state"]) for c in parsed.disclosure_cells}
    assert [cells["other_services", m] for m in ("prior_year_items", "change", "decisions")] == [
        (749, "number"), (3, "number"), (138655, "number")]
    assert cells["penalties", "decisions"] == (5737, "number")
    assert not [i for i in parsed.parse_issues if "other_services" in i["message"] or "penalties" in i["message"]]


def test_group_heading_and_first_row_on_one_line_separated_by_single_spaces(registry):
    """A copy with single spaces between cells: "（三）不予公开 1.属于国家秘密 0 0 …" and table 4's
    headings on one line each."""
    figures = table3_figures()
    lines = ["龙泉市2021年政府信息公开工作年度报告", PERIOD.format(year=2021), "三、收到和处理政府信息公开申请情况",
             "申请人情况", "自然人 法人或其他组织 总计", "商业企业 科研机构 社会公益组织 法律服务机构 其他"]
    for (group, label), code in zip(ROWS, CODES):
        lines.append(" ".join(([group] if group else []) + [label] + [str(v) for v in figures[code]]))
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 行政诉讼", "未经复议直接起诉 复议后起诉",
              " ".join(RESULTS * 3), " ".join(str(v) for p in TABLE4 for v in TABLE4[p]), "五、存在的主要问题及改进情况"]
    parsed = parse(registry, lines)
    assert_table3(registry, parsed)
    cells = {(c["proceeding"], c["result"]): c["value"] for c in parsed.review_litigation_cells}
    assert [cells["review", r] for r in ("upheld", "corrected", "other", "pending", "total")] == TABLE4["review"]
    assert cells["litigation_after_review", "total"] == 1


def test_merged_labels_copied_into_every_cell_they_span(registry):
    """An HTML table whose merges were undone by copying the label into each spanned cell (Excel and
    some site editors do this): the label is one cell, the figures keep their columns."""
    figures = table3_figures()
    groups = {}
    current = None
    for group, _ in ROWS:
        current = group or current
        groups.setdefault(current, 0)
    rows = ["<tr><td>申请人情况</td>" * 1 + "<td>申请人情况</td>" * 9 + "</tr>",
            "<tr>" + "<td></td>" * 3 + "<td>自然人</td>" + "<td>法人或其他组织</td>" * 5 + "<td>总计</td></tr>",
            "<tr>" + "<td></td>" * 4 + "".join(f"<td>{x}</td>" for x in ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]) + "<td></td></tr>"]
    for (group, label), code in zip(ROWS, CODES):
        cells = "".join(f"<td>{v}</td>" for v in figures[code])
        if code in ("new_received", "carried_over", "carried_forward"):
            rows.append(f"<tr><td>{label}</td><td>{label}</td><td>{label}</td>{cells}</tr>")
        elif code in ("granted", "partially_granted", "total_processed"):
            rows.append(f"<tr><td>三、本年度办理结果</td><td>{label}</td><td>{label}</td>{cells}</tr>")
        else:
            current = group or current
            rows.append(f"<tr><td>三、本年度办理结果</td><td>{current}</td><td>{label}</td>{cells}</tr>")
    page = ("<html><body><h1>缙云县教育局2021年政府信息公开工作年度报告</h1><p>" + PERIOD.format(year=2021) + "</p>"
            "<p>三、收到和处理政府信息公开申请情况</p><table>" + "\n".join(rows) + "</table>"
            "<p>四、政府信息公开行政复议、行政诉讼情况</p></body></html>")
    parsed = parse_report(page.encode("utf-8"), "unmerged.html", registry)
    assert_table3(registry, parsed)


@pytest.mark.parametrize("lines, organ, scope, code", [
    # The title set on two lines, the organ above.
    (["松阳县财政局", "2021年政府信息公开工作年度报告"], "松阳县财政局", "agency", "331124"),
    (["松阳县人民政府", "2021年政府信息公开工作年度报告"], "松阳县人民政府", "jurisdiction", "331124"),
    # A site's menu above a bare title is not an organ.
    (["首页", "2021年政府信息公开工作年度报告"], None, None, None),
    # Titles with 关于 (a report or a notice publishing it) and with 年报 for 年度报告.
    (["松阳县人民政府关于2021年政府信息公开工作年度报告"], "松阳县人民政府", "jurisdiction", "331124"),
    (["松阳县人民政府办公室关于印发松阳县2021年政府信息公开工作年度报告的通知"], "松阳县人民政府", "jurisdiction", "331124"),
    (["松阳县公安局2021年度政府信息公开年报"], "松阳县公安局", "agency", "331124"),
    # The publisher in brackets.
    (["【松阳县财政局】2021年政府信息公开工作年度报告"], "松阳县财政局", "agency", "331124"),
])
def test_titles_on_two_lines_with_a_connective_or_as_nianbao(registry, lines, organ, scope, code):
    report = parse(registry, lines + [PERIOD.format(year=2021), "一、总体情况"]).report
    assert (report["organ_name"], report["report_scope"], report["division_code"], report["report_year"]) == (
        organ, scope, code, 2021)


# --- PDFs: what their text layer prints ------------------------------------------------------------

def test_a_pdf_title_in_radicals_and_wrapped_onto_a_second_line(registry):
    """Chrome's and many office suites' PDFs print some characters as CJK radicals (⼈⺠ for 人民, ⻘ for
    青; the Kangxi ones fold under NFKC, ⺠ and ⻘ do not), and a long title wraps, leaving "报告" on a
    line of its own. The place is still 青田县, the report still its government's summary."""
    lines = ["⻘⽥县⼈⺠政府⼆〇⼆⼀年政府信息公开⼯作年度", "报告",
             "本报告根据《中华⼈⺠共和国政府信息公开条例》编制。本报告所列数据的统计期限⾃2021年1⽉1",
             "⽇起⾄2021年12⽉31⽇⽌。", "⼀、总体情况"]
    report = parse(registry, lines).report
    assert (report["division_code"], report["report_scope"], report["organ_name"], report["report_year"]) == (
        "331121", "jurisdiction", "青田县人民政府", 2021)
    assert report["title"] == "⻘⽥县⼈⺠政府⼆〇⼆⼀年政府信息公开⼯作年度报告"


def test_the_name_of_the_republic_is_not_a_place(registry):
    """《中华人民共和国…》 holds 共和, the short name of 共和县 (Qinghai): a department's report whose
    title names no place and that cites three laws is not placed there."""
    lines = ["2021年政府信息公开工作年度报告",
             "依据《中华人民共和国政府信息公开条例》《中华人民共和国行政许可法》《中华人民共和国行政处罚法》，本局认真做好工作。"]
    report = parse(registry, lines).report
    assert report["division_code"] is None
    report = parse(registry, ["共和县2021年政府信息公开工作年度报告", "依据《中华人民共和国政府信息公开条例》。"]).report
    assert report["division_code"] == "632521"


def test_group_subtotal_rows_are_skipped(registry):
    """Some offices add a 小计 row under （三）不予公开, （四）无法提供 and （五）不予处理: not a template row,
    its cells are left out and the rows after it still land in their places."""
    figures = table3_figures()
    lines = ["常山县2021年政府信息公开工作年度报告", PERIOD.format(year=2021), "三、收到和处理政府信息公开申请情况"]
    groups = {"withheld_administrative_inquiry": "withheld_", "unavailable_still_unclear": "unavailable_",
              "not_processed_confirm_reissue": "not_processed_"}
    for (group, label), code in zip(ROWS, CODES):
        lines.append("\t".join(([group] if group else []) + [label] + [str(v) for v in figures[code]]))
        if code in groups:
            members = [c for c in CODES if c.startswith(groups[code])]
            lines.append("\t".join(["小计"] + [str(sum(figures[c][k] for c in members)) for k in range(7)]))
    lines += ["四、政府信息公开行政复议、行政诉讼情况"]
    parsed = parse(registry, lines)
    assert "小计\t325\t2" in "\n".join(lines)
    assert_table3(registry, parsed)
    assert sum(i["code"] == "subtotal_row_skipped" for i in parsed.parse_issues) == 3


def test_a_row_label_with_one_mistyped_character(registry):
    """事物 for 事务 and 案件 for 案卷, slips that published reports carry: the row is still the
    template's; a text that is one character away from two labels matches neither."""
    figures = table3_figures()
    figures["withheld_internal_affairs"] = [2, 0, 0, 0, 0, 0, 2]
    figures["granted"] = [658, 4, 1, 0, 1, 1, 665]
    slips = {"5.属于三类内部事务信息": "5.属于三类内部事物信息", "7.属于行政执法案卷": "7.属于行政执法案件"}
    lines = ["江山市2021年政府信息公开工作年度报告", PERIOD.format(year=2021), "三、收到和处理政府信息公开申请情况"]
    for (group, label), code in zip(ROWS, CODES):
        lines.append("\t".join(([group] if group else []) + [slips.get(label, label)] + [str(v) for v in figures[code]]))
    lines += ["四、政府信息公开行政复议、行政诉讼情况"]
    parsed = parse(registry, lines)
    cells = table3_cells(parsed)
    assert [cells["withheld_internal_affairs", a] for a in registry.applicants] == [(v, "number") for v in figures["withheld_internal_affairs"]]
    assert cells["carried_forward", "total"] == (125, "number")
    assert not [i for i in parsed.parse_issues if i["severity"] == "error" and i["message"].startswith("table 3")]
    from loaders.labels import match_label
    assert match_label("本年新制开数量", "disclosure_measure", registry) is None


SIDEBAR = ('<div class="side"><div>政府信息公开年报</div><div><a href="/2020.html">龙泉市2020年政府信息公开工作年度报告</a></div>'
           '<div><a href="/2019.html">龙泉市2019年政府信息公开工作年度报告</a></div></div>')
CRUMBS = ('<div class="pos">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a>政府信息公开年报</a></div>'
          '<div>来源：龙泉市人民政府办公室 发布时间：2022-01-25</div>')


@pytest.mark.parametrize("before", [SIDEBAR, CRUMBS], ids=["sidebar", "crumbs"])
def test_a_page_whose_sidebar_or_crumbs_name_reports_above_its_title(registry, before):
    """A portal's column name (政府信息公开年报), its breadcrumb, or its links to other years' reports,
    printed above the report's own title: the title is the one the page's <title> names."""
    page = ("<html><head><title>龙泉市2021年政府信息公开工作年度报告_龙泉市人民政府</title></head><body>" + before
            + "<h1>龙泉市2021年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>本机关认真落实条例。</p></body></html>")
    report = parse_report(page.encode("utf-8"), "page.html", registry).report
    assert (report["title"], report["report_year"], report["organ_name"], report["report_scope"]) == (
        "龙泉市2021年政府信息公开工作年度报告", 2021, "龙泉市人民政府", "jurisdiction")


def test_one_2021_phrase_in_a_2019_reports_prose_does_not_change_its_template(registry):
    """A 2020 report (2019 template) announcing the 信息处理费 of 2021 speaks of 本年收费金额 in its
    prose: its tables are still read as the 2019 template's."""
    lines = ["遂昌县2020年政府信息公开工作年度报告", PERIOD.format(year=2020), "二、主动公开政府信息情况",
             "第二十条第（一）项", "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
             "规章\t0\t0\t0", "规范性文件\t36\t36\t460",
             "第二十条第（五）项", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量",
             "行政许可\t277\t-11\t61157", "其他对外管理服务事项\t749\t0\t138655",
             "第二十条第（九）项", "信息内容\t采购项目数量\t采购总金额", "政府集中采购\t109\t3230万元",
             "六、其他需要报告的事项",
             "自2021年1月1日起本机关将按《政府信息公开信息处理费管理办法》收取信息处理费，并在年报中公开本年收费金额。"]
    parsed = parse(registry, lines)
    assert parsed.report["template"] == "v2019"
    cells = {(c["item"], c["measure"]): c["value"] for c in parsed.disclosure_cells}
    assert (cells["licensing", "change"], cells["other_services", "decisions"]) == (-11, 138655)
    assert cells["central_procurement", "procurement_amount_yuan"] == 32_300_000


@pytest.mark.parametrize("litigation_rows", [
    "<tr><td>行政诉讼（未经复议直接起诉）</td>{direct}</tr><tr><td>行政诉讼（复议后起诉）</td>{after}</tr>",
    "<tr><td rowspan=2>行政诉讼</td><td>未经复议直接起诉</td>{direct}</tr><tr><td>复议后起诉</td>{after}</tr>",
], ids=["labels", "merged"])
def test_table4_turned_a_quarter(registry, litigation_rows):
    """Table 4 with one row per proceeding and the five results as column headings (it fits a portrait
    page): the fifteen cells are still read in template order."""
    cells = {p: "".join(f"<td>{v}</td>" for v in TABLE4[p]) for p in TABLE4}
    table = ("<table><tr><td colspan=2></td>" + "".join(f"<td>{r}</td>" for r in RESULTS) + "</tr>"
             f"<tr><td colspan=2>行政复议</td>{cells['review']}</tr>"
             + litigation_rows.format(direct=cells["litigation_direct"], after=cells["litigation_after_review"]) + "</table>")
    page = ("<html><body><h1>衢州市2021年政府信息公开工作年度报告</h1><p>四、政府信息公开行政复议、行政诉讼情况</p>"
            + table + "<p>五、存在的主要问题及改进情况</p></body></html>")
    parsed = parse_report(page.encode("utf-8"), "t4.html", registry)
    got = {(c["proceeding"], c["result"]): c["value"] for c in parsed.review_litigation_cells}
    results = ("upheld", "corrected", "other", "pending", "total")
    assert {p: [got[p, r] for r in results] for p in TABLE4} == TABLE4


@pytest.mark.parametrize("title, code, scope, organ", [
    ("景宁县2021年政府信息公开工作年度报告", "331127", "jurisdiction", "景宁畲族自治县人民政府"),
    ("恩施州人民政府2021年政府信息公开工作年度报告", "422800", "jurisdiction", "恩施土家族苗族自治州人民政府"),
    ("恩施市人民政府2021年政府信息公开工作年度报告", "422801", "jurisdiction", "恩施市人民政府"),
    ("恩施州财政局2021年政府信息公开工作年度报告", "422800", "agency", "恩施州财政局"),
])
def test_autonomous_divisions_called_by_place_and_kind(registry, title, code, scope, organ):
    """恩施州 for 恩施土家族苗族自治州, 景宁县 for 景宁畲族自治县: the division itself, not the city of the
    same short name (恩施市) nor an organ named 景宁县."""
    report = parse(registry, [title, PERIOD.format(year=2021)]).report
    assert (report["division_code"], report["report_scope"], report["organ_name"]) == (code, scope, organ)



# The text layer of a PDF printed from a web page whose tables have no ruling lines (青田县, Chrome):
# merged group headings broken between the rows they span, long labels wrapped after their figures,
# "— —" where two empty cells meet, and table 4's headings cut inside words ("结果维" / "持").
BORDERLESS_PDF_LINES = [
    '三、收到和处理政府信息公开申请情况',
    '申请⼈情况',
    '（本列数据的勾稽关系为：第⼀项加第⼆项之和，等于第三项加第四项之  法⼈或其他组织',
    '和）',
    '⾃然',
    '总计',
    '⼈',
    '商业 科研 社会公 法律服 其',
    '企业 机构 益组织 务机构 他',
    '⼀、本年新收政府信息公开申请数量  1,120 8  1  —  3  2 1,134',
    '⼆、上年结转政府信息公开申请数量  5  1  —  —  —  — 6',
    '三、本年度  （⼀）予以公开  660  4  1  —  1  1 667',
    '办理结果',
    '（⼆）部分公开（区分处理的，只计这⼀情形，不计其他情',
    '10  1  —  —  —  — 11',
    '形）',
    '1.属于国家秘密  —  —  —  —  —  — —',
    '2.其他法律⾏政法规禁⽌公开  —  —  —  —  —  — —',
    '3.危及“三安全⼀稳定”  —  —  —  —  —  — —',
    '4.保护第三⽅合法权益  3  —  —  —  —  — 3',
    '（三）不予',
    '公开',
    '5.属于三类内部事务信息  —  —  —  —  —  — —',
    '6.属于四类过程性信息  2  —  —  —  —  — 2',
    '7.属于⾏政执法案卷  —  —  —  —  —  — —',
    '8.属于⾏政查询事项  —  —  —  —  —  — —',
    '1.本机关不掌握相关政府信息  325  2  —  —  1  1 329',
    '（四）⽆法',
    '2.没有现成信息需要另⾏制作  4  —  —  —  —  — 4',
    '提供',
    '3.补正后申请内容仍不明确  2  —  —  —  —  — 2',
    '1.信访举报投诉类申请  6  1  —  —  —  — 7',
    '2.重复申请  3  —  —  —  —  — 3',
    '（五）不予',
    '3.要求提供公开出版物  —  —  —  —  —  — —',
    '处理',
    '4.⽆正当理由⼤量反复申请  —  —  —  —  —  — —',
    '5.要求⾏政机关确认或重新出具已获取信息  —  —  —  —  —  — —',
    '1.申请⼈⽆正当理由逾期不补正、⾏政机关不再',
    '2  —  —  —  1  — 3',
    '处理其政府信息公开申请',
    '（六）其他',
    '2.申请⼈逾期未按收费通知要求缴纳费⽤、⾏政',
    '处理  —  1  —  —  —  — 1',
    '机关不再处理其政府信息公开申请',
    '3.其他  1  —  —  —  —  — 1',
    '（七）总计  1,018 9  1  —  3  2 1,033',
    '四、结转下年度继续办理  107 —  —  —  —  — 107',
    '四、政府信息公开⾏政复议、⾏政诉讼情况',
    '⾏政诉讼',
    '⾏政复议',
    '未经复议直接起诉  复议后起诉',
    '结果维 结果纠 其他结 尚未审 总 结果维 结果纠 其他结 尚未审 总 结果维 结果纠 其他结 尚未审 总',
    '持  正  果  结  计  持  正  果  结  计  持  正  果  结  计',
    '4  1  —  1  6  2  —  1  1  4  1  —  —  —  1',
    '五、存在的主要问题及改进情况',
]


def test_tables_of_a_pdf_without_ruling_lines(registry):
    lines = ["青田县人民政府2021年政府信息公开工作年度报告", PERIOD.format(year=2021)] + BORDERLESS_PDF_LINES
    parsed = parse(registry, lines)
    cells = table3_cells(parsed)
    assert [cells["granted", a] for a in registry.applicants] == [
        (660, "number"), (4, "number"), (1, "number"), (None, "not_applicable"), (1, "number"), (1, "number"), (667, "number")]
    assert [cells["other_unpaid_fee", a][0] for a in registry.applicants] == [None, 1, None, None, None, None, 1]
    assert [cells["other_other", a][0] for a in registry.applicants] == [1, None, None, None, None, None, 1]
    assert cells["total_processed", "total"] == (1033, "number")
    assert cells["withheld_state_secret", "total"] == (None, "not_applicable")
    assert not [i for i in parsed.parse_issues if i["severity"] in ("error", "warning")]
    got = {(c["proceeding"], c["result"]): c["value"] for c in parsed.review_litigation_cells}
    assert [got["review", r] for r in ("upheld", "corrected", "other", "pending", "total")] == [4, 1, None, 1, 6]
    assert [got["litigation_direct", r] for r in ("upheld", "corrected", "other", "pending", "total")] == [2, None, 1, 1, 4]
