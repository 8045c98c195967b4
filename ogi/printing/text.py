"""Reports as text, the way copies of them are found: the tables in one of the layouts below, the
paragraphs as lines, with or without an empty line between blocks.

    plain                one cell per line (a merged cell once)
    separated            one cell per line, each followed by an empty line (an empty cell: one empty line)
    indented             one cell per line after a tab, an empty line after each row
    tabbed               one row per line, cells separated by tabs
    labels_then_figures  a row's labels on their own lines, its figures tab-separated on the next line
    pipe                 a pipe table as converters write it: merged cells as empty fillers
    pipe_rows            a pipe table of each row's own cells, merged cells once and no fillers
"""
from __future__ import annotations

from ogi.printing.grid import HEADING_PREFIXES, Block, Grid, expand

LAYOUTS = ("plain", "separated", "indented", "tabbed", "labels_then_figures", "pipe", "pipe_rows")


def grid_lines(grid: Grid, layout: str) -> list[str]:
    if layout == "pipe":
        return pipe_table(grid)
    lines: list[str] = []
    for row in grid:
        texts = [c.text for c in row]
        if layout == "plain":
            lines.extend(texts)
        elif layout == "separated":
            for t in texts:
                lines.extend([t, ""] if t else [""])
        elif layout == "indented":
            lines.extend(["\t" + t for t in texts] + [""])
        elif layout == "tabbed":
            lines.append("\t".join(texts))
        elif layout == "pipe_rows":
            lines.append("| " + " | ".join(texts) + " |")
            if row is grid[0]:
                lines.append("|" + "---|" * len(texts))
        elif layout == "labels_then_figures":
            lines.extend(t for t in texts if t and not is_figure(t))
            figures = [t for t in texts if not t or is_figure(t)]
            if figures:
                lines.append("\t".join(figures))
        else:
            raise ValueError(layout)
    return lines


def is_figure(text: str) -> bool:
    return text.lstrip("+-").replace(".", "", 1).isdigit() or text.endswith("万元")


def pipe_table(grid: Grid, repeat_header_after: int | None = None) -> list[str]:
    """A converter's pipe table: merged cells become their text plus empty filler cells; with
    `repeat_header_after`, the three heading rows come again after that row (a page break in the
    source)."""
    rows = [["" if t is None else t for t in row] for row in expand(grid)]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    for n, row in enumerate(rows[1:], start=1):
        lines.append("| " + " | ".join(row) + " |")
        if repeat_header_after is not None and n == repeat_header_after:
            lines += ["| " + " | ".join(r) + " |" for r in rows[:3]]
    return lines


def text(blocks: list[Block], layout: str, blank_lines: bool = True, end_newline: bool = True) -> str:
    """The report as text: every block's lines, with an empty line after each when `blank_lines`."""
    lines: list[str] = []
    for kind, content in blocks:
        lines.extend(grid_lines(content, layout) if kind == "grid" else [content])
        if blank_lines:
            lines.append("")
    return "\n".join(lines) + ("\n" if end_newline else "")


def markdown(blocks: list[Block], headings: str = "##", html_tables: frozenset[int] = frozenset(),
             repeat_header_after: dict[int, int] | None = None, broken_labels: dict[str, str] | None = None) -> str:
    """The report as a converter writes markdown: `# title`, section headings as `## …` (or bold
    with `headings="**"`), tables as pipe tables, except the grids numbered in `html_tables` (pipe
    tables cannot merge cells) which stay HTML. `repeat_header_after` repeats a grid's headings after
    a row; `broken_labels` puts `<br>` into labels (old -> new)."""
    from ogi.printing.html import plain_table

    out: list[str] = []
    grids = 0
    for kind, content in blocks:
        if kind == "title":
            out += [f"# {content}", ""]
        elif kind == "grid":
            if grids in html_tables:
                out += [plain_table(content), ""]
            else:
                lines = pipe_table(content, (repeat_header_after or {}).get(grids))
                for old, new in (broken_labels or {}).items():
                    lines = [line.replace(old, new) for line in lines]
                out += lines + [""]
            grids += 1
        elif content[:2] in HEADING_PREFIXES:
            out += [f"## {content}" if headings == "##" else f"**{content}**", ""]
        else:
            out += [content, ""]
    return "\n".join(out)
