"""Pages of the directory: the user's home page, the participants and their contact points."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from seemix.core.access import Principal
from seemix.core.errors import Forbidden, NotFound
from seemix.directory import queries
from seemix.directory.models import ContactPoint
from seemix.directory.principals import principal_for_user


def reader(request: HttpRequest) -> Principal:
    """The signed-in user as a reader of the directory; 403 without a membership (as in the API)."""
    principal = principal_for_user(request.user)
    if not queries.can_read_directory(principal):
        raise PermissionDenied
    return principal


def page(request: HttpRequest, template: str, principal: Principal, nav: str, **context: Any) -> HttpResponse:
    can_read = queries.can_read_directory(principal)
    return render(request, template, {"principal": principal, "can_read": can_read, "nav": nav, **context})


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    principal = principal_for_user(request.user)
    memberships = list(queries.memberships_of(request.user))
    contact_points: dict[int, list[ContactPoint]] = {m.participant_id: [] for m in memberships}
    if memberships:
        for point in queries.own_contact_points(principal):
            contact_points.setdefault(point.participant_id, []).append(point)
    participants = {m.participant_id: m.participant for m in memberships}
    return page(
        request,
        "directory/home.html",
        principal,
        "home",
        memberships=memberships,
        contact_points=[(participants[pk], points) for pk, points in contact_points.items()],
    )


@require_GET
@login_required
def participants(request: HttpRequest) -> HttpResponse:
    principal = reader(request)
    try:
        rows = list(queries.participants_for(principal))
    except Forbidden:
        raise PermissionDenied from None
    return page(request, "directory/participants.html", principal, "directory", participants=rows)


@require_GET
@login_required
def participant(request: HttpRequest, code: str) -> HttpResponse:
    principal = reader(request)
    try:
        found = queries.participant_for(principal, code)
        contact_points = list(queries.contact_points_visible_to(principal, found))
    except NotFound:
        raise Http404 from None
    except Forbidden:
        raise PermissionDenied from None
    return page(
        request,
        "directory/participant.html",
        principal,
        "directory",
        participant=found,
        contact_points=contact_points,
        is_own=found.pk in principal.participant_ids,
    )
