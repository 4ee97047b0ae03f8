"""Contact points: platform administrators and the participant's coordinators keep them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from seemix.core import audit
from seemix.core.access import Principal, require_role
from seemix.core.classification import Classification
from seemix.core.errors import FieldError
from seemix.directory.models import ContactPoint, ContactTopic, Participant, Role
from seemix.directory.services._common import raise_if, resolve_participant, text_errors
from seemix.directory.validation import (
    email_errors,
    find_participants,
    normalise_languages,
    phone_errors,
)


def _require_contact_writer(actor: Principal | None, participant: Participant) -> None:
    """Platform administrators, and the coordinators of the participant, keep its contact points."""
    if actor is None or actor.is_platform_admin:
        return
    require_role(actor, participant.pk, Role.COORDINATOR)


def _listed(languages: Iterable[str]) -> list[str]:
    # A bare string is kept whole so that the check reports it, instead of splitting it into letters.
    return [languages] if isinstance(languages, str) else list(languages)


@dataclass
class _ContactState:
    topic: str
    name: str
    email: str
    phone: str
    available_24_7: bool
    languages: list[str]
    notes: str
    classification: str
    audience: list[str]


def _checked_contact(state: _ContactState) -> tuple[_ContactState, list[Participant]]:
    """The state with languages normalised and the audience resolved, or InvalidInput naming each field."""
    errors: list[FieldError] = []
    if state.topic not in ContactTopic.values:
        errors.append(
            FieldError(
                "topic",
                _("'%(topic)s' is not a topic: one of %(topics)s.")
                % {"topic": state.topic, "topics": ", ".join(ContactTopic.values)},
            )
        )
    errors += text_errors(state.name, "name", 200, _("Give the name of the office or person."))
    errors += email_errors(state.email) + phone_errors(state.phone)
    if not state.email and not state.phone:
        errors.append(
            FieldError(
                "email",
                _("Give an email address or a phone number: a contact point must be reachable."),
                "required",
            )
        )
    languages, language_errors = normalise_languages(state.languages)
    errors += language_errors
    audience: list[Participant] = []
    if state.classification not in Classification.values:
        errors.append(
            FieldError(
                "classification",
                _("'%(value)s' is not one of %(values)s.")
                % {"value": state.classification, "values": ", ".join(Classification.values)},
            )
        )
    elif state.classification == Classification.RESTRICTED:
        if not state.audience:
            errors.append(
                FieldError(
                    "audience",
                    _("A RESTRICTED contact point needs the participants that may see it."),
                    "required",
                )
            )
        audience, audience_errors = find_participants(state.audience, "audience")
        errors += audience_errors
    elif state.audience:
        errors.append(
            FieldError("audience", _("Only a RESTRICTED contact point has an audience; leave it empty."))
        )
    raise_if(errors)
    state.languages = languages
    state.name = state.name.strip()
    return state, audience


def check_contact_point(
    *,
    topic: str,
    name: str,
    email: str,
    phone: str,
    languages: Iterable[str],
    classification: str,
    audience: Iterable[str],
) -> None:
    """Run the checks of create/update without writing (forms use it to place errors by field)."""
    _checked_contact(
        _ContactState(
            topic=topic,
            name=name,
            email=email.strip(),
            phone=phone.strip(),
            available_24_7=False,
            languages=_listed(languages),
            notes="",
            classification=classification,
            audience=list(audience),
        )
    )


def create_contact_point(
    *,
    actor: Principal | None,
    participant: Participant | str,
    topic: str,
    name: str,
    email: str = "",
    phone: str = "",
    available_24_7: bool = False,
    languages: Iterable[str] = (),
    notes: str = "",
    classification: str = Classification.REGIONAL,
    audience: Iterable[str] = (),
) -> ContactPoint:
    errors: list[FieldError] = []
    owner = resolve_participant(participant, "participant", errors)
    raise_if(errors)
    assert owner is not None
    _require_contact_writer(actor, owner)
    state, audience_rows = _checked_contact(
        _ContactState(
            topic=topic,
            name=name,
            email=email.strip(),
            phone=phone.strip(),
            available_24_7=available_24_7,
            languages=_listed(languages),
            notes=notes,
            classification=classification,
            audience=list(audience),
        )
    )
    with transaction.atomic():
        point = ContactPoint.objects.create(
            participant=owner,
            topic=state.topic,
            name=state.name,
            email=state.email,
            phone=state.phone,
            available_24_7=state.available_24_7,
            languages=state.languages,
            notes=state.notes,
            classification=state.classification,
        )
        point.audience.set(audience_rows)
        audit.record(actor, "contact_point.created", point, participant_code=owner.code, changes=vars(state))
    return point


def update_contact_point(
    point: ContactPoint,
    *,
    actor: Principal | None,
    topic: str | None = None,
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    available_24_7: bool | None = None,
    languages: Iterable[str] | None = None,
    notes: str | None = None,
    classification: str | None = None,
    audience: Iterable[str] | None = None,
    is_active: bool | None = None,
) -> ContactPoint:
    """Change the given fields (None leaves a field as it is); the result is checked as a whole."""
    _require_contact_writer(actor, point.participant)
    current = _ContactState(
        topic=point.topic,
        name=point.name,
        email=point.email,
        phone=point.phone,
        available_24_7=point.available_24_7,
        languages=list(point.languages),
        notes=point.notes,
        classification=point.classification,
        audience=sorted(point.audience.values_list("code", flat=True)),
    )
    given = {
        "topic": topic,
        "name": name,
        "email": email.strip() if email is not None else None,
        "phone": phone.strip() if phone is not None else None,
        "available_24_7": available_24_7,
        "languages": _listed(languages) if languages is not None else None,
        "notes": notes,
        "classification": classification,
        "audience": sorted(set(audience)) if audience is not None else None,
    }
    proposed = _ContactState(**{**vars(current), **{k: v for k, v in given.items() if v is not None}})
    if proposed.classification != Classification.RESTRICTED and audience is None:
        # Lifting the restriction drops the audience with it, rather than refusing the change.
        proposed.audience = []
    state, audience_rows = _checked_contact(proposed)
    changes = {k: [old, new] for k, old in vars(current).items() if (new := getattr(state, k)) != old}
    if is_active is not None and is_active != point.is_active:
        changes["is_active"] = [point.is_active, is_active]
    if not changes:
        return point
    with transaction.atomic():
        for attr in (
            "topic",
            "name",
            "email",
            "phone",
            "available_24_7",
            "languages",
            "notes",
            "classification",
        ):
            setattr(point, attr, getattr(state, attr))
        if is_active is not None:
            point.is_active = is_active
        point.save()
        if "audience" in changes:
            point.audience.set(audience_rows)
        action = (
            "contact_point.deactivated"
            if changes.get("is_active") == [True, False]
            else "contact_point.updated"
        )
        audit.record(actor, action, point, participant_code=point.participant.code, changes=changes)
    return point


def deactivate_contact_point(point: ContactPoint, *, actor: Principal | None) -> ContactPoint:
    return update_contact_point(point, actor=actor, is_active=False)
