"""The worker's sending, against real receivers on 127.0.0.1: signing, retries, dead letters, email."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core import mail
from django.utils import timezone

from seemix.directory.models import ContactPoint, ContactTopic
from seemix.outbox.models import AttemptOutcome, Channel, Delivery, DeliveryAttempt, DeliveryStatus
from seemix.outbox.sending import backoff_seconds, claim_due, lease_seconds, process_due
from seemix.outbox.services import enqueue
from seemix.outbox.signing import verify_signature
from tests.outbox.conftest import SECRET, make_endpoint, make_message
from tests.outbox.receivers import Received, Receiver


def webhook_rows() -> Any:
    return Delivery.objects.filter(channel=Channel.WEBHOOK)


def test_a_webhook_arrives_signed_with_its_delivery_id(
    participants: Any, receivers: Callable[..., Receiver]
) -> None:
    # given
    receiver = receivers()
    make_endpoint(participants["RS"], receiver.url)
    enqueue([make_message(participants["RS"])])
    delivery = webhook_rows().get()
    # when
    run = process_due()
    # then
    assert run.counts == {DeliveryStatus.DELIVERED: 1}
    [request] = receiver.received
    assert request.delivery_id == str(delivery.delivery_id)
    assert (request.event, request.content_type, request.body) == (
        "measure.notified",
        "application/cap+xml",
        b"<alert>closure</alert>",
    )
    assert verify_signature(SECRET, request.timestamp, request.body, request.signature)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at, delivery.last_error) == (
        DeliveryStatus.DELIVERED,
        1,
        None,
        "",
    )
    assert delivery.delivered_at is not None
    assert list(DeliveryAttempt.objects.values_list("number", "outcome", "http_status")) == [
        (1, AttemptOutcome.DELIVERED, 200)
    ]


def test_a_receiver_answering_500_is_retried_with_backoff_then_dead_lettered(
    participants: Any, receivers: Callable[..., Receiver], settings: Any
) -> None:
    # given
    settings.SEEMIX_DELIVERY_MAX_ATTEMPTS = 3
    settings.SEEMIX_DELIVERY_BACKOFF_BASE_SECONDS = 10
    failing = receivers(status=500)
    make_endpoint(participants["RS"], failing.url)
    enqueue([make_message(participants["RS"])])
    delivery = webhook_rows().get()
    t0 = timezone.now()
    # when: the first attempt
    process_due(now=t0)
    # then
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.FAILED, 1, "HTTP 500")
    assert t0 <= delivery.next_attempt_at <= t0 + timedelta(seconds=10)
    # when: the clock has not reached the retry, then has
    not_yet = process_due(now=delivery.next_attempt_at - timedelta(microseconds=1))
    process_due(now=t0 + timedelta(seconds=20))
    process_due(now=t0 + timedelta(seconds=60))
    # then
    assert not_yet.attempted == 0
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.DEAD, 3, None)
    assert failing.delivery_ids() == [str(delivery.delivery_id)] * 3
    assert list(delivery.attempt_log.values_list("number", "http_status", "error")) == [
        (1, 500, "HTTP 500"),
        (2, 500, "HTTP 500"),
        (3, 500, "HTTP 500"),
    ]
    # when: a dead letter is not picked up again, whatever the time
    assert process_due(now=t0 + timedelta(days=30)).attempted == 0


def test_a_receiver_that_times_out_does_not_delay_the_others(
    participants: Any, receivers: Callable[..., Receiver], settings: Any
) -> None:
    # given: the slow receiver's delivery is claimed first, and holds its request until the others have
    # arrived or until well past the sender's timeout; five receivers answer at once
    settings.SEEMIX_WEBHOOK_TIMEOUT_SECONDS = 1
    others_arrived = threading.Event()
    fast: list[Receiver] = []
    seen: dict[str, bool] = {}

    def count(_: Received) -> None:
        if all(r.received for r in fast):
            others_arrived.set()

    def hold(_: Received) -> None:
        seen["others arrived while the slow one was held"] = others_arrived.wait(timeout=5)
        time.sleep(3)  # well past the sender's timeout of 1 s

    slow = receivers(on_request=hold)
    fast.extend(receivers(on_request=count) for _ in range(5))
    codes = ["GR", "MK", "HR", "SI", "AT"]
    make_endpoint(participants["RS"], slow.url)
    for code, receiver in zip(codes, fast, strict=True):
        make_endpoint(participants[code], receiver.url)
    enqueue([make_message(participants["RS"])])
    enqueue([make_message(participants[code]) for code in codes])
    # when
    run = process_due()
    # then
    assert seen == {"others arrived while the slow one was held": True}
    assert run.counts == {DeliveryStatus.DELIVERED: 5, DeliveryStatus.FAILED: 1}
    slow_delivery = webhook_rows().get(participant__code="RS")
    assert slow_delivery.status == DeliveryStatus.FAILED
    assert "timed out" in slow_delivery.last_error
    assert set(webhook_rows().exclude(participant__code="RS").values_list("status", flat=True)) == {
        DeliveryStatus.DELIVERED
    }


def test_a_claim_whose_worker_died_is_sent_again_under_the_same_id_after_its_lease(
    participants: Any, receivers: Callable[..., Receiver]
) -> None:
    # given: a worker claimed the row, then died before sending it
    receiver = receivers()
    make_endpoint(participants["RS"], receiver.url)
    enqueue([make_message(participants["RS"])])
    t0 = timezone.now()
    [claimed] = claim_due(t0, 10)
    # when
    during_lease = process_due(now=t0 + timedelta(seconds=lease_seconds() - 1))
    after_lease = process_due(now=t0 + timedelta(seconds=lease_seconds() + 1))
    # then
    assert during_lease.attempted == 0
    assert after_lease.counts == {DeliveryStatus.DELIVERED: 1}
    assert receiver.delivery_ids() == [str(claimed.delivery_id)]
    claimed.refresh_from_db()
    assert (claimed.status, claimed.attempts) == (DeliveryStatus.DELIVERED, 2)


def test_a_delivery_to_a_deactivated_endpoint_is_dead_lettered_unsent(
    participants: Any, receivers: Callable[..., Receiver]
) -> None:
    # given
    receiver = receivers()
    endpoint = make_endpoint(participants["RS"], receiver.url)
    enqueue([make_message(participants["RS"])])
    endpoint.is_active = False
    endpoint.save()
    # when
    process_due()
    # then
    delivery = webhook_rows().get()
    assert (delivery.status, delivery.last_error) == (
        DeliveryStatus.DEAD,
        "the webhook endpoint is deactivated",
    )
    assert receiver.received == []


def test_email_goes_to_the_topics_contact_points_else_the_general_ones_and_only_the_addressees(
    participants: Any,
) -> None:
    # given: Serbia has a measures desk; Croatia only a general one; Greece is not addressed
    rs, hr, gr = participants["RS"], participants["HR"], participants["GR"]
    ContactPoint.objects.create(
        participant=rs, topic=ContactTopic.MEASURES, name="Desk", email="desk@rs.example"
    )
    ContactPoint.objects.create(
        participant=rs, topic=ContactTopic.GENERAL, name="Office", email="office@rs.example"
    )
    ContactPoint.objects.create(
        participant=hr, topic=ContactTopic.GENERAL, name="Office", email="office@hr.example"
    )
    ContactPoint.objects.create(
        participant=gr, topic=ContactTopic.MEASURES, name="Desk", email="desk@gr.example"
    )
    restricted = "RESTRICTED: closure of the Horgoš crossing point"
    enqueue(
        [
            make_message(rs, subject=restricted, body="Only for Serbia and Croatia."),
            make_message(hr, subject=restricted, body="Only for Serbia and Croatia."),
        ]
    )
    # when
    process_due()
    # then
    sent = sorted((m.to, m.subject, m.body) for m in mail.outbox)
    assert sent == [
        (["desk@rs.example"], restricted, "Only for Serbia and Croatia."),
        (["office@hr.example"], restricted, "Only for Serbia and Croatia."),
    ]
    ids = {m.extra_headers["X-Seemix-Delivery-Id"] for m in mail.outbox}
    assert ids == {
        str(i) for i in Delivery.objects.filter(channel=Channel.EMAIL).values_list("delivery_id", flat=True)
    }
    assert not any("desk@gr.example" in m.to for m in mail.outbox)


def test_an_email_with_no_address_left_at_send_time_fails_and_is_retried(participants: Any) -> None:
    # given
    rs = participants["RS"]
    point = ContactPoint.objects.create(
        participant=rs, topic=ContactTopic.GENERAL, name="Office", email="o@rs.example"
    )
    enqueue([make_message(rs)])
    point.is_active = False
    point.save()
    # when
    process_due()
    # then
    delivery = Delivery.objects.get(channel=Channel.EMAIL)
    assert (delivery.status, delivery.last_error) == (
        DeliveryStatus.FAILED,
        "no active contact point with an email address",
    )
    assert mail.outbox == []


def test_backoff_is_exponential_with_full_jitter_up_to_the_maximum(settings: Any) -> None:
    # given
    settings.SEEMIX_DELIVERY_BACKOFF_BASE_SECONDS = 10
    settings.SEEMIX_DELIVERY_BACKOFF_MAX_SECONDS = 3600
    rng = random.Random(4)
    # when
    ceilings = {n: max(backoff_seconds(n, rng) for _ in range(2000)) for n in (1, 2, 3, 12)}
    floors = {n: min(backoff_seconds(n, rng) for _ in range(2000)) for n in (1, 12)}
    # then
    assert 9 < ceilings[1] <= 10
    assert 19 < ceilings[2] <= 20
    assert 39 < ceilings[3] <= 40
    assert 3500 < ceilings[12] <= 3600
    assert floors[1] < 0.1
    assert floors[12] < 10


def test_a_receiver_that_hangs_up_or_garbles_its_answer_is_a_failed_attempt(participants: Any) -> None:
    # given: two raw TCP servers, one closing at once, one answering something that is not HTTP
    import socket

    def serve(answer: bytes) -> socket.socket:
        server = socket.create_server(("127.0.0.1", 0))

        def loop() -> None:
            while True:
                try:
                    conn, _ = server.accept()
                except OSError:
                    return
                conn.recv(65536)
                conn.sendall(answer)
                conn.close()

        threading.Thread(target=loop, daemon=True).start()
        return server

    hang_up, garble = serve(b""), serve(b"SMTP READY\r\n\r\n")
    make_endpoint(participants["RS"], f"http://127.0.0.1:{hang_up.getsockname()[1]}/hook")
    make_endpoint(participants["HR"], f"http://127.0.0.1:{garble.getsockname()[1]}/hook")
    enqueue([make_message(participants["RS"]), make_message(participants["HR"])])
    # when
    run = process_due()
    # then
    hang_up.close()
    garble.close()
    assert run.counts == {DeliveryStatus.FAILED: 2}
    errors = dict(webhook_rows().values_list("participant__code", "last_error"))
    # A hang-up reads as a disconnection or a reset, depending on timing; garbage as a bad status line.
    assert errors["RS"].split(":")[0] in {"RemoteDisconnected", "ConnectionResetError", "BadStatusLine"}
    assert errors["HR"].split(":")[0] in {"BadStatusLine", "ConnectionResetError"}
    assert all("<alert>" not in e for e in errors.values())
