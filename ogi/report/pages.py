"""What each page of the report shows: its charts (Vega-Lite specifications with their rows) and
tables, every label in Chinese with its English gloss. Templates in ogi/report/templates lay them out.

Figures are shown as the marts give them. A jurisdiction's own figure and its rollups are separate
series, drawn side by side or in separate rows and never stacked or added; every figure names its
basis (summary, organs' reports, mixed) in the basis table, the tooltips and the captions.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace

import pandas as pd

from ogi.report import charts
from ogi.report.labels import UNKNOWN, Label, Labels

SAFE_REPORT_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
SAFE_DIVISION_CODE = re.compile(r"^[0-9]{6}$")
OUTCOME_COLUMNS = {  # fct_jurisdiction_year column -> outcome group code
    "granted": "granted", "partially_granted": "partially_granted", "withheld": "withheld",
    "unavailable": "unavailable", "not_processed": "not_processed", "other_handled": "other",
}
CASE_KINDS = ("review", "litigation")
CASE_MEASURES = ("total", "concluded", "corrected")
# fct_reconciliation_cells.source_table -> (row domain, column domain) of the labels
CELL_DOMAINS = {"table2": ("item", "disclosure_measure"), "table3": ("row", "applicant"),
                "table4": ("proceeding", "result"), "prose": ("fact", None)}
# fct_reconciliation_checks.scope_kind (also the label domain of the scope) -> what it is called
SCOPE_KINDS = {"applicant": ("列", "column"), "row": ("行", "row"), "proceeding": ("程序", "proceeding"),
               "item": ("事项", "item"), "fact": ("正文数字", "prose figure")}


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list]  # cells: str, number text, or Link
    numeric: frozenset[int] = frozenset()  # columns aligned right


@dataclass(frozen=True)
class Panel:
    """One drawing of a chart: a single Vega-Lite view, as wide as its card."""
    spec: dict

    @property
    def spec_json(self) -> str:
        return json.dumps(self.spec, ensure_ascii=False, separators=(",", ":"))

    @property
    def has_rows(self) -> bool:
        return bool(self.spec.get("datasets", {}).get(charts.DATA))


@dataclass
class Chart:
    id: str
    title: str
    caption: str
    panels: list[Panel]  # one per figure of the place where figures are drawn apart; else one
    table: Table

    @classmethod
    def single(cls, id: str, title: str, caption: str, spec: dict, table: Table) -> "Chart":
        return cls(id, title, caption, [Panel(spec)], table)

    @property
    def has_rows(self) -> bool:
        return any(p.has_rows for p in self.panels)


@dataclass
class Page:
    title: str
    root: str  # relative path from the page to the report's root folder
    charts: list[Chart] = field(default_factory=list)


def anchor(*parts) -> str:
    """An HTML id from codes (report ids, scopes), safe whatever they hold."""
    return "-".join(re.sub(r"[^0-9A-Za-z_]+", "-", str(p)) for p in parts)


def is_missing(value) -> bool:
    """NULL as the warehouse's frames hold it: None, NaN, pd.NA or NaT."""
    return value is None or bool(pd.isna(value))


def clean(value):
    """A value as JSON and templates take it: NULL for missing, plain Python numbers."""
    if is_missing(value):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def count(value) -> str:
    value = clean(value)
    return "—" if value is None else f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def share(value) -> str:
    value = clean(value)
    return "—" if value is None else f"{value:.1%}"


def year_text(value) -> str:
    value = clean(value)
    return UNKNOWN if value is None else str(value)


def year_positions(years) -> list[str]:
    """Every year from the first to the last (a year with no figure keeps its place), then unknown."""
    known = sorted({int(y) for y in years if not is_missing(y)})
    positions = [str(y) for y in range(known[0], known[-1] + 1)] if known else []
    return positions + ([UNKNOWN] if any(is_missing(y) for y in years) else [])


def jurisdiction_href(code, root: str) -> str | None:
    return f"{root}jurisdictions/{code}.html" if isinstance(code, str) and SAFE_DIVISION_CODE.match(code) else None


