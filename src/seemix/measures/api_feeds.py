"""Feeds and CAP in: Atom feeds of CAP alerts, iCalendar feeds of the measures' dates, and
POST /alerts/cap for partner systems.

Feeds answer to a bearer token or a session like the rest of the API; without either they are
served too, holding only PUBLIC measures (a PUBLIC-only feed may be read by anyone). A participant
code that does not exist answers 404; a RESTRICTED measure appears only in the feeds of its issuer
and addressees.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from seemix.core.access import Principal
from seemix.core.errors import DomainError, FieldError, InvalidInput, NotFound
from seemix.core.pagination import Page
from seemix.directory.auth import session_auth, token_auth
from seemix.directory.models import Participant
from seemix.measures import feeds, queries, services
from seemix.measures.cap_schema import InvalidCap
from seemix.measures.models import Notification
from seemix.measures.schemas import AlertOut, AlertReceivedOut

router = Router()
FEEDS = ["feeds"]
ALERTS = ["alerts"]
FEED_LIMIT = 200
CAP_CONTENT_TYPES = {"application/cap+xml", "application/xml", "text/xml"}


class UnsupportedMediaType(DomainError):
    status = 415
    title = "Unsupported media type"
    type_slug = "unsupported-media-type"


def anonymous(request: HttpRequest) -> Principal:
    """The caller with neither token nor session: reads what is PUBLIC and nothing else."""
    return Principal(user=AnonymousUser())


# A token that is presented but refused must still answer 401, not fall through to anonymous.
def _reject_bad_token(request: HttpRequest) -> Principal | None:
    if "Authorization" in request.headers:
        return None
    return anonymous(request)


feed_auth = [token_auth, session_auth, _reject_bad_token]


def _principal(request: HttpRequest) -> Principal:
    return request.auth  # type: ignore[attr-defined]


def _participant(code: str) -> Participant:
    participant = Participant.objects.filter(code=code.strip().upper()).first()
    if participant is None:
        raise NotFound("participant", code)
    return participant


def _notifications(principal: Principal) -> Any:
    return (
        Notification.objects.filter(measure__in=queries.visible_measures(principal))
        .select_related("measure__issuer")
        .order_by("-sent_at", "-pk")
    )


@router.get(
    "/feeds/{code}/alerts.atom",
    auth=feed_auth,
    tags=FEEDS,
    summary="Atom feed of the CAP alerts issued by a participant",
    response={200: None},
)
def issued_alerts_feed(request: HttpRequest, code: str) -> HttpResponse:
    participant = _participant(code)
    notifications = _notifications(_principal(request)).filter(measure__issuer=participant)[:FEED_LIMIT]
    body = feeds.atom_feed(
        feed_id=f"urn:seemix:feed:{participant.code}:alerts",
        title=f"seemix: measures notified by {participant.name}",
        self_url=request.build_absolute_uri(),
        notifications=notifications,
    )
    return HttpResponse(body, content_type=f"{feeds.ATOM_CONTENT_TYPE}; charset=utf-8")


@router.get(
    "/feeds/{code}/inbox.atom",
    tags=FEEDS,
    summary="Atom feed of the CAP alerts addressed to a participant (its members only)",
    response={200: None},
)
def inbox_alerts_feed(request: HttpRequest, code: str) -> HttpResponse:
    principal = _principal(request)
    queries.require_reader(principal)
    participant = _participant(code)
    if participant.pk not in principal.participant_ids:
        raise NotFound("participant inbox", code)
    notifications = _notifications(principal).filter(recipients__participant=participant)[:FEED_LIMIT]
    body = feeds.atom_feed(
        feed_id=f"urn:seemix:feed:{participant.code}:inbox",
        title=f"seemix: measures notified to {participant.name}",
        self_url=request.build_absolute_uri(),
        notifications=notifications,
    )
    return HttpResponse(body, content_type=f"{feeds.ATOM_CONTENT_TYPE}; charset=utf-8")


def _calendar(principal: Principal, participant: Participant | None) -> HttpResponse:
    measures = queries.visible_measures(principal).exclude(status="draft").select_related("issuer")
    name = "seemix: measures"
    if participant is not None:
        measures = measures.filter(issuer=participant)
        name = f"seemix: measures of {participant.name}"
    body = feeds.ical_feed(name=name, measures=measures.order_by("planned_start", "pk")[: FEED_LIMIT * 5])
    return HttpResponse(body, content_type=f"{feeds.ICAL_CONTENT_TYPE}; charset=utf-8")


@router.get(
    "/feeds/measures.ics",
    auth=feed_auth,
    tags=FEEDS,
    summary="iCalendar feed of the effective dates of the measures you may read",
    response={200: None},
)
def calendar_feed(request: HttpRequest) -> HttpResponse:
    return _calendar(_principal(request), None)


@router.get(
    "/feeds/{code}/measures.ics",
    auth=feed_auth,
    tags=FEEDS,
    summary="iCalendar feed of the effective dates of a participant's measures",
    response={200: None},
)
def participant_calendar_feed(request: HttpRequest, code: str) -> HttpResponse:
    return _calendar(_principal(request), _participant(code))


# --- CAP in ---------------------------------------------------------------------------------------


@router.post(
    "/alerts/cap",
    response={201: AlertReceivedOut, 200: AlertReceivedOut},
    tags=ALERTS,
    summary="Post a CAP 1.2 alert (application/cap+xml); 200 for a message already received",
    openapi_extra={
        "requestBody": {"content": {"application/cap+xml": {"schema": {"type": "string"}}}, "required": True}
    },
)
def post_cap_alert(request: HttpRequest) -> Any:
    principal = _principal(request)
    queries.require_reader(principal)
    content_type = request.content_type or ""
    if content_type not in CAP_CONTENT_TYPES:
        raise UnsupportedMediaType("Send the CAP message as application/cap+xml (or application/xml).")
    try:
        received = services.receive_cap_alert(request.body, actor=principal)
    except InvalidCap as error:
        raise InvalidInput(
            [FieldError("body", f"line {p.line}: {p.message}", "cap_schema") for p in error.problems]
        ) from None
    alert = received.alert
    own = alert.participant_id in principal.participant_ids
    body = {
        "id": alert.pk if own else None,
        "sender": alert.sender,
        "identifier": alert.identifier,
        "sent": alert.sent_text,
        "duplicate": not received.created,
    }
    return Status(201 if received.created else 200, body)


@router.get("/alerts", response=list[AlertOut], tags=ALERTS, summary="Received CAP alerts you may read")
@paginate(Page)
def list_alerts(request: HttpRequest) -> Any:
    return queries.alerts_visible_to(_principal(request))


@router.get("/alerts/{alert_id}", response=AlertOut, tags=ALERTS)
def get_alert(request: HttpRequest, alert_id: int) -> Any:
    return queries.alert_for(_principal(request), alert_id)
