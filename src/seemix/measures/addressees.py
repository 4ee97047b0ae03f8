"""Who a measure concerns, computed from its scope.

- neighbours: the participants of both countries of every affected border section (the sections
  named, and those of the crossing points named);
- route: the participants of the countries within two hops downstream and upstream of an affected
  country on the route graph. The graph is collapsed to countries (a crossing point or site stands
  for its country; legs inside one country are dropped). Every leg of the gazetteer counts, whatever
  its period of use: a measure is about where people may go next, and the legs that closed in
  2015-16 are the ones they turn back to when another border closes;
- the secretariat (every participant of kind "secretariat");
- subscribers: participants with a ``Subscription`` for all measures or for one of the issuer's or
  the affected countries.

The issuer is never its own addressee. An affected country is the issuer's own (where it is a state)
and the countries of the affected border sections and crossing points.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable

from django.db.models import Count, Max

from seemix.directory.models import Participant, ParticipantKind
from seemix.gazetteer.models import NODE_FIELDS, BorderSection, CrossingPoint, NodeKind, RouteEdge
from seemix.measures.models import AddresseeReason, Subscription

ROUTE_HOPS = 2


def affected_countries(
    issuer: Participant, sections: Iterable[BorderSection], points: Iterable[CrossingPoint]
) -> set[str]:
    countries: set[str] = {issuer.code} if issuer.is_state else set()
    for section in sections:
        countries.update(section.country_codes)
    for point in points:
        countries.add(point.country_id)
        if point.border_section is not None:
            countries.update(point.border_section.country_codes)
    return countries


def _country_of(edge: RouteEdge, prefix: str) -> str:
    kind, node = edge._node(prefix)
    return node.code if kind == NodeKind.COUNTRY else node.country_id


_graph_cache: dict[tuple[object, ...], dict[str, set[str]]] = {}


def country_route_graph() -> dict[str, set[str]]:
    """{country: countries reached by one leg from it}, from every leg of the route graph.

    Kept in memory while the edges are unchanged (their count and latest update time are checked
    on every call: one cheap query instead of loading the graph for every measure).
    """
    state = RouteEdge.objects.aggregate(n=Count("id"), last=Max("updated_at"), top=Max("id"))
    key = (state["n"], state["last"], state["top"])
    if key not in _graph_cache:
        _graph_cache.clear()
        _graph_cache[key] = _load_country_route_graph()
    return _graph_cache[key]


def _load_country_route_graph() -> dict[str, set[str]]:
    ends = [f"{prefix}_{name}" for prefix in ("origin", "destination") for name in NODE_FIELDS.values()]
    graph: dict[str, set[str]] = defaultdict(set)
    for edge in RouteEdge.objects.select_related(*ends):
        origin, destination = _country_of(edge, "origin"), _country_of(edge, "destination")
        if origin != destination:
            graph[origin].add(destination)
    return dict(graph)


def within_hops(graph: dict[str, set[str]], starts: Iterable[str], hops: int) -> set[str]:
    """Countries reachable from ``starts`` in 1..hops legs (the starts themselves only if reached)."""
    reached: set[str] = set()
    queue = deque((start, 0) for start in starts)
    seen = {(start, 0) for start in starts}
    while queue:
        country, depth = queue.popleft()
        if depth == hops:
            continue
        for nxt in graph.get(country, ()):
            reached.add(nxt)
            if (nxt, depth + 1) not in seen:
                seen.add((nxt, depth + 1))
                queue.append((nxt, depth + 1))
    return reached


def _reversed(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for origin, destinations in graph.items():
        for destination in destinations:
            out[destination].add(origin)
    return dict(out)


def compute_addressees(
    issuer: Participant, sections: Iterable[BorderSection], points: Iterable[CrossingPoint]
) -> dict[Participant, list[str]]:
    """{participant: [AddresseeReason values]} for a measure of ``issuer`` with that scope."""
    sections, points = list(sections), list(points)
    reasons: dict[str, set[str]] = defaultdict(set)
    for section in sections:
        for code in section.country_codes:
            reasons[code].add(AddresseeReason.NEIGHBOUR)
    for point in points:
        if point.border_section is not None:
            for code in point.border_section.country_codes:
                reasons[code].add(AddresseeReason.NEIGHBOUR)
    affected = affected_countries(issuer, sections, points)
    graph = country_route_graph()
    on_route = within_hops(graph, affected, ROUTE_HOPS) | within_hops(_reversed(graph), affected, ROUTE_HOPS)
    for code in on_route:
        reasons[code].add(AddresseeReason.ROUTE)
    by_code = {p.code: p for p in Participant.objects.filter(is_active=True, code__in=list(reasons))}
    out: dict[Participant, set[str]] = {by_code[c]: r for c, r in reasons.items() if c in by_code}
    for secretariat in Participant.objects.filter(is_active=True, kind=ParticipantKind.SECRETARIAT):
        out.setdefault(secretariat, set()).add(AddresseeReason.SECRETARIAT)
    watched = affected | {issuer.code}
    for subscription in Subscription.objects.select_related("participant").filter(
        participant__is_active=True
    ):
        if not subscription.countries or watched & set(subscription.countries):
            out.setdefault(subscription.participant, set()).add(AddresseeReason.SUBSCRIPTION)
    out.pop(issuer, None)
    order = list(AddresseeReason.values)
    return {p: sorted(r, key=order.index) for p, r in sorted(out.items(), key=lambda item: item[0].code)}