def source_href(report_id, root: str) -> str | None:
    return f"{root}sources/{report_id}.html" if isinstance(report_id, str) and SAFE_REPORT_ID.match(report_id) else None


def series_label(labels: Labels, figure_kind: str, source_level: str) -> Label:
    """`own` or `rollup`, with the level of the places whose reports make it up."""
    kind, level = labels.of("figure_kind", figure_kind), labels.of("level", source_level)
    order = (0 if figure_kind == "own" else 10) + level.order
    return Label(f"{kind.zh}（{level.zh}）", f"{kind.en} ({level.en.lower()})", order)


# series order (see series_label) -> palette colour: a place's own figure is always blue.
SERIES_COLOR_INDEX = {1: 0, 2: 0, 3: 0, 12: 4, 13: 1}


def legend(labels: Labels, domain: str, codes) -> list[tuple[str, str]]:
    """The categories of these codes as (label, colour), in their code list's order."""
    order = labels.codes(domain)
    present = {None if is_missing(c) else c for c in codes}
    ranked = [(c, i) for i, c in enumerate(order) if c in present]
    ranked += [(c, len(order) + i) for i, c in enumerate(sorted(present - set(order), key=str))]
    return [(labels.text(domain, c), charts.color(domain, c, i)) for c, i in ranked]


def series_legend(series: list[Label]) -> list[tuple[str, str]]:
    """The figures of a jurisdiction, each with its colour (the own figure always the first)."""
    return [(str(s), charts.PALETTE[SERIES_COLOR_INDEX.get(s.order, 7)]) for s in series]


def _category_rows(labels: Labels, domain: str, frame: pd.DataFrame, position: str, code: str) -> tuple[list[dict], list]:
    """Counts of reports by position and category code, as chart rows and the legend."""
    grouped = frame.groupby([position, code], dropna=False).size().reset_index(name="value")
    rows = [
        {"position": p, "label": labels.text(domain, c), "order": labels.of(domain, c).order, "value": int(v)}
        for p, c, v in grouped.itertuples(index=False)
    ]
    return rows, legend(labels, domain, grouped[code])


def _crosstab(rows: list[dict], positions: list, categories: list[tuple[str, str]], first_header: str) -> Table:
    categories = [label for label, _ in categories]
    values = {(r["position"], r["label"]): r["value"] for r in rows}
    body = [[p] + [count(values.get((p, c))) for c in categories] + [count(sum(values.get((p, c), 0) for c in categories))]
            for p in positions if any((p, c) in values for c in categories)]
    return Table([first_header, *categories, "合计 Total"], body, frozenset(range(1, len(categories) + 2)))


# --- the overview ---------------------------------------------------------------------------


def _coverage(data) -> pd.Series:
    """Per report: how far it could be checked against the E identities, as the gate counts it."""
    e_findings = data.findings[data.findings["severity"] == "E"]
    unacknowledged = set(e_findings.loc[~e_findings["acknowledged"].astype(bool), "report_id"])
    acknowledged = set(e_findings["report_id"]) - unacknowledged
    return data.reports["report_id"].map(
        lambda r: "e_finding" if r in unacknowledged else "acknowledged_only" if r in acknowledged
        else "no_e_finding" if r in data.e_checked_report_ids else "not_checked"
    )


