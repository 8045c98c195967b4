"""Figures read from prose and from the legacy statistics table, with their sentence and line, and the
traps of real prose: breakdowns (其中), totals that include carried-over requests, percentages, figures
about other years."""
import csv

import pytest

from loaders.parse import parse_report
from loaders.registry import DEFAULT_SEEDS_DIR


def parse(registry, *lines):
    parsed = parse_report("\n".join(lines).encode("utf-8"), "prose.txt", registry)
    return parsed, {f["fact"]: f for f in parsed.narrative_facts}


def values(facts):
    return {k: f["value"] for k, f in facts.items()}


LEGACY_TITLE = "海宁市2016年政府信息公开工作年度报告"
STATISTICS = [
    # label, unit, this year, cumulative (None: empty cell)
    ("指标名称", "计量单位", "本年度", "历年累计"),
    ("一、主动公开情况", "—", "—", "—"),
    ("（一）主动公开政府信息数", "条", "8214", "60211"),
    ("三、依申请公开情况", "—", "—", "—"),
    ("（一）收到申请数", "件", "57", "402"),
    ("1.当面申请数", "件", "12", None),
    ("2.传真申请数", "件", "0", None),
    ("3.网络申请数", "件", "40", None),
    ("4.信函申请数", "件", "5", None),
    ("（二）申请办结数", "件", "55", None),
    ("（三）申请答复数", "件", "55", None),
    ("1.属于已主动公开范围数", "件", "6", None),
    ("2.同意公开答复数", "件", "30", None),
    ("3.同意部分公开答复数", "件", "4", None),
    ("4.不同意公开答复数", "件", "3", None),
    ("其中：涉及国家秘密", "件", "0", None),
    ("涉及商业秘密", "件", "1", None),
    ("涉及个人隐私", "件", "2", None),
    ("5.不属于本行政机关公开数", "件", "7", None),
    ("6.申请信息不存在数", "件", "3", None),
    ("7.告知作出更改补充数", "件", "1", None),
    ("8.告知通过其他途径办理数", "件", "1", None),
    ("四、行政复议数量", "件", "4", None),
    ("（一）维持具体行政行为数", "件", "3", None),
    ("（二）被依法纠错数", "件", "1", None),
    ("（三）其他情形数", "件", "0", None),
    ("五、行政诉讼数量", "件", "2", None),
    ("（一）维持具体行政行为或者驳回原告诉讼请求数", "件", "1", None),
    ("（二）被依法纠错数", "件", "0", None),
    ("（三）其他情形数", "件", "1", None),
]
EXPECTED = {
    "requests_total": 57, "channel_in_person": 12, "channel_fax": 0, "channel_online": 40, "channel_letter": 5,
    "requests_processed": 55, "already_public": 6, "granted": 30, "partially_granted": 4, "withheld": 3,
    "withheld_state_secret": 0, "withheld_trade_secret": 1, "withheld_privacy": 2, "not_this_organ": 7,
    "information_not_exist": 3, "change_or_supplement": 1, "other_route": 1, "review_total": 4, "review_upheld": 3,
    "review_corrected": 1, "litigation_total": 2, "litigation_upheld": 1, "litigation_corrected": 0,
}


def statistics_lines(layout):
    lines = [LEGACY_TITLE, "本年度报告中所列数据的统计期限自2016年1月1日至2016年12月31日。", "附表：政府信息公开情况统计表"]
    for row in STATISTICS:
        lines.extend(layout(["" if c is None else c for c in row]))
    lines.append("六、其他需要报告的事项。本年度无其他需要报告的事项。")
    return lines


@pytest.mark.parametrize("layout", [
    lambda row: ["\t".join(row)],
    lambda row: row,  # one cell per line, an empty line for an empty cell
    lambda row: ["| " + " | ".join(row) + " |"],
], ids=["tabs", "cell-per-line", "pipes"])
def test_legacy_statistics_table(registry, layout):
    parsed, facts = parse(registry, *statistics_lines(layout))
    assert values(facts) == EXPECTED
    assert parsed.report["template"] == "legacy"
    first = facts["requests_total"]
    assert (first["sentence"], first["unit"]) == ("（一）收到申请数", "件")
    # 被依法纠错数 under 行政复议数量 and under 行政诉讼数量 are two different facts.
    assert facts["review_corrected"]["line"] < facts["litigation_corrected"]["line"]


def test_national_statistics_table_with_units_in_the_label_cell(registry):
    lines = [LEGACY_TITLE, "统计指标 单位 统计数", "（一）收到申请数 件 57", "2.同意公开答复数 件 30", "四、行政复议数量 件 4",
             "以上数据统计至2016年12月31日。"]
    _, facts = parse(registry, *lines)
    assert values(facts) == {"requests_total": 57, "granted": 30, "review_total": 4}


def test_prose_and_statistics_table_that_disagree(registry):
    lines = statistics_lines(lambda row: ["\t".join(row)])
    lines.insert(2, "2016年，全市共收到政府信息公开申请59件。")
    parsed, facts = parse(registry, *lines)
    assert facts["requests_total"]["value"] == 57  # the table's figure
    (issue,) = [i for i in parsed.parse_issues if i["code"] == "prose_differs_from_statistics"]
    assert "59" in issue["message"] and "57" in issue["message"] and issue["line"] == 3


