"""PDF with a text layer, read with pypdfium2.

Why pypdfium2: PDFium (Chrome's PDF engine) as a wheel, nothing to install besides it and nothing
that touches the network; it gives every character the page shows with its box, the characters that
Chrome's subset fonts draw (龙, where their ToUnicode maps say ⻰), and every path, so the ruling
lines of tables: about five times less CPU a page than pdfminer, which pdfplumber reads with.
pdfplumber's table finder still turns the ruling lines into ruled tables (geometry only), reporting a
merged cell as missing positions (None): the grid model the other formats use. Camelot and tabula
need Ghostscript or Java; PyMuPDF is AGPL.

Per page, tables (ruled, at least 2 × 2) become grid rows and the text outside them becomes lines
(characters grouped by baseline; a gap wider than two characters separates cells). Rows and lines
are merged top to bottom. Then:

- page furniture is dropped: a line in the top or bottom band of the page that is a page number
  (— 3 —, 第3页, 3/12) or repeats in the same band on other pages (a running header or footer),
  so a footer between the two halves of a table never becomes a cell;
- a table cut by a page break has no border where the page cuts a cell (a merged label running on,
  a row split in two): rules are added across the open ends of its vertical rules at the page's
  top and bottom, so that the cut cells stay cells of the table;
- a table printed without rules becomes grid rows too: lines that end in figures standing apart
  are its rows, each figure goes to its column (where the figures of all rows stand, and the
  headings show a column no row fills), and the label lines around a row's figures (a label wrapped
  above and below them, a group label set between rows) join its label cells (see
  `_unruled_tables`);
- a table that runs on from the previous page joins it: the heading rows it repeats are dropped,
  and a first row that is the rest of a row cut by the page break (its cells hold only text, and
  its labels complete the previous row's labels) is merged back into that row.

`line` is page × 1000 + the line on the page (text lines and table rows counted top to bottom):
3012 is page 3, line 12. A PDF without any text (a scan) fails with that reason, and so do an
encrypted PDF that needs a password and a text layer that does not decode (fonts without a
character map: glyph codes such as (cid:19) instead of characters).
"""
from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field

import pypdfium2
import pypdfium2.raw as pdfium
from pdfplumber.table import Table, TableFinder

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
# A text layer with this share of glyph codes (cid:…) instead of characters cannot be read (its
# fonts have no ToUnicode map; what pdfminer guesses for the other glyphs is no better).
_UNDECODED_SHARE = 0.1
# Ruling lines closer than this (points) meet.
_SNAP = 3.0
# A numbered heading (四、政府信息公开行政复议…) starts something new, never continues a label.
_SECTION_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+\s*、")
# Rows of a table without rules stand at most this many character sizes apart (a label wrapped
# over several lines between them).
_ROW_GAP = 8
_LABEL_DOMAINS = (
    "application_row", "outcome_group", "applicant", "disclosure_item", "disclosure_measure", "proceeding",
    "review_result",
)


@dataclass(frozen=True)
class _Word:
    """A run of characters on a line without a gap between them, with its horizontal extent."""

    x0: float
    x1: float
    text: str
    top: float = 0.0
    bottom: float = 0.0


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
    words: tuple[_Word, ...] = ()  # a text line's words, for the columns of a table without rules


@dataclass
class _Page:
    number: int
    height: float
    items: list[_Item] = field(default_factory=list)


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _open(data: bytes) -> pypdfium2.PdfDocument:
    try:
        return pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise UnreadableDocument("encrypted PDF: it needs a password to open; remove the protection and load it again") from exc
        raise UnreadableDocument(f"PDF cannot be opened: {exc}") from exc