def overview(data, built_from: str) -> dict:
    labels, reports = data.labels, data.reports.copy()
    reports["year"] = reports["report_year"].map(year_text)
    reports["province"] = reports["province_name"].fillna("未定位 unplaced")
    reports["coverage"] = _coverage(data)
    years = year_positions(reports["report_year"])
    page = Page("概览 Overview", "")

    def by_year(chart_id, title, domain, column, caption):
        rows, categories = _category_rows(labels, domain, reports, "year", column)
        spec = charts.with_data(charts.stacked_bars("年份 Year", "报告数 Reports", title), rows, categories, years)
        page.charts.append(Chart.single(chart_id, title, caption, spec, _crosstab(rows, years, categories, "年份 Year")))

    by_year("reports-by-template", "报告模板 Template", "template", "template",
            "Reports loaded by report year and template (模板按报告中的标记判定, never from the year).")
    by_year("parse-status-by-year", "解析状态 Parse status", "parse_status", "parse_status",
            "Reports by year and parse status: partial reports miss tables or have unreadable cells; failed ones "
            "could not be read at all (see the parse issues).")

    province_rows, statuses = _category_rows(labels, "parse_status", reports, "province", "parse_status")
    provinces = reports["province"].value_counts().index.tolist()
    spec = charts.with_data(charts.stacked_bars("省份 Province", "报告数 Reports", "解析状态 Parse status", horizontal=True),
                            province_rows, statuses, provinces)
    page.charts.append(Chart.single("reports-by-province", "省份 Province", "Reports by the province of their place "
                             "in the report year (unplaced: no division code could be resolved).", spec,
                             _crosstab(province_rows, provinces, statuses, "省份 Province")))

    by_year("identity-checks-by-year", "勾稽核验 Identity checks", "check_coverage", "coverage",
            "Reports by year and what the E-severity identities found, as the gate counts them: a report with an "
            "E finding has an identity that failed or could not be verified; acknowledged findings are listed "
            "but do not count.")
    page.charts.append(_findings_by_identity(data))
    return {"page": page, "summary": _summary(data, reports), "jurisdictions": _jurisdiction_index(data),
            "built_from": built_from}


def _findings_by_identity(data) -> Chart:
    labels, findings = data.labels, data.findings
    statuses = legend(labels, "finding_status", labels.codes("finding_status"))
    grouped = findings.groupby(["check_id", "status"]).size().reset_index(name="value")
    identities = [c for c in labels.codes("identity") if c in set(grouped["check_id"])]
    rows = [{"position": c, "label": labels.text("finding_status", s), "order": labels.of("finding_status", s).order,
             "value": int(v)} for c, s, v in grouped.itertuples(index=False)]
    spec = charts.with_data(charts.stacked_bars("勾稽关系 Identity", "检查数 Checks", "结果 Outcome", horizontal=True),
                            rows, statuses, identities)
    table = Table(
        ["勾稽关系 Identity", "规则 Rule", "级别 Severity", *[label for label, _ in statuses], "已确认 Acknowledged",
         "涉及报告 Reports"],
        [[c, str(labels.of("identity", c)), labels.text("severity", f.iloc[0]["severity"]),
          *[count((f["status"] == s).sum()) for s in labels.codes("finding_status")],
          count(f["acknowledged"].astype(bool).sum()), count(f["report_id"].nunique())]
         for c in identities for f in [findings[findings["check_id"] == c]]],
        frozenset(range(3, 3 + len(statuses) + 2)),
    )
    caption = ("Checks that failed or could not be verified, by identity; see the findings page for each report's "
               "cells and lines." if len(findings) else "No identity failed and none was unverifiable.")
    return Chart.single("findings-by-identity", "勾稽问题 Identity findings", caption, spec, table)


def _summary(data, reports: pd.DataFrame) -> Table:
    labels, findings = data.labels, data.findings
    status = reports["parse_status"].value_counts()
    rows = [
        ["报告 Reports", count(len(reports))],
        *[[f"　{labels.text('parse_status', s)}", count(status.get(s, 0))] for s in labels.codes("parse_status")],
        ["年份 Years", ", ".join(y for y in year_positions(reports["report_year"]) if (reports["year"] == y).any())],
        ["有数字的地区 Jurisdictions with figures", count(data.jurisdiction_years["division_code"].nunique())],
        ["核验E级勾稽关系的报告 Reports checked against the E identities", count(len(data.e_checked_report_ids))],
        ["有勾稽问题的报告 Reports with findings", count(findings["report_id"].nunique())],
        ["勾稽问题 Findings (one scope of one report)", count(len(findings.groupby(["report_id", "finding"])) if len(findings) else 0)],
    ]
    return Table(["", ""], rows, frozenset({1}))


