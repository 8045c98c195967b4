import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

OGI = Path(sys.executable).with_name("ogi")


@dataclass
class Run:
    staging: Path
    db: Path
    returncode: int
    output: str

    def query(self, sql: str, *params):
        with duckdb.connect(str(self.db), read_only=True) as con:
            return con.execute(sql, params).fetchall()


def ogi(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(OGI), *args], capture_output=True, text=True, cwd=cwd)


def run_pipeline(inputs: Path, work: Path, *extra: str, cwd: Path | None = None) -> Run:
    staging, db = work / "staging", work / "ogi.duckdb"
    done = ogi("run", str(inputs), "--staging", str(staging), "--db", str(db), *extra, cwd=cwd)
    return Run(staging, db, done.returncode, done.stdout + done.stderr)


@pytest.fixture(scope="session")
def samples_run(tmp_path_factory, samples_dir) -> Run:
    """What `make demo` builds: `ogi run data/samples` from the project folder, here a copy of it
    (so that source paths read data/samples/…); one build shared by the tests of the samples."""
    work = tmp_path_factory.mktemp("demo")
    shutil.copytree(samples_dir, work / "data" / "samples")
    done = ogi("run", "data/samples", cwd=work)
    return Run(work / "data" / "staging", work / "data" / "ogi.duckdb", done.returncode, done.stdout + done.stderr)


@pytest.fixture(scope="session")
def jurisdiction_world_run(tmp_path_factory) -> Run:
    """`ogi run` over the fixture world of tests/fixtures (several places and years, summaries and their
    organs, a county and its prefecture and province, a re-zoning, a legacy year)."""
    from tests.fixtures import write_jurisdiction_reports

    work = tmp_path_factory.mktemp("jurisdiction_world")
    write_jurisdiction_reports(work / "reports")
    return run_pipeline(Path("reports"), work, cwd=work)


@dataclass
class Corpus:
    run: Run
    mutants: list  # tests.mutations.Mutant, in corpus/mutants/


@pytest.fixture(scope="session")
def gate_corpus(tmp_path_factory, samples_dir, registry) -> Corpus:
    """One strict `ogi run` over everything the gate tests need, so that dbt builds once: unchanged
    copies of the samples, the planted-error mutants of the table samples and the plants the issue names
    (each in a year no report has, so that none is another version of its sample), and the
    consecutive-year reports of tests/year_pairs.py (other places than the samples, so nothing pairs
    across groups)."""
    from tests.mutations import KINDS, Planter, named_plants
    from tests.report_text import render
    from tests.year_pairs import reports

    work = tmp_path_factory.mktemp("gate_corpus")
    corpus = work / "corpus"
    shutil.copytree(samples_dir, corpus / "unchanged")
    mutants = []
    for base in ("jinyun_2019_tabbed.txt", "luzhou_2020_traditional.txt", "yiwu_2020_office.txt"):
        planter = Planter(base, (samples_dir / base).read_bytes(), registry)
        mutants += [m for kind in KINDS for m in planter.mutants(kind)] + planter.blind_spot()
    (corpus / "mutants").mkdir()
    for m in mutants:
        (corpus / "mutants" / m.name).write_text(m.text, encoding="utf-8")
    (corpus / "plants").mkdir()
    for name, text in named_plants(samples_dir).items():
        (corpus / "plants" / name).write_text(text, encoding="utf-8")
    (corpus / "years").mkdir()
    for name, report in reports().items():
        (corpus / "years" / name).write_bytes(render(report))
    return Corpus(run_pipeline(Path("corpus"), work, "--strict", cwd=work), mutants)


@dataclass
class SynthRun:
    run: Run
    manifest: dict  # path (relative to the reports folder) -> manifest row
    counts: dict
    root: Path  # the generator's folder: reports/ and truth/
    options: object  # ogi.synth.Options


@pytest.fixture(scope="session")
def synth_run(tmp_path_factory) -> SynthRun:
    """`ogi run` over 150 synthetic reports in every format, PDF included: organs that publish year
    after year (the first of them every year from 2008 to 2024, its place re-zoned in 2015, its
    summary missing in 2022), departments covered by their summary, planted errors, republished
    versions and duplicates; one build shared by the tests of the generator and of the report."""
    from ogi.synth import FORMATS, Options, generate, read_manifest

    work = tmp_path_factory.mktemp("synth_run")
    options = Options(150, seed=3, error_share=0.15, formats=FORMATS)
    counts = generate(options, work / "synth", processes=2)
    run = run_pipeline(work / "synth" / "reports", work)
    manifest = {row["path"]: row for row in read_manifest(work / "synth")}
    return SynthRun(run, manifest, counts, work / "synth", options)


# What the adversarial tests tried and what survived, in the order they ran.
ADVERSARIAL: list[str] = []


@pytest.fixture(scope="session")
def adversarial():
    """`record(section, tried, survived)`: reported at the end of the run (pytest_terminal_summary)
    and kept in test-artifacts/adversarial.txt."""

    def record(section: str, tried: str, survived: str) -> None:
        ADVERSARIAL.append(f"{section:<11} {tried:<58} {survived}")

    return record


def pytest_terminal_summary(terminalreporter):
    if not ADVERSARIAL:
        return
    artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "adversarial.txt").write_text("\n".join(ADVERSARIAL) + "\n", encoding="utf-8")
    terminalreporter.section("adversarial suite: what was tried, and what survived")
    for line in ADVERSARIAL:
        terminalreporter.write_line(line)
