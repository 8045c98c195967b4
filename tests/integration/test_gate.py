"""The gate (`ogi check`) on the samples' warehouse: its two modes, its outputs, acknowledged
findings, and pipeline invariants that fail whatever the mode."""
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from loaders.staging import current_dir, seal, to_table
from tests.integration.conftest import ogi

YIWU = "data/samples/yiwu_2020_office.txt"
YIWU_FINDINGS = (
    "2 findings (4 checks, 4 counted): table 3 column natural_person (自然人), table 3 column legal_services (法律服务机构)"
)


def check(db: Path, *args: str):
    done = ogi("check", "--db", str(db), *args)
    return done.returncode, done.stdout + done.stderr


@pytest.fixture
def warehouse_copy(samples_run, tmp_path) -> Path:
    """A copy of the samples' warehouse that a test may alter or check again; its gate outputs go next
    to it, so the samples run's own outputs stay as `ogi run` left them."""
    db = tmp_path / "ogi.duckdb"
    shutil.copy(samples_run.db, db)
    return db


def test_default_gate_passes_and_names_yiwus_two_findings(samples_run):
    out = samples_run.output
    assert "check: PASSED: 2 E findings (4 checks) in 1 of 3 checked reports (33%); the gate allows up to 50%" in out
    # marts_match_staging: a sum and a count per report and table, 3 tables of 3 reports and Dongyang's
    # legacy review and litigation totals (table 4); Wenzhou has no table.
    assert "pipeline invariants: all held (marts_match_staging 20, table_cells_complete 9, dbt_tests_passed" in out
    lines = out[out.index(f"  {YIWU} ["):].split("\n")
    assert lines[0].endswith("义乌市 · 义乌市人民政府办公室 · 2020 · agency")
    assert lines[1:8] == [
        f"    {YIWU_FINDINGS}",
        "    table 3 column natural_person (自然人)",
        "      T3-01 E failed: new_received + carried_over 30 vs total_processed + carried_forward 20, difference 10",
        "      T3-02 E failed: total_processed (总计) 20 vs sum of the outcome rows 30, difference -10",
        "    table 3 column legal_services (法律服务机构)",
        "      T3-01 E failed: new_received + carried_over 27 vs total_processed + carried_forward 37, difference -10",
        "      T3-02 E failed: total_processed (总计) 37 vs sum of the outcome rows 27, difference 10",
    ]
    # No other report has a finding, and the identities without data are named.
    assert re.findall(r"^  (data/samples/\S+) \[", out, flags=re.M) == [YIWU]
    assert "not checked, nothing to compare in this warehouse: T2-03, T2-06, T3-06" in out


def test_strict_gate_fails_on_yiwu(warehouse_copy):
    code, out = check(warehouse_copy, "--strict")
    assert code == 1
    assert "check: FAILED: strict, any E finding fails: 2 E findings (4 checks) in 1 of 3 checked reports (33%)" in out
    assert f"{YIWU} [" in out and YIWU_FINDINGS in out


def test_threshold_is_a_share_of_checked_reports(warehouse_copy):
    assert check(warehouse_copy, "--threshold", "0.34")[0] == 0
    code, out = check(warehouse_copy, "--threshold", "0.3")
    assert code == 1
    assert "in 1 of 3 checked reports (33%); the gate allows up to 30%" in out
    code, out = check(warehouse_copy, "--threshold", "1.5")
    assert code == 2 and "1.5 is not a share between 0 and 1" in out


def test_gate_outputs(samples_run):
    gate = samples_run.db.parent / "ogi.gate"
    findings = pd.read_csv(gate / "findings.csv")
    assert set(findings["source_path"]) == {YIWU}
    assert list(zip(findings["finding"], findings["check_id"], findings["lhs"], findings["rhs"], findings["difference"])) == [
        ("table 3 column natural_person (自然人)", "T3-01", 30, 20, 10),
        ("table 3 column natural_person (自然人)", "T3-02", 20, 30, -10),
        ("table 3 column legal_services (法律服务机构)", "T3-01", 27, 37, -10),
        ("table 3 column legal_services (法律服务机构)", "T3-02", 37, 27, 10),
    ]
    assert set(findings["jurisdiction_name"]) == {"义乌市"} and set(findings["report_year"]) == {2020}
    assert set(findings["rule_zh"]) == {"第一项加第二项之和，等于第三项加第四项之和", "总计等于各办理结果之和"}
    assert findings["counted"].all() and not findings["acknowledged"].any()
    assert pq.read_table(gate / "findings.parquet").num_rows == 4
    assert pd.read_csv(gate / "invariant_violations.csv").empty
    assert (gate / "summary.txt").read_text(encoding="utf-8").startswith("check: PASSED")

    docs = gate / "data_docs"
    assert "reconciliation_identities" in (docs / "index.html").read_text(encoding="utf-8")
    suite_page = (docs / "expectations" / "reconciliation_identities.html").read_text(encoding="utf-8")
    assert "How to read this page" in suite_page and "Left side: new_received + carried_over" in suite_page
    identities_page = next((docs / "validations" / "reconciliation_identities").rglob("*.html")).read_text(encoding="utf-8")
    assert "第一项加第二项之和" in identities_page
    assert (
        f"{YIWU} · 义乌市 · 义乌市人民政府办公室 · 2020: legal_services 27 vs 37 (difference -10); "
        "natural_person 30 vs 20 (difference 10)"
    ) in identities_page
    invariants_page = next((docs / "validations" / "pipeline_invariants").rglob("*.html")).read_text(encoding="utf-8")
    assert "已解析表格的单元格齐全且各出现一次" in invariants_page and "dbt测试全部通过" in invariants_page


