"""The HTML report of a warehouse with many years (the synthetic corpus: 2008-2024), opened in Chromium
at a desktop and a laptop width: every chart is as wide as its card, whatever the number of years, and
a line never joins two years the marts say are not comparable. Screenshots go to test-artifacts/."""
import json

import pytest

from ogi.synth import cluster
from tests.browser import chromium_page, save_screenshot
from tests.integration.test_report import open_offline, wait_for_charts, write_report

WIDTHS = (1400, 1000)
# Every drawing's width against the element it is drawn in, and the content width of the card
# (figure.chart) that holds them; a drawing's right edge against the card's.
MEASURE = """() => Array.from(document.querySelectorAll('figure.chart')).map(card => {
    const style = getComputedStyle(card);
    const room = card.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const right = card.getBoundingClientRect().right - parseFloat(style.paddingRight);
    return {card: card.id, room: room, drawings: Array.from(card.querySelectorAll('.vega-chart')).map(element => {
        const svg = element.querySelector('svg.marks').getBoundingClientRect();
        return {element: element.getBoundingClientRect().width, drawn: svg.width, overrun: svg.right - right};
    })};
})"""


@pytest.fixture(scope="module")
def many_years(synth_run):
    assert synth_run.run.returncode == 0, synth_run.run.output
    out, _ = write_report(synth_run.run)
    return out


def check_widths(page) -> list[dict]:
    cards = page.evaluate(MEASURE)
    for card in cards:
        assert card["drawings"], card
        for d in card["drawings"]:
            # As wide as the element it is drawn in (filling it), which is never wider than the card.
            assert 0.8 * d["element"] < d["drawn"] <= d["element"] + 1 and d["element"] <= card["room"] + 1, card
            assert d["overrun"] <= 1, card
    return cards


@pytest.mark.parametrize("width", WIDTHS)
def test_the_overview_of_seventeen_years_fits_its_cards(many_years, width):
    with chromium_page(width=width) as page:
        attempted = open_offline(page, many_years / "index.html")
        rendered = wait_for_charts(page)
        assert rendered and all(r.endswith(":ok") for r in rendered), rendered
        years = page.eval_on_selector_all("#reports-by-template tbody tr td:first-child", "cells => cells.map(c => c.textContent)")
        assert years == [str(y) for y in range(2008, 2025)], years  # 17 years, in the folded table of figures
        cards = check_widths(page)
        assert {c["card"] for c in cards} >= {"reports-by-template", "parse-status-by-year", "identity-checks-by-year"}
        save_screenshot(page, f"report-many-years-overview-{width}", full_page=True)
    assert attempted == []


@pytest.mark.parametrize("width", WIDTHS)
def test_a_jurisdiction_of_seventeen_years_fits_and_breaks_its_lines(many_years, synth_run, width):
    place = cluster(synth_run.options.seed, 0).records[-1][0]  # re-zoned in 2015, its summary missing in 2022
    with chromium_page(width=width) as page:
        attempted = open_offline(page, many_years / "jurisdictions" / f"{place.code}.html")
        rendered = wait_for_charts(page)
        assert len(page.query_selector_all("figure.chart")) == 5 and all(r.endswith(":ok") for r in rendered), rendered
        check_widths(page)
        # The own figure's new requests: 2008-2021 (the summary, across the re-zoning), 2022 alone (the
        # departments' reports: not comparable), 2023-2024 (the summary again, not comparable with 2022).
        spec = json.loads(page.get_attribute("#requests-chart", "data-spec"))
        own = [p for p in spec["datasets"]["table"] if p["label"].startswith("本级数字") and p["dash_order"] == 0]
        segments = {}
        for point in own:
            segments.setdefault(point["segment"], []).append(int(point["position"]))
        assert sorted(sorted(years) for years in segments.values()) == [list(range(2008, 2022)), [2022], [2023, 2024]]
        save_screenshot(page, f"report-many-years-jurisdiction-{width}", full_page=True)
    assert attempted == []
