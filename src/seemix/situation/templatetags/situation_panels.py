"""Panels of the situation pages: alerts, timeline and capacity of a day, for the region or a country.

{% load situation_panels %}
{% alerts_panel user day as_of [country] %}  {% timeline_panel user country day as_of %}
{% capacity_panel user country day as_of %}

``user`` is a user or a Principal; ``country`` a code or None (the region); ``day`` the picture's
day (the timeline and capacity panels end on it and cover the 30 days before); ``as_of`` None or a
timestamp. Each reads only what the user may read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django import template

from seemix.core.access import Principal
from seemix.directory.principals import principal_for_user
from seemix.situation import alerts_queries, charts
from seemix.situation.models import AlertState
from seemix.situation.services.capacity import build_capacity
from seemix.situation.services.timeline_forecast import attach_forecast
from seemix.situation.services.timelines import build_timeline

register = template.Library()
PANEL_DAYS = 30
PANEL_ALERTS = 20


def _principal(user: Any) -> Principal:
    return user if isinstance(user, Principal) else principal_for_user(user)


def _period(day: dt.date | None, as_of: dt.datetime | None) -> tuple[dt.date, dt.date]:
    end = day or (as_of or dt.datetime.now(dt.UTC)).date()
    return end - dt.timedelta(days=PANEL_DAYS - 1), end


def _query(country: str | None, start: dt.date, end: dt.date, as_of: dt.datetime | None) -> str:
    params = {"country": country or "", "date_from": start.isoformat(), "date_to": end.isoformat()}
    if as_of is not None:
        params["as_of"] = as_of.strftime("%Y-%m-%dT%H:%M")
    return urlencode(params)


@register.inclusion_tag("situation/_panel_alerts.html")
def alerts_panel(
    user: Any, day: dt.date | None = None, as_of: dt.datetime | None = None, country: str | None = None
) -> dict[str, Any]:
    """The alerts of the day (of a country and its border sections, when given)."""
    principal = _principal(user)
    alerts = alerts_queries.alerts_visible_to(principal, day=day, as_of=as_of, country=country)[:PANEL_ALERTS]
    labels = dict(AlertState.choices)
    rows = []
    for alert in alerts:
        state = alerts_queries.state_of(alert)
        rows.append({"alert": alert, "state": state, "state_label": labels.get(state, state)})
    return {"rows": rows, "day": day, "as_of": as_of}


@register.inclusion_tag("situation/_panel_timeline.html")
def timeline_panel(
    user: Any, country: str | None = None, day: dt.date | None = None, as_of: dt.datetime | None = None
) -> dict[str, Any]:
    start, end = _period(day, as_of)
    principal = _principal(user)
    timeline = build_timeline(principal, country=country, date_from=start, date_to=end, as_of=as_of)
    # The forecast of the 14 days after the picture's day, from the figures up to it.
    attach_forecast(principal, timeline)
    spec = charts.country_chart(timeline) if country else charts.regional_chart(timeline)
    key = (country or "region").lower()
    return {
        "spec": spec,
        "key": key,
        "spec_id": f"timeline-spec-{key}",
        "query": _query(country, start, end, as_of),
    }


@register.inclusion_tag("situation/_panel_capacity.html")
def capacity_panel(
    user: Any, country: str | None = None, day: dt.date | None = None, as_of: dt.datetime | None = None
) -> dict[str, Any]:
    start, end = _period(day, as_of)
    view = build_capacity(_principal(user), country=country, date_from=start, date_to=end, as_of=as_of)
    spec = charts.capacity_chart(charts.capacity_rows(view), start, end, view.source)
    key = (country or "region").lower()
    return {
        "view": view,
        "spec": spec,
        "key": key,
        "spec_id": f"capacity-spec-{key}",
        "query": _query(country, start, end, as_of),
    }
