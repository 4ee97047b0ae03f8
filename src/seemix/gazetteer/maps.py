"""The gazetteer's map: a Vega-Lite specification built with Altair from the shipped geometry.

The server builds the specification; the browser draws it with the Vega bundle made locally by
`seemix build_assets` (static/seemix/js/charts.js). No tiles and no other host: the countries are the
Natural Earth polygons the project ships, the places are the gazetteer's own coordinates.
"""

from __future__ import annotations

from typing import Any

import altair as alt
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from seemix.gazetteer.geometry import contains_point, positions
from seemix.gazetteer.models import CrossingKind, SiteKind, TravelMode

# What gazetteer.queries' *_geojson_for functions return.
FeatureCollection = dict[str, Any]

# The part of Europe the route crosses, from the Aegean islands to Vienna: the map is fitted to it,
# so that Germany, Italy, Ukraine and Turkey are drawn as context without shrinking the region.
REGION_EXTENT = (12.8, 34.6, 30.4, 48.9)  # west, south, east, north (degrees, WGS 84)

# Countries whose label point lies off the map (Turkey's is in central Anatolia) are drawn, as
# nodes of the route, at a point of their own territory this far inside the map's edge.
ANCHOR_MARGIN = 0.6  # degrees
HEIGHT = 680

PARTICIPANT_COLOUR = "#9dbbd6"
NEIGHBOUR_COLOUR = "#e4e8ec"
BORDER_COLOUR = "#ffffff"
ROUTE_COLOUR = "#b3261e"
CROSSING_COLOUR = "#0d2f4f"
SITE_COLOUR = "#f2b705"
SEA_COLOUR = "#e6eff7"


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
            # Clockwise, as d3-geo wants an outer ring on the sphere (counter-clockwise would be the rest
            # of the globe).
            "type": "Polygon",
            "coordinates": [[[west, south], [west, north], [east, north], [east, south], [west, south]]],
        },
    }


def country_rows(countries: FeatureCollection) -> list[dict[str, Any]]:
    participant, neighbour = _("SEECP participant"), _("Neighbour")
    return [
        {
            "type": "Feature",
            "geometry": {"type": f["geometry"]["type"], "coordinates": _round(f["geometry"]["coordinates"])},
            "properties": {
                "code": f["properties"]["code"],
                "name": f["properties"]["name"],
                "group": participant if f["properties"]["seecp"] else neighbour,
            },
        }
        for f in countries["features"]
    ]


def _inside(lon: float, lat: float, margin: float) -> bool:
    west, south, east, north = REGION_EXTENT
    return west + margin <= lon <= east - margin and south + margin <= lat <= north - margin


def map_anchor(feature: dict[str, Any]) -> tuple[float, float]:
    """Where a country is drawn as a node: its label point, or for a country whose label point is
    off the map, the nearest point of its territory on the map (the label point if there is none,
    so that its legs run off the edge towards it)."""
    lon, lat = feature["properties"]["label_point"]
    if _inside(lon, lat, ANCHOR_MARGIN):
        return lon, lat
    west, south, east, north = REGION_EXTENT
    m = ANCHOR_MARGIN
    clamped = (min(max(lon, west + m), east - m), min(max(lat, south + m), north - m))
    if contains_point(feature["geometry"], *clamped):
        return clamped
    on_map = [p for p in positions(feature["geometry"]) if _inside(*p, ANCHOR_MARGIN)]
    if not on_map:
        return lon, lat
    return min(on_map, key=lambda p: (p[0] - lon) ** 2 + (p[1] - lat) ** 2)


def anchors(countries: FeatureCollection) -> dict[str, tuple[float, float]]:
    """{"country:TR": (lon, lat)}, keyed as the route's node keys."""
    return {f"country:{f['properties']['code']}": map_anchor(f) for f in countries["features"]}


def label_rows(countries: FeatureCollection) -> list[dict[str, Any]]:
    return [
        {"code": f["properties"]["code"], "longitude": lon, "latitude": lat}
        for f in countries["features"]
        for lon, lat in [map_anchor(f)]
    ]


def _place(feature: dict[str, Any], kinds: type[models.TextChoices], names: dict[str, str]) -> dict[str, Any]:
    properties = feature["properties"]
    longitude, latitude = feature["geometry"]["coordinates"][:2]
    return {
        "name": properties["name"],
        "name_latin": properties["name_latin"],
        "kind": str(kinds(properties["kind"]).label),
        "country": names.get(properties["country"], properties["country"]),
        "longitude": longitude,
        "latitude": latitude,
    }


def country_names(countries: FeatureCollection) -> dict[str, str]:
    return {f["properties"]["code"]: f["properties"]["name"] for f in countries["features"]}


def crossing_rows(crossing_points: FeatureCollection, names: dict[str, str]) -> list[dict[str, Any]]:
    return [_place(f, CrossingKind, names) for f in crossing_points["features"]]


