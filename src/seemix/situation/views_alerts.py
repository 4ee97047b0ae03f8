"""The alerts page: the alerts of a day (or all open ones), with acknowledge and resolve buttons for
the coordinators and analysts of the responsible participants."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from seemix.core.errors import Conflict, InvalidInput
from seemix.core.pages import pages
from seemix.situation import alerts_queries as queries
from seemix.situation.models import AlertState
from seemix.situation.services.alerts import acknowledge_alert, may_handle, resolve_alert
from seemix.situation.views_timelines import page_principal, parse_day, parse_moment


@require_GET
@pages
def alerts_page(request: HttpRequest) -> HttpResponse:
    principal = page_principal(request)
    day = parse_day(request.GET.get("date"))
    as_of = parse_moment(request.GET.get("as_of"))
    state = request.GET.get("state") or None
    if state not in (None, *AlertState.values):
        state = None
    alerts = list(queries.alerts_visible_to(principal, day=day, state=state, as_of=as_of)[:200])
    rows: list[dict[str, Any]] = [
        {
            "alert": a,
            "state": queries.state_of(a),
            "state_label": AlertState(queries.state_of(a)).label,
            "can_handle": as_of is None and may_handle(principal, a),
        }
        for a in alerts
    ]
    return render(
        request,
        "situation/alerts.html",
        {
            "principal": principal,
            # the page answers members only (require_reader above): the full navigation applies
            "can_read": True,
            "nav": "alerts",
            "rows": rows,
            "day": day,
            "as_of": as_of,
            "state": state or "",
            "states": AlertState.choices,
        },
    )


@require_POST
@pages
def alert_action(request: HttpRequest, alert_id: int, action: str) -> HttpResponse:
    principal = page_principal(request)
    alert = queries.alert_for(principal, alert_id)
    note = request.POST.get("note", "")
    change = {"acknowledge": acknowledge_alert, "resolve": resolve_alert}.get(action)
    if change is None:
        raise Http404
    try:
        change(principal, alert, note)
    except (Conflict, InvalidInput) as error:
        messages.error(request, error.detail)
    else:
        messages.success(
            request, _("The alert is now %(state)s.") % {"state": alert.get_state_display().lower()}
        )
    back = request.POST.get("next") or ""
    if not back.startswith("/situation/"):
        back = f"/situation/alerts/?date={alert.day.isoformat()}"
    return HttpResponseRedirect(back)
