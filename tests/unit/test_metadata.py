"""Who and when, from every clue a report gives: places that are not in the samples, county names that
repeat across provinces, special areas, printing slips, index numbers, postcodes, area codes."""
import pytest

from loaders.parse import parse_report

BODY = "本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"


def describe(registry, *lines):
    parsed = parse_report("\n".join(lines).encode("utf-8"), "meta.txt", registry)
    return parsed.report, {i["code"]: i for i in parsed.parse_issues}


def place(report):
    return report["division_code"], report["jurisdiction_name"]


@pytest.mark.parametrize("context, code", [
    ("南京市鼓楼区人民政府办公室编制。", "320106"),
    ("地址：福州市鼓楼区东街。", "350102"),
    ("联系电话：(0591)87000000 ，邮编350001。电话:0591-87000000", "350102"),
    ("徐州市政务服务管理办公室指导本区工作。", "320302"),
])
def test_a_county_name_that_repeats_is_resolved_by_its_context(registry, context, code):
    report, issues = describe(registry, "2020年鼓楼区人民政府政府信息公开工作年度报告", BODY.format(year=2020), context)
    assert report["division_code"] == code
    assert (report["report_scope"], report["organ_name"]) == ("jurisdiction", report["jurisdiction_name"] + "人民政府")
    assert "jurisdiction_ambiguous" not in issues


def test_a_county_name_that_repeats_without_context_is_left_unresolved(registry):
    report, issues = describe(registry, "2020年鼓楼区人民政府政府信息公开工作年度报告", BODY.format(year=2020))
    assert report["division_code"] is None
    message = issues["jurisdiction_ambiguous"]["message"]
    assert all(code in message for code in ("320106", "320302", "350102", "410204"))


@pytest.mark.parametrize("contact, code", [
    ("电话：0580-2280000", "330903"),  # 舟山市普陀区
    ("邮编：200333", "310107"),  # 上海市普陀区
])
def test_postcodes_and_area_codes_place_a_repeated_name(registry, contact, code):
    report, _ = describe(registry, "普陀区2019年政府信息公开工作年度报告", BODY.format(year=2019), contact)
    assert report["division_code"] == code


def test_an_agency_of_a_repeated_district(registry):
    report, _ = describe(registry, "北京市朝阳区教育委员会2020年政府信息公开工作年度报告", BODY.format(year=2020))
    assert (report["division_code"], report["report_scope"], report["organ_name"]) == (
        "110105", "agency", "北京市朝阳区教育委员会")


@pytest.mark.parametrize("index, title, code, organ", [
    # a 12-digit division prefix (义乌市)
    ("信息索引号：330782000000/2022-123456", "市财政局2021年度政府信息公开工作年度报告", "330782", "义乌市财政局"),
    # the 统一社会信用代码 of an organ in 杭州市西湖区
    ("索引号: 11330106002489372X/2022-00017", "区财政局2021年度政府信息公开工作年度报告", "330106", "西湖区财政局"),
])
def test_the_index_number_places_a_report_whose_title_names_no_place(registry, index, title, code, organ):
    report, _ = describe(registry, index, title, BODY.format(year=2021))
    assert (report["division_code"], report["jurisdiction_evidence"]) == (code, "index_number")
    assert (report["report_scope"], report["organ_name"]) == ("agency", organ)


def test_a_special_area_resolves_through_the_alias_seed(registry):
    report, _ = describe(registry, "平潭综合实验区2020年政府信息公开工作年度报告", BODY.format(year=2020))
    assert (report["division_code"], report["jurisdiction_name"], report["jurisdiction_evidence"]) == ("350128", "平潭县", "alias")
    assert (report["report_scope"], report["organ_name"]) == ("jurisdiction", "平潭综合实验区")
    report, _ = describe(registry, "杨凌示范区管委会2021年政府信息公开工作年度报告", BODY.format(year=2021))
    assert (report["division_code"], report["report_scope"], report["organ_name"]) == ("610403", "jurisdiction", "杨凌示范区管委会")


