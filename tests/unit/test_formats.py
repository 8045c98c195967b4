"""Every input format × template: the fixtures in tests/fixtures/formats (rendered from the reports
of tools/format_reports.py by tools/build_format_fixtures.py) parse to the printed figures, cell by cell,
with the format and encoding recorded and a meaningful line for each cell."""
from pathlib import Path

import pytest

from loaders.parse import parse_report
from tools.format_reports import APPLICANTS, LEGACY, LEGACY_FACTS, V2019, V2021

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"

# file -> (report, source_format, encoding)
TEMPLATED = {
    "v2021_gov_page.html": (V2021, "html", "utf-8"),
    "v2021_pipe_tables.md": (V2021, "markdown", "utf-8"),
    "v2021_one_cell_per_line_gbk.txt": (V2021, "text", "gb18030"),
    "v2021_labels_then_figures_utf16le.txt": (V2021, "text", "utf-16-le"),
    "v2021_report.docx": (V2021, "docx", None),
    "v2021_report.pdf": (V2021, "pdf", None),
    "v2019_word_export.htm": (V2019, "html", "gb18030"),
    "v2019_html_table_utf16.md": (V2019, "markdown", "utf-16-le"),
    "v2019_tab_rows_big5.txt": (V2019, "text", "big5"),
    "v2019_report.docx": (V2019, "docx", None),
    "v2019_report.pdf": (V2019, "pdf", None),
    "v2019_browser_print.pdf": (V2019, "pdf", None),
    "v2021_browser_unruled.pdf": (V2021, "pdf", None),
    "v2021_browser_large.pdf": (V2021, "pdf", None),
    "v2021_gov_page_printed.pdf": (V2021, "pdf", None),
    "v2019_word_unruled.pdf": (V2019, "pdf", None),
}
PROSE = {
    "legacy_mirror_big5.html": ("html", "big5"),
    "legacy_prose_bom.md": ("markdown", "utf-8-sig"),
    "legacy_report.docx": ("docx", None),
    "legacy_report.pdf": ("pdf", None),
    "legacy_copy_protected.pdf": ("pdf", None),  # encrypted without a password to open it
}


@pytest.fixture(scope="module")
def parsed(registry):
    cache = {}

    def parse(name):
        if name not in cache:
            cache[name] = parse_report((FIXTURES / name).read_bytes(), name, registry)
        return cache[name]

    return parse


def stored(printed: str, measure: str = "") -> tuple[float | None, str]:
    """What the warehouse keeps for a printed cell: amounts in yuan, 万元 where the heading says so."""
    if printed == "":
        return None, "blank"
    if printed.endswith("万元"):
        return float(printed[:-2]) * 10_000, "number"
    return float(printed) * (10_000 if measure == "fee_amount_yuan" else 1), "number"


@pytest.mark.parametrize("name", sorted(TEMPLATED))
def test_templated_report_reads_every_printed_cell(parsed, name):
    report, source_format, encoding = TEMPLATED[name]
    got = parsed(name)
    meta = got.report
    assert (meta["source_format"], meta["encoding"]) == (source_format, encoding)
    assert (meta["template"], meta["report_year"], meta["division_code"]) == (report.template, report.year, report.division_code)
    assert meta["parse_status"] == "ok", [i["message"] for i in got.parse_issues]
    assert not [i for i in got.parse_issues if i["severity"] == "error"]

    t3 = {(c["row_code"], c["applicant"]): (c["value"], c["cell_state"]) for c in got.application_cells}
    assert len(got.application_cells) == len(t3) == len(report.table3) * 7
    for row, printed in report.table3.items():
        for applicant, cell in zip(APPLICANTS, printed):
            assert t3[row, applicant] == stored(cell), (row, applicant)

    t2 = {(c["item"], c["measure"]): (c["value"], c["cell_state"]) for c in got.disclosure_cells}
    assert t2 == {key: stored(printed, key[1]) for key, printed in report.table2.items()}

    t4 = [(c["value"], c["cell_state"]) for c in got.review_litigation_cells]
    assert t4 == [stored(v) for v in report.table4]


@pytest.mark.parametrize("name", sorted(TEMPLATED))
def test_every_cell_keeps_its_raw_text_and_a_line_of_the_source(parsed, name):
    got = parsed(name)
    cells = got.application_cells + got.disclosure_cells + got.review_litigation_cells
    for c in cells:
        assert c["line"] is not None and c["line"] > 0, c
        if c["cell_state"] == "number":
            assert c["raw_text"], c
    lines = {c["line"] for c in got.application_cells}
    assert len(lines) >= 20  # the rows of table 3 sit on different lines


