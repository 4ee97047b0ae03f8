"""The outbox API's typed input and output. Inputs refuse unknown fields (a typo must not pass)."""

from __future__ import annotations

import uuid
from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from seemix.outbox.models import Channel, Delivery, DeliveryAttempt, DeliveryStatus, WebhookEndpoint


class StrictInput(Schema):
    model_config = ConfigDict(extra="forbid")


# --- Webhook endpoints ----------------------------------------------------------------------------


class WebhookEndpointOut(Schema):
    id: int
    participant: str = Field(description="The code of the participant whose deliveries it receives.")
    url: str
    description: str
    secret_hint: str = Field(description="The secret's first characters, to recognise it; never the secret.")
    is_active: bool
    created_at: datetime
    secret_rotated_at: datetime | None
    deactivated_at: datetime | None

    @staticmethod
    def resolve_participant(obj: WebhookEndpoint) -> str:
        return obj.participant.code


class WebhookEndpointIssued(Schema):
    endpoint: WebhookEndpointOut
    secret: str = Field(
        description="The signing secret (HMAC-SHA256 key, UTF-8). Shown this once: store it now."
    )


class WebhookEndpointIn(StrictInput):
    participant: str = Field(description="The code of the participant whose deliveries it receives.")
    url: str = Field(description="http:// or https:// URL that receives POSTs.")
    description: str = ""


class WebhookEndpointFilter(Schema):
    participant: str | None = Field(None, description="A participant code.")


# --- Deliveries -----------------------------------------------------------------------------------


class DeliveryAttemptOut(Schema):
    number: int
    started_at: datetime
    outcome: str
    http_status: int | None
    error: str
    duration_ms: int


class DeliveryOut(Schema):
    delivery_id: uuid.UUID = Field(description="Stable across attempts and re-sends: receivers dedupe on it.")
    participant: str
    channel: Channel
    topic: str
    event: str
    subject_type: str
    subject_id: str
    subject: str
    webhook_endpoint: int | None = Field(description="The endpoint's id, for webhook deliveries.")
    status: DeliveryStatus
    attempts: int = Field(description="Attempts in the current round (a re-send starts a new round).")
    next_attempt_at: datetime | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None

    @staticmethod
    def resolve_participant(obj: Delivery) -> str:
        return obj.participant.code

    @staticmethod
    def resolve_webhook_endpoint(obj: Delivery) -> int | None:
        return obj.endpoint_id


class DeliveryDetailOut(DeliveryOut):
    attempt_log: list[DeliveryAttemptOut]

    @staticmethod
    def resolve_attempt_log(obj: Delivery) -> list[DeliveryAttempt]:
        return list(obj.attempt_log.all())


class DeliveryFilter(Schema):
    participant: str | None = Field(None, description="A participant code.")
    status: str | None = Field(None, description="pending, sending, delivered, failed or dead.")
    channel: str | None = Field(None, description="email, webhook or inbox.")
    subject_type: str | None = None
    subject_id: str | None = None
