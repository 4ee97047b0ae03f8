"""The durable outbox: one Delivery row per addressee participant and channel, worked by the worker.

A delivery is written in the producer's transaction (``services.enqueue``), so it exists exactly
when the thing it announces exists. The worker (``sending.process_due``) claims due rows, sends
them, and records every attempt. ``delivery_id`` is stable across attempts and re-sends: receivers
deduplicate on it.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from seemix.directory.models import ContactTopic, Participant


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WEBHOOK = "webhook", _("Webhook")
    INBOX = "inbox", _("In-app inbox")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    # Claimed by a worker; next_attempt_at is then the end of its lease (see sending.claim_due).
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    # The last attempt failed; another is due at next_attempt_at.
    FAILED = "failed", _("Failed, will retry")
    DEAD = "dead", _("Dead letter")


# The statuses whose rows the worker picks up once next_attempt_at has passed. A SENDING row whose
# lease has run out was claimed by a worker that died: it is due again.
DUE_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.FAILED, DeliveryStatus.SENDING)


class WebhookEndpoint(models.Model):
    """A participant's receiver of signed webhooks. The secret is shown once, stored encrypted."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="webhook_endpoints")
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # Fernet-like token of outbox.secrets (encrypted with a key derived from SECRET_KEY): the
    # worker needs the secret itself to sign, so it cannot be a one-way hash like an API token's.
    secret_encrypted = models.TextField()
    # The secret's first characters, to tell endpoints' secrets apart on a page without revealing them.
    secret_hint = models.CharField(max_length=16)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    secret_rotated_at = models.DateTimeField(_("secret rotated"), null=True, blank=True)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)

    class Meta:
        ordering = ["participant__name", "-created_at", "-id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return f"{self.participant.code} {self.url}"


class Delivery(models.Model):
    delivery_id = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    topic = models.CharField(_("topic"), max_length=16, choices=ContactTopic.choices)
    # Email goes to the participant's contact points reachable 24/7 (an escalation), not the topic's.
    round_the_clock = models.BooleanField(_("to the 24/7 contact points"), default=False)
    event = models.CharField(_("event"), max_length=80)
    # What the delivery announces, e.g. ("measures.notification", "42").
    subject_type = models.CharField(_("subject type"), max_length=80)
    subject_id = models.CharField(_("subject id"), max_length=64)
    # The email's subject line and plain-text body (the inbox shows them too).
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    # The webhook's request body and its media type, e.g. CAP XML as application/cap+xml.
    payload = models.TextField(_("payload"), blank=True)
    content_type = models.CharField(_("content type"), max_length=100, default="application/json")
    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.PROTECT, related_name="deliveries"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    # Attempts in the current round (a re-send starts a new round); DeliveryAttempt keeps them all.
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # Never the payload, the body or a secret: the HTTP status, the exception's class and message.
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            # The worker's "due" query: status IN (...) AND next_attempt_at <= now ORDER BY next_attempt_at.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_delivery_due"),
            models.Index(fields=["participant", "status", "created_at"], name="outbox_delivery_by_owner"),
            models.Index(fields=["subject_type", "subject_id"], name="outbox_delivery_subject"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(channel=Channel.WEBHOOK) & Q(endpoint__isnull=False))
                | (~Q(channel=Channel.WEBHOOK) & Q(endpoint__isnull=True)),
                name="outbox_delivery_endpoint_iff_webhook",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.event} to {self.participant_id} ({self.status})"


class AttemptOutcome(models.TextChoices):
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=AttemptOutcome.choices)
    http_status = models.PositiveIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.delivery_id}: {self.outcome}"
