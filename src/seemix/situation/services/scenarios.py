"""What a measure would do along the route: the scenario built from the platform's data, run with
and without the measure (seemix.analysis.simulation does the arithmetic).

How the scenario is built, for a measure starting on day S (its planned start, or when it came
into force), as the acting principal may read it:
- Route graph: the gazetteer's route edges in use on S - 1 (the route as it stood the day before),
  kept open over the whole run, with their typical travel days. Nodes are the countries, crossing
  points and sites the edges join; a node with no edge leaving it is a destination (sink). Each
  site's capacity is its latest SiteCapacity valid on S (soft: compared, not enforced).
- Inflow: the ARRIVALS figures (totals) the principal may read across the border sections of the
  countries where the route begins (the nodes no edge enters: Turkey), from S - WARM_UP to S - 1;
  from S on, the mean of the last FORECAST_BASE days with figures (a persistence forecast). Each
  day's arrivals are shared equally among the legs from that country into the reporting country.
- The measure acts on the edges that cross its border sections into the issuer's country (both
  ways when the issuer is on neither side) and on the edges into its crossing points, from S to its
  planned end: closure and barrier close them; an entry restriction lets only the nationalities it
  names through (the demo's November 2015 rule names those admitted: Syrians, Afghans, Iraqis); a
  procedure or border control with a number of persons per day caps them at that number. Other
  kinds are not modelled, and the result says so.
- Nationality mix (needed only by a restriction): UNHCR's shares of 2015 sea arrivals in Greece
  (Syria 56 %, Afghanistan 24 %, Iraq 10 %, others 10 %), stated in the result's assumptions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd
from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from seemix.analysis.simulation import Edge, Measure, Node, Scenario, SimulationResult, simulate
from seemix.core.access import Principal
from seemix.core.errors import FieldError, InvalidInput
from seemix.flows import queries as flow_queries
from seemix.gazetteer import queries as gazetteer_queries
from seemix.gazetteer.models import Country
from seemix.measures import queries as measure_queries
from seemix.measures.models import Measure as MeasureRow
from seemix.measures.models import MeasureType
from seemix.situation.services.capacity import PLEDGES

WARM_UP = 14  # days simulated before the measure, so that the route is full when it starts
HORIZON = 42  # days simulated from the measure's start, by default
MAX_HORIZON = 180
FORECAST_BASE = 14  # days of figures whose mean is carried forward
INDICATOR = "ARRIVALS"
# UNHCR, sea arrivals in Greece in 2015, by nationality (data.unhcr.org, Mediterranean portal).
ASSUMED_MIX = {"SY": 0.56, "AF": 0.24, "IQ": 0.10}
ASSUMED_MIX_SOURCE = (
    "UNHCR, sea arrivals in Greece in 2015: Syria 56 %, Afghanistan 24 %, Iraq 10 %, others 10 %"
)
SOURCES = (
    "seemix gazetteer: route edges, crossing points, sites and their recorded capacities",
    "seemix flows: daily ARRIVALS reports you may read",
    "seemix measures: the measure as notified",
)


@dataclass
class PlaceOutcome:
    """A country at the end of the run: persons present, stranded, its sites' recorded capacity."""

    code: str
    name: str
    present: float
    stranded: float
    baseline_present: float
    baseline_stranded: float
    capacity: float | None  # sum of its sites' recorded capacities; None: none recorded
    above_capacity: float | None
    pledged: float | None = None  # places pledged at the Leaders' Meeting of 25 Oct 2015, if any
    # Every node of the country ends the modelled route (Germany): its "present" counts everyone who
    # reached it since the run began (cumulative), not people staying there.
    end_of_route: bool = False


@dataclass
class ScenarioRun:
    scenario: Scenario
    result: SimulationResult
    baseline: SimulationResult
    places: list[PlaceOutcome]
    summary: str
    assumptions: list[str] = field(default_factory=list)
    not_modelled: list[str] = field(default_factory=list)
    measure: MeasureRow | None = None
    start: dt.date | None = None
    sources: tuple[str, ...] = SOURCES


def measure_start(measure: MeasureRow) -> dt.date:
    moment = measure.in_force_at or measure.planned_start
    return moment.date()


