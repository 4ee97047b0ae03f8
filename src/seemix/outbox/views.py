"""Pages of the outbox: a participant's webhook endpoints, and its deliveries with the dead letters.

Endpoints and deliveries are kept by the participant's coordinators (outbox.queries says so, and
answers "not found" for another participant's). A new or rotated secret is shown once, on the page
that answers the POST, and never again: it is not put in a redirect, a message or the session.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from seemix.core.access import Principal
from seemix.core.errors import Conflict, InvalidInput
from seemix.core.pages import pages
from seemix.directory import queries as directory_queries
from seemix.directory.models import Participant
from seemix.directory.principals import principal_for_user
from seemix.outbox import queries, services, signing
from seemix.outbox.models import Channel, DeliveryStatus

PAGE_SIZE = 50


def _render(
    request: HttpRequest, template: str, principal: Principal, tab: str, **context: Any
) -> HttpResponse:
    base = {"principal": principal, "can_read": principal.is_member or principal.is_platform_admin}
    return render(request, template, {**base, "nav": "outbox", "tab": tab, **context})


def _coordinated(principal: Principal) -> list[Participant]:
    ids = queries.coordinated_participant_ids(principal)
    if not ids:
        return []
    return list(
        directory_queries.participants_for(principal).filter(pk__in=ids, is_active=True).order_by("name")
    )


class EndpointForm(forms.Form):
    participant = forms.ModelChoiceField(
        label=gettext_lazy("Participant"), queryset=Participant.objects.none(), empty_label=None
    )
    url = forms.CharField(
        label=gettext_lazy("URL of the receiver"),
        max_length=500,
        help_text=gettext_lazy("http:// or https://; it receives a signed POST for each delivery."),
    )
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200, required=False)

    def __init__(self, *args: Any, participants: list[Participant], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = self.fields["participant"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Participant.objects.filter(pk__in=[p.pk for p in participants]).order_by("name")
        if len(participants) == 1:
            field.initial = participants[0].pk
            field.disabled = True


def _secret_page(
    request: HttpRequest, principal: Principal, issued: services.IssuedEndpoint, rotated: bool
) -> HttpResponse:
    return _render(
        request,
        "outbox/secret.html",
        principal,
        "webhooks",
        issued=issued,
        rotated=rotated,
        headers=_headers(),
    )


def _headers() -> dict[str, str]:
    return {
        "delivery_id": signing.HEADER_DELIVERY_ID,
        "event": signing.HEADER_EVENT,
        "timestamp": signing.HEADER_TIMESTAMP,
        "signature": signing.HEADER_SIGNATURE,
        "tolerance": str(settings.SEEMIX_WEBHOOK_TOLERANCE_SECONDS),
    }


@require_http_methods(["GET", "POST"])
@pages
def webhooks(request: HttpRequest) -> HttpResponse:
    principal = principal_for_user(request.user)
    endpoints = list(queries.endpoints_for(principal))
    participants = _coordinated(principal)
    form = EndpointForm(request.POST or None, participants=participants)
    if request.method == "POST":
        if not participants:
            raise PermissionDenied
        if form.is_valid():
            try:
                issued = services.create_webhook_endpoint(
                    actor=principal,
                    participant=form.cleaned_data["participant"],
                    url=form.cleaned_data["url"],
                    description=form.cleaned_data["description"],
                )
            except InvalidInput as error:
                for field_error in error.errors:
                    form.add_error(
                        field_error.field if field_error.field in form.fields else None, field_error.message
                    )
            else:
                return _secret_page(request, principal, issued, rotated=False)
    return _render(
        request,
        "outbox/webhooks.html",
        principal,
        "webhooks",
        endpoints=endpoints,
        form=form if participants else None,
        headers=_headers(),
    )


@require_POST
@pages
def rotate(request: HttpRequest, pk: int) -> HttpResponse:
    principal = principal_for_user(request.user)
    endpoint = queries.endpoint_for(principal, pk)
    try:
        issued = services.rotate_webhook_secret(endpoint, actor=principal)
    except Conflict as error:
        messages.error(request, error.detail)
        return redirect("outbox:webhooks")
    return _secret_page(request, principal, issued, rotated=True)


@require_POST
@pages
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    principal = principal_for_user(request.user)
    endpoint = queries.endpoint_for(principal, pk)
    services.deactivate_webhook_endpoint(endpoint, actor=principal)
    messages.success(request, _("The endpoint %(url)s receives nothing more.") % {"url": endpoint.url})
    return redirect("outbox:webhooks")


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + list(DeliveryStatus.choices)  # type: ignore[attr-defined]
        self.fields["channel"].choices = everything + list(Channel.choices)  # type: ignore[attr-defined]


@require_GET
@pages
def deliveries(request: HttpRequest) -> HttpResponse:
    principal = principal_for_user(request.user)
    form = DeliveryFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    dead = list(queries.deliveries_for(principal, status=DeliveryStatus.DEAD)[:PAGE_SIZE])
    rows = Paginator(queries.deliveries_for(principal, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        "outbox/deliveries.html",
        principal,
        "deliveries",
        form=form,
        dead=dead,
        rows=rows,
        query=query.urlencode(),
        coordinator_of=_coordinated(principal),
    )


@require_POST
@pages
def resend(request: HttpRequest, delivery_id: str) -> HttpResponse:
    principal = principal_for_user(request.user)
    delivery = queries.delivery_for(principal, delivery_id)
    try:
        services.resend(delivery, actor=principal)
    except Conflict as error:
        messages.error(request, error.detail)
    else:
        messages.success(
            request, _("Delivery %(id)s is queued again, under the same id.") % {"id": delivery.delivery_id}
        )
    return redirect("outbox:deliveries")
