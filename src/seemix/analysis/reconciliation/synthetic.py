"""Synthetic routes with known truth, to measure the reconciliation against.

The truth is simulated day by day along a directed acyclic route: people arrive from outside
(the sea from Turkey), stay in each node for a while (each day a node sends on a share ``rho`` of
the people it holds, split among its outbound crossing points) and cross with the border's lag.
The last node sends people onward (outside the route). The reports are the truth with Gaussian
noise of a relative size per reporter (5-15 %), and a share of them is corrupted the way daily
reports went wrong in 2015-16: a figure counted twice, or a day's figure missed (reported as 0).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from .network import Border, Network, ReportKind, Reports

# The route of 2015-16: 9 countries, 30 crossing points. Turkey is the outside the people come from.
ROUTE_COUNTRIES = ("GR", "MK", "BG", "RS", "HR", "HU", "SI", "AT", "DE")
ROUTE_NAMES = {
    "GR": "Greece", "MK": "North Macedonia", "BG": "Bulgaria", "RS": "Serbia", "HR": "Croatia",
    "HU": "Hungary", "SI": "Slovenia", "AT": "Austria", "DE": "Germany", "TR": "Turkey",
}  # fmt: skip
# (origin, destination, crossing points, lag): 30 crossing points in all.
ROUTE_CROSSINGS = (
    ("TR", "GR", 5, 0),  # the islands' landing points
    ("TR", "BG", 2, 0),
    ("GR", "MK", 2, 2),
    ("MK", "RS", 2, 0),
    ("BG", "RS", 2, 0),
    ("RS", "HR", 4, 1),
    ("RS", "HU", 1, 0),
    ("HR", "HU", 2, 0),
    ("HR", "SI", 3, 0),
    ("HU", "AT", 2, 0),
    ("SI", "AT", 2, 0),
    ("AT", "DE", 3, 0),
)
# Germany's stock drains too (asylum, dispersal): its "exits onward", reported by Germany, are not a
# crossing point of the route.
ONWARD = ("DE", "XX", 1, 0)
# Turkey is a participant: it counts departures across its crossing points, though it is no node here
# (the people it holds are outside the route).
OUTSIDE_REPORTERS = ("TR",)


@dataclass(frozen=True)
class Synthetic:
    network: Network
    flow: np.ndarray  # true flows [border, day + max_lag]
    present: np.ndarray  # true stocks [node, day + 1]
    reports: Reports
    truth: np.ndarray  # per report: the true value of what it counts
    corrupted: np.ndarray  # bool per report
    corruption: np.ndarray  # per report: "", "double" or "missed"
    reliability: dict[str, float]  # per reporter: the relative noise it was given


def route_network(days: int = 365) -> Network:
    borders = []
    for origin, destination, count, lag in ROUTE_CROSSINGS:
        for k in range(count):
            borders.append(Border(origin, destination, lag, name=f"{origin}-{destination}-{k + 1}"))
    borders.append(Border(ONWARD[0], ONWARD[1], ONWARD[3], name="DE-onward"))
    return Network(nodes=ROUTE_COUNTRIES, borders=tuple(borders), days=days, names=dict(ROUTE_NAMES))


def layered_network(n_nodes: int = 60, days: int = 365, width: int = 5, seed: int = 0) -> Network:
    """A larger route for timing: layers of ``width`` nodes, each sending to two of the next layer."""
    rng = np.random.default_rng(seed)
    nodes = tuple(f"N{i:02d}" for i in range(n_nodes))
    layers = [nodes[i : i + width] for i in range(0, n_nodes, width)]
    borders = [Border("SOURCE", node, 0, name=f"SOURCE-{node}") for node in layers[0]]
    for here, after in itertools.pairwise(layers):
        for node in here:
            for destination in rng.choice(after, size=min(2, len(after)), replace=False):
                borders.append(Border(node, str(destination), int(rng.integers(0, 3))))
    return Network(nodes=nodes, borders=tuple(borders), days=days)


def _truth(network: Network, rng: np.random.Generator, warmup: int = 30) -> tuple[np.ndarray, np.ndarray]:
    node_index = network.node_index()
    n_b, n_k, lag_max = len(network.borders), len(network.nodes), network.max_lag
    total = warmup + network.days
    flow = np.zeros((n_b, total))
    stock = np.zeros((n_k, total))
    outbound = [[b for b, br in enumerate(network.borders) if br.origin == node] for node in network.nodes]
    inbound = [
        [b for b, br in enumerate(network.borders) if br.destination == node] for node in network.nodes
    ]
    # Some countries move people on within the day, others hold them a few days (camps, queues
    # for trains): the stocks range from a fraction of a day's flow to a few days' flows.
    rho = rng.uniform(0.5, 0.95, n_k)
    shares = [rng.dirichlet(np.full(len(out), 3.0)) if out else None for out in outbound]
    sources = [b for b, br in enumerate(network.borders) if br.origin not in node_index]
    level = rng.uniform(300, 1500, len(sources))
    season = 1.0 + 0.6 * np.sin(np.linspace(0, 2 * np.pi, total) + rng.uniform(0, 2 * np.pi))
    walk = np.exp(np.cumsum(rng.normal(0, 0.05, (len(sources), total)), axis=1))
    for j, b in enumerate(sources):
        flow[b] = np.round(level[j] * season * walk[j] * rng.lognormal(0, 0.15, total))
    order = _topological(network)
    for d in range(total):
        for k in order:
            entries = sum(
                flow[b, d - network.borders[b].lag] for b in inbound[k] if d >= network.borders[b].lag
            )
            held = (stock[k, d - 1] if d else 0.0) + entries
            if outbound[k]:
                leaving = np.round(held * rho[k] * shares[k])
                flow[outbound[k], d] = leaving
                held -= leaving.sum()
            stock[k, d] = held
    start = warmup - lag_max
    return flow[:, start:], stock[:, warmup - 1 :]


def _topological(network: Network) -> list[int]:
    node_index = network.node_index()
    indegree = {k: 0 for k in range(len(network.nodes))}
    for b in network.borders:
        if b.origin in node_index and b.destination in node_index:
            indegree[node_index[b.destination]] += 1
    order, ready = [], [k for k, n in indegree.items() if n == 0]
    while ready:
        k = ready.pop()
        order.append(k)
        for b in network.borders:
            if b.origin == network.nodes[k] and b.destination in node_index:
                indegree[node_index[b.destination]] -= 1
                if indegree[node_index[b.destination]] == 0:
                    ready.append(node_index[b.destination])
    if len(order) != len(network.nodes):
        raise ValueError("the synthetic route must have no cycle")
    return order


def simulate(
    network: Network,
    *,
    seed: int = 0,
    noise: tuple[float, float] = (0.05, 0.15),
    corrupt: float = 0.01,
    outside_reporters: tuple[str, ...] = OUTSIDE_REPORTERS,
) -> Synthetic:
    """Truth, noisy reports of every crossing's exits and entries and every node's stock, corrupted."""
    rng = np.random.default_rng(seed)
    flow, present = _truth(network, rng)
    node_index = network.node_index()
    reporters = [*network.nodes, *outside_reporters]
    reliability = {node: float(rng.uniform(*noise)) for node in reporters}
    rows = []
    days = np.arange(network.days)
    for b, border in enumerate(network.borders):
        if border.origin in reliability:
            rows.append((ReportKind.EXIT, b, border.origin, flow[b, days + network.max_lag]))
        if border.destination in node_index:
            rows.append(
                (ReportKind.ENTRY, b, border.destination, flow[b, days + network.max_lag - border.lag])
            )
    for k, node in enumerate(network.nodes):
        rows.append((ReportKind.PRESENT, k, node, present[k, days + 1]))
    kind = np.concatenate([np.full(network.days, r[0]) for r in rows])
    target = np.concatenate([np.full(network.days, r[1]) for r in rows])
    reporter = np.concatenate([np.full(network.days, r[2], dtype=object) for r in rows])
    truth = np.concatenate([r[3] for r in rows]).astype(float)
    day = np.tile(days, len(rows))
    c = np.array([reliability[r] for r in reporter])
    value = np.maximum(np.round(truth + c * truth * rng.normal(size=truth.size)), 0.0)
    corrupted = np.zeros(truth.size, dtype=bool)
    corrupted[rng.choice(truth.size, size=round(corrupt * truth.size), replace=False)] = True
    double = corrupted & (rng.random(truth.size) < 0.5)
    missed = corrupted & ~double
    value[double] *= 2
    value[missed] = 0.0
    corruption = np.where(double, "double", np.where(missed, "missed", ""))
    reports = Reports(kind.astype(int), target.astype(int), day, value, reporter)
    return Synthetic(network, flow, present, reports, truth, corrupted, corruption, reliability)
