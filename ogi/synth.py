"""`ogi synth N --out DIR`: realistic synthetic OGI annual reports, with a manifest of the truth.

The reports come from a world of organs that publish year after year. A cluster is one place's
organs over a run of years: often its government's summary (全市/全县), always a few of its
departments, each publishing every year of the run (a summary now and then skips a year, and its
departments' reports then make the place's figure). A summary covers its departments: its table 3
and table 4 are its own office's figures plus theirs. Each organ's figures carry over from year to
year as the identities across years say (requests carried forward are next year's carried over;
table 2's items and documents in force follow their changes), so year-on-year comparisons and the
cross-year checks have something to compare. Some places are re-zoned during the run (县 → 区 or
市: a new code and name, the same organs), the first cluster runs 2008–2024, and years before 2019 are
legacy prose reports.

Every report is printed as a publisher would print it (ogi.printing: the three tables of the v2019 or
v2021 template or a legacy prose report; text in several layouts, HTML pages, DOCX or PDF; simplified
or traditional script; several encodings). Figures satisfy the reconciliation identities, except in
a recorded share of reports where one printed figure is changed (a planted publication error); a
recorded share of files are byte-identical duplicates under another name, and another share are
republished with the error corrected (same organ and year, other bytes, a later date).

The generator decides figures and renders text on its own: it reads the seed CSVs for the template's
printed labels and the division list for place names, and never calls the parser. Its truth:

    DIR/reports/...          the report files (load this folder)
    DIR/truth/manifest.csv   one row per file (path relative to DIR/reports): what the report is,
                             what the parser should find, and which identity checks should fail,
                             within the report and against the same organ's report of the year
                             before (evaluated here, independently of the warehouse)
    DIR/truth/cells.parquet  every printed table cell and prose figure: path, table, key, column,
                             value (yuan for amounts, NULL for blank cells), state

A report depends only on (options, index): any file can be made alone, in any order or process.
"""
from __future__ import annotations

import bisect
import copy
import csv
import json
import os
import random
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from loaders import identities
from loaders.project import SEEDS_DIR
from ogi.printing import html, text
from ogi.printing.docx import docx
from ogi.printing.grid import Block, map_text
from ogi.printing.pdf import pdf
from ogi.printing.script import to_traditional
from ogi.printing.template import Template, table2_grids, table3_grid, table4_grid, template

GENERATOR_VERSION = "5"
TRUTH_DIR = "truth"
REPORTS_DIR = "reports"
FORMATS = ("text", "html", "docx", "pdf")
# PDF is read some ten times slower than the other formats: asked for, not made by default.
DEFAULT_FORMATS = ("text", "html", "docx")
TEXT_LAYOUTS = ("plain", "separated", "tabbed", "pipe_rows")
FIRST_YEAR, LAST_YEAR = 2008, 2024
SUMMARY = "人民政府"
AGENCIES = ("人民政府办公室", "财政局", "教育局", "公安局", "自然资源和规划局", "生态环境局", "卫生健康委员会",
            "市场监督管理局", "住房和城乡建设局", "交通运输局", "民政局", "司法局", "应急管理局", "农业农村局")
# A place's organs fall into groups, each of which is a cluster of its own: its summary and the first
# agencies, then two groups of other departments.
ORGAN_GROUPS = (AGENCIES[:4], AGENCIES[4:9], AGENCIES[9:])
# A corpus larger than one cluster per place and group (some 75,000 reports) goes on with other
# departments of the same places, in groups of their own (no summary among them).
LATER_AGENCIES = ("发展和改革局", "科学技术局", "工业和信息化局", "人力资源和社会保障局", "水利局", "商务局",
                  "文化和旅游局", "退役军人事务局", "审计局", "统计局", "医疗保障局", "林业局", "城市管理局",
                  "行政审批局", "信访局")
