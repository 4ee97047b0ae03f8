"""Participants through /api/v1/participants: read by members, written by platform administrators."""

from __future__ import annotations

import pytest

from seemix.core.models import AuditEntry
from seemix.directory.models import Participant, ParticipantKind
from tests.directory.conftest import snapshot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("nobody", 403),
        ("RS reporter", 200),
        ("RCC analyst", 200),
        ("admin", 200),
    ],
)
def test_list_participants_access(who, status, caller, participants):
    # given
    client = caller(who)
    # when
    response = client.get("/api/v1/participants")
    # then
    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["count"] == 7
        assert [p["code"] for p in body["items"]] == ["AT", "HR", "GR", "MK", "RCC", "RS", "SI"]
        assert body["items"][0] == {
            "code": "AT",
            "name": "Austria",
            "kind": "eu_member_state",
            "is_active": True,
        }


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("nobody", 403), ("GR observer", 200), ("admin", 200)],
)
def test_get_participant_access(who, status, caller, participants):
    # given
    client = caller(who)
    # when
    response = client.get("/api/v1/participants/RS")
    # then
    assert response.status_code == status
    if status == 200:
        assert response.json() == {"code": "RS", "name": "Serbia", "kind": "seecp", "is_active": True}


def test_unknown_participant_is_404(caller, participants):
    # given
    client = caller("GR observer")
    # when
    response = client.get("/api/v1/participants/SRB")
    # then
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_deactivated_participant_is_hidden_from_members_but_not_from_administrators(caller, participants):
    # given
    Participant.objects.filter(code="SI").update(is_active=False)
    member, admin = caller("GR observer"), caller("admin")
    # when
    member_get, admin_get = member.get("/api/v1/participants/SI"), admin.get("/api/v1/participants/SI")
    member_list = member.get("/api/v1/participants")
    # then
    assert member_get.status_code == 404
    assert admin_get.status_code == 200
    assert admin_get.json()["is_active"] is False
    assert "SI" not in [p["code"] for p in member_list.json()["items"]]


NEW_PARTICIPANT = {"code": "BA", "name": "Bosnia and Herzegovina", "kind": "seecp"}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("nobody", 403),
        ("RS coordinator", 403),
        ("RCC analyst", 403),
        ("admin", 201),
        ("admin session", 201),
    ],
)
def test_create_participant_access(who, status, caller, participants):
    # given
    client = caller(who)
    before = snapshot()
    # when
    response = client.post("/api/v1/participants", NEW_PARTICIPANT)
    # then
    assert response.status_code == status
    if status == 201:
        assert response.json() == {**NEW_PARTICIPANT, "is_active": True}
        entry = AuditEntry.objects.get(action="participant.created")
        assert entry.participant_code == "BA"
        assert entry.actor.username == "platform-admin"
        assert entry.changes == NEW_PARTICIPANT
    else:
        assert snapshot() == before
        assert not Participant.objects.filter(code="BA").exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("nobody", 403), ("RS coordinator", 403), ("GR coordinator", 403), ("admin", 200)],
)
def test_update_participant_access(who, status, caller, participants):
    # given
    client = caller(who)
    before = snapshot()
    # when
    response = client.patch("/api/v1/participants/RS", {"name": "Republic of Serbia"})
    # then
    assert response.status_code == status
    participant = Participant.objects.get(code="RS")
    if status == 200:
        assert response.json()["name"] == "Republic of Serbia"
        assert participant.name == "Republic of Serbia"
        entry = AuditEntry.objects.get(action="participant.updated")
        assert entry.changes == {"name": ["Serbia", "Republic of Serbia"]}
    else:
        assert participant.name == "Serbia"
        assert snapshot() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("nobody", 403), ("RS coordinator", 403), ("admin", 204)],
)
def test_deactivate_participant_access(who, status, caller, participants):
    # given
    client = caller(who)
    before = snapshot()
    # when
    response = client.delete("/api/v1/participants/SI")
    # then
    assert response.status_code == status
    if status == 204:
        assert Participant.objects.get(code="SI").is_active is False
        assert AuditEntry.objects.filter(action="participant.deactivated", participant_code="SI").count() == 1
    else:
        assert snapshot() == before


