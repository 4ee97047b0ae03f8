"""The 2015-16 Western Balkans route figures as arrays: a pure loader and mapper.

The file is ``../shared/data/balkan_route_daily/wb_route_daily_arrivals_2015-10-01_2016-04-18.csv``
(a copy ships as ``seemix/demo/data/``; its PROVENANCE.md and the shared SOURCES.md section 1 say
where it comes from). One row a day, one column a country's arrivals: persons entering that country
that day. An empty cell was not reported; the literal ``N/A`` is a figure reported as not available,
kept apart (``not_available``) because it is itself a discrepancy worth listing.

How the columns become a route (``ROUTE_BORDERS``): each column counts the entries across one border
of the route (or, for Austria, across both of its borders in use), so it is an ENTRY or ENTRIES
report of the destination. Lags are those at which consecutive columns correlate best over
17 Oct 2015 - 8 Mar 2016 (islands->mainland 1 day, mainland->North Macedonia 2, North Macedonia->
Serbia 0, Serbia->Croatia 1, Croatia->Slovenia 0, Slovenia->Austria 1, Austria->Germany 0; in
early October Croatia->Hungary 1 and Hungary->Austria 0). Germany is outside the route's nodes: its
column counts the people leaving Austria for it.

No country reported how many people it held, so ``transit_assumption`` adds, for each country and
day, the assumption that it holds about ``dwell_days`` days of its arrivals, with an error of that
size: the transit countries of 2015-16 moved people on within a day or two.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from seemix.analysis.reconciliation import Border, Network, ReportKind, Reports

COLUMNS = (
    "greekislands",
    "mainlandgreece",
    "fyrom",
    "serbia",
    "croatia",
    "hungary",
    "slovenia",
    "austria",
    "germany",
)
NODES = ("GR-ISL", "GR", "MK", "RS", "HR", "HU", "SI", "AT")
NAMES = {
    "TR": "Turkey", "GR-ISL": "the Greek islands", "GR": "mainland Greece", "MK": "North Macedonia",
    "RS": "Serbia", "HR": "Croatia", "HU": "Hungary", "SI": "Slovenia", "AT": "Austria", "DE": "Germany",
}  # fmt: skip
ROUTE_BORDERS = (
    Border("TR", "GR-ISL", 0, "TR-GR (sea)"),
    Border("GR-ISL", "GR", 1, "islands-mainland (ferry)"),
    Border("GR", "MK", 2, "GR-MK"),
    Border("MK", "RS", 0, "MK-RS"),
    Border("RS", "HR", 1, "RS-HR"),
    Border("HR", "HU", 1, "HR-HU"),
    Border("HR", "SI", 0, "HR-SI"),
    Border("HU", "AT", 0, "HU-AT"),
    Border("SI", "AT", 1, "SI-AT"),
    Border("AT", "DE", 0, "AT-DE"),
)
# column -> (kind, border or node index, reporting participant)
MAPPING = {
    "greekislands": (ReportKind.ENTRY, 0, "GR"),
    "mainlandgreece": (ReportKind.ENTRY, 1, "GR"),
    "fyrom": (ReportKind.ENTRY, 2, "MK"),
    "serbia": (ReportKind.ENTRY, 3, "RS"),
    "croatia": (ReportKind.ENTRY, 4, "HR"),
    "hungary": (ReportKind.ENTRY, 5, "HU"),
    "slovenia": (ReportKind.ENTRY, 6, "SI"),
    "austria": (ReportKind.ENTRIES, NODES.index("AT"), "AT"),
    "germany": (ReportKind.ENTRY, 9, "DE"),
}
ASSUMPTION = "transit"  # the reporter name of the transit assumption


@dataclass(frozen=True)
class RouteFigures:
    frame: pd.DataFrame  # date index, one float column per country (NaN: no figure)
    not_available: pd.DataFrame  # same shape, True where the source wrote N/A


def read_route_csv(path: str | Path) -> RouteFigures:
    """Read the file; a bad cell is a ValueError naming its row and column."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("date", *COLUMNS) if c not in raw.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
    dates = pd.to_datetime(raw["date"], format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        row = int(np.flatnonzero(dates.isna())[0]) + 2
        raise ValueError(
            f"{path}, row {row}, column date: {raw['date'].iloc[row - 2]!r} is not a YYYY-MM-DD date"
        )
    values, flags = {}, {}
    for column in COLUMNS:
        text = raw[column].str.strip()
        flags[column] = text.str.upper() == "N/A"
        numbers = pd.to_numeric(text.where(~flags[column] & (text != "")), errors="coerce")
        bad = numbers.isna() & ~flags[column] & (text != "") | (numbers < 0)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"{path}, row {row + 2}, column {column}: {text.iloc[row]!r} is not a count of persons"
            )
        values[column] = numbers.astype(float)
    index = pd.DatetimeIndex(dates, name="date")
    return RouteFigures(pd.DataFrame(values).set_index(index), pd.DataFrame(flags).set_index(index))


def route_network(days: int) -> Network:
    return Network(nodes=NODES, borders=ROUTE_BORDERS, days=days, names=dict(NAMES))


def route_reports(
    figures: RouteFigures, start: date, end: date, *, transit_assumption: bool = True, dwell_days: float = 1.0
) -> tuple[Network, Reports]:
    """The figures of ``start``..``end`` (inclusive) as reports on the route network; an N/A is a
    NaN report (it says "not available", it counts nothing)."""
    days = pd.date_range(start, end, freq="D")
    frame = figures.frame.reindex(days)
    flags = figures.not_available.reindex(days, fill_value=False)
    network = route_network(len(days))
    kind, target, day, value, reporter = [], [], [], [], []
    for column, (k, t, who) in MAPPING.items():
        present = frame[column].notna() | flags[column]
        n = int(present.sum())
        kind.append(np.full(n, int(k)))
        target.append(np.full(n, t))
        day.append(np.flatnonzero(present.to_numpy()))
        value.append(frame[column].to_numpy()[present.to_numpy()])
        reporter.append(np.full(n, who, dtype=object))
    scale = [np.full(len(v), np.nan) for v in value]
    assumed = [np.zeros(len(v), dtype=bool) for v in value]
    if transit_assumption:
        for column, (k, t, _who) in MAPPING.items():
            destination = network.borders[t].destination if k == ReportKind.ENTRY else NODES[t]
            if destination not in NODES:
                continue
            node = NODES.index(destination)
            level = frame[column].rolling(7, center=True, min_periods=1).median().ffill().bfill().fillna(0)
            kind.append(np.full(len(days), int(ReportKind.PRESENT)))
            target.append(np.full(len(days), node))
            day.append(np.arange(len(days)))
            value.append(dwell_days * level.to_numpy())
            reporter.append(np.full(len(days), ASSUMPTION, dtype=object))
            scale.append(np.maximum(dwell_days * level.to_numpy(), 1.0))
            assumed.append(np.ones(len(days), dtype=bool))
    reports = Reports(
        np.concatenate(kind),
        np.concatenate(target),
        np.concatenate(day),
        np.concatenate(value),
        np.concatenate(reporter),
        scale=np.concatenate(scale),
        assumed=np.concatenate(assumed),
    )
    return network, reports