def test_a_printing_slip_in_the_place_name(registry):
    report, _ = describe(registry, "沐阳县2019年政府信息公开工作年度报告", BODY.format(year=2019))
    assert (report["division_code"], report["jurisdiction_name"], report["organ_name"]) == ("321322", "沭阳县", "沭阳县人民政府")


def test_a_township_government_is_an_agency_of_its_county(registry):
    report, issues = describe(
        registry, "2020年佛堂镇人民政府政府信息公开工作年度报告", BODY.format(year=2020),
        "佛堂镇是义乌市的建制镇。义乌市政府指导全镇政务公开。", "地址：义乌市佛堂镇。")
    assert (report["report_scope"], report["organ_name"], report["division_code"]) == ("agency", "佛堂镇人民政府", "330782")
    assert "scope_unresolved" not in issues


def test_a_department_whose_title_omits_the_place(registry):
    report, _ = describe(registry, "市财政局2020年度政府信息公开工作年度报告", "发布机构：温州市财政局", BODY.format(year=2020))
    assert (report["division_code"], report["jurisdiction_evidence"]) == ("330300", "publisher_field")
    assert (report["report_scope"], report["organ_name"]) == ("agency", "温州市财政局")


def test_a_report_without_title_takes_its_organ_from_the_page_fields(registry):
    report, issues = describe(registry, "发布机构:", "", "  丽水市莲都区人民政府", BODY.format(year=2020), "全区各部门……")
    assert (report["organ_name"], report["report_scope"], report["division_code"]) == ("丽水市莲都区人民政府", "jurisdiction", "331102")
    assert "title_missing" in issues


def test_the_junk_place_name_is_replaced_by_the_clues(registry):
    """Like the Wenzhou sample, with another city: the place in the title is spam, the text names the
    city by its short name, its address, postcode and area code."""
    junk = "最新棋牌平台_官方网址"
    report, issues = describe(
        registry, f"{junk}人民政府2019年政府信息公开工作年度报告", BODY.format(year=2019),
        f"请与{junk}人民政府办公室联系（地址：{junk}鄞州区宁穿路2001号；邮编：315066；电话：0574-89180000）。",
        "宁波政务公开工作……宁波发布……")
    assert (report["division_code"], report["report_scope"], report["organ_name"]) == ("330200", "jurisdiction", "宁波市人民政府")
    assert "publisher_not_a_place" in issues


@pytest.mark.parametrize("lines, year", [
    (["二〇一九年度杭州市上城区政府信息公开工作年度报告"], 2019),
    (["杭州市上城区政府信息公开工作年度报告", "本报告统计期限为2021年1月1日至12月31日。"], 2021),
    (["杭州市上城区政府信息公开工作年度报告", "（2018年度）"], 2018),
    (["杭州市上城区政府信息公开工作年度报告", "发布日期：2021-01-29", "2021年1月29日"], None),
])
def test_the_year_comes_from_the_title_or_the_period_never_the_publication_date(registry, lines, year):
    report, issues = describe(registry, *lines)
    assert report["report_year"] == year
    assert ("year_unresolved" in issues) == (year is None)


@pytest.mark.parametrize("title, code", [
    ("2014年密云县政府信息公开工作年度报告", "110228"),  # 密云县 until 2015
    ("2016年密云区政府信息公开工作年度报告", "110118"),
    ("2020年龙港市政府信息公开工作年度报告", "330383"),  # a city since 2019
])
def test_codes_valid_in_the_report_year(registry, title, code):
    report, _ = describe(registry, title)
    assert report["division_code"] == code


def test_a_national_organ_gets_no_division_even_when_its_text_names_places(registry):
    report, issues = describe(registry, "国家税务总局2020年政府信息公开工作年度报告", BODY.format(year=2020),
                              "北京市、上海市、广东省税务局分别……北京市税务局……北京市")
    assert (report["division_code"], report["report_scope"], report["organ_name"]) == (None, "agency", "国家税务总局")
    assert "national_organ" in issues and "jurisdiction_unresolved" not in issues
    report, _ = describe(registry, "国家税务总局温州市税务局2020年政府信息公开工作年度报告", BODY.format(year=2020))
    assert (report["division_code"], report["organ_name"]) == ("330300", "国家税务总局温州市税务局")


