"""API tokens: made by a signed-in user for one of their memberships, shown once, revocable."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from seemix.core import audit
from seemix.core.access import Principal
from seemix.core.errors import FieldError, Forbidden
from seemix.directory.models import ApiToken, Membership, Participant, Role
from seemix.directory.principals import TOKEN_PREFIX, hash_secret
from seemix.directory.services._common import raise_if, resolve_participant
from seemix.directory.validation import (
    role_errors,
)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    # The only time the secret exists outside the caller's hands: it is never stored.
    secret: str


def issue_token(
    *,
    actor: Principal,
    name: str,
    participant: Participant | str | None,
    role: str = "",
    days: int | None = None,
) -> IssuedToken:
    """Make an API token for the acting user, scoped to one of the user's own memberships.

    A platform administrator may instead make an administrator token (no participant), which
    carries the right to manage reference data and nothing else.
    """
    if actor.token_id is not None:
        raise Forbidden(_("An API token cannot make further tokens; sign in to make one."))
    days = settings.SEEMIX_TOKEN_DEFAULT_DAYS if days is None else days
    errors: list[FieldError] = []
    if not name.strip():
        errors.append(FieldError("name", _("Give the token a name that says where it is used."), "required"))
    elif len(name.strip()) > 100:
        errors.append(FieldError("name", _("At most %(n)d characters.") % {"n": 100}, "too_long"))
    if not 1 <= days <= settings.SEEMIX_TOKEN_MAX_DAYS:
        errors.append(
            FieldError(
                "days",
                _("A token lives between 1 and %(max)d days.") % {"max": settings.SEEMIX_TOKEN_MAX_DAYS},
            )
        )
    target: Participant | None = None
    if participant is None:
        if role:
            errors.append(FieldError("participant", _("A role needs the participant it applies to.")))
        elif not actor.is_platform_admin:
            errors.append(
                FieldError("participant", _("Choose the participant the token acts for."), "required")
            )
    else:
        errors += role_errors(role)
        target = resolve_participant(participant, "participant", errors)
        if (
            target is not None
            and role in Role.values
            and not Membership.objects.filter(user=actor.user, participant=target, role=role).exists()
        ):
            errors.append(
                FieldError(
                    "role",
                    _("You do not hold the role '%(role)s' for %(code)s: no token can carry it.")
                    % {"role": role, "code": target.code},
                )
            )
    raise_if(errors)
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor.user,
            participant=target,
            role=role,
            name=name.strip(),
            prefix=prefix,
            secret_hash=hash_secret(secret),
            expires_at=timezone.now() + timedelta(days=days),
        )
        audit.record(
            actor,
            "token.issued",
            token,
            participant_code=target.code if target else "",
            changes={"name": token.name, "role": role, "expires_at": token.expires_at.isoformat()},
        )
    return IssuedToken(token=token, secret=f"{TOKEN_PREFIX}_{prefix}_{secret}")


def revoke_token(token: ApiToken, *, actor: Principal) -> ApiToken:
    """Revoke at once. A token may revoke itself (a leaked one can be killed with itself), no other."""
    if actor.token_id is not None and actor.token_id != token.pk:
        raise Forbidden(_("An API token can revoke only itself; sign in to revoke other tokens."))
    if token.user_id != actor.user.pk and not actor.is_platform_admin:
        raise Forbidden(_("Only the token's owner or a platform administrator may revoke it."))
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor,
            "token.revoked",
            token,
            participant_code=token.participant.code if token.participant else "",
        )
    return token
