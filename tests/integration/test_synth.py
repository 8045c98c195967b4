"""`ogi synth` reports through the whole pipeline, against the generator's truth: every figure the
warehouse holds is the printed one (or flagged unreadable, never another number), the metadata is
right, and the identity checks that fail, within a report and against the same organ's report of the
year before, are exactly the planted publication errors. The corpus exercises what matters at scale:
organs that publish year after year (comparable year on year, the cross-year checks decided),
re-zoned places, summaries that cover their departments, every format including PDF."""
import math
import os
from collections import Counter, defaultdict

import pyarrow.parquet as pq
import pytest

from loaders.parse import parse_report
from ogi import synth
from ogi.synth import FORMATS, Options, cluster

_rel = os.path.relpath


def test_every_file_is_loaded_and_read(synth_run):
    run, manifest, counts, root = synth_run.run, synth_run.manifest, synth_run.counts, synth_run.root
    rows = run.query(
        "select f.source_path, r.parse_status, r.template, r.report_year, r.organ_name, r.report_scope, r.script "
        "from stg_ogi__source_files f join dim_reports r using (report_id)"
    )
    assert len(rows) == len(manifest) == counts["reports"] + counts["duplicates"] + counts["republished"]
    for path, status, template, year, organ, scope, script in rows:
        truth = manifest[_rel(path, root / "reports")]
        assert status in ("ok", "partial"), path
        assert (template, str(year), organ, scope, script) == (
            truth["template"], truth["report_year"], truth["organ_name"], truth["report_scope"], truth["script"]), path
    assert set(Counter(t["format"] for t in manifest.values())) == set(FORMATS)


def test_figures_are_the_printed_ones(synth_run):
    run, root = synth_run.run, synth_run.root
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
            got[_rel(path, root / "reports")][(table, k, col)] = (value, state)
    for path, fact, value in run.query(
        "select f.source_path, c.fact, c.value from stg_ogi__narrative_facts c join stg_ogi__source_files f using (report_id)"
    ):
        got[_rel(path, root / "reports")][("narrative_facts", fact, "")] = (value, "number")

    compared = unreadable = 0
    by_format = Counter()
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
            by_format[synth_run.manifest[path]["format"]] += 1
    assert compared > 5_000 and by_format["pdf"] > 1_000
    # Layouts whose empty cells cannot be placed (a label-less row of blanks) are refused, not
    # guessed; they stay rare.
    assert unreadable / compared < 0.02


def test_failed_checks_are_exactly_the_planted_errors(synth_run):
    run, manifest, counts, root = synth_run.run, synth_run.manifest, synth_run.counts, synth_run.root
    failed = defaultdict(set)
    for path, check in run.query(
        "select f.source_path, c.check_id || ':' || c.scope from fct_reconciliation_checks c "
        "join stg_ogi__source_files f using (report_id) where c.passed = false"
    ):
        failed[_rel(path, root / "reports")].add(check)
    status = {_rel(p, root / "reports"): s for p, s in run.query(
        "select f.source_path, r.parse_status from stg_ogi__source_files f join dim_reports r using (report_id)")}
    checked = 0
    for path, truth in manifest.items():
        if status[path] == "ok":
            checked += 1
            assert failed.get(path, set()) == set(truth["expected_failures"].split()), (path, truth["planted_error"])
    assert checked > 30 and counts["planted_errors"] > 5


def test_organs_publish_year_after_year_and_compare(synth_run):
    q = synth_run.run.query
    # Most figures with a figure the year before compare with it, like for like.
    comparability = dict(q("select yoy_comparability, count(*) from fct_jurisdiction_year group by 1"))
    with_prior = sum(n for kind, n in comparability.items() if kind != "no_prior_year")
    assert comparability["comparable"] > 0.5 * with_prior > 20, comparability
    # The identities across years are decided, and hold unless an error was planted.
    across = dict(q("select check_id, count(*) from fct_reconciliation_checks where check_id in ('T3-06', 'T2-03', 'T2-06') "
                    "and passed is not null group by 1"))
    assert across["T3-06"] > 200 and across["T2-03"] > 10 and across["T2-06"] > 20, across
    # Departments' reports are covered by their place's summary in the years it publishes one.
    roles = dict(q("select figure_role, count(*) from dim_reports group by 1"))
    assert roles["covered_by_summary"] > 20 and roles["summary"] > 10, roles


