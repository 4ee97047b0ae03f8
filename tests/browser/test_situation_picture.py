"""The regional picture in Chromium on the demo's real 21 October 2015: change the day, switch the
layer, open a country, use "as of"; no request leaves for another host, the strict CSP blocks nothing.
Screenshots go to test-artifacts/situation-*.png (looked at by a person: legends, units, dates, sources)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from seemix.demo.flows import DATA_FILE, load_demo_flows
from seemix.directory.services import load_participants
from seemix.flows.services import load_indicators
from seemix.measures.demo import load_demo_measures
from seemix.situation.services.impact import assess_impact_levels
from tests.browser.conftest import ARTIFACTS, csp_violations

PASSWORD = "correct horse battery staple"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_october(gazetteer, tmp_path: Path) -> None:
    """The demo's real figures of 1-25 October 2015 and its measures, and the levels of 20-21 Oct."""
    load_participants(actor=None)
    load_indicators(actor=None)
    lines = DATA_FILE.read_text().splitlines()
    short = tmp_path / DATA_FILE.name
    # Germany's column starts in February 2016: its first day too, so that every series has a figure.
    kept = [x for x in lines[1:] if x[:10] <= "2015-10-25" or x.startswith("2016-02-18")]
    short.write_text("\n".join([lines[0], *kept]) + "\n")
    load_demo_flows(short)
    load_demo_measures()
    from datetime import date

    for day in (date(2015, 10, 20), date(2015, 10, 21)):
        assess_impact_levels(day)


@pytest.fixture
def signed_in(site, page, demo_october, django_user_model):
    from seemix.directory.models import Membership, Participant

    user = django_user_model.objects.create_user(username="ana.petrovic", password=PASSWORD)
    Membership.objects.create(user=user, participant=Participant.objects.get(code="RS"), role="analyst")
    tab, recorder = page
    tab.goto(f"{site}/accounts/login/")
    tab.fill("#id_username", "ana.petrovic")
    tab.fill("#id_password", PASSWORD)
    tab.click(".auth-card button[type=submit]")
    tab.wait_for_url(f"{site}/")
    return tab, recorder


def _drawn(tab) -> None:  # type: ignore[no-untyped-def]
    tab.wait_for_selector("#picture-map[data-rendered]", timeout=30_000)
    assert tab.get_attribute("#picture-map", "data-rendered") == "true"


def test_picture_of_21_october_2015(site, signed_in):
    tab, recorder = signed_in
    # when: the picture of the day Slovenia received 12,616 people
    tab.goto(f"{site}/situation/?date=2015-10-21")
    _drawn(tab)
    # then
    assert tab.inner_text("h1") == "Regional picture"
    assert "Figures of 21 October 2015" in tab.inner_text(".picture-stamp")
    slovenia = tab.locator("tr", has=tab.locator("a", has_text="Slovenia"))
    assert "12,616" in slovenia.first.inner_text()
    title = tab.text_content("#picture-map svg .role-title")
    assert "Arrivals on 21 Oct 2015" in title
    assert "Source: the participants' reports in seemix" in title
    legends = " ".join(tab.locator("#picture-map svg .role-legend").all_text_contents())
    assert "Arrivals (persons)" in legends
    assert "Impact level of border sections" in legends
    assert tab.locator("#picture-map svg .role-mark text", has_text="HIGH").count() >= 1  # the level in words
    tab.screenshot(path=str(ARTIFACTS / "situation-picture.png"), full_page=True)
    tab.locator("#picture-map").screenshot(path=str(ARTIFACTS / "situation-map.png"))
    # when: pointing at Hungary (no leg of the route crosses it since 17 October) shows its figures
    tab.locator('#picture-map svg path[aria-label*="Country: Hungary"]').last.hover()
    tab.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
    tooltip = tab.inner_text("#vg-tooltip-element")
    assert "Hungary" in tooltip
    assert (
        "Arrivals (persons)\t39" in tooltip or "39" in tooltip.split("Arrivals (persons)")[1].split("\n")[0]
    )
    tab.screenshot(path=str(ARTIFACTS / "situation-tooltip.png"))
    # when: another day, with the keyboard
    tab.fill("#id_date", "2015-10-16")
    tab.focus("#id_date")
    tab.keyboard.press("Enter")
    tab.wait_for_url("**date=2015-10-16**")
    _drawn(tab)
    assert "Figures of 16 October 2015" in tab.inner_text(".picture-stamp")
    # when: the occupancy layer
    tab.check("input[name=layer][value=occupancy]")
    tab.click(".picture-filters button[type=submit]")
    tab.wait_for_url("**layer=occupancy**")
    _drawn(tab)
    title = tab.text_content("#picture-map svg .role-title")
    assert "Occupancy of reception sites on 16 Oct 2015" in title
    # the demo reports no one present in sites: a sentence says so, not a legend reading "NaN"
    assert "No country has a figure for this layer that day." in title
    assert "NaN" not in tab.text_content("#picture-map svg")
    tab.screenshot(path=str(ARTIFACTS / "situation-occupancy.png"), full_page=True)
    # when: a click on a country of the map (Romania: no leg crosses its middle) opens its page
    tab.locator('#picture-map svg path[aria-label*="Country: Romania"]').first.click()
    tab.wait_for_url("**/situation/country/RO/?date=2015-10-16&layer=occupancy")
    assert tab.inner_text("h1") == "Romania"
    # when: back on the picture, Croatia's line of the countries' table opens Croatia's page
    tab.go_back()
    tab.click("table a:text-is('Croatia')")
    tab.wait_for_url("**/situation/country/HR/**")
    _drawn(tab)
    assert tab.inner_text("h1") == "Croatia"
    assert "16 October 2015" in tab.inner_text(".picture-stamp")
    tab.screenshot(path=str(ARTIFACTS / "situation-country.png"), full_page=True)
    tab.locator("#picture-map").screenshot(path=str(ARTIFACTS / "situation-country-map.png"))
    # when: as of a moment before the demo was loaded, nothing was known
    tab.goto(f"{site}/situation/?date=2015-10-21")
    tab.fill("#id_as_of", "2015-10-22T08:00")
    tab.click(".picture-filters button[type=submit]")
    tab.wait_for_url("**as_of=**")
    assert "No country has figures you may read for that day." in tab.inner_text("main")
    # when: as of now, the figures are back
    tab.fill("#id_as_of", timezone.now().strftime("%Y-%m-%dT%H:%M"))
    tab.click(".picture-filters button[type=submit]")
    _drawn(tab)
    assert "as they were known at" in tab.inner_text(".picture-stamp")
    tab.screenshot(path=str(ARTIFACTS / "situation-as-of.png"), full_page=True)
    # and: the border section page
    tab.goto(f"{site}/situation/border-section/HR-SI/?date=2015-10-21")
    _drawn(tab)
    tab.emulate_media(media="print")
    tab.screenshot(path=str(ARTIFACTS / "situation-section-print.png"), full_page=True)
    # then
    assert recorder.foreign_requests(site) == []
    assert csp_violations(tab) == []
    assert recorder.console_errors == []
