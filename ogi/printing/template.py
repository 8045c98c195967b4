"""The template's three tables as publishers print them (国办公开办函〔2019〕60号 and 〔2021〕30号), as
grids of merged cells, with the printed labels read from the seeds. The figures come in as printed
text: table 2 by (item, measure), table 3 by (row_code, applicant), table 4 by (proceeding, result).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from loaders.project import SEEDS_DIR
from ogi.printing.grid import Cell, Grid

TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
OUTCOMES_HEADING = "三、本年度办理结果"
ORGANISATIONS_HEADING = "法人或其他组织"
SECTION_HEADINGS = {2: "二、主动公开政府信息情况", 3: "三、收到和处理政府信息公开申请情况",
                    4: "四、政府信息公开行政复议、行政诉讼情况"}
# The headings the v2021 template prints differently from the seeds' (v2019) labels.
V2021_MEASURE_LABELS = {"decisions": "本年处理决定数量", "fee_amount_yuan": "本年收费金额（单位：万元）"}
V2021_ITEM_LABELS = {"normative_documents": "行政规范性文件"}
TABLE2_WIDTH = 4  # one table for every block: the label column and up to three measures
TABLE4_LAYOUTS = ("nested", "stacked")


def _seed(seeds_dir: Path, name: str) -> list[dict[str, str]]:
    with open(seeds_dir / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Template:
    """The printed labels of the template, from the seeds."""
    rows: dict[str, list[tuple[str, str, str, str]]]  # template -> [(row_code, outcome_group, position, label)]
    group_labels: dict[str, str]
    applicants: list[tuple[str, str]]  # (code, label), 总计 last
    items: dict[str, tuple[str, str]]  # item -> (article_item, label)
    layout: dict[str, list[tuple[str, list[str]]]]  # template -> [(item, [measures])] in print order
    measure_labels: dict[str, str]
    proceedings: list[tuple[str, str]]  # without litigation_unsplit (legacy only)
    results: list[tuple[str, str]]

    @classmethod
    def load(cls, seeds_dir: Path = SEEDS_DIR) -> "Template":
        rows: dict[str, list] = {"v2019": [], "v2021": []}
        for r in sorted(_seed(seeds_dir, "application_rows"), key=lambda r: int(r["sort_order"])):
            for t in r["templates"].split():
                rows[t].append((r["row_code"], r["outcome_group"], r["position"], r["label_zh"]))
        measures: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for r in _seed(seeds_dir, "disclosure_layout"):
            measures.setdefault((r["template"], r["item"]), []).append((int(r["position"]), r["measure"]))
        items = sorted(_seed(seeds_dir, "disclosure_items"), key=lambda r: int(r["sort_order"]))
        order = {r["item"]: i for i, r in enumerate(items)}
        layout: dict[str, list] = {"v2019": [], "v2021": []}
        for (template, item), ms in sorted(measures.items(), key=lambda kv: order[kv[0][1]]):
            layout[template].append((item, [m for _, m in sorted(ms)]))
        return cls(
            rows=rows,
            group_labels={r["outcome_group"]: r["label_zh"] for r in _seed(seeds_dir, "outcome_groups")},
            applicants=[(r["applicant"], r["label_zh"])
                        for r in sorted(_seed(seeds_dir, "applicants"), key=lambda r: int(r["sort_order"]))],
            items={r["item"]: (r["article_item"], r["label_zh"]) for r in items},
            layout=layout,
            measure_labels={r["measure"]: r["label_zh"] for r in _seed(seeds_dir, "disclosure_measures")},
            proceedings=[(r["proceeding"], r["label_zh"])
                         for r in sorted(_seed(seeds_dir, "proceedings"), key=lambda r: int(r["sort_order"]))
                         if r["proceeding"] != "litigation_unsplit"],
            results=[(r["result"], r["label_zh"])
                     for r in sorted(_seed(seeds_dir, "review_results"), key=lambda r: int(r["sort_order"]))],
        )

    def measure_label(self, template: str, measure: str) -> str:
        return (V2021_MEASURE_LABELS.get(measure) if template == "v2021" else None) or self.measure_labels[measure]

    def item_label(self, template: str, item: str) -> str:
        return (V2021_ITEM_LABELS.get(item) if template == "v2021" else None) or self.items[item][1]


@cache
def template() -> Template:
    return Template.load()


def table2_grids(tpl: Template, template: str, printed: dict[tuple[str, str], str], one_table: bool = False) -> list[Grid]:
    """Table 2: a grid per 第二十条 block (its heading, 信息内容 and the measures, then one row per item),
    or, with `one_table`, every block in one table four columns wide (a block with fewer measures
    lets its last measure fill the row)."""
    blocks: dict[str, list[tuple[str, list[str]]]] = {}
    for item, measures in tpl.layout[template]:
        blocks.setdefault(tpl.items[item][0], []).append((item, measures))
    grids: list[Grid] = []
    for heading, items in blocks.items():
        measures = items[0][1]
        columns = TABLE2_WIDTH if one_table else len(measures) + 1
        spans = [1] * (len(measures) - 1) + [columns - len(measures)]
        grid: Grid = [[Cell(heading, colspan=columns)],
                      [Cell("信息内容")] + [Cell(tpl.measure_label(template, m), colspan=s) for m, s in zip(measures, spans)]]
        for item, ms in items:
            grid.append([Cell(tpl.item_label(template, item))]
                        + [Cell(printed.get((item, m), ""), colspan=s) for m, s in zip(ms, spans)])
        grids.append(grid)
    return [[row for grid in grids for row in grid]] if one_table else grids


def table3_grid(tpl: Template, template: str, printed: dict[tuple[str, str], str], member_mark: str = "．") -> Grid:
    """Table 3 with its merged headings: the note over three columns and three rows, the applicant
    columns under 申请人情况, 三、本年度办理结果 down the outcome rows, each outcome group's heading down
    its rows; `member_mark` follows the number of a row inside a group (1． or 1.)."""
    applicants = tpl.applicants
    grid: Grid = [
        [Cell(TABLE3_NOTE, rowspan=3, colspan=3), Cell("申请人情况", colspan=7)],
        [Cell(applicants[0][1], rowspan=2), Cell(ORGANISATIONS_HEADING, colspan=5), Cell(applicants[-1][1], rowspan=2)],
        [Cell(label) for _, label in applicants[1:6]],
    ]
    rows = tpl.rows[template]

    def values(code: str) -> list[Cell]:
        return [Cell(printed.get((code, a), "")) for a, _ in applicants]

    by_code = {code: (position, label) for code, _, position, label in rows}
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, group, _, label in rows:
        if group:
            groups.setdefault(group, []).append((code, label))
    outcome_height = sum(len(members) for members in groups.values()) + 1  # and the total row
    grid.append([Cell(f"一、{by_code['new_received'][1]}", colspan=3)] + values("new_received"))
    grid.append([Cell(f"二、{by_code['carried_over'][1]}", colspan=3)] + values("carried_over"))
    for n, (group, members) in enumerate(groups.items()):
        lead = [Cell(OUTCOMES_HEADING, rowspan=outcome_height)] if n == 0 else []
        number = _group_number(by_code[members[0][0]][0])
        if len(members) == 1:
            code, label = members[0]
            grid.append(lead + [Cell(f"（{number}）{label}", colspan=2)] + values(code))
            continue
        for k, (code, label) in enumerate(members, start=1):
            head = [Cell(f"（{number}）{tpl.group_labels[group]}", rowspan=len(members))] if k == 1 else []
            grid.append((lead if k == 1 else []) + head + [Cell(f"{k}{member_mark}{label}")] + values(code))
    grid.append([Cell(f"（{_group_number(by_code['total_processed'][0])}）{by_code['total_processed'][1]}", colspan=2)]
                + values("total_processed"))
    grid.append([Cell(f"四、{by_code['carried_forward'][1]}", colspan=3)] + values("carried_forward"))
    return grid


def _group_number(position: str) -> str:
    """三（三）1 -> 三 (the Chinese numeral in brackets)."""
    return position.split("（", 1)[1].split("）", 1)[0]


def table4_grid(tpl: Template, printed: dict[tuple[str, str], str], layout: str = "nested") -> Grid:
    """Table 4, review and the two routes of litigation by result. `nested`: review's result headings
    beside the litigation routes; `stacked`: 行政复议 over two heading rows, every result heading on
    the third."""
    results, proceedings = tpl.results, tpl.proceedings
    values = [Cell(printed.get((p, r), "")) for p, _ in proceedings for r, _ in results]
    routes = [Cell(label, colspan=len(results)) for _, label in proceedings[1:]]
    if layout == "stacked":
        return [
            [Cell(proceedings[0][1], rowspan=2, colspan=len(results)), Cell("行政诉讼", colspan=2 * len(results))],
            routes,
            [Cell(label) for _ in proceedings for _, label in results],
            values,
        ]
    return [
        [Cell(proceedings[0][1], colspan=len(results)), Cell("行政诉讼", colspan=2 * len(results))],
        [Cell(label, rowspan=2) for _, label in results] + routes,
        [Cell(label) for _ in proceedings[1:] for _, label in results],
        values,
    ]
