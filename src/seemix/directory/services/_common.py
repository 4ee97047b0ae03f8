"""Helpers every directory service shares: the admin check, field checks, participant look-up."""

from __future__ import annotations

from django.utils.translation import gettext as _

from seemix.core.access import Principal, require_platform_admin
from seemix.core.errors import FieldError, InvalidInput
from seemix.directory.models import Participant
from seemix.directory.validation import find_participants


def require_admin(actor: Principal | None) -> None:
    """``actor=None`` is the system itself (a management command run by the operator on the server)."""
    if actor is not None:
        require_platform_admin(actor)


def raise_if(errors: list[FieldError]) -> None:
    if errors:
        raise InvalidInput(errors)


def text_errors(value: str, field: str, max_length: int, missing: str) -> list[FieldError]:
    """``missing`` is the (translated) message for an empty value."""
    if not value.strip():
        return [FieldError(field, missing, code="required")]
    if len(value) > max_length:
        return [FieldError(field, _("At most %(n)d characters.") % {"n": max_length}, code="too_long")]
    return []


def resolve_participant(value: Participant | str, field: str, errors: list[FieldError]) -> Participant | None:
    if isinstance(value, Participant):
        if not value.is_active:
            errors.append(
                FieldError(
                    field,
                    _("The participant %(code)s is deactivated.") % {"code": value.code},
                    code="inactive",
                )
            )
            return None
        return value
    found, problems = find_participants([value], field)
    errors.extend(problems)
    return found[0] if found else None
