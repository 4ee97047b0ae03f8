"""The picture's map: a Vega-Lite specification built with Altair from the shipped geometry.

Drawn like the gazetteer's map (gazetteer/maps.py: no tiles, no other host, the browser draws it
with the locally built Vega bundle). On it: countries shaded by the chosen layer (arrivals, or the
occupancy of their sites), the legs of the route between countries as lines sized by their flow
with an arrowhead, border sections coloured by impact level with the level written beside them (colour
is never the only carrier), crossing points and sites with their state. Every mark has a tooltip;
a click on a country opens its page (Vega's ``href`` channel).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from typing import Any

import altair as alt
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seemix.gazetteer.geometry import positions
from seemix.gazetteer.maps import BORDER_COLOUR, SEA_COLOUR, _extent_feature, _round, anchors
from seemix.situation.models import ImpactLevel
from seemix.situation.picture import CROSSING_STATE_LABELS, SITE_STATE_LABELS, Picture

FeatureCollection = dict[str, Any]
HEIGHT = 640
NO_DATA_COLOUR = "#e4e8ec"
ROUTE_COLOUR = "#6b1d1d"
# Colour-blind-safe order from light to dark; the level is written beside the line as well.
IMPACT_COLOURS = {"low": "#4d9221", "medium": "#e6ab02", "high": "#d95f02", "critical": "#7b0d0d"}
CROSSING_SHAPES = {"open": "diamond", "restricted": "triangle-up", "closed": "cross"}
CROSSING_COLOURS = {"open": "#0d2f4f", "restricted": "#b35806", "closed": "#9b1c1c"}
SITE_COLOURS = {
    "open": "#f2b705", "no_capacity": "#f6d77a", "near_full": "#e66101", "over_capacity": "#9b1c1c",
    "closed": "#9aa5b1",
}  # fmt: skip
LAYERS = ("arrivals", "occupancy")
SOURCE = "Source: the participants' reports in seemix"


def _number(value: int | None) -> str:
    return "—" if value is None else number_format(value, force_grouping=True)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f} %"


def _midpoint(geometry: dict[str, Any]) -> tuple[float, float] | None:
    points = list(positions(geometry))
    if not points:
        return None
    lon, lat = points[len(points) // 2][:2]
    return lon, lat


def _bearing(lon: float, lat: float, lon2: float, lat2: float) -> float:
    """Degrees clockwise from north, as Vega's point angle wants, in the map's rough local scale."""
    dx = (lon2 - lon) * math.cos(math.radians((lat + lat2) / 2))
    return math.degrees(math.atan2(dx, lat2 - lat))


def _fit(countries: FeatureCollection, focus: list[str] | None) -> dict[str, Any]:
    if not focus:
        return _extent_feature()
    chosen = [f for f in countries["features"] if f["properties"]["code"] in focus]
    return {"type": "FeatureCollection", "features": [{**f, "geometry": f["geometry"]} for f in chosen]}


def picture_map(
    picture: Picture,
    countries: FeatureCollection,
    sections: FeatureCollection,
    *,
    layer: str,
    href: Callable[[str], str],
    section_href: Callable[[str], str],
    focus: list[str] | None = None,
) -> dict[str, Any]:
    """The specification (a dict, ready for json_script). ``focus``: country codes to fit the map to."""
    day = date_format(picture.day, "j M Y") if picture.day else "—"
    known = (
        _("as known at %(moment)s UTC") % {"moment": picture.as_of.strftime("%Y-%m-%d %H:%M")}
        if isinstance(picture.as_of, datetime)
        else _("as known now")
    )
    if layer == "occupancy":
        legend_title = _("Occupancy of sites (per cent)")
        title = _("Occupancy of reception sites on %(day)s") % {"day": day}
    else:
        legend_title = _("Arrivals (persons)")
        title = _("Arrivals on %(day)s") % {"day": day}
    figures = {c.code: c for c in picture.countries}
    shaded_any = any(_value(c, layer) is not None for c in picture.countries)
    # An empty layer gets a sentence instead of a legend (Vega would print "NaN" on its gradient).
    empty_note = [] if shaded_any else [_("No country has a figure for this layer that day.")]
    projection = alt.Projection(type="conicConformal", fit=_fit(countries, focus), rotate=[-21, 0, 0],
                                parallels=[40, 46])  # fmt: skip

    shapes = alt.Chart(alt.Data(name="countries")).mark_geoshape(
        stroke=BORDER_COLOUR, strokeWidth=0.8, clip=True, cursor="pointer"
    )
    tooltip = [
        alt.Tooltip("properties.name:N", title=_("Country")),
        alt.Tooltip("properties.arrivals:N", title=_("Arrivals (persons)")),
        alt.Tooltip("properties.exits:N", title=_("Exits (persons)")),
        alt.Tooltip("properties.present:N", title=_("Present in sites (persons)")),
        alt.Tooltip("properties.stranded:N", title=_("Stranded (persons)")),
        alt.Tooltip("properties.capacity:N", title=_("Reception capacity (places)")),
        alt.Tooltip("properties.occupancy:N", title=_("Occupancy")),
    ]
    base = shapes.mark_geoshape(
        stroke=BORDER_COLOUR, strokeWidth=0.8, clip=True, cursor="pointer", fill=NO_DATA_COLOUR
    ).encode(tooltip=tooltip, href="properties.href:N")
    shaded = shapes.transform_filter("datum.properties.value != null").encode(
        color=alt.Color(
            "properties.value:Q",
            title=legend_title,
            scale=alt.Scale(scheme="oranges" if layer == "arrivals" else "purples", zero=True),
            legend=alt.Legend(orient="top-left", fillColor="#ffffff", padding=8, format=",d")
            if shaded_any
            else None,
        ),
        tooltip=tooltip,
        href="properties.href:N",
    )
    layers: list[Any] = [base, shaded]
    layers.append(
        alt.Chart(alt.Data(name="sections"))
        .mark_geoshape(filled=False, strokeWidth=3.5, clip=True)
        .encode(
            stroke=alt.Stroke(
                "properties.level_label:N",
                title=_("Impact level of border sections"),
                scale=alt.Scale(
                    domain=[*(str(ImpactLevel(k).label) for k in IMPACT_COLOURS), _("Not assessed")],
                    range=[*IMPACT_COLOURS.values(), "#8c96a0"],
                ),
                legend=alt.Legend(orient="bottom-right", fillColor="#ffffff", padding=8, symbolType="stroke"),
            ),
            tooltip=[
                alt.Tooltip("properties.name:N", title=_("Border section")),
                alt.Tooltip("properties.level_label:N", title=_("Impact level")),
                alt.Tooltip("properties.reason:N", title=_("Why")),
                alt.Tooltip("properties.flow:N", title=_("Flow (persons)")),
                alt.Tooltip("properties.measures:N", title=_("Measures in force")),
            ],
            href="properties.href:N",
        )
    )
    layers.append(
        alt.Chart(alt.Data(name="section_labels"))
        .mark_text(fontSize=10, fontWeight="bold", dy=-9, clip=True, color="#1b2733")
        .encode(longitude="longitude:Q", latitude="latitude:Q", text="text:N")
    )
    layers.append(
        alt.Chart(alt.Data(name="legs"))
        .mark_rule(color=ROUTE_COLOUR, opacity=0.65, strokeCap="round", clip=True)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            longitude2="longitude2",
            latitude2="latitude2",
            size=alt.Size(
                "width:Q",
                title=_("Flow along the route (persons)"),
                scale=alt.Scale(range=[1, 10], zero=True),
                legend=alt.Legend(
                    orient="bottom-left",
                    fillColor="#ffffff",
                    padding=8,
                    format=",d",
                    values=_flow_ticks(picture),
                    symbolType="stroke",
                ),
            ),
            strokeDash=alt.StrokeDash(
                "basis:N",
                title=_("Flow counted by"),
                legend=alt.Legend(orient="bottom-left", fillColor="#ffffff", padding=8),
            ),
            tooltip=[
                alt.Tooltip("origin:N", title=_("From")),
                alt.Tooltip("destination:N", title=_("To")),
                alt.Tooltip("flow_text:N", title=_("Flow (persons)")),
                alt.Tooltip("basis:N", title=_("Counted by")),
            ],
        )
    )
    layers.append(
        alt.Chart(alt.Data(name="arrowheads"))
        .mark_point(shape="triangle-up", filled=True, size=90, color=ROUTE_COLOUR, opacity=0.9, clip=True)
        .encode(longitude="longitude:Q", latitude="latitude:Q", angle=alt.Angle("angle:Q", scale=None))
    )
    layers.append(
        alt.Chart(alt.Data(name="sites"))
        .mark_circle(stroke="#3d3d3d", strokeWidth=0.8, opacity=0.95, size=110, clip=True)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            color=alt.Color(
                "state:N",
                title=_("Site"),
                scale=alt.Scale(
                    domain=[str(SITE_STATE_LABELS[k]) for k in SITE_COLOURS],
                    range=list(SITE_COLOURS.values()),
                ),
                legend=alt.Legend(orient="top-right", fillColor="#ffffff", padding=8),
            ),
            tooltip=[
                alt.Tooltip("name:N", title=_("Site")),
                alt.Tooltip("state:N", title=_("State")),
                alt.Tooltip("present:N", title=_("Present (persons)")),
                alt.Tooltip("capacity:N", title=_("Capacity (places)")),
                alt.Tooltip("occupancy:N", title=_("Occupancy")),
            ],
        )
    )
    layers.append(
        alt.Chart(alt.Data(name="crossing_points"))
        .mark_point(filled=True, size=80, stroke="#ffffff", strokeWidth=0.8, opacity=1, clip=True)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            shape=alt.Shape(
                "state:N",
                title=_("Crossing point"),
                scale=alt.Scale(
                    domain=[str(CROSSING_STATE_LABELS[k]) for k in CROSSING_SHAPES],
                    range=list(CROSSING_SHAPES.values()),
                ),
                legend=alt.Legend(orient="top-right", fillColor="#ffffff", padding=8),
            ),
            color=alt.Color(
                "state:N",
                title=_("Crossing point"),
                scale=alt.Scale(
                    domain=[str(CROSSING_STATE_LABELS[k]) for k in CROSSING_COLOURS],
                    range=list(CROSSING_COLOURS.values()),
                ),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("name:N", title=_("Crossing point")),
                alt.Tooltip("state:N", title=_("State")),
                alt.Tooltip("arrivals:N", title=_("Arrivals (persons)")),
                alt.Tooltip("exits:N", title=_("Exits (persons)")),
            ],
        )
    )
    layers.append(
        alt.Chart(alt.Data(name="labels"))
        .mark_text(fontSize=11, fontWeight="bold", color="#1b2733", clip=True)
        .encode(longitude="longitude:Q", latitude="latitude:Q", text="text:N")
    )
    chart = (
        alt.layer(*layers)
        .resolve_scale(color="independent", shape="independent")
        .properties(
            width="container",
            height=HEIGHT,
            projection=projection,
            background=SEA_COLOUR,
            title=alt.TitleParams(
                title,
                subtitle=[
                    f"{_(SOURCE)}, {known}. "
                    + _("Boundaries: Natural Earth 1:50m. Click a country for its page."),
                    *empty_note,
                ],
                anchor="start",
                fontSize=15,
                subtitleFontSize=11,
            ),
            description=title,
        )
        .configure(font="system-ui, -apple-system, Segoe UI, Noto Sans, DejaVu Sans, Arial, sans-serif")
        .configure_view(stroke=None)
        .configure_legend(labelFontSize=11, titleFontSize=11, titleLimit=320, labelLimit=260)
    )
    spec: dict[str, Any] = chart.to_dict()
    country_anchor = anchors(countries)
    spec["datasets"] = {
        "countries": _country_rows(countries, figures, layer, href),
        "labels": _label_rows(countries, figures, layer, country_anchor, href),
        "sections": _section_rows(picture, sections, section_href),
        "section_labels": _section_label_rows(picture, sections),
        **_leg_rows(picture, country_anchor, figures),
        "sites": [
            {
                "name": s.name,
                "state": s.state_label,
                "longitude": s.longitude,
                "latitude": s.latitude,
                "present": _number(s.present),
                "capacity": _number(s.capacity),
                "occupancy": _percent(s.occupancy),
            }
            for s in picture.sites
        ],
        "crossing_points": [
            {
                "name": p.name,
                "state": p.state_label,
                "longitude": p.longitude,
                "latitude": p.latitude,
                "arrivals": _number(p.arrivals),
                "exits": _number(p.exits),
            }
            for p in picture.crossing_points
        ],
    }
    return spec


def _flow_ticks(picture: Picture) -> list[int]:
    top = max((leg.flow or 0 for leg in picture.legs), default=0)
    if top <= 0:
        return [0]
    scale = 10 ** (len(str(top)) - 1)
    nice = max(1, round(top / scale)) * scale
    return sorted({nice // 4, nice // 2, nice} - {0})


def _value(country: Any, layer: str) -> float | None:
    if country is None:
        return None
    if layer == "occupancy":
        return None if country.occupancy is None else round(country.occupancy * 100, 1)
    return country.arrivals


def _country_rows(countries: FeatureCollection, figures: dict[str, Any], layer: str, href) -> list[dict]:  # type: ignore[no-untyped-def]
    rows = []
    for f in countries["features"]:
        code = f["properties"]["code"]
        c = figures.get(code)
        rows.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": f["geometry"]["type"],
                    "coordinates": _round(f["geometry"]["coordinates"]),
                },
                "properties": {
                    "code": code,
                    "name": f["properties"]["name"],
                    "value": _value(c, layer),
                    "href": href(code),
                    "arrivals": _number(c.arrivals if c else None),
                    "exits": _number(c.exits if c else None),
                    "present": _number(c.present if c else None),
                    "stranded": _number(c.stranded if c else None),
                    "capacity": _number(c.capacity if c else None),
                    "occupancy": _percent(c.occupancy if c else None),
                },
            }
        )
    return rows


def _label_rows(countries, figures, layer, country_anchor, href) -> list[dict]:  # type: ignore[no-untyped-def]
    rows = []
    for f in countries["features"]:
        code = f["properties"]["code"]
        lon, lat = country_anchor[f"country:{code}"]
        c = figures.get(code)
        value = _value(c, layer)
        if value is None:
            text = code
        elif layer == "occupancy":
            text = f"{code} {value:.0f} %"
        else:
            text = f"{code} {_number(int(value))}"
        rows.append({"longitude": lon, "latitude": lat, "text": text, "href": href(code)})
    return rows


def _section_rows(picture: Picture, sections: FeatureCollection, href) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    by_code = {s.code: s for s in picture.sections}
    rows = []
    for f in sections["features"]:
        section = by_code.get(f["properties"]["code"])
        if section is None or not section.is_notable:
            continue
        level = section.impact.level if section.impact else None
        rows.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": f["geometry"]["type"],
                    "coordinates": _round(f["geometry"]["coordinates"]),
                },
                "properties": {
                    "name": section.name,
                    "level_label": str(ImpactLevel(level).label) if level else _("Not assessed"),
                    "reason": section.impact.reason if section.impact else "—",
                    "flow": _number(section.flow),
                    "measures": "; ".join(m.title for m in section.measures_in_force) or "—",
                    "href": href(section.code),
                },
            }
        )
    return rows


def _section_label_rows(picture: Picture, sections: FeatureCollection) -> list[dict]:  # type: ignore[type-arg]
    by_code = {s.code: s for s in picture.sections}
    rows = []
    for f in sections["features"]:
        section = by_code.get(f["properties"]["code"])
        if section is None or section.impact is None or not section.is_notable:
            continue
        middle = _midpoint(f["geometry"])
        if middle is not None:
            rows.append({"longitude": middle[0], "latitude": middle[1],
                         "text": str(ImpactLevel(section.impact.level).label).upper()})  # fmt: skip
    return rows


BASIS_LABELS = {
    "destination": gettext_lazy("destination's count"), "origin": gettext_lazy("origin's count"),
    "inferred": gettext_lazy("inferred from arrivals"), "none": gettext_lazy("no figure"),
}  # fmt: skip


def _name(figures: dict[str, Any], code: str) -> str:
    return figures[code].name if code in figures else code


def _leg_rows(picture: Picture, country_anchor, figures) -> dict[str, list[dict]]:  # type: ignore[no-untyped-def,type-arg]
    legs, heads = [], []
    for leg in picture.legs:
        start = country_anchor.get(f"country:{leg.origin}")
        end = country_anchor.get(f"country:{leg.destination}")
        if start is None or end is None:
            continue
        (lon, lat), (lon2, lat2) = start, end
        legs.append(
            {
                "origin": _name(figures, leg.origin),
                "destination": _name(figures, leg.destination),
                "longitude": lon,
                "latitude": lat,
                "longitude2": lon2,
                "latitude2": lat2,
                "width": leg.flow or 0,
                "flow_text": _number(leg.flow),
                "basis": str(BASIS_LABELS[leg.basis]),
            }
        )
        heads.append({"longitude": lon + 0.7 * (lon2 - lon), "latitude": lat + 0.7 * (lat2 - lat),
                      "angle": _bearing(lon, lat, lon2, lat2)})  # fmt: skip
    return {"legs": legs, "arrowheads": heads}
