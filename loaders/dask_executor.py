"""The loader's tasks on a Dask cluster: `ogi load … --executor dask [--scheduler ADDRESS]`.

A Dask task runs in a thread of a Dask worker process, where no signal handler can run (the per-file
alarm would be off) and where an RLIMIT_AS would limit the whole worker. So the Dask task does not
run the work itself: it hands it to a child process of the Dask worker (one per worker thread, kept
from task to task, started with `spawn`: a ProcessPoolExecutor of one), which runs it in its main
thread under the per-file alarm and memory limit, exactly as a worker of the local pool does. The
Dask task supervises the child as the local pool does its workers: it kills the child when a file
outlives its limit or the work gives no tick for `stall_after` seconds, and a child that dies (a
crash in a C library, the kernel's OOM killer) costs only that task. Either way the task returns
`Lost`, with the file the child was on and the note about it, and the loader retries as usual (the
other files together, that file alone, then a failed row). The Dask worker carries on.

A Dask worker that dies (its machine lost, the process killed) fails the tasks it was running with
KilledWorker; each becomes `Lost` without a position, and the loader runs its files again one by
one (a file that was alone is recorded as lost). The executor submits no more tasks than the
cluster has threads, so that a worker that dies holds only the tasks it was running, never tasks
queued behind them; the local cluster is started with `allowed-failures` 0, so that the loader and
not Dask decides what is retried. On a cluster of your own, Dask first retries a task on other
workers up to its `distributed.scheduler.allowed-failures` (3 by default).

Requirements on a cluster (checked when the executor starts, except the paths): the workers run the
same loader code (the digest of the loaders package and its default seeds is compared), they may
start processes (`distributed.worker.daemon: false`, or workers without a nanny), and they reach
the input files, the seeds and the staging folder at the same paths as this machine, and the spool
at its path or URL (loaders.spool).
"""
from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any

import dask
from distributed import Client, KilledWorker, LocalCluster, WorkerPlugin, as_completed, get_worker

from loaders.executors import Lost, ProcessPoolExecutor, Work

# How long a map waits for a worker when the cluster has none (all of them died and are restarting).
_WAIT_FOR_WORKERS_S = 300


class ClusterProblem(RuntimeError):
    """The cluster cannot run the loader's tasks as they must run (said in one line, how to fix)."""


class _Children(WorkerPlugin):
    """On each Dask worker: the child process of each worker thread, started on its first task,
    replaced when it is killed, and stopped with the worker (or when the load ends)."""

    def setup(self, worker) -> None:
        self._pools: dict[int, ProcessPoolExecutor] = {}
        self._lock = threading.Lock()

    def pool(self) -> ProcessPoolExecutor:
        with self._lock:
            ident = threading.get_ident()
            if ident not in self._pools:
                # spawn: the worker process has threads (event loop, thread pool), which fork would copy mid-step.
                self._pools[ident] = ProcessPoolExecutor(1, start_method="spawn")
            return self._pools[ident]

    def teardown(self, worker) -> None:
        with self._lock:
            for pool in self._pools.values():
                pool.close()
            self._pools.clear()


def _in_child(children: str, work: Work, task: Any, stall_after: float | None) -> Any:
    """The Dask task: `work(task)` in this worker thread's child process; its result or Lost."""
    pool = get_worker().plugins[children].pool()
    for _, result in pool.map(work, [task], stall_after):
        return result
    raise AssertionError("the child gave no result")  # map yields once per task


def _worker_facts() -> dict:
    """What the executor checks on each worker before it submits anything."""
    import multiprocessing

    from loaders.batch import fingerprint
    from loaders.guard import Limits
    from loaders.project import SEEDS_DIR

    return {"daemon": bool(multiprocessing.current_process().daemon), "code": fingerprint(SEEDS_DIR, Limits())}


