"""The gazetteer in the Django admin: every change goes through the services, checked and audited."""

from __future__ import annotations

import pytest
from django.test import Client

from seemix.core.models import AuditEntry
from seemix.gazetteer.models import BorderSection, CrossingPoint, RouteEdge, SiteCapacity
from tests.gazetteer.conftest import MODEL_BACKEND, snapshot

pytestmark = pytest.mark.django_db

POINT_FORM = {
    "code": "RS-PRESEVO-ROAD",
    "name": "Прешево",
    "name_latin": "Preševo",
    "kind": "road",
    "latitude": "42.2475",
    "longitude": "21.719",
    "notes": "",
}


def signed_in(user):
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/gazetteer/country/",
        "/admin/gazetteer/bordersection/",
        "/admin/gazetteer/crossingpoint/",
        "/admin/gazetteer/receptionsite/",
        "/admin/gazetteer/sitecapacity/",
        "/admin/gazetteer/routeedge/",
        "/admin/gazetteer/crossingpoint/add/",
    ],
)
def test_platform_admin_sees_the_gazetteer_in_the_admin(path, platform_admin, small_gazetteer):
    # when
    response = signed_in(platform_admin).get(path)
    # then
    assert response.status_code == 200


def test_change_pages_open(platform_admin, small_gazetteer):
    # given
    client = signed_in(platform_admin)
    point = CrossingPoint.objects.get(code="GR-IDOMENI")
    # when
    response = client.get(f"/admin/gazetteer/crossingpoint/{point.pk}/change/")
    # then
    assert response.status_code == 200


def test_adding_a_crossing_point_in_the_admin_is_audited(platform_admin, small_gazetteer):
    # given
    client = signed_in(platform_admin)
    section = BorderSection.objects.get(code="MK-RS")
    # when
    response = client.post(
        "/admin/gazetteer/crossingpoint/add/", {**POINT_FORM, "country": "RS", "border_section": section.pk}
    )
    # then
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert CrossingPoint.objects.get(code="RS-PRESEVO-ROAD").border_section == section
    entry = AuditEntry.objects.get(action="gazetteer.crossing_point.created", actor_label="platform-admin")
    assert (entry.actor_label, entry.participant_code) == ("platform-admin", "RS")


def test_the_admin_shows_the_services_objection_beside_its_field(platform_admin, small_gazetteer):
    # given
    client = signed_in(platform_admin)
    section = BorderSection.objects.get(code="GR-MK")
    before = snapshot()
    # when
    response = client.post(
        "/admin/gazetteer/crossingpoint/add/", {**POINT_FORM, "country": "RS", "border_section": section.pk}
    )
    # then
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "border_section": [
            "RS is on neither side of the border section GR-MK: a crossing point in Serbia lies on a "
            "border of Serbia."
        ]
    }
    assert snapshot() == before


def test_changing_a_crossing_point_in_the_admin(platform_admin, small_gazetteer):
    # given
    client = signed_in(platform_admin)
    point = CrossingPoint.objects.get(code="GR-IDOMENI")
    section = BorderSection.objects.get(code="GR-MK")
    partner = CrossingPoint.objects.get(code="MK-GEVGELIJA")
    # when
    response = client.post(
        f"/admin/gazetteer/crossingpoint/{point.pk}/change/",
        {
            "name": "Ειδομένη",
            "name_latin": "Idomeni",
            "border_section": section.pk,
            "counterpart": partner.pk,
            "kind": "rail",
            "latitude": "41.1219",
            "longitude": "22.5108",
            "notes": "Closed on 9 March 2016.",
        },
    )
    # then
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert CrossingPoint.objects.get(code="GR-IDOMENI").notes == "Closed on 9 March 2016."
    entry = AuditEntry.objects.get(action="gazetteer.crossing_point.updated", actor_label="platform-admin")
    assert entry.changes == {
        "notes": [
            "Border railway station; in 2015-2016 people crossed on foot beside the line.",
            "Closed on 9 March 2016.",
        ]
    }


def test_adding_a_border_section_in_either_order_takes_the_shipped_line(platform_admin, small_gazetteer):
    # given
    client = signed_in(platform_admin)
    # when
    response = client.post(
        "/admin/gazetteer/bordersection/add/",
        {"country_a": "MK", "country_b": "AL", "name": "", "geometry": ""},
    )
    # then
    assert response.status_code == 302, response.context["adminform"].form.errors
    section = BorderSection.objects.get(code="AL-MK")
    assert (section.name, section.geometry["type"]) == ("Albania – North Macedonia", "MultiLineString")


def test_recording_a_capacity_in_the_admin(platform_admin, small_gazetteer):
    # given
    client = signed_in(platform_admin)
    site = small_gazetteer["site"]
    # when
    response = client.post(
        "/admin/gazetteer/sitecapacity/add/",
        {"site": site.pk, "capacity": "1500", "valid_from": "2016-08-01", "source": "presheva.al"},
    )
    # then
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert list(
        SiteCapacity.objects.filter(site=site).order_by("valid_from").values_list("capacity", flat=True)
    ) == [
        1000,
        1500,
    ]
    assert AuditEntry.objects.filter(action="gazetteer.site.capacity_recorded").count() == 2


def test_deleting_a_route_edge_in_the_admin_is_audited(platform_admin, small_gazetteer):
    # given
    client = signed_in(platform_admin)
    edge = small_gazetteer["edges"][0]
    # when
    response = client.post(f"/admin/gazetteer/routeedge/{edge.pk}/delete/", {"post": "yes"})
    # then
    assert response.status_code == 302
    assert not RouteEdge.objects.filter(pk=edge.pk).exists()
    assert AuditEntry.objects.filter(action="gazetteer.route_edge.deleted").count() == 1


def test_places_cannot_be_deleted_in_the_admin(platform_admin, small_gazetteer):
    # given
    client = signed_in(platform_admin)
    point = CrossingPoint.objects.get(code="GR-IDOMENI")
    before = snapshot()
    # when
    response = client.post(f"/admin/gazetteer/crossingpoint/{point.pk}/delete/", {"post": "yes"})
    # then
    assert response.status_code == 403
    assert snapshot() == before
