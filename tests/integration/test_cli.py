"""How `ogi` talks to a person: its version, one line and exit status 2 for every usage error, and
progress on a terminal for the steps a person waits for (files parsed with their rate and the time
left, dbt's nodes in order, pages written), with nothing of it in piped output or with --quiet."""
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.integration.conftest import ogi
from tests.terminal import run_in_terminal

PROJECT_DIR = Path(__file__).resolve().parents[2]
# A progress bar as tqdm draws it: "parse:  40%|████      | 2/5 [00:01<00:02, 1.95file/s]".
BAR = r"{step}: +(\d+)%\|[^|]*\| (\d+)/(\d+) \[(\d\d:\d\d)<(\d\d:\d\d|\?), +([\d.?]+)({unit})/s\]"


def bars(output: str, step: str, unit: str) -> list[tuple[int, int, str, float]]:
    """(done, total, time left, rate) of every drawing of a step's bar."""
    return [(int(done), int(total), left, float(rate) if rate != "?" else 0.0)
            for _, done, total, _, left, rate, _ in re.findall(BAR.format(step=step, unit=unit), output)]


def test_version_is_the_package_version():
    done = ogi("--version")
    version = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]["version"]
    assert done.returncode == 0 and done.stdout.strip() == f"ogi {version}"


@pytest.fixture(scope="module")
def locked_warehouse(samples_run):
    """The demo warehouse held open for writing by another process."""
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, sys, time\ncon = duckdb.connect({str(samples_run.db)!r})\n"
                               "print('open', flush=True)\ntime.sleep(600)"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    yield samples_run.db, holder.pid
    holder.kill()
    holder.wait()


def test_usage_errors_are_one_line_with_exit_status_2(tmp_path, samples_run, locked_warehouse):
    text = tmp_path / "notes.txt"
    text.write_text("not a warehouse\n", encoding="utf-8")
    db, holder = locked_warehouse
    cases = {
        ("synth", "-5", "--out", str(tmp_path / "s")): "ogi synth: argument count: -5 is not a whole number of 1 or more",
        ("synth", "5", "--out", str(tmp_path / "s"), "--formats", "text,odt"): "ogi synth: argument --formats: odt is not one of text, html, docx, pdf",
        ("synth", "5", "--out", str(tmp_path / "s"), "--error-share", "1.5"): "ogi synth: argument --error-share: 1.5 is not a share between 0 and 1",
        ("load", str(tmp_path / "reprots")): f"ogi load: no such file or folder: {tmp_path / 'reprots'}",
        ("report", "--db", str(text)): f"ogi report: {text} is not a DuckDB warehouse",
        ("export", "--db", str(text)): f"ogi export: {text} is not a DuckDB warehouse",
        ("build", "--db", str(text)): f"ogi build: {text} is not a DuckDB warehouse and would be replaced",
        ("check", "--db", str(tmp_path)): f"ogi check: --db {tmp_path} is a folder",
        ("export", "--db", str(tmp_path / "none.duckdb")): f"ogi export: no warehouse at {tmp_path / 'none.duckdb'}: run `ogi build` first",
        ("build", "--staging", str(tmp_path / "none")): f"ogi build: no staging data in {tmp_path / 'none'}: run `ogi load` first",
        ("export", "--format", "xlsx"): "ogi export: argument --format: xlsx is not one of parquet, csv",
        ("frob",): "ogi: argument command: invalid choice: 'frob'",
        ("report", "--db", str(db), "--out", str(tmp_path / "r")): f"ogi report: the warehouse {db} is in use by another "
                                                                     f"process (PID {holder}): wait for it to finish",
    }
    for args, expected in cases.items():
        done = ogi(*args, cwd=tmp_path)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert done.stdout == "" and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, (args, done.stderr)
        assert done.stderr.startswith(expected), (args, done.stderr)
    assert text.read_text(encoding="utf-8") == "not a warehouse\n"


def test_progress_on_a_terminal(tmp_path, samples_dir):
    shutil.copytree(samples_dir, tmp_path / "samples")
    code, loaded = run_in_terminal("load", "samples", "--workers", "1", cwd=tmp_path)
    assert code == 0, loaded
    parsed = bars(loaded, "parse", "file")
    # Files parsed with the rate and the time left, up to every file.
    assert parsed and parsed[-1][:2] == (5, 5) and parsed[-1][3] > 0, loaded
    assert "load: 5 files, 5 reports" in loaded

    code, built = run_in_terminal("build", cwd=tmp_path)
    assert code == 0, built
    nodes = bars(built, "dbt build", "node")
    assert nodes and nodes[-1][0] == nodes[-1][1] > 150, built
    # dbt's nodes finish in any order on two threads: the bar counts them, and no line per node is printed.
    assert [n for n, *_ in nodes] == sorted(n for n, *_ in nodes)
    assert " OK created" not in built and "build: ok" in built

    code, reported = run_in_terminal("report", cwd=tmp_path)
    assert code == 0, reported
    pages = bars(reported, "report", "page")
    assert pages and pages[-1][:2] == (12, 12), reported  # 9 jurisdictions, the overview, the findings, a source copy

    # Nothing of it with --quiet, or when the output is not a terminal.
    code, quiet = run_in_terminal("report", "--quiet", cwd=tmp_path)
    assert code == 0 and "\r" not in quiet.replace("\r\n", "\n") and not bars(quiet, "report", "page"), quiet
    assert "report: 9 jurisdiction pages" in quiet
    piped = ogi("report", cwd=tmp_path)
    assert piped.returncode == 0 and "\r" not in piped.stdout + piped.stderr and piped.stderr == ""


def test_no_progress_in_piped_output(samples_run):
    """`ogi run` with its output in a pipe (as in CI logs): the summaries only."""
    assert "\r" not in samples_run.output and "file/s" not in samples_run.output
    assert " OK created" not in samples_run.output and "parsed 5/5" not in samples_run.output
    assert "load: 5 files" in samples_run.output and "build: ok" in samples_run.output
