"""`ogi build` after a load that added and removed reports: the incremental models end up exactly
as a build from scratch would make them, and a build with nothing changed is skipped."""
import shutil

import duckdb

from ogi.synth import Options, generate
from tests.integration.conftest import ogi

INCREMENTAL = ("fct_application_outcomes", "fct_disclosures", "fct_review_litigation")


def test_incremental_build_equals_a_full_build(tmp_path, samples_dir):
    generate(Options(24, seed=21, formats=("text",), duplicate_share=0, republished_share=0), tmp_path / "synth", processes=1)
    reports = sorted(p for p in (tmp_path / "synth" / "reports").rglob("*") if p.is_file())
    inputs = tmp_path / "inputs"
    shutil.copytree(samples_dir, inputs / "samples")
    for i, p in enumerate(reports[:16]):
        (inputs / f"{i:02d}{p.suffix}").write_bytes(p.read_bytes())
    staging, db = tmp_path / "staging", tmp_path / "ogi.duckdb"

    def run(*args):
        done = ogi(*args)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    run("load", str(inputs), "--staging", str(staging))
    run("build", "--staging", str(staging), "--db", str(db))
    assert "build: up to date" in run("build", "--staging", str(staging), "--db", str(db))

    # Remove four reports (one a sample), add eight.
    for p in sorted(inputs.glob("0*"))[:3] + [inputs / "samples" / "jinyun_2019_tabbed.txt"]:
        p.unlink()
    for i, p in enumerate(reports[16:], start=16):
        (inputs / f"{i:02d}{p.suffix}").write_bytes(p.read_bytes())
    run("load", str(inputs), "--staging", str(staging))
    # A marker row of a report that stays (a v2021 measure in a v2019 report): only a build that starts
    # from the previous warehouse keeps it.
    with duckdb.connect(str(db)) as con:
        con.execute("insert into fct_disclosures (report_id, item, measure) select report_id, 'rules', 'issued' "
                    "from dim_reports where source_path like '%luzhou%'")
    incremental = run("build", "--staging", str(staging), "--db", str(db))
    assert "build: ok" in incremental
    with duckdb.connect(str(db)) as con:
        assert con.execute("delete from fct_disclosures where measure = 'issued' and template is null").fetchone()[0] == 1
    fresh = tmp_path / "fresh.duckdb"
    run("build", "--staging", str(staging), "--db", str(fresh), "--force")

    with duckdb.connect(str(db), read_only=True) as con:
        con.execute(f"attach '{fresh}' as fresh (read_only)")
        staged = con.execute("select count(*) from stg_ogi__reports").fetchone()[0]
        assert staged == 5 - 1 + 24 - 3
        for table in INCREMENTAL:
            rows = con.execute(f"select count(*) from {table}").fetchone()[0]
            assert rows == con.execute(f"select count(*) from fresh.{table}").fetchone()[0] and rows > 0
            for a, b in ((table, f"fresh.{table}"), (f"fresh.{table}", table)):
                assert con.execute(f"select count(*) from (select * from {a} except all select * from {b})").fetchone()[0] == 0, table
            # No rows of removed reports, rows of every added one.
            assert con.execute(
                f"select count(*) from {table} where report_id not in (select report_id from stg_ogi__reports)"
            ).fetchone()[0] == 0


def test_every_run_on_unchanged_input_passes(tmp_path, samples_dir):
    """The warehouse's staging views read the snapshot it was built from; loads that follow (each
    writes a new snapshot, the build is skipped as up to date) must not remove it. The tenth run
    passes as the first did (runs 2 to 9 load and build, and read every staging view; the gate reads
    one of them), and the staging folder keeps a bounded number of snapshots."""
    staging, db = tmp_path / "staging", tmp_path / "ogi.duckdb"
    views = [f"stg_ogi__{t}" for t in ("reports", "source_files", "disclosure_cells", "application_cells",
                                       "review_litigation_cells", "narrative_facts", "parse_issues")]
    verdicts = []
    for n in range(1, 11):
        if n in (1, 10):
            done = ogi("run", str(samples_dir), "--staging", str(staging), "--db", str(db))
            assert done.returncode == 0, done.stdout + done.stderr
            assert ("build: ok" if n == 1 else "build: up to date") in done.stdout
            verdicts.append(done.stdout[done.stdout.index("check: "):].split("\n")[0])
            continue
        for args in (("load", str(samples_dir), "--staging", str(staging)), ("build", "--staging", str(staging), "--db", str(db))):
            done = ogi(*args)
            assert done.returncode == 0, done.stdout + done.stderr
        assert "build: up to date" in done.stdout
        with duckdb.connect(str(db), read_only=True) as con:
            counts = [con.execute(f"select count(*) from {view}").fetchone()[0] for view in views]
        assert counts[:2] == [5, 5] and min(counts) > 0, (n, counts)
    assert verdicts[0] == verdicts[1] and verdicts[0].startswith("check: PASSED: 2 E findings (4 checks) in 1 of 3 checked reports")
    # The current snapshot, the one before it, and the one the warehouse reads.
    assert len(list((staging / "snapshots").iterdir())) == 3
