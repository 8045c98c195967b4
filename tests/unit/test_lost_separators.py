"""Tables whose cell separators were lost (a page's visible text copied): rows such as
`一、本年新收政府信息公开申请数量120140321140` are recovered from the table's own arithmetic, marked
`inferred`, and a row that the arithmetic cannot decide is reported, never guessed. A row with one
digit per cell (`1000001`) has one reading without any arithmetic: its cells are `number`, so the
identities are still checked on them. The fixtures are rendered from the template with figures that
are not the samples'."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.parse import parse_report
from loaders.tables import fused

TITLE = "2020年涿州市人民政府政府信息公开工作年度报告"
GROUPS = {"granted": "三、本年度办理结果", "withheld_state_secret": "（三）不予公开",
          "unavailable_not_held": "（四）无法提供", "not_processed_complaint": "（五）不予处理",
          "other_overdue_correction": "（六）其他处理"}
TABLE4 = ["四、政府信息公开行政复议、行政诉讼情况", "行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果",
          "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]
# A consistent table 3: the outcome rows and the requests carried over and forward; the totals and
# the new requests are computed from them.
OUTCOMES = {
    "granted": [50, 6, 0, 1, 0, 0],
    "partially_granted": [12, 2, 0, 0, 1, 0],
    "withheld_third_party_rights": [3, 0, 0, 0, 0, 0],
    "unavailable_not_held": [40, 4, 0, 2, 1, 1],
    "unavailable_needs_creation": [5, 0, 0, 0, 0, 0],
    "not_processed_repeat": [2, 0, 0, 0, 0, 0],
    "other_handling": [6, 1, 0, 0, 0, 0],
}
CARRIED = {"carried_over": [6, 1, 0, 0, 0, 0], "carried_forward": [8, 2, 0, 0, 0, 0]}
REVIEW = [9, 3, 1, 2, 15, 4, 1, 0, 1, 6, 2, 0, 0, 1, 3]


def table3(registry, template="v2019", outcomes=OUTCOMES, carried=CARRIED):
    """row_code -> seven figures (six applicant columns and the total), all counts >= 0."""
    rows = {r.row_code: [0] * 6 for r in registry.rows_for(template)}
    rows.update({k: list(v) for k, v in {**outcomes, **carried}.items()})
    outcome_rows = [r.row_code for r in registry.rows_for(template) if r.outcome_group]
    rows["total_processed"] = [sum(rows[c][j] for c in outcome_rows) for j in range(6)]
    rows["new_received"] = [
        rows["total_processed"][j] + rows["carried_forward"][j] - rows["carried_over"][j] for j in range(6)
    ]
    assert min(min(v) for v in rows.values()) >= 0
    return {code: values + [sum(values)] for code, values in rows.items()}


def render(registry, figures, row_text, template="v2019", table4=REVIEW, table4_text=None):
    labels = {r.row_code: r.label_zh for r in registry.rows_for(template)}
    lines = [TITLE, "", "三、收到和处理政府信息公开申请情况", "申请人情况", "自然人", "法人或其他组织", "总计"]
    if template == "v2021":
        lines.insert(1, "本年制发件数")  # a v2021 marker
    for code, label in labels.items():
        if code in GROUPS:
            lines.append(GROUPS[code])
        lines.extend(row_text(code, label, [str(v) for v in figures[code]]))
    lines.extend(TABLE4)
    lines.extend(table4_text(table4) if table4_text else [" ".join(map(str, table4))])
    lines.append("五、存在的主要问题及改进情况")
    return "\n".join(lines).encode("utf-8")


def fused_state(values) -> str:
    """The state of a fused row's cells: `number` when each figure is one digit (one reading), else
    `inferred`."""
    return "number" if len("".join(map(str, values))) == len(values) else "inferred"


def fused_in_label(code, label, cells):
    return [label + "".join(cells)]


def parse(registry, data):
    parsed = parse_report(data, "fused.txt", registry)
    cells = {(c["row_code"], c["applicant"]): (c["value"], c["cell_state"]) for c in parsed.application_cells}
    return parsed, cells


def issues(parsed, code):
    return [i for i in parsed.parse_issues if i["code"] == code]


def test_every_row_fused_into_its_label_is_recovered(registry):
    figures = table3(registry)
    parsed, cells = parse(registry, render(registry, figures, fused_in_label, table4_text=lambda v: ["".join(map(str, v))]))
    for code, values in figures.items():
        assert [cells[code, a] for a in registry.applicants] == [(v, fused_state(values)) for v in values], code
    assert cells["total_processed", "total"] == (137, "inferred")
    assert cells["carried_forward", "natural_person"] == (8, "inferred")
    assert cells["withheld_state_secret", "total"] == (0, "number")  # 0000000: one digit per cell
    row = next(c for c in parsed.application_cells if c["row_code"] == "new_received" and c["applicant"] == "total")
    assert (row["raw_text"], row["line"]) == ("120140321140", 8)
    forced = [code for code, values in figures.items() if fused_state(values) == "number"]
    assert len(forced) == 17  # the rows of single-digit figures, zeros among them
    assert len(issues(parsed, "separators_lost")) == len(forced)
    assert len(issues(parsed, "separators_recovered")) == 23 - len(forced) + 1  # the other table-3 rows and table 4
    assert not [i for i in parsed.parse_issues if i["severity"] == "error"]
    assert parsed.report["status_reason"] == "tables missing: table2"  # the fixture has no table 2
    t4 = [(c["value"], c["cell_state"]) for c in parsed.review_litigation_cells]
    assert t4 == [(v, "inferred") for v in REVIEW]


def test_rows_that_their_own_sum_cannot_split_are_decided_by_the_columns(registry):
    """"122001015" adds up within its row as 12|2|0|0|1|0|15 and as 1|2|2|0|0|10|15; only the first
    satisfies T3-01/T3-02 in every column."""
    assert len(fused.row_splits(fused.lex("122001015", 1, registry, False), 7, {6: tuple(range(6))}, False, registry)) == 2
    figures = table3(registry)
    parsed, cells = parse(registry, render(registry, figures, fused_in_label))
    assert [cells["partially_granted", a][0] for a in registry.applicants] == [12, 2, 0, 0, 1, 0, 15]
    assert [cells["unavailable_not_held", a][0] for a in registry.applicants] == [40, 4, 0, 2, 1, 1, 48]
    assert [cells["total_processed", a][0] for a in registry.applicants] == [118, 13, 0, 3, 2, 1, 137]


def test_partially_lost_separators(registry):
    """The common case: most rows printed normally, a few fused, in several ways: figures on the line
    after the label, a row broken into runs, figures in the label's cell."""
    figures = table3(registry)

    def row(code, label, cells):
        if code == "partially_granted":
            return [label, "".join(cells)]  # the figures on their own line
        if code == "unavailable_not_held":
            return [label, "40 40211 48"]  # runs of figures: 40 | 4021 1 | 48
        if code == "total_processed":
            return [label + "118", "130321137"]  # the first cell in the label's cell, the rest fused
        return ["\t".join([label] + cells)]

    parsed, cells = parse(registry, render(registry, figures, row))
    for code, values in figures.items():
        fused_row = code in ("partially_granted", "unavailable_not_held", "total_processed")
        state = "inferred" if fused_row else "number"
        assert [cells[code, a] for a in registry.applicants] == [(v, state) for v in values], code
    assert {i["line"] for i in issues(parsed, "separators_recovered")} == {13, 25, 35}
    assert not [i for i in parsed.parse_issues if i["severity"] == "error"]


