"""Writing the gazetteer through /api/v1/: platform administrators only, one audit row per change."""

from __future__ import annotations

from decimal import Decimal

import pytest

from seemix.core.models import AuditEntry
from seemix.gazetteer.models import (
    BorderSection,
    Country,
    CrossingPoint,
    ReceptionSite,
    RouteEdge,
    SiteCapacity,
)
from seemix.gazetteer.reference_data import country_features
from tests.gazetteer.conftest import snapshot

pytestmark = pytest.mark.django_db

DENIED = [("anonymous", 401), ("nobody", 403), ("RS coordinator", 403), ("RCC analyst", 403)]


def _bosnia() -> dict:
    feature = country_features()["BA"]
    return {
        "code": "BA",
        "alpha3": "BIH",
        "name": "Bosnia and Herzegovina",
        "local_name": "Bosna i Hercegovina",
        "is_seecp_participant": True,
        "geometry": feature["geometry"],
    }


NEW_POINT = {
    "code": "RS-PRESEVO-ROAD",
    "name": "Прешево",
    "name_latin": "Preševo",
    "country": "RS",
    "kind": "road",
    "latitude": 42.2475,
    "longitude": 21.719,
    "border_section": "MK-RS",
}
NEW_SITE = {
    "code": "MK-VINOJUG",
    "name": "Транзитен центар Винојуг",
    "name_latin": "Vinojug transit centre (Gevgelija)",
    "country": "MK",
    "kind": "transit",
    "latitude": 41.132,
    "longitude": 22.51,
}
NEW_EDGE = {
    "origin": {"kind": "crossing_point", "code": "GR-IDOMENI"},
    "destination": {"kind": "crossing_point", "code": "MK-GEVGELIJA"},
    "typical_days": 0.1,
    "mode": "foot",
    "valid_until": "2016-03-08",
}

# (method, path, body, status for an administrator, audit action)
WRITES = [
    ("post", "/api/v1/countries", _bosnia, 201, "gazetteer.country.created"),
    ("patch", "/api/v1/countries/AL", {"local_name": "Shqipëri"}, 200, "gazetteer.country.updated"),
    ("post", "/api/v1/border-sections", {"countries": ["RS", "AL"]}, 422, None),
    ("post", "/api/v1/border-sections", {"countries": ["AL", "MK"]}, 201, "gazetteer.border_section.created"),
    (
        "patch",
        "/api/v1/border-sections/MK-RS",
        {"name": "Sjeverna Makedonija – Srbija"},
        200,
        "gazetteer.border_section.updated",
    ),
    ("post", "/api/v1/crossing-points", NEW_POINT, 201, "gazetteer.crossing_point.created"),
    (
        "patch",
        "/api/v1/crossing-points/GR-IDOMENI",
        {"notes": "Closed 9 March 2016."},
        200,
        "gazetteer.crossing_point.updated",
    ),
    ("post", "/api/v1/sites", NEW_SITE, 201, "gazetteer.site.created"),
    ("patch", "/api/v1/sites/RS-PRESEVO", {"opened_on": "2015-07-01"}, 200, "gazetteer.site.updated"),
    (
        "post",
        "/api/v1/sites/RS-PRESEVO/capacities",
        {"capacity": 1500, "valid_from": "2016-08-01"},
        201,
        "gazetteer.site.capacity_recorded",
    ),
    ("post", "/api/v1/route-edges", NEW_EDGE, 201, "gazetteer.route_edge.created"),
    ("patch", "/api/v1/route-edges/{edge}", {"typical_days": 0.2}, 200, "gazetteer.route_edge.updated"),
    ("delete", "/api/v1/route-edges/{edge}", None, 204, "gazetteer.route_edge.deleted"),
]
SUCCESSFUL_WRITES = [w for w in WRITES if w[3] != 422]


def _call(client, method, path, body, gazetteer):
    path = path.format(edge=gazetteer["edges"][0].pk)
    body = body() if callable(body) else body
    return client.delete(path) if method == "delete" else getattr(client, method)(path, body)