ORGAN_LAYERS = (ORGAN_GROUPS, (LATER_AGENCIES[:5], LATER_AGENCIES[5:10], LATER_AGENCIES[10:]))

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
    formats: tuple[str, ...] = DEFAULT_FORMATS
    error_share: float = 0.05
    duplicate_share: float = 0.01
    republished_share: float = 0.01
    traditional_share: float = 0.05

    def __post_init__(self):
        if self.count < 1:
            raise ValueError(f"count must be 1 or more, not {self.count}")
        if not self.formats or set(self.formats) - set(FORMATS):
            raise ValueError(f"formats must be some of {', '.join(FORMATS)}, not {', '.join(self.formats) or 'none'}")
        for name in ("error_share", "duplicate_share", "republished_share", "traditional_share"):
            if not 0 <= getattr(self, name) <= 1:
                raise ValueError(f"{name} must be a share between 0 and 1, not {getattr(self, name)}")


def template_of(year: int) -> str:
    return "legacy" if year <= 2018 else "v2019" if year <= 2020 else "v2021"


# --- the world: places, clusters of organs, who reports when ---------------------------------------

@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: str
    province: str
    prefecture: str

    @property
    def context(self) -> str:
        """The place with its province and prefecture, as a report's prose names it."""
        return self.province + (self.prefecture or "") + self.name if self.level == "county" else self.province + self.name


