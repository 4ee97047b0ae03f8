"""Bad input: 422 problem+json naming the field, with a clear reason, and nothing written."""

from __future__ import annotations

import pytest

from seemix.gazetteer.reference_data import country_features
from tests.gazetteer.conftest import snapshot

pytestmark = pytest.mark.django_db

POINT = {
    "code": "RS-NEW",
    "name": "Ново",
    "name_latin": "Novo",
    "country": "RS",
    "kind": "road",
    "latitude": 42.26,
    "longitude": 21.7,
    "border_section": "MK-RS",
}
SITE = {
    "code": "RS-NEW-SITE",
    "name": "Нови центар",
    "name_latin": "New centre",
    "country": "RS",
    "kind": "reception",
    "latitude": 42.3,
    "longitude": 21.65,
}
EDGE = {
    "origin": {"kind": "site", "code": "RS-PRESEVO"},
    "destination": {"kind": "country", "code": "RS"},
    "typical_days": 1,
    "mode": "road",
}
LINE_IN_GERMANY = {"type": "LineString", "coordinates": [[10.0, 50.0], [10.5, 50.5]]}


def _greece_outline():
    return {"geometry": country_features()["GR"]["geometry"]}


CASES = [
    # --- countries named by code
    (
        "unknown country, swapped letters",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "country": "SR"},
        "country",
        "There is no country with the code 'SR'. Did you mean RS (Serbia)?",
    ),
    (
        "country given by name",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "country": "Serbia"},
        "country",
        "Did you mean RS (Serbia)?",
    ),
    (
        "country given by alpha-3",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "country": "SRB"},
        "country",
        "Did you mean RS (Serbia)?",
    ),
    (
        "country nobody knows",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "country": "QQ"},
        "country",
        "Use an ISO 3166 alpha-2 code (XK for Kosovo).",
    ),
    (
        "unknown country in a filter",
        "get",
        "/api/v1/crossing-points?country=SR",
        None,
        "country",
        "Did you mean RS (Serbia)?",
    ),
    # --- crossing points
    (
        "country on neither side of the section",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "code": "GR-NEW", "country": "GR", "latitude": 41.0, "longitude": 22.5},
        "border_section",
        "GR is on neither side of the border section MK-RS",
    ),
    (
        "latitude outside the country's box",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "latitude": 41.0},
        "latitude",
        "41.0 is outside Serbia's bounding box (latitude 42.2428 to 46.1696)",
    ),
    (
        "longitude outside the country's box",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "longitude": 25.5},
        "longitude",
        "25.5 is outside Serbia's bounding box (longitude 18.8408 to 22.9772)",
    ),
    (
        "duplicate code",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "code": "RS-MIRATOVAC"},
        "code",
        "The code RS-MIRATOVAC is already in use.",
    ),
    (
        "code of another country",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "code": "MK-NEW"},
        "code",
        "The code must start with the country's code: RS-",
    ),
    (
        "malformed code",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "code": "RS new"},
        "code",
        "'RS NEW' is not a valid code",
    ),
    (
        "land crossing without section",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "border_section": None},
        "border_section",
        "A road, rail or green-border crossing lies on a border section.",
    ),
    (
        "unknown section",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "border_section": "RS-XK"},
        "border_section",
        "There is no border section 'RS-XK'.",
    ),
    (
        "counterpart on another section",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "counterpart": "GR-IDOMENI"},
        "counterpart",
        "GR-IDOMENI is on another border section",
    ),
    (
        "counterpart in the same country",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "counterpart": "RS-MIRATOVAC"},
        "counterpart",
        "not in Serbia too",
    ),
    (
        "counterpart already taken",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "code": "MK-NEW", "country": "MK", "latitude": 42.2, "counterpart": "RS-MIRATOVAC"},
        "counterpart",
        "RS-MIRATOVAC already has a counterpart (MK-TABANOVCE); unlink it first.",
    ),
    (
        "unknown counterpart",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "counterpart": "MK-NOWHERE"},
        "counterpart",
        "There is no crossing point 'MK-NOWHERE'.",
    ),
    (
        "kind that does not exist",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "kind": "bridge"},
        "kind",
        "Input should be",
    ),
    (
        "field that does not exist",
        "post",
        "/api/v1/crossing-points",
        {**POINT, "colour": "red"},
        "colour",
        "Extra inputs are not permitted",
    ),
    (
        "moving a point to a section of other countries",
        "patch",
        "/api/v1/crossing-points/RS-MIRATOVAC",
        {"border_section": "GR-MK"},
        "border_section",
        "RS is on neither side of the border section GR-MK",
    ),
    (
        "taking the section off a green-border crossing",
        "patch",
        "/api/v1/crossing-points/MK-TABANOVCE",
        {"border_section": None},
        "border_section",
        "lies on a border section",
    ),
    (
        "moving a point out of its country",
        "patch",
        "/api/v1/crossing-points/GR-IDOMENI",
        {"latitude": 43.0},
        "latitude",
        "43.0 is outside Greece's bounding box",
    ),
    (
        "null for a required field",
        "patch",
        "/api/v1/crossing-points/GR-IDOMENI",
        {"name": None},
        "name",
        "may not be null; leave the field out to keep its value",
    ),
    (
        "blank name",
        "patch",
        "/api/v1/crossing-points/GR-IDOMENI",
        {"name_latin": "  "},
        "name_latin",
        "This may not be blank.",
    ),
    # --- border sections
    (
        "countries that do not touch",
        "post",
        "/api/v1/border-sections",
        {"countries": ["GR", "RS"]},
        "countries",
        "Greece and Serbia are not neighbours: their territories do not touch.",
    ),
    (
        "countries with no shared line",
        "post",
        "/api/v1/border-sections",
        {"countries": ["AL", "RS"]},
        "geometry",
        "No border line between AL and RS is shipped",
    ),
    (
        "a line far from both countries",
        "post",
        "/api/v1/border-sections",
        {"countries": ["AL", "MK"], "geometry": LINE_IN_GERMANY},
        "geometry",
        "The border line leaves Albania's bounding box.",
    ),
    (
        "a section that exists",
        "post",
        "/api/v1/border-sections",
        {"countries": ["RS", "MK"]},
        "countries",
        "The border section MK-RS already exists.",
    ),
    (
        "one country twice",
        "post",
        "/api/v1/border-sections",
        {"countries": ["MK", "MK"]},
        "countries",
        "A border section joins two different countries.",
    ),
    (
        "one country only",
        "post",
        "/api/v1/border-sections",
        {"countries": ["MK"]},
        "countries",
        "Name exactly two countries",
    ),
    (
        "unknown country in a section",
        "post",
        "/api/v1/border-sections",
        {"countries": ["MK", "KS"]},
        "countries.1",
        "There is no country with the code 'KS'.",
    ),
    # --- countries
    (
        "duplicate country",
        "post",
        "/api/v1/countries",
        {"code": "GR", "alpha3": "GRX", "name": "Greece", "geometry": LINE_IN_GERMANY},
        "code",
        "The country GR already exists.",
    ),
    (
        "malformed country code",
        "post",
        "/api/v1/countries",
        {"code": "GRC", "alpha3": "GRC", "name": "Greece", "geometry": LINE_IN_GERMANY},
        "code",
        "'GRC' is not an ISO 3166 alpha-2 code",
    ),
    (
        "outline that is not an area",
        "post",
        "/api/v1/countries",
        {"code": "BA", "alpha3": "BIH", "name": "Bosnia and Herzegovina", "geometry": LINE_IN_GERMANY},
        "geometry",
        "The geometry type must be MultiPolygon or Polygon, not 'LineString'.",
    ),
    (
        "ring that is not closed",
        "post",
        "/api/v1/countries",
        {
            "code": "BA",
            "alpha3": "BIH",
            "name": "Bosnia and Herzegovina",
            "geometry": {"type": "Polygon", "coordinates": [[[17, 44], [18, 44], [18, 45], [17, 45]]]},
        },
        "geometry",
        "The Polygon coordinates are malformed",
    ),
    (
        "new outline leaves places outside",
        "patch",
        "/api/v1/countries/RS",
        _greece_outline,
        "geometry",
        "These places would fall outside the new outline: RS-MIRATOVAC, RS-PRESEVO.",
    ),
    # --- sites and capacity
    (
        "site closing before it opens",
        "post",
        "/api/v1/sites",
        {**SITE, "opened_on": "2015-11-03", "closed_on": "2015-09-20"},
        "closed_on",
        "2015-09-20 is before 2015-11-03.",
    ),
    (
        "duplicate site code",
        "post",
        "/api/v1/sites",
        {**SITE, "code": "RS-PRESEVO"},
        "code",
        "The code RS-PRESEVO is already in use.",
    ),
    (
        "site outside its country",
        "post",
        "/api/v1/sites",
        {**SITE, "latitude": 41.5},
        "latitude",
        "41.5 is outside Serbia's bounding box",
    ),
    (
        "site capacity without a date",
        "post",
        "/api/v1/sites",
        {**SITE, "capacity": 500},
        "capacity_valid_from",
        "Say from which date the capacity holds.",
    ),
    (
        "capacity figure for a recorded date",
        "post",
        "/api/v1/sites/RS-PRESEVO/capacities",
        {"capacity": 1200, "valid_from": "2016-07-25"},
        "valid_from",
        "A capacity from 2016-07-25 is already recorded for RS-PRESEVO",
    ),
    (
        "negative capacity",
        "post",
        "/api/v1/sites/RS-PRESEVO/capacities",
        {"capacity": -1, "valid_from": "2016-08-01"},
        "capacity",
        "Input should be greater than or equal to 0",
    ),
    # --- route edges
    (
        "edge from a place that does not exist",
        "post",
        "/api/v1/route-edges",
        {**EDGE, "origin": {"kind": "site", "code": "RS-NOWHERE"}},
        "origin.code",
        "There is no site 'RS-NOWHERE'.",
    ),
    (
        "edge to an unknown country",
        "post",
        "/api/v1/route-edges",
        {**EDGE, "destination": {"kind": "country", "code": "SRB"}},
        "destination.code",
        "Did you mean RS (Serbia)?",
    ),
    (
        "edge that goes nowhere",
        "post",
        "/api/v1/route-edges",
        {**EDGE, "destination": {"kind": "site", "code": "RS-PRESEVO"}},
        "destination",
        "An edge leads somewhere else than where it starts.",
    ),
    (
        "edge that exists",
        "post",
        "/api/v1/route-edges",
        {
            **EDGE,
            "origin": {"kind": "crossing_point", "code": "MK-TABANOVCE"},
            "destination": {"kind": "crossing_point", "code": "RS-MIRATOVAC"},
        },
        "destination",
        "already exists",
    ),
    (
        "edge period ending before it starts",
        "post",
        "/api/v1/route-edges",
        {**EDGE, "valid_from": "2015-11-03", "valid_until": "2015-09-20"},
        "valid_until",
        "2015-09-20 is before 2015-11-03.",
    ),
    (
        "too many days",
        "post",
        "/api/v1/route-edges",
        {**EDGE, "typical_days": 400},
        "typical_days",
        "Input should be less than or equal to 365",
    ),
    (
        "node kind that does not exist",
        "post",
        "/api/v1/route-edges",
        {**EDGE, "origin": {"kind": "city", "code": "Belgrade"}},
        "origin.kind",
        "Input should be",
    ),
    (
        "edge period made inconsistent",
        "patch",
        "/api/v1/route-edges/{second_edge}",
        {"valid_from": "2016-04-01"},
        "valid_until",
        "2016-03-08 is before 2016-04-01.",
    ),
]


