"""Measures API: drafts, addressees, notify / update / cancel / in force / lift, acknowledgement,
timeline, CAP 1.2, inbox, compliance and subscriptions.

Every operation: parse, let queries/services authorise and act, serialise. A RESTRICTED measure
answers 404 to whoever is not its issuer or addressee, exactly like a missing one; an action not
allowed in the measure's status answers 409.
"""

import dataclasses
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from seemix.core.access import Principal
from seemix.core.errors import FieldError, Forbidden, InvalidInput, NotFound
from seemix.core.pagination import Page
from seemix.directory.models import Participant, Role
from seemix.measures import compliance, queries, services
from seemix.measures.cap import CONTENT_TYPE
from seemix.measures.inputs import MeasureData, data_of
from seemix.measures.models import Measure, MeasureType, Notification
from seemix.measures.schemas import (
    AcknowledgeIn,
    AcknowledgeOut,
    ActionIn,
    AddresseeOut,
    AddresseesIn,
    ChoiceOut,
    ComplianceOut,
    EffectiveIn,
    InboxItemOut,
    MeasureIn,
    MeasureOut,
    MeasurePatch,
    NotificationOut,
    SubscriptionIn,
    SubscriptionOut,
    TimelineEventOut,
)

router = Router()
MEASURES = ["measures"]
ACK = ["acknowledgements"]
SUBSCRIPTIONS = ["subscriptions"]


def _principal(request: HttpRequest) -> Principal:
    return request.auth  # type: ignore[attr-defined]


def _own_participant(
    principal: Principal, code: str | None, roles: tuple[str, ...], field: str
) -> Participant:
    """The participant the caller acts for: the one named, else its only one holding ``roles``."""
    queries.require_reader(principal)
    if code:
        participant = Participant.objects.filter(code=code.strip().upper(), is_active=True).first()
        if participant is None:
            raise InvalidInput(FieldError(field, f"There is no participant {code!r}."))
        return participant
    ids = sorted({g.participant_id for g in principal.grants if g.role in roles})
    if not ids:
        raise Forbidden(f"This needs the role {' or '.join(roles)} of a participant.")
    if len(ids) > 1:
        raise InvalidInput(FieldError(field, "Name the participant you act for."))
    return Participant.objects.get(pk=ids[0])


def _data(payload: Schema, base: MeasureData | None = None) -> MeasureData:
    names = {f.name for f in dataclasses.fields(MeasureData)}
    values = payload.dict(exclude_unset=base is not None)
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items() if k in names}
    if base is not None:
        return dataclasses.replace(base, **values)
    return MeasureData(**values)


def _cap_response(notification: Notification | None, measure_id: int) -> HttpResponse:
    if notification is None:
        raise NotFound("CAP message of measure", measure_id)
    return HttpResponse(notification.cap_xml.encode("utf-8"), content_type=f"{CONTENT_TYPE}; charset=utf-8")


# --- measures -------------------------------------------------------------------------------------


@router.get("/measures/types", response=list[ChoiceOut], tags=MEASURES, summary="The types of measure")
def measure_types(request: HttpRequest) -> Any:
    queries.require_reader(_principal(request))
    return [{"value": value, "label": str(label)} for value, label in MeasureType.choices]


@router.get("/measures", response=list[MeasureOut], tags=MEASURES, summary="Measures you may read")
@paginate(Page)
def list_measures(
    request: HttpRequest,
    status: str | None = None,
    issuer: str | None = None,
    type: str | None = None,
    active_on: date | None = None,
) -> Any:
    return queries.measures_visible_to(
        _principal(request), status=status, issuer=issuer, type=type, active_on=active_on
    ).prefetch_related("border_sections", "crossing_points")


@router.post("/measures", response={201: MeasureOut}, tags=MEASURES, summary="Draft a measure")
def create_measure(request: HttpRequest, payload: MeasureIn) -> Any:
    principal = _principal(request)
    issuer = _own_participant(principal, payload.issuer, services.drafts.DRAFTERS, "issuer")
    return Status(201, services.create_measure(actor=principal, issuer=issuer, data=_data(payload)))


