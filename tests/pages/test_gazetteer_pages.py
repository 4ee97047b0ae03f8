"""The gazetteer's pages show the shipped reference data of the 2015-2016 route."""

from __future__ import annotations

import json
import re

import altair as alt
import pytest

from seemix.core.middleware import CONTENT_SECURITY_POLICY
from seemix.gazetteer.geometry import contains_point
from seemix.gazetteer.maps import REGION_EXTENT
from seemix.gazetteer.models import Country


def rows(html: str) -> list[list[str]]:
    """The body rows of the page's tables, each as the text of its cells."""
    return [
        [
            re.sub(r"<[^>]+>|\s+", " ", cell).strip().replace("  ", " ")
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
        if "<td" in row
    ]


def row_of(html: str, first_cell: str) -> list[str]:
    return next(r for r in rows(html) if r and r[0] == first_cell)


@pytest.fixture
def member(browser, participants, gazetteer):
    return browser("RS coordinator")


def test_countries_and_border_sections(member):
    # when
    html = member.get("/gazetteer/").content.decode()
    # then
    assert "<h1>Gazetteer</h1>" in html
    assert row_of(html, "RS") == ["RS", "Serbia", "Србија", "Yes", "4", "1"]
    assert row_of(html, "AT") == ["AT", "Austria", "Österreich", "No", "2", "1"]
    assert row_of(html, "GR-MK") == ["GR-MK", "Greece – North Macedonia", "Greece – North Macedonia", "2"]


def test_crossing_points_with_local_and_latin_names(member):
    # when
    html = member.get("/gazetteer/crossing-points/").content.decode()
    # then
    assert "<caption>22 crossing points</caption>" in html
    assert row_of(html, "Idomeni") == [
        "Idomeni",
        "Ειδομένη",
        "Greece",
        "Greece – North Macedonia",
        "Rail",
        "Gevgelija MK",
        "41.1219",
        "22.5108",
    ]
    assert row_of(html, "Preševo (Miratovac)")[1] == "Прешево (Миратовац)"


def test_sites_with_their_current_capacity(member):
    # when
    html = member.get("/gazetteer/sites/").content.decode()
    # then
    assert "<caption>13 sites</caption>" in html
    opatovac = row_of(html, "Opatovac temporary reception centre")
    assert opatovac[2:5] == ["Croatia", "Transit", "4,000"]
    # A site with no recorded capacity says so rather than showing 0.
    assert row_of(html, "Dobova reception centre")[4:6] == ["—", "—"]


def test_route_graph_table(member):
    # when
    html = member.get("/gazetteer/route/").content.decode()
    # then
    assert "<caption>50 legs</caption>" in html
    assert ["Ipsala", "Kipoi", "Road", "0.1", "—", ""] in rows(html)


def test_map_page_embeds_a_valid_spec_and_only_local_scripts(member):
    # when
    response = member.get("/gazetteer/map/")
    # then
    html = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts == [
        ' id="region-map-spec" type="application/json"',
        ' src="/static/seemix/vendor/vega-bundle.js"',
        ' src="/static/seemix/js/charts.js"',
    ]
    spec = json.loads(
        re.search(r'<script id="region-map-spec" type="application/json">(.*?)</script>', html, re.S)[1]
    )
    datasets = spec.pop("datasets")
    alt.LayerChart.from_dict(spec)  # raises if Altair's Vega-Lite schema rejects it
    assert len(datasets["countries"]) == 21
    assert {
        c["properties"]["code"]
        for c in datasets["countries"]
        if c["properties"]["group"] == "SEECP participant"
    } == {"AL", "BA", "BG", "GR", "HR", "MD", "ME", "MK", "RO", "RS", "SI", "TR", "XK"}
    idomeni = next(p for p in datasets["crossing_points"] if p["name_latin"] == "Idomeni")
    assert idomeni == {
        "name": "Ειδομένη",
        "name_latin": "Idomeni",
        "kind": "Rail",
        "country": "Greece",
        "longitude": 22.5108,
        "latitude": 41.1219,
    }
    opatovac = next(s for s in datasets["sites"] if s["name_latin"] == "Opatovac temporary reception centre")
    assert (opatovac["size"], opatovac["capacity"]) == (4000, "4,000")
    assert len(datasets["edges"]) == 50
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def map_spec(html: str) -> dict:
    return json.loads(
        re.search(r'<script id="region-map-spec" type="application/json">(.*?)</script>', html, re.S)[1]
    )


def test_map_labels_follow_the_language(browser, participants, gazetteer):
    # when
    html = browser("RS coordinator").get("/gazetteer/map/", HTTP_ACCEPT_LANGUAGE="sr-Latn").content.decode()
    # then
    assert "<h1>Mapa regiona</h1>" in html
    spec = map_spec(html)
    assert {c["properties"]["group"] for c in spec["datasets"]["countries"]} == {
        "Učesnik SEECP-a",
        "Susedna zemlja",
    }
    assert spec["layer"][0]["encoding"]["color"]["title"] == "Država"
    idomeni = next(p for p in spec["datasets"]["crossing_points"] if p["name_latin"] == "Idomeni")
    assert idomeni["kind"] == "Železnički"


def test_countries_off_the_map_are_drawn_on_their_own_territory(member):
    # given: Turkey's label point (central Anatolia) lies east of the map
    spec = map_spec(member.get("/gazetteer/map/").content.decode())
    # when
    turkey = next(label for label in spec["datasets"]["labels"] if label["code"] == "TR")
    from_turkey = [e for e in spec["datasets"]["edges"] if e["origin"] == "Türkiye"]
    # then: its node is on the map, in western Anatolia, and its legs start there
    west, south, east, north = REGION_EXTENT
    assert west < turkey["longitude"] < east
    assert south < turkey["latitude"] < north
    assert contains_point(Country.objects.get(code="TR").geometry, turkey["longitude"], turkey["latitude"])
    assert from_turkey
    assert {(e["longitude"], e["latitude"]) for e in from_turkey} == {
        (turkey["longitude"], turkey["latitude"])
    }


def test_capacity_legend_shows_round_figures(member):
    # when
    spec = map_spec(member.get("/gazetteer/map/").content.decode())
    # then: the largest site holds 5,000 (Slavonski Brod)
    sites_layer = next(layer for layer in spec["layer"] if layer.get("data", {}).get("name") == "sites")
    assert sites_layer["encoding"]["size"]["legend"]["values"] == [1000, 2000, 5000]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/directory/",
        "/directory/RS/",
        "/gazetteer/",
        "/gazetteer/crossing-points/",
        "/gazetteer/sites/",
        "/gazetteer/route/",
        "/gazetteer/map/",
        "/accounts/login/",
    ],
)
def test_pages_load_nothing_from_other_hosts_and_carry_no_inline_code(path, browser, participants, gazetteer):
    # when
    html = browser("RS coordinator" if path != "/accounts/login/" else "anonymous").get(path).content.decode()
    # then
    references = re.findall(r'\b(?:src|href|action)="([^"]*)"', html)
    assert references
    assert [r for r in references if re.match(r"^(?:[a-z]+:)?//", r)] == []
    assert re.findall(r"<script(?![^>]*\b(?:src=\"/static/|type=\"application/json\"))[^>]*>", html) == []
    assert " style=" not in html
    assert "<style" not in html
    assert " on" + "click=" not in html
