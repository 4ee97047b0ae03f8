"""Telling the addressees: notify, update (notify again), cancel, bring into force, lift.

Every message is a ``Notification`` row with a snapshot of the measure and its CAP XML, one
``Recipient`` row per addressee (with the acknowledgement deadline of the measure's path where the
message asks for one), and one outbox message per recipient, all in the transaction of the change
(``deliver=False`` writes the history without sending: the demo's replay of 2015-16).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from seemix.core import audit
from seemix.core.access import Principal
from seemix.core.classification import Classification
from seemix.core.errors import FieldError, InvalidInput
from seemix.directory.models import Role
from seemix.measures import cap, delivery
from seemix.measures.inputs import MeasureData, check
from seemix.measures.models import (
    Measure,
    MeasureStatus,
    MessageType,
    Notification,
    NotificationKind,
    NotificationPath,
    Recipient,
    StatusChange,
)
from seemix.measures.services.drafts import (
    label_of,
    recompute_addressees,
    require_issuer_role,
    require_status,
    user_of,
    write_scope,
)

ACTIVE = (MeasureStatus.NOTIFIED, MeasureStatus.IN_FORCE)


def _now(now: datetime | None) -> datetime:
    # CAP times have whole seconds; the stored time must equal the one in the message's references.
    return (now or timezone.now()).replace(microsecond=0)


def acknowledgement_deadline(path: str, sent_at: datetime) -> datetime:
    hours = (
        settings.SEEMIX_ACK_DEADLINE_PLANNED_HOURS
        if path == NotificationPath.PLANNED
        else settings.SEEMIX_ACK_DEADLINE_IMMEDIATE_HOURS
    )
    return sent_at + timedelta(hours=hours)


def snapshot_of(measure: Measure) -> dict[str, object]:
    def iso(value: datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "status": measure.status,
        "type": measure.type,
        "title": measure.title,
        "description": measure.description,
        "original_language": measure.original_language,
        "original_title": measure.original_title,
        "original_description": measure.original_description,
        "legal_basis": measure.legal_basis,
        "reasons": measure.reasons,
        "border_sections": sorted(s.code for s in measure.border_sections.all()),
        "crossing_points": sorted(p.code for p in measure.crossing_points.all()),
        "nationalities": list(measure.nationalities),
        "categories_of_persons": measure.categories_of_persons,
        "planned_start": iso(measure.planned_start),
        "planned_end": iso(measure.planned_end),
        "in_force_at": iso(measure.in_force_at),
        "ended_at": iso(measure.ended_at),
        "persons_affected_per_day": measure.persons_affected_per_day,
        "expected_of_others": measure.expected_of_others,
        "path": measure.path,
        "immediate_justification": measure.immediate_justification,
        "classification": measure.classification,
        "addressees": sorted(measure.addressees.values_list("participant__code", flat=True)),
    }


def _send(
    measure: Measure,
    *,
    actor: Principal | None,
    kind: str,
    msg_type: str,
    note: str,
    requires_acknowledgement: bool,
    now: datetime,
    deliver: bool,
) -> Notification:
    """Write and hand out one message about ``measure`` (inside the caller's transaction)."""
    earlier = list(measure.notifications.order_by("sequence"))
    sequence = (measure.notifications.aggregate(last=Max("sequence"))["last"] or 0) + 1
    addressees = [
        a.participant for a in measure.addressees.select_related("participant").order_by("participant__code")
    ]
    if measure.classification == Classification.RESTRICTED:
        # A RESTRICTED measure is read by its issuer and by those it was sent to, and by nobody else.
        measure.audience.add(*addressees)
    notification = Notification(
        measure=measure,
        sequence=sequence,
        kind=kind,
        msg_type=msg_type,
        identifier=cap.identifier_for(measure, sequence),
        sender=cap.sender_for(measure.issuer),
        sent_at=now,
        sent_by=user_of(actor),
        sent_by_label=label_of(actor),
        note=note,
        snapshot=snapshot_of(measure),
        requires_acknowledgement=requires_acknowledgement,
    )
    notification.cap_xml = cap.build_alert(notification, addressees=addressees, earlier=earlier)
    notification.save()
    deadline = acknowledgement_deadline(measure.path, now) if requires_acknowledgement else None
    recipients = Recipient.objects.bulk_create(
        [Recipient(notification=notification, participant=p, acknowledge_by=deadline) for p in addressees]
    )
    if deliver:
        delivery.send(delivery.notification_messages(notification, recipients))
    return notification


def _change_status(
    measure: Measure, new: str, *, actor: Principal | None, at: datetime, now: datetime, note: str = ""
) -> None:
    StatusChange.objects.create(
        measure=measure,
        old_status=measure.status,
        new_status=new,
        effective_at=at,
        recorded_at=now,
        recorded_by=user_of(actor),
        recorded_by_label=label_of(actor),
        note=note,
    )
    measure.status = new


def _locked(measure: Measure) -> Measure:
    return Measure.objects.select_related("issuer").select_for_update(of=("self",)).get(pk=measure.pk)


def notify_measure(
    measure: Measure, *, actor: Principal | None, now: datetime | None = None, deliver: bool = True
) -> Notification:
    """Send a draft to its addressees (CAP msgType Alert) and start the acknowledgement clock."""
    require_issuer_role(actor, measure, Role.COORDINATOR)
    require_status(measure, MeasureStatus.DRAFT, doing=_("notified again this way (send an update)"))
    now = _now(now)
    if not measure.addressees.exists():
        raise InvalidInput(FieldError("addressees", _("Name at least one addressee.")))
    if measure.path == NotificationPath.PLANNED and measure.planned_start <= now:
        raise InvalidInput(
            FieldError(
                "path",
                _(
                    "A measure that starts now or has started is notified on the immediate path, "
                    "with its reason."
                ),
            )
        )
    with transaction.atomic():
        locked = _locked(measure)
        require_status(locked, MeasureStatus.DRAFT, doing=_("notified again this way (send an update)"))
        _change_status(locked, MeasureStatus.NOTIFIED, actor=actor, at=now, now=now)
        locked.first_notified_at = now
        locked.save(update_fields=["status", "first_notified_at", "updated_at"])
        notification = _send(
            locked,
            actor=actor,
            kind=NotificationKind.NOTIFIED,
            msg_type=MessageType.ALERT,
            note="",
            requires_acknowledgement=True,
            now=now,
            deliver=deliver,
        )
        audit.record(
            actor,
            "measure.notified",
            locked,
            participant_code=locked.issuer.code,
            changes={
                "notification": notification.identifier,
                "addressees": notification.snapshot["addressees"],
                "lead_time_hours": round(locked.lead_time.total_seconds() / 3600, 1)
                if locked.lead_time
                else None,
            },
        )
    measure.refresh_from_db()
    return notification


def update_measure(
    measure: Measure,
    *,
    actor: Principal | None,
    data: MeasureData,
    note: str = "",
    now: datetime | None = None,
    deliver: bool = True,
) -> Notification:
    """Change a notified measure: the change is notified again (msgType Update) and re-acknowledged.

    Addressees newly concerned by a wider scope are added; nobody already told is dropped.
    """
    require_issuer_role(actor, measure, Role.COORDINATOR)
    require_status(measure, *ACTIVE, doing=_("updated"))
    checked = check(data)
    now = _now(now)
    with transaction.atomic():
        locked = _locked(measure)
        require_status(locked, *ACTIVE, doing=_("updated"))
        values = checked.field_values()
        changes = audit.diff(locked, values)
        for name, old, new in (
            ("border_sections", locked.border_sections, checked.border_sections),
            ("crossing_points", locked.crossing_points, checked.crossing_points),
            ("audience", locked.audience, checked.audience),
        ):
            before, after = sorted(old.values_list("code", flat=True)), sorted(o.code for o in new)
            if before != after:
                changes[name] = [before, after]
        if not changes:
            raise InvalidInput(FieldError("measure", _("Nothing changed: there is nothing to notify.")))
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save()
        write_scope(locked, checked)
        added = recompute_addressees(locked, keep_existing=True)
        notification = _send(
            locked,
            actor=actor,
            kind=NotificationKind.UPDATED,
            msg_type=MessageType.UPDATE,
            note=note.strip(),
            requires_acknowledgement=True,
            now=now,
            deliver=deliver,
        )
        audit.record(
            actor,
            "measure.updated",
            locked,
            participant_code=locked.issuer.code,
            changes={
                **changes,
                "notification": notification.identifier,
                "added_addressees": [p.code for p in added],
            },
        )
    measure.refresh_from_db()
    return notification


def cancel_measure(
    measure: Measure,
    *,
    actor: Principal | None,
    note: str = "",
    now: datetime | None = None,
    deliver: bool = True,
) -> Notification:
    """Withdraw a notified measure before it takes effect (msgType Cancel; no acknowledgement asked)."""
    require_issuer_role(actor, measure, Role.COORDINATOR)
    require_status(measure, MeasureStatus.NOTIFIED, doing=_("cancelled"))
    now = _now(now)
    with transaction.atomic():
        locked = _locked(measure)
        require_status(locked, MeasureStatus.NOTIFIED, doing=_("cancelled"))
        _change_status(locked, MeasureStatus.CANCELLED, actor=actor, at=now, now=now, note=note.strip())
        locked.ended_at = now
        locked.save(update_fields=["status", "ended_at", "updated_at"])
        notification = _send(
            locked,
            actor=actor,
            kind=NotificationKind.CANCELLED,
            msg_type=MessageType.CANCEL,
            note=note.strip(),
            requires_acknowledgement=False,
            now=now,
            deliver=deliver,
        )
        audit.record(
            actor,
            "measure.cancelled",
            locked,
            participant_code=locked.issuer.code,
            changes={"note": note.strip()},
        )
    measure.refresh_from_db()
    return notification


def _check_past(at: datetime, now: datetime, field: str) -> None:
    if timezone.is_naive(at):
        raise InvalidInput(FieldError(field, _("Give a time zone.")))
    if at > now + timedelta(minutes=5):
        raise InvalidInput(
            FieldError(field, _("This records what happened: the time may not be in the future."))
        )


def bring_into_force(
    measure: Measure, *, actor: Principal | None, at: datetime | None = None, now: datetime | None = None
) -> Measure:
    """Record that a notified measure took effect (at ``at``, default now). Nothing is sent: its
    addressees were told the date; a different one is an update."""
    require_issuer_role(actor, measure, Role.COORDINATOR)
    require_status(measure, MeasureStatus.NOTIFIED, doing=_("brought into force"))
    now = _now(now)
    at = at or now
    _check_past(at, now, "at")
    with transaction.atomic():
        locked = _locked(measure)
        require_status(locked, MeasureStatus.NOTIFIED, doing=_("brought into force"))
        _change_status(locked, MeasureStatus.IN_FORCE, actor=actor, at=at, now=now)
        locked.in_force_at = at
        locked.save(update_fields=["status", "in_force_at", "updated_at"])
        audit.record(
            actor,
            "measure.in_force",
            locked,
            participant_code=locked.issuer.code,
            changes={"at": at.isoformat()},
        )
    measure.refresh_from_db()
    return locked


def lift_measure(
    measure: Measure,
    *,
    actor: Principal | None,
    at: datetime | None = None,
    note: str = "",
    now: datetime | None = None,
    deliver: bool = True,
) -> Notification:
    """End a measure in force (msgType Update, urgency Past, expires = ``at``); no acknowledgement asked."""
    require_issuer_role(actor, measure, Role.COORDINATOR)
    require_status(measure, MeasureStatus.IN_FORCE, doing=_("lifted"))
    now = _now(now)
    at = at or now
    _check_past(at, now, "at")
    if measure.in_force_at and at < measure.in_force_at:
        raise InvalidInput(FieldError("at", _("A measure is lifted after it came into force.")))
    with transaction.atomic():
        locked = _locked(measure)
        require_status(locked, MeasureStatus.IN_FORCE, doing=_("lifted"))
        _change_status(locked, MeasureStatus.LIFTED, actor=actor, at=at, now=now, note=note.strip())
        locked.ended_at = at
        locked.save(update_fields=["status", "ended_at", "updated_at"])
        notification = _send(
            locked,
            actor=actor,
            kind=NotificationKind.LIFTED,
            msg_type=MessageType.UPDATE,
            note=note.strip() or _("The measure is lifted."),
            requires_acknowledgement=False,
            now=now,
            deliver=deliver,
        )
        audit.record(
            actor,
            "measure.lifted",
            locked,
            participant_code=locked.issuer.code,
            changes={"at": at.isoformat()},
        )
    measure.refresh_from_db()
    return notification