def site_rows(sites: FeatureCollection, names: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for feature in sites["features"]:
        capacity = feature["properties"]["current_capacity"]
        rows.append(
            {
                **_place(feature, SiteKind, names),
                # A site with no recorded capacity is still drawn, at the smallest size.
                "size": capacity or 0,
                "capacity": "—" if capacity is None else number_format(capacity, force_grouping=True),
            }
        )
    return rows


def edge_rows(edges: FeatureCollection, nodes: dict[str, tuple[float, float]]) -> list[dict[str, Any]]:
    rows = []
    for feature in edges["features"]:
        properties = feature["properties"]
        start, end = (p[:2] for p in feature["geometry"]["coordinates"][:2])
        (lon, lat), (lon2, lat2) = (
            nodes.get(properties["origin"], start),
            nodes.get(properties["destination"], end),
        )
        rows.append(
            {
                "origin": properties["origin_name"],
                "destination": properties["destination_name"],
                "days": properties["typical_days"],
                "mode": str(TravelMode(properties["mode"]).label),
                "longitude": lon,
                "latitude": lat,
                "longitude2": lon2,
                "latitude2": lat2,
            }
        )
    return rows


def _nice(value: float) -> int:
    """Round to one significant digit (a legend's ticks): 4321 -> 4000."""
    if value <= 0:
        return 0
    scale = 10 ** (len(str(int(value))) - 1)
    return max(1, round(value / scale)) * scale


def capacity_legend_values(sites: FeatureCollection) -> list[int]:
    capacities = [f["properties"]["current_capacity"] or 0 for f in sites["features"]]
    top = max(capacities, default=0)
    return sorted({v for v in (_nice(top / 4), _nice(top / 2), _nice(top)) if v > 0})


def region_map(
    countries: FeatureCollection,
    crossing_points: FeatureCollection,
    sites: FeatureCollection,
    edges: FeatureCollection,
) -> dict[str, Any]:
    """The Vega-Lite specification (a dict, ready for json_script) of the region's map."""
    participant, neighbour = _("SEECP participant"), _("Neighbour")
    projection = alt.Projection(
        type="conicConformal", fit=_extent_feature(), rotate=[-21, 0, 0], parallels=[40, 46]
    )

    shapes = (
        alt.Chart(alt.Data(name="countries"))
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
        alt.Chart(alt.Data(name="labels"))
        .mark_text(fontSize=11, fontWeight="bold", color="#4a5866", opacity=0.75, clip=True)
        .encode(longitude="longitude:Q", latitude="latitude:Q", text="code:N")
    )
    layers: list[alt.Chart] = [shapes, labels]
    if edges["features"]:
        layers.append(
            alt.Chart(alt.Data(name="edges"))
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
    if sites["features"]:
        layers.append(
            alt.Chart(alt.Data(name="sites"))
            .mark_circle(color=SITE_COLOUR, stroke="#6b5200", strokeWidth=1, opacity=0.9, clip=True)
            .encode(
                longitude="longitude:Q",
                latitude="latitude:Q",
                size=alt.Size(
                    "size:Q",
                    title=_("Site capacity"),
                    scale=alt.Scale(range=[60, 700]),
                    legend=alt.Legend(
                        orient="bottom-left",
                        fillColor="#ffffff",
                        padding=8,
                        values=capacity_legend_values(sites),
                    ),
                ),
                tooltip=[
                    alt.Tooltip("name_latin:N", title=_("Site")),
                    alt.Tooltip("name:N", title=_("Local name")),
                    alt.Tooltip("kind:N", title=_("Kind")),
                    alt.Tooltip("country:N", title=_("Country")),
                    alt.Tooltip("capacity:N", title=_("Capacity")),
                ],
            )
        )
    if crossing_points["features"]:
        layers.append(
            alt.Chart(alt.Data(name="crossing_points"))
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
            # As wide as the page allows (vega-embed measures the container).
            width="container",
            height=HEIGHT,
            projection=projection,
            # The sea: everything the country polygons leave uncovered.
            background=SEA_COLOUR,
            description=_(
                "Map of South-East Europe with the crossing points, sites and route of the gazetteer."
            ),
        )
        .configure(font="system-ui, -apple-system, Segoe UI, Noto Sans, DejaVu Sans, Arial, sans-serif")
        .configure_view(stroke=None)
        .configure_legend(labelFontSize=12, titleFontSize=12)
    )
    spec: dict[str, Any] = chart.to_dict()
    # The rows go in after Altair has built and validated the specification: Altair deep-copies
    # and walks inline values, which costs half a second for the countries' polygons.
    spec["datasets"] = {
        "countries": country_rows(countries),
        "labels": label_rows(countries),
        "edges": edge_rows(edges, anchors(countries)),
        "sites": site_rows(sites, country_names(countries)),
        "crossing_points": crossing_rows(crossing_points, country_names(countries)),
    }
    return spec
