"""A measure's page, and the changes its issuer's coordinator makes after notifying it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from seemix.core.errors import Conflict, InvalidInput
from seemix.core.pages import pages
from seemix.directory.models import Role
from seemix.measures import compliance, queries, services
from seemix.measures.forms import (
    EndForm,
    UpdateNoteForm,
    attach_errors,
    initial_of,
)
from seemix.measures.inputs import data_of
from seemix.measures.models import MeasureStatus, NotificationKind
from seemix.measures.services.notifications import ACTIVE
from seemix.measures.views.common import (
    is_coordinator,
    measure_form,
    page_principal,
    render_page,
    require_coordinator,
    tell_error,
)

# --- a measure's page and its changes --------------------------------------------------------------


@require_GET
@pages
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    principal = page_principal(request)
    measure = queries.measure_for(principal, pk)
    coordinates = is_coordinator(principal, measure)
    states = queries.addressee_states(principal, measure)
    notifications = list(queries.notifications_of(measure))
    return render_page(
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
        is_coordinator=coordinates,
        can_update=coordinates and measure.status in ACTIVE,
        can_bring_into_force=coordinates and measure.status == MeasureStatus.NOTIFIED,
        can_cancel=coordinates and measure.status == MeasureStatus.NOTIFIED,
        can_lift=coordinates and measure.status == MeasureStatus.IN_FORCE,
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


@require_http_methods(["GET", "POST"])
@pages
def update(request: HttpRequest, pk: int) -> HttpResponse:
    principal = page_principal(request)
    measure = queries.measure_for(principal, pk)
    if measure.status == MeasureStatus.DRAFT:
        return redirect("measures:edit", pk=measure.pk)
    require_coordinator(principal, measure)
    if measure.status not in ACTIVE:
        messages.error(request, _("Only a notified measure or one in force can be updated."))
        return redirect("measures:detail", pk=measure.pk)
    form = measure_form(
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
            tell_error(request, error)
            return redirect("measures:detail", pk=measure.pk)
        else:
            messages.success(request, _("The update is notified to every addressee."))
            return redirect("measures:detail", pk=measure.pk)
    return render_page(
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
    principal = page_principal(request)
    measure = queries.measure_for(principal, pk)
    require_coordinator(principal, measure)
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
        tell_error(request, error)
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
