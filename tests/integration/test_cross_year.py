"""The identities across two years of the same organ (T3-06, T2-02, T2-03, T2-05, T2-06), on the
consecutive-year reports of tests/year_pairs.py, loaded with the gate corpus."""
import pandas as pd

from expectations.summary import check_line

from tests.year_pairs import EXPECTED_FAILURES, EXPECTED_PAIRS


def _checks(gate_corpus) -> pd.DataFrame:
    return pd.DataFrame(
        gate_corpus.run.query(
            """
            select reports.source_path, checks.check_id, checks.scope, checks.lhs, checks.rhs, checks.passed,
                   checks.undecided_reason, related.source_path
            from fct_reconciliation_checks as checks
            join dim_reports as reports using (report_id)
            left join dim_reports as related on related.report_id = checks.related_report_id
            where checks.check_id in ('T3-06', 'T2-02', 'T2-03', 'T2-05', 'T2-06') and reports.source_path like 'corpus/years/%'
            """
        ),
        columns=["path", "check_id", "scope", "lhs", "rhs", "passed", "undecided_reason", "previous"],
    ).assign(name=lambda df: df["path"].str.removeprefix("corpus/years/"),
             previous=lambda df: df["previous"].str.removeprefix("corpus/years/"))


def test_each_report_is_compared_with_the_same_organs_previous_year(gate_corpus):
    checks = _checks(gate_corpus)
    pairs = checks.groupby("name")["previous"].agg(set).to_dict()
    assert set(pairs) == set(EXPECTED_PAIRS)
    for name, previous in EXPECTED_PAIRS.items():
        # With two reports of the previous year that agree, the check names one of them.
        assert pairs[name] <= set(previous if isinstance(previous, tuple) else [previous]), name
    counts = checks.groupby(["name", "check_id"]).size().to_dict()
    assert counts == {
        ("qingtian_2020.txt", "T3-06"): 7, ("qingtian_2020.txt", "T2-03"): 5, ("qingtian_2020.txt", "T2-02"): 2,
        ("qingtian_2021.txt", "T3-06"): 7,
        ("qingtian_2021.txt", "T2-05"): 2,  # v2019 -> v2021: last year's total_published against in_force
        ("qingtian_2022.txt", "T3-06"): 7, ("qingtian_2022.txt", "T2-06"): 2,
        ("qingtian_office_2020.txt", "T3-06"): 7, ("qingtian_office_2020.txt", "T2-03"): 5,
        ("qingtian_office_2020.txt", "T2-02"): 2,
    }


def test_only_the_planted_differences_fail(gate_corpus):
    checks = _checks(gate_corpus)
    assert checks["passed"].notna().all()
    failed = checks[~checks["passed"].astype(bool)]
    assert {(r.name, r.check_id, r.scope): (r.lhs, r.rhs) for r in failed.itertuples()} == EXPECTED_FAILURES


def test_cross_year_findings_are_listed_as_w_and_name_last_years_report(gate_corpus):
    """As the summary prints them (beyond its first fifty reports, findings.csv has them all)."""
    findings = pd.read_csv(gate_corpus.run.db.parent / "ogi.gate" / "findings.csv")
    years = findings[findings["source_path"].str.startswith("corpus/years/")]
    assert set(years["severity"]) == {"W"}
    lines = {check_line(f) for _, f in years.iterrows()}
    assert (
        "T3-06 W failed: carried_over this year 0 vs carried_forward in last year's report 1, difference -1 "
        "(last year: corpus/years/qingtian_2019.txt)"
    ) in lines
    assert (
        "T2-06 W failed: in_force this year 52 vs in_force in last year's report + issued - repealed this year 53, "
        "difference -1 (last year: corpus/years/qingtian_2021.txt)"
    ) in lines
    assert (
        "T2-05 W failed: in_force this year 10 vs total_published in last year's (v2019) report + issued - repealed "
        "this year 11, difference -1 (last year: corpus/years/qingtian_2020.txt)"
    ) in lines
