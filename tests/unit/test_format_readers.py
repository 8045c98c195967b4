"""The format readers on inputs built in the test: encodings, detection from the bytes, HTML
grids and hostile markup, DOCX runs, PDF and DOCX that cannot be opened, text layouts."""
import io
import time
import zipfile

import pytest

from loaders.decode import decode_bytes
from loaders.formats import UnreadableDocument, UnsupportedFormat, detect_format, read_document
from loaders.formats.html import table_grid
from loaders.parse import parse_report
from loaders.tokens import BREAK, EMPTY, TEXT, VALUE

REPORT = "龙泉市2021年政府信息公开工作年度报告\n一、总体情况\n全年共收到政府信息公开申请134件，予以公开67件。\n"


# --- encodings ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "encoded, encoding",
    [
        (REPORT.encode("utf-8"), "utf-8"),
        (REPORT.encode("utf-8-sig"), "utf-8-sig"),
        (REPORT.encode("utf-16"), "utf-16-le"),  # with a BOM
        (b"\xfe\xff" + REPORT.encode("utf-16-be"), "utf-16-be"),
        (REPORT.encode("utf-16-le"), "utf-16-le"),  # no BOM, CJK-heavy
        (REPORT.encode("utf-16-be"), "utf-16-be"),
        (("2021 report\n" * 20).encode("utf-16-le"), "utf-16-le"),  # no BOM, ASCII-heavy
        (REPORT.encode("gbk"), "gb18030"),
        ((REPORT + "㐀䶵").encode("gb18030"), "gb18030"),  # four-byte GB18030 sequences
        ("龍泉市2021年政府資訊公開工作年度報告\n一、總體情況\n全年共收到申請134件。\n".encode("big5"), "big5"),
        ("一、總體情況：嘅申請共134件，予以公開67件。\n".encode("big5hkscs"), "big5hkscs"),
    ],
)
def test_decodings(encoded, encoding):
    decoded = decode_bytes(encoded)
    assert decoded.encoding == encoding
    assert decoded.problems == []
    assert "134" in decoded.text or "2021" in decoded.text
    assert "\ufffd" not in decoded.text


def test_damaged_utf8_stays_utf8_and_says_so():
    data = REPORT.encode("utf-8") * 20
    damaged = data[:len(REPORT.encode())] + b"\xff" + data[len(REPORT.encode()):]
    decoded = decode_bytes(damaged)
    assert decoded.encoding == "utf-8"
    assert decoded.problems == ["invalid UTF-8: 1 bytes replaced"]
    assert decoded.text.count("收到政府信息公开申请134件") == 20


def test_encoding_is_recorded_per_report(registry):
    parsed = parse_report(REPORT.encode("gbk"), "r.txt", registry)
    assert (parsed.report["source_format"], parsed.report["encoding"]) == ("text", "gb18030")


# --- detection from the content ----------------------------------------------------------------

def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, content in names.items():
            z.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("\ufeff  <html>\n<p>报告</p>".encode("utf-8"), "html"),
        ('<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'.encode(), "html"),
        ("<table><tr><td>规章</td></tr></table>".encode("utf-16"), "html"),
        (REPORT.encode("utf-8"), "text"),
        ("# 报告\n\n| 规章 | 1 |\n|---|---|\n".encode("utf-8"), "markdown"),
        ("报告中写道 <table> 是一个标签\n".encode("utf-8"), "text"),
        (b"junk\n%PDF-1.7\n", "pdf"),
        (_zip({"[Content_Types].xml": b"", "word/document.xml": b""}), "docx"),
        (_zip({"xl/workbook.xml": b""}), "xlsx"),
        (_zip({"OFD.xml": b""}), "ofd"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "doc"),
        (b"{\\rtf1\\ansi report}", "rtf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image"),
    ],
)
def test_format_is_detected_from_the_bytes(data, kind):
    assert detect_format(data) == kind


