"""The page /situation/measures/<id>/simulate/: what the measure would do along the route, as a map
and timelines beside the no-measure baseline (Altair specifications drawn by the local Vega bundle,
like the gazetteer's map), with the generated summary, the assumptions and the sources."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

import altair as alt
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from seemix.core.errors import Forbidden, NotFound
from seemix.directory.principals import principal_for_user
from seemix.gazetteer import maps
from seemix.gazetteer import queries as gazetteer_queries
from seemix.measures import queries as measure_queries
from seemix.situation.services import scenarios as service

WITH, WITHOUT = "#b3261e", "#5f6b76"
FONT = "system-ui, -apple-system, Segoe UI, Noto Sans, DejaVu Sans, Arial, sans-serif"


def pages(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; the queries' NotFound and Forbidden become 404 and 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404 from None
        except Forbidden:
            raise PermissionDenied from None

    return wrapper


def _horizon(request: HttpRequest) -> int:
    try:
        value = int(request.GET.get("horizon", service.HORIZON))
    except ValueError:
        return service.HORIZON
    return min(max(value, 1), service.MAX_HORIZON)


def _source() -> str:
    # The full list of sources is on the page under the charts; the subtitle must fit the chart.
    return _("Source: seemix simulation: gazetteer route, ARRIVALS reports you may read, the measure.")


def map_spec(countries: dict[str, Any], outcome: service.ScenarioRun) -> dict[str, Any]:
    """Two maps side by side: persons present at each place on the last day, with and without."""
    label_with, label_without = _("With the measure"), _("Without the measure")
    last = len(outcome.result.present) - 1
    rows = []
    for run_label, result in ((label_with, outcome.result), (label_without, outcome.baseline)):
        for i, node in enumerate(outcome.scenario.nodes):
            present, stranded = float(result.present[last, i]), float(result.stranded[last, i])
            if present < 1 or node.longitude is None:
                continue
            place = node.label or node.name
            where = {"longitude": node.longitude, "latitude": node.latitude}
            rows.append({"run": run_label, "place": place, **where, "present": round(present),
                         "stranded": round(stranded)})  # fmt: skip
    projection = alt.Projection(
        type="conicConformal", fit=maps._extent_feature(), rotate=[-21, 0, 0], parallels=[40, 46]
    )

    def one(run_label: str) -> Any:
        shapes = alt.Chart(alt.Data(name="countries")).mark_geoshape(
            fill=maps.NEIGHBOUR_COLOUR, stroke=maps.BORDER_COLOUR, strokeWidth=0.8, clip=True
        )
        people = (
            alt.Chart(alt.Data(name="places"))
            .transform_filter(alt.datum.run == run_label)
            .mark_circle(opacity=0.75, stroke="#ffffff", strokeWidth=1, clip=True)
            .encode(
                longitude="longitude:Q",
                latitude="latitude:Q",
                size=alt.Size(
                    "present:Q",
                    title=_("Persons present (last day)"),
                    scale=alt.Scale(range=[30, 1500]),
                    legend=alt.Legend(orient="bottom-left"),
                ),
                color=alt.value(WITH if run_label == label_with else WITHOUT),
                tooltip=[
                    alt.Tooltip("place:N", title=_("Place")),
                    alt.Tooltip("present:Q", title=_("Persons present"), format=","),
                    alt.Tooltip("stranded:Q", title=_("Stranded"), format=","),
                ],
            )
        )
        return alt.layer(shapes, people).properties(
            title=run_label, width=420, height=420, projection=projection
        )

    chart = (
        alt.hconcat(one(label_with), one(label_without))
        .properties(
            title=alt.Title(
                _("Persons present on %(day)s (persons)") % {"day": outcome.result.dates()[-1].isoformat()},
                subtitle=[_source()],
            ),
            description=_("Persons present at each place on the last day, with and without the measure."),
        )
        .configure(font=FONT)
        .configure_view(stroke=None, fill=maps.SEA_COLOUR)
    )
    spec: dict[str, Any] = chart.to_dict()
    spec["datasets"] = {"countries": maps.country_rows(countries), "places": rows}
    return spec


def timeline_spec(outcome: service.ScenarioRun, codes: list[str]) -> dict[str, Any]:
    """Persons present per day in the countries most affected, with (solid) and without (dashed)."""
    scenario = outcome.scenario
    dates = [d.isoformat() for d in outcome.result.dates()]
    label_with, label_without = _("With the measure"), _("Without the measure")
    names = {p.code: p.name for p in outcome.places}
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
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("date:T", title=_("Date")),
        y=alt.Y("present:Q", title=_("Persons present (persons)")),
        color=alt.Color("country:N", title=_("Country")),
        strokeDash=alt.StrokeDash(
            "run:N",
            title=_("Run"),
            scale=alt.Scale(domain=[label_with, label_without], range=[[1, 0], [6, 4]]),
        ),
        tooltip=[
            alt.Tooltip("date:T", title=_("Date")),
            alt.Tooltip("country:N", title=_("Country")),
            alt.Tooltip("run:N", title=_("Run")),
            alt.Tooltip("present:Q", title=_("Persons present"), format=","),
            alt.Tooltip("stranded:Q", title=_("Stranded"), format=","),
        ],
    )
    layers: list[Any] = [base.mark_line(strokeWidth=2)]
    if outcome.start is not None:
        start = alt.Chart(alt.Data(values=[{"date": outcome.start.isoformat(), "what": _("Measure starts")}]))
        layers.append(
            start.mark_rule(color="#000000", strokeDash=[2, 2]).encode(x="date:T", tooltip="what:N")
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
            title=alt.Title(_("Persons present per day by country (persons)"), subtitle=[_source()]),
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
            "first": first,
            "last": last,
            "map_spec": map_spec(gazetteer_queries.countries_geojson_for(principal), outcome),
            "timeline_spec": timeline_spec(outcome, affected),
            "places": [p for p in outcome.places if p.present >= 1 or p.baseline_present >= 1],
        },
    )
