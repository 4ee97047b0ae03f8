"""The issue's "Done when", through the API: a coordinator of Hungary notifies a closure; Serbia's
and Croatia's coordinators see it and acknowledge it, and their webhook receivers got it as valid,
signed CAP; an addressee that does not answer is escalated."""

from __future__ import annotations

from datetime import timedelta

from lxml import etree

from seemix.measures import services
from seemix.outbox.sending import process_due
from seemix.outbox.services import create_webhook_endpoint
from seemix.outbox.signing import verify_signature
from tests.measures.conftest import NOW, assert_valid_cap
from tests.outbox.receivers import start_receiver

NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}


def test_hungary_notifies_serbia_and_croatia_acknowledge_the_silent_are_escalated(
    caller, world, contact_points, principal
):
    # given: Serbia's and Croatia's systems listen for webhooks
    receivers = {code: start_receiver() for code in ("RS", "HR")}
    secrets = {
        code: create_webhook_endpoint(
            actor=principal(code, "coordinator"), participant=code, url=receiver.url
        ).secret
        for code, receiver in receivers.items()
    }
    hungary, serbia, croatia = caller("HU coordinator"), caller("RS coordinator"), caller("HR coordinator")
    try:
        # when: Hungary drafts the closure, sees who will be told, and notifies it
        draft = hungary.post(
            "/api/v1/measures",
            {
                "type": "closure",
                "title": "Closure of the green border with Serbia",
                "description": "Crossing the border fence outside the transit zones is a criminal offence.",
                "original_language": "hu",
                "original_title": "A szerb-magyar zöldhatár lezárása",
                "legal_basis": "Act CXL of 2015",
                "planned_start": (NOW + timedelta(days=8)).isoformat(),
                "border_sections": ["HU-RS"],
                "crossing_points": ["HU-ROSZKE"],
                "expected_of_others": "Serbia: direct persons to the Röszke and Tompa transit zones.",
            },
        ).json()
        addressees = hungary.get(f"/api/v1/measures/{draft['id']}/addressees").json()
        notified = hungary.post(f"/api/v1/measures/{draft['id']}/notify")
        process_due()
        # then: Serbia and Croatia see it, in their inbox and as the measure itself
        assert {a["participant"] for a in addressees} >= {"RS", "HR", "RCC"}
        assert notified.status_code == 201
        for client, code in ((serbia, "RS"), (croatia, "HR")):
            inbox = client.get("/api/v1/inbox", {"pending": "true"}).json()["items"]
            assert [(i["measure"], i["participant"]) for i in inbox] == [(draft["id"], code)]
            assert client.get(f"/api/v1/measures/{draft['id']}").json()["status"] == "notified"
        # and their receivers got the CAP alert, signed, valid against the schema
        for code, receiver in receivers.items():
            (request,) = receiver.received
            assert request.event == "measure.notified"
            assert request.content_type.startswith("application/cap+xml")
            assert verify_signature(secrets[code], request.timestamp, request.body, request.signature)
            root = assert_valid_cap(request.body)
            assert root.findtext("cap:identifier", namespaces=NS) == notified.json()["identifier"]
            assert root.findtext("cap:msgType", namespaces=NS) == "Alert"

        # when: both acknowledge, and the clock passes the 24-hour deadline
        assert (
            serbia.post(f"/api/v1/measures/{draft['id']}/acknowledge", {"comment": "Received."}).status_code
            == 201
        )
        assert croatia.post(f"/api/v1/measures/{draft['id']}/acknowledge", {}).status_code == 201
        escalated = services.escalate_overdue(now=NOW + timedelta(days=2))
        # then: those who stayed silent are escalated, Serbia and Croatia are not
        codes = {e.recipient.participant.code for e in escalated}
        assert codes == {"AT", "BG", "DE", "GR", "MK", "RCC", "SI", "TR"}
        states = {
            a["participant"]: a["state"]
            for a in hungary.get(f"/api/v1/measures/{draft['id']}/addressees").json()
        }
        assert (states["RS"], states["HR"], states["AT"]) == ("acknowledged", "acknowledged", "escalated")
        kinds = [e["kind"] for e in hungary.get(f"/api/v1/measures/{draft['id']}/timeline").json()]
        assert kinds[:2] == ["drafted", "notified"]
        assert kinds.count("acknowledged") == 2
        assert kinds.count("escalated") == len(escalated)
    finally:
        for receiver in receivers.values():
            receiver.close()


def test_the_receiver_can_tell_a_forged_cap_delivery(world, draft_closure, principal):
    # given
    receiver = start_receiver()
    secret = create_webhook_endpoint(
        actor=principal("RS", "coordinator"), participant="RS", url=receiver.url
    ).secret
    try:
        services.notify_measure(draft_closure, actor=None)
        process_due()
        (request,) = receiver.received
        forged = request.body.replace(b"Closure", b"Opening")
        # then
        assert verify_signature(secret, request.timestamp, request.body, request.signature)
        assert not verify_signature(secret, request.timestamp, forged, request.signature)
        assert etree.fromstring(forged) is not None
    finally:
        receiver.close()