def local_cluster(workers: int) -> LocalCluster:
    """A cluster on this machine: `workers` worker processes of one thread each, on the loopback
    (the scheduler's HTTP server on a free port: Dask's default, 8787, may be another cluster's)."""
    # Set for this process and not only while the cluster starts: the nannies read the first when
    # they restart a worker that died, and the loader retries, not Dask (see the module's docstring).
    dask.config.set({"distributed.worker.daemon": False, "distributed.scheduler.allowed-failures": 0})
    return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                        dashboard_address=":0", silence_logs=logging.CRITICAL)


class DaskExecutor:
    """The Executor interface (loaders.executors) over a Dask cluster: the one at `scheduler`
    (an address such as tcp://10.0.0.5:8786), or a local cluster of `workers` processes."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None):
        started = time.monotonic()
        self._cluster = None if scheduler else local_cluster(max(1, workers or os.cpu_count() or 1))
        try:
            self.client = Client(scheduler or self._cluster, timeout="30s")
            self.client.wait_for_workers(1, timeout=_WAIT_FOR_WORKERS_S)
            self._check()
            # A name of its own: another load on the same cluster keeps its children.
            self._children = f"ogi-children-{uuid.uuid4().hex}"
            self.client.register_plugin(_Children(), name=self._children)
        except BaseException:
            self.close()
            raise
        self.size = self._threads()
        where = f"scheduler {scheduler}" if scheduler else "a local cluster"
        self.description = (f"Dask, {where}: {self.size} threads on {len(self.client.nthreads())} workers "
                            f"(ready in {time.monotonic() - started:.1f}s)")

    def _check(self) -> None:
        from loaders.batch import fingerprint
        from loaders.guard import Limits
        from loaders.project import SEEDS_DIR

        mine = fingerprint(SEEDS_DIR, Limits())
        for address, facts in sorted(self.client.run(_worker_facts).items()):
            if facts["daemon"]:
                raise ClusterProblem(
                    f"the Dask worker {address} is a daemonic process, which cannot start the parser's processes: "
                    "start the workers with DASK_DISTRIBUTED__WORKER__DAEMON=False (or without a nanny)")
            if facts["code"] != mine:
                raise ClusterProblem(f"the Dask worker {address} runs other loader code or seeds than this machine: "
                                     "install the same ogi-warehouse on the workers")

    def _threads(self) -> int:
        return sum(self.client.nthreads().values())

    def map(self, work: Work, tasks: Sequence, stall_after: float | None = None) -> Iterator[tuple[Any, Any]]:
        waiting = deque(tasks)
        running: dict[Any, Any] = {}  # future -> task
        finished = as_completed()
        try:
            while waiting or running:
                free = self._threads() - len(running)
                while waiting and free > 0:
                    task = waiting.popleft()
                    future = self.client.submit(_in_child, self._children, work, task, stall_after, pure=False)
                    running[future] = task
                    finished.add(future)
                    free -= 1
                if not running:  # every worker died and none is back yet
                    self.client.wait_for_workers(1, timeout=_WAIT_FOR_WORKERS_S)
                    continue
                future = next(finished)
                task = running.pop(future)
                try:
                    result = future.result()
                except KilledWorker as exc:
                    worker = getattr(getattr(exc, "last_worker", None), "address", "?")
                    result = Lost(f"its Dask worker {worker} died while running it")
                yield task, result
        finally:
            if running:  # the work raised, or the caller stopped: nothing of this map may run on
                self.client.cancel(list(running))

    def close(self) -> None:
        client, self.client = getattr(self, "client", None), None
        children, self._children = getattr(self, "_children", None), None
        if client is not None:
            try:
                if children and self._cluster is None:  # a cluster that outlives this load: stop our children
                    client.unregister_worker_plugin(children)
            finally:
                client.close()
        cluster, self._cluster = self._cluster, None
        if cluster is not None:
            cluster.close()

    def __enter__(self) -> "DaskExecutor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

