"""What the measures pages share: sign-in and error mapping, the acting principal, rendering."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from seemix.core.access import Principal
from seemix.core.errors import Conflict, InvalidInput
from seemix.directory import queries as directory_queries
from seemix.directory.models import Participant, Role
from seemix.directory.principals import principal_for_user
from seemix.gazetteer import queries as gazetteer_queries
from seemix.measures import queries
from seemix.measures.forms import MeasureForm
from seemix.measures.models import Measure
from seemix.measures.services.drafts import DRAFTERS

PAGE_SIZE = 50


def page_principal(request: HttpRequest) -> Principal:
    principal = principal_for_user(request.user)
    queries.require_reader(principal)
    return principal


def render_page(
    request: HttpRequest, template: str, principal: Principal, tab: str, **context: Any
) -> HttpResponse:
    base = {
        "principal": principal,
        "can_read": True,
        "nav": "inbox" if tab == "inbox" else "measures",
        "tab": tab,
        "can_draft": bool(participants_with(principal, *DRAFTERS)),
        "target_days": settings.SEEMIX_ADVANCE_NOTICE_DAYS,
    }
    return render(request, template, {**base, **context})


def participants_with(principal: Principal, *roles: str) -> list[Participant]:
    ids = {g.participant_id for g in principal.grants if g.role in roles}
    return list(
        directory_queries.participants_for(principal).filter(pk__in=ids, is_active=True).order_by("name")
    )


def is_coordinator(principal: Principal, measure: Measure) -> bool:
    return principal.has_role(measure.issuer_id, Role.COORDINATOR)


def measure_form(
    request: HttpRequest, principal: Principal, issuers: list[Participant], **kwargs: Any
) -> MeasureForm:
    return MeasureForm(
        request.POST or None,
        issuers=issuers,
        border_sections=gazetteer_queries.border_sections_for(principal),
        crossing_points=gazetteer_queries.crossing_points_for(principal),
        participants=directory_queries.participants_for(principal).filter(is_active=True).order_by("name"),
        **kwargs,
    )


def tell_error(request: HttpRequest, error: InvalidInput | Conflict) -> None:
    if isinstance(error, InvalidInput):
        for field_error in error.errors:
            messages.error(request, field_error.message)
    else:
        messages.error(request, error.detail)


def require_coordinator(principal: Principal, measure: Measure) -> None:
    if not is_coordinator(principal, measure):
        raise PermissionDenied
