"""The five bundled sample reports, parsed: real figures for every layout and table."""
import pytest

from loaders.parse import parse_report


def parse(samples_dir, registry, name):
    return parse_report((samples_dir / name).read_bytes(), name, registry)


def table3(parsed):
    return {(c["row_code"], c["applicant"]): c for c in parsed.application_cells}


def table2(parsed):
    return {(c["item"], c["measure"]): c for c in parsed.disclosure_cells}


def table4(parsed):
    return {(c["proceeding"], c["result"]): c["value"] for c in parsed.review_litigation_cells}


def facts(parsed):
    return {f["fact"]: f["value"] for f in parsed.narrative_facts}


@pytest.fixture(scope="module")
def luzhou(samples_dir, registry):
    return parse(samples_dir, registry, "luzhou_2020_traditional.txt")


@pytest.fixture(scope="module")
def jinyun(samples_dir, registry):
    return parse(samples_dir, registry, "jinyun_2019_tabbed.txt")


@pytest.fixture(scope="module")
def yiwu(samples_dir, registry):
    return parse(samples_dir, registry, "yiwu_2020_office.txt")


@pytest.fixture(scope="module")
def wenzhou(samples_dir, registry):
    return parse(samples_dir, registry, "wenzhou_2019_no_tables.txt")


@pytest.fixture(scope="module")
def dongyang(samples_dir, registry):
    return parse(samples_dir, registry, "dongyang_2017_legacy.txt")


def test_every_template_cell_once(luzhou, jinyun, yiwu):
    for parsed in (luzhou, jinyun, yiwu):
        assert len(table3(parsed)) == len(parsed.application_cells) == 23 * 7
        assert len(table4(parsed)) == len(parsed.review_litigation_cells) == 15
        assert len(table2(parsed)) == len(parsed.disclosure_cells) == 22
        assert parsed.report["parse_status"] == "ok"