def test_deactivating_a_participant_disarms_its_members_tokens(caller, participants):
    # given
    slovenian = caller("SI reporter")
    assert slovenian.get("/api/v1/participants").status_code == 200
    # when
    response = caller("admin").delete("/api/v1/participants/SI")
    # then
    assert response.status_code == 204
    assert slovenian.get("/api/v1/participants").status_code == 401


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        (
            {"code": "rs", "name": "Serbia", "kind": "seecp"},
            "code",
            "'rs' is not an ISO 3166-1 alpha-2 country code (e.g. RS; XK for Kosovo).",
        ),
        (
            {"code": "QQ", "name": "Nowhere", "kind": "third_country"},
            "code",
            "'QQ' is not an ISO 3166-1 alpha-2 country code (e.g. RS; XK for Kosovo).",
        ),
        (
            {"code": "SRB", "name": "Serbia", "kind": "seecp"},
            "code",
            "'SRB' is not an ISO 3166-1 alpha-2 country code (e.g. RS; XK for Kosovo).",
        ),
        (
            {"code": "EU", "name": "An agency", "kind": "eu_agency"},
            "code",
            "'EU' is not a valid organisation code: 3 to 16 capital letters or digits, starting with a "
            "letter, e.g. FRONTEX, IOM, RCC.",
        ),
        (
            {"code": "Frontex", "name": "Frontex", "kind": "eu_agency"},
            "code",
            "'Frontex' is not a valid organisation code: 3 to 16 capital letters or digits, starting with a "
            "letter, e.g. FRONTEX, IOM, RCC.",
        ),
        (
            {"code": "RS", "name": "Serbia", "kind": "seecp"},
            "code",
            "A participant with the code 'RS' exists already.",
        ),
        ({"code": "AL", "name": "  ", "kind": "seecp"}, "name", "Give the name."),
    ],
)
def test_create_participant_rejects_bad_input_and_writes_nothing(
    payload, field, message, caller, participants
):
    # given
    client = caller("admin")
    before = snapshot()
    # when
    response = client.post("/api/v1/participants", payload)
    # then
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == [(field, message)]
    assert snapshot() == before


def test_create_participant_rejects_an_unknown_kind_naming_the_field(caller, participants):
    # given
    client = caller("admin")
    before = snapshot()
    # when
    response = client.post("/api/v1/participants", {"code": "AL", "name": "Albania", "kind": "country"})
    # then
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["kind"]
    assert snapshot() == before


def test_kosovo_is_a_state_with_code_xk(caller, participants):
    # given
    client = caller("admin")
    # when
    response = client.post("/api/v1/participants", {"code": "XK", "name": "Kosovo", "kind": "seecp"})
    # then
    assert response.status_code == 201
    assert Participant.objects.get(code="XK").kind == ParticipantKind.SEECP


def test_the_code_of_a_participant_cannot_be_changed(caller, participants):
    # given
    client = caller("admin")
    before = snapshot()
    # when
    response = client.patch("/api/v1/participants/RS", {"code": "SR"})
    # then
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["code"]
    assert snapshot() == before


def test_changing_kind_rechecks_the_code(caller, participants):
    # given: RCC is an organisation code, not a country code
    client = caller("admin")
    before = snapshot()
    # when
    response = client.patch("/api/v1/participants/RCC", {"kind": "seecp"})
    # then
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "kind"
    assert snapshot() == before


def test_an_update_that_changes_nothing_writes_no_audit_row(caller, participants):
    # given
    client = caller("admin")
    before = snapshot()
    # when
    response = client.patch("/api/v1/participants/RS", {"name": "Serbia"})
    # then
    assert response.status_code == 200
    assert snapshot() == before