def test_the_extension_does_not_decide(registry):
    html = "<html><body><p>龙泉市2021年政府信息公开工作年度报告</p></body></html>".encode()
    assert parse_report(html, "report.txt", registry).report["source_format"] == "html"
    assert parse_report(REPORT.encode(), "report.pdf", registry).report["source_format"] == "text"


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "a Word 97-2003 or WPS binary document (OLE2)"),
        (_zip({"OFD.xml": b""}), "an OFD document"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "an image (a scan with no text to read)"),
        (b"%PDF-1.4\nnot really a pdf\n", "PDF cannot be opened"),
        (_zip({"word/document.xml": b"<w:document"}), "DOCX cannot be opened"),
    ],
)
def test_unreadable_files_fail_naming_the_file_and_the_reason(registry, data, reason):
    parsed = parse_report(data, "in/report.bin", registry)
    assert parsed.report["parse_status"] == "failed"
    assert parsed.report["status_reason"].startswith(f"in/report.bin: {reason}")
    assert [(i["code"], i["severity"]) for i in parsed.parse_issues] == [("parse_failed", "error")]
    assert parsed.report["source_format"] == detect_format(data)


def test_unsupported_formats_raise_a_reading_error(registry):
    with pytest.raises(UnsupportedFormat):
        read_document(b"{\\rtf1 x}", registry)
    assert issubclass(UnsupportedFormat, UnreadableDocument)


# --- HTML --------------------------------------------------------------------------------------

def _root(markup: str):
    from lxml import html

    return html.document_fromstring(markup)


def test_rowspan_and_colspan_expand_into_the_grid():
    table = _root(
        "<table>"
        "<tr><td rowspan=2 colspan=2>A</td><td>B</td></tr>"
        "<tr><td>C</td></tr>"
        "<tr><td>D</td><td colspan=2>E</td></tr>"
        "</table>"
    ).find(".//table")
    grid = [[None if c is None else c.text for c in row] for row in table_grid(table)]
    assert grid == [["A", None, "B"], [None, None, "C"], ["D", "E", None]]


def test_huge_spans_are_capped():
    table = _root('<table><tr><td colspan="100000" rowspan="99999">x</td></tr><tr><td>y</td></tr></table>').find(".//table")
    grid = table_grid(table)
    assert len(grid[0]) == 64 and len(grid) == 2


def _html_tokens(registry, body: str):
    document = read_document(f"<html><body>{body}</body></html>".encode(), registry)
    return [(t.kind, t.text) for t in document.tokens]


def test_cells_with_nested_tags_split_runs_and_nbsp(registry):
    tokens = _html_tokens(
        registry,
        "<table><tr><td><p class=MsoNormal><span>规</span><span>章</span><o:p></o:p></p></td>"
        "<td><span lang=EN-US>1</span><span lang=EN-US>2</span></td><td>&nbsp;</td>"
        "<td><p>10921</p><p>个</p></td><td>352<br>21</td></tr></table>",
    )
    assert tokens == [(TEXT, "规章"), (VALUE, "12"), (EMPTY, ""), (VALUE, "10921个"), (VALUE, "352"), (VALUE, "21"), (BREAK, "")]


def test_label_columns_left_empty_are_not_cells(registry):
    tokens = _html_tokens(
        registry,
        "<table><tr><td></td><td></td><td>2.其他法律行政法规禁止公开</td><td>0</td><td></td></tr></table>",
    )
    assert tokens == [(TEXT, "2.其他法律行政法规禁止公开"), (VALUE, "0"), (EMPTY, ""), (BREAK, "")]


def test_layout_tables_are_read_as_text_and_paragraphs_as_lines(registry):
    tokens = _html_tokens(
        registry,
        "<table><tr><td><div>一、总体情况</div><table><tr><td>规章</td><td>3</td></tr></table>"
        "<p>收到申请5件。</p><p>&nbsp;</p><p>规章 0 0 2</p></td></tr></table>",
    )
    assert tokens == [
        (TEXT, "一、总体情况"), (TEXT, "规章"), (VALUE, "3"), (BREAK, ""), (TEXT, "收到申请5件。"),
        ("blank", ""), (TEXT, "规章"), (VALUE, "0"), (VALUE, "0"), (VALUE, "2"),
    ]


def test_deeply_nested_markup_neither_hangs_nor_fails(registry):
    markup = "<html><body><p>2021年政府信息公开工作年度报告</p>".encode() + b"<div>" * 200_000 + b"x" + b"</div>" * 200_000 + b"</body></html>"
    started = time.monotonic()
    parsed = parse_report(markup, "deep.html", registry)
    assert time.monotonic() - started < 30  # generous: it takes well under a second
    assert parsed.report["source_format"] == "html"
    assert parsed.report["title"] == "2021年政府信息公开工作年度报告"
    assert any("nested deeper than 256 levels" in i["message"] for i in parsed.parse_issues)


