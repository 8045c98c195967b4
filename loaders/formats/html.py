"""HTML and HTM: report web pages, Word's "save as web page" export, fragments.

Parsed with lxml's HTML parser (libxml2): tolerant of broken markup, never touches the network,
loads no DTD and resolves no external entity. libxml2 caps nesting at 256 levels, so deeply nested
junk cannot exhaust memory or the stack; what lies deeper is dropped and the report says so.

- Noise is removed first: scripts, styles, form controls, embedded objects, navigation (`<nav>`,
  `<aside>`, ARIA navigation roles, lists made only of links). Headers and footers stay: a report
  page's header may carry its title, and a footer's address still names the right place.
- A `<table>` that holds no other table is a data table: rowspan and colspan are expanded into the
  grid and the grid is flattened (see `grid`). A table that holds tables is page layout, and its
  cells are read as blocks of text.
- Text outside data tables is read block by block (p, div, li, headings, line breaks) and
  tokenized like the lines of a text copy, so prose figures, headings, metadata and tables pasted
  as one paragraph per cell still work; an empty paragraph is an empty line.
- The page's `<title>` is read only when the body names no report title (sites append their name).

Line numbers are the source lines of the markup as an editor shows them (of the decoded text): a
cell's line is the line of its `<td>`, a block's the line where its text starts.
"""
from __future__ import annotations

import re

from lxml import etree

from loaders.decode import Decoded
from loaders.formats import Document, UnreadableDocument, lines_by_number
from loaders.formats.grid import Grid, GridBudget, GridCell, cjk_join, grid_tokens
from loaders.registry import Registry
from loaders.tokens import BLANK, Token, tokenize_line

_NOISE = (
    "script", "style", "noscript", "template", "nav", "aside", "select", "button", "iframe", "object",
    "embed", "svg", "canvas", "input", "textarea", "map", "frameset",
)
_NOISE_ROLES = ("navigation", "banner", "search", "menu", "menubar")
_BLOCKS = frozenset(
    "address article aside blockquote caption center dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main ol p pre section summary table tbody td tfoot th thead "
    "tr ul".split()
)
# Blocks that stand for one line of text: empty, they are an empty line.
_LINE_BLOCKS = frozenset("p div li h1 h2 h3 h4 h5 h6 dt dd".split())
# Inside a cell, these end a line of the cell's text.
_CELL_LINE_ENDS = ("br", "p", "div", "li")
# The widest merge taken at its word: no template table is wider, and a huge colspan is junk.
_MAX_COLSPAN = 64
_MIN_LINKS_IN_MENU = 3
# Characters that lxml's HTML parser keeps in text but refuses in a string assigned to the tree.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The text of an element and all its descendants (not its tail), concatenated in C.
_text_content = etree.XPath("string()", smart_strings=False)
# The elements that have a role attribute (few), found in C rather than by visiting every element.
_WITH_ROLE = etree.XPath("descendant-or-self::*[@role]")


