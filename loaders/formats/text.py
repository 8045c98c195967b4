"""Plain text and markdown copies of reports: one cell per line (with or without separator lines),
tab- or space-separated rows, pipe tables (stray header and separator rows anywhere), labels on one
line and their figures on the next. The layout is left to the tokenizer and the table parsers.

Markdown is recognised by its pipe-table delimiter rows and `#` headings; its markup (heading
marks, emphasis, list bullets, links, inline tags such as `<br>`) is removed line by line, so line
numbers stay those of the file. An HTML `<table>` embedded in markdown (converters keep tables with
merged cells as HTML) is read as a grid by the HTML reader, with the file's line numbers.
"""
from __future__ import annotations

import re

from loaders.decode import Decoded
from loaders.formats import Document, html, looks_like_markdown
from loaders.registry import Registry
from loaders.tokens import Token, tokenize_line

_EMBEDDED_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)
_MARKDOWN_MARKUP = (
    (re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+(?!\d))"), ""),  # heading, quote, bullet
    (re.compile(r"\s#+\s*$"), ""),  # closing heading marks
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: their text
    (re.compile(r"<br\s*/?>", re.IGNORECASE), " "),
    (re.compile(r"</?[a-zA-Z][^<>]*>"), ""),  # other inline tags
    (re.compile(r"\*\*|__|`"), ""),  # emphasis and code marks
)


# Every pattern of the markup above needs one of these characters: a line with none is left as it is
# (most lines of a report, prose and table rows).
_MARKUP_CHARACTER = re.compile(r"[#>*+\-\[<_`]")


def strip_markdown(line: str) -> str:
    if not _MARKUP_CHARACTER.search(line):
        return line
    for pattern, replacement in _MARKDOWN_MARKUP:
        line = pattern.sub(replacement, line)
    return line


def _tokens(lines: list[str], embedded: list[tuple[int, int, list[Token]]], registry: Registry) -> list[Token]:
    """Tokens line by line, with each embedded table's grid tokens in place of its lines."""
    tokens: list[Token] = []
    number = 1
    for first, last, grid in embedded + [(len(lines) + 1, len(lines), [])]:
        tokens.extend(t for n in range(number, first) for t in tokenize_line(lines[n - 1], n, registry))
        tokens.extend(grid)
        number = last + 1
    return tokens


def read(decoded: Decoded, registry: Registry) -> Document:
    text = decoded.text
    embedded = []
    for m in _EMBEDDED_TABLE.finditer(text):
        first = text.count("\n", 0, m.start()) + 1
        embedded.append((first, first + m.group().count("\n"), html.table_tokens(m.group(), first, registry)))
    markdown = bool(embedded) or looks_like_markdown(text)
    lines = text.split("\n")  # not splitlines(): line numbers must match what an editor shows
    if markdown:
        lines = [strip_markdown(line) for line in lines]
    return Document(
        "markdown" if markdown else "text", decoded.encoding, lines, _tokens(lines, embedded, registry), decoded.problems
    )
