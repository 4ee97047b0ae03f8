"""The 2015-16 Western Balkans route as a country-level scenario, for the replay (benchmarks) and tests.

Input: the daily arrivals table of ../shared/data/balkan_route_daily (one column per country, as the
IFRC dashboard collected them from UNHCR and the national police). The Greek islands' arrivals are
the inflow; the other countries' arrivals are what the simulation is compared with.

The measures, as taken (dates are the first day they acted):
- 2015-09-15 Hungary closes its border with Serbia (Serbia -> Hungary closed throughout);
- 2015-10-17 Hungary closes its border with Croatia (Croatia -> Hungary closed);
- 2015-11-19 Slovenia, Croatia, Serbia and the former Yugoslav Republic of Macedonia admit only
  Syrians, Afghans and Iraqis (restriction at the Greek-Macedonian border, where the others stopped);
- 2016-02-21 the former Yugoslav Republic of Macedonia stops admitting Afghans (the route admits
  Syrians and Iraqis only);
- 2016-03-09 the route is closed at the Greek-Macedonian border (Idomeni).

Assumed nationality mix of the inflow (the table has no nationalities): Syrians 56 %, Afghans 24 %,
Iraqis 10 %, others 10 %, UNHCR's published shares of 2015 sea arrivals in Greece (data.unhcr.org,
Mediterranean portal; not among the shared data files). The result repeats this assumption.

Travel days between the countries' counting points are the lags at which the series correlate best
(SOURCES.md: mainland Greece -> fYROM 2 days, fYROM -> Serbia 0, Serbia -> Croatia 1, Croatia ->
Slovenia 0, taken as 0.5) with the islands -> mainland ferry taken as 1 day and Slovenia -> Austria 0.5.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from seemix.analysis.simulation.model import Edge, Measure, Node, Scenario

COLUMNS = {
    "GR-ISLANDS": "greekislands",
    "GR": "mainlandgreece",
    "MK": "fyrom",
    "RS": "serbia",
    "HR": "croatia",
    "HU": "hungary",
    "SI": "slovenia",
    "AT": "austria",
}
GROUPS = ("syrian", "afghan", "iraqi", "other")
SHARES = (0.56, 0.24, 0.10, 0.10)
# Half of the people in Greece move on each day (a mean stay of two days, for registration and the
# ferry), fitted on this same table: it smooths the islands' batches the way the counts downstream are.
GREEK_DWELL = 0.5
MEASURES = (
    ("2015-09-15", "closure", (("RS", "HU"),), (), "Hungary closes the border with Serbia"),
    ("2015-10-17", "closure", (("HR", "HU"),), (), "Hungary closes the border with Croatia"),
    (
        "2015-11-19",
        "restriction",
        (("GR", "MK"),),
        ("syrian", "afghan", "iraqi"),
        "Only Syrians, Afghans and Iraqis admitted",
    ),
    ("2016-02-21", "restriction", (("GR", "MK"),), ("syrian", "iraqi"), "Afghans no longer admitted"),
    ("2016-03-09", "closure", (("GR", "MK"),), (), "Route closed at Idomeni"),
)


def read_arrivals(path) -> pd.DataFrame:
    """The shared daily table, indexed by date; `N/A` and empty cells are NaN."""
    frame = pd.read_csv(path, na_values=["N/A", ""], parse_dates=["date"])
    return frame.set_index(frame["date"].dt.date).drop(columns=["date", "source"])


def route_scenario(arrivals: pd.DataFrame, start: date, end: date, measures: bool = True) -> Scenario:
    """The replay scenario from `start` to `end` (inclusive), with or without the measures."""
    days = (end - start).days + 1
    dates = [d for d in arrivals.index if start <= d <= end]
    inflow = pd.Series(0.0, index=range(days))
    for d in dates:
        inflow[(d - start).days] = float(np.nan_to_num(arrivals.loc[d, "greekislands"]))
    nodes = [
        Node(
            "GR-ISLANDS",
            "entry",
            move_fraction=GREEK_DWELL,
            country="GR",
            label="Greek islands",
            latitude=39.1,
            longitude=26.5,
        ),
        Node(
            "GR",
            move_fraction=GREEK_DWELL,
            country="GR",
            label="Greece (mainland)",
            latitude=40.6,
            longitude=22.9,
        ),
        Node("MK", country="MK", label="North Macedonia", latitude=41.6, longitude=21.7),
        Node("RS", country="RS", label="Serbia", latitude=44.0, longitude=20.9),
        Node("HR", country="HR", label="Croatia", latitude=45.2, longitude=18.0),
        Node("HU", country="HU", label="Hungary", latitude=47.2, longitude=19.5),
        Node("SI", country="SI", label="Slovenia", latitude=46.1, longitude=14.9),
        Node("AT", country="AT", label="Austria", latitude=47.5, longitude=14.5),
        Node("DE", "sink", country="DE", label="Germany and beyond", latitude=48.5, longitude=11.5),
    ]
    edges = [
        Edge("GR-ISLANDS", "GR", 1.0),
        Edge("GR", "MK", 2.0),
        Edge("MK", "RS", 0.0),
        # Until Hungary closed them, the ways through Hungary were the organised corridor (Croatia
        # bused people to the Hungarian border): preferred 20 : 1 over the alternatives.
        Edge("RS", "HU", 1.0, weight=20.0),
        Edge("RS", "HR", 1.0),
        Edge("HR", "HU", 1.0, weight=20.0),
        Edge("HR", "SI", 0.5),
        Edge("HU", "AT", 1.0),
        Edge("SI", "AT", 0.5),
        Edge("AT", "DE", 1.0),
    ]
    chosen = []
    for when, kind, on, admitted, label in MEASURES if measures else ():
        day = (date.fromisoformat(when) - start).days
        chosen.append(Measure(kind, max(day, 0), None, edges=on, admitted=admitted, label=label))
    return Scenario(
        nodes=nodes,
        edges=edges,
        days=days,
        inflow=pd.DataFrame({"GR-ISLANDS": inflow}),
        start_date=start,
        measures=chosen,
        groups=GROUPS,
        group_shares=SHARES,
        name="Western Balkans route 2015-16",
        assumptions=[
            "Nationality mix of the inflow: Syrians 56 %, Afghans 24 %, Iraqis 10 %, others 10 % "
            "(UNHCR, 2015 sea arrivals in Greece).",
            "Greek islands' daily arrivals are the inflow; travel days are the best-correlated lags.",
        ],
    )


def observed(arrivals: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Observed arrivals per node of the scenario (columns as the scenario's node names)."""
    index = pd.Index([d for d in arrivals.index if start <= d <= end], name="date")
    return pd.DataFrame({node: arrivals.loc[index, column] for node, column in COLUMNS.items()})
