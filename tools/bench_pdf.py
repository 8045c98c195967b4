"""PDFs for `make bench`: the synthetic DOCX reports printed as an office prints them (reportlab).

`ogi synth` writes no PDF yet, and real corpora are largely PDF, so the benchmark prints a share of
the synthetic DOCX reports to PDF: A4 pages, the text in Adobe's predefined Chinese font
(STSong-Light: nothing embedded, nothing downloaded), paragraphs wrapped at the margins, tables
with a rule around every cell and Word's merged cells (gridSpan, vMerge) as spans, labels wrapped
in their cells. A table that does not fit on a page runs on to the next.

    python tools/bench_pdf.py SYNTH_REPORTS_DIR OUT_DIR --share 0.2

writes OUT_DIR/<the DOCX's path>.pdf for every fifth DOCX (chosen by path, so the same files on
every run) and prints how many PDFs and pages it wrote.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError
from xml.sax.saxutils import escape

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FONT = "STSong-Light"


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(W + "t"))


def docx_blocks(data: bytes) -> list[tuple[str, object]]:
    """("paragraph", text) and ("table", (rows of texts, spans)) in document order; spans are
    reportlab SPAN commands ((col, row), (col, row)) for merged cells."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = ElementTree.fromstring(package.read("word/document.xml")).find(W + "body")
    blocks: list[tuple[str, object]] = []
    for element in body:
        if element.tag == W + "p":
            blocks.append(("paragraph", _text(element)))
        elif element.tag == W + "tbl":
            rows: list[list[str]] = []
            spans = []
            starts: dict[int, int] = {}  # column -> row where its vertical merge began
            for r, tr in enumerate(element.findall(W + "tr")):
                row: list[str] = []
                for tc in tr.findall(W + "tc"):
                    props = tc.find(W + "tcPr")
                    span_el = props.find(W + "gridSpan") if props is not None else None
                    merge_el = props.find(W + "vMerge") if props is not None else None
                    span = int(span_el.get(W + "val")) if span_el is not None else 1
                    col = len(row)
                    if merge_el is not None and merge_el.get(W + "val") == "restart":
                        starts[col] = r
                    elif merge_el is not None and col in starts:
                        first = starts[col]
                        spans = [s for s in spans if s[1] != (col, first)]
                        spans.append(("SPAN", (col, first), (col + span - 1, r)))
                    elif col in starts:
                        del starts[col]
                    if span > 1 and merge_el is None:
                        spans.append(("SPAN", (col, r), (col + span - 1, r)))
                    row += [_text(tc)] + [""] * (span - 1)
                rows.append(row)
            width = max(map(len, rows))
            blocks.append(("table", ([row + [""] * (width - len(row)) for row in rows], spans)))
    return blocks


def _widths(rows: list[list[str]], room: float) -> list[float]:
    """Column widths: label columns wider than figure columns (by the longest text, damped)."""
    weights = [max(4, max(len(row[c]) for row in rows)) ** 0.5 for c in range(len(rows[0]))]
    return [room * w / sum(weights) for w in weights]


def render_pdf(blocks: list[tuple[str, object]], merged: bool = True) -> bytes:
    """The PDF; a merged cell taller than a page cannot run on (reportlab splits tables only
    between rows), so a report whose table does not fit is printed again without vertical merges."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK", spaceAfter=4)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=10, wordWrap="CJK")
    buffer = io.BytesIO()
    page = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=56, rightMargin=56, topMargin=56, bottomMargin=56,
                             invariant=1)  # no creation date or random id: the same bytes every run
    story = []
    for kind, content in blocks:
        if kind == "paragraph":
            story.append(Paragraph(escape(content), body) if content else Spacer(1, 6))
            continue
        rows, spans = content
        if not merged:
            spans = [s for s in spans if s[1][1] == s[2][1]]
        table = Table([[Paragraph(escape(t), cell) for t in row] for row in rows], colWidths=_widths(rows, A4[0] - 112),
                      splitByRow=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), *spans]))
        story.append(table)
    try:
        page.build(story)
    except LayoutError:
        if not merged:
            raise
        return render_pdf(blocks, merged=False)
    return buffer.getvalue()


def chosen(path: Path, share: float) -> bool:
    """A stable pseudo-random choice by path."""
    return int(hashlib.sha256(str(path).encode()).hexdigest()[:8], 16) < share * 16**8


def print_pdfs(reports: Path, out: Path, share: float) -> tuple[int, int]:
    """(PDFs, pages) written for the chosen DOCX files under `reports`."""
    import pypdfium2

    files = pages = 0
    for docx in sorted(reports.rglob("*.docx")):
        relative = docx.relative_to(reports)
        if not chosen(relative, share):
            continue
        data = render_pdf(docx_blocks(docx.read_bytes()))
        target = (out / relative).with_suffix(".pdf")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        files += 1
        pages += len(pypdfium2.PdfDocument(data))
    return files, pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reports", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--share", type=float, default=0.2, help="share of the DOCX reports printed (default 0.2)")
    args = parser.parse_args()
    files, pages = print_pdfs(args.reports, args.out, args.share)
    print(f"{files} PDFs, {pages} pages in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
