"""Every state change of the outbox: enqueue deliveries, keep webhook endpoints, re-send dead letters.

``enqueue`` is the one way in for producers (measures now; flows reminders, alerts, bulletins
later). Call it inside the producer's transaction: the deliveries are written with the thing they
announce, and the worker is woken only after the commit.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from seemix.core import audit
from seemix.core.access import Principal, require_role
from seemix.core.errors import Conflict, FieldError, InvalidInput
from seemix.directory.models import ContactPoint, ContactTopic, Participant, Role
from seemix.outbox.models import Channel, Delivery, DeliveryStatus, WebhookEndpoint
from seemix.outbox.sealing import seal

ALL_CHANNELS: tuple[str, ...] = (Channel.EMAIL, Channel.WEBHOOK, Channel.INBOX)
SECRET_PREFIX = "whsec_"


@dataclass(frozen=True)
class OutgoingMessage:
    """One message to one addressee participant; ``enqueue`` fans it out to its channels.

    ``subject`` and ``body`` are the email's subject line and plain text (the inbox shows them
    too); ``payload`` with ``content_type`` is the webhook's request body (e.g. CAP XML as
    "application/cap+xml"). The producer puts nothing in them that the participant may not see.
    """

    participant: Participant
    topic: str  # a ContactTopic value, e.g. "measures": whose contact points receive the email
    event: str  # e.g. "measure.notified"; the webhook's Seemix-Event header
    subject_type: str  # what the message announces, e.g. "measures.notification"
    subject_id: str  # and its key, e.g. "42"
    subject: str
    body: str
    payload: str = ""
    content_type: str = "application/json"
    channels: tuple[str, ...] = ALL_CHANNELS
    # Email the participant's contact points reachable 24/7 (of any topic), else the topic's: for
    # what cannot wait for office hours, such as an escalation.
    round_the_clock: bool = False


def _message_errors(message: OutgoingMessage, index: int) -> list[FieldError]:
    where = f"messages[{index}]"
    errors = []
    if message.topic not in ContactTopic.values:
        errors.append(FieldError(f"{where}.topic", f"'{message.topic}' is not a contact topic"))
    unknown = [c for c in message.channels if c not in Channel.values]
    if unknown or not message.channels:
        errors.append(FieldError(f"{where}.channels", f"channels must be among {', '.join(Channel.values)}"))
    for name, limit in (("event", 80), ("subject_type", 80), ("subject_id", 64), ("subject", 300)):
        value = getattr(message, name)
        if not value or len(value) > limit:
            errors.append(FieldError(f"{where}.{name}", f"required, at most {limit} characters"))
    if Channel.WEBHOOK in message.channels and len(message.content_type) > 100:
        errors.append(FieldError(f"{where}.content_type", "at most 100 characters"))
    return errors


def email_reachable_participant_ids(
    participant_ids: Iterable[int], topic: str, *, round_the_clock: bool = False
) -> set[int]:
    """Participants with an active contact point that has an email address for ``topic`` or GENERAL
    (or, for ``round_the_clock``, also one reachable 24/7 of any topic)."""
    reaches = Q(topic__in=[topic, ContactTopic.GENERAL])
    if round_the_clock:
        reaches |= Q(available_24_7=True)
    return set(
        ContactPoint.objects.filter(reaches, participant_id__in=list(participant_ids), is_active=True)
        .exclude(email="")
        .values_list("participant_id", flat=True)
    )


def wake_worker() -> None:
    """Enqueue the delivery task (after the commit: the worker must see the rows it is woken for)."""
    from seemix.outbox.tasks import deliver_due

    deliver_due.enqueue()


def enqueue(messages: Iterable[OutgoingMessage]) -> list[Delivery]:
    """Write the deliveries of ``messages`` and wake the worker once the transaction commits.

    Fan-out per message: ``inbox`` -> one row, delivered at once (the in-app inbox reads it);
    ``webhook`` -> one row per active endpoint of the participant; ``email`` -> one row if the
    participant has, now, an active contact point with an email address for the topic or else a
    GENERAL one. The addresses themselves are resolved when the email is sent (the topic's contact
    points, else the GENERAL ones), so a contact point corrected before a retry is honoured.
    A channel with nothing to send to writes no row.
    """
    messages = list(messages)
    errors = [e for i, m in enumerate(messages) for e in _message_errors(m, i)]
    if errors:
        raise InvalidInput(errors)
    if not messages:
        return []
    now = timezone.now()
    participant_ids = {m.participant.pk for m in messages}
    endpoints: dict[int, list[WebhookEndpoint]] = defaultdict(list)
    for endpoint in WebhookEndpoint.objects.filter(participant_id__in=participant_ids, is_active=True):
        endpoints[endpoint.participant_id].append(endpoint)
    reachable: dict[tuple[str, bool], set[int]] = {}
    rows: list[Delivery] = []
    for message in messages:
        common = {
            "participant": message.participant,
            "topic": message.topic,
            "round_the_clock": message.round_the_clock,
            "event": message.event,
            "subject_type": message.subject_type,
            "subject_id": message.subject_id,
            "subject": message.subject,
            "body": message.body,
        }
        if Channel.INBOX in message.channels:
            rows.append(
                Delivery(**common, channel=Channel.INBOX, status=DeliveryStatus.DELIVERED, delivered_at=now)
            )
        if Channel.EMAIL in message.channels:
            key = (message.topic, message.round_the_clock)
            if key not in reachable:
                reachable[key] = email_reachable_participant_ids(
                    participant_ids, message.topic, round_the_clock=message.round_the_clock
                )
            if message.participant.pk in reachable[key]:
                rows.append(Delivery(**common, channel=Channel.EMAIL, next_attempt_at=now))
        if Channel.WEBHOOK in message.channels:
            for endpoint in endpoints[message.participant.pk]:
                rows.append(
                    Delivery(
                        **common,
                        channel=Channel.WEBHOOK,
                        endpoint=endpoint,
                        payload=message.payload,
                        content_type=message.content_type,
                        next_attempt_at=now,
                    )
                )
    with transaction.atomic():
        created = Delivery.objects.bulk_create(rows)
        if any(row.status == DeliveryStatus.PENDING for row in created):
            # robust: a failure to enqueue is logged, never raised into the producer's committed request;
            # the worker's periodic sweep (seemix worker / seemix deliver) still sends the rows.
            transaction.on_commit(wake_worker, robust=True)
    return created


# --- Webhook endpoints ----------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedEndpoint:
    endpoint: WebhookEndpoint
    # The only time the secret leaves the server in clear: shown once to the coordinator.
    secret: str


def _require_coordinator(actor: Principal, participant: Participant) -> None:
    require_role(actor, participant.pk, Role.COORDINATOR)


def _new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _endpoint_errors(url: str, description: str) -> list[FieldError]:
    errors = []
    try:
        URLValidator(schemes=["http", "https"])(url)
        if len(url) > 500:
            raise ValidationError("too long")
    except ValidationError:
        errors.append(FieldError("url", _("Give an http:// or https:// URL of at most 500 characters.")))
    if len(description) > 200:
        errors.append(FieldError("description", _("At most %(n)d characters.") % {"n": 200}, "too_long"))
    return errors


def _resolve_participant(value: Participant | str) -> Participant:
    if isinstance(value, Participant):
        return value
    participant = Participant.objects.filter(code=value, is_active=True).first()
    if participant is None:
        raise InvalidInput(
            FieldError("participant", _("No active participant has the code '%(code)s'.") % {"code": value})
        )
    return participant


def create_webhook_endpoint(
    *, actor: Principal, participant: Participant | str, url: str, description: str = ""
) -> IssuedEndpoint:
    """Register a receiver for the participant's deliveries; the secret is returned once."""
    participant = _resolve_participant(participant)
    _require_coordinator(actor, participant)
    url, description = url.strip(), description.strip()
    errors = _endpoint_errors(url, description)
    if errors:
        raise InvalidInput(errors)
    secret = _new_secret()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            participant=participant,
            url=url,
            description=description,
            secret_encrypted=seal(secret),
            secret_hint=secret[: len(SECRET_PREFIX) + 4],
            created_by=actor.user,
        )
        audit.record(
            actor,
            "webhook_endpoint.created",
            endpoint,
            participant_code=participant.code,
            changes={"url": url, "description": description},
        )
    return IssuedEndpoint(endpoint=endpoint, secret=secret)