def _jurisdiction_index(data) -> Table:
    labels, years = data.labels, data.jurisdiction_years
    places = years.groupby("division_code", sort=True).agg(
        name=("jurisdiction_name", "first"), level=("jurisdiction_level", "first"), province=("province_name", "first"),
        prefecture=("prefecture_name", "first"), first_year=("report_year", "min"), last_year=("report_year", "max"),
    ).join(years[years["figure_kind"] == "own"].groupby("division_code")[["published_report_count", "failing_report_count"]].sum())
    rows = [[
        Link(p.division_code, jurisdiction_href(p.division_code, "")) if jurisdiction_href(p.division_code, "") else p.division_code,
        p.name or UNKNOWN, labels.text("level", p.level), p.province or "", p.prefecture or "",
        f"{p.first_year}–{p.last_year}", count(p.published_report_count), count(p.failing_report_count),
    ] for p in records(places.reset_index())]
    return Table(["代码 Code", "地区 Jurisdiction", "级别 Level", "省 Province", "地级 Prefecture", "年份 Years",
                  "本级发布报告 Own reports", "其中勾稽不符 Of which do not add up"], rows, frozenset({6, 7}))


# --- one jurisdiction ----------------------------------------------------------------------


def records(frame: pd.DataFrame) -> list[SimpleNamespace]:
    """Rows with attribute access and None for NULL (much faster to walk than DataFrame.itertuples on
    wide marts)."""
    return [SimpleNamespace(**{k: None if is_missing(v) else v for k, v in row.items()}) for row in frame.to_dict("records")]


def _figure_rows(labels: Labels, frame: pd.DataFrame) -> list[SimpleNamespace]:
    """A mart's rows for one jurisdiction, each with its `series` (own figure or rollup) and `year`
    text, by year and then the own figure first."""
    rows = records(frame)
    for r in rows:
        r.series, r.year = series_label(labels, r.figure_kind, r.source_level), year_text(r.report_year)
    return sorted(rows, key=lambda r: (r.report_year, r.series.order))


def jurisdiction_pages(data) -> Iterator[tuple[str, dict]]:
    """(division code, page context) for every jurisdiction with figures."""
    labels = data.labels
    codes = set(data.jurisdiction_years["division_code"])
    applicants = dict(tuple(data.applicants.groupby("division_code")))
    reports = dict(tuple(data.reports.groupby("series_code")))
    findings = data.findings.groupby("report_id")["finding"].nunique().to_dict()
    places = records(data.jurisdiction_years.drop_duplicates("division_code").sort_values("division_code"))
    below: dict[str, list[Link]] = {}
    for place in places:
        for parent in {place.prefecture_code, place.province_code} - {None, place.division_code}:  # no NULL: records()
            below.setdefault(parent, []).append(Link(f"{place.jurisdiction_name} {place.division_code}",
                                                     jurisdiction_href(place.division_code, "../")))
    empty = data.applicants.iloc[0:0]
    for code, frame in data.jurisdiction_years.groupby("division_code", sort=True):
        if not SAFE_DIVISION_CODE.match(code):
            continue
        rows = _figure_rows(labels, frame)
        first = rows[0]
        parents = [Link(f"{name} {c}", jurisdiction_href(c, "../"))
                   for c, name in ((first.province_code, first.province_name), (first.prefecture_code, first.prefecture_name))
                   if c != code and c in codes]
        yield code, _jurisdiction(labels, code, rows, _figure_rows(labels, applicants.get(code, empty)),
                                  _place_reports(labels, reports.get(code), findings), parents, below.get(code, []))


def _jurisdiction(labels: Labels, code: str, rows: list, applicants: list, reports: Table, parents: list[Link],
                  below: list[Link]) -> dict:
    series = sorted({r.series for r in rows}, key=lambda s: s.order)
    categories = series_legend(series)
    years = year_positions([r.report_year for r in rows])
    first = rows[0]
    page = Page(f"{first.jurisdiction_name or code} {code}", "../")
    page.charts += [
        _requests_chart(labels, rows, categories, years),
        _outcomes_chart(labels, rows, series, years),
        _applicants_chart(labels, applicants, series, years),
        _cases_chart(labels, rows, series, years),
        _rates_chart(labels, rows, categories, years),
    ]
    return {
        "page": page, "code": code, "first": first, "level": labels.text("level", first.jurisdiction_level),
        "parents": parents, "series": series, "basis": _basis_table(labels, rows),
        "headline": _headline_table(labels, rows), "reports": reports, "below": below,
    }


