"""The page /situation/measures/<id>/simulate/: what the measure would do along the route, as a map
and timelines beside the no-measure baseline (Altair specifications drawn by the local Vega bundle,
like the gazetteer's map), with the generated summary, the assumptions and the sources."""

from __future__ import annotations

import textwrap
from datetime import date, timedelta
from typing import Any

import altair as alt
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from seemix.core.pages import pages
from seemix.directory.principals import principal_for_user
from seemix.gazetteer import maps
from seemix.gazetteer import queries as gazetteer_queries
from seemix.measures import queries as measure_queries
from seemix.situation.services import scenarios as service

WITH, WITHOUT = "#b3261e", "#5f6b76"
FONT = "system-ui, -apple-system, Segoe UI, Noto Sans, DejaVu Sans, Arial, sans-serif"


def _horizon(request: HttpRequest) -> int:
    try:
        value = int(request.GET.get("horizon", service.HORIZON))
    except ValueError:
        return service.HORIZON
    return min(max(value, 1), service.MAX_HORIZON)


def _lines(text: str, width: int) -> list[str]:
    # Vega-Lite neither wraps a title nor shrinks it: a line longer than the chart is cut on both
    # sides, so the subtitle goes as a list of lines short enough for the narrowest layout.
    return textwrap.wrap(text, width) or [text]


def _source(width: int) -> list[str]:
    # The full list of sources is on the page under the charts; the subtitle must fit the chart.
    return _lines(
        _("Source: seemix simulation: gazetteer route, ARRIVALS reports you may read, the measure."), width
    )


def _day(day: date) -> str:
    return date_format(day, "j M Y")


def _nice(value: float) -> int:
    """One significant digit, for a legend's ticks: 71,000 -> 70,000; 0.4 -> 0."""
    if value < 1:
        return 0
    scale = 10 ** (len(str(int(value))) - 1)
    return round(value / scale) * scale