def _times(m: tuple, n: tuple) -> tuple:
    """The affine matrix m then n (PDF order: a b c d e f)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _page_objects(container, count, get, matrix: tuple):
    """(type, object, matrix to page space) of every object, form XObjects opened."""
    m = pdfium.FS_MATRIX()
    for k in range(count(container)):
        obj = get(container, k)
        kind = pdfium.FPDFPageObj_GetType(obj)
        pdfium.FPDFPageObj_GetMatrix(obj, m)
        own = _times((m.a, m.b, m.c, m.d, m.e, m.f), matrix)
        if kind == pdfium.FPDF_PAGEOBJ_FORM:
            yield from _page_objects(obj, pdfium.FPDFFormObj_CountObjects, pdfium.FPDFFormObj_GetObject, own)
        else:
            yield kind, obj, own


def _edge(p: tuple[float, float], q: tuple[float, float], height: float) -> dict | None:
    """A straight segment as a ruling edge (top-down coordinates), None unless horizontal or vertical."""
    (x0, y0), (x1, y1) = p, q
    orientation = "v" if x0 == x1 else "h" if y0 == y1 else None
    if orientation is None or p == q:
        return None
    return {"object_type": "line", "orientation": orientation, "x0": min(x0, x1), "x1": max(x0, x1),
            "top": height - max(y0, y1), "bottom": height - min(y0, y1), "width": abs(x1 - x0), "height": abs(y1 - y0)}


def _edges_and_pictures(page: pypdfium2.PdfPage, height: float) -> tuple[list[dict], int]:
    """The page's ruling lines (every straight horizontal or vertical segment of its paths, the
    sides of rectangles included) and how many images it shows."""
    edges: list[dict] = []
    pictures = 0
    x, y = ctypes.c_float(), ctypes.c_float()
    for kind, obj, (a, b, c, d, e, f) in _page_objects(page.raw, pdfium.FPDFPage_CountObjects, pdfium.FPDFPage_GetObject, _IDENTITY):
        if kind == pdfium.FPDF_PAGEOBJ_IMAGE:
            pictures += 1
        if kind != pdfium.FPDF_PAGEOBJ_PATH:
            continue
        start = last = None
        for s in range(pdfium.FPDFPath_CountSegments(obj)):
            segment = pdfium.FPDFPath_GetPathSegment(obj, s)
            pdfium.FPDFPathSegment_GetPoint(segment, x, y)
            point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            if pdfium.FPDFPathSegment_GetType(segment) == pdfium.FPDF_SEGMENT_MOVETO:
                start = point
            elif (edge := _edge(last if last is not None else start, point, height)) is not None:
                edges.append(edge)
            last = point
            if pdfium.FPDFPathSegment_GetClose(segment) and start is not None and (edge := _edge(point, start, height)):
                edges.append(edge)
    return edges, pictures


def _by_address(function, restype, *argtypes):
    """A PDFium function taking and giving plain addresses and numbers: the bindings' typed
    pointers cost a conversion per call, which adds up over every character of a page."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


_ADDRESS, _INT, _FLOAT, _UINT = ctypes.c_void_p, ctypes.c_int, ctypes.c_float, ctypes.c_uint
_get_unicode = _by_address(pdfium.FPDFText_GetUnicode, _UINT, _ADDRESS, _INT)
_is_generated = _by_address(pdfium.FPDFText_IsGenerated, _INT, _ADDRESS, _INT)
_has_unicode_map_error = _by_address(pdfium.FPDFText_HasUnicodeMapError, _INT, _ADDRESS, _INT)
_loose_char_box = _by_address(pdfium.FPDFText_GetLooseCharBox, _INT, _ADDRESS, _INT, _ADDRESS)
_char_origin = _by_address(pdfium.FPDFText_GetCharOrigin, _INT, _ADDRESS, _INT, _ADDRESS, _ADDRESS)
_text_object = _by_address(pdfium.FPDFText_GetTextObject, _ADDRESS, _ADDRESS, _INT)
_text_matrix = _by_address(pdfium.FPDFText_GetMatrix, _INT, _ADDRESS, _INT, _ADDRESS)
_font_size = _by_address(pdfium.FPDFTextObj_GetFontSize, _INT, _ADDRESS, _ADDRESS)
_font = _by_address(pdfium.FPDFTextObj_GetFont, _ADDRESS, _ADDRESS)
_glyph_width = _by_address(pdfium.FPDFFont_GetGlyphWidth, _INT, _ADDRESS, ctypes.c_uint32, _FLOAT, _ADDRESS)


