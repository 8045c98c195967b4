"""Plain text and markdown copies of reports: one cell per line, tab- or space-separated rows,
pipe tables. The layout is left to the tokenizer and the table parsers."""
from __future__ import annotations

from loaders.decode import decode_bytes
from loaders.formats import Document
from loaders.registry import Registry
from loaders.tokens import tokenize_text


def read(data: bytes, registry: Registry) -> Document:
    decoded = decode_bytes(data)
    return Document(
        "text", decoded.encoding, decoded.text.split("\n"), tokenize_text(decoded.text, registry), decoded.problems
    )
