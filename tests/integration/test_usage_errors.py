"""What the user or the machine can fix ends in one line that says what to do, never a traceback
(a warehouse in use and `--db` naming a text file: tests/integration/test_cli.py): a disk that fills
up during a load, hooked and real; and a quote in the staging path reaches dbt's SQL safely."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.conftest import ogi

PROJECT = Path(__file__).resolve().parents[2]


def one_line_error(done: subprocess.CompletedProcess, command: str) -> str:
    """The output of a command that stopped on what the user or the machine can fix: one line on
    standard error, exit status 2 (as every usage error; tests/integration/test_cli.py)."""
    output = (done.stdout + done.stderr).strip()
    assert done.returncode == 2 and "Traceback" not in output, output
    assert done.stdout == "" and len(output.splitlines()) == 1 and output.startswith(f"ogi {command}: "), output
    return output


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

real = batch._write_fragments
def full_disk(name, by_bucket, buckets, path_of):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path_of(0)))
batch._write_fragments = full_disk
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
    said = one_line_error(done, "load")
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
        said = one_line_error(ogi("load", str(inputs), "--staging", str(mount / "staging")), "load")
        assert "No space left on device" in said
        assert not (mount / "staging" / "current").exists()
        assert not list((mount / "staging").glob(".spool-*"))
    finally:
        subprocess.run(["umount", str(mount)], check=False)
