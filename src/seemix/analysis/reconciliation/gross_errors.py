"""Gross errors: the global test, the measurement test with serial elimination, and the evidence.

The global test compares the weighted sum of squared residuals with a chi-square whose degrees of
freedom are the redundancy of the reports (the sum of each report's share of the residual
variance). The measurement test divides each residual by its own standard deviation; a report is
suspected when that exceeds the threshold at which the testable reports, were they all honest, would
raise ``false_alarms`` alarms on average (0.05: the Bonferroni test at 5 %). Serial elimination takes
the suspected reports out and estimates again until the global test passes or no report exceeds the
threshold. Several reports leave in one round when they are far apart in the graph or in time: a
gross error smears its residual onto its neighbours (the other side's count of the same flow, the
stocks of the same days), so of a cluster only the largest leaves, and the rest are tested again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from scipy import stats

from .network import Network, ReportKind, Reports


@dataclass(frozen=True)
class GlobalTest:
    statistic: float  # sum of squared standardised residuals
    dof: float  # redundancy
    p_value: float

    def passes(self, alpha: float) -> bool:
        return self.p_value > alpha


@dataclass(frozen=True)
class Suspect:
    """A report the tests put aside, with the figures that condemned it."""

    index: int  # position in the Reports
    round: int  # elimination round (1 = first)
    z: float  # normalised residual when it was taken out
    threshold: float
    value: float  # what was reported
    reference: float  # the counterpart's figure, or what the balance of the others allows
    reference_label: str
    evidence: str


def global_test(residual: np.ndarray, sigma: np.ndarray, redundancy: np.ndarray) -> GlobalTest:
    statistic = float(np.sum((residual / sigma) ** 2))
    dof = float(np.sum(redundancy))
    p_value = float(stats.chi2.sf(statistic, dof)) if dof > 0 else 1.0
    return GlobalTest(statistic, dof, p_value)


def threshold(n_testable: int, false_alarms: float) -> float:
    """Two-sided critical value of the measurement test at which ``n_testable`` honest reports raise
    ``false_alarms`` alarms on average (Bonferroni when it is below 1: then it is the family-wise
    error rate)."""
    return float(stats.norm.isf(min(false_alarms / max(n_testable, 1), 1.0) / 2))


def touched_nodes(network: Network, reports: Reports, i: int) -> set[str]:
    kind, target = ReportKind(int(reports.kind[i])), int(reports.target[i])
    if kind in (ReportKind.ENTRY, ReportKind.EXIT):
        border = network.borders[target]
        return {border.origin, border.destination} & set(network.nodes)
    return {network.nodes[target]}


def separate(
    network: Network, reports: Reports, candidates: np.ndarray, z: np.ndarray, surprise: np.ndarray
) -> list[int]:
    """Of candidates that touch a common node within a few days, only the most suspect.

    Two counts of one flow that disagree get nearly the same |z| when little else checks them (a
    crossing point with few neighbours): the balance alone cannot say which is wrong. Each count's
    own history can: a doubled or missed day stands far from its series' 7-day median, an honest
    count does not. So the order adds that ``surprise`` (the distance to the median in standard
    errors) to |z|.
    """
    window = network.max_lag + 1
    chosen: list[tuple[int, set[str]]] = []
    for i in sorted(candidates.tolist(), key=lambda j: -(abs(z[j]) + surprise[j])):
        nodes = touched_nodes(network, reports, i)
        clash = any(
            abs(int(reports.day[i]) - int(reports.day[j])) <= window and nodes & other for j, other in chosen
        )
        if not clash:
            chosen.append((i, nodes))
    return [i for i, _nodes in chosen]


def counterpart(reports: Reports, network: Network, i: int, usable: np.ndarray) -> int | None:
    """The other side's report of the same flow (exit <-> entry of the same border), if any."""
    kind = int(reports.kind[i])
    if kind not in (ReportKind.ENTRY, ReportKind.EXIT):
        return None
    lag = network.borders[int(reports.target[i])].lag
    other_kind, other_day = (
        (ReportKind.EXIT, reports.day[i] - lag)
        if kind == ReportKind.ENTRY
        else (ReportKind.ENTRY, reports.day[i] + lag)
    )
    hits = np.flatnonzero(
        usable
        & (reports.kind == other_kind)
        & (reports.target == reports.target[i])
        & (reports.day == other_day)
    )
    return int(hits[0]) if hits.size else None


def day_label(day: int, start: date | None) -> str:
    return (start + timedelta(days=day)).isoformat() if start is not None else f"day {day}"


def possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def subject(network: Network, reports: Reports, i: int) -> tuple[str, str]:
    """("Croatia's entries from Serbia", "Serbia's balance"): what the report counts, and what checks it."""
    kind, target = ReportKind(int(reports.kind[i])), int(reports.target[i])
    name, nodes = network.name, set(network.nodes)
    if kind in (ReportKind.ENTRY, ReportKind.EXIT):
        border = network.borders[target]
        if kind == ReportKind.ENTRY:
            what = f"{possessive(name(border.destination))} entries from {name(border.origin)}"
            other = border.origin if border.origin in nodes else border.destination
        else:
            what = f"{possessive(name(border.origin))} exits to {name(border.destination)}"
            other = border.destination if border.destination in nodes else border.origin
        return what, f"{possessive(name(other))} balance"
    node = network.nodes[target]
    if kind == ReportKind.PRESENT:
        return f"the number present in {name(node)}", f"{possessive(name(node))} balance"
    inbound = [b for b in network.borders if b.destination == node and b.origin in nodes]
    if kind == ReportKind.ENTRIES and len(inbound) == 1:
        origin = inbound[0].origin
        return f"{possessive(name(node))} entries from {name(origin)}", f"{possessive(name(origin))} balance"
    outbound = [b for b in network.borders if b.origin == node and b.destination in nodes]
    if kind == ReportKind.EXITS and len(outbound) == 1:
        destination = outbound[0].destination
        return (
            f"{possessive(name(node))} exits to {name(destination)}",
            f"{possessive(name(destination))} balance",
        )
    noun = "entries" if kind == ReportKind.ENTRIES else "exits"
    return f"{possessive(name(node))} {noun}", "the balances of its neighbours"


def evidence(
    network: Network,
    reports: Reports,
    i: int,
    *,
    z: float,
    limit: float,
    fitted: float,
    usable: np.ndarray,
    start: date | None,
) -> tuple[float, str, str]:
    """(reference figure, its label, the sentence a reader gets)."""
    what, checker = subject(network, reports, i)
    other = counterpart(reports, network, i, usable)
    if other is not None:
        reference = float(reports.value[other])
        other_what, _checker = subject(network, reports, other)
        label = f"{other_what} ({reference:,.0f})"
    else:
        reference = fitted
        allow = "allow" if checker.startswith("the balances") else "allows"
        if fitted < 0:
            # The equality estimate dips below zero where the bounds would bind: say so rather
            # than compare with a clipped 0 that the test never saw.
            label = f"what {checker} {allow} before the bounds ({reference:,.0f})"
        else:
            label = f"what {checker} {allow} ({reference:,.0f})"
    value = float(reports.value[i])
    when = day_label(int(reports.day[i]), start)
    # The direction is the test's: the residual's sign, against what the others imply.
    verb = "exceed" if z > 0 else "fall short of"
    if reference > 0:
        size = f"by {abs(value - reference) / reference * 100:.0f} %"
    else:
        size = f"by {abs(value - reference):,.0f} persons"
    text = (
        f"{what[0].upper()}{what[1:]} on {when} ({value:,.0f}) {verb} {label} {size}, beyond what "
        f"reporting noise explains (normalised residual {z:+.1f}, threshold {limit:.1f})."
    )
    return reference, label, text


@dataclass(frozen=True)
class Sustained:
    """A week in which one series sits on one side of what the others imply, each day within the
    noise but together beyond it: a count that misses part of a flow, not a slip of one day."""

    indices: tuple[int, ...]  # the reports of the window
    z: float  # the window's summed residual over its standard deviation
    threshold: float
    share: float  # summed residual / summed reconciled value: the average relative deviation
    evidence: str


def sustained_text(
    network: Network,
    reports: Reports,
    indices: np.ndarray,
    *,
    z: float,
    limit: float,
    share: float,
    persons: float,
    start: date | None,
) -> str:
    what, checker = subject(network, reports, int(indices[0]))
    first, last = (
        day_label(int(reports.day[indices].min()), start),
        day_label(int(reports.day[indices].max()), start),
    )
    direction = "above" if z > 0 else "below"
    imply = "imply" if checker.startswith("the balances") else "implies"
    # A share of an estimate near zero (a closed border) says nothing: then persons.
    size = (
        f"on average {abs(share) * 100:.0f} %"
        if np.isfinite(share) and abs(share) <= 10
        else f"{persons:,.0f} persons in all"
    )
    return (
        f"{what[0].upper()}{what[1:]} from {first} to {last} ({len(indices)} figures) were {size} "
        f"{direction} what {checker} {imply}: each day within reporting noise, the week together beyond it "
        f"(normalised sum {z:+.1f}, threshold {limit:.1f})."
    )
