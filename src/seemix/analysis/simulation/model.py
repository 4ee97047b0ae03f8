"""The scenario: a route graph, the people entering it, and the measures acting on it.

Everything is indexed by position (node i, edge j, nationality group g, day t) once a `Scenario` is
built, so that the engine works on arrays only. Names are kept beside the arrays for the output
and for error messages.

Units: persons, days. Day 0 is `Scenario.start_date`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

NODE_KINDS = ("entry", "transit", "sink")
MEASURE_KINDS = ("closure", "cap", "restriction", "capacity")


class ScenarioError(ValueError):
    """Bad scenario input; the message names the table, row, field and reason."""


@dataclass(frozen=True)
class Node:
    """A country, crossing point or reception site.

    `kind`: "entry" (inflow arrives here), "transit" (everyone present tries to move on every day),
    or "sink" (people stay: a destination, or a camp in Flee's sense).
    `capacity`: reception places (persons); `math.inf` when unknown.
    `capacity_binding`: when True, no more people are let in than there are places, and the rest wait
    where they are; when False the capacity is only compared with the people present (shortfall).
    `move_fraction`: share of the people present who try to move on each day (1 for transit
    countries of the 2015-16 route, 0 for sinks; Flee's "movechance").
    """

    name: str
    kind: str = "transit"
    capacity: float = math.inf
    capacity_binding: bool = False
    move_fraction: float | None = None
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    label: str = ""

    def moving_share(self) -> float:
        if self.move_fraction is not None:
            return self.move_fraction
        return 0.0 if self.kind == "sink" else 1.0


@dataclass(frozen=True)
class Edge:
    """A one-way leg of the route.

    `travel_days` may be fractional: 1.5 days sends half of a day's departures in 1 day and half in
    2 (a delay spread over the two whole days around it). 0 means arrival on the same day.
    `capacity_per_day`: persons who can cross per day (`math.inf`: no limit).
    `weight`: preference among the open edges leaving the same node (see `engine.simulate`).
    """

    source: str
    target: str
    travel_days: float = 1.0
    capacity_per_day: float = math.inf
    weight: float = 1.0


@dataclass(frozen=True)
class Measure:
    """A measure acting from `start_day` up to (not including) `end_day` (None: to the end).

    kinds:
      - "closure": the edges are closed (nobody crosses);
      - "cap": at most `value` persons per day may cross each edge (the excess waits);
      - "restriction": only the groups in `admitted` may cross the edges;
      - "capacity": the node's reception capacity becomes `value` (persons).
    Edges are (source, target) pairs; `node` names the node of a capacity measure. A closure or
    restriction given with `node` and no edges acts on every edge entering that node.
    """

    kind: str
    start_day: int
    end_day: int | None = None
    edges: tuple[tuple[str, str], ...] = ()
    node: str | None = None
    value: float | None = None
    admitted: tuple[str, ...] = ()
    label: str = ""


@dataclass
class Scenario:
    """A network, an inflow and measures over `days` days from `start_date`.

    `inflow`: persons arriving per day at each entry node; a DataFrame indexed by day number
    (0..days-1) with one column per node (missing days and nodes are 0).
    `groups` and `group_shares`: the nationality groups and their shares of the inflow (they sum to
    1). A restriction is only meaningful with them; the model states what it assumed in
    `assumptions`, which the result repeats.
    `give_up_rate`: share of the people stranded at a node who leave the route each day (they go
    back, apply for asylum where they are, or move on irregularly: the model no longer follows them).
    `initial_present`: persons present at day 0 (by node; split by `group_shares`).
    """

    nodes: list[Node]
    edges: list[Edge]
    days: int
    inflow: pd.DataFrame
    start_date: date | None = None
    measures: list[Measure] = field(default_factory=list)
    groups: tuple[str, ...] = ("all",)
    group_shares: tuple[float, ...] = (1.0,)
    give_up_rate: float = 0.0
    initial_present: dict[str, float] = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)
    name: str = "scenario"

    def __post_init__(self) -> None:
        self.validate()

    # -- validation: every message names the table, the row and the field ----------------------
    def validate(self) -> None:
        if self.days < 1:
            raise ScenarioError(f"scenario: days: must be at least 1, got {self.days}")
        seen: set[str] = set()
        for i, node in enumerate(self.nodes):
            if not node.name:
                raise ScenarioError(f"nodes row {i}: name: empty")
            if node.name in seen:
                raise ScenarioError(f"nodes row {i}: name: duplicate node {node.name!r}")
            seen.add(node.name)
            if node.kind not in NODE_KINDS:
                raise ScenarioError(
                    f"nodes row {i} ({node.name}): kind: {node.kind!r} is not one of {NODE_KINDS}"
                )
            if not node.capacity >= 0:
                raise ScenarioError(
                    f"nodes row {i} ({node.name}): capacity: must be >= 0, got {node.capacity}"
                )
            if not 0.0 <= node.moving_share() <= 1.0:
                raise ScenarioError(f"nodes row {i} ({node.name}): move_fraction: must be in [0, 1]")
        for j, edge in enumerate(self.edges):
            for end in ("source", "target"):
                if getattr(edge, end) not in seen:
                    raise ScenarioError(f"edges row {j}: {end}: unknown node {getattr(edge, end)!r}")
            if edge.source == edge.target:
                raise ScenarioError(f"edges row {j}: target: an edge from {edge.source!r} to itself")
            if not (edge.travel_days >= 0 and math.isfinite(edge.travel_days)):
                raise ScenarioError(f"edges row {j}: travel_days: must be a finite number >= 0")
            if not edge.capacity_per_day >= 0:
                raise ScenarioError(f"edges row {j}: capacity_per_day: must be >= 0")
            if not (edge.weight > 0 and math.isfinite(edge.weight)):
                raise ScenarioError(f"edges row {j}: weight: must be a finite number > 0")
        if len(self.groups) != len(self.group_shares) or not self.groups:
            raise ScenarioError("scenario: group_shares: one share per group is needed")
        if abs(sum(self.group_shares) - 1.0) > 1e-9 or min(self.group_shares) < 0:
            raise ScenarioError(f"scenario: group_shares: must be >= 0 and sum to 1, got {self.group_shares}")
        if not 0.0 <= self.give_up_rate <= 1.0:
            raise ScenarioError("scenario: give_up_rate: must be in [0, 1]")
        for column in self.inflow.columns:
            if column not in seen:
                raise ScenarioError(f"inflow: column {column!r}: unknown node")
        values = self.inflow.to_numpy(dtype=float, na_value=0.0) if len(self.inflow) else np.zeros(0)
        if (values < 0).any() or not np.isfinite(values).all():
            raise ScenarioError("inflow: values must be finite persons >= 0")
        for name in self.initial_present:
            if name not in seen:
                raise ScenarioError(f"initial_present: unknown node {name!r}")
        edge_keys = {(e.source, e.target) for e in self.edges}
        for k, measure in enumerate(self.measures):
            where = f"measures row {k}" + (f" ({measure.label})" if measure.label else "")
            if measure.kind not in MEASURE_KINDS:
                raise ScenarioError(f"{where}: kind: {measure.kind!r} is not one of {MEASURE_KINDS}")
            if measure.end_day is not None and measure.end_day < measure.start_day:
                raise ScenarioError(f"{where}: end_day: before start_day")
            for pair in measure.edges:
                if tuple(pair) not in edge_keys:
                    raise ScenarioError(f"{where}: edges: no edge from {pair[0]!r} to {pair[1]!r}")
            if measure.node is not None and measure.node not in seen:
                raise ScenarioError(f"{where}: node: unknown node {measure.node!r}")
            if measure.kind in ("cap", "capacity") and (measure.value is None or measure.value < 0):
                raise ScenarioError(f"{where}: value: a {measure.kind} needs a value >= 0")
            if measure.kind == "capacity" and measure.node is None:
                raise ScenarioError(f"{where}: node: a capacity measure names its node")
            if measure.kind != "capacity" and not measure.edges and measure.node is None:
                raise ScenarioError(f"{where}: edges: name the edges (or the node) it acts on")
            if measure.kind == "restriction":
                unknown = set(measure.admitted) - set(self.groups)
                if unknown:
                    raise ScenarioError(
                        f"{where}: admitted: unknown groups {sorted(unknown)}; groups are {self.groups}"
                    )

    # -- arrays for the engine ------------------------------------------------------------------
    def node_index(self) -> dict[str, int]:
        return {n.name: i for i, n in enumerate(self.nodes)}

    def measure_edges(self, measure: Measure) -> list[int]:
        """Positions of the edges a measure acts on (the edges into its node when it names none)."""
        if measure.edges:
            wanted = {tuple(p) for p in measure.edges}
            return [j for j, e in enumerate(self.edges) if (e.source, e.target) in wanted]
        return [j for j, e in enumerate(self.edges) if e.target == measure.node]

    def inflow_array(self) -> np.ndarray:
        """Inflow as (days, nodes, groups)."""
        index = self.node_index()
        out = np.zeros((self.days, len(self.nodes)), dtype=float)
        frame = self.inflow.fillna(0.0)
        for column in frame.columns:
            series = frame[column]
            days = np.asarray(series.index, dtype=int)
            keep = (days >= 0) & (days < self.days)
            np.add.at(out[:, index[column]], days[keep], series.to_numpy(dtype=float)[keep])
        shares = np.asarray(self.group_shares, dtype=float)
        return out[:, :, None] * shares[None, None, :]

    def daily_tables(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per day: admitted fraction per edge and group (T, E, G), edge capacity (T, E), node
        capacity (T, N), with the measures applied in their order (a later one wins on overlap)."""
        n_days, n_edges, n_groups = self.days, len(self.edges), len(self.groups)
        admit = np.ones((n_days, n_edges, n_groups), dtype=float)
        edge_cap = np.tile(np.array([e.capacity_per_day for e in self.edges], dtype=float), (n_days, 1))
        node_cap = np.tile(np.array([n.capacity for n in self.nodes], dtype=float), (n_days, 1))
        index = self.node_index()
        for measure in self.measures:
            start = max(measure.start_day, 0)
            stop = self.days if measure.end_day is None else min(measure.end_day, self.days)
            if start >= stop:
                continue
            span = slice(start, stop)
            if measure.kind == "capacity":
                assert measure.node is not None  # validate() saw to it
                assert measure.value is not None
                node_cap[span, index[measure.node]] = float(measure.value)
                continue
            cols = self.measure_edges(measure)
            if measure.kind == "closure":
                admit[span, cols, :] = 0.0
            elif measure.kind == "cap":
                assert measure.value is not None  # validate() saw to it
                edge_cap[span, cols] = np.minimum(edge_cap[span, cols], float(measure.value))
            elif measure.kind == "restriction":
                allowed = np.array([g in measure.admitted for g in self.groups], dtype=float)
                admit[span, cols, :] = np.minimum(admit[span, cols, :], allowed)
        return admit, edge_cap, node_cap