@pytest.mark.parametrize(
    "markup",
    [
        b"<html><body><table><td>1<tr><td rowspan=x colspan=-3>2</table></p></div>",
        b"<html><body><table></table><table><tr></tr></table>",
        b"<html>",
        b"<html><body>\x00\x01\x02</body></html>",
    ],
)
def test_malformed_html_is_read_without_failing(registry, markup):
    parsed = parse_report(markup, "bad.html", registry)
    assert parsed.report["source_format"] == "html"
    assert "parser error" not in (parsed.report["status_reason"] or "")


def test_figure_merged_down_over_rows_is_not_guessed(registry):
    """A figure printed once for two rows: the second row is a cell short and is reported, its
    cells unreadable, rather than given a copy of the figure."""
    rows = "".join(
        f"<tr><td>{label}</td>" + "".join("<td>1</td>" for _ in range(6)) + (cell or "") + "</tr>"
        for label, cell in (("一、本年新收政府信息公开申请数量", '<td rowspan="2">6</td>'), ("二、上年结转政府信息公开申请数量", ""))
    )
    parsed = parse_report(f"<html><body><table>{rows}</table></body></html>".encode(), "m.html", registry)
    cells = {(c["row_code"], c["applicant"]): (c["value"], c["cell_state"]) for c in parsed.application_cells}
    assert cells["new_received", "total"] == (6, "number")
    assert cells["carried_over", "total"] == (None, "unreadable")
    issue = next(i for i in parsed.parse_issues if i["code"] == "cells_not_placeable")
    assert "carried_over" in issue["message"] and issue["line"] == 1


def test_page_title_only_when_the_body_has_none(registry):
    with_body_title = "<html><head><title>站点首页</title></head><body><h1>2021年龙泉市政府信息公开工作年度报告</h1></body></html>"
    only_head = "<html><head><title>2021年龙泉市政府信息公开工作年度报告_龙泉市人民政府</title></head><body><p>正文</p></body></html>"
    assert parse_report(with_body_title.encode(), "a.html", registry).report["title"] == "2021年龙泉市政府信息公开工作年度报告"
    assert parse_report(only_head.encode(), "b.html", registry).report["title"] == "2021年龙泉市政府信息公开工作年度报告_龙泉市人民政府"


# --- DOCX --------------------------------------------------------------------------------------

def test_docx_text_as_word_shows_it():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    from loaders.formats.docx import paragraph_text

    p = parse_xml(
        f"<w:p {nsdecls('w')}><w:r><w:t>规章</w:t><w:tab/></w:r>"
        "<w:ins><w:r><w:t>1</w:t></w:r></w:ins><w:del><w:r><w:delText>9</w:delText></w:r></w:del>"
        "<w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:t>2</w:t><w:br/><w:t>件</w:t></w:r></w:p>"
    )
    assert paragraph_text(p) == "规章\t12\n件"


def test_docx_paragraph_in_a_text_box_is_read_in_both_paragraphs():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    from loaders.formats.docx import paragraph_texts

    body = parse_xml(
        f"<w:body {nsdecls('w')}><w:p><w:r><w:t>前</w:t></w:r><w:r><w:pict><w:txbxContent>"
        "<w:p><w:r><w:t>框</w:t><w:tab/></w:r></w:p></w:txbxContent></w:pict></w:r><w:r><w:t>后</w:t></w:r></w:p>"
        "<w:p/></w:body>"
    )
    outer, inner, empty = body.iter(qn("w:p"))
    texts = paragraph_texts(body)
    assert (texts[outer], texts[inner], texts[empty]) == ("前框\t后", "框\t", "")


# --- text layouts ------------------------------------------------------------------------------

def test_the_digit_pattern_is_str_isdigit_on_every_code_point():
    # The tokenizer counts words holding a digit with a regular expression; it must agree with
    # str.isdigit (superscripts and circled digits included) or a Python upgrade changed Unicode.
    from loaders.tokens import _DIGIT

    every = "".join(map(chr, range(0x110000)))
    assert "".join(_DIGIT.findall(every)) == "".join(c for c in every if c.isdigit())


def test_blank_means_only_white_space_and_zero_width_characters():
    from loaders.tokens import _is_blank

    assert [_is_blank(s) for s in ("", " \t", "\u200b", " \ufeff\u3000\u200b ", "\u200bx", "x", " 0 ")] == [
        True, True, True, True, False, False, False]


