"""Crossing points and their counterparts across the border."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from seemix.core import audit
from seemix.gazetteer.models import LAND_CROSSING_KINDS, BorderSection, Country, CrossingKind, CrossingPoint
from seemix.gazetteer.services._common import (
    UNSET,
    Actor,
    Unset,
    authorise,
    check_kind,
    save_changes,
    writing,
)
from seemix.gazetteer.validation import (
    Errors,
    check_coordinates,
    check_place_code,
    check_required_text,
    find_border_section,
    find_country,
    normalise_code,
)

# --- crossing points -------------------------------------------------------------------------------


def _check_section_and_counterpart(
    errors: Errors,
    point: CrossingPoint | None,
    country: Country | None,
    kind: str,
    section: BorderSection | None,
    counterpart: CrossingPoint | None,
) -> None:
    if kind in LAND_CROSSING_KINDS and section is None and not errors.has("border_section"):
        errors.add(
            "border_section", "A road, rail or green-border crossing lies on a border section.", "required"
        )
    if section is not None and country is not None and country.code not in section.country_codes:
        errors.add(
            "border_section",
            f"{country.code} is on neither side of the border section {section.code}: a crossing point "
            f"in {country.name} lies on a border of {country.name}.",
            "wrong_country",
        )
    if counterpart is None:
        return
    if point is not None and counterpart.pk == point.pk:
        errors.add("counterpart", "A crossing point cannot be its own counterpart.")
    elif country is not None and counterpart.country_id == country.code:
        errors.add(
            "counterpart",
            f"The counterpart lies across the border, not in {country.name} too.",
            "same_country",
        )
    elif section is None or counterpart.border_section_id != section.pk:
        errors.add(
            "counterpart",
            f"{counterpart.code} is on another border section: counterparts face each "
            "other across the same border section.",
            "wrong_section",
        )
    elif counterpart.counterpart is not None and counterpart.counterpart_id != (point.pk if point else None):
        errors.add(
            "counterpart",
            f"{counterpart.code} already has a counterpart ({counterpart.counterpart.code}); "
            "unlink it first.",
            "taken",
        )


def _find_crossing_point(errors: Errors, value: str, field: str) -> CrossingPoint | None:
    found = CrossingPoint.objects.select_related("counterpart").filter(code=normalise_code(value)).first()
    if found is None:
        errors.add(field, f"There is no crossing point {value!r}.", "unknown")
    return found


def _link_counterparts(point: CrossingPoint, old: int | None, new: CrossingPoint | None) -> None:
    """Make the counterpart relation symmetric: unlink the old partner, link the new one."""
    if old is not None and (new is None or new.pk != old):
        CrossingPoint.objects.filter(pk=old, counterpart=point).update(counterpart=None)
    if new is not None:
        CrossingPoint.objects.filter(pk=new.pk).update(counterpart=point)


def create_crossing_point(
    *,
    actor: Actor,
    code: str,
    name: str,
    name_latin: str,
    country: str,
    kind: str,
    latitude: float,
    longitude: float,
    border_section: str | None = None,
    counterpart: str | None = None,
    notes: str = "",
) -> CrossingPoint:
    authorise(actor)
    errors = Errors()
    code = normalise_code(code)
    found = find_country(country, "country", errors)
    if found is not None:
        check_place_code(errors, code, found.code, taken=CrossingPoint.objects.filter(code=code).exists())
    check_required_text(errors, "name", name)
    check_required_text(errors, "name_latin", name_latin)
    check_kind(errors, kind, CrossingKind, "crossing point")
    check_coordinates(errors, found, latitude, longitude)
    section = find_border_section(border_section, "border_section", errors) if border_section else None
    partner = _find_crossing_point(errors, counterpart, "counterpart") if counterpart else None
    _check_section_and_counterpart(errors, None, found, kind, section, partner)
    errors.raise_if_any()
    assert found is not None  # an unknown country is an error above
    with writing("code", f"The code {code} is already in use."):
        point = CrossingPoint.objects.create(
            code=code,
            name=name.strip(),
            name_latin=name_latin.strip(),
            country=found,
            kind=kind,
            latitude=latitude,
            longitude=longitude,
            border_section=section,
            counterpart=partner,
            notes=notes,
        )
        _link_counterparts(point, None, partner)
        audit.record(
            actor,
            "gazetteer.crossing_point.created",
            point,
            participant_code=point.country_id,
            changes={"code": code, "counterpart": partner.code if partner else None},
        )
    return point


def update_crossing_point(
    point: CrossingPoint,
    *,
    actor: Actor,
    name: str | Unset = UNSET,
    name_latin: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    latitude: float | Unset = UNSET,
    longitude: float | Unset = UNSET,
    border_section: str | Unset | None = UNSET,
    counterpart: str | Unset | None = UNSET,
    notes: str | Unset = UNSET,
) -> CrossingPoint:
    """Change a crossing point; ``counterpart=None`` unlinks both sides. Code and country stay."""
    authorise(actor)
    errors = Errors()
    values: dict[str, Any] = {}
    for field, value in (("name", name), ("name_latin", name_latin)):
        if value is not UNSET:
            check_required_text(errors, field, value)
            values[field] = value.strip()
    if kind is not UNSET:
        check_kind(errors, kind, CrossingKind, "crossing point")
        values["kind"] = kind
    if notes is not UNSET:
        values["notes"] = notes
    if latitude is not UNSET or longitude is not UNSET:
        values["latitude"] = latitude if latitude is not UNSET else point.latitude
        values["longitude"] = longitude if longitude is not UNSET else point.longitude
        check_coordinates(errors, point.country, values["latitude"], values["longitude"])
    section = point.border_section
    if border_section is not UNSET:
        section = find_border_section(border_section, "border_section", errors) if border_section else None
        values["border_section"] = section
    partner = point.counterpart
    if counterpart is not UNSET:
        partner = _find_crossing_point(errors, counterpart, "counterpart") if counterpart else None
        values["counterpart"] = partner
    _check_section_and_counterpart(
        errors, point, point.country, values.get("kind", point.kind), section, partner
    )
    errors.raise_if_any()
    with transaction.atomic():
        old_partner = point.counterpart_id
        if save_changes(
            point, values, actor, "gazetteer.crossing_point.updated", participant_code=point.country_id
        ):
            _link_counterparts(point, old_partner, partner)
    return point
