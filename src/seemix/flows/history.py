"""A value far above the recent history of its series: a warning, never an error.

The rule. A series is one indicator at one place, with one counterpart and one breakdown value. For
a figure of day d (daily) or month m (monthly), its history is the series' figures of the window
before it: the 30 days d-30 .. d-1, or the 12 months m-12 .. m-1, taken from the same submission
where it gives them and otherwise from the participant's current (submitted, not superseded)
revisions. With at least 7 daily (3 monthly) figures in the window, the figure is flagged when

    value > max(3 x median, median + 5 x MAD)   and   value - median >= 10

where MAD is the median absolute deviation of the window. The first bound catches jumps in a
quiet series, the second in a noisy one; the floor of 10 persons keeps tiny counts (0 -> 4) quiet.
"""

from __future__ import annotations

import warnings
from array import array
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from numpy.lib.stride_tricks import sliding_window_view

from seemix.flows.inputs import Problem, Severity, SourceLocation
from seemix.flows.models import Observation, Periodicity, RevisionStatus

WINDOW = {Periodicity.DAILY: 30, Periodicity.MONTHLY: 12}
MIN_POINTS = {Periodicity.DAILY: 7, Periodicity.MONTHLY: 3}
MEDIAN_FACTOR = 3
MAD_FACTOR = 5
MIN_JUMP = 10

SeriesKey = tuple[
    Any, ...
]  # (indicator, country, crossing point, site, border section, counterpart, breakdown, value)


def period_index(periodicity: str, day: date) -> int:
    """Days (daily) or months (monthly) since an epoch: consecutive periods differ by one."""
    return day.year * 12 + day.month - 1 if periodicity == Periodicity.MONTHLY else day.toordinal()


class _Series:
    __slots__ = ("indexes", "location", "periodicity", "rows", "values")

    def __init__(self, periodicity: str, location: SourceLocation) -> None:
        self.periodicity = periodicity
        self.location = location  # the first row's: file and sheet are shared by the series
        self.indexes = array("q")
        self.values = array("q")
        self.rows = array("q")


class SeriesHistory:
    """Collects the submission's figures by series (compactly), then compares each with its window."""

    def __init__(self) -> None:
        self.series: dict[SeriesKey, _Series] = {}

    def series_for(self, key: SeriesKey, periodicity: str, location: SourceLocation) -> _Series:
        """The series to append a figure to: ``indexes`` (period_index), ``values`` and ``rows``."""
        series = self.series.get(key)
        if series is None:
            series = self.series[key] = _Series(periodicity, location)
        return series

    def warnings(self, participant_id: int) -> Iterator[Problem]:
        stored = self._stored(participant_id)
        for key, series in self.series.items():
            window, minimum = WINDOW[series.periodicity], MIN_POINTS[series.periodicity]
            before = stored.get(key, {})
            if not series.values or len(series.values) + len(before) <= minimum:
                continue
            yield from self._flag(series, before, window, minimum)

    def _stored(self, participant_id: int) -> dict[SeriesKey, dict[int, int]]:
        """The participant's current figures in the windows before the submission's dates."""
        if not self.series:
            return {}
        found: dict[SeriesKey, dict[int, int]] = {}
        for periodicity in (Periodicity.DAILY, Periodicity.MONTHLY):
            keys = [k for k, s in self.series.items() if s.periodicity == periodicity and s.values]
            if not keys:
                continue
            lows = [min(self.series[k].indexes) for k in keys]
            highs = [max(self.series[k].indexes) for k in keys]
            if periodicity == Periodicity.DAILY:
                start = date.fromordinal(min(lows)) - timedelta(days=WINDOW[periodicity])
                end = date.fromordinal(max(highs))
            else:
                low = min(lows) - WINDOW[periodicity]
                start, end = date(low // 12, low % 12 + 1, 1), date(max(highs) // 12, max(highs) % 12 + 1, 1)
            wanted = set(keys)
            rows = Observation.objects.filter(
                revision__participant_id=participant_id,
                revision__status=RevisionStatus.SUBMITTED,
                revision__superseded_at__isnull=True,
                indicator_id__in={k[0] for k in keys},
                date__range=(start, end),
                value__isnull=False,
            ).values_list(
                "indicator_id",
                "country_id",
                "crossing_point_id",
                "site_id",
                "border_section_id",
                "counterpart_country_id",
                "breakdown",
                "breakdown_value",
                "date",
                "value",
            )
            for *key_parts, day, value in rows.iterator(chunk_size=10000):
                key = tuple(key_parts)
                if key in wanted:
                    found.setdefault(key, {})[period_index(periodicity, day)] = value
        return found

    def _median_and_mad(self, windows: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per window row (NaN where no figure): the median of its figures and their median absolute
        deviation; NaN for a row without any figure."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # windows without any figure: NaN
            median = np.nanmedian(windows, axis=1)
            mad = np.nanmedian(np.abs(windows - median[:, None]), axis=1)
        return median, mad

    def _flag(self, series: _Series, before: dict[int, int], window: int, minimum: int) -> Iterator[Problem]:
        indexes = np.frombuffer(series.indexes, dtype=np.int64)
        values = np.frombuffer(series.values, dtype=np.int64).astype(float)
        low = int(min(indexes.min(), min(before, default=indexes.min()))) - window
        dense = np.full(int(indexes.max()) - low + 1, np.nan)
        if before:
            stored_at = np.fromiter(before.keys(), dtype=np.int64, count=len(before))
            dense[stored_at - low] = np.fromiter(before.values(), dtype=float, count=len(before))
        dense[indexes - low] = values  # the submission's own figures win over stored ones
        windows = sliding_window_view(dense[:-1], window)[indexes - low - window]
        counts = np.count_nonzero(~np.isnan(windows), axis=1)
        median, mad = self._median_and_mad(windows, counts)
        with np.errstate(invalid="ignore"):  # windows without any figure: NaN, never flagged
            threshold = np.maximum(MEDIAN_FACTOR * median, median + MAD_FACTOR * mad)
            flagged = (counts >= minimum) & (values > threshold) & (values - median >= MIN_JUMP)
        unit = _("days") if series.periodicity == Periodicity.DAILY else _("months")
        for i in np.flatnonzero(flagged):
            location = SourceLocation(
                series.location.file, series.location.sheet, int(series.rows[i]), series.location.column
            )
            message = _(
                "%(value)d is far above the recent history of this series: median %(median)g (MAD %(mad)g) "
                "over %(count)d figures of the previous %(window)d %(unit)s; flagged above %(threshold)g. "
                "Check the figure; it is accepted as it is."
            ) % {
                "value": int(values[i]), "median": median[i], "mad": mad[i], "count": counts[i],
                "window": window, "unit": unit, "threshold": threshold[i],
            }  # fmt: skip
            yield Problem(location, "value", str(int(values[i])), message, Severity.WARNING)
