"""CAP 1.2 out: every message of a measure's life validates against the OASIS schema and says what
the issue asks (msgType, references, scope, urgency, times, areas with geocodes and polygons)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from lxml import etree

from seemix.measures import services
from seemix.measures.cap import border_polygon, cap_time, convex_hull
from seemix.measures.models import Notification
from tests.measures.conftest import NOW, assert_valid_cap, closure_data

NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}


def _text(root: etree._Element, path: str) -> list[str]:
    return [e.text for e in root.findall(path, NS)]


def _life_of(measure) -> list[Notification]:
    services.notify_measure(measure, actor=None, now=NOW)
    services.update_measure(
        measure,
        actor=None,
        data=closure_data(planned_end=NOW + timedelta(days=90)),
        note="End date set",
        now=NOW + timedelta(hours=1),
    )
    services.bring_into_force(measure, actor=None, at=NOW + timedelta(hours=2), now=NOW + timedelta(hours=2))
    services.lift_measure(measure, actor=None, at=NOW + timedelta(hours=3), now=NOW + timedelta(hours=3))
    return list(measure.notifications.order_by("sequence"))


def test_every_message_of_a_measures_life_validates(world, draft_closure):
    # when
    messages = _life_of(draft_closure)
    # then
    assert [(n.msg_type, n.kind) for n in messages] == [
        ("Alert", "notified"),
        ("Update", "updated"),
        ("Update", "lifted"),
    ]
    for notification in messages:
        assert_valid_cap(notification.cap_xml)


def test_a_cancellation_validates_and_references_every_earlier_message(world, draft_closure):
    # given
    first = services.notify_measure(draft_closure, actor=None, now=NOW)
    second = services.update_measure(
        draft_closure, actor=None, data=closure_data(title="Closure, amended"), now=NOW + timedelta(minutes=5)
    )
    # when
    cancel = services.cancel_measure(draft_closure, actor=None, now=NOW + timedelta(minutes=10))
    # then
    root = assert_valid_cap(cancel.cap_xml)
    assert _text(root, "cap:msgType") == ["Cancel"]
    assert _text(root, "cap:references") == [
        f"{first.sender},{first.identifier},{cap_time(first.sent_at)} "
        f"{second.sender},{second.identifier},{cap_time(second.sent_at)}"
    ]
    assert _text(root, "cap:info/cap:urgency") == ["Past", "Past"]


def test_the_first_alert_says_what_the_issue_asks(world, draft_closure):
    # when
    notification = services.notify_measure(draft_closure, actor=None, now=NOW)
    # then
    root = assert_valid_cap(notification.cap_xml)
    assert _text(root, "cap:identifier") == [f"urn:seemix:127.0.0.1:measure:{draft_closure.pk}:1"]
    assert _text(root, "cap:sender") == ["HU@127.0.0.1"]
    assert _text(root, "cap:sent") == [cap_time(NOW)]
    assert _text(root, "cap:status") == ["Actual"]
    assert _text(root, "cap:msgType") == ["Alert"]
    assert _text(root, "cap:scope") == ["Restricted"]
    assert _text(root, "cap:references") == []
    english, hungarian = root.findall("cap:info", NS)
    assert _text(english, "cap:language") == ["en"]
    assert _text(hungarian, "cap:language") == ["hu"]
    assert _text(hungarian, "cap:headline") == ["A szerb határ lezárása"]
    assert _text(english, "cap:category") == ["Security"]
    assert _text(english, "cap:event") == ["Closure of a crossing point or border section"]
    assert _text(english, "cap:urgency") == ["Future"]
    assert _text(english, "cap:severity") == ["Severe"]
    assert _text(english, "cap:certainty") == ["Likely"]
    assert _text(english, "cap:effective") == [cap_time(NOW)]
    assert _text(english, "cap:onset") == [cap_time(NOW + timedelta(days=10))]
    assert _text(english, "cap:expires") == []
    assert _text(english, "cap:senderName") == ["Hungary"]
    assert _text(english, "cap:web") == [f"http://127.0.0.1:8000/measures/{draft_closure.pk}/"]
    assert _text(english, "cap:instruction") == ["Serbia: direct persons to the transit zones."]
    section, crossing = english.findall("cap:area", NS)
    assert _text(section, "cap:geocode/cap:valueName") == ["ISO3166-1", "ISO3166-1"]
    assert _text(section, "cap:geocode/cap:value") == ["HU", "RS"]
    assert len(_text(section, "cap:polygon")) == 1
    assert _text(crossing, "cap:geocode/cap:value") == ["HU"]
    assert _text(crossing, "cap:circle")[0].endswith(" 2.0")


def test_a_restricted_measure_is_private_and_addressed(world, restricted_closure):
    # when
    notification = services.notify_measure(restricted_closure, actor=None, now=NOW)
    # then
    root = assert_valid_cap(notification.cap_xml)
    assert _text(root, "cap:scope") == ["Private"]
    assert _text(root, "cap:addresses") == ["RCC@127.0.0.1 RS@127.0.0.1"]
    assert _text(root, "cap:restriction") == []


def test_a_public_immediate_measure_is_public_and_immediate(world):
    # given
    measure = services.create_measure(
        actor=None,
        issuer=world["HU"],
        data=closure_data(
            classification="public",
            path="immediate",
            planned_start=NOW - timedelta(hours=1),
            immediate_justification="Mass influx",
            border_sections=(),
            crossing_points=(),
            type="visa_regime",
        ),
    )
    # when
    notification = services.notify_measure(measure, actor=None, now=NOW)
    # then
    root = assert_valid_cap(notification.cap_xml)
    assert _text(root, "cap:scope") == ["Public"]
    assert _text(root, "cap:info/cap:urgency") == ["Immediate", "Immediate"]
    assert _text(root, "cap:info/cap:category") == ["Other", "Other"]
    assert _text(root, "cap:info/cap:area/cap:areaDesc") == ["Hungary", "Hungary"]
    assert _text(root, "cap:info/cap:area/cap:geocode/cap:value") == ["HU", "HU"]


def test_the_polygon_is_a_closed_ring_around_the_whole_border_line():
    # given
    line = {
        "type": "MultiLineString",
        "coordinates": [[[19.0, 46.0], [20.0, 46.2]], [[20.0, 46.2], [20.5, 46.1]]],
    }
    # when
    polygon = border_polygon(line, margin=0.02)
    # then
    pairs = [tuple(map(float, p.split(","))) for p in polygon.split(" ")]
    assert pairs[0] == pairs[-1]
    assert len(pairs) >= 4
    lats, lons = [p[0] for p in pairs], [p[1] for p in pairs]
    assert min(lats) == pytest.approx(45.98, abs=1e-3)
    assert max(lons) == pytest.approx(20.52, abs=1e-3)


def test_convex_hull_drops_inner_points():
    assert convex_hull([(0, 0), (2, 0), (1, 1), (2, 2), (0, 2), (1, 0.5)]) == [(0, 0), (2, 0), (2, 2), (0, 2)]


def test_the_cap_endpoints_serve_the_latest_and_each_message(caller, world, draft_closure):
    # given
    messages = _life_of(draft_closure)
    client = caller("RS observer")
    # when
    latest = client.get(f"/api/v1/measures/{draft_closure.pk}/cap.xml")
    first = client.get(f"/api/v1/notifications/{messages[0].pk}/cap.xml")
    # then
    assert latest.status_code == 200
    assert latest["Content-Type"] == "application/cap+xml; charset=utf-8"
    assert latest.content.decode() == messages[-1].cap_xml
    assert first.content.decode() == messages[0].cap_xml
    assert_valid_cap(latest.content)


def test_a_draft_has_no_cap_message(caller, world, draft_closure):
    # when
    response = caller("HU coordinator").get(f"/api/v1/measures/{draft_closure.pk}/cap.xml")
    # then
    assert response.status_code == 404
