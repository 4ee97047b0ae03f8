# ruff: noqa: F401, F811  (the imported fixtures are parameters of the tests)
"""Timelines, capacity and alerts pages in Chromium on the demo's real October 2015: the charts draw,
no request leaves for another host, the strict CSP blocks nothing. Screenshots go to
test-artifacts/situation-timelines-*.png (looked at by a person: legends, units, dates, sources)."""

from __future__ import annotations

from datetime import date

import pytest

from seemix.situation.alert_rules import run_alert_rules
from tests.browser.conftest import (
    ARTIFACTS,
    CHROMIUM,
    chromium,
    csp_violations,
    gazetteer,
    page,
    site,
    vega_bundle,
)
from tests.browser.test_situation_picture import PASSWORD, demo_october, signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"browser tests need Chromium at {CHROMIUM}"),
]


def _drawn(tab, selector: str) -> None:  # type: ignore[no-untyped-def]
    tab.wait_for_selector(f"{selector}[data-rendered]", timeout=30_000)
    assert tab.get_attribute(selector, "data-rendered") == "true"


def test_timelines_capacity_and_alerts_pages_draw(site, signed_in):
    tab, recorder = signed_in
    # when: Slovenia's timeline around 21 October 2015, when it received 12,616 people
    tab.goto(f"{site}/situation/timelines/?country=SI&date_from=2015-10-01&date_to=2015-10-25")
    _drawn(tab, "#country-chart")
    _drawn(tab, "#regional-chart")
    text = tab.inner_text("#country-chart")
    assert "Daily arrivals in Slovenia" in text
    assert "Source: seemix" in text
    tab.screenshot(path=str(ARTIFACTS / "situation-timelines-si.png"), full_page=True)
    # the period chooser is a form with labels, usable by keyboard
    tab.select_option("#period-country", "HR")
    tab.press("#period-to", "Enter")
    tab.wait_for_url("**country=HR**")
    _drawn(tab, "#country-chart")
    tab.goto(f"{site}/situation/capacity/?country=HR&date_from=2015-10-01&date_to=2015-10-25")
    _drawn(tab, "#capacity-chart")
    tab.screenshot(path=str(ARTIFACTS / "situation-timelines-capacity.png"), full_page=True)
    run_alert_rules(date(2015, 10, 21))
    tab.goto(f"{site}/situation/alerts/?date=2015-10-21")
    assert "Surge of arrivals in SI: 12,616 on 2015-10-21" in tab.inner_text("main")
    tab.screenshot(path=str(ARTIFACTS / "situation-timelines-alerts.png"), full_page=True)
    # then
    assert recorder.foreign_requests(site) == []
    assert csp_violations(tab) == []
    assert recorder.console_errors == []


def test_the_forecast_is_drawn_after_the_period_with_its_bands(site, signed_in):
    tab, recorder = signed_in
    # when: Croatia's timeline up to 25 October 2015, and the picture of that day
    tab.goto(f"{site}/situation/timelines/?country=HR&date_from=2015-10-01&date_to=2015-10-25")
    _drawn(tab, "#country-chart")
    text = tab.inner_text("#country-chart")
    # then the line, both bands and the dash legend are named in words, with the forecast's origin
    assert "Croatia: forecast from 25 Oct 2015" in text
    assert "95 % band (forecast)" in text
    assert "80 % band (forecast)" in text
    assert "Forecast (dash-dot line) from 25 Oct 2015" in text
    tab.screenshot(path=str(ARTIFACTS / "situation-timelines-forecast-hr.png"), full_page=True)
    tab.goto(f"{site}/situation/?date=2015-10-25")
    _drawn(tab, "#timeline-chart-region")
    assert "Total of the region: forecast from 25 Oct 2015" in tab.inner_text("#timeline-chart-region")
    tab.locator("#timeline-chart-region").screenshot(
        path=str(ARTIFACTS / "situation-timelines-forecast-region.png")
    )
    assert recorder.foreign_requests(site) == []
    assert csp_violations(tab) == []
    assert recorder.console_errors == []