def _extent(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The region's frame, grown to hold every place drawn (with a degree to spare), as a GeoJSON ring."""
    west, south, east, north = maps.REGION_EXTENT
    for row in rows:
        west, east = min(west, row["longitude"] - 1), max(east, row["longitude"] + 1)
        south, north = min(south, row["latitude"] - 1), max(north, row["latitude"] + 1)
    # Clockwise, as d3-geo wants an outer ring on the sphere.
    ring = [[west, south], [west, north], [east, north], [east, south], [west, south]]
    return {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def map_rows(outcome: service.ScenarioRun) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Persons present at each place on the last day (both runs), and the ends of the route.

    A node that ends the route (Germany) holds everyone who ever reached it: it is not drawn among
    people present, but listed in words with its cumulative count.
    """
    last = len(outcome.result.present) - 1
    rows, ends = [], []
    for i, node in enumerate(outcome.scenario.nodes):
        place = node.label or node.name
        with_, without = float(outcome.result.present[last, i]), float(outcome.baseline.present[last, i])
        if node.kind == "sink":
            if with_ >= 1 or without >= 1:
                ends.append({"place": place, "with": round(with_), "without": round(without)})
            continue
        for run, result, present in (("with", outcome.result, with_), ("without", outcome.baseline, without)):
            if present < 1 or node.longitude is None or node.latitude is None:
                continue
            where = {"longitude": node.longitude, "latitude": node.latitude}
            stranded = round(float(result.stranded[last, i]))
            rows.append(
                {"run": run, "place": place, **where, "present": round(present), "stranded": stranded}
            )
    return rows, ends


def map_spec(countries: dict[str, Any], outcome: service.ScenarioRun, rows: list[dict[str, Any]], run: str):
    """One of the two maps (run "with" or "without" the measure): persons present at each place on the
    last day. Both maps share the frame and the circles' scale, so that they compare at a glance."""
    label = _("With the measure") if run == "with" else _("Without the measure")
    most = max((r["present"] for r in rows), default=0)
    # Ticks of one significant digit, the same on both maps; no legend when nobody is drawn on either.
    values = sorted({v for v in (_nice(most / 4), _nice(most / 2), _nice(most)) if v >= 1})
    legend = alt.Legend(orient="bottom-left", format=",d", values=values) if values else None
    projection = alt.Projection(
        type="conicConformal", fit=_extent(rows), rotate=[-21, 0, 0], parallels=[40, 46]
    )
    shapes = alt.Chart(alt.Data(name="countries")).mark_geoshape(
        fill=maps.NEIGHBOUR_COLOUR, stroke=maps.BORDER_COLOUR, strokeWidth=0.8, clip=True
    )
    people = (
        alt.Chart(alt.Data(name="places"))
        .transform_filter(alt.datum.run == run)
        .mark_circle(opacity=0.75, stroke="#ffffff", strokeWidth=1, clip=True)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            size=alt.Size(
                "present:Q",
                title=_("Persons present (last day)"),
                # Area in proportion, on the same scale in both maps.
                scale=alt.Scale(domain=[0, max(most, 1)], range=[0, 1500]),
                legend=legend,
            ),
            color=alt.value(WITH if run == "with" else WITHOUT),
            tooltip=[
                alt.Tooltip("place:N", title=_("Place")),
                alt.Tooltip("present:Q", title=_("Persons present"), format=","),
                alt.Tooltip("stranded:Q", title=_("Stranded"), format=","),
            ],
        )
    )
    day = _day(outcome.result.dates()[-1])
    chart = (
        alt.layer(shapes, people)
        .properties(
            title=alt.Title(
                _("%(run)s (persons)") % {"run": label},
                subtitle=[
                    *_lines(_("Persons present at each place on %(day)s.") % {"day": day}, 52),
                    *_source(52),
                ],
                anchor="start",
            ),
            width="container",
            height="container",
            projection=projection,
            description=_("%(run)s: persons present at each place on %(day)s.") % {"run": label, "day": day},
        )
        .configure(font=FONT)
        .configure_view(stroke=None, fill=maps.SEA_COLOUR)
    )
    spec: dict[str, Any] = chart.to_dict()
    spec["datasets"] = {"countries": maps.country_rows(countries), "places": rows}
    return spec


def series_name(place: service.PlaceOutcome) -> str:
    if place.end_of_route:
        return _("%(country)s: reached the end of the route (cumulative)") % {"country": place.name}
    return place.name


def timeline_spec(outcome: service.ScenarioRun, codes: list[str]) -> dict[str, Any]:
    """Persons present per day in the countries most affected, with (solid) and without (dashed)."""
    scenario = outcome.scenario
    days = outcome.result.dates()
    dates = [d.isoformat() for d in days]
    label_with, label_without = _("With the measure"), _("Without the measure")
    names = {p.code: series_name(p) for p in outcome.places}
    rows, capacity_rows = [], []
    for code in codes:
        members = [i for i, n in enumerate(scenario.nodes) if (n.country or n.name) == code]
        for run_label, result in ((label_with, outcome.result), (label_without, outcome.baseline)):
            series = result.present[:, members].sum(axis=1)
            stranded = result.stranded[:, members].sum(axis=1)
            rows += [
                {"date": d, "country": names.get(code, code), "run": run_label,
                 "present": round(float(v)), "stranded": round(float(s))}
                for d, v, s in zip(dates, series, stranded, strict=True)
            ]  # fmt: skip
        place = next(p for p in outcome.places if p.code == code)
        if place.capacity is not None:
            capacity_rows.append({"country": names.get(code, code), "capacity": place.capacity,
                                  "what": _("Sites' recorded capacity (places)")})  # fmt: skip
        elif place.pledged is not None:
            capacity_rows.append({"country": names.get(code, code), "capacity": place.pledged,
                                  "what": _("Places pledged (Leaders' Meeting, 25 Oct 2015)")})  # fmt: skip
    years = sorted({days[0].year, days[-1].year})
    date_title = _("Date (%(years)s)") % {"years": "–".join(str(y) for y in years)}
    legend: dict[str, Any] = {"orient": "bottom", "direction": "vertical", "labelLimit": 0, "titleLimit": 0}
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X(
            "date:T", title=date_title, axis=alt.Axis(format="%-d %b", labelOverlap=True, tickCount="week")
        ),
        y=alt.Y("present:Q", title=_("Persons"), axis=alt.Axis(format=",d")),
        color=alt.Color("country:N", title=_("Country"), legend=alt.Legend(**legend)),
        strokeDash=alt.StrokeDash(
            "run:N",
            title=_("Run"),
            scale=alt.Scale(domain=[label_with, label_without], range=[[1, 0], [6, 4]]),
            legend=alt.Legend(**legend),
        ),
        tooltip=[
            alt.Tooltip("date:T", title=_("Date"), format="%-d %b %Y"),
            alt.Tooltip("country:N", title=_("Country")),
            alt.Tooltip("run:N", title=_("Run")),
            alt.Tooltip("present:Q", title=_("Persons"), format=","),
            alt.Tooltip("stranded:Q", title=_("Stranded"), format=","),
        ],
    )
    layers: list[Any] = [base.mark_line(strokeWidth=2)]
    if outcome.start is not None:
        start = alt.Chart(alt.Data(values=[{"date": outcome.start.isoformat(), "what": _("Measure starts")}]))
        layers.append(
            start.mark_rule(color="#000000", strokeDash=[2, 2]).encode(
                x="date:T",
                tooltip=[alt.Tooltip("what:N", title=_("Line")), alt.Tooltip("date:T", format="%-d %b %Y")],
            )
        )
    if capacity_rows:
        capacity = alt.Chart(alt.Data(values=capacity_rows)).mark_rule(strokeWidth=1, opacity=0.8)
        layers.append(
            capacity.encode(
                y="capacity:Q",
                color=alt.Color("country:N"),
                tooltip=[
                    alt.Tooltip("what:N", title=_("Line")),
                    alt.Tooltip("capacity:Q", title=_("Places"), format=","),
                ],
            )
        )
    chart = (
        alt.layer(*layers)
        .properties(
            title=alt.Title(
                _lines(_("Persons in each country, day by day (persons)"), 72), subtitle=_source(72)
            ),
            width="container",
            height=320,
            description=_("Persons present per day by country, with and without the measure."),
        )
        .configure(font=FONT)
    )
    return chart.to_dict()


