"""The gazetteer's map: a Vega-Lite specification built with Altair from the shipped geometry.

The server builds the specification; the browser draws it with the Vega bundle made locally by
`seemix build_assets` (static/seemix/js/charts.js). No tiles and no other host: the countries are the
Natural Earth polygons the project ships, the places are the gazetteer's own coordinates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt
from django.utils.translation import gettext as _

from seemix.gazetteer.models import Country, CrossingPoint, NodeKind, ReceptionSite, RouteEdge

# The part of Europe the route crosses, from the Aegean islands to Vienna: the map is fitted to it,
# so that Germany, Italy, Ukraine and Turkey are drawn as context without shrinking the region.
REGION_EXTENT = (12.8, 34.6, 30.4, 48.9)  # west, south, east, north (degrees, WGS 84)

WIDTH = 880
HEIGHT = 680

PARTICIPANT_COLOUR = "#9dbbd6"
NEIGHBOUR_COLOUR = "#e4e8ec"
BORDER_COLOUR = "#ffffff"
ROUTE_COLOUR = "#b3261e"
CROSSING_COLOUR = "#0d2f4f"
SITE_COLOUR = "#f2b705"


@dataclass(frozen=True)
class SiteOnMap:
    site: ReceptionSite
    capacity: int | None


def _round(value: Any, digits: int = 3) -> Any:
    # 1:50m geometry needs no more than ~100 m precision; three decimals halve the page's weight.
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, list):
        return [_round(v, digits) for v in value]
    return value


def _extent_feature() -> dict[str, Any]:
    west, south, east, north = REGION_EXTENT
    return {
        "type": "Feature",
        "properties": {},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[west, south], [west, north], [east, north], [east, south], [west, south]]],
        },
    }


def _node_position(kind: str, node: Any) -> tuple[float, float]:
    if kind == NodeKind.COUNTRY:
        return node.label_longitude, node.label_latitude
    return node.longitude, node.latitude


def _node_name(kind: str, node: Any) -> str:
    return node.name if kind == NodeKind.COUNTRY else node.name_latin


def country_rows(countries: Iterable[Country]) -> list[dict[str, Any]]:
    participant, neighbour = _("SEECP participant"), _("Neighbour")
    return [
        {
            "type": "Feature",
            "geometry": {"type": c.geometry["type"], "coordinates": _round(c.geometry["coordinates"])},
            "properties": {
                "code": c.code,
                "name": c.name,
                "group": participant if c.is_seecp_participant else neighbour,
            },
        }
        for c in countries
    ]


def crossing_rows(crossing_points: Iterable[CrossingPoint]) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "name_latin": p.name_latin,
            "kind": p.get_kind_display(),
            "country": p.country_id,
            "longitude": p.longitude,
            "latitude": p.latitude,
        }
        for p in crossing_points
    ]


def site_rows(sites: Iterable[SiteOnMap]) -> list[dict[str, Any]]:
    return [
        {
            "name": s.site.name,
            "name_latin": s.site.name_latin,
            "kind": s.site.get_kind_display(),
            "country": s.site.country_id,
            "capacity": s.capacity,
            "longitude": s.site.longitude,
            "latitude": s.site.latitude,
        }
        for s in sites
    ]


def edge_rows(edges: Iterable[RouteEdge]) -> list[dict[str, Any]]:
    rows = []
    for edge in edges:
        (origin_kind, origin), (destination_kind, destination) = edge.origin, edge.destination
        (lon, lat), (lon2, lat2) = (
            _node_position(origin_kind, origin),
            _node_position(destination_kind, destination),
        )
        rows.append(
            {
                "origin": _node_name(origin_kind, origin),
                "destination": _node_name(destination_kind, destination),
                "days": float(edge.typical_days),
                "mode": edge.get_mode_display(),
                "longitude": lon,
                "latitude": lat,
                "longitude2": lon2,
                "latitude2": lat2,
            }
        )
    return rows


def region_map(
    countries: Sequence[Country],
    crossing_points: Sequence[CrossingPoint],
    sites: Sequence[SiteOnMap],
    edges: Sequence[RouteEdge],
) -> dict[str, Any]:
    """The Vega-Lite specification (a dict, ready for json_script) of the region's map."""
    participant, neighbour = _("SEECP participant"), _("Neighbour")
    projection = alt.Projection(
        type="conicConformal", fit=_extent_feature(), rotate=[-21, 0, 0], parallels=[40, 46]
    )

    shapes = (
        alt.Chart(alt.Data(values=country_rows(countries)))
        .mark_geoshape(stroke=BORDER_COLOUR, strokeWidth=0.8, clip=True)
        .encode(
            color=alt.Color(
                "properties.group:N",
                title=_("Country"),
                scale=alt.Scale(
                    domain=[participant, neighbour], range=[PARTICIPANT_COLOUR, NEIGHBOUR_COLOUR]
                ),
                legend=alt.Legend(orient="top-left", fillColor="#ffffff", padding=8),
            ),
            tooltip=[alt.Tooltip("properties.name:N", title=_("Country"))],
        )
    )
    labels = (
        alt.Chart(
            alt.Data(
                values=[
                    {"code": c.code, "longitude": c.label_longitude, "latitude": c.label_latitude}
                    for c in countries
                ]
            )
        )
        .mark_text(fontSize=11, fontWeight="bold", color="#4a5866", opacity=0.75, clip=True)
        .encode(longitude="longitude:Q", latitude="latitude:Q", text="code:N")
    )
    layers: list[alt.Chart] = [shapes, labels]
    if edges:
        layers.append(
            alt.Chart(alt.Data(values=edge_rows(edges)))
            .mark_rule(color=ROUTE_COLOUR, strokeWidth=2, opacity=0.55, strokeCap="round", clip=True)
            .encode(
                longitude="longitude:Q",
                latitude="latitude:Q",
                longitude2="longitude2",
                latitude2="latitude2",
                tooltip=[
                    alt.Tooltip("origin:N", title=_("From")),
                    alt.Tooltip("destination:N", title=_("To")),
                    alt.Tooltip("days:Q", title=_("Typical travel days")),
                    alt.Tooltip("mode:N", title=_("Mode")),
                ],
            )
        )
    if sites:
        layers.append(
            alt.Chart(alt.Data(values=site_rows(sites)))
            .mark_circle(color=SITE_COLOUR, stroke="#6b5200", strokeWidth=1, opacity=0.9, clip=True)
            .encode(
                longitude="longitude:Q",
                latitude="latitude:Q",
                size=alt.Size(
                    "capacity:Q",
                    title=_("Site capacity"),
                    scale=alt.Scale(range=[60, 700]),
                    legend=alt.Legend(orient="bottom-right", fillColor="#ffffff", padding=8),
                ),
                tooltip=[
                    alt.Tooltip("name_latin:N", title=_("Site")),
                    alt.Tooltip("name:N", title=_("Local name")),
                    alt.Tooltip("kind:N", title=_("Kind")),
                    alt.Tooltip("country:N", title=_("Country")),
                    alt.Tooltip("capacity:Q", title=_("Capacity"), format=","),
                ],
            )
        )
    if crossing_points:
        layers.append(
            alt.Chart(alt.Data(values=crossing_rows(crossing_points)))
            .mark_point(
                shape="diamond",
                filled=True,
                size=70,
                color=CROSSING_COLOUR,
                stroke="#ffffff",
                strokeWidth=1,
                opacity=1,
                clip=True,
            )
            .encode(
                longitude="longitude:Q",
                latitude="latitude:Q",
                tooltip=[
                    alt.Tooltip("name_latin:N", title=_("Crossing point")),
                    alt.Tooltip("name:N", title=_("Local name")),
                    alt.Tooltip("kind:N", title=_("Kind")),
                    alt.Tooltip("country:N", title=_("Country")),
                ],
            )
        )
    chart = (
        alt.layer(*layers)
        .properties(
            width=WIDTH,
            height=HEIGHT,
            projection=projection,
            description=_(
                "Map of South-East Europe with the crossing points, sites and route of the gazetteer."
            ),
        )
        .configure(font="system-ui, -apple-system, Segoe UI, Noto Sans, DejaVu Sans, Arial, sans-serif")
        .configure_view(stroke="#c5ced6", fill="#e9f1f8")
        .configure_legend(labelFontSize=12, titleFontSize=12)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec
