"""CAP 1.2 alerts received from partner systems (POST /api/v1/alerts/cap)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seemix.core import audit
from seemix.core.access import Principal
from seemix.core.classification import Classification
from seemix.core.errors import FieldError, Forbidden, InvalidInput
from seemix.directory.models import Participant, Role
from seemix.measures.cap_schema import read_alert
from seemix.measures.models import Alert

# Who may post alerts for a participant: its people who report and coordinate, and their machines.
POSTERS = (Role.COORDINATOR, Role.REPORTER)
# CAP scope -> who reads the alert in seemix. Private: the posting participant only.
CLASSIFICATION_OF_SCOPE = {
    "Public": Classification.PUBLIC,
    "Restricted": Classification.REGIONAL,
    "Private": Classification.RESTRICTED,
}


@dataclass(frozen=True)
class ReceivedAlert:
    alert: Alert
    created: bool


def poster_participant(actor: Principal) -> Participant:
    """The participant the actor posts for: its token's, or the first (by code) it reports or coordinates."""
    grants = sorted((g for g in actor.grants if g.role in POSTERS), key=lambda g: g.participant_code)
    if not grants:
        raise Forbidden(_("Posting alerts needs the role reporter or coordinator of a participant."))
    return Participant.objects.get(pk=grants[0].participant_id)


def receive_cap_alert(xml: bytes, *, actor: Principal, now: datetime | None = None) -> ReceivedAlert:
    """Validate ``xml`` against the CAP 1.2 schema (InvalidCap otherwise) and keep it as an Alert.

    The same message (sender, identifier, sent) posted again is not stored twice: the first row is
    returned with ``created`` False.
    """
    participant = poster_participant(actor)
    parsed = read_alert(xml)
    existing = Alert.objects.filter(
        sender=parsed.sender, identifier=parsed.identifier, sent=parsed.sent
    ).first()
    if existing is not None:
        return ReceivedAlert(existing, created=False)
    too_long = [
        FieldError(name, _("At most 300 characters."))
        for name, value in (("sender", parsed.sender), ("identifier", parsed.identifier))
        if len(value) > 300
    ]
    if too_long:
        raise InvalidInput(too_long)
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                participant=participant,
                sender=parsed.sender,
                identifier=parsed.identifier,
                sent=parsed.sent,
                sent_text=parsed.sent_text,
                status=parsed.status,
                msg_type=parsed.msg_type,
                scope=parsed.scope,
                event=parsed.event[:300],
                headline=parsed.headline[:500],
                areas=parsed.areas,
                classification=CLASSIFICATION_OF_SCOPE[parsed.scope],
                raw_xml=xml.decode("utf-8", errors="replace"),
                received_by=actor.user,
                token_id=actor.token_id,
                received_at=now or timezone.now(),
            )
            audit.record(
                actor,
                "measures.alert_received",
                alert,
                participant_code=participant.code,
                changes={"sender": alert.sender, "identifier": alert.identifier, "sent": alert.sent_text},
            )
    except IntegrityError:
        # Posted twice at the same moment: the other request stored it.
        alert = Alert.objects.get(sender=parsed.sender, identifier=parsed.identifier, sent=parsed.sent)
        return ReceivedAlert(alert, created=False)
    return ReceivedAlert(alert, created=True)
