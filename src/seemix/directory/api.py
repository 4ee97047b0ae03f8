"""Directory API: who am I, participants, contact points, memberships, API tokens.

Every operation: parse, let queries/services authorise and act, serialise. The NinjaAPI requires
authentication on each (token or session); errors become problem+json in seemix.core.problems.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from seemix.core.access import Principal
from seemix.core.pagination import Page
from seemix.directory import queries, services
from seemix.directory.schemas import (
    ContactPointFilter,
    ContactPointIn,
    ContactPointOut,
    ContactPointPatch,
    MembershipIn,
    MembershipOut,
    MeOut,
    ParticipantIn,
    ParticipantOut,
    ParticipantPatch,
    TokenCreated,
    TokenIn,
    TokenOut,
)

router = Router()

ME = ["me"]
PARTICIPANTS = ["participants"]
CONTACT_POINTS = ["contact points"]
MEMBERSHIPS = ["memberships"]
TOKENS = ["tokens"]


def _principal(request: HttpRequest) -> Principal:
    return request.auth  # type: ignore[attr-defined]


# --- Me -------------------------------------------------------------------------------------------


@router.get("/me", response=MeOut, tags=ME, summary="The signed-in user, their roles and contact points")
def me(request: HttpRequest) -> dict[str, Any]:
    principal = _principal(request)
    user = principal.user
    return {
        "username": user.get_username(),
        "email": user.email,
        "full_name": user.get_full_name(),
        "is_platform_admin": principal.is_platform_admin,
        "memberships": queries.grants_of(principal),
        "token": queries.tokens_of(principal).first() if principal.token_id else None,
        "contact_points": list(queries.own_contact_points(principal)) if principal.is_member else [],
    }


# --- Participants ---------------------------------------------------------------------------------


@router.get("/participants", response=list[ParticipantOut], tags=PARTICIPANTS)
@paginate(Page)
def list_participants(request: HttpRequest) -> Any:
    return queries.participants_for(_principal(request))


@router.get("/participants/{code}", response=ParticipantOut, tags=PARTICIPANTS)
def get_participant(request: HttpRequest, code: str) -> Any:
    return queries.participant_for(_principal(request), code)


@router.post("/participants", response={201: ParticipantOut}, tags=PARTICIPANTS, summary="Add a participant")
def create_participant(request: HttpRequest, payload: ParticipantIn) -> Any:
    return services.create_participant(actor=_principal(request), **payload.dict())


@router.patch("/participants/{code}", response=ParticipantOut, tags=PARTICIPANTS)
def update_participant(request: HttpRequest, code: str, payload: ParticipantPatch) -> Any:
    principal = _principal(request)
    participant = queries.participant_for(principal, code)
    return services.update_participant(participant, actor=principal, **payload.dict(exclude_unset=True))


@router.delete(
    "/participants/{code}", response={204: None}, tags=PARTICIPANTS, summary="Deactivate a participant"
)
def deactivate_participant(request: HttpRequest, code: str) -> None:
    principal = _principal(request)
    services.deactivate_participant(queries.participant_for(principal, code), actor=principal)


@router.get("/participants/{code}/contact-points", response=list[ContactPointOut], tags=CONTACT_POINTS)
@paginate(Page)
def list_participant_contact_points(request: HttpRequest, code: str) -> Any:
    principal = _principal(request)
    return queries.contact_points_visible_to(principal, queries.participant_for(principal, code))


# --- Contact points -------------------------------------------------------------------------------


@router.get("/contact-points", response=list[ContactPointOut], tags=CONTACT_POINTS)
@paginate(Page)
def list_contact_points(request: HttpRequest, filters: Query[ContactPointFilter]) -> Any:
    return queries.contact_points_visible_to(
        _principal(request),
        filters.participant,
        topic=filters.topic,
        available_24_7=filters.available_24_7,
    )


@router.get("/contact-points/{int:point_id}", response=ContactPointOut, tags=CONTACT_POINTS)
def get_contact_point(request: HttpRequest, point_id: int) -> Any:
    return queries.contact_point_for(_principal(request), point_id)


@router.post("/contact-points", response={201: ContactPointOut}, tags=CONTACT_POINTS)
def create_contact_point(request: HttpRequest, payload: ContactPointIn) -> Any:
    principal = _principal(request)
    queries.require_reader(principal)
    return services.create_contact_point(actor=principal, **payload.dict())


@router.patch("/contact-points/{int:point_id}", response=ContactPointOut, tags=CONTACT_POINTS)
def update_contact_point(request: HttpRequest, point_id: int, payload: ContactPointPatch) -> Any:
    principal = _principal(request)
    point = queries.contact_point_for(principal, point_id)
    return services.update_contact_point(point, actor=principal, **payload.dict(exclude_unset=True))


@router.delete(
    "/contact-points/{int:point_id}",
    response={204: None},
    tags=CONTACT_POINTS,
    summary="Deactivate a contact point",
)
def deactivate_contact_point(request: HttpRequest, point_id: int) -> None:
    principal = _principal(request)
    services.deactivate_contact_point(queries.contact_point_for(principal, point_id), actor=principal)


# --- Memberships (platform administrators) --------------------------------------------------------


@router.get("/memberships", response=list[MembershipOut], tags=MEMBERSHIPS)
@paginate(Page)
def list_memberships(request: HttpRequest, user: str | None = None) -> Any:
    return queries.memberships_for(_principal(request), username=user)


@router.post("/memberships", response={201: MembershipOut}, tags=MEMBERSHIPS, summary="Grant a role")
def grant_membership(request: HttpRequest, payload: MembershipIn) -> Any:
    return services.grant_membership(actor=_principal(request), **payload.dict())


@router.delete(
    "/memberships/{int:membership_id}",
    response={204: None},
    tags=MEMBERSHIPS,
    summary="Revoke a role and its tokens",
)
def revoke_membership(request: HttpRequest, membership_id: int) -> None:
    principal = _principal(request)
    services.revoke_membership(queries.membership_for(principal, membership_id), actor=principal)


# --- API tokens -----------------------------------------------------------------------------------


@router.get("/tokens", response=list[TokenOut], tags=TOKENS, summary="Your API tokens")
@paginate(Page)
def list_tokens(request: HttpRequest) -> Any:
    return queries.tokens_of(_principal(request))


@router.post(
    "/tokens", response={201: TokenCreated}, tags=TOKENS, summary="Make an API token (signed-in session only)"
)
def issue_token(request: HttpRequest, payload: TokenIn) -> Any:
    issued = services.issue_token(
        actor=_principal(request),
        name=payload.name,
        participant=payload.participant,
        role=payload.role or "",
        days=payload.days,
    )
    return issued


@router.delete("/tokens/{int:token_id}", response={204: None}, tags=TOKENS, summary="Revoke an API token")
def revoke_token(request: HttpRequest, token_id: int) -> None:
    principal = _principal(request)
    services.revoke_token(queries.token_for(principal, token_id), actor=principal)
