"""Sign in through the form, open the home page, the map and the API docs in Chromium, and check that
nothing was requested from any host but seemix's own, and that the strict CSP blocked nothing."""

from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS, csp_violations
from tests.pages.conftest import contact_point

PASSWORD = "correct horse battery staple"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signed_in(site, page, make_user, gazetteer):
    tab, recorder = page
    contact_point(
        make_user("RS", "coordinator", username="ana.petrovic").memberships.get().participant,
        "Border Police Operations Centre",
        topic="flows",
        phone="+381 11 306 2000",
        available_24_7=True,
        languages=["sr", "en"],
    )
    tab.goto(f"{site}/accounts/login/")
    tab.fill("#id_username", "ana.petrovic")
    tab.fill("#id_password", PASSWORD)
    tab.click(".auth-card button[type=submit]")
    tab.wait_for_url(f"{site}/")
    return tab, recorder


def test_login_home_and_map_make_no_outside_request(site, signed_in):
    # given
    tab, recorder = signed_in
    # then: the home page
    assert tab.inner_text("h1") == "Welcome, ana.petrovic"
    assert tab.is_visible("text=Border Police Operations Centre")
    tab.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)

    # when: the map
    tab.goto(f"{site}/gazetteer/map/")
    tab.wait_for_selector("#region-map[data-rendered]", timeout=30_000)
    # then
    assert tab.get_attribute("#region-map", "data-rendered") == "true"
    assert tab.is_hidden("#map-status")
    countries = tab.locator("#region-map svg g.mark-shape.role-mark path")
    places = tab.locator("#region-map svg g.mark-symbol.role-mark path")
    legs = tab.locator("#region-map svg g.mark-rule.role-mark line")
    assert countries.count() == 21
    assert places.count() == 22 + 13
    assert legs.count() == 50
    tab.screenshot(path=str(ARTIFACTS / "map.png"), full_page=True)

    # when: pointing at a site (Moria, alone on Lesvos) shows its details
    tab.locator('#region-map svg path[aria-label*="Site: Moria Reception"]').hover()
    tab.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
    tooltip = tab.inner_text("#vg-tooltip-element")
    tab.screenshot(path=str(ARTIFACTS / "map-tooltip.png"))
    # then
    assert "Moria Reception and Identification Centre (Lesvos)" in tooltip
    assert "Κέντρο Υποδοχής και Ταυτοποίησης Μόριας" in tooltip

    assert recorder.foreign_requests(site) == []
    assert f"{site}/static/seemix/vendor/vega-bundle.js" in recorder.requests
    assert csp_violations(tab) == []
    assert recorder.console_errors == []


def test_map_in_serbian(site, signed_in):
    # given
    tab, recorder = signed_in
    tab.click("button[value=sr-latn]")
    # when
    tab.goto(f"{site}/gazetteer/map/")
    tab.wait_for_selector("#region-map[data-rendered]", timeout=30_000)
    # then
    assert tab.inner_text("h1") == "Mapa regiona"
    tab.screenshot(path=str(ARTIFACTS / "map-sr.png"), full_page=True)
    assert tab.locator("#region-map svg text", has_text="Učesnik SEECP-a").count() == 1
    # Numbers in the legend are written the Serbian way.
    assert tab.locator("#region-map svg text", has_text="5.000").count() == 1
    assert recorder.foreign_requests(site) == []
    assert csp_violations(tab) == []


def test_api_docs_are_served_without_any_outside_host(site, signed_in):
    # given
    tab, recorder = signed_in
    # when
    tab.goto(f"{site}/api/v1/docs")
    tab.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    tab.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
    # then
    assert "seemix API" in tab.inner_text(".swagger-ui .info .title")
    tab.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=False)
    assert recorder.foreign_requests(site) == []
    assert f"{site}/api/v1/openapi.json" in recorder.requests
    assert csp_violations(tab) == []


@pytest.mark.parametrize(
    ("name", "path", "heading"),
    [
        ("directory", "/directory/", "Directory"),
        ("participant", "/directory/RS/", "Serbia RS"),
        ("gazetteer", "/gazetteer/", "Gazetteer"),
        ("crossing-points", "/gazetteer/crossing-points/", "Crossing points"),
        ("sites", "/gazetteer/sites/", "Sites"),
        ("route", "/gazetteer/route/", "Route graph"),
    ],
)
def test_every_page_renders_under_the_csp_from_this_host_only(site, signed_in, name, path, heading):
    # given
    tab, recorder = signed_in
    # when
    tab.goto(f"{site}{path}")
    # then
    assert tab.inner_text("h1") == heading
    # The stylesheet applied (a page without it would have the browser's white background).
    assert tab.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(243, 245, 247)"
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert recorder.foreign_requests(site) == []
    assert csp_violations(tab) == []
    assert recorder.console_errors == []
