"""Reception sites and the history of their capacity."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from seemix.core import audit
from seemix.gazetteer.models import ReceptionSite, SiteCapacity, SiteKind
from seemix.gazetteer.services._common import (
    UNSET,
    Actor,
    Unset,
    authorise,
    check_kind,
    check_period,
    save_changes,
    writing,
)
from seemix.gazetteer.validation import (
    Errors,
    check_coordinates,
    check_place_code,
    check_required_text,
    find_country,
    normalise_code,
)

# --- reception sites and their capacity ------------------------------------------------------------


def _check_capacity(errors: Errors, capacity: int) -> None:
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
        errors.add("capacity", "A capacity is a whole number of places, zero or more.")


def create_site(
    *,
    actor: Actor,
    code: str,
    name: str,
    name_latin: str,
    country: str,
    kind: str,
    latitude: float,
    longitude: float,
    opened_on: date | None = None,
    closed_on: date | None = None,
    notes: str = "",
    capacity: int | None = None,
    capacity_valid_from: date | None = None,
    capacity_source: str = "",
) -> ReceptionSite:
    """A reception site; with ``capacity`` its first capacity figure, valid from ``capacity_valid_from``."""
    authorise(actor)
    errors = Errors()
    code = normalise_code(code)
    found = find_country(country, "country", errors)
    if found is not None:
        check_place_code(errors, code, found.code, taken=ReceptionSite.objects.filter(code=code).exists())
    check_required_text(errors, "name", name)
    check_required_text(errors, "name_latin", name_latin)
    check_kind(errors, kind, SiteKind, "site")
    check_coordinates(errors, found, latitude, longitude)
    check_period(errors, opened_on, closed_on, "closed_on")
    if capacity is not None:
        _check_capacity(errors, capacity)
        if capacity_valid_from is None and opened_on is None:
            errors.add("capacity_valid_from", "Say from which date the capacity holds.", "required")
    errors.raise_if_any()
    assert found is not None  # an unknown country is an error above
    with writing("code", f"The code {code} is already in use."):
        site = ReceptionSite.objects.create(
            code=code,
            name=name.strip(),
            name_latin=name_latin.strip(),
            country=found,
            kind=kind,
            latitude=latitude,
            longitude=longitude,
            opened_on=opened_on,
            closed_on=closed_on,
            notes=notes,
        )
        audit.record(
            actor, "gazetteer.site.created", site, participant_code=site.country_id, changes={"code": code}
        )
        if capacity is not None:
            _add_capacity(site, actor, capacity, capacity_valid_from or opened_on, capacity_source)  # type: ignore[arg-type]
    return site


def update_site(
    site: ReceptionSite,
    *,
    actor: Actor,
    name: str | Unset = UNSET,
    name_latin: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    latitude: float | Unset = UNSET,
    longitude: float | Unset = UNSET,
    opened_on: date | Unset | None = UNSET,
    closed_on: date | Unset | None = UNSET,
    notes: str | Unset = UNSET,
) -> ReceptionSite:
    """Change a site's description. Its capacity changes only through ``record_site_capacity``."""
    authorise(actor)
    errors = Errors()
    values: dict[str, Any] = {}
    for field, value in (("name", name), ("name_latin", name_latin)):
        if value is not UNSET:
            check_required_text(errors, field, value)
            values[field] = value.strip()
    if kind is not UNSET:
        check_kind(errors, kind, SiteKind, "site")
        values["kind"] = kind
    if opened_on is not UNSET:
        values["opened_on"] = opened_on
    if closed_on is not UNSET:
        values["closed_on"] = closed_on
    if notes is not UNSET:
        values["notes"] = notes
    if latitude is not UNSET or longitude is not UNSET:
        values["latitude"] = latitude if latitude is not UNSET else site.latitude
        values["longitude"] = longitude if longitude is not UNSET else site.longitude
        check_coordinates(errors, site.country, values["latitude"], values["longitude"])
    check_period(
        errors, values.get("opened_on", site.opened_on), values.get("closed_on", site.closed_on), "closed_on"
    )
    errors.raise_if_any()
    with transaction.atomic():
        save_changes(site, values, actor, "gazetteer.site.updated", participant_code=site.country_id)
    return site


def _add_capacity(
    site: ReceptionSite, actor: Actor, capacity: int, valid_from: date, source: str
) -> SiteCapacity:
    row = SiteCapacity.objects.create(
        site=site,
        capacity=capacity,
        valid_from=valid_from,
        source=source.strip(),
        recorded_by=actor.user if actor is not None else None,
    )
    audit.record(
        actor,
        "gazetteer.site.capacity_recorded",
        site,
        participant_code=site.country_id,
        changes={"capacity": capacity, "valid_from": valid_from.isoformat(), "source": row.source},
    )
    return row


def record_site_capacity(
    site: ReceptionSite, *, actor: Actor, capacity: int, valid_from: date, source: str = ""
) -> SiteCapacity:
    """A new capacity figure from ``valid_from`` on. Figures are never overwritten: one per date."""
    authorise(actor)
    errors = Errors()
    _check_capacity(errors, capacity)
    if SiteCapacity.objects.filter(site=site, valid_from=valid_from).exists():
        errors.add(
            "valid_from",
            f"A capacity from {valid_from} is already recorded for {site.code}; recorded "
            "figures are never changed: record the new figure from a later date.",
            "duplicate",
        )
    if site.closed_on is not None and valid_from > site.closed_on:
        errors.add("valid_from", f"{site.code} closed on {site.closed_on}.")
    if len(source) > 300:
        errors.add("source", "At most 300 characters.", "too_long")
    errors.raise_if_any()
    with writing("valid_from", f"A capacity from {valid_from} is already recorded for {site.code}."):
        return _add_capacity(site, actor, capacity, valid_from, source)
