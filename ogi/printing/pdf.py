"""Reports as PDF, the way an office prints one from its word processor: A4 pages, the text in
Adobe's predefined Chinese font (STSong-Light, UniGB-UTF16-H: readers need no embedded font and any
PDF reader with the Adobe CJK support draws it), paragraphs wrapped at the margins, tables with a rule
around every cell (merged cells drawn as one), labels wrapped inside their cells. A table that does
not fit on what is left of a page starts a new one.

Also the PDFs that carry no text: a scanned page, an image and nothing else.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

from ogi.printing.grid import Block, Grid, placed, width

A4 = (595.28, 841.89)
FONT = b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H /DescendantFonts [%d 0 R] >>"
# Adobe-GB1 CIDs 1-95 are the proportional ASCII characters, half an em wide; the rest one em.
CID_FONT = (b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) "
            b"/Ordering (GB1) /Supplement 4 >> /FontDescriptor %d 0 R /DW 1000 /W [1 95 500] >>")
FONT_DESCRIPTOR = (b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
                   b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
# Runs that a line break must not cut: figures, amounts, dates, words in Latin letters.
_UNBREAKABLE = re.compile(r"[0-9A-Za-z.+\-%/:]+|.", re.S)
_FIGURE = re.compile(r"^[+\-]?[0-9.,]+(万元|元|亿|%)?$")


@dataclass(frozen=True)
class Style:
    page: tuple[float, float] = A4
    margin: float = 56.0
    body_size: float = 10.5
    title_size: float = 16.0
    table_size: float = 7.5
    leading: float = 1.6  # line height, as a multiple of the type size
    padding: float = 2.5  # inside a cell
    paragraph_gap: float = 4.0


def text_width(text: str, size: float) -> float:
    return sum(0.5 if " " <= ch <= "~" else 1.0 for ch in text) * size


def wrap(text: str, size: float, room: float) -> list[str]:
    """Lines of at most `room` points, broken between characters but never inside a figure."""
    lines, line = [], ""
    for token in _UNBREAKABLE.findall(text):
        if line and text_width(line + token, size) > room:
            lines.append(line)
            line = token.lstrip() if token.isspace() else token
        else:
            line += token
    return lines + [line] if line or not lines else lines


@dataclass
class _Page:
    ops: list[str] = field(default_factory=list)


class _Writer:
    def __init__(self, style: Style):
        self.style = style
        self.pages: list[_Page] = []
        self.y = 0.0
        self.new_page()

    @property
    def room(self) -> float:
        return self.style.page[0] - 2 * self.style.margin

    def new_page(self) -> None:
        self.pages.append(_Page())
        self.y = self.style.page[1] - self.style.margin

    def text(self, x: float, y: float, text: str, size: float) -> None:
        if text:
            self.pages[-1].ops.append(f"BT /F1 {size:g} Tf {x:.2f} {y:.2f} Td <{text.encode('utf-16-be').hex()}> Tj ET")

    def rule_box(self, x: float, y: float, w: float, h: float) -> None:
        self.pages[-1].ops.append(f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re S")

    def paragraph(self, text: str, size: float, centred: bool = False) -> None:
        step = size * self.style.leading
        for line in wrap(text, size, self.room):
            if self.y - step < self.style.margin:
                self.new_page()
            self.y -= step
            x = self.style.margin + ((self.room - text_width(line, size)) / 2 if centred else 0)
            self.text(x, self.y + (step - size) / 2, line, size)
        self.y -= self.style.paragraph_gap

    def table(self, grid: Grid) -> None:
        size, pad = self.style.table_size, self.style.padding
        cells = placed(grid)
        columns = _column_widths(cells, width(grid), size, pad, self.room)
        left = [self.style.margin + sum(columns[:c]) for c in range(len(columns) + 1)]
        step = size * self.style.leading
        heights = [0.0] * len(grid)
        lines = {}
        for r, c, cell in sorted(cells, key=lambda rc: rc[2].rowspan):
            room = left[c + cell.colspan] - left[c] - 2 * pad
            lines[r, c] = wrap(cell.text, size, room) if cell.text else []
            need = max(1, len(lines[r, c])) * step + 2 * pad
            spanned = range(r, r + cell.rowspan)
            have = sum(max(heights[i], step + 2 * pad) for i in spanned)
            for i in spanned:
                heights[i] = max(heights[i], step + 2 * pad)
            if need > have:
                heights[r + cell.rowspan - 1] += need - have
        if sum(heights) > self.y - self.style.margin and self.y < self.style.page[1] - self.style.margin:
            self.new_page()
        top = [self.y - sum(heights[:r]) for r in range(len(grid) + 1)]
        for r, c, cell in cells:
            x, y_top = left[c], top[r]
            w, h = left[c + cell.colspan] - x, y_top - top[r + cell.rowspan]
            self.rule_box(x, y_top - h, w, h)
            text = lines[r, c]
            first = y_top - (h - len(text) * step) / 2
            for k, line in enumerate(text):
                centred = bool(_FIGURE.match(line)) or cell.colspan > 1 or len(text) == 1 and text_width(line, size) < w / 2
                tx = x + (w - text_width(line, size)) / 2 if centred else x + pad
                self.text(tx, first - (k + 1) * step + (step - size) / 2, line, size)
        self.y = top[-1] - self.style.paragraph_gap


def _column_widths(cells, columns: int, size: float, pad: float, room: float) -> list[float]:
    """Each column as wide as its widest one-column cell, within a share of the page; then all
    scaled to the width of the page."""
    natural = [2 * pad + size] * columns
    for _, c, cell in cells:
        if cell.colspan == 1:
            natural[c] = max(natural[c], min(text_width(cell.text, size) + 2 * pad, room * 0.45))
    total = sum(natural)
    return [w * room / total for w in natural]


def pdf(blocks: list[Block], style: Style = Style()) -> bytes:
    """The report on A4 pages. Raises ValueError on a character the font has no glyph for."""
    writer = _Writer(style)
    for kind, content in blocks:
        if kind == "grid":
            writer.table(content)
        elif kind == "title":
            writer.paragraph(content, style.title_size, centred=True)
        else:
            writer.paragraph(content, style.body_size)
    _check_glyphs(blocks)
    return _assemble(writer.pages, style.page)


def _check_glyphs(blocks: list[Block]) -> None:
    from pdfminer.cmapdb import CMapDB

    cmap = CMapDB.get_cmap("UniGB-UTF16-H")
    texts = [c.text for kind, content in blocks if kind == "grid" for row in content for c in row]
    texts += [content for kind, content in blocks if kind != "grid"]
    for ch in set("".join(texts)):
        if not list(cmap.decode(ch.encode("utf-16-be"))):
            raise ValueError(f"the PDF font has no glyph for {ch!r}")


def _assemble(pages: list[_Page], size: tuple[float, float]) -> bytes:
    # 1 catalog, 2 pages, 3 font, 4 CID font, 5 descriptor, 6 info, then a page and its content each.
    kids = " ".join(f"{7 + 2 * i} 0 R" for i in range(len(pages))).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)),
        FONT % 4,
        CID_FONT % 5,
        FONT_DESCRIPTOR,
        b"<< /Producer (ogi.printing) /CreationDate (D:20220120000000Z) >>",
    ]
    for i, page in enumerate(pages):
        content = zlib.compress(("0.5 w\n" + "\n".join(page.ops)).encode("ascii"))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /Font << /F1 3 0 R >> >> "
                       b"/Contents %d 0 R >>" % (size[0], size[1], 8 + 2 * i))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream")
    return assemble(objects, b"/Info 6 0 R ")


def assemble(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF of these objects (numbered from 1, the first the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def scanned_pdf() -> bytes:
    """One page holding only an image: a scan without a text layer."""
    pixels = bytes(range(0, 256, 16)) * 4
    content = b"q 612 0 0 792 0 0 cm /Im0 Do Q"
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length %d >>\nstream\n"
        % len(pixels) + pixels + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ])
