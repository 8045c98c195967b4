"""The docs site is a data dictionary: every column of every dim_/fct_ model is described, the
descriptions reach DuckDB as comments, and the site renders in a browser (a model page and the
lineage graph), with screenshots kept in test-artifacts/."""
import json

import duckdb
import pytest

from tests.browser import chromium_page, file_url, painted_pixels, save_screenshot
from tests.integration.conftest import ogi


@pytest.fixture(scope="module")
def docs_site(jurisdiction_world_run, tmp_path_factory):
    run = jurisdiction_world_run
    assert run.returncode == 0, run.output
    out = tmp_path_factory.mktemp("docs_site")
    done = ogi("docs", "--out", str(out), "--staging", str(run.staging), "--db", str(run.db))
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def mart_nodes(manifest):
    return {n["name"]: n for n in manifest["nodes"].values()
            if n["resource_type"] == "model" and n["name"].startswith(("dim_", "fct_"))}


def test_every_column_of_every_mart_is_described(docs_site):
    manifest = json.loads((docs_site / "manifest.json").read_text())
    catalog = json.loads((docs_site / "catalog.json").read_text())
    marts = mart_nodes(manifest)
    assert {"dim_reports", "dim_jurisdictions", "dim_jurisdiction_history", "fct_jurisdiction_year",
            "fct_outcome_groups", "fct_applications"} <= set(marts)
    undescribed = []
    for name, node in marts.items():
        assert node["description"].strip(), name
        built = catalog["nodes"][node["unique_id"]]["columns"]  # the columns the table really has
        documented = {c.lower(): d["description"] for c, d in node["columns"].items()}
        undescribed += [f"{name}.{c}" for c in built if not documented.get(c.lower(), "").strip()]
    assert undescribed == []
    # Code lists are doc blocks rendered from the seeds.
    rows_seed = manifest["nodes"]["seed.ogi_warehouse.application_rows"]["description"]
    assert "| withheld_deliberative | 三（三）6 | 属于四类过程性信息 |" in rows_seed


def test_descriptions_are_duckdb_comments(jurisdiction_world_run):
    with duckdb.connect(str(jurisdiction_world_run.db), read_only=True) as con:
        missing = con.execute(
            "select table_name || '.' || column_name from duckdb_columns() "
            "where regexp_matches(table_name, '^(dim|fct)_') and coalesce(trim(comment), '') = ''"
        ).fetchall()
        tables = dict(con.execute(
            "select table_name, comment from duckdb_tables() where regexp_matches(table_name, '^(dim|fct)_')"
        ).fetchall())
        comment = con.execute(
            "select comment from duckdb_columns() where table_name = 'fct_jurisdiction_year' and column_name = 'figure_basis'"
        ).fetchone()[0]
    assert missing == []
    assert all(c and c.strip() for c in tables.values()) and len(tables) >= 10
    assert "(数据口径)" in comment and "agency_sum" in comment
    assert "Which figure each row shows" in tables["fct_jurisdiction_year"]


def test_a_model_page_and_the_lineage_graph_render_in_chromium(docs_site):
    with chromium_page() as page:
        page.goto(file_url(docs_site / "index.html") + "#!/model/model.ogi_warehouse.fct_jurisdiction_year")
        page.wait_for_selector("text=Which figure each row shows", timeout=30_000)
        body = page.inner_text("body")
        assert "fct_jurisdiction_year" in body
        assert "yoy_comparability" in body and "failing_report_share" in body
        save_screenshot(page, "docs-model-page")

        page.click("[ng-click='onLauncherClick()']")
        page.wait_for_selector("text=Lineage Graph", timeout=30_000)
        page.wait_for_function(
            "() => Array.from(document.querySelectorAll('canvas')).some(c => c.width > 0)", timeout=30_000
        )
        page.wait_for_timeout(1_000)  # let the layout settle before reading the canvas
        assert painted_pixels(page, "canvas[data-id='layer2-node']") > 1_000
        assert save_screenshot(page, "docs-lineage-graph").stat().st_size > 10_000
