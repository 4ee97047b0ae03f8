"""Charts of the timelines and of reception capacity: Vega-Lite specifications built with Altair.

Drawn in the browser by static/seemix/js/charts.js with the locally built Vega bundle, like the
measures' timeline. Every chart carries its legend, its unit (axis title), its dates (a time axis)
and its source (the subtitle), so that a printed or copied chart still says what it shows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt
from django.utils.translation import gettext as _

from seemix.situation.services.timelines import Timeline

FONT = "system-ui, -apple-system, Segoe UI, Noto Sans, DejaVu Sans, Arial, sans-serif"
# Okabe-Ito: distinguishable in print and for the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C564B", "#6A3D9A"]
ROLE_DASH = {"country": [1, 0], "upstream": [6, 3], "downstream": [2, 2]}


def _data(name: str) -> alt.NamedData:
    # The rows go into the specification's "datasets" after it is built (_finish): handed to Altair as
    # values they would be validated against the schema row by row (about 0.5 s for 1,600 rows).
    return alt.NamedData(name=name)


def _finish(
    chart: Any, title: str, source: str, description: str, datasets: dict[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    height = 260
    spec: dict[str, Any] = (
        chart.properties(
            width="container",
            height=height,
            title=alt.TitleParams(title, subtitle=[source], anchor="start", fontSize=14, subtitleFontSize=11),
            description=description,
        )
        .configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(labelColor="#1b2733", domainColor="#c5ced6", gridColor="#e3e8ec")
        .configure_legend(labelFontSize=12, titleFontSize=12, orient="bottom")
        # Validating against the Vega-Lite schema costs ~100 ms a chart; the tests validate them.
        .to_dict(validate=False)
    )
    spec["datasets"] = datasets
    return spec


def _x(start: dt.date, end: dt.date) -> alt.X:
    return alt.X(
        "day:T",
        title=_("Date"),
        scale=alt.Scale(domain=[start.isoformat(), end.isoformat()]),
        axis=alt.Axis(format="%d %b %Y", labelAngle=0, tickCount=8),
    )


def _source(timeline: Timeline) -> str:
    source = _("Source: %(source)s.") % {"source": timeline.source}
    if timeline.as_of is not None:
        source += " " + _("As known at %(when)s.") % {"when": timeline.as_of.strftime("%Y-%m-%d %H:%M UTC")}
    return source


def country_chart(timeline: Timeline) -> dict[str, Any] | None:
    """The country's arrivals with its neighbours' (dashed) and the measures as vertical rules."""
    if not timeline.series:
        return None
    labels = {"country": _("this country"), "upstream": _("upstream"), "downstream": _("downstream")}
    rows = [
        {"day": day.isoformat(), "series": f"{s.name} ({labels[s.role]})", "role": s.role, "value": value}
        for s in timeline.series
        for day, value in zip(timeline.days, s.values, strict=True)
        if value is not None
    ]
    order = [f"{s.name} ({labels[s.role]})" for s in timeline.series]
    x = _x(timeline.date_from, timeline.date_to)
    lines = (
        alt.Chart(_data("rows"))
        .mark_line(point=alt.OverlayMarkDef(size=12), strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=_("Arrivals (persons per day)"), axis=alt.Axis(format=",d")),
            color=alt.Color(
                "series:N", title=_("Arrivals in"), sort=order, scale=alt.Scale(domain=order, range=PALETTE)
            ),
            strokeDash=alt.StrokeDash(
                "role:N",
                title=_("Position on the route"),
                scale=alt.Scale(domain=list(ROLE_DASH), range=list(ROLE_DASH.values())),
                legend=alt.Legend(symbolType="stroke", symbolStrokeColor="#1b2733", symbolStrokeWidth=2),
            ),
            tooltip=[
                alt.Tooltip("series:N", title=_("Country")),
                alt.Tooltip("day:T", title=_("Date"), format="%d %b %Y"),
                alt.Tooltip("value:Q", title=_("Arrivals"), format=","),
            ],
        )
    )
    layers = [lines]
    markers: list[dict[str, Any]] = []
    if timeline.markers:
        markers = [
            {"day": m.day.isoformat(), "label": f"{m.issuer}: {m.title}", "type": m.type}
            for m in timeline.markers
        ]
        layers.append(
            alt.Chart(_data("markers"))
            .mark_rule(color="#6b7785", strokeWidth=1.5, strokeDash=[4, 2])
            .encode(
                x=x,
                tooltip=[
                    alt.Tooltip("label:N", title=_("Measure")),
                    alt.Tooltip("type:N", title=_("Type")),
                    alt.Tooltip("day:T", title=_("Takes effect"), format="%d %b %Y"),
                ],
            )
        )
    name = timeline.series[0].name
    return _finish(
        alt.layer(*layers),
        _("Daily arrivals in %(country)s and its neighbours on the route (persons per day)")
        % {"country": name},
        _source(timeline) + " " + _("Dashed vertical lines: measures taking effect."),
        _("Line chart of daily arrivals in %(country)s, with its upstream and downstream neighbours.")
        % {"country": name},
        {"rows": rows, "markers": markers},
    )


def regional_chart(timeline: Timeline) -> dict[str, Any] | None:
    """The region's daily arrivals stacked by country."""
    rows = [
        {"day": day.isoformat(), "country": s.name, "value": value}
        for s in timeline.regional
        for day, value in zip(timeline.days, s.values, strict=True)
        if value is not None
    ]
    if not rows:
        return None
    chart = (
        alt.Chart(_data("rows"))
        .mark_area(opacity=0.85)
        .encode(
            x=_x(timeline.date_from, timeline.date_to),
            y=alt.Y(
                "value:Q", stack="zero", title=_("Arrivals (persons per day)"), axis=alt.Axis(format=",d")
            ),
            color=alt.Color("country:N", title=_("Country"), scale=alt.Scale(range=PALETTE)),
            tooltip=[
                alt.Tooltip("country:N", title=_("Country")),
                alt.Tooltip("day:T", title=_("Date"), format="%d %b %Y"),
                alt.Tooltip("value:Q", title=_("Arrivals"), format=","),
            ],
        )
    )
    return _finish(
        chart,
        _("Daily arrivals along the route, stacked by country (persons per day)"),
        _source(timeline),
        _("Stacked area chart of the daily arrivals of every country of the route."),
        {"rows": rows},
    )


def capacity_chart(
    rows: list[dict[str, Any]], start: dt.date, end: dt.date, source: str
) -> dict[str, Any] | None:
    """Capacity (step line) and occupancy (line) over time; rows: day, series, value."""
    if not rows:
        return None
    chart = (
        alt.Chart(_data("rows"))
        .mark_line(interpolate="step-after", strokeWidth=2)
        .encode(
            x=_x(start, end),
            y=alt.Y("value:Q", title=_("Persons / places"), axis=alt.Axis(format=",d")),
            color=alt.Color("series:N", title=_("Series"), scale=alt.Scale(range=PALETTE)),
            tooltip=[
                alt.Tooltip("series:N", title=_("Series")),
                alt.Tooltip("day:T", title=_("Date"), format="%d %b %Y"),
                alt.Tooltip("value:Q", title=_("Value"), format=","),
            ],
        )
    )
    return _finish(
        chart,
        _("Reception capacity (places) and occupancy (persons present at the end of the day)"),
        _("Source: %(source)s.") % {"source": source},
        _("Line chart of the reception capacity and the persons present in sites."),
        {"rows": rows},
    )
