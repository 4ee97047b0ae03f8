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

from seemix.gazetteer.models import CrossingKind, SiteKind, TravelMode

# What gazetteer.queries' *_geojson_for functions return.
FeatureCollection = dict[str, Any]

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


def label_rows(countries: FeatureCollection) -> list[dict[str, Any]]:
    return [
        {
            "code": f["properties"]["code"],
            "longitude": f["properties"]["label_point"][0],
            "latitude": f["properties"]["label_point"][1],
        }
        for f in countries["features"]
    ]


def _place(feature: dict[str, Any], kinds: type[models.TextChoices]) -> dict[str, Any]:
    properties = feature["properties"]
    longitude, latitude = feature["geometry"]["coordinates"][:2]
    return {
        "name": properties["name"],
        "name_latin": properties["name_latin"],
        "kind": str(kinds(properties["kind"]).label),
        "country": properties["country"],
        "longitude": longitude,
        "latitude": latitude,
    }


def crossing_rows(crossing_points: FeatureCollection) -> list[dict[str, Any]]:
    return [_place(f, CrossingKind) for f in crossing_points["features"]]


def site_rows(sites: FeatureCollection) -> list[dict[str, Any]]:
    rows = []
    for feature in sites["features"]:
        capacity = feature["properties"]["current_capacity"]
        rows.append(
            {
                **_place(feature, SiteKind),
                # A site with no recorded capacity is still drawn, at the smallest size.
                "size": capacity or 0,
                "capacity": "—" if capacity is None else number_format(capacity, force_grouping=True),
            }
        )
    return rows


def edge_rows(edges: FeatureCollection) -> list[dict[str, Any]]:
    rows = []
    for feature in edges["features"]:
        properties = feature["properties"]
        (lon, lat), (lon2, lat2) = (p[:2] for p in feature["geometry"]["coordinates"][:2])
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
        alt.Chart(alt.Data(values=label_rows(countries)))
        .mark_text(fontSize=11, fontWeight="bold", color="#4a5866", opacity=0.75, clip=True)
        .encode(longitude="longitude:Q", latitude="latitude:Q", text="code:N")
    )
    layers: list[alt.Chart] = [shapes, labels]
    if edges["features"]:
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
    if sites["features"]:
        layers.append(
            alt.Chart(alt.Data(values=site_rows(sites)))
            .mark_circle(color=SITE_COLOUR, stroke="#6b5200", strokeWidth=1, opacity=0.9, clip=True)
            .encode(
                longitude="longitude:Q",
                latitude="latitude:Q",
                size=alt.Size(
                    "size:Q",
                    title=_("Site capacity"),
                    scale=alt.Scale(range=[60, 700]),
                    legend=alt.Legend(orient="bottom-right", fillColor="#ffffff", padding=8),
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
