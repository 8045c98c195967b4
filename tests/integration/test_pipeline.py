"""`ogi run` end to end on the samples: the warehouse holds the printed figures, and the gate names
exactly the publication errors."""
from tests.integration.conftest import ogi

YIWU = "data/samples/yiwu_2020_office.txt"


def test_run_passes_by_default_and_lists_the_findings(samples_run):
    assert samples_run.returncode == 0, samples_run.output
    out = samples_run.output
    assert "load: 5 files, 5 reports (ok 4, partial 1, failed 0)" in out
    assert "reports: 5" in out
    assert "check: PASSED" in out
    assert f"{YIWU} [" in out
    assert "T3-01 E failed: new_received + carried_over 30 vs total_processed + carried_forward 20, difference 10" in out
    assert "T3-01 E failed: new_received + carried_over 27 vs total_processed + carried_forward 37, difference -10" in out


def test_marts_hold_the_printed_figures(samples_run):
    q = samples_run.query
    luzhou = q("select report_id from dim_reports where division_code = '510500'")[0][0]
    assert q(
        "select new_received, carried_over, total_processed, carried_forward from fct_applications "
        "where report_id = ? and applicant = 'total'", luzhou
    ) == [(380, 18, 376, 22)]
    assert q(
        "select value from fct_review_litigation where report_id = ? and proceeding = 'review' and result in ('total', 'corrected') "
        "order by result", luzhou
    ) == [(19,), (46,)]
    assert q(
        "select value from fct_disclosures where report_id = ? and item = 'central_procurement' and measure = 'procurement_amount_yuan'",
        luzhou,
    ) == [(267_690_000.0,)]
    jinyun = q("select report_id from dim_reports where jurisdiction_name = '缙云县'")[0][0]
    assert q(
        "select value from fct_disclosures where report_id = ? and item = 'central_procurement' order by measure", jinyun
    ) == [(323_000_000.0,), (10_921.0,)]
    yiwu = q("select report_id, report_scope, organ_name from dim_reports where division_code = '330782'")
    assert yiwu[0][1:] == ("agency", "义乌市人民政府办公室")
    # Blank cells stay NULL in the marts.
    assert q("select carried_over from fct_applications where report_id = ? and applicant = 'total'", yiwu[0][0]) == [(None,)]
    assert q("select count(*), count(distinct outcome_group) from fct_application_outcomes where report_id = ?", luzhou) == [(19 * 7, 6)]


def test_prose_only_reports_are_loaded_with_their_figures(samples_run):
    q = samples_run.query
    rows = q(
        "select r.jurisdiction_name, f.fact, f.value from stg_ogi__narrative_facts f join dim_reports r using (report_id) "
        "where f.fact in ('requests_total', 'granted') and r.parse_status in ('ok', 'partial') and r.template in ('legacy', 'v2019') "
        "and r.report_id not in (select report_id from stg_ogi__application_cells) order by 1, 2"
    )
    assert rows == [("东阳市", "granted", 54.0), ("东阳市", "requests_total", 91.0),
                    ("温州市", "granted", 2603.0), ("温州市", "requests_total", 5756.0)]
    # A legacy report's review and lawsuit counts (行政复议7件, 行政诉讼9件) are its table-4 totals.
    assert q("select c.proceeding, c.result, c.value, c.cell_state from stg_ogi__review_litigation_cells c "
             "join dim_reports r using (report_id) where r.jurisdiction_name = '东阳市' order by 1") == [
        ("litigation_unsplit", "total", 9, "number"), ("review", "total", 7, "number")]


def test_t3_01_fails_exactly_for_yiwus_two_columns(samples_run):
    failed = samples_run.query(
        "select r.source_path, c.scope, c.lhs, c.rhs from fct_reconciliation_checks c join dim_reports r using (report_id) "
        "where c.check_id = 'T3-01' and not c.passed order by c.scope"
    )
    assert failed == [(YIWU, "legal_services", 27, 37), (YIWU, "natural_person", 30, 20)]
    # Every other report's table 3 checks all pass.
    assert samples_run.query(
        "select count(*) from fct_reconciliation_checks c join dim_reports r using (report_id) "
        "where r.source_path <> ? and c.passed = false", YIWU
    ) == [(0,)]


def test_docs_site(samples_run, tmp_path):
    out = tmp_path / "docs"
    done = ogi("docs", "--out", str(out), "--staging", str(samples_run.staging), "--db", str(samples_run.db))
    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("index.html", "manifest.json", "catalog.json"):
        assert (out / name).stat().st_size > 0
    import json

    catalog = json.loads((out / "catalog.json").read_text())
    assert "model.ogi_warehouse.fct_reconciliation_checks" in catalog["nodes"]
