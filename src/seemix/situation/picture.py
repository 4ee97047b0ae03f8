"""The regional picture of one day: per country, per border section, per place, and region-wide.

``build_picture(principal, day, as_of)`` reads through picture_data (the principal's visibility,
a fixed number of queries) and returns typed dataclasses the page, the map and the API share.

How the figures are put together (docs/situation.md says the same for readers):

- A country's figure of an indicator is the sum of its figures at every place of its reports that
  day (the country as a whole, its border sections, crossing points and sites): the places of a
  report are taken as disjoint, as the demo's Greek report is (islands at GR-TR, mainland at GR).
- Occupancy is the persons present at sites that have a recorded capacity, over that capacity.
- The flow across a border section, in each direction A -> B, has two counts: the destination's
  (B's arrivals reported at the section, at its crossing points, or with A as counterpart) and the
  origin's (A's exits with B as counterpart or at the section's places). Their difference is
  destination minus origin. The flow shown is the destination's count, else the origin's; where
  neither side counted at the border but B has only one leg of the route arriving that day, B's
  whole arrivals are the leg's flow, marked "inferred".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from seemix.core.access import Principal
from seemix.directory.models import STATE_KINDS, Participant
from seemix.flows.queries import require_reader
from seemix.gazetteer.models import BorderSection, Country
from seemix.measures.models import MeasureType
from seemix.situation import picture_data as data
from seemix.situation.picture_data import FigureKey, Freshness, ImpactOnDay, MeasureOnDay

NEAR_FULL = 0.9  # a site at or above 90 % of its capacity is "near full" (the alert's threshold too)
CLOSING_TYPES = {MeasureType.CLOSURE}


@dataclass
class CountryFigures:
    code: str
    name: str
    seecp: bool
    arrivals: int | None = None
    exits: int | None = None
    exits_by_destination: dict[str, int] = field(default_factory=dict)
    present: int | None = None
    stranded: int | None = None
    capacity: int | None = None  # places at the country's open sites with a recorded capacity
    present_at_sites_with_capacity: int | None = None
    label_longitude: float = 0.0
    label_latitude: float = 0.0

    @property
    def occupancy(self) -> float | None:
        if not self.capacity or self.present_at_sites_with_capacity is None:
            return None
        return self.present_at_sites_with_capacity / self.capacity

    @property
    def occupancy_percent(self) -> int | None:
        return None if self.occupancy is None else round(self.occupancy * 100)

    @property
    def has_figures(self) -> bool:
        return any(v is not None for v in (self.arrivals, self.exits, self.present, self.stranded))


@dataclass
class DirectionFlow:
    origin: str
    destination: str
    counted_by_origin: int | None = None
    counted_by_destination: int | None = None
    inferred: int | None = None

    @property
    def difference(self) -> int | None:
        if self.counted_by_origin is None or self.counted_by_destination is None:
            return None
        return self.counted_by_destination - self.counted_by_origin

    @property
    def flow(self) -> int | None:
        for value in (self.counted_by_destination, self.counted_by_origin, self.inferred):
            if value is not None:
                return value
        return None

    @property
    def basis(self) -> str:
        if self.counted_by_destination is not None:
            return "destination"
        if self.counted_by_origin is not None:
            return "origin"
        return "inferred" if self.inferred is not None else "none"


@dataclass
class SectionPicture:
    code: str
    name: str
    country_a: str
    country_b: str
    pk: int
    directions: list[DirectionFlow]
    stranded: int | None
    impact: ImpactOnDay | None
    measures_in_force: list[MeasureOnDay]
    measures_announced: list[MeasureOnDay]

    @property
    def flow(self) -> int | None:
        values = [d.flow for d in self.directions if d.flow is not None]
        return sum(values) if values else None

    @property
    def is_notable(self) -> bool:
        """Worth a line on the regional map and table: a flow, stranded people, a measure, or a level
        above low (the 42 sections at "low" with nothing to tell are on their own pages)."""
        return bool(
            self.flow is not None or self.stranded is not None or self.measures_in_force
            or self.measures_announced or (self.impact is not None and self.impact.level != "low")
        )  # fmt: skip


@dataclass
class CrossingState:
    code: str
    name: str
    country: str
    border_section: str | None
    longitude: float
    latitude: float
    state: str  # open, restricted (a measure in force covers it), closed (a closure in force)
    arrivals: int | None
    exits: int | None

    @property
    def state_label(self) -> str:
        return str(CROSSING_STATE_LABELS[self.state])


@dataclass
class SiteState:
    code: str
    name: str
    country: str
    kind: str
    longitude: float
    latitude: float
    capacity: int | None
    present: int | None
    state: str  # closed, open, near_full, over_capacity, no_capacity

    @property
    def state_label(self) -> str:
        return str(SITE_STATE_LABELS[self.state])

    @property
    def occupancy(self) -> float | None:
        if not self.capacity or self.present is None:
            return None
        return self.present / self.capacity

    @property
    def occupancy_percent(self) -> int | None:
        return None if self.occupancy is None else round(self.occupancy * 100)


@dataclass
class Leg:
    """A leg of the route between two countries on the day (crossing points and sites contracted)."""

    origin: str
    destination: str
    section: str | None
    flow: int | None
    basis: str


@dataclass
class Totals:
    arrivals: int | None
    exits: int | None
    present: int | None
    stranded: int | None
    capacity: int | None
    present_at_sites_with_capacity: int | None

    @property
    def occupancy(self) -> float | None:
        if not self.capacity or self.present_at_sites_with_capacity is None:
            return None
        return self.present_at_sites_with_capacity / self.capacity

    @property
    def occupancy_percent(self) -> int | None:
        return None if self.occupancy is None else round(self.occupancy * 100)


@dataclass
class Picture:
    day: date | None  # None: nothing visible has been reported yet
    as_of: datetime | None
    latest_day: date | None
    countries: list[CountryFigures]
    sections: list[SectionPicture]
    crossing_points: list[CrossingState]
    sites: list[SiteState]
    legs: list[Leg]
    totals: Totals
    freshness: list[Freshness]
    generated_at: datetime

    def country(self, code: str) -> CountryFigures | None:
        return next((c for c in self.countries if c.code == code), None)

    def section(self, code: str) -> SectionPicture | None:
        return next((s for s in self.sections if s.code == code), None)


def _add(total: int | None, value: int | None) -> int | None:
    if value is None:
        return total
    return value if total is None else total + value


def _sum(values: list[int | None]) -> int | None:
    total: int | None = None
    for value in values:
        total = _add(total, value)
    return total


def build_picture(principal: Principal, day: date | None = None, as_of: datetime | None = None) -> Picture:
    """The picture of ``day`` (default: the latest day with a visible report) as known at ``as_of``
    (default: now). Only figures the principal may read are counted."""
    require_reader(principal)
    latest = data.latest_day(principal, as_of=as_of)
    day = day or latest
    countries = {
        c.code: CountryFigures(c.code, c.name, c.is_seecp_participant,
                               label_longitude=c.label_longitude, label_latitude=c.label_latitude)
        for c in Country.objects.only("code", "name", "is_seecp_participant", "label_longitude",
                                      "label_latitude").order_by("code")
    }  # fmt: skip
    states = list(
        Participant.objects.filter(kind__in=list(STATE_KINDS), is_active=True).values_list("code", "name")
    )
    if day is None:
        empty = Totals(None, None, None, None, None, None)
        return Picture(None, as_of, None, list(countries.values()), [], [], [], [], empty,
                       data.freshness(principal, timezone.localdate(), states, as_of=as_of),
                       timezone.now())  # fmt: skip
    found = data.figures(principal, day, day, as_of=as_of)
    points = data.crossing_points()
    sections = list(
        BorderSection.objects.only("pk", "code", "name", "country_a", "country_b").order_by("code")
    )
    section_code = {s.pk: s.code for s in sections}
    point_section = {p.pk: p.border_section_id for p in points}
    _country_figures(countries, found)
    site_rows = data.sites_with_capacity(day, as_of=as_of)
    sites = _sites(countries, found, site_rows, day)
    measures = data.measures_on(principal, day, as_of=as_of)
    impacts = data.impacts_on(day, as_of=as_of)
    site_country = {site.pk: site.country_id for site, _capacity in site_rows}
    pairs = _country_pairs(data.route_edges(day), {p.pk: p.country_id for p in points}, site_country)
    section_pictures = [
        _section(s, found, point_section, pairs, countries, measures, impacts.get(s.pk), points)
        for s in sections
    ]
    legs = []
    by_code = {s.code: s for s in section_pictures}
    for origin, destination in sorted(pairs):
        code = "-".join(sorted((origin, destination)))
        section = by_code.get(code)
        direction = (
            next(d for d in section.directions if d.origin == origin and d.destination == destination)
            if section
            else None
        )
        legs.append(
            Leg(origin, destination, code if section else None, direction.flow if direction else None,
                direction.basis if direction else "none")
        )  # fmt: skip
    all_countries = list(countries.values())
    totals = Totals(
        _sum([c.arrivals for c in all_countries]),
        _sum([c.exits for c in all_countries]),
        _sum([c.present for c in all_countries]),
        _sum([c.stranded for c in all_countries]),
        _sum([c.capacity for c in all_countries]),
        _sum([c.present_at_sites_with_capacity for c in all_countries]),
    )
    return Picture(
        day=day,
        as_of=as_of,
        latest_day=latest,
        countries=all_countries,
        sections=section_pictures,
        crossing_points=_crossings(points, found, measures, section_code),
        sites=sites,
        legs=legs,
        totals=totals,
        freshness=data.freshness(principal, day, states, as_of=as_of),
        generated_at=timezone.now(),
    )


def _country_figures(countries: dict[str, CountryFigures], found: dict[FigureKey, int]) -> None:
    for key, value in found.items():
        country = countries.get(key.country)
        if country is None:
            continue
        if key.indicator == "ARRIVALS":
            country.arrivals = _add(country.arrivals, value)
        elif key.indicator == "EXITS":
            country.exits = _add(country.exits, value)
            if key.counterpart:
                country.exits_by_destination[key.counterpart] = (
                    country.exits_by_destination.get(key.counterpart, 0) + value
                )
        elif key.indicator == "PRESENT":
            country.present = _add(country.present, value)
        elif key.indicator == "STRANDED":
            country.stranded = _add(country.stranded, value)


def _sites(
    countries: dict[str, CountryFigures], found: dict[FigureKey, int], sites, day: date
) -> list[SiteState]:  # type: ignore[no-untyped-def]
    present: dict[int, int] = defaultdict(int)
    for key, value in found.items():
        if key.indicator == "PRESENT" and key.site is not None:
            present[key.site] += value
    out = []
    for site, capacity in sites:
        is_open = (site.opened_on is None or site.opened_on <= day) and (
            site.closed_on is None or site.closed_on >= day
        )
        here = present.get(site.pk)
        if not is_open:
            state = "closed"
        elif capacity is None:
            state = "no_capacity"
        elif here is not None and capacity and here > capacity:
            state = "over_capacity"
        elif here is not None and capacity and here >= NEAR_FULL * capacity:
            state = "near_full"
        else:
            state = "open"
        if is_open and capacity is not None and site.country_id in countries:
            country = countries[site.country_id]
            country.capacity = _add(country.capacity, capacity)
            if here is not None:
                country.present_at_sites_with_capacity = _add(country.present_at_sites_with_capacity, here)
        out.append(SiteState(site.code, site.name_latin, site.country_id, site.kind, site.longitude,
                             site.latitude, capacity if is_open else None, here, state))  # fmt: skip
    return out


def _country_pairs(
    edges: list[data.EdgeEnds], points: dict[int, str], sites: dict[int, str]
) -> set[tuple[str, str]]:
    """(origin country, destination country) of every edge in use that crosses a border."""
    pairs = set()
    for edge in edges:
        origin = data.end_country(edge.origin, points, sites)
        destination = data.end_country(edge.destination, points, sites)
        if origin != destination:
            pairs.add((origin, destination))
    return pairs


def _section(  # type: ignore[no-untyped-def]
    section: BorderSection,
    found: dict[FigureKey, int],
    point_section: dict[int, int | None],
    pairs: set[tuple[str, str]],
    countries: dict[str, CountryFigures],
    measures: list[MeasureOnDay],
    impact: ImpactOnDay | None,
    points,
) -> SectionPicture:
    a, b = section.country_a_id, section.country_b_id
    directions = {(a, b): DirectionFlow(a, b), (b, a): DirectionFlow(b, a)}
    stranded: int | None = None
    for key, value in found.items():
        at_section = key.border_section == section.pk or (
            key.crossing_point is not None and point_section.get(key.crossing_point) == section.pk
        )
        if key.indicator == "STRANDED" and at_section:
            stranded = _add(stranded, value)
        elif key.indicator == "ARRIVALS" and key.country in (a, b):
            other = b if key.country == a else a
            if at_section or key.counterpart == other:
                flow = directions[(other, key.country)]
                flow.counted_by_destination = _add(flow.counted_by_destination, value)
        elif key.indicator == "EXITS" and key.country in (a, b):
            other = b if key.country == a else a
            if key.counterpart == other or (at_section and not key.counterpart):
                flow = directions[(key.country, other)]
                flow.counted_by_origin = _add(flow.counted_by_origin, value)
    inbound: dict[str, int] = defaultdict(int)
    for _origin, destination in pairs:
        inbound[destination] += 1
    for (origin, destination), flow in directions.items():
        if (origin, destination) in pairs and inbound[destination] == 1 and flow.flow is None:
            flow.inferred = countries[destination].arrivals if destination in countries else None
    points_here = {p.pk for p in points if p.border_section_id == section.pk}
    covering = [m for m in measures if section.pk in m.border_sections or m.crossing_points & points_here]
    shown = [d for d in directions.values() if (d.origin, d.destination) in pairs or d.flow is not None]
    return SectionPicture(
        section.code, section.name, a, b, section.pk, shown, stranded, impact,
        [m for m in covering if m.in_force], [m for m in covering if not m.in_force],
    )  # fmt: skip


def _crossings(
    points, found: dict[FigureKey, int], measures: list[MeasureOnDay], section_code
) -> list[CrossingState]:  # type: ignore[no-untyped-def]
    arrivals: dict[int, int] = defaultdict(int)
    exits: dict[int, int] = defaultdict(int)
    for key, value in found.items():
        if key.crossing_point is None:
            continue
        if key.indicator == "ARRIVALS":
            arrivals[key.crossing_point] += value
        elif key.indicator == "EXITS":
            exits[key.crossing_point] += value
    out = []
    for point in points:
        covering = [
            m for m in measures
            if m.in_force and (point.pk in m.crossing_points or point.border_section_id in m.border_sections)
        ]  # fmt: skip
        if any(m.type in CLOSING_TYPES for m in covering):
            state = "closed"
        elif covering:
            state = "restricted"
        else:
            state = "open"
        out.append(
            CrossingState(point.code, point.name_latin, point.country_id,
                          section_code.get(point.border_section_id), point.longitude, point.latitude, state,
                          arrivals.get(point.pk), exits.get(point.pk))
        )  # fmt: skip
    return out


CROSSING_STATE_LABELS = {
    "open": _("open"),
    "restricted": _("restricted by a measure in force"),
    "closed": _("closed by a measure in force"),
}
SITE_STATE_LABELS = {
    "open": _("open"),
    "no_capacity": _("open, no capacity recorded"),
    "near_full": _("at or above 90 per cent of capacity"),
    "over_capacity": _("over capacity"),
    "closed": _("not open that day"),
}
