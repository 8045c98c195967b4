"""`ogi report`: a static HTML report of a warehouse that opens from disk with no network.

    index.html                   overview: reports by year, province and template; parse status;
                                 identity findings; every jurisdiction
    jurisdictions/<code>.html    one jurisdiction: requests, outcomes, applicants, reviews and
                                 lawsuits over the years, own figure and rollups apart
    findings.html                every finding of the gate, by report, with both sides, the
                                 difference and the cells linked to their source lines
    sources/<report_id>.html     a copy of a report's text with an anchor per line
    assets/                      the Vega, Vega-Lite and vega-embed bundle, styles and script

Charts are Vega-Lite specifications made with Altair and drawn in the browser by the Vega libraries
shipped in assets/ (from vl-convert, the versions pinned with the project): one 0.9 MB bundle for the
whole report, so thousands of jurisdiction pages cost little to write, the text is measured and
drawn by the browser's own fonts, and a reader gets tooltips and can save a chart as SVG or PNG.
Every chart's figures are also printed in a table under it.

The report is written into a temporary folder next to the output, then renamed over it: a failed
run leaves the previous report in place. File names come from report ids and division codes only.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ogi.paths import replace_folder
from ogi.report import data as report_data
from ogi.report import findings, pages, sources
from ogi.report.render import Renderer


@dataclass(frozen=True)
class ReportResult:
    out_dir: Path
    jurisdiction_pages: int
    source_pages: int
    charts: int
    findings: int
    reports_with_findings: int
    sources_missing: list[str]  # why a report with findings has no copy of its text

    @property
    def index(self) -> Path:
        return self.out_dir / "index.html"


def source_bases(db: Path) -> list[Path]:
    """Where relative source paths are looked up: the working folder, then the warehouse's folder
    and the folders above it (`ogi run data/samples` from the project records data/samples/...)."""
    db = db.absolute()
    return list(dict.fromkeys([Path.cwd(), db.parent, *db.parent.parents]))


def write_report(db: Path, out_dir: Path, bases: list[Path] | None = None,
                 progress: Callable[[int, int, str], None] | None = None) -> ReportResult:
    """Write the report of the warehouse `db` into `out_dir`; `progress(pages written, pages, page)`
    after each page."""
    warehouse = report_data.read(db)
    out_dir = out_dir.absolute()
    building = out_dir.with_name(f".{out_dir.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    try:
        result = _write(warehouse, db, building, out_dir, bases or source_bases(db), progress)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    replace_folder(building, out_dir)
    return result


def _write(warehouse: report_data.ReportData, db: Path, building: Path, out_dir: Path, bases: list[Path],
           progress: Callable[[int, int, str], None] | None) -> ReportResult:
    """Every page into `building`; links are relative, and those to the original files are computed
    from `out_dir`, where the report will be."""
    from loaders.registry import load_registry

    renderer = Renderer(building, db=db, generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    renderer.write_assets()
    written = 0

    def page(template: str, path: str, context: dict, total: int) -> None:
        nonlocal written
        renderer.page(template, path, context)
        written += 1
        if progress:
            progress(written, total, path)

    # Copies of the texts behind the findings, for their own reports and the previous years' they cite.
    cited = findings.cited_lines(warehouse)
    paths = dict(zip(warehouse.reports["report_id"], warehouse.reports["source_path"]))
    registry = load_registry()
    texts = {
        report_id: sources.read_source(paths[report_id], report_id, bases, registry, cited.get(report_id, set()))
        for report_id in sorted(set(warehouse.findings["report_id"]) | set(cited))
        if report_id in paths and pages.SAFE_REPORT_ID.match(report_id)
    }
    total = sum(1 for t in texts.values() if t.lines) + 2 + sum(
        1 for code in warehouse.jurisdiction_years["division_code"].unique() if pages.SAFE_DIVISION_CODE.match(code))
    for report_id, text in texts.items():
        if text.lines:
            page("source.html.j2", f"sources/{report_id}.html",
                 findings.source_page(warehouse, report_id, text, out_dir / "sources"), total)

    overview = pages.overview(warehouse, f"{len(warehouse.reports)} reports in {db}")
    page("overview.html.j2", "index.html", overview, total)
    charts, codes = len(overview["page"].charts), 0
    for code, context in pages.jurisdiction_pages(warehouse):
        page("jurisdiction.html.j2", f"jurisdictions/{code}.html", context, total)
        charts, codes = charts + len(context["page"].charts), codes + 1
    found = findings.findings_page(warehouse, texts, out_dir)
    page("findings.html.j2", "findings.html", found, total)
    return ReportResult(
        out_dir=out_dir, jurisdiction_pages=codes, source_pages=sum(1 for t in texts.values() if t.lines),
        charts=charts, findings=found["finding_count"], reports_with_findings=len(found["reports"]),
        sources_missing=[t.problem for t in texts.values() if t.problem],
    )
