"""Who is acting, and the checks every read and write of tenant data goes through.

A :class:`Principal` is the authenticated user together with the (participant, role) grants that
apply to this request: all of the user's memberships for a signed-in session, exactly one for an
API token. Queries filter by it (``visible_to``); services check it (``require_role``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from seemix.core.classification import Classification
from seemix.core.errors import Forbidden

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Grant:
    participant_id: int
    participant_code: str
    role: str


@dataclass(frozen=True)
class Principal:
    user: Any
    grants: frozenset[Grant] = field(default_factory=frozenset)
    is_platform_admin: bool = False
    token_id: int | None = None

    @property
    def participant_ids(self) -> frozenset[int]:
        return frozenset(g.participant_id for g in self.grants)

    @property
    def is_member(self) -> bool:
        """Member of at least one participant or partner: entitled to REGIONAL data."""
        return bool(self.grants)

    def has_role(self, participant_id: int, *roles: str) -> bool:
        return any(g.participant_id == participant_id and g.role in roles for g in self.grants)

    def label(self) -> str:
        via = f" via token #{self.token_id}" if self.token_id else ""
        return f"{self.user.get_username()}{via}"


def require_platform_admin(principal: Principal) -> None:
    if not principal.is_platform_admin:
        raise Forbidden("Only platform administrators may do this.")


def require_role(principal: Principal, participant_id: int, *roles: str) -> None:
    if principal.is_platform_admin and principal.token_id is None:
        return
    if not principal.has_role(participant_id, *roles):
        raise Forbidden(f"This needs the role {' or '.join(roles)} for that participant.")


def visible_to(
    queryset: QuerySet[M],
    principal: Principal,
    *,
    owner: str | None = "participant",
    classification: str = "classification",
    audience: str | None = "audience",
) -> QuerySet[M]:
    """Restrict ``queryset`` to the rows ``principal`` may read.

    PUBLIC: everyone signed in. REGIONAL: members of any participant or partner. RESTRICTED: the
    owning participant's members and the named audience. Platform administration grants no
    exemption: an administrator reads RESTRICTED data only as a member of its audience.
    """
    allowed = Q(**{classification: Classification.PUBLIC})
    if principal.is_member:
        allowed |= Q(**{classification: Classification.REGIONAL})
        restricted = Q(pk__in=[])
        ids = principal.participant_ids
        if owner:
            restricted |= Q(**{f"{owner}__in": ids})
        if audience:
            through = queryset.model._meta.get_field(audience).remote_field.through  # type: ignore[union-attr]
            source = queryset.model._meta.model_name
            audience_rows = through.objects.filter(participant_id__in=ids).values(f"{source}_id")
            restricted |= Q(pk__in=audience_rows)
        allowed |= Q(**{classification: Classification.RESTRICTED}) & restricted
    return queryset.filter(allowed)