@pytest.mark.parametrize(("method", "path", "body", "_ok", "_action"), SUCCESSFUL_WRITES)
@pytest.mark.parametrize(("who", "status"), DENIED)
def test_write_denied(method, path, body, _ok, _action, who, status, caller, small_gazetteer):
    # given
    client = caller(who)
    before = snapshot()
    # when
    response = _call(client, method, path, body, small_gazetteer)
    # then
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert snapshot() == before


@pytest.mark.parametrize(("method", "path", "body", "status", "action"), SUCCESSFUL_WRITES)
def test_write_by_platform_admin(method, path, body, status, action, caller, small_gazetteer):
    # given
    client = caller("admin")
    audit_before = AuditEntry.objects.count()
    # when
    response = _call(client, method, path, body, small_gazetteer)
    # then
    assert response.status_code == status, response.content
    assert AuditEntry.objects.count() == audit_before + 1
    entry = AuditEntry.objects.order_by("-pk").first()
    assert entry.action == action
    assert entry.actor_label.startswith("platform-admin via token #")


def test_create_country_returns_it_with_derived_box(caller, small_gazetteer):
    # when
    response = caller("admin").post("/api/v1/countries", _bosnia())
    # then
    assert response.status_code == 201
    body = response.json()
    assert body["bbox"] == [15.73756, 42.56049, 19.5824, 45.27733]
    lon, lat = body["label_point"]
    assert 15.73756 < lon < 19.5824
    assert 42.56049 < lat < 45.27733
    assert Country.objects.get(code="BA").alpha3 == "BIH"


def test_create_border_section_takes_the_shipped_line(caller, small_gazetteer):
    # when
    response = caller("admin").post("/api/v1/border-sections", {"countries": ["MK", "AL"]})
    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["code"], body["name"], body["countries"]) == (
        "AL-MK",
        "Albania – North Macedonia",
        ["AL", "MK"],
    )
    assert body["geometry"]["type"] == "MultiLineString"
    assert BorderSection.objects.get(code="AL-MK").country_a_id == "AL"


def test_create_crossing_point_links_its_counterpart(caller, small_gazetteer):
    # given
    client = caller("admin")
    client.post("/api/v1/crossing-points", {**NEW_POINT, "code": "RS-PRESEVO-ROAD"})
    # when
    response = client.post(
        "/api/v1/crossing-points",
        {
            **NEW_POINT,
            "code": "MK-TABANOVCE-ROAD",
            "name": "Табановце",
            "name_latin": "Tabanovce",
            "country": "MK",
            "latitude": 42.219,
            "longitude": 21.722,
            "counterpart": "RS-PRESEVO-ROAD",
        },
    )
    # then
    assert response.status_code == 201
    assert response.json()["counterpart"] == "RS-PRESEVO-ROAD"
    assert CrossingPoint.objects.get(code="RS-PRESEVO-ROAD").counterpart.code == "MK-TABANOVCE-ROAD"


def test_unlinking_a_counterpart_unlinks_both_sides(caller, small_gazetteer):
    # when
    response = caller("admin").patch("/api/v1/crossing-points/MK-GEVGELIJA", {"counterpart": None})
    # then
    assert response.status_code == 200
    assert response.json()["counterpart"] is None
    assert CrossingPoint.objects.get(code="GR-IDOMENI").counterpart is None
    assert CrossingPoint.objects.get(code="MK-GEVGELIJA").counterpart is None


def test_relinking_moves_the_counterpart(caller, small_gazetteer):
    # given
    client = caller("admin")
    client.post("/api/v1/crossing-points", NEW_POINT)
    client.patch("/api/v1/crossing-points/MK-TABANOVCE", {"counterpart": None})
    # when
    response = client.patch("/api/v1/crossing-points/MK-TABANOVCE", {"counterpart": "RS-PRESEVO-ROAD"})
    # then
    assert response.status_code == 200
    points = {p.code: p.counterpart_id and p.counterpart.code for p in CrossingPoint.objects.all()}
    assert points["MK-TABANOVCE"] == "RS-PRESEVO-ROAD"
    assert points["RS-PRESEVO-ROAD"] == "MK-TABANOVCE"
    assert points["RS-MIRATOVAC"] is None


