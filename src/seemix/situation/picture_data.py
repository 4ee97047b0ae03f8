"""The reads behind the picture: a fixed handful of queries, whatever the number of places.

Every figure comes through ``seemix.flows.queries`` with the acting principal, so a report the
principal may not read (a RESTRICTED report of another participant) adds nothing to any total. The
observations are summed in the database (one GROUP BY per call); the reference data (places, route,
capacities) is read once per call and joined in Python by key, never a query per place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, Sum

from seemix.core.access import Principal
from seemix.flows import queries as flow_queries
from seemix.flows.models import Indicator, Periodicity, Report
from seemix.gazetteer.models import BorderSection, CrossingPoint, ReceptionSite, RouteEdge, SiteCapacity
from seemix.measures import queries as measure_queries
from seemix.measures.models import MeasureStatus
from seemix.situation.models import AssessmentSource, ImpactAssessment

# The daily indicators the picture reads (flows/data/indicators.json).
PICTURE_INDICATORS = ("ARRIVALS", "EXITS", "PRESENT", "STRANDED")


@dataclass(frozen=True, slots=True)
class FigureKey:
    """Where a summed figure was reported: the day, the indicator and the place it names."""

    day: date
    indicator: str
    country: str
    crossing_point: int | None
    site: int | None
    border_section: int | None
    counterpart: str | None


def latest_day(principal: Principal, *, as_of: datetime | None = None) -> date | None:
    """The latest day with a daily report the principal may read (as known at ``as_of``).

    Walks the reports from the newest period down (report_period_idx) and stops at the first with a
    visible revision, rather than aggregating over every revision ever submitted."""
    visible = flow_queries.current_revisions(principal, as_of=as_of).filter(report_id=OuterRef("pk"))
    newest = (
        Report.objects.filter(periodicity=Periodicity.DAILY)
        .filter(Exists(visible))
        .order_by("-period_start")
        .values_list("period_start", flat=True)[:1]
    )
    return next(iter(newest), None)


def figures(
    principal: Principal, date_from: date, date_to: date, *, as_of: datetime | None = None
) -> dict[FigureKey, int]:
    """Totals (no breakdown) of the picture's indicators per day and place, summed over the visible
    current (or ``as_of``) revisions. A figure reported as not available is left out: missing
    stays missing, and a place whose figures are all missing has no key at all."""
    codes = dict(Indicator.objects.filter(code__in=PICTURE_INDICATORS).values_list("pk", "code"))
    rows = (
        flow_queries.observations_visible_to(
            principal,
            date_from=date_from,
            date_to=date_to,
            periodicity=Periodicity.DAILY,
            breakdown="total",
            as_of=as_of,
        )
        .filter(indicator_id__in=list(codes), value__isnull=False)
        .order_by()
        .values_list(
            "date",
            "indicator_id",
            "country_id",
            "crossing_point_id",
            "site_id",
            "border_section_id",
            "counterpart_country_id",
        )
        .annotate(total=Sum("value"))
    )
    return {
        FigureKey(day, codes[indicator], country, point, site, section, counterpart): total
        for day, indicator, country, point, site, section, counterpart, total in rows
    }


@dataclass(frozen=True, slots=True)
class Freshness:
    participant: str
    name: str
    latest_day: date | None
    last_submitted_at: datetime | None
    days_behind: int | None  # None: nothing reported

    @property
    def reported_on_day(self) -> bool:
        return self.days_behind == 0


# Freshness looks this far back: a participant silent for longer shows "no report" (and the read
# stays bounded however many years of reports are stored).
FRESHNESS_WINDOW_DAYS = 60


def freshness(
    principal: Principal, day: date, participants: list[tuple[str, str]], *, as_of: datetime | None
) -> list[Freshness]:
    """Each participant's latest visible daily report in the ``FRESHNESS_WINDOW_DAYS`` up to ``day``,
    and when it was last submitted."""
    rows = (
        flow_queries.current_revisions(principal, as_of=as_of)
        .filter(
            report__periodicity=Periodicity.DAILY,
            report__period_start__lte=day,
            report__period_start__gt=day - timedelta(days=FRESHNESS_WINDOW_DAYS),
        )
        .order_by()
        .values_list("participant__code", "participant__name")
        .annotate(latest=Max("report__period_start"), submitted=Max("submitted_at"))
    )
    found = {code: (name, latest, submitted) for code, name, latest, submitted in rows}
    names = dict(participants)
    names.update({code: name for code, (name, _l, _s) in found.items()})
    out = []
    for code in sorted(names):
        _name, latest, submitted = found.get(code, (names[code], None, None))
        behind = (day - latest).days if latest is not None else None
        out.append(Freshness(code, names[code], latest, submitted, behind))
    return out


# --- reference data -----------------------------------------------------------------------------


def crossing_points() -> list[CrossingPoint]:
    fields = ("pk", "code", "name_latin", "country", "border_section", "latitude", "longitude", "kind")
    return list(CrossingPoint.objects.only(*fields).order_by("code"))


def sites_with_capacity(day: date, *, as_of: datetime | None) -> list[tuple[ReceptionSite, int | None]]:
    """Every site with its capacity valid on ``day`` as recorded by ``as_of`` (None: none recorded)."""
    capacities = SiteCapacity.objects.filter(valid_from__lte=day)
    if as_of is not None:
        capacities = capacities.filter(recorded_at__lte=as_of)
    current: dict[int, tuple[date, int]] = {}
    for site_id, valid_from, capacity in capacities.values_list("site_id", "valid_from", "capacity"):
        if site_id not in current or valid_from > current[site_id][0]:
            current[site_id] = (valid_from, capacity)
    sites = ReceptionSite.objects.order_by("code")
    return [(s, current[s.pk][1] if s.pk in current else None) for s in sites]


@dataclass(frozen=True, slots=True)
class EdgeEnds:
    """A route edge by its ends' keys only (no geometry read): enough to contract it to countries."""

    origin: tuple[str | None, int | None, int | None]  # country code, crossing point id, site id
    destination: tuple[str | None, int | None, int | None]
    valid_from: date | None
    valid_until: date | None


