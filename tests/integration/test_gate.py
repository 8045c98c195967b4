"""The gate (`ogi check`) on the samples' warehouse and on small folders built for it: its two modes, its
exit statuses, coverage (no vacuous pass, no hiding a table, no dilution by superseded copies), one
verdict in every output (the Data Docs, the summary, --json, junit.xml, findings.csv, the HTML report),
acknowledged findings, and pipeline invariants that fail whatever the mode."""
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from loaders.staging import current_dir, seal, to_table
from tests.browser import block_network, chromium_page, file_url, save_screenshot
from tests.integration.conftest import ogi, run_pipeline
from tests.mutations import NO_YEAR

YIWU = "data/samples/yiwu_2020_office.txt"
YIWU_FINDINGS = (
    "2 findings (4 checks, 4 counted): table 3 column natural_person (自然人), table 3 column legal_services (法律服务机构)"
)
DEFAULT_VERDICT = (
    "check: PASSED: 2 E findings (4 checks) in 1 of 3 checked reports (33%); the gate allows up to 50% (--threshold), "
    "--strict allows none"
)
SAMPLES_COVERAGE = (
    "3 of 4 reports that should print the template tables checked (75%); the gate needs at least 50% (--min-checked); "
    "1 unverified, 1 legacy reports without template tables, 0 superseded versions not gated"
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


def _gate_dir(db: Path) -> Path:
    return db.parent / "ogi.gate"


# --- the samples: both modes ------------------------------------------------------------------------

def test_default_gate_passes_and_names_yiwus_two_findings(samples_run):
    out = samples_run.output
    assert samples_run.returncode == 0
    assert DEFAULT_VERDICT in out
    assert f"  coverage: ok: {SAMPLES_COVERAGE}" in out
    # marts_match_staging: a sum and a count per report and table, 3 tables of 3 reports and Dongyang's
    # legacy review and litigation totals (table 4); Wenzhou has no table.
    assert "pipeline invariants: all held (marts_match_staging 20, table_cells_complete 9, dbt_tests_passed" in out
    assert "  reports: 5 in the warehouse: 3 checked, 1 unverified, 1 without template tables, 0 superseded; 1 with findings" in out
    assert ("  unverified reports (could not be checked against the template tables):\n"
            "    data/samples/wenzhou_2019_no_tables.txt [") in out
    assert "]: tables missing: table2, table3, table4" in out
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
    assert "not checked, nothing to compare in this warehouse: T2-02, T2-03, T2-05, T2-06, T3-05, T3-06" in out


def test_strict_gate_fails_on_yiwus_findings_and_wenzhous_missing_tables(warehouse_copy):
    code, out = check(warehouse_copy, "--strict")
    assert code == 1  # findings come before coverage
    assert out.startswith("check: FAILED (exit 1, findings): strict, any E finding fails: 2 E findings (4 checks) "
                          "in 1 of 5 gated reports")
    assert "  coverage: FAILED: 3 of 4 reports that should print the template tables checked (75%); strict, any " \
           "unverified report fails" in out
    assert f"{YIWU} [" in out and YIWU_FINDINGS in out


def test_threshold_and_min_checked_are_shares(warehouse_copy):
    assert check(warehouse_copy, "--threshold", "0.34")[0] == 0
    code, out = check(warehouse_copy, "--threshold", "0.3")
    assert code == 1
    assert "in 1 of 3 checked reports (33%); the gate allows up to 30%" in out
    assert check(warehouse_copy, "--min-checked", "0.75")[0] == 0
    code, out = check(warehouse_copy, "--min-checked", "0.8")
    assert code == 3
    assert out.startswith("check: FAILED (exit 3, coverage): 3 of 4 reports that should print the template tables "
                          "checked (75%); the gate needs at least 80% (--min-checked)")
    code, out = check(warehouse_copy, "--threshold", "1.5")
    assert code == 2 and "1.5 is not a share between 0 and 1" in out
    code, out = check(warehouse_copy.parent / "missing.duckdb")
    assert code == 2 and "no warehouse at" in out


# --- coverage: no vacuous pass, no hiding a table, no dilution ----------------------------------------

def test_nothing_checkable_fails_with_its_own_exit_code(tmp_path):
    """An empty folder, and a folder whose seven files all fail to parse, used to pass with `0 of 0
    checked reports`, --strict too."""
    (tmp_path / "empty").mkdir()
    junk = tmp_path / "junk"
    junk.mkdir()
    (junk / "empty.txt").write_bytes(b"")
    (junk / "blank.txt").write_bytes(b" \n\t\n")
    (junk / "nul.txt").write_bytes(b"\0" * 64)
    (junk / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (junk / "archive.zip").write_bytes(b"PK\x03\x04" + b"\0" * 40)
    (junk / "random.pdf").write_bytes(bytes((i * 97 + 13) % 256 for i in range(3000)))
    (junk / "old_word.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500)
    # `ogi run --json`: the steps report on standard error, standard output is the gate's document alone.
    done = ogi("run", str(tmp_path / "empty"), "--staging", str(tmp_path / "empty_work" / "staging"),
               "--db", str(tmp_path / "empty_work" / "ogi.duckdb"), "--json")
    assert done.returncode == 3 and "load: 0 files" in done.stderr, done.stdout + done.stderr
    document = json.loads(done.stdout)
    assert (document["exit_code"], document["reports"]["checked"]) == (3, 0)
    assert document["verdict"].startswith("check: FAILED (exit 3, coverage): no report could be checked: 0 of 0 reports")
    run = run_pipeline(junk, tmp_path / "junk_work")
    for code, out in ((run.returncode, run.output), check(run.db, "--strict")):
        assert code == 3, out
        assert "check: FAILED (exit 3, coverage): no report could be checked: 0 of 7 reports that should print the " \
               "template tables; 7 unverified" in out
        assert out.count("]: not read: ") == 7
    document = json.loads((run.db.parent / "ogi.gate" / "summary.json").read_text(encoding="utf-8"))
    assert (document["passed"], document["exit_code"], document["reports"]["checked"]) == (False, 3, 0)
    assert [r["rule"] for r in document["rules"] if not r["passed"]] == ["coverage_any", "coverage_share"]


def test_a_report_with_its_table_deleted_or_its_heading_reworded_is_unverified(samples_dir, tmp_path):
    """Yiwu with its table 3 deleted, or the table's first row label reworded, used to pass --strict (its
    errors are in table 3): now it is unverified, listed with the reason, and --strict fails on it."""
    folder = tmp_path / "reports"
    folder.mkdir()
    yiwu = (samples_dir / "yiwu_2020_office.txt").read_text(encoding="utf-8")
    start = yiwu.index("三、收到和处理政府信息公开申请情况")
    (folder / "yiwu_table3_deleted.txt").write_text(yiwu[:start] + yiwu[yiwu.index("四、", start):], encoding="utf-8")
    reworded = yiwu.replace("一、本年新收政府信息公开申请数量", "一、今年收到的各类申请").replace("2020年", f"{NO_YEAR}年")
    (folder / "yiwu_heading_reworded.txt").write_text(reworded, encoding="utf-8")  # a year of its own: not a version
    for name in ("jinyun_2019_tabbed.txt", "luzhou_2020_traditional.txt"):
        shutil.copy(samples_dir / name, folder / name)
    run = run_pipeline(folder, tmp_path / "work")
    assert run.returncode == 0, run.output  # 2 of 4 checked: the default gate needs half
    assert "coverage: ok: 2 of 4 reports that should print the template tables checked (50%)" in run.output
    for name in ("yiwu_table3_deleted.txt", "yiwu_heading_reworded.txt"):
        assert re.search(rf"    \S*{name} \[\w+\]: tables missing: table3\n", run.output), name
    code, out = check(run.db, "--strict")
    assert code == 3, out
    assert out.startswith("check: FAILED (exit 3, coverage): 2 of 4 reports that should print the template tables "
                          "checked (50%); strict, any unverified report fails; 2 unverified")
    code, out = check(run.db, "--min-checked", "0.9")
    assert code == 3 and "the gate needs at least 90% (--min-checked)" in out


def test_superseded_versions_do_not_dilute_the_share(samples_dir, registry, tmp_path):
    """Yiwu and a Jinyun with a changed total fail, Luzhou passes: 2 of 3 checked reports (67%) fail the
    default gate. Three byte-variant copies of Luzhou (superseded versions of it) used to count as
    checked reports and bring the share down to 2 of 6 (33%), and the gate passed."""
    from tests.mutations import Planter

    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("yiwu_2020_office.txt", "luzhou_2020_traditional.txt"):
        shutil.copy(samples_dir / name, folder / name)
    jinyun = Planter("jinyun_2019_tabbed.txt", (samples_dir / "jinyun_2019_tabbed.txt").read_bytes(), registry)
    (folder / "jinyun_changed_total.txt").write_text(jinyun.mutants("changed_total")[0].text, encoding="utf-8")
    luzhou = (samples_dir / "luzhou_2020_traditional.txt").read_bytes()
    for n in range(1, 4):
        (folder / f"luzhou_copy_{n}.txt").write_bytes(luzhou + b"\n" * n)
    run = run_pipeline(folder, tmp_path / "work")
    assert run.returncode == 1, run.output
    assert "check: FAILED (exit 1, findings): " in run.output
    assert "in 2 of 3 checked reports (67%); the gate allows up to 50% (--threshold)" in run.output
    assert "0 legacy reports without template tables, 3 superseded versions not gated" in run.output
    coverage = pd.read_csv(run.db.parent / "ogi.gate" / "coverage.csv")
    assert sorted(coverage["coverage"]) == ["checked"] * 3 + ["superseded"] * 3


# --- one verdict, one count, in every output ---------------------------------------------------------

def _data_docs_status(db: Path, suite: str) -> str:
    page = next((_gate_dir(db) / "data_docs" / "validations" / suite).rglob("*.html")).read_text(encoding="utf-8")
    return re.search(r"Status:.*?(Succeeded|Failed)", page, flags=re.S).group(1)


def _junit(db: Path) -> ET.Element:
    return ET.parse(_gate_dir(db) / "junit.xml").getroot()


@pytest.mark.parametrize("mode", [(), ("--strict",)])
def test_one_verdict_in_every_output(warehouse_copy, mode, tmp_path):
    code, out = check(warehouse_copy, *mode)
    passed = code == 0
    assert passed == (mode == ())
    document = json.loads((_gate_dir(warehouse_copy) / "summary.json").read_text(encoding="utf-8"))
    assert (document["passed"], document["exit_code"]) == (passed, code)
    assert out.startswith(document["verdict"])
    # Great Expectations' validation is the verdict: the Data Docs say what the exit status says.
    assert _data_docs_status(warehouse_copy, "ogi_gate") == ("Succeeded" if passed else "Failed")
    assert _data_docs_status(warehouse_copy, "pipeline_invariants") == "Succeeded"
    junit = _junit(warehouse_copy)
    assert (int(junit.get("failures")) == 0) == passed
    assert {c.get("name") for c in junit.iter("testcase") if c.find("failure") is not None and
            c.get("classname").startswith("ogi_gate.")} == {r["name"] for r in document["rules"] if not r["passed"]}
    # One count of findings and checks everywhere: the summary, the document, findings.csv, junit.xml and
    # the HTML report's findings page.
    findings = pd.read_csv(_gate_dir(warehouse_copy) / "findings.csv")
    assert (len(findings.groupby(["report_id", "finding"])), len(findings)) == (2, 4)
    assert (document["findings"]["findings"], document["findings"]["checks"]) == (2, 4)
    assert (document["findings"]["counted_findings"], document["findings"]["counted_checks"]) == (2, 4)
    assert "  findings by report: 2 findings (4 checks) in 1 reports, 2 of them counted (4 checks)" in out
    assert int(next(s for s in junit.iter("testsuite") if s.get("name") == "findings").get("tests")) == 2
    report = ogi("report", "--db", str(warehouse_copy), "--out", str(tmp_path / "report"))
    assert report.returncode == 0, report.stdout + report.stderr
    page = (tmp_path / "report" / "findings.html").read_text(encoding="utf-8")
    assert re.search(r"2 findings \(4 checks\) in 1 reports; 2\s+of them \(4 checks\) count against the gate", page)


def test_check_json_prints_the_summary_as_a_document(warehouse_copy):
    done = ogi("check", "--db", str(warehouse_copy), "--json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document == json.loads((_gate_dir(warehouse_copy) / "summary.json").read_text(encoding="utf-8"))
    assert document["verdict"] == DEFAULT_VERDICT
    assert (document["mode"], document["threshold"], document["min_checked"]) == ("threshold", 0.5, 0.5)
    assert document["reports"] == {
        "in_warehouse": 5, "gated": 5, "checked": 3, "unverified": 1, "no_tables": 1, "superseded": 0,
        "checked_share": 0.75, "with_findings": 1, "with_counted_findings": 1, "checked_with_counted_findings": 1,
        "failing_share": 0.333333,
    }
    assert [r["source_path"] for r in document["unverified_reports"]] == ["data/samples/wenzhou_2019_no_tables.txt"]
    (yiwu,) = document["reports_with_findings"]
    assert (yiwu["source_path"], yiwu["jurisdiction_name"], yiwu["report_year"]) == (YIWU, "义乌市", 2020)
    assert yiwu["findings"][0]["finding"] == "table 3 column natural_person (自然人)"
    first = yiwu["findings"][0]["checks"][0]
    assert {k: first[k] for k in ("check_id", "status", "lhs", "rhs", "difference", "counted")} == {
        "check_id": "T3-01", "status": "failed", "lhs": 30, "rhs": 20, "difference": 10, "counted": True}
    assert document["findings"]["by_identity"]["T3-01"] == {
        "checks": 21, "failed": 2, "unverifiable": 0, "counted": 2, "acknowledged": 0, "reports_with_findings": 1}


def test_an_unchanged_warehouse_keeps_its_verdict_until_anything_it_depends_on_changes(samples_dir, tmp_path):
    """A no-change re-run of the gate answers from the last check's outputs (expectations/verdict.py);
    another rule, a changed output or --force validates again."""
    run = run_pipeline(samples_dir, tmp_path)
    assert run.returncode == 0, run.output
    gate = _gate_dir(run.db)
    reused_note = f"check: the warehouse, the gate and its rule are unchanged since the last check: its verdict and outputs ({gate}) stand"

    def check_built(*args: str) -> tuple[int, str, str]:
        done = ogi("check", "--staging", str(run.staging), "--db", str(run.db), *args)
        return done.returncode, done.stdout, done.stderr

    written = (gate / "summary.txt").stat().st_mtime_ns
    code, out, err = check_built()
    assert (code, out) == (0, (gate / "summary.txt").read_text(encoding="utf-8")) and reused_note in err
    assert DEFAULT_VERDICT in out and (gate / "summary.txt").stat().st_mtime_ns == written
    code, out, err = check_built("--json")
    assert code == 0 and json.loads(out)["verdict"] == DEFAULT_VERDICT and reused_note in err

    # Another rule: validated, and that verdict then stands for that rule.
    code, out, err = check_built("--threshold", "0.2")
    assert code == 1 and reused_note not in err and "the gate allows up to 20% (--threshold)" in out
    assert check_built("--threshold", "0.2")[0::2] == (1, f"{reused_note} (--force checks again)\n")
    # An output that is no longer the file the check wrote: validated, and written again.
    (gate / "junit.xml").write_text("<testsuites/>", encoding="utf-8")
    code, out, err = check_built("--threshold", "0.2")
    assert code == 1 and reused_note not in err and _junit(run.db).get("failures") != "0"
    code, out, err = check_built("--threshold", "0.2", "--force")
    assert code == 1 and reused_note not in err


def test_junit_shows_each_rule_finding_and_unverified_report_as_a_test_case(warehouse_copy):
    assert check(warehouse_copy, "--strict")[0] == 1
    suites = {s.get("name"): s for s in _junit(warehouse_copy).iter("testsuite")}
    assert set(suites) == {"ogi gate", "findings", "unverified reports"}
    findings = {c.get("name"): c for c in suites["findings"].iter("testcase")}
    assert set(findings) == {"table 3 column natural_person (自然人) (T3-01, T3-02)",
                             "table 3 column legal_services (法律服务机构) (T3-01, T3-02)"}
    case = findings["table 3 column natural_person (自然人) (T3-01, T3-02)"]
    assert case.get("classname") == YIWU
    assert "T3-01 E failed: new_received + carried_over 30 vs total_processed + carried_forward 20, difference 10" in \
        case.find("failure").text
    (unverified,) = suites["unverified reports"].iter("testcase")
    assert unverified.get("classname") == "data/samples/wenzhou_2019_no_tables.txt"
    assert unverified.find("failure").get("message").startswith("unverified: tables missing: table2, table3, table4")
    # In the default mode the same findings are within the threshold: skipped, not failed.
    assert check(warehouse_copy)[0] == 0
    junit = _junit(warehouse_copy)
    assert junit.get("failures") == "0"
    assert [c.find("skipped").get("message") for c in junit.iter("testcase") if c.get("classname") == YIWU] == [
        "E finding within the gate's rule: 2 E findings (4 checks) in 1 of 3 checked reports (33%); the gate allows "
        "up to 50% (--threshold), --strict allows none"] * 2


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
    assert "ogi_gate" in (docs / "index.html").read_text(encoding="utf-8")
    suite_page = (docs / "expectations" / "ogi_gate.html").read_text(encoding="utf-8")
    assert "How to read this page" in suite_page and "Left side: new_received + carried_over" in suite_page
    assert "| T4-06 | W | 正文行政复议、行政诉讼数与表格一致 |" in suite_page
    gate_page = next((docs / "validations" / "ogi_gate").rglob("*.html")).read_text(encoding="utf-8")
    assert "第一项加第二项之和" in gate_page
    assert (
        f"{YIWU} · 义乌市 · 义乌市人民政府办公室 · 2020: natural_person 30 vs 20 (difference 10); "
        "legal_services 27 vs 37 (difference -10)"
    ) in gate_page
    assert "data/samples/wenzhou_2019_no_tables.txt · 温州市 · 温州市人民政府 · 2019: unverified, tables missing" in gate_page
    invariants_page = next((docs / "validations" / "pipeline_invariants").rglob("*.html")).read_text(encoding="utf-8")
    assert "已解析表格的单元格齐全且各出现一次" in invariants_page and "dbt测试全部通过" in invariants_page


def test_data_docs_open_offline_with_their_styles(samples_run):
    """Every page of the Data Docs loads its styles, scripts and icon font from the site itself: with the
    network blocked, the pages are styled and the index's table of validations is filled."""
    docs = samples_run.db.parent / "ogi.gate" / "data_docs"
    pages = sorted(docs.rglob("*.html"))
    assert len(pages) == 5
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=[\"']https?:", html), page
    with chromium_page() as browser:
        attempted = block_network(browser)
        browser.goto(file_url(docs / "index.html"))
        browser.wait_for_selector("table tbody tr")
        state = browser.evaluate("""async () => {
            await document.fonts.ready;
            return {
                rows: document.querySelectorAll('#Validation-Results table tbody tr').length,
                bootstrapFont: getComputedStyle(document.body).fontFamily,
                buttonRadius: getComputedStyle(document.querySelector('.btn')).borderTopLeftRadius,
                iconFont: document.fonts.check('900 16px "Font Awesome 6 Free"'),
            };
        }""")
        save_screenshot(browser, "gate-data-docs-index-offline")
        validation = next((docs / "validations" / "ogi_gate").rglob("*.html"))
        browser.goto(file_url(validation))
        browser.wait_for_load_state("load")
        overview = browser.evaluate("() => getComputedStyle(document.querySelector('.card, .table')).borderTopStyle")
        save_screenshot(browser, "gate-data-docs-validation-offline", full_page=True)
    assert attempted == []
    assert state["rows"] == 2  # the gate's two validations, listed by bootstrap-table
    assert "Segoe UI" in state["bootstrapFont"] and state["buttonRadius"] != "0px" and state["iconFont"]
    assert overview != "none"


# --- acknowledgments and pipeline invariants ---------------------------------------------------------

def test_acknowledged_and_w_findings_are_listed_but_do_not_count(warehouse_copy):
    """The acknowledged flag is set by dbt from the acknowledged_findings seed (see its dbt unit test);
    here the warehouse copy carries it directly, plus one acknowledgment that matches nothing and a
    prose figure of Luzhou's that no longer matches its table (T3-08, severity W)."""
    with duckdb.connect(str(warehouse_copy)) as con:
        yiwu = con.execute("select report_id from dim_reports where source_path = ?", [YIWU]).fetchone()[0]
        con.execute(
            "update fct_findings set acknowledged = true, acknowledged_reason = 'confirmed with the organ', "
            "counted = false where report_id = ?",
            [yiwu],
        )
        con.execute("insert into acknowledged_findings values (?, 'T3-03', 'granted', 'typo')", [yiwu])
        con.execute(
            """
            insert into fct_findings by name
            select reports.report_id, reports.source_path, reports.jurisdiction_name, reports.division_code,
                reports.organ_name, reports.report_scope, reports.report_year,
                'table 3 prose figure granted (予以公开（同意公开）)' as finding, 'T3-08' as check_id, 'W' as severity,
                'failed' as status, 'fact' as scope_kind, 'granted' as scope, '予以公开（同意公开）' as scope_label_zh,
                3 as table_no, identities.rule_en, identities.label_zh as rule_zh, identities.lhs_en, 127 as lhs,
                identities.rhs_en, 126 as rhs, 1 as difference, false as acknowledged, false as counted, 1 as sort_order
            from dim_reports as reports, identities
            where reports.division_code = '510500' and identities.check_id = 'T3-08'
            """
        )
    code, out = check(warehouse_copy, "--strict", "--min-checked", "0")
    assert code == 3, out  # no finding counts; Wenzhou is still unverified
    assert "  findings: ok: strict, any E finding fails: 0 E findings (0 checks) in 0 of 5 gated reports" in out
    assert "2 findings (4 checks, 0 counted)" in out
    assert out.count("[acknowledged, not counted: confirmed with the organ]") == 4
    assert f"stale acknowledgment (matches no finding): {yiwu} T3-03 granted" in out
    assert ("    table 3 prose figure granted (予以公开（同意公开）)\n      T3-08 W failed: figure quoted in the prose 127 "
            "vs the table's figure (总计 column) 126, difference 1") in out
    findings = pd.read_csv(_gate_dir(warehouse_copy) / "findings.csv")
    assert len(findings) == 5 and not findings["counted"].any()


def test_a_warehouse_without_its_dbt_test_results_fails_the_gate(warehouse_copy):
    with duckdb.connect(str(warehouse_copy)) as con:
        con.execute("drop table dbt_test_results")
    code, out = check(warehouse_copy)
    assert code == 4
    assert "check: FAILED (exit 4, pipeline): 1 pipeline invariant violations: a bug in OGI Warehouse, not in the reports" in out
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
    assert code == 4
    assert "check: FAILED (exit 4, pipeline): 1 pipeline invariant violations: a bug in OGI Warehouse, not in the reports" in out
    assert (
        "    table_cells_complete data/samples/luzhou_2020_traditional.txt · 泸州市 · 泸州市人民政府 · 2020: table3 expected 161, "
        "found 160 (161 template cells; 160 staged rows, covering 160 distinct template cells)"
    ) in out
