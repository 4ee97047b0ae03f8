"""Charts of the timelines and of reception capacity: Vega-Lite specifications built with Altair.

Drawn in the browser by static/seemix/js/charts.js with the locally built Vega bundle, like the
measures' timeline. Every chart carries its legend, its unit (axis title), its dates (a time axis)
and its source (the subtitle), so that a printed or copied chart still says what it shows.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import altair as alt
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from seemix.situation.services.timeline_forecast import REGION_KEY, TimelineForecast, model_name
from seemix.situation.services.timelines import Timeline

FONT = "system-ui, -apple-system, Segoe UI, Noto Sans, DejaVu Sans, Arial, sans-serif"
# Okabe-Ito: distinguishable in print and for the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C564B", "#6A3D9A"]
ROLE_DASH = {"country": [1, 0], "upstream": [6, 3], "downstream": [2, 2], "forecast": [10, 3, 2, 3]}
# The forecast's bands: the 80 % one nested in the 95 % one, darker, and named in their own legend.
BAND_OPACITY = 0.55


def _data(name: str) -> alt.NamedData:
    # The rows go into the specification's "datasets" after it is built (_finish): handed to Altair as
    # values they would be validated against the schema row by row (about 0.5 s for 1,600 rows).
    return alt.NamedData(name=name)


def _finish(
    chart: Any,
    title: str,
    source: str | list[str],
    description: str,
    datasets: dict[str, list[dict[str, Any]]],
) -> dict[str, Any]:
    height = 260
    spec: dict[str, Any] = (
        chart.properties(
            width="container",
            height=height,
            title=alt.TitleParams(
                title,
                subtitle=[source] if isinstance(source, str) else source,
                anchor="start",
                fontSize=14,
                subtitleFontSize=11,
            ),
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


def _dash_legend() -> alt.Legend:
    # Symbols long enough (symbolSize) for the dash patterns to be told apart. The lines carry no
    # point overlay: with one, Vega-Lite makes a strokeDash legend's symbols transparent.
    return alt.Legend(
        symbolType="stroke",
        symbolStrokeColor="#1b2733",
        symbolStrokeWidth=2,
        symbolSize=600,
        columns=1,
        labelLimit=360,
    )


def _y(field: str) -> alt.Y:
    # Every layer's y has the same title: Vega-Lite would join different ones with commas.
    return alt.Y(f"{field}:Q", title=_("Arrivals (persons per day)"), axis=alt.Axis(format=",d"))


def _forecast_label(forecast: TimelineForecast, what: str) -> str:
    return _("%(what)s: forecast from %(day)s") % {"what": what, "day": date_format(forecast.origin, "j M Y")}


def _forecast_note(forecast: TimelineForecast) -> list[str]:
    """Two subtitle lines: what the forecast is and from when; the models chosen (a long list)."""
    what = _(
        "Forecast (dash-dot line) from %(day)s, the last day of figures it reads, 1 to %(n)d days ahead, "
        "with its 80 %% and 95 %% bands."
    ) % {"day": date_format(forecast.origin, "j M Y"), "n": len(forecast.days)}
    if not forecast.calibrated:
        what += " " + _("Bands not yet calibrated: the history is still short.")
    models = _("Models chosen (by day ahead): %(models)s.") % {"models": "; ".join(forecast.model_names)}
    return [what, models]


def _forecast_rows(forecast: TimelineForecast, label: str, last: int | None) -> list[dict[str, Any]]:
    """The forecast's rows, starting from the origin's figure (when there is one) so that the line
    and its bands continue the observed line instead of floating after it."""
    rows = []
    if last is not None:
        start = {"day": forecast.origin.isoformat(), "series": label, "value": last, "model": "—"}
        rows.append(start | {k: last for k in ("lo_80", "hi_80", "lo_95", "hi_95")})
    for i, day in enumerate(forecast.days):
        rows.append(
            {
                "day": day.isoformat(),
                "series": label,
                "value": forecast.forecast[i],
                "lo_80": forecast.lo_80[i],
                "hi_80": forecast.hi_80[i],
                "lo_95": forecast.lo_95[i],
                "hi_95": forecast.hi_95[i],
                "model": model_name(forecast.models[i]),
            }
        )
    return rows


def _band_layers(x: alt.X, colours: tuple[str, str]) -> list[Any]:
    """The 95 % band, then the 80 % band over it, each an area with its own legend entry."""
    labels = (_("95 % band (forecast)"), _("80 % band (forecast)"))
    fill = alt.Scale(domain=list(labels), range=list(colours))
    layers = []
    for level, label in zip((95, 80), labels, strict=True):
        layers.append(
            alt.Chart(_data("forecast"))
            .transform_calculate(band=json.dumps(label))
            .mark_area(opacity=BAND_OPACITY)
            .encode(
                x=x,
                y=_y(f"lo_{level}"),
                y2=alt.Y2(f"hi_{level}:Q"),
                fill=alt.Fill(
                    "band:N",
                    title=_("Forecast bands"),
                    scale=fill,
                    legend=alt.Legend(symbolType="square", columns=1, labelLimit=240),
                ),
                tooltip=[
                    alt.Tooltip("band:N", title=_("Band")),
                    alt.Tooltip("day:T", title=_("Date"), format="%d %b %Y"),
                    alt.Tooltip(f"lo_{level}:Q", title=_("From"), format=",.0f"),
                    alt.Tooltip(f"hi_{level}:Q", title=_("To"), format=",.0f"),
                ],
            )
        )
    return layers


def _forecast_tooltip() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("series:N", title=_("Forecast")),
        alt.Tooltip("day:T", title=_("Date"), format="%d %b %Y"),
        alt.Tooltip("value:Q", title=_("Arrivals"), format=",.0f"),
        alt.Tooltip("lo_80:Q", title=_("80 % band from"), format=",.0f"),
        alt.Tooltip("hi_80:Q", title=_("80 % band to"), format=",.0f"),
        alt.Tooltip("lo_95:Q", title=_("95 % band from"), format=",.0f"),
        alt.Tooltip("hi_95:Q", title=_("95 % band to"), format=",.0f"),
        alt.Tooltip("model:N", title=_("Model")),
    ]


def _drawn_forecast(timeline: Timeline, *, regional: bool) -> TimelineForecast | None:
    """The forecast this chart draws: the region's total on the stacked chart, the country's on
    the country's chart (a country's timeline page has no forecast of the region's total)."""
    forecast = timeline.forecast
    if forecast is None or (forecast.series == REGION_KEY) != regional:
        return None
    return forecast