def _chars(page: pypdfium2.PdfPage, height: float) -> list[dict]:
    """The characters the page shows (not those the text layer makes up for spaces and line ends),
    each with its box: from its origin on the baseline up by its font size, across the advance the
    PDF declares for its glyph (its /W or /Widths entry, as pdfminer and every reader lays text out;
    PDFium's loose box takes the width of the font it substitutes for one that is not embedded). A
    glyph without a character (a font without a ToUnicode map) reads as (cid:N)."""
    text_page = pdfium.FPDFText_LoadPage(page.raw)
    try:
        page_address = ctypes.cast(text_page, ctypes.c_void_p).value
        box, matrix = pdfium.FS_RECTF(), pdfium.FS_MATRIX()
        ox, oy, size, width = ctypes.c_double(), ctypes.c_double(), ctypes.c_float(), ctypes.c_float()
        box_at, matrix_at, ox_at, oy_at = (ctypes.addressof(x) for x in (box, matrix, ox, oy))
        size_at, width_at = ctypes.addressof(size), ctypes.addressof(width)
        # Per text object: its font, its font size in text space and the text matrix's horizontal and
        # vertical scales (its characters share them); per (object, character): the advance.
        objects: dict[int, tuple] = {}
        advances: dict[tuple[int, str], float] = {}
        chars = []
        for i in range(pdfium.FPDFText_CountChars(text_page)):
            unit = chr(_get_unicode(page_address, i))
            # The text layer adds spaces and line ends of its own: only those drawn are characters.
            if unit.isspace() and _is_generated(page_address, i) == 1:
                continue
            mapped = _has_unicode_map_error(page_address, i) != 1
            _loose_char_box(page_address, i, box_at)
            _char_origin(page_address, i, ox_at, oy_at)
            address = _text_object(page_address, i) or 0
            described = objects.get(address)
            if described is None:
                _text_matrix(page_address, i, matrix_at)
                _font_size(address, size_at)
                described = objects[address] = (_font(address), size.value, abs(matrix.a), size.value * abs(matrix.d))
            advance = advances.get((address, unit))
            if advance is None:
                advance = box.right - box.left
                if mapped and _glyph_width(described[0], ord(unit), described[1], width_at):
                    advance = width.value * described[2]
                advances[(address, unit)] = advance
            scaled, bottom = described[3], height - oy.value
            chars.append({"text": unit if mapped else f"(cid:{ord(unit)})", "x0": box.left, "x1": box.left + advance,
                          "top": bottom - scaled, "bottom": bottom, "doctop": bottom - scaled, "size": scaled,
                          "width": advance, "height": scaled, "upright": True})
        return chars
    finally:
        pdfium.FPDFText_ClosePage(text_page)


@dataclass
class _PageLayer:
    """What the reader needs of a page: its characters, ruling lines and pictures. The ruled tables
    are found by pdfplumber's table finder (geometry only: the page is read by pypdfium2)."""

    height: float
    width: float
    chars: list[dict]
    edges: list[dict]
    pictures: int

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)

    def find_tables(self, settings: dict | None = None):
        return TableFinder(self, settings or {}).tables


@dataclass
class _TableChars:
    """The characters inside one table's box: all that its extraction needs to look at."""

    chars: list[dict]


def _extract(table: Table, chars: list[dict]) -> list[list[str | None]]:
    """`table.extract()` over the characters inside the table's box only (pdfplumber tests every
    character of the page against every row): a character is in a cell when its middle is, and
    every cell lies within the table's box, so the text of every cell is the same."""
    x0, top, x1, bottom = table.bbox
    inside = [c for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 < x1 and top <= (c["top"] + c["bottom"]) / 2 < bottom]
    return Table(_TableChars(inside), table.cells).extract()


