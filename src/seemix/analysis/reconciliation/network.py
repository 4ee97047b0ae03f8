"""The route graph as a balance model: which unknowns there are, what each report measures, and the
balance every node must respect.

Unknowns (all persons, all >= 0):

- ``flow[b, d]``: people who left the origin of border ``b`` on day ``d`` towards its destination.
  They are counted as entries of the destination on day ``d + lag[b]`` (a lag of 0-2 days: the
  2015-16 figures correlate best at 0 days North Macedonia->Serbia, 1 day Serbia->Croatia, 2 days
  mainland Greece->North Macedonia). Days run from ``-max_lag`` so that the entries of the first
  days have the exits they came from.
- ``present[k, d]``: people present in node ``k`` at the end of day ``d``, from ``d = -1`` (the
  unknown stock before the first day).

Balance of node ``k`` on day ``d``:
``present[k, d] = present[k, d-1] + sum(entries into k on d) - sum(exits out of k on d)``.
A border whose origin (destination) is not a node of the network is a source (sink): the sea from
Turkey, onward travel beyond the last country.

A report measures one linear combination of unknowns (see ``ReportKind``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
from scipy import sparse


class ReportKind(IntEnum):
    """What a reported figure counts. ``target`` is a border index for EXIT/ENTRY, a node index else."""

    EXIT = 0  # exits across border ``target`` on the day, counted by the origin
    ENTRY = 1  # entries across border ``target`` on the day, counted by the destination
    ENTRIES = 2  # all entries into node ``target`` on the day (a country's "arrivals")
    EXITS = 3  # all exits out of node ``target`` on the day
    PRESENT = 4  # people present in node ``target`` at the end of the day


@dataclass(frozen=True)
class Border:
    """A directed border (or crossing point) between two places; either end may be outside."""

    origin: str
    destination: str
    lag: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.lag <= 2:
            raise ValueError(f"border {self.origin}->{self.destination}: lag {self.lag} is not 0, 1 or 2")

    @property
    def label(self) -> str:
        return self.name or f"{self.origin}->{self.destination}"


@dataclass(frozen=True)
class Network:
    """Nodes that hold people (countries, sites) and the borders between them, over ``days`` days."""

    nodes: tuple[str, ...]
    borders: tuple[Border, ...]
    days: int
    names: dict[str, str] = field(default_factory=dict)  # node code -> display name for evidence text

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError("a network needs at least one day")
        if len(set(self.nodes)) != len(self.nodes):
            raise ValueError("node codes must be unique")
        for border in self.borders:
            if border.origin not in self.nodes and border.destination not in self.nodes:
                raise ValueError(f"border {border.label} touches no node of the network")

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    @property
    def max_lag(self) -> int:
        return max((b.lag for b in self.borders), default=0)

    @property
    def flow_days(self) -> int:
        return self.days + self.max_lag

    @property
    def n_flows(self) -> int:
        return len(self.borders) * self.flow_days

    @property
    def n_variables(self) -> int:
        return self.n_flows + len(self.nodes) * (self.days + 1)

    def flow_index(self, border: int, day: np.ndarray | int) -> np.ndarray | int:
        return border * self.flow_days + (np.asarray(day) + self.max_lag)

    def present_index(self, node: int, day: np.ndarray | int) -> np.ndarray | int:
        return self.n_flows + node * (self.days + 1) + (np.asarray(day) + 1)

    def node_index(self) -> dict[str, int]:
        return {code: i for i, code in enumerate(self.nodes)}


@dataclass(frozen=True)
class Reports:
    """Reported figures as parallel arrays (one element per report).

    ``value`` may be NaN for a figure reported as "not available": it is kept so that the result
    can say what the balance puts there, and it takes no part in the estimate.
    """

    kind: np.ndarray  # ReportKind codes, int
    target: np.ndarray  # border or node index, int
    day: np.ndarray  # day index, 0 = the network's first day, int
    value: np.ndarray  # persons, float (NaN: reported as not available)
    reporter: np.ndarray  # who reported it (participant code), str objects
    # The level each report's error is proportional to (NaN or None: the 7-day median of its own
    # series). Needed where a figure says nothing of its own error: an assumed stock of zero.
    scale: np.ndarray | None = None
    # True for an assumption written as a report (a transit country holds about a day's arrivals):
    # it weighs in the estimate like a report, and it is never suspected of a gross error.
    assumed: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.value)
        for name in ("kind", "target", "day", "reporter", "scale", "assumed"):
            if getattr(self, name) is not None and len(getattr(self, name)) != n:
                raise ValueError(f"reports: {name} has {len(getattr(self, name))} elements, value has {n}")

    def __len__(self) -> int:
        return len(self.value)

    @classmethod
    def build(cls, rows: list[tuple[ReportKind, int, int, float, str]]) -> Reports:
        """From (kind, target, day, value, reporter) tuples: convenient for small cases and tests."""
        if not rows:
            empty = np.zeros(0, dtype=int)
            return cls(empty, empty, empty, np.zeros(0), np.zeros(0, dtype=object))
        kind, target, day, value, reporter = zip(*rows, strict=True)
        return cls(
            np.asarray(kind, dtype=int),
            np.asarray(target, dtype=int),
            np.asarray(day, dtype=int),
            np.asarray(value, dtype=float),
            np.asarray(reporter, dtype=object),
        )

    def validate(self, network: Network) -> None:
        """A clear error naming the first bad report and why."""
        checks = [
            (np.isin(self.kind, [k.value for k in ReportKind]), "unknown kind"),
            ((self.day >= 0) & (self.day < network.days), f"day outside 0..{network.days - 1}"),
            (~(self.value < 0), "negative value"),
        ]
        border_kinds = np.isin(self.kind, [ReportKind.EXIT, ReportKind.ENTRY])
        upper = np.where(border_kinds, len(network.borders), len(network.nodes))
        checks.append(((self.target >= 0) & (self.target < upper), "target outside the network"))
        for ok, reason in checks:
            bad = np.flatnonzero(~ok)
            if bad.size:
                i = int(bad[0])
                raise ValueError(
                    f"report {i} (kind {int(self.kind[i])}, target {int(self.target[i])}, "
                    f"day {int(self.day[i])}, value {self.value[i]}): {reason}"
                )


def measurement_matrix(network: Network, reports: Reports) -> sparse.csr_matrix:
    """Row i: the unknowns report i adds up (each with coefficient 1)."""
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    lags = np.array([b.lag for b in network.borders], dtype=int)
    index = np.arange(len(reports))
    for kind in ReportKind:
        mask = reports.kind == kind
        if not mask.any():
            continue
        i, target, day = index[mask], reports.target[mask], reports.day[mask]
        if kind == ReportKind.EXIT:
            rows.append(i), cols.append(network.flow_index(target, day))
        elif kind == ReportKind.ENTRY:
            rows.append(i), cols.append(network.flow_index(target, day - lags[target]))
        elif kind == ReportKind.PRESENT:
            rows.append(i), cols.append(network.present_index(target, day))
        else:
            node_index = network.node_index()
            for b, border in enumerate(network.borders):
                end = border.destination if kind == ReportKind.ENTRIES else border.origin
                if end not in node_index:
                    continue
                hit = target == node_index[end]
                shift = border.lag if kind == ReportKind.ENTRIES else 0
                rows.append(i[hit]), cols.append(network.flow_index(b, day[hit] - shift))
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=int)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=int)
    return sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(reports), network.n_variables))


def balance_matrix(network: Network) -> sparse.csr_matrix:
    """Row (k, d): present[k,d] - present[k,d-1] - entries[k,d] + exits[k,d] = 0."""
    days = np.arange(network.days)
    node_index = network.node_index()
    rows, cols, vals = [], [], []
    for k in range(len(network.nodes)):
        row = k * network.days + days
        rows += [row, row]
        cols += [network.present_index(k, days), network.present_index(k, days - 1)]
        vals += [np.ones(network.days), -np.ones(network.days)]
    for b, border in enumerate(network.borders):
        if border.destination in node_index:
            row = node_index[border.destination] * network.days + days
            rows.append(row), cols.append(network.flow_index(b, days - border.lag))
            vals.append(-np.ones(network.days))
        if border.origin in node_index:
            row = node_index[border.origin] * network.days + days
            rows.append(row), cols.append(network.flow_index(b, days)), vals.append(np.ones(network.days))
    shape = (len(network.nodes) * network.days, network.n_variables)
    if not rows:
        return sparse.csr_matrix(shape)
    return sparse.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=shape
    )
