"""Countries and the border sections between them."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from seemix.core import audit
from seemix.gazetteer.geometry import bounding_box, label_point
from seemix.gazetteer.models import BorderSection, Country, CrossingPoint, ReceptionSite
from seemix.gazetteer.reference_data import shipped_border_line
from seemix.gazetteer.services._common import UNSET, Actor, Unset, authorise, save_changes, writing
from seemix.gazetteer.validation import (
    ALPHA3_CODE,
    COUNTRY_CODE,
    Errors,
    check_area,
    check_line,
    check_required_text,
    find_country,
    normalise_code,
    section_code,
)

# Two countries whose bounding boxes are further apart than this cannot share a border.
NEIGHBOUR_MARGIN_DEGREES = 0.05


# --- countries -------------------------------------------------------------------------------------


def _country_geometry_values(
    errors: Errors, geometry: Any, label: tuple[float, float] | None
) -> dict[str, Any]:
    check_area(errors, "geometry", geometry)
    if errors.has("geometry"):
        return {}
    box = bounding_box(geometry)
    lon, lat = label if label is not None else label_point(geometry)
    if not box.contains(lon, lat):
        errors.add("label_point", "The label point must lie inside the country's bounding box.")
    return {
        "geometry": geometry,
        "min_longitude": box.min_lon,
        "min_latitude": box.min_lat,
        "max_longitude": box.max_lon,
        "max_latitude": box.max_lat,
        "label_longitude": lon,
        "label_latitude": lat,
    }


def create_country(
    *,
    actor: Actor,
    code: str,
    alpha3: str,
    name: str,
    geometry: Any,
    local_name: str = "",
    is_seecp_participant: bool = False,
    label_point: tuple[float, float] | None = None,
) -> Country:
    authorise(actor)
    errors = Errors()
    code, alpha3 = normalise_code(code), normalise_code(alpha3)
    if not COUNTRY_CODE.match(code):
        errors.add("code", f"{code!r} is not an ISO 3166 alpha-2 code: two letters, XK for Kosovo.")
    elif Country.objects.filter(code=code).exists():
        errors.add("code", f"The country {code} already exists.", "duplicate")
    if not ALPHA3_CODE.match(alpha3):
        errors.add("alpha3", f"{alpha3!r} is not an alpha-3 code: three letters, XKX for Kosovo.")
    elif Country.objects.filter(alpha3=alpha3).exists():
        errors.add("alpha3", f"The alpha-3 code {alpha3} is already in use.", "duplicate")
    check_required_text(errors, "name", name, max_length=100)
    values = _country_geometry_values(errors, geometry, label_point)
    errors.raise_if_any()
    with writing("code", f"The country {code} already exists."):
        country = Country.objects.create(
            code=code,
            alpha3=alpha3,
            name=name.strip(),
            local_name=local_name.strip(),
            is_seecp_participant=is_seecp_participant,
            **values,
        )
        audit.record(
            actor, "gazetteer.country.created", country, changes={"code": code, "name": country.name}
        )
    return country


def update_country(
    country: Country,
    *,
    actor: Actor,
    name: str | Unset = UNSET,
    local_name: str | Unset = UNSET,
    is_seecp_participant: bool | Unset = UNSET,
    geometry: Any = UNSET,
    label_point: tuple[float, float] | Unset | None = UNSET,
) -> Country:
    """Codes are identities and never change; names, the SEECP flag and the geometry may."""
    authorise(actor)
    errors = Errors()
    values: dict[str, Any] = {}
    if name is not UNSET:
        check_required_text(errors, "name", name, max_length=100)
        values["name"] = name.strip()
    if local_name is not UNSET:
        values["local_name"] = local_name.strip()
    if is_seecp_participant is not UNSET:
        values["is_seecp_participant"] = is_seecp_participant
    if geometry is not UNSET or label_point is not UNSET:
        shape = geometry if geometry is not UNSET else country.geometry
        label = (
            label_point
            if label_point is not UNSET
            else (None if geometry is not UNSET else (country.label_longitude, country.label_latitude))
        )
        values.update(_country_geometry_values(errors, shape, label))
        if "geometry" in values:
            _check_places_stay_inside(errors, country, values)
    errors.raise_if_any()
    with transaction.atomic():
        save_changes(country, values, actor, "gazetteer.country.updated")
    return country


def _check_places_stay_inside(errors: Errors, country: Country, values: dict[str, Any]) -> None:
    probe = Country(**{k: v for k, v in values.items() if k.startswith(("min_", "max_"))})
    outside = [
        place.code
        for model in (CrossingPoint, ReceptionSite)
        for place in model.objects.filter(country=country).only("code", "latitude", "longitude")
        if not probe.bbox.contains(place.longitude, place.latitude)
    ]
    if outside:
        errors.add(
            "geometry", f"These places would fall outside the new outline: {', '.join(sorted(outside))}."
        )


# --- border sections -------------------------------------------------------------------------------


def create_border_section(
    *, actor: Actor, countries: list[str] | tuple[str, str], name: str = "", geometry: Any = None
) -> BorderSection:
    """The border of two neighbouring countries. Without ``geometry`` the shipped line is used.

    Two countries neighbour when their outlines' bounding boxes touch and a shared border line
    exists: the one or else the one shipped in ``data/border_lines.geojson``.
    """
    authorise(actor)
    errors = Errors()
    found: list[Country] = []
    if len(countries) != 2:
        errors.add("countries", 'Name exactly two countries, for example ["MK", "RS"].')
    else:
        for index, value in enumerate(countries):
            country = find_country(value, f"countries.{index}", errors)
            if country is not None:
                found.append(country)
    if len(found) == 2:
        a, b = sorted(found, key=lambda c: c.code)
        if a.code == b.code:
            errors.add("countries", "A border section joins two different countries.")
        elif not a.bbox.intersects(b.bbox, margin=NEIGHBOUR_MARGIN_DEGREES):
            errors.add(
                "countries",
                f"{a.name} and {b.name} are not neighbours: their territories do not touch.",
                "not_neighbours",
            )
        elif BorderSection.objects.filter(country_a=a, country_b=b).exists():
            errors.add(
                "countries", f"The border section {section_code(a.code, b.code)} already exists.", "duplicate"
            )
        elif geometry is None:
            geometry = shipped_border_line(a.code, b.code)
            if geometry is None:
                errors.add(
                    "geometry",
                    f"No border line between {a.code} and {b.code} is shipped: give it, as a "
                    "GeoJSON (Multi)LineString, if the two countries do share a land border.",
                    "not_neighbours",
                )
        else:
            _check_border_line(errors, geometry, a, b)
    if name:
        check_required_text(errors, "name", name)
    errors.raise_if_any()
    a, b = sorted(found, key=lambda c: c.code)
    with writing("countries", f"The border section {section_code(a.code, b.code)} already exists."):
        section = BorderSection.objects.create(
            code=section_code(a.code, b.code),
            country_a=a,
            country_b=b,
            name=name.strip() or f"{a.name} – {b.name}",
            geometry=geometry,
        )
        audit.record(actor, "gazetteer.border_section.created", section, changes={"code": section.code})
    return section


def _check_border_line(errors: Errors, geometry: Any, a: Country, b: Country) -> None:
    check_line(errors, "geometry", geometry)
    if not errors.has("geometry"):
        line = bounding_box(geometry)
        for country in (a, b):
            if not line.within(country.bbox, margin=NEIGHBOUR_MARGIN_DEGREES):
                errors.add(
                    "geometry", f"The border line leaves {country.name}'s bounding box.", "outside_country"
                )


def update_border_section(
    section: BorderSection, *, actor: Actor, name: str | Unset = UNSET, geometry: Any = UNSET
) -> BorderSection:
    authorise(actor)
    errors = Errors()
    values: dict[str, Any] = {}
    if name is not UNSET:
        check_required_text(errors, "name", name)
        values["name"] = name.strip()
    if geometry is not UNSET:
        _check_border_line(errors, geometry, section.country_a, section.country_b)
        values["geometry"] = geometry
    errors.raise_if_any()
    with transaction.atomic():
        save_changes(section, values, actor, "gazetteer.border_section.updated")
    return section
