"""Checks shared by the gazetteer's services: each adds a FieldError naming the field, never writes."""

from __future__ import annotations

import difflib
import re
from typing import Any

from seemix.core.errors import FieldError, InvalidInput
from seemix.gazetteer.geometry import AREA_TYPES, LINE_TYPES, geometry_problem
from seemix.gazetteer.models import BorderSection, Country

COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
ALPHA3_CODE = re.compile(r"^[A-Z]{3}$")
# Places are named by their country's code, a hyphen, then letters, digits and hyphens: RS-SID.
PLACE_CODE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]+)+$")
PLACE_CODE_MAX = 40


class Errors:
    """Collects the problems of one request, so the caller hears of all of them at once."""

    def __init__(self) -> None:
        self.items: list[FieldError] = []

    def add(self, field: str, message: str, code: str = "invalid") -> None:
        self.items.append(FieldError(field, message, code))

    def has(self, field: str) -> bool:
        return any(e.field == field for e in self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidInput(self.items)


def normalise_code(value: str) -> str:
    """Codes are matched case-insensitively and stored in upper case."""
    return value.strip().upper()


def suggest_country(value: str) -> Country | None:
    """The country a mistyped code or name most likely meant: SRB, 'Serbia', 'SR' and 'serbai' -> RS."""
    text = value.strip()
    upper = text.upper()
    countries = list(Country.objects.only("code", "alpha3", "name", "local_name"))
    for country in countries:
        if upper in (country.alpha3, country.name.upper(), country.local_name.upper()):
            return country
    if len(upper) == 2:
        swapped = [c for c in countries if sorted(c.code) == sorted(upper)]
        if swapped:
            return swapped[0]
    names = {c.name.lower(): c for c in countries}
    close = difflib.get_close_matches(text.lower(), list(names), n=1, cutoff=0.75)
    return names[close[0]] if close else None


def unknown_country_message(value: str) -> str:
    message = f"There is no country with the code {value!r}."
    suggestion = suggest_country(value)
    if suggestion is not None:
        return f"{message} Did you mean {suggestion.code} ({suggestion.name})?"
    return f"{message} Use an ISO 3166 alpha-2 code (XK for Kosovo)."


def find_country(value: str, field: str, errors: Errors) -> Country | None:
    country = Country.objects.filter(code=normalise_code(value)).first()
    if country is None:
        errors.add(field, unknown_country_message(value), "unknown")
    return country


def section_code(a: str, b: str) -> str:
    return f"{min(a, b)}-{max(a, b)}"


def find_border_section(value: str, field: str, errors: Errors) -> BorderSection | None:
    """A border section by its code, in either order of the two countries (RS-MK finds MK-RS)."""
    parts = normalise_code(value).split("-")
    code = section_code(*parts) if len(parts) == 2 else normalise_code(value)
    section = BorderSection.objects.select_related("country_a", "country_b").filter(code=code).first()
    if section is None:
        errors.add(
            field, f"There is no border section {value!r}. Border sections are named like MK-RS.", "unknown"
        )
    return section


def check_required_text(errors: Errors, field: str, value: str, *, max_length: int = 200) -> None:
    if not value.strip():
        errors.add(field, "This may not be blank.", "required")
    elif len(value) > max_length:
        errors.add(field, f"At most {max_length} characters.", "too_long")


def check_place_code(errors: Errors, code: str, country_code: str, *, taken: bool) -> None:
    if len(code) > PLACE_CODE_MAX or not PLACE_CODE.match(code):
        errors.add(
            "code",
            f"{code!r} is not a valid code: write the country code, a hyphen, then capital letters, digits "
            f"and hyphens, at most {PLACE_CODE_MAX} characters (for example RS-SID).",
        )
    elif not code.startswith(f"{country_code}-"):
        errors.add("code", f"The code must start with the country's code: {country_code}-…")
    elif taken:
        errors.add("code", f"The code {code} is already in use.", "duplicate")


def check_coordinates(errors: Errors, country: Country | None, latitude: float, longitude: float) -> None:
    """Within the globe, and within the country's bounding box: a point in the wrong country is a typo."""
    if not -90 <= latitude <= 90:
        errors.add("latitude", "A latitude lies between -90 and 90 degrees.")
    if not -180 <= longitude <= 180:
        errors.add("longitude", "A longitude lies between -180 and 180 degrees.")
    if country is None or errors.has("latitude") or errors.has("longitude"):
        return
    box = country.bbox
    if not box.min_lat <= latitude <= box.max_lat:
        errors.add(
            "latitude",
            f"{latitude} is outside {country.name}'s bounding box (latitude {box.min_lat:.4f} to "
            f"{box.max_lat:.4f}): check the coordinates and the country.",
            "outside_country",
        )
    if not box.min_lon <= longitude <= box.max_lon:
        errors.add(
            "longitude",
            f"{longitude} is outside {country.name}'s bounding box (longitude {box.min_lon:.4f} to "
            f"{box.max_lon:.4f}): check the coordinates and the country.",
            "outside_country",
        )


def check_area(errors: Errors, field: str, geometry: Any) -> None:
    problem = geometry_problem(geometry, AREA_TYPES)
    if problem:
        errors.add(field, problem)


def check_line(errors: Errors, field: str, geometry: Any) -> None:
    problem = geometry_problem(geometry, LINE_TYPES)
    if problem:
        errors.add(field, problem)
