"""A load or build killed with SIGKILL at any moment leaves the previous staging snapshot and
warehouse intact and queryable, leaves no process behind, and the next run completes."""
import os
import re
import signal
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from ogi.synth import Options, generate
from tests.integration.conftest import ogi
from tests.terminal import Terminal


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> tuple[Path, Path]:
    """Two folders of synthetic reports: the first load, and a larger one the killed runs work on."""
    work = tmp_path_factory.mktemp("kill")
    generate(Options(300, seed=5, formats=("text",)), work / "synth", processes=2)
    reports = sorted(p for p in (work / "synth" / "reports").rglob("*") if p.is_file())
    small = work / "small"
    for p in reports[:40]:
        target = small / p.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(p.read_bytes())
    return small, work / "synth" / "reports"


def kill_when(*args: str, seen) -> str:
    """Start `ogi ARGS` on a terminal, read the progress it draws until `seen(output)`, then SIGKILL it;
    return the output."""
    terminal = Terminal(*args)
    reached = terminal.read_until(seen)
    if reached:
        terminal.process.send_signal(signal.SIGKILL)
    returncode = terminal.wait()
    assert reached and returncode == -signal.SIGKILL, terminal.output
    return terminal.output


def bar_at(step: str, done: Callable[[int, int], bool]) -> Callable[[str], bool]:
    """Whether the progress bar of `step` has been drawn at a count of files or nodes for which
    `done(count, total)` holds."""
    def seen(output: str) -> bool:
        return any(done(int(n), int(total)) for n, total in re.findall(rf"{step}: +\d+%\|[^|]*\| (\d+)/(\d+)", output))
    return seen


def processes_mentioning(text: str) -> list[str]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline and int(pid) != os.getpid():
            found.append(cmdline)
    return found


def no_process_left(text: str) -> None:
    for _ in range(50):
        if not processes_mentioning(text):
            return
        time.sleep(0.1)
    assert not processes_mentioning(text)


def staged_reports(staging: Path) -> int:
    with duckdb.connect() as con:
        return con.execute(f"select count(*) from read_parquet('{staging}/current/reports/*.parquet')").fetchone()[0]


def test_killed_loads_leave_the_previous_snapshot(corpora, tmp_path):
    small, large = corpora
    staging = tmp_path / "staging"
    assert ogi("load", str(small), "--staging", str(staging)).returncode == 0
    first = (staging / "current").resolve()
    before = staged_reports(staging)
    assert before > 30

    moments = {
        "while parsing": bar_at("parse", lambda n, total: 0 < n < total),
        # The bar at its end: every file is parsed, the snapshot is being written.
        "while writing the snapshot": bar_at("parse", lambda n, total: n == total),
    }
    for moment, seen in moments.items():
        kill_when("load", str(large), "--staging", str(staging), seen=seen)
        assert (staging / "current").resolve() == first, moment
        assert staged_reports(staging) == before, moment
        no_process_left(str(staging))
    # The last kill came while the new snapshot was half written: its folder is still there...
    assert list((staging / "snapshots").glob(".building-*"))
    # ...and the next load cleans it up and completes.
    done = ogi("load", str(large), "--staging", str(staging))
    assert done.returncode == 0, done.stdout
    assert staged_reports(staging) > 300
    assert not list((staging / "snapshots").glob(".building-*")) and not list(staging.glob(".spool-*"))


def test_killed_build_leaves_the_previous_warehouse(corpora, tmp_path):
    small, large = corpora
    staging, db = tmp_path / "staging", tmp_path / "ogi.duckdb"
    assert ogi("load", str(small), "--staging", str(staging)).returncode == 0
    before = staged_reports(staging)
    built = ogi("build", "--staging", str(staging), "--db", str(db))
    assert built.returncode == 0, built.stdout
    assert ogi("load", str(large), "--staging", str(staging)).returncode == 0

    # Killed while dbt is creating models in the temporary warehouse.
    kill_when("build", "--staging", str(staging), "--db", str(db), seen=bar_at("dbt build", lambda n, total: n > 0))
    no_process_left(str(tmp_path / ".ogi.dbt"))
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from dim_reports").fetchone()[0] == before
        assert con.execute("select count(*) from fct_reconciliation_checks").fetchone()[0] > 0

    done = ogi("build", "--staging", str(staging), "--db", str(db))
    assert done.returncode == 0, done.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from dim_reports").fetchone()[0] > 300
    assert not list(tmp_path.glob(".ogi.duckdb.building*"))
