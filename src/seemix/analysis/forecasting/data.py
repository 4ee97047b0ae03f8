"""The daily Western Balkans route arrivals (IFRC dashboard, Oct 2015 - Apr 2016) as a panel.

The file is `../shared/data/balkan_route_daily/wb_route_daily_arrivals_2015-10-01_2016-04-18.csv`
(see its SOURCES.md): one row a day, one column a country, persons per day; an empty cell is a day
not reported and the literal ``N/A`` is kept where the source had it. Both become missing values
here; nothing is filled in, so that a model decides for itself what a gap means.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from seemix.analysis.forecasting.panel import Panel

ROUTE_COLUMNS = (
    "greekislands", "mainlandgreece", "fyrom", "serbia", "croatia",
    "hungary", "slovenia", "austria", "germany",
)  # fmt: skip

# Who feeds whom along the route in 2015-16, nearest first, up to four steps back: what lands on the
# islands reaches Croatia about four days later, so Croatia's next days are read from there. The
# lags themselves (0-2 days a step) are learnt by the route-aware model, not written here.
ROUTE_ORDER = (
    "greekislands", "mainlandgreece", "fyrom", "serbia", "croatia", "slovenia", "austria", "germany",
)  # fmt: skip
ROUTE_UPSTREAM: dict[str, tuple[str, ...]] = {
    name: tuple(reversed(ROUTE_ORDER[max(0, i - 4) : i])) for i, name in enumerate(ROUTE_ORDER) if i
}
# Hungary took the route from Serbia, then (from 16 October 2015) from Croatia. It is nobody's
# upstream here: its figures stop for weeks in 2016, and a gap is not a day without arrivals.
ROUTE_UPSTREAM["hungary"] = ("croatia", "serbia", "fyrom")


class RouteDataError(ValueError):
    """A cell of the route file that is neither empty, ``N/A`` nor a non-negative whole number."""


def load_route_daily(path: str | Path) -> pd.DataFrame:
    """The route file as a frame indexed by day, one float column per country (NaN = not reported).

    Raises RouteDataError naming the file, row, column and reason for anything else: a missing
    column, a date that is not ISO or not the day after the previous row, a negative or fractional
    count.
    """
    path = Path(path)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("date", *ROUTE_COLUMNS) if c not in (reader.fieldnames or ())]
        if missing:
            raise RouteDataError(f"{path}: missing column(s) {', '.join(missing)}")
        days: list[pd.Timestamp] = []
        rows: list[list[float]] = []
        for line, row in enumerate(reader, start=2):
            try:
                day = pd.Timestamp(row["date"])
            except ValueError:
                raise RouteDataError(
                    f"{path}, row {line}, column date: {row['date']!r} is not a date"
                ) from None
            if days and day != days[-1] + pd.Timedelta(days=1):
                raise RouteDataError(
                    f"{path}, row {line}, column date: {day.date()} does not follow {days[-1].date()}"
                )
            days.append(day)
            rows.append([_count(path, line, column, row[column]) for column in ROUTE_COLUMNS])
    frame = pd.DataFrame(rows, index=pd.DatetimeIndex(days, name="date"), columns=list(ROUTE_COLUMNS))
    return frame.astype(float)


def _count(path: Path, line: int, column: str, text: str | None) -> float:
    text = (text or "").strip()
    if text in ("", "N/A"):
        return np.nan
    try:
        value = float(text)
    except ValueError:
        raise RouteDataError(f"{path}, row {line}, column {column}: {text!r} is not a number") from None
    if value < 0 or value != int(value):
        raise RouteDataError(f"{path}, row {line}, column {column}: {text!r} is not a count of persons")
    return value


def route_panel(frame: pd.DataFrame, columns: tuple[str, ...] | None = None) -> Panel:
    """A daily Panel of the route frame with the 2015-16 upstream links."""
    columns = tuple(columns or frame.columns)
    upstream = {
        name: tuple(u for u in ROUTE_UPSTREAM.get(name, ()) if u in frame.columns) for name in columns
    }
    extra = sorted({u for ups in upstream.values() for u in ups} - set(columns))
    names = (*columns, *extra)
    return Panel(
        dates=pd.DatetimeIndex(frame.index),
        names=names,
        values=frame[list(names)].to_numpy(dtype=float).T.copy(),
        freq="D",
        upstream=upstream,
        targets=columns,
    )
