"""The plain geometry helpers, and the query functions other apps (the map) call directly."""

from __future__ import annotations

import pytest

from seemix.core.access import Principal
from seemix.core.errors import Forbidden, InvalidInput, NotFound
from seemix.directory.principals import principal_for_user
from seemix.gazetteer import queries
from seemix.gazetteer.geometry import (
    AREA_TYPES,
    LINE_TYPES,
    BBox,
    bounding_box,
    contains_point,
    distance_to_boundary_km,
    geometry_problem,
    label_point,
)

SQUARE_WITH_HOLE = {
    "type": "Polygon",
    "coordinates": [
        [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]],
        [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]],
    ],
}
# A "C" shape: its bounding-box centre (5, 5) lies outside it, as Croatia's does.
C_SHAPE = {
    "type": "Polygon",
    "coordinates": [[[0, 0], [10, 0], [10, 3], [3, 3], [3, 7], [10, 7], [10, 10], [0, 10], [0, 0]]],
}


def test_bounding_box_of_a_polygon():
    assert bounding_box(SQUARE_WITH_HOLE) == BBox(0.0, 0.0, 10.0, 10.0)


@pytest.mark.parametrize(
    ("lon", "lat", "inside"),
    [(1, 1, True), (5, 5, False), (4.5, 7, True), (11, 5, False), (-0.1, 5, False)],
)
def test_contains_point_excludes_holes(lon, lat, inside):
    assert contains_point(SQUARE_WITH_HOLE, lon, lat) is inside


def test_distance_to_boundary_in_km_at_the_equator():
    # one degree of latitude is about 111 km
    assert distance_to_boundary_km(SQUARE_WITH_HOLE, 2, 1) == pytest.approx(111.32, rel=1e-3)


def test_label_point_lies_inside_a_shape_whose_box_centre_does_not():
    # when
    lon, lat = label_point(C_SHAPE)
    # then
    assert not contains_point(C_SHAPE, 5, 5)
    assert contains_point(C_SHAPE, lon, lat)


@pytest.mark.parametrize(
    ("geometry", "allowed", "problem"),
    [
        (SQUARE_WITH_HOLE, AREA_TYPES, None),
        ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, LINE_TYPES, None),
        ({"type": "LineString", "coordinates": [[0, 0]]}, LINE_TYPES, "coordinates are malformed"),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]},
            AREA_TYPES,
            "coordinates are malformed",
        ),
        ({"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [1, 1], [0, 0]]]}, AREA_TYPES, "malformed"),
        (
            {"type": "Point", "coordinates": [0, 0]},
            AREA_TYPES,
            "must be MultiPolygon or Polygon, not 'Point'",
        ),
        ({"coordinates": []}, AREA_TYPES, "Give a GeoJSON geometry object"),
        ("Serbia", AREA_TYPES, "Give a GeoJSON geometry object"),
    ],
)
def test_geometry_problem(geometry, allowed, problem):
    # when
    found = geometry_problem(geometry, allowed)
    # then
    if problem is None:
        assert found is None
    else:
        assert problem in found


@pytest.mark.django_db
def test_queries_refuse_a_principal_without_membership(small_gazetteer, make_user):
    # given
    nobody = principal_for_user(make_user())
    # then
    for read in (
        queries.countries_for,
        queries.countries_geojson_for,
        queries.border_sections_for,
        queries.crossing_points_for,
        queries.sites_for,
        queries.route_edges_for,
        queries.route_graph_for,
        queries.route_edges_geojson_for,
    ):
        with pytest.raises(Forbidden):
            read(nobody)


@pytest.mark.django_db
def test_queries_for_a_member(small_gazetteer, make_user):
    # given
    member = principal_for_user(make_user("SI", "observer"))
    # when
    collection = queries.countries_geojson_for(member, seecp=True)
    graph = queries.route_graph_for(member)
    # then
    assert [f["id"] for f in collection["features"]] == ["AL", "GR", "MK", "RS"]
    assert [leg.destination.key for leg in graph["crossing_point:MK-TABANOVCE"]] == [
        "crossing_point:RS-MIRATOVAC"
    ]
    assert queries.crossing_point_for(member, "rs-miratovac").code == "RS-MIRATOVAC"
    with pytest.raises(NotFound):
        queries.site_for(member, "RS-NOWHERE")
    with pytest.raises(InvalidInput):
        queries.sites_for(member, country="Srbija")


@pytest.mark.django_db
def test_platform_admin_without_membership_reads(small_gazetteer, platform_admin):
    # given
    admin = Principal(user=platform_admin, is_platform_admin=True, token_id=1)
    # when
    codes = list(queries.countries_for(admin).values_list("code", flat=True))
    # then
    assert codes == ["AL", "GR", "MK", "RS"]