@require_GET
@pages
def simulate_measure_page(request: HttpRequest, pk: int) -> HttpResponse:
    principal = principal_for_user(request.user)
    measure_queries.require_reader(principal)
    horizon = _horizon(request)
    outcome = service.simulate_measure(principal, pk, horizon=horizon)
    affected = [p.code for p in outcome.places if p.stranded >= 1 or p.present >= 1][:4]
    first = outcome.scenario.start_date
    last = first + timedelta(days=outcome.scenario.days - 1) if first else None
    countries = gazetteer_queries.countries_geojson_for(principal)
    rows, ends = map_rows(outcome)
    shown = [p for p in outcome.places if p.present >= 1 or p.baseline_present >= 1]
    return render(
        request,
        "situation/scenario.html",
        {
            "principal": principal,
            "can_read": True,
            "nav": "measures",
            "measure": outcome.measure,
            "outcome": outcome,
            "horizon": horizon,
            "max_horizon": service.MAX_HORIZON,
            "warm_up": service.WARM_UP,
            "first": first,
            "last": last,
            "runs": ("with", "without"),
            "map_with_spec": map_spec(countries, outcome, rows, "with"),
            "map_without_spec": map_spec(countries, outcome, rows, "without"),
            "drawn_without": any(r["run"] == "without" for r in rows),
            "drawn_with": any(r["run"] == "with" for r in rows),
            "ends": ends,
            "timeline_spec": timeline_spec(outcome, affected),
            "places": [p for p in shown if not p.end_of_route],
            "end_places": [p for p in shown if p.end_of_route],
        },
    )