def _subtitle(timeline: Timeline, lines: list[str], *, regional: bool) -> list[str]:
    forecast = _drawn_forecast(timeline, regional=regional)
    if forecast is not None:
        return [*lines, *_forecast_note(forecast)]
    if timeline.forecast_note and (timeline.country is None) == regional:
        return [*lines, timeline.forecast_note]
    return lines


def country_chart(timeline: Timeline) -> dict[str, Any] | None:
    """The country's arrivals with its neighbours' (dashed) and the measures as vertical rules; its
    forecast (dash-dot) with the 80 % and 95 % bands after the period, when there is one."""
    if not timeline.series:
        return None
    labels = {
        "country": _("this country"),
        "upstream": _("upstream"),
        "downstream": _("downstream"),
        "forecast": _("forecast"),
    }
    rows = [
        {
            "day": day.isoformat(),
            "series": f"{s.name} ({labels[s.role]})",
            "role": labels[s.role],
            "value": value,
        }
        for s in timeline.series
        for day, value in zip(timeline.days, s.values, strict=True)
        if value is not None
    ]
    order = [f"{s.name} ({labels[s.role]})" for s in timeline.series]
    colours = PALETTE[: len(order)]
    roles = ["country", "upstream", "downstream"]
    name = timeline.series[0].name
    forecast_rows: list[dict[str, Any]] = []
    forecast = _drawn_forecast(timeline, regional=False)
    if forecast is not None:
        label = _forecast_label(forecast, name)
        order, colours, roles = [*order, label], [*colours, PALETTE[0]], [*roles, "forecast"]
        forecast_rows = _forecast_rows(forecast, label, timeline.series[0].values[-1])
        for row in forecast_rows:
            row["role"] = labels["forecast"]
    x = _x(timeline.date_from, forecast.days[-1] if forecast else timeline.date_to)
    color = alt.Color(
        "series:N",
        title=_("Arrivals in"),
        sort=order,
        scale=alt.Scale(domain=order, range=colours),
        legend=alt.Legend(columns=2, labelLimit=300),
    )
    dash = alt.StrokeDash(
        "role:N",
        title=_("Line style"),
        scale=alt.Scale(domain=[labels[r] for r in roles], range=[ROLE_DASH[r] for r in roles]),
        legend=_dash_legend(),
    )
    layers: list[Any] = []
    if forecast_rows:
        layers += _band_layers(x, ("#b9d7ec", "#6fa8d0"))
    observed = alt.Chart(_data("rows")).encode(
        x=x,
        y=_y("value"),
        color=color,
        tooltip=[
            alt.Tooltip("series:N", title=_("Country")),
            alt.Tooltip("day:T", title=_("Date"), format="%d %b %Y"),
            alt.Tooltip("value:Q", title=_("Arrivals"), format=","),
        ],
    )
    layers += [observed.mark_line(strokeWidth=2).encode(strokeDash=dash), observed.mark_circle(size=12)]
    if forecast_rows:
        predicted = alt.Chart(_data("forecast")).encode(
            x=x, y=_y("value"), color=color, tooltip=_forecast_tooltip()
        )
        layers += [
            predicted.mark_line(strokeWidth=2.5).encode(strokeDash=dash),
            predicted.mark_point(size=16, filled=False),
        ]
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
    return _finish(
        alt.layer(*layers),
        _("Daily arrivals in %(country)s and its neighbours on the route (persons per day)")
        % {"country": name},
        _subtitle(
            timeline,
            [_source(timeline) + " " + _("Dashed vertical lines: measures taking effect.")],
            regional=False,
        ),
        _("Line chart of daily arrivals in %(country)s, with its upstream and downstream neighbours.")
        % {"country": name},
        {"rows": rows, "markers": markers, "forecast": forecast_rows},
    )


