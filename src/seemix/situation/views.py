"""Pages of the regional picture: the picture of a day with its map, a country, a border section.

Each view parses the form, asks build_picture (or a service) as the signed-in principal, renders.
A user without a membership gets 403, as the API answers; an unknown country or section 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from seemix.core.access import Principal
from seemix.core.errors import Forbidden, InvalidInput, NotFound
from seemix.directory.principals import principal_for_user
from seemix.gazetteer import queries as gazetteer_queries
from seemix.situation.forms import ImpactForm, PictureForm
from seemix.situation.picture import Picture, build_picture
from seemix.situation.picture_map import picture_map
from seemix.situation.services import impact


def _principal(request: HttpRequest) -> Principal:
    principal = principal_for_user(request.user)
    if not (principal.is_member or principal.is_platform_admin):
        raise PermissionDenied
    return principal


def _query(form: PictureForm, **extra: str) -> str:
    """The query string that keeps the page's day, moment and layer when following a link."""
    values = {k: v for k, v in form.data.items() if k in ("date", "as_of", "layer") and v}
    values.update(extra)
    return f"?{urlencode(values)}" if values else ""


def _picture(request: HttpRequest, principal: Principal) -> tuple[PictureForm, Picture | None, str]:
    form = PictureForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None, "arrivals"
    data = form.cleaned_data if form.is_bound else {}
    try:
        picture = build_picture(principal, data.get("date"), data.get("as_of"))
    except Forbidden:
        raise PermissionDenied from None
    return form, picture, data.get("layer") or "arrivals"


def _map(
    picture: Picture, principal: Principal, form: PictureForm, layer: str, focus: list[str] | None
) -> dict:  # type: ignore[type-arg]
    query = _query(form)
    return picture_map(
        picture,
        gazetteer_queries.countries_geojson_for(principal),
        gazetteer_queries.border_sections_geojson_for(principal),
        layer=layer,
        href=lambda code: reverse("situation:country", args=[code]) + query,
        section_href=lambda code: reverse("situation:border_section", args=[code]) + query,
        focus=focus,
    )


def _render(
    request: HttpRequest, template: str, principal: Principal, status: int = 200, **context: Any
) -> HttpResponse:
    return render(
        request,
        template,
        {"principal": principal, "can_read": True, "nav": "situation", **context},
        status=status,
    )


@require_GET
@login_required
def picture(request: HttpRequest) -> HttpResponse:
    principal = _principal(request)
    form, found, layer = _picture(request, principal)
    if found is None:
        return _render(request, "situation/picture.html", principal, 400, form=form, picture=None)
    countries = sorted(
        (c for c in found.countries if c.has_figures or c.capacity),
        key=lambda c: (-(c.arrivals or 0), c.code),
    )
    sections = [s for s in found.sections if s.is_notable]
    return _render(
        request, "situation/picture.html", principal, form=form, picture=found, layer=layer,
        countries=countries, sections=sections, query=_query(form),
        spec=_map(found, principal, form, layer, None) if found.day else None,
    )  # fmt: skip


@require_GET
@login_required
def country(request: HttpRequest, code: str) -> HttpResponse:
    principal = _principal(request)
    try:
        place = gazetteer_queries.country_for(principal, code)
    except NotFound:
        raise Http404 from None
    form, found, layer = _picture(request, principal)
    if found is None:
        return _render(
            request, "situation/country.html", principal, 400, form=form, picture=None, place=place
        )
    figures = found.country(place.code)
    sections = [s for s in found.sections if place.code in (s.country_a, s.country_b)]
    return _render(
        request, "situation/country.html", principal, form=form, picture=found, layer=layer, place=place,
        figures=figures, sections=sections, query=_query(form),
        crossing_points=[p for p in found.crossing_points if p.country == place.code],
        sites=[s for s in found.sites if s.country == place.code],
        freshness=[f for f in found.freshness if f.participant == place.code],
        exits=sorted(figures.exits_by_destination.items()) if figures else [],
        spec=_map(found, principal, form, layer, [place.code]) if found.day else None,
    )  # fmt: skip


def _section_page(
    request: HttpRequest, principal: Principal, code: str, impact_form: ImpactForm | None
) -> HttpResponse:
    try:
        section = gazetteer_queries.border_section_for(principal, code)
    except NotFound:
        raise Http404 from None
    form, found, layer = _picture(request, principal)
    can_set = any(
        g.participant_code in section.country_codes and g.role == "coordinator" for g in principal.grants
    )
    context: dict[str, Any] = {"form": form, "picture": found, "place": section, "can_set": can_set}
    if can_set:
        initial = {"day": found.day} if found and found.day else {}
        context["impact_form"] = impact_form or ImpactForm(initial=initial)
    if found is None:
        return _render(request, "situation/border_section.html", principal, 400, **context)
    as_of = form.cleaned_data.get("as_of") if form.is_bound else None
    return _render(
        request, "situation/border_section.html", principal, layer=layer, query=_query(form),
        figures=found.section(section.code), section_rows=[found.section(section.code)],
        history=impact.impact_history(section, as_of=as_of)[:60],
        crossing_points=[p for p in found.crossing_points if p.border_section == section.code],
        spec=_map(found, principal, form, layer, list(section.country_codes)) if found.day else None,
        status=400 if impact_form is not None else 200,
        **context,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
def border_section(request: HttpRequest, code: str) -> HttpResponse:
    principal = _principal(request)
    if request.method == "GET":
        return _section_page(request, principal, code, None)
    try:
        section = gazetteer_queries.border_section_for(principal, code)
    except NotFound:
        raise Http404 from None
    try:
        impact.responsible_participant(principal, section)
    except Forbidden:
        raise PermissionDenied from None
    form = ImpactForm(request.POST)
    if form.is_valid():
        try:
            impact.set_impact_level(section, day=form.cleaned_data["day"], level=form.cleaned_data["level"],
                                    reason=form.cleaned_data["reason"], actor=principal)  # fmt: skip
        except InvalidInput as error:
            for problem in error.errors:
                form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(request, _("The impact level is set; its reason is kept with it."))
            query = urlencode({"date": form.cleaned_data["day"].isoformat()})
            return redirect(reverse("situation:border_section", args=[section.code]) + f"?{query}")
    return _section_page(request, principal, code, form)
