"""Outbox API: a participant's webhook endpoints, and its deliveries with the re-send of dead letters.

Every operation: parse, let queries/services authorise and act, serialise.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from seemix.core.access import Principal
from seemix.core.pagination import Page
from seemix.outbox import queries, services
from seemix.outbox.schemas import (
    DeliveryDetailOut,
    DeliveryFilter,
    DeliveryOut,
    WebhookEndpointFilter,
    WebhookEndpointIn,
    WebhookEndpointIssued,
    WebhookEndpointOut,
)

router = Router()

WEBHOOKS = ["webhook endpoints"]
DELIVERIES = ["deliveries"]


def _principal(request: HttpRequest) -> Principal:
    return request.auth  # type: ignore[attr-defined]


@router.get("/webhook-endpoints", response=list[WebhookEndpointOut], tags=WEBHOOKS)
@paginate(Page)
def list_webhook_endpoints(request: HttpRequest, filters: Query[WebhookEndpointFilter]) -> Any:
    return queries.endpoints_for(_principal(request), participant=filters.participant)


@router.post(
    "/webhook-endpoints",
    response={201: WebhookEndpointIssued},
    tags=WEBHOOKS,
    summary="Register a webhook receiver (the secret is shown once)",
)
def create_webhook_endpoint(request: HttpRequest, payload: WebhookEndpointIn) -> Any:
    return services.create_webhook_endpoint(actor=_principal(request), **payload.dict())


@router.get("/webhook-endpoints/{int:endpoint_id}", response=WebhookEndpointOut, tags=WEBHOOKS)
def get_webhook_endpoint(request: HttpRequest, endpoint_id: int) -> Any:
    return queries.endpoint_for(_principal(request), endpoint_id)


@router.post(
    "/webhook-endpoints/{int:endpoint_id}/rotate-secret",
    response=WebhookEndpointIssued,
    tags=WEBHOOKS,
    summary="Replace the signing secret (the new one is shown once; the old one stops at once)",
)
def rotate_webhook_secret(request: HttpRequest, endpoint_id: int) -> Any:
    principal = _principal(request)
    return services.rotate_webhook_secret(queries.endpoint_for(principal, endpoint_id), actor=principal)


@router.delete(
    "/webhook-endpoints/{int:endpoint_id}",
    response={204: None},
    tags=WEBHOOKS,
    summary="Deactivate a webhook receiver",
)
def deactivate_webhook_endpoint(request: HttpRequest, endpoint_id: int) -> None:
    principal = _principal(request)
    services.deactivate_webhook_endpoint(queries.endpoint_for(principal, endpoint_id), actor=principal)


@router.get(
    "/deliveries", response=list[DeliveryOut], tags=DELIVERIES, summary="Deliveries to your participants"
)
@paginate(Page)
def list_deliveries(request: HttpRequest, filters: Query[DeliveryFilter]) -> Any:
    return queries.deliveries_for(_principal(request), **filters.dict())


@router.get("/deliveries/{delivery_id}", response=DeliveryDetailOut, tags=DELIVERIES)
def get_delivery(request: HttpRequest, delivery_id: str) -> Any:
    return queries.delivery_for(_principal(request), delivery_id)


@router.post(
    "/deliveries/{delivery_id}/resend",
    response=DeliveryOut,
    tags=DELIVERIES,
    summary="Re-send a dead letter (same delivery id; a new round of attempts)",
)
def resend_delivery(request: HttpRequest, delivery_id: str) -> Any:
    principal = _principal(request)
    return services.resend(queries.delivery_for(principal, delivery_id), actor=principal)
