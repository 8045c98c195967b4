"""The two marts `ogi report` reads besides the figures by jurisdiction: the cells behind every check
that did not pass (fct_reconciliation_cells) add up to the two sides the check printed, and requests
by applicant type (fct_jurisdiction_year_applicants) split the same figures as fct_jurisdiction_year."""
import pandas as pd


def test_the_cells_of_every_check_add_up_to_its_two_sides(gate_corpus):
    with_cells = gate_corpus.run.query(
        """
        with sides as (
            select report_id, check_id, scope,
                sum(sign * coalesce(value, 0)) filter (where side = 'lhs') as lhs_cells,
                sum(sign * coalesce(value, 0)) filter (where side = 'rhs') as rhs_cells,
                min(value) filter (where side = 'lhs') as smallest
            from fct_reconciliation_cells
            group by all
        )
        select checks.check_id, identities.test, checks.scope, checks.lhs, checks.rhs, sides.lhs_cells, sides.rhs_cells,
            sides.smallest
        from fct_reconciliation_checks as checks
        inner join identities using (check_id)
        left join sides using (report_id, check_id, scope)
        where checks.passed is not true
        """
    )
    frame = pd.DataFrame(with_cells, columns=["check_id", "test", "scope", "lhs", "rhs", "lhs_cells", "rhs_cells", "smallest"])
    assert len(frame) > 100 and {"T2-03", "T2-06", "T3-01", "T3-02", "T3-03", "T3-06", "T3-08", "T4-01", "T4-05",
                                 "T2-07", "T4-04", "R-01"} <= set(frame["check_id"])
    sums = frame[frame["test"].isin(["equal", "at_most"])]
    # Every side is the sum of its cells (blank, not-applicable and unreadable cells count 0, as in the checks).
    assert (sums["lhs"] == sums["lhs_cells"]).all(), sums[sums["lhs"] != sums["lhs_cells"]]
    decided = sums[sums["rhs"].notna()]  # NULL when last year's reports disagree
    assert (decided["rhs"] == decided["rhs_cells"]).all(), decided[decided["rhs"] != decided["rhs_cells"]]
    # T3-04, T4-04, T2-07 list the counts that break them: the smallest of them is the check's lhs; R-01 lists
    # the issue that says a table was printed again with other figures.
    negative = frame[frame["test"] == "non_negative"]
    assert (negative["lhs"] == negative["smallest"]).all()
    printed_twice = frame[frame["test"] == "zero"]
    assert (printed_twice["lhs"] == printed_twice["lhs_cells"]).all() and (printed_twice["rhs"] == 0).all()


def test_cells_keep_their_source_line_and_last_years_report(gate_corpus):
    rows = gate_corpus.run.query(
        """
        select cells.check_id,
            count(*) filter (where cells.line is null and not (cells.cell_state = 'unreadable' and cells.raw_text = '')),
            count(*),
            count(*) filter (where cells.cell_report_id = checks.related_report_id)
        from fct_reconciliation_cells as cells
        inner join fct_reconciliation_checks as checks using (report_id, check_id, scope)
        group by all order by all
        """
    )
    by_check = {check: (no_line, total, last_year) for check, no_line, total, last_year in rows}
    # Only a cell missing from the source (unreadable, nothing printed) has no line.
    assert all(no_line == 0 for no_line, _, _ in by_check.values()), by_check
    for check in ("T3-06", "T2-03", "T2-06"):
        assert by_check[check][2] > 0, check  # the other side is printed in last year's report
    assert by_check["T3-01"][2] == 0


def test_applicant_figures_split_the_jurisdiction_figures(jurisdiction_world_run):
    world = jurisdiction_world_run
    mismatched = world.query(
        """
        select year.report_year, year.division_code, year.source_level, year.new_received, applicants.new_received
        from fct_jurisdiction_year as year
        inner join fct_jurisdiction_year_applicants as applicants
            using (report_year, division_code, source_level)
        where applicants.applicant = 'total' and year.figures_source = 'table'
            and (year.new_received is distinct from applicants.new_received
                 or year.table3_report_count is distinct from applicants.table3_report_count)
        """
    )
    assert mismatched == []
    # 金华 2020: own summary 600; its county rollup 义乌's summary 120 + 东阳's organs 12 + 8 + 5.
    assert world.query(
        "select source_level, figure_kind, new_received, table3_report_count from fct_jurisdiction_year_applicants "
        "where report_year = 2020 and division_code = '330700' and applicant = 'natural_person' order by 1"
    ) == [("county", "rollup", 145, 4), ("prefecture", "own", 600, 1)]
    # The legacy year has no table 3, so no split by applicant.
    assert world.query("select count(*) from fct_jurisdiction_year_applicants where report_year = 2018") == [(0,)]


def test_yiwus_applicant_split_as_printed(samples_run):
    assert samples_run.query(
        "select applicant, new_received, total_processed from fct_jurisdiction_year_applicants "
        "where division_code = '330782' and applicant in ('natural_person', 'legal_services', 'total') order by applicant"
    ) == [("legal_services", 27, 37), ("natural_person", 30, 20), ("total", 65, 65)]