def _drop(el) -> None:
    """Remove the element and its subtree, keeping its tail text (as lxml.html's drop_tree)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


def _is_link_list(el) -> bool:
    """A list whose every word is link text: a menu, not report content."""
    items = [c for c in el if c.tag == "li"]
    if len(items) < _MIN_LINKS_IN_MENU:
        return False
    words = "".join(_text_content(el).split())
    return bool(words) and words == "".join("".join(_text_content(a) for a in el.iter("a")).split())


def _remove_noise(root) -> None:
    noise = [el for el in root.iter(*_NOISE)]
    noise += [el for el in _WITH_ROLE(root) if el.get("role").lower() in _NOISE_ROLES]
    noise += [el for el in root.iter("ul", "ol", "menu") if _is_link_list(el)]
    for el in noise:
        _drop(el)


def _span(value: str | None, limit: int, zero: int = 1) -> int:
    """A rowspan or colspan as browsers take it: junk is 1, and the span stays within `limit`."""
    if value is None:  # most cells
        return min(1, limit)
    value = value.strip()
    digits = value[:6] if value.isascii() and value.isdigit() else "".join(c for c in value if c.isdigit())[:6]
    n = int(digits) if digits else 1
    return zero if n == 0 else min(n, limit)


def _cell(td) -> GridCell:
    raw = _text_content(td)
    leading = raw[: len(raw) - len(raw.lstrip())]
    return GridCell(cjk_join(raw.split()), (td.sourceline or 1) + leading.count("\n"))


def table_grid(table, problems: list[str] | None = None) -> Grid:
    """The table's grid with rowspan and colspan expanded: None where a merged cell covers. Spans
    that would take the grid past MAX_GRID_CELLS positions are read as 1 (said in `problems`)."""
    for el in table.iter(*_CELL_LINE_ENDS):  # a line break inside a cell separates words
        tail = el.tail  # most often none (a cell's one paragraph): then the space alone
        el.tail = " " + _NOT_XML.sub(" ", tail) if tail else " "
    rows = list(table.iter("tr"))
    covered_until: dict[int, int] = {}  # column -> the last row that a cell merged down from above covers
    budget = GridBudget()
    grid: Grid = []
    for r, tr in enumerate(rows):
        row: list[GridCell | None] = []
        c = 0
        for td in tr.iterchildren("td", "th"):
            while covered_until.get(c, -1) >= r:
                row.append(None)
                c += 1
            colspan = _span(td.get("colspan"), _MAX_COLSPAN)
            rowspan = _span(td.get("rowspan"), len(rows) - r, zero=len(rows) - r)  # 0: to the table's end
            if not budget.take(colspan * rowspan):
                colspan = rowspan = 1
                covered_until.clear()
            row.append(_cell(td))
            row.extend([None] * (colspan - 1))
            if rowspan > 1:
                for column in range(c, c + colspan):
                    covered_until[column] = max(covered_until.get(column, -1), r + rowspan - 1)
            c += colspan
        while covered_until.get(c, -1) >= r:
            row.append(None)
            c += 1
        grid.append(row)
    if budget.exceeded and problems is not None:
        problems.append(budget.problem(f"table at line {table.sourceline or 1}"))
    return grid


class _Reader:
    """Collects tokens and (line, text) records in document order."""

    def __init__(self, registry: Registry):
        self.registry = registry
        self.tokens: list[Token] = []
        self.records: list[tuple[int, str]] = []
        self.pieces: list[tuple[str, int]] = []
        self.problems: list[str] = []

    def add(self, text: str | None, line: int) -> None:
        if text:
            lead = text[: len(text) - len(text.lstrip())]
            self.pieces.append((text, line + lead.count("\n")))

    def line(self, text: str, line: int) -> None:
        self.tokens.extend(tokenize_line(text, line, self.registry))
        if text.strip():
            self.records.append((line, text))

    def flush(self) -> None:
        """The inline text collected since the last block boundary, as one line."""
        text = " ".join("".join(p for p, _ in self.pieces).split())
        if text:
            self.line(text, next(line for p, line in self.pieces if p.strip()))
        self.pieces.clear()

    def blank(self, line: int) -> None:
        self.tokens.append(Token(BLANK, "", line))

    def grid(self, grid: Grid) -> None:
        tokens, records = grid_tokens(grid, self.registry)
        self.tokens.extend(tokens)
        self.records.extend(records)


def _read_body(body, reader: _Reader) -> None:
    walker = etree.iterwalk(body, events=("start", "end"))
    open_blocks: list[tuple[object, int]] = []  # (element, token count at its start)
    line = body.sourceline or 1
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        line = max(line, el.sourceline or line)
        if event == "start":
            if tag == "table" and next(el.iterdescendants("table"), None) is None:
                reader.flush()
                reader.grid(table_grid(el, reader.problems))
                walker.skip_subtree()
            elif tag == "pre":
                reader.flush()
                for offset, text in enumerate("".join(el.itertext()).removeprefix("\n").split("\n")):
                    reader.line(text, line + offset)  # preformatted: a text copy, line by line
                walker.skip_subtree()
            elif tag == "br":
                if not reader.pieces:
                    reader.blank(line)
                reader.flush()
            else:
                if tag in _BLOCKS:
                    reader.flush()
                    open_blocks.append((el, len(reader.tokens)))
                reader.add(el.text, line)
            continue
        if open_blocks and open_blocks[-1][0] is el:
            reader.flush()
            _, mark = open_blocks.pop()
            if tag in _LINE_BLOCKS and len(reader.tokens) == mark:
                reader.blank(line)
        if el is not body:
            reader.add(el.tail, line)
    reader.flush()


def _parse(text: str):
    # lxml's own elements, not lxml.html's: those are looked up by a Python class lookup for every
    # element the reader touches, and nothing here needs their methods.
    parser = etree.HTMLParser(encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True, recover=True)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableDocument(f"HTML cannot be parsed: {exc}") from exc
    if root is None:
        raise UnreadableDocument("HTML cannot be parsed: Document is empty")
    problems = []
    if any("depth" in str(e.message).lower() for e in parser.error_log):
        problems.append("markup nested deeper than 256 levels: the content below that depth was dropped")
    return root, problems


def table_tokens(markup: str, first_line: int, registry: Registry) -> list[Token]:
    """The tokens of the data tables in an HTML fragment that starts at `first_line` of a file."""
    root, _ = _parse("\n" * (first_line - 1) + markup)
    tokens: list[Token] = []
    for table in root.iter("table"):
        if next(table.iterdescendants("table"), None) is None:
            tokens.extend(grid_tokens(table_grid(table), registry)[0])
    return tokens


def read(decoded: Decoded, registry: Registry) -> Document:
    root, problems = _parse(decoded.text)
    title = root.find(".//title")
    title_record = (title.sourceline or 1, " ".join(_text_content(title).split())) if title is not None else None
    _remove_noise(root)
    head = root.find("head")
    if head is not None:
        _drop(head)
    body = root.find("body")
    reader = _Reader(registry)
    _read_body(body if body is not None else root, reader)
    page_title = title_record if title_record and title_record[1] else None
    return Document("html", decoded.encoding, lines_by_number(reader.records), reader.tokens,
                    decoded.problems + problems + reader.problems, page_title)
