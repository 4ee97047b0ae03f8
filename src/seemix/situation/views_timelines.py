"""The timelines and capacity pages, with their period chooser and "as of"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from seemix.core.access import Principal
from seemix.core.errors import InvalidInput
from seemix.core.pages import pages
from seemix.directory.principals import principal_for_user
from seemix.flows import queries as flow_queries
from seemix.gazetteer.models import Country
from seemix.situation import charts
from seemix.situation.services.capacity import build_capacity
from seemix.situation.services.timeline_forecast import attach_forecast
from seemix.situation.services.timelines import build_timeline


def page_principal(request: HttpRequest) -> Principal:
    principal = principal_for_user(request.user)
    flow_queries.require_reader(principal)
    return principal


def parse_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def parse_moment(value: str | None) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _period(request: HttpRequest) -> dict[str, Any]:
    return {
        "country": (request.GET.get("country") or "").strip().upper() or None,
        "date_from": parse_day(request.GET.get("date_from")),
        "date_to": parse_day(request.GET.get("date_to")),
        "as_of": parse_moment(request.GET.get("as_of")),
    }


def _render(request: HttpRequest, template: str, principal: Principal, **context: Any) -> HttpResponse:
    countries = Country.objects.order_by("name").values_list("code", "name")
    return render(
        request,
        template,
        {"principal": principal, "can_read": True, "nav": "situation", "countries": countries, **context},
    )


@require_GET
@pages
def timelines_page(request: HttpRequest) -> HttpResponse:
    principal = page_principal(request)
    asked = _period(request)
    error = None
    try:
        timeline = build_timeline(principal, **asked)
    except InvalidInput as invalid:
        error, timeline = invalid.detail, build_timeline(principal, as_of=asked["as_of"])
    attach_forecast(principal, timeline)
    return _render(
        request,
        "situation/timelines.html",
        principal,
        asked=asked,
        error=error,
        timeline=timeline,
        country_spec=charts.country_chart(timeline),
        regional_spec=charts.regional_chart(timeline),
    )


@require_GET
@pages
def capacity_page(request: HttpRequest) -> HttpResponse:
    principal = page_principal(request)
    asked = _period(request)
    error = None
    try:
        view = build_capacity(principal, **asked)
    except InvalidInput as invalid:
        error, view = invalid.detail, build_capacity(principal, as_of=asked["as_of"])
    spec = charts.capacity_chart(charts.capacity_rows(view), view.date_from, view.date_to, view.source)
    return _render(
        request, "situation/capacity.html", principal, asked=asked, error=error, view=view, spec=spec
    )