def _basis_table(labels: Labels, rows: list) -> Table:
    body = [[r.year, str(r.series), labels.text("figure_basis", r.figure_basis), count(r.place_count),
             f"{count(r.summary_place_count)} / {count(r.agency_place_count)}", count(r.figure_report_count),
             count(r.published_report_count), count(r.table3_report_count), count(r.table4_report_count),
             labels.text("figures_source", r.figures_source) if not is_missing(r.figures_source) else "—",
             r.templates or "—", r.prose_confidence if not is_missing(r.prose_confidence) else "—"]
            for r in rows]
    return Table(["年份 Year", "数字 Figure", "口径 Basis", "区划数 Places", "汇总 / 部门 Summary / organs",
                  "计入报告 Reports added", "发布报告 Reports published", "有申请数据 With requests",
                  "有复议诉讼数据 With reviews", "来源 Source", "模板 Templates", "正文置信度 Prose confidence"],
                 body, frozenset({3, 5, 6, 7, 8}))


def _tip(labels: Labels, r) -> dict:
    return {"series": str(r.series), "basis": labels.text("figure_basis", r.figure_basis),
            "reports": clean(r.figure_report_count)}


def _not_comparable(rows: list) -> set[tuple[str, str]]:
    """(series, year) of the figures that are not comparable with the year before: a line never
    joins them to it (a summary's 744 is not followed by one department's 6)."""
    return {(str(r.series), r.year) for r in rows if r.yoy_comparability == "not_comparable"}


def _by_series(points: list[dict], series: list) -> list[tuple[str, list[dict]]]:
    """The points of each figure of the place (own figure first) that has any."""
    return [(str(s), [p for p in points if p["series"] == str(s)]) for s in series
            if any(p["series"] == str(s) for p in points)]


def _panels(template_of, points: list[dict], series: list, categories: list[tuple[str, str]], years: list[str]) -> list[Panel]:
    """One drawing per figure of the place, titled with it; the legend under the last one."""
    parts = _by_series(points, series)
    return [Panel(charts.titled(charts.with_data(template_of(i == len(parts) - 1), rows, categories, years), title))
            for i, (title, rows) in enumerate(parts)] or [Panel(charts.with_data(template_of(True), [], categories, years))]


def _requests_chart(labels: Labels, rows: list, categories: list[tuple[str, str]], years: list[str]) -> Chart:
    measures = ("new_received", "total_processed")
    points = [{"position": r.year, "label": str(r.series), "dash": labels.text("measure", m), "dash_order": i,
               "value": clean(getattr(r, m)),
               "comparability": labels.text("yoy_comparability", r.yoy_comparability),
               "change": clean(getattr(r, f"{m}_yoy_change")), **_tip(labels, r)}
              for r in rows for i, m in enumerate(measures) if not is_missing(getattr(r, m))]
    spec = charts.with_data(
        charts.lines("年份 Year", "申请件数 Requests", "数字 Figure", "指标 Measure",
                     tooltip=(("basis", "N", "口径 Basis"), ("reports", "Q", "计入报告 Reports added"),
                              ("comparability", "N", "同比 Year on year"), ("change", "Q", "同比变化 Change (like for like)"))),
        charts.segments(points, years, _not_comparable(rows)), categories, years)
    table = Table(
        ["年份 Year", "数字 Figure", "口径 Basis", *[labels.text("measure", m) for m in measures],
         "同比 Year on year", "新收同比变化 New requests, change", "同比增幅 Change %"],
        [[r.year, str(r.series), labels.text("figure_basis", r.figure_basis), count(r.new_received), count(r.total_processed),
          labels.text("yoy_comparability", r.yoy_comparability), count(r.new_received_yoy_change), share(r.new_received_yoy_pct)]
         for r in rows],
        frozenset({3, 4, 6, 7}),
    )
    return Chart.single("requests", "申请数量 Requests over time",
                        "New requests (新收申请, solid) and requests handled (办理总数, dashed) per year, one colour per figure: "
                        "the place's own figure and each rollup are separate lines, never added. A line does not cross a "
                        "year without a figure, nor join a year to the one before when the two are not comparable (other "
                        "reports, or an area that changed: see 同比 in the table). Year-on-year change compares only the "
                        "units present in both years (like for like).", spec, table)


