"""Acknowledgement by the addressees' coordinators, and escalation of silence with time moved on."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from seemix.core.models import AuditEntry
from seemix.measures import services
from seemix.measures.models import Escalation, Measure, Notification
from seemix.measures.tasks import EscalationSweeper
from seemix.measures.tasks import escalate_overdue as escalate_overdue_task
from seemix.outbox.models import Delivery
from tests.measures.conftest import NOW, closure_data, counts


def _notify(measure: Measure) -> Notification:
    return services.notify_measure(measure, actor=None, now=NOW)


def test_an_addressee_coordinator_acknowledges_with_a_question(caller, world, draft_closure):
    # given
    notification = _notify(draft_closure)
    serbia = caller("RS coordinator")
    # when
    response = serbia.post(
        f"/api/v1/measures/{draft_closure.pk}/acknowledge", {"comment": "Which crossing stays open?"}
    )
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["notification"], body["participant"], body["comment"]) == (
        notification.pk,
        "RS",
        "Which crossing stays open?",
    )
    states = {
        a["participant"]: a for a in serbia.get(f"/api/v1/measures/{draft_closure.pk}/addressees").json()
    }
    assert states["RS"]["state"] == "acknowledged"
    assert states["RS"]["acknowledgement"]["comment"] == "Which crossing stays open?"
    assert states["HR"]["state"] == "awaiting"
    assert AuditEntry.objects.filter(action="measure.acknowledged", participant_code="RS").count() == 1


def test_a_comment_is_shown_to_the_issuer_but_not_to_another_addressee(caller, world, draft_closure):
    # given
    _notify(draft_closure)
    caller("RS coordinator").post(
        f"/api/v1/measures/{draft_closure.pk}/acknowledge", {"comment": "A question"}
    )
    # when
    seen_by_issuer = caller("HU observer").get(f"/api/v1/measures/{draft_closure.pk}/addressees").json()
    seen_by_croatia = caller("HR observer").get(f"/api/v1/measures/{draft_closure.pk}/addressees").json()
    timeline = caller("HR observer").get(f"/api/v1/measures/{draft_closure.pk}/timeline").json()
    # then
    assert [a["acknowledgement"]["comment"] for a in seen_by_issuer if a["participant"] == "RS"] == [
        "A question"
    ]
    assert [a["acknowledgement"]["comment"] for a in seen_by_croatia if a["participant"] == "RS"] == [""]
    assert [e["details"]["comment"] for e in timeline if e["kind"] == "acknowledged"] == [""]


def test_acknowledging_twice_is_a_conflict(caller, world, draft_closure):
    # given
    _notify(draft_closure)
    serbia = caller("RS coordinator")
    serbia.post(f"/api/v1/measures/{draft_closure.pk}/acknowledge", {})
    before = counts()
    # when
    response = serbia.post(f"/api/v1/measures/{draft_closure.pk}/acknowledge", {})
    # then
    assert response.status_code == 409
    assert counts() == before


def test_an_overdue_addressee_is_escalated_once_to_its_24_7_point_and_the_secretariat(
    world, draft_closure, contact_points, principal
):
    # given
    notification = _notify(draft_closure)
    services.acknowledge_notification(
        notification, actor=principal("RS", "coordinator"), now=NOW + timedelta(hours=1)
    )
    # when: a minute before the 24-hour deadline, nothing; a minute after, every silent addressee
    early = services.escalate_overdue(now=NOW + timedelta(hours=23, minutes=59))
    made = services.escalate_overdue(now=NOW + timedelta(hours=24, minutes=1))
    again = services.escalate_overdue(now=NOW + timedelta(hours=48))
    # then
    assert early == []
    assert sorted(e.recipient.participant.code for e in made) == [
        "AT",
        "BG",
        "DE",
        "GR",
        "HR",
        "MK",
        "RCC",
        "SI",
        "TR",
    ]
    assert again == []
    croatia = Escalation.objects.get(recipient__participant__code="HR")
    assert croatia.contacted == ["duty@hr.example", "duty@rcc.example"]
    escalated_to = Delivery.objects.filter(event="measure.escalated", subject_id=str(croatia.recipient_id))
    assert sorted(d.participant.code for d in escalated_to.filter(channel="inbox")) == ["HR", "RCC"]
    assert AuditEntry.objects.filter(action="measure.escalated").count() == 9


def test_the_immediate_path_escalates_after_two_hours(world, principal):
    # given
    measure = services.create_measure(
        actor=None,
        issuer=world["HU"],
        data=closure_data(path="immediate", planned_start=NOW, immediate_justification="Mass influx"),
    )
    _notify(measure)
    # when
    made = services.escalate_overdue(now=NOW + timedelta(hours=2, seconds=1))
    # then
    assert "RS" in {e.recipient.participant.code for e in made}


def test_an_update_restarts_the_clock_and_only_the_latest_message_escalates(world, draft_closure):
    # given
    _notify(draft_closure)
    services.update_measure(
        draft_closure,
        actor=None,
        data=closure_data(title="Closure of the border with Serbia, from 15 September"),
        now=NOW + timedelta(hours=20),
    )
    # when
    at_first_deadline = services.escalate_overdue(now=NOW + timedelta(hours=25))
    at_second_deadline = services.escalate_overdue(now=NOW + timedelta(hours=44, minutes=1))
    # then
    assert at_first_deadline == []
    assert {e.recipient.notification.sequence for e in at_second_deadline} == {2}


def test_a_cancelled_measure_is_not_escalated(world, draft_closure):
    # given
    _notify(draft_closure)
    services.cancel_measure(draft_closure, actor=None, now=NOW + timedelta(hours=1))
    # when / then
    assert services.escalate_overdue(now=NOW + timedelta(days=3)) == []


def test_the_task_and_the_command_escalate_with_the_clock_moved_on(world, draft_closure):
    # given
    _notify(draft_closure)
    later = NOW + timedelta(days=2)
    out = StringIO()
    # when
    with mock.patch.object(timezone, "now", return_value=later):
        call_command("escalate", stdout=out)
        result = escalate_overdue_task.call()
    # then
    assert "10 escalation(s)." in out.getvalue()
    assert "Escalated: HR has not acknowledged" in out.getvalue()
    assert result == []
    assert Escalation.objects.count() == 10


def test_the_escalation_is_shown_on_the_measure(caller, world, draft_closure):
    # given
    _notify(draft_closure)
    services.escalate_overdue(now=NOW + timedelta(days=2))
    # when
    addressees = caller("HU coordinator").get(f"/api/v1/measures/{draft_closure.pk}/addressees").json()
    timeline = caller("HU coordinator").get(f"/api/v1/measures/{draft_closure.pk}/timeline").json()
    # then
    assert {a["state"] for a in addressees} == {"escalated"}
    assert sum(1 for e in timeline if e["kind"] == "escalated") == 10


@pytest.mark.parametrize("who", ["HR coordinator", "RS coordinator"])
def test_the_inbox_lists_what_awaits_acknowledgement(caller, world, draft_closure, who):
    # given
    _notify(draft_closure)
    client = caller(who)
    # when
    pending = client.get("/api/v1/inbox", {"pending": "true"}).json()["items"]
    client.post(f"/api/v1/measures/{draft_closure.pk}/acknowledge", {})
    after = client.get("/api/v1/inbox", {"pending": "true"}).json()["items"]
    everything = client.get("/api/v1/inbox").json()["items"]
    # then
    assert [(i["issuer"], i["participant"], i["msg_type"]) for i in pending] == [("HU", who[:2], "Alert")]
    assert after == []
    assert everything[0]["acknowledged_at"] is not None


def test_the_workers_sweep_escalates_what_is_overdue_and_nothing_else(world):
    # given: an immediate measure notified three days ago, and one notified just now
    old = services.create_measure(
        actor=None,
        issuer=world["HU"],
        data=closure_data(
            path="immediate", planned_start=NOW - timedelta(days=3), immediate_justification="Mass influx"
        ),
    )
    services.notify_measure(old, actor=None, now=NOW - timedelta(days=3))
    fresh = services.create_measure(actor=None, issuer=world["HU"], data=closure_data(title="Fresh"))
    services.notify_measure(fresh, actor=None)
    sweeper = EscalationSweeper(interval=60)
    # when (the tests' task backend runs an enqueued task at once)
    first = sweeper.sweep()
    second = sweeper.sweep()
    # then
    assert (first, second) == (True, False)
    assert {e.recipient.notification.measure_id for e in Escalation.objects.all()} == {old.pk}


def test_the_issuer_hears_of_each_acknowledgement_and_by_email_of_a_question(
    caller, world, draft_closure, contact_points
):
    # given
    _notify(draft_closure)
    # when
    caller("RS coordinator").post(
        f"/api/v1/measures/{draft_closure.pk}/acknowledge", {"comment": "Which crossing?"}
    )
    caller("HR coordinator").post(f"/api/v1/measures/{draft_closure.pk}/acknowledge", {})
    # then
    told = Delivery.objects.filter(event="measure.acknowledged")
    assert {d.participant.code for d in told} == {"HU"}
    assert sorted(d.channel for d in told) == ["email", "inbox", "inbox"]
    assert "Which crossing?" in told.get(channel="email").body


def test_the_escalation_email_goes_to_the_24_7_contact_point_not_the_office_desk(
    world, draft_closure, contact_points
):
    # given: Croatia has an office-hours measures desk and a 24/7 duty officer
    from seemix.outbox.sending import email_recipients

    _notify(draft_closure)
    # when
    services.escalate_overdue(now=NOW + timedelta(hours=24, minutes=1))
    # then
    escalation = Delivery.objects.get(event="measure.escalated", channel="email", participant__code="HR")
    notification = Delivery.objects.filter(event="measure.notified", channel="email", participant__code="HR")
    assert escalation.round_the_clock is True
    assert email_recipients(escalation) == ["duty@hr.example"]
    assert [email_recipients(d) for d in notification] == [["measures@hr.example"]]
