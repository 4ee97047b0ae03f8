"""The messages measures hand to the outbox: a notification to each recipient, escalations, and
acknowledgements back to the issuer.

Each goes to one participant that may read the measure (its issuer, an addressee, or a secretariat
the measure was told to), so the email may carry the measure's title and dates. The webhook payload
of a notification is its CAP 1.2 XML exactly as stored; escalations and acknowledgements carry JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.utils.translation import gettext as _

from seemix.directory.models import ContactTopic, Participant
from seemix.measures.cap import CONTENT_TYPE, measure_url
from seemix.measures.models import Acknowledgement, Measure, Notification, NotificationKind, Recipient
from seemix.outbox.models import Channel
from seemix.outbox.services import ALL_CHANNELS, OutgoingMessage, enqueue

EVENTS = {
    NotificationKind.NOTIFIED: "measure.notified",
    NotificationKind.UPDATED: "measure.updated",
    NotificationKind.LIFTED: "measure.lifted",
    NotificationKind.CANCELLED: "measure.cancelled",
}


def _when(measure: Measure) -> str:
    start = measure.effective_start.strftime("%Y-%m-%d %H:%M UTC")
    end = (
        measure.planned_end.strftime("%Y-%m-%d %H:%M UTC")
        if measure.planned_end
        else _("until further notice")
    )
    return f"{start} – {end}"


def _notification_body(notification: Notification, recipient: Recipient) -> str:
    measure = notification.measure
    lines = [
        _("%(issuer)s has sent a %(kind)s about a measure:")
        % {"issuer": measure.issuer.name, "kind": notification.get_kind_display().lower()},
        "",
        measure.title,
        _("Type: %(type)s") % {"type": measure.get_type_display()},
        _("When: %(when)s") % {"when": _when(measure)},
    ]
    if notification.note:
        lines += ["", _("What changed: %(note)s") % {"note": notification.note}]
    if recipient.acknowledge_by is not None:
        lines += [
            "",
            _("Please acknowledge it by %(deadline)s:")
            % {"deadline": recipient.acknowledge_by.strftime("%Y-%m-%d %H:%M UTC")},
        ]
    lines += [
        measure_url(measure),
        "",
        _("The CAP 1.2 message (identifier %(id)s) goes to your webhooks.") % {"id": notification.identifier},
    ]
    return "\n".join(lines)


def notification_messages(
    notification: Notification, recipients: Iterable[Recipient]
) -> list[OutgoingMessage]:
    measure = notification.measure
    subject = f"[seemix] {measure.issuer.code}: {measure.title}"[:300]
    return [
        OutgoingMessage(
            participant=recipient.participant,
            topic=ContactTopic.MEASURES,
            event=EVENTS[NotificationKind(notification.kind)],
            subject_type="measures.notification",
            subject_id=str(notification.pk),
            subject=subject,
            body=_notification_body(notification, recipient),
            payload=notification.cap_xml,
            content_type=CONTENT_TYPE,
            channels=ALL_CHANNELS,
        )
        for recipient in recipients
    ]


def escalation_messages(recipient: Recipient, secretariats: Iterable[Participant]) -> list[OutgoingMessage]:
    """To the silent addressee and to each secretariat: it was told, and has not acknowledged."""
    notification = recipient.notification
    measure = notification.measure
    deadline = recipient.acknowledge_by.strftime("%Y-%m-%d %H:%M UTC") if recipient.acknowledge_by else ""
    body = "\n".join(
        [
            _(
                "%(addressee)s has not acknowledged the notification of %(issuer)s "
                "sent on %(sent)s (due by %(due)s):"
            )
            % {
                "addressee": recipient.participant.name,
                "issuer": measure.issuer.name,
                "sent": notification.sent_at.strftime("%Y-%m-%d %H:%M UTC"),
                "due": deadline,
            },
            "",
            measure.title,
            _("When: %(when)s") % {"when": _when(measure)},
            measure_url(measure),
        ]
    )
    subject = _("[seemix] Not acknowledged: %(title)s") % {"title": measure.title}
    payload = json.dumps(
        {
            "event": "measure.escalated",
            "measure": measure.pk,
            "notification": notification.identifier,
            "addressee": recipient.participant.code,
            "acknowledge_by": recipient.acknowledge_by.isoformat() if recipient.acknowledge_by else None,
            "url": measure_url(measure),
        }
    )
    targets = [recipient.participant, *[s for s in secretariats if s.pk != recipient.participant_id]]
    return [
        OutgoingMessage(
            participant=participant,
            topic=ContactTopic.MEASURES,
            event="measure.escalated",
            subject_type="measures.recipient",
            subject_id=str(recipient.pk),
            subject=subject[:300],
            body=body,
            # No CAP here: the escalation is about the addressee, not a new alert about the measure.
            payload=payload,
            content_type="application/json",
            channels=ALL_CHANNELS,
            # Silence past the deadline goes to the 24/7 contact points (the escalation rule).
            round_the_clock=True,
        )
        for participant in targets
    ]


def send(messages: list[OutgoingMessage]) -> None:
    """Hand the messages to the outbox, inside the caller's transaction."""
    if messages:
        enqueue(messages)


def acknowledgement_messages(ack: Acknowledgement) -> list[OutgoingMessage]:
    """To the issuer: an addressee acknowledged. By email only when it asks or says something."""
    recipient = ack.recipient
    notification = recipient.notification
    measure = notification.measure
    lines = [
        _("%(addressee)s acknowledged your notification about: %(title)s")
        % {"addressee": recipient.participant.name, "title": measure.title},
        _("By %(who)s at %(at)s.")
        % {"who": ack.acknowledged_by_label, "at": ack.acknowledged_at.strftime("%Y-%m-%d %H:%M UTC")},
    ]
    if ack.comment:
        lines += ["", _("Comment or question:"), ack.comment]
    lines += ["", measure_url(measure)]
    payload = json.dumps(
        {
            "event": "measure.acknowledged",
            "measure": measure.pk,
            "notification": notification.identifier,
            "addressee": recipient.participant.code,
            "acknowledged_at": ack.acknowledged_at.isoformat(),
            "comment": ack.comment,
        }
    )
    channels = ALL_CHANNELS if ack.comment else (Channel.INBOX, Channel.WEBHOOK)
    return [
        OutgoingMessage(
            participant=measure.issuer,
            topic=ContactTopic.MEASURES,
            event="measure.acknowledged",
            subject_type="measures.acknowledgement",
            subject_id=str(ack.pk),
            subject=(
                _("[seemix] Acknowledged by %(who)s: %(title)s")
                % {"who": recipient.participant.code, "title": measure.title}
            )[:300],
            body="\n".join(lines),
            payload=payload,
            content_type="application/json",
            channels=channels,
        )
    ]