def test_labels_on_one_line_and_figures_on_the_next(registry):
    lines = ["2021年缙云县政府信息公开工作年度报告", "四、政府信息公开行政复议、行政诉讼情况",
             "行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
             "未经复议直接起诉", "复议后起诉", "1 0 0 0 1 2 1 0 0 3 0 0 0 1 1"]
    parsed = parse_report("\n".join(lines).encode(), "t.txt", registry)
    assert [c["value"] for c in parsed.review_litigation_cells] == [1, 0, 0, 0, 1, 2, 1, 0, 0, 3, 0, 0, 0, 1, 1]
    assert {c["line"] for c in parsed.review_litigation_cells} == {12}


def test_markdown_measure_headings_repeated_inside_table_2(registry):
    md = "\n".join([
        "# 2021年龙泉市政府信息公开工作年度报告",
        "| 第二十条第（一）项 | | | |", "|---|---|---|---|",
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "| 规章 | 2 | 1 | 15 |",
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "| **行政规范性文件** | 12 | 3 | 86 |",
        "| 第二十条第（八）项 | | | |",
        "| 信息内容 | 本年收费金额（单位：万元） | | |",
        "| 行政事业性收费 | 0.35 | | |",
    ])
    parsed = parse_report(md.encode(), "t.md", registry)
    t2 = {(c["item"], c["measure"]): c["value"] for c in parsed.disclosure_cells}
    assert t2["normative_documents", "in_force"] == 86
    assert t2["fees", "fee_amount_yuan"] == 3500.0
    assert parsed.report["source_format"] == "markdown"


def test_continued_table_notes_inside_tables(registry):
    """（续表）/续表 printed where a table runs on (a page break in the source) is not a label and
    does not end the table."""
    from pathlib import Path

    from tools.format_reports import V2021

    copy = (Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "v2021_one_cell_per_line_gbk.txt").read_bytes()
    text = copy.decode("gb18030")
    text = text.replace("4.保护第三方合法权益", "续表\n4.保护第三方合法权益", 1)
    text = text.replace("行政强制", "（续表）\n行政强制", 1).replace("结果纠正", "（续表）\n结果纠正", 1)
    parsed = parse_report(text.encode(), "continued.txt", registry)
    assert parsed.report["parse_status"] == "ok", parsed.parse_issues
    cells = {(c["row_code"], c["applicant"]): c["value"] for c in parsed.application_cells}
    assert cells["withheld_third_party_rights", "total"] == int(V2021.table3["withheld_third_party_rights"][6])
    assert {(c["item"], c["measure"]): c["value"] for c in parsed.disclosure_cells}["coercive_measures", "decisions"] == 46
    assert [c["value"] for c in parsed.review_litigation_cells][:5] == [4, 1, 0, 1, 6]


def test_html_table_pasted_as_one_paragraph_per_cell(registry):
    """A page whose table lost its markup: one <p> per cell, an empty <p> for an empty cell, read
    like the one-cell-per-line text copy."""
    from html import escape
    from pathlib import Path

    copy = (Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "v2021_one_cell_per_line_gbk.txt").read_bytes()
    paragraphs = "\n".join(f"<p>{escape(line) or '&nbsp;'}</p>" for line in copy.decode("gb18030").split("\n"))
    parsed = parse_report(f"<html><body>\n{paragraphs}\n</body></html>".encode(), "p.html", registry)
    assert parsed.report["parse_status"] == "ok", parsed.parse_issues
    cells = {(c["row_code"], c["applicant"]): (c["value"], c["cell_state"]) for c in parsed.application_cells}
    assert cells["new_received", "total"] == (134, "number")
    assert cells["new_received", "social_welfare"] == (None, "blank")
    assert cells["other_unpaid_fee", "commercial"] == (1, "number")
    fee = next(c for c in parsed.disclosure_cells if c["measure"] == "fee_amount_yuan")
    assert (fee["value"], fee["line"]) == (356_000.0, copy.decode("gb18030").split("\n").index("35.6") + 2)


