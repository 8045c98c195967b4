"""Regenerate the format fixtures in tests/fixtures/formats from tests/unit/format_reports.py.

Usage: .venv/bin/python tools/build_format_fixtures.py

Each report (v2019, v2021, legacy) is laid out once the way the official templates print their
tables (merged headings, rowspan group labels, colspan figures) and rendered into the layouts found
in the wild: a government web page, Word's HTML export, a traditional-script mirror page, markdown
pipe tables and markdown with an HTML table, text copies (one cell per line; labels on one line and
figures on the next; tab-separated), DOCX, and PDF. The PDFs are converted from the DOCX files by
LibreOffice (`apt-get install -y libreoffice-writer fonts-noto-cjk`), and the encrypted one with
qpdf (`apt-get install -y qpdf`); without those tools the PDFs are left as they are. The scanned
PDF (an image, no text layer) is written directly. The tests only read the committed files.
"""
from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.integration.bad_inputs import scanned_pdf  # noqa: E402
from tests.unit.format_reports import LEGACY, V2019, V2021, Report  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "formats"


@dataclass(frozen=True)
class C:
    """A cell of a table as the template prints it."""

    text: str
    colspan: int = 1
    rowspan: int = 1


Table = list[list[C]]

ITEM_LABELS = {
    "rules": "规章", "normative_documents": "规范性文件", "licensing": "行政许可",
    "other_services": "其他对外管理服务事项", "penalties": "行政处罚", "coercive_measures": "行政强制",
    "fees": "行政事业性收费", "central_procurement": "政府集中采购",
}
ROW_LABELS = {
    "new_received": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "withheld_state_secret": "1.属于国家秘密",
    "withheld_prohibited_by_law": "2.其他法律行政法规禁止公开",
    "withheld_security_stability": "3.危及“三安全一稳定”",
    "withheld_third_party_rights": "4.保护第三方合法权益",
    "withheld_internal_affairs": "5.属于三类内部事务信息",
    "withheld_deliberative": "6.属于四类过程性信息",
    "withheld_enforcement_file": "7.属于行政执法案卷",
    "withheld_administrative_inquiry": "8.属于行政查询事项",
    "unavailable_not_held": "1.本机关不掌握相关政府信息",
    "unavailable_needs_creation": "2.没有现成信息需要另行制作",
    "unavailable_still_unclear": "3.补正后申请内容仍不明确",
    "not_processed_complaint": "1.信访举报投诉类申请",
    "not_processed_repeat": "2.重复申请",
    "not_processed_publication": "3.要求提供公开出版物",
    "not_processed_mass_repetitive": "4.无正当理由大量反复申请",
    "not_processed_confirm_reissue": "5.要求行政机关确认或重新出具已获取信息",
    "other_handling": "（六）其他处理",
    "other_overdue_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_other": "3.其他",
    "total_processed": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
GROUPS = {
    "withheld_state_secret": ("（三）不予公开", 8),
    "unavailable_not_held": ("（四）无法提供", 3),
    "not_processed_complaint": ("（五）不予处理", 5),
    "other_overdue_correction": ("（六）其他处理", 3),
}
TABLE3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANT_HEADINGS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
HEADINGS = ("三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况")


def table2(report: Report) -> Table:
    f = report.table2
    blocks = (
        [("第二十条第（一）项", ("本年新制作数量", "本年新公开数量", "对外公开总数量"), ("rules", "normative_documents")),
         ("第二十条第（五）项", ("上一年项目数量", "本年增/减", "处理决定数量"), ("licensing", "other_services")),
         ("第二十条第（六）项", ("上一年项目数量", "本年增/减", "处理决定数量"), ("penalties", "coercive_measures")),
         ("第二十条第（八）项", ("上一年项目数量", "本年增/减"), ("fees",)),
         ("第二十条第（九）项", ("采购项目数量", "采购总金额"), ("central_procurement",))]
        if report.template == "v2019" else
        [("第二十条第（一）项", ("本年制发件数", "本年废止件数", "现行有效件数"), ("rules", "normative_documents")),
         ("第二十条第（五）项", ("本年处理决定数量",), ("licensing",)),
         ("第二十条第（六）项", ("本年处理决定数量",), ("penalties", "coercive_measures")),
         ("第二十条第（八）项", ("本年收费金额（单位：万元）",), ("fees",))]
    )
    rows: Table = []
    for heading, measures, items in blocks:
        rows.append([C(heading, 4)])
        spans = [1] * (len(measures) - 1) + [4 - len(measures)]  # the last measure fills the row
        rows.append([C("信息内容")] + [C(m, s) for m, s in zip(measures, spans)])
        for item in items:
            label = "行政规范性文件" if item == "normative_documents" and report.template == "v2021" else ITEM_LABELS[item]
            values = [v for (i, _), v in f.items() if i == item]
            rows.append([C(label)] + [C(v, s) for v, s in zip(values, spans)])
    return rows


def table3(report: Report) -> Table:
    codes = list(report.table3)
    outcome_rows = codes.index("carried_forward") - codes.index("granted")
    rows: Table = [
        [C(TABLE3_NOTE, 3, 3), C("申请人情况", 7)],
        [C("自然人", 1, 2), C("法人或其他组织", 5), C("总计", 1, 2)],
        [C(h) for h in APPLICANT_HEADINGS],
    ]
    for code, values in report.table3.items():
        cells = [C(v) for v in values]
        if code in ("new_received", "carried_over", "carried_forward"):
            rows.append([C(ROW_LABELS[code], 3)] + cells)
        elif code in GROUPS and not (code == "other_overdue_correction" and report.template != "v2021"):
            group, span = GROUPS[code]
            lead = [C("三、本年度办理结果", 1, outcome_rows)] if code == "granted" else []
            rows.append(lead + [C(group, 1, span), C(ROW_LABELS[code])] + cells)
        elif code in ("granted", "partially_granted", "other_handling", "total_processed"):
            lead = [C("三、本年度办理结果", 1, outcome_rows)] if code == "granted" else []
            rows.append(lead + [C(ROW_LABELS[code], 2)] + cells)
        else:
            rows.append([C(ROW_LABELS[code])] + cells)
    return rows


def table4(report: Report) -> Table:
    return [
        [C("行政复议", 5, 2), C("行政诉讼", 10)],
        [C("未经复议直接起诉", 5), C("复议后起诉", 5)],
        [C(r) for r in RESULTS * 3],
        [C(v) for v in report.table4],
    ]


def blocks(report: Report) -> list[tuple[str, object]]:
    """("title" | "p" | "table", content) in reading order."""
    out: list[tuple[str, object]] = [("title", report.title)] + [("p", p) for p in report.intro]
    if report.template != "legacy":
        out += [("table", table2(report)), ("p", HEADINGS[0]), ("table", table3(report)),
                ("p", HEADINGS[1]), ("table", table4(report))]
    return out + [("p", p) for p in report.closing]


def grid(table: Table) -> list[list[str | None]]:
    """The table with merges expanded: the text at a cell's first position, None where it covers."""
    out: list[list[str | None]] = []
    covered: set[tuple[int, int]] = set()
    width = sum(c.colspan for c in table[0])
    for r, row in enumerate(table):
        line: list[str | None] = []
        cells = iter(row)
        c = 0
        while c < width:
            if (r, c) in covered:
                line.append(None)
                c += 1
                continue
            cell = next(cells)
            line += [cell.text] + [None] * (cell.colspan - 1)
            covered.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            c += cell.colspan
        out.append(line)
    return out


# --- HTML -------------------------------------------------------------------------------------

def _td(cell: C, inner: str, attrs: str = "") -> str:
    spans = (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "") + (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "")
    return f"<td{spans}{attrs}>{inner}</td>"


def html_body(report: Report, title, paragraph, cell, table) -> str:
    """The report's blocks as HTML, each kind through its own markup (which escapes the text)."""
    out = []
    for kind, content in blocks(report):
        if kind == "title":
            out.append(title(content))
        elif kind == "p":
            out.append(paragraph(content))
        else:
            out.append(table("\n".join("<tr>" + "".join(cell(c) for c in row) + "</tr>" for row in content)))
    return "\n".join(out)


def gov_page(report: Report) -> str:
    """A government portal page: navigation, an index table, the report inside a layout table."""
    body = html_body(
        report,
        lambda t: f'<h1 class="article-title">{escape(t)}</h1>',
        lambda p: f'<p style="text-indent:2em">{escape(p)}</p>',
        lambda c: _td(c, f'<p style="text-align:center"><span style="font-size:14px">{escape(c.text) or "&nbsp;"}</span></p>'),
        lambda rows: f'<table border="1" cellspacing="0" cellpadding="0" width="100%">\n<tbody>\n{rows}\n</tbody>\n</table>\n<p>&nbsp;</p>',
    )
    menu = "".join(f'<li><a href="/col/{i}">{t}</a></li>' for i, t in enumerate(
        ("首页", "政务公开", "政府信息公开年报", "政策文件", "互动交流", "丽水市人民政府")))
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{report.title}_{report.place}人民政府</title>
<link rel="stylesheet" href="/css/main.css">
<script>var _hmt = _hmt || []; document.write("<p>统计代码</p>");</script>
<style>.article-title {{ font-size: 22px; }} td {{ border: 1px solid #000; }}</style>
</head>
<body>
<div class="header"><div class="logo">{report.place}人民政府</div>
<ul class="menu">{menu}</ul>
<form class="search"><input type="text" name="q"><button>搜索</button></form></div>
<nav class="crumbs"><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 政府信息公开年报</nav>
<table width="1000" align="center"><tr><td class="layout-main">
<table class="xxgk-index">
<tr><td>索引号：</td><td>001008003017002/2022-123456</td><td>发布机构：</td><td>{report.place}人民政府办公室</td></tr>
<tr><td>发布日期：</td><td>2022-01-20</td><td>公开方式：</td><td>主动公开</td></tr>
</table>
{body}
</td></tr></table>
<div class="footer">主办：{report.place}人民政府办公室 地址：浙江省{report.place}</div>
<script src="/js/share.js"></script>
</body>
</html>
"""


def word_export(report: Report) -> str:
    """Word's "save as web page": MsoNormal paragraphs, runs split inside figures, `<o:p>`, lines
    wrapped inside tags, conditional comments."""
    def runs(text: str) -> str:
        if not text:
            return "<span lang=EN-US><o:p>&nbsp;</o:p></span>"
        if text[:1].isdigit() and len(text) > 2:  # Word splits runs where proofing marks change
            return f"<span lang=EN-US>{escape(text[:1])}</span><span\nlang=EN-US style='font-family:宋体'>{escape(text[1:])}</span>"
        return f"<span style='font-family:宋体;mso-ascii-font-family:\"Times New Roman\"'>{escape(text)}</span>"

    body = html_body(
        report,
        lambda t: f"<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt'>{escape(t)}<span\nlang=EN-US><o:p></o:p></span></span></b></p>",
        lambda p: f"<p class=MsoNormal style='text-indent:32.0pt'>{runs(p)}<span lang=EN-US><o:p></o:p></span></p>",
        lambda c: _td(c, f"\n  <p class=MsoNormal align=center style='text-align:center'>{runs(c.text)}</p>\n  ",
                      " valign=top style='border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'"),
        lambda rows: "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0\n style='border-collapse:collapse;border:none'>\n"
        + rows.replace("<tr>", " <tr style='height:20.0pt'>\n  ") + "\n</table>\n<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>",
    )
    return f"""<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=Generator content="Microsoft Word 15 (filtered)">
<title>{report.title}</title>
<!--[if gte mso 9]><xml>
 <w:WordDocument><w:View>Print</w:View></w:WordDocument>
</xml><![endif]-->
<style>
<!--
 p.MsoNormal {{margin:0cm;text-align:justify;font-size:10.5pt;font-family:等线;}}
-->
</style>
</head>
<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>
<div class=WordSection1 style='layout-grid:15.6pt'>
{body}
</div>
</body>
</html>
"""


def to_traditional(text: str) -> str:
    """Simplified -> traditional through the script seed, read backwards (first mapping wins)."""
    back: dict[str, str] = {}
    with open(ROOT / "seeds" / "script_char_map.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            back.setdefault(row["simplified"], row["traditional"])
    out = []
    for ch in text:
        trad = back.get(ch, ch)
        try:
            trad.encode("big5")
        except UnicodeEncodeError:
            trad = ch
        out.append(trad)
    return "".join(out)


def mirror_page(report: Report) -> str:
    """A traditional-script mirror of a legacy report: paragraphs with <br> line breaks."""
    paragraphs = "\n".join(f"<p>{escape(to_traditional(p))}</p>" for p in report.intro)
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5">
<title>{to_traditional(report.title)}</title></head>
<body><center><h2>{to_traditional(report.title)}</h2></center>
<div id="content">
{paragraphs}
</div>
<p>轉載自{to_traditional(report.place)}人民政府網站<br>更新時間：2017-03-30</p>
</body></html>
"""


# --- markdown and text ------------------------------------------------------------------------

def pipe_table(table: Table, stray_header_after: int | None = None) -> list[str]:
    """A converter's pipe table: merged cells become their text plus empty filler cells; the
    column headings may be repeated after a row (a page break in the source)."""
    rows = [["" if t is None else t for t in row] for row in grid(table)]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    for n, row in enumerate(rows[1:], start=1):
        lines.append("| " + " | ".join(row) + " |")
        if stray_header_after is not None and n == stray_header_after:
            lines += ["| " + " | ".join(r) + " |" for r in rows[:3]]
    return lines


def markdown_pipes(report: Report) -> str:
    out = []
    t3_stray = 9  # the column headings repeated after the third 不予公开 row
    for kind, content in blocks(report):
        if kind == "title":
            out += [f"# {content}", ""]
        elif kind == "p":
            out += [f"## {content}" if content[:2] in ("一、", "二、", "三、", "四、", "五、", "六、") else content, ""]
        else:
            first = content[0][0].text
            stray = t3_stray if first == TABLE3_NOTE else None
            lines = pipe_table(content, stray)
            if first == TABLE3_NOTE:  # a long label broken with <br> by the converter
                lines = [l.replace("（二）部分公开（区分处理的", "（二）部分公开<br>（区分处理的") for l in lines]
            out += lines + [""]
    return "\n".join(out)


def html_table(table: Table) -> str:
    rows = "\n".join("<tr>" + "".join(_td(c, escape(c.text)) for c in row) + "</tr>" for row in table)
    return f"<table>\n{rows}\n</table>"


def markdown_with_html_table(report: Report) -> str:
    """Markdown whose table 3 stayed HTML (pipe tables cannot merge cells); the others are pipes."""
    out = []
    for kind, content in blocks(report):
        if kind == "title":
            out += [f"# {content}", ""]
        elif kind == "p":
            out += [f"**{content}**" if content[:2] in ("一、", "二、", "三、", "四、", "五、", "六、") else content, ""]
        elif content[0][0].text == TABLE3_NOTE:
            out += [html_table(content), ""]
        else:
            out += pipe_table(content) + [""]
    return "\n".join(out)


def one_cell_per_line(report: Report) -> str:
    """A copy of the page's text: every cell on its own line, an empty cell an empty line."""
    out = []
    for kind, content in blocks(report):
        if kind == "table":
            out += [c.text for row in content for c in row]
        else:
            out.append(content)
    return "\n".join(out) + "\n"


def labels_then_figures(report: Report) -> str:
    """Each row's labels on their own lines and its figures tab-separated on the next line."""
    out = []
    for kind, content in blocks(report):
        if kind != "table":
            out += [content, ""]
            continue
        for row in content:
            labels = [c.text for c in row if c.text and not _is_figure(c.text)]
            figures = [c.text for c in row if not c.text or _is_figure(c.text)]
            out += labels
            if figures:
                out.append("\t".join(figures))
        out.append("")
    return "\n".join(out)


def tab_rows(report: Report) -> str:
    """A word processor's text export: one row per line, cells separated by tabs."""
    out = []
    for kind, content in blocks(report):
        if kind == "table":
            out += ["\t".join(c.text for c in row) for row in content]
        else:
            out.append(content)
    return "\n".join(out) + "\n"


def _is_figure(text: str) -> bool:
    return text.lstrip("+-").replace(".", "", 1).isdigit() or text.endswith("万元")


def markdown_prose(report: Report) -> str:
    out = [f"# {report.title}", ""]
    for p in report.intro:
        out += [f"## {p}" if p[:2] in ("一、", "二、", "三、", "四、", "五、") else p, ""]
    return "\n".join(out)


# --- DOCX and PDF -----------------------------------------------------------------------------

def _set_widths(table, content: Table) -> None:
    """Label columns wide enough for one line, as most offices lay them out; without this, a
    table keeps python-docx's equal columns, where tall rows split at page breaks (as in the v2021
    fixture, on purpose)."""
    from docx.shared import Inches

    width = sum(c.colspan for c in content[0])
    inches = {4: [1.9, 1.55, 1.55, 1.5], 10: [0.9, 1.0, 1.6] + [0.43] * 7, 15: [0.433] * 15}[width]
    for col, w in zip(table._tbl.tblGrid.gridCol_lst, inches):
        col.w = Inches(w)
    for tr in table._tbl.tr_lst:
        position = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Inches(sum(inches[position:position + span]))
            position += span


def write_docx(report: Report, path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Noto Serif CJK SC"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Noto Serif CJK SC")
    section = document.sections[0]
    section.header.paragraphs[0].text = f"{report.place}人民政府办公室"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    page = OxmlElement("w:fldSimple")
    page.set(qn("w:instr"), "PAGE")
    footer._p.append(page)
    footer.add_run(" —")
    for kind, content in blocks(report):
        if kind == "title":
            document.add_heading(content, level=1)
        elif kind == "p":
            document.add_paragraph(content)
            if content == HEADINGS[0]:
                # Enough prose that table 3 breaks across a page.
                for _ in range(12):
                    document.add_paragraph("依申请公开工作严格按照《条例》规定的时限和程序办理，做到依法答复、规范答复。" * 3)
        else:
            width = sum(c.colspan for c in content[0])
            table = document.add_table(rows=len(content), cols=width)
            table.style = "Table Grid"
            covered: set[tuple[int, int]] = set()
            for r, row in enumerate(content):
                cells = iter(row)
                c = 0
                while c < width:
                    if (r, c) in covered:
                        c += 1
                        continue
                    cell = next(cells)
                    target = table.cell(r, c)
                    if cell.colspan > 1 or cell.rowspan > 1:
                        target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
                    paragraph = target.paragraphs[0]
                    if cell.text[:1].isdigit() and len(cell.text) > 2:  # split runs, as Word leaves them
                        paragraph.add_run(cell.text[:1])
                        paragraph.add_run(cell.text[1:])
                    else:
                        paragraph.add_run(cell.text)
                    covered.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
                    c += cell.colspan
            if report.template == "v2019":
                _set_widths(table, content)
            if content[0][0].text == TABLE3_NOTE:
                for tr in table.rows[:3]:  # the column headings repeat on every page
                    trPr = tr._tr.get_or_add_trPr()
                    header = OxmlElement("w:tblHeader")
                    trPr.append(header)
            document.add_paragraph("")
    document.core_properties.author = "fixture"
    document.core_properties.created = document.core_properties.modified = datetime(2022, 1, 20)
    document.save(path)


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


_BROWSER_LAYOUTS = {
    # a narrow first column: labels wrap in their cells, table 3 is cut through a merged cell and a row
    "ruled": "td { border: 1px solid #000; padding: 2px; text-align: center; font-size: 13px; }\n"
             "tr td:first-child { width: 4em; }",
    # no borders, columns as wide as their text: labels wrap above and below their centred figures
    "unruled": "td { padding: 2px; text-align: center; }",
    # large type, table 3's headings repeated on the next page (<thead>); the page cuts the merged
    # （五）不予处理 cell, whose text the browser lets run past the bottom of the page's part of the table
    "large": "body { font-size: 18px; } td { border: 1px solid #000; padding: 6px; text-align: center; }",
}


def browser_page(report: Report, layout: str = "ruled") -> str:
    """The report as a plain page for Chromium to print, in one of `_BROWSER_LAYOUTS`."""
    body = html_body(
        report,
        lambda t: f"<h1>{escape(t)}</h1>",
        lambda p: f"<p>{escape(p)}</p>",
        lambda c: _td(c, escape(c.text) or "&nbsp;"),
        lambda rows: f"<table>\n{rows}\n</table>",
    )
    if layout == "large":  # table 3's three heading rows as a <thead>, which the browser repeats
        note = f"<tr>{_td(C(TABLE3_NOTE, 3, 3), escape(TABLE3_NOTE))}"
        start = body.index(note)
        rows = body[start:].split("</tr>")
        body = body[:start] + "<thead>" + "</tr>".join(rows[:3]) + "</tr></thead><tbody>" + "</tr>".join(rows[3:])
        body = body.replace("</table>", "</tbody></table>", 2).replace("</tbody></table>", "</table>", 1)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ font-family: 'Noto Sans CJK SC', sans-serif; font-size: 14px; }}
table {{ border-collapse: collapse; width: 100%; }}
{_BROWSER_LAYOUTS[layout]}
</style></head><body>
{body}
</body></html>
"""


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


def browser_print(report: Report, name: str, layout: str = "ruled") -> None:
    """A PDF as a browser prints the page (headless Chromium's --print-to-pdf): every border drawn
    as a thin filled rectangle, no border where the page cuts a cell, CJK radical code points in
    the text layer (⼀ for 一, ⻰ for 龙)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print(f"chromium not found: {name} left as it is")
        return
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        page.write_text(browser_page(report, layout), encoding="utf-8")
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                        f"--user-data-dir={folder}/profile", f"--print-to-pdf={OUT / name}", str(page)],
                       check=True, capture_output=True)


