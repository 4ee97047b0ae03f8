"""Every read of the outbox, filtered by the acting Principal: the one way in for pages and API.

Webhook endpoints and deliveries belong to a participant and are kept by its coordinators.
Another participant's endpoint or delivery raises ``NotFound`` exactly like a missing one; the
participant's own members with another role get ``Forbidden``.

A platform administrator (signed in) keeps every participant's endpoints (to switch off one that
misbehaves), but reads deliveries only as a member of the addressee: a delivery's subject speaks
of the message, which may be RESTRICTED, and administration grants no exemption (core.access).
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from seemix.core.access import Principal
from seemix.core.errors import FieldError, Forbidden, InvalidInput, NotFound
from seemix.directory.models import Participant, Role
from seemix.outbox.models import Channel, Delivery, DeliveryStatus, WebhookEndpoint


def _admin_session(principal: Principal) -> bool:
    return principal.is_platform_admin and principal.token_id is None


def coordinated_participant_ids(principal: Principal) -> frozenset[int]:
    return frozenset(g.participant_id for g in principal.grants if g.role == Role.COORDINATOR)


def _participant_filter(code: str | None) -> Participant | None:
    if code is None:
        return None
    participant = Participant.objects.filter(code=code).first()
    if participant is None:
        raise InvalidInput(
            FieldError("participant", _("No participant has the code '%(code)s'.") % {"code": code})
        )
    return participant


# --- Webhook endpoints ----------------------------------------------------------------------------


def endpoints_for(principal: Principal, *, participant: str | None = None) -> QuerySet[WebhookEndpoint]:
    """The endpoints the principal keeps (active and deactivated), optionally of one participant."""
    endpoints = WebhookEndpoint.objects.select_related("participant")
    if not _admin_session(principal):
        coordinated = coordinated_participant_ids(principal)
        if not coordinated:
            raise Forbidden(_("Webhook endpoints are kept by a participant's coordinators."))
        endpoints = endpoints.filter(participant_id__in=coordinated)
    chosen = _participant_filter(participant)
    if chosen is not None:
        endpoints = endpoints.filter(participant=chosen)
    return endpoints


def endpoint_for(principal: Principal, pk: int) -> WebhookEndpoint:
    endpoints = WebhookEndpoint.objects.select_related("participant")
    if not principal.is_platform_admin:
        endpoints = endpoints.filter(participant_id__in=principal.participant_ids)
    try:
        endpoint = endpoints.get(pk=pk)
    except WebhookEndpoint.DoesNotExist:
        raise NotFound("webhook endpoint", pk) from None
    if not _admin_session(principal) and endpoint.participant_id not in coordinated_participant_ids(
        principal
    ):
        raise Forbidden(_("Webhook endpoints are kept by a participant's coordinators."))
    return endpoint


# --- Deliveries -----------------------------------------------------------------------------------


def deliveries_for(
    principal: Principal,
    *,
    participant: str | None = None,
    status: str | None = None,
    channel: str | None = None,
    subject_type: str | None = None,
    subject_id: str | None = None,
) -> QuerySet[Delivery]:
    """Deliveries addressed to the participants the principal coordinates, newest first."""
    coordinated = coordinated_participant_ids(principal)
    if not coordinated:
        raise Forbidden(_("Deliveries are followed by the addressee's coordinators."))
    errors = []
    if status is not None and status not in DeliveryStatus.values:
        errors.append(
            FieldError("status", _("One of %(values)s.") % {"values": ", ".join(DeliveryStatus.values)})
        )
    if channel is not None and channel not in Channel.values:
        errors.append(FieldError("channel", _("One of %(values)s.") % {"values": ", ".join(Channel.values)}))
    if errors:
        raise InvalidInput(errors)
    deliveries = Delivery.objects.filter(participant_id__in=coordinated).select_related(
        "participant", "endpoint"
    )
    chosen = _participant_filter(participant)
    if chosen is not None:
        deliveries = deliveries.filter(participant=chosen)
    filters = {"status": status, "channel": channel, "subject_type": subject_type, "subject_id": subject_id}
    return deliveries.filter(**{k: v for k, v in filters.items() if v is not None}).order_by(
        "-created_at", "-id"
    )


def delivery_for(principal: Principal, delivery_id: uuid.UUID | str) -> Delivery:
    """A delivery to one of the principal's participants, by its delivery id (the receivers' key)."""
    try:
        key = uuid.UUID(str(delivery_id))
    except ValueError:
        raise NotFound("delivery", delivery_id) from None
    try:
        delivery = (
            Delivery.objects.select_related("participant", "endpoint")
            .filter(participant_id__in=principal.participant_ids)
            .get(delivery_id=key)
        )
    except Delivery.DoesNotExist:
        raise NotFound("delivery", delivery_id) from None
    if delivery.participant_id not in coordinated_participant_ids(principal):
        raise Forbidden(_("Deliveries are followed by the addressee's coordinators."))
    return delivery


def inbox_for(principal: Principal) -> QuerySet[Delivery]:
    """The in-app inbox: messages addressed to any of the principal's participants, newest first."""
    return (
        Delivery.objects.filter(channel=Channel.INBOX, participant_id__in=principal.participant_ids)
        .select_related("participant")
        .order_by("-created_at", "-id")
    )
