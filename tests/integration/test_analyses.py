"""The example analyses run against the demo warehouse and docs/example-analyses.md shows what they
return; on the fixture world they answer the questions with the expected figures."""
import pytest

from ogi.analyses import read_analyses, run_analyses
from ogi.paths import PROJECT_DIR, Warehouse
from tests.integration.conftest import ogi

PAGE = PROJECT_DIR / "docs" / "example-analyses.md"


@pytest.fixture(scope="module")
def demo_analyses(samples_run, tmp_path_factory):
    """`ogi analyses --out` on the demo warehouse: the page, and dbt's target with the compiled analyses."""
    assert samples_run.returncode == 0, samples_run.output
    out = tmp_path_factory.mktemp("analyses") / "example-analyses.md"
    done = ogi("analyses", "--out", str(out), cwd=samples_run.db.parent.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "analyses: 7 run" in done.stdout
    return out.read_text(encoding="utf-8"), Warehouse.of(samples_run.staging, samples_run.db).work_dir / "target"


def test_the_example_analyses_page_shows_their_results_on_the_demo_warehouse(demo_analyses):
    page, _ = demo_analyses
    assert "from a warehouse of 5 reports from data/samples" in page
    assert "| 2020 | 义乌市 | 义乌市人民政府办公室 | agency | data/samples/yiwu_2020_office.txt | T3-01 |" in page
    assert page == PAGE.read_text(encoding="utf-8"), "docs/example-analyses.md is stale: run `make analyses`"


@pytest.fixture(scope="module")
def world_results(jurisdiction_world_run, demo_analyses):
    # The compiled analyses name the catalog `ogi`, which both warehouses' files (ogi.duckdb) are.
    assert jurisdiction_world_run.returncode == 0, jurisdiction_world_run.output
    _, target = demo_analyses
    return run_analyses(jurisdiction_world_run.db, read_analyses(target))


@pytest.fixture(scope="module")
def world(world_results):
    """analysis name -> its rows as dicts"""
    return {r.name: [dict(zip(r.columns, row)) for row in r.rows] for r in world_results}


def test_at_least_six_analyses_each_with_a_question_and_a_description(world_results):
    assert len(world_results) >= 6
    for r in world_results:
        assert r.question.endswith("?") and len(r.description) > 100, r.name
        assert r.rows, f"{r.name} returns nothing on the fixture world"


def test_withholding_and_reply_failures_rank_places(world):
    counties_2020 = [r for r in world["withholding_by_place"]
                     if r["report_year"] == 2020 and r["jurisdiction_level"] == "county"]
    assert [(r["withheld_rank"], r["jurisdiction_name"], r["withheld_share"]) for r in counties_2020[:3]] == [
        (1, "东阳市", 4 / 25), (2, "仙桃市", 5 / 50), (3, "义乌市", 6 / 120)]
    top_2019 = world["reply_failures_by_place"][1]
    assert (top_2019["report_year"], top_2019["jurisdiction_name"], top_2019["no_substantive_answer"]) == (2019, "金华市", 60)


def test_correction_rates_and_reports_that_do_not_add_up(world):
    rates = {(r["report_year"], r["source_level"]): r for r in world["correction_rates_by_year"]}
    assert rates[2019, "prefecture"]["review_correction_rate"] == 3 / 14
    assert rates[2020, "county"]["review_correction_rate"] == 2 / 4
    assert rates[2018, "county"]["reviews"] == 4 and rates[2018, "county"]["review_correction_rate"] is None
    failing = {(r["organ_name"], r["check_id"], r["scope"]) for r in world["reports_that_do_not_add_up"]}
    assert failing == {("义乌市公安局", "T3-01", "natural_person"), ("义乌市公安局", "T3-01", "total")}


def test_summaries_are_set_beside_rollups_not_added(world):
    jinhua = [r for r in world["summary_versus_rollup"]
              if r["report_year"] == 2020 and r["jurisdiction_name"] == "金华市"]
    assert [(r["own_new_received"], r["rollup_level"], r["rollup_new_received"]) for r in jinhua] == [(600, "county", 145)]
    legacy = [r for r in world["outcomes_legacy_and_template_years"] if r["report_year"] == 2018]
    assert {r["outcome_group"]: r["share"] for r in legacy}["granted"] == 50 / 80
    assert {r["figures_source"] for r in legacy} == {"prose"}
