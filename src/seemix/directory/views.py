"""Pages of the directory: the user's home page, the participants and their contact points."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from seemix.core.access import Principal
from seemix.core.errors import Forbidden, InvalidInput, NotFound
from seemix.directory import queries, services
from seemix.directory.forms import TokenForm
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


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens: make one for a membership (its secret shown once), revoke one."""
    principal = principal_for_user(request.user)
    issued = None
    form = TokenForm(request.POST or None, memberships=list(queries.memberships_of(request.user)))
    if request.method == "POST" and form.is_valid():
        membership = form.cleaned_data["membership"]
        try:
            issued = services.issue_token(
                actor=principal,
                name=form.cleaned_data["name"],
                participant=membership.participant,
                role=membership.role,
                days=form.cleaned_data["days"],
            )
        except InvalidInput as error:
            for problem in error.errors:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            form = TokenForm(memberships=form.memberships)
    rows = list(queries.tokens_of(principal).filter(revoked_at__isnull=True).order_by("-created_at"))
    return page(
        request,
        "directory/tokens.html",
        principal,
        "tokens",
        form=form,
        issued=issued,
        tokens=rows,
        now=timezone.now(),
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    principal = principal_for_user(request.user)
    try:
        token = queries.token_for(principal, token_id)
        if token.user_id != request.user.pk:
            raise NotFound("API token", token_id)
        services.revoke_token(token, actor=principal)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("The token %(name)s is revoked: it no longer works.") % {"name": token.name})
    return redirect("tokens")
