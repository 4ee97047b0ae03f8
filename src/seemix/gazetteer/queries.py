"""Every read of the gazetteer, for a principal. Reference data is read by members only.

A member is a principal holding at least one participant grant, or a platform administrator; any
other signed-in principal gets ``Forbidden``. A code that names nothing raises ``NotFound``.
Filters name countries and border sections by code; an unknown code is ``InvalidInput`` (with a
"did you mean"), so a typo is not mistaken for an empty result.

The ``*_geojson_for`` functions return GeoJSON FeatureCollections (WGS 84 longitude/latitude) for
maps: countries (polygons), border sections (lines), crossing points and sites (points) and the
route graph (one line per edge, from its origin to its destination).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from seemix.core.access import Principal
from seemix.core.errors import Forbidden, NotFound
from seemix.gazetteer.models import (
    NODE_FIELDS,
    BorderSection,
    Country,
    CrossingPoint,
    NodeKind,
    ReceptionSite,
    RouteEdge,
    SiteCapacity,
    node_key,
)
from seemix.gazetteer.validation import Errors, find_border_section, find_country, normalise_code

FeatureCollection = dict[str, Any]


def require_reader(principal: Principal) -> None:
    """Members of any participant and platform administrators read reference data; nobody else."""
    if not (principal.is_member or principal.is_platform_admin):
        raise Forbidden("Reference data is shared with the members of participants only.")


def _country_code(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    errors = Errors()
    country = find_country(value, field, errors)
    errors.raise_if_any()
    return country.code if country else None


# --- countries and border sections -----------------------------------------------------------------


def countries_for(principal: Principal, *, seecp: bool | None = None) -> QuerySet[Country]:
    """All countries by code; ``seecp=True`` only the 13 SEECP participants, ``False`` the others."""
    require_reader(principal)
    countries = Country.objects.order_by("code")
    return countries if seecp is None else countries.filter(is_seecp_participant=seecp)


def country_for(principal: Principal, code: str) -> Country:
    require_reader(principal)
    try:
        return Country.objects.get(code=normalise_code(code))
    except Country.DoesNotExist:
        raise NotFound("country", code) from None


def countries_geojson_for(principal: Principal, *, seecp: bool | None = None) -> FeatureCollection:
    """The countries' outlines: properties code, alpha3, name, local_name, seecp, label_point."""
    return _collection(
        {
            "type": "Feature",
            "id": c.code,
            "bbox": c.bbox.as_list(),
            "properties": {
                "code": c.code,
                "alpha3": c.alpha3,
                "name": c.name,
                "local_name": c.local_name,
                "seecp": c.is_seecp_participant,
                "label_point": [c.label_longitude, c.label_latitude],
            },
            "geometry": c.geometry,
        }
        for c in countries_for(principal, seecp=seecp)
    )


def border_sections_for(principal: Principal, *, country: str | None = None) -> QuerySet[BorderSection]:
    """Border sections by code; ``country`` keeps those on that country's borders."""
    require_reader(principal)
    sections = BorderSection.objects.select_related("country_a", "country_b").order_by("code")
    code = _country_code(country, "country")
    return sections if code is None else sections.filter(Q(country_a=code) | Q(country_b=code))


def border_section_for(principal: Principal, code: str) -> BorderSection:
    """A border section by code, in either order of its countries (RS-MK finds MK-RS)."""
    require_reader(principal)
    parts = normalise_code(code).split("-")
    canonical = "-".join(sorted(parts)) if len(parts) == 2 else normalise_code(code)
    try:
        return BorderSection.objects.select_related("country_a", "country_b").get(code=canonical)
    except BorderSection.DoesNotExist:
        raise NotFound("border section", code) from None


def border_sections_geojson_for(principal: Principal, *, country: str | None = None) -> FeatureCollection:
    return _collection(
        {
            "type": "Feature",
            "id": s.code,
            "properties": {"code": s.code, "name": s.name, "countries": list(s.country_codes)},
            "geometry": s.geometry,
        }
        for s in border_sections_for(principal, country=country)
    )


# --- crossing points and sites ---------------------------------------------------------------------


def crossing_points_for(
    principal: Principal,
    *,
    country: str | None = None,
    border_section: str | None = None,
    kind: str | None = None,
) -> QuerySet[CrossingPoint]:
    """Crossing points by code, optionally of one country, one border section and/or one kind."""
    require_reader(principal)
    points = CrossingPoint.objects.select_related("country", "border_section", "counterpart").order_by("code")
    code = _country_code(country, "country")
    if code is not None:
        points = points.filter(country_id=code)
    if border_section is not None:
        errors = Errors()
        section = find_border_section(border_section, "border_section", errors)
        errors.raise_if_any()
        points = points.filter(border_section=section)
    if kind is not None:
        points = points.filter(kind=kind)
    return points


def crossing_point_for(principal: Principal, code: str) -> CrossingPoint:
    require_reader(principal)
    try:
        return CrossingPoint.objects.select_related("country", "border_section", "counterpart").get(
            code=normalise_code(code)
        )
    except CrossingPoint.DoesNotExist:
        raise NotFound("crossing point", code) from None


def crossing_points_geojson_for(principal: Principal, **filters: str | None) -> FeatureCollection:
    """Points with properties code, name, name_latin, country, border_section, counterpart, kind."""
    return _collection(
        _point(
            p,
            {
                "code": p.code,
                "name": p.name,
                "name_latin": p.name_latin,
                "country": p.country_id,
                "border_section": p.border_section.code if p.border_section else None,
                "counterpart": p.counterpart.code if p.counterpart else None,
                "kind": p.kind,
            },
        )
        for p in crossing_points_for(principal, **filters)
    )


