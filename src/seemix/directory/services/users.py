"""User accounts and their memberships (a role for a participant)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seemix.core import audit
from seemix.core.access import Principal
from seemix.core.errors import FieldError, InvalidInput
from seemix.directory.models import ApiToken, Membership, Participant
from seemix.directory.services._common import raise_if, require_admin, resolve_participant
from seemix.directory.validation import (
    email_errors,
    role_errors,
)


def grant_membership(
    *, actor: Principal | None, user: Any | str, participant: Participant | str, role: str
) -> Membership:
    """Give a user a role for a participant. ``user`` is the account or its user name."""
    require_admin(actor)
    errors = role_errors(role)
    if isinstance(user, str):
        found = get_user_model().objects.filter(username=user).first()
        if found is None:
            errors.append(
                FieldError(
                    "user", _("No user has the user name '%(username)s'.") % {"username": user}, "unknown"
                )
            )
        user = found
    target = resolve_participant(participant, "participant", errors)
    if not errors and Membership.objects.filter(user=user, participant=target, role=role).exists():
        errors.append(_already(user, target, role))  # type: ignore[arg-type]
    raise_if(errors)
    assert target is not None
    assert user is not None
    try:
        with transaction.atomic():
            membership = Membership.objects.create(user=user, participant=target, role=role)
            audit.record(
                actor,
                "membership.granted",
                membership,
                participant_code=target.code,
                changes={"user": user.get_username(), "role": role},
            )
    except IntegrityError:
        # The same grant was made by another request between our check and our insert.
        raise InvalidInput(_already(user, target, role)) from None
    return membership


def _already(user: Any, participant: Participant, role: str) -> FieldError:
    message = _("%(username)s is already %(role)s of %(code)s.") % {
        "username": user.get_username(),
        "role": role,
        "code": participant.code,
    }
    return FieldError("role", message, "duplicate")


def revoke_membership(membership: Membership, *, actor: Principal | None) -> None:
    """End a membership, and with it at once every API token that carries it."""
    require_admin(actor)
    with transaction.atomic():
        revoked = ApiToken.objects.filter(
            user=membership.user_id,
            participant=membership.participant_id,
            role=membership.role,
            revoked_at__isnull=True,
        ).update(revoked_at=timezone.now())
        audit.record(
            actor,
            "membership.revoked",
            membership,
            participant_code=membership.participant.code,
            changes={
                "user": membership.user.get_username(),
                "role": membership.role,
                "tokens_revoked": revoked,
            },
        )
        membership.delete()


def create_user(
    *,
    actor: Principal | None,
    username: str,
    email: str,
    password: str,
    participant: Participant | str | None = None,
    role: str = "",
    is_platform_admin: bool = False,
) -> Any:
    """A user account, with its first membership when a participant and role are given."""
    require_admin(actor)
    user_model = get_user_model()
    username, email = username.strip(), email.strip()
    errors: list[FieldError] = []
    try:
        user_model.username_validator(username)
    except ValidationError as exc:
        errors += [FieldError("username", m) for m in exc.messages]
    if not username:
        errors.append(FieldError("username", _("Give a user name."), "required"))
    elif user_model.objects.filter(username__iexact=username).exists():
        errors.append(
            FieldError(
                "username", _("The user name '%(username)s' is taken.") % {"username": username}, "duplicate"
            )
        )
    errors += email_errors(email) if email else [FieldError("email", _("Give an email address."), "required")]
    try:
        password_validation.validate_password(password, user_model(username=username, email=email))
    except ValidationError as exc:
        errors += [FieldError("password", m) for m in exc.messages]
    target = None
    if participant is not None or role:
        if participant is None or not role:
            errors.append(
                FieldError("role" if participant else "participant", _("Give both a participant and a role."))
            )
        else:
            errors += role_errors(role)
            target = resolve_participant(participant, "participant", errors)
    raise_if(errors)
    try:
        user = _create_user(actor, username, email, password, target, role, is_platform_admin)
    except IntegrityError:
        # Another request took the user name between our check and our insert.
        raise InvalidInput(
            FieldError(
                "username", _("The user name '%(username)s' is taken.") % {"username": username}, "duplicate"
            )
        ) from None
    return user


def _create_user(
    actor: Principal | None,
    username: str,
    email: str,
    password: str,
    target: Participant | None,
    role: str,
    is_platform_admin: bool,
) -> Any:
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.create_user(
            username=username,
            email=email,
            password=password,
            is_superuser=is_platform_admin,
            is_staff=is_platform_admin,
        )
        membership = Membership.objects.create(user=user, participant=target, role=role) if target else None
        audit.record(
            actor,
            "user.created",
            user,
            participant_code=target.code if target else "",
            changes={
                "username": username,
                "email": email,
                "is_platform_admin": is_platform_admin,
                "membership": f"{target.code} {role}" if membership and target else "",
            },
        )
    return user
