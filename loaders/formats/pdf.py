"""PDF with a text layer, read with pdfplumber.

Why pdfplumber: it is maintained, pure Python on top of pdfminer.six (no poppler, Java or
Ghostscript to install, nothing that touches the network), reads CJK text through pdfminer's
CMaps, gives every character with its position, and finds ruled tables from the lines drawn on
the page, reporting a merged cell as missing positions (None): the grid model the other formats
use. Camelot and tabula need Ghostscript or Java; PyMuPDF is AGPL.

Per page, tables (ruled, at least 2 × 2) become grid rows and the text outside them becomes lines
(characters grouped by baseline; a gap wider than two characters separates cells, so unruled
tables read as space-separated rows). Rows and lines are merged top to bottom. Then:

- page furniture is dropped: a line in the top or bottom band of the page that is a page number
  (— 3 —, 第3页, 3/12) or repeats in the same band on other pages (a running header or footer),
  so a footer between the two halves of a table never becomes a cell;
- a table cut by a page break has no border where the page cuts a cell (a merged label running on,
  a row split in two): rules are added across the open ends of its vertical rules at the page's
  top and bottom, so that the cut cells stay cells of the table;
- a table that runs on from the previous page joins it: the heading rows it repeats are dropped,
  and a first row that is the rest of a row cut by the page break (its cells hold only text, and
  its labels complete the previous row's labels) is merged back into that row.

`line` is page × 1000 + the line on the page (text lines and table rows counted top to bottom):
3012 is page 3, line 12. A PDF without any text (a scan) fails with that reason, and so does an
encrypted PDF that needs a password.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from loaders import normalize
from loaders.formats import Document, UnreadableDocument, lines_by_number
from loaders.formats.grid import GridCell, cjk_join, grid_tokens
from loaders.labels import match_label
from loaders.registry import Registry
from loaders.tokens import Token, tokenize_line
from loaders.values import is_value

LINES_PER_PAGE = 1000
# Furniture lives in the top and bottom bands of the page.
_EDGE_BAND = 0.1
_PAGE_NUMBER = re.compile(
    r"^[-—–_\s]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[-—–_\s]*$"
    r"|^(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?$",
    re.IGNORECASE,
)
# Two characters on one baseline further apart than this many character widths are in different cells.
_CELL_GAP = 1.5
_WORD_GAP = 0.25
# Ruling lines closer than this (points) meet.
_SNAP = 3.0
_LABEL_DOMAINS = (
    "application_row", "outcome_group", "applicant", "disclosure_item", "disclosure_measure", "proceeding",
    "review_result",
)


@dataclass
class _Item:
    """A text line or a table row on a page, with its vertical position."""

    top: float
    bottom: float
    text: str = ""
    cells: list[str | None] | None = None  # a table row; None for a text line
    table: int = -1  # the table's index on its page
    furniture: bool = False
    right: float = 0.0  # where a text line ends, and its character size
    size: float = 0.0
    flowed: str | None = None  # a prose line with the lines it wraps onto, which then read nothing


@dataclass
class _Page:
    number: int
    height: float
    items: list[_Item] = field(default_factory=list)


def _open(data: bytes):
    try:
        return pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise UnreadableDocument("encrypted PDF: it needs a password to open; remove the protection and load it again") from exc
        raise UnreadableDocument(f"PDF cannot be opened: {type(cause).__name__}: {cause}") from exc


def _lines(chars: list[dict]) -> list[_Item]:
    """Characters grouped into lines by baseline, with cell gaps as two spaces."""
    lines: list[list[dict]] = []
    for ch in sorted((c for c in chars if c["text"].strip()), key=lambda c: (round(c["bottom"]), c["x0"])):
        if lines and abs(lines[-1][-1]["bottom"] - ch["bottom"]) <= max(2.0, ch["size"] * 0.3):
            lines[-1].append(ch)
        else:
            lines.append([ch])
    items = []
    for line in lines:
        line.sort(key=lambda c: c["x0"])
        text = line[0]["text"]
        for prev, ch in zip(line, line[1:]):
            gap = ch["x0"] - prev["x1"]
            size = max(ch["size"], 1.0)
            text += ("  " if gap > _CELL_GAP * size else " " if gap > _WORD_GAP * size else "") + ch["text"]
        items.append(
            _Item(min(c["top"] for c in line), max(c["bottom"] for c in line), text,
                  right=line[-1]["x1"], size=max(c["size"] for c in line))
        )
    return items


def _cell_text(text: str | None) -> str | None:
    return None if text is None else cjk_join(text.split())


def _closing_lines(page) -> list[dict]:
    """Horizontal rules that close a table cut by a page break. A writer draws no border where the
    page cuts a cell (a row split in two, or a merged label such as 三、本年度办理结果 running on),
    so the ruling lines of the table stop at the page's top or bottom with nothing across them,
    and the cut cells would fall out of the table as loose text. Where the page's highest tops or
    lowest bottoms of two or more vertical rules leave them unjoined, a rule across them is added."""
    verticals = [e for e in page.edges if e["orientation"] == "v" and e["height"] >= 1]
    horizontals = [e for e in page.edges if e["orientation"] == "h" and e["width"] >= 1]
    if len(verticals) < 2:
        return []
    lines = []
    for end, y in (("top", min(e["top"] for e in verticals)), ("bottom", max(e["bottom"] for e in verticals))):
        xs = sorted({round(e["x0"], 1) for e in verticals if abs(e[end] - y) <= _SNAP})
        if len(xs) < 2:
            continue
        # Pairs of neighbouring rules that no horizontal rule at this height joins.
        open_gaps = [
            (a, b) for a, b in zip(xs, xs[1:])
            if b - a > _SNAP and not any(
                abs(h["top"] - y) <= _SNAP and h["x0"] <= a + _SNAP and h["x1"] >= b - _SNAP for h in horizontals
            )
        ]
        for a, b in open_gaps:
            lines.append({"object_type": "line", "x0": a, "x1": b, "top": y, "bottom": y, "width": b - a, "height": 0,
                          "pts": [(a, y), (b, y)]})
    return lines


def _read_page(page, number: int) -> _Page:
    settings = {"explicit_horizontal_lines": closing} if (closing := _closing_lines(page)) else {}
    tables = [t for t in page.find_tables(settings) if len(t.rows) >= 2 and len(t.rows[0].cells) >= 2]
    items: list[_Item] = []
    for index, table in enumerate(tables):
        for row, texts in zip(table.rows, table.extract()):
            items.append(_Item(row.bbox[1], row.bbox[3], cells=[_cell_text(t) for t in texts], table=index))
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        mid_x, mid_y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= mid_x <= x1 and top <= mid_y <= bottom for x0, top, x1, bottom in boxes)

    items += _lines([c for c in page.chars if outside(c)])
    items.sort(key=lambda it: (it.top, it.table))
    return _Page(number, float(page.height), items)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", "".join(text.split()))


def _mark_furniture(pages: list[_Page]) -> None:
    def in_band(page: _Page, item: _Item) -> str | None:
        if item.cells is not None:
            return None
        if item.bottom <= page.height * _EDGE_BAND:
            return "top"
        if item.top >= page.height * (1 - _EDGE_BAND):
            return "bottom"
        return None

    banded = [(page, item, band) for page in pages for item in page.items if (band := in_band(page, item))]
    repeats = Counter((band, _furniture_key(item.text)) for page, item, band in banded)
    for page, item, band in banded:
        if _PAGE_NUMBER.match(item.text.strip()) or (len(pages) > 1 and repeats[band, _furniture_key(item.text)] > 1):
            item.furniture = True


def _content(page: _Page) -> list[_Item]:
    return [it for it in page.items if not it.furniture]


def _is_label(text: str, registry: Registry) -> bool:
    return any(match_label(text, domain, registry) for domain in _LABEL_DOMAINS)


def _join_row(previous: list[str | None], rest: list[str | None], registry: Registry) -> list[str | None] | None:
    """`previous` completed by `rest` when `rest` is the part of the same row that the page break
    pushed onto the next page: no figures in it, and some label that only the two halves together
    spell. None otherwise."""
    if len(previous) != len(rest) or any(t and is_value(t, registry) for t in rest):
        return None
    # (A position covered by a merged cell above stays covered: the rest of a cut merged cell is empty.)
    joined = [a if not b else b if a is None else cjk_join([a, b]) for a, b in zip(previous, rest)]
    completes = any(
        b and _is_label(j, registry) and not _is_label(b, registry)
        for j, b in zip(joined, rest) if j is not None
    )
    return joined if completes else None


def _join_tables(pages: list[_Page], registry: Registry) -> None:
    """Tables that run on from the previous page: drop the heading rows they repeat, and merge a
    row cut in two by the page break."""
    running: list[_Item] = []  # the rows so far of the table the previous page ended with
    for page in pages:
        content = _content(page)
        first_table, continued = None, []
        if running and content and content[0].cells is not None and len(content[0].cells) == len(running[-1].cells):
            first_table = content[0].table
            rows = [it for it in content if it.cells is not None and it.table == first_table]
            repeated = 0
            while repeated < min(len(rows), len(running) - 1) and rows[repeated].cells == running[repeated].cells:
                rows[repeated].furniture = True
                repeated += 1
            if repeated < len(rows) and (joined := _join_row(running[-1].cells, rows[repeated].cells, registry)):
                running[-1].cells = joined
                rows[repeated].furniture = True
            continued = running + [r for r in rows if not r.furniture]
        content = _content(page)
        if not content or content[-1].cells is None:
            running = []
        elif content[-1].table == first_table:
            running = continued
        else:
            running = [it for it in content if it.cells is not None and it.table == content[-1].table]


def _join_wrapped(pages: list[_Page]) -> None:
    """Prose wraps at the right margin, also across a page break: a line that reaches the margin
    runs on into the next text line, so that sentences (and the figures in them) are read whole.
    Lines with cell gaps are table rows, never joined."""
    flow = [(page, it) for page in pages for it in _content(page)]
    margins = {page.number: max((it.right for it in page.items if it.cells is None), default=0.0) for page in pages}
    head = None
    for (page, item), (_, following) in zip(flow, flow[1:] + [(None, None)]):
        wraps = (
            item.cells is None and following is not None and following.cells is None
            and "  " not in item.text and "  " not in following.text
            and item.right >= margins[page.number] - 1.5 * item.size
        )
        if wraps:
            head = head or item
            head.flowed = cjk_join([head.flowed or head.text, following.text])
            following.flowed = ""
        else:
            head = None


def _number(pages: list[_Page], registry: Registry) -> tuple[list[Token], list[tuple[int, str]]]:
    tokens: list[Token] = []
    records: list[tuple[int, str]] = []
    for page in pages:
        base = page.number * LINES_PER_PAGE
        for n, item in enumerate(page.items, start=1):
            line = base + min(n, LINES_PER_PAGE - 1)
            if item.cells is None:
                records.append((line, item.text))
                text = item.text if item.flowed is None else item.flowed
                if not item.furniture and text:
                    tokens.extend(tokenize_line(text, line, registry))
            elif not item.furniture:
                row_tokens, row_records = grid_tokens(
                    [[None if t is None else GridCell(t, line) for t in item.cells]], registry
                )
                tokens.extend(row_tokens)
                records.extend(row_records)
    return tokens, records


def read(data: bytes, registry: Registry) -> Document:
    problems: list[str] = []
    pages: list[_Page] = []
    with _open(data) as pdf:
        if not pdf.pages:
            raise UnreadableDocument("PDF without pages")
        textless = []
        for number, page in enumerate(pdf.pages, start=1):
            try:
                if not any(c["text"].strip() for c in page.chars):
                    textless.append(number)
                    continue
                pages.append(_read_page(page, number))
            except Exception as exc:  # one damaged page must not lose the others
                problems.append(f"page {number} cannot be read: {type(exc).__name__}: {exc}")
            finally:
                page.close()
    if not pages and not textless:
        raise UnreadableDocument("PDF pages cannot be read: " + "; ".join(problems))
    if not pages:
        raise UnreadableDocument(
            f"PDF without a text layer (a scan, {len(textless)} page{'s' * (len(textless) != 1)} of images): run OCR first"
        )
    if textless:
        problems.append(f"page{'s' * (len(textless) > 1)} {', '.join(map(str, textless))} without a text layer (scanned)")
    _mark_furniture(pages)
    _join_tables(pages, registry)
    _join_wrapped(pages)
    tokens, records = _number(pages, registry)
    return Document("pdf", None, lines_by_number(records), tokens, problems)
