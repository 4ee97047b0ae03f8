"""Security from day one: argon2, lockout after failed logins, secure cookies, strict headers."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

import seemix.settings as project_settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


# --- Passwords --------------------------------------------------------------------------------------


def test_argon2_is_the_first_password_hasher():
    # The test run swaps in a fast hasher (tests/conftest.py); the project's own list is checked here.
    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_new_passwords_are_hashed_with_argon2(settings):
    # given
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    # when
    encoded = make_password(PASSWORD)
    # then
    assert encoded.startswith("argon2$argon2id$")


# --- Lockout ------------------------------------------------------------------------------------------


@pytest.fixture
def browser():
    # The axes backend needs the client's address, as a real request has.
    return Client(REMOTE_ADDR="192.0.2.20")


def fail(browser, times):
    for _ in range(times):
        browser.post("/accounts/login/", {"username": "rs-reporter", "password": "wrong"})


def test_fewer_failures_than_the_limit_do_not_lock(browser, make_user, settings):
    # given
    make_user("RS", "reporter")
    fail(browser, settings.AXES_FAILURE_LIMIT - 1)
    # when
    response = browser.post("/accounts/login/", {"username": "rs-reporter", "password": PASSWORD})
    # then
    assert response.status_code == 302
    assert "_auth_user_id" in browser.session


def test_the_limit_of_failures_locks_even_the_right_password_out(browser, make_user, settings):
    # given
    make_user("RS", "reporter")
    fail(browser, settings.AXES_FAILURE_LIMIT)
    # when
    response = browser.post("/accounts/login/", {"username": "rs-reporter", "password": PASSWORD})
    # then
    assert response.status_code == 429
    assert "_auth_user_id" not in browser.session


def test_the_lockout_is_per_user_name_and_address(browser, make_user, settings):
    # given: rs-reporter is locked out from one address
    make_user("RS", "reporter")
    make_user("GR", "reporter")
    fail(browser, settings.AXES_FAILURE_LIMIT)
    # when
    other_user = browser.post("/accounts/login/", {"username": "gr-reporter", "password": PASSWORD})
    # then
    assert other_user.status_code == 302


# --- Cookies ------------------------------------------------------------------------------------------


def test_session_and_csrf_cookies_are_secure_and_http_only_when_debug_is_off(browser, make_user, settings):
    # given: the test run has DEBUG off
    assert settings.DEBUG is False
    make_user("RS", "reporter")
    # when
    page = browser.get("/accounts/login/")
    login = browser.post("/accounts/login/", {"username": "rs-reporter", "password": PASSWORD})
    # then
    csrf, session = page.cookies["csrftoken"], login.cookies["sessionid"]
    assert csrf["secure"] is True
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def settings_in_a_fresh_process(**env):
    """The cookie flags that settings.py computes for an environment (read in a new interpreter)."""
    environ = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECURE_COOKIES"}}
    environ.update(SECRET_KEY="test-only-secret-key-not-for-production-0123456789", **env)
    code = "import seemix.settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    result = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout.split()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "0"}, ["True", "True"]),
        ({"DEBUG": "1"}, ["False", "False"]),
        ({"DEBUG": "1", "SECURE_COOKIES": "1"}, ["True", "True"]),
    ],
)
def test_cookies_are_secure_unless_debug(env, expected):
    assert settings_in_a_fresh_process(**env) == expected


# --- Headers ------------------------------------------------------------------------------------------

ALLOWED_SOURCES = {"'self'", "'none'", "data:"}


def csp_sources(header):
    directives = [d.strip().split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/me", "/healthz"])
def test_security_headers(path, browser):
    # when
    response = browser.get(path)
    # then
    csp = csp_sources(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    # No outside host anywhere: the UI must work on a closed network.
    assert {source for sources in csp.values() for source in sources} <= ALLOWED_SOURCES
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_of_signed_in_users_are_not_cached(browser, make_user):
    # given
    make_user("RS", "reporter")
    browser.post("/accounts/login/", {"username": "rs-reporter", "password": PASSWORD})
    # when
    response = browser.get("/")
    # then
    assert response["Cache-Control"] == "no-store"
