"""Drafting a measure, reviewing who will be notified and the notice it gives, and notifying it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from seemix.core.errors import Conflict, InvalidInput
from seemix.core.pages import pages
from seemix.directory import queries as directory_queries
from seemix.measures import queries, services
from seemix.measures.forms import (
    AddresseesForm,
    attach_errors,
    initial_of,
)
from seemix.measures.inputs import data_of
from seemix.measures.models import AddresseeReason, Measure, MeasureStatus, NotificationPath
from seemix.measures.services.drafts import DRAFTERS
from seemix.measures.services.notifications import acknowledgement_deadline
from seemix.measures.views.common import (
    is_coordinator,
    measure_form,
    page_principal,
    participants_with,
    render_page,
    tell_error,
)

# --- drafting ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@pages
def new(request: HttpRequest) -> HttpResponse:
    principal = page_principal(request)
    issuers = participants_with(principal, *DRAFTERS)
    if not issuers:
        raise PermissionDenied
    form = measure_form(request, principal, issuers)
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
    return render_page(request, "measures/form.html", principal, "new", form=form, mode="new")


@require_http_methods(["GET", "POST"])
@pages
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    principal = page_principal(request)
    measure = queries.measure_for(principal, pk)
    if measure.status != MeasureStatus.DRAFT:
        return redirect("measures:update", pk=measure.pk)
    if not principal.has_role(measure.issuer_id, *DRAFTERS):
        raise PermissionDenied
    form = measure_form(
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
            tell_error(request, error)
            return redirect("measures:detail", pk=measure.pk)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("measures:review", pk=measure.pk)
    return render_page(request, "measures/form.html", principal, "", form=form, mode="edit", measure=measure)


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
    principal = page_principal(request)
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
            tell_error(request, error)
        else:
            messages.success(request, _("The addressees are saved."))
            return redirect("measures:review", pk=measure.pk)
    reasons = {a.participant.code: [AddresseeReason(r).label for r in a.reasons] for a in addressees}
    rows = [
        {"participant": p, "checkbox": box, "reasons": reasons.get(p.code, [])}
        for p, box in zip(candidates.order_by("name"), form["addressees"], strict=True)
    ]
    rows.sort(key=lambda row: (not row["reasons"], str(row["participant"])))
    return render_page(
        request,
        "measures/review.html",
        principal,
        "",
        measure=measure,
        addressees=addressees,
        form=form,
        rows=rows,
        can_notify=is_coordinator(principal, measure),
        can_edit=principal.has_role(measure.issuer_id, *DRAFTERS),
        **_lead_time_check(measure),
    )


@require_POST
@pages
def notify(request: HttpRequest, pk: int) -> HttpResponse:
    principal = page_principal(request)
    measure = queries.measure_for(principal, pk)
    try:
        notification = services.notify_measure(measure, actor=principal)
    except (InvalidInput, Conflict) as error:
        tell_error(request, error)
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
    principal = page_principal(request)
    measure = queries.measure_for(principal, pk)
    try:
        services.delete_draft(measure, actor=principal)
    except Conflict as error:
        tell_error(request, error)
        return redirect("measures:detail", pk=measure.pk)
    messages.success(request, _("The draft is deleted."))
    return redirect("measures:timeline")
