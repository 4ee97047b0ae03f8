"""Contact points: read by members as their classification allows; kept by administrators and the
owner's coordinators. Not visible -> 404 (like a missing one); visible but not allowed -> 403."""

from __future__ import annotations

import pytest

from seemix.core.models import AuditEntry
from seemix.directory.models import ContactPoint
from tests.directory.conftest import snapshot

pytestmark = pytest.mark.django_db


def codes_and_names(response):
    return [(p["participant"], p["name"]) for p in response.json()["items"]]


# --- Reading ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "visible"),
    [
        ("anonymous", 401, None),
        ("nobody", 403, None),
        ("GR reporter", 200, ["RS regional flows desk"]),
        ("HR observer", 200, ["RS regional flows desk", "RS restricted readmission desk"]),
        ("RS reporter", 200, ["RS regional flows desk", "RS restricted readmission desk"]),
        # Administration is no exemption from need-to-know: RESTRICTED only for its audience.
        ("admin", 200, ["RS regional flows desk"]),
    ],
)
def test_list_contact_points_access(who, status, visible, caller, rs_regional, rs_restricted_for_hr):
    # given
    client = caller(who)
    # when
    response = client.get("/api/v1/contact-points")
    # then
    assert response.status_code == status
    if visible is not None:
        assert sorted(p["name"] for p in response.json()["items"]) == visible
        assert response.json()["count"] == len(visible)


@pytest.mark.parametrize(
    ("who", "status", "visible"),
    [
        ("anonymous", 401, None),
        ("nobody", 403, None),
        ("GR coordinator", 200, ["RS regional flows desk"]),
        ("HR reporter", 200, ["RS regional flows desk", "RS restricted readmission desk"]),
    ],
)
def test_list_contact_points_of_a_participant_access(
    who, status, visible, caller, rs_regional, rs_restricted_for_hr
):
    # given
    client = caller(who)
    # when
    response = client.get("/api/v1/participants/RS/contact-points")
    # then
    assert response.status_code == status
    if visible is not None:
        assert sorted(p["name"] for p in response.json()["items"]) == visible


def test_contact_point_representation(caller, rs_restricted_for_hr):
    # given
    client = caller("HR reporter")
    # when
    response = client.get(f"/api/v1/contact-points/{rs_restricted_for_hr.pk}")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": rs_restricted_for_hr.pk,
        "participant": "RS",
        "topic": "readmission",
        "name": "RS restricted readmission desk",
        "email": "rs-readmission@example.org",
        "phone": "",
        "available_24_7": False,
        "languages": [],
        "notes": "",
        "classification": "restricted",
        "audience": ["HR"],
        "is_active": True,
        "updated_at": body["updated_at"],
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("nobody", 403),
        ("GR coordinator", 404),
        ("admin", 404),
        ("HR reporter", 200),
        ("RS observer", 200),
    ],
)
def test_get_restricted_contact_point_access(who, status, caller, rs_restricted_for_hr):
    # given
    client = caller(who)
    # when
    response = client.get(f"/api/v1/contact-points/{rs_restricted_for_hr.pk}")
    # then
    assert response.status_code == status


def test_a_restricted_contact_point_answers_exactly_like_a_missing_one(caller, rs_restricted_for_hr):
    # given
    client = caller("GR coordinator")
    missing = ContactPoint.objects.order_by("-pk").first().pk + 1000
    # when
    hidden = client.get(f"/api/v1/contact-points/{rs_restricted_for_hr.pk}")
    absent = client.get(f"/api/v1/contact-points/{missing}")
    # then
    assert hidden.status_code == absent.status_code == 404
    assert hidden.json()["title"] == absent.json()["title"] == "Not found"
    assert hidden.json()["detail"] == f"No contact point {rs_restricted_for_hr.pk} is visible to you."
    assert absent.json()["detail"] == f"No contact point {missing} is visible to you."


def test_filters_participant_topic_and_24_7(caller, make_contact_point, rs_regional):
    # given
    make_contact_point("GR", topic="flows", available_24_7=True)
    make_contact_point("GR", topic="measures")
    client = caller("MK analyst")
    # when
    greek = client.get("/api/v1/contact-points", {"participant": "GR"})
    flows_24_7 = client.get("/api/v1/contact-points", {"topic": "flows", "available_24_7": "true"})
    greek_measures = client.get("/api/v1/contact-points", {"participant": "GR", "topic": "measures"})
    # then
    assert codes_and_names(greek) == [("GR", "GR regional flows desk"), ("GR", "GR regional measures desk")]
    assert codes_and_names(flows_24_7) == [("GR", "GR regional flows desk"), ("RS", "RS regional flows desk")]
    assert codes_and_names(greek_measures) == [("GR", "GR regional measures desk")]


