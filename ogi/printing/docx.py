"""Reports as DOCX, WordprocessingML written directly (python-docx takes seconds per merged table):
paragraphs, a title in the Heading 1 style, tables with merged cells as Word writes them (gridSpan
across columns, vMerge restart and continue down rows), and what Word documents carry around them: a
running header, page numbers in the footer, table headings repeated on every page, column widths,
figures split into runs where Word's proofing marks change."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from ogi.printing.grid import Block, Cell, Grid, width

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOCUMENT_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_PART_TYPES = {
    "styles": ("/word/styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"),
    "header": ("/word/header1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"),
    "footer": ("/word/footer1.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"),
}
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W}">'
    '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:eastAsia="Noto Serif CJK SC"/><w:sz w:val="21"/></w:rPr>'
    '</w:rPrDefault></w:docDefaults>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>'
    '<w:pPr><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>'
    '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders>'
    + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
              for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + "</w:tblBorders></w:tblPr></w:style></w:styles>"
)
TWIPS_PER_INCH = 1440


@dataclass(frozen=True)
class Page:
    """What a Word document carries around the report."""
    header: str = ""  # a running header on every page
    page_numbers: bool = False  # "— N —" in the footer
    split_figure_runs: bool = False  # "1234" as the runs "1" and "234"
    column_inches: Callable[[Grid], list[float] | None] = lambda grid: None  # a table's column widths
    repeated_rows: Callable[[Grid], int] = lambda grid: 0  # heading rows repeated on every page
    paragraph_after_tables: bool = False  # an empty paragraph after each table, as Word inserts
    ruled: bool = True  # tables in the Table Grid style (a rule around every cell), else Normal Table


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text, quote=False)}</w:t></w:r>'


def _paragraph(text: str, style: str = "", split: bool = False) -> str:
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    if not text:
        return f"<w:p>{props}</w:p>"
    if split and text[:1].isdigit() and len(text) > 2:
        return f"<w:p>{props}{_run(text[:1])}{_run(text[1:])}</w:p>"
    return f"<w:p>{props}{_run(text)}</w:p>"


def _table(grid: Grid, page: Page) -> str:
    columns = width(grid)
    inches = page.column_inches(grid)
    below: dict[tuple[int, int], Cell] = {}  # (row, column) -> the merged cell that covers it
    repeated = page.repeated_rows(grid)
    rows = []
    for r, row in enumerate(grid):
        cells, col, pending = [], 0, list(row)
        while col < columns:
            if (r, col) in below:
                cell = below[(r, col)]
                span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
                cells.append(f"<w:tc><w:tcPr>{_width(inches, col, cell.colspan)}{span}<w:vMerge/></w:tcPr><w:p/></w:tc>")
                col += cell.colspan
                continue
            if not pending:
                cells.append(f"<w:tc><w:tcPr>{_width(inches, col, 1)}</w:tcPr><w:p/></w:tc>")
                col += 1
                continue
            cell = pending.pop(0)
            props = _width(inches, col, cell.colspan) + (f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else "") + (
                '<w:vMerge w:val="restart"/>' if cell.rowspan > 1 else "")
            for rr in range(r + 1, r + cell.rowspan):
                below[(rr, col)] = cell
            cells.append(f"<w:tc>{'<w:tcPr>' + props + '</w:tcPr>' if props else ''}"
                         f"{_paragraph(cell.text, split=page.split_figure_runs)}</w:tc>")
            col += cell.colspan
        header = "<w:trPr><w:tblHeader/></w:trPr>" if r < repeated else ""
        rows.append("<w:tr>" + header + "".join(cells) + "</w:tr>")
    grid_columns = "".join(f'<w:gridCol w:w="{round(w * TWIPS_PER_INCH)}"/>' for w in inches) if inches else "<w:gridCol/>" * columns
    style = '<w:tblStyle w:val="TableGrid"/>' if page.ruled else ""
    return (f'<w:tbl><w:tblPr>{style}<w:tblW w:w="0" w:type="auto"/></w:tblPr>'
            f"<w:tblGrid>{grid_columns}</w:tblGrid>" + "".join(rows) + "</w:tbl>")


def _width(inches: list[float] | None, col: int, span: int) -> str:
    return f'<w:tcW w:w="{round(sum(inches[col:col + span]) * TWIPS_PER_INCH)}" w:type="dxa"/>' if inches else ""


def docx(blocks: list[Block], page: Page = Page()) -> bytes:
    body = []
    for kind, content in blocks:
        if kind == "grid":
            body.append(_table(content, page))
            if page.paragraph_after_tables:
                body.append("<w:p/>")
        else:
            body.append(_paragraph(content, "Heading1" if kind == "title" else ""))
    parts = {"styles": _STYLES}
    references = ""
    if page.header:
        parts["header"] = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr xmlns:w="{W}">{_paragraph(page.header)}</w:hdr>'
        references += '<w:headerReference w:type="default" r:id="rIdheader"/>'
    if page.page_numbers:
        parts["footer"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr xmlns:w="{W}"><w:p>'
                           '<w:pPr><w:jc w:val="center"/></w:pPr>' + _run("— ")
                           + '<w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>' + _run(" —") + "</w:p></w:ftr>")
        references += '<w:footerReference w:type="default" r:id="rIdfooter"/>'
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'
                + "".join(body) + f"<w:sectPr>{references}</w:sectPr></w:body></w:document>")
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        + "".join(f'<Override PartName="{_PART_TYPES[p][0]}" ContentType="{_PART_TYPES[p][1]}"/>' for p in parts)
        + "</Types>"
    )
    relation = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    document_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PACKAGE_RELS}">'
                     + "".join(f'<Relationship Id="rId{p}" Type="{relation}{p}" Target="{_PART_TYPES[p][0].removeprefix("/word/")}"/>'
                               for p in parts) + "</Relationships>")
    package_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_PACKAGE_RELS}">'
                    f'<Relationship Id="rId1" Type="{_DOCUMENT_TYPE}" Target="word/document.xml"/></Relationships>')
    files = {"[Content_Types].xml": content_types, "_rels/.rels": package_rels, "word/document.xml": document,
             "word/_rels/document.xml.rels": document_rels}
    files.update((_PART_TYPES[p][0].removeprefix("/"), xml) for p, xml in parts.items())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in files.items():
            package.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), xml, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
