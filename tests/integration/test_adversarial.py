"""The adversarial suite: what an attacker or an unlucky user would try, repeatable (seeded), with a
report of what was tried and what survived (printed at the end of the run; test-artifacts/
adversarial.txt): the hostile files all in one load, a seeded mutation fuzz through the real worker
pool, and SIGKILLs at seeded random moments of loads and builds; each kind of corruption is in
test_corruption.py, which reports to the same list."""
import random
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from loaders import staging
from ogi.synth import Options, generate
from tests.integration import bad_inputs
from tests.integration.conftest import OGI, ogi
from tests.integration.test_staging import assert_identical
from tests.unit.test_fuzz import _mutate as mutate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
SEED = 20261207


def statuses(staging_dir: Path) -> tuple[int, Counter]:
    """(files with a row, reports by parse status) of the current snapshot."""
    with duckdb.connect() as con:
        files = con.execute(f"select count(*) from read_parquet('{staging_dir}/current/source_files/*.parquet')").fetchone()[0]
        rows = con.execute(f"select parse_status, count(*) from read_parquet('{staging_dir}/current/reports/*.parquet') group by 1").fetchall()
    return files, Counter(dict(rows))


def test_hostile_files_together(tmp_path, adversarial):
    """Every bad input of bad_inputs.py and the hostile files aimed at the limits, in one load."""
    inputs = tmp_path / "in"
    expected = bad_inputs.build(inputs / "bad")
    hostile = {"rowspan.html": bad_inputs.rowspan_html(), "gridspan.docx": bad_inputs.gridspan_docx(),
               "bomb.pdf": bad_inputs.flate_bomb_pdf(),
               "strict.docx": bad_inputs.strict_ooxml_docx((bad_inputs.SAMPLES / "yiwu_2020_office.txt").read_text())}
    for name, data in hostile.items():
        (inputs / name).write_bytes(data)
    done = ogi("load", str(inputs), "--staging", str(tmp_path / "staging"), "--max-memory-mb", "512")
    assert done.returncode == 0, done.stdout + done.stderr
    files, by_status = statuses(tmp_path / "staging")
    assert files == len(expected) + len(hostile)
    adversarial("hostile", f"{files} bad and hostile files in one load (512 MiB per file)",
                f"exit 0, every file has its row; reports {dict(sorted(by_status.items()))}")


def test_seeded_mutation_fuzz_through_the_pool(tmp_path, samples_dir, adversarial):
    """300 mutants of the samples and the format fixtures (every reader), loaded by two workers."""
    rng = random.Random(SEED)
    seeds = [p.read_bytes() for p in sorted(samples_dir.glob("*.txt")) + sorted(FIXTURES.iterdir()) if p.is_file()]
    inputs = tmp_path / "fuzz"
    inputs.mkdir()
    for case in range(300):
        data = rng.choice(seeds)
        for _ in range(rng.randint(1, 3)):
            data = mutate(data, rng)
        (inputs / f"case-{case:03d}").write_bytes(data)
    # The limit bounds the test's time only: a mutant stopped by it still gets its row.
    done = ogi("load", str(inputs), "--staging", str(tmp_path / "staging"), "--workers", "2", "--file-timeout", "30")
    assert done.returncode == 0, done.stdout + done.stderr
    files, by_status = statuses(tmp_path / "staging")
    assert files == 300
    refused = done.stdout.split("not parsed: ")[1].split("\n")[0] if "not parsed: " in done.stdout else "none"
    adversarial("fuzz", f"300 mutants (seed {SEED}) of {len(seeds)} reports, 2 workers",
                f"every one has its row; reports {dict(sorted(by_status.items()))}; not parsed: {refused}")


def kill_after(args: list[str], seconds: float) -> bool:
    """Run `ogi ARGS`, SIGKILL it after `seconds`; True when it was killed (it may finish first)."""
    process = subprocess.Popen([str(OGI), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return True
    return False


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> tuple[Path, Path]:
    work = tmp_path_factory.mktemp("kills")
    generate(Options(120, seed=SEED % 1000, formats=("text", "html")), work / "synth", processes=2)
    reports = sorted(p for p in (work / "synth" / "reports").rglob("*") if p.is_file())
    small = work / "small"
    small.mkdir()
    for p in reports[:30]:
        shutil.copyfile(p, small / p.name)
    return small, work / "synth" / "reports"


def test_sigkill_at_random_moments_of_loads_and_builds(corpora, tmp_path, adversarial):
    """Loads and builds killed at seeded random moments leave a whole snapshot and warehouse, and the
    next run completes: its staging equals a fresh load, its gate passes."""
    small, large = corpora
    rng = random.Random(SEED)
    staging_dir, db = tmp_path / "staging", tmp_path / "ogi.duckdb"
    assert ogi("load", str(small), "--staging", str(staging_dir)).returncode == 0
    assert ogi("build", "--staging", str(staging_dir), "--db", str(db)).returncode == 0
    with duckdb.connect(str(db), read_only=True) as con:
        before = con.execute("select count(*) from dim_reports").fetchone()[0]
    killed = Counter()
    moments = []
    for _ in range(3):
        moments.append(round(moment := rng.uniform(0.2, 3.0), 1))
        killed["load"] += kill_after(["load", str(large), "--staging", str(staging_dir)], moment)
        assert not staging.verify((staging_dir / "current").resolve()), moment  # whichever is current is whole
    done = ogi("load", str(large), "--staging", str(staging_dir))
    assert done.returncode == 0, done.stdout
    after = sum(statuses(staging_dir)[1].values())
    for _ in range(3):
        moments.append(round(moment := rng.uniform(1.0, 10.0), 1))
        killed["build"] += kill_after(["build", "--staging", str(staging_dir), "--db", str(db)], moment)
        with duckdb.connect(str(db), read_only=True) as con:  # the warehouse before, or the one just built
            assert con.execute("select count(*) from dim_reports").fetchone()[0] in (before, after)
    assert ogi("load", str(large), "--staging", str(tmp_path / "fresh")).returncode == 0
    assert_identical(staging_dir, tmp_path / "fresh")
    built = ogi("build", "--staging", str(staging_dir), "--db", str(db))
    assert built.returncode == 0, built.stdout
    checked = ogi("check", "--staging", str(staging_dir), "--db", str(db))
    assert checked.returncode == 0 and checked.stdout.startswith("check: PASSED"), checked.stdout
    adversarial("kill -9", f"3 loads, 3 builds killed after {moments} s (seed {SEED})",
                f"{killed['load']} loads, {killed['build']} builds died mid-way; the snapshot and warehouse stayed whole; "
                "the next load equals a fresh one; the next build's gate passes")