def test_prose_traps(registry):
    lines = [
        "2019年丽水市莲都区人民政府政府信息公开工作年度报告",
        "本报告所列数据的统计期限自2019年1月1日至2019年12月31日。",
        "2018年，全区共收到政府信息公开申请80件。",  # another year
        "区政府办公室收到申请12件，各部门收到申请98件，全区共收到政府信息公开申请110件，比上年增加30件，增长37.5%。",
        "上年结转政府信息公开申请5件。",
        "其中，予以公开60件，占54.5%；部分公开8件；不予公开4件，其中1件属于国家秘密，3件属保护第三方合法权益；无法提供30件；"
        "不予处理3件；其他处理2件。",
        "上年共办结政府信息公开申请70件。",  # the previous year, in the clause
        "全年办结政府信息公开申请107件，8件结转下年度继续办理。",
        "全区共发生政府信息公开行政复议案件5件，其中维持具体行政行为3件，被依法纠错1件；行政诉讼2件，其中维持1件。",
    ]
    _, facts = parse(registry, *lines)
    assert values(facts) == {
        "requests_total": 110, "requests_carried_over": 5, "granted": 60, "partially_granted": 8, "withheld": 4,
        "withheld_state_secret": 1, "withheld_third_party_rights": 3, "unavailable": 30, "not_processed": 3,
        "other_handling": 2, "requests_processed": 107, "requests_carried_forward": 8, "review_total": 5,
        "review_upheld": 3, "review_corrected": 1, "litigation_total": 2, "litigation_upheld": 1,
    }
    assert facts["requests_total"]["line"] == 4 and "110件" in facts["requests_total"]["sentence"]


def test_a_total_that_includes_carried_over_requests(registry):
    _, facts = parse(registry, "2021年某县政府信息公开工作年度报告",
                     "全县共受理政府信息公开申请130件（含上年结转申请10件），答复政府信息公开申请125件。")
    assert values(facts) == {"requests_total_incl_carried_over": 130, "requests_carried_over": 10, "requests_processed": 125}


def test_every_fact_code_is_in_the_codes_and_the_map(registry):
    """Keywords and statistics rows only produce codes the narrative_fact_codes seed lists, and every
    outcome-bearing fact is mapped in legacy_outcome_map (the contract the T3-08 gate reads)."""
    def column(seed, name):
        with open(DEFAULT_SEEDS_DIR / f"{seed}.csv", encoding="utf-8") as f:
            return {r[name] for r in csv.DictReader(f)}

    codes = column("narrative_fact_codes", "fact")
    produced = column("narrative_fact_keywords", "fact") | column("legacy_statistics_rows", "fact")
    assert produced <= codes
    mapped = column("legacy_outcome_map", "fact")
    assert codes - mapped == {f"channel_{c}" for c in ("in_person", "online", "letter", "fax", "email", "letter_or_fax")}


def test_legacy_outcome_phrasings_without_the_template_words(registry):
    """信息不存在的 without 申请, 非本机关掌握 (not 非本部门), 申请内容不明确需补正: common legacy wordings."""
    _, facts = parse(
        registry, "松阳县人民政府2015年政府信息公开工作年度报告",
        "2015年，县政府及各部门共受理政府信息公开申请123件。其中同意公开80件，同意部分公开10件，答复不予公开的5件，"
        "信息不存在的8件，非本机关掌握的6件，不属于本机关公开范围的3件，申请内容不明确需补正的12件。",
    )
    assert values(facts) == {
        "requests_total": 123, "granted": 80, "partially_granted": 10, "withheld": 5, "information_not_exist": 8,
        "unavailable_not_held": 6, "not_this_organ": 3, "change_or_supplement": 12,
    }


def test_counts_in_chinese_numerals(registry):
    _, facts = parse(
        registry, "遂昌县2014年政府信息公开工作年度报告",
        "2014年全县共收到政府信息公开申请一百二十三件，其中同意公开九十件，同意部分公开十二件，不同意公开三件，"
        "申请信息不存在的十八件。全年发生行政复议申请两件，行政诉讼一件。第一次公开的文件不计。",
    )
    assert values(facts) == {
        "requests_total": 123, "granted": 90, "partially_granted": 12, "withheld": 3, "information_not_exist": 18,
        "review_total": 2, "litigation_total": 1,
    }
    assert facts["requests_total"]["sentence"].startswith("2014年全县共收到政府信息公开申请一百二十三件")


@pytest.mark.parametrize("numeral, value", [
    ("一百二十三", 123), ("十二", 12), ("十", 10), ("两", 2), ("一百零五", 105), ("三千零二十", 3020),
    ("一万零五", 10005), ("二〇", 20), ("一二十", None),
])
def test_chinese_numeral_values(numeral, value):
    from loaders.narrative import chinese_numeral

    assert chinese_numeral(numeral) == value


def test_legacy_request_totals_with_the_applicants_named_between(registry):
    """受理公民、法人和其他组织提出的政府信息公开申请25件: the applicants named between 受理 and the
    request keyword; 已答复N件; 依申请公开申请 in Chinese numerals; 非政府信息."""
    _, facts = parse(
        registry, "淳安县2016年政府信息公开工作年度报告",
        "2016年，全县共受理公民、法人和其他组织提出的政府信息公开申请25件，其中网上申请15件，当面申请6件，信函申请4件。",
        "已答复25件，其中同意公开20件，不予公开1件，属于非政府信息的2件，信息不存在2件。",
        "因政府信息公开申请提起行政复议1起，行政诉讼2起。",
    )
    assert values(facts) == {
        "requests_total": 25, "channel_online": 15, "channel_in_person": 6, "channel_letter": 4, "requests_processed": 25,
        "granted": 20, "withheld": 1, "not_government_information": 2, "information_not_exist": 2,
        "review_total": 1, "litigation_total": 2,
    }
    _, facts = parse(registry, "淳安县2016年政府信息公开工作年度报告", "全年受理依申请公开申请三十二件，答复率100%。")
    assert values(facts) == {"requests_total": 32}
