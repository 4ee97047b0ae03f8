"""Every state change of an alert: raise it (once per kind and key), acknowledge it, resolve it.

Each writes its AlertStateChange row and one audit row in the same transaction; the deliveries of a
new alert are written by the outbox in that transaction too, and the worker is woken after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seemix.core import audit
from seemix.core.access import Principal
from seemix.core.classification import Classification
from seemix.core.errors import Conflict, FieldError, Forbidden, InvalidInput
from seemix.directory.models import Participant, ParticipantKind, Role
from seemix.gazetteer.models import BorderSection, Country, ReceptionSite
from seemix.outbox.services import enqueue
from seemix.situation.alerts_delivery import alert_countries, alert_messages
from seemix.situation.models import AlertKind, AlertState, AlertStateChange, SituationAlert

# Who may acknowledge or resolve an alert, among the responsible participants' members.
HANDLING_ROLES = (Role.COORDINATOR, Role.ANALYST)

# False while history is replayed (the demo's 2015-16 alerts): the alerts are recorded, with their
# state changes and audit rows, but nobody is sent a message about a day years past.
_deliver: ContextVar[bool] = ContextVar("seemix_alert_deliver", default=True)


@contextmanager
def replaying_history() -> Iterator[None]:
    """Within this block, raise_alert records alerts without enqueuing their deliveries."""
    token = _deliver.set(False)
    try:
        yield
    finally:
        _deliver.reset(token)


def raise_alert(
    *,
    kind: str,
    key: str,
    title: str,
    detail: str,
    day: dt.date,
    evidence: dict[str, Any] | None = None,
    country: Country | str | None = None,
    border_section: BorderSection | None = None,
    site: ReceptionSite | None = None,
    measure_id: int | None = None,
    participant: Participant | None = None,
    classification: str = Classification.REGIONAL,
    audience: Iterable[Participant] = (),
) -> SituationAlert:
    """The alert of (kind, key), raised now if it was not yet: a second call changes nothing.

    Safe under concurrency: the unique constraint on (kind, key) decides, and the loser of a race
    reads the winner's row. Raised by the system (the rules), so the audit row has no actor.
    """
    errors = []
    if kind not in AlertKind.values:
        errors.append(FieldError("kind", f"'{kind}' is not an alert kind"))
    if not key or len(key) > 200:
        errors.append(FieldError("key", "required, at most 200 characters"))
    if not title or len(title) > 300:
        errors.append(FieldError("title", "required, at most 300 characters"))
    if classification not in Classification.values:
        errors.append(FieldError("classification", f"'{classification}' is not a classification"))
    if errors:
        raise InvalidInput(errors)
    existing = SituationAlert.objects.filter(kind=kind, key=key).first()
    if existing is not None:
        return existing
    country_code = country.code if isinstance(country, Country) else country
    now = timezone.now()
    try:
        with transaction.atomic():
            alert = SituationAlert.objects.create(
                kind=kind,
                key=key,
                title=title,
                detail=detail,
                day=day,
                evidence=evidence or {},
                country_id=country_code,
                border_section=border_section,
                site=site,
                measure_id=measure_id,
                participant=participant,
                classification=classification,
                raised_at=now,
                updated_at=now,
            )
            audience = list(audience)
            if audience:
                alert.audience.set(audience)
            AlertStateChange.objects.create(
                alert=alert, old_state="", new_state=AlertState.OPEN, changed_at=now
            )
            audit.record(
                None,
                "situation.alert_raised",
                alert,
                participant_code=participant.code if participant else "",
                changes={"kind": kind, "key": key, "day": day, "classification": classification},
            )
            if _deliver.get():
                enqueue(alert_messages(alert))
    except IntegrityError:
        # Another process raised the same alert between our read and our insert.
        return SituationAlert.objects.get(kind=kind, key=key)
    return alert


def responsible_participant_ids(alert: SituationAlert) -> set[int]:
    """Whose members handle the alert: its participant; else the participants of its countries;
    else (a regional alert about no country) the secretariat."""
    if alert.participant_id:
        return {alert.participant_id}
    countries = alert_countries(alert)
    if countries:
        return set(Participant.objects.filter(code__in=countries).values_list("pk", flat=True))
    return set(Participant.objects.filter(kind=ParticipantKind.SECRETARIAT).values_list("pk", flat=True))


def may_handle(actor: Principal, alert: SituationAlert) -> bool:
    if actor.is_platform_admin and actor.token_id is None:
        return True
    return any(actor.has_role(pid, *HANDLING_ROLES) for pid in responsible_participant_ids(alert))


def _acting_participant(actor: Principal, alert: SituationAlert) -> Participant | None:
    for pid in sorted(responsible_participant_ids(alert)):
        if actor.has_role(pid, *HANDLING_ROLES):
            return Participant.objects.get(pk=pid)
    return None


def _change_state(
    actor: Principal, alert: SituationAlert, new_state: str, note: str, allowed_from: set[str]
) -> SituationAlert:
    if not may_handle(actor, alert):
        raise Forbidden(_("Only the responsible participants' coordinators or analysts may do this."))
    if len(note) > 2000:
        raise InvalidInput(FieldError("note", _("At most %(n)d characters.") % {"n": 2000}, "too_long"))
    with transaction.atomic():
        locked = SituationAlert.objects.select_for_update().get(pk=alert.pk)
        if locked.state not in allowed_from:
            raise Conflict(
                _("The alert is %(state)s: it cannot become %(new)s.")
                % {"state": locked.get_state_display().lower(), "new": AlertState(new_state).label.lower()}
            )
        now = timezone.now()
        old = locked.state
        participant = _acting_participant(actor, locked)
        locked.state = new_state
        locked.updated_at = now
        locked.save(update_fields=["state", "updated_at"])
        AlertStateChange.objects.create(
            alert=locked,
            old_state=old,
            new_state=new_state,
            note=note,
            participant=participant,
            changed_by=actor.user,
            changed_at=now,
        )
        audit.record(
            actor,
            f"situation.alert_{new_state}",
            locked,
            participant_code=participant.code if participant else "",
            changes={"state": [old, new_state], "note": note},
        )
    alert.state, alert.updated_at = locked.state, locked.updated_at
    return alert


def acknowledge_alert(user: Principal, alert: SituationAlert, note: str = "") -> SituationAlert:
    """Someone responsible has seen the alert and is dealing with it."""
    return _change_state(user, alert, AlertState.ACKNOWLEDGED, note, {AlertState.OPEN})


def resolve_alert(user: Principal, alert: SituationAlert, note: str = "") -> SituationAlert:
    """The alert's cause is over or dealt with (from open or acknowledged)."""
    return _change_state(user, alert, AlertState.RESOLVED, note, {AlertState.OPEN, AlertState.ACKNOWLEDGED})
