"""Small but complete OGI annual reports rendered from the template (seeds), for fixtures that the
samples do not provide: consecutive years of the same organ, v2021 tables, planted errors.

The layout is the plain one: one cell per line, every cell printed (0 rather than empty), section
headings as in the template. Figures are given per table and default to 0.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from loaders.registry import DEFAULT_SEEDS_DIR, Registry, read_seed

GROUP_HEADINGS = {
    "granted": "三、本年度办理结果",
    "withheld_state_secret": "（三）不予公开",
    "unavailable_not_held": "（四）无法提供",
    "not_processed_complaint": "（五）不予处理",
    "other_overdue_correction": "（六）其他处理",
}
TABLE4_HEADER = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
                 "未经复议直接起诉", "复议后起诉"]


@dataclass
class Report:
    """One report's figures. `applications` maps row_code -> 7 values in applicant order (the last is
    总计, computed from the six when not given); `disclosures` maps (item, measure) -> value;
    `review_litigation` maps proceeding -> 5 values (upheld, corrected, other, pending, total)."""
    title: str
    template: str = "v2019"
    applications: dict[str, list[int]] = field(default_factory=dict)
    disclosures: dict[tuple[str, str], float] = field(default_factory=dict)
    review_litigation: dict[str, list[int]] = field(default_factory=dict)
    prose: list[str] = field(default_factory=list)


def _table2(report: Report, registry: Registry) -> list[str]:
    items = read_seed(DEFAULT_SEEDS_DIR, "disclosure_items")
    measure_labels = {m["measure"]: m["label_zh"] for m in read_seed(DEFAULT_SEEDS_DIR, "disclosure_measures")}
    lines: list[str] = ["二、主动公开政府信息情况"]
    block = None
    for item in sorted(items, key=lambda i: int(i["sort_order"])):
        measures = registry.disclosure_layout.get((report.template, item["item"]))
        if measures is None:
            continue
        if item["article_item"] != block:
            block = item["article_item"]
            lines += [block, "信息内容"]
            lines += [measure_labels[m] + ("（单位：万元）" if m == "fee_amount_yuan" else "") for m in measures]
        lines.append(item["label_zh"])
        for m in measures:
            value = report.disclosures.get((item["item"], m), 0)
            lines.append(f"{value / 10000:g}" if m == "fee_amount_yuan" else f"{value:g}")
    return lines


def _table3(report: Report, registry: Registry) -> list[str]:
    lines = ["三、收到和处理政府信息公开申请情况", "申请人情况", "自然人", "法人或其他组织", "总计",
             "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    for row in registry.rows_for(report.template):
        if row.row_code in GROUP_HEADINGS:
            lines.append(GROUP_HEADINGS[row.row_code])
        values = list(report.applications.get(row.row_code, [0] * 6))
        if len(values) == 6:
            values.append(sum(values))
        lines.append(row.label_zh)
        lines += [str(v) for v in values]
    return lines


def _table4(report: Report, registry: Registry) -> list[str]:
    lines = ["四、政府信息公开行政复议、行政诉讼情况", *TABLE4_HEADER]
    for proceeding in registry.proceedings:
        lines += [str(v) for v in report.review_litigation.get(proceeding, [0] * 5)]
    return lines


def render(report: Report, registry: Registry) -> bytes:
    lines = [report.title, "", "一、总体情况", *report.prose]
    lines += _table2(report, registry) + _table3(report, registry) + _table4(report, registry)
    lines += ["五、存在的主要问题及改进情况", "无。", "六、其他需要报告的事项", "无。"]
    return "\n".join(lines).encode("utf-8")
