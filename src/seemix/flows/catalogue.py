"""What validation resolves codes against, read once per submission: indicators, places, countries.

Every lookup is a dict lookup on a folded name (flows.scripts.fold), so a row costs no query. Places
are found by code, by local name and by Latin name, accent- and script-insensitively: "Tabanovce",
"Табановце", "tabanovce" and "MK-TABANOVCE" all name the same crossing point.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from seemix.flows.models import Indicator
from seemix.flows.nationalities import NATIONALITIES
from seemix.flows.scripts import fold
from seemix.gazetteer.models import BorderSection, Country, CrossingPoint, ReceptionSite


@dataclass(frozen=True, slots=True)
class Place:
    kind: str  # crossing_point, site, border_section or country
    pk: int | None
    code: str
    label: str  # the Latin name
    countries: tuple[str, ...]  # one, or two for a border section

    def describe(self) -> str:
        return f"{self.label} ({self.code})" if self.label != self.code else self.code


@dataclass
class Catalogue:
    indicators: dict[str, Indicator] = field(default_factory=dict)  # by folded code
    places_by_code: dict[str, Place] = field(default_factory=dict)  # by upper-case code
    places_by_name: dict[str, list[Place]] = field(default_factory=dict)  # by folded name or code
    countries: dict[str, str] = field(default_factory=dict)  # code -> English name
    countries_by_name: dict[str, str] = field(default_factory=dict)  # folded name/alpha-3 -> code

    @classmethod
    def load(cls) -> Catalogue:
        catalogue = cls()
        for indicator in Indicator.objects.all():
            catalogue.indicators[fold(indicator.code)] = indicator
        for country in Country.objects.only("code", "alpha3", "name", "local_name"):
            catalogue.countries[country.code] = country.name
            place = Place("country", None, country.code, country.name, (country.code,))
            catalogue._add(place, country.code, country.alpha3, country.name, country.local_name)
            for name in (country.code, country.alpha3, country.name, country.local_name):
                if name:
                    catalogue.countries_by_name[fold(name)] = country.code
        for section in BorderSection.objects.only("pk", "code", "name", "country_a", "country_b"):
            place = Place(
                "border_section",
                section.pk,
                section.code,
                section.code,
                (section.country_a_id, section.country_b_id),  # type: ignore[arg-type]
            )
            reverse = f"{section.country_b_id}-{section.country_a_id}"
            catalogue._add(place, section.code, reverse, section.name)
            catalogue.places_by_code[reverse] = place
        for model, kind in ((CrossingPoint, "crossing_point"), (ReceptionSite, "site")):
            for item in model.objects.only("pk", "code", "name", "name_latin", "country"):
                place = Place(kind, item.pk, item.code, item.name_latin, (item.country_id,))
                catalogue._add(place, item.code, item.name, item.name_latin)
        return catalogue

    def _add(self, place: Place, code: str, *names: str) -> None:
        self.places_by_code[code.upper()] = place
        for name in {fold(n) for n in (code, *names) if n}:
            candidates = self.places_by_name.setdefault(name, [])
            if place not in candidates:
                candidates.append(place)

    # --- look-ups -----------------------------------------------------------------------------------

    def indicator(self, value: str) -> Indicator | None:
        return self.indicators.get(fold(value))

    def places(self, value: str) -> list[Place]:
        """The places ``value`` names: one, several (ambiguous) or none."""
        by_code = self.places_by_code.get(value.strip().upper())
        if by_code is not None:
            return [by_code]
        return list(self.places_by_name.get(fold(value), []))

    def country(self, value: str) -> str | None:
        upper = value.strip().upper()
        if upper in self.countries:
            return upper
        return self.countries_by_name.get(fold(value))

    # --- suggestions --------------------------------------------------------------------------------

    def suggest_indicator(self, value: str) -> Indicator | None:
        close = difflib.get_close_matches(fold(value), list(self.indicators), n=1, cutoff=0.6)
        return self.indicators[close[0]] if close else None

    def suggest_place(self, value: str) -> Place | None:
        close = difflib.get_close_matches(fold(value), list(self.places_by_name), n=1, cutoff=0.75)
        if not close:
            return None
        candidates = self.places_by_name[close[0]]
        return candidates[0] if len(candidates) == 1 else None

    def suggest_country(self, value: str) -> str | None:
        close = difflib.get_close_matches(fold(value), list(self.countries_by_name), n=1, cutoff=0.75)
        return self.countries_by_name[close[0]] if close else None


def suggest_nationality(value: str) -> str | None:
    names = {fold(name): code for code, name in NATIONALITIES.items()}
    if fold(value) in names:
        return names[fold(value)]
    close = difflib.get_close_matches(fold(value), list(names), n=1, cutoff=0.75)
    return names[close[0]] if close else None