def test_a_whole_table_run_into_one_line(registry):
    """Rows and cells without any separator, the table on a single line (a page's text taken
    without separators): the line is cut at each run of figures and each row's numbering, then the
    rows are split by the arithmetic."""
    figures = table3(registry)
    numbering = {"withheld_state_secret": "1.", "withheld_prohibited_by_law": "2.", "unavailable_not_held": "1."}
    line = ""
    for row in registry.rows_for("v2019"):
        line += GROUPS.get(row.row_code, "") + numbering.get(row.row_code, "") + row.label_zh
        line += "".join(map(str, figures[row.row_code]))
    assert "属于国家秘密00000002.其他法律" in line
    data = "\n".join([TITLE, "三、收到和处理政府信息公开申请情况", "申请人情况 自然人 法人或其他组织 总计", line,
                      "四、政府信息公开行政复议、行政诉讼情况"]).encode("utf-8")
    parsed, cells = parse(registry, data)
    for code, values in figures.items():
        assert [cells[code, a] for a in registry.applicants] == [(v, fused_state(values)) for v in values], code
    assert {c["line"] for c in parsed.application_cells} == {4}


def test_a_row_whose_separators_are_intact_in_the_label_cell_is_read_as_printed(registry):
    figures = table3(registry)
    parsed, cells = parse(registry, render(registry, figures, lambda code, label, c: [label + " ".join(c)]))
    assert cells["new_received", "natural_person"] == (120, "number")
    assert cells["total_processed", "total"] == (137, "number")
    assert not issues(parsed, "separators_recovered")


