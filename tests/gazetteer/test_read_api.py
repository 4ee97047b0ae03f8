"""Reading the gazetteer through /api/v1/: members of any participant and administrators only."""

from __future__ import annotations

import pytest

from seemix.gazetteer.models import RouteEdge
from tests.gazetteer.conftest import snapshot

pytestmark = pytest.mark.django_db

READS = [
    "/api/v1/countries",
    "/api/v1/countries.geojson",
    "/api/v1/countries/MK",
    "/api/v1/border-sections",
    "/api/v1/border-sections.geojson",
    "/api/v1/border-sections/MK-RS",
    "/api/v1/crossing-points",
    "/api/v1/crossing-points.geojson",
    "/api/v1/crossing-points/MK-TABANOVCE",
    "/api/v1/sites",
    "/api/v1/sites.geojson",
    "/api/v1/sites/RS-PRESEVO",
    "/api/v1/route-edges",
    "/api/v1/route-edges.geojson",
    "/api/v1/route-edges/{edge}",
]


@pytest.mark.parametrize("path", READS)
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("nobody", 403),
        ("RS reporter", 200),
        ("GR observer", 200),
        ("RCC analyst", 200),
        ("AT coordinator", 200),
        ("admin", 200),
    ],
)
def test_read_access(path, who, status, caller, small_gazetteer):
    # given
    client = caller(who)
    before = snapshot()
    # when
    response = client.get(path.format(edge=small_gazetteer["edges"][0].pk))
    # then
    assert response.status_code == status
    if status != 200:
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == status
    assert snapshot() == before


def test_list_countries(caller, small_gazetteer):
    # when
    response = caller("RS reporter").get("/api/v1/countries")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    assert [c["code"] for c in body["items"]] == ["AL", "GR", "MK", "RS"]
    assert body["items"][2] == {
        "code": "MK",
        "alpha3": "MKD",
        "name": "North Macedonia",
        "local_name": "Северна Македонија",
        "is_seecp_participant": True,
        "bbox": [20.45001, 40.85052, 23.00603, 42.35737],
        "label_point": [21.302, 41.4784],
    }


def test_country_detail_has_its_outline(caller, small_gazetteer):
    # when
    body = caller("GR observer").get("/api/v1/countries/mk").json()
    # then
    assert body["code"] == "MK"
    assert body["geometry"]["type"] == "Polygon"
    assert body["geometry"]["coordinates"][0][0] == body["geometry"]["coordinates"][0][-1]


def test_unknown_country_is_404(caller, small_gazetteer):
    # when
    response = caller("RS reporter").get("/api/v1/countries/HR")
    # then
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "No country HR is visible to you."


def test_countries_geojson_is_a_feature_collection(caller, small_gazetteer):
    # when
    response = caller("RS reporter").get("/api/v1/countries.geojson")
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert [f["id"] for f in body["features"]] == ["AL", "GR", "MK", "RS"]
    serbia = body["features"][3]
    assert serbia["properties"] == {
        "code": "RS",
        "alpha3": "SRB",
        "name": "Serbia",
        "local_name": "Србија",
        "seecp": True,
        "label_point": [20.909, 44.0426],
    }
    assert serbia["bbox"] == [18.84079, 42.2428, 22.97723, 46.16964]
    assert serbia["geometry"]["type"] == "Polygon"


def test_border_sections_filtered_by_country(caller, small_gazetteer):
    # when
    response = caller("RS reporter").get("/api/v1/border-sections", {"country": "GR"})
    # then
    assert response.json() == {
        "count": 1,
        "limit": 50,
        "offset": 0,
        "items": [{"code": "GR-MK", "name": "Greece – North Macedonia", "countries": ["GR", "MK"]}],
    }


def test_border_section_found_in_either_order(caller, small_gazetteer):
    # when
    body = caller("RS reporter").get("/api/v1/border-sections/RS-MK").json()
    # then
    assert body["code"] == "MK-RS"
    assert body["countries"] == ["MK", "RS"]
    assert body["geometry"]["type"] == "MultiLineString"


def test_border_sections_geojson(caller, small_gazetteer):
    # when
    response = caller("RS reporter").get("/api/v1/border-sections.geojson")
    # then
    assert response["Content-Type"] == "application/geo+json"
    features = response.json()["features"]
    assert [(f["id"], f["properties"]["countries"]) for f in features] == [
        ("GR-MK", ["GR", "MK"]),
        ("MK-RS", ["MK", "RS"]),
    ]


def test_crossing_point_detail(caller, small_gazetteer):
    # when
    body = caller("RS reporter").get("/api/v1/crossing-points/RS-MIRATOVAC").json()
    # then
    body.pop("updated_at")
    assert body == {
        "code": "RS-MIRATOVAC",
        "name": "Прешево (Миратовац)",
        "name_latin": "Preševo (Miratovac)",
        "country": "RS",
        "border_section": "MK-RS",
        "counterpart": "MK-TABANOVCE",
        "kind": "green_border",
        "latitude": 42.2594,
        "longitude": 21.6636,
        "notes": "Arrivals were taken on to the Preševo one-stop centre.",
    }


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ({}, ["GR-IDOMENI", "MK-GEVGELIJA", "MK-TABANOVCE", "RS-MIRATOVAC"]),
        ({"country": "MK"}, ["MK-GEVGELIJA", "MK-TABANOVCE"]),
        ({"country": "mk"}, ["MK-GEVGELIJA", "MK-TABANOVCE"]),
        ({"border_section": "MK-RS"}, ["MK-TABANOVCE", "RS-MIRATOVAC"]),
        ({"border_section": "RS-MK", "country": "RS"}, ["RS-MIRATOVAC"]),
        ({"kind": "rail"}, ["GR-IDOMENI", "MK-GEVGELIJA"]),
        ({"kind": "airport"}, []),
    ],
)
def test_crossing_points_filters(query, codes, caller, small_gazetteer):
    # when
    response = caller("RCC analyst").get("/api/v1/crossing-points", query)
    # then
    assert response.status_code == 200
    assert [p["code"] for p in response.json()["items"]] == codes


