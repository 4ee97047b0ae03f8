"""Pages of measures: draft and notify, a measure's page, the inbox, the regional timeline, compliance.

Each view parses, asks a query or calls a service, and renders. The services check the roles; a
view checks them up front only to refuse a form its user could never send. "Missing" and "not
allowed to see" are both a 404; a role the action needs is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from seemix.core.access import Principal
from seemix.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from seemix.directory import queries as directory_queries
from seemix.directory.models import Participant, Role
from seemix.directory.principals import principal_for_user
from seemix.gazetteer import queries as gazetteer_queries
from seemix.measures import charts, compliance, queries, services
from seemix.measures.forms import (
    AcknowledgeForm,
    AddresseesForm,
    ComplianceFilterForm,
    EndForm,
    MeasureForm,
    TimelineFilterForm,
    UpdateNoteForm,
    attach_errors,
    initial_of,
)
from seemix.measures.inputs import data_of
from seemix.measures.models import AddresseeReason, Measure, MeasureStatus, NotificationKind, NotificationPath
from seemix.measures.services.drafts import DRAFTERS
from seemix.measures.services.notifications import ACTIVE, acknowledgement_deadline

PAGE_SIZE = 50


def pages(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; the queries' and services' NotFound and Forbidden become 404 and 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except Forbidden:
            raise PermissionDenied from None

    return wrapper


def _principal(request: HttpRequest) -> Principal:
    principal = principal_for_user(request.user)
    queries.require_reader(principal)
    return principal


def _render(
    request: HttpRequest, template: str, principal: Principal, tab: str, **context: Any
) -> HttpResponse:
    base = {
        "principal": principal,
        "can_read": True,
        "nav": "inbox" if tab == "inbox" else "measures",
        "tab": tab,
        "can_draft": bool(_participants_with(principal, *DRAFTERS)),
        "target_days": settings.SEEMIX_ADVANCE_NOTICE_DAYS,
    }
    return render(request, template, {**base, **context})


def _participants_with(principal: Principal, *roles: str) -> list[Participant]:
    ids = {g.participant_id for g in principal.grants if g.role in roles}
    return list(
        directory_queries.participants_for(principal).filter(pk__in=ids, is_active=True).order_by("name")
    )


def _is_coordinator(principal: Principal, measure: Measure) -> bool:
    return principal.has_role(measure.issuer_id, Role.COORDINATOR)


def _measure_form(
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


def _service_error(request: HttpRequest, error: InvalidInput | Conflict) -> None:
    if isinstance(error, InvalidInput):
        for field_error in error.errors:
            messages.error(request, field_error.message)
    else:
        messages.error(request, error.detail)


# --- drafting ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@pages
def new(request: HttpRequest) -> HttpResponse:
    principal = _principal(request)
    issuers = _participants_with(principal, *DRAFTERS)
    if not issuers:
        raise PermissionDenied
    form = _measure_form(request, principal, issuers)
    if request.method == "POST" and form.is_valid():
        try:
            measure = services.create_measure(
                actor=principal, issuer=form.cleaned_data["issuer"], data=form.to_data()
            )
        except InvalidInput as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("The draft is saved. Check who will be notified, then notify it."))
            return redirect("measures:review", pk=measure.pk)
    return _render(request, "measures/form.html", principal, "new", form=form, mode="new")


@require_http_methods(["GET", "POST"])
@pages
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    principal = _principal(request)
    measure = queries.measure_for(principal, pk)
    if measure.status != MeasureStatus.DRAFT:
        return redirect("measures:update", pk=measure.pk)
    if not principal.has_role(measure.issuer_id, *DRAFTERS):
        raise PermissionDenied
    form = _measure_form(
        request,
        principal,
        [measure.issuer],
        fixed_issuer=True,
        initial=initial_of(data_of(measure), measure.issuer),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_draft(measure, actor=principal, data=form.to_data())
        except InvalidInput as error:
            attach_errors(form, error)
        except Conflict as error:
            _service_error(request, error)
            return redirect("measures:detail", pk=measure.pk)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("measures:review", pk=measure.pk)
    return _render(request, "measures/form.html", principal, "", form=form, mode="edit", measure=measure)


def _lead_time_check(measure: Measure) -> dict[str, Any]:
    """What the review shows before sending: the notice this gives, and whether it is enough."""
    now = timezone.now()
    lead = measure.planned_start - now
    target = timedelta(days=settings.SEEMIX_ADVANCE_NOTICE_DAYS)
    planned = measure.path == NotificationPath.PLANNED
    return {
        "lead_time": lead,
        "target_days": settings.SEEMIX_ADVANCE_NOTICE_DAYS,
        "started": lead <= timedelta(0),
        "below_target": planned and timedelta(0) < lead < target,
        "planned_but_started": planned and lead <= timedelta(0),
        "acknowledge_by": acknowledgement_deadline(measure.path, now),
    }


@require_http_methods(["GET", "POST"])
@pages
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft as it will be sent: who will be notified (editable) and the notice it gives."""
    principal = _principal(request)
    measure = queries.measure_for(principal, pk)
    if measure.status != MeasureStatus.DRAFT:
        return redirect("measures:detail", pk=measure.pk)
    addressees = list(queries.addressees_of(measure))
    candidates = (
        directory_queries.participants_for(principal).filter(is_active=True).exclude(pk=measure.issuer_id)
    )
    form = AddresseesForm(
        request.POST or None,
        participants=candidates.order_by("name"),
        initial={"addressees": [a.participant.code for a in addressees]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_addressees(measure, actor=principal, codes=form.cleaned_data["addressees"])
        except InvalidInput as error:
            attach_errors(form, error)
        except Conflict as error:
            _service_error(request, error)
        else:
            messages.success(request, _("The addressees are saved."))
            return redirect("measures:review", pk=measure.pk)
    reasons = {a.participant.code: [AddresseeReason(r).label for r in a.reasons] for a in addressees}
    rows = [
        {"participant": p, "checkbox": box, "reasons": reasons.get(p.code, [])}
        for p, box in zip(candidates.order_by("name"), form["addressees"], strict=True)
    ]
    rows.sort(key=lambda row: (not row["reasons"], str(row["participant"])))
    return _render(
        request,
        "measures/review.html",
        principal,
        "",
        measure=measure,
        addressees=addressees,
        form=form,
        rows=rows,
        can_notify=_is_coordinator(principal, measure),
        can_edit=principal.has_role(measure.issuer_id, *DRAFTERS),
        **_lead_time_check(measure),
    )


@require_POST
@pages
def notify(request: HttpRequest, pk: int) -> HttpResponse:
    principal = _principal(request)
    measure = queries.measure_for(principal, pk)
    try:
        notification = services.notify_measure(measure, actor=principal)
    except (InvalidInput, Conflict) as error:
        _service_error(request, error)
        return redirect("measures:review", pk=measure.pk)
    count = notification.recipients.count()
    messages.success(
        request,
        ngettext(
            "The measure is notified to %(count)d addressee.",
            "The measure is notified to %(count)d addressees.",
            count,
        )
        % {"count": count},
    )
    return redirect("measures:detail", pk=measure.pk)


@require_POST
@pages
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    principal = _principal(request)
    measure = queries.measure_for(principal, pk)
    try:
        services.delete_draft(measure, actor=principal)
    except Conflict as error:
        _service_error(request, error)
        return redirect("measures:detail", pk=measure.pk)
    messages.success(request, _("The draft is deleted."))
    return redirect("measures:timeline")


# --- a measure's page and its changes --------------------------------------------------------------


@require_GET
@pages
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    principal = _principal(request)
    measure = queries.measure_for(principal, pk)
    is_coordinator = _is_coordinator(principal, measure)
    states = queries.addressee_states(principal, measure)
    notifications = list(queries.notifications_of(measure))
    return _render(
        request,
        "measures/detail.html",
        principal,
        "",
        measure=measure,
        data=data_of(measure),
        states=states,
        acknowledged=sum(1 for s in states if s.state == "acknowledged"),
        awaiting=sum(1 for s in states if s.state in ("awaiting", "escalated")),
        history=_history(queries.timeline_of(principal, measure), notifications),
        notifications=notifications,
        on_time=compliance.is_on_time(measure),
        target_days=settings.SEEMIX_ADVANCE_NOTICE_DAYS,
        is_coordinator=is_coordinator,
        can_update=is_coordinator and measure.status in ACTIVE,
        can_bring_into_force=is_coordinator and measure.status == MeasureStatus.NOTIFIED,
        can_cancel=is_coordinator and measure.status == MeasureStatus.NOTIFIED,
        can_lift=is_coordinator and measure.status == MeasureStatus.IN_FORCE,
        end_form=EndForm(),
        own_pending=[
            s
            for s in states
            if s.state in ("awaiting", "escalated") and principal.has_role(s.participant.pk, Role.COORDINATOR)
        ],
    )


def _history(events: list[queries.TimelineEvent], notifications: list[Any]) -> list[dict[str, Any]]:
    """The timeline's events with a label for each message sent and the note it carried."""
    labels = {
        "drafted": _("Drafted"),
        "notified": _("Notified to the addressees"),
        "updated": _("Update notified"),
        "in_force": _("In force"),
        "lifted": _("Lifted; the addressees are told"),
        "cancelled": _("Cancelled; the addressees are told"),
    }
    by_pk = {n.pk: n for n in notifications}
    rows = []
    for event in events:
        message = by_pk.get(event.notification_id) if event.kind in NotificationKind.values else None
        rows.append(
            {
                "event": event,
                "label": labels.get(event.kind, event.summary),
                "note": message.note if message else "",
                "msg_type": message.msg_type if message else "",
            }
        )
    return rows


def _require_coordinator(principal: Principal, measure: Measure) -> None:
    if not _is_coordinator(principal, measure):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@pages
def update(request: HttpRequest, pk: int) -> HttpResponse:
    principal = _principal(request)
    measure = queries.measure_for(principal, pk)
    if measure.status == MeasureStatus.DRAFT:
        return redirect("measures:edit", pk=measure.pk)
    _require_coordinator(principal, measure)
    if measure.status not in ACTIVE:
        messages.error(request, _("Only a notified measure or one in force can be updated."))
        return redirect("measures:detail", pk=measure.pk)
    form = _measure_form(
        request,
        principal,
        [measure.issuer],
        fixed_issuer=True,
        initial=initial_of(data_of(measure), measure.issuer),
    )
    note = UpdateNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and note.is_valid():
        try:
            services.update_measure(
                measure, actor=principal, data=form.to_data(), note=note.cleaned_data["note"]
            )
        except InvalidInput as error:
            attach_errors(form, error)
        except Conflict as error:
            _service_error(request, error)
            return redirect("measures:detail", pk=measure.pk)
        else:
            messages.success(request, _("The update is notified to every addressee."))
            return redirect("measures:detail", pk=measure.pk)
    return _render(
        request,
        "measures/form.html",
        principal,
        "",
        form=form,
        note_form=note,
        mode="update",
        measure=measure,
    )


def _end_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    principal = _principal(request)
    measure = queries.measure_for(principal, pk)
    _require_coordinator(principal, measure)
    form = EndForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("measures:detail", pk=measure.pk)
    at, note = form.cleaned_data["at"], form.cleaned_data["note"]
    try:
        if action == "in_force":
            services.bring_into_force(measure, actor=principal, at=at)
            messages.success(request, _("The measure is recorded as in force."))
        elif action == "cancel":
            services.cancel_measure(measure, actor=principal, note=note)
            messages.success(request, _("The measure is cancelled; the addressees are told."))
        else:
            services.lift_measure(measure, actor=principal, at=at, note=note)
            messages.success(request, _("The measure is lifted; the addressees are told."))
    except (InvalidInput, Conflict) as error:
        _service_error(request, error)
    return redirect("measures:detail", pk=measure.pk)


@require_POST
@pages
def bring_into_force(request: HttpRequest, pk: int) -> HttpResponse:
    return _end_action(request, pk, "in_force")


@require_POST
@pages
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _end_action(request, pk, "cancel")


@require_POST
@pages
def lift(request: HttpRequest, pk: int) -> HttpResponse:
    return _end_action(request, pk, "lift")


# --- the inbox -------------------------------------------------------------------------------------


@require_GET
@pages
def inbox(request: HttpRequest) -> HttpResponse:
    """Received notifications: those awaiting acknowledgement first (soonest deadline first)."""
    principal = _principal(request)
    pending = sorted(queries.inbox_for(principal, pending_only=True), key=lambda r: (r.acknowledge_by, r.pk))
    pending_ids = [r.pk for r in pending]
    others = Paginator(queries.inbox_for(principal).exclude(pk__in=pending_ids), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    coordinated = {g.participant_id for g in principal.grants if g.role == Role.COORDINATOR}
    latest = {}
    for recipient in [*pending, *others]:
        measure = recipient.notification.measure
        if measure.pk not in latest:
            found = queries.latest_notification(measure)
            latest[measure.pk] = found.sequence if found else 0
        recipient.superseded = recipient.notification.sequence < latest[measure.pk]  # type: ignore[attr-defined]
        recipient.can_acknowledge = recipient.participant_id in coordinated  # type: ignore[attr-defined]
    return _render(
        request,
        "measures/inbox.html",
        principal,
        "inbox",
        pending=pending,
        others=others,
        ack_form=AcknowledgeForm(),
        is_coordinator=bool(coordinated),
    )


@require_POST
@pages
def acknowledge(request: HttpRequest, recipient_id: int) -> HttpResponse:
    principal = _principal(request)
    recipient = queries.inbox_for(principal).filter(pk=recipient_id).first()
    if recipient is None:
        raise Http404
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("measures:inbox")
    try:
        services.acknowledge_notification(
            recipient.notification,
            actor=principal,
            participant=recipient.participant,
            comment=form.cleaned_data["comment"],
        )
    except (InvalidInput, Conflict) as error:
        _service_error(request, error)
    else:
        messages.success(
            request,
            _("%(participant)s acknowledged “%(title)s”.")
            % {"participant": recipient.participant.name, "title": recipient.notification.measure.title},
        )
    if request.POST.get("from") == "measure":
        return redirect("measures:detail", pk=recipient.notification.measure_id)
    return redirect("measures:inbox")


# --- the region ------------------------------------------------------------------------------------


def _overlaps(measure: Measure, start: date | None, end: date | None) -> bool:
    """Whether the measure (from its first notification to its end) touches the period [start, end]."""
    begins = timezone.localtime(measure.first_notified_at or measure.effective_start).date()
    finish = charts.measure_end(measure)
    ends = timezone.localtime(finish).date() if finish else None
    if end is not None and begins > end:
        return False
    return start is None or ends is None or ends >= start


@require_GET
@pages
def timeline(request: HttpRequest) -> HttpResponse:
    principal = _principal(request)
    issuers = directory_queries.participants_for(principal).filter(is_active=True).order_by("name")
    form = TimelineFilterForm(
        request.GET or None,
        issuers=issuers,
        statuses=[(value, str(label)) for value, label in MeasureStatus.choices],
    )
    filters: dict[str, Any] = {}
    start = end = None
    if form.is_valid():
        filters = {k: form.cleaned_data[k] or None for k in ("issuer", "type", "status")}
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    measures = [m for m in queries.measures_visible_to(principal, **filters) if _overlaps(m, start, end)]
    first, last = charts.period_of([m for m in measures if m.status in charts.CHARTED], start, end)
    spec = charts.timeline_chart(measures, first, last)
    table = Paginator(measures, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        "measures/timeline.html",
        principal,
        "timeline",
        form=form,
        spec=spec,
        measures=table,
        total=len(measures),
        charted=sum(1 for m in measures if m.status in charts.CHARTED),
        query=query.urlencode(),
        can_draft=bool(_participants_with(principal, *DRAFTERS)),
    )


@require_GET
@pages
def compliance_page(request: HttpRequest) -> HttpResponse:
    principal = _principal(request)
    today = timezone.localdate()
    # By default the whole record, from the first measure to the last planned one (or today): the
    # demo's 2015-16 measures are the point of this page.
    starts = (
        queries.measures_visible_to(principal)
        .order_by("planned_start")
        .values_list("planned_start", flat=True)
    )
    first, last = starts.first(), starts.last()
    start = timezone.localtime(first).date() if first else date(today.year, 1, 1)
    end = max(today, timezone.localtime(last).date()) if last else today
    form = ComplianceFilterForm(request.GET or None, initial={"start": start, "end": end})
    if form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    if end < start:
        start, end = end, start
    report = compliance.compliance_for(principal, start=start, end=end)
    return _render(
        request,
        "measures/compliance.html",
        principal,
        "compliance",
        form=form,
        report=report,
        start=start,
        end=end,
        short_hours=settings.SEEMIX_ADVANCE_NOTICE_DAYS * 24,
    )