def route_edges_between(date_from: date, date_to: date) -> list[EdgeEnds]:
    """The edges in use on some day of the period (``edge_in_use`` tells which day)."""
    rows = (
        RouteEdge.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=date_to))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=date_from))
        .order_by("pk")
        .values_list(
            "origin_country_id", "origin_crossing_point_id", "origin_site_id", "destination_country_id",
            "destination_crossing_point_id", "destination_site_id", "valid_from", "valid_until",
        )
    )  # fmt: skip
    return [EdgeEnds(tuple(r[0:3]), tuple(r[3:6]), r[6], r[7]) for r in rows]  # type: ignore[arg-type]


def route_edges(day: date) -> list[EdgeEnds]:
    return route_edges_between(day, day)


def edge_in_use(edge: EdgeEnds, day: date) -> bool:
    return (edge.valid_from is None or edge.valid_from <= day) and (
        edge.valid_until is None or edge.valid_until >= day
    )


def place_countries() -> tuple[dict[int, str], dict[int, str]]:
    """{crossing point id: country}, {site id: country}: to contract the route graph to countries."""
    points = dict(CrossingPoint.objects.values_list("pk", "country_id"))
    sites = dict(ReceptionSite.objects.values_list("pk", "country_id"))
    return points, sites


def end_country(
    end: tuple[str | None, int | None, int | None], points: dict[int, str], sites: dict[int, str]
) -> str:
    country, point, site = end
    if country is not None:
        return country
    return points[point] if point is not None else sites[site]  # type: ignore[index]


# --- measures and impact levels -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeasureOnDay:
    id: int
    title: str
    type: str
    type_label: str
    issuer: str
    status: str
    starts: datetime
    ends: datetime | None
    border_sections: frozenset[int]
    crossing_points: frozenset[int]
    in_force: bool  # False: announced (notified, starting after the day)


def measures_on(principal: Principal, day: date, *, as_of: datetime | None) -> list[MeasureOnDay]:
    """Measures in force on ``day`` and those announced for later, as known at ``as_of``.

    Known at T: notified at or before T. In force on the day: started by the day's end (its
    recorded entry into force, else its planned start) and not ended before the day began, where an
    end recorded after T was not yet known. Announced: notified and starting after the day.
    """
    day_start = datetime.combine(day, time.min, tzinfo=UTC)
    day_end = day_start + timedelta(days=1)
    moment = as_of
    measures = measure_queries.measures_visible_to(principal).filter(first_notified_at__isnull=False)
    if moment is not None:
        measures = measures.filter(first_notified_at__lte=moment)
    measures = measures.filter(Q(planned_end__isnull=True) | Q(planned_end__gte=day_start))
    out = []
    ids_only = (
        Prefetch("border_sections", queryset=BorderSection.objects.only("pk")),
        Prefetch("crossing_points", queryset=CrossingPoint.objects.only("pk")),
    )
    for m in measures.select_related("issuer").prefetch_related(*ids_only):
        ended = m.ended_at if (m.ended_at and (moment is None or m.ended_at <= moment)) else None
        if m.status == MeasureStatus.CANCELLED and ended is not None:
            continue
        if ended is not None and ended < day_start:
            continue
        in_force_at = (
            m.in_force_at if (m.in_force_at and (moment is None or m.in_force_at <= moment)) else None
        )
        start = in_force_at or m.planned_start
        if start < day_end:
            in_force = True
        elif ended is None:
            in_force = False
        else:
            continue
        out.append(
            MeasureOnDay(
                m.pk, m.title, m.type, str(m.get_type_display()),
                m.issuer.code, m.status, start, ended or m.planned_end,
                frozenset(s.pk for s in m.border_sections.all()),
                frozenset(p.pk for p in m.crossing_points.all()),
                in_force,
            )
        )  # fmt: skip
    return sorted(out, key=lambda x: (x.starts, x.id))


@dataclass(frozen=True, slots=True)
class ImpactOnDay:
    level: str
    source: str
    reason: str
    participant: str
    created_at: datetime
    evidence: dict[str, Any]


def current_impact(rows: list[ImpactAssessment]) -> ImpactOnDay | None:
    """The level of a day from its assessments: the newest manual one if any, else the newest
    computed one (a later computation never overrides a manual setting of the same day)."""
    if not rows:
        return None
    manual = [r for r in rows if r.source == AssessmentSource.MANUAL]
    chosen = max(manual or rows, key=lambda r: (r.created_at, r.pk))
    participant = chosen.participant.code if chosen.participant_id else ""  # type: ignore[union-attr]
    return ImpactOnDay(chosen.level, chosen.source, chosen.reason, participant, chosen.created_at,
                       chosen.evidence)  # fmt: skip


def impacts_on(day: date, *, as_of: datetime | None) -> dict[int, ImpactOnDay]:
    rows = ImpactAssessment.objects.filter(day=day).select_related("participant")
    if as_of is not None:
        rows = rows.filter(created_at__lte=as_of)
    by_section: dict[int, list[ImpactAssessment]] = defaultdict(list)
    for row in rows:
        by_section[row.border_section_id].append(row)
    return {section: impact for section, found in by_section.items() if (impact := current_impact(found))}