def _with_current_capacity(sites: QuerySet[ReceptionSite], on: date) -> QuerySet[ReceptionSite]:
    latest = SiteCapacity.objects.filter(site=OuterRef("pk"), valid_from__lte=on).order_by("-valid_from")
    return sites.annotate(
        current_capacity=Subquery(latest.values("capacity")[:1]),
        capacity_since=Subquery(latest.values("valid_from")[:1]),
    )


def sites_for(
    principal: Principal, *, country: str | None = None, kind: str | None = None, on: date | None = None
) -> QuerySet[ReceptionSite]:
    """Sites by code, each annotated with ``current_capacity`` and ``capacity_since``: the latest
    capacity figure valid on ``on`` (default today), or None where no figure is recorded."""
    require_reader(principal)
    sites = ReceptionSite.objects.select_related("country").order_by("code")
    code = _country_code(country, "country")
    if code is not None:
        sites = sites.filter(country_id=code)
    if kind is not None:
        sites = sites.filter(kind=kind)
    return _with_current_capacity(sites, on or timezone.localdate())


def site_for(principal: Principal, code: str, *, on: date | None = None) -> ReceptionSite:
    """A site with ``current_capacity``, ``capacity_since`` and its capacity history, newest first."""
    require_reader(principal)
    sites = _with_current_capacity(
        ReceptionSite.objects.select_related("country").prefetch_related("capacities"),
        on or timezone.localdate(),
    )
    try:
        return sites.get(code=normalise_code(code))
    except ReceptionSite.DoesNotExist:
        raise NotFound("site", code) from None


def sites_geojson_for(principal: Principal, **filters: Any) -> FeatureCollection:
    """Points with properties code, name, name_latin, country, kind, opened_on, closed_on, capacity."""
    return _collection(
        _point(
            s,
            {
                "code": s.code,
                "name": s.name,
                "name_latin": s.name_latin,
                "country": s.country_id,
                "kind": s.kind,
                "opened_on": s.opened_on.isoformat() if s.opened_on else None,
                "closed_on": s.closed_on.isoformat() if s.closed_on else None,
                "current_capacity": s.current_capacity,  # type: ignore[attr-defined]
            },
        )
        for s in sites_for(principal, **filters)
    )


# --- the route graph -------------------------------------------------------------------------------


def route_edges_for(principal: Principal, *, on: date | None = None) -> QuerySet[RouteEdge]:
    """The route graph's edges, with their ends loaded; ``on`` keeps those in use on that date."""
    require_reader(principal)
    ends = [f"{prefix}_{field}" for prefix in ("origin", "destination") for field in NODE_FIELDS.values()]
    edges = RouteEdge.objects.select_related(*ends).order_by("id")
    if on is not None:
        edges = edges.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on)).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=on)
        )
    return edges


def route_edge_for(principal: Principal, edge_id: int) -> RouteEdge:
    try:
        return route_edges_for(principal).get(pk=edge_id)
    except RouteEdge.DoesNotExist:
        raise NotFound("route edge", edge_id) from None


@dataclass(frozen=True)
class Node:
    """A node of the route graph: ``key`` is 'kind:code', e.g. 'crossing_point:GR-IDOMENI'."""

    kind: str
    code: str
    name: str
    longitude: float
    latitude: float

    @property
    def key(self) -> str:
        return node_key(self.kind, self.code)


def node_of(kind: str, obj: Any) -> Node:
    if kind == NodeKind.COUNTRY:
        return Node(str(kind), obj.code, obj.name, obj.label_longitude, obj.label_latitude)
    return Node(str(kind), obj.code, obj.name_latin, obj.longitude, obj.latitude)


@dataclass(frozen=True)
class Leg:
    origin: Node
    destination: Node
    typical_days: Decimal
    edge_id: int


def route_graph_for(principal: Principal, *, on: date | None = None) -> dict[str, list[Leg]]:
    """The route graph as adjacency lists: {origin node key: [legs leaving it]}."""
    graph: dict[str, list[Leg]] = defaultdict(list)
    for edge in route_edges_for(principal, on=on):
        leg = Leg(node_of(*edge.origin), node_of(*edge.destination), edge.typical_days, edge.pk)
        graph[leg.origin.key].append(leg)
    return dict(graph)


def route_edges_geojson_for(principal: Principal, *, on: date | None = None) -> FeatureCollection:
    """One LineString per edge, origin to destination; properties id, origin, destination (node
    keys), origin_name, destination_name, typical_days, mode, valid_from, valid_until."""
    features = []
    for edge in route_edges_for(principal, on=on):
        origin, destination = node_of(*edge.origin), node_of(*edge.destination)
        features.append(
            {
                "type": "Feature",
                "id": edge.pk,
                "properties": {
                    "id": edge.pk,
                    "origin": origin.key,
                    "destination": destination.key,
                    "origin_name": origin.name,
                    "destination_name": destination.name,
                    "typical_days": float(edge.typical_days),
                    "mode": edge.mode,
                    "valid_from": edge.valid_from.isoformat() if edge.valid_from else None,
                    "valid_until": edge.valid_until.isoformat() if edge.valid_until else None,
                },
                "geometry": {
                    "type": "LineString",
                    "coordinates": [
                        [origin.longitude, origin.latitude],
                        [destination.longitude, destination.latitude],
                    ],
                },
            }
        )
    return _collection(features)


def _point(place: Any, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": place.code,
        "properties": properties,
        "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
    }


def _collection(features: Any) -> FeatureCollection:
    return {"type": "FeatureCollection", "features": list(features)}
