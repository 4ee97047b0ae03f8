"""Every read of measures, notifications and received alerts, for the acting principal.

Visibility of a measure: its classification and audience (``core.access.visible_to``, owner = the
issuer), and a draft only to the issuer's members. A RESTRICTED measure's audience holds its
addressees once notified, so anyone else can neither read it nor learn that it exists: every query
here answers NotFound for it exactly as for a missing id. Reading needs a membership (or platform
administration): any other signed-in principal gets Forbidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from seemix.core.access import Principal, visible_to
from seemix.core.errors import Forbidden, NotFound
from seemix.directory.models import Participant
from seemix.measures.models import (
    Acknowledgement,
    Addressee,
    Alert,
    Escalation,
    Measure,
    MeasureStatus,
    Notification,
    Recipient,
    Subscription,
)


def require_reader(principal: Principal) -> None:
    if not (principal.is_member or principal.is_platform_admin):
        raise Forbidden(_("Measures are shared with the members of participants only."))


def visible_measures(principal: Principal) -> QuerySet[Measure]:
    """Measures the principal may read, without the membership check (the open PUBLIC feeds use it)."""
    measures = visible_to(Measure.objects.all(), principal, owner="issuer")
    return measures.filter(~Q(status=MeasureStatus.DRAFT) | Q(issuer_id__in=principal.participant_ids))


def measures_visible_to(
    principal: Principal,
    *,
    status: str | None = None,
    issuer: str | None = None,
    type: str | None = None,
    active_on: date | None = None,
) -> QuerySet[Measure]:
    """The measures the principal may read, newest start first, optionally filtered.

    ``active_on``: in effect at some time on that day (UTC): started by the day's end and not ended
    (lifted, or past its planned end) before the day began; drafts and cancelled measures never are.
    """
    require_reader(principal)
    measures = visible_measures(principal).select_related("issuer")
    if status:
        measures = measures.filter(status=status)
    if issuer:
        measures = measures.filter(issuer__code=issuer.strip().upper())
    if type:
        measures = measures.filter(type=type)
    if active_on is not None:
        day_start = datetime.combine(active_on, time.min, tzinfo=UTC)
        day_end = day_start + timedelta(days=1)
        started = Q(in_force_at__lt=day_end) | Q(in_force_at__isnull=True, planned_start__lt=day_end)
        not_ended = Q(ended_at__gte=day_start) | Q(
            Q(planned_end__isnull=True) | Q(planned_end__gte=day_start), ended_at__isnull=True
        )
        measures = measures.filter(
            started,
            not_ended,
            status__in=[MeasureStatus.NOTIFIED, MeasureStatus.IN_FORCE, MeasureStatus.LIFTED],
        )
    return measures.order_by("-planned_start", "-pk")


def measure_for(principal: Principal, measure_id: int) -> Measure:
    """The measure if the principal may see it; NotFound otherwise, whether or not it exists."""
    require_reader(principal)
    try:
        return visible_measures(principal).select_related("issuer").get(pk=measure_id)
    except Measure.DoesNotExist:
        raise NotFound("measure", measure_id) from None


def notification_for(principal: Principal, notification_id: int) -> Notification:
    require_reader(principal)
    try:
        return Notification.objects.select_related("measure__issuer").get(
            pk=notification_id, measure__in=visible_measures(principal)
        )
    except Notification.DoesNotExist:
        raise NotFound("notification", notification_id) from None


def latest_notification(measure: Measure) -> Notification | None:
    return measure.notifications.order_by("-sequence").first()


def addressees_of(measure: Measure) -> QuerySet[Addressee]:
    return measure.addressees.select_related("participant").order_by("participant__code")


def is_issuer_member(principal: Principal, measure: Measure) -> bool:
    return measure.issuer_id in principal.participant_ids


@dataclass
class AddresseeState:
    participant: Participant
    reasons: list[str]
    notification: Notification | None = None
    acknowledge_by: datetime | None = None
    acknowledgement: Acknowledgement | None = None
    escalation: Escalation | None = None

    @property
    def state(self) -> str:
        if self.notification is None:
            return "not_notified"
        if self.acknowledgement is not None:
            return "acknowledged"
        if self.escalation is not None:
            return "escalated"
        if self.acknowledge_by is None:
            return "no_acknowledgement_asked"
        return "awaiting"


def addressee_states(principal: Principal, measure: Measure) -> list[AddresseeState]:
    """Each addressee with its acknowledgement of the latest notification asking for one.

    Comments are shown to the issuer's members and to the acknowledging participant only.
    """
    asking = measure.notifications.filter(requires_acknowledgement=True).order_by("-sequence").first()
    recipients: dict[int, Recipient] = {}
    if asking is not None:
        for r in asking.recipients.select_related("acknowledgement", "escalation"):
            recipients[r.participant_id] = r
    states = []
    issuer_side = is_issuer_member(principal, measure)
    for addressee in addressees_of(measure):
        recipient = recipients.get(addressee.participant_id)
        ack = getattr(recipient, "acknowledgement", None) if recipient else None
        if ack is not None and not (issuer_side or addressee.participant_id in principal.participant_ids):
            ack = Acknowledgement(
                acknowledged_at=ack.acknowledged_at,
                acknowledged_by_label=ack.acknowledged_by_label,
                comment="",
            )
        states.append(
            AddresseeState(
                participant=addressee.participant,
                reasons=list(addressee.reasons),
                notification=asking if recipient else None,
                acknowledge_by=recipient.acknowledge_by if recipient else None,
                acknowledgement=ack,
                escalation=getattr(recipient, "escalation", None) if recipient else None,
            )
        )
    return states


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str  # drafted, notified, updated, lifted, cancelled, in_force, acknowledged, escalated
    summary: str
    participant: str = ""  # the code of the participant concerned, if any
    notification_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


def timeline_of(principal: Principal, measure: Measure) -> list[TimelineEvent]:
    """What happened to the measure, oldest first: messages, status changes, acknowledgements,
    escalations. A comment is shown to the issuer's members and to the one who wrote it."""
    issuer_side = is_issuer_member(principal, measure)
    events = [TimelineEvent(measure.created_at, "drafted", _("Drafted"), measure.issuer.code)]
    for n in measure.notifications.order_by("sequence"):
        events.append(
            TimelineEvent(
                n.sent_at,
                n.kind,
                f"{n.msg_type}: {n.note}" if n.note else n.msg_type,
                measure.issuer.code,
                n.pk,
                {"identifier": n.identifier, "sequence": n.sequence, "sent_by": n.sent_by_label},
            )
        )
    for change in measure.status_changes.filter(new_status=MeasureStatus.IN_FORCE):
        events.append(TimelineEvent(change.effective_at, "in_force", _("In force"), measure.issuer.code))
    acks = Acknowledgement.objects.filter(recipient__notification__measure=measure).select_related(
        "recipient__participant", "recipient__notification"
    )
    for ack in acks:
        code = ack.recipient.participant.code
        mine = issuer_side or ack.recipient.participant_id in principal.participant_ids
        events.append(
            TimelineEvent(
                ack.acknowledged_at,
                "acknowledged",
                _("Acknowledged by %(who)s") % {"who": ack.recipient.participant.name},
                code,
                ack.recipient.notification_id,
                {"by": ack.acknowledged_by_label, "comment": ack.comment if mine else ""},
            )
        )
    for esc in Escalation.objects.filter(recipient__notification__measure=measure).select_related(
        "recipient__participant"
    ):
        events.append(
            TimelineEvent(
                esc.escalated_at,
                "escalated",
                _("Escalated: %(who)s did not acknowledge in time") % {"who": esc.recipient.participant.name},
                esc.recipient.participant.code,
                esc.recipient.notification_id,
                {
                    "acknowledge_by": esc.recipient.acknowledge_by.isoformat()
                    if esc.recipient.acknowledge_by
                    else None
                },
            )
        )
    # Messages carry whole seconds (CAP): compare at that resolution, ties in the order written above.
    return sorted(events, key=lambda e: e.at.replace(microsecond=0))


