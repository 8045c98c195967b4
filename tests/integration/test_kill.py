"""A load or build killed with SIGKILL at any moment leaves the previous staging snapshot and
warehouse intact and queryable, leaves no process behind, and the next run completes."""
import os
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from ogi.synth import Options, generate
from tests.integration.conftest import OGI, ogi


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


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([str(OGI), *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def kill_when(process: subprocess.Popen, seen) -> str:
    """Read the process's output until `seen(line)`, then SIGKILL it; return the output."""
    lines = []
    for line in process.stdout:
        lines.append(line)
        if seen(line):
            process.send_signal(signal.SIGKILL)
            break
    process.wait()
    rest = process.stdout.read()
    assert process.returncode == -signal.SIGKILL, "".join(lines) + rest
    return "".join(lines)


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
        "while parsing": lambda line: "parsed " in line,
        # The last progress line: every file is parsed, the snapshot is being written.
        "while writing the snapshot": lambda line: line.startswith("  parsed ") and line.split()[1].split("/")[0] == line.split()[1].split("/")[1],
    }
    for moment, seen in moments.items():
        kill_when(start("load", str(large), "--staging", str(staging)), seen)
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
    kill_when(start("build", "--staging", str(staging), "--db", str(db)), lambda line: " OK created" in line)
    no_process_left(str(tmp_path / ".ogi.dbt"))
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from dim_reports").fetchone()[0] == before
        assert con.execute("select count(*) from fct_reconciliation_checks").fetchone()[0] > 0

    done = ogi("build", "--staging", str(staging), "--db", str(db))
    assert done.returncode == 0, done.stdout
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from dim_reports").fetchone()[0] > 300
    assert not list(tmp_path.glob(".ogi.duckdb.building*"))
