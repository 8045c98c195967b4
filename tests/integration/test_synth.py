"""`ogi synth` reports through the whole pipeline, against the generator's truth: every figure the
warehouse holds is the printed one (or flagged unreadable, never another number), the metadata is
right, and the identity checks that fail are exactly the planted publication errors."""
import math
import os
from collections import defaultdict

import pyarrow.parquet as pq
import pytest

from ogi.synth import Options, generate, read_manifest
from tests.integration.conftest import run_pipeline

@pytest.fixture(scope="module")
def synth_run(tmp_path_factory):
    work = tmp_path_factory.mktemp("synth_run")
    counts = generate(Options(150, seed=3, error_share=0.15), work / "synth", processes=2)
    run = run_pipeline(work / "synth" / "reports", work)
    assert run.returncode == 0, run.output
    manifest = {row["path"]: row for row in read_manifest(work / "synth")}
    return run, manifest, counts, work / "synth"


def _rel(run, path: str, root) -> str:
    return os.path.relpath(path, root / "reports")


def test_every_file_is_loaded_and_read(synth_run):
    run, manifest, counts, root = synth_run
    rows = run.query(
        "select f.source_path, r.parse_status, r.template, r.report_year, r.organ_name, r.report_scope, r.script "
        "from stg_ogi__source_files f join dim_reports r using (report_id)"
    )
    assert len(rows) == len(manifest) == counts["reports"] + counts["duplicates"] + counts["republished"]
    for path, status, template, year, organ, scope, script in rows:
        truth = manifest[_rel(run, path, root)]
        assert status in ("ok", "partial"), path
        assert (template, str(year), organ, scope, script) == (
            truth["template"], truth["report_year"], truth["organ_name"], truth["report_scope"], truth["script"]), path


def test_figures_are_the_printed_ones(synth_run):
    run, manifest, _, root = synth_run
    truth = defaultdict(dict)
    for c in pq.read_table(root / "truth" / "cells.parquet").to_pylist():
        truth[c["path"]][(c["table"], c["key"], c["column"])] = (c["value"], c["state"])
    got = defaultdict(dict)
    for table, key, column in (("application_cells", "row_code", "applicant"), ("disclosure_cells", "item", "measure"),
                               ("review_litigation_cells", "proceeding", "result")):
        for path, k, col, value, state in run.query(
            f"select f.source_path, c.{key}, c.{column}, c.value, c.cell_state "
            f"from stg_ogi__{table} c join stg_ogi__source_files f using (report_id)"
        ):
            got[_rel(run, path, root)][(table, k, col)] = (value, state)
    for path, fact, value in run.query(
        "select f.source_path, c.fact, c.value from stg_ogi__narrative_facts c join stg_ogi__source_files f using (report_id)"
    ):
        got[_rel(run, path, root)][("narrative_facts", fact, "")] = (value, "number")

    compared = unreadable = 0
    for path, cells in truth.items():
        for key, (value, state) in cells.items():
            value_got, state_got = got[path].get(key, (None, "missing"))
            compared += 1
            if state_got == "unreadable":
                unreadable += 1  # flagged, with an error in parse_issues; never a wrong number
                continue
            assert state_got == state, (path, key, state, state_got)
            if value is not None:
                assert math.isclose(value_got, value, rel_tol=1e-9), (path, key, value, value_got)
    assert compared > 5_000
    # Layouts whose empty cells cannot be placed (a label-less row of blanks) are refused, not
    # guessed; they stay rare.
    assert unreadable / compared < 0.02


def test_failed_checks_are_exactly_the_planted_errors(synth_run):
    run, manifest, counts, root = synth_run
    failed = defaultdict(set)
    for path, check in run.query(
        "select f.source_path, c.check_id || ':' || c.scope from fct_reconciliation_checks c "
        "join stg_ogi__source_files f using (report_id) where c.passed = false"
    ):
        failed[_rel(run, path, root)].add(check)
    status = {_rel(run, p, root): s for p, s in run.query(
        "select f.source_path, r.parse_status from stg_ogi__source_files f join dim_reports r using (report_id)")}
    checked = 0
    for path, truth in manifest.items():
        if status[path] == "ok":
            checked += 1
            assert failed.get(path, set()) == set(truth["expected_failures"].split()), (path, truth["planted_error"])
    assert checked > 30 and counts["planted_errors"] > 5
