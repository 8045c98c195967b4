"""What the user or the machine can fix ends in one line that says what to do, never a traceback:
a warehouse in use by another process, `--db` naming a file that is not a warehouse, a quote in a
path, a disk that fills up during a load."""
import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.conftest import ogi

PROJECT = Path(__file__).resolve().parents[2]


def one_line_error(done: subprocess.CompletedProcess, command: str) -> str:
    output = (done.stdout + done.stderr).strip()
    assert done.returncode == 1 and "Traceback" not in output, output
    assert len(output.splitlines()) == 1 and output.startswith(f"ogi {command}: "), output
    return output


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, samples_dir):
    work = tmp_path_factory.mktemp("usage")
    staging, db = work / "staging", work / "ogi.duckdb"
    for args in (("load", str(samples_dir), "--staging", str(staging)), ("build", "--staging", str(staging), "--db", str(db))):
        done = ogi(*args)
        assert done.returncode == 0, done.stdout + done.stderr
    return staging, db


def test_a_warehouse_in_use_by_another_process(warehouse):
    staging, db = warehouse
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, sys; con = duckdb.connect({str(db)!r}); print('held', flush=True); sys.stdin.read()"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        said = one_line_error(ogi("check", "--staging", str(staging), "--db", str(db)), "check")
        assert "the warehouse is in use by another process" in said
    finally:
        holder.communicate("")
    assert ogi("check", "--staging", str(staging), "--db", str(db)).returncode == 0


def test_db_naming_a_text_file(warehouse, tmp_path):
    staging, _ = warehouse
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes, not a warehouse\n")
    said = one_line_error(ogi("check", "--staging", str(staging), "--db", str(notes)), "check")
    assert "the warehouse cannot be read" in said and "rebuild it with `ogi build`" in said
    said = one_line_error(ogi("build", "--staging", str(staging), "--db", str(notes)), "build")
    assert said.endswith("is not a DuckDB warehouse that `ogi build` wrote; not overwritten (remove it, or choose another --db)")
    assert notes.read_text() == "my notes, not a warehouse\n"


def test_quotes_in_the_staging_and_warehouse_paths(tmp_path, samples_dir):
    # (A quote in the warehouse's own file name is not taken: dbt-duckdb quotes the catalog named after it wrongly.)
    work = tmp_path / "it's \"here\""
    work.mkdir()
    done = ogi("run", str(samples_dir), "--staging", str(work / "st'aging"), "--db", str(work / "ogi.duckdb"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "check: PASSED" in done.stdout


HOOK = '''
import errno, os, sys
import loaders.batch as batch
from ogi.cli import main

real = batch._write_fragment
def full_disk(name, by_bucket, buckets, path):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
batch._write_fragment = full_disk
sys.exit(main(sys.argv[1:]))
'''


def test_a_disk_that_fills_up_during_a_load(tmp_path, samples_dir):
    """Every worker's first write fails with ENOSPC: the load stops at once, in one line, and the
    previous snapshot stays current."""
    staging = tmp_path / "staging"
    assert ogi("load", str(samples_dir), "--staging", str(staging)).returncode == 0
    before = (staging / "current").resolve()
    inputs = tmp_path / "in"
    for i in range(40):
        shutil.copytree(samples_dir, inputs / f"copy{i}")
        (inputs / f"copy{i}" / "own.txt").write_text(f"report {i}")
    script = tmp_path / "full_disk.py"
    script.write_text(HOOK)
    done = subprocess.run([sys.executable, str(script), "load", str(inputs), "--staging", str(staging), "--workers", "2"],
                          capture_output=True, text=True, cwd=PROJECT)
    said = one_line_error(subprocess.CompletedProcess(done.args, done.returncode, done.stdout,
                                                      "\n".join(l for l in done.stderr.splitlines() if not l.startswith("  parsed "))),
                          "load")
    assert said.startswith("ogi load: No space left on device: ") and said.endswith("the previous outputs are left as they were")
    assert (staging / "current").resolve() == before
    assert not list(staging.glob(".spool-*")) and not list((staging / "snapshots").glob(".building-*"))


def test_a_real_full_disk(tmp_path, samples_dir):
    """The same on a 256 KiB file system (a tmpfs; needs the right to mount one)."""
    mount = tmp_path / "small"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        inputs = tmp_path / "in"
        for i in range(30):
            shutil.copytree(samples_dir, inputs / f"copy{i}")
            (inputs / f"copy{i}" / "own.txt").write_text(f"report {i}")
        done = ogi("load", str(inputs), "--staging", str(mount / "staging"))
        output = (done.stdout + done.stderr).strip().splitlines()
        errors = [line for line in output if not line.startswith("  parsed ")]
        assert done.returncode == 1 and len(errors) == 1 and "Traceback" not in done.stderr, output
        assert errors[0].startswith("ogi load: ") and "No space left on device" in errors[0]
        assert not (mount / "staging" / "current").exists()
        assert not list((mount / "staging").glob(".spool-*"))
    finally:
        subprocess.run(["umount", str(mount)], check=False)