def _outcomes_chart(labels: Labels, rows: list, series: list, years: list[str]) -> Chart:
    groups = legend(labels, "outcome_group", OUTCOME_COLUMNS.values())
    points = [{"position": r.year, "series": str(r.series), "label": labels.text("outcome_group", g),
               "order": labels.of("outcome_group", g).order, "value": clean(getattr(r, column)),
               "share": clean(getattr(r, f"{column}_share")), **_tip(labels, r)}
              for r in rows if not is_missing(r.outcome_total)
              for column, g in OUTCOME_COLUMNS.items()]
    panels = _panels(lambda with_legend: charts.stacked_bars(
        "年份 Year", "占比 Share", "办理结果 Outcome", normalize=True, legend=with_legend,
        tooltip=(("share", "%", "占比 Share"), ("basis", "N", "口径 Basis"))), points, series, groups, years)
    table = Table(
        ["年份 Year", "数字 Figure", *[label for label, _ in groups], "合计 Total"],
        [[r.year, str(r.series), *[f"{count(getattr(r, c))} ({share(getattr(r, f'{c}_share'))})" for c in OUTCOME_COLUMNS],
          count(r.outcome_total)] for r in rows if not is_missing(r.outcome_total)],
        frozenset(range(2, 3 + len(groups))),
    )
    return Chart("outcomes", "办理结果构成 Outcome mix",
                 "Requests handled by outcome group, as shares of the groups' total (table 3 rows 三（一）–三（六）; "
                 "legacy years from the prose through legacy_outcome_map). One drawing per figure.", panels, table)


def _applicants_chart(labels: Labels, applicants: list, series: list, years: list[str]) -> Chart:
    columns = [a for a in labels.codes("applicant") if a != "total"]
    points = [{"position": r.year, "series": str(r.series), "label": labels.text("applicant", r.applicant),
               "order": labels.of("applicant", r.applicant).order, "value": clean(r.new_received),
               "reports": clean(r.table3_report_count)}
              for r in applicants if r.applicant != "total" and not is_missing(r.new_received)]
    panels = _panels(lambda with_legend: charts.stacked_bars(
        "年份 Year", "新收申请 New requests", "申请人 Applicant", legend=with_legend,
        tooltip=(("reports", "Q", "有申请表的报告 Reports with table 3"),)),
        points, series, legend(labels, "applicant", columns), years)
    figures: dict[tuple, dict] = {}
    for r in applicants:
        figure = figures.setdefault((r.report_year, r.series.order, r.year, str(r.series)), {"reports": r.table3_report_count})
        figure[r.applicant] = r.new_received
    table = Table(
        ["年份 Year", "数字 Figure", *[labels.text("applicant", a) for a in columns + ["total"]], "有申请表的报告 Reports with table 3"],
        [[year, series_text, *[count(figure.get(a)) for a in columns + ["total"]], count(figure["reports"])]
         for (_, _, year, series_text), figure in sorted(figures.items())],
        frozenset(range(2, 4 + len(columns))),
    )
    return Chart("applicants", "申请人类型 Applicant types",
                 "New requests by applicant column of table 3, as printed; the 总计 column is in the table. Only "
                 "reports that print table 3 give the split. One drawing per figure.", panels, table)


