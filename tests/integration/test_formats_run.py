"""`ogi load` and `ogi build` over one folder mixing every input format and template (the format
fixtures and the bundled samples): the load summary counts per format, and the marts hold the
v2021 figures. (The gate is exercised on the samples in test_pipeline.)"""
import shutil
from pathlib import Path

import pytest

from tests.integration.conftest import Run, ogi

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory, samples_dir):
    work = tmp_path_factory.mktemp("mixed_run")
    folder = work / "mixed"
    shutil.copytree(FIXTURES, folder)
    for sample in samples_dir.iterdir():
        shutil.copy(sample, folder / sample.name)
    staging, db = work / "staging", work / "ogi.duckdb"
    load = ogi("load", "mixed", "--staging", str(staging), cwd=work)
    build = ogi("build", "--staging", str(staging), "--db", str(db), cwd=work)
    return Run(staging, db, load.returncode or build.returncode, load.stdout + load.stderr + build.stdout + build.stderr)


def test_load_summary_counts_reports_per_format(mixed_run):
    out = mixed_run.output
    assert mixed_run.returncode == 0, out
    assert "load: 29 files, 29 reports (ok 25, partial 1, failed 3)" in out
    assert "  docx: 3 reports (ok 3, partial 0, failed 0)" in out
    assert "  html: 3 reports (ok 3, partial 0, failed 0)" in out
    assert "  markdown: 3 reports (ok 3, partial 0, failed 0)" in out
    assert "  pdf: 12 reports (ok 9, partial 0, failed 3)" in out
    assert "  text: 8 reports (ok 7, partial 1, failed 0)" in out


def test_marts_hold_v2021_figures_from_every_format(mixed_run):
    q = mixed_run.query
    fees = q(
        "select r.source_format, d.value from fct_disclosures d join dim_reports r using (report_id) "
        "where d.item = 'fees' and d.measure = 'fee_amount_yuan' order by r.source_path"
    )
    assert sorted({f for f, _ in fees}) == ["docx", "html", "markdown", "pdf", "text"]
    assert {v for _, v in fees} == {356_000.0}
    other = q(
        "select o.row_code, sum(o.value) from fct_application_outcomes o join dim_reports r using (report_id) "
        "where r.template = 'v2021' and o.applicant = 'total' and o.outcome_group = 'other' group by 1 order by 1"
    )
    assert other == [("other_other", 9), ("other_overdue_correction", 27), ("other_unpaid_fee", 9)]


def test_fixture_reports_reconcile_and_failures_are_named(mixed_run):
    q = mixed_run.query
    assert q(
        "select count(*) from fct_reconciliation_checks c join dim_reports r using (report_id) "
        "where not c.passed and r.source_path not like '%yiwu%'"
    ) == [(0,)]
    failed = q("select source_path, status_reason from dim_reports where parse_status = 'failed' order by 1")
    assert [p for p, _ in failed] == ["mixed/encrypted.pdf", "mixed/legacy_no_character_map.pdf", "mixed/scanned.pdf"]
    assert "encrypted PDF" in failed[0][1] and "does not decode" in failed[1][1] and "without a text layer" in failed[2][1]
