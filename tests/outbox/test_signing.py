"""Forged and replayed webhooks are detected by the documented check, run as a receiver runs it.

The receiver here is the one of docs/webhooks.md: verify_signature on the raw body, then refuse a
signature already accepted, then process each delivery id once.
"""

from __future__ import annotations

import threading
import time
import urllib.request
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from seemix.outbox.models import Channel, Delivery, DeliveryStatus
from seemix.outbox.sending import process_due
from seemix.outbox.services import enqueue
from seemix.outbox.signing import signature_header, verify_signature
from tests.outbox.conftest import SECRET, make_endpoint, make_message
from tests.outbox.receivers import Received, Receiver

TOLERANCE = 300


class DocumentedReceiver:
    """docs/webhooks.md's receive(): returns the status it would answer, and what it processed."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.seen_ids: set[str] = set()
        self.seen_signatures: set[str] = set()
        self.processed: list[bytes] = []
        self.lock = threading.Lock()

    def receive(self, headers: dict[str, str], raw_body: bytes, now: float | None = None) -> int:
        signature = headers.get("Seemix-Signature", "")
        timestamp = headers.get("Seemix-Timestamp", "")
        if not verify_signature(self.secret, timestamp, raw_body, signature, tolerance=TOLERANCE, now=now):
            return 401
        with self.lock:
            if signature in self.seen_signatures:
                return 409
            self.seen_signatures.add(signature)
            delivery_id = headers["Seemix-Delivery-Id"]
            if delivery_id in self.seen_ids:
                return 200
            self.processed.append(raw_body)
            self.seen_ids.add(delivery_id)
        return 200


def headers_of(request: Received) -> dict[str, str]:
    return {
        "Seemix-Delivery-Id": request.delivery_id,
        "Seemix-Timestamp": request.timestamp,
        "Seemix-Signature": request.signature,
    }


@pytest.fixture
def captured(participants: Any, receivers: Callable[..., Receiver]) -> tuple[Received, DocumentedReceiver]:
    """A genuine delivery, sent by the worker over HTTP and accepted by the documented receiver."""
    documented = DocumentedReceiver(SECRET)
    statuses: list[int] = []
    receiver = receivers(on_request=lambda r: statuses.append(documented.receive(headers_of(r), r.body)))
    make_endpoint(participants["RS"], receiver.url)
    enqueue([make_message(participants["RS"])])
    process_due()
    assert statuses == [200]
    assert documented.processed == [b"<alert>closure</alert>"]
    return receiver.received[0], documented


def test_a_genuine_delivery_is_accepted_and_processed_once(
    captured: tuple[Received, DocumentedReceiver],
) -> None:
    # given
    genuine, documented = captured
    # when: the same delivery comes again, freshly signed (a retry after a lost answer)
    timestamp = int(time.time()) + 1
    retry = {
        "Seemix-Delivery-Id": genuine.delivery_id,
        "Seemix-Timestamp": str(timestamp),
        "Seemix-Signature": signature_header(SECRET, timestamp, genuine.body),
    }
    status = documented.receive(retry, genuine.body)
    # then: acknowledged, not processed again
    assert status == 200
    assert documented.processed == [b"<alert>closure</alert>"]


@pytest.mark.parametrize(
    ("case", "forge"),
    [
        (
            "signed with another secret",
            lambda r: {
                **headers_of(r),
                "Seemix-Signature": signature_header("whsec_guessed", r.timestamp, r.body),
            },
        ),
        ("body altered", lambda r: headers_of(r) | {"body": b"<alert>opened</alert>"}),
        ("timestamp altered", lambda r: {**headers_of(r), "Seemix-Timestamp": str(int(r.timestamp) + 1)}),
        ("no signature", lambda r: {**headers_of(r), "Seemix-Signature": ""}),
        ("malformed signature", lambda r: {**headers_of(r), "Seemix-Signature": "v1"}),
        (
            "another scheme",
            lambda r: {**headers_of(r), "Seemix-Signature": r.signature.replace("v1=", "v0=")},
        ),
        ("malformed timestamp", lambda r: {**headers_of(r), "Seemix-Timestamp": "yesterday"}),
    ],
)
def test_a_forged_request_is_refused(
    case: str, forge: Callable[[Received], dict[str, Any]], captured: tuple[Received, DocumentedReceiver]
) -> None:
    # given
    genuine, documented = captured
    headers = forge(genuine)
    body = headers.pop("body", genuine.body)
    # when
    status = documented.receive(headers, body)
    # then
    assert status == 401, case
    assert documented.processed == [b"<alert>closure</alert>"]


def test_a_replay_after_the_tolerance_is_refused(captured: tuple[Received, DocumentedReceiver]) -> None:
    # given
    genuine, documented = captured
    fresh = DocumentedReceiver(SECRET)  # even a receiver that never saw it refuses it
    later = int(genuine.timestamp) + TOLERANCE + 1
    # when
    statuses = [
        documented.receive(headers_of(genuine), genuine.body, now=later),
        fresh.receive(headers_of(genuine), genuine.body, now=later),
    ]
    # then
    assert statuses == [401, 401]
    assert fresh.processed == []


def test_a_replay_within_the_tolerance_is_refused_even_under_a_new_delivery_id(
    captured: tuple[Received, DocumentedReceiver],
) -> None:
    # given
    genuine, documented = captured
    # when
    as_is = documented.receive(headers_of(genuine), genuine.body)
    renamed = documented.receive(
        {**headers_of(genuine), "Seemix-Delivery-Id": "00000000-0000-0000-0000-000000000001"}, genuine.body
    )
    # then
    assert (as_is, renamed) == (409, 409)
    assert documented.processed == [b"<alert>closure</alert>"]


def test_verify_signature_refuses_a_timestamp_from_the_future() -> None:
    # given
    now = 1_442_275_200
    ahead = now + TOLERANCE + 1
    # then
    future = signature_header(SECRET, ahead, b"x")
    assert not verify_signature(SECRET, ahead, b"x", future, tolerance=TOLERANCE, now=now)
    assert verify_signature(
        SECRET, now, b"x", signature_header(SECRET, now, b"x"), tolerance=TOLERANCE, now=now
    )


def test_verify_signature_defaults_to_the_settings_tolerance(settings: Any) -> None:
    # given
    settings.SEEMIX_WEBHOOK_TOLERANCE_SECONDS = 60
    signed_at = 1_442_275_200
    header = signature_header(SECRET, signed_at, "body")
    # then
    assert verify_signature(SECRET, signed_at, "body", header, now=signed_at + 60)
    assert not verify_signature(SECRET, signed_at, "body", header, now=signed_at + 61)


def test_a_rotated_secret_signs_the_next_attempt(
    participants: Any, receivers: Callable[..., Receiver], make_user: Callable[..., Any]
) -> None:
    # given: an endpoint whose receiver answers 500 once, then its secret is rotated
    from seemix.directory.principals import principal_for_user
    from seemix.outbox.services import rotate_webhook_secret

    receiver = receivers(status=500)
    endpoint = make_endpoint(participants["RS"], receiver.url)
    enqueue([make_message(participants["RS"])])
    process_due()
    coordinator = principal_for_user(make_user("RS", "coordinator"))
    new_secret = rotate_webhook_secret(endpoint, actor=coordinator).secret
    receiver.status = 200
    # when
    process_due(now=timezone.now() + timedelta(hours=1))  # past the retry's backoff
    # then
    first, second = receiver.received
    assert verify_signature(SECRET, first.timestamp, first.body, first.signature, tolerance=TOLERANCE)
    assert verify_signature(new_secret, second.timestamp, second.body, second.signature, tolerance=TOLERANCE)
    assert not verify_signature(SECRET, second.timestamp, second.body, second.signature, tolerance=TOLERANCE)
    assert Delivery.objects.get(channel=Channel.WEBHOOK).status == DeliveryStatus.DELIVERED


def test_a_forged_post_to_a_live_receiver_is_refused_over_http(
    participants: Any, receivers: Callable[..., Receiver]
) -> None:
    # given: the documented receiver behind a real HTTP server
    documented = DocumentedReceiver(SECRET)
    statuses: list[int] = []
    receiver = receivers(on_request=lambda r: statuses.append(documented.receive(headers_of(r), r.body)))
    timestamp = str(int(time.time()))
    forged = urllib.request.Request(
        receiver.url,
        data=b"<alert>forged</alert>",
        method="POST",
        headers={
            "Seemix-Delivery-Id": "00000000-0000-0000-0000-000000000002",
            "Seemix-Timestamp": timestamp,
            "Seemix-Signature": signature_header("whsec_not-the-secret", timestamp, b"<alert>forged</alert>"),
        },
    )
    # when
    with urllib.request.urlopen(forged, timeout=5) as response:
        response.read()
    # then
    assert statuses == [401]
    assert documented.processed == []
