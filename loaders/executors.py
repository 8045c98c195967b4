"""Where the loader's per-task work runs: the one seam between the loader and its compute.

A task is self-contained (file paths and output folders in, small results out; the rows themselves
go to files the task writes), so any engine that can call a function on a picklable argument in
another process can run it. An executor implements one method:

    map(work, tasks, stall_after) -> iterator of (task, result or Lost), in any order

`work(task, tick)` calls `tick(limit)` whenever it starts on one more input file, which may take
`limit` seconds (None: no limit of its own), and may call `tick.note(text)` to leave a short note
about that file (the loader notes the digest of the bytes it read). An executor that supervises its
workers kills a worker whose file outlives its limit, or that gave no tick for `stall_after`
seconds, and yields `Lost` for a task whose worker died or was killed, saying which file it was on
and what was noted about it. The loader then records that file without reading it again and retries
the others. An exception raised by the work (an environment failure such as a full disk, never a
bad file: those become rows) ends the map with that exception. loaders.dask_executor runs the same
supervision on a Dask cluster (a pool of one per Dask worker thread; see docs/scaling.md).
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Any, Protocol

Work = Callable[[Any, Callable[[], None]], Any]


@dataclass(frozen=True)
class Lost:
    """A task whose work did not come back: its worker process died or stopped making progress."""

    reason: str
    position: int = 0  # the item (1-based tick count) the work was on; 0 when unknown
    timed_out: bool = False  # killed because that item outlived its limit
    note: str | None = None  # the note the work left about that item


@dataclass(frozen=True)
class Failed:
    """The work raised: carried from the worker to the parent, which raises it again."""

    error: BaseException


class _NoTick:
    """The tick of executors that do not supervise: does nothing."""

    def __call__(self, limit: float | None = None) -> None:
        return None

    def note(self, text: str) -> None:
        return None


_NO_TICK = _NoTick()


class Executor(Protocol):
    def map(self, work: Work, tasks: Sequence, stall_after: float | None = None) -> Iterator[tuple[Any, Any]]: ...


class SerialExecutor:
    """Everything in the calling process: no isolation (a crash ends the load), for debugging."""

    def map(self, work: Work, tasks: Sequence, stall_after: float | None = None) -> Iterator[tuple[Any, Any]]:
        for task in tasks:
            yield task, work(task, _NO_TICK)

    def close(self) -> None:
        return None


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies, even by SIGKILL, so that a killed
    `ogi` leaves no worker or dbt process behind (Linux; elsewhere orphans finish on their own)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


_NOTE_BYTES = 200


class _Progress:
    """A worker's tick, kept in memory shared with the parent (no message per file): the number of
    ticks, when the last one came, the limit of the item it started, and the note about that item."""

    def __init__(self, context):
        self.state = context.RawArray("d", 3)  # ticks, monotonic time of the last tick, limit (0: none)
        self.text = context.RawArray("c", _NOTE_BYTES)
        self.noted_at = context.RawValue("d", 0.0)  # the tick count the note belongs to

    def __call__(self, limit: float | None = None) -> None:
        self.state[0] += 1
        self.state[1] = time.monotonic()
        self.state[2] = limit or 0.0

    def note(self, text: str) -> None:
        self.text.value = text.encode()[:_NOTE_BYTES - 1]
        self.noted_at.value = self.state[0]

    def start(self) -> None:
        """A new task: no item yet."""
        self.state[0], self.state[1], self.state[2] = 0.0, time.monotonic(), 0.0
        self.noted_at.value = -1.0

    def current_note(self) -> str | None:
        return self.text.value.decode(errors="replace") if self.noted_at.value == self.state[0] else None


def _worker_main(conn, progress: _Progress) -> None:
    """A pool worker: run tasks until the parent closes the pipe or sends None."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        # Taken: the stall clock starts now, not when the task was sent (a spawned worker imports the
        # work's modules while it unpickles the first one).
        progress.state[1] = time.monotonic()
        work, task = message
        try:
            result = work(task, progress)
        except Exception as exc:  # an environment failure (a full disk): the parent decides
            result = Failed(exc)
        try:
            conn.send(result)
        except (BrokenPipeError, OSError):
            return
        except Exception as exc:  # the result or the exception cannot be pickled
            conn.send(Failed(RuntimeError(f"{type(exc).__name__}: {exc}")))


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with status {code}"