def test_rows_the_arithmetic_cannot_decide_are_reported_not_guessed(registry):
    """Two fused rows that can swap their splits without changing any column sum: both readings
    satisfy every constraint, so neither row keeps a cell, and the issue says how many splits fit."""
    outcomes = {**OUTCOMES, "granted": [10, 1, 0, 0, 0, 0], "partially_granted": [1, 0, 10, 0, 0, 0]}
    figures = table3(registry, outcomes=outcomes)
    assert "".join(map(str, figures["granted"])) == "".join(map(str, figures["partially_granted"])) == "101000011"

    def row(code, label, cells):
        return [label + "".join(cells)] if code in ("granted", "partially_granted") else ["\t".join([label] + cells)]

    parsed, cells = parse(registry, render(registry, figures, row))
    for code in ("granted", "partially_granted"):
        assert {cells[code, a] for a in registry.applicants} == {(None, "unreadable")}
    ambiguous = issues(parsed, "separators_ambiguous")
    assert [i["line"] for i in ambiguous] == [11, 12]
    assert all(i["severity"] == "error" and "2 splits satisfy every constraint" in i["message"] for i in ambiguous)
    assert "10 | 1 | 0 | 0 | 0 | 0 | 11" in ambiguous[0]["message"] and "1 | 0 | 10 | 0 | 0 | 0 | 11" in ambiguous[0]["message"]
    assert parsed.report["parse_status"] == "partial"
    assert cells["total_processed", "research"] == (10, "number")  # the rows printed normally are untouched


def test_a_fused_row_that_cannot_add_up_is_reported(registry):
    """The issue's own example string has one digit too many ("…5111380"): no split of it adds up to
    its total, so the row is unreadable and the issue quotes it."""
    figures = table3(registry)

    def row(code, label, cells):
        return [label + "3522105111380"] if code == "new_received" else ["\t".join([label] + cells)]

    parsed, cells = parse(registry, render(registry, figures, row))
    assert {cells["new_received", a] for a in registry.applicants} == {(None, "unreadable")}
    (issue,) = issues(parsed, "separators_unrecoverable")
    assert "'3522105111380'" in issue["message"] and issue["line"] == 8


def test_column_identities_that_fail_whatever_the_split_do_not_decide(registry):
    """A misprinted total elsewhere (carried_forward/natural_person says 9, not 8): the rows with one
    split that adds up are still recovered, the ambiguous one stays unreadable, and the issue says
    that the column identities could not decide."""
    figures = table3(registry)

    def row(code, label, cells):
        if code == "carried_forward":
            return ["\t".join([label, "9", "2", "0", "0", "0", "0", "11"])]
        if code in ("granted", "partially_granted"):
            return [label + "".join(cells)]
        return ["\t".join([label] + cells)]

    parsed, cells = parse(registry, render(registry, figures, row))
    assert [cells["granted", a] for a in registry.applicants] == [(v, "inferred") for v in figures["granted"]]
    assert {cells["partially_granted", a] for a in registry.applicants} == {(None, "unreadable")}
    (issue,) = issues(parsed, "separators_ambiguous")
    assert "2 splits satisfy every constraint within the row" in issue["message"]
    assert "fail whatever the split" in issue["message"]


