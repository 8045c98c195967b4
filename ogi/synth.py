"""`ogi synth N --out DIR`: realistic synthetic OGI annual reports, with a manifest of the truth.

Each report is drawn from its own seeded random stream (so any one file can be regenerated alone)
and written as a publisher would print it: the three tables of the v2019 or v2021 template, or a
legacy (2008–2018) prose report, in one of the layouts the loaders read (text one cell per line with
or without separator lines, tab-separated rows, pipe tables; HTML tables with rowspan/colspan; DOCX),
in simplified or traditional script and several encodings. Figures satisfy the reconciliation
identities, except in a recorded share of reports where one printed figure is changed (a planted
publication error); a recorded share of files are byte-identical duplicates under another name, and
another share are republished with corrections (same organ and year, different bytes, later date).

The generator decides figures and renders text on its own: it reads the seed CSVs for the template's
printed labels and the division list for place names, and never calls the parser. Its truth:

    DIR/reports/...          the report files (load this folder)
    DIR/truth/manifest.csv   one row per file (path relative to DIR/reports): what the report is,
                             what the parser should find, and which identity checks should fail
                             (evaluated here, independently of the warehouse)
    DIR/truth/cells.parquet  every printed table cell and prose figure: path, table, key, column,
                             value (yuan for amounts, NULL for blank cells), state
"""
from __future__ import annotations

import csv
import io
import json
import os
import random
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from loaders import identities

GENERATOR_VERSION = "3"
SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"
TRUTH_DIR = "truth"
REPORTS_DIR = "reports"
FORMATS = ("text", "html", "docx")
TEXT_LAYOUTS = ("plain", "separated", "tabbed", "pipe")
TEMPLATE_WEIGHTS = {"v2021": 0.5, "v2019": 0.35, "legacy": 0.15}
TEMPLATE_YEARS = {"v2019": (2019, 2020), "v2021": (2021, 2024), "legacy": (2008, 2018)}
AGENCIES = ("人民政府办公室", "财政局", "教育局", "公安局", "自然资源和规划局", "生态环境局", "卫生健康委员会",
            "市场监督管理局", "住房和城乡建设局", "交通运输局", "民政局", "司法局", "应急管理局", "农业农村局")

MANIFEST_COLUMNS = [
    "path", "kind", "of_path", "format", "layout", "template", "script", "encoding", "report_year",
    "division_code", "place_name", "organ_name", "report_scope", "published_on", "expected_current",
    "planted_error", "expected_failures",
]
CELL_SCHEMA = pa.schema([
    ("path", pa.string()), ("table", pa.string()), ("key", pa.string()), ("column", pa.string()),
    ("value", pa.float64()), ("state", pa.string()),
])


@dataclass(frozen=True)
class Options:
    count: int
    seed: int = 20240601
    formats: tuple[str, ...] = FORMATS
    error_share: float = 0.05
    duplicate_share: float = 0.01
    republished_share: float = 0.01
    traditional_share: float = 0.05


# --- the template, read from the seeds (printed labels only) -----------------------------------