def test_acknowledged_and_w_findings_are_listed_but_do_not_count(warehouse_copy):
    """The acknowledged flag is set by dbt from the acknowledged_findings seed (see its dbt unit test);
    here the warehouse copy carries it directly, plus one acknowledgment that matches nothing and a
    prose figure of Luzhou's that no longer matches its table (T3-08, severity W)."""
    with duckdb.connect(str(warehouse_copy)) as con:
        yiwu = con.execute("select report_id from dim_reports where source_path = ?", [YIWU]).fetchone()[0]
        con.execute(
            "update fct_reconciliation_checks set acknowledged = true, acknowledged_reason = 'confirmed with the organ' "
            "where report_id = ? and passed = false",
            [yiwu],
        )
        con.execute("insert into acknowledged_findings values (?, 'T3-03', 'granted', 'typo')", [yiwu])
        con.execute(
            "update fct_reconciliation_checks set passed = false, lhs = 127, difference = 1 where check_id = 'T3-08' "
            "and scope = 'granted' and report_id = (select report_id from dim_reports where division_code = '510500')"
        )
    code, out = check(warehouse_copy, "--strict")
    assert code == 0
    assert "check: PASSED: strict, any E finding fails: 0 E findings (0 checks) in 0 of 3 checked reports (0%)" in out
    assert "2 findings (4 checks, 0 counted)" in out
    assert out.count("[acknowledged, not counted: confirmed with the organ]") == 4
    assert f"stale acknowledgment (matches no finding): {yiwu} T3-03 granted" in out
    assert "    table 3 prose figure granted (予以公开（同意公开）)\n      T3-08 W failed: figure quoted in the prose 127 vs the table's figure (总计 column) 126, difference 1" in out
    findings = pd.read_csv(warehouse_copy.parent / "ogi.gate" / "findings.csv")
    assert len(findings) == 5 and list(findings["counted"]) == [True, False, False, False, False]


def test_a_warehouse_without_its_dbt_test_results_fails_the_gate(warehouse_copy):
    with duckdb.connect(str(warehouse_copy)) as con:
        con.execute("drop table dbt_test_results")
    code, out = check(warehouse_copy)
    assert code == 1
    assert "check: FAILED: 1 pipeline invariant violations: a bug in OGI Warehouse, not in the reports" in out
    assert "dbt_tests_passed the build: no dbt test results are recorded in this warehouse" in out


def test_pipeline_invariants_fail_the_gate_in_any_mode(samples_run, tmp_path):
    """Stage what a buggy loader would write: a cell of Luzhou's table 3 lost (a 0, so no identity
    moves). No dbt test sees it; the invariant does, and the default gate fails."""
    staging = tmp_path / "staging"
    shutil.copytree(current_dir(samples_run.staging).resolve(), staging / "current")
    luzhou = samples_run.query("select report_id from dim_reports where division_code = '510500'")[0][0]
    # The staging part (hash bucket of report_id) that holds Luzhou's cells.
    for cells_file in sorted((staging / "current" / "application_cells").glob("part-*.parquet")):
        cells = pq.read_table(cells_file).to_pylist()
        lost = [c for c in cells if (c["report_id"], c["row_code"], c["applicant"]) == (luzhou, "new_received", "research")]
        if lost:
            break
    assert [c["value"] for c in lost] == [0]
    pq.write_table(to_table("application_cells", [c for c in cells if c not in lost]), cells_file)
    seal(staging / "current")  # as that loader would: its snapshot's manifest lists what it wrote

    db = tmp_path / "ogi.duckdb"
    built = ogi("build", "--staging", str(staging), "--db", str(db))
    assert built.returncode == 0, built.stdout + built.stderr
    code, out = check(db)
    assert code == 1
    assert "check: FAILED: 1 pipeline invariant violations: a bug in OGI Warehouse, not in the reports" in out
    assert (
        "    table_cells_complete data/samples/luzhou_2020_traditional.txt · 泸州市 · 泸州市人民政府 · 2020: table3 expected 161, "
        "found 160 (161 template cells; 160 staged rows, covering 160 distinct template cells)"
    ) in out
