"""The identities as the warehouse checks them, on the gate corpus: the Python reading of the seed
(loaders/identities.py, used by the solver, the synthetic corpus and the mutation test) decides every
check of every report exactly as the generated residual models do, and the checks new to the gate name
the plants seen in the real-site probes."""
from pathlib import Path

import pandas as pd

from loaders import identities
from loaders.parse import parse_report, report_id_for


def test_the_seed_read_in_python_decides_every_check_as_the_warehouse_does(gate_corpus, registry):
    mapped = identities.outcome_map(registry.seeds_dir)
    corpus = gate_corpus.run.db.parent / "corpus"
    compared = 0
    for path in sorted(corpus.rglob("*.txt")):
        parsed = parse_report(path.read_bytes(), str(path), registry)
        cells = identities.cells_of(parsed)
        ours = {
            (i.check_id, scope): (v.lhs, v.rhs, v.passed, v.undecided_reason)
            for i in registry.identities if not i.spans_years
            for scope, v in identities.evaluate(i, cells, parsed.report["template"], mapped).items()
        }
        warehouse = {
            (check, scope): (lhs, rhs, passed, reason)
            for check, scope, lhs, rhs, passed, reason in gate_corpus.run.query(
                "select check_id, scope, lhs, rhs, passed, undecided_reason from int_reconciliation__one_year "
                "where report_id = ?", parsed.report["report_id"])
        }
        assert ours == warehouse, path
        compared += len(ours)
    assert compared > 5_000


def _finding(gate_corpus, name: str) -> list[tuple]:
    """The findings of a plant, by its report id: a plant may have the bytes of a mutant too (the same
    edit), and a report is named by the first of its files."""
    report_id, _ = report_id_for((gate_corpus.run.db.parent / "corpus" / "plants" / name).read_bytes())
    findings = pd.read_csv(gate_corpus.run.db.parent / "ogi.gate" / "findings.csv")
    rows = findings[findings["report_id"] == report_id]
    return [(r.check_id, r.severity, r.scope, r.lhs, r.rhs, r.difference, r.counted) for r in rows.itertuples()]


def test_a_negative_count_in_table_2_is_a_finding(gate_corpus):
    """Luzhou's 行政处罚 decisions printed as -231434 used to be stored silently."""
    assert _finding(gate_corpus, "luzhou_penalties_negative.txt") == [
        ("T2-07", "E", "penalties", -231434, 0, -231434, True)]


def test_a_prose_figure_against_table_4_is_a_finding(gate_corpus):
    """Luzhou's prose 行政复议 46 -> 47 used to go unnoticed: table 4 prints 46 reviews."""
    assert _finding(gate_corpus, "luzhou_prose_review_47.txt") == [
        ("T4-06", "W", "review_total", 47, 46, 1, False)]


def test_a_legacy_reports_answers_that_do_not_add_up_are_a_finding(gate_corpus):
    """Dongyang (2017, prose only) received 91 requests; with 同意公开 55 its answers by kind make 92."""
    assert _finding(gate_corpus, "dongyang_granted_55.txt") == [
        ("T3-10", "W", "requests_total", 91, 92, -1, False)]