def test_crossing_points_geojson(caller, small_gazetteer):
    # when
    response = caller("RCC analyst").get("/api/v1/crossing-points.geojson", {"country": "GR"})
    # then
    assert response["Content-Type"] == "application/geo+json"
    assert response.json() == {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": "GR-IDOMENI",
                "properties": {
                    "code": "GR-IDOMENI",
                    "name": "Ειδομένη",
                    "name_latin": "Idomeni",
                    "country": "GR",
                    "border_section": "GR-MK",
                    "counterpart": "MK-GEVGELIJA",
                    "kind": "rail",
                },
                "geometry": {"type": "Point", "coordinates": [22.5108, 41.1219]},
            }
        ],
    }


def test_site_detail_has_current_capacity_and_history(caller, small_gazetteer):
    # when
    body = caller("RS reporter").get("/api/v1/sites/RS-PRESEVO").json()
    # then
    body.pop("updated_at")
    recorded_at = body["capacity_history"][0].pop("recorded_at")
    assert recorded_at
    assert body == {
        "code": "RS-PRESEVO",
        "name": "Прихватни центар Прешево",
        "name_latin": "Preševo one-stop centre",
        "country": "RS",
        "kind": "registration",
        "latitude": 42.3045,
        "longitude": 21.658,
        "opened_on": None,
        "closed_on": None,
        "notes": "",
        "current_capacity": 1000,
        "capacity_since": "2016-07-25",
        "capacity_history": [{"capacity": 1000, "valid_from": "2016-07-25", "source": "kt.gov.rs"}],
    }


def test_site_capacity_on_a_date_before_any_figure_is_unknown(caller, small_gazetteer):
    # when
    body = caller("RS reporter").get("/api/v1/sites/RS-PRESEVO", {"on": "2015-10-01"}).json()
    # then
    assert body["current_capacity"] is None
    assert body["capacity_since"] is None
    assert len(body["capacity_history"]) == 1


def test_sites_list_and_geojson(caller, small_gazetteer):
    # given
    client = caller("RS reporter")
    # when
    listed = client.get("/api/v1/sites", {"country": "RS", "kind": "registration"}).json()
    geojson = client.get("/api/v1/sites.geojson").json()
    # then
    assert [(s["code"], s["current_capacity"]) for s in listed["items"]] == [("RS-PRESEVO", 1000)]
    assert geojson["features"][0]["properties"]["current_capacity"] == 1000
    assert geojson["features"][0]["geometry"] == {"type": "Point", "coordinates": [21.658, 42.3045]}


def test_route_edges_list_and_detail(caller, small_gazetteer):
    # given
    client = caller("MK reporter")
    first = small_gazetteer["edges"][0]
    # when
    listed = client.get("/api/v1/route-edges").json()
    detail = client.get(f"/api/v1/route-edges/{first.pk}").json()
    # then
    assert listed["count"] == 2
    detail.pop("updated_at")
    assert detail == {
        "id": first.pk,
        "origin": {
            "kind": "crossing_point",
            "code": "MK-TABANOVCE",
            "name": "Tabanovce",
            "longitude": 21.7083,
            "latitude": 42.2147,
        },
        "destination": {
            "kind": "crossing_point",
            "code": "RS-MIRATOVAC",
            "name": "Preševo (Miratovac)",
            "longitude": 21.6636,
            "latitude": 42.2594,
        },
        "typical_days": 0.1,
        "mode": "foot",
        "valid_from": None,
        "valid_until": None,
        "notes": "",
    }


def test_route_edges_on_a_date_keep_the_legs_in_use(caller, small_gazetteer):
    # given
    client = caller("MK reporter")
    # when
    during = client.get("/api/v1/route-edges", {"on": "2016-03-08"}).json()
    after = client.get("/api/v1/route-edges", {"on": "2016-03-09"}).json()
    # then
    assert during["count"] == 2
    assert after["count"] == 1


def test_route_edges_geojson_draws_lines(caller, small_gazetteer):
    # when
    response = caller("MK reporter").get("/api/v1/route-edges.geojson")
    # then
    assert response["Content-Type"] == "application/geo+json"
    second = response.json()["features"][1]
    assert second["properties"] == {
        "id": small_gazetteer["edges"][1].pk,
        "origin": "crossing_point:RS-MIRATOVAC",
        "destination": "site:RS-PRESEVO",
        "origin_name": "Preševo (Miratovac)",
        "destination_name": "Preševo one-stop centre",
        "typical_days": 0.5,
        "mode": "road",
        "valid_from": None,
        "valid_until": "2016-03-08",
    }
    assert second["geometry"] == {
        "type": "LineString",
        "coordinates": [[21.6636, 42.2594], [21.658, 42.3045]],
    }


@pytest.mark.parametrize(
    "path",
    ["/api/v1/crossing-points/RS-NOWHERE", "/api/v1/sites/RS-NOWHERE", "/api/v1/border-sections/GR-RS"],
)
def test_missing_places_are_404(path, caller, small_gazetteer):
    # when
    response = caller("RS reporter").get(path)
    # then
    assert response.status_code == 404


def test_missing_route_edge_is_404(caller, small_gazetteer):
    # given
    missing = RouteEdge.objects.order_by("-pk").first().pk + 1
    # when
    response = caller("RS reporter").get(f"/api/v1/route-edges/{missing}")
    # then
    assert response.status_code == 404
