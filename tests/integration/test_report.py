"""`ogi report`: the HTML report opens offline in headless Chromium with its charts drawn, lists every
finding of the gate with the source lines of its cells, and keeps a place's own figure and its rollups
apart. Screenshots of the overview, a jurisdiction page and the findings go to test-artifacts/."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.browser import block_network, chromium_page, drawn_svg_marks, file_url, save_screenshot
from tests.integration.conftest import ogi

YIWU = "c7b5f567e5b3c427"  # data/samples/yiwu_2020_office.txt


def write_report(run, *args: str) -> tuple[Path, str]:
    """`ogi report` from the folder the warehouse was loaded from, as a user would run it."""
    assert run.returncode in (0, 1) and run.db.exists(), run.output
    work = run.db.parent
    done = ogi("report", "--db", str(run.db), *args, cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr
    index = Path(re.search(r"open: (\S+index\.html)", done.stdout).group(1))
    return index.parent, done.stdout


@pytest.fixture(scope="module")
def demo_report(samples_run):
    """What `make demo` ends with: `ogi report` with its defaults, in the project folder."""
    assert samples_run.returncode == 0, samples_run.output
    work = samples_run.db.parent.parent
    done = ogi("report", cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr
    return work / "data" / "ogi.report", done.stdout


@pytest.fixture(scope="module")
def world_report(jurisdiction_world_run):
    return write_report(jurisdiction_world_run)[0]


def open_offline(page, path: Path, fragment: str = "") -> list[str]:
    """Open a page of the report with the network refused; return the requests it tried."""
    attempted = block_network(page)
    page.goto(file_url(path) + fragment)
    return attempted


def wait_for_charts(page) -> list[str]:
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.vega-chart')).every(e => e.dataset.rendered)", timeout=30_000
    )
    return page.eval_on_selector_all(".vega-chart", "els => els.map(e => e.id + ':' + e.dataset.rendered)")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [v for k, v in attrs if k in ("href", "src") and v]


def urls(html_file: Path) -> list[str]:
    parser = Links()
    parser.feed(html_file.read_text(encoding="utf-8"))
    return parser.urls


def test_make_demo_writes_the_report_next_to_the_warehouse_and_prints_its_path(demo_report):
    out, printed = demo_report
    assert f"open: {out / 'index.html'}" in printed
    assert "2 findings in 1 reports, 1 source copies" in printed
    for page in ("index.html", "findings.html", "jurisdictions/330782.html", f"sources/{YIWU}.html", "assets/vega-bundle.js"):
        assert (out / page).is_file(), page
    # Self-contained: every script, style and link is a file of the report or the source it names.
    remote = [u for page in out.rglob("*.html") for u in urls(page) if re.match(r"^[a-z]+:", u) and not u.startswith("file:")]
    assert remote == []
    assert not list(out.parent.glob(".ogi.report.*")), "the temporary build folder was left behind"


def test_the_overview_draws_every_chart_offline(demo_report):
    out, _ = demo_report
    with chromium_page() as page:
        attempted = open_offline(page, out / "index.html")
        rendered = wait_for_charts(page)
        assert rendered and all(r.endswith(":ok") for r in rendered), rendered
        for chart in page.eval_on_selector_all(".vega-chart", "els => els.map(e => e.id)"):
            assert drawn_svg_marks(page, f"#{chart}", ".mark-rect path") > 0, chart  # bars with a size on screen
        # The bars say what the tables say: 2019 has two reports (缙云 and 温州), one of them partial.
        template = page.inner_text("#reports-by-template table")
        assert re.search(r"2019\s+2\s+—\s+2", template), template
        status = page.inner_text("#parse-status-by-year table")
        assert re.search(r"2019\s+1\s+1\s+2", status), status
        assert "浙江省" in page.inner_text("#reports-by-province") and "四川省" in page.inner_text("#reports-by-province")
        findings = page.inner_text("#findings-by-identity table")
        for identity in ("T3-01", "T3-02"):  # failed twice (two columns), none unverifiable or acknowledged, one report
            assert re.search(rf"{identity}\t[^\n]*\t错误 Error: must hold\t2\t0\t0\t1", findings), findings
        assert save_screenshot(page, "report-overview", full_page=True).stat().st_size > 20_000
    assert attempted == []


def test_the_findings_page_shows_yiwus_two_findings_with_their_source_lines(demo_report):
    out, _ = demo_report
    yiwu_lines = (out.parent / "samples" / "yiwu_2020_office.txt").read_text(encoding="utf-8").split("\n")
    with chromium_page() as page:
        attempted = open_offline(page, out / "findings.html")
        findings = page.query_selector_all("article.finding")
        headings = [f.query_selector("h3").inner_text() for f in findings]
        assert len(findings) == 2, headings
        assert "natural_person" in headings[0] and "自然人" in headings[0]
        assert "legal_services" in headings[1] and "法律服务机构" in headings[1]
        for finding in findings:
            assert [c.inner_text() for c in finding.query_selector_all(".check-head strong")] == ["T3-01", "T3-02"]
        natural = findings[0].inner_text()
        # Both sides and the difference, as the gate prints them.
        assert re.search(r"new_received \+ carried_over\s+30", natural) and re.search(r"total_processed \+ carried_forward\s+20", natural)
        assert re.search(r"差额 difference\s+lhs − rhs\s+10", natural)
        # The printed 总计 of the natural-person column: line 419 of the file, which reads 20.
        total_link = findings[0].query_selector(f"a[href='sources/{YIWU}.html#L419']")
        assert total_link and "line 419" in total_link.inner_text()
        assert yiwu_lines[419 - 1].strip() == "20"
        assert findings[1].query_selector(f"a[href='sources/{YIWU}.html#L425']")  # 37 for legal services
        assert yiwu_lines[425 - 1].strip() == "37"
        links = {a.get_attribute("href") for a in page.query_selector_all("article.finding td.line a:not(.original)")}
        assert {f"sources/{YIWU}.html#L{n}" for n in (201, 207, 419, 425)} <= links
        # The original file is linked too, relative to the report.
        original = findings[0].query_selector("a.original").get_attribute("href")
        assert (out / original).resolve() == (out.parent / "samples" / "yiwu_2020_office.txt").resolve()
        save_screenshot(page, "report-findings", full_page=True)

        total_link.click()
        page.wait_for_selector("#L419:target")
        line = page.inner_text("#L419")
        assert "20" in line and "T3-01" in line and "T3-02" in line
        assert page.get_attribute("#L419", "class") == "cited"
        save_screenshot(page, "report-source-line")
    assert attempted == []


def test_a_jurisdiction_page_draws_trends_with_its_own_figure_and_rollup_apart(world_report):
    with chromium_page() as page:
        attempted = open_offline(page, world_report / "jurisdictions" / "330700.html")
        rendered = wait_for_charts(page)
        # Five charts; the outcomes, applicants and cases drawn once per figure (own, county rollup).
        assert len(page.query_selector_all("figure.chart")) == 5, rendered
        assert len(rendered) == 1 + 2 + 2 + 4 + 1 and all(r.endswith(":ok") for r in rendered), rendered
        # Requests over time: a line per figure (金华's own summary, its county rollup), with points.
        assert drawn_svg_marks(page, "#requests", ".mark-line path") >= 2
        assert drawn_svg_marks(page, "#requests", ".mark-symbol path") >= 5
        legend = page.inner_text("#requests .vega-chart")
        assert "本级数字（地级）" in legend and "下级汇总（县级）" in legend
        for chart in ("outcomes", "applicants", "cases"):
            assert drawn_svg_marks(page, f"#{chart}", ".mark-rect path") > 0, chart
        assert drawn_svg_marks(page, "#correction-rates", ".mark-symbol path") > 0
        # 2020: the own figure is the summary's 600, the county rollup 120 + 25; never 745 or 615.
        requests = page.inner_text("#requests table")
        assert re.search(r"2020\s+本级数字（地级） Own figure \(prefecture\)\s+汇总报告 Summary reports\s+600", requests), requests
        assert re.search(r"2020\s+下级汇总（县级） Rollup of the places below \(county\)\s+汇总与部门报告混合[^\n]*\s+145", requests)
        assert "745" not in requests and "615" not in requests
        basis = page.inner_text(".basis table")
        assert re.search(r"2020\s+本级数字（地级） Own figure \(prefecture\)\s+汇总报告 Summary reports\s+1\s+1 / 0\s+1\s+2", basis), basis
        assert "义乌市 330782" in page.inner_text("body") and "东阳市 330783" in page.inner_text("body")
        save_screenshot(page, "report-jurisdiction", full_page=True)
    assert attempted == []


def test_jurisdiction_pages_show_applicants_shares_and_rates_of_the_marts(world_report, jurisdiction_world_run):
    page = (world_report / "jurisdictions" / "330782.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    # 义乌 2019: summary 100 new requests, all from natural persons in the fixture; granted 60 of 100.
    assert re.search(r"2019 本级数字（县级） Own figure \(county\) 100 0 0 0 0 0 100 1", text)
    assert "60 (60.0%)" in text
    # Review: 1 corrected of 4 concluded; a litigation rate with no concluded case is no figure, not 0.
    rates = jurisdiction_world_run.query(
        "select review_correction_rate, litigation_correction_rate from fct_jurisdiction_year "
        "where report_year = 2019 and division_code = '330782'"
    )
    assert rates == [(0.25, None)]
    assert re.search(r"2019 本级数字（县级） Own figure \(county\) 25\.0% —", text)
    # The legacy year (2018) comes from the prose: its outcome mix is drawn, its applicants are not.
    assert "2018 本级数字（县级）" in text


def test_a_finding_in_the_world_links_to_its_lines(world_report, jurisdiction_world_run):
    findings = (world_report / "findings.html").read_text(encoding="utf-8")
    report_id = jurisdiction_world_run.query(
        "select report_id from dim_reports where source_path like '%yiwu_police_2019.txt'")[0][0]
    assert f'id="report-{report_id}"' in findings
    assert "义乌市公安局" in findings
    source = (world_report / "sources" / f"{report_id}.html").read_text(encoding="utf-8")
    cited = set(re.findall(rf'href="sources/{report_id}\.html#L(\d+)"', findings))
    assert cited and all(f'<li id="L{n}" class="cited">' in source for n in cited)


def test_every_gate_finding_is_listed_and_every_line_link_lands_on_a_line(gate_corpus, tmp_path):
    out, _ = write_report(gate_corpus.run, "--out", str(tmp_path / "report"))
    findings = gate_corpus.run.query(
        "select count(distinct (report_id, scope_kind, scope)), count(distinct report_id) from fct_reconciliation_checks "
        "where passed = false or undecided_reason = 'unreadable_cell'"
    )[0]
    page = (out / "findings.html").read_text(encoding="utf-8")
    assert page.count('<article class="finding"') == findings[0] > 50
    assert page.count('<section class="report"') == findings[1]
    links = re.findall(r'href="(sources/[0-9a-z-]+\.html)#L(\d+)"', page)
    assert len(links) > 500
    anchors: dict[str, str] = {}
    for target, line in links:
        text = anchors.setdefault(target, (out / target).read_text(encoding="utf-8"))
        assert f'id="L{line}"' in text, (target, line)
    # Last year's report is linked from the cross-year findings (T3-06, T2-03, T2-06).
    assert "上年报告 last year&#39;s report" in page


def test_the_previous_report_stays_when_the_warehouse_cannot_be_read(demo_report, tmp_path):
    out, _ = demo_report
    before = (out / "index.html").read_bytes()
    missing = ogi("report", "--db", str(tmp_path / "none.duckdb"), "--out", str(out))
    assert missing.returncode == 2 and "no warehouse" in missing.stderr
    assert (out / "index.html").read_bytes() == before