@dataclass
class _Worker:
    process: Any
    conn: Any
    progress: _Progress
    task: Any = None


class ProcessPoolExecutor:
    """Worker processes that survive their tasks' failures: a worker that dies (a crash in a C
    library, the kernel's OOM killer) or stops ticking is killed and replaced, its task is yielded
    as Lost, and the other workers carry on. Workers are forked where the platform can (they
    start at once and inherit what the parent built, e.g. the registry; Arrow's thread pools
    re-initialise after a fork), else spawned (each then builds what it needs once)."""

    def __init__(self, workers: int | None = None, start_method: str | None = None):
        self.size = max(1, workers or os.cpu_count() or 1)
        methods = multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context(start_method or ("fork" if "fork" in methods else "spawn"))
        self._workers: list[_Worker] = []

    def _start(self) -> _Worker:
        parent_end, child_end = self._context.Pipe()
        progress = _Progress(self._context)
        process = self._context.Process(target=_worker_main, args=(child_end, progress), daemon=True)
        process.start()
        child_end.close()
        return _Worker(process, parent_end, progress)

    def _replace(self, worker: _Worker) -> _Worker:
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        new = self._start()
        self._workers[self._workers.index(worker)] = new
        return new

    def map(self, work: Work, tasks: Sequence, stall_after: float | None = None) -> Iterator[tuple[Any, Any]]:
        if not tasks:
            return
        while len(self._workers) < self.size:
            self._workers.append(self._start())
        queue = deque(tasks)
        busy = 0
        while queue or busy:
            for worker in list(self._workers):
                if worker.task is None and queue:
                    if not worker.process.is_alive():  # died while idle: its pipe has no reader
                        worker = self._replace(worker)
                    worker.task = queue.popleft()
                    worker.progress.start()
                    worker.conn.send((work, worker.task))
                    busy += 1
            active = [w for w in self._workers if w.task is not None]
            ready = wait([w.conn for w in active] + [w.process.sentinel for w in active], timeout=0.5)
            now = time.monotonic()
            for worker in active:
                if worker.conn in ready:
                    try:
                        result = worker.conn.recv()
                    except (EOFError, OSError):
                        result = None
                    else:
                        task, worker.task = worker.task, None
                        busy -= 1
                        if isinstance(result, Failed):
                            self._abandon()
                            raise result.error
                        yield task, result
                        continue
                _, last, limit = worker.progress.state
                timed_out = False
                if worker.conn in ready or worker.process.sentinel in ready or not worker.process.is_alive():
                    # Its pipe or sentinel closed: the process is exiting; wait for its status.
                    worker.process.join(timeout=5)
                    reason = f"worker process {_describe_exit(worker.process.exitcode)}"
                elif limit and now - last > limit:
                    reason, timed_out = f"its file outlived {limit:g}s: worker killed", True
                elif stall_after and now - last > stall_after:
                    reason = f"no progress for {stall_after:.0f}s: worker killed"
                else:
                    continue
                task, worker.task = worker.task, None
                busy -= 1
                self._replace(worker)  # killed first: its progress no longer changes
                yield task, Lost(reason, int(worker.progress.state[0]), timed_out, worker.progress.current_note())

    def _abandon(self) -> None:
        """Stop the tasks still running: the map ends, and their results would reach the next one."""
        for worker in list(self._workers):
            if worker.task is not None:
                worker.task = None
                self._replace(worker)

    def close(self) -> None:
        for worker in self._workers:
            try:
                worker.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        for worker in self._workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self._workers = []

    def __enter__(self) -> "ProcessPoolExecutor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
