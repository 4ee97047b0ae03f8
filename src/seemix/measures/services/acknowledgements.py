"""Acknowledging a notification, and escalating the silence of an addressee that did not.

Escalation is idempotent: a recipient is escalated at most once (``Escalation`` is one-to-one with
``Recipient``, and the row is written under a lock on the recipient). Only the latest notification
of a measure that asks for acknowledgement counts, and only while the measure is notified or in
force: an update supersedes the deadline of the message it replaces, a cancelled measure is moot.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from seemix.core import audit
from seemix.core.access import Principal
from seemix.core.classification import Classification
from seemix.core.errors import Conflict, FieldError, Forbidden, InvalidInput
from seemix.directory.models import ContactPoint, Participant, ParticipantKind, Role
from seemix.measures import delivery
from seemix.measures.models import (
    Acknowledgement,
    Escalation,
    MeasureStatus,
    Notification,
    Recipient,
)
from seemix.measures.services.drafts import label_of, user_of

COMMENT_MAX = 4000


def acknowledge_notification(
    notification: Notification,
    *,
    actor: Principal,
    participant: Participant | None = None,
    comment: str = "",
    now: datetime | None = None,
) -> Acknowledgement:
    """An addressee's coordinator confirms receipt (with an optional comment or question).

    ``participant``: which of the actor's participants acknowledges, when the actor coordinates
    more than one addressee; by default the only one.
    """
    recipients = {r.participant_id: r for r in notification.recipients.select_related("participant")}
    mine = [pid for pid in recipients if actor.has_role(pid, Role.COORDINATOR)]
    if participant is not None:
        mine = [pid for pid in mine if pid == participant.pk]
    if not mine:
        raise Forbidden(_("Only a coordinator of an addressee acknowledges a notification."))
    if len(mine) > 1:
        raise InvalidInput(FieldError("participant", _("Name the participant that acknowledges.")))
    if not notification.requires_acknowledgement:
        raise Conflict(_("This message asks for no acknowledgement."))
    if len(comment) > COMMENT_MAX:
        raise InvalidInput(FieldError("comment", _("At most %(n)d characters.") % {"n": COMMENT_MAX}))
    recipient = recipients[mine[0]]
    with transaction.atomic():
        locked = Recipient.objects.select_for_update().get(pk=recipient.pk)
        if Acknowledgement.objects.filter(recipient=locked).exists():
            raise Conflict(
                _("%(who)s has already acknowledged this notification.") % {"who": recipient.participant.name}
            )
        ack = Acknowledgement.objects.create(
            recipient=locked,
            acknowledged_by=user_of(actor),
            acknowledged_by_label=label_of(actor),
            acknowledged_at=now or timezone.now(),
            comment=comment.strip(),
        )
        delivery.send(delivery.acknowledgement_messages(ack))
        audit.record(
            actor,
            "measure.acknowledged",
            notification.measure,
            participant_code=recipient.participant.code,
            changes={"notification": notification.identifier, "comment": ack.comment},
        )
    return ack


def overdue_recipients(now: datetime) -> list[Recipient]:
    """Recipients past their deadline, unacknowledged, not yet escalated, of a measure's latest
    notification that asks for acknowledgement, while the measure is notified or in force."""
    latest = (
        Notification.objects.filter(measure=OuterRef("notification__measure"), requires_acknowledgement=True)
        .order_by("-sequence")
        .values("sequence")[:1]
    )
    return list(
        Recipient.objects.filter(
            acknowledge_by__lt=now,
            notification__requires_acknowledgement=True,
            notification__measure__status__in=[MeasureStatus.NOTIFIED, MeasureStatus.IN_FORCE],
            notification__sequence=Subquery(latest),
        )
        .filter(~Exists(Acknowledgement.objects.filter(recipient=OuterRef("pk"))))
        .filter(~Exists(Escalation.objects.filter(recipient=OuterRef("pk"))))
        .select_related("participant", "notification__measure__issuer")
        .order_by("acknowledge_by", "pk")
    )


def _contacts_24_7(participants: list[Participant]) -> list[str]:
    points = ContactPoint.objects.filter(
        participant__in=participants, is_active=True, available_24_7=True
    ).exclude(Q(email="") & Q(phone=""))
    return sorted({p.email or p.phone for p in points})


def _secretariats_told(notification: Notification, secretariats: list[Participant]) -> list[Participant]:
    """The secretariats that may hear of the measure: all of them, unless it is RESTRICTED and they
    are not among its recipients (a RESTRICTED measure is never mentioned to anyone outside it)."""
    if notification.measure.classification != Classification.RESTRICTED:
        return secretariats
    told = set(notification.recipients.values_list("participant_id", flat=True))
    return [s for s in secretariats if s.pk in told]


def escalate_overdue(*, now: datetime | None = None, deliver: bool = True) -> list[Escalation]:
    """Escalate every overdue recipient to its 24/7 contact point and to the secretariat (via the
    outbox), once. Returns the escalations made by this call. ``deliver=False`` records them without
    sending anything (the demo's replay of 2015-16)."""
    now = now or timezone.now()
    all_secretariats = list(Participant.objects.filter(kind=ParticipantKind.SECRETARIAT, is_active=True))
    made = []
    for candidate in overdue_recipients(now):
        with transaction.atomic():
            recipient = (
                Recipient.objects.select_for_update(of=("self",))
                .select_related("participant", "notification__measure__issuer")
                .get(pk=candidate.pk)
            )
            if (
                Escalation.objects.filter(recipient=recipient).exists()
                or Acknowledgement.objects.filter(recipient=recipient).exists()
            ):
                continue
            secretariats = _secretariats_told(recipient.notification, all_secretariats)
            escalation = Escalation.objects.create(
                recipient=recipient,
                escalated_at=now,
                contacted=_contacts_24_7([recipient.participant, *secretariats]),
            )
            if deliver:
                delivery.send(delivery.escalation_messages(recipient, secretariats))
            audit.record(
                None,
                "measure.escalated",
                recipient.notification.measure,
                participant_code=recipient.participant.code,
                changes={
                    "notification": recipient.notification.identifier,
                    "acknowledge_by": recipient.acknowledge_by,
                    "contacted": escalation.contacted,
                },
            )
            made.append(escalation)
    return made
