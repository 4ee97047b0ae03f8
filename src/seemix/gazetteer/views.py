"""Pages of the gazetteer: countries and border sections, crossing points, sites, the route, the map."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from seemix.core.access import Principal
from seemix.core.errors import Forbidden
from seemix.directory.principals import principal_for_user
from seemix.gazetteer import maps, queries


def _render(request: HttpRequest, template: str, nav: str, build: Any) -> HttpResponse:
    """Render ``template`` with what ``build(principal)`` reads; 403 for a user the queries refuse."""
    principal: Principal = principal_for_user(request.user)
    try:
        context = build(principal)
    except Forbidden:
        raise PermissionDenied from None
    return render(request, template, {"principal": principal, "can_read": True, "nav": nav, **context})


@require_GET
@login_required
def index(request: HttpRequest) -> HttpResponse:
    def build(principal: Principal) -> dict[str, Any]:
        countries = list(queries.countries_for(principal))
        crossing_points = list(queries.crossing_points_for(principal))
        sites = list(queries.sites_for(principal))
        per_country = Counter(p.country_id for p in crossing_points)
        per_section = Counter(p.border_section_id for p in crossing_points if p.border_section_id)
        sites_per_country = Counter(s.country_id for s in sites)
        for country in countries:
            country.crossing_point_count = per_country[country.code]  # type: ignore[attr-defined]
            country.site_count = sites_per_country[country.code]  # type: ignore[attr-defined]
        sections = list(queries.border_sections_for(principal))
        for section in sections:
            section.crossing_point_count = per_section[section.pk]  # type: ignore[attr-defined]
        return {"countries": countries, "border_sections": sections}

    return _render(request, "gazetteer/index.html", "gazetteer", build)


@require_GET
@login_required
def crossing_points(request: HttpRequest) -> HttpResponse:
    def build(principal: Principal) -> dict[str, Any]:
        return {"crossing_points": list(queries.crossing_points_for(principal))}

    return _render(request, "gazetteer/crossing_points.html", "gazetteer", build)


@require_GET
@login_required
def sites(request: HttpRequest) -> HttpResponse:
    def build(principal: Principal) -> dict[str, Any]:
        return {"sites": list(queries.sites_for(principal))}

    return _render(request, "gazetteer/sites.html", "gazetteer", build)


@require_GET
@login_required
def routes(request: HttpRequest) -> HttpResponse:
    def build(principal: Principal) -> dict[str, Any]:
        edges = list(queries.route_edges_for(principal))
        for edge in edges:
            edge.origin_label = queries.node_of(*edge.origin).name  # type: ignore[attr-defined]
            edge.destination_label = queries.node_of(*edge.destination).name  # type: ignore[attr-defined]
        return {"edges": edges}

    return _render(request, "gazetteer/routes.html", "gazetteer", build)


@require_GET
@login_required
def region_map(request: HttpRequest) -> HttpResponse:
    def build(principal: Principal) -> dict[str, Any]:
        crossing_points = queries.crossing_points_geojson_for(principal)
        sites = queries.sites_geojson_for(principal)
        edges = queries.route_edges_geojson_for(principal)
        spec = maps.region_map(queries.countries_geojson_for(principal), crossing_points, sites, edges)
        return {
            "spec": spec,
            "crossing_point_count": len(crossing_points["features"]),
            "site_count": len(sites["features"]),
            "edge_count": len(edges["features"]),
        }

    return _render(request, "gazetteer/map.html", "map", build)
