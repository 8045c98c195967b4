"""DOCX (Word 2007 and later, WPS in DOCX form): paragraphs and tables in document order.

The package is opened as a ZIP and its main document part (found through the package's
relationships, as Word finds it) parsed with lxml as python-docx parses it (no entities resolved,
libxml2's depth limit kept, ignorable blank text dropped); python-docx's document model is not
built, since only the XML is walked. The body is walked in order, content controls (`w:sdt`) included; headers, footers and comments
are not report content and are not read. Tables follow the grid model (see `grid`), read straight
from the XML (python-docx's `row.cells` looks every merged cell up again from the top of the table,
which made wide tables the slowest part of a load): a cell spanning `gridSpan` columns covers the
positions after it, and a `vMerge` continuation covers its position under the cell it continues. A
table holding tables, or a single cell framing the text, is page layout and its cells are read as
paragraphs.

Text comes from the runs as Word shows them: tracked insertions count, deletions and field codes
do not, tabs and manual line breaks are kept. A paragraph is read like a line of a text copy (so
"规章\t0\t0\t2" is a row, and an empty paragraph an empty line).

`line` is the ordinal of the body block in document order: every paragraph and every table row
counts one, so line 57 is the 57th paragraph-or-row, as Word's plain-text export lays them out.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from collections import defaultdict

from docx.oxml.ns import nsmap, qn
from lxml import etree

from loaders.formats import Document, UnreadableDocument, lines_by_number
from loaders.formats.grid import Grid, GridBudget, GridCell, cjk_join, grid_tokens
from loaders.registry import Registry
from loaders.tokens import Token, tokenize_line

_P, _TBL, _SDT, _SDT_CONTENT = qn("w:p"), qn("w:tbl"), qn("w:sdt"), qn("w:sdtContent")
_TC, _TR = qn("w:tc"), qn("w:tr")
_DRAWING, _PICT = qn("w:drawing"), qn("w:pict")
_TR_PR, _GRID_SPAN, _GRID_BEFORE, _V_MERGE, _VAL = (
    qn("w:trPr"), qn("w:gridSpan"), qn("w:gridBefore"), qn("w:vMerge"), qn("w:val"))
_WRAPPERS = (_SDT, _SDT_CONTENT, qn("w:customXml"))
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OVERRIDE = "{http://schemas.openxmlformats.org/package/2006/content-types}Override"
_DEFAULT = "{http://schemas.openxmlformats.org/package/2006/content-types}Default"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_DOCUMENT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# Strict Open XML (ISO 29500 Strict) names the same elements in other namespaces; python-docx reads
# the transitional ones, and so does this reader: a Strict document is read with its namespaces renamed.
_STRICT_TO_TRANSITIONAL = (
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main", b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships", b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
)
# The first w:gridSpan and w:vMerge of each cell's first w:tcPr, as `find` would take them.
_MERGES = etree.XPath(
    "descendant::w:tc/w:tcPr[1]/w:gridSpan[1] | descendant::w:tc/w:tcPr[1]/w:vMerge[1]",
    namespaces={"w": nsmap["w"]})
# Every cell of a table, each followed by the paragraphs it holds (in document order).
_CELLS_AND_PARAGRAPHS = etree.XPath("descendant::w:tc | descendant::w:tc//w:p", namespaces={"w": nsmap["w"]})
_TEXT = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}


def paragraph_texts(tree) -> dict:
    """{w:p: its text as displayed} for the paragraphs in `tree` (itself included), from one pass over
    the text elements (fewer than the paragraphs: a table's empty cells hold an empty paragraph each);
    a paragraph without text reads as "". Each piece counts in every paragraph that holds it: the
    text of a paragraph inside another (in a text box) is in both. Deleted text (`w:delText`) and
    field codes (`w:instrText`) are other elements and are skipped."""
    parts: defaultdict = defaultdict(list)
    for el in tree.iter(*_TEXT):
        fixed = _TEXT[el.tag]
        piece = el.text or "" if fixed is None else fixed
        for paragraph in el.iterancestors(_P):
            parts[paragraph].append(piece)
    return defaultdict(str, {paragraph: "".join(pieces) for paragraph, pieces in parts.items()})


def paragraph_text(p) -> str:
    """The text of one `w:p` as displayed (see `paragraph_texts`)."""
    return paragraph_texts(p)[p]


def _children(container, *tags):
    """Children of `container` with these tags, in order, looking inside content controls and
    custom XML wrappers."""
    for child in container.iterchildren():
        if child.tag in tags:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, *tags)


def _blocks(container):
    """The paragraphs and tables of a body or cell, in order."""
    return _children(container, _P, _TBL)


def _number(element, default: int) -> int:
    """An integer property such as `w:gridSpan w:val="3"`; `default` when absent or malformed."""
    value = element.get(_VAL) if element is not None else None
    return int(value) if value and value.isdigit() and 0 <= int(value) < 1000 else default


def _merge_properties(tbl) -> dict:
    """{tc: {w:gridSpan or w:vMerge: element}} for the cells of a table that have either: one query
    for the table instead of three lookups for every cell (most cells have neither)."""
    found: dict = {}
    for element in _MERGES(tbl):
        found.setdefault(element.getparent().getparent(), {})[element.tag] = element
    return found


def _cell_paragraphs(tbl, texts: dict) -> dict:
    """{tc: the texts of its paragraphs, in order} for the cells of a table that holds no table: one
    query for the table instead of a walk of every cell. Cells do not nest, so a paragraph is in
    the cell listed last before it."""
    found: dict = {}
    for element in _CELLS_AND_PARAGRAPHS(tbl):
        if element.tag == _TC:
            paragraphs = found[element] = []
        else:
            paragraphs.append(texts[element])
    return found


def _row_layout(tr, covered_above: set[int], merges: dict):
    """(grid offset, tc, span, is_continuation) of each cell of a `w:tr`; `merges` from `_merge_properties`."""
    row_properties = tr.find(_TR_PR)
    offset = _number(row_properties.find(_GRID_BEFORE) if row_properties is not None else None, 0)
    for tc in _children(tr, _TC):
        properties = merges.get(tc)
        if properties is None:
            yield offset, tc, 1, False
            offset += 1
            continue
        span = max(1, _number(properties.get(_GRID_SPAN), 1))
        merge = properties.get(_V_MERGE)
        # `<w:vMerge/>` (no value) continues the cell above; a continuation with nothing above it
        # (a malformed table) is read as a cell of its own.
        continues = merge is not None and merge.get(_VAL, "continue") == "continue" and offset in covered_above
        yield offset, tc, span, continues
        offset += span


def _is_layout(tbl) -> bool:
    """A table that lays out the page rather than holding figures: one that holds tables, or a
    single cell framing the text (a copy of a web page's layout)."""
    if next(tbl.iterdescendants(_TBL), None) is not None:
        return True
    rows = list(_children(tbl, _TR))
    return len(rows) == 1 and len(list(_children(rows[0], _TC))) == 1


class _Reader:
    def __init__(self, registry: Registry, texts: dict):
        self.registry = registry
        self.texts = texts  # from paragraph_texts(body): every paragraph's text, found in one walk
        self.tokens: list[Token] = []
        self.records: list[tuple[int, str]] = []
        self.line = 0
        self.problems: list[str] = []

    def paragraph(self, p) -> None:
        self.line += 1
        pieces = self.texts[p].split("\n")
        for piece in pieces:
            self.tokens.extend(tokenize_line(piece, self.line, self.registry))
        self.records.append((self.line, " | ".join(x.strip() for x in pieces if x.strip())))

    def table(self, tbl) -> None:
        if _is_layout(tbl):
            for tr in tbl.iter(_TR):
                for tc in tr.iterchildren(_TC):
                    self.read(tc)
            return
        grid: Grid = []
        merges = _merge_properties(tbl)
        paragraphs = _cell_paragraphs(tbl, self.texts)
        covered_above: set[int] = set()
        budget = GridBudget()
        first_line = self.line + 1
        for tr in _children(tbl, _TR):
            self.line += 1
            cells: list[GridCell | None] = []
            covered: set[int] = set()
            for offset, tc, span, continues in _row_layout(tr, covered_above, merges):
                if not budget.take(max(0, offset - len(cells)) + span):
                    offset, span = len(cells), 1  # past the grid's budget: no gaps, no spans
                cells.extend([None] * (offset - len(cells)))  # w:gridBefore: nothing printed there
                covered.update(range(offset, offset + span))
                if continues:
                    cells.extend([None] * span)  # covered by a merged cell printed above
                    continue
                text = cjk_join(paragraphs[tc])
                cells.append(GridCell(text, self.line))
                cells.extend([None] * (span - 1))  # covered by this cell, printed once
            covered_above = covered
            grid.append(cells)
        if budget.exceeded:
            self.problems.append(budget.problem(f"table at line {first_line}"))
        tokens, records = grid_tokens(grid, self.registry)
        self.tokens.extend(tokens)
        self.records.extend(records)

    def read(self, container) -> None:
        for block in _blocks(container):
            if block.tag == _P:
                self.paragraph(block)
            else:
                self.table(block)


def _xml(data: bytes):
    # A parser per document (lxml parsers are not to be shared between threads), configured as
    # python-docx's: no entities resolved, no network, ignorable blank text dropped.
    return etree.fromstring(data, etree.XMLParser(remove_blank_text=True, resolve_entities=False))


def _body(data: bytes):
    """The `w:body` of the package's main document part (found as Word finds it, through the
    package's relationships); a Strict Open XML document is read with its namespaces renamed."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        target = next((r.get("Target") for r in _xml(package.read("_rels/.rels")).iter(_RELATIONSHIP)
                       if r.get("Type", "").endswith("/officeDocument")), None)
        if target is None:
            raise ValueError("the package names no main document")
        name = posixpath.normpath(target.lstrip("/"))
        xml = package.read(name)
        strict = _STRICT_TO_TRANSITIONAL[0][0] in xml[:4096]
        if not strict:
            types = _xml(package.read("[Content_Types].xml"))
            content_type = next((o.get("ContentType") for o in types.iter(_OVERRIDE) if o.get("PartName", "").lstrip("/") == name),
                                next((d.get("ContentType") for d in types.iter(_DEFAULT)
                                      if d.get("Extension", "").lower() == posixpath.splitext(name)[1][1:].lower()), None))
            if content_type != _DOCUMENT_MAIN:
                raise ValueError(f"not a Word document: its main part is {content_type}")
    if not strict:
        return _xml(xml).find(qn("w:body"))
    for strict_name, transitional in _STRICT_TO_TRANSITIONAL:
        xml = xml.replace(strict_name, transitional)
    try:
        return _xml(xml).find(qn("w:body"))
    except Exception as exc:
        raise UnreadableDocument(f"DOCX (Strict Open XML) cannot be read: {type(exc).__name__}: {exc}") from exc


def read(data: bytes, registry: Registry) -> Document:
    try:
        body = _body(data)
    except UnreadableDocument:
        raise
    except Exception as exc:  # zip, XML, package: all mean the same
        raise UnreadableDocument(f"DOCX cannot be opened: {type(exc).__name__}: {exc}") from exc
    if body is None:
        raise UnreadableDocument("DOCX without a document body (w:body)")
    reader = _Reader(registry, paragraph_texts(body))
    reader.read(body)
    pictures = sum(1 for _ in body.iter(_DRAWING, _PICT))
    return Document("docx", None, lines_by_number(reader.records), reader.tokens, reader.problems, pictures=pictures)
