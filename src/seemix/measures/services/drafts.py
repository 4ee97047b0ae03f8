"""Drafting a measure and choosing its addressees: free to change until it is notified."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from seemix.core import audit
from seemix.core.access import Principal, require_role
from seemix.core.errors import Conflict, FieldError, InvalidInput
from seemix.directory.models import Participant, Role
from seemix.gazetteer.validation import normalise_code
from seemix.measures.addressees import compute_addressees
from seemix.measures.inputs import CheckedMeasure, MeasureData, check
from seemix.measures.models import Addressee, AddresseeReason, Measure, MeasureStatus

DRAFTERS = (Role.COORDINATOR, Role.REPORTER)


def require_issuer_role(
    actor: Principal | None, measure_or_issuer: Measure | Participant, *roles: str
) -> None:
    """The actor holds one of ``roles`` for the issuer (the system, ``None``, may do anything)."""
    if actor is None:
        return
    issuer_id = (
        measure_or_issuer.issuer_id if isinstance(measure_or_issuer, Measure) else measure_or_issuer.pk
    )
    require_role(actor, issuer_id, *roles)


def require_status(measure: Measure, *allowed: str, doing: str) -> None:
    if measure.status not in allowed:
        raise Conflict(
            _("A %(status)s measure cannot be %(doing)s.")
            % {"status": MeasureStatus(measure.status).label.lower(), "doing": doing}
        )


def user_of(actor: Principal | None) -> Any:
    return actor.user if actor is not None else None


def label_of(actor: Principal | None) -> str:
    return actor.label() if actor is not None else audit.SYSTEM


def write_scope(measure: Measure, checked: CheckedMeasure) -> None:
    measure.border_sections.set(checked.border_sections)
    measure.crossing_points.set(checked.crossing_points)
    measure.audience.set(checked.audience)


def recompute_addressees(measure: Measure, *, keep_existing: bool) -> list[Participant]:
    """Write the addressees computed from the scope. ``keep_existing``: only add (after notification,
    nobody once told is dropped); otherwise replace. Returns the participants newly added."""
    computed = compute_addressees(
        measure.issuer,
        measure.border_sections.select_related("country_a", "country_b"),
        measure.crossing_points.select_related("border_section"),
    )
    existing = {a.participant_id: a for a in measure.addressees.all()}
    if not keep_existing:
        measure.addressees.all().delete()
        existing = {}
    added = []
    for participant, reasons in computed.items():
        row = existing.get(participant.pk)
        if row is None:
            Addressee.objects.create(measure=measure, participant=participant, reasons=reasons)
            added.append(participant)
        elif keep_existing and set(reasons) - set(row.reasons):
            row.reasons = sorted(set(row.reasons) | set(reasons), key=list(AddresseeReason.values).index)
            row.save(update_fields=["reasons"])
    return added


def create_measure(*, actor: Principal | None, issuer: Participant, data: MeasureData) -> Measure:
    """A new draft of ``issuer``, with the addressees computed from its scope."""
    require_issuer_role(actor, issuer, *DRAFTERS)
    checked = check(data)
    with transaction.atomic():
        measure = Measure.objects.create(
            issuer=issuer, created_by=user_of(actor), status=MeasureStatus.DRAFT, **checked.field_values()
        )
        write_scope(measure, checked)
        recompute_addressees(measure, keep_existing=False)
        audit.record(
            actor,
            "measure.drafted",
            measure,
            participant_code=issuer.code,
            changes={"title": measure.title, "type": measure.type},
        )
    return measure


def update_draft(measure: Measure, *, actor: Principal | None, data: MeasureData) -> Measure:
    """Change a draft. Its addressees follow the new scope unless the issuer has edited them."""
    require_issuer_role(actor, measure, *DRAFTERS)
    require_status(measure, MeasureStatus.DRAFT, doing=_("edited as a draft"))
    checked = check(data)
    with transaction.atomic():
        measure = Measure.objects.select_for_update().get(pk=measure.pk)
        require_status(measure, MeasureStatus.DRAFT, doing=_("edited as a draft"))
        values = checked.field_values()
        changes = audit.diff(measure, values)
        for name, value in values.items():
            setattr(measure, name, value)
        measure.save()
        write_scope(measure, checked)
        if not measure.addressees_edited:
            recompute_addressees(measure, keep_existing=False)
        audit.record(
            actor, "measure.draft_updated", measure, participant_code=measure.issuer.code, changes=changes
        )
    return measure


def delete_draft(measure: Measure, *, actor: Principal | None) -> None:
    """A draft was never sent to anyone, so it may go; a notified measure is cancelled instead."""
    require_issuer_role(actor, measure, *DRAFTERS)
    require_status(measure, MeasureStatus.DRAFT, doing=_("deleted (cancel it instead)"))
    with transaction.atomic():
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        require_status(locked, MeasureStatus.DRAFT, doing=_("deleted (cancel it instead)"))
        audit.record(
            actor,
            "measure.draft_deleted",
            locked,
            participant_code=measure.issuer.code,
            changes={"title": locked.title},
        )
        locked.addressees.all().delete()
        locked.delete()


def set_addressees(measure: Measure, *, actor: Principal | None, codes: Iterable[str]) -> list[Addressee]:
    """The issuing coordinator's own list of addressees, before notifying (replaces the computed one)."""
    require_issuer_role(actor, measure, Role.COORDINATOR)
    require_status(measure, MeasureStatus.DRAFT, doing=_("given new addressees"))
    wanted = {normalise_code(c) for c in codes}
    found = {p.code: p for p in Participant.objects.filter(code__in=wanted, is_active=True)}
    errors = []
    missing = sorted(wanted - set(found))
    if missing:
        errors.append(FieldError("addressees", _("Unknown participants: %(c)s.") % {"c": ", ".join(missing)}))
    if measure.issuer.code in wanted:
        errors.append(FieldError("addressees", _("The issuer is not its own addressee.")))
    if errors:
        raise InvalidInput(errors)
    computed = {
        p.code: reasons
        for p, reasons in compute_addressees(
            measure.issuer,
            measure.border_sections.select_related("country_a", "country_b"),
            measure.crossing_points.select_related("border_section"),
        ).items()
    }
    with transaction.atomic():
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        require_status(locked, MeasureStatus.DRAFT, doing=_("given new addressees"))
        before = sorted(locked.addressees.values_list("participant__code", flat=True))
        locked.addressees.all().delete()
        rows = [
            Addressee.objects.create(
                measure=locked, participant=found[code], reasons=computed.get(code, [AddresseeReason.ADDED])
            )
            for code in sorted(wanted)
        ]
        locked.addressees_edited = True
        locked.save(update_fields=["addressees_edited", "updated_at"])
        audit.record(
            actor,
            "measure.addressees_set",
            locked,
            participant_code=locked.issuer.code,
            changes={"addressees": [before, sorted(wanted)]},
        )
    measure.addressees_edited = True
    return rows
