"""The worker's side of the outbox: claim due deliveries, send them, record every attempt.

Claiming. A due row (``models.DUE_STATUSES`` with ``next_attempt_at <= now``) is claimed in a short
transaction that marks it SENDING, counts the attempt and sets ``next_attempt_at`` to the end of a
lease. On PostgreSQL the rows are selected ``FOR UPDATE SKIP LOCKED``, so workers running at once
never claim the same row; on SQLite the transaction is BEGIN IMMEDIATE (settings), which serialises
claims. A worker killed after claiming leaves SENDING rows whose lease runs out: they are due again
and the next worker sends them under the same delivery id (at-least-once; receivers dedupe).

Sending. The network work (HTTP, SMTP) runs outside any transaction in a small thread pool; only
the main thread touches the database. A row is claimed when a thread is free to send it at once, so
a slow or dead receiver holds one thread for at most the timeout and never the others' deliveries.
"""

from __future__ import annotations

import http.client
import logging
import random
import time
import urllib.error
import urllib.request
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from seemix.directory.models import ContactPoint, ContactTopic
from seemix.outbox.models import (
    DUE_STATUSES,
    AttemptOutcome,
    Channel,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
)
from seemix.outbox.sealing import UnsealError, unseal
from seemix.outbox.signing import (
    HEADER_DELIVERY_ID,
    HEADER_EVENT,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    signature_header,
)

logger = logging.getLogger(__name__)

# Deliveries in flight at once per worker process: enough that one slow receiver costs little.
SENDER_THREADS = 16
USER_AGENT = "seemix-webhooks/1"
# Read at most this much of a receiver's answer: its status is what counts.
MAX_RESPONSE_BYTES = 64 * 1024


def lease_seconds() -> float:
    """How long a claim holds a row: twice the longest a send may take, plus a margin."""
    email_timeout = getattr(settings, "EMAIL_TIMEOUT", None) or 0
    return 2 * max(settings.SEEMIX_WEBHOOK_TIMEOUT_SECONDS, email_timeout) + 5


def backoff_seconds(attempts: int, rng: random.Random | None = None) -> float:
    """Exponential backoff with full jitter: uniform in [0, min(max, base * 2 ** (attempts - 1))]."""
    ceiling = min(
        settings.SEEMIX_DELIVERY_BACKOFF_MAX_SECONDS,
        settings.SEEMIX_DELIVERY_BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0),
    )
    return (rng or random).uniform(0, ceiling)


def due_deliveries(now: datetime) -> QuerySet[Delivery]:
    return Delivery.objects.filter(status__in=DUE_STATUSES, next_attempt_at__lte=now)


def claim_due(now: datetime, limit: int) -> list[Delivery]:
    """Claim up to ``limit`` due rows for this worker (see the module's docstring)."""
    with transaction.atomic():
        due = due_deliveries(now).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.SENDING,
            attempts=F("attempts") + 1,
            next_attempt_at=now + timedelta(seconds=lease_seconds()),
        )
    return list(Delivery.objects.filter(pk__in=ids).select_related("participant", "endpoint").order_by("id"))


# --- Sending (no database access below this line until record()) ----------------------------------


@dataclass(frozen=True)
class Result:
    outcome: str
    http_status: int | None = None
    error: str = ""
    # No further attempt can succeed (e.g. the endpoint was deactivated): dead-letter at once.
    permanent: bool = False
    duration_ms: int = 0


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A receiver that redirects has moved: say so in the error instead of re-posting elsewhere.
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def _short(error: BaseException) -> str:
    # The exception's class and message only: never the payload, the body or the secret.
    return f"{type(error).__name__}: {error}"[:500]