def test_filter_by_an_unknown_participant_suggests_the_code(caller, rs_regional):
    # given
    client = caller("MK analyst")
    # when
    response = client.get("/api/v1/contact-points", {"participant": "Serbia"})
    # then
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "participant",
            "message": "No participant has the code 'Serbia'. Did you mean 'RS'?",
            "code": "unknown",
        }
    ]


def test_deactivated_contact_points_are_listed_to_nobody_but_readable_by_their_keepers(
    caller, make_contact_point
):
    # given
    point = make_contact_point("RS", is_active=False)
    coordinator, other = caller("RS coordinator"), caller("GR coordinator")
    # when
    listed = coordinator.get("/api/v1/contact-points")
    by_keeper = coordinator.get(f"/api/v1/contact-points/{point.pk}")
    by_other = other.get(f"/api/v1/contact-points/{point.pk}")
    # then
    assert listed.json()["count"] == 0
    assert by_keeper.status_code == 200
    assert by_keeper.json()["is_active"] is False
    assert by_other.status_code == 404


# --- Writing ---------------------------------------------------------------------------------------

NEW_POINT = {
    "participant": "RS",
    "topic": "measures",
    "name": "Ministry of Interior, border police directorate (duty officer)",
    "email": "duty@example.org",
    "phone": "+381 11 000 0000",
    "available_24_7": True,
    "languages": ["sr", "EN"],
}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("nobody", 403),
        ("GR coordinator", 403),
        ("RS reporter", 403),
        ("RS analyst", 403),
        ("RS coordinator", 201),
        ("RS coordinator session", 201),
        ("admin", 201),
    ],
)
def test_create_contact_point_access(who, status, caller, participants):
    # given
    client = caller(who)
    before = snapshot()
    # when
    response = client.post("/api/v1/contact-points", NEW_POINT)
    # then
    assert response.status_code == status
    if status == 201:
        body = response.json()
        assert body["languages"] == ["sr", "en"]
        assert body["classification"] == "regional"
        point = ContactPoint.objects.get(pk=body["id"])
        assert (point.participant.code, point.email, point.phone) == (
            "RS",
            "duty@example.org",
            "+381 11 000 0000",
        )
        entry = AuditEntry.objects.get(action="contact_point.created")
        assert (entry.participant_code, entry.object_id) == ("RS", str(point.pk))
    else:
        assert snapshot() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("nobody", 403),
        ("GR coordinator", 403),
        ("RS reporter", 403),
        ("RS coordinator", 200),
        ("admin", 200),
    ],
)
def test_update_regional_contact_point_access(who, status, caller, rs_regional):
    # given
    client = caller(who)
    before = snapshot()
    # when
    response = client.patch(f"/api/v1/contact-points/{rs_regional.pk}", {"phone": "+381 11 222 3333"})
    # then
    assert response.status_code == status
    rs_regional.refresh_from_db()
    if status == 200:
        assert rs_regional.phone == "+381 11 222 3333"
        assert AuditEntry.objects.get(action="contact_point.updated").changes == {
            "phone": ["", "+381 11 222 3333"]
        }
    else:
        assert rs_regional.phone == ""
        assert snapshot() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("GR coordinator", 404),  # may not even know it exists
        ("HR coordinator", 403),  # in the audience: sees it, but keeps only Croatia's
        ("admin", 404),
        ("RS coordinator", 200),
    ],
)
def test_update_restricted_contact_point_access(who, status, caller, rs_restricted_for_hr):
    # given
    client = caller(who)
    before = snapshot()
    # when
    response = client.patch(f"/api/v1/contact-points/{rs_restricted_for_hr.pk}", {"name": "Readmission unit"})
    # then
    assert response.status_code == status
    rs_restricted_for_hr.refresh_from_db()
    if status == 200:
        assert rs_restricted_for_hr.name == "Readmission unit"
    else:
        assert rs_restricted_for_hr.name == "RS restricted readmission desk"
        assert snapshot() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("nobody", 403),
        ("GR coordinator", 403),
        ("RS observer", 403),
        ("RS coordinator", 204),
        ("admin", 204),
    ],
)
def test_deactivate_contact_point_access(who, status, caller, rs_regional):
    # given
    client = caller(who)
    before = snapshot()
    # when
    response = client.delete(f"/api/v1/contact-points/{rs_regional.pk}")
    # then
    assert response.status_code == status
    rs_regional.refresh_from_db()
    if status == 204:
        assert rs_regional.is_active is False
        assert AuditEntry.objects.filter(action="contact_point.deactivated").count() == 1
    else:
        assert rs_regional.is_active is True
        assert snapshot() == before