@router.get("/measures/{measure_id}", response=MeasureOut, tags=MEASURES)
def get_measure(request: HttpRequest, measure_id: int) -> Any:
    return queries.measure_for(_principal(request), measure_id)


@router.patch("/measures/{measure_id}", response=MeasureOut, tags=MEASURES, summary="Change a draft")
def patch_draft(request: HttpRequest, measure_id: int, payload: MeasurePatch) -> Any:
    principal = _principal(request)
    measure = queries.measure_for(principal, measure_id)
    return services.update_draft(measure, actor=principal, data=_data(payload, data_of(measure)))


@router.delete("/measures/{measure_id}", response={204: None}, tags=MEASURES, summary="Delete a draft")
def delete_draft(request: HttpRequest, measure_id: int) -> Any:
    principal = _principal(request)
    services.delete_draft(queries.measure_for(principal, measure_id), actor=principal)
    return Status(204, None)


@router.get("/measures/{measure_id}/addressees", response=list[AddresseeOut], tags=MEASURES)
def get_addressees(request: HttpRequest, measure_id: int) -> Any:
    principal = _principal(request)
    return queries.addressee_states(principal, queries.measure_for(principal, measure_id))


@router.put(
    "/measures/{measure_id}/addressees",
    response=list[AddresseeOut],
    tags=MEASURES,
    summary="Set the addressees before notifying",
)
def put_addressees(request: HttpRequest, measure_id: int, payload: AddresseesIn) -> Any:
    principal = _principal(request)
    measure = queries.measure_for(principal, measure_id)
    services.set_addressees(measure, actor=principal, codes=payload.addressees)
    return queries.addressee_states(principal, measure)


@router.post(
    "/measures/{measure_id}/notify", response={201: NotificationOut}, tags=MEASURES, summary="Notify a draft"
)
def notify(request: HttpRequest, measure_id: int) -> Any:
    principal = _principal(request)
    return Status(201, services.notify_measure(queries.measure_for(principal, measure_id), actor=principal))


@router.patch(
    "/measures/{measure_id}/update",
    response={201: NotificationOut},
    tags=MEASURES,
    summary="Change a notified measure: notified again as a CAP Update",
)
def update(request: HttpRequest, measure_id: int, payload: MeasurePatch) -> Any:
    principal = _principal(request)
    measure = queries.measure_for(principal, measure_id)
    data = _data(payload, data_of(measure))
    return Status(201, services.update_measure(measure, actor=principal, data=data, note=payload.note or ""))


@router.post("/measures/{measure_id}/cancel", response={201: NotificationOut}, tags=MEASURES)
def cancel(request: HttpRequest, measure_id: int, payload: ActionIn) -> Any:
    principal = _principal(request)
    measure = queries.measure_for(principal, measure_id)
    return Status(201, services.cancel_measure(measure, actor=principal, note=payload.note))


@router.post("/measures/{measure_id}/in-force", response=MeasureOut, tags=MEASURES)
def in_force(request: HttpRequest, measure_id: int, payload: EffectiveIn) -> Any:
    principal = _principal(request)
    measure = queries.measure_for(principal, measure_id)
    return services.bring_into_force(measure, actor=principal, at=payload.at)


@router.post("/measures/{measure_id}/lift", response={201: NotificationOut}, tags=MEASURES)
def lift(request: HttpRequest, measure_id: int, payload: EffectiveIn) -> Any:
    principal = _principal(request)
    measure = queries.measure_for(principal, measure_id)
    return Status(201, services.lift_measure(measure, actor=principal, at=payload.at, note=payload.note))


@router.get("/measures/{measure_id}/notifications", response=list[NotificationOut], tags=MEASURES)
def list_notifications(request: HttpRequest, measure_id: int) -> Any:
    return queries.notifications_of(queries.measure_for(_principal(request), measure_id))


@router.get("/measures/{measure_id}/timeline", response=list[TimelineEventOut], tags=MEASURES)
def timeline(request: HttpRequest, measure_id: int) -> Any:
    principal = _principal(request)
    return queries.timeline_of(principal, queries.measure_for(principal, measure_id))