def test_pdf_unruled_table_does_not_take_the_next_sections_heading(registry):
    """A heading set as closely under a table without rules as a wrapped label line is the next
    section's (四、…), not the rest of the last row's label."""
    from loaders.formats.pdf import _Item, _Page, _Word, _unruled_tables

    def line(top, *words):
        ws = tuple(_Word(x0, x0 + 10 * len(t), t, top, top + 10) for x0, t in words)
        return _Item(top, top + 10, "  ".join(t for _, t in words), right=ws[-1].x1, size=10.0, words=ws)

    rows = [line(100, (40, "（七）总计"), (300, "83"), (340, "6"), (380, "92")),
            line(113, (40, "四、结转下年度继续办理"), (300, "5"), (340, "0"), (380, "5")),
            line(126, (40, "四、政府信息公开行政复议、行政诉讼情况"))]
    _unruled_tables([_Page(1, 800.0, rows)], registry)
    assert rows[1].cells == ["四、结转下年度继续办理", "5", "0", "5"]
    assert rows[2].cells is None and not rows[2].furniture


def test_docx_report_framed_in_a_single_cell_table_reads_as_paragraphs(registry):
    """A copy of a web page keeps its layout: the whole report inside a one-cell table. The cell
    is a frame, not a table cell: read as one, the report was one line (no title, organ or scope)."""
    import io

    import docx

    from tools.format_reports import LEGACY, LEGACY_FACTS

    document = docx.Document()
    frame = document.add_table(rows=1, cols=1).cell(0, 0)
    frame.paragraphs[0].add_run(LEGACY.title)
    for text in LEGACY.intro:
        frame.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    parsed = parse_report(buffer.getvalue(), "framed.docx", registry)
    report = parsed.report
    assert (report["title"], report["title_line"]) == (LEGACY.title, 1)
    assert (report["report_year"], report["division_code"], report["report_scope"], report["organ_name"]) == (
        2016, LEGACY.division_code, "jurisdiction", "云和县人民政府")
    assert {f["fact"]: f["value"] for f in parsed.narrative_facts} == LEGACY_FACTS


def test_docx_with_its_tables_as_pictures_is_partial_and_says_so(registry):
    """Offices paste tables 2-4 as screenshots: the report is partial, and the reason says that the
    document holds pictures where the tables may be."""
    import base64

    import docx

    png = base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
    document = docx.Document()
    document.add_paragraph("龙泉市2021年政府信息公开工作年度报告")
    document.add_paragraph("本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。国办公开办函〔2021〕30号。")
    for heading in ("二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"):
        document.add_paragraph(heading)
        document.add_picture(io.BytesIO(png))
    buffer = io.BytesIO()
    document.save(buffer)
    report = parse_report(buffer.getvalue(), "pictures.docx", registry).report
    assert (report["template"], report["parse_status"]) == ("v2021", "partial")
    assert report["status_reason"] == (
        "tables missing: table2, table3, table4 (3 pictures in the document: tables printed as images are not read)")


def test_pdf_of_a_web_page_printed_with_the_browsers_header(registry):
    """A web page saved as PDF with the browser's header and footer: the date and page title at the
    top of every page are page furniture, not the report's title; the page's field table gives the
    publication date and the publishing organ in the cells after their labels."""
    from pathlib import Path

    from loaders.formats import read_document
    from loaders.metadata import _publisher_fields

    data = (Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "v2021_gov_page_printed.pdf").read_bytes()
    report = parse_report(data, "printed.pdf", registry).report
    # pypdfium2 reads the characters the fonts draw (龙, 工), where pdfminer gave the radicals that
    # Chrome's subset fonts map them to (⻰, ⼯).
    assert (report["title"], report["title_line"] // 1000) == ("龙泉市2021年政府信息公开工作年度报告", 1)
    assert str(report["published_on"]) == "2022-01-20"
    assert (report["division_code"], report["report_scope"], report["organ_name"]) == ("331181", "jurisdiction", "龙泉市人民政府")
    assert _publisher_fields(read_document(data, registry).lines, registry) == ["龙泉市人民政府办公室"]


def test_reading_a_browser_printed_pdf_logs_nothing(registry, caplog):
    """A browser's printed PDF has font descriptors that PDF libraries complain about (pdfminer logged
    about 90 warnings a file); reading one puts nothing on the load's output."""
    import logging
    from pathlib import Path

    data = (Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "v2021_gov_page_printed.pdf").read_bytes()
    with caplog.at_level(logging.DEBUG):
        assert read_document(data, registry).source_format == "pdf"
    assert [r.getMessage() for r in caplog.records] == []
