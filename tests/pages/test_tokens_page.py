"""The API tokens page: make a token for one of your memberships (secret shown once), revoke it."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from seemix.core.models import AuditEntry
from seemix.directory.models import ApiToken, Membership
from seemix.directory.principals import hash_secret, principal_for_token

SECRET = re.compile(r"smx_[0-9a-f]+_[A-Za-z0-9_-]+")


def user_of(client):
    return get_user_model().objects.get(pk=client.session["_auth_user_id"])


def test_anonymous_is_sent_to_the_login_page(browser):
    response = browser("anonymous").get("/tokens/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/tokens/"


def test_a_user_without_membership_is_told_a_token_needs_one(browser):
    response = browser("nobody").get("/tokens/")
    assert response.status_code == 200
    assert "A token acts as one of your memberships, and you hold none." in response.content.decode()


def test_making_a_token_shows_the_secret_once_and_stores_only_its_hash(browser):
    # given
    client = browser("RS reporter")
    membership = Membership.objects.get(user=user_of(client))
    # when
    response = client.post("/tokens/", {"name": "national system", "membership": membership.pk, "days": 30})
    # then
    assert response.status_code == 200
    html = response.content.decode()
    secret = SECRET.search(html).group(0)
    token = ApiToken.objects.get(name="national system")
    assert (token.participant.code, token.role) == ("RS", "reporter")
    assert token.secret_hash == hash_secret(secret.split("_", 2)[2])
    assert secret not in str(list(ApiToken.objects.values()))
    assert principal_for_token(secret).participant_ids == {membership.participant_id}
    assert AuditEntry.objects.filter(action="token.issued", object_id=str(token.pk)).count() == 1
    # and the next view of the page no longer shows it
    assert secret not in client.get("/tokens/").content.decode()


@pytest.mark.parametrize("days", ["0", "366", "many"])
def test_a_lifetime_outside_the_limits_is_refused_and_nothing_is_made(browser, days):
    client = browser("RS reporter")
    membership = Membership.objects.get(user=user_of(client))
    response = client.post("/tokens/", {"name": "x", "membership": membership.pk, "days": days})
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_membership_of_another_user_cannot_be_chosen(browser, make_user):
    # given
    other = make_user("HR", "coordinator")
    foreign = Membership.objects.get(user=other)
    client = browser("RS reporter")
    # when
    response = client.post("/tokens/", {"name": "x", "membership": foreign.pk, "days": 30})
    # then
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_a_token_disarms_it(browser):
    # given
    client = browser("RS reporter")
    membership = Membership.objects.get(user=user_of(client))
    html = client.post("/tokens/", {"name": "n", "membership": membership.pk, "days": 30}).content.decode()
    secret = SECRET.search(html).group(0)
    token = ApiToken.objects.get()
    # when
    response = client.post(f"/tokens/{token.pk}/revoke/")
    # then
    assert response.status_code == 302
    assert principal_for_token(secret) is None
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_another_users_token_cannot_be_revoked(browser, make_user, api):
    # given
    owner = make_user("HR", "coordinator")
    api(owner)  # makes a token for the owner
    token = ApiToken.objects.get(user=owner)
    client = browser("RS coordinator")
    # when
    response = client.post(f"/tokens/{token.pk}/revoke/")
    # then
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_post(browser):
    client = browser("RS reporter")
    assert client.get("/tokens/1/revoke/").status_code == 405
