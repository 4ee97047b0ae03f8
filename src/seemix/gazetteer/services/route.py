"""The route graph: directed edges between countries, crossing points and sites."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.db import transaction

from seemix.core import audit
from seemix.gazetteer.models import (
    NODE_FIELDS,
    Country,
    CrossingPoint,
    NodeKind,
    ReceptionSite,
    RouteEdge,
    TravelMode,
)
from seemix.gazetteer.services._common import (
    UNSET,
    Actor,
    Unset,
    authorise,
    check_period,
    save_changes,
    writing,
)
from seemix.gazetteer.validation import Errors, find_country, normalise_code


@dataclass(frozen=True)
class NodeRef:
    """A node of the route graph as callers name it: ('crossing_point', 'GR-IDOMENI')."""

    kind: str
    code: str


NODE_MODELS: dict[str, Any] = {
    NodeKind.COUNTRY: Country,
    NodeKind.CROSSING_POINT: CrossingPoint,
    NodeKind.SITE: ReceptionSite,
}


def _find_node(errors: Errors, node: NodeRef, field: str) -> tuple[str, Any] | None:
    if node.kind not in NODE_MODELS:
        errors.add(f"{field}.kind", f"{node.kind!r} is not a node kind: one of {', '.join(NODE_MODELS)}.")
        return None
    if node.kind == NodeKind.COUNTRY:
        found = find_country(node.code, f"{field}.code", errors)
    else:
        found = NODE_MODELS[node.kind].objects.filter(code=normalise_code(node.code)).first()
        if found is None:
            errors.add(
                f"{field}.code", f"There is no {node.kind.replace('_', ' ')} {node.code!r}.", "unknown"
            )
    return (node.kind, found) if found is not None else None


def _check_days(errors: Errors, days: Any) -> Decimal | None:
    try:
        value = Decimal(str(days)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not Decimal(0) <= value <= Decimal(365):
        errors.add("typical_days", "Typical travel days lie between 0 and 365, to one decimal.")
        return None
    return value


def _edge_node_values(prefix: Literal["origin", "destination"], node: tuple[str, Any]) -> dict[str, Any]:
    kind, found = node
    return {f"{prefix}_{field}": (found if key == kind else None) for key, field in NODE_FIELDS.items()}


def create_route_edge(
    *,
    actor: Actor,
    origin: NodeRef,
    destination: NodeRef,
    typical_days: Any,
    mode: str,
    valid_from: date | None = None,
    valid_until: date | None = None,
    notes: str = "",
) -> RouteEdge:
    authorise(actor)
    errors = Errors()
    start = _find_node(errors, origin, "origin")
    end = _find_node(errors, destination, "destination")
    days = _check_days(errors, typical_days)
    if mode not in TravelMode.values:
        errors.add("mode", f"{mode!r} is not a travel mode: one of {', '.join(TravelMode.values)}.")
    check_period(errors, valid_from, valid_until, "valid_until")
    values: dict[str, Any] = {}
    if start and end:
        values = {**_edge_node_values("origin", start), **_edge_node_values("destination", end)}
        if start == end:
            errors.add("destination", "An edge leads somewhere else than where it starts.")
        elif (existing := RouteEdge.objects.filter(**values).first()) is not None:
            errors.add(
                "destination",
                f"The edge {existing} already exists (#{existing.pk}): change that one.",
                "duplicate",
            )
    errors.raise_if_any()
    assert days is not None  # out-of-range days are an error above
    with writing("destination", "This edge already exists."):
        edge = RouteEdge.objects.create(
            **values,
            typical_days=days,
            mode=mode,
            valid_from=valid_from,
            valid_until=valid_until,
            notes=notes,
        )
        audit.record(
            actor,
            "gazetteer.route_edge.created",
            edge,
            changes={"origin": edge.origin_key, "destination": edge.destination_key, "typical_days": days},
        )
    return edge


def update_route_edge(
    edge: RouteEdge,
    *,
    actor: Actor,
    typical_days: Any = UNSET,
    mode: str | Unset = UNSET,
    valid_from: date | Unset | None = UNSET,
    valid_until: date | Unset | None = UNSET,
    notes: str | Unset = UNSET,
) -> RouteEdge:
    """Change a leg's days, mode, period or notes. Its two ends stay: delete it and make another."""
    authorise(actor)
    errors = Errors()
    values: dict[str, Any] = {}
    if typical_days is not UNSET:
        values["typical_days"] = _check_days(errors, typical_days)
    if mode is not UNSET:
        if mode not in TravelMode.values:
            errors.add("mode", f"{mode!r} is not a travel mode: one of {', '.join(TravelMode.values)}.")
        values["mode"] = mode
    for field, value in (("valid_from", valid_from), ("valid_until", valid_until), ("notes", notes)):
        if value is not UNSET:
            values[field] = value
    check_period(
        errors,
        values.get("valid_from", edge.valid_from),
        values.get("valid_until", edge.valid_until),
        "valid_until",
    )
    errors.raise_if_any()
    with transaction.atomic():
        save_changes(edge, values, actor, "gazetteer.route_edge.updated")
    return edge


def delete_route_edge(edge: RouteEdge, *, actor: Actor) -> None:
    authorise(actor)
    with transaction.atomic():
        audit.record(
            actor,
            "gazetteer.route_edge.deleted",
            edge,
            changes={"origin": edge.origin_key, "destination": edge.destination_key},
        )
        edge.delete()