def test_luzhou_traditional_one_cell_per_line(luzhou):
    report = luzhou.report
    assert (report["report_year"], report["template"], report["script"]) == (2020, "v2019", "traditional")
    assert (report["jurisdiction_name"], report["division_code"]) == ("泸州市", "510500")
    assert (report["report_scope"], report["organ_name"]) == ("jurisdiction", "泸州市人民政府")
    t3 = table3(luzhou)
    assert t3["new_received", "total"]["value"] == 380
    assert [t3["new_received", a]["value"] for a in
            ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org")] == [352, 21, 0, 5, 1, 1]
    assert t3["carried_over", "total"]["value"] == 18
    assert t3["total_processed", "total"]["value"] == 376
    assert t3["carried_forward", "total"]["value"] == 22
    # "(三)不予" and "公開" on two lines are one group heading; the rows under it still land.
    assert t3["withheld_administrative_inquiry", "total"]["value"] == 10
    assert t3["other_handling", "legal_services"]["value"] == 1
    assert t3["new_received", "total"]["line"] == 108
    t4 = table4(luzhou)
    assert (t4["review", "total"], t4["review", "corrected"]) == (46, 19)
    assert t4["litigation_direct", "total"] == 15
    assert t4["litigation_after_review", "total"] == 12
    t2 = table2(luzhou)
    assert t2["licensing", "decisions"]["value"] == 1_234_592
    assert t2["licensing", "change"]["value"] == -51
    assert t2["coercive_measures", "change"]["raw_text"] == "+2"
    assert t2["normative_documents", "total_published"]["value"] == 110  # 規範性檔案
    assert t2["central_procurement", "procurement_amount_yuan"]["value"] == 267_690_000
    assert t2["central_procurement", "procurement_amount_yuan"]["raw_text"] == "26769萬元"


def test_luzhou_table_printed_twice_is_reported(luzhou):
    twice = [i for i in luzhou.parse_issues if i["code"] == "table_printed_twice"]
    assert [(i["severity"], i["line"]) for i in twice] == [("info", 328)]


def test_jinyun_tabbed_rows_with_stray_spaces(jinyun):
    report = jinyun.report
    assert (report["report_year"], report["division_code"], report["report_scope"]) == (2019, "331122", "jurisdiction")
    t3 = table3(jinyun)
    assert t3["new_received", "total"]["value"] == 75
    assert t3["carried_over", "total"]["value"] == 3
    assert t3["total_processed", "total"]["value"] == 76
    assert t3["carried_forward", "total"]["value"] == 2
    assert t3["granted", "natural_person"]["raw_text"] == "35"
    t4 = table4(jinyun)
    assert (t4["litigation_direct", "total"], t4["litigation_direct", "pending"]) == (4, 1)
    t2 = table2(jinyun)
    assert t2["central_procurement", "procurement_items"]["value"] == 10_921
    assert t2["central_procurement", "procurement_amount_yuan"]["value"] == 323_000_000
    assert t2["licensing", "change"]["value"] == -11


def test_yiwu_blank_lines_and_the_publication_error(yiwu):
    report = yiwu.report
    assert (report["report_scope"], report["organ_name"]) == ("agency", "义乌市人民政府办公室")
    assert (report["division_code"], report["report_year"]) == ("330782", 2020)
    t3 = table3(yiwu)
    assert t3["new_received", "total"]["value"] == 65
    assert t3["new_received", "natural_person"]["value"] == 30
    # A blank cell is NULL with state blank, and keeps the line of its empty line.
    research = t3["new_received", "research"]
    assert (research["value"], research["cell_state"], research["line"]) == (None, "blank", 205)
    assert all(t3["carried_over", a]["cell_state"] == "blank" for a in
               ("natural_person", "commercial", "research", "social_welfare", "legal_services", "other_org", "total"))
    # Printed as published: these totals do not add up, and must not be repaired.
    assert t3["total_processed", "total"]["value"] == 65
    assert t3["total_processed", "natural_person"]["value"] == 20
    assert t3["total_processed", "legal_services"]["value"] == 37
    assert table2(yiwu)["central_procurement", "procurement_amount_yuan"]["value"] == 5629
    assert table4(yiwu)["review", "upheld"] == 1


def test_wenzhou_no_tables_and_junk_place_name(wenzhou):
    report = wenzhou.report
    assert report["parse_status"] == "partial"
    assert report["status_reason"] == "tables missing: table2, table3, table4"
    assert (report["jurisdiction_name"], report["division_code"], report["jurisdiction_evidence"]) == ("温州市", "330300", "text")
    assert report["report_year"] == 2019
    got = facts(wenzhou)
    assert (got["requests_total"], got["granted"], got["partially_granted"]) == (5756, 2603, 1063)
    assert (got["withheld"], got["unavailable"], got["not_processed"]) == (267, 1497, 105)


def test_dongyang_legacy_prose(dongyang):
    report = dongyang.report
    assert (report["template"], report["report_year"], report["division_code"]) == ("legacy", 2017, "330783")
    got = facts(dongyang)
    assert (got["requests_total"], got["granted"], got["partially_granted"], got["withheld"]) == (91, 54, 14, 10)
    assert (got["channel_in_person"], got["channel_online"], got["channel_letter"]) == (42, 21, 28)
    assert (got["review_total"], got["litigation_total"]) == (7, 9)
    sentence = next(f for f in dongyang.narrative_facts if f["fact"] == "requests_total")
    assert sentence["line"] == 47 and "91件" in sentence["sentence"]


def test_prose_totals_of_a_tabled_report(luzhou):
    got = facts(luzhou)
    assert got["requests_total_incl_carried_over"] == 398  # 共受理…398件(含上年結轉申請18件)
    assert got["requests_carried_over"] == 18
    assert got["requests_processed"] == 376
    assert got["requests_carried_forward"] == 22
    # Reviews and lawsuits with their results: 其中維持具體行政行為9件 follows the review count.
    assert (got["review_total"], got["review_upheld"], got["litigation_total"], got["litigation_upheld"]) == (46, 9, 27, 17)
    assert (got["unavailable_not_held"], got["withheld_administrative_inquiry"], got["other_handling"]) == (163, 10, 12)


def test_prose_breakdown_of_a_tabled_county_report(jinyun):
    got = facts(jinyun)
    assert (got["requests_processed"], got["granted"], got["partially_granted"], got["withheld"]) == (76, 35, 10, 1)
    assert got["other_replies"] == 30  # 其他答复30件


def test_legacy_prose_keeps_each_reason_apart(dongyang):
    got = facts(dongyang)
    assert (got["not_this_organ"], got["change_or_supplement"], got["other_route"]) == (1, 11, 1)


def test_metadata_issues_of_the_samples(wenzhou, yiwu):
    codes = {i["code"] for i in wenzhou.parse_issues}
    assert "publisher_not_a_place" in codes  # the junk in the title is reported, not hidden
    assert not {i["code"] for i in yiwu.parse_issues} & {"jurisdiction_ambiguous", "jurisdiction_unresolved", "scope_unresolved"}
