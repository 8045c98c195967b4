"""Progress of the steps a person waits for (files parsed, dbt's nodes, pages written, tables
exported, reports generated), drawn with tqdm on standard error: the count, the rate and the time
left. Drawn only when standard error is a terminal and `--quiet` was not given, so that piped output
and logs keep the commands' summaries only.

    progress = Progress.on_terminal(quiet=args.quiet)
    with progress.bar("parse", unit="file") as bar:
        for done, total in ...:
            bar.advance_to(done, total, detail=path)
    progress.echo("load: ...")          # a line of output that does not break a bar being drawn
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from tqdm import tqdm

# What a bar shows: step, share, count, time spent and left, rate, and what is being worked on.
BAR_FORMAT = "{desc}: {percentage:3.0f}%|{bar:24}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}]{postfix}"
# Long paths and node names are cut from the left: their end says most.
DETAIL_WIDTH = 48


class Bar:
    """One step's bar, drawn from the first time the step reports how far it is (a step with nothing
    to do draws none). Steps report how far they are (`advance_to`), not increments, because the
    callers that feed them (the loader, dbt's output) count that way."""

    def __init__(self, progress: "Progress", step: str, unit: str, relative: bool):
        self._progress = progress
        self._step, self._unit = step, unit
        self._relative = relative
        self._start: int | None = None
        self._drawn: tqdm | None = None

    def advance_to(self, done: int, total: int | None = None, detail: str = "") -> None:
        if not self._progress.enabled:
            return
        if self._start is None:
            # With `relative`, the first report is where this run starts: the loader first reports the
            # files it skips as unchanged, which would make the rate and the time left wrong.
            self._start = done if self._relative else 0
        if self._drawn is None:
            self._drawn = tqdm(total=None if total is None else total - self._start, desc=self._step, unit=self._unit,
                               file=self._progress.stream, dynamic_ncols=True, bar_format=BAR_FORMAT, mininterval=0.2,
                               smoothing=0.1, leave=True)
            self._progress.active = self._drawn
        if total is not None and total - self._start != self._drawn.total:
            self._drawn.total = max(0, total - self._start)
        self._drawn.set_postfix_str(_cut(detail), refresh=False)
        self._drawn.update(max(0, done - self._start - self._drawn.n))
        if self._drawn.total is not None and self._drawn.n >= self._drawn.total:
            self._drawn.refresh()  # the step's work is done: say so now, not when what follows it ends

    def close(self) -> None:
        if self._drawn is not None:
            self._progress.active = None
            self._drawn.close()


class Progress:
    def __init__(self, enabled: bool, stream: TextIO | None = None):
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.active: tqdm | None = None  # the bar being drawn

    @classmethod
    def on_terminal(cls, quiet: bool = False, stream: TextIO | None = None) -> "Progress":
        stream = stream or sys.stderr
        return cls(not quiet and stream.isatty(), stream)

    @contextmanager
    def bar(self, step: str, unit: str, relative: bool = False) -> Iterator[Bar]:
        bar = Bar(self, step, unit, relative)
        try:
            yield bar
        finally:
            bar.close()

    def echo(self, message: str = "") -> None:
        """A line on standard output, written above the bar being drawn (if any)."""
        if self.active is not None:
            self.active.clear()
            print(message, flush=True)
            self.active.refresh()
        else:
            print(message, flush=True)


def _cut(text: str) -> str:
    return text if len(text) <= DETAIL_WIDTH else "…" + text[-(DETAIL_WIDTH - 1):]
