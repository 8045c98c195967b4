"""Regenerate the format fixtures in tests/fixtures/formats from the reports of tools/format_reports.py.

Usage: .venv/bin/python tools/build_format_fixtures.py

Each report (v2019, v2021, legacy) is laid out once as the official templates print their tables
(ogi.printing: merged headings, rowspan group labels, colspan figures; table 2 as one table) and
rendered into the layouts found in the wild: a government web page, Word's HTML export, a
traditional-script mirror page, markdown pipe tables and markdown with an HTML table, text copies
(one cell per line; labels on one line and figures on the next; tab-separated), DOCX, and PDF. The
PDFs are converted from the DOCX files by LibreOffice (`apt-get install -y libreoffice-writer
fonts-noto-cjk`), and the encrypted one with qpdf (`apt-get install -y qpdf`); the browser's prints
by Chromium; without those tools the PDFs are left as they are (the committed ones were converted
from the DOCX files python-docx wrote before ogi.printing: the same tables and text). The scanned
PDF (an image, no text layer) is written directly. The tests only read the committed files.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ogi.printing import html, text  # noqa: E402
from ogi.printing.docx import Page, docx  # noqa: E402
from ogi.printing.grid import Block, Cell, Grid, width  # noqa: E402
from ogi.printing.pdf import scanned_pdf  # noqa: E402
from ogi.printing.script import to_traditional  # noqa: E402
from ogi.printing.template import TABLE3_NOTE, table2_grids, table3_grid, table4_grid, template  # noqa: E402
from tools.format_reports import APPLICANTS, LEGACY, V2019, V2021, Report  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "formats"
HEADINGS = ("三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况")
PROCEEDINGS = ("review", "litigation_direct", "litigation_after_review")
RESULTS = ("upheld", "corrected", "other", "pending", "total")


def blocks(report: Report) -> list[Block]:
    """The report in reading order: its paragraphs (section headings among them) and tables."""
    out: list[Block] = [("title", report.title)] + [("p", p) for p in report.intro]
    if report.template != "legacy":
        tpl = template()
        table3 = {(row, a): value for row, values in report.table3.items() for a, value in zip(APPLICANTS, values)}
        table4 = dict(zip(((p, r) for p in PROCEEDINGS for r in RESULTS), report.table4))
        out += [("grid", table2_grids(tpl, report.template, report.table2, one_table=True)[0]),
                ("p", HEADINGS[0]), ("grid", table3_grid(tpl, report.template, table3, member_mark=".")),
                ("p", HEADINGS[1]), ("grid", table4_grid(tpl, table4, layout="stacked"))]
    return out + [("p", p) for p in report.closing]


def is_table3(grid: Grid) -> bool:
    return grid[0][0].text == TABLE3_NOTE


# --- DOCX --------------------------------------------------------------------------------------

def column_inches(grid: Grid) -> list[float] | None:
    """Label columns wide enough for one line, as most offices lay them out (the v2019 report);
    without widths, a table keeps equal columns, where tall rows split at page breaks (as in the
    v2021 report, on purpose)."""
    return {4: [1.9, 1.55, 1.55, 1.5], 10: [0.9, 1.0, 1.6] + [0.43] * 7, 15: [0.433] * 15}[width(grid)]


def word_document(report: Report, ruled: bool = True) -> bytes:
    """The report as Word saves it: its office's name as the running header, page numbers, figures
    in split runs, table 3's headings repeated on every page, enough prose that table 3 breaks
    across a page."""
    content: list[Block] = []
    for block in blocks(report):
        content.append(block)
        if block == ("p", HEADINGS[0]):
            content += [("p", "依申请公开工作严格按照《条例》规定的时限和程序办理，做到依法答复、规范答复。" * 3)] * 12
    page = Page(header=f"{report.place}人民政府办公室", page_numbers=True, split_figure_runs=True,
                column_inches=column_inches if report.template == "v2019" else lambda grid: None,
                repeated_rows=lambda grid: 3 if is_table3(grid) else 0, paragraph_after_tables=True, ruled=ruled)
    return docx(content, page)


def convert_to_pdf(docx_files: list[Path]) -> None:
    soffice = shutil.which("soffice")
    if not soffice:
        print("soffice not found: PDFs left as they are")
        return
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(OUT), *map(str, docx_files)],
            check=True, capture_output=True,
        )
    qpdf = shutil.which("qpdf")
    if qpdf:
        subprocess.run([qpdf, "--encrypt", "open-sesame", "owner-secret", "256", "--",
                        str(OUT / "v2021_report.pdf"), str(OUT / "encrypted.pdf")], check=True)
        # Copying forbidden but no password to open: how many offices publish, and readable.
        subprocess.run([qpdf, "--encrypt", "", "owner-secret", "256", "--extract=n", "--modify=none", "--",
                        str(OUT / "legacy_report.pdf"), str(OUT / "legacy_copy_protected.pdf")], check=True)
        without_character_map(OUT / "legacy_report.pdf", OUT / "legacy_no_character_map.pdf")
    else:
        print("qpdf not found: encrypted.pdf, legacy_copy_protected.pdf and legacy_no_character_map.pdf left as they are")


def without_character_map(source: Path, target: Path) -> None:
    """`source` with the ToUnicode maps of its fonts removed, as some PDF writers leave CJK text:
    glyph codes that no reader can turn back into characters."""
    import re

    qpdf = shutil.which("qpdf")
    with tempfile.TemporaryDirectory() as folder:
        expanded = Path(folder) / "qdf.pdf"
        subprocess.run([qpdf, "--qdf", "--object-streams=disable", str(source), str(expanded)], check=True)
        expanded.write_bytes(re.sub(rb"/ToUnicode \d+ 0 R", b"", expanded.read_bytes()))
        # qpdf repairs the offsets the edit moved (exit status 3: warnings).
        subprocess.run([qpdf, str(expanded), str(target)], check=False, capture_output=True)


def print_page(page: Path, name: str, header_and_footer: bool = False) -> None:
    """`page` printed to PDF by headless Chromium, with the browser's date, title, address and page
    number around every page when `header_and_footer` (the default of a browser's "Save as PDF")."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print(f"chromium not found: {name} left as it is")
        return
    with tempfile.TemporaryDirectory() as folder:
        flags = [] if header_and_footer else ["--no-pdf-header-footer"]
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", *flags, f"--user-data-dir={folder}/profile",
                        f"--print-to-pdf={OUT / name}", str(page)], check=True, capture_output=True)


