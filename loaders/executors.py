"""Where the loader's per-task work runs: the one seam between the loader and its compute.

A task is self-contained (file paths and output folders in, small results out; the rows themselves
go to files the task writes), so any engine that can call a function on a picklable argument in
another process can run it. An executor implements one method:

    map(work, tasks, stall_after) -> iterator of (task, result or Lost), in any order

`work(task, tick)` calls `tick()` whenever it starts on one more input file; an executor that
supervises its workers declares a task lost when no tick came for `stall_after` seconds, and yields
`Lost` for a task whose worker died. The loader then retries the task's files one by one, so a
single pathological file costs only its own row. A Dask, Ray or Spark executor would submit
`work(task, no-op)` per task and map its engine's task failures to `Lost` (see docs/scaling.md).
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


class Executor(Protocol):
    def map(self, work: Work, tasks: Sequence, stall_after: float | None = None) -> Iterator[tuple[Any, Any]]: ...


def _no_tick() -> None:
    return None


class SerialExecutor:
    """Everything in the calling process: no isolation (a crash ends the load), for debugging."""

    def map(self, work: Work, tasks: Sequence, stall_after: float | None = None) -> Iterator[tuple[Any, Any]]:
        for task in tasks:
            yield task, work(task, _no_tick)

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


def _worker_main(conn, heartbeat) -> None:
    """A pool worker: run tasks until the parent closes the pipe or sends None."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle

    def tick() -> None:
        heartbeat.value = time.monotonic()

    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        work, task = message
        tick()
        result = work(task, tick)
        try:
            conn.send(result)
        except (BrokenPipeError, OSError):
            return


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
    heartbeat: Any
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
        heartbeat = self._context.RawValue("d", time.monotonic())
        process = self._context.Process(target=_worker_main, args=(child_end, heartbeat), daemon=True)
        process.start()
        child_end.close()
        return _Worker(process, parent_end, heartbeat)

    def _replace(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self._workers[self._workers.index(worker)] = self._start()

    def map(self, work: Work, tasks: Sequence, stall_after: float | None = None) -> Iterator[tuple[Any, Any]]:
        if not tasks:
            return
        while len(self._workers) < self.size:
            self._workers.append(self._start())
        queue = deque(tasks)
        busy = 0
        while queue or busy:
            for worker in self._workers:
                if worker.task is None and queue:
                    worker.task = queue.popleft()
                    worker.heartbeat.value = time.monotonic()
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
                        yield task, result
                        continue
                if worker.conn in ready or worker.process.sentinel in ready or not worker.process.is_alive():
                    # Its pipe or sentinel closed: the process is exiting; wait for its status.
                    worker.process.join(timeout=5)
                    reason = f"worker process {_describe_exit(worker.process.exitcode)}"
                elif stall_after and now - worker.heartbeat.value > stall_after:
                    reason = f"no progress for {stall_after:.0f}s: worker killed"
                else:
                    continue
                task, worker.task = worker.task, None
                busy -= 1
                self._replace(worker)
                yield task, Lost(reason)

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