def unruled_word_pdf(report: Report, name: str) -> None:
    """The DOCX of `report` with its tables set to Word's "Normal Table" style (no borders), printed
    to PDF by LibreOffice: labels top-aligned and wrapped under their figures, headings one
    character a line in narrow columns, the headings repeated on every page the table runs over."""
    import docx

    soffice = shutil.which("soffice")
    if not soffice:
        print(f"soffice not found: {name} left as it is")
        return
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / (Path(name).stem + ".docx")
        write_docx(report, source)
        document = docx.Document(str(source))
        for table in document.tables:
            table.style = document.styles["Normal Table"]
        document.save(str(source))
        subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "pdf",
                        "--outdir", str(OUT), str(source)], check=True, capture_output=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    texts = {
        "v2021_gov_page.html": (gov_page(V2021), "utf-8"),
        "v2019_word_export.htm": (word_export(V2019), "gb18030"),
        "legacy_mirror_big5.html": (mirror_page(LEGACY), "big5"),
        "v2021_pipe_tables.md": (markdown_pipes(V2021), "utf-8"),
        "v2019_html_table_utf16.md": (markdown_with_html_table(V2019), "utf-16"),
        "legacy_prose_bom.md": (markdown_prose(LEGACY), "utf-8-sig"),
        "v2021_one_cell_per_line_gbk.txt": (one_cell_per_line(V2021), "gb18030"),
        "v2021_labels_then_figures_utf16le.txt": (labels_then_figures(V2021), "utf-16-le"),
        "v2019_tab_rows_big5.txt": (to_traditional(tab_rows(V2019)), "big5"),
    }
    for name, (text, encoding) in texts.items():
        (OUT / name).write_bytes(text.encode(encoding))
    docx_files = []
    for report, name in ((V2019, "v2019_report.docx"), (V2021, "v2021_report.docx"), (LEGACY, "legacy_report.docx")):
        write_docx(report, OUT / name)
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
