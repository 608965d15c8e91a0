"""The cockpit in a real browser (R-03, issue 15): the provincial administrator opens 统计分析, sees the charts
beside their tables, clicks a prefecture on the map of Sichuan and the page is filtered by it; axe-core finds no
serious violation on the dashboard or on the open-data page; no chart breaks the CSP."""

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.e2e.axe import blocking_violations
from tests.e2e.signin import sign_in
from tests.stats.conftest import YEAR, Province

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(province, chengdu, mianyang):
    w = Province(province, chengdu, mianyang)
    for prefecture, n in (("510100", 3), ("510700", 2), ("513300", 1)):
        for _ in range(n):
            base = w.base(prefecture=prefecture, authority=chengdu if prefecture == "510100" else mianyang)
            w.plan(base, state="filed")
            w.record(w.klass(base), w.person(), 30, work_region=prefecture[:4] + "01")
    return w


def click_prefecture_on_map(page, name):
    """Click the centre of a prefecture as ECharts drew it (the chart's own pixel of that region)."""
    point = page.evaluate(
        """(name) => {
            const el = document.getElementById("stats-map");
            el.scrollIntoView({block: "center", behavior: "instant"});
            const chart = echarts.getInstanceByDom(el);
            const coord = echarts.getMap("四川").geoJSON.features.find(f => f.properties.name === name).properties.cp;
            const [x, y] = chart.convertToPixel({seriesIndex: 0}, coord);
            const box = el.getBoundingClientRect();
            return {x: box.left + x, y: box.top + y};
        }""",
        name,
    )
    page.mouse.click(point["x"], point["y"])


def test_the_dashboard_filters_by_the_prefecture_clicked_on_the_map(page, world, provincial_admin):
    sign_in(page, provincial_admin.username)
    page.goto(f"/statistics/?year={YEAR}")
    expect(page.get_by_role("heading", name=f"{YEAR} 年度统计分析")).to_be_visible()
    expect(page.get_by_test_id("kf-bases")).to_have_text("6")
    # Every chart was drawn (a canvas) and has its table.
    expect(page.locator(".stats-chart canvas").first).to_be_visible()
    assert page.locator(".stats-chart canvas").count() >= 10
    expect(page.locator("#stats-map canvas")).to_be_visible()
    assert blocking_violations(page) == []

    page.get_by_role("button", name="学员学时").click()
    expect(page.get_by_role("button", name="学员学时")).to_have_attribute("aria-pressed", "true")
    # On a loaded machine the first click can land while the chart is still drawing: try again, at most twice.
    for attempt in range(3):
        click_prefecture_on_map(page, "绵阳市")
        try:
            page.wait_for_url(re.compile(r"prefecture=510700"), timeout=5_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    expect(page).to_have_url(re.compile(r"prefecture=510700"))
    expect(page.get_by_test_id("kf-bases")).to_have_text("2")
    expect(page.locator("#f-prefecture")).to_have_value("510700")
    assert blocking_violations(page) == []


def test_the_open_data_page_has_no_serious_accessibility_violation(page, world):
    page.goto(f"/statistics/public/?year={YEAR}")
    expect(page.get_by_role("heading", name=f"{YEAR} 年度继续教育基地开放数据")).to_be_visible()
    expect(page.locator(".stats-chart canvas").first).to_be_visible()
    assert blocking_violations(page) == []