def _page_layer(page: pypdfium2.PdfPage) -> _PageLayer:
    height, width = page.get_height(), page.get_width()
    edges, pictures = _edges_and_pictures(page, height)
    return _PageLayer(height, width, _chars(page, height), edges, pictures)


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
        words = [[line[0]]]
        for prev, ch in zip(line, line[1:]):
            gap = ch["x0"] - prev["x1"]
            size = max(ch["size"], 1.0)
            text += ("  " if gap > _CELL_GAP * size else " " if gap > _WORD_GAP * size else "") + ch["text"]
            if gap > _WORD_GAP * size:
                words.append([ch])
            else:
                words[-1].append(ch)
        items.append(
            _Item(min(c["top"] for c in line), max(c["bottom"] for c in line), text,
                  right=line[-1]["x1"], size=max(c["size"] for c in line),
                  words=tuple(_Word(w[0]["x0"], w[-1]["x1"], "".join(c["text"] for c in w),
                                    min(c["top"] for c in w), max(c["bottom"] for c in w)) for w in words))
        )
    return items


def _cell_text(text: str | None) -> str | None:
    return None if text is None else cjk_join(text.split())


def _line(x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0,
            "height": bottom - top, "pts": [(x0, top), (x1, bottom)]}


def _closing_lines(page: _PageLayer) -> tuple[list[dict], list[dict]]:
    """Rules that close a table cut by a page break, (horizontal, vertical). A writer draws no
    border where the page cuts a cell (a row split in two, or a merged label such as
    三、本年度办理结果 running on), so the ruling lines of the table stop at the page's top or bottom
    with nothing across them, and the cut cells would fall out of the table as loose text. Where the
    page's highest tops or lowest bottoms of two or more vertical rules leave them unjoined, a rule
    across them is added; below a cut cell whose text runs past where its rules stop (a browser
    lays out a merged cell's text over its whole height and the page cuts it), the cell is extended
    over that text."""
    verticals = [e for e in page.edges if e["orientation"] == "v" and e["height"] >= 1]
    horizontals = [e for e in page.edges if e["orientation"] == "h" and e["width"] >= 1]
    if len(verticals) < 2:
        return [], []
    across, down = [], []
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
            spill = [c["bottom"] for c in page.chars if end == "bottom" and a < (c["x0"] + c["x1"]) / 2 < b
                     and c["top"] < y < c["bottom"]]
            if spill:
                low = max(spill) + 0.5
                across.append(_line(a, low, b, low))
                down += [_line(a, y, a, low), _line(b, y, b, low)]
            else:
                across.append(_line(a, y, b, y))
    return across, down


def _read_page(page: _PageLayer, number: int) -> _Page:
    across, down = _closing_lines(page)
    settings = {"explicit_horizontal_lines": across, "explicit_vertical_lines": down} if across else {}
    tables = [t for t in page.find_tables(settings) if len(t.rows) >= 2 and len(t.rows[0].cells) >= 2]
    items: list[_Item] = []
    for index, table in enumerate(tables):
        for row, texts in zip(table.rows, _extract(table, page.chars)):
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


def _figures(item: _Item, registry: Registry) -> int:
    """How many figures end this text line (a row of a table without rules prints its figures
    apart: 85  6  0  1  2  0  94); 0 when fewer than two."""
    n = 0
    for word in reversed(item.words):
        if not is_value(word.text, registry):
            break
        n += 1
    return n if n >= 2 else 0


def _columns(rows: list[tuple[_Item, int]], size: float) -> list[tuple[float, float]] | None:
    """The figure columns of a table without rules: the horizontal extents of its figures, merged
    where they overlap (the figures of one column overlap whatever their alignment; those of two
    columns never do). None when a row puts two figures in one column."""
    spans = sorted((w.x0, w.x1) for item, n in rows for w in item.words[-n:])
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1][1] + 0.2 * size:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    for item, n in rows:
        hit = [next(i for i, (a, b) in enumerate(columns) if a <= (w.x0 + w.x1) / 2 <= b) for w in item.words[-n:]]
        if len(set(hit)) != len(hit):
            return None
    return [(a, b) for a, b in columns]


def _apart(item: _Item, n: int, size: float) -> bool:
    """Whether the last `n` words of the line stand a cell gap apart."""
    figures = item.words[-n:]
    return all(b.x0 - a.x1 > _CELL_GAP * size for a, b in zip(figures, figures[1:]))


