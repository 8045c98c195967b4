"""Input formats: detect the format from the bytes (never the file name) and read a `Document`.

One module per format, each turning bytes into the shared token stream of `loaders.tokens`:

- `text`: plain text and markdown copies (one cell per line, tab- or space-separated rows, pipe
  tables, HTML tables embedded in markdown); `line` is the line of the decoded text;
- `html`: web pages and Word's HTML export; `line` is the source line of the markup;
- `pdf`: text-layer PDFs; `line` is page × 1000 + the line on the page (3012: page 3, line 12);
- `docx`: Word 2007+ documents; `line` is the ordinal of the body block (paragraph or table row).

Binary formats that no reader handles (Word 97-2003, OFD, images …) fail with a reason that says
what they are, and so do encrypted and scanned PDFs and files that cannot be opened.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from loaders.decode import decode_bytes
from loaders.registry import Registry
from loaders.tokens import Token

# How much of a text file is decoded to tell HTML from text or markdown.
_SNIFF_BYTES = 65536
_HTML_START = re.compile(
    r"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|table|div|p|span|font|style)\b",
    re.IGNORECASE | re.DOTALL,
)
_MARKDOWN = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*\|\s*:?-{3,}|^#{1,6}\s+\S", re.MULTILINE)

_UNSUPPORTED = {
    "doc": "a Word 97-2003 or WPS binary document (OLE2), which is not read: save it as DOCX or PDF",
    "ofd": "an OFD document (the Chinese fixed-layout format), which is not read: export it as PDF",
    "xlsx": "a spreadsheet (XLSX), not a report document",
    "odt": "an OpenDocument text, which is not read: save it as DOCX or PDF",
    "zip": "a ZIP archive that is not a DOCX document",
    "rtf": "an RTF document, which is not read: save it as DOCX or PDF",
    "image": "an image (a scan with no text to read): run OCR first",
}


@dataclass(frozen=True)
class Document:
    source_format: str  # text | markdown | html | pdf | docx
    encoding: str | None
    lines: list[str]  # lines[n - 1] is the text at line n, as the token line numbers count them
    tokens: list[Token]
    problems: list[str] = field(default_factory=list)
    # The page's own title (HTML <title>: its line and text), for the metadata to read: which of the
    # body's report titles is this page's (a sidebar may list other years' reports above it), or the
    # title itself when the body names none.
    page_title: tuple[int, str] | None = None
    pictures: int = 0  # images in the body (DOCX, PDF): tables are sometimes printed as pictures
    # Lines kept only so that the lines below keep their numbers (a PDF's running headers, footers and
    # page numbers, and label lines read with their table row): no title or field is looked for there.
    unread_lines: frozenset[int] = frozenset()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class UnreadableDocument(Exception):
    """The bytes cannot be read as a report; the message says why (encrypted, scanned, malformed …)."""


class UnsupportedFormat(UnreadableDocument):
    """The bytes are in a format that no reader handles."""


def lines_by_number(records: Iterable[tuple[int, str]]) -> list[str]:
    """`Document.lines` for a format whose line numbers are not those of a plain text: entry n - 1
    holds the text found at line n (pieces on the same line joined by " | "), empty elsewhere."""
    by_line: dict[int, list[str]] = {}
    for line, text in records:
        by_line.setdefault(line, []).append(text)
    lines = [""] * max(by_line, default=0)
    for line, texts in by_line.items():
        lines[line - 1] = " | ".join(texts)
    return lines


def _zip_kind(data: bytes) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names:
        return "ofd"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if "content.xml" in names:
        return "odt"
    return "zip"


def binary_kind(data: bytes) -> str | None:
    """The binary format named by the file's signature, or None for text (including HTML)."""
    if b"%PDF-" in data[:1024]:  # the header may follow a little junk
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        return "image"
    return None


def looks_like_html(text: str) -> bool:
    return bool(_HTML_START.match(text[:4096].lstrip("\ufeff \t\r\n")))


def looks_like_markdown(text: str) -> bool:
    return bool(_MARKDOWN.search(text))


def detect_format(data: bytes) -> str:
    """text | markdown | html | pdf | docx, or the name of a format that is not read."""
    kind = binary_kind(data)
    if kind:
        return kind
    head = decode_bytes(data[:_SNIFF_BYTES]).text
    if looks_like_html(head):
        return "html"
    return "markdown" if looks_like_markdown(head) else "text"


def read_document(data: bytes, registry: Registry) -> Document:
    kind = binary_kind(data)
    if kind == "pdf":
        from loaders.formats import pdf

        return pdf.read(data, registry)
    if kind == "docx":
        from loaders.formats import docx

        return docx.read(data, registry)
    if kind:
        raise UnsupportedFormat(_UNSUPPORTED[kind])
    decoded = decode_bytes(data)
    if looks_like_html(decoded.text):
        from loaders.formats import html

        return html.read(decoded, registry)
    from loaders.formats import text

    return text.read(decoded, registry)
