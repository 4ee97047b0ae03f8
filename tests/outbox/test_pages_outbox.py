"""The outbox pages: a participant's webhook endpoints (register with the secret shown once, rotate,
deactivate) and its deliveries with the re-send of dead letters; kept by its coordinators only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from seemix.core.models import AuditEntry
from seemix.outbox.models import Channel, Delivery, DeliveryStatus, WebhookEndpoint
from tests.outbox.conftest import make_endpoint
from tests.pages.conftest import MODEL_BACKEND


def delivery(participant: Any, status: str = DeliveryStatus.DEAD, **values: Any) -> Delivery:
    defaults = {
        "channel": Channel.EMAIL,
        "topic": "measures",
        "event": "measure.notified",
        "subject_type": "measures.notification",
        "subject_id": "7",
        "subject": "Closure of Horgoš",
        "body": "Closure of the crossing point.",
        "status": status,
        "attempts": 8,
        "last_error": "HTTP 500",
    }
    defaults.update(values)
    return Delivery.objects.create(participant=participant, **defaults)


def counts() -> tuple[int, int, int, int]:
    return (
        WebhookEndpoint.objects.count(),
        WebhookEndpoint.objects.filter(is_active=True).count(),
        Delivery.objects.exclude(status=DeliveryStatus.DEAD).count(),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def browser(make_user, request):
    """browser(who): a test client for "anonymous", "nobody", "admin" or "<code> <role>"."""

    def make(who: str) -> Client:
        client = Client()
        if who == "anonymous":
            return client
        if who == "nobody":
            user = make_user()
        elif who == "admin":
            user = request.getfixturevalue("platform_admin")
        else:
            user = make_user(*who.split())
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return make


@pytest.fixture
def rs_endpoint(participants):
    return make_endpoint(participants["RS"], "https://mup.example.rs/seemix")


def secret_on(html: str) -> str | None:
    found = re.search(r'<code id="webhook-secret">([^<]+)</code>', html)
    return found.group(1) if found else None


@pytest.mark.parametrize("path", ["/outbox/", "/outbox/webhooks/"])
def test_anonymous_visitor_is_sent_to_the_login_page(path, browser, participants):
    # when
    response = browser("anonymous").get(path)
    # then
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.parametrize(
    ("who", "status"),
    [("nobody", 403), ("RS reporter", 403), ("RS analyst", 403), ("admin", 403), ("RS coordinator", 200)],
)
def test_deliveries_are_followed_by_the_coordinators(who, status, browser, participants):
    # when
    response = browser(who).get("/outbox/")
    # then
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("nobody", 403), ("RS reporter", 403), ("RS observer", 403), ("admin", 200), ("RS coordinator", 200)],
)
def test_webhook_endpoints_are_kept_by_the_coordinators(who, status, browser, participants, rs_endpoint):
    # when
    response = browser(who).get("/outbox/webhooks/")
    # then
    assert response.status_code == status
    if status == 200:
        assert "https://mup.example.rs/seemix" in response.content.decode()


def test_another_participants_endpoints_and_deliveries_are_not_listed(browser, participants, rs_endpoint):
    # given
    delivery(participants["RS"])
    croatia = browser("HR coordinator")
    # when
    endpoints = croatia.get("/outbox/webhooks/").content.decode()
    deliveries = croatia.get("/outbox/").content.decode()
    # then
    assert "mup.example.rs" not in endpoints
    assert "Closure of Horgoš" not in deliveries
    assert "No delivery yet." in deliveries


def test_coordinator_registers_an_endpoint_and_sees_the_secret_once(browser, participants):
    # given
    serbia = browser("RS coordinator")
    # when
    response = serbia.post(
        "/outbox/webhooks/", {"url": "https://mup.example.rs/cap", "description": "Alerting gateway"}
    )
    # then
    html = response.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    secret = secret_on(html)
    assert response.status_code == 200
    assert (endpoint.participant.code, endpoint.url, endpoint.description) == (
        "RS",
        "https://mup.example.rs/cap",
        "Alerting gateway",
    )
    assert secret is not None
    assert secret.startswith("whsec_")
    assert secret.startswith(endpoint.secret_hint)
    assert "Copy the secret now: it is shown this once." in html
    # Never again: not on the list, not in a redirect or message.
    listing = serbia.get("/outbox/webhooks/").content.decode()
    assert secret not in listing
    assert f"{endpoint.secret_hint}…" in listing


def test_register_refuses_a_bad_url_naming_the_field(browser, participants):
    # given
    before = counts()
    # when
    response = browser("RS coordinator").post("/outbox/webhooks/", {"url": "ftp://example.org/x"})
    # then
    assert response.status_code == 200
    assert re.search(r'id="id_url_error"><li>Give an http:// or https:// URL', response.content.decode())
    assert counts() == before


@pytest.mark.parametrize(("who", "status"), [("nobody", 403), ("RS reporter", 403)])
def test_register_is_refused_to_others(who, status, browser, participants):
    # given
    before = counts()
    # when
    response = browser(who).post("/outbox/webhooks/", {"url": "https://example.org/x"})
    # then
    assert response.status_code == status
    assert counts() == before


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("nobody", 404),
        ("HR coordinator", 404),
        ("RS reporter", 403),
        ("RS coordinator", 200),
    ],
)
def test_rotating_a_secret(who, status, browser, participants, rs_endpoint):
    # given
    before = (counts(), rs_endpoint.secret_encrypted)
    # when
    response = browser(who).post(f"/outbox/webhooks/{rs_endpoint.pk}/rotate/")
    # then
    assert response.status_code == status
    rs_endpoint.refresh_from_db()
    if status == 200:
        secret = secret_on(response.content.decode())
        assert secret is not None
        assert secret.startswith(rs_endpoint.secret_hint)
        assert rs_endpoint.secret_rotated_at is not None
        assert "The old secret stopped working" in response.content.decode()
    else:
        assert (counts(), rs_endpoint.secret_encrypted) == before


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("HR coordinator", 404), ("RS reporter", 403), ("RS coordinator", 302)],
)
def test_deactivating_an_endpoint(who, status, browser, participants, rs_endpoint):
    # given
    before = counts()
    # when
    response = browser(who).post(f"/outbox/webhooks/{rs_endpoint.pk}/deactivate/")
    # then
    assert response.status_code == status
    rs_endpoint.refresh_from_db()
    assert rs_endpoint.is_active == (who != "RS coordinator")
    if who != "RS coordinator":
        assert counts() == before
    else:
        assert response["Location"] == "/outbox/webhooks/"


def test_dead_letters_are_listed_first_with_a_send_again_button(browser, participants):
    # given
    dead = delivery(participants["RS"])
    delivery(participants["RS"], status=DeliveryStatus.DELIVERED, subject="Delivered one", last_error="")
    # when
    html = browser("RS coordinator").get("/outbox/").content.decode()
    # then
    assert "Dead letters (1)" in html
    assert f'action="/outbox/deliveries/{dead.delivery_id}/resend/"' in html
    assert "Delivered one" in html
    assert "2 deliveries" in html


def test_deliveries_filter_by_status(browser, participants):
    # given
    delivery(participants["RS"], status=DeliveryStatus.DELIVERED, subject="Delivered one", last_error="")
    delivery(participants["RS"], status=DeliveryStatus.FAILED, subject="Failing one")
    # when
    html = browser("RS coordinator").get("/outbox/", {"status": "failed"}).content.decode()
    # then
    assert "Failing one" in html
    assert "Delivered one" not in html


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 302),
        ("nobody", 404),
        ("HR coordinator", 404),
        ("RS reporter", 403),
        ("RS coordinator", 302),
    ],
)
def test_resending_a_dead_letter(who, status, browser, participants):
    # given
    dead = delivery(participants["RS"])
    before = counts()
    # when
    response = browser(who).post(f"/outbox/deliveries/{dead.delivery_id}/resend/")
    # then
    assert response.status_code == status
    dead.refresh_from_db()
    if who == "RS coordinator":
        assert response["Location"] == "/outbox/"
        assert (dead.status, dead.attempts) == (DeliveryStatus.PENDING, 0)
    else:
        assert (dead.status, dead.attempts) == (DeliveryStatus.DEAD, 8)
        assert counts() == before


def test_only_a_dead_letter_is_sent_again(browser, participants):
    # given
    done = delivery(participants["RS"], status=DeliveryStatus.DELIVERED, last_error="")
    # when
    response = browser("RS coordinator").post(f"/outbox/deliveries/{done.delivery_id}/resend/", follow=True)
    # then
    assert "Only a dead letter can be re-sent; this delivery is Delivered." in response.content.decode()
    done.refresh_from_db()
    assert done.status == DeliveryStatus.DELIVERED


def test_an_unknown_delivery_id_is_not_found(browser, participants):
    # when
    response = browser("RS coordinator").post("/outbox/deliveries/not-a-uuid/resend/")
    # then
    assert response.status_code == 404
