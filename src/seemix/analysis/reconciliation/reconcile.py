"""Reconcile the reports of a route: learn or take the reliabilities, put gross errors aside, and
estimate flows and stocks that balance, are not negative, and are as close to the reports as their
reliabilities allow."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from scipy import sparse

from .gross_errors import (
    GlobalTest,
    Suspect,
    Sustained,
    evidence,
    global_test,
    separate,
    sustained_text,
    threshold,
)
from .network import Network, Reports
from .solver import (
    DEFAULT_RELIABILITY,
    MIN_SCALE,
    Factorised,
    make_problem,
    report_scale,
    solve_qp,
    variable_series,
)

MIN_REDUNDANCY = 1e-3  # a report nothing else checks has no testable residual
MEDIAN_CHI2_1 = 0.4549364  # median of a chi-square with one degree of freedom
OUTLIER_Z = 3.5  # learning leaves out reports this many of their own standard deviations off


@dataclass(frozen=True)
class Reconciliation:
    """The reconciled route. Flows are indexed [border, day + max_lag], stocks [node, day + 1]."""

    network: Network
    flow: np.ndarray
    flow_se: np.ndarray
    present: np.ndarray
    present_se: np.ndarray
    fitted: np.ndarray  # per report: the reconciled value of what it counts
    fitted_se: np.ndarray
    adjustment: np.ndarray  # per report: fitted - reported (NaN where "not available")
    sigma: np.ndarray  # per report: the standard error it was weighted with (persons)
    z: np.ndarray  # per report: normalised residual (final round; the elimination round's if suspected)
    reliability: dict[str, float]  # reporter -> relative standard error used
    suspects: list[Suspect]
    global_before: GlobalTest
    global_after: GlobalTest
    closed_form: np.ndarray = field(repr=False)  # the unconstrained estimate (all unknowns), persons
    rounds: int = 0
    sustained: list[Sustained] = field(default_factory=list)

    @property
    def suspected(self) -> np.ndarray:
        mask = np.zeros(len(self.fitted), dtype=bool)
        mask[[s.index for s in self.suspects]] = True
        return mask


@dataclass
class _Pass:
    factorised: Factorised
    x: np.ndarray
    residual: np.ndarray
    variance: np.ndarray  # residual variance
    z: np.ndarray
    redundancy: np.ndarray


def _equality_pass(
    problem, active: np.ndarray, series: np.ndarray, reports: Reports, probe_days: int
) -> _Pass:
    factorised = Factorised.build(problem, active)
    x = factorised.closed_form()
    residual = np.where(active, problem.y - problem.m @ x, 0.0)
    explained = np.zeros(len(active))
    explained[active] = factorised.quadratic_forms(
        problem.m[active], series[active], reports.day[active], probe_days
    )
    variance = np.where(active, np.maximum(problem.sigma**2 - explained, 0.0), 0.0)
    redundancy = np.where(active, variance / problem.sigma**2, 0.0)
    testable = redundancy > MIN_REDUNDANCY
    z = np.where(testable, residual / np.sqrt(np.where(testable, variance, 1.0)), 0.0)
    return _Pass(factorised, x, residual, variance, z, redundancy)


def learn_reliability(
    network: Network,
    reports: Reports,
    start: dict[str, float] | None = None,
    *,
    rounds: int = 3,
    probe_days: int = 21,
    min_scale: float = MIN_SCALE,
    smoothness: float | None = None,
    min_reports: int = 60,
    robust: bool = True,
    outlier_z: float = OUTLIER_Z,
) -> dict[str, float]:
    """Each reporter's relative standard error, from how far its reports sit from the others'.

    Per reporter, the median of r^2 / var(r) should be that of a chi-square(1); the ratio rescales
    its error. The median, not the mean, so that its few gross errors do not teach it to be sloppy.
    A reporter with fewer than ``min_reports`` checked reports gets the ratio of all reports pooled:
    a few weeks of figures (Hungary's, before it closed its border in October 2015) would otherwise
    learn their own disagreement away as unreliability, and nothing would ever be flagged in them.

    ``robust``: the median alone does not stop a gross error from smearing its residual onto the
    honest reports that check it (the other side's count of the same flow, the stocks of its days),
    which then look noisy and teach their reporters a larger error, and the measurement test goes
    blunt. So after each round the reports beyond ``outlier_z`` of their reporter's rescaled noise
    are left out of the next round's estimate (a hard-rejection M-estimate: learnt from the reports
    that agree, tested against the noise they show); they are only left out of the learning.
    """
    reliability = {r: (start or {}).get(r, DEFAULT_RELIABILITY) for r in np.unique(reports.reporter)}
    series = _series(reports)
    finite = np.isfinite(reports.value)
    outlier = np.zeros(len(reports), dtype=bool)
    for _round in range(rounds):
        active = finite & ~outlier
        problem = make_problem(network, reports, reliability, min_scale, smoothness)
        one = _equality_pass(problem, active, series, reports, probe_days)
        checked = active & (one.redundancy > 0.05)
        if not checked.any():
            break
        pooled = float(np.median(one.z[checked] ** 2)) / MEDIAN_CHI2_1
        for reporter in reliability:
            mine = reports.reporter == reporter
            ratio = (
                float(np.median(one.z[mine & checked] ** 2)) / MEDIAN_CHI2_1
                if (mine & checked).sum() >= min_reports
                else pooled
            )
            reliability[reporter] = float(np.clip(reliability[reporter] * np.sqrt(ratio), 0.005, 3.0))
            if robust:
                # this round's z against the reporter's rescaled noise
                outlier |= mine & checked & (np.abs(one.z) > outlier_z * np.sqrt(max(ratio, 1e-12)))
    return reliability


def _series(reports: Reports) -> np.ndarray:
    keys = pd.Series(reports.kind).astype(str) + "|" + pd.Series(reports.target).astype(str)
    return pd.factorize(keys + "|" + pd.Series(reports.reporter).astype(str))[0]


def reconcile(
    network: Network,
    reports: Reports,
    *,
    reliability: dict[str, float] | None = None,
    learn: bool = False,
    alpha: float = 0.05,
    false_alarms: float = 0.05,
    detect: bool = True,
    start: date | None = None,
    probe_days: int = 21,
    max_rounds: int = 40,
    min_scale: float = MIN_SCALE,
    smoothness: float | None = None,
    window: int = 7,
    robust_learning: bool = True,
) -> Reconciliation:
    """Reconcile ``reports`` on ``network``.

    ``reliability`` states each reporter's relative standard error (0.1: a report is right to 10 %);
    with ``learn`` those stated (or the default) are the start from which they are learnt.
    ``alpha``: the level of the global test; ``false_alarms``: how many honest reports the measurement
    test may put aside on average (the default makes it a Bonferroni test at 5 %).
    ``window``: the days of the sustained-discrepancy test's blocks (0: no such test).
    ``smoothness``: the relative day-to-day change of a flow a prior allows (None: no prior).
    ``start`` is the date of day 0, used only in the evidence text.
    ``robust_learning``: learning leaves out the reports far off (see ``learn_reliability``).
    """
    if learn:
        reliability = learn_reliability(
            network,
            reports,
            reliability,
            probe_days=probe_days,
            min_scale=min_scale,
            smoothness=smoothness,
            robust=robust_learning,
        )
    reliability = {r: (reliability or {}).get(r, DEFAULT_RELIABILITY) for r in np.unique(reports.reporter)}
    problem = make_problem(network, reports, reliability, min_scale, smoothness)
    series = _series(reports)
    finite = np.isfinite(reports.value)
    active = finite.copy()
    assumed = reports.assumed if reports.assumed is not None else np.zeros(len(reports), dtype=bool)
    scale = report_scale(reports, min_scale)
    surprise = np.where(
        finite, np.abs(np.nan_to_num(reports.value) - scale) / (problem.sigma * problem.unit), 0.0
    )
    z_final = np.zeros(len(reports))
    suspects: list[Suspect] = []
    rounds = 0
    current = _equality_pass(problem, active, series, reports, probe_days)
    before = global_test(current.residual[active], problem.sigma[active], current.redundancy[active])
    while detect and rounds < max_rounds:
        test = global_test(current.residual[active], problem.sigma[active], current.redundancy[active])
        limit = threshold(int((current.redundancy > MIN_REDUNDANCY).sum()), false_alarms)
        candidates = np.flatnonzero(active & ~assumed & (np.abs(current.z) > limit))
        if test.passes(alpha) or candidates.size == 0:
            break
        rounds += 1
        chosen = separate(network, reports, candidates, current.z, surprise)
        active[chosen] = False
        # The evidence is written against the estimate without the suspect: what the others imply.
        after = _equality_pass(problem, active, series, reports, probe_days)
        fitted = problem.m @ after.x * problem.unit
        for i in chosen:
            z_final[i] = current.z[i]
            reference, label, text = evidence(
                network, reports, i, z=current.z[i], limit=limit, fitted=fitted[i], usable=active, start=start
            )
            suspects.append(
                Suspect(
                    i, rounds, float(current.z[i]), limit, float(reports.value[i]), reference, label, text
                )
            )
        current = after
    after_test = global_test(current.residual[active], problem.sigma[active], current.redundancy[active])
    z_final[active] = current.z[active]

    factorised = current.factorised
    sustained = (
        _sustained(problem, current, reports, series, active & ~assumed, window, start)
        if detect and window
        else []
    )
    x = solve_qp(factorised)
    flow_series, flow_day = variable_series(network)
    n = network.n_variables
    unit_rows = sparse.identity(n, format="csr")
    variance_x = factorised.quadratic_forms(unit_rows, flow_series, flow_day, probe_days)
    fitted_var = factorised.quadratic_forms(problem.m, series, reports.day, probe_days)
    unit = problem.unit
    fitted = problem.m @ x * unit
    n_flows = network.n_flows
    shape_flow = (len(network.borders), network.flow_days)
    shape_present = (len(network.nodes), network.days + 1)
    return Reconciliation(
        network=network,
        flow=x[:n_flows].reshape(shape_flow) * unit,
        flow_se=np.sqrt(variance_x[:n_flows]).reshape(shape_flow) * unit,
        present=x[n_flows:].reshape(shape_present) * unit,
        present_se=np.sqrt(variance_x[n_flows:]).reshape(shape_present) * unit,
        fitted=fitted,
        fitted_se=np.sqrt(fitted_var) * unit,
        adjustment=np.where(finite, fitted - reports.value, np.nan),
        sigma=problem.sigma * unit,
        z=z_final,
        reliability=reliability,
        suspects=suspects,
        global_before=before,
        global_after=after_test,
        closed_form=current.x * unit,
        rounds=rounds,
        sustained=sustained,
    )


def _sustained(problem, current: _Pass, reports: Reports, series: np.ndarray, usable, window: int, start):
    """The window test: per series and block of ``window`` days, the summed residual against its own
    standard deviation, var(1'r) = sum(sigma^2) - v'Gv with v the sum of the block's rows of M (one
    solve per block), at a Bonferroni threshold of 5 % over all blocks."""
    testable = usable & (current.redundancy > MIN_REDUNDANCY)
    blocks: list[np.ndarray] = []
    for s in np.unique(series[testable]):
        mine = np.flatnonzero(testable & (series == s))
        for b in np.unique(reports.day[mine] // window):
            members = mine[reports.day[mine] // window == b]
            if len(members) >= max(3, window // 2):
                blocks.append(members)
    if not blocks:
        return []
    n = problem.network.n_variables
    rows = sparse.vstack([sparse.csr_matrix(problem.m[members].sum(axis=0)) for members in blocks]).tocsr()
    lu, extra = current.factorised.lu, problem.a.shape[0]
    explained = np.zeros(len(blocks))
    for begin in range(0, len(blocks), 16):
        chunk = rows[begin : begin + 16]
        solved = lu.solve(np.vstack([chunk.T.toarray(), np.zeros((extra, chunk.shape[0]))]))[:n]
        explained[begin : begin + chunk.shape[0]] = np.einsum("ij,ji->i", chunk.toarray(), solved)
    limit = threshold(len(blocks), 0.05)
    found = []
    for members, v_gv in zip(blocks, explained, strict=True):
        variance = float(np.sum(problem.sigma[members] ** 2) - v_gv)
        if variance <= 0:
            continue
        total = float(current.residual[members].sum())
        z = total / np.sqrt(variance)
        if abs(z) <= limit:
            continue
        fitted = float((problem.m[members] @ current.x).sum())
        share = total / fitted if fitted > 0 else np.nan
        text = sustained_text(
            problem.network,
            reports,
            members,
            z=z,
            limit=limit,
            share=share,
            persons=abs(total) * problem.unit,
            start=start,
        )
        found.append(Sustained(tuple(int(i) for i in members), z, limit, share, text))
    return found