def _heading(content: list[_Item], first: _Item, edge: float, size: float, registry: Registry) -> list[_Item]:
    """The heading rows of a table without rules: the lines right above its first row that reach
    over its figures (column headings such as 结果维持 结果纠正 …), up to a line that does not."""
    above = sorted((it for it in content if it.bottom <= first.top and not _figures(it, registry)), key=lambda it: -it.top)
    heading: list[_Item] = []
    top = first.top
    for line in above:
        if top - line.bottom > 2 * size or line.right < edge:
            break
        heading.append(line)
        top = line.top
    return heading[::-1]


def _column_of(word: _Word, columns: list[tuple[float, float]]) -> int | None:
    """The column a word lies in: the one its middle falls in, if it overlaps no other."""
    hits = [i for i, (a, b) in enumerate(columns) if word.x0 <= b and a <= word.x1]
    middle = (word.x0 + word.x1) / 2
    return hits[0] if len(hits) == 1 and columns[hits[0]][0] - 1 <= middle <= columns[hits[0]][1] + 1 else (
        hits[0] if len(hits) == 1 else None)


def _with_heading_columns(columns, heading: list[_Item], edge: float, size: float) -> list[tuple[float, float]]:
    """The figure columns and those that only the headings show: a column left empty in every row
    (社会公益组织 with no request all year) has a heading over it and no figure under it."""
    extra: list[list[float]] = []
    for line in heading:
        for w in line.words:
            if w.x0 >= edge - size and not any(w.x0 <= b and a <= w.x1 for a, b in columns):
                span = next((e for e in extra if w.x0 <= e[1] and e[0] <= w.x1), None)
                if span:
                    span[0], span[1] = min(span[0], w.x0), max(span[1], w.x1)
                else:
                    extra.append([w.x0, w.x1])
    return sorted(columns + [(a, b) for a, b in extra])


def _heading_cells(line: _Item, columns: list[tuple[float, float]]) -> list[list]:
    """A heading line cut into cells ([x0, x1, text, top, bottom]): where the words change column, and
    at cell gaps."""
    cells: list[list[_Word]] = []
    previous = None
    for w in line.words:
        column = _column_of(w, columns)
        if cells and w.x0 - cells[-1][-1].x1 <= _CELL_GAP * line.size and (column is None or column == previous):
            cells[-1].append(w)
        else:
            cells.append([w])
        previous = column
    return [[c[0].x0, c[-1].x1, cjk_join([x.text for x in c]), min(x.top for x in c), max(x.bottom for x in c)]
            for c in cells]


def _label_cells(pieces: list[_Item]) -> list[list]:
    """Label pieces as cells ([x0, x1, texts]): pieces that overlap (the lines of a wrapped label,
    whatever their alignment in the cell) are one cell, its texts top to bottom; cells in order from
    left to right."""
    cells: list[list] = []  # [x0, x1, texts]
    for piece in sorted(pieces, key=lambda it: it.top):
        x0, x1 = piece.words[0].x0, piece.right
        cell = next((c for c in cells if c[0] <= x1 and x0 <= c[1]), None)
        if cell:
            cell[0], cell[1] = min(cell[0], x0), max(cell[1], x1)
            cell[2].append(piece.text)
        else:
            cells.append([x0, x1, [piece.text]])
    return sorted(cells, key=lambda c: c[0])


@dataclass
class _RunningTable:
    """A table without rules that ends its page: what the next page needs to carry it on."""

    columns: list[tuple[float, float]]
    heading: set[str]  # the texts above its first row, which the next page may repeat
    last: _Item  # its last row
    labels: list[list]  # that row's label cells ([x0, x1, texts])
    figures: list[str]