def test_v2021_measures_and_other_handling_rows(parsed):
    """Table 2's v2021 measures, the fee printed in 万元 and stored in yuan, and table 3's three
    其他处理 rows instead of v2019's one, in the web page and its text copies."""
    for name in ("v2021_gov_page.html", "v2021_pipe_tables.md", "v2021_one_cell_per_line_gbk.txt"):
        got = parsed(name)
        t2 = {(c["item"], c["measure"]): c for c in got.disclosure_cells}
        fee = t2["fees", "fee_amount_yuan"]
        assert (fee["value"], fee["raw_text"]) == (356_000.0, "35.6"), name
        assert (t2["rules", "issued"]["value"], t2["rules", "repealed"]["value"], t2["rules", "in_force"]["value"]) == (2, 1, 15)
        assert t2["normative_documents", "in_force"]["value"] == 86  # printed as 行政规范性文件
        assert t2["licensing", "decisions"]["value"] == 5432
        assert len(got.disclosure_cells) == 10
        t3 = {(c["row_code"], c["applicant"]): c["value"] for c in got.application_cells}
        assert (t3["other_overdue_correction", "total"], t3["other_unpaid_fee", "total"], t3["other_other", "total"]) == (3, 1, 1)
        assert t3["other_overdue_correction", "legal_services"] == 1
        assert not any(c["row_code"] == "other_handling" for c in got.application_cells)
        assert len(got.application_cells) == 25 * 7


def test_html_lines_are_source_lines_of_the_markup(parsed):
    got = parsed("v2021_gov_page.html")
    markup = (FIXTURES / "v2021_gov_page.html").read_text("utf-8").split("\n")
    for c in got.application_cells + got.disclosure_cells:
        if c["raw_text"]:
            assert c["raw_text"] in markup[c["line"] - 1], c
    fee = next(c for c in got.disclosure_cells if c["measure"] == "fee_amount_yuan")
    assert "35.6" in markup[fee["line"] - 1]


def test_html_noise_is_not_read(parsed, registry):
    from loaders.formats import read_document

    document = read_document((FIXTURES / "v2021_gov_page.html").read_bytes(), registry)
    text = document.text
    assert "统计代码" not in text and "_hmt" not in text  # script
    assert "font-size" not in text  # style
    assert "政务公开" not in text  # menu and breadcrumb navigation
    assert "搜索" not in text  # form controls
    assert document.lines[20 - 1] == "龙泉市2021年政府信息公开工作年度报告"  # the <h1>, not the <title>
    assert parsed("v2021_gov_page.html").report["title_line"] == 20


def test_pdf_lines_are_page_and_line(parsed):
    got = parsed("v2021_report.pdf")
    t3 = {(c["row_code"], c["applicant"]): c for c in got.application_cells}
    first, last = t3["new_received", "total"], t3["carried_forward", "total"]
    assert first["line"] // 1000 < last["line"] // 1000  # table 3 runs over a page break
    assert all(1 <= c["line"] % 1000 < 100 for c in got.application_cells)


def test_pdf_page_furniture_is_not_read(registry):
    from loaders.formats import read_document

    document = read_document((FIXTURES / "v2021_report.pdf").read_bytes(), registry)
    texts = [t.text for t in document.tokens]
    assert not any("—" in t and any(ch.isdigit() for ch in t) for t in texts)  # "— 3 —" page numbers
    assert "龙泉市人民政府办公室" not in texts  # the running header
    # the lines keep them, so that the numbers of the lines below still count from the page top
    assert "— 2 —" in document.lines[2000:2999]


