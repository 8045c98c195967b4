"""What the parser's stages hand each other: issues, cells and a table's result.

In a module of their own, so that the format readers, the metadata, the table parsers and the
per-file path share them without importing one another.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


@dataclass(frozen=True)
class Issue:
    severity: str  # error | warning | info
    code: str
    message: str
    line: int | None


class Cell(NamedTuple):
    """One table cell. A named tuple, not a frozen dataclass: a report makes hundreds, and a tuple is
    built in C (a frozen dataclass sets each field through object.__setattr__)."""

    value: float | None
    state: str  # number | blank | not_applicable | inferred | unreadable
    raw_text: str
    line: int | None
    unit: str | None = None


@dataclass(frozen=True)
class TableResult:
    cells: list
    issues: list[Issue]
    start_line: int
    end: int  # index of the first token after the table