def post_webhook(
    url: str, secret: str, delivery_id: str, event: str, payload: str, content_type: str
) -> Result:
    body = payload.encode()
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 - the URL was validated as http(s) when registered
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": content_type,
            "User-Agent": USER_AGENT,
            HEADER_DELIVERY_ID: delivery_id,
            HEADER_EVENT: event,
            HEADER_TIMESTAMP: str(timestamp),
            HEADER_SIGNATURE: signature_header(secret, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=settings.SEEMIX_WEBHOOK_TIMEOUT_SECONDS) as response:
            response.read(MAX_RESPONSE_BYTES)
            status = response.status
    except urllib.error.HTTPError as error:
        error.close()
        return Result(AttemptOutcome.FAILED, http_status=error.code, error=f"HTTP {error.code}")
    except (OSError, ValueError, http.client.HTTPException) as error:  # refused, timed out, garbled
        return Result(AttemptOutcome.FAILED, error=_short(error))
    if 200 <= status < 300:
        return Result(AttemptOutcome.DELIVERED, http_status=status)
    return Result(AttemptOutcome.FAILED, http_status=status, error=f"HTTP {status}")


def send_email(delivery_id: str, subject: str, body: str, recipients: list[str]) -> Result:
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        headers={"X-Seemix-Delivery-Id": delivery_id},
        connection=get_connection(fail_silently=False),
    )
    try:
        message.send()
    except Exception as error:
        return Result(AttemptOutcome.FAILED, error=_short(error))
    return Result(AttemptOutcome.DELIVERED)


def email_recipients(delivery: Delivery) -> list[str]:
    """The topic's contact points' addresses, else the GENERAL ones (resolved at send time).

    A round-the-clock delivery goes to the contact points reachable 24/7 first, of whatever topic.
    """
    points = ContactPoint.objects.filter(participant_id=delivery.participant_id, is_active=True).exclude(
        email=""
    )
    by_topic: dict[str, set[str]] = {}
    round_the_clock: set[str] = set()
    for topic, email, always in points.values_list("topic", "email", "available_24_7"):
        by_topic.setdefault(topic, set()).add(email)
        if always:
            round_the_clock.add(email)
    if delivery.round_the_clock and round_the_clock:
        return sorted(round_the_clock)
    return sorted(by_topic.get(delivery.topic) or by_topic.get(ContactTopic.GENERAL) or [])


def _prepared(delivery: Delivery) -> tuple[object, ...] | Result:
    """What the sending thread needs (read here, in the main thread), or the Result that it can't be sent."""
    if delivery.channel == Channel.WEBHOOK:
        endpoint = delivery.endpoint
        if endpoint is None or not endpoint.is_active:
            return Result(AttemptOutcome.FAILED, error="the webhook endpoint is deactivated", permanent=True)
        try:
            secret = unseal(endpoint.secret_encrypted)
        except UnsealError:
            return Result(
                AttemptOutcome.FAILED,
                error="the endpoint's secret cannot be unsealed (SECRET_KEY changed?): rotate it",
                permanent=True,
            )
        return (
            post_webhook,
            endpoint.url,
            secret,
            str(delivery.delivery_id),
            delivery.event,
            delivery.payload,
            delivery.content_type,
        )
    if delivery.channel == Channel.EMAIL:
        recipients = email_recipients(delivery)
        if not recipients:
            return Result(AttemptOutcome.FAILED, error="no active contact point with an email address")
        return (send_email, str(delivery.delivery_id), delivery.subject, delivery.body, recipients)
    return Result(AttemptOutcome.FAILED, error=f"channel {delivery.channel} is not sent", permanent=True)


def _timed(call: tuple[object, ...]) -> Result:
    started = time.perf_counter()
    function, *args = call
    result: Result = function(*args)  # type: ignore[operator]
    return Result(
        result.outcome,
        result.http_status,
        result.error,
        result.permanent,
        int((time.perf_counter() - started) * 1000),
    )


# --- Recording ------------------------------------------------------------------------------------


def record(delivery: Delivery, result: Result, *, started_at: datetime, now: datetime | None = None) -> str:
    """Write the attempt and the delivery's new state; returns the new status."""
    return record_all([(delivery, result, started_at)], now=now)[0]


