"""A measure's lifecycle through the API: draft -> notified -> in force -> lifted, or cancelled;
updates notified again with the history kept; invalid transitions 409; bad input 422."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from seemix.core.models import AuditEntry
from seemix.measures import services
from seemix.measures.inputs import MeasureData
from seemix.measures.models import Measure, MeasureStatus, Notification, Recipient, StatusChange
from seemix.outbox.models import Delivery
from seemix.outbox.services import create_webhook_endpoint
from tests.measures.conftest import NOW, counts

START = NOW + timedelta(days=10)


def _create(client: Any, **overrides: Any) -> Any:
    body = {
        "type": "closure",
        "title": "Closure of the border with Serbia",
        "description": "The green border with Serbia is closed.",
        "planned_start": START.isoformat(),
        "border_sections": ["RS-HU"],
        "original_language": "hu",
        "original_title": "A szerb határ lezárása",
        **overrides,
    }
    return client.post("/api/v1/measures", body)


def test_a_coordinator_drafts_and_notifies_a_measure(caller, world):
    # given
    hungary = caller("HU coordinator")
    created = _create(hungary)
    assert created.status_code == 201, created.content
    measure_id = created.json()["id"]
    # when
    response = hungary.post(f"/api/v1/measures/{measure_id}/notify")
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["msg_type"] == "Alert"
    assert body["sequence"] == 1
    assert body["requires_acknowledgement"] is True
    assert body["recipients"] == ["AT", "BG", "DE", "GR", "HR", "MK", "RCC", "RS", "SI", "TR"]
    measure = hungary.get(f"/api/v1/measures/{measure_id}").json()
    assert measure["status"] == "notified"
    assert measure["border_sections"] == ["HU-RS"]
    lead = datetime.fromisoformat(measure["planned_start"]) - datetime.fromisoformat(
        measure["first_notified_at"]
    )
    assert measure["lead_time_hours"] == round(lead.total_seconds() / 3600, 1)
    assert lead > timedelta(days=9)
    assert measure["meets_advance_notice"] is True
    assert measure["cap_url"] == f"/api/v1/measures/{measure_id}/cap.xml"
    recipients = Recipient.objects.filter(notification_id=body["id"])
    assert {r.acknowledge_by - r.notification.sent_at for r in recipients} == {timedelta(hours=24)}
    assert AuditEntry.objects.filter(action="measure.notified", object_id=str(measure_id)).count() == 1


def test_the_immediate_path_needs_its_justification_and_has_a_two_hour_deadline(caller, world):
    # given
    hungary = caller("HU coordinator")
    before = counts()
    # when
    refused = _create(hungary, path="immediate", planned_start=NOW.isoformat())
    # then
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["immediate_justification"]
    assert counts() == before
    # when
    created = _create(
        hungary, path="immediate", planned_start=NOW.isoformat(), immediate_justification="Mass influx"
    )
    notified = hungary.post(f"/api/v1/measures/{created.json()['id']}/notify")
    # then
    assert notified.status_code == 201
    recipient = Recipient.objects.filter(notification_id=notified.json()["id"]).first()
    assert recipient.acknowledge_by - recipient.notification.sent_at == timedelta(hours=2)


def test_a_planned_measure_that_has_started_is_refused(caller, world):
    # given
    hungary = caller("HU coordinator")
    measure_id = _create(hungary, planned_start=(NOW - timedelta(hours=1)).isoformat()).json()["id"]
    before = counts()
    # when
    response = hungary.post(f"/api/v1/measures/{measure_id}/notify")
    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path"
    assert counts() == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("type", "wall", "Choose one of"),
        ("border_sections", ["HU-XX"], "Unknown border sections: HU-XX."),
        ("crossing_points", ["HU-NOWHERE"], "Unknown crossing points: HU-NOWHERE."),
        ("nationalities", ["SY", "ZZ"], "Not ISO 3166-1 alpha-2 codes: ZZ."),
        ("planned_end", (NOW - timedelta(days=1)).isoformat(), "The end is before the start."),
        ("original_language", "Hungarian", "Use an ISO 639-1 code"),
        ("classification", "secret", "Choose public, regional or restricted."),
    ],
    # Named by field: a value made from the clock would name the test differently in each xdist worker.
    ids=[
        "type",
        "border_sections",
        "crossing_points",
        "nationalities",
        "planned_end",
        "original_language",
        "classification",
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(caller, world, field, value, message):
    # given
    hungary = caller("HU coordinator")
    before = counts()
    # when
    response = _create(hungary, **{field: value})
    # then
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert errors[0]["message"].startswith(message)
    assert counts() == before


def test_an_unknown_field_is_refused(caller, world):
    # when
    response = _create(caller("HU coordinator"), colour="red")
    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "colour"


def test_an_update_is_notified_again_and_keeps_the_history(caller, world, draft_closure):
    # given
    hungary = caller("HU coordinator")
    first = hungary.post(f"/api/v1/measures/{draft_closure.pk}/notify").json()
    # when
    response = hungary.patch(
        f"/api/v1/measures/{draft_closure.pk}/update",
        {
            "border_sections": ["HU-RS", "HR-HU"],
            "title": "Closure of the borders with Serbia and Croatia",
            "note": "Croatian border added",
        },
    )
    # then
    assert response.status_code == 201, response.content
    update = response.json()
    assert (update["msg_type"], update["sequence"], update["note"]) == ("Update", 2, "Croatian border added")
    first_row, second_row = Notification.objects.filter(measure=draft_closure).order_by("sequence")
    assert first_row.identifier == first["identifier"]
    assert first_row.snapshot["title"] == "Closure of the border with Serbia"
    assert first_row.snapshot["border_sections"] == ["HU-RS"]
    assert second_row.snapshot["title"] == "Closure of the borders with Serbia and Croatia"
    assert second_row.snapshot["border_sections"] == ["HR-HU", "HU-RS"]
    assert set(update["recipients"]) == set(first["recipients"])
    # Croatia's acknowledgement of the first message does not count for the second.
    assert Recipient.objects.filter(notification=second_row, acknowledgement__isnull=True).count() == len(
        update["recipients"]
    )


def test_an_update_that_changes_nothing_is_refused(caller, world, draft_closure):
    # given
    hungary = caller("HU coordinator")
    hungary.post(f"/api/v1/measures/{draft_closure.pk}/notify")
    before = counts()
    # when
    response = hungary.patch(f"/api/v1/measures/{draft_closure.pk}/update", {"note": "nothing"})
    # then
    assert response.status_code == 422
    assert counts() == before


def test_in_force_then_lifted(caller, world, draft_closure):
    # given
    hungary = caller("HU coordinator")
    hungary.post(f"/api/v1/measures/{draft_closure.pk}/notify")
    # when
    in_force = hungary.post(f"/api/v1/measures/{draft_closure.pk}/in-force", {})
    lifted = hungary.post(f"/api/v1/measures/{draft_closure.pk}/lift", {"note": "Border reopened"})
    # then
    assert in_force.status_code == 200
    assert in_force.json()["status"] == "in_force"
    assert lifted.status_code == 201
    assert (lifted.json()["msg_type"], lifted.json()["kind"]) == ("Update", "lifted")
    assert lifted.json()["requires_acknowledgement"] is False
    measure = Measure.objects.get(pk=draft_closure.pk)
    assert measure.status == MeasureStatus.LIFTED
    assert [(c.old_status, c.new_status) for c in StatusChange.objects.filter(measure=measure)] == [
        ("draft", "notified"),
        ("notified", "in_force"),
        ("in_force", "lifted"),
    ]


def test_a_notified_measure_is_cancelled_with_a_cancel_message(caller, world, draft_closure):
    # given
    hungary = caller("HU coordinator")
    hungary.post(f"/api/v1/measures/{draft_closure.pk}/notify")
    # when
    response = hungary.post(f"/api/v1/measures/{draft_closure.pk}/cancel", {"note": "Not needed"})
    # then
    assert response.status_code == 201
    assert (response.json()["msg_type"], response.json()["sequence"]) == ("Cancel", 2)
    assert Measure.objects.get(pk=draft_closure.pk).status == MeasureStatus.CANCELLED


@pytest.mark.parametrize(
    ("setup", "method", "action", "body"),
    [
        ("draft", "patch", "update", {"title": "x"}),
        ("draft", "post", "cancel", {}),
        ("draft", "post", "in-force", {}),
        ("draft", "post", "lift", {}),
        ("notified", "post", "notify", None),
        ("notified", "patch", "", {"title": "x"}),
        ("notified", "delete", "", None),
        ("notified", "put", "addressees", {"addressees": ["RS"]}),
        ("notified", "post", "lift", {}),
        ("cancelled", "post", "in-force", {}),
        ("cancelled", "patch", "update", {"title": "x"}),
        ("cancelled", "post", "cancel", {}),
        ("in_force", "post", "cancel", {}),
        ("in_force", "post", "in-force", {}),
        ("lifted", "post", "lift", {}),
        ("lifted", "patch", "update", {"title": "x"}),
    ],
)
def test_an_invalid_transition_is_409_and_changes_nothing(
    caller, world, draft_closure, setup, method, action, body
):
    # given
    hungary = caller("HU coordinator")
    if setup != "draft":
        services.notify_measure(draft_closure, actor=None)
    if setup == "cancelled":
        services.cancel_measure(draft_closure, actor=None)
    if setup in ("in_force", "lifted"):
        services.bring_into_force(draft_closure, actor=None)
    if setup == "lifted":
        services.lift_measure(Measure.objects.get(pk=draft_closure.pk), actor=None)
    path = f"/api/v1/measures/{draft_closure.pk}" + (f"/{action}" if action else "")
    before = counts()
    # when
    response = hungary.delete(path) if method == "delete" else getattr(hungary, method)(path, body)
    # then
    assert response.status_code == 409, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert counts() == before


def test_every_recipient_gets_a_delivery_with_the_cap_message(
    caller, world, draft_closure, contact_points, principal
):
    # given
    hungary = caller("HU coordinator")
    create_webhook_endpoint(
        actor=principal("RS", "coordinator"), participant="RS", url="http://127.0.0.1:9/cap"
    )
    # when
    notification = hungary.post(f"/api/v1/measures/{draft_closure.pk}/notify").json()
    # then
    inbox = Delivery.objects.filter(
        subject_type="measures.notification", subject_id=str(notification["id"]), channel="inbox"
    )
    assert sorted(d.participant.code for d in inbox) == notification["recipients"]
    emails = Delivery.objects.filter(subject_id=str(notification["id"]), channel="email")
    assert sorted(d.participant.code for d in emails) == ["HR", "RCC", "RS"]
    webhook = Delivery.objects.get(subject_id=str(notification["id"]), channel="webhook")
    assert webhook.participant.code == "RS"
    assert webhook.payload == Notification.objects.get(pk=notification["id"]).cap_xml
    assert webhook.content_type == "application/cap+xml"


def test_list_filters(caller, world, draft_closure):
    # given
    services.notify_measure(draft_closure, actor=None)
    other = services.create_measure(
        actor=None,
        issuer=world["AT"],
        data=MeasureData(
            type="border_control",
            title="Controls at the Slovenian border",
            description="Controls.",
            planned_start=NOW + timedelta(days=30),
            border_sections=("AT-SI",),
        ),
    )
    services.notify_measure(other, actor=None)
    client = caller("RS observer")
    day = (START + timedelta(days=1)).date().isoformat()
    # when / then
    assert [m["issuer"] for m in client.get("/api/v1/measures").json()["items"]] == ["AT", "HU"]
    assert [m["issuer"] for m in client.get("/api/v1/measures", {"issuer": "hu"}).json()["items"]] == ["HU"]
    assert [
        m["issuer"] for m in client.get("/api/v1/measures", {"type": "border_control"}).json()["items"]
    ] == ["AT"]
    assert [m["issuer"] for m in client.get("/api/v1/measures", {"active_on": day}).json()["items"]] == ["HU"]
    assert client.get("/api/v1/measures", {"status": "draft"}).json()["items"] == []
