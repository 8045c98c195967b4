"""The parse on Dask (loaders.dask_executor): on a local cluster of two workers, started once for this
module, the staging is byte for byte the in-process one, and every per-file guarantee of the local
pool holds: a file past the time limit, a stalled task and a worker killed mid-task each give their
usual failed row, and the batch completes.

The cluster's processes (the Dask workers and the parser processes they start) import the hooks
below at start-up (a sitecustomize module on their PYTHONPATH): files with a given name or content
block their read, stall, crash their process or kill their Dask worker, and each such event, and
every spool file written, is logged with the process ids involved."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from loaders import batch
from loaders.dask_executor import DaskExecutor
from loaders.executors import Lost
from tests.integration.conftest import ogi
from tests.integration.test_hostile_files import by_path, staged
from tests.integration.test_staging import assert_identical
from tests.unit import test_versions_and_executors as work

PROJECT = Path(__file__).resolve().parents[2]

HOOKS = '''
import os, signal, time

LOG = os.environ.get("OGI_TEST_HOOK_LOG")
if LOG:
    import loaders.batch as batch
    import loaders.guard as guard
    import loaders.spool as spool

    def log(event):
        with open(f"/proc/{os.getppid()}/stat") as f:
            grandparent = f.read().rsplit(")", 1)[1].split()[1]
        with open(LOG, "a") as f:
            f.write(f"{event} pid {os.getpid()} parent {os.getppid()} grandparent {grandparent}\\n")

    read, parse_report, open_output = guard.read, batch.parse_report, spool.open_output

    def hooked_read(path, *args, **kwargs):
        if path.endswith("blocks.txt"):  # a read that blocks and that no alarm interrupts
            log("blocks.txt")
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            while True:
                time.sleep(3600)
        return read(path, *args, **kwargs)

    def hooked_parse(data, path, registry, *identity_and_notes):
        if data.startswith(b"LOOP"):  # a parser that never finishes but ticks on (its alarm stops it)
            while True:
                pass
        if data == b"STALL":  # no tick, ever (the file's own limit is longer than the stall window)
            log("stall")
            while True:
                time.sleep(3600)
        if data == b"CRASH":  # the parser's process dies
            log("crash")
            os.kill(os.getpid(), signal.SIGKILL)
        if data == b"KILL-THE-DASK-WORKER":  # the Dask worker that runs the task dies
            log("kill")
            os.kill(os.getppid(), signal.SIGKILL)
            time.sleep(3600)
        return parse_report(data, path, registry, *identity_and_notes)

    def logged_output(path):
        log(f"spool {path}")
        return open_output(path)

    guard.read, batch.parse_report, spool.open_output = hooked_read, hooked_parse, logged_output
'''

CLUSTER = '''
import sys
from loaders.dask_executor import local_cluster

if __name__ == "__main__":
    cluster = local_cluster(2)
    print(cluster.scheduler_address, flush=True)
    sys.stdin.read()  # until the test module is done
    cluster.close()
'''


class Cluster:
    def __init__(self, address: str, pid: int, log: Path):
        self.address, self.pid, self.log = address, pid, log

    def events(self, name: str) -> list[dict]:
        """The hooks' log lines of one event: {"pid", "parent", "grandparent"}."""
        found = []
        for line in (self.log.read_text().splitlines() if self.log.exists() else []):
            event, rest = line.split(" pid ")
            if event == name or (name.endswith("*") and event.startswith(name[:-1])):
                pid, _, parent, _, grandparent = rest.split()
                found.append({"event": event, "pid": int(pid), "parent": int(parent), "grandparent": int(grandparent)})
        return found


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A local cluster of two Dask workers (loaders.dask_executor.local_cluster, as `ogi load
    --executor dask` starts it) in a process of its own, with the hooks."""
    work_dir = tmp_path_factory.mktemp("dask_cluster")
    (work_dir / "hooks").mkdir()
    (work_dir / "hooks" / "sitecustomize.py").write_text(HOOKS)
    (work_dir / "cluster.py").write_text(CLUSTER)
    log = work_dir / "hooks.log"
    env = {**os.environ, "OGI_TEST_HOOK_LOG": str(log),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(work_dir / "hooks"), str(PROJECT), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen([sys.executable, str(work_dir / "cluster.py")], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               text=True, env=env, cwd=work_dir)
    try:
        address = process.stdout.readline().strip()
        assert address.startswith("tcp://127.0.0.1:"), address
        yield Cluster(address, process.pid, log)
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """48 synthetic reports in text, HTML and DOCX (duplicates and republished versions among them)."""
    from ogi.synth import Options, generate

    out = tmp_path_factory.mktemp("dask_corpus")
    generate(Options(48, seed=19, formats=("text", "html", "docx"), duplicate_share=0.05, republished_share=0.05), out, processes=1)
    return out / "reports"


@pytest.fixture(scope="module")
def in_process(tmp_path_factory, synthetic) -> Path:
    staging = tmp_path_factory.mktemp("in_process") / "staging"
    done = ogi("load", str(synthetic), "--staging", str(staging), "--workers", "0")
    assert done.returncode == 0, done.stdout + done.stderr
    return staging


def load(*args: str) -> subprocess.CompletedProcess:
    done = ogi("load", *args)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def test_the_executor_keeps_the_pools_contract(cluster):
    """What the local pool yields (tests/unit/test_versions_and_executors.py), the Dask executor
    yields: an item past its limit is Lost with the item and the note about it, and an exception
    of the work (a full disk) ends the map with that exception."""
    with DaskExecutor(cluster.address) as executor:
        assert executor.size == 2
        assert list(executor.map(work._items_then_hang, [(1, 2, 3)])) == [
            ((1, 2, 3), Lost("its file outlived 1s: worker killed", 2, True, "item 2"))]
        with pytest.raises(OSError, match="No space left on device") as raised:
            list(executor.map(work._no_space, [7]))
        assert raised.value.errno == 28 and raised.value.filename == "/spool/7"


def test_samples_and_a_synthetic_corpus_stage_as_in_process(cluster, synthetic, in_process, tmp_path, samples_dir):
    """The samples on a local cluster that `ogi load` starts itself, and the synthetic corpus on the
    module's cluster with the spool given as a URL (fsspec): the same bytes as `--workers 0`."""
    load(str(samples_dir), "--staging", str(tmp_path / "samples-0"), "--workers", "0")
    done = load(str(samples_dir), "--staging", str(tmp_path / "samples-dask"), "--executor", "dask", "--workers", "2")
    assert "executor: Dask, a local cluster: 2 threads on 2 workers" in done.stdout
    assert_identical(tmp_path / "samples-0", tmp_path / "samples-dask")

    spool = f"file://{tmp_path}/spool"
    done = load(str(synthetic), "--staging", str(tmp_path / "synthetic"), "--scheduler", cluster.address, "--spool", spool)
    assert f"executor: Dask, scheduler {cluster.address}: 2 threads on 2 workers" in done.stdout
    assert_identical(in_process, tmp_path / "synthetic")
    # Every task wrote its rows through fsspec under the URL, from a parser process of a Dask worker.
    written = [e for e in cluster.events("spool *") if e["event"].startswith(f"spool {spool}/")]
    assert len(written) >= 8 and {e["grandparent"] for e in written} == {cluster.pid}
    assert not list((tmp_path / "spool").iterdir())  # removed at the end