def browser_print(report: Report, name: str, style: str = "ruled") -> None:
    """A PDF as a browser prints the page (headless Chromium's --print-to-pdf): every border drawn
    as a thin filled rectangle, no border where the page cuts a cell, CJK radical code points in
    the text layer (⼀ for 一, ⻰ for 龙)."""
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        repeated = Cell(TABLE3_NOTE, rowspan=3, colspan=3) if style == "large" else None
        page.write_text(html.print_page(blocks(report), style, repeated), encoding="utf-8")
        print_page(page, name)


def unruled_word_pdf(report: Report, name: str) -> None:
    """The DOCX of `report` with its tables in Word's "Normal Table" style (no borders), printed to
    PDF by LibreOffice: labels top-aligned and wrapped under their figures, headings one character a
    line in narrow columns, the headings repeated on every page the table runs over."""
    soffice = shutil.which("soffice")
    if not soffice:
        print(f"soffice not found: {name} left as it is")
        return
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / (Path(name).stem + ".docx")
        source.write_bytes(word_document(report, ruled=False))
        subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", str(OUT), str(source)], check=True, capture_output=True)


def texts() -> dict[str, tuple[str, str]]:
    """file name -> (content, encoding) of every fixture that is text."""
    legacy_prose = [("title", LEGACY.title)] + [("p", p) for p in LEGACY.intro]
    return {
        "v2021_gov_page.html": (html.gov_page(blocks(V2021), V2021.title, V2021.place), "utf-8"),
        "v2019_word_export.htm": (html.word_export(blocks(V2019), V2019.title), "gb18030"),
        "legacy_mirror_big5.html": (html.mirror_page(to_traditional(LEGACY.title, "big5"),
                                                     [to_traditional(p, "big5") for p in LEGACY.intro],
                                                     to_traditional(LEGACY.place, "big5")), "big5"),
        # The converter repeated table 3's headings after its ninth row (a page break) and broke a
        # long label with <br>.
        "v2021_pipe_tables.md": (text.markdown(blocks(V2021), repeat_header_after={1: 9},
                                               broken_labels={"（二）部分公开（区分处理的": "（二）部分公开<br>（区分处理的"}), "utf-8"),
        # Table 3 stayed HTML (pipe tables cannot merge cells).
        "v2019_html_table_utf16.md": (text.markdown(blocks(V2019), headings="**", html_tables=frozenset({1})), "utf-16"),
        "legacy_prose_bom.md": (text.markdown(legacy_prose), "utf-8-sig"),
        "v2021_one_cell_per_line_gbk.txt": (text.text(blocks(V2021), "plain", blank_lines=False), "gb18030"),
        "v2021_labels_then_figures_utf16le.txt": (text.text(blocks(V2021), "labels_then_figures", end_newline=False), "utf-16-le"),
        "v2019_tab_rows_big5.txt": (to_traditional(text.text(blocks(V2019), "tabbed", blank_lines=False), "big5"), "big5"),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (content, encoding) in texts().items():
        (OUT / name).write_bytes(content.encode(encoding))
    docx_files = []
    for report, name in ((V2019, "v2019_report.docx"), (V2021, "v2021_report.docx"), (LEGACY, "legacy_report.docx")):
        (OUT / name).write_bytes(word_document(report))
        docx_files.append(OUT / name)
    (OUT / "scanned.pdf").write_bytes(scanned_pdf())
    convert_to_pdf(docx_files)
    browser_print(V2019, "v2019_browser_print.pdf")
    browser_print(V2021, "v2021_browser_unruled.pdf", "unruled")
    browser_print(V2021, "v2021_browser_large.pdf", "large")
    print_page(OUT / "v2021_gov_page.html", "v2021_gov_page_printed.pdf", header_and_footer=True)
    unruled_word_pdf(V2019, "v2019_word_unruled.pdf")
    for path in sorted(OUT.iterdir()):
        print(f"{path.stat().st_size:>8}  {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
