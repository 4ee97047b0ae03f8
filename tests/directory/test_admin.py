"""The Django admin: platform administrators only, and every change in it goes through the services."""

from __future__ import annotations

import pytest
from django.test import Client

from seemix.core.models import AuditEntry
from seemix.directory.models import ApiToken, ContactPoint, Membership, Participant
from tests.directory.conftest import MODEL_BACKEND, snapshot

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("staff, not superuser", 302), ("RS coordinator", 302), ("platform admin", 200)],
)
def test_the_admin_site_is_for_platform_administrators_only(
    who, status, make_user, platform_admin, participants
):
    # given
    if who == "anonymous":
        client = Client()
    elif who == "platform admin":
        client = signed_in(platform_admin)
    elif who == "RS coordinator":
        client = signed_in(make_user("RS", "coordinator"))
    else:
        staff = make_user(username="staff")
        staff.is_staff = True
        staff.save()
        client = signed_in(staff)
    # when
    response = client.get("/admin/directory/participant/")
    # then
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/admin/login/")


def test_adding_a_participant_in_the_admin_is_audited(platform_admin, participants):
    # given
    client = signed_in(platform_admin)
    # when
    response = client.post(
        "/admin/directory/participant/add/",
        {"code": "ME", "name": "Montenegro", "kind": "seecp", "is_active": "on"},
    )
    # then
    assert response.status_code == 302
    assert Participant.objects.get(code="ME").name == "Montenegro"
    entry = AuditEntry.objects.get(action="participant.created")
    assert (entry.actor_label, entry.participant_code) == ("platform-admin", "ME")


def test_the_admin_refuses_a_bad_code_beside_its_field(platform_admin, participants):
    # given
    client = signed_in(platform_admin)
    before = snapshot()
    # when
    response = client.post(
        "/admin/directory/participant/add/",
        {"code": "MNE", "name": "Montenegro", "kind": "seecp", "is_active": "on"},
    )
    # then
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "code": ["'MNE' is not an ISO 3166-1 alpha-2 country code (e.g. RS; XK for Kosovo)."]
    }
    assert snapshot() == before


def test_the_admin_refuses_a_restricted_contact_point_without_audience(platform_admin, participants):
    # given
    client = signed_in(platform_admin)
    before = snapshot()
    # when
    response = client.post(
        "/admin/directory/contactpoint/add/",
        {
            "participant": participants["RS"].pk,
            "topic": "general",
            "name": "Desk",
            "email": "desk@example.org",
            "languages": '["sr"]',
            "classification": "restricted",
            "is_active": "on",
        },
    )
    # then
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "audience": ["A RESTRICTED contact point needs the participants that may see it."]
    }
    assert snapshot() == before


def test_a_contact_point_added_in_the_admin_is_audited_with_its_audience(platform_admin, participants):
    # given
    client = signed_in(platform_admin)
    # when
    response = client.post(
        "/admin/directory/contactpoint/add/",
        {
            "participant": participants["RS"].pk,
            "topic": "readmission",
            "name": "Desk",
            "phone": "+381 11 000 0000",
            "languages": '["sr", "en"]',
            "classification": "restricted",
            "audience": [participants["HR"].pk],
            "is_active": "on",
        },
    )
    # then
    assert response.status_code == 302
    point = ContactPoint.objects.get()
    assert [p.code for p in point.audience.all()] == ["HR"]
    assert AuditEntry.objects.get(action="contact_point.created").changes["audience"] == ["HR"]


def test_deleting_a_membership_in_the_admin_revokes_it_and_its_tokens(platform_admin, make_user, api):
    # given
    user = make_user("GR", "reporter")
    api(user)
    membership = Membership.objects.get(user=user)
    client = signed_in(platform_admin)
    # when
    response = client.post(f"/admin/directory/membership/{membership.pk}/delete/", {"post": "yes"})
    # then
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert ApiToken.objects.get(user=user).revoked_at is not None
    assert AuditEntry.objects.filter(action="membership.revoked").count() == 1


def test_tokens_in_the_admin_cannot_be_made_or_edited_and_show_no_secret(platform_admin, make_user, api):
    # given
    user = make_user("GR", "reporter")
    api(user)
    token = ApiToken.objects.get(user=user)
    client = signed_in(platform_admin)
    # when
    add = client.get("/admin/directory/apitoken/add/")
    view = client.get(f"/admin/directory/apitoken/{token.pk}/change/")
    edit = client.post(f"/admin/directory/apitoken/{token.pk}/change/", {"name": "renamed"})
    # then
    assert add.status_code == 403
    assert view.status_code == 200
    assert token.secret_hash in view.content.decode()  # read-only
    assert edit.status_code == 403
    token.refresh_from_db()
    assert token.name == "test"


def test_revoking_tokens_from_the_admin_is_audited(platform_admin, make_user, api):
    # given
    user = make_user("GR", "reporter")
    api(user)
    token = ApiToken.objects.get(user=user)
    client = signed_in(platform_admin)
    # when
    response = client.post("/admin/directory/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    # then
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.get(action="token.revoked").actor_label == "platform-admin"