def test_deactivated_contact_point_can_be_restored_by_its_coordinator(caller, rs_regional):
    # given
    client = caller("RS coordinator")
    client.delete(f"/api/v1/contact-points/{rs_regional.pk}")
    # when
    response = client.patch(f"/api/v1/contact-points/{rs_regional.pk}", {"is_active": True})
    # then
    assert response.status_code == 200
    rs_regional.refresh_from_db()
    assert rs_regional.is_active is True


def test_restricting_and_lifting_the_restriction(caller, rs_regional):
    # given
    client = caller("RS coordinator")
    # when
    restricted = client.patch(
        f"/api/v1/contact-points/{rs_regional.pk}", {"classification": "restricted", "audience": ["HR", "SI"]}
    )
    seen_by_greece = caller("GR reporter").get(f"/api/v1/contact-points/{rs_regional.pk}")
    lifted = client.patch(f"/api/v1/contact-points/{rs_regional.pk}", {"classification": "regional"})
    # then
    assert restricted.status_code == 200
    assert restricted.json()["audience"] == ["HR", "SI"]
    assert seen_by_greece.status_code == 404
    assert lifted.status_code == 200
    assert lifted.json()["audience"] == []
    assert list(rs_regional.audience.all()) == []


# --- Bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"email": "", "phone": ""},
            [("email", "Give an email address or a phone number: a contact point must be reachable.")],
        ),
        ({"email": "not-an-address"}, [("email", "'not-an-address' is not a valid email address.")]),
        (
            {"phone": "011 123 456"},
            [
                (
                    "phone",
                    "'011 123 456' is not a phone number in international format, e.g. +381 11 123 4567.",
                )
            ],
        ),
        (
            {"languages": ["sr", "srp", "xx"]},
            [
                ("languages", "'srp' is not an ISO 639-1 language code (two letters, e.g. 'sr', 'en')."),
                ("languages", "'xx' is not an ISO 639-1 language code (two letters, e.g. 'sr', 'en')."),
            ],
        ),
        (
            {"classification": "restricted"},
            [("audience", "A RESTRICTED contact point needs the participants that may see it.")],
        ),
        (
            {"classification": "restricted", "audience": ["HR", "CRO"]},
            [("audience", "No participant has the code 'CRO'. Did you mean 'HR'?")],
        ),
        (
            {"audience": ["HR"]},
            [("audience", "Only a RESTRICTED contact point has an audience; leave it empty.")],
        ),
        ({"name": ""}, [("name", "Give the name of the office or person.")]),
    ],
)
def test_create_contact_point_rejects_bad_input_and_writes_nothing(change, errors, caller, participants):
    # given
    client = caller("RS coordinator")
    before = snapshot()
    # when
    response = client.post("/api/v1/contact-points", {**NEW_POINT, **change})
    # then
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == errors
    assert snapshot() == before


def test_create_contact_point_for_an_unknown_participant(caller, participants):
    # given
    client = caller("admin")
    before = snapshot()
    # when
    response = client.post("/api/v1/contact-points", {**NEW_POINT, "participant": "SRB"})
    # then
    assert response.status_code == 422
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == [
        ("participant", "No participant has the code 'SRB'. Did you mean 'RS'?")
    ]
    assert snapshot() == before


def test_create_contact_point_rejects_an_unknown_topic_and_unknown_fields(caller, participants):
    # given
    client = caller("RS coordinator")
    before = snapshot()
    # when
    bad_topic = client.post("/api/v1/contact-points", {**NEW_POINT, "topic": "weather"})
    extra = client.post("/api/v1/contact-points", {**NEW_POINT, "fax": "+381 11 000 0001"})
    # then
    assert bad_topic.status_code == extra.status_code == 422
    assert [e["field"] for e in bad_topic.json()["errors"]] == ["topic"]
    assert [e["field"] for e in extra.json()["errors"]] == ["fax"]
    assert snapshot() == before


def test_update_that_leaves_a_contact_point_unreachable_is_refused(caller, rs_regional):
    # given: it has an email and no phone
    client = caller("RS coordinator")
    before = snapshot()
    # when
    response = client.patch(f"/api/v1/contact-points/{rs_regional.pk}", {"email": ""})
    # then
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["email"]
    rs_regional.refresh_from_db()
    assert rs_regional.email == "rs-flows@example.org"
    assert snapshot() == before
