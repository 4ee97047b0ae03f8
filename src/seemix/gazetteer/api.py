"""Gazetteer API: countries, border sections, crossing points, sites and the route graph.

Read by members of any participant and by platform administrators; written by platform
administrators. Lists are paginated; each resource also has an unpaginated ``.geojson`` variant
(a GeoJSON FeatureCollection, media type application/geo+json) for maps. Every operation parses,
lets queries/services authorise and act, and serialises; the NinjaAPI requires authentication.
"""

import json
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from seemix.core.access import Principal
from seemix.core.pagination import Page
from seemix.gazetteer import queries, services
from seemix.gazetteer.models import CrossingKind, SiteKind
from seemix.gazetteer.schemas import (
    BorderSectionDetailOut,
    BorderSectionIn,
    BorderSectionOut,
    BorderSectionPatch,
    CapacityIn,
    CapacityOut,
    CountryDetailOut,
    CountryIn,
    CountryOut,
    CountryPatch,
    CrossingPointIn,
    CrossingPointOut,
    CrossingPointPatch,
    FeatureCollectionOut,
    RouteEdgeIn,
    RouteEdgeOut,
    RouteEdgePatch,
    SiteDetailOut,
    SiteIn,
    SiteOut,
    SitePatch,
)

router = Router()

COUNTRIES = ["countries"]
BORDER_SECTIONS = ["border sections"]
CROSSING_POINTS = ["crossing points"]
SITES = ["sites"]
ROUTE_GRAPH = ["route graph"]
GEOJSON = "application/geo+json"


def _principal(request: HttpRequest) -> Principal:
    return request.auth  # type: ignore[attr-defined]


def _geojson(collection: dict[str, Any]) -> HttpResponse:
    return HttpResponse(json.dumps(collection, ensure_ascii=False), content_type=GEOJSON)


# --- countries -------------------------------------------------------------------------------------


@router.get("/countries", response=list[CountryOut], tags=COUNTRIES)
@paginate(Page)
def list_countries(request: HttpRequest, seecp: bool | None = None) -> Any:
    return queries.countries_for(_principal(request), seecp=seecp)


@router.get(
    "/countries.geojson", response=FeatureCollectionOut, tags=COUNTRIES, summary="Countries as GeoJSON"
)
def countries_geojson(request: HttpRequest, seecp: bool | None = None) -> HttpResponse:
    return _geojson(queries.countries_geojson_for(_principal(request), seecp=seecp))


@router.get("/countries/{code}", response=CountryDetailOut, tags=COUNTRIES)
def get_country(request: HttpRequest, code: str) -> Any:
    return queries.country_for(_principal(request), code)


@router.post("/countries", response={201: CountryDetailOut}, tags=COUNTRIES, summary="Add a country")
def create_country(request: HttpRequest, payload: CountryIn) -> Any:
    return services.create_country(actor=_principal(request), **payload.dict())


@router.patch("/countries/{code}", response=CountryDetailOut, tags=COUNTRIES)
def update_country(request: HttpRequest, code: str, payload: CountryPatch) -> Any:
    principal = _principal(request)
    country = queries.country_for(principal, code)
    return services.update_country(country, actor=principal, **payload.dict(exclude_unset=True))


# --- border sections -------------------------------------------------------------------------------


@router.get("/border-sections", response=list[BorderSectionOut], tags=BORDER_SECTIONS)
@paginate(Page)
def list_border_sections(request: HttpRequest, country: str | None = None) -> Any:
    return queries.border_sections_for(_principal(request), country=country)


@router.get(
    "/border-sections.geojson",
    response=FeatureCollectionOut,
    tags=BORDER_SECTIONS,
    summary="Border sections as GeoJSON",
)
def border_sections_geojson(request: HttpRequest, country: str | None = None) -> HttpResponse:
    return _geojson(queries.border_sections_geojson_for(_principal(request), country=country))


@router.get("/border-sections/{code}", response=BorderSectionDetailOut, tags=BORDER_SECTIONS)
def get_border_section(request: HttpRequest, code: str) -> Any:
    return queries.border_section_for(_principal(request), code)


@router.post(
    "/border-sections",
    response={201: BorderSectionDetailOut},
    tags=BORDER_SECTIONS,
    summary="Add the border section of two neighbours",
)
def create_border_section(request: HttpRequest, payload: BorderSectionIn) -> Any:
    return services.create_border_section(actor=_principal(request), **payload.dict())


@router.patch("/border-sections/{code}", response=BorderSectionDetailOut, tags=BORDER_SECTIONS)
def update_border_section(request: HttpRequest, code: str, payload: BorderSectionPatch) -> Any:
    principal = _principal(request)
    section = queries.border_section_for(principal, code)
    return services.update_border_section(section, actor=principal, **payload.dict(exclude_unset=True))


# --- crossing points -------------------------------------------------------------------------------


@router.get("/crossing-points", response=list[CrossingPointOut], tags=CROSSING_POINTS)
@paginate(Page)
def list_crossing_points(
    request: HttpRequest,
    country: str | None = None,
    border_section: str | None = None,
    kind: CrossingKind | None = None,
) -> Any:
    return queries.crossing_points_for(
        _principal(request), country=country, border_section=border_section, kind=kind
    )