def test_empty_cells_that_vanished_with_the_separators(registry):
    """A table that prints empty cells as nothing: in a fused row they leave no trace; the arithmetic
    places them (inferred, value NULL)."""
    figures = table3(registry)

    def row(code, label, cells):
        shown = ["" if v == "0" else v for v in cells]
        if code == "new_received":
            return [label + "".join(shown)]  # 120 14 3 2 1 140, three cells empty
        return ["\t".join([label] + shown)]

    parsed, cells = parse(registry, render(registry, figures, row))
    assert [cells["new_received", a] for a in registry.applicants] == [
        (120, "inferred"), (14, "inferred"), (None, "inferred"), (3, "inferred"), (2, "inferred"), (1, "inferred"),
        (140, "inferred")]
    assert cells["carried_over", "research"] == (None, "blank")


def test_v2021_rows_fused(registry):
    outcomes = {k: v for k, v in OUTCOMES.items() if k != "other_handling"}
    outcomes.update({"other_overdue_correction": [4, 1, 0, 0, 0, 0], "other_other": [2, 0, 0, 0, 0, 0]})
    figures = table3(registry, "v2021", outcomes=outcomes)
    parsed, cells = parse(registry, render(registry, figures, fused_in_label, template="v2021"))
    assert parsed.report["template"] == "v2021"
    assert [cells["other_overdue_correction", a][0] for a in registry.applicants] == [4, 1, 0, 0, 0, 0, 5]
    assert cells["total_processed", "total"] == (137, "inferred")
    assert len(parsed.application_cells) == 25 * 7


def test_table4_fused_and_ambiguous(registry):
    figures = table3(registry)
    text = lambda v: ["".join(map(str, v))]  # noqa: E731
    parsed = parse_report(render(registry, figures, fused_in_label, table4_text=text), "t4.txt", registry)
    assert [c["value"] for c in parsed.review_litigation_cells] == REVIEW
    # review 10|1|0|0|11 and 1|0|10|0|11 both add up: nothing is kept.
    ambiguous = [10, 1, 0, 0, 11] + [0] * 10
    parsed = parse_report(render(registry, figures, fused_in_label, table4=ambiguous, table4_text=text), "t4.txt", registry)
    assert {c["cell_state"] for c in parsed.review_litigation_cells} == {"unreadable"}
    (issue,) = [i for i in parsed.parse_issues if i["code"] == "separators_ambiguous"]
    assert "table 4" in issue["message"] and "2 splits" in issue["message"]


def test_table2_rows_fused(registry):
    """Table 2 has no equality inside a row: a fused row is kept only when a single split exists;
    units and signs are boundaries, so "10921个3.23亿" is two printed cells."""
    lines = [TITLE, "二、主动公开政府信息情况", "第二十条第（一）项", "信息内容", "本年新制作数量", "本年新公开数量",
             "对外公开总数量", "规章002", "规范性文件1212110", "第二十条第（五）项", "信息内容", "上一年项目数量",
             "本年增/减", "处理决定数量", "行政许可342-511234592", "第二十条第（九）项", "信息内容", "采购项目数量",
             "采购总金额", "政府集中采购10921个3.23亿", "三、收到和处理政府信息公开申请情况"]
    parsed = parse_report("\n".join(lines).encode(), "t2.txt", registry)
    t2 = {(c["item"], c["measure"]): (c["value"], c["cell_state"]) for c in parsed.disclosure_cells}
    assert [t2["rules", m] for m in ("new_made", "new_published", "total_published")] == [(0, "number"), (0, "number"), (2, "number")]
    assert t2["normative_documents", "total_published"] == (None, "unreadable")
    assert t2["licensing", "change"] == (None, "unreadable")
    assert t2["central_procurement", "procurement_items"] == (10921, "number")
    assert t2["central_procurement", "procurement_amount_yuan"] == (323_000_000, "number")
    ambiguous = {i["line"] for i in parsed.parse_issues if i["code"] == "separators_ambiguous"}
    assert ambiguous == {9, 15}