def _cases_chart(labels: Labels, rows: list, series: list, years: list[str]) -> Chart:
    measures = legend(labels, "case_measure", CASE_MEASURES)
    points = [{"position": r.year, "series": f"{r.series} — {labels.text('case_kind', kind)}",
               "label": labels.text("case_measure", m), "value": clean(getattr(r, f"{kind}_{m}"))}
              for r in rows for kind in CASE_KINDS for m in CASE_MEASURES
              if not is_missing(getattr(r, f"{kind}_{m}"))]
    drawings = [f"{s} — {labels.text('case_kind', kind)}" for s in series for kind in CASE_KINDS]
    panels = _panels(lambda with_legend: charts.grouped_bars("年份 Year", "案件数 Cases", "案件 Cases", legend=with_legend),
                     points, drawings, measures, years)
    headers = [f"{labels.of('case_kind', k).zh}{labels.of('case_measure', m).zh} {labels.of('case_kind', k).en}: "
               f"{labels.of('case_measure', m).en.lower()}" for k in CASE_KINDS for m in CASE_MEASURES]
    table = Table(["年份 Year", "数字 Figure", *headers],
                  [[r.year, str(r.series), *[count(getattr(r, f"{k}_{m}")) for k in CASE_KINDS for m in CASE_MEASURES]]
                   for r in rows], frozenset(range(2, 2 + len(headers))))
    return Chart("cases", "行政复议与行政诉讼 Reviews and lawsuits",
                 "Administrative reviews and lawsuits about OGI (table 4; litigation adds both routes): all cases, the "
                 "concluded ones (维持 + 纠正 + 其他) and those that corrected the decision, one drawing per figure and "
                 "proceeding. Reports that give a total only (legacy prose) count in the total, not in the others.",
                 panels, table)


def _rates_chart(labels: Labels, rows: list, categories: list[tuple[str, str]], years: list[str]) -> Chart:
    points = [{"position": r.year, "label": str(r.series), "dash": labels.text("case_kind", kind), "dash_order": i,
               "value": clean(getattr(r, f"{kind}_correction_rate")), "corrected": clean(getattr(r, f"{kind}_corrected")),
               "concluded": clean(getattr(r, f"{kind}_concluded")), **_tip(labels, r)}
              for r in rows for i, kind in enumerate(CASE_KINDS) if not is_missing(getattr(r, f"{kind}_correction_rate"))]
    spec = charts.with_data(
        charts.lines("年份 Year", "纠错率 Correction rate", "数字 Figure", "程序 Proceeding", percent=True,
                     tooltip=(("corrected", "Q", "结果纠正 Corrected"), ("concluded", "Q", "已审结 Concluded"),
                              ("basis", "N", "口径 Basis"))),
        charts.segments(points, years, _not_comparable(rows)), categories, years)
    table = Table(["年份 Year", "数字 Figure", *[labels.text("measure", f"{k}_correction_rate") for k in CASE_KINDS]],
                  [[r.year, str(r.series), *[share(getattr(r, f"{k}_correction_rate")) for k in CASE_KINDS]]
                   for r in rows], frozenset({2, 3}))
    return Chart.single("correction-rates", "纠错率 Correction rates",
                        "Corrected ÷ concluded (pending cases left out), review solid and litigation dashed; no point where "
                        "no case was concluded, and no line across years that are not comparable.", spec, table)


def _headline_table(labels: Labels, rows: list) -> Table:
    return Table(
        ["年份 Year", "数字 Figure", "发布报告 Reports published", "已核验 Checked", "勾稽不符 Do not add up",
         labels.text("measure", "failing_report_share")],
        [[r.year, str(r.series), count(r.published_report_count), count(r.checked_report_count),
          count(r.failing_report_count), share(r.failing_report_share)] for r in rows],
        frozenset({2, 3, 4, 5}),
    )


def _place_reports(labels: Labels, reports: pd.DataFrame | None, findings: dict[str, int]) -> Table:
    body = []
    for r in [] if reports is None else records(reports.sort_values(["report_year", "organ_name", "source_path"])):
        found = findings.get(r.report_id, 0)
        body.append([
            year_text(r.report_year), r.organ_name or UNKNOWN, labels.text("report_scope", r.report_scope),
            labels.text("template", r.template), labels.text("parse_status", r.parse_status),
            labels.text("figure_role", r.figure_role),
            Link(count(found), f"../findings.html#{anchor('report', r.report_id)}") if found else "0",
            r.source_path,
        ])
    return Table(["年份 Year", "发布机关 Organ", "范围 Scope", "模板 Template", "解析 Parse status", "汇总角色 Role in the figures",
                  "勾稽问题 Findings", "源文件 Source file"], body, frozenset({6}))
