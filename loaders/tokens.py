"""The common intermediate form: a document as a stream of tokens with their source lines.

Every input format (plain text, markdown, HTML, PDF, DOCX) is read into this stream, so the table
parsers follow the template's structure whatever the layout was. Grid formats flatten their tables
row by row; text layouts keep their line structure:

- `text`   a label, heading or prose (anything that is not a cell value);
- `value`  a number (with unit or sign) or a not-applicable marker such as "-" or "无";
- `empty`  a cell known to be empty (an empty grid cell, `||` in a pipe table, `\t\t`);
- `blank`  an empty line of a text layout: an empty cell or just a separator, decided per table;
- `break`  the end of a grid row (HTML/DOCX/pipe tables), where row boundaries are explicit.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from loaders.registry import Registry
from loaders.values import is_value

TEXT, VALUE, EMPTY, BLANK, BREAK = "text", "value", "empty", "blank", "break"

_PIPE_SEPARATOR_ROW = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_WIDE_GAP = re.compile(r"[ \u00a0\u3000]{2,}|\u3000")
# A page number printed as a page's footer or header: text, never a cell.
_SLIPPED_FIGURE = re.compile(
    r"^(?=.*[0-9０-９])[0-9０-９OoIl〇一二三四五六七八九十.,，%]{1,8}$|^[OoIl〇]{1,3}$")
_NUMBERING_ONLY = re.compile(r"^(?:\d{1,2}[.、．]|[(（]\d{1,2}[)）]|[一二三四五六七八九十]+[、.．]?)$")
_ROW_NUMBER = re.compile(r"^\d{1,2}$")
# A character for which str.isdigit() holds: the decimal digits (\d) and the other digits (superscripts,
# circled and parenthesized digits ...), Unicode 14 as Python 3.11 has it (a unit test checks them all).
_DIGIT = re.compile(
    "[\\d\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c"
    "\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792"
    "\U00010a40-\U00010a43\U00010e60-\U00010e68\U00011052-\U0001105a\U0001f100-\U0001f10a]")
# A cell that begins with a figure or is a not-applicable dash: a cheap test for rows of cells.
_FIGURE_CELL = re.compile(r"^(?:[+\-−]?\d|[-—/／])")
_MAX_PAGE_NUMBER = 24
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|\d{1,4}\s*/\s*\d{1,4}"
    r"|第\s*\d{1,4}\s*[页頁](?:\s*[,，/]?\s*共\s*\d{1,4}\s*[页頁])?|共\s*\d{1,4}\s*[页頁]\s*第\s*\d{1,4}\s*[页頁])$")
# A label or heading broken over lines comes back in at most this many text pieces ("(三)不予" + "公開").
MAX_JOINED_PIECES = 3


class Token(NamedTuple):
    """One token of the stream. A named tuple, not a frozen dataclass: a report makes hundreds of
    them, and a tuple is built in C where a frozen dataclass sets each field through
    object.__setattr__ (about twice the cost)."""

    kind: str
    text: str
    line: int


def is_page_number(text: str) -> bool:
    """A page number printed as a page's footer or header ("- 3 -", "—3—", "3/10", "第 3 页 共 9 页")."""
    return len(text) <= _MAX_PAGE_NUMBER and bool(_PAGE_NUMBER.match(text.strip()))


def _is_blank(line: str) -> bool:
    """Only white space and zero-width characters (or nothing)."""
    if not line or line.isspace():
        return True
    if "\u200b" not in line and "\ufeff" not in line:
        return False
    rest = line.replace("\u200b", "").replace("\ufeff", "")
    return not rest or rest.isspace()


def _looks_like_a_cell(piece: str) -> bool:
    """A figure an OCR or typing slip made unreadable (l63, 16三, O): short, made of digits and the
    characters mistaken for them, with a digit or only such characters. Not a label's numbering (1.)."""
    return len(piece) <= 8 and bool(_SLIPPED_FIGURE.match(piece)) and not _NUMBERING_ONLY.match(piece)


def _split_words(piece: str, line: int, registry: Registry) -> list[Token]:
    """A piece such as "规章 0 0 2" or "352 21 0 5": split on single spaces when what follows the
    leading label is all values; otherwise keep it whole (prose, or "398 件")."""
    words = piece.split()
    if len(words) == 1:  # most pieces: a label, prose or one figure
        kind = VALUE if is_value(piece, registry) or _looks_like_a_cell(piece) else TEXT
        return [Token(kind, piece, line)]
    # One figure with a spaced unit or sign ("398 件", "- 2") is one value; two figures never are,
    # nor two markers that are each a cell ("— —", "/ /").
    digit_words = sum(1 for w in words if _DIGIT.search(w)) if _DIGIT.search(piece) else 0
    markers_only = len(words) > 1 and not digit_words and all(is_value(w, registry) for w in words)
    if digit_words < 2 and not markers_only and (is_value(piece, registry) or _looks_like_a_cell(piece)):
        # A slipped figure is a cell that reads as unreadable, in its place: its neighbours keep theirs.
        return [Token(VALUE, piece, line)]
    if len(words) > 1:
        first_value = next((i for i, w in enumerate(words) if is_value(w, registry)), None)
        if first_value is not None and all(is_value(w, registry) or _looks_like_a_cell(w) for w in words[first_value:]):
            label = " ".join(words[:first_value])
            head = [Token(TEXT, label, line)] if label else []
            return head + [Token(VALUE, w, line) for w in words[first_value:]]
    return [Token(TEXT, piece, line)]


