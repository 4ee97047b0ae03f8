"""Reception capacity: the sites' places (gazetteer SiteCapacity) against the persons present in them
(flows indicator PRESENT, "present in sites at end of day"), over time, per country and region-wide,
against the pledges of the Leaders' meeting, and the days until full at the current trend.

Rules (docs/situation.md repeats them):
- A site's capacity on a day is its latest SiteCapacity valid from that day or before; a site with
  none has unknown capacity and is left out of the capacity totals (its occupancy still counts in
  "present", and is shown as such).
- Occupancy of a day: the sum of the PRESENT totals reported for the sites (only what the caller may
  read; "as of" a time, the revisions current then). A missing figure stays missing.
- Days until full: the least-squares slope of occupancy over the last TREND_DAYS days with figures
  (at least TREND_MIN_POINTS); if it is positive, (capacity - occupancy) / slope, rounded down; if the
  occupancy already reaches the capacity, 0; with a flat or falling trend, none ("not at this trend").
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from seemix.core.access import Principal
from seemix.core.errors import FieldError, InvalidInput
from seemix.flows import queries as flow_queries
from seemix.flows.models import Observation
from seemix.gazetteer.models import Country, ReceptionSite, SiteCapacity
from seemix.situation.services.timelines import period

TREND_DAYS = 7
TREND_MIN_POINTS = 4
SOURCE = "seemix: gazetteer site capacities (each with its own source) and daily PRESENT reports"


@dataclass(frozen=True)
class Pledge:
    places: int
    where: str
    countries: tuple[str, ...]  # () = along the route, outside Greece
    source: str


# The Leaders' Meeting on refugee flows along the Western Balkans route (Brussels, 25 October 2015),
# Leaders' Statement, 17-point plan, under "Supporting refugees and providing shelter and rest":
# Greece to reach 30,000 reception places by the end of 2015 and UNHCR to support rent subsidies and
# host families for at least 20,000 more (50,000 in Greece), and UNHCR with the international
# financial institutions to support 50,000 more reception places along the Western Balkans route.
LEADERS_MEETING_SOURCE = (
    "Leaders' Meeting on refugee flows along the Western Balkans Route, Brussels, 25 October 2015: "
    "Leaders' Statement (17-point plan), 'Supporting refugees and providing shelter and rest'"
)
PLEDGES = (
    Pledge(50_000, str(_("in Greece")), ("GR",), LEADERS_MEETING_SOURCE),
    Pledge(50_000, str(_("along the Western Balkans route")), (), LEADERS_MEETING_SOURCE),
)


@dataclass
class SiteRow:
    code: str
    name: str
    country: str
    capacity: int | None
    present: int | None
    share: float | None


@dataclass
class CapacityView:
    country: str | None
    date_from: dt.date
    date_to: dt.date
    as_of: dt.datetime | None
    days: list[dt.date]
    capacity: list[int | None]  # places per day (sites with a known capacity)
    present: list[int | None]  # persons present per day
    sites: list[SiteRow] = field(default_factory=list)  # on the last day
    pledges: list[dict[str, Any]] = field(default_factory=list)
    days_until_full: int | None = None
    trend_per_day: float | None = None
    source: str = SOURCE


def capacities_by_day(site_ids: list[int], days: list[dt.date]) -> dict[int, list[int | None]]:
    rows = SiteCapacity.objects.filter(site_id__in=site_ids, valid_from__lte=days[-1]).order_by(
        "site_id", "valid_from", "pk"
    )
    steps: dict[int, list[tuple[dt.date, int]]] = {}
    for site_id, valid_from, places in rows.values_list("site_id", "valid_from", "capacity"):
        steps.setdefault(site_id, []).append((valid_from, places))
    out = {}
    for site_id in site_ids:
        values: list[int | None] = []
        for day in days:
            valid = [p for start, p in steps.get(site_id, []) if start <= day]
            values.append(valid[-1] if valid else None)
        out[site_id] = values
    return out


def present_by_site(
    principal: Principal, site_ids: list[int], start: dt.date, end: dt.date, as_of: dt.datetime | None
) -> dict[int, dict[dt.date, int]]:
    revisions = flow_queries.current_revisions(principal, as_of=as_of).filter(
        report__periodicity="daily", report__period_start__range=(start, end)
    )
    rows = (
        Observation.objects.filter(
            revision__in=revisions.values("pk"),
            indicator__code="PRESENT",
            breakdown="",
            value__isnull=False,
            date__range=(start, end),
            site_id__in=site_ids,
        )
        .values("site_id", "date")
        .annotate(total=Sum("value"))
        .order_by()
    )
    out: dict[int, dict[dt.date, int]] = {}
    for row in rows:
        out.setdefault(row["site_id"], {})[row["date"]] = row["total"]
    return out


def days_until_full(
    days: list[dt.date], present: list[int | None], capacity: int | None
) -> tuple[int | None, float | None]:
    """(days until occupancy reaches capacity at the trend of the last TREND_DAYS figures, slope)."""
    points = [(d.toordinal(), v) for d, v in zip(days, present, strict=True) if v is not None][-TREND_DAYS:]
    if capacity is None or len(points) < TREND_MIN_POINTS:
        return None, None
    x = np.array([p[0] for p in points], dtype=float)
    y = np.array([p[1] for p in points], dtype=float)
    slope = float(np.polyfit(x - x[0], y, 1)[0])
    latest = points[-1][1]
    if latest >= capacity:
        return 0, slope
    if slope <= 0:
        return None, slope
    return math.floor((capacity - latest) / slope), slope


def _sum(values: list[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return sum(known) if known else None


def build_capacity(
    principal: Principal,
    *,
    country: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    as_of: dt.datetime | None = None,
) -> CapacityView:
    flow_queries.require_reader(principal)
    code = country.strip().upper() if country else None
    if code is not None and not Country.objects.filter(code=code).exists():
        raise InvalidInput(FieldError("country", str(_("There is no country %(code)r.")) % {"code": country}))
    start, end = period(date_from, date_to, (as_of or dt.datetime.now(dt.UTC)).date())
    days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    sites = list(ReceptionSite.objects.filter(**({"country_id": code} if code else {})).order_by("code"))
    ids = [s.pk for s in sites]
    caps = capacities_by_day(ids, days)
    present = present_by_site(principal, ids, start, end, as_of)
    capacity_total = [_sum([caps[s][i] for s in ids]) for i in range(len(days))]
    present_total = [_sum([present.get(s, {}).get(d) for s in ids]) for d in days]
    view = CapacityView(code, start, end, as_of, days, capacity_total, present_total)
    for site in sites:
        cap, now = caps[site.pk][-1], present.get(site.pk, {}).get(end)
        share = round(now / cap, 4) if cap and now is not None else None
        view.sites.append(SiteRow(site.code, site.name_latin, site.country_id, cap, now, share))
    latest_capacity = capacity_total[-1]
    view.days_until_full, view.trend_per_day = days_until_full(days, present_total, latest_capacity)
    for pledge in PLEDGES:
        in_scope = [r for r in view.sites if (r.country in pledge.countries) == bool(pledge.countries)]
        if code is not None and not in_scope:
            continue
        view.pledges.append(
            {
                "places": pledge.places,
                "where": pledge.where,
                "countries": list(pledge.countries),
                "source": pledge.source,
                "recorded_capacity": _sum([r.capacity for r in in_scope]),
            }
        )
    return view