def simulate_measure(principal: Principal, measure_id: int, *, horizon: int = HORIZON) -> ScenarioRun:
    """Simulate the measure the principal may read (NotFound otherwise) and its no-measure baseline."""
    if not 1 <= horizon <= MAX_HORIZON:
        raise InvalidInput([FieldError("horizon", _("Between 1 and %(max)d days.") % {"max": MAX_HORIZON})])
    measure = measure_queries.measure_for(principal, measure_id)
    scenario, not_modelled = scenario_for_measure(principal, measure, horizon=horizon)
    return run(scenario, measure=measure, not_modelled=not_modelled, start=measure_start(measure))


def run(
    scenario: Scenario,
    *,
    measure: MeasureRow | None = None,
    not_modelled: list[str] | None = None,
    start: dt.date | None = None,
) -> ScenarioRun:
    """Run a scenario and the same scenario without its measures; summarise per country."""
    result = simulate(scenario)
    baseline = simulate(dataclasses.replace(scenario, measures=[]))
    places = outcomes(scenario, result, baseline)
    return ScenarioRun(
        scenario=scenario,
        result=result,
        baseline=baseline,
        places=places,
        summary=summary_of(scenario, places),
        assumptions=list(scenario.assumptions),
        not_modelled=list(not_modelled or []),
        measure=measure,
        start=start,
    )


def outcomes(scenario: Scenario, result: SimulationResult, baseline: SimulationResult) -> list[PlaceOutcome]:
    """Per country (the nodes' country codes), on the last day; most stranded first."""
    names = dict(Country.objects.values_list("code", "name"))
    pledged = {p.countries[0]: float(p.places) for p in PLEDGES if len(p.countries) == 1}
    by_country: dict[str, list[int]] = defaultdict(list)
    for i, node in enumerate(scenario.nodes):
        by_country[node.country or node.name].append(i)
    rows = []
    for code, members in by_country.items():
        capacities = [result.capacity[-1, i] for i in members if math.isfinite(result.capacity[-1, i])]
        capacity = float(sum(capacities)) if capacities else None
        present = float(result.present[-1, members].sum())
        rows.append(
            PlaceOutcome(
                code=code,
                name=names.get(code, code),
                present=present,
                stranded=float(result.stranded[-1, members].sum()),
                baseline_present=float(baseline.present[-1, members].sum()),
                baseline_stranded=float(baseline.stranded[-1, members].sum()),
                capacity=capacity,
                above_capacity=None if capacity is None else max(present - capacity, 0.0),
                pledged=pledged.get(code),
                end_of_route=all(scenario.nodes[i].kind == "sink" for i in members),
            )
        )
    return sorted(rows, key=lambda p: (-p.stranded, -p.present, p.code))


def _day(day: dt.date) -> str:
    return date_format(day, "j M Y")


def _about(persons: float) -> int:
    """Round for a sentence: to the hundred from a thousand up, to ten below."""
    return int(round(persons, -2)) if persons >= 1000 else int(round(persons, -1))


def summary_of(scenario: Scenario, places: list[PlaceOutcome]) -> str:
    """The stranded sentence, then who reached the end of the route (with and without the measure)."""
    sentences = [_stranded_sentence(scenario, places)]
    ends = [p for p in places if p.end_of_route and (p.present >= 1 or p.baseline_present >= 1)]
    if ends:
        first = _day(scenario.start_date) if scenario.start_date else "0"
        sentences.append(
            _(
                "About %(n)s would have reached the end of the modelled route (%(where)s) since %(first)s, "
                "against %(m)s without the measure."
            )
            % {
                "n": f"{_about(sum(p.present for p in ends)):,}",
                "m": f"{_about(sum(p.baseline_present for p in ends)):,}",
                "where": ", ".join(p.name for p in ends),
                "first": first,
            }
        )
    return " ".join(sentences)