@pytest.mark.parametrize(
    ("_case", "method", "path", "body", "field", "message"), CASES, ids=[case[0] for case in CASES]
)
def test_bad_input_is_rejected_and_nothing_written(
    _case, method, path, body, field, message, caller, small_gazetteer
):
    # given
    client = caller("admin")
    before = snapshot()
    path = path.format(second_edge=small_gazetteer["edges"][1].pk)
    # when
    response = getattr(client, method)(path, body() if callable(body) else body)
    # then
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Invalid input"
    messages = [e["message"] for e in problem["errors"] if e["field"] == field]
    assert any(message in m for m in messages), problem["errors"]
    assert snapshot() == before


def test_every_wrong_field_is_reported_at_once(caller, small_gazetteer):
    # given
    client = caller("admin")
    before = snapshot()
    # when
    response = client.post(
        "/api/v1/crossing-points",
        {
            **POINT,
            "code": "GR-NEW",
            "country": "GR",
            "latitude": 45.0,
            "name": "",
            "counterpart": "MK-NOWHERE",
        },
    )
    # then
    assert response.status_code == 422
    assert sorted(e["field"] for e in response.json()["errors"]) == [
        "border_section",
        "counterpart",
        "latitude",
        "name",
    ]
    assert snapshot() == before


def test_a_member_with_bad_input_is_refused_before_the_input_is_judged(caller, small_gazetteer):
    # given
    client = caller("RS coordinator")
    before = snapshot()
    # when
    response = client.post("/api/v1/crossing-points", {**POINT, "country": "SR"})
    # then
    assert response.status_code == 403
    assert snapshot() == before


def test_a_duplicate_that_slips_past_the_checks_is_still_a_422(caller, small_gazetteer, monkeypatch):
    # given: two requests racing for one code, simulated by a check that sees no duplicate
    monkeypatch.setattr("seemix.gazetteer.services.crossing_points.check_place_code", lambda *a, **k: None)
    client = caller("admin")
    before = snapshot()
    # when
    response = client.post("/api/v1/crossing-points", {**POINT, "code": "RS-MIRATOVAC"})
    # then
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "code", "message": "The code RS-MIRATOVAC is already in use.", "code": "duplicate"}
    ]
    assert snapshot() == before
