"""Alerts of the regional picture: list, one alert with its history, acknowledge, resolve, and the
alerts as CAP 1.2 messages and an Atom feed.

A RESTRICTED alert answers 404 to whoever may not read the figures it comes from, exactly like a
missing one. Acknowledging and resolving take a coordinator or analyst of a responsible participant
(403 otherwise); a change the alert's state does not allow answers 409.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.pagination import paginate

from seemix.core.access import Principal, visible_to
from seemix.core.errors import FieldError, InvalidInput
from seemix.core.pagination import Page
from seemix.measures.api_feeds import feed_auth
from seemix.situation import alerts_queries as queries
from seemix.situation.alerts_cap import ATOM_CONTENT_TYPE, CAP_CONTENT_TYPE, atom_feed, cap_xml
from seemix.situation.models import AlertStateChange, SituationAlert
from seemix.situation.schemas_alerts import AlertDetailOut, AlertNoteIn, AlertOut
from seemix.situation.services.alerts import acknowledge_alert, resolve_alert

router = Router()
ALERTS = ["situation alerts"]
FEED_LIMIT = 200


def _principal(request: HttpRequest) -> Principal:
    return request.auth  # type: ignore[attr-defined]


def parse_as_of(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(FieldError("as_of", f"{value!r} is not an ISO 8601 timestamp")) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _detail(alert: SituationAlert) -> SituationAlert:
    alert.history = list(  # type: ignore[attr-defined]
        AlertStateChange.objects.filter(alert=alert).select_related("participant")
    )
    return alert


@router.get("/situation/alerts", response=list[AlertOut], tags=ALERTS, summary="Alerts of the picture")
@paginate(Page)
def list_alerts(
    request: HttpRequest,
    date: dt.date | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    state: str | None = None,
    country: str | None = None,
    as_of: str | None = None,
) -> Any:
    """Newest day first. ``as_of``: the alerts raised by then, in the state they had then."""
    return queries.alerts_visible_to(
        _principal(request),
        day=date,
        date_from=date_from,
        date_to=date_to,
        state=state,
        country=country,
        as_of=parse_as_of(as_of),
    )


def _readers(alerts: list[SituationAlert]) -> dict[int, list[str]]:
    restricted = [a.pk for a in alerts if a.classification == "restricted"]
    readers: dict[int, list[str]] = {a.pk: [a.participant.code] for a in alerts if a.participant}
    through = SituationAlert.audience.through
    for alert_id, code in through.objects.filter(situationalert_id__in=restricted).values_list(
        "situationalert_id", "participant__code"
    ):
        readers.setdefault(alert_id, []).append(code)
    return readers


@router.get(
    "/situation/alerts.atom",
    auth=feed_auth,
    tags=ALERTS,
    summary="Atom feed of the alerts (CAP 1.2 in each entry)",
    response={200: None},
)
def alerts_feed(request: HttpRequest) -> HttpResponse:
    """The newest alerts the caller may read. Without a token or session: the PUBLIC ones only."""
    principal = _principal(request)
    visible = visible_to(SituationAlert.objects.all(), principal)
    alerts = list(
        visible.select_related("country", "border_section", "site", "participant").order_by(
            "-updated_at", "-pk"
        )[:FEED_LIMIT]
    )
    body = atom_feed(alerts, _readers(alerts), request.build_absolute_uri())
    return HttpResponse(body, content_type=f"{ATOM_CONTENT_TYPE}; charset=utf-8")


@router.get("/situation/alerts/{alert_id}", response=AlertDetailOut, tags=ALERTS, summary="One alert")
def get_alert(request: HttpRequest, alert_id: int) -> Any:
    return _detail(queries.alert_for(_principal(request), alert_id))


@router.get(
    "/situation/alerts/{alert_id}/cap.xml",
    tags=ALERTS,
    summary="The alert as a CAP 1.2 message",
    response={200: None},
)
def alert_cap(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = queries.alert_for(_principal(request), alert_id)
    return HttpResponse(cap_xml(alert, _readers([alert]).get(alert.pk, ())), content_type=CAP_CONTENT_TYPE)


@router.post(
    "/situation/alerts/{alert_id}/acknowledge", response=AlertDetailOut, tags=ALERTS, summary="Acknowledge"
)
def acknowledge(request: HttpRequest, alert_id: int, payload: AlertNoteIn) -> Any:
    principal = _principal(request)
    alert = queries.alert_for(principal, alert_id)
    return _detail(acknowledge_alert(principal, alert, payload.note))


@router.post("/situation/alerts/{alert_id}/resolve", response=AlertDetailOut, tags=ALERTS, summary="Resolve")
def resolve(request: HttpRequest, alert_id: int, payload: AlertNoteIn) -> Any:
    principal = _principal(request)
    alert = queries.alert_for(principal, alert_id)
    return _detail(resolve_alert(principal, alert, payload.note))