@router.get(
    "/crossing-points.geojson",
    response=FeatureCollectionOut,
    tags=CROSSING_POINTS,
    summary="Crossing points as GeoJSON",
)
def crossing_points_geojson(
    request: HttpRequest,
    country: str | None = None,
    border_section: str | None = None,
    kind: CrossingKind | None = None,
) -> HttpResponse:
    return _geojson(
        queries.crossing_points_geojson_for(
            _principal(request), country=country, border_section=border_section, kind=kind
        )
    )


@router.get("/crossing-points/{code}", response=CrossingPointOut, tags=CROSSING_POINTS)
def get_crossing_point(request: HttpRequest, code: str) -> Any:
    return queries.crossing_point_for(_principal(request), code)


@router.post("/crossing-points", response={201: CrossingPointOut}, tags=CROSSING_POINTS)
def create_crossing_point(request: HttpRequest, payload: CrossingPointIn) -> Any:
    return services.create_crossing_point(actor=_principal(request), **payload.dict())


@router.patch("/crossing-points/{code}", response=CrossingPointOut, tags=CROSSING_POINTS)
def update_crossing_point(request: HttpRequest, code: str, payload: CrossingPointPatch) -> Any:
    principal = _principal(request)
    point = queries.crossing_point_for(principal, code)
    services.update_crossing_point(point, actor=principal, **payload.dict(exclude_unset=True))
    return queries.crossing_point_for(principal, code)


# --- sites -----------------------------------------------------------------------------------------


@router.get("/sites", response=list[SiteOut], tags=SITES)
@paginate(Page)
def list_sites(
    request: HttpRequest, country: str | None = None, kind: SiteKind | None = None, on: date | None = None
) -> Any:
    return queries.sites_for(_principal(request), country=country, kind=kind, on=on)


@router.get("/sites.geojson", response=FeatureCollectionOut, tags=SITES, summary="Sites as GeoJSON")
def sites_geojson(
    request: HttpRequest, country: str | None = None, kind: SiteKind | None = None, on: date | None = None
) -> HttpResponse:
    return _geojson(queries.sites_geojson_for(_principal(request), country=country, kind=kind, on=on))


@router.get("/sites/{code}", response=SiteDetailOut, tags=SITES, summary="A site and its capacity history")
def get_site(request: HttpRequest, code: str, on: date | None = None) -> Any:
    return queries.site_for(_principal(request), code, on=on)


@router.post("/sites", response={201: SiteDetailOut}, tags=SITES)
def create_site(request: HttpRequest, payload: SiteIn) -> Any:
    principal = _principal(request)
    site = services.create_site(actor=principal, **payload.dict())
    return Status(201, queries.site_for(principal, site.code))


@router.patch("/sites/{code}", response=SiteDetailOut, tags=SITES)
def update_site(request: HttpRequest, code: str, payload: SitePatch) -> Any:
    principal = _principal(request)
    site = queries.site_for(principal, code)
    services.update_site(site, actor=principal, **payload.dict(exclude_unset=True))
    return queries.site_for(principal, code)


@router.post(
    "/sites/{code}/capacities",
    response={201: CapacityOut},
    tags=SITES,
    summary="Record a capacity figure from a date on",
)
def record_site_capacity(request: HttpRequest, code: str, payload: CapacityIn) -> Any:
    principal = _principal(request)
    site = queries.site_for(principal, code)
    return Status(201, services.record_site_capacity(site, actor=principal, **payload.dict()))


# --- route graph -----------------------------------------------------------------------------------


@router.get("/route-edges", response=list[RouteEdgeOut], tags=ROUTE_GRAPH)
@paginate(Page)
def list_route_edges(request: HttpRequest, on: date | None = None) -> Any:
    return queries.route_edges_for(_principal(request), on=on)


@router.get(
    "/route-edges.geojson",
    response=FeatureCollectionOut,
    tags=ROUTE_GRAPH,
    summary="The route graph as GeoJSON lines",
)
def route_edges_geojson(request: HttpRequest, on: date | None = None) -> HttpResponse:
    return _geojson(queries.route_edges_geojson_for(_principal(request), on=on))


@router.get("/route-edges/{int:edge_id}", response=RouteEdgeOut, tags=ROUTE_GRAPH)
def get_route_edge(request: HttpRequest, edge_id: int) -> Any:
    return queries.route_edge_for(_principal(request), edge_id)


@router.post("/route-edges", response={201: RouteEdgeOut}, tags=ROUTE_GRAPH)
def create_route_edge(request: HttpRequest, payload: RouteEdgeIn) -> Any:
    principal = _principal(request)
    edge = services.create_route_edge(
        actor=principal,
        origin=services.NodeRef(payload.origin.kind, payload.origin.code),
        destination=services.NodeRef(payload.destination.kind, payload.destination.code),
        typical_days=payload.typical_days,
        mode=payload.mode,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        notes=payload.notes,
    )
    return Status(201, queries.route_edge_for(principal, edge.pk))


@router.patch("/route-edges/{int:edge_id}", response=RouteEdgeOut, tags=ROUTE_GRAPH)
def update_route_edge(request: HttpRequest, edge_id: int, payload: RouteEdgePatch) -> Any:
    principal = _principal(request)
    edge = queries.route_edge_for(principal, edge_id)
    return services.update_route_edge(edge, actor=principal, **payload.dict(exclude_unset=True))


@router.delete("/route-edges/{int:edge_id}", response={204: None}, tags=ROUTE_GRAPH)
def delete_route_edge(request: HttpRequest, edge_id: int) -> None:
    principal = _principal(request)
    services.delete_route_edge(queries.route_edge_for(principal, edge_id), actor=principal)