def _unruled_tables(pages: list[_Page], registry: Registry) -> None:
    """Tables printed without rules read as text lines: rows whose figures stand apart in columns.
    Consecutive such rows, with nothing between them but short lines left of their figures (a label
    wrapped onto the lines above and below its figures, a group label such as （三）不予公开 set
    between rows), become a table: each row's label pieces join into its label cells, and each
    figure goes to its column, found from where the figures of every row stand and from the column
    headings over them, so that a column left empty reads as an empty cell instead of shifting the
    figures after it. A table that runs on at the top of the next page keeps its columns; the
    headings the page repeats are dropped, and a label line cut off by the page break (物 of
    3.要求提供公开出版物) goes back to its row."""
    carried: _RunningTable | None = None
    for page in pages:
        content = [it for it in _content(page) if it.cells is None]
        rows = [(it, n) for it in content if (n := _figures(it, registry))]
        blocks: list[list[tuple[_Item, int]]] = []
        for item, n in rows:
            if blocks:
                last, last_n = blocks[-1][-1]
                edge = min(last.words[-last_n].x0, item.words[-n].x0)
                between = [it for it in content if last.bottom <= it.top and it.bottom <= item.top]
                if item.top - last.bottom <= _ROW_GAP * item.size and all(it.right < edge for it in between):
                    blocks[-1].append((item, n))
                    continue
            blocks.append([(item, n)])
        runs_on, carried = carried, None
        for number, block in enumerate(blocks):
            size = max(item.size for item, _ in block)
            if len(block) == 1 and not _apart(block[0][0], block[0][1], size):
                continue  # a single line ending in two numbers is a table row only if they stand apart
            if not (columns := _columns(block, size)):
                continue
            edge = min(item.words[-n].x0 for item, n in block)
            first, last = block[0][0], block[-1][0]
            before = [it for it in content if it.bottom <= first.top]
            if number == 0 and runs_on and _within(columns, runs_on.columns) and _carry_on(runs_on, before, edge):
                columns, heading = runs_on.columns, []
            else:
                heading = _heading(content, first, edge, size, registry)
                if heading:
                    columns = _with_heading_columns(columns, heading[-1:], edge, size)
            placed = [_place(item.words[-n:], columns) for item, n in block]
            if any(p is None for p in placed):
                continue
            _read_heading(heading, columns, 1000 + number, size)
            labels = _row_labels(block, content, edge, size, registry)
            for (item, n), figures, label_cells in zip(block, placed, labels):
                item.cells, item.table = [cjk_join(c[2]) for c in label_cells] + figures, 1000 + number
            if last is next((it for it in reversed(content) if not it.furniture), None):
                texts = {_furniture_key(it.text) for it in before[-15:]}
                carried = _RunningTable(columns, texts, last, labels[-1], placed[-1])


def _carry_on(running: _RunningTable, before: list[_Item], edge: float) -> bool:
    """Whether the lines above a page's first rows are only what the table that ended the previous
    page leads to: its headings repeated, and the rest of its last row's label cut off by the page
    break. If so they are read that way (the headings dropped, the label completed)."""
    repeated = [it for it in before if _furniture_key(it.text) in running.heading]
    rest = [it for it in before if it not in repeated]
    cut = []
    for it in rest:
        cell = next((c for c in running.labels if c[0] <= it.right and it.words[0].x0 <= c[1]), None)
        if it.right >= edge or cell is None:
            return False
        cut.append((it, cell))
    for it in repeated:
        it.furniture = True
    for it, cell in cut:
        cell[2].append(it.text)
        it.furniture = True
    running.last.cells = [cjk_join(c[2]) for c in running.labels] + running.figures
    return True


def _within(columns: list[tuple[float, float]], wider: list[tuple[float, float]]) -> bool:
    """Whether every column lies in exactly one of `wider`'s, each in a different one."""
    hits = [[i for i, (a, b) in enumerate(wider) if x0 <= b and a <= x1] for x0, x1 in columns]
    return all(len(h) == 1 for h in hits) and len({h[0] for h in hits}) == len(hits)


def _place(figures: tuple[_Word, ...], columns: list[tuple[float, float]]) -> list[str] | None:
    """The row's figure cells: each figure in the column its middle falls in, "" in the others;
    None when a figure falls in no column or two in one."""
    cells: list[str | None] = [None] * len(columns)
    for w in figures:
        middle = (w.x0 + w.x1) / 2
        i = next((i for i, (a, b) in enumerate(columns) if a - 1 <= middle <= b + 1), None)
        if i is None or cells[i] is not None:
            return None
        cells[i] = w.text
    return ["" if c is None else c for c in cells]


