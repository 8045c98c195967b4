"""Input formats: detect the format from the bytes (not the file name) and read a `Document`.

One module per format; each turns bytes into the shared token stream of `loaders.tokens`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from loaders.registry import Registry
from loaders.tokens import Token


@dataclass(frozen=True)
class Document:
    source_format: str  # text | html | pdf | docx
    encoding: str | None
    lines: list[str]  # the document's text, line by line, as the token line numbers count them
    tokens: list[Token]
    problems: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class UnsupportedFormat(Exception):
    """The bytes are in a format that no reader handles."""


def detect_format(data: bytes) -> str:
    head = data[:2048]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx" if b"word/" in data[:65536] else "zip"
    lowered = head.lower()
    if b"<html" in lowered or b"<!doctype html" in lowered or b"<table" in lowered or b"<body" in lowered:
        return "html"
    return "text"


def read_document(data: bytes, registry: Registry) -> Document:
    source_format = detect_format(data)
    if source_format == "text":
        from loaders.formats import text

        return text.read(data, registry)
    raise UnsupportedFormat(f"{source_format} input is not read yet")
