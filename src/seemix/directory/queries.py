"""Every read of the directory, filtered by the acting Principal: the one way in for pages and API.

Reading the directory needs a membership of some participant or partner, or platform
administration (``Forbidden`` otherwise). An object the principal may not see raises ``NotFound``
exactly like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from seemix.core.access import Principal, require_platform_admin, visible_to
from seemix.core.classification import Classification
from seemix.core.errors import Forbidden, InvalidInput, NotFound
from seemix.directory.models import ApiToken, ContactPoint, Membership, Participant, Role
from seemix.directory.validation import unknown_participant_error


def can_read_directory(principal: Principal) -> bool:
    return principal.is_member or principal.is_platform_admin


def require_reader(principal: Principal) -> None:
    if not can_read_directory(principal):
        raise Forbidden(
            _("Reading the directory needs a membership of a participant; ask a platform administrator.")
        )


# --- Participants ---------------------------------------------------------------------------------


def participants_for(principal: Principal) -> QuerySet[Participant]:
    """Active participants; administrators see deactivated ones too (to restore them)."""
    require_reader(principal)
    participants = Participant.objects.all()
    if not principal.is_platform_admin:
        participants = participants.filter(is_active=True)
    return participants


def grants_of(principal: Principal) -> list[dict[str, Any]]:
    """What the principal acts as, each grant with its participant: [{"participant": ..., "role": ...}]."""
    by_id = Participant.objects.in_bulk(list(principal.participant_ids))
    grants = sorted(principal.grants, key=lambda g: (g.participant_code, g.role))
    return [
        {"participant": by_id[g.participant_id], "role": g.role} for g in grants if g.participant_id in by_id
    ]


def participant_for(principal: Principal, code: str) -> Participant:
    try:
        return participants_for(principal).get(code=code)
    except Participant.DoesNotExist:
        raise NotFound("participant", code) from None


# --- Contact points -------------------------------------------------------------------------------


def _readable_contact_points(principal: Principal) -> QuerySet[ContactPoint]:
    require_reader(principal)
    points = ContactPoint.objects.select_related("participant").prefetch_related("audience")
    readable = visible_to(points, principal)
    if principal.is_platform_admin:
        # Administrators keep the directory, so they read REGIONAL entries even without a membership;
        # RESTRICTED ones stay need-to-know (core.access: administration grants no exemption).
        readable = readable | points.filter(classification=Classification.REGIONAL)
    else:
        readable = readable.filter(participant__is_active=True)
    return readable


def contact_points_visible_to(
    principal: Principal,
    participant: Participant | str | None = None,
    *,
    topic: str | None = None,
    available_24_7: bool | None = None,
) -> QuerySet[ContactPoint]:
    """Active contact points the principal may read, optionally of one participant (or its code).

    An unknown code is a mistake in the filter, not an empty answer: InvalidInput naming 'participant'.
    """
    points = _readable_contact_points(principal).filter(is_active=True)
    if isinstance(participant, str):
        if not Participant.objects.filter(code=participant).exists():
            raise InvalidInput(unknown_participant_error(participant, "participant"))
        points = points.filter(participant__code=participant)
    elif participant is not None:
        points = points.filter(participant=participant)
    if topic is not None:
        points = points.filter(topic=topic)
    if available_24_7 is not None:
        points = points.filter(available_24_7=available_24_7)
    return points


def own_contact_points(principal: Principal) -> QuerySet[ContactPoint]:
    """The active contact points of the principal's own participants (the home page's list)."""
    return contact_points_visible_to(principal).filter(participant_id__in=principal.participant_ids)


def managed_participant_ids(principal: Principal) -> frozenset[int]:
    """Participants whose contact points the principal keeps as coordinator (administrators keep all)."""
    return frozenset(g.participant_id for g in principal.grants if g.role == Role.COORDINATOR)


def can_manage_contact_points(principal: Principal, participant: Participant) -> bool:
    return principal.is_platform_admin or participant.pk in managed_participant_ids(principal)


def contact_point_for(principal: Principal, pk: int) -> ContactPoint:
    """A contact point the principal may read. A deactivated one only for those who may restore it."""
    points = _readable_contact_points(principal)
    if not principal.is_platform_admin:
        points = points.filter(Q(is_active=True) | Q(participant_id__in=managed_participant_ids(principal)))
    try:
        return points.get(pk=pk)
    except ContactPoint.DoesNotExist:
        raise NotFound("contact point", pk) from None


# --- Memberships ----------------------------------------------------------------------------------


def memberships_of(user: Any) -> QuerySet[Membership]:
    """The user's memberships of active participants: what a signed-in session acts as."""
    return Membership.objects.filter(user=user, participant__is_active=True).select_related("participant")


def memberships_for(principal: Principal, *, username: str | None = None) -> QuerySet[Membership]:
    """Every membership, for platform administrators only; optionally of one user."""
    require_platform_admin(principal)
    memberships = Membership.objects.select_related("participant", "user").order_by("user__username", "pk")
    if username is not None:
        memberships = memberships.filter(user__username=username)
    return memberships


def membership_for(principal: Principal, pk: int) -> Membership:
    try:
        return memberships_for(principal).get(pk=pk)
    except Membership.DoesNotExist:
        raise NotFound("membership", pk) from None


# --- API tokens -----------------------------------------------------------------------------------


def tokens_of(principal: Principal) -> QuerySet[ApiToken]:
    """The user's own tokens. A request made with a token sees only that token, not its siblings."""
    tokens = ApiToken.objects.select_related("participant")
    if principal.token_id is not None:
        return tokens.filter(pk=principal.token_id)
    return tokens.filter(user=principal.user)


def token_for(principal: Principal, pk: int) -> ApiToken:
    """One of the principal's tokens; any token for a signed-in administrator (to kill a leaked one)."""
    tokens = tokens_of(principal)
    if principal.is_platform_admin and principal.token_id is None:
        tokens = ApiToken.objects.select_related("participant")
    try:
        return tokens.get(pk=pk)
    except ApiToken.DoesNotExist:
        raise NotFound("API token", pk) from None