def _stranded_sentence(scenario: Scenario, places: list[PlaceOutcome]) -> str:
    last = scenario.start_date + dt.timedelta(days=scenario.days - 1) if scenario.start_date else None
    day = _day(last) if last else str(scenario.days - 1)
    if not places or places[0].stranded < 1:
        return _("By %(day)s, nobody would be stranded along the route.") % {"day": day}
    top = places[0]
    values = {"day": day, "n": f"{_about(top.stranded):,}", "place": top.name}
    if top.capacity is None and top.pledged is not None:
        values["pledged"] = f"{int(top.pledged):,}"
        values["m"] = f"{_about(max(top.present - top.pledged, 0.0)):,}"
        return (
            _(
                "By %(day)s, about %(n)s people would be stranded in %(place)s. No capacity is recorded "
                "for its sites; against the %(pledged)s places pledged there (Leaders' Meeting, "
                "25 October 2015), %(m)s would be above them."
            )
            % values
        )
    if top.capacity is None:
        return (
            _(
                "By %(day)s, about %(n)s people would be stranded in %(place)s; "
                "no capacity is recorded for its sites."
            )
            % values
        )
    values["m"] = f"{_about(top.above_capacity or 0.0):,}"
    values["capacity"] = f"{int(top.capacity):,}"
    return (
        _(
            "By %(day)s, about %(n)s people would be stranded in %(place)s, %(m)s above the sites' capacity "
            "(%(capacity)s places)."
        )
        % values
    )


# --- from the database to a scenario --------------------------------------------------------------


def _node_country(kind: str, obj) -> str:
    return obj.code if kind == "country" else obj.country_id


def scenario_for_measure(
    principal: Principal, measure: MeasureRow, *, horizon: int
) -> tuple[Scenario, list[str]]:
    start = measure_start(measure)
    first = start - dt.timedelta(days=WARM_UP)
    days = WARM_UP + horizon
    nodes, edges, countries = _route(principal, start)
    if not edges:
        raise InvalidInput([FieldError("measure", _("No route edges in use on %(day)s.") % {"day": start})])
    # The route begins at the nodes no edge enters (Turkey): their countries' borders bring the inflow.
    entered = {e.target for e in edges}
    entry_countries = {countries[e.source] for e in edges if e.source not in entered}
    inflow, inflow_note = _inflow(principal, first, start, days, edges, countries, entry_countries)
    nodes = [dataclasses.replace(n, kind="entry") if n.name not in entered else n for n in nodes]
    sim_measures, groups, shares, not_modelled, notes = _measures(measure, edges, countries, start, first)
    scenario = Scenario(
        nodes=nodes,
        edges=edges,
        days=days,
        inflow=inflow,
        start_date=first,
        measures=sim_measures,
        groups=groups,
        group_shares=shares,
        name=measure.title,
        assumptions=[
            _("Route graph: the gazetteer's legs in use on %(day)s, open throughout.")
            % {"day": _day(start - dt.timedelta(days=1))},
            inflow_note,
            _("Nobody is on the route when the run begins (%(days)d days before the measure).")
            % {"days": WARM_UP},
            *notes,
        ],
    )
    return scenario, not_modelled


def _route(principal: Principal, start: dt.date) -> tuple[list[Node], list[Edge], dict[str, str]]:
    on = start - dt.timedelta(days=1)
    capacity = {
        s.code: float(s.current_capacity)  # type: ignore[attr-defined]
        for s in gazetteer_queries.sites_for(principal, on=start)
        if s.current_capacity is not None  # type: ignore[attr-defined]
    }
    nodes: dict[str, Node] = {}
    countries: dict[str, str] = {}
    edges: list[Edge] = []
    leaving: set[str] = set()
    for row in gazetteer_queries.route_edges_for(principal, on=on):
        ends = []
        for kind, obj in (row.origin, row.destination):
            place = gazetteer_queries.node_of(kind, obj)
            if place.key not in nodes:
                nodes[place.key] = Node(
                    place.key,
                    country=_node_country(kind, obj),
                    latitude=place.latitude,
                    longitude=place.longitude,
                    label=place.name,
                    capacity=capacity.get(place.code, math.inf) if kind == "site" else math.inf,
                )
                countries[place.key] = _node_country(kind, obj)
            ends.append(place.key)
        edges.append(Edge(ends[0], ends[1], float(row.typical_days)))
        leaving.add(ends[0])
    final = [n if n.name in leaving else dataclasses.replace(n, kind="sink") for n in nodes.values()]
    return final, edges, countries


def _country_names(codes: set[str]) -> str:
    names = dict(Country.objects.filter(code__in=codes).values_list("code", "name"))
    return ", ".join(sorted(names.get(code, code) for code in codes))


