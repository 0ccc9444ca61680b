"""The dashboard in a real browser: charts drawn from the numbers of their tables, filters that
end up in the URL, and a page that fits a phone."""

import pytest

from tests.e2e.conftest import screenshot, sign_in
from tests.reports.conftest import report_world  # noqa: F401  (the hand-worked programme)

pytestmark = pytest.mark.django_db(transaction=True)


def _chart_values(page, canvas_id):
    return page.evaluate(
        """id => {
            const chart = window.Chart && window.Chart.getChart(document.getElementById(id));
            return chart ? chart.data.datasets.map(d => d.data) : null;
        }""",
        canvas_id,
    )


def test_the_charts_show_the_tables_numbers(page, live_server, report_world):  # noqa: F811
    sign_in(page, live_server, report_world.coordinator)
    page.goto(live_server.url + "/panel/dashboard/?year=1405")
    page.wait_for_function(
        "window.Chart && window.Chart.getChart(document.getElementById('chart-agency'))"
    )
    assert _chart_values(page, "chart-agency") == [[130, 30]]
    assert _chart_values(page, "chart-domain") == [[90, 70]]
    trend = _chart_values(page, "chart-trend")
    assert (trend[0][7], trend[1][7]) == (110, 5)  # Aban 1405 beside Aban 1404
    assert page.locator("#table-agency tbody tr").first.inner_text().split("\t")[:3] == [
        "امداد",
        "۴",
        "۱۳۰",
    ]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]
    screenshot(page, "dashboard")


def test_choosing_a_month_puts_it_in_the_url(page, live_server, report_world):  # noqa: F811
    sign_in(page, live_server, report_world.coordinator)
    page.goto(live_server.url + "/panel/dashboard/?year=1405")
    toggle = page.get_by_role("button", name="دوره و فیلترها (سال ۱۴۰۵)")
    if toggle.is_visible():  # on a phone the filters fold away
        toggle.click()
        page.locator("#dashboard-filters.collapse.show").wait_for()
    page.select_option("#id_period", "month")
    page.select_option("#id_month", "8")
    page.get_by_role("button", name="نمایش", exact=True).click()
    page.wait_for_url("**month=8**")
    assert "آبان ۱۴۰۵" in page.locator("h1 + p").inner_text()
    assert page.locator(".headline-figures .figure-value").nth(1).inner_text() == "۱۱۰"