def regional_chart(timeline: Timeline) -> dict[str, Any] | None:
    """The region's daily arrivals stacked by country; the forecast of the stack's total (dash-dot,
    dark) with its 80 % and 95 % bands after the period, when there is one."""
    rows = [
        {"day": day.isoformat(), "country": s.name, "value": value}
        for s in timeline.regional
        for day, value in zip(timeline.days, s.values, strict=True)
        if value is not None
    ]
    if not rows:
        return None
    forecast = _drawn_forecast(timeline, regional=True)
    x = _x(timeline.date_from, forecast.days[-1] if forecast else timeline.date_to)
    layers: list[Any] = [
        alt.Chart(_data("rows"))
        .mark_area(opacity=0.85)
        .encode(
            x=x,
            y=alt.Y(
                "value:Q", stack="zero", title=_("Arrivals (persons per day)"), axis=alt.Axis(format=",d")
            ),
            color=alt.Color(
                "country:N", title=_("Country"), scale=alt.Scale(range=PALETTE), legend=alt.Legend(columns=3)
            ),
            tooltip=[
                alt.Tooltip("country:N", title=_("Country")),
                alt.Tooltip("day:T", title=_("Date"), format="%d %b %Y"),
                alt.Tooltip("value:Q", title=_("Arrivals"), format=","),
            ],
        )
    ]
    forecast_rows: list[dict[str, Any]] = []
    if forecast is not None:
        label = _forecast_label(forecast, _("Total of the region"))
        last = [s.values[-1] for s in timeline.regional if s.values[-1] is not None]
        forecast_rows = _forecast_rows(forecast, label, sum(last) if last else None)
        layers += _band_layers(x, ("#d4d8dd", "#9aa3ad"))
        predicted = alt.Chart(_data("forecast")).encode(x=x, y=_y("value"), tooltip=_forecast_tooltip())
        dash = alt.StrokeDash(
            "series:N",
            title=_("Forecast"),
            scale=alt.Scale(domain=[label], range=[ROLE_DASH["forecast"]]),
            legend=_dash_legend(),
        )
        layers += [
            predicted.mark_line(color="#1b2733", strokeWidth=2.5).encode(strokeDash=dash),
            predicted.mark_point(color="#1b2733", size=16, filled=False),
        ]
    return _finish(
        alt.layer(*layers),
        _("Daily arrivals along the route, stacked by country (persons per day)"),
        _subtitle(timeline, [_source(timeline)], regional=True),
        _("Stacked area chart of the daily arrivals of every country of the route."),
        {"rows": rows, "forecast": forecast_rows},
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


def capacity_rows(view: Any) -> list[dict[str, Any]]:
    """The rows of the capacity chart: a site's places and the persons present, per day."""
    rows = []
    for day, places, present in zip(view.days, view.capacity, view.present, strict=True):
        if places is not None:
            rows.append({"day": day.isoformat(), "series": _("Capacity (places)"), "value": places})
        if present is not None:
            rows.append({"day": day.isoformat(), "series": _("Present (persons)"), "value": present})
    return rows
