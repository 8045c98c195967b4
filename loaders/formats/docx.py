"""DOCX (Word 2007 and later, WPS in DOCX form): paragraphs and tables in document order.

Opened with python-docx (its XML parser resolves no entities and keeps libxml2's depth limit).
The body is walked in order, content controls (`w:sdt`) included; headers, footers and comments
are not report content and are not read. Tables follow the grid model (see `grid`): python-docx
lists a merged cell at every grid position it covers (`gridSpan` across, `vMerge` down), so a
position whose cell was already seen is a covered position. A table holding tables is page layout
and its cells are read as paragraphs.

Text comes from the runs as Word shows them: tracked insertions count, deletions and field codes
do not, tabs and manual line breaks are kept. A paragraph is read like a line of a text copy (so
"规章\t0\t0\t2" is a row, and an empty paragraph an empty line).

`line` is the ordinal of the body block in document order: every paragraph and every table row
counts one, so line 57 is the 57th paragraph-or-row, as Word's plain-text export lays them out.
"""
from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn
from docx.table import Table

from loaders.formats import Document, UnreadableDocument, lines_by_number
from loaders.formats.grid import Grid, GridCell, cjk_join, grid_tokens
from loaders.registry import Registry
from loaders.tokens import Token, tokenize_line

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_TC, _TR = qn("w:tc"), qn("w:tr")
_TEXT = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}


def paragraph_text(p) -> str:
    """The text of a `w:p` as displayed: deleted text (`w:delText`) and field codes (`w:instrText`)
    are other elements and are skipped."""
    parts = []
    for el in p.iter(*_TEXT):
        fixed = _TEXT[el.tag]
        parts.append(el.text or "" if fixed is None else fixed)
    return "".join(parts)


def _blocks(container):
    """The paragraphs and tables of a body or cell, in order, looking inside content controls."""
    for child in container.iterchildren():
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _blocks(content)


def _is_layout(tbl) -> bool:
    return next(tbl.iterdescendants(_TBL), None) is not None


class _Reader:
    def __init__(self, registry: Registry):
        self.registry = registry
        self.tokens: list[Token] = []
        self.records: list[tuple[int, str]] = []
        self.line = 0

    def paragraph(self, p) -> None:
        self.line += 1
        pieces = paragraph_text(p).split("\n")
        for piece in pieces:
            self.tokens.extend(tokenize_line(piece, self.line, self.registry))
        self.records.append((self.line, " | ".join(x.strip() for x in pieces if x.strip())))

    def table(self, tbl, parent) -> None:
        if _is_layout(tbl):
            for tr in tbl.iter(_TR):
                for tc in tr.iterchildren(_TC):
                    self.read(tc, parent)
            return
        table = Table(tbl, parent)
        seen: set = set()
        grid: Grid = []
        for row in table.rows:
            self.line += 1
            cells: list[GridCell | None] = []
            for cell in row.cells:
                if cell._tc in seen:
                    cells.append(None)  # covered by a merged cell printed before
                    continue
                seen.add(cell._tc)
                text = cjk_join([paragraph_text(p) for p in cell._tc.iter(_P)])
                cells.append(GridCell(text, self.line))
            grid.append(cells)
        tokens, records = grid_tokens(grid, self.registry)
        self.tokens.extend(tokens)
        self.records.extend(records)

    def read(self, container, parent) -> None:
        for block in _blocks(container):
            if block.tag == _P:
                self.paragraph(block)
            else:
                self.table(block, parent)


def read(data: bytes, registry: Registry) -> Document:
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds (zip, package, XML): all mean the same
        raise UnreadableDocument(f"DOCX cannot be opened: {type(exc).__name__}: {exc}") from exc
    reader = _Reader(registry)
    reader.read(document.element.body, document._body)
    return Document("docx", None, lines_by_number(reader.records), reader.tokens)