@router.get(
    "/measures/{measure_id}/cap.xml",
    tags=MEASURES,
    summary="The latest CAP 1.2 message of the measure",
    response={200: None},
)
def measure_cap(request: HttpRequest, measure_id: int) -> HttpResponse:
    measure: Measure = queries.measure_for(_principal(request), measure_id)
    return _cap_response(queries.latest_notification(measure), measure_id)


@router.get("/notifications/{notification_id}", response=NotificationOut, tags=MEASURES)
def get_notification(request: HttpRequest, notification_id: int) -> Any:
    return queries.notification_for(_principal(request), notification_id)


@router.get(
    "/notifications/{notification_id}/cap.xml",
    tags=MEASURES,
    summary="One notification as its CAP 1.2 message",
    response={200: None},
)
def notification_cap(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = queries.notification_for(_principal(request), notification_id)
    return _cap_response(notification, notification.measure_id)


# --- acknowledgements and the inbox ----------------------------------------------------------------


@router.post(
    "/measures/{measure_id}/acknowledge",
    response={201: AcknowledgeOut},
    tags=ACK,
    summary="Acknowledge a notification as an addressee's coordinator",
)
def acknowledge(request: HttpRequest, measure_id: int, payload: AcknowledgeIn) -> Any:
    principal = _principal(request)
    measure = queries.measure_for(principal, measure_id)
    asking = measure.notifications.filter(requires_acknowledgement=True)
    if payload.notification is not None:
        asking = asking.filter(pk=payload.notification)
    notification = asking.order_by("-sequence").first()
    if notification is None:
        raise NotFound("notification asking for acknowledgement of measure", measure_id)
    participant = None
    if payload.participant:
        participant = Participant.objects.filter(code=payload.participant.strip().upper()).first()
        if participant is None:
            raise InvalidInput(FieldError("participant", f"There is no participant {payload.participant!r}."))
    ack = services.acknowledge_notification(
        notification, actor=principal, participant=participant, comment=payload.comment
    )
    return Status(
        201,
        {
            "notification": notification.pk,
            "participant": ack.recipient.participant.code,
            "acknowledged_at": ack.acknowledged_at,
            "acknowledged_by": ack.acknowledged_by_label,
            "comment": ack.comment,
        },
    )


@router.get(
    "/inbox", response=list[InboxItemOut], tags=ACK, summary="Notifications your participants received"
)
@paginate(Page)
def inbox(request: HttpRequest, pending: bool = False) -> Any:
    return queries.inbox_for(_principal(request), pending_only=pending)


# --- compliance -----------------------------------------------------------------------------------


class ComplianceFilter(Schema):
    start: date
    end: date
    participant: str | None = None


@router.get(
    "/compliance",
    response=ComplianceOut,
    tags=MEASURES,
    summary="Share of measures notified at least SEEMIX_ADVANCE_NOTICE_DAYS ahead, per participant",
)
def get_compliance(request: HttpRequest, filters: Query[ComplianceFilter]) -> Any:
    if filters.end < filters.start:
        raise InvalidInput(FieldError("end", "The end is before the start."))
    return compliance.compliance_for(
        _principal(request), start=filters.start, end=filters.end, participant=filters.participant
    )


# --- subscriptions ----------------------------------------------------------------------------------


@router.get("/subscriptions", response=list[SubscriptionOut], tags=SUBSCRIPTIONS)
def list_subscriptions(request: HttpRequest) -> Any:
    return queries.subscriptions_for(_principal(request))


@router.put(
    "/subscriptions",
    response=SubscriptionOut,
    tags=SUBSCRIPTIONS,
    summary="Subscribe your participant to notifications of measures (all, or of some countries)",
)
def put_subscription(request: HttpRequest, payload: SubscriptionIn) -> Any:
    principal = _principal(request)
    participant = _own_participant(principal, payload.participant, (Role.COORDINATOR,), "participant")
    return services.subscribe(participant, actor=principal, countries=payload.countries)


@router.delete("/subscriptions/{code}", response={204: None}, tags=SUBSCRIPTIONS)
def delete_subscription(request: HttpRequest, code: str) -> Any:
    principal = _principal(request)
    participant = _own_participant(principal, code, (Role.COORDINATOR,), "participant")
    services.unsubscribe(participant, actor=principal)
    return Status(204, None)