def _inflow(principal, first, start, days, edges, countries, entry_countries) -> tuple[pd.DataFrame, str]:
    observed = (
        flow_queries.observations_visible_to(
            principal,
            indicator=INDICATOR,
            date_from=first,
            date_to=start - dt.timedelta(days=1),
            breakdown="total",
        )
        .filter(counterpart_country_id__in=entry_countries, border_section__isnull=False)
        .values("country_id", "counterpart_country_id", "date")
        .annotate(persons=Sum("value"))
    )
    per_day: dict[tuple[str, str], dict[dt.date, float]] = defaultdict(dict)
    for row in observed:
        if row["persons"] is not None:
            key = (str(row["counterpart_country_id"]), str(row["country_id"]))
            per_day[key][row["date"]] = float(row["persons"])
    columns: dict[str, list[float]] = defaultdict(lambda: [0.0] * days)
    total_figures = 0
    for (origin, reporter), figures in per_day.items():
        legs = [e for e in edges if countries[e.source] == origin and countries[e.target] == reporter]
        if not legs:
            continue
        recent = [figures[d] for d in sorted(figures)[-FORECAST_BASE:]]
        carried = sum(recent) / len(recent)
        total_figures += len(figures)
        for t in range(days):
            day = first + dt.timedelta(days=t)
            value = figures.get(day, carried if day >= start else 0.0)
            for leg in legs:
                columns[leg.target][t] += value / len(legs)
    note = _(
        "Inflow: %(n)d daily ARRIVALS figures you may read, across the borders of %(where)s, before the "
        "measure; from its start, the mean of the last %(base)d days with figures."
    ) % {"n": total_figures, "where": _country_names(entry_countries) or "-", "base": FORECAST_BASE}
    return pd.DataFrame(dict(columns)), note


def _measures(measure: MeasureRow, edges, countries, start, first):
    issuer = measure.issuer.code
    targets: list[tuple[str, str]] = []
    for section in measure.border_sections.all():
        pair = {section.country_a_id, section.country_b_id}
        for e in edges:
            a, b = countries[e.source], countries[e.target]
            if {a, b} == pair and (issuer not in pair or b == issuer):
                targets.append((e.source, e.target))
    points = {f"crossing_point:{p.code}" for p in measure.crossing_points.all()}
    targets += [(e.source, e.target) for e in edges if e.target in points]
    targets = list(dict.fromkeys(targets))
    start_day = (start - first).days
    end_day = None
    if measure.planned_end is not None:
        end_day = (measure.planned_end.date() - first).days + 1
    groups: tuple[str, ...] = ("all",)
    shares: tuple[float, ...] = (1.0,)
    notes: list[str] = []
    not_modelled: list[str] = []
    label = measure.title
    if not targets:
        not_modelled.append(_("The measure names no border section or crossing point on the route in use."))
        return [], groups, shares, not_modelled, notes
    kind = measure.type
    if kind in (MeasureType.CLOSURE, MeasureType.BARRIER):
        sim = [Measure("closure", start_day, end_day, edges=tuple(targets), label=label)]
    elif kind == MeasureType.ENTRY_RESTRICTION and measure.nationalities:
        admitted = tuple(sorted(set(measure.nationalities)))
        groups = (*admitted, "other")
        known = [ASSUMED_MIX.get(code, 0.0) for code in admitted]
        shares = (*known, 1.0 - sum(known))
        notes.append(_("Nationality mix assumed: %(mix)s.") % {"mix": ASSUMED_MIX_SOURCE})
        notes.append(_("The nationalities the restriction names are read as the ones still admitted."))
        sim = [
            Measure("restriction", start_day, end_day, edges=tuple(targets), admitted=admitted, label=label)
        ]
    elif measure.persons_affected_per_day and kind in (MeasureType.PROCEDURE, MeasureType.BORDER_CONTROL):
        value = float(measure.persons_affected_per_day)
        sim = [Measure("cap", start_day, end_day, edges=tuple(targets), value=value, label=label)]
        notes.append(_("Read as a cap of %(n)s persons a day.") % {"n": f"{int(value):,}"})
    else:
        not_modelled.append(
            _("A measure of type “%(type)s” has no modelled effect on the flow.")
            % {"type": measure.get_type_display()}
        )
        sim = []
    return sim, groups, shares, not_modelled, notes