def test_bucket_parts_written_on_the_cluster_are_the_same(cluster, synthetic, in_process, tmp_path, monkeypatch):
    """Large loads write their bucket parts on the executor too (here every load does)."""
    monkeypatch.setattr(batch, "PARALLEL_WRITE_ROWS", 0)
    with DaskExecutor(cluster.address) as executor:
        batch.load([synthetic], tmp_path / "staging", executor=executor)
    assert_identical(in_process, tmp_path / "staging")


def test_files_past_the_time_limit_are_stopped(cluster, tmp_path, samples_dir):
    """A parse that never finishes (its own alarm stops it, in the parser's process) and a
    read that blocks with the alarm blocked (only the Dask task's kill of that process stops it)."""

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "loops.txt").write_text("LOOP for ever")
    (inputs / "blocks.txt").write_text("never read to the end")
    (inputs / "luzhou.txt").write_bytes((samples_dir / "luzhou_2020_traditional.txt").read_bytes())
    done = load(str(inputs), "--staging", str(tmp_path / "staging"), "--file-timeout", "1", "--scheduler", cluster.address)
    files = by_path(tmp_path / "staging")
    reason = "parsing stopped after 1s, the per-file time limit (--file-timeout / OGI_FILE_TIMEOUT)"
    for name in ("loops.txt", "blocks.txt"):
        assert files[name]["status"] == "failed" and files[name]["reason"].endswith(reason), files[name]
    assert files["loops.txt"]["sha256"] is not None and files["blocks.txt"]["sha256"] is None
    assert files["luzhou.txt"]["status"] == "ok"
    assert "file_time_limit 2" in done.stdout
    # The read that blocked ran in a child of a Dask worker, not in the worker itself.
    [blocked] = cluster.events("blocks.txt")
    assert blocked["grandparent"] == cluster.pid


