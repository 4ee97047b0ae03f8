"""Signing in and out, and the lockout after repeated failures (django-axes)."""

from __future__ import annotations

import pytest
from django.test import Client

PASSWORD = "correct horse battery staple"


@pytest.fixture
def anonymous_client(db):
    # The real login path runs the axes backend, which wants the client's address.
    return Client(REMOTE_ADDR="192.0.2.10")


def test_login_page_has_the_form(anonymous_client):
    # when
    response = anonymous_client.get("/accounts/login/")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Sign in</h1>" in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_login_with_the_right_password_opens_the_home_page(anonymous_client, make_user):
    # given
    make_user("RS", "reporter")
    # when
    response = anonymous_client.post(
        "/accounts/login/", {"username": "rs-reporter", "password": PASSWORD, "next": "/directory/"}
    )
    # then
    assert response.status_code == 302
    assert response["Location"] == "/directory/"
    assert anonymous_client.get("/directory/").status_code == 200


def test_login_with_a_wrong_password_is_refused(anonymous_client, make_user):
    # given
    make_user("RS", "reporter")
    # when
    response = anonymous_client.post("/accounts/login/", {"username": "rs-reporter", "password": "wrong"})
    # then
    assert response.status_code == 200
    assert "Please enter a correct username and password." in response.content.decode()
    assert anonymous_client.get("/").status_code == 302


def test_repeated_failures_lock_the_account_with_a_clear_page(anonymous_client, make_user, settings):
    # given
    make_user("RS", "reporter")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        anonymous_client.post("/accounts/login/", {"username": "rs-reporter", "password": "wrong"})
    # when
    response = anonymous_client.post("/accounts/login/", {"username": "rs-reporter", "password": "wrong"})
    # then
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>Sign-in locked</h1>" in html
    assert "There were 5 failed attempts to sign in with this user name from your address." in html
    assert "Signing in is locked for 15 minutes." in html
    # Even the right password is refused while the lockout lasts.
    locked = anonymous_client.post("/accounts/login/", {"username": "rs-reporter", "password": PASSWORD})
    assert locked.status_code == 429
    assert anonymous_client.get("/").status_code == 302


def test_logout_needs_a_post(browser, participants):
    # given
    client = browser("RS coordinator")
    # when
    response = client.get("/accounts/logout/")
    # then
    assert response.status_code == 405
    assert client.get("/").status_code == 200


def test_logout_ends_the_session(browser, participants):
    # given
    client = browser("RS coordinator")
    # when
    response = client.post("/accounts/logout/")
    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.get("/").status_code == 302


def test_every_page_offers_logout_as_a_form(browser, participants):
    # when
    html = browser("RS coordinator").get("/").content.decode()
    # then
    assert '<form action="/accounts/logout/" method="post">' in html
    assert "Signed in as rs-coordinator" in html


def test_signed_in_user_visiting_login_goes_home(browser, participants):
    # when
    response = browser("RS coordinator").get("/accounts/login/")
    # then
    assert response.status_code == 302
    assert response["Location"] == "/"
