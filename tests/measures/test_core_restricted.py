"""A RESTRICTED measure: another participant can neither read it nor learn that it exists, in the
API, the feeds, the compliance figures or the messages the platform sends."""

from __future__ import annotations

from datetime import timedelta

import pytest

from seemix.measures import services
from seemix.outbox.models import Delivery
from tests.measures.conftest import NOW, closure_data


@pytest.fixture
def secret_measure(world, contact_points):
    """Hungary's RESTRICTED closure told to Serbia only (not even the secretariat), and escalated."""
    measure = services.create_measure(
        actor=None, issuer=world["HU"], data=closure_data(classification="restricted")
    )
    services.set_addressees(measure, actor=None, codes=["RS"])
    services.notify_measure(measure, actor=None, now=NOW)
    services.escalate_overdue(now=NOW + timedelta(days=2))
    return measure


def _problem(response) -> dict:
    body = response.json()
    body.pop("instance")
    body.pop("request_id")
    body["detail"] = body["detail"].replace(str(response.request["PATH_INFO"].split("/")[4]), "ID")
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/measures/{id}",
        "/api/v1/measures/{id}/timeline",
        "/api/v1/measures/{id}/addressees",
        "/api/v1/measures/{id}/notifications",
        "/api/v1/measures/{id}/cap.xml",
    ],
)
def test_another_participant_gets_the_answer_of_a_missing_measure(caller, secret_measure, path):
    # given
    albania = caller("AL coordinator")
    # when
    existing = albania.get(path.format(id=secret_measure.pk))
    missing = albania.get(path.format(id=secret_measure.pk + 1000))
    # then
    assert existing.status_code == missing.status_code == 404
    assert _problem(existing) == _problem(missing)


def test_another_participant_finds_no_trace_in_lists_feeds_or_figures(caller, secret_measure):
    # given
    albania = caller("AL coordinator")
    notification = secret_measure.notifications.get()
    # when
    answers = [
        albania.get("/api/v1/measures").content,
        albania.get("/api/v1/measures", {"issuer": "HU"}).content,
        albania.get("/api/v1/inbox").content,
        albania.get("/api/v1/feeds/HU/alerts.atom").content,
        albania.get("/api/v1/feeds/AL/inbox.atom").content,
        albania.get("/api/v1/feeds/measures.ics").content,
        albania.get("/api/v1/feeds/HU/measures.ics").content,
        albania.get("/api/v1/compliance", {"start": "2000-01-01", "end": "2100-01-01"}).content,
    ]
    # then
    for content in answers:
        text = content.decode()
        assert "Closure" not in text
        assert notification.identifier not in text
    assert albania.get(f"/api/v1/notifications/{notification.pk}").status_code == 404
    assert albania.get(f"/api/v1/notifications/{notification.pk}/cap.xml").status_code == 404
    assert caller("anonymous").get("/api/v1/feeds/HU/alerts.atom").content.decode().count("<entry") == 0


def test_messages_go_to_its_addressee_only_even_when_escalated(secret_measure):
    # then
    told = set(Delivery.objects.values_list("participant__code", flat=True))
    assert told == {"RS"}
    assert set(Delivery.objects.values_list("event", flat=True)) == {"measure.notified", "measure.escalated"}
    escalation = secret_measure.notifications.get().recipients.get().escalation
    assert escalation.contacted == ["duty@rs.example"]


def test_the_addressee_and_the_issuer_read_it(caller, secret_measure):
    for who in ("RS observer", "HU observer"):
        client = caller(who)
        assert client.get(f"/api/v1/measures/{secret_measure.pk}").status_code == 200
        assert (
            "Closure of the border with Serbia" in client.get("/api/v1/feeds/HU/alerts.atom").content.decode()
        )
