"""Timelines and reception capacity of the regional picture, for any period, "as of" any time.

Figures are those the caller may read (RESTRICTED reports only for their participant and audience).
Both answer with the Vega-Lite specifications of their charts too (``charts``), drawn by the pages.
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from seemix.core.access import Principal
from seemix.situation import charts
from seemix.situation.api_alerts import parse_as_of
from seemix.situation.services.capacity import build_capacity
from seemix.situation.services.timeline_forecast import attach_forecast
from seemix.situation.services.timelines import build_timeline

router = Router()
TAGS = ["situation timelines"]


class SeriesOut(Schema):
    country: str
    name: str
    role: str
    values: list[int | None]


class MarkerOut(Schema):
    measure_id: int
    issuer: str
    title: str
    type: str
    day: dt.date
    status: str


class TimelineForecastOut(Schema):
    """The forecast drawn after the period: ``forecast[i]``, ``lo_80[i]``..``hi_80[i]`` and
    ``lo_95[i]``..``hi_95[i]`` are the point forecast and the 80 % and 95 % bands of ``days[i]``."""

    series: str = Field(
        description='"country:<code>" (a country\'s arrivals) or "region:arrivals" (the countries added up)'
    )
    origin: dt.date = Field(description="The last day of figures read: the period's last day")
    days: list[dt.date] = Field(description="The days forecast: 1 to 14 days after the origin")
    forecast: list[float] = Field(description="Persons per day")
    lo_80: list[float]
    hi_80: list[float]
    lo_95: list[float]
    hi_95: list[float]
    models: list[str] = Field(description="The model chosen for each day (seemix.analysis.forecasting)")
    calibrated: bool = Field(description="False while the history is too short for calibrated bands")
    method: str


class TimelineOut(Schema):
    country: str | None
    date_from: dt.date
    date_to: dt.date
    as_of: dt.datetime | None
    unit: str
    source: str
    days: list[dt.date]
    series: list[SeriesOut]
    markers: list[MarkerOut]
    regional: list[SeriesOut]
    forecast: TimelineForecastOut | None = Field(
        description="The forecast of the country's arrivals (or, without a country, of the region's "
        "total) for the 14 days after date_to, from the figures up to date_to; none for an as_of view "
        "or with fewer than 21 days of figures in the 120 up to date_to"
    )
    forecast_note: str | None = Field(description="Why there is no forecast, when there is none")
    charts: dict[str, Any]


class SiteOut(Schema):
    code: str
    name: str
    country: str
    capacity: int | None
    present: int | None
    share: float | None


class PledgeOut(Schema):
    places: int
    where: str
    countries: list[str]
    source: str
    recorded_capacity: int | None


class CapacityOut(Schema):
    country: str | None
    date_from: dt.date
    date_to: dt.date
    as_of: dt.datetime | None
    source: str
    days: list[dt.date]
    capacity: list[int | None]
    present: list[int | None]
    sites: list[SiteOut]
    pledges: list[PledgeOut]
    days_until_full: int | None
    trend_per_day: float | None
    chart: dict[str, Any] | None


def _principal(request: HttpRequest) -> Principal:
    return request.auth  # type: ignore[attr-defined]


@router.get("/situation/timelines", response=TimelineOut, tags=TAGS, summary="Arrivals over a period")
def timelines(
    request: HttpRequest,
    country: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    as_of: str | None = None,
) -> Any:
    """A country's arrivals with its upstream and downstream neighbours, measures as markers, and the
    region's arrivals by country. Default period: the 90 days up to today (or ``as_of``). With the
    forecast of the 14 days after the period (the country's arrivals, or the region's total) and
    its 80 % and 95 % bands, computed from the figures up to the period's last day."""
    principal = _principal(request)
    timeline = build_timeline(
        principal, country=country, date_from=date_from, date_to=date_to, as_of=parse_as_of(as_of)
    )
    attach_forecast(principal, timeline)
    timeline.charts = {  # type: ignore[attr-defined]
        "country": charts.country_chart(timeline),
        "regional": charts.regional_chart(timeline),
    }
    return timeline


@router.get(
    "/situation/capacity", response=CapacityOut, tags=TAGS, summary="Reception capacity over a period"
)
def capacity(
    request: HttpRequest,
    country: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    as_of: str | None = None,
) -> Any:
    """Sites' capacity and occupancy per day, the pledges of 25 October 2015, days until full."""
    view = build_capacity(
        _principal(request), country=country, date_from=date_from, date_to=date_to, as_of=parse_as_of(as_of)
    )
    view.chart = charts.capacity_chart(charts.capacity_rows(view), view.date_from, view.date_to, view.source)  # type: ignore[attr-defined]
    return view