def test_a_place_re_zoned_keeps_its_series_and_a_missing_summary_breaks_comparability(synth_run):
    first = cluster(synth_run.options.seed, 0)
    (old, _), (new, renamed_in) = first.records
    q = synth_run.run.query
    assert q("select distinct division_code, series_code from dim_reports where organ_name = ?", old.name + "人民政府") == [
        (old.code, new.code)]
    assert q("select count(*) from dim_reports where organ_name = ?", new.name + "人民政府")[0][0] == 2024 - renamed_in
    rows = dict(q("select report_year, figure_basis || ' ' || yoy_comparability from fct_jurisdiction_year "
                  "where division_code = ? and figure_kind = 'own'", new.code))
    assert sorted(rows) == list(range(2008, 2025))
    # The summary counts its departments: re-zoned or not, the figure compares with the year before...
    assert rows[renamed_in] == "summary comparable" and rows[2021] == "summary comparable"
    # ...except around 2022, when the summary is missing and the departments' reports make the figure.
    assert rows[2022] == "agency_sum not_comparable" and rows[2023] == "summary not_comparable"


def test_a_summary_covers_its_departments(synth_run):
    manifest = synth_run.manifest.values()
    first = cluster(synth_run.options.seed, 0)
    names = {p.name + "人民政府" for p, _ in first.records}
    place = first.records[-1][0]
    summary = {r["report_year"]: r for r in manifest if r["organ_name"] in names and r["kind"] == "report"}
    assert "2022" not in summary and len(summary) == 16  # 2008-2024, one year missing
    q = synth_run.run.query
    # 2021: the summary's requests are its office's own plus its two departments'.
    own, departments = q(
        "select sum(new_received) filter (where r.report_scope = 'jurisdiction'), "
        "sum(new_received) filter (where r.report_scope = 'agency') "
        "from fct_applications a join dim_reports r using (report_id) "
        "where r.division_code = ? and r.report_year = 2021 and a.applicant = 'total' and r.is_current_version", place.code)[0]
    assert own > departments > 0


def test_a_corpus_past_one_cluster_per_place_and_group_goes_on_with_other_departments(registry):
    """`make bench`'s 100,000 reports need more clusters than the places and the first organ groups
    hold (some 75,000 reports): the next clusters are other departments of the same places, and the
    first clusters stay those of a smaller corpus."""
    options = Options(count=100_000)
    starts = synth._starts(options.seed, options.count)
    first_layer = len(synth._world().places) * len(synth.ORGAN_GROUPS)
    assert len(starts) > first_layer
    assert synth.cluster(options.seed, 5) == synth.cluster(Options(count=50).seed, 5)
    organs = set()
    for number in range(first_layer, first_layer + 40):
        c = synth.cluster(options.seed, number)
        assert set(c.members) <= set(synth.LATER_AGENCIES), c
        organs |= {(c.records[0][0].code, m, y) for m, y in c.reports()}
    earlier = {(synth.cluster(options.seed, n).records[0][0].code, m, y)
               for n in range(first_layer) for m, y in synth.cluster(options.seed, n).reports()}
    assert not organs & earlier  # no organ publishes twice in a year
    # A report of that layer reads as generated: its organ and every keyed figure.
    [report, *_] = synth.files_for(starts[first_layer], options)
    parsed = parse_report(report.data, report.path, registry)
    assert parsed.report["organ_name"] == report.manifest["organ_name"]
    assert report.manifest["organ_name"].endswith(synth.LATER_AGENCIES)
    got = {("application_cells", c["row_code"], c["applicant"]): c["value"] for c in parsed.application_cells}
    truth = report.cells
    keyed = [(t, k, col, v) for t, k, col, v in zip(truth["table"], truth["key"], truth["column"], truth["value"])
             if t == "application_cells" and v is not None]
    assert len(keyed) > 20 and all(got[t, k, col] == v for t, k, col, v in keyed)


@pytest.mark.parametrize("options, message", [
    (dict(count=0), "count must be 1 or more"),
    (dict(count=5, formats=("odt",)), "formats must be some of text, html, docx, pdf"),
    (dict(count=5, error_share=1.5), "error_share must be a share between 0 and 1"),
])
def test_options_are_checked(options, message):
    with pytest.raises(ValueError, match=message):
        Options(**options)
