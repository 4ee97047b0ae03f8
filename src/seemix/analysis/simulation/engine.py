"""A population-flow (compartment) model of people moving along a route graph, one day at a time.

Why compartments and not agents: the quantities a government asks about (how many will wait at
this border, how many above the sites' capacity, by which day) are expectations over a crowd, and a
compartment model computes them exactly in one pass whose cost grows with edges x days, not with
people. An agent model (Flee) draws each person's moves at random, costs people x days, and needs
many runs to average its noise. benchmarks/README.md ("## Simulation") has the figures.

The rules, applied every day t in this order:

1. Arrivals: the day's inflow at the entry nodes, plus the people whose journey on an edge ends
   today, are added to the people present.
2. Who moves: at each node, `move_fraction` of the people present try to leave (1 in transit
   countries, 0 in sinks).
3. Route choice: a person of group g at node n picks among the edges leaving n that are open to g
   today, in proportion to their `weight` (closed edges, and edges restricted to other groups,
   weigh 0; an edge into a node already at capacity weighs 0 while another open edge leads to a
   node that is not full). So a closure diverts the whole flow to the open alternatives at once, in proportion
   to their weights; with no open alternative the person waits at n.
4. Limits: an edge's daily cap lets through at most cap persons (all groups, pro rata); a node whose
   capacity is binding admits no more than its free places (capacity - present - on their way to
   it), pro rata over the edges into it. The excess waits at the node where it is (it queues) and
   chooses again the next day by rule 3.
5. Travel: departures on an edge of d days arrive after d days (fractional d: split between the
   whole days around it). Edges of 0 days are crossed the same day, and the people who arrive by
   them may move on again that day (repeated until nobody arrives by a 0-day edge).
6. Waiting: the day's stranded at a node are everyone there with no leg open to them (closure
   or restriction without alternative), whether or not they would have moved that day, plus the
   movers held back by a cap or a full node. Each day `give_up_rate` of them leave the route
   (documented give-up rule; default 0: they wait until a way opens).
7. Records: arrivals, departures, present (end of day), stranded, shortfall (present above the
   node's capacity that day) per node and flow per edge.

Everything is float (expected persons); the caller rounds for display.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
import pandas as pd
from scipy import sparse

from seemix.analysis.simulation.model import Scenario, ScenarioError


@dataclass
class SimulationResult:
    """Per day and node: arrivals, departures, present, stranded, shortfall, left (gave up);
    per day and edge: flow (departures onto it). Arrays are (days, nodes) and (days, edges)."""

    scenario: Scenario
    arrivals: np.ndarray
    departures: np.ndarray
    present: np.ndarray
    stranded: np.ndarray
    shortfall: np.ndarray
    left: np.ndarray
    flow: np.ndarray
    capacity: np.ndarray
    present_by_group: np.ndarray
    inflow: np.ndarray
    assumptions: list[str] = field(default_factory=list)

    def inflow_total(self) -> np.ndarray:
        """Persons entering the network each day (all entry nodes)."""
        return self.inflow.sum(axis=1)

    @property
    def node_names(self) -> list[str]:
        return [n.name for n in self.scenario.nodes]

    def dates(self) -> pd.Index:
        if self.scenario.start_date is None:
            return pd.RangeIndex(self.scenario.days, name="day")
        start = self.scenario.start_date
        return pd.Index([start + timedelta(days=t) for t in range(self.scenario.days)], name="date")

    def node_frame(self, what: str) -> pd.DataFrame:
        """One of the per-node arrays as a frame: one row per day, one column per node."""
        return pd.DataFrame(getattr(self, what), index=self.dates(), columns=self.node_names)

    def edge_frame(self) -> pd.DataFrame:
        columns = [f"{e.source}>{e.target}" for e in self.scenario.edges]
        return pd.DataFrame(self.flow, index=self.dates(), columns=columns)

    def nodes_long(self) -> pd.DataFrame:
        """Tidy table: day, node, arrivals, departures, present, stranded, shortfall, left, capacity."""
        n_days, n_nodes = self.present.shape
        frame = pd.DataFrame(
            {
                "day": np.repeat(np.arange(n_days), n_nodes),
                "node": np.tile(self.node_names, n_days),
            }
        )
        for what in ("arrivals", "departures", "present", "stranded", "shortfall", "left", "capacity"):
            frame[what] = getattr(self, what).reshape(-1)
        return frame

    def edges_long(self) -> pd.DataFrame:
        n_days, n_edges = self.flow.shape
        return pd.DataFrame(
            {
                "day": np.repeat(np.arange(n_days), n_edges),
                "source": np.tile([e.source for e in self.scenario.edges], n_days),
                "target": np.tile([e.target for e in self.scenario.edges], n_days),
                "flow": self.flow.reshape(-1),
            }
        )


def _zero_day_depth(scenario: Scenario) -> int:
    """Longest chain of edges crossed the same day; a cycle of them would never end, so it is refused."""
    index = scenario.node_index()
    succ: dict[int, list[int]] = {}
    for edge in scenario.edges:
        if edge.travel_days < 1:
            succ.setdefault(index[edge.source], []).append(index[edge.target])
    depth: dict[int, int] = {}
    visiting: set[int] = set()

    def longest(n: int) -> int:
        if n in depth:
            return depth[n]
        if n in visiting:
            name = scenario.nodes[n].name
            raise ScenarioError(f"edges: a cycle of edges under 1 travel day passes {name!r}")
        visiting.add(n)
        depth[n] = 1 + max((longest(m) for m in succ.get(n, [])), default=-1)
        visiting.discard(n)
        return depth[n]

    return max((longest(n) for n in list(succ)), default=0)


def simulate(scenario: Scenario) -> SimulationResult:
    """Run the scenario (rules in the module docstring) and return the daily records."""
    n_days, n_nodes, n_edges = scenario.days, len(scenario.nodes), len(scenario.edges)
    n_groups = len(scenario.groups)
    index = scenario.node_index()
    src = np.array([index[e.source] for e in scenario.edges], dtype=np.int64)
    dst = np.array([index[e.target] for e in scenario.edges], dtype=np.int64)
    travel = np.array([e.travel_days for e in scenario.edges], dtype=float)
    weight = np.array([e.weight for e in scenario.edges], dtype=float)
    lo = np.floor(travel).astype(np.int64)
    hi_share = travel - lo  # share that takes one day more than lo
    ring = int(lo.max(initial=0)) + 2
    cols = np.arange(n_edges)
    # (nodes x edges) incidence: out_of[n, j] = 1 when edge j leaves n; into[n, j] when it enters n.
    ones = np.ones(n_edges)
    out_of = sparse.csr_matrix((ones, (src, cols)), shape=(n_nodes, n_edges))
    into = sparse.csr_matrix((ones, (dst, cols)), shape=(n_nodes, n_edges))
    depth = _zero_day_depth(scenario)

    moving = np.array([n.moving_share() for n in scenario.nodes], dtype=float)
    binding = np.array([n.capacity_binding for n in scenario.nodes], dtype=bool)
    admit, edge_cap, node_cap = scenario.daily_tables()
    inflow = scenario.inflow_array()
    has_capacity = bool(np.isfinite(node_cap).any())
    has_legs = np.asarray(out_of.sum(axis=1)).ravel() > 0
    shares = np.asarray(scenario.group_shares, dtype=float)

    present = np.zeros((n_nodes, n_groups))
    for name, persons in scenario.initial_present.items():
        present[index[name]] += float(persons) * shares
    pipeline = np.zeros((ring, n_edges, n_groups))
    inbound = np.zeros(n_nodes)  # persons on their way to each node (for binding capacity)

    rec = {k: np.zeros((n_days, n_nodes)) for k in ("arrivals", "departures", "present", "stranded", "left")}
    flow = np.zeros((n_days, n_edges))
    present_by_group = np.zeros((n_days, n_nodes, n_groups))

    for t in range(n_days):
        slot = t % ring
        landing = pipeline[slot]
        arrived = inflow[t] + into @ landing
        inbound -= into @ landing.sum(axis=1)
        pipeline[slot] = 0.0
        present += arrived
        rec["arrivals"][t] += arrived.sum(axis=1)

        open_weight = weight[:, None] * admit[t]
        if has_capacity:
            # People avoid a full node while another open way is not full (Flee's camps lose their
            # pull when full, too); with no such way they still go, unless its capacity is binding.
            full = np.isfinite(node_cap[t]) & (node_cap[t] - present.sum(axis=1) - inbound <= 0)
            avoiding = open_weight * ~full[dst][:, None]
            spare = (out_of @ avoiding)[src] > 0
            open_weight = np.where(spare, avoiding, open_weight * ~(full & binding)[dst][:, None])
        total_weight = out_of @ open_weight  # (nodes, groups)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(total_weight[src] > 0, open_weight / total_weight[src], 0.0)
        cap_left = edge_cap[t].copy()
        movers = present * moving[:, None]
        # Groups with legs out of a node but none open to them today: all of them there wait.
        no_way = has_legs[:, None] & (total_weight <= 0)
        blocked = np.zeros((n_nodes, n_groups))
        for _pass in range(depth + 1):
            want = share * movers[src]
            wanted = want.sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                factor = np.where((wanted > cap_left) & (wanted > 0), cap_left / wanted, 1.0)
            want *= factor[:, None]
            if binding.any():
                free = np.maximum(node_cap[t] - present.sum(axis=1) - inbound, 0.0)
                heading = into @ want.sum(axis=1)
                with np.errstate(invalid="ignore", divide="ignore"):
                    admitted = np.where(binding & (heading > free) & (heading > 0), free / heading, 1.0)
                want *= admitted[dst][:, None]
            leaving = out_of @ want
            present -= leaving
            np.maximum(present, 0.0, out=present)  # rounding noise only
            blocked += (movers - leaving) * ~no_way
            crossed = want.sum(axis=1)
            cap_left = np.maximum(cap_left - crossed, 0.0)
            flow[t] += crossed
            rec["departures"][t] += leaving.sum(axis=1)
            # Part of each edge's departures lands after lo days, the rest after lo + 1.
            now = want * ((1.0 - hi_share) * (lo == 0))[:, None]
            later_lo = want * ((1.0 - hi_share) * (lo > 0))[:, None]
            later_hi = want * hi_share[:, None]
            pipeline[(t + lo) % ring, cols] += later_lo
            pipeline[(t + lo + 1) % ring, cols] += later_hi
            inbound += into @ (later_lo.sum(axis=1) + later_hi.sum(axis=1))
            same_day = into @ now
            if not same_day.any():
                break
            present += same_day
            rec["arrivals"][t] += same_day.sum(axis=1)
            movers = same_day * moving[:, None]
        stranded = (present * no_way).sum(axis=1) + blocked.sum(axis=1)
        if scenario.give_up_rate > 0:
            waiting_share = np.divide(
                stranded, present.sum(axis=1), out=np.zeros(n_nodes), where=present.sum(axis=1) > 0
            )
            gone = present * (np.minimum(waiting_share, 1.0) * scenario.give_up_rate)[:, None]
            present -= gone
            rec["left"][t] = gone.sum(axis=1)
            stranded -= rec["left"][t]
        # Below a millionth of a person it is the rounding of the shares, not people waiting.
        rec["stranded"][t] = np.where(stranded > 1e-6, stranded, 0.0)
        rec["present"][t] = present.sum(axis=1)
        present_by_group[t] = present

    with np.errstate(invalid="ignore"):
        shortfall = np.where(np.isfinite(node_cap), np.maximum(rec["present"] - node_cap, 0.0), 0.0)
    return SimulationResult(
        scenario=scenario,
        arrivals=rec["arrivals"],
        departures=rec["departures"],
        present=rec["present"],
        stranded=rec["stranded"],
        shortfall=shortfall,
        left=rec["left"],
        flow=flow,
        capacity=node_cap,
        present_by_group=present_by_group,
        inflow=inflow.sum(axis=2),
        assumptions=list(scenario.assumptions),
    )


def averaged_relative_difference(simulated: np.ndarray, observed: np.ndarray) -> float:
    """Flee's "averaged relative difference": sum |sim - obs| / sum obs over the cells where obs is
    known (NaN cells are skipped). 0 is perfect; 1 is as far off as predicting nothing."""
    sim = np.asarray(simulated, dtype=float)
    obs = np.asarray(observed, dtype=float)
    known = ~np.isnan(obs)
    total = obs[known].sum()
    if total <= 0:
        return math.nan
    return float(np.abs(sim[known] - obs[known]).sum() / total)