def _read_heading(heading: list[_Item], columns: list[tuple[float, float]], table: int, size: float) -> None:
    """The heading lines as rows of cells. A heading wrapped in its cell (结果维 / 持, or 自 / 然 / 人 one
    character a line in a narrow column) continues on the lines below: a cell right under a heading
    cell it overlaps, as close as the lines of the headings stand, joins it."""
    lines = [(line, _heading_cells(line, columns)) for line in heading]
    cells = [c for _, cs in lines for c in cs]
    gaps = [g for a in cells for b in cells if a is not b and a[0] <= b[1] and b[0] <= a[1]
            and 0 <= (g := b[3] - a[4]) < 2 * size]
    reach = (min(gaps) if gaps else 0.0) + 0.2 * size
    kept: list[tuple[_Item, list[list]]] = []
    for line, line_cells in lines:
        own = []
        targets = []
        for cell in line_cells:
            above = [c for _, cs in kept for c in cs if c[0] <= cell[1] and cell[0] <= c[1] and 0 <= cell[3] - c[4] <= reach]
            targets.append(max(above, key=lambda c: c[4]) if above else None)
        for cell, target in zip(line_cells, targets):
            # Several cells under one heading are its sub-headings (法人或其他组织 over 商业企业 …).
            if target is not None and sum(t is target for t in targets) == 1:
                target[2] = cjk_join([target[2], cell[2]])
                target[0], target[1], target[4] = min(target[0], cell[0]), max(target[1], cell[1]), cell[4]
            else:
                own.append(cell)
        if own:
            kept.append((line, own))
        else:
            line.furniture = True  # read with the heading cells it continues
    for line, own in kept:
        line.cells, line.table = [c[2] for c in own], table
    for line, _ in lines:
        if line.furniture:
            line.cells = None


def _parts(item: _Item, words: tuple[_Word, ...]) -> list[_Item]:
    """The cells of a line's label text: its words cut at cell gaps."""
    parts: list[list[_Word]] = []
    for word in words:
        if parts and word.x0 - parts[-1][-1].x1 <= _CELL_GAP * item.size:
            parts[-1].append(word)
        else:
            parts.append([word])
    return [_Item(min(w.top for w in part), max(w.bottom for w in part), " ".join(w.text for w in part),
                  right=part[-1].x1, size=item.size, words=tuple(part)) for part in parts]


def _under(upper: _Item, lower: _Item) -> float | None:
    """How far `lower` starts under `upper` when they overlap horizontally; None otherwise."""
    if upper.words[0].x0 <= lower.right and lower.words[0].x0 <= upper.right and lower.top >= upper.bottom:
        return lower.top - upper.bottom
    return None


def _row_labels(block, content: list[_Item], edge: float, size: float, registry: Registry) -> list[list[list]]:
    """The label cells of each row of the block. Label pieces are the cells of the label text on
    the row's own line and the words of the lines left of the figures, between the rows or right
    under the last. A piece right under a label piece it overlaps, as close as the lines of a
    wrapped label stand (the smallest such gap in the table, give or take a fifth of a character),
    continues that label; any other goes with the row whose figures are nearest. The last label
    piece on a row's own line always starts that row's label."""
    first, last = block[0][0], block[-1][0]
    lines = [it for it in content if it.right < edge and first.top <= it.top and not _figures(it, registry)]
    # Under the last row: the lines that follow on from it, each within a line of the one above.
    bottom = last.bottom
    for it in sorted((it for it in lines if it.top >= last.bottom), key=lambda it: it.top):
        if it.top - bottom > 1.5 * size or _SECTION_HEADING.match(it.text):
            break  # (the next section's heading can follow a table as closely as a wrapped label)
        bottom = it.bottom
    lines = [it for it in lines if it.top < last.bottom or it.bottom <= bottom]
    own = [_parts(item, item.words[:-n]) for item, n in block]
    # Word by word: the pieces of two cells can stand closer than a cell gap (办理结果 （二）部分公开…).
    loose = [_Item(w.top, w.bottom, w.text, right=w.x1, size=line.size, words=(w,)) for line in lines for w in line.words]
    pieces = [x for parts in own for x in parts] + loose
    gaps = [g for a in pieces for b in pieces if a is not b and (g := _under(a, b)) is not None and g < 2 * size]
    reach = (min(gaps) if gaps else 0.0) + 0.2 * size
    assigned: list[list[_Item]] = [parts[-1:] for parts in own]
    movable = sorted([(r, x) for r, parts in enumerate(own) for x in parts[:-1]] + [(None, x) for x in loose],
                     key=lambda rx: rx[1].top)
    for line in lines:
        line.furniture = True  # read with its row
    for home, piece in movable:
        above = [(r, x) for r, xs in enumerate(assigned) for x in xs
                 if (g := _under(x, piece)) is not None and g <= reach]
        if above:
            row = max(above, key=lambda rx: rx[1].bottom)[0]
        elif home is not None:
            row = home
        else:
            middle = (piece.top + piece.bottom) / 2
            row = min(range(len(block)), key=lambda r: abs((block[r][0].top + block[r][0].bottom) / 2 - middle))
        assigned[row].append(piece)
    return [_label_cells(pieces) for pieces in assigned]


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


