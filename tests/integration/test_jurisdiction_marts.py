"""The figures by year and jurisdiction on the fixture world (tests/fixtures/jurisdiction_reports.py):
summaries are never added to their organs' reports, levels are never added together, a republished
report counts once, series survive a re-zoning, and year-on-year change is like for like."""
import pytest

COLUMNS = (
    "figure_kind, figure_basis, place_count, figure_report_count, published_report_count, new_received, "
    "outcome_total, yoy_comparability, new_received_yoy_change"
)


@pytest.fixture(scope="module")
def world(jurisdiction_world_run):
    assert jurisdiction_world_run.returncode == 0, jurisdiction_world_run.output
    return jurisdiction_world_run


def figure(world, year, code, level):
    rows = world.query(
        f"select {COLUMNS} from fct_jurisdiction_year where report_year = ? and division_code = ? and source_level = ?",
        year, code, level,
    )
    assert len(rows) == 1, (year, code, level, rows)
    return dict(zip([c.strip() for c in COLUMNS.split(",")], rows[0]))


def test_a_summary_is_the_place_figure_and_its_organs_are_not_added(world):
    # 义乌 2019: summary 100; its 教育局 (30) and 公安局 (20) are published but covered by it.
    yiwu = figure(world, 2019, "330782", "county")
    assert (yiwu["figure_basis"], yiwu["new_received"], yiwu["figure_report_count"], yiwu["published_report_count"]) == (
        "summary", 100, 1, 3)
    assert figure(world, 2020, "330782", "county")["new_received"] == 120  # not 120 + 35
    # 金华's own 2020 figure is its summary, not summary + 财政局 (600 + 15).
    jinhua = figure(world, 2020, "330700", "prefecture")
    assert (jinhua["figure_kind"], jinhua["new_received"], jinhua["published_report_count"]) == ("own", 600, 2)
    roles = dict(world.query("select regexp_extract(source_path, '[^/]+$'), figure_role from dim_reports"))
    assert roles["yiwu_education_2019.txt"] == roles["jinhua_finance_2020.txt"] == "covered_by_summary"


def test_a_prefecture_summary_is_never_added_to_its_counties(world):
    # 金华 2020: own summary 600; the rollup of its counties is 义乌's summary 120 + 东阳's organs 25.
    rollup = figure(world, 2020, "330700", "county")
    assert (rollup["figure_kind"], rollup["figure_basis"], rollup["place_count"], rollup["new_received"]) == (
        "rollup", "mixed", 2, 145)
    # 浙江 2020: its own summary, its prefectures' own figures and its counties' own figures, apart.
    assert figure(world, 2020, "330000", "province")["new_received"] == 5000
    assert figure(world, 2020, "330000", "prefecture")["new_received"] == 600
    assert figure(world, 2020, "330000", "county")["new_received"] == 120 + 25 + 60 + 40 + 70 + 50
    totals = {r[0] for r in world.query("select new_received from fct_jurisdiction_year where report_year = 2020")}
    assert not totals & {615, 745, 5600, 5365}


def test_organs_are_summed_without_a_summary_and_a_republished_copy_counts_once(world):
    # 东阳 2020: 教育局 12 (loaded twice), 卫生健康局 8, 公安局 5.
    dongyang = figure(world, 2020, "330783", "county")
    assert (dongyang["figure_basis"], dongyang["figure_report_count"], dongyang["published_report_count"],
            dongyang["new_received"]) == ("agency_sum", 3, 3, 25)
    roles = world.query(
        "select figure_role, count(*) from dim_reports where organ_name = '东阳市教育局' and report_year = 2020 group by 1 order by 1"
    )
    # The loader tells the two versions apart; the superseded one counts in no figure.
    assert roles == [("agency", 1), ("not_current_version", 1)]


def test_a_county_directly_under_a_province_enters_only_the_province(world):
    assert figure(world, 2020, "429004", "county")["new_received"] == 50
    hubei = figure(world, 2020, "420000", "county")
    assert (hubei["figure_kind"], hubei["place_count"], hubei["new_received"]) == ("rollup", 1, 50)
    assert world.query(
        "select count(*) from fct_jurisdiction_year where province_code = '420000' and jurisdiction_level = 'prefecture'"
    ) == [(0,)]


