"""Small but complete OGI annual reports with figures given per table, for fixtures that the samples
do not provide (consecutive years of the same organ, v2021 tables, planted errors), printed by the
renderer `ogi synth` uses (ogi.printing) in the plain layout: one cell per line, every cell printed
(0 rather than empty), section headings as in the template. Figures default to 0.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ogi.printing.grid import Block
from ogi.printing.template import SECTION_HEADINGS, table2_grids, table3_grid, table4_grid, template
from ogi.printing.text import text


@dataclass
class Report:
    """One report's figures. `applications` maps row_code -> 7 values in applicant order (the last is
    总计, computed from the six when not given); `disclosures` maps (item, measure) -> value (yuan for
    amounts: the fee prints in 万元); `review_litigation` maps proceeding -> 5 values (upheld,
    corrected, other, pending, total)."""
    title: str
    template: str = "v2019"
    applications: dict[str, list[int]] = field(default_factory=dict)
    disclosures: dict[tuple[str, str], float] = field(default_factory=dict)
    review_litigation: dict[str, list[int]] = field(default_factory=dict)
    prose: list[str] = field(default_factory=list)


def blocks(report: Report) -> list[Block]:
    tpl = template()
    disclosures = {(item, m): (f"{report.disclosures.get((item, m), 0) / 10000:g}" if m == "fee_amount_yuan"
                               else f"{report.disclosures.get((item, m), 0):g}")
                   for item, measures in tpl.layout[report.template] for m in measures}
    applications = {}
    for code, _, _, _ in tpl.rows[report.template]:
        values = list(report.applications.get(code, [0] * 6))
        if len(values) == 6:
            values.append(sum(values))
        applications.update(((code, a), str(v)) for (a, _), v in zip(tpl.applicants, values))
    review = {(p, r): str(v) for p, _ in tpl.proceedings
              for (r, _), v in zip(tpl.results, report.review_litigation.get(p, [0] * 5))}
    return [
        ("title", report.title), ("h", "一、总体情况"), *[("p", p) for p in report.prose],
        ("h", SECTION_HEADINGS[2]), *[("grid", g) for g in table2_grids(tpl, report.template, disclosures)],
        ("h", SECTION_HEADINGS[3]), ("grid", table3_grid(tpl, report.template, applications)),
        ("h", SECTION_HEADINGS[4]), ("grid", table4_grid(tpl, review)),
        ("h", "五、存在的主要问题及改进情况"), ("p", "无。"), ("h", "六、其他需要报告的事项"), ("p", "无。"),
    ]


def render(report: Report) -> bytes:
    return text(blocks(report), "plain", blank_lines=False).encode("utf-8")
