"""GET /me, and the memberships endpoints of platform administrators."""

from __future__ import annotations

import pytest

from seemix.core.models import AuditEntry
from seemix.directory.models import ApiToken, Membership
from tests.directory.conftest import SessionApiClient, snapshot

pytestmark = pytest.mark.django_db


# --- /me ---------------------------------------------------------------------------------------------


def test_me_anonymous_is_401(caller):
    # when
    response = caller("anonymous").get("/api/v1/me")
    # then
    assert response.status_code == 401


def test_me_without_membership_says_so(caller):
    # when
    response = caller("nobody").get("/api/v1/me")
    # then
    assert response.status_code == 200
    assert response.json() == {
        "username": "nobody-none",
        "email": "nobody-none@example.org",
        "full_name": "",
        "is_platform_admin": False,
        "memberships": [],
        "token": None,
        "contact_points": [],
    }


def test_me_with_a_token_shows_its_scope_and_own_contact_points(
    caller, rs_regional, rs_restricted_for_hr, make_contact_point
):
    # given
    make_contact_point("GR")
    client = caller("RS coordinator")
    # when
    response = client.get("/api/v1/me")
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "rs-coordinator"
    assert body["is_platform_admin"] is False
    assert body["memberships"] == [
        {
            "participant": {"code": "RS", "name": "Serbia", "kind": "seecp", "is_active": True},
            "role": "coordinator",
        }
    ]
    assert (body["token"]["participant"], body["token"]["role"], body["token"]["name"]) == (
        "RS",
        "coordinator",
        "test",
    )
    assert sorted(p["name"] for p in body["contact_points"]) == [
        "RS regional flows desk",
        "RS restricted readmission desk",
    ]


def test_me_with_a_session_shows_every_membership(make_user, participants):
    # given
    user = make_user("RS", "coordinator")
    Membership.objects.create(user=user, participant=participants["GR"], role="analyst")
    # when
    response = SessionApiClient(user).get("/api/v1/me")
    # then
    body = response.json()
    assert [(m["participant"]["code"], m["role"]) for m in body["memberships"]] == [
        ("GR", "analyst"),
        ("RS", "coordinator"),
    ]
    assert body["token"] is None


def test_me_of_an_administrator(caller):
    # when
    response = caller("admin session").get("/api/v1/me")
    # then
    assert response.json()["is_platform_admin"] is True
    assert response.json()["memberships"] == []


# --- Memberships ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("nobody", 403), ("RS coordinator", 403), ("admin", 200), ("admin session", 200)],
)
def test_list_memberships_access(who, status, caller, make_user):
    # given
    make_user("GR", "reporter")
    client = caller(who)
    # when
    response = client.get("/api/v1/memberships", {"user": "gr-reporter"})
    # then
    assert response.status_code == status
    if status == 200:
        items = response.json()["items"]
        assert [(m["user"], m["participant"], m["role"]) for m in items] == [
            ("gr-reporter", "GR", "reporter")
        ]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("nobody", 403), ("RS coordinator", 403), ("GR coordinator", 403), ("admin", 201)],
)
def test_grant_membership_access(who, status, caller, make_user):
    # given
    make_user(username="newcomer")
    client = caller(who)
    before = snapshot()
    # when
    response = client.post(
        "/api/v1/memberships", {"user": "newcomer", "participant": "RS", "role": "reporter"}
    )
    # then
    assert response.status_code == status
    if status == 201:
        assert (response.json()["user"], response.json()["participant"]) == ("newcomer", "RS")
        entry = AuditEntry.objects.get(action="membership.granted")
        assert (entry.participant_code, entry.changes) == ("RS", {"user": "newcomer", "role": "reporter"})
    else:
        assert snapshot() == before
        assert not Membership.objects.filter(user__username="newcomer").exists()


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (
            {"user": "ghost", "participant": "RS", "role": "reporter"},
            [("user", "No user has the user name 'ghost'.")],
        ),
        (
            {"user": "gr-reporter", "participant": "GRE", "role": "reporter"},
            [("participant", "No participant has the code 'GRE'. Did you mean 'GR'?")],
        ),
        (
            {"user": "gr-reporter", "participant": "GR", "role": "reporter"},
            [("role", "gr-reporter is already reporter of GR.")],
        ),
    ],
)
def test_grant_membership_rejects_bad_input(payload, errors, caller, make_user):
    # given
    make_user("GR", "reporter")
    client = caller("admin")
    before = snapshot()
    # when
    response = client.post("/api/v1/memberships", payload)
    # then
    assert response.status_code == 422
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == errors
    assert snapshot() == before


def test_grant_membership_rejects_an_unknown_role(caller, make_user):
    # given
    make_user(username="newcomer")
    client = caller("admin")
    before = snapshot()
    # when
    response = client.post(
        "/api/v1/memberships", {"user": "newcomer", "participant": "RS", "role": "minister"}
    )
    # then
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["role"]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("nobody", 403), ("GR coordinator", 403), ("GR reporter", 403), ("admin", 204)],
)
def test_revoke_membership_access(who, status, caller, make_user, api):
    # given
    target = make_user("GR", "reporter", username="target")
    api(target)  # the target holds a token for the membership
    membership = Membership.objects.get(user=target)
    client = caller(who)
    before = snapshot()
    # when
    response = client.delete(f"/api/v1/memberships/{membership.pk}")
    # then
    assert response.status_code == status
    if status == 204:
        assert not Membership.objects.filter(pk=membership.pk).exists()
        assert ApiToken.objects.get(user=target).revoked_at is not None
        entry = AuditEntry.objects.get(action="membership.revoked")
        assert entry.changes == {"user": "target", "role": "reporter", "tokens_revoked": 1}
    else:
        assert Membership.objects.filter(pk=membership.pk).exists()
        assert snapshot() == before


def test_revoke_unknown_membership_is_404(caller):
    # when
    response = caller("admin").delete("/api/v1/memberships/999999")
    # then
    assert response.status_code == 404
