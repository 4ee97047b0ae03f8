"""Codes as a file or form writes them, resolved: indicators, places, counterparts, breakdowns.

``CodeResolver`` is the part of the validator (flows.validation) that decides, once per distinct
combination of codes, what they name and what is wrong with them ("did you mean ...?", another
participant's place, a word that mixes scripts). The row path calls it for each new combination, the
staged import (flows.staged_checks) for each distinct combination of a staged file: one set of rules
and messages for both.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from seemix.flows.catalogue import Catalogue, Place, suggest_nationality
from seemix.flows.inputs import Problem, Severity, SourceLocation
from seemix.flows.models import (
    AGE_GROUP_VALUES,
    SEX_VALUES,
    UNACCOMPANIED_MINOR_VALUES,
    Breakdown,
    Indicator,
)
from seemix.flows.nationalities import NATIONALITIES
from seemix.flows.scripts import mixed_script_words

BREAKDOWN_VALUES: dict[str, tuple[str, ...]] = {
    Breakdown.SEX: SEX_VALUES,
    Breakdown.AGE_GROUP: AGE_GROUP_VALUES,
    Breakdown.UNACCOMPANIED_MINORS: UNACCOMPANIED_MINOR_VALUES,
}
BREAKDOWN_NAMES = [b.value for b in Breakdown if b.value]


def text_problems(location: SourceLocation, field: str, text: str, *, resolved_as: str = "") -> list[Problem]:
    """A problem for each word of ``text`` that mixes scripts (an error unless it resolved anyway)."""
    problems = []
    for word in mixed_script_words(text):
        tail = _("; it was read as %(place)s all the same") % {"place": resolved_as} if resolved_as else ""
        problems.append(
            Problem(
                location,
                field,
                text,
                _("%(word)s%(tail)s. Retype it in one script.") % {"word": word.describe(), "tail": tail},
                Severity.WARNING if resolved_as else Severity.ERROR,
            )
        )
    return problems


class CodeResolver:
    """Resolves codes against ``catalogue`` for a participant (``home``: its country code, if any)."""

    catalogue: Catalogue
    home: str | None
    _cache: dict[tuple[str, str], tuple[Any, list[tuple[str, str, str, Severity]]]]

    def _resolve(self, kind: str, value: str) -> tuple[Any, list[tuple[str, str, str, Severity]]]:
        """(resolved thing or None, [(field, message, suggestion, severity)]), computed once per value."""
        key = (kind, value)
        cached = self._cache.get(key)
        if cached is None:
            cached = getattr(self, f"_resolve_{kind}")(value)
            self._cache[key] = cached
        return cached

    def _resolve_indicator(self, value: str) -> tuple[Any, list[Any]]:
        indicator = self.catalogue.indicator(value)
        found: list[Any] = []
        if indicator is None:
            guess = self.catalogue.suggest_indicator(value)
            hint = (
                _("Did you mean %(code)s (%(name)s)?") % {"code": guess.code, "name": guess.name}
                if guess
                else ""
            )
            message = _("There is no indicator %(value)r.") % {"value": value}
            found.append(("indicator", message, hint, Severity.ERROR))
        elif not indicator.is_active:
            found.append(
                (
                    "indicator",
                    _("The indicator %(code)s is no longer in use.") % {"code": indicator.code},
                    "",
                    Severity.ERROR,
                )
            )
            indicator = None
        found += self._scripts("indicator", value, indicator.code if indicator else "")
        return indicator, found

    def _resolve_place(self, value: str) -> tuple[Any, list[Any]]:
        found: list[Any] = []
        places = self.catalogue.places(value) if value.strip() else []
        place: Place | None = places[0] if len(places) == 1 else None
        if not value.strip():
            message = _("The place is missing: give a crossing point, site, border section or country.")
            found.append(("place", message, "", Severity.ERROR))
        elif len(places) > 1:
            names = ", ".join(p.describe() for p in places)
            message = _("%(value)r names more than one place: %(names)s. Use the code.") % {
                "value": value,
                "names": names,
            }
            found.append(("place", message, "", Severity.ERROR))
        elif place is None:
            guess = self.catalogue.suggest_place(value)
            hint = _("Did you mean %(place)s?") % {"place": guess.describe()} if guess else ""
            message = _("There is no crossing point, site, border section or country %(value)r.") % {
                "value": value
            }
            found.append(("place", message, hint, Severity.ERROR))
        elif self.home and self.home not in place.countries:
            home = self.catalogue.countries[self.home]
            where = _(" and ").join(f"{self.catalogue.countries.get(c, c)} ({c})" for c in place.countries)
            message = _(
                "%(place)s is in %(where)s: %(home)s (%(code)s) reports only places in its own country."
            ) % {
                "place": place.describe(),
                "where": where,
                "home": home,
                "code": self.home,
            }
            found.append(("place", message, "", Severity.ERROR))
            place = None
        found += self._scripts("place", value, place.describe() if place else "")
        return place, found

    def _resolve_counterpart(self, value: str) -> tuple[Any, list[Any]]:
        code = self.catalogue.country(value)
        found: list[Any] = []
        if code is None:
            guess = self.catalogue.suggest_country(value)
            name = self.catalogue.countries[guess] if guess else ""
            hint = _("Did you mean %(code)s (%(name)s)?") % {"code": guess, "name": name} if guess else ""
            message = _("There is no country %(value)r: use an ISO 3166 alpha-2 code (XK for Kosovo).") % {
                "value": value
            }
            found.append(("counterpart", message, hint, Severity.ERROR))
        found += self._scripts("counterpart", value, code or "")
        return code, found

    def _resolve_nationality(self, value: str) -> tuple[Any, list[Any]]:
        code = value.strip().upper()
        found: list[Any] = []
        if code not in NATIONALITIES:
            guess = suggest_nationality(value)
            hint = (
                _("Did you mean %(code)s (%(name)s)?") % {"code": guess, "name": NATIONALITIES[guess]}
                if guess
                else ""
            )
            message = _("%(value)r is not an ISO 3166 alpha-2 country code (XK for Kosovo).") % {
                "value": value
            }
            found.append(("breakdown_value", message, hint, Severity.ERROR))
            code = None
        found += self._scripts("breakdown_value", value, code or "")
        return code, found

    def _scripts(self, field: str, value: str, resolved_as: str) -> list[Any]:
        return [
            (p.field, p.message, "", p.severity)
            for p in text_problems(SourceLocation(), field, value, resolved_as=resolved_as)
        ]

    def resolve_codes(
        self, indicator_code: str, place_code: str, counterpart_code: str, breakdown: str, breakdown_text: str
    ) -> tuple[Any, ...]:
        """(indicator, country, crossing point, site, border section, counterpart, breakdown value,
        problems, total identity, figure identity) of one combination of codes, as written in a row.

        The identities are None when the indicator or the place did not resolve. The staged import
        (flows.staged_import) resolves the distinct combinations of a file through this same method.
        """
        found: list[Any] = []
        indicator, more = self._resolve("indicator", indicator_code)
        found += more
        place, more = self._resolve("place", place_code)
        found += more
        counterpart = None
        if counterpart_code:
            counterpart, more = self._resolve("counterpart", counterpart_code)
            found += more
        elif indicator is not None and indicator.needs_counterpart:
            message = _("%(code)s needs the destination country as counterpart.") % {"code": indicator.code}
            found.append(("counterpart", message, "", Severity.ERROR))
        if place is not None and counterpart in place.countries and place.kind != "border_section":
            message = _("The counterpart must be another country than %(place)s's.") % {
                "place": place.describe()
            }
            found.append(("counterpart", message, "", Severity.ERROR))
        breakdown_value = self._check_breakdown(breakdown, breakdown_text, indicator, found)
        if place is None or indicator is None:
            return (indicator, None, None, None, None, counterpart, breakdown_value, tuple(found), None, None)
        country = self.home if self.home in place.countries else place.countries[0]
        at = {place.kind: place.pk}
        where = (at.get("crossing_point"), at.get("site"), at.get("border_section"))
        # The figure's identity less its date, as resolved (so "Šid" and "RS-SID" are the same place).
        total = (indicator.id, country, *where, counterpart)
        figure = (*total, breakdown, breakdown_value)
        return (indicator, country, *where, counterpart, breakdown_value, tuple(found), total, figure)

    def _check_breakdown(
        self, breakdown: str, value: str, indicator: Indicator | None, found: list[Any]
    ) -> str:
        if not breakdown:
            if value:
                found.append(
                    ("breakdown_value", _("A breakdown value needs a breakdown."), "", Severity.ERROR)
                )
            return ""
        if breakdown not in BREAKDOWN_NAMES:
            message = _("Unknown breakdown %(value)r: use %(names)s.") % {
                "value": breakdown,
                "names": ", ".join(BREAKDOWN_NAMES),
            }
            found.append(("breakdown", message, "", Severity.ERROR))
            return value
        if indicator is not None and breakdown not in indicator.allowed_breakdowns:
            allowed = ", ".join(indicator.allowed_breakdowns) or "none"
            message = _("%(code)s has no breakdown by %(breakdown)s (it has: %(allowed)s).") % {
                "code": indicator.code,
                "breakdown": breakdown,
                "allowed": allowed,
            }
            found.append(("breakdown", message, "", Severity.ERROR))
        if breakdown == Breakdown.NATIONALITY:
            code, more = self._resolve("nationality", value)
            found += more
            return code or value
        allowed_values = BREAKDOWN_VALUES[breakdown]
        if value not in allowed_values:
            message = _("%(value)r is not a value of the %(breakdown)s breakdown: use %(values)s.") % {
                "value": value,
                "breakdown": breakdown,
                "values": ", ".join(allowed_values),
            }
            found.append(("breakdown_value", message, "", Severity.ERROR))
        return value