def test_a_stall_a_crash_and_a_killed_worker_cost_only_their_files(cluster, tmp_path, samples_dir, monkeypatch):
    """Among two copies of the samples (tasks of two files), a file whose parse stops giving ticks
    (inside a file limit of 60 s; the stall window is 3 s here instead of 90 s), one that kills its
    parser's process and one that kills its Dask worker: each is retried alone after the loss of its
    task, then gets the failed row of a lost worker; every other file is read as always, and the
    killed Dask workers are replaced."""
    from distributed import Client

    inputs = tmp_path / "in"
    for copy in range(2):
        shutil.copytree(samples_dir, inputs / f"copy{copy}")
    # 13 files in tasks of two: each of these shares its task with a sample.
    (inputs / "copy0" / "stalls.txt").write_bytes(b"STALL")
    (inputs / "copy1" / "crash.txt").write_bytes(b"CRASH")
    (inputs / "copy1" / "kills-its-worker.txt").write_bytes(b"KILL-THE-DASK-WORKER")
    # The stall clock starts when a parser process has taken its task (its imports are done), so
    # 3 s leave room for building the registry on a busy machine.
    monkeypatch.setattr(batch, "stall_after", lambda limits: 3.0)
    with DaskExecutor(cluster.address) as executor:
        summary = batch.load([inputs], tmp_path / "staging", executor=executor)
    assert summary.files == 13 and summary.status == {"ok": 4, "partial": 1, "failed": 3}
    assert summary.refused == {"worker_lost": 3}
    files = by_path(tmp_path / "staging")
    lost = "the parser's worker process stopped on this file"
    assert files["stalls.txt"]["reason"].endswith(f"{lost} (no progress for 3s: worker killed)")
    assert files["crash.txt"]["reason"].endswith(f"{lost} (worker process killed by SIGKILL)")
    assert f"{lost} (its Dask worker tcp://127.0.0.1:" in files["kills-its-worker.txt"]["reason"]
    assert files["kills-its-worker.txt"]["reason"].endswith("died while running it)")
    for event in ("stall", "crash", "kill"):  # in its task, then alone
        assert len(cluster.events(event)) == 2, event
    killed = {e["parent"] for e in cluster.events("kill")}
    assert len(killed) == 2 and all(not _alive(pid) for pid in killed)
    with Client(cluster.address) as client:  # the nannies start new workers
        client.wait_for_workers(2, timeout=300)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_cluster_whose_workers_cannot_start_processes_is_refused(tmp_path, samples_dir):
    """Dask's default workers (daemonic processes under a nanny) cannot start the parser's
    processes: the load says so in one line before any task runs."""
    from distributed import LocalCluster

    from tests.integration.test_usage_errors import one_line_error

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0") as daemonic:
        said = one_line_error(ogi("load", str(samples_dir), "--staging", str(tmp_path / "staging"),
                                  "--scheduler", daemonic.scheduler_address), "load")
    assert "is a daemonic process, which cannot start the parser's processes: start the workers with " \
           "DASK_DISTRIBUTED__WORKER__DAEMON=False (or without a nanny)" in said
    assert not (tmp_path / "staging" / "current").exists()


def test_usage_errors(tmp_path, samples_dir):
    from tests.integration.test_usage_errors import one_line_error

    staging = str(tmp_path / "staging")
    said = one_line_error(ogi("load", str(samples_dir), "--staging", staging, "--executor", "processes",
                              "--scheduler", "tcp://127.0.0.1:8786"), "load")
    assert said.endswith("--scheduler is the address of a Dask scheduler: it goes with --executor dask")
    said = one_line_error(ogi("load", str(samples_dir), "--staging", staging, "--executor", "dask", "--workers", "0"), "load")
    assert said.endswith("give --workers 1 or more (0 is in-process)")
    said = one_line_error(ogi("load", str(samples_dir), "--staging", staging, "--scheduler", "tcp://127.0.0.1:8786",
                              "--workers", "2"), "load")
    assert said.endswith("the cluster at tcp://127.0.0.1:8786 has its own workers")