def test_pdf_table_cut_by_a_page_break_through_a_merged_cell(parsed):
    """A browser's print draws no border where the page cuts a cell: 三、本年度办理结果 runs from
    page 1 to page 3 and the 3.要求提供公开出版物 row is split between pages 2 and 3. The cut cells
    are closed at the page edge, so the rows keep their labels and the row's rest is merged back."""
    got = parsed("v2019_browser_print.pdf")
    t3 = {(c["row_code"], c["applicant"]): c for c in got.application_cells}
    assert [t3["granted", a]["value"] for a in APPLICANTS] == [40, 3, 0, 1, 1, 0, 45]
    assert [t3["partially_granted", a]["value"] for a in APPLICANTS] == [8, 0, 0, 0, 0, 0, 8]
    assert [t3["not_processed_repeat", a]["value"] for a in APPLICANTS] == [5, 0, 0, 0, 0, 0, 5]
    assert t3["not_processed_publication", "total"]["value"] == 0
    assert t3["granted", "total"]["line"] // 1000 == 2 and t3["other_handling", "total"]["line"] // 1000 == 3
    assert not got.parse_issues or all(i["severity"] != "error" for i in got.parse_issues)

    # The merged （五）不予处理 cut by the page break, its text run past the bottom of the page's part
    # of the table; table 3's headings repeated on the next page.
    got = parsed("v2021_browser_large.pdf")
    t3 = {(c["row_code"], c["applicant"]): c for c in got.application_cells}
    assert [t3["not_processed_complaint", a]["value"] for a in APPLICANTS] == [6, 1, 0, None, 0, 0, 7]
    assert [t3["not_processed_repeat", a]["value"] for a in APPLICANTS] == [3, 0, 0, None, 0, 0, 3]
    assert t3["not_processed_repeat", "total"]["line"] // 1000 == t3["not_processed_complaint", "total"]["line"] // 1000 + 1


def test_pdf_tables_without_rules(parsed):
    """Tables printed without rules: the figures' columns come from where they stand and from the
    headings (the 社会公益组织 column is empty in every row of the v2021 report and must read as
    blank, not shift the figures after it); wrapped labels and group labels set between rows join
    their rows; in Word's layout the headings repeated on the next page are dropped, a label line
    pushed onto the next page goes back to its row, and headings one character a line are joined."""
    got = parsed("v2021_browser_unruled.pdf")
    t3 = {(c["row_code"], c["applicant"]): c for c in got.application_cells}
    assert [t3["new_received", a]["value"] for a in APPLICANTS] == [120, 8, 1, None, 3, 2, 134]
    assert t3["new_received", "social_welfare"]["cell_state"] == "blank"
    assert [t3["partially_granted", a]["value"] for a in APPLICANTS] == [10, 1, 0, None, 0, 0, 11]
    assert t3["withheld_prohibited_by_law", "total"]["value"] == 0
    assert [c["value"] for c in got.review_litigation_cells] == [float(v) for v in V2021.table4]

    got = parsed("v2019_word_unruled.pdf")
    t3 = {(c["row_code"], c["applicant"]): c for c in got.application_cells}
    assert t3["not_processed_publication", "total"]["value"] == 0
    assert [t3["other_handling", a]["value"] for a in APPLICANTS] == [4, 1, 0, 0, 0, 0, 5]
    assert t3["carried_forward", "total"]["line"] // 1000 > t3["new_received", "total"]["line"] // 1000


@pytest.mark.parametrize("name", sorted(PROSE))
def test_legacy_prose_in_every_format(parsed, name):
    source_format, encoding = PROSE[name]
    got = parsed(name)
    meta = got.report
    assert (meta["source_format"], meta["encoding"]) == (source_format, encoding)
    assert (meta["template"], meta["report_year"], meta["division_code"]) == ("legacy", LEGACY.year, LEGACY.division_code)
    assert meta["parse_status"] == "ok"
    assert {f["fact"]: f["value"] for f in got.narrative_facts} == LEGACY_FACTS


def test_prose_figures_of_templated_reports(parsed):
    for name in ("v2021_gov_page.html", "v2021_report.docx", "v2021_report.pdf"):
        facts = {f["fact"]: f["value"] for f in parsed(name).narrative_facts}
        assert (facts["requests_total"], facts["granted"]) == (134, 67), name


@pytest.mark.parametrize(
    "name, reason",
    [
        ("encrypted.pdf", "encrypted PDF: it needs a password to open"),
        ("scanned.pdf", "PDF without a text layer (a scan, 1 page of images): run OCR first"),
        ("legacy_no_character_map.pdf", "PDF text layer does not decode: 362 of its 362 characters are glyph codes"),
    ],
)
def test_unreadable_pdfs_fail_with_the_reason(parsed, name, reason):
    got = parsed(name)
    assert got.report["parse_status"] == "failed"
    assert got.report["source_format"] == "pdf"
    assert got.report["status_reason"].startswith(f"{name}: {reason}")
    assert [i["code"] for i in got.parse_issues] == ["parse_failed"]