def test_radical_code_points_of_a_pdf_text_layer_read_as_the_characters(registry):
    """PDF writers whose font shares a glyph between a radical and its character extract 龙 as ⻰
    (U+2EF0) and 民 as ⺠ (U+2EA0); NFKC folds only the Kangxi radicals (⼯ U+2F2F)."""
    report, issues = describe(registry, "⻰泉市2021年政府信息公开⼯作年度报告",
                              "本报告根据《中华⼈⺠共和国政府信息公开条例》编制。" + BODY.format(year=2021))
    assert (report["division_code"], report["report_scope"], report["organ_name"]) == ("331181", "jurisdiction", "龙泉市人民政府")
    assert "jurisdiction_unresolved" not in issues


def test_the_year_only_in_the_prose_that_introduces_the_report(registry):
    """No year in the title and no 统计期限: the year the prose gives to the report's subject, not the
    publication date printed at the end."""
    report, issues = describe(registry, "龙泉市财政局政府信息公开工作年度报告",
                              "根据《条例》规定，现将本机关2021年度政府信息公开工作情况报告如下。",
                              "一、总体情况", "本机关2022年将继续做好政务公开工作。", "龙泉市财政局", "2022年1月20日")
    assert (report["report_year"], report["division_code"], report["report_scope"], report["organ_name"]) == (
        2021, "331181", "agency", "龙泉市财政局")
    assert "year_unresolved" not in issues


@pytest.mark.parametrize("title_lines", [
    ("开化县财政局", "2020年政府信息公开工作年度报告"),  # the title broken over two lines
    ("开化县财政局关于2020年度政府信息公开工作的年度报告",),  # 关于 … 的年度报告
])
def test_a_department_title_in_other_shapes(registry, title_lines):
    report, issues = describe(registry, *title_lines, BODY.format(year=2020))
    assert (report["report_year"], report["division_code"], report["report_scope"], report["organ_name"]) == (
        2020, "330824", "agency", "开化县财政局")
    assert "organ_unresolved" not in issues


def test_a_navigation_line_above_a_title_without_publisher_is_not_the_publisher(registry):
    report, _ = describe(registry, "政府信息公开年报", "2020年政府信息公开工作年度报告", BODY.format(year=2020),
                         "开化县人民政府办公室编制。开化县人民政府")
    assert report["organ_name"] != "政府信息公开年报"


@pytest.mark.parametrize("title_lines", [
    ("开化县市场监督管理局2020年度政府信息公开工作年", "度报告"),  # a long title wrapped in a PDF
    ("开化县市场监督管理局 | 2020年度政府信息公开工作年度报告",),  # a line break inside the title paragraph
])
def test_a_title_over_two_lines_is_not_taken_from_the_first_sentence(registry, title_lines):
    """The first sentence (本报告根据《中华人民共和国政府信息公开条例》…编制。) names an annual report
    too: it is a sentence, not the title (read as one, 中华人民共和国 gave 共和县 of Qinghai)."""
    report, _ = describe(registry, *title_lines,
                         "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）编制。" + BODY.format(year=2020))
    assert (report["report_year"], report["division_code"], report["report_scope"], report["organ_name"]) == (
        2020, "330824", "agency", "开化县市场监督管理局")
    assert report["title"] == "开化县市场监督管理局2020年度政府信息公开工作年度报告"


@pytest.mark.parametrize("title", [
    "开 化 县 财 政 局 2020 年 政 府 信 息 公 开 工 作 年 度 报 告",  # letter-spaced, as titles are set
    "开化县财政局\t2020年度政府信息公开工作年度报告",
])
def test_spaces_in_a_title_are_not_part_of_the_organ(registry, title):
    report, _ = describe(registry, title, BODY.format(year=2020))
    assert (report["report_year"], report["division_code"], report["report_scope"], report["organ_name"]) == (
        2020, "330824", "agency", "开化县财政局")
