"""API tokens: made by a signed-in user for one membership, shown once, stored hashed, scoped,
expiring, revocable; refused (401) the moment any of that no longer holds."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from seemix.core.models import AuditEntry
from seemix.directory.models import ApiToken, Membership
from seemix.directory.principals import principal_for_user
from seemix.directory.services import issue_token
from tests.conftest import ApiClient
from tests.directory.conftest import SessionApiClient, snapshot

pytestmark = pytest.mark.django_db


def token_for(user, code=None, role=None, name="second"):
    participant = (
        Membership.objects.get(user=user, participant__code=code, role=role).participant if code else None
    )
    return issue_token(actor=principal_for_user(user), name=name, participant=participant, role=role or "")


# --- Issuing -----------------------------------------------------------------------------------------


def test_a_signed_in_user_makes_a_token_and_sees_the_secret_once(make_user):
    # given
    user = make_user("RS", "reporter")
    session = SessionApiClient(user)
    # when
    made = session.post(
        "/api/v1/tokens", {"name": "border police system", "participant": "RS", "role": "reporter"}
    )
    listed = session.get("/api/v1/tokens")
    # then
    assert made.status_code == 201
    body = made.json()["token"]
    secret = made.json()["secret"]
    assert secret.startswith(f"smx_{body['prefix']}_")
    assert (body["participant"], body["role"], body["name"], body["is_usable"]) == (
        "RS",
        "reporter",
        "border police system",
        True,
    )
    assert listed.status_code == 200
    assert "secret" not in listed.json()["items"][0]
    assert ApiClient(secret).get("/api/v1/participants").status_code == 200
    entry = AuditEntry.objects.get(action="token.issued")
    assert (entry.participant_code, entry.actor.username) == ("RS", user.username)


def test_the_database_holds_only_the_hash_of_the_secret(make_user):
    # given
    user = make_user("RS", "reporter")
    # when
    secret = (
        SessionApiClient(user)
        .post("/api/v1/tokens", {"name": "n", "participant": "RS", "role": "reporter"})
        .json()["secret"]
    )
    # then
    token = ApiToken.objects.get()
    secret_part = secret.split("_", 2)[2]
    stored = [str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert all(secret_part not in value for value in stored)
    assert token.secret_hash == hashlib.sha256(secret_part.encode()).hexdigest()
    audit_text = str(AuditEntry.objects.get(action="token.issued").changes)
    assert secret_part not in audit_text


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "n", "participant": "RS", "role": "coordinator"}, "role"),  # a role the user does not hold
        ({"name": "n", "participant": "GR", "role": "reporter"}, "role"),  # another participant
        ({"name": "n", "participant": "SRB", "role": "reporter"}, "participant"),
        ({"name": "n"}, "participant"),  # only administrators have tokens without a participant
        ({"name": " ", "participant": "RS", "role": "reporter"}, "name"),
        ({"name": "n", "participant": "RS", "role": "reporter", "days": 0}, "days"),
        ({"name": "n", "participant": "RS", "role": "reporter", "days": 366}, "days"),
    ],
)
def test_issue_token_rejects_bad_input_and_writes_nothing(payload, field, make_user):
    # given
    session = SessionApiClient(make_user("RS", "reporter"))
    before = snapshot()
    # when
    response = session.post("/api/v1/tokens", payload)
    # then
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("RS reporter", 403),  # a token cannot make tokens
        ("admin", 403),
        ("RS reporter session", 201),
        ("admin session", 201),
    ],
)
def test_issue_token_access(who, status, caller):
    # given
    client = caller(who)
    payload = (
        {"name": "n"} if who.startswith("admin") else {"name": "n", "participant": "RS", "role": "reporter"}
    )
    before = snapshot()
    # when
    response = client.post("/api/v1/tokens", payload)
    # then
    assert response.status_code == status
    if status != 201:
        assert snapshot() == before


def test_session_writes_need_the_csrf_token_and_anonymous_posts_get_401(make_user, db):
    # given
    user = make_user("RS", "reporter")
    session = SessionApiClient(user, enforce_csrf_checks=True)
    anonymous = ApiClient()
    anonymous.client.handler.enforce_csrf_checks = True
    before = snapshot()
    # when
    forged = session.post("/api/v1/tokens", {"name": "n", "participant": "RS", "role": "reporter"})
    unauthenticated = anonymous.post("/api/v1/tokens", {"name": "n", "participant": "RS", "role": "reporter"})
    # then
    assert forged.status_code == 403
    assert forged.json()["detail"] == "CSRF check failed: send the X-CSRFToken header of the page."
    assert unauthenticated.status_code == 401
    assert snapshot() == before


# --- Using ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "Bearer nonsense",
        "Bearer smx_abc",
        "Bearer smx__secret",
        "Bearer " + "smx_" + "a" * 200,
        "Basic dXNlcjpwYXNz",
    ],
)
def test_malformed_token_is_401(header, participants):
    # given
    client = ApiClient()
    # when
    response = client.get("/api/v1/participants", Authorization=header)
    # then
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="seemix"'


def test_a_wrong_secret_for_a_real_prefix_is_401_and_not_recorded_as_use(make_user):
    # given
    issued = token_for(make_user("RS", "reporter"), "RS", "reporter")
    forged = f"smx_{issued.token.prefix}_{'A' * 43}"
    # when
    response = ApiClient(forged).get("/api/v1/participants")
    # then
    assert response.status_code == 401
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is None


def test_expired_token_is_401(make_user):
    # given
    issued = token_for(make_user("RS", "reporter"), "RS", "reporter")
    ApiToken.objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    # when
    response = ApiClient(issued.secret).get("/api/v1/participants")
    # then
    assert response.status_code == 401


def test_revoked_token_is_401(make_user):
    # given
    user = make_user("RS", "reporter")
    issued = token_for(user, "RS", "reporter")
    client = ApiClient(issued.secret)
    assert client.get("/api/v1/participants").status_code == 200
    # when
    revoked = SessionApiClient(user).delete(f"/api/v1/tokens/{issued.token.pk}")
    # then
    assert revoked.status_code == 204
    assert client.get("/api/v1/participants").status_code == 401
    assert AuditEntry.objects.filter(action="token.revoked", object_id=str(issued.token.pk)).count() == 1


def test_token_of_a_deactivated_user_is_401(make_user):
    # given
    user = make_user("RS", "reporter")
    issued = token_for(user, "RS", "reporter")
    # when
    user.is_active = False
    user.save()
    # then
    assert ApiClient(issued.secret).get("/api/v1/participants").status_code == 401


def test_the_membership_is_checked_on_every_use_of_a_token(make_user):
    # given: the membership row disappears without going through the service
    user = make_user("RS", "reporter")
    client = ApiClient(token_for(user, "RS", "reporter").secret)
    assert client.get("/api/v1/participants").status_code == 200
    # when
    Membership.objects.filter(user=user).delete()
    # then
    assert client.get("/api/v1/participants").status_code == 401


def test_revoking_a_membership_revokes_its_tokens_at_once(make_user, caller):
    # given
    user = make_user("RS", "reporter")
    kept = Membership.objects.create(
        user=user, participant=Membership.objects.get(user=user).participant, role="analyst"
    )
    reporter_token = token_for(user, "RS", "reporter")
    analyst_token = token_for(user, "RS", "analyst")
    reporter_membership = Membership.objects.get(user=user, role="reporter")
    # when
    response = caller("admin").delete(f"/api/v1/memberships/{reporter_membership.pk}")
    # then
    assert response.status_code == 204
    assert ApiClient(reporter_token.secret).get("/api/v1/participants").status_code == 401
    assert ApiClient(analyst_token.secret).get("/api/v1/participants").status_code == 200
    reporter_token.token.refresh_from_db()
    assert reporter_token.token.revoked_at is not None
    # A later grant of the same role does not bring the old token back.
    Membership.objects.create(user=user, participant=kept.participant, role="reporter")
    assert ApiClient(reporter_token.secret).get("/api/v1/participants").status_code == 401


def test_last_used_at_is_recorded(make_user):
    # given
    issued = token_for(make_user("RS", "reporter"), "RS", "reporter")
    assert issued.token.last_used_at is None
    # when
    ApiClient(issued.secret).get("/api/v1/me")
    # then
    issued.token.refresh_from_db()
    assert issued.token.last_used_at is not None
    assert timezone.now() - issued.token.last_used_at < timedelta(minutes=5)


def test_a_secret_containing_underscores_still_authenticates(make_user, monkeypatch):
    # given: base64url secrets contain '_' about half the time
    monkeypatch.setattr(
        "seemix.directory.services.tokens.secrets.token_urlsafe", lambda n: "a_b_c" + "x" * 38
    )
    issued = token_for(make_user("RS", "reporter"), "RS", "reporter")
    # when
    response = ApiClient(issued.secret).get("/api/v1/participants")
    # then
    assert issued.secret.count("_") == 4
    assert response.status_code == 200


def test_an_invalid_token_is_not_rescued_by_a_session(make_user):
    # given: a browser that holds a session and sends a revoked token
    user = make_user("RS", "reporter")
    issued = token_for(user, "RS", "reporter")
    SessionApiClient(user).delete(f"/api/v1/tokens/{issued.token.pk}")
    session = SessionApiClient(user)
    # when
    response = session.get("/api/v1/participants", Authorization=f"Bearer {issued.secret}")
    # then
    assert response.status_code == 401


def test_administrator_token_dies_with_administration(platform_admin, api):
    # given
    client = api(platform_admin)
    assert client.get("/api/v1/memberships").status_code == 200
    # when
    platform_admin.is_superuser = False
    platform_admin.save()
    # then
    assert client.get("/api/v1/memberships").status_code == 401


# --- Scope ----------------------------------------------------------------------------------------------


def test_a_token_acts_only_as_its_one_membership(make_user, participants):
    # given: a user who is RS coordinator and GR reporter, with a token for GR reporter
    user = make_user("RS", "coordinator")
    Membership.objects.create(user=user, participant=participants["GR"], role="reporter")
    client = ApiClient(token_for(user, "GR", "reporter").secret)
    payload = {"participant": "RS", "topic": "general", "name": "Desk", "email": "desk@example.org"}
    before = snapshot()
    # when
    as_token = client.post("/api/v1/contact-points", payload)
    me = client.get("/api/v1/me")
    # then
    assert as_token.status_code == 403
    assert snapshot() == before
    assert [(m["participant"]["code"], m["role"]) for m in me.json()["memberships"]] == [("GR", "reporter")]
    assert SessionApiClient(user).post("/api/v1/contact-points", payload).status_code == 201


def test_a_token_scoped_to_greece_cannot_read_what_is_restricted_to_serbia(
    make_user, participants, make_contact_point
):
    # given: a user of both Greece and Serbia; a Croatian contact point restricted to Serbia
    point = make_contact_point("HR", classification="restricted", audience=("RS",))
    user = make_user("GR", "analyst")
    Membership.objects.create(user=user, participant=participants["RS"], role="analyst")
    greek, serbian = (
        ApiClient(token_for(user, "GR", "analyst").secret),
        ApiClient(token_for(user, "RS", "analyst").secret),
    )
    # when
    as_greece = greek.get(f"/api/v1/contact-points/{point.pk}")
    as_serbia = serbian.get(f"/api/v1/contact-points/{point.pk}")
    listed_as_greece = greek.get("/api/v1/contact-points")
    # then
    assert as_greece.status_code == 404
    assert as_serbia.status_code == 200
    assert listed_as_greece.json()["count"] == 0


# --- Listing and revoking ---------------------------------------------------------------------------


def test_list_tokens_shows_only_ones_own_and_a_token_only_itself(make_user, caller):
    # given
    user = make_user("RS", "reporter")
    first, second = token_for(user, "RS", "reporter", "first"), token_for(user, "RS", "reporter", "second")
    token_for(make_user("GR", "reporter"), "GR", "reporter", "someone else's")
    # when
    by_session = SessionApiClient(user).get("/api/v1/tokens")
    by_token = ApiClient(first.secret).get("/api/v1/tokens")
    anonymous = caller("anonymous").get("/api/v1/tokens")
    # then
    assert sorted(t["name"] for t in by_session.json()["items"]) == ["first", "second"]
    assert [t["id"] for t in by_token.json()["items"]] == [first.token.pk]
    assert second.token.pk not in [t["id"] for t in by_token.json()["items"]]
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("someone else", 404),
        ("sibling token", 404),
        ("the token itself", 204),
        ("owner session", 204),
        ("admin session", 204),
    ],
)
def test_revoke_token_access(who, status, make_user, caller):
    # given
    owner = make_user("RS", "reporter")
    target = token_for(owner, "RS", "reporter", "target")
    clients = {
        "anonymous": lambda: caller("anonymous"),
        "someone else": lambda: SessionApiClient(make_user("GR", "reporter")),
        "sibling token": lambda: ApiClient(token_for(owner, "RS", "reporter", "sibling").secret),
        "the token itself": lambda: ApiClient(target.secret),
        "owner session": lambda: SessionApiClient(owner),
        "admin session": lambda: caller("admin session"),
    }
    client = clients[who]()
    before = snapshot()
    # when
    response = client.delete(f"/api/v1/tokens/{target.token.pk}")
    # then
    assert response.status_code == status
    target.token.refresh_from_db()
    if status == 204:
        assert target.token.revoked_at is not None
        assert AuditEntry.objects.filter(action="token.revoked").count() == 1
    else:
        assert target.token.revoked_at is None
        assert snapshot() == before