def test_create_site_with_its_first_capacity(caller, small_gazetteer):
    # when
    response = caller("admin").post(
        "/api/v1/sites",
        {**NEW_SITE, "capacity": 1500, "capacity_valid_from": "2015-10-01", "capacity_source": "test"},
    )
    # then
    assert response.status_code == 201
    body = response.json()
    assert body["current_capacity"] == 1500
    assert [(c["capacity"], c["valid_from"]) for c in body["capacity_history"]] == [(1500, "2015-10-01")]
    site = ReceptionSite.objects.get(code="MK-VINOJUG")
    assert list(
        AuditEntry.objects.filter(object_type="gazetteer.receptionsite", object_id=str(site.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["gazetteer.site.created", "gazetteer.site.capacity_recorded"]


def test_new_capacity_figure_keeps_the_history(caller, small_gazetteer):
    # given
    client = caller("admin")
    # when
    client.post(
        "/api/v1/sites/RS-PRESEVO/capacities",
        {"capacity": 1500, "valid_from": "2016-08-01", "source": "presheva.al"},
    )
    body = client.get("/api/v1/sites/RS-PRESEVO").json()
    earlier = client.get("/api/v1/sites/RS-PRESEVO", {"on": "2016-07-31"}).json()
    # then
    assert body["current_capacity"] == 1500
    assert body["capacity_since"] == "2016-08-01"
    assert [(c["capacity"], c["valid_from"]) for c in body["capacity_history"]] == [
        (1500, "2016-08-01"),
        (1000, "2016-07-25"),
    ]
    assert earlier["current_capacity"] == 1000
    assert SiteCapacity.objects.filter(site__code="RS-PRESEVO").count() == 2


def test_update_route_edge_and_delete_it(caller, small_gazetteer):
    # given
    client = caller("admin")
    edge = small_gazetteer["edges"][0]
    # when
    patched = client.patch(
        f"/api/v1/route-edges/{edge.pk}", {"typical_days": 0.3, "valid_until": "2016-03-08"}
    )
    deleted = client.delete(f"/api/v1/route-edges/{edge.pk}")
    # then
    assert patched.status_code == 200
    assert (patched.json()["typical_days"], patched.json()["valid_until"]) == (0.3, "2016-03-08")
    assert deleted.status_code == 204
    assert not RouteEdge.objects.filter(pk=edge.pk).exists()
    assert list(
        AuditEntry.objects.filter(object_id=str(edge.pk), object_type="gazetteer.routeedge")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "gazetteer.route_edge.created",
        "gazetteer.route_edge.updated",
        "gazetteer.route_edge.deleted",
    ]


def test_patch_that_changes_nothing_writes_nothing(caller, small_gazetteer):
    # given
    client = caller("admin")
    before = snapshot()
    edge = small_gazetteer["edges"][0]
    # when
    response = client.patch(f"/api/v1/route-edges/{edge.pk}", {"typical_days": 0.1, "mode": "foot"})
    # then
    assert response.status_code == 200
    assert snapshot() == before
    assert RouteEdge.objects.get(pk=edge.pk).typical_days == Decimal("0.1")


def test_admin_session_writes_too(small_gazetteer, platform_admin):
    # given
    from tests.gazetteer.conftest import SessionApiClient

    client = SessionApiClient(platform_admin)
    # when
    response = client.patch("/api/v1/countries/GR", {"local_name": "Ελλάς"})
    # then
    assert response.status_code == 200
    assert Country.objects.get(code="GR").local_name == "Ελλάς"
    assert AuditEntry.objects.order_by("-pk").first().actor_label == "platform-admin"