@dataclass(frozen=True)
class World:
    places: tuple[tuple[tuple[Place, int], ...], ...]  # per place: its records and the year each starts

    @classmethod
    def load(cls) -> "World":
        with open(SEEDS_DIR / "division_records.csv", encoding="utf-8", newline="") as f:
            records = list(csv.DictReader(f))

        def place(r: dict[str, str]) -> Place:
            return Place(r["division_code"], r["name"], r["level"], r["province_name"], r["prefecture_name"])

        in_use = {r["division_code"]: r for r in records if not r["valid_to"]}
        stable = [((place(r), FIRST_YEAR),) for r in records
                  if r["level"] in ("county", "prefecture") and not r["valid_to"] and int(r["valid_from"]) <= FIRST_YEAR]
        # Re-zoned during the years reports cover: a county renamed into one successor (县 -> 区 or 市)
        # that started the year the old code ended, under the same prefecture.
        renamed = []
        for r in records:
            successor = in_use.get(r["successor_codes"])
            if (r["level"] == "county" and r["valid_to"] and successor and int(r["valid_from"]) <= FIRST_YEAR
                    and FIRST_YEAR < int(r["valid_to"]) <= LAST_YEAR and successor["valid_from"] == r["valid_to"]
                    and successor["prefecture_code"] == r["prefecture_code"] and successor["level"] == "county"):
                renamed.append(((place(r), FIRST_YEAR), (place(successor), int(r["valid_to"]))))
        # One place in 25 is a re-zoned one.
        mixed: list = []
        for i, p in enumerate(stable):
            if i % 24 == 0 and renamed:
                mixed.append(renamed[(i // 24) % len(renamed)])
            mixed.append(p)
        return cls(tuple(mixed))


@cache
def _world() -> World:
    return World.load()


@dataclass(frozen=True)
class Cluster:
    """One place's organs over a run of years."""
    number: int
    records: tuple[tuple[Place, int], ...]
    first: int
    last: int
    members: tuple[str, ...]  # organ suffixes, SUMMARY first when the place publishes one
    summary_gaps: frozenset[int] = frozenset()  # years the summary was not published

    def place_in(self, year: int) -> Place:
        return [p for p, start in self.records if start <= year][-1]

    def reports(self) -> list[tuple[str, int]]:
        """(member, year) of every report, organ by organ and year by year."""
        return [(m, y) for m in self.members for y in range(self.first, self.last + 1)
                if not (m == SUMMARY and y in self.summary_gaps)]


_LAST_YEAR_WEIGHTS = {2024: 0.4, 2023: 0.2, 2022: 0.15, 2021: 0.1, 2020: 0.1, 2019: 0.05}
# Most organs are seen for a few recent years; a few for longer, back into the legacy years.
_RUN_LENGTHS = {1: 0.12, 2: 0.22, 3: 0.22, 4: 0.16, 5: 0.1, 6: 0.08, 8: 0.05, 11: 0.03, 17: 0.02}
_SLOT_STEP = 2_147_483_647  # a prime larger than any number of slots: multiplying by it permutes them


@lru_cache(maxsize=65536)
def cluster(seed: int, number: int) -> Cluster:
    world = _world()
    index = number
    for groups in ORGAN_LAYERS:  # the first layer's clusters are the same whatever the corpus size
        slots = len(world.places) * len(groups)
        if index < slots:
            break
        index -= slots
    else:
        raise ValueError(f"more clusters than places and organ groups ({number - index})")
    rng = random.Random(f"{seed}:cluster:{number}")
    slot = (index * _SLOT_STEP) % slots
    records, group = world.places[slot // len(groups)], slot % len(groups)
    if number == 0:
        # The first cluster: a summary and two departments over every year, the summary missing one
        # year, so that any corpus has the whole range and a figure that changes basis.
        return Cluster(0, records, FIRST_YEAR, LAST_YEAR, (SUMMARY, *ORGAN_GROUPS[0][:2]), frozenset({2022}))
    last = _weighted(rng, _LAST_YEAR_WEIGHTS)
    first = max(FIRST_YEAR, last - _weighted(rng, _RUN_LENGTHS) + 1)
    agencies = tuple(rng.sample(groups[group], rng.randint(1, 3)))
    with_summary = groups is ORGAN_GROUPS and group == 0 and rng.random() < 0.85
    gaps = frozenset(y for y in range(first + 1, last + 1) if rng.random() < 0.08) if with_summary else frozenset()
    return Cluster(number, records, first, last, ((SUMMARY,) if with_summary else ()) + agencies, gaps)


@lru_cache(maxsize=8)
def _starts(seed: int, count: int) -> tuple[int, ...]:
    """The index of the first report of each cluster, for clusters enough to hold `count` reports."""
    starts, total, number = [], 0, 0
    while total < count:
        starts.append(total)
        total += len(cluster(seed, number).reports())
        number += 1
    return tuple(starts)


def locate(options: Options, index: int) -> tuple[Cluster, str, int]:
    """(cluster, member, year) of report `index`."""
    starts = _starts(options.seed, options.count)
    number = bisect.bisect_right(starts, index) - 1
    c = cluster(options.seed, number)
    member, year = c.reports()[index - starts[number]]
    return c, member, year


# --- figures ------------------------------------------------------------------------------------

# Share of requests per applicant column and per outcome row: what published tables look like.
_APPLICANT_WEIGHTS = {"natural_person": 0.72, "commercial": 0.14, "research": 0.01, "social_welfare": 0.02,
                      "legal_services": 0.05, "other_org": 0.06}
_OUTCOME_WEIGHTS = {"granted": 0.45, "partially_granted": 0.08, "withheld": 0.04, "unavailable": 0.25,
                    "not_processed": 0.08, "other": 0.10}
_LEGACY_FACTS = ("requests_total", "granted", "partially_granted", "withheld", "information_not_exist",
                 "channel_in_person", "channel_online", "channel_letter", "review_total", "litigation_total")


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


def table3_figures(rng: random.Random, tpl: Template, template: str, scale: int,
                   carried_over: dict[str, int] | None = None) -> dict[tuple[str, str], int]:
    """Table 3 that adds up; `carried_over` (per applicant) is last year's carried forward."""
    rows = tpl.rows[template]
    outcome_rows: dict[str, list[str]] = {}
    for code, group, _, _ in rows:
        if group:
            outcome_rows.setdefault(group, []).append(code)
    figures: dict[tuple[str, str], int] = {}
    for applicant, processed in _split(rng, scale, _APPLICANT_WEIGHTS).items():
        over = carried_over[applicant] if carried_over is not None else rng.randint(0, max(0, processed // 10))
        processed = max(processed, over)  # what was carried over is handled this year
        for group, n in _split(rng, processed, _OUTCOME_WEIGHTS).items():
            codes = outcome_rows[group]
            for code, m in _split(rng, n, {c: (3.0 if i == 0 else 1.0) for i, c in enumerate(codes)}).items():
                figures[code, applicant] = m
        carried_forward = rng.randint(0, max(0, processed // 8))
        figures["total_processed", applicant] = processed
        figures["carried_over", applicant] = over
        figures["carried_forward", applicant] = carried_forward
        figures["new_received", applicant] = processed + carried_forward - over
    for code, _, _, _ in rows:
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


def table2_figures(rng: random.Random, tpl: Template, template: str, scale: int, before: Figures | None = None):
    """Table 2's values and how they print. With last year's figures, what carries over does: v2019
    上一年项目数量 is last year's plus last year's 本年增/减 (T2-03) and 对外公开总数量 last year's plus this
    year's 新公开 (T2-02); v2021 现行有效件数 is last year's (after a v2019 year, its 对外公开总数量: T2-05)
    plus this year's 制发 less 废止 (T2-06)."""
    values: dict[tuple[str, str], float] = {}
    printed: dict[tuple[str, str], str] = {}
    for item, measures in tpl.layout[template]:
        big = {"licensing": 40, "penalties": 20, "coercive_measures": 5}.get(item, 1)
        for measure in measures:
            if measure in ("new_made", "new_published", "issued", "repealed"):
                v = rng.randint(0, 12 if item == "rules" else 60)
            elif measure == "total_published":
                v = rng.randint(0, 800)
            elif measure == "in_force":
                v = rng.randint(0, 800)
            elif measure == "prior_year_items":
                v = rng.randint(0, 3000)
            elif measure == "change":
                v = rng.randint(-40, 40)
            elif measure in ("decisions", "procurement_items"):
                v = rng.randint(0, scale * big + 10)
            elif measure == "procurement_amount_yuan":
                v, shown = _amount(rng)
                values[item, measure], printed[item, measure] = v, shown
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
        if before is not None and (item, "prior_year_items") in values and (item, "prior_year_items") in before.table2:
            prior = int(before.table2[item, "prior_year_items"] + before.table2[item, "change"])
            values[item, "prior_year_items"], printed[item, "prior_year_items"] = float(prior), str(prior)
        if (item, "change") in values:
            # Never fewer items than none: next year's 上一年项目数量 is this year's plus the change.
            change = max(int(values[item, "change"]), -int(values[item, "prior_year_items"]))
            plus = printed[item, "change"].startswith("+")
            values[item, "change"], printed[item, "change"] = float(change), f"+{change}" if plus and change > 0 else str(change)
        if before is not None and (item, "total_published") in values and (item, "total_published") in before.table2:
            total = int(before.table2[item, "total_published"] + values[item, "new_published"])
            values[item, "total_published"], printed[item, "total_published"] = float(total), str(total)
        stock = next((m for m in ("in_force", "total_published") if before is not None and (item, m) in before.table2), None)
        if stock and (item, "in_force") in values:
            earlier = int(before.table2[item, stock])
            repealed = min(int(values[item, "repealed"]), earlier + int(values[item, "issued"]))
            values[item, "repealed"], printed[item, "repealed"] = float(repealed), str(repealed)
            in_force = earlier + int(values[item, "issued"]) - repealed
            values[item, "in_force"], printed[item, "in_force"] = float(in_force), str(in_force)
        if template == "v2019" and (item, "new_published") in values:
            # T2-01: what is newly published is part of what is published.
            values[item, "new_published"] = min(values[item, "new_published"], values[item, "total_published"])
            values[item, "new_made"] = values[item, "new_published"]
            for m in ("new_made", "new_published"):
                printed[item, m] = str(int(values[item, m]))
    return values, printed


@lru_cache(maxsize=16384)
def own_figures(seed: int, number: int, member: str, year: int) -> Figures:
    """The figures of one organ's own work in a year (a summary's: its own office's), clean; they
    carry over from the organ's figures of the year before."""
    c = cluster(seed, number)
    tpl = template()
    organ_rng = random.Random(f"{seed}:organ:{number}:{member}")
    base = organ_rng.lognormvariate(4.0, 1.0) if member == SUMMARY else organ_rng.lognormvariate(2.5, 1.2)
    rng = random.Random(f"{seed}:organ:{number}:{member}:{year}")
    scale = max(0, int(base * rng.uniform(0.7, 1.3)))
    kind = template_of(year)
    figures = Figures()
    if kind == "legacy":
        parts = _split(rng, scale, {"granted": 0.5, "partially_granted": 0.1, "withheld": 0.1, "information_not_exist": 0.3})
        channels = _split(rng, scale, {"channel_in_person": 0.3, "channel_online": 0.6, "channel_letter": 0.1})
        figures.facts = {"requests_total": scale, **parts, **channels,
                         "review_total": rng.randint(0, 3), "litigation_total": rng.randint(0, 2)}
        return figures
    before = own_figures(seed, number, member, year - 1) if year > c.first and template_of(year - 1) != "legacy" else None
    carried = {a: before.table3["carried_forward", a] for a in _APPLICANT_WEIGHTS} if before else None
    figures.table3 = table3_figures(rng, tpl, kind, scale, carried)
    figures.table4 = table4_figures(rng, tpl, scale)
    figures.table2, figures.table2_printed = table2_figures(rng, tpl, kind, scale, before)
    return figures


def printed_figures(seed: int, number: int, member: str, year: int) -> Figures:
    """What the organ's report prints (clean): a summary adds its departments' tables 3 and 4 (and
    prose figures) to its own office's; table 2 is its own."""
    figures = copy.deepcopy(own_figures(seed, number, member, year))
    if member != SUMMARY:
        return figures
    for agency in cluster(seed, number).members[1:]:
        theirs = own_figures(seed, number, agency, year)
        for table in ("table3", "table4", "facts"):
            mine = getattr(figures, table)
            for key, value in getattr(theirs, table).items():
                mine[key] = mine.get(key, 0) + value
    return figures


# --- the identities, evaluated on the printed figures (independently of the warehouse) ----------

def failed_checks(template: str, tpl: Template, fig: Figures, previous: tuple[str, list[Figures]] | None = None) -> list[str]:
    """`check_id:scope` of every identity of the identities seed (loaders/identities.py) that the printed
    figures of one report break, the prose included (a template report states its new requests); with
    the template and the printed versions of the same organ's report of the year before, the identities
    across years too (decided only where the versions agree, as the warehouse decides them)."""
    this = _cells("this", template, fig)
    failed = identities.failed(_identities(), this, template)
    if previous:
        verdicts: dict[tuple[str, str], list] = {}
        for version in previous[1]:
            cells = {**this, **_cells("previous", previous[0], version)}
            for identity in _identities():
                if identity.spans_years:
                    for scope, verdict in identities.evaluate(identity, cells, template).items():
                        verdicts.setdefault((identity.check_id, scope), []).append(verdict)
        failed |= {key for key, vs in verdicts.items() if len({v.rhs for v in vs}) == 1 and vs[0].passed is False}
    return sorted(f"{check}:{scope}" for check, scope in failed)


def _cells(year: str, template: str, fig: Figures) -> dict[tuple[str, str, str, str], tuple[float | None, str]]:
    """The printed figures of one report as the identities read them (blank cells count as 0)."""
    cells: dict[tuple[str, str, str, str], tuple[float | None, str]] = {}
    for source, figures in (("table3", fig.table3), ("table2", fig.table2), ("table4", fig.table4)):
        for (key, column), value in figures.items():
            cells[year, source, key, column] = (value, "number" if value is not None else "blank")
    facts = dict(fig.facts)
    if template in ("v2019", "v2021"):
        facts["requests_total"] = fig.table3["new_received", "total"] or 0  # 全年共收到政府信息公开申请N件
    for fact, value in facts.items():
        cells[year, "prose", fact, ""] = (value, "number")
    return cells


@lru_cache(maxsize=1)
def _identities():
    return identities.load_identities(SEEDS_DIR)


def plant_error(rng: random.Random, template: str, tpl: Template, fig: Figures) -> str:
    """Change one printed figure the way publication errors do; return what was changed."""
    kinds = ["t3_total_cell", "t3_column_cell", "t4_total"] + (["t2_published"] if template == "v2019" else [])
    kind = rng.choice(kinds)
    delta = rng.randint(1, 12)
    if kind == "t3_total_cell" or kind == "t3_column_cell":
        code = rng.choice([c for c, _, _, _ in tpl.rows[template]])
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


# --- one report ---------------------------------------------------------------------------------

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


def _cell_truth(printed: str) -> str:
    """The cell state a printed cell text has."""
    return "blank" if printed == "" else "not_applicable" if printed == "-" else "number"


@dataclass
class Report:
    """One report, as the generator decided it: who, when, its printed figures and its style."""
    index: int
    template: str
    year: int
    place: Place
    organ: str
    scope: str
    figures: Figures
    style: str
    published: tuple[int, int, int]
    planted: str = ""
    correction_note: str = ""
    previous: tuple[str, list[Figures]] | None = None  # template and printed versions of last year's report

    @property
    def title(self) -> str:
        return f"{self.organ}{self.year}年政府信息公开工作年度报告"


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _republished(options: Options, index: int) -> bool:
    return random.Random(f"{options.seed}:{index}:republished").random() < options.republished_share


def decide_report(index: int, options: Options, plant: bool = True, with_previous: bool = True) -> Report:
    c, member, year = locate(options, index)
    rng = random.Random(f"{options.seed}:{index}")
    place = c.place_in(year)
    scope = "jurisdiction" if member == SUMMARY else "agency"
    kind = template_of(year)
    style = _weighted(rng, {"zero": 0.8, "blank_zero": 0.15, "dash_zero": 0.05})
    figures = printed_figures(options.seed, c.number, member, year)
    published = (year + 1, rng.randint(1, 3), rng.randint(1, 28))
    report = Report(index, kind, year, place, place.name + member, scope, figures, style, published)
    if plant and kind != "legacy" and rng.random() < options.error_share:
        report.planted = plant_error(rng, kind, template(), figures)
    if with_previous and index > 0 and kind != "legacy":
        before_cluster, before_member, before_year = locate(options, index - 1)
        if (before_cluster is c and before_member == member and before_year == year - 1
                and c.place_in(before_year).code == place.code):
            versions = [decide_report(index - 1, options, with_previous=False).figures]
            if _republished(options, index - 1):
                versions.append(decide_report(index - 1, options, plant=False, with_previous=False).figures)
            report.previous = (template_of(before_year), versions)
    return report


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


def _blocks(rep: Report, rng: random.Random, tpl: Template) -> list[Block]:
    """The report in reading order: title, paragraphs, headings and the template's tables."""
    name = rep.place.name
    blocks: list[Block] = [("title", rep.title)]
    y, m, d = rep.published
    if rep.style != "blank_zero":
        blocks.append(("p", f"发布日期：{y}-{m:02d}-{d:02d}  来源：{rep.organ}"))
    blocks.append(("p", f"本报告由{rep.organ}根据《中华人民共和国政府信息公开条例》编制，全文包括总体情况、主动公开政府信息情况、"
                        f"收到和处理政府信息公开申请情况等部分。报告中所列数据的统计期限为{rep.year}年1月1日至{rep.year}年12月31日。"
                        f"本报告电子版可在{rep.place.context}人民政府门户网站下载。"))
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
        blocks += [("grid", g) for g in table2_grids(tpl, rep.template, rep.figures.table2_printed)]
        blocks.append(("h", "三、收到和处理政府信息公开申请情况"))
        blocks.append(("grid", table3_grid(tpl, rep.template, {k: _cell_text(v, rep.style) for k, v in t3.items()})))
        blocks.append(("h", "四、政府信息公开行政复议、行政诉讼情况"))
        blocks.append(("grid", table4_grid(tpl, {k: _cell_text(v, rep.style) for k, v in rep.figures.table4.items()})))
        blocks.append(("h", "五、存在的主要问题及改进情况"))
    blocks += [("p", p) for p in _PROBLEMS[: rng.randint(1, 3)]]
    blocks.append(("h", "六、其他需要报告的事项"))
    blocks.append(("p", "本年度无其他需要报告的事项。"))
    blocks.append(("p", rep.organ))
    blocks.append(("p", _date_text(*rep.published)))
    return blocks


def encode_report(rep: Report, options: Options, tpl: Template) -> tuple[bytes, dict]:
    """(file bytes, manifest fields) for one decided report."""
    rng = random.Random(f"{options.seed}:{rep.index}:render")
    fmt = rng.choice(list(options.formats))
    simplified = _blocks(rep, rng, tpl)
    traditional = rng.random() < options.traditional_share
    encoding = rng.choice(["utf-8", "big5"]) if fmt == "text" and traditional else None
    blocks = map_text(simplified, lambda t: to_traditional(t, encoding)) if traditional else simplified
    title = to_traditional(rep.title, encoding) if traditional else rep.title
    layout, encoding = "grid", encoding or "utf-8"
    if fmt == "text":
        layout = rng.choice(TEXT_LAYOUTS)
        content = text.text(blocks, layout)
        if not traditional:
            encoding = _weighted(rng, {"utf-8": 0.75, "gb18030": 0.15, "utf-8-sig": 0.05, "utf-16": 0.05})
        try:
            data = content.encode(encoding)
        except UnicodeEncodeError:
            encoding, data = "utf-8", content.encode("utf-8")
    elif fmt == "html":
        layout = _weighted(rng, {"plain_page": 0.7, "gov_page": 0.2, "word_export": 0.1})
        encoding = "utf-8" if (traditional or rng.random() < 0.7) and layout != "word_export" else "gb18030"
        if layout == "gov_page":
            y, m, d = rep.published
            page = html.gov_page(blocks, title, rep.place.name, published=f"{y}-{m:02d}-{d:02d}",
                                 index_number=f"{rep.place.code}000000/{y}-{rep.index:06d}", publisher=rep.organ,
                                 address=rep.place.context, charset=encoding)
        elif layout == "word_export":
            page = html.word_export(blocks, title)
        else:
            page = html.plain_page(blocks, title, "utf-8" if encoding == "utf-8" else "gb2312")
        try:
            data = page.encode(encoding)
        except UnicodeEncodeError:
            encoding, data = "utf-8", page.replace("charset=gb2312", "charset=utf-8").encode("utf-8")
    elif fmt == "docx":
        data, encoding = docx(blocks), ""
    else:
        try:
            data = pdf(blocks)
        except ValueError:  # a traditional character the PDF font cannot show: printed in simplified script
            traditional, data = False, pdf(simplified)
        encoding = ""
    fields = {
        "format": fmt, "layout": layout, "template": rep.template, "script": "traditional" if traditional else "simplified",
        "encoding": encoding, "report_year": rep.year, "division_code": rep.place.code, "place_name": rep.place.name,
        "organ_name": rep.organ, "report_scope": rep.scope,
        "published_on": "%04d-%02d-%02d" % rep.published,
        "planted_error": rep.planted, "expected_failures": " ".join(failed_checks(rep.template, tpl, rep.figures, rep.previous)),
    }
    return data, fields


_EXTENSIONS = {"text": (".txt", ".txt", ".md"), "html": (".html", ".htm"), "docx": (".docx",), "pdf": (".pdf",)}


def relative_path(rep: Report, fields: dict, rng: random.Random, suffix: str = "") -> str:
    ext = rng.choice(_EXTENSIONS[fields["format"]])
    return f"{rep.place.province}/{rep.place.prefecture or rep.place.province}/{rep.index:07d}_{rep.organ}_{rep.year}{suffix}{ext}"


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


def _republish(rep: Report, options: Options, rng: random.Random) -> Report:
    """The same organ and year published again later, with the planted error (if any) corrected."""
    clean = decide_report(rep.index, options, plant=False)
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


def files_for(index: int, options: Options) -> list[SynthFile]:
    """The file(s) of report `index`: the report, and maybe a byte-identical copy and a republished
    version. Depends only on (options, index), so reports can be made in any order or process."""
    tpl = template()
    rep = decide_report(index, options)
    rng = random.Random(f"{options.seed}:{index}:files")
    data, fields = encode_report(rep, options, tpl)
    rel = relative_path(rep, fields, rng)
    republished = _republished(options, index)
    out = [SynthFile(rel, data, {"path": rel, "kind": "report", "of_path": "", "expected_current": not republished, **fields},
                     truth_cells(rel, rep))]
    if rng.random() < options.duplicate_share:
        copy_path = f"mirror/{Path(rel).stem} 副本{Path(rel).suffix}"
        out.append(SynthFile(copy_path, data, {**out[0].manifest, "path": copy_path, "kind": "duplicate", "of_path": rel},
                             truth_cells(copy_path, rep)))
    if republished:
        again = _republish(rep, options, rng)
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
    _starts(options.seed, options.count)  # once, before the workers fork
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