def _seed(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Template:
    rows: dict[str, list[tuple[str, str, str]]]  # template -> [(row_code, outcome_group, label)]
    group_labels: dict[str, str]
    applicants: list[tuple[str, str]]
    items: dict[str, str]
    layout: dict[str, list[tuple[str, list[str]]]]  # template -> [(item, [measures])]
    measure_labels: dict[str, str]
    proceedings: list[tuple[str, str]]
    results: list[tuple[str, str]]
    places: list[tuple[str, str, str, str, str, int, int]]  # code, name, level, province, prefecture, from, to
    to_traditional: dict[int, str]

    @classmethod
    def load(cls) -> "Template":
        rows: dict[str, list[tuple[str, str, str]]] = {"v2019": [], "v2021": []}
        for r in sorted(_seed("application_rows"), key=lambda r: int(r["sort_order"])):
            for t in r["templates"].split():
                rows[t].append((r["row_code"], r["outcome_group"], r["label_zh"]))
        measures: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for r in _seed("disclosure_layout"):
            measures.setdefault((r["template"], r["item"]), []).append((int(r["position"]), r["measure"]))
        item_order = {r["item"]: int(r["sort_order"]) for r in _seed("disclosure_items")}
        layout: dict[str, list[tuple[str, list[str]]]] = {"v2019": [], "v2021": []}
        for (template, item), ms in sorted(measures.items(), key=lambda kv: item_order[kv[0][1]]):
            layout[template].append((item, [m for _, m in sorted(ms)]))
        places = []
        for r in _seed("division_records"):
            # Places that existed under one code for all the years reports cover.
            if r["level"] in ("county", "prefecture") and int(r["valid_from"]) <= 2008 and not r["valid_to"]:
                places.append((
                    r["division_code"], r["name"], r["level"], r["province_name"], r["prefecture_name"],
                    int(r["valid_from"]), int(r["valid_to"] or 9999),
                ))
        to_traditional: dict[int, str] = {}
        for r in _seed("script_char_map"):
            if len(r["traditional"]) == 1 and len(r["simplified"]) == 1:
                to_traditional.setdefault(ord(r["simplified"]), r["traditional"])
        return cls(
            rows=rows,
            group_labels={r["outcome_group"]: r["label_zh"] for r in _seed("outcome_groups")},
            applicants=[(r["applicant"], r["label_zh"]) for r in sorted(_seed("applicants"), key=lambda r: int(r["sort_order"]))],
            items={r["item"]: r["label_zh"] for r in _seed("disclosure_items")},
            layout=layout,
            measure_labels={r["measure"]: r["label_zh"] for r in _seed("disclosure_measures")},
            proceedings=[(r["proceeding"], r["label_zh"]) for r in sorted(_seed("proceedings"), key=lambda r: int(r["sort_order"]))
                         if r["proceeding"] != "litigation_unsplit"],
            results=[(r["result"], r["label_zh"]) for r in sorted(_seed("review_results"), key=lambda r: int(r["sort_order"]))],
            places=places,
            to_traditional=to_traditional,
        )


# --- figures ------------------------------------------------------------------------------------

# Share of requests per applicant column and per outcome row: what published tables look like.
_APPLICANT_WEIGHTS = {"natural_person": 0.72, "commercial": 0.14, "research": 0.01, "social_welfare": 0.02,
                      "legal_services": 0.05, "other_org": 0.06}
_OUTCOME_WEIGHTS = {"granted": 0.45, "partially_granted": 0.08, "withheld": 0.04, "unavailable": 0.25,
                    "not_processed": 0.08, "other": 0.10}


@dataclass
class Figures:
    """The printed figures of one report: None is a blank cell, a str is printed as is."""
    table3: dict[tuple[str, str], int | None] = field(default_factory=dict)
    table2: dict[tuple[str, str], float | None] = field(default_factory=dict)
    table2_printed: dict[tuple[str, str], str] = field(default_factory=dict)
    table4: dict[tuple[str, str], int | None] = field(default_factory=dict)
    facts: dict[str, int] = field(default_factory=dict)


def _split(rng: random.Random, total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split `total` into parts roughly proportional to `weights` (exact sum)."""
    keys = list(weights)
    parts = {k: 0 for k in keys}
    raw = [rng.random() * weights[k] * 2 for k in keys]
    scale = sum(raw) or 1.0
    for k, r in zip(keys, raw):
        parts[k] = int(total * r / scale)
    parts[keys[0]] += total - sum(parts.values())
    return parts


def table3_figures(rng: random.Random, tpl: Template, template: str, scale: int) -> dict[tuple[str, str], int]:
    rows = tpl.rows[template]
    outcome_rows: dict[str, list[str]] = {}
    for code, group, _ in rows:
        if group:
            outcome_rows.setdefault(group, []).append(code)
    figures: dict[tuple[str, str], int] = {}
    for applicant, processed in _split(rng, scale, _APPLICANT_WEIGHTS).items():
        by_group = _split(rng, processed, _OUTCOME_WEIGHTS)
        for group, n in by_group.items():
            codes = outcome_rows[group]
            for code, m in _split(rng, n, {c: (3.0 if i == 0 else 1.0) for i, c in enumerate(codes)}).items():
                figures[code, applicant] = m
        carried_over = rng.randint(0, max(0, processed // 10))
        carried_forward = rng.randint(0, max(0, processed // 8))
        figures["total_processed", applicant] = processed
        figures["carried_over", applicant] = carried_over
        figures["carried_forward", applicant] = carried_forward
        figures["new_received", applicant] = processed + carried_forward - carried_over
    for code, _, _ in rows:
        figures[code, "total"] = sum(figures[code, a] for a in _APPLICANT_WEIGHTS)
    return figures


def table4_figures(rng: random.Random, tpl: Template, scale: int) -> dict[tuple[str, str], int]:
    figures: dict[tuple[str, str], int] = {}
    reviews = rng.randint(0, max(1, scale // 25))
    for proceeding, _ in tpl.proceedings:
        if proceeding == "litigation_after_review":
            total = rng.randint(0, reviews)
        else:
            total = reviews if proceeding == "review" else rng.randint(0, max(1, scale // 40))
        parts = _split(rng, total, {"upheld": 0.6, "corrected": 0.15, "other": 0.15, "pending": 0.1})
        for result, n in parts.items():
            figures[proceeding, result] = n
        figures[proceeding, "total"] = total
    return figures


def _amount(rng: random.Random) -> tuple[float, str]:
    """A procurement amount in yuan and how it is printed (元, 万元 or 亿)."""
    kind = rng.random()
    if kind < 0.4:
        wan = rng.randint(10, 90000)
        return wan * 10_000.0, f"{wan}万元"
    if kind < 0.7:
        yuan = rng.randint(1000, 9_000_000)
        return float(yuan), f"{yuan}元"
    hundredths = rng.randint(1, 999)
    return hundredths * 1_000_000.0, f"{hundredths / 100:.2f}亿"


def table2_figures(rng: random.Random, tpl: Template, template: str, scale: int):
    values: dict[tuple[str, str], float] = {}
    printed: dict[tuple[str, str], str] = {}
    for item, measures in tpl.layout[template]:
        big = {"licensing": 40, "penalties": 20, "coercive_measures": 5}.get(item, 1)
        for measure in measures:
            if measure in ("new_made", "new_published", "issued", "repealed"):
                v = rng.randint(0, 12 if item == "rules" else 60)
            elif measure in ("total_published", "in_force"):
                v = rng.randint(0, 800)
            elif measure == "prior_year_items":
                v = rng.randint(0, 3000)
            elif measure == "change":
                v = rng.randint(-40, 40)
            elif measure in ("decisions", "procurement_items"):
                v = rng.randint(0, scale * big + 10)
            elif measure == "procurement_amount_yuan":
                v, text = _amount(rng)
                values[item, measure], printed[item, measure] = v, text
                continue
            elif measure == "fee_amount_yuan":
                hundredths = rng.randint(0, 500_000)
                values[item, measure] = hundredths * 100.0
                printed[item, measure] = f"{hundredths / 100:.2f}"
                continue
            else:
                raise ValueError(measure)
            values[item, measure] = float(v)
            printed[item, measure] = f"+{v}" if measure == "change" and v > 0 and rng.random() < 0.5 else str(v)
        if template == "v2019" and (item, "new_published") in values:
            # T2-01: what is newly published is part of what is published.
            values[item, "new_published"] = min(values[item, "new_published"], values[item, "total_published"])
            values[item, "new_made"] = values[item, "new_published"]
            for m in ("new_made", "new_published"):
                printed[item, m] = str(int(values[item, m]))
    return values, printed


# --- the identities, evaluated on the printed figures (independently of the warehouse) ----------

def failed_checks(template: str, tpl: Template, fig: Figures) -> list[str]:
    """`check_id:scope` of every identity of the identities seed (loaders/identities.py) that the printed
    figures of one report break, the prose included (a template report states its new requests)."""
    cells: dict[tuple[str, str, str, str], tuple[float | None, str]] = {}
    for source, figures in (("table3", fig.table3), ("table2", fig.table2), ("table4", fig.table4)):
        for (key, column), value in figures.items():
            cells["this", source, key, column] = (value, "number" if value is not None else "blank")
    facts = dict(fig.facts)
    if template in ("v2019", "v2021"):
        facts["requests_total"] = fig.table3["new_received", "total"] or 0  # 全年共收到政府信息公开申请N件
    for fact, value in facts.items():
        cells["this", "prose", fact, ""] = (value, "number")
    return sorted(f"{check}:{scope}" for check, scope in identities.failed(_identities(), cells, template))


@lru_cache(maxsize=1)
def _identities():
    return identities.load_identities(SEEDS_DIR)


def plant_error(rng: random.Random, template: str, tpl: Template, fig: Figures) -> str:
    """Change one printed figure the way publication errors do; return what was changed."""
    kinds = ["t3_total_cell", "t3_column_cell", "t4_total"] + (["t2_published"] if template == "v2019" else [])
    kind = rng.choice(kinds)
    delta = rng.randint(1, 12)
    if kind == "t3_total_cell" or kind == "t3_column_cell":
        code = rng.choice([c for c, _, _ in tpl.rows[template]])
        applicant = "total" if kind == "t3_total_cell" else rng.choice([a for a, _ in tpl.applicants if a != "total"])
        old = fig.table3[code, applicant] or 0
        fig.table3[code, applicant] = old + delta
        return f"table3 {code}/{applicant}: {old} printed as {old + delta}"
    if kind == "t4_total":
        proceeding = rng.choice([p for p, _ in tpl.proceedings])
        old = fig.table4[proceeding, "total"] or 0
        fig.table4[proceeding, "total"] = old + delta
        return f"table4 {proceeding}/total: {old} printed as {old + delta}"
    item = rng.choice(["rules", "normative_documents"])
    total = int(fig.table2[item, "total_published"] or 0)
    fig.table2[item, "new_published"] = float(total + delta)
    fig.table2_printed[item, "new_published"] = str(total + delta)
    return f"table2 {item}/new_published: printed {total + delta} above total_published {total}"


# --- rendering: a grid model shared by every layout -----------------------------------------------

@dataclass(frozen=True)
class GridCell:
    text: str
    rowspan: int = 1
    colspan: int = 1


Grid = list[list[GridCell]]


def _cell_text(value, style: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if value == 0 and style == "blank_zero":
        return ""
    if value == 0 and style == "dash_zero":
        return "-"
    return str(value)


def _cell_truth(text: str) -> str:
    """The cell state a printed cell text has."""
    return "blank" if text == "" else "not_applicable" if text == "-" else "number"


def table2_grids(tpl: Template, template: str, fig: Figures) -> list[Grid]:
    article = {"rules": "（一）", "normative_documents": "（一）", "licensing": "（五）", "other_services": "（五）",
               "penalties": "（六）", "coercive_measures": "（六）", "fees": "（八）", "central_procurement": "（九）"}
    measure_labels = dict(tpl.measure_labels)
    if template == "v2021":
        measure_labels["decisions"] = "本年处理决定数量"
        measure_labels["fee_amount_yuan"] = "本年收费金额（单位：万元）"
    item_labels = dict(tpl.items)
    if template == "v2021":
        item_labels["normative_documents"] = "行政规范性文件"
    grids: list[Grid] = []
    blocks: dict[str, list[tuple[str, list[str]]]] = {}
    for item, measures in tpl.layout[template]:
        blocks.setdefault(article[item], []).append((item, measures))
    for number, items in blocks.items():
        measures = items[0][1]
        width = len(measures) + 1
        grid: Grid = [[GridCell(f"第二十条第{number}项", colspan=width)],
                      [GridCell("信息内容")] + [GridCell(measure_labels[m]) for m in measures]]
        for item, ms in items:
            grid.append([GridCell(item_labels[item])] + [GridCell(fig.table2_printed[item, m]) for m in ms])
        grids.append(grid)
    return grids


def table3_grid(tpl: Template, template: str, fig: Figures, style: str) -> Grid:
    applicants = tpl.applicants
    grid: Grid = [
        [GridCell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
         GridCell("申请人情况", colspan=7)],
        [GridCell(applicants[0][1], rowspan=2), GridCell("法人或其他组织", colspan=5), GridCell("总计", rowspan=2)],
        [GridCell(label) for _, label in applicants[1:6]],
    ]
    rows = tpl.rows[template]
    outcome_rows = [r for r in rows if r[1]]
    groups: dict[str, list[tuple[str, str, str]]] = {}
    for r in outcome_rows:
        groups.setdefault(r[1], []).append(r)
    numbering = "一二三四五六七"

    def values(code: str) -> list[GridCell]:
        return [GridCell(_cell_text(fig.table3[code, a], style)) for a, _ in applicants]

    by_code = {code: label for code, _, label in rows}
    grid.append([GridCell("一、" + by_code["new_received"], colspan=3)] + values("new_received"))
    grid.append([GridCell("二、" + by_code["carried_over"], colspan=3)] + values("carried_over"))
    outcome_height = sum(len(v) for v in groups.values()) + 1
    first = True
    for n, (group, members) in enumerate(groups.items()):
        lead = [GridCell("三、本年度办理结果", rowspan=outcome_height)] if first else []
        first = False
        if len(members) == 1:
            code, _, label = members[0]
            grid.append(lead + [GridCell(f"（{numbering[n]}）{label}", colspan=2)] + values(code))
            continue
        for k, (code, _, label) in enumerate(members, start=1):
            head = [GridCell(f"（{numbering[n]}）{tpl.group_labels[group]}", rowspan=len(members))] if k == 1 else []
            grid.append((lead if k == 1 else []) + head + [GridCell(f"{k}．{label}")] + values(code))
    grid.append([GridCell(f"（{numbering[len(groups)]}）{by_code['total_processed']}", colspan=2)] + values("total_processed"))
    grid.append([GridCell("四、" + by_code["carried_forward"], colspan=3)] + values("carried_forward"))
    return grid


def table4_grid(tpl: Template, fig: Figures, style: str) -> Grid:
    results = tpl.results
    grid: Grid = [
        [GridCell("行政复议", colspan=5), GridCell("行政诉讼", colspan=10)],
        [GridCell(label, rowspan=2) for _, label in results]
        + [GridCell(label, colspan=5) for _, label in tpl.proceedings[1:]],
        [GridCell(label) for _ in tpl.proceedings[1:] for _, label in results],
        [GridCell(_cell_text(fig.table4[p, r], style)) for p, _ in tpl.proceedings for r, _ in results],
    ]
    return grid


def grid_lines(grid: Grid, layout: str) -> list[str]:
    """A grid as lines of text, the way copies of reports print tables."""
    lines: list[str] = []
    for row in grid:
        texts = [c.text for c in row]
        if layout == "plain":
            lines.extend(texts)
        elif layout == "separated":
            for t in texts:
                lines.extend([t, ""] if t else [""])
        elif layout == "tabbed":
            lines.append("\t".join(texts))
        elif layout == "pipe":
            lines.append("| " + " | ".join(texts) + " |")
            if row is grid[0]:
                lines.append("|" + "---|" * len(texts))
        else:
            raise ValueError(layout)
    return lines


# --- prose ----------------------------------------------------------------------------------------

_PROSE = (
    "{year}年，{place}坚持以公开为常态、不公开为例外，全面推进决策、执行、管理、服务、结果公开，政务公开工作取得新进展。",
    "全年通过政府门户网站主动公开政府信息{n1}条，其中政策文件{n2}条，政策解读{n3}篇，回应社会关切{n4}次。",
    "加强政策解读，围绕重点工作开展图文解读、视频解读和在线访谈，举办新闻发布会{n5}场。",
    "推进重点领域信息公开，及时公开财政预决算、重大建设项目、公共资源配置、社会公益事业建设等信息。",
    "规范依申请公开办理流程，健全登记、审核、办理、答复、归档等环节，做到依法依规、及时准确答复。",
    "加强政府信息管理，动态调整主动公开基本目录，开展政府信息公开审查，全年共清理{n6}份历史文件。",
    "优化政务新媒体矩阵，“{short}发布”全年推送信息{n7}条，累计关注人数{n8}人。",
    "强化监督保障，将政务公开纳入年度考核，组织业务培训{n9}次，培训人员{n10}人次。",
    "政府信息公开平台建设持续完善，政府信息公开专栏更新信息{n11}条，政府公报发布{n12}期。",
    "深化基层政务公开标准化规范化建设，推动{n13}个乡镇（街道）完成公开事项目录编制。",
)
_PROBLEMS = (
    "一是政策解读的形式还不够丰富，解读质量有待提高；二是部分单位信息更新不够及时；三是基层政务公开工作人员业务能力有待加强。",
    "下一步，将进一步加强组织领导，完善工作机制，加大培训力度，不断提升政务公开工作质量和实效。",
    "同时，将持续优化政府网站和政务新媒体建设，拓宽公开渠道，增强公众参与度和满意度。",
)


def _prose(rng: random.Random, place: str, year: int, sentences: int) -> list[str]:
    numbers = {f"n{i}": rng.randint(1, 20000 if i in (1, 8) else 500) for i in range(1, 14)}
    short = place[:-1] if len(place) > 2 else place
    picked = [rng.choice(_PROSE) for _ in range(sentences)]
    return [s.format(year=year, place=place, short=short, **numbers) for s in picked]


def _paragraphs(rng: random.Random, sentences: list[str]) -> list[str]:
    out, current = [], []
    for s in sentences:
        current.append(s)
        if len(current) >= rng.randint(2, 4):
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


def _date_text(year: int, month: int, day: int) -> str:
    return f"{year}年{month}月{day}日"


@dataclass
class Report:
    """One report, as the generator decided it: metadata, figures and rendered blocks."""
    index: int
    template: str
    year: int
    place: tuple
    organ: str
    scope: str
    figures: Figures
    style: str
    published: tuple[int, int, int]
    planted: str = ""
    correction_note: str = ""

    @property
    def title(self) -> str:
        return f"{self.organ}{self.year}年政府信息公开工作年度报告"


def _blocks(rep: Report, rng: random.Random, tpl: Template) -> list[tuple[str, object]]:
    """The report as a sequence of ("p", text) paragraphs, ("h", heading) and ("grid", Grid)."""
    code, name, level, province, prefecture, _, _ = rep.place
    context = province + (prefecture or "") + name if level == "county" else province + name
    blocks: list[tuple[str, object]] = [("title", rep.title)]
    y, m, d = rep.published
    if rep.style != "blank_zero":
        blocks.append(("p", f"发布日期：{y}-{m:02d}-{d:02d}  来源：{rep.organ}"))
    blocks.append(("p", f"本报告由{rep.organ}根据《中华人民共和国政府信息公开条例》编制，全文包括总体情况、主动公开政府信息情况、"
                        f"收到和处理政府信息公开申请情况等部分。报告中所列数据的统计期限为{rep.year}年1月1日至{rep.year}年12月31日。"
                        f"本报告电子版可在{context}人民政府门户网站下载。"))
    if rep.correction_note:
        blocks.append(("p", rep.correction_note))
    t3 = rep.figures.table3
    if rep.template == "legacy":
        f = rep.figures.facts
        blocks.append(("h", "一、概述"))
        blocks += [("p", p) for p in _paragraphs(rng, _prose(rng, name, rep.year, rng.randint(45, 65)))]
        blocks.append(("h", "二、主动公开政府信息情况"))
        blocks += [("p", p) for p in _paragraphs(rng, _prose(rng, name, rep.year, rng.randint(14, 22)))]
        blocks.append(("h", "三、依申请公开政府信息情况"))
        blocks.append(("p", f"{rep.year}年，本机关共收到政府信息公开申请{f['requests_total']}件，其中当面申请{f['channel_in_person']}件，"
                            f"网络申请{f['channel_online']}件，信函申请{f['channel_letter']}件。"))
        blocks.append(("p", f"已答复的申请中，“同意公开”的{f['granted']}件，“同意部分公开”的{f['partially_granted']}件，"
                            f"“不同意公开”的{f['withheld']}件，“申请信息不存在”的{f['information_not_exist']}件。"))
        blocks.append(("h", "四、政府信息公开的收费及减免情况"))
        blocks.append(("p", "本年度未收取任何政府信息公开检索、复制、邮寄等费用。"))
        blocks.append(("h", "五、因政府信息公开申请行政复议、提起行政诉讼的情况"))
        blocks.append(("p", f"本年度共发生行政复议案件{f['review_total']}件，行政诉讼{f['litigation_total']}件。"))
        blocks.append(("h", "六、存在的主要问题和改进措施"))
    else:
        blocks.append(("h", "一、总体情况"))
        sentences = _prose(rng, name, rep.year, rng.randint(55, 85))
        sentences.insert(rng.randint(0, len(sentences)), f"全年共收到政府信息公开申请{t3['new_received', 'total'] or 0}件。")
        blocks += [("p", p) for p in _paragraphs(rng, sentences)]
        blocks.append(("h", "二、主动公开政府信息情况"))
        blocks += [("grid", g) for g in table2_grids(tpl, rep.template, rep.figures)]
        blocks.append(("h", "三、收到和处理政府信息公开申请情况"))
        blocks.append(("grid", table3_grid(tpl, rep.template, rep.figures, rep.style)))
        blocks.append(("h", "四、政府信息公开行政复议、行政诉讼情况"))
        blocks.append(("grid", table4_grid(tpl, rep.figures, rep.style)))
        blocks.append(("h", "五、存在的主要问题及改进情况"))
    blocks += [("p", p) for p in _PROBLEMS[: rng.randint(1, 3)]]
    blocks.append(("h", "六、其他需要报告的事项"))
    blocks.append(("p", "本年度无其他需要报告的事项。"))
    blocks.append(("p", rep.organ))
    blocks.append(("p", _date_text(*rep.published)))
    return blocks


def render_text(blocks, layout: str) -> str:
    lines: list[str] = []
    for kind, content in blocks:
        if kind == "grid":
            lines.extend(grid_lines(content, layout))
            lines.append("")
        else:
            lines.extend([content, ""])
    return "\n".join(lines) + "\n"


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_html(blocks, title: str, charset: str) -> str:
    out = [f'<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
           f"<title>{_html_escape(title)}</title>\n</head>\n<body>",
           '<div class="nav"><a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>',
           '<div class="article">']
    for kind, content in blocks:
        if kind == "title":
            out.append(f"<h1>{_html_escape(content)}</h1>")
        elif kind == "h":
            out.append(f"<p><strong>{_html_escape(content)}</strong></p>")
        elif kind == "p":
            out.append(f'<p style="text-indent:2em">{_html_escape(content)}</p>')
        else:
            out.append('<table border="1" cellspacing="0" cellpadding="0">')
            for row in content:
                cells = []
                for c in row:
                    span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
                    cells.append(f"<td{span}><p>{_html_escape(c.text)}</p></td>")
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append("</table>")
    out.append('</div>\n<div class="footer">主办单位：人民政府办公室</div>\n</body>\n</html>\n')
    return "\n".join(out)


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/></Relationships>'
    ),
}


def _docx_paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{_html_escape(text)}</w:t></w:r></w:p>' if text else "<w:p/>"


def _docx_table(grid: Grid) -> str:
    """WordprocessingML as Word writes merged cells: gridSpan across columns, vMerge restart/continue
    down rows (a continued cell is an empty <w:tc> in each row it covers)."""
    width = max(sum(c.colspan for c in row) for row in grid)
    below: dict[tuple[int, int], GridCell] = {}  # (row, column) -> the merged cell that covers it
    rows = []
    for r, row in enumerate(grid):
        cells, col, pending = [], 0, list(row)
        while col < width:
            if (r, col) in below:
                cell = below[(r, col)]
                span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
                cells.append(f"<w:tc><w:tcPr>{span}<w:vMerge/></w:tcPr><w:p/></w:tc>")
                col += cell.colspan
                continue
            if not pending:
                cells.append("<w:tc><w:p/></w:tc>")
                col += 1
                continue
            cell = pending.pop(0)
            props = (f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else "") + (
                '<w:vMerge w:val="restart"/>' if cell.rowspan > 1 else "")
            for rr in range(r + 1, r + cell.rowspan):
                below[(rr, col)] = cell
            cells.append(f"<w:tc>{'<w:tcPr>' + props + '</w:tcPr>' if props else ''}{_docx_paragraph(cell.text)}</w:tc>")
            col += cell.colspan
        rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
    return ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>'
            + "<w:gridCol/>" * width + "</w:tblGrid>" + "".join(rows) + "</w:tbl>")


def render_docx(blocks) -> bytes:
    """A DOCX package (written directly: python-docx takes seconds per merged table)."""
    body = []
    for kind, content in blocks:
        body.append(_docx_table(content) if kind == "grid" else _docx_paragraph(content))
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}"><w:body>'
                + "".join(body) + "<w:sectPr/></w:body></w:document>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in list(_DOCX_PARTS.items()) + [("word/document.xml", document)]:
            package.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), xml, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# --- one report ---------------------------------------------------------------------------------

def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# Templates in a cycle of 20 reports (their TEMPLATE_WEIGHTS), so that report `index` has a known
# rank among the reports of its template.
_TEMPLATE_CYCLE = [t for t, w in TEMPLATE_WEIGHTS.items() for _ in range(round(w * 20))]
_ORGANS = ("人民政府",) + AGENCIES


def _organ_year(index: int, tpl: Template) -> tuple[str, tuple, str, int]:
    """(template, place, organ suffix, year) of report `index`: distinct for every index (one organ
    publishes one report a year), spread over places, organs and the template's years by a
    multiplicative permutation of that grid."""
    template = _TEMPLATE_CYCLE[index % len(_TEMPLATE_CYCLE)]
    per_cycle = _TEMPLATE_CYCLE.count(template)
    rank = (index // len(_TEMPLATE_CYCLE)) * per_cycle + _TEMPLATE_CYCLE[: index % len(_TEMPLATE_CYCLE)].count(template)
    first, last = TEMPLATE_YEARS[template]
    years = last - first + 1
    size = len(tpl.places) * len(_ORGANS) * years
    if rank >= size:
        raise ValueError(f"more {template} reports than distinct organs and years ({size})")
    step = 2_147_483_647  # a prime larger than any grid: multiplying by it permutes [0, size)
    cell = (rank * step) % size
    place, rest = divmod(cell, len(_ORGANS) * years)
    organ, year = divmod(rest, years)
    return template, tpl.places[place], _ORGANS[organ], first + year


def decide_report(index: int, options: Options, tpl: Template, plant: bool = True) -> Report:
    rng = random.Random(f"{options.seed}:{index}")
    template, place, suffix, year = _organ_year(index, tpl)
    if suffix == "人民政府":
        organ, scope = place[1] + suffix, "jurisdiction"
        scale = int(rng.lognormvariate(5.0, 1.0))
    else:
        organ, scope = place[1] + suffix, "agency"
        scale = int(rng.lognormvariate(2.5, 1.2))
    style = _weighted(rng, {"zero": 0.8, "blank_zero": 0.15, "dash_zero": 0.05})
    figures = Figures()
    if template == "legacy":
        parts = _split(rng, scale, {"granted": 0.5, "partially_granted": 0.1, "withheld": 0.1, "information_not_exist": 0.3})
        channels = _split(rng, scale, {"channel_in_person": 0.3, "channel_online": 0.6, "channel_letter": 0.1})
        figures.facts = {"requests_total": scale, **parts, **channels,
                         "review_total": rng.randint(0, 3), "litigation_total": rng.randint(0, 2)}
    else:
        figures.table3 = table3_figures(rng, tpl, template, scale)
        figures.table4 = table4_figures(rng, tpl, scale)
        figures.table2, figures.table2_printed = table2_figures(rng, tpl, template, scale)
    published = (year + 1, rng.randint(1, 3), rng.randint(1, 28))
    report = Report(index, template, year, place, organ, scope, figures, style, published)
    if plant and template != "legacy" and rng.random() < options.error_share:
        report.planted = plant_error(rng, template, tpl, figures)
    return report


def _to_traditional(text: str, tpl: Template) -> str:
    return text.translate(tpl.to_traditional)


def encode_report(rep: Report, options: Options, tpl: Template) -> tuple[bytes, dict]:
    """(file bytes, manifest fields) for one decided report."""
    rng = random.Random(f"{options.seed}:{rep.index}:render")
    fmt = rng.choice([f for f in options.formats])
    blocks = _blocks(rep, rng, tpl)
    traditional = rng.random() < options.traditional_share
    if traditional:
        blocks = [(k, _to_traditional(c, tpl) if isinstance(c, str) else
                   [[GridCell(_to_traditional(x.text, tpl), x.rowspan, x.colspan) for x in row] for row in c])
                  for k, c in blocks]
    layout, encoding = "grid", "utf-8"
    if fmt == "text":
        layout = rng.choice(TEXT_LAYOUTS)
        text = render_text(blocks, layout)
        if traditional:
            encoding = rng.choice(["utf-8", "big5"])
        else:
            encoding = _weighted(rng, {"utf-8": 0.75, "gb18030": 0.15, "utf-8-sig": 0.05, "utf-16": 0.05})
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            encoding, data = "utf-8", text.encode("utf-8")
    elif fmt == "html":
        encoding = "utf-8" if traditional or rng.random() < 0.7 else "gb18030"
        data = render_html(blocks, rep.title if not traditional else _to_traditional(rep.title, tpl),
                           "utf-8" if encoding == "utf-8" else "gb2312").encode(encoding)
    else:
        data, encoding = render_docx(blocks), ""
    code, name, level, province, prefecture, _, _ = rep.place
    fields = {
        "format": fmt, "layout": layout, "template": rep.template, "script": "traditional" if traditional else "simplified",
        "encoding": encoding, "report_year": rep.year, "division_code": code, "place_name": name,
        "organ_name": rep.organ, "report_scope": rep.scope,
        "published_on": "%04d-%02d-%02d" % rep.published,
        "planted_error": rep.planted, "expected_failures": " ".join(failed_checks(rep.template, tpl, rep.figures)),
    }
    return data, fields


_EXTENSIONS = {"text": (".txt", ".txt", ".md"), "html": (".html", ".htm"), "docx": (".docx",)}


def relative_path(rep: Report, fields: dict, rng: random.Random, suffix: str = "") -> str:
    code, name, level, province, prefecture, _, _ = rep.place
    ext = rng.choice(_EXTENSIONS[fields["format"]])
    return f"{province}/{prefecture or province}/{rep.index:07d}_{rep.organ}_{rep.year}{suffix}{ext}"


def truth_cells(path: str, rep: Report) -> dict[str, list]:
    """Every printed table cell and prose figure of the report, as CELL_SCHEMA columns."""
    fig = rep.figures
    entries: list[tuple[str, str, str, float | None, str]] = []
    for table, figures in (("application_cells", fig.table3), ("review_litigation_cells", fig.table4)):
        for (key, column), value in figures.items():
            state = _cell_truth(_cell_text(value, rep.style))
            entries.append((table, key, column, float(value) if state == "number" else None, state))
    entries += [("disclosure_cells", item, measure, value, "number") for (item, measure), value in fig.table2.items()]
    entries += [("narrative_facts", fact, "", float(value), "number") for fact, value in fig.facts.items()]
    columns = [list(c) for c in zip(*entries)] if entries else [[]] * 5
    return dict(zip(CELL_SCHEMA.names, [[path] * len(entries)] + columns))


def _republish(rep: Report, options: Options, tpl: Template, rng: random.Random) -> Report:
    """The same organ and year published again later, with the planted error (if any) corrected."""
    clean = decide_report(rep.index, options, tpl, plant=False)
    y, m, d = rep.published
    later = (y, min(12, m + 1 + rng.randint(0, 3)), d)
    clean.published = later
    clean.correction_note = f"（{_date_text(*later)}更正：本报告对原发布版本中的数据进行了更正。）"
    return clean


@dataclass(frozen=True)
class SynthFile:
    path: str  # relative to DIR/reports
    data: bytes
    manifest: dict
    cells: dict[str, list]


@lru_cache(maxsize=1)
def _template() -> Template:
    return Template.load()


def files_for(index: int, options: Options) -> list[SynthFile]:
    """The file(s) of report `index`: the report, and maybe a byte-identical copy and a republished
    version. Depends only on (options, index), so reports can be made in any order or process."""
    tpl = _template()
    rep = decide_report(index, options, tpl)
    rng = random.Random(f"{options.seed}:{index}:files")
    data, fields = encode_report(rep, options, tpl)
    rel = relative_path(rep, fields, rng)
    republished = rng.random() < options.republished_share
    out = [SynthFile(rel, data, {"path": rel, "kind": "report", "of_path": "", "expected_current": not republished, **fields},
                     truth_cells(rel, rep))]
    if rng.random() < options.duplicate_share:
        copy = f"mirror/{Path(rel).stem} 副本{Path(rel).suffix}"
        out.append(SynthFile(copy, data, {**out[0].manifest, "path": copy, "kind": "duplicate", "of_path": rel},
                             truth_cells(copy, rep)))
    if republished:
        again = _republish(rep, options, tpl, rng)
        data2, fields2 = encode_report(again, options, tpl)
        rel2 = relative_path(again, fields2, rng, suffix="_更正")
        out.append(SynthFile(rel2, data2, {"path": rel2, "kind": "republished", "of_path": rel, "expected_current": True, **fields2},
                             truth_cells(rel2, again)))
    return out


def _files_for_range(job: tuple[Options, int, int]) -> list[SynthFile]:
    options, start, stop = job
    return [f for i in range(start, stop) for f in files_for(i, options)]


def generate(options: Options, out: Path, processes: int | None = None, progress=None) -> dict[str, int]:
    """Write `options.count` reports (plus duplicates and republications) and the truth under `out`;
    reports are made in parallel processes and written here in index order."""
    import multiprocessing

    out.mkdir(parents=True, exist_ok=True)
    truth = out / TRUTH_DIR
    truth.mkdir(exist_ok=True)
    counts = {"reports": options.count, "duplicates": 0, "republished": 0, "planted_errors": 0}
    step = 200
    jobs = [(options, i, min(i + step, options.count)) for i in range(0, options.count, step)]
    processes = processes or os.cpu_count() or 1
    with open(truth / "manifest.csv", "w", encoding="utf-8", newline="") as mf, \
            pq.ParquetWriter(truth / "cells.parquet", CELL_SCHEMA, compression="zstd") as cells_writer, \
            multiprocessing.get_context("fork").Pool(processes) as pool:
        manifest = csv.DictWriter(mf, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
        manifest.writeheader()
        for done, files in enumerate(pool.imap(_files_for_range, jobs), start=1):
            cells: dict[str, list] = {name: [] for name in CELL_SCHEMA.names}
            for f in files:
                target = out / REPORTS_DIR / f.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(f.data)
                manifest.writerow(f.manifest)
                for name, values in f.cells.items():
                    cells[name].extend(values)
                counts["duplicates"] += f.manifest["kind"] == "duplicate"
                counts["republished"] += f.manifest["kind"] == "republished"
                counts["planted_errors"] += f.manifest["kind"] == "report" and bool(f.manifest["planted_error"])
            cells_writer.write_table(pa.Table.from_pydict(cells, schema=CELL_SCHEMA))
            if progress:
                progress(min(done * step, options.count), options.count)
    (truth / "options.json").write_text(json.dumps({"generator_version": GENERATOR_VERSION, **options.__dict__}, default=list))
    return counts


def read_manifest(out: Path) -> list[dict[str, str]]:
    with open(out / TRUTH_DIR / "manifest.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
