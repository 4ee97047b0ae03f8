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

from seemix.flows.catalogue import Catalogue
from seemix.flows.codes import CodeResolver
from seemix.flows.history import period_index
from seemix.flows.history_fast import FastSeriesHistory
from seemix.flows.inputs import ObservationInput, Problem, Severity, SourceLocation
from seemix.flows.models import (
    Indicator,
    Periodicity,
)
from seemix.flows.sums import base_revisions, carried_figures, sum_problems

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


class Validator(CodeResolver):
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