def inbox_for(principal: Principal, *, pending_only: bool = False) -> QuerySet[Recipient]:
    """Notifications received by the principal's participants, newest first, with their state."""
    require_reader(principal)
    recipients = Recipient.objects.filter(
        participant_id__in=principal.participant_ids,
        notification__measure__in=visible_measures(principal),
    ).select_related("participant", "notification__measure__issuer", "acknowledgement", "escalation")
    if pending_only:
        recipients = recipients.filter(
            acknowledge_by__isnull=False,
            notification__measure__status__in=[MeasureStatus.NOTIFIED, MeasureStatus.IN_FORCE],
        ).filter(~Exists(Acknowledgement.objects.filter(recipient=OuterRef("pk"))))
    return recipients.order_by("-notification__sent_at", "participant__code")


def notifications_of(measure: Measure) -> QuerySet[Notification]:
    return measure.notifications.order_by("sequence").prefetch_related(
        Prefetch("recipients", queryset=Recipient.objects.select_related("participant"))
    )


# --- subscriptions and received alerts -------------------------------------------------------------


def subscriptions_for(principal: Principal) -> QuerySet[Subscription]:
    """The subscriptions of the principal's own participants (administrators: all)."""
    require_reader(principal)
    subscriptions = Subscription.objects.select_related("participant")
    if not principal.is_platform_admin:
        subscriptions = subscriptions.filter(participant_id__in=principal.participant_ids)
    return subscriptions


def alerts_visible_to(principal: Principal) -> QuerySet[Alert]:
    require_reader(principal)
    return visible_to(Alert.objects.select_related("participant"), principal, audience=None)


def alert_for(principal: Principal, alert_id: int) -> Alert:
    try:
        return alerts_visible_to(principal).get(pk=alert_id)
    except Alert.DoesNotExist:
        raise NotFound("alert", alert_id) from None
