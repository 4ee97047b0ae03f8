"""The inbox of notifications received by the user's participants, and acknowledging them."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from seemix.core.errors import Conflict, InvalidInput
from seemix.core.pages import pages
from seemix.directory.models import Role
from seemix.measures import queries, services
from seemix.measures.forms import AcknowledgeForm
from seemix.measures.views.common import (
    PAGE_SIZE,
    page_principal,
    render_page,
    tell_error,
)

# --- the inbox -------------------------------------------------------------------------------------


@require_GET
@pages
def inbox(request: HttpRequest) -> HttpResponse:
    """Received notifications: those awaiting acknowledgement first (soonest deadline first)."""
    principal = page_principal(request)
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
    return render_page(
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
    principal = page_principal(request)
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
        tell_error(request, error)
    else:
        messages.success(
            request,
            _("%(participant)s acknowledged “%(title)s”.")
            % {"participant": recipient.participant.name, "title": recipient.notification.measure.title},
        )
    if request.POST.get("from") == "measure":
        return redirect("measures:detail", pk=recipient.notification.measure_id)
    return redirect("measures:inbox")
