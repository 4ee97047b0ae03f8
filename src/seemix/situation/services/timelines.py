"""Timelines: a country's daily arrivals with its upstream and downstream neighbours' overlaid, the
measures as markers, and the region's arrivals stacked by country, for any period, "as of" any time.

- Neighbours come from the route graph (gazetteer RouteEdge collapsed to countries, as the measures'
  addressees are): upstream, the countries with a leg into the country; downstream, those it has a
  leg to. In 2015-16 a neighbour's curve lags by 0-2 days: shown as it is, not shifted.
- A country's arrivals of a day are the sum of its daily ARRIVALS totals over all its places
  (timeline_series). A day without a figure is missing (None), never zero.
- Markers: the measures the caller may read issued by the country or one of its neighbours, or
  about a border section of the country, placed on their effective start within the period.
- "As of" T: the reports' revisions current at T (flows keeps every revision), and the measures
  first notified by T.
- The forecast of the 14 days after the period is attached by services.timeline_forecast (it reads
  services.forecasts, which reads this module's route graph: not imported here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from seemix.core.access import Principal
from seemix.core.errors import FieldError, InvalidInput
from seemix.flows import queries as flow_queries
from seemix.flows.models import Observation
from seemix.gazetteer.models import Country
from seemix.measures.addressees import country_route_graph
from seemix.measures.models import MeasureStatus
from seemix.measures.queries import visible_measures

if TYPE_CHECKING:  # timeline_forecast reads this module: no import at run time
    from seemix.situation.services.timeline_forecast import TimelineForecast

MAX_DAYS = 3 * 366
DEFAULT_DAYS = 90
INDICATOR = "ARRIVALS"
SOURCE = "seemix: daily reports of the participants (indicator ARRIVALS, current revisions)"


@dataclass
class Series:
    country: str
    name: str
    role: str  # "country", "upstream", "downstream"
    values: list[int | None]


@dataclass
class Marker:
    measure_id: int
    issuer: str
    title: str
    type: str
    day: dt.date
    status: str


@dataclass
class Timeline:
    country: str | None
    date_from: dt.date
    date_to: dt.date
    as_of: dt.datetime | None
    days: list[dt.date]
    series: list[Series] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    # The region stacked: every country with a figure in the period.
    regional: list[Series] = field(default_factory=list)
    source: str = SOURCE
    unit: str = "persons per day"
    # 1..14 days after date_to (services.timeline_forecast.attach_forecast), or why there is none.
    forecast: TimelineForecast | None = None
    forecast_note: str | None = None


def period(date_from: dt.date | None, date_to: dt.date | None, latest: dt.date) -> tuple[dt.date, dt.date]:
    """The period asked for: default the DEFAULT_DAYS days up to ``latest``; checked."""
    end = date_to or (date_from + dt.timedelta(days=DEFAULT_DAYS - 1) if date_from else latest)
    start = date_from or end - dt.timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise InvalidInput(FieldError("date_from", _("The period starts after it ends.")))
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidInput(
            FieldError("date_to", _("A timeline covers at most %(n)d days.") % {"n": MAX_DAYS}, "too_long")
        )
    return start, end


def neighbours(country: str, graph: dict[str, set[str]] | None = None) -> tuple[list[str], list[str]]:
    """(upstream, downstream) countries of ``country`` on the route graph; pass ``graph`` (from
    ``country_route_graph()``) when asking for several countries, to check the graph once."""
    graph = country_route_graph() if graph is None else graph
    upstream = sorted(c for c, targets in graph.items() if country in targets and c != country)
    downstream = sorted(c for c in graph.get(country, set()) if c != country)
    return upstream, downstream


def arrivals_by_country(
    principal: Principal, start: dt.date, end: dt.date, *, as_of: dt.datetime | None
) -> dict[str, dict[dt.date, int]]:
    """{country: {day: arrivals}} of what the principal may read: one GROUP BY."""
    revisions = flow_queries.current_revisions(principal, as_of=as_of).filter(
        report__periodicity="daily", report__period_start__range=(start, end)
    )
    rows = (
        Observation.objects.filter(
            revision__in=revisions.values("pk"),
            indicator__code=INDICATOR,
            breakdown="",
            value__isnull=False,
            date__range=(start, end),
        )
        .values("country_id", "date")
        .annotate(total=Sum("value"))
        .order_by()
    )
    out: dict[str, dict[dt.date, int]] = {}
    for row in rows:
        out.setdefault(str(row["country_id"]), {})[row["date"]] = row["total"]
    return out


def _markers(
    principal: Principal, countries: list[str], start: dt.date, end: dt.date, as_of: dt.datetime | None
) -> list[Marker]:
    measures = (
        visible_measures(principal)
        .filter(status__in=MeasureStatus.values)
        .exclude(status=MeasureStatus.DRAFT)
    )
    if as_of is not None:
        measures = measures.filter(first_notified_at__lte=as_of)
    about = (
        Q(issuer__code__in=countries)
        | Q(border_sections__country_a_id__in=countries)
        | Q(border_sections__country_b_id__in=countries)
    )
    found = []
    for measure in measures.filter(about).select_related("issuer").distinct().order_by("pk"):
        day = measure.effective_start.date()
        if start <= day <= end:
            found.append(
                Marker(
                    measure.pk,
                    measure.issuer.code,
                    measure.title,
                    measure.get_type_display(),
                    day,
                    measure.status,
                )
            )
    return sorted(found, key=lambda m: (m.day, m.measure_id))


def build_timeline(
    principal: Principal,
    *,
    country: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    as_of: dt.datetime | None = None,
) -> Timeline:
    flow_queries.require_reader(principal)
    names = dict(Country.objects.values_list("code", "name"))
    code = country.strip().upper() if country else None
    if code is not None and code not in names:
        raise InvalidInput(FieldError("country", _("There is no country %(code)r.") % {"code": country}))
    latest = (as_of or dt.datetime.now(dt.UTC)).date()
    start, end = period(date_from, date_to, latest)
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    figures = arrivals_by_country(principal, start, end, as_of=as_of)
    timeline = Timeline(code, start, end, as_of, days)

    def series(c: str, role: str) -> Series:
        by_day = figures.get(c, {})
        return Series(c, names.get(c, c), role, [by_day.get(d) for d in days])

    if code is not None:
        upstream, downstream = neighbours(code)
        timeline.series = [
            series(code, "country"),
            *[series(c, "upstream") for c in upstream],
            *[series(c, "downstream") for c in downstream],
        ]
        timeline.markers = _markers(principal, [code, *upstream, *downstream], start, end, as_of)
    else:
        timeline.markers = _markers(principal, sorted(figures), start, end, as_of)
    timeline.regional = [series(c, "region") for c in sorted(figures)]
    return timeline
