"""The outbox API: webhook endpoints and deliveries, with the authorisation matrix of each operation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from seemix.core.models import AuditEntry
from seemix.outbox.models import Channel, Delivery, DeliveryStatus, WebhookEndpoint
from seemix.outbox.sealing import unseal
from tests.conftest import ApiClient
from tests.outbox.conftest import make_endpoint

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class SessionApiClient(ApiClient):
    """Speaks to the API as a signed-in user (a platform administrator acts through a session)."""

    def __init__(self, user: Any) -> None:
        super().__init__()
        self.client = Client()
        self.client.force_login(user, backend=MODEL_BACKEND)


@pytest.fixture
def callers(api: Callable[[Any], ApiClient], make_user: Callable[..., Any], platform_admin: Any) -> Any:
    """callers(name) -> a client: anonymous, nobody, rs-reporter, rs-coordinator, hr-coordinator, admin."""
    built = {
        "anonymous": lambda: api(None),
        "nobody": lambda: SessionApiClient(make_user()),
        "rs-reporter": lambda: api(make_user("RS", "reporter")),
        "rs-coordinator": lambda: api(make_user("RS", "coordinator")),
        "hr-coordinator": lambda: api(make_user("HR", "coordinator")),
        "admin": lambda: SessionApiClient(platform_admin),
    }
    return lambda name: built[name]()


@pytest.fixture
def rs_endpoint(participants: Any) -> WebhookEndpoint:
    return make_endpoint(participants["RS"], "http://127.0.0.1:9/rs")


def delivery(participant: Any, status: str = DeliveryStatus.DEAD, **values: Any) -> Delivery:
    defaults = {
        "channel": Channel.EMAIL,
        "topic": "measures",
        "event": "measure.notified",
        "subject_type": "measures.notification",
        "subject_id": "7",
        "subject": "Closure",
        "body": "Closure of the crossing point.",
        "status": status,
        "attempts": 8,
        "last_error": "HTTP 500",
    }
    defaults.update(values)
    return Delivery.objects.create(participant=participant, **defaults)


def counts() -> tuple[int, int, int]:
    return WebhookEndpoint.objects.count(), Delivery.objects.count(), AuditEntry.objects.count()


# --- Webhook endpoints ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("anonymous", 401),
        ("nobody", 403),
        ("hr-coordinator", 403),
        ("rs-reporter", 403),
        ("rs-coordinator", 201),
        ("admin", 201),
    ],
)
def test_register_a_webhook_endpoint_access(
    caller: str, status: int, callers: Any, participants: Any
) -> None:
    # given
    client = callers(caller)
    before = counts()
    # when
    response = client.post(
        "/api/v1/webhook-endpoints",
        {"participant": "RS", "url": "https://receiver.rs.example/seemix", "description": "MUP"},
    )
    # then
    assert response.status_code == status
    if status != 201:
        assert counts() == before
        return
    body = response.json()
    endpoint = WebhookEndpoint.objects.get()
    assert body["endpoint"] == {
        "id": endpoint.pk,
        "participant": "RS",
        "url": "https://receiver.rs.example/seemix",
        "description": "MUP",
        "secret_hint": body["secret"][:10],
        "is_active": True,
        "created_at": body["endpoint"]["created_at"],
        "secret_rotated_at": None,
        "deactivated_at": None,
    }
    assert body["secret"].startswith("whsec_")
    assert unseal(endpoint.secret_encrypted) == body["secret"]
    assert body["secret"] not in endpoint.secret_encrypted
    assert AuditEntry.objects.filter(action="webhook_endpoint.created", participant_code="RS").count() == 1


def test_the_secret_is_shown_only_once(callers: Any, participants: Any) -> None:
    # given
    client = callers("rs-coordinator")
    created = client.post(
        "/api/v1/webhook-endpoints", {"participant": "RS", "url": "https://r.example/h"}
    ).json()
    # when
    listed = client.get("/api/v1/webhook-endpoints").json()
    one = client.get(f"/api/v1/webhook-endpoints/{created['endpoint']['id']}").json()
    # then
    assert created["secret"] not in str(listed)
    assert created["secret"] not in str(one)
    assert "secret" not in one


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"participant": "RS", "url": "ftp://receiver.example/x"}, "url"),
        ({"participant": "RS", "url": "not a url"}, "url"),
        ({"participant": "RS", "url": "https://r.example/" + "x" * 500}, "url"),
        ({"participant": "RS", "url": "https://r.example/h", "description": "d" * 201}, "description"),
        ({"participant": "ZZ", "url": "https://r.example/h"}, "participant"),
    ],
)
def test_register_refuses_bad_input_naming_the_field(
    payload: dict[str, str], field: str, callers: Any
) -> None:
    # given
    client = callers("rs-coordinator")
    before = counts()
    # when
    response = client.post("/api/v1/webhook-endpoints", payload)
    # then
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert counts() == before


def test_coordinators_list_only_their_participants_endpoints(callers: Any, participants: Any) -> None:
    # given
    mine = make_endpoint(participants["RS"], "http://127.0.0.1:9/rs")
    make_endpoint(participants["HR"], "http://127.0.0.1:9/hr")
    # when
    listed = callers("rs-coordinator").get("/api/v1/webhook-endpoints").json()
    everything = callers("admin").get("/api/v1/webhook-endpoints").json()
    # then
    assert [e["id"] for e in listed["items"]] == [mine.pk]
    assert everything["count"] == 2


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("anonymous", 401),
        ("hr-coordinator", 404),
        ("rs-reporter", 403),
        ("rs-coordinator", 200),
        ("admin", 200),
    ],
)
def test_read_a_webhook_endpoint_access(
    caller: str, status: int, callers: Any, rs_endpoint: WebhookEndpoint
) -> None:
    # when
    response = callers(caller).get(f"/api/v1/webhook-endpoints/{rs_endpoint.pk}")
    # then
    assert response.status_code == status
    if status == 200:
        assert response.json()["url"] == "http://127.0.0.1:9/rs"


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("anonymous", 401),
        ("hr-coordinator", 404),
        ("rs-reporter", 403),
        ("rs-coordinator", 200),
        ("admin", 200),
    ],
)
def test_rotate_a_webhook_secret_access(
    caller: str, status: int, callers: Any, rs_endpoint: WebhookEndpoint
) -> None:
    # given
    client = callers(caller)
    sealed = rs_endpoint.secret_encrypted
    before = counts()
    # when
    response = client.post(f"/api/v1/webhook-endpoints/{rs_endpoint.pk}/rotate-secret")
    # then
    assert response.status_code == status
    rs_endpoint.refresh_from_db()
    if status != 200:
        assert rs_endpoint.secret_encrypted == sealed
        assert counts() == before
        return
    secret = response.json()["secret"]
    assert unseal(rs_endpoint.secret_encrypted) == secret != unseal(sealed)
    assert rs_endpoint.secret_rotated_at is not None
    assert AuditEntry.objects.filter(action="webhook_endpoint.secret_rotated").count() == 1


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("anonymous", 401),
        ("hr-coordinator", 404),
        ("rs-reporter", 403),
        ("rs-coordinator", 204),
        ("admin", 204),
    ],
)
def test_deactivate_a_webhook_endpoint_access(
    caller: str, status: int, callers: Any, rs_endpoint: WebhookEndpoint
) -> None:
    # given
    client = callers(caller)
    before = counts()
    # when
    response = client.delete(f"/api/v1/webhook-endpoints/{rs_endpoint.pk}")
    # then
    assert response.status_code == status
    rs_endpoint.refresh_from_db()
    if status != 204:
        assert rs_endpoint.is_active
        assert counts() == before
        return
    assert not rs_endpoint.is_active
    assert rs_endpoint.deactivated_at is not None
    assert AuditEntry.objects.filter(action="webhook_endpoint.deactivated").count() == 1


def test_a_deactivated_endpoint_cannot_be_rotated(callers: Any, rs_endpoint: WebhookEndpoint) -> None:
    # given
    client = callers("rs-coordinator")
    client.delete(f"/api/v1/webhook-endpoints/{rs_endpoint.pk}")
    # when
    response = client.post(f"/api/v1/webhook-endpoints/{rs_endpoint.pk}/rotate-secret")
    # then
    assert response.status_code == 409


# --- Deliveries -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("caller", "status"),
    [("anonymous", 401), ("nobody", 403), ("rs-reporter", 403), ("admin", 403), ("rs-coordinator", 200)],
)
def test_list_deliveries_access(caller: str, status: int, callers: Any, participants: Any) -> None:
    # given
    delivery(participants["RS"])
    # when
    response = callers(caller).get("/api/v1/deliveries")
    # then
    assert response.status_code == status


def test_deliveries_list_only_the_callers_and_filter_by_status(callers: Any, participants: Any) -> None:
    # given
    dead = delivery(participants["RS"])
    delivery(participants["RS"], DeliveryStatus.DELIVERED, last_error="")
    delivery(participants["HR"])
    client = callers("rs-coordinator")
    # when
    all_mine = client.get("/api/v1/deliveries").json()
    dead_mine = client.get("/api/v1/deliveries", {"status": "dead"}).json()
    wrong = client.get("/api/v1/deliveries", {"status": "lost"})
    # then
    assert all_mine["count"] == 2
    assert {d["participant"] for d in all_mine["items"]} == {"RS"}
    assert [d["delivery_id"] for d in dead_mine["items"]] == [str(dead.delivery_id)]
    assert "body" not in dead_mine["items"][0]
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.json()["errors"]] == ["status"]


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("anonymous", 401),
        ("hr-coordinator", 404),
        ("admin", 404),
        ("rs-reporter", 403),
        ("rs-coordinator", 200),
    ],
)
def test_read_a_delivery_access(caller: str, status: int, callers: Any, participants: Any) -> None:
    # given
    dead = delivery(participants["RS"])
    # when
    response = callers(caller).get(f"/api/v1/deliveries/{dead.delivery_id}")
    # then
    assert response.status_code == status
    if status == 200:
        assert response.json()["last_error"] == "HTTP 500"
        assert response.json()["attempt_log"] == []


def test_an_unknown_or_malformed_delivery_id_is_not_found(callers: Any, participants: Any) -> None:
    client = callers("rs-coordinator")
    assert client.get("/api/v1/deliveries/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/api/v1/deliveries/42").status_code == 404


@pytest.mark.parametrize(
    ("caller", "status"),
    [
        ("anonymous", 401),
        ("hr-coordinator", 404),
        ("admin", 404),
        ("rs-reporter", 403),
        ("rs-coordinator", 200),
    ],
)
def test_resend_a_dead_letter_access(caller: str, status: int, callers: Any, participants: Any) -> None:
    # given
    client = callers(caller)
    dead = delivery(participants["RS"])
    before = counts()
    # when
    response = client.post(f"/api/v1/deliveries/{dead.delivery_id}/resend")
    # then
    assert response.status_code == status
    dead.refresh_from_db()
    if status != 200:
        assert (dead.status, dead.attempts) == (DeliveryStatus.DEAD, 8)
        assert counts() == before
        return
    assert response.json()["delivery_id"] == str(dead.delivery_id)
    assert (dead.status, dead.attempts) == (DeliveryStatus.PENDING, 0)
    assert dead.next_attempt_at is not None
    entry = AuditEntry.objects.get(action="delivery.resent")
    assert entry.changes == {"delivery_id": str(dead.delivery_id), "last_error": "HTTP 500"}


def test_only_a_dead_letter_can_be_resent(callers: Any, participants: Any) -> None:
    # given
    delivered = delivery(participants["RS"], DeliveryStatus.DELIVERED, last_error="")
    # when
    response = callers("rs-coordinator").post(f"/api/v1/deliveries/{delivered.delivery_id}/resend")
    # then
    assert response.status_code == 409
    delivered.refresh_from_db()
    assert delivered.status == DeliveryStatus.DELIVERED
    assert not AuditEntry.objects.filter(action="delivery.resent").exists()
