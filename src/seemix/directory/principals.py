"""Build the Principal of a request from a user's memberships or from an API token."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

from django.utils import timezone

from seemix.core.access import Grant, Principal
from seemix.directory.models import ApiToken, Membership

TOKEN_PREFIX = "smx"
# last_used_at is written at most this often per token, so a busy machine client doesn't write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


# Longer than any token we issue ("smx_" + 12 hex + "_" + 43 base64url): refuse before hashing junk.
MAX_TOKEN_LENGTH = 128


def is_platform_admin(user: Any) -> bool:
    return bool(user is not None and user.is_active and user.is_superuser)


def principal_for_user(user: Any) -> Principal:
    memberships = Membership.objects.filter(user=user, participant__is_active=True).select_related(
        "participant"
    )
    grants = frozenset(Grant(m.participant_id, m.participant.code, m.role) for m in memberships)
    return Principal(user=user, grants=grants, is_platform_admin=is_platform_admin(user))


def hash_secret(secret: str) -> str:
    # The secret has 256 bits of entropy: a plain SHA-256 is enough, and fast on every request.
    return hashlib.sha256(secret.encode()).hexdigest()


def split_token(raw: str) -> tuple[str, str] | None:
    """'smx_<prefix>_<secret>' -> (prefix, secret), or None if it is not of that form.

    The secret is base64url and may itself contain '_': only the first two separators count.
    """
    raw = raw.strip()
    if len(raw) > MAX_TOKEN_LENGTH:
        return None
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def principal_for_token(raw: str) -> Principal | None:
    """The principal a bearer token acts as, or None if the token is unknown, expired or revoked.

    A token grants at most its own (participant, role), and only while its user still holds that
    membership and is active: revoking a membership disarms the user's tokens at once.
    """
    parsed = split_token(raw)
    if parsed is None:
        return None
    prefix, secret = parsed
    token = ApiToken.objects.select_related("user", "participant").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, hash_secret(secret)):
        return None
    if not token.is_usable or not token.user.is_active:
        return None
    if token.participant is None:
        # An administrator's token is worth nothing once its user is no longer an administrator.
        if not is_platform_admin(token.user):
            return None
        principal = Principal(user=token.user, is_platform_admin=True, token_id=token.pk)
    else:
        still_member = Membership.objects.filter(
            user=token.user, participant=token.participant, role=token.role, participant__is_active=True
        ).exists()
        if not still_member:
            return None
        grant = Grant(token.participant.pk, token.participant.code, token.role)
        principal = Principal(user=token.user, grants=frozenset({grant}), token_id=token.pk)
    _touch(token)
    return principal


def _touch(token: ApiToken) -> None:
    """Record the use of an accepted token (never of a refused one)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
