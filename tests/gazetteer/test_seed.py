"""The shipped gazetteer: complete, consistent with its own geometry, and loaded idempotently."""

from __future__ import annotations

from collections import deque
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from seemix.core.models import AuditEntry
from seemix.directory.principals import principal_for_user
from seemix.gazetteer import queries, services
from seemix.gazetteer.geometry import bounding_box, contains_point, distance_to_boundary_km
from seemix.gazetteer.models import BorderSection, Country, CrossingPoint, ReceptionSite, SiteCapacity
from tests.gazetteer.conftest import snapshot

pytestmark = pytest.mark.django_db

SEECP = ["AL", "BA", "BG", "GR", "HR", "MD", "ME", "MK", "RO", "RS", "SI", "TR", "XK"]
NEIGHBOURS = ["AT", "CY", "CZ", "DE", "HU", "IT", "SK", "UA"]
SECTIONS = [
    "AL-GR", "AL-ME", "AL-MK", "AL-XK", "AT-CZ", "AT-DE", "AT-HU", "AT-IT", "AT-SI", "AT-SK", "BA-HR",
    "BA-ME", "BA-RS", "BG-GR", "BG-MK", "BG-RO", "BG-RS", "BG-TR", "CZ-DE", "CZ-SK", "GR-MK", "GR-TR",
    "HR-HU", "HR-ME", "HR-RS", "HR-SI", "HU-RO", "HU-RS", "HU-SI", "HU-SK", "HU-UA", "IT-SI", "MD-RO",
    "MD-UA", "ME-RS", "ME-XK", "MK-RS", "MK-XK", "RO-RS", "RO-UA", "RS-XK", "SK-UA",
]  # fmt: skip
# The 1:50m outlines are simplified (a border post can fall a little across the drawn line) and
# leave out small islands such as Leros: a seeded point may lie this far outside its outline.
OUTLINE_TOLERANCE_KM = 10


def test_seed_creates_the_whole_gazetteer(seeded):
    # then
    assert dict(seeded.created) == {
        "countries": 21,
        "border sections": 42,
        "crossing points": 22,
        "sites": 13,
        "capacities": 3,
        "route edges": 50,
    }
    assert sorted(Country.objects.filter(is_seecp_participant=True).values_list("code", flat=True)) == SEECP
    assert (
        sorted(Country.objects.filter(is_seecp_participant=False).values_list("code", flat=True))
        == NEIGHBOURS
    )
    assert list(BorderSection.objects.order_by("code").values_list("code", flat=True)) == SECTIONS
    # one row per creation, and one per pair of counterparts linked once both sides existed
    system_rows = AuditEntry.objects.filter(actor_label="system", action__startswith="gazetteer.")
    assert system_rows.count() == 151 + 11


def test_second_load_changes_nothing_and_writes_no_audit_rows(seeded):
    # given
    before = snapshot()
    # when
    summary = services.load_gazetteer(actor=None)
    # then
    assert snapshot() == before
    assert not summary.changed
    assert dict(summary.unchanged) == {
        "countries": 21,
        "border sections": 42,
        "crossing points": 22,
        "sites": 13,
        "capacities": 3,
        "route edges": 50,
    }


def test_load_command_twice(db):
    # given
    first, second = StringIO(), StringIO()
    # when
    call_command("load_gazetteer", stdout=first)
    audit_after_first = AuditEntry.objects.count()
    call_command("load_gazetteer", stdout=second)
    # then
    assert "crossing points: 22 created, 0 updated, 0 unchanged" in first.getvalue()
    assert "Gazetteer loaded." in first.getvalue()
    assert "crossing points: 0 created, 0 updated, 22 unchanged" in second.getvalue()
    assert "Gazetteer up to date." in second.getvalue()
    assert AuditEntry.objects.count() == audit_after_first


def test_load_brings_a_changed_seeded_row_back(seeded, platform_admin):
    # given
    services.update_crossing_point(CrossingPoint.objects.get(code="RS-SID"), actor=None, name="Sid")
    audit_before = AuditEntry.objects.count()
    # when
    summary = services.load_gazetteer(actor=None)
    # then
    assert summary.updated["crossing points"] == 1
    assert CrossingPoint.objects.get(code="RS-SID").name == "Шид"
    assert AuditEntry.objects.count() == audit_before + 1