def test_series_survive_the_rezoning(world):
    # 下城区 merged into 拱墅区 in 2021: 2020 adds both summaries, and 2021 compares with it.
    gongshu_2020 = figure(world, 2020, "330105", "county")
    assert (gongshu_2020["place_count"], gongshu_2020["new_received"]) == (2, 100)
    gongshu_2021 = figure(world, 2021, "330105", "county")
    assert (gongshu_2021["yoy_comparability"], gongshu_2021["new_received_yoy_change"]) == ("comparable", 10)
    assert world.query(
        "select division_code, division_name, series_code from dim_reports where organ_name = '下城区人民政府'"
    ) == [("330103", "下城区", "330105")]
    # 江干区 split into 上城区 and 钱塘区: its series ends, and 上城区's area changed in 2021.
    assert world.query("select max(report_year) from fct_jurisdiction_year where division_code = '330104'") == [(2020,)]
    shangcheng = figure(world, 2021, "330102", "county")
    assert (shangcheng["yoy_comparability"], shangcheng["new_received_yoy_change"]) == ("not_comparable", None)
    # 杭州's county rollup: only 拱墅's series compares (100 -> 110).
    hangzhou = figure(world, 2021, "330100", "county")
    assert (hangzhou["new_received"], hangzhou["yoy_comparability"], hangzhou["new_received_yoy_change"]) == (
        240, "partly_comparable", 10)


def test_year_on_year_change_is_like_for_like(world):
    # 东阳 2020: the two organs that reported in both years went from 10 + 6 to 12 + 8; 公安局 is new.
    assert world.query(
        "select yoy_comparability, yoy_matched_unit_count, new_received_yoy_change, new_received_yoy_pct "
        "from fct_jurisdiction_year where report_year = 2020 and division_code = '330783'"
    ) == [("partly_comparable", 2, 4, 0.25)]
    assert world.query(
        "select yoy_comparability, new_received_yoy_change, new_received_yoy_pct from fct_jurisdiction_year "
        "where report_year = 2020 and division_code = '330700' and source_level = 'prefecture'"
    ) == [("comparable", 100, 0.2)]


def test_rates_and_the_share_of_reports_that_do_not_add_up(world):
    # 金华 2019: review upheld 10, corrected 3, other 1, pending 2; litigation (5, 1, 0, 1) + (2, 0, 0, 0).
    assert world.query(
        "select review_total, review_concluded, review_corrected, review_correction_rate, "
        "litigation_concluded, litigation_corrected, litigation_correction_rate, granted_share, withheld_share "
        "from fct_jurisdiction_year where report_year = 2019 and division_code = '330700' and source_level = 'prefecture'"
    ) == [(16, 14, 3, 3 / 14, 8, 1, 1 / 8, 200 / 480, 40 / 480)]
    # 义乌 2019: 义乌市公安局's table does not add up (T3-01), one of the place's three reports.
    assert world.query(
        "select checked_report_count, failing_report_count, failing_report_share from fct_jurisdiction_year "
        "where report_year = 2019 and division_code = '330782'"
    ) == [(3, 1, 1 / 3)]
    # No concluded lawsuit in 义乌: the rate is NULL, not 0.
    assert world.query(
        "select litigation_concluded, litigation_correction_rate from fct_jurisdiction_year "
        "where report_year = 2019 and division_code = '330782'"
    ) == [(0, None)]


def test_the_legacy_year_joins_at_outcome_group_level(world):
    assert world.query(
        "select figures_source, prose_confidence, templates, new_received, carried_over, granted, partially_granted, "
        "withheld, unavailable, not_processed, other_handled, outcome_total, review_total, review_correction_rate "
        "from fct_jurisdiction_year where report_year = 2018 and division_code = '330782'"
    ) == [("prose", "medium", "legacy", 80, None, 50, 10, 5, 10, 0, 5, 80, 4, None)]
    assert world.query(
        "select outcome_group, value, figure_source, confidence from fct_outcome_groups g join dim_reports r using (report_id) "
        "where r.template = 'legacy' order by outcome_group"
    ) == [("granted", 50, "prose", "high"), ("other", 5, "prose", "medium"), ("partially_granted", 10, "prose", "high"),
          ("unavailable", 10, "prose", "medium"), ("withheld", 5, "prose", "high")]
    # 2019 against 2018: the shares compare; requests (table against prose) do not.
    assert world.query(
        "select yoy_comparability, new_received_yoy_change, granted_share_yoy_change from fct_jurisdiction_year "
        "where report_year = 2019 and division_code = '330782'"
    ) == [("comparable", None, pytest.approx(60 / 100 - 50 / 80))]
