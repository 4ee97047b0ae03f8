"""The one validation path of reported figures: the web form, file upload, JSON API and the command
line all hand their rows (``ObservationInput``) to a ``Validator``.

Per row (streaming, no query per row): unknown indicator, place, counterpart or breakdown codes,
with a "did you mean ...?"; a place in another participant's country; a missing date, a date in the
future or outside the report's period, a monthly figure not dated by the first of its month; a
negative value; a breakdown the indicator does not have; a duplicate of an earlier row; a word that
mixes scripts. After the last row (``finish``): breakdowns summing above their total, and a value
far above the recent history of its series (a warning only, see flows.history).

Each finding is a ``Problem`` located at the row's file, sheet, row and column. A row with an error
is not staged; the caller decides whether any error rejects the whole submission.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from seemix.flows.catalogue import Catalogue, Place, suggest_nationality
from seemix.flows.history import period_index
from seemix.flows.history_fast import FastSeriesHistory
from seemix.flows.inputs import ObservationInput, Problem, Severity, SourceLocation
from seemix.flows.models import (
    AGE_GROUP_VALUES,
    SEX_VALUES,
    UNACCOMPANIED_MINOR_VALUES,
    Breakdown,
    Indicator,
    Periodicity,
)
from seemix.flows.nationalities import NATIONALITIES
from seemix.flows.scripts import mixed_script_words
from seemix.flows.sums import base_revisions, carried_figures, sum_problems

BREAKDOWN_VALUES: dict[str, tuple[str, ...]] = {
    Breakdown.SEX: SEX_VALUES,
    Breakdown.AGE_GROUP: AGE_GROUP_VALUES,
    Breakdown.UNACCOMPANIED_MINORS: UNACCOMPANIED_MINOR_VALUES,
}
BREAKDOWN_NAMES = [b.value for b in Breakdown if b.value]
# Observations are dated in the reporter's local calendar; the region's clocks run up to UTC+3.
LATEST_OFFSET = timedelta(hours=3)

# A staged row, in the column order of flows.bulk.OBSERVATION_COLUMNS after the first two:
# (seq, report index, indicator, date, country, crossing point, site, border section, counterpart,
#  breakdown, breakdown value, value, estimate, provisional)
Staged = tuple[Any, ...]
ReportKey = tuple[str, date]  # (periodicity, period start)


def latest_reportable_day() -> date:
    return (timezone.now() + LATEST_OFFSET).date()


def period_of(indicator: Indicator, day: date) -> ReportKey:
    if indicator.periodicity == Periodicity.MONTHLY:
        return (Periodicity.MONTHLY, day.replace(day=1))
    return (Periodicity.DAILY, day)


def period_end(periodicity: str, start: date) -> date:
    if periodicity == Periodicity.MONTHLY:
        following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
        return following - timedelta(days=1)
    return start


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


def duplicate_problem(location: SourceLocation, first_row: int) -> Problem:
    message = _(
        "The same figure (indicator, date, place, counterpart and breakdown) is already given in row %(row)s."
    ) % {"row": first_row}
    return Problem(location, "row", "", message)


def negative_value() -> tuple[str, str, str, Severity]:
    return ("value", _("A count cannot be negative."), "", Severity.ERROR)


def _located(row: ObservationInput, field: str, value: str) -> SourceLocation:
    """The row's location, with the column of the field when the source's cells tell which it is."""
    if row.location.column or not row.raw:
        return row.location
    for header, cell in row.raw.items():
        if cell == value and value != "":
            return dataclasses.replace(row.location, column=header)
    return row.location


class Validator:
    """Checks rows one by one (``check``), then the submission as a whole (``finish``)."""

    def __init__(
        self,
        participant: Any,
        *,
        catalogue: Catalogue | None = None,
        period: ReportKey | None = None,
        today: date | None = None,
        history: bool = True,
    ) -> None:
        self.participant = participant
        self.catalogue = catalogue or Catalogue.load()
        self.home = participant.code if participant.code in self.catalogue.countries else None
        self.period = period
        self.latest = today or latest_reportable_day()
        self.problems: list[Problem] = []
        self.error_count = 0
        self.rows_rejected = 0  # rows not staged, or staged and then rejected by ``finish``
        self.rejected: set[int] = set()  # seq of rows rejected after staging (by ``finish``)
        self.report_keys: dict[ReportKey, int] = {}
        self._seen: dict[int, int] = {}  # hash of an observation's identity -> its row number
        self._totals: dict[int, tuple[int, int, SourceLocation]] = {}  # identity hash -> (value, seq, where)
        # (identity hash, breakdown) -> [sum, seqs, location and value of the first row]
        self._sums: dict[tuple[int, str], list[Any]] = {}
        self._combinations: dict[tuple[str, ...], tuple[Any, ...]] = {}
        self._dates: dict[tuple[Any, Any], tuple[Any, ...]] = {}
        self._history = FastSeriesHistory() if history else None
        self._cache: dict[tuple[str, str], tuple[Any, list[tuple[str, str, str, Severity]]]] = {}

    # --- helpers ------------------------------------------------------------------------------------

    def _add(self, problem: Problem) -> None:
        self.problems.append(problem)
        if problem.severity == Severity.ERROR:
            self.error_count += 1

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

    def _report(self, row: ObservationInput, found: list[Any]) -> bool:
        """Add the row's problems; True if any is an error."""
        values = {
            "indicator": row.indicator,
            "place": row.place,
            "counterpart": row.counterpart,
            "breakdown": row.breakdown,
            "breakdown_value": row.breakdown_value,
            "date": row.date.isoformat() if row.date else "",
            "value": "" if row.value is None else str(row.value),
        }
        error = False
        for field, message, suggestion, severity in found:
            value = values.get(field, "")
            self._add(Problem(_located(row, field, value), field, value, message, severity, suggestion))
            error = error or severity == Severity.ERROR
        return error

    # --- one row ------------------------------------------------------------------------------------

    def check(self, row: ObservationInput, seq: int) -> Staged | None:
        """The staged row, or None if it has an error (each problem is added to ``problems``).

        Everything but the date, the value and the identity is decided once per distinct combination
        of codes (a file repeats a few hundred of them), so a row costs a few dict look-ups.
        """
        codes = (row.indicator, row.place, row.counterpart, row.breakdown, row.breakdown_value)
        combination = self._combinations.get(codes)
        if combination is None:
            combination = self._combinations[codes] = self._combine(row)
        indicator, country, crossing_point, site, section, counterpart, breakdown_value = combination[:7]
        found, figure, total, series = combination[7:]
        day = row.date
        # Keyed by the indicator's id, not the Indicator: hashing a model instance is slow.
        date_key = (indicator.id if indicator is not None else None, day)
        dated = self._dates.get(date_key)
        if dated is None:
            dated = self._dates[date_key] = self._check_date(day, indicator)
        report_key, date_found, iso_day, at_period = dated
        value = row.value
        if found or date_found or (value is not None and value < 0):
            problems = list(found) + list(date_found)
            if value is not None and value < 0:
                problems.append(negative_value())
            if self._report(row, problems):
                self.rows_rejected += 1
                return None
        key = hash((figure, day))
        first = self._seen.get(key)
        number = row.location.row if row.location.row is not None else seq + 1
        if first is not None:
            self._add(duplicate_problem(row.location, first))
            self.rows_rejected += 1
            return None
        self._seen[key] = number
        if value is not None:
            if row.breakdown:
                group = (hash((total, day)), row.breakdown)
                sums = self._sums.get(group)
                if sums is None:
                    self._sums[group] = [value, [seq], row.location, value]
                else:
                    sums[0] += value
                    sums[1].append(seq)
            else:
                self._totals[hash((total, day))] = (value, seq, row.location)
            if series is not None:
                series.indexes.append(at_period)
                series.values.append(value)
                series.rows.append(number)
        index = self.report_keys.get(report_key)
        if index is None:
            index = self.report_keys[report_key] = len(self.report_keys)
        return (
            seq,
            index,
            indicator.id,
            iso_day,
            country,
            crossing_point,
            site,
            section,
            counterpart,
            row.breakdown,
            breakdown_value,
            value,
            row.estimate,
            row.provisional,
        )

    def note_figure(
        self,
        seq: int,
        location: SourceLocation,
        total: int,
        figure: int,
        day: date,
        breakdown: str,
        value: Any,
    ) -> None:
        """The bookkeeping ``check`` does for an accepted row (duplicates, breakdown sums), for a row
        checked elsewhere (flows.staged_checks). ``total`` and ``figure`` are the hashes of the
        identities ``resolve_codes`` gives."""
        self._seen[hash((figure, day))] = location.row if location.row is not None else seq + 1
        if value is None:
            return
        if breakdown:
            group = (hash((total, day)), breakdown)
            sums = self._sums.get(group)
            if sums is None:
                self._sums[group] = [value, [seq], location, value]
            else:
                sums[0] += value
                sums[1].append(seq)
        else:
            self._totals[hash((total, day))] = (value, seq, location)

    def _combine(self, row: ObservationInput) -> tuple[Any, ...]:
        """What a combination of codes resolves to, and its problems (found once, reported per row)."""
        resolved = self.resolve_codes(
            row.indicator, row.place, row.counterpart, row.breakdown, row.breakdown_value
        )
        indicator, country, crossing_point, site, section, counterpart, breakdown_value, found = resolved[:8]
        total, figure = resolved[8:]
        if figure is None:
            return (indicator, None, None, None, None, counterpart, breakdown_value, found, 0, 0, None)
        series = None
        if self._history is not None:
            series = self._history.series_for(figure, indicator.periodicity, row.location)
        identity = (hash(figure), hash(total), series)
        return (
            indicator,
            country,
            crossing_point,
            site,
            section,
            counterpart,
            breakdown_value,
            found,
            *identity,
        )

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

    def _check_date(
        self, day: date | None, indicator: Indicator | None
    ) -> tuple[ReportKey | None, tuple[Any, ...], str, int]:
        """(the report's key, problems of the date, ISO day, period index) for a date and an indicator."""
        if day is None:
            return None, (("date", _("The date is missing."), "", Severity.ERROR),), "", 0
        found: list[Any] = []
        if day > self.latest:
            found.append(
                ("date", _("%(date)s is in the future.") % {"date": day.isoformat()}, "", Severity.ERROR)
            )
        if indicator is None:
            return None, tuple(found), "", 0
        if indicator.periodicity == Periodicity.MONTHLY and day.day != 1:
            message = _("%(code)s is monthly: date it by the first day of its month.") % {
                "code": indicator.code
            }
            hint = _("Did you mean %(date)s?") % {"date": day.replace(day=1).isoformat()}
            found.append(("date", message, hint, Severity.ERROR))
            return None, tuple(found), "", 0
        key = period_of(indicator, day)
        if self.period is not None and key != self.period:
            periodicity, start = self.period
            end = period_end(periodicity, start)
            span = (
                start.isoformat()
                if start == end
                else _("%(start)s to %(end)s")
                % {
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                }
            )
            kind = (
                ""
                if indicator.periodicity == periodicity
                else _(" (%(code)s is %(periodicity)s)")
                % {"code": indicator.code, "periodicity": indicator.periodicity}
            )
            message = _("%(date)s is outside the report's period (%(periodicity)s %(span)s)%(kind)s.") % {
                "date": day.isoformat(),
                "periodicity": periodicity,
                "span": span,
                "kind": kind,
            }
            found.append(("date", message, "", Severity.ERROR))
        return key, tuple(found), day.isoformat(), period_index(indicator.periodicity, day)

    # --- the submission as a whole ------------------------------------------------------------------

    def finish(self) -> None:
        """Breakdowns summing above their total (errors), with the figures a correction carries over
        from the revision it builds on (flows.sums); values far above their history (warnings)."""
        carried = carried_figures(base_revisions(self.participant.pk, self.report_keys))
        problems, rejected = sum_problems(self._totals, self._sums, self._seen, carried)
        for problem in problems:
            self._add(problem)
        self.rejected.update(rejected)
        self.rows_rejected += len(self.rejected)
        self._sums.clear()
        self._totals.clear()
        self._seen.clear()
        if self._history is not None:
            for problem in self._history.warnings(self.participant.pk):
                self._add(problem)

    def run(self, rows: Iterable[ObservationInput]) -> list[Staged]:
        """Check every row and finish: the staged rows (for small submissions held in memory)."""
        staged = [s for seq, row in enumerate(rows) if (s := self.check(row, seq)) is not None]
        self.finish()
        return [s for s in staged if s[0] not in self.rejected]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]