def _number(pages: list[_Page], registry: Registry) -> tuple[list[Token], list[tuple[int, str]], frozenset[int]]:
    """(tokens, line records, the lines not read)."""
    tokens: list[Token] = []
    records: list[tuple[int, str]] = []
    unread: set[int] = set()
    for page in pages:
        base = page.number * LINES_PER_PAGE
        for n, item in enumerate(page.items, start=1):
            line = base + min(n, LINES_PER_PAGE - 1)
            if item.cells is None:
                records.append((line, item.text))
                text = item.text if item.flowed is None else item.flowed
                if item.furniture:
                    unread.add(line)
                elif text:
                    tokens.extend(tokenize_line(text, line, registry))
            elif not item.furniture:
                row_tokens, row_records = grid_tokens(
                    [[None if t is None else GridCell(t, line) for t in item.cells]], registry
                )
                tokens.extend(row_tokens)
                records.extend(row_records)
    return tokens, records, frozenset(unread)


def read(data: bytes, registry: Registry) -> Document:
    problems: list[str] = []
    pages: list[_Page] = []
    pdf = _open(data)
    try:
        if not len(pdf):
            raise UnreadableDocument("PDF without pages")
        textless = []
        pictures = glyph_codes = characters = 0
        for number in range(1, len(pdf) + 1):
            page = None
            try:
                page = pdf[number - 1]
                layer = _page_layer(page)
                shown = [c["text"] for c in layer.chars if c["text"].strip()]
                if not shown:
                    textless.append(number)
                    continue
                pages.append(_read_page(layer, number))
                pictures += layer.pictures
                glyph_codes += sum(t.startswith("(cid:") for t in shown)
                characters += len(shown)
            except Exception as exc:  # one damaged page must not lose the others
                problems.append(f"page {number} cannot be read: {type(exc).__name__}: {exc}")
            finally:
                if page is not None:
                    page.close()
    finally:
        pdf.close()
    if not pages and not textless:
        raise UnreadableDocument("PDF pages cannot be read: " + "; ".join(problems))
    if not pages:
        raise UnreadableDocument(
            f"PDF without a text layer (a scan, {len(textless)} page{'s' * (len(textless) != 1)} of images): run OCR first"
        )
    if textless:
        problems.append(f"page{'s' * (len(textless) > 1)} {', '.join(map(str, textless))} without a text layer (scanned)")
    if glyph_codes and glyph_codes >= _UNDECODED_SHARE * characters:
        raise UnreadableDocument(
            f"PDF text layer does not decode: {glyph_codes} of its {characters} characters are glyph codes (cid:…) "
            "of fonts without a character map (ToUnicode); run OCR first"
        )
    if glyph_codes:
        problems.append(f"{glyph_codes} characters are glyph codes (cid:…) of fonts without a character map")
    _mark_furniture(pages)
    _unruled_tables(pages, registry)
    _join_tables(pages, registry)
    _join_wrapped(pages)
    tokens, records, unread = _number(pages, registry)
    return Document("pdf", None, lines_by_number(records), tokens, problems, pictures=pictures, unread_lines=unread)
