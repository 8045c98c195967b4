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


def test_a_province_total_adds_every_level_once_and_says_how(world):
    columns = ("levels_added, made_of, place_count, figure_report_count, new_received, new_received_province_level, "
               "new_received_prefecture_level, new_received_county_level")
    totals = {(r[0], r[1]): r[2:] for r in world.query(
        f"select report_year, coalesce(province_code, 'national'), {columns} from fct_province_year_totals")}
    # 浙江 2020: its own summary 5000, 金华's 600 (金华市财政局's 15 is covered by it) and six counties' 365.
    assert totals[2020, "330000"] == (
        "province, prefecture, county",
        "province 1 place (1 by summary); prefecture 1 place (1 by summary); county 6 places (5 by summary, 1 by organs' reports)",
        8, 10, 5000 + 600 + 365, 5000, 600, 365)
    # 2019: no provincial report; 金华 500, 义乌 100, 东阳's two organs 16.
    assert totals[2019, "330000"][0] == "prefecture, county" and totals[2019, "330000"][4] == 616
    # 湖北: 仙桃, a county directly under the province, is all there is.
    assert totals[2020, "420000"][:2] == ("county", "county 1 place (1 by summary)")
    assert totals[2020, "420000"][4] == 50
    # The nation: the provinces' totals added.
    assert totals[2020, "national"][:2] == ("province, prefecture, county", "2 provinces")
    assert totals[2020, "national"][4:] == (6015, 5000, 600, 415)
    assert totals[2019, "national"][4] == 616 + 40 and totals[2018, "national"][4] == 80
    assert world.query(
        "select outcome_total, granted, granted_share, review_total from fct_province_year_totals "
        "where report_year = 2020 and province_code = '330000'"
    ) == [(5965, 3611, pytest.approx(3611 / 5965), 24)]  # granted: 3000 + 300 + 义乌 70 + 东阳 12 + 4 + 5 + 杭州's 220


def test_table_2_by_jurisdiction_and_year_lines_up_the_templates(world):
    rows = world.query(
        "select report_year, item, measure, alignment, templates, printed_measures, report_count, readable_report_count, value "
        "from fct_jurisdiction_year_disclosures where division_code = '330102' and figure_kind = 'own' "
        "and item in ('rules', 'licensing', 'fees') and (value <> 0 or item = 'fees') order by item, measure, report_year"
    )
    assert rows == [
        # v2019's fee items and v2021 本年收费金额 (1.5 万元) are different things: each in its own template only.
        (2020, "fees", "change", "template_only", "v2019", "change", 1, 1, 0.0),
        (2021, "fees", "fee_amount_yuan", "template_only", "v2021", "fee_amount_yuan", 1, 1, 15_000.0),
        (2020, "fees", "prior_year_items", "template_only", "v2019", "prior_year_items", 1, 1, 4.0),
        (2020, "licensing", "decisions", "same", "v2019", "decisions", 1, 1, 500.0),
        (2021, "licensing", "decisions", "same", "v2021", "decisions", 1, 1, 650.0),
        (2020, "licensing", "prior_year_items", "template_only", "v2019", "prior_year_items", 1, 1, 120.0),
        (2020, "rules", "in_force", "similar", "v2019", "total_published", 1, 1, 40.0),
        (2021, "rules", "in_force", "similar", "v2021", "in_force", 1, 1, 41.0),
        # v2019 本年新制作数量 and v2021 本年制发件数: one series.
        (2020, "rules", "issued", "same", "v2019", "new_made", 1, 1, 3.0),
        (2021, "rules", "issued", "same", "v2021", "issued", 1, 1, 2.0),
        (2020, "rules", "new_published", "template_only", "v2019", "new_published", 1, 1, 3.0),
        (2021, "rules", "repealed", "template_only", "v2021", "repealed", 1, 1, 1.0),
    ]
    # 杭州's rollup of its districts in 2021: 上城区 and 拱墅区 (whose 行政许可 cell is blank: 0).
    assert world.query(
        "select item, measure, report_count, value, jurisdiction_name, jurisdiction_level from fct_jurisdiction_year_disclosures "
        "where report_year = 2021 and division_code = '330100' and source_level = 'county' "
        "and item in ('rules', 'licensing', 'penalties') and measure in ('issued', 'decisions') order by item"
    ) == [("licensing", "decisions", 2, 650.0, "杭州市", "prefecture"), ("penalties", "decisions", 2, 30.0, "杭州市", "prefecture"),
          ("rules", "issued", 2, 7.0, "杭州市", "prefecture")]


def test_the_applicants_mart_names_the_place_and_its_level(world):
    assert world.query(
        "select distinct jurisdiction_name, jurisdiction_level, prefecture_name, province_name, source_level "
        "from fct_jurisdiction_year_applicants where division_code in ('330782', '330700') order by 2, 5"
    ) == [("义乌市", "county", "金华市", "浙江省", "county"), ("金华市", "prefecture", "金华市", "浙江省", "county"),
          ("金华市", "prefecture", "金华市", "浙江省", "prefecture")]