def record_all(
    outcomes: list[tuple[Delivery, Result, datetime]], *, now: datetime | None = None
) -> list[str]:
    """``record`` for several attempts in one transaction (one commit, not one per delivery)."""
    now = now or timezone.now()
    statuses: list[str] = []
    delivered: list[int] = []
    with transaction.atomic():
        DeliveryAttempt.objects.bulk_create(
            DeliveryAttempt(
                delivery=delivery,
                number=delivery.attempts,
                started_at=started_at,
                outcome=result.outcome,
                http_status=result.http_status,
                error=result.error[:500],
                duration_ms=result.duration_ms,
            )
            for delivery, result, started_at in outcomes
        )
        for delivery, result, _ in outcomes:
            if result.outcome == AttemptOutcome.DELIVERED:
                statuses.append(DeliveryStatus.DELIVERED)
                delivered.append(delivery.pk)
                continue
            dead = result.permanent or delivery.attempts >= settings.SEEMIX_DELIVERY_MAX_ATTEMPTS
            status = DeliveryStatus.DEAD if dead else DeliveryStatus.FAILED
            next_at = None if dead else now + timedelta(seconds=backoff_seconds(delivery.attempts))
            # Only while the claim is still ours: a row re-claimed after our lease ran out is theirs.
            Delivery.objects.filter(
                pk=delivery.pk, status=DeliveryStatus.SENDING, attempts=delivery.attempts
            ).update(status=status, next_attempt_at=next_at, last_error=result.error[:500])
            statuses.append(status)
            if dead:
                logger.warning("delivery %s dead-lettered: %s", delivery.delivery_id, result.error)
        if delivered:
            # Even if our lease ran out and another worker re-claimed the row, it did arrive.
            Delivery.objects.filter(pk__in=delivered).exclude(status=DeliveryStatus.DELIVERED).update(
                status=DeliveryStatus.DELIVERED, delivered_at=now, next_attempt_at=None, last_error=""
            )
    return statuses


@dataclass
class Run:
    """What one ``process_due`` did: the count per resulting status, and whether rows remain due."""

    counts: dict[str, int] = field(default_factory=dict)
    more_due: bool = False

    @property
    def attempted(self) -> int:
        return sum(self.counts.values())


def process_due(
    *, now: datetime | None = None, max_seconds: float | None = None, threads: int = SENDER_THREADS
) -> Run:
    """Send every due delivery, keeping ``threads`` in flight; return when none is due or in flight.

    ``now`` fixes the clock (tests move time forward with it); by default it is read on each claim.
    After ``max_seconds`` no new row is claimed: those in flight finish and ``more_due`` says
    whether the caller should run again (the task re-enqueues itself, so other tasks get a turn).
    """
    run = Run()
    deadline = None if max_seconds is None else time.monotonic() + max_seconds
    # Claim when a quarter of the threads are free (fewer, larger claims), or when all are.
    claim_at = max(1, threads // 4)
    in_flight: dict[Future[Result], tuple[Delivery, datetime]] = {}

    def count(statuses: list[str]) -> None:
        for status in statuses:
            run.counts[status] = run.counts.get(status, 0) + 1

    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="seemix-delivery") as pool:
        claiming = True
        while True:
            if claiming and deadline is not None and time.monotonic() >= deadline:
                claiming = False
                run.more_due = due_deliveries(now or timezone.now()).exists()
            free = threads - len(in_flight)
            if claiming and (free >= claim_at or not in_flight):
                unsendable = []
                for delivery in claim_due(now or timezone.now(), free):
                    started_at = now or timezone.now()
                    prepared = _prepared(delivery)
                    if isinstance(prepared, Result):
                        unsendable.append((delivery, prepared, started_at))
                    else:
                        in_flight[pool.submit(_timed, prepared)] = (delivery, started_at)
                if unsendable:
                    count(record_all(unsendable, now=now))
            if not in_flight:
                # Nothing in flight after a claim on a free pool: nothing is due, unless rows are being
                # claimed by another worker at this instant (SKIP LOCKED passed them over).
                if not claiming or not due_deliveries(now or timezone.now()).exists():
                    break
                time.sleep(0.05)
                continue
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            finished = []
            for future in done:
                delivery, started_at = in_flight.pop(future)
                try:
                    result = future.result()
                except Exception as error:
                    logger.exception("sending delivery %s failed", delivery.delivery_id)
                    result = Result(AttemptOutcome.FAILED, error=_short(error))
                finished.append((delivery, result, started_at))
            count(record_all(finished, now=now))
    return run
