"""Pages of flows: the day's grid, the upload, reports and their revisions, the neighbours' figures,
the reporting status and the downloads. Each view parses, asks a query or a service, renders."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from seemix.core.access import Principal
from seemix.core.errors import Forbidden, InvalidInput
from seemix.directory.principals import principal_for_user
from seemix.flows import status
from seemix.flows.models import Periodicity


def _principal(request: HttpRequest) -> Principal:
    principal = principal_for_user(request.user)
    if not (principal.is_member or principal.is_platform_admin):
        raise PermissionDenied
    return principal


def _page(
    request: HttpRequest, template: str, principal: Principal, nav: str, **context: Any
) -> HttpResponse:
    return render(request, template, {"principal": principal, "can_read": True, "nav": nav, **context})


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@require_GET
@login_required
def reporting_status(request: HttpRequest) -> HttpResponse:
    principal = _principal(request)
    periodicity = request.GET.get("periodicity", Periodicity.DAILY)
    if periodicity not in Periodicity.values:
        periodicity = Periodicity.DAILY
    errors: list[str] = []
    try:
        grid = status.reporting_status(
            principal,
            periodicity=periodicity,
            date_from=_date(request.GET.get("date_from")),
            date_to=_date(request.GET.get("date_to")),
        )
    except Forbidden:
        raise PermissionDenied from None
    except InvalidInput as invalid:
        errors = [e.message for e in invalid.errors]
        grid = status.reporting_status(principal, periodicity=periodicity)
    return _page(
        request,
        "flows/status.html",
        principal,
        "flows-status",
        grid=grid,
        errors=errors,
        periodicity=periodicity,
        periodicities=Periodicity.choices,
        states=list(status.ReportingState),
        state_labels=status.STATE_LABELS,
    )