def cell_tokens(text: str, line: int, registry: Registry) -> list[Token]:
    """One grid cell: `empty` when it holds nothing visible, else its label or value(s)."""
    text = text.strip()
    return _split_words(text, line, registry) if text and not _is_blank(text) else [Token(EMPTY, "", line)]


def row_tokens(cells: list[tuple[str, int]], registry: Registry) -> list[Token]:
    """One grid row (a pipe-table line, or an HTML, DOCX or PDF table row) as (text, line) cells.

    Empty cells before the row's last label sit in the label columns (a label column left empty
    under a merged group label, or the filler cells of a span in a copy that lost its merges):
    they are not data cells and are dropped. A label repeated in adjacent cells is one merged cell
    whose text a converter copied into every cell it spanned: it is kept once. The row ends with a
    `break`."""
    tokens: list[Token] = []
    last_label = -1  # where the row's last label is among `tokens`
    for text, line in cells:
        for t in cell_tokens(text, line, registry):
            if t.kind == TEXT:
                if tokens and tokens[-1] == t:
                    continue
                last_label = len(tokens)
            tokens.append(t)
    if last_label > 0:
        tokens = [t for t in tokens[:last_label] if t.kind != EMPTY] + tokens[last_label:]
    return _without_row_number(tokens) + [Token(BREAK, "", cells[-1][1] if cells else 0)]


def _without_row_number(tokens: list[Token]) -> list[Token]:
    """A row that begins with a serial number (a 序号 column: `| 3 | 危及“三安全一稳定” | 0 | …`) before its
    label: the number is not one of the row's cells, which all follow the label."""
    if len(tokens) > 2 and tokens[0].kind == VALUE and _ROW_NUMBER.match(tokens[0].text) and tokens[1].kind == TEXT:
        return tokens[1:]
    return tokens


def tokenize_line(raw: str, line: int, registry: Registry) -> list[Token]:
    if _is_blank(raw):
        tabs = raw.count("\t")
        # A line of tabs alone is a row of empty cells (a table's figures row with every cell empty);
        # one tab, or none, is an empty line.
        return [Token(EMPTY, "", line)] * (tabs + 1) if tabs >= 2 else [Token(BLANK, "", line)]
    stripped = raw.strip()
    if is_page_number(stripped):
        return [Token(TEXT, stripped, line)]
    if "|" in stripped and (stripped.startswith("|") or stripped.endswith("|") or stripped.count("|") >= 2):
        if _PIPE_SEPARATOR_ROW.match(stripped):
            return []
        cells = stripped.split("|")
        if cells and not cells[0].strip():
            cells = cells[1:]
        if cells and not cells[-1].strip():
            cells = cells[:-1]
        if len(cells) < 2 and not any(c.strip() for c in cells):
            return [Token(BLANK, "", line)]
        # A row of empty cells is a row all of whose cells are empty (a figures row of zeros printed blank).
        return row_tokens([(cell, line) for cell in cells], registry)
    if "\t" not in raw and not _WIDE_GAP.search(stripped):
        # One cell of one piece (most lines: prose, a heading, a label, figures on single spaces).
        return _without_row_number(_split_words(stripped, line, registry))
    tokens = []
    line_cells = raw.rstrip("\r\n").split("\t")
    # Tabs before the first cell indent it, unless the line is a row of several cells (3 or more
    # tab-separated, figures among them): then they are its empty first cells.
    row_of_cells = len(line_cells) >= 3 and any(_FIGURE_CELL.match(c.strip()) for c in line_cells)
    if not row_of_cells:
        line_cells = raw.lstrip(" \t\u3000\u00a0").rstrip("\r\n").split("\t")
    elif not _FIGURE_CELL.match(next((c.strip() for c in line_cells if c.strip()), "")):
        line_cells = line_cells[next(n for n, c in enumerate(line_cells) if c.strip()):]  # a label indented
    for cell in line_cells:
        cell = cell.strip()
        if not cell:
            # Between two tab-separated cells an empty piece is an empty cell.
            tokens.append(Token(EMPTY, "", line))
            continue
        for piece in _WIDE_GAP.split(cell):
            if piece.strip():
                tokens.extend(_split_words(piece.strip(), line, registry))
    tokens = _without_row_number(tokens)
    if tokens and tokens[0].kind != TEXT and not row_of_cells:
        # Trailing tabs count as empty cells on a row of cells; after a lone figure they are
        # word-processor debris.
        while tokens and tokens[-1].kind == EMPTY:
            tokens.pop()
    return tokens or [Token(BLANK, "", line)]


def match_joined(tokens: list[Token], i: int, match):
    """The first result of `match` on the text of one, two or three consecutive text tokens from i
    joined (the fewest first), and how many tokens it used; (None, 0) when it matches none."""
    pieces: list[str] = []
    for j in range(i, min(i + MAX_JOINED_PIECES, len(tokens))):
        if tokens[j].kind != TEXT:
            break
        pieces.append(tokens[j].text)
        if found := match("".join(pieces)):
            return found, j - i + 1
    return None, 0


def tokenize_text(text: str, registry: Registry) -> list[Token]:
    tokens: list[Token] = []
    # split("\n"), not splitlines(): line numbers must match what an editor shows.
    for number, raw in enumerate(text.split("\n"), start=1):
        tokens.extend(tokenize_line(raw, number, registry))
    return tokens