def rotate_webhook_secret(endpoint: WebhookEndpoint, *, actor: Principal) -> IssuedEndpoint:
    """A new secret at once; deliveries signed from now on use it (the old one stops working)."""
    _require_coordinator(actor, endpoint.participant)
    if not endpoint.is_active:
        raise Conflict(_("This endpoint is deactivated; register a new one."))
    secret = _new_secret()
    with transaction.atomic():
        endpoint.secret_encrypted = seal(secret)
        endpoint.secret_hint = secret[: len(SECRET_PREFIX) + 4]
        endpoint.secret_rotated_at = timezone.now()
        endpoint.save(update_fields=["secret_encrypted", "secret_hint", "secret_rotated_at"])
        audit.record(
            actor, "webhook_endpoint.secret_rotated", endpoint, participant_code=endpoint.participant.code
        )
    return IssuedEndpoint(endpoint=endpoint, secret=secret)


def deactivate_webhook_endpoint(endpoint: WebhookEndpoint, *, actor: Principal) -> WebhookEndpoint:
    """No new deliveries to it; those already due are dead-lettered when the worker reaches them."""
    _require_coordinator(actor, endpoint.participant)
    if not endpoint.is_active:
        return endpoint
    with transaction.atomic():
        endpoint.is_active = False
        endpoint.deactivated_at = timezone.now()
        endpoint.save(update_fields=["is_active", "deactivated_at"])
        audit.record(
            actor, "webhook_endpoint.deactivated", endpoint, participant_code=endpoint.participant.code
        )
    return endpoint


# --- Dead letters ---------------------------------------------------------------------------------


def resend(delivery: Delivery, *, actor: Principal) -> Delivery:
    """Give a dead letter a new round of attempts, under the same delivery id (receivers dedupe on it)."""
    _require_coordinator(actor, delivery.participant)
    if delivery.status != DeliveryStatus.DEAD:
        raise Conflict(
            _("Only a dead letter can be re-sent; this delivery is %(status)s.")
            % {"status": delivery.get_status_display()}
        )
    if (
        delivery.channel == Channel.WEBHOOK
        and delivery.endpoint is not None
        and not delivery.endpoint.is_active
    ):
        raise Conflict(_("The webhook endpoint of this delivery is deactivated."))
    with transaction.atomic():
        # Guard against a concurrent re-send: only the request that moves it out of DEAD counts.
        moved = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.DEAD).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        if not moved:
            raise Conflict(_("This delivery is no longer a dead letter."))
        audit.record(
            actor,
            "delivery.resent",
            delivery,
            participant_code=delivery.participant.code,
            changes={"delivery_id": str(delivery.delivery_id), "last_error": delivery.last_error},
        )
        transaction.on_commit(wake_worker, robust=True)
    delivery.refresh_from_db()
    return delivery