def test_the_search_is_bounded(registry):
    """A pathological row (sixty digits, empty cells allowed) stops at its budget with an issue."""
    parts = fused.lex("1" * 60, 1, registry, False)
    assert fused.row_splits(parts, 7, {}, True, registry, budget=fused.Budget(10_000)) is None
    figures = table3(registry)

    def row(code, label, cells):
        return [label + "9" * 80] if code == "new_received" else ["\t".join([label] + cells)]

    parsed, cells = parse(registry, render(registry, figures, row))
    assert {cells["new_received", a] for a in registry.applicants} == {(None, "unreadable")}
    assert issues(parsed, "separators_unrecoverable") or issues(parsed, "separators_search_bound")


@pytest.mark.parametrize("text, parts", [
    ("3522105111380", ["3522105111380"]),
    ("10921个3.23亿", ["10921个", "3.23亿"]),
    ("1 0 -", ["1", "0", "-"]),
    ("１２０１４", ["12014"]),
])
def test_lex(registry, text, parts):
    assert [p.text for p in fused.lex(text, 1, registry, signed=False)] == parts


def test_split_trailing_works_on_the_printed_text(registry):
    assert fused.split_trailing("1.属于国家秘密1000001", registry, False) == ("1.属于国家秘密", "1000001")
    assert fused.split_trailing("行政许可342-511234592", registry, True) == ("行政许可", "342-511234592")
    assert fused.split_trailing("（七）总计", registry, False) is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_recovered_cells_are_never_wrong(registry, data):
    """Random consistent tables with random rows fused, zeros printed as 0 or as empty cells: every
    cell kept equals the true figure, and every row not kept is reported, never silently wrong."""
    count = st.one_of(st.just(0), st.integers(0, 9), st.integers(10, 400))
    outcome_rows = [r.row_code for r in registry.rows_for("v2019") if r.outcome_group]
    chosen = data.draw(st.lists(st.sampled_from(outcome_rows), min_size=1, max_size=6, unique=True))
    outcomes = {code: [data.draw(count) for _ in range(6)] for code in chosen}
    processed = [sum(outcomes[c][j] for c in chosen) for j in range(6)]
    carried = {"carried_over": [data.draw(st.integers(0, processed[j])) for j in range(6)],
               "carried_forward": [data.draw(st.integers(0, 9)) for _ in range(6)]}
    figures = table3(registry, outcomes=outcomes, carried=carried)
    fused_rows = set(data.draw(st.lists(st.sampled_from(sorted(figures)), min_size=1, max_size=23, unique=True)))
    zeros_empty = data.draw(st.booleans())  # a table that prints 0 as an empty cell

    def row(code, label, cells):
        cells = ["" if zeros_empty and c == "0" else c for c in cells]
        return [label + "".join(cells)] if code in fused_rows else ["\t".join([label] + cells)]

    parsed, cells = parse(registry, render(registry, figures, row))
    reported = {i["line"] for i in parsed.parse_issues if i["code"] in ("separators_ambiguous", "separators_search_bound",
                                                                        "separators_unrecoverable")}
    for code, values in figures.items():
        for applicant, value in zip(registry.applicants, values):
            got, state = cells[code, applicant]
            if state == "unreadable":
                line = next(c["line"] for c in parsed.application_cells if c["row_code"] == code)
                assert line in reported, (code, applicant)
            elif code in fused_rows:
                assert got == (None if zeros_empty and value == 0 else value), (code, applicant)
                # A fused row is read as printed only when it has one digit per cell.
                printed = "".join("" if zeros_empty and v == 0 else str(v) for v in values)
                assert state == "inferred" or (state == "number" and len(printed) == len(values)), (code, applicant, state)
            else:
                assert (got, state) == ((None, "blank") if zeros_empty and value == 0 else (value, "number")), (code, applicant)
