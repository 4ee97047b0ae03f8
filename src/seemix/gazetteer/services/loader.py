"""Load the shipped reference data (``data/``) into the database through the services, idempotently.

Run by ``seemix load_gazetteer`` and by the lead's reference-data and demo commands. A second run
finds nothing to change and writes nothing, not even audit rows. Rows that are not in the seed
(added by an administrator) are left alone.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from django.db import transaction

from seemix.core.models import AuditEntry
from seemix.gazetteer.models import (
    BorderSection,
    Country,
    CrossingPoint,
    ReceptionSite,
    RouteEdge,
    SiteCapacity,
)
from seemix.gazetteer.reference_data import border_line_features, country_features, seed
from seemix.gazetteer.services._common import Actor
from seemix.gazetteer.services.countries import (
    create_border_section,
    create_country,
    update_border_section,
    update_country,
)
from seemix.gazetteer.services.crossing_points import create_crossing_point, update_crossing_point
from seemix.gazetteer.services.route import NodeRef, create_route_edge, update_route_edge
from seemix.gazetteer.services.sites import create_site, record_site_capacity, update_site

logger = logging.getLogger(__name__)


@dataclass
class LoadSummary:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    # Seed figures that disagree with a figure already recorded for the same date: never overwritten.
    kept: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def __str__(self) -> str:
        kinds = ["countries", "border sections", "crossing points", "sites", "capacities", "route edges"]
        parts = [
            f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated, "
            f"{self.unchanged[kind]} unchanged"
            for kind in kinds
        ]
        return "\n".join(parts + [f"kept existing figure: {item}" for item in self.kept])


def _node_lookup(prefix: str, kind: str, code: str) -> dict[str, Any]:
    # The edge's foreign keys are named after the node kinds: origin_country, destination_site...
    models: dict[str, Any] = {"country": Country, "crossing_point": CrossingPoint, "site": ReceptionSite}
    model = models[kind]
    return {f"{prefix}_{kind}": model.objects.get(code=code)}


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class _Loader:
    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.summary = LoadSummary()

    def apply(
        self, kind: str, existing: Any, create: Callable[[], Any], update: Callable[[Any], Any]
    ) -> None:
        if existing is None:
            create()
            self.summary.created[kind] += 1
            return
        before = AuditEntry.objects.count()
        update(existing)
        changed = AuditEntry.objects.count() != before
        (self.summary.updated if changed else self.summary.unchanged)[kind] += 1

    def countries(self) -> None:
        features = country_features()
        for row in seed()["countries"]:
            feature = features[row["code"]]
            label = tuple(feature["properties"]["label_point"])
            values = {
                "name": row["name"],
                "local_name": row["local_name"],
                "is_seecp_participant": row["seecp"],
                "geometry": feature["geometry"],
                "label_point": label,
            }
            self.apply(
                "countries",
                Country.objects.filter(code=row["code"]).first(),
                partial(create_country, actor=self.actor, code=row["code"], alpha3=row["alpha3"], **values),
                partial(update_country, actor=self.actor, **values),
            )

    def border_sections(self) -> None:
        known = set(Country.objects.values_list("code", flat=True))
        names = dict(Country.objects.values_list("code", "name"))
        for (a, b), feature in border_line_features().items():
            if a not in known or b not in known:
                continue
            name = f"{names[a]} – {names[b]}"
            self.apply(
                "border sections",
                BorderSection.objects.filter(code=f"{a}-{b}").first(),
                partial(
                    create_border_section,
                    actor=self.actor,
                    countries=(a, b),
                    name=name,
                    geometry=feature["geometry"],
                ),
                partial(update_border_section, actor=self.actor, name=name, geometry=feature["geometry"]),
            )

    def crossing_points(self) -> None:
        rows = seed()["crossing_points"]
        for row in rows:
            values = {k: row[k] for k in ("name", "name_latin", "kind", "latitude", "longitude", "notes")}
            self.apply(
                "crossing points",
                CrossingPoint.objects.filter(code=row["code"]).first(),
                partial(
                    create_crossing_point,
                    actor=self.actor,
                    code=row["code"],
                    country=row["country"],
                    border_section=row["border_section"],
                    **values,
                ),
                partial(
                    update_crossing_point, actor=self.actor, border_section=row["border_section"], **values
                ),
            )
        # Counterparts once both sides exist; linking one side links the other.
        for row in rows:
            point = CrossingPoint.objects.select_related("counterpart").get(code=row["code"])
            current = point.counterpart.code if point.counterpart else None
            if current != row["counterpart"]:
                update_crossing_point(point, actor=self.actor, counterpart=row["counterpart"])

    def sites(self) -> None:
        for row in seed()["sites"]:
            values = {
                "name": row["name"],
                "name_latin": row["name_latin"],
                "kind": row["kind"],
                "latitude": row["latitude"],
                "longitude": row["longitude"],
                "opened_on": _date(row.get("opened_on")),
                "closed_on": _date(row.get("closed_on")),
                "notes": row.get("notes", ""),
            }
            self.apply(
                "sites",
                ReceptionSite.objects.filter(code=row["code"]).first(),
                partial(create_site, actor=self.actor, code=row["code"], country=row["country"], **values),
                partial(update_site, actor=self.actor, **values),
            )
        for row in seed()["capacities"]:
            site = ReceptionSite.objects.get(code=row["site"])
            valid_from = date.fromisoformat(row["valid_from"])
            existing = SiteCapacity.objects.filter(site=site, valid_from=valid_from).first()
            if existing is None:
                record_site_capacity(
                    site,
                    actor=self.actor,
                    capacity=row["capacity"],
                    valid_from=valid_from,
                    source=row["source"],
                )
                self.summary.created["capacities"] += 1
            elif existing.capacity != row["capacity"]:
                self.summary.kept.append(
                    f"{site.code} from {valid_from}: {existing.capacity}, seed {row['capacity']}"
                )
            else:
                self.summary.unchanged["capacities"] += 1

    def route_edges(self) -> None:
        for row in seed()["route_edges"]:
            lookup = {
                **_node_lookup("origin", *row["origin"]),
                **_node_lookup("destination", *row["destination"]),
            }
            values = {
                "typical_days": row["days"],
                "mode": row["mode"],
                "valid_from": _date(row.get("valid_from")),
                "valid_until": _date(row.get("valid_until")),
                "notes": row.get("notes", ""),
            }
            self.apply(
                "route edges",
                RouteEdge.objects.filter(**lookup).first(),
                partial(
                    create_route_edge,
                    actor=self.actor,
                    origin=NodeRef(*row["origin"]),
                    destination=NodeRef(*row["destination"]),
                    **values,
                ),
                partial(update_route_edge, actor=self.actor, **values),
            )


def load_gazetteer(*, actor: Actor = None) -> LoadSummary:
    """Create or update the seeded countries, border sections, crossing points, sites, capacities and
    route edges, all or nothing. ``actor=None`` records the changes as made by the system."""
    loader = _Loader(actor)
    with transaction.atomic():
        loader.countries()
        loader.border_sections()
        loader.crossing_points()
        loader.sites()
        loader.route_edges()
    logger.info("gazetteer loaded: %s", str(loader.summary).replace("\n", "; "))
    return loader.summary