def test_load_never_overwrites_a_recorded_capacity(seeded):
    # given: a figure for the seed's date that differs from the seed (set behind the services' back)
    SiteCapacity.objects.filter(site__code="HR-OPATOVAC").update(capacity=3500)
    # when
    summary = services.load_gazetteer(actor=None)
    # then
    assert summary.kept == ["HR-OPATOVAC from 2015-09-20: 3500, seed 4000"]
    assert SiteCapacity.objects.get(site__code="HR-OPATOVAC").capacity == 3500


def test_every_seeded_place_lies_in_its_country(seeded):
    # given
    places = [
        *CrossingPoint.objects.select_related("country"),
        *ReceptionSite.objects.select_related("country"),
    ]
    # then
    assert len(places) == 35
    for place in places:
        country = place.country
        assert country.bbox.contains(place.longitude, place.latitude), place.code
        inside = contains_point(country.geometry, place.longitude, place.latitude)
        near = (
            distance_to_boundary_km(country.geometry, place.longitude, place.latitude) <= OUTLINE_TOLERANCE_KM
        )
        assert inside or near, place.code


def test_no_seeded_place_lies_inside_a_neighbour(seeded):
    # A swapped pair of coordinates or a wrong country would put a point deep inside another country.
    countries = list(Country.objects.all())
    for place in [*CrossingPoint.objects.all(), *ReceptionSite.objects.all()]:
        for other in countries:
            if other.code != place.country_id and contains_point(
                other.geometry, place.longitude, place.latitude
            ):
                depth = distance_to_boundary_km(other.geometry, place.longitude, place.latitude)
                assert depth < 2, f"{place.code} lies {depth:.1f} km inside {other.code}"


def test_counterparts_are_symmetric_and_face_each_other(seeded):
    # given
    points = list(CrossingPoint.objects.select_related("counterpart", "border_section"))
    # then
    assert len(points) == 22
    for point in points:
        partner = point.counterpart
        assert partner is not None, point.code
        assert partner.counterpart_id == point.pk, point.code
        assert partner.border_section_id == point.border_section_id, point.code
        assert partner.country_id != point.country_id, point.code


def test_each_crossing_point_lies_on_a_border_of_its_country(seeded):
    for point in CrossingPoint.objects.select_related("border_section"):
        assert point.country_id in point.border_section.country_codes, point.code


def test_each_border_line_runs_along_both_countries(seeded):
    for section in BorderSection.objects.select_related("country_a", "country_b"):
        line = bounding_box(section.geometry)
        assert line.within(section.country_a.bbox, margin=0.01), section.code
        assert line.within(section.country_b.bbox, margin=0.01), section.code


def test_capacities_have_a_source(seeded):
    assert sorted(SiteCapacity.objects.values_list("site__code", "capacity", "valid_from")) == [
        ("HR-OPATOVAC", 4000, date(2015, 9, 20)),
        ("HR-SLAVONSKI-BROD", 5000, date(2015, 11, 3)),
        ("RS-PRESEVO", 1000, date(2016, 7, 25)),
    ]
    assert all(SiteCapacity.objects.values_list("source", flat=True))


def _reachable(principal, start: str, on: date | None) -> set[str]:
    graph = queries.route_graph_for(principal, on=on)
    seen, todo = {start}, deque([start])
    while todo:
        for leg in graph.get(todo.popleft(), []):
            if leg.destination.key not in seen:
                seen.add(leg.destination.key)
                todo.append(leg.destination.key)
    return seen


@pytest.mark.parametrize(
    ("on", "through", "not_through"),
    [
        (None, "crossing_point:GR-IDOMENI", None),
        (date(2015, 9, 1), "crossing_point:HU-ROSZKE", "crossing_point:HR-TOVARNIK"),
        (date(2015, 10, 1), "crossing_point:HU-ZAKANY", "crossing_point:SI-RIGONCE"),
        (date(2015, 11, 15), "crossing_point:SI-RIGONCE", "crossing_point:HU-ZAKANY"),
    ],
)
def test_route_graph_leads_from_turkey_to_germany(on, through, not_through, seeded, make_user):
    # given
    analyst = queries_principal(make_user("RCC", "analyst"))
    # when
    reachable = _reachable(analyst, "country:TR", on)
    # then
    assert "country:DE" in reachable
    assert through in reachable
    if not_through:
        assert not_through not in reachable


def test_route_graph_is_cut_after_the_closure_of_march_2016(seeded, make_user):
    # when
    reachable = _reachable(queries_principal(make_user("RCC", "analyst")), "country:TR", date(2016, 4, 1))
    # then
    assert "country:GR" in reachable
    assert "crossing_point:MK-GEVGELIJA" not in reachable
    assert "country:DE" not in reachable


def queries_principal(user):
    return principal_for_user(user)
