"""Copies of the source texts with an anchor per line, so that every cell of a finding links to the
line it was printed on, offline and wherever the report folder is moved.

The text is read again from the source file with the loaders' own reader, so the line numbers are
the ones the cells carry, whatever the format (text: the line of the file; HTML: the source line of
the markup; PDF: page × 1000 + line; DOCX: the n-th paragraph or table row). The file is found by
its recorded path, relative to the folders the report is given, and accepted only if its bytes are
still those of the report (the report id is derived from them).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pandas as pd

from loaders.formats import UnreadableDocument, read_document
from loaders.parse import report_id_for
from loaders.registry import Registry

# Formats whose lines are those of the file itself: every line is shown, empty ones included (an
# empty line can be an empty cell). Elsewhere only the lines with text, and the cited ones.
_FILE_LINE_FORMATS = ("text", "markdown")


@dataclass(frozen=True)
class SourceText:
    path: Path | None  # the file with the report's bytes, when found
    problem: str | None  # why there is no copy of the text
    lines: list[tuple[int, str]]  # (line as the cells number it, text)


def line_label(source_format: str | None, line) -> str:
    """Where a line is, in the words of its format."""
    if line is None or pd.isna(line):
        return "无行号 not printed (missing from the source)"
    n = int(line)
    if source_format == "pdf":
        return f"第{n // 1000}页第{n % 1000}行 page {n // 1000}, line {n % 1000}"
    if source_format == "docx":
        return f"第{n}段 paragraph or table row {n}"
    if source_format == "html":
        return f"源码第{n}行 source line {n}"
    return f"第{n}行 line {n}"


def line_meaning(source_format: str | None) -> str:
    """What the line numbers of a format count."""
    return {
        "pdf": "行号为页码×1000加页内行号 Lines are page × 1000 + the line on the page (3012: page 3, line 12)",
        "docx": "行号为正文段落或表格行的序号 Lines count the paragraphs and table rows of the document body",
        "html": "行号为网页源码的行 Lines are those of the page's source (markup removed here)",
    }.get(source_format, "行号为文件的行 Lines are those of the file")


def locate(source_path: str, report_id: str, bases: list[Path]) -> tuple[Path | None, str | None]:
    """The file holding the report's bytes, or why none was found."""
    recorded = Path(source_path)
    candidates = [recorded] if recorded.is_absolute() else [base / recorded for base in bases]
    changed = []
    for candidate in dict.fromkeys(candidates):
        if not candidate.is_file():
            continue
        try:
            if report_id_for(candidate.read_bytes())[0] == report_id:
                return candidate, None
        except OSError:
            continue
        changed.append(str(candidate))
    if changed:
        return None, f"{', '.join(changed)} no longer holds the bytes that were loaded"
    return None, f"{source_path} was not found (looked from {', '.join(str(b) for b in dict.fromkeys(bases))})"


def read_source(source_path: str, report_id: str, bases: list[Path], registry: Registry,
                cited: set[int]) -> SourceText:
    path, problem = locate(source_path, report_id, bases)
    if path is None:
        return SourceText(None, problem, [])
    try:
        document = read_document(path.read_bytes(), registry)
    except (UnreadableDocument, OSError) as exc:
        return SourceText(path, f"{path} cannot be read: {exc}", [])
    every_line = document.source_format in _FILE_LINE_FORMATS
    lines = [(n, text) for n, text in enumerate(document.lines, start=1) if every_line or text.strip() or n in cited]
    return SourceText(path, None, lines)


def original_link(path: Path, from_dir: Path, source_format: str | None, line=None) -> str:
    """A relative link from a page in `from_dir` to the original file (a PDF at the cited page)."""
    href = quote(Path(os.path.relpath(path.resolve(), from_dir.resolve())).as_posix())
    if source_format == "pdf" and line is not None and not pd.isna(line):
        href += f"#page={int(line) // 1000}"
    return href
