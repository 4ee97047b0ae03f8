"""Weighted least squares under the balance constraints: the closed form and the non-negative QP.

Minimise ``sum(((M x - y) / sigma) ** 2) + lambda * |x|^2`` subject to ``A x = 0`` (the balance
of every node and day) and, for the QP, ``x >= 0`` (no negative flow, no negative stock). The tiny
``lambda`` is a vague prior (a standard deviation of ``PRIOR_SIGMA`` reporting scales) that keeps
unknowns no report reaches defined; their standard errors come out huge, which says "unobserved".

Standard errors and the residual variances of the gross-error tests come from the equality model
(``G``, the top-left block of the inverse KKT matrix, is the covariance of the estimate). Their
diagonal is found by probing: one solve per colour, where a colour gathers the reports (or unknowns)
of one series whose days are ``probe_days`` apart, so the cross terms that pollute each probe are
covariances between days that far apart: negligible when the balance is well observed, and exactly
zero when ``probe_days`` covers the whole period (small networks, the tests).
"""

from __future__ import annotations

from dataclasses import dataclass

import clarabel
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse import linalg as splinalg

from .network import Network, Reports, balance_matrix, measurement_matrix

PRIOR_SIGMA = 1e4  # in reporting scales: an unknown nothing measures may be anything
DEFAULT_RELIABILITY = 0.10  # relative standard error of a report when nothing better is known
MIN_SCALE = 50.0  # persons: below this the error of a count does not shrink with the count
PROBE_CHUNK = 16  # SuperLU solves many right-hand sides slower per column than a few


@dataclass(frozen=True)
class Problem:
    """The arrays one solve needs, in scaled units (persons / ``unit``)."""

    network: Network
    m: sparse.csr_matrix  # all reports, including inactive ones
    a: sparse.csr_matrix  # balance
    y: np.ndarray  # scaled values (NaN kept)
    sigma: np.ndarray  # scaled standard errors
    unit: float
    smooth: sparse.csr_matrix  # the smoothness prior's quadratic form (zero without one)


def report_scale(reports: Reports, min_scale: float = MIN_SCALE) -> np.ndarray:
    """The level each report's error is proportional to: the 7-day centred median of its own series.

    Taken from the series rather than the figure itself so that a doubled figure does not double
    its own tolerance, and a missed day (0) does not get none.
    """
    frame = pd.DataFrame(
        {
            "series": pd.factorize(
                pd.Series(reports.kind).astype(str)
                + "|"
                + pd.Series(reports.target).astype(str)
                + "|"
                + pd.Series(reports.reporter).astype(str)
            )[0],
            "day": reports.day,
            "value": reports.value,
        }
    )
    frame["order"] = np.arange(len(frame))
    frame = frame.sort_values(["series", "day"])
    rolled = (
        frame.groupby("series")["value"]
        .rolling(7, center=True, min_periods=1)
        .median()
        .reset_index(level=0, drop=True)
    )
    frame["scale"] = rolled
    scale = frame.sort_values("order")["scale"].to_numpy(dtype=float)
    if reports.scale is not None:
        scale = np.where(np.isfinite(reports.scale), reports.scale, scale)
    return np.maximum(np.nan_to_num(scale, nan=min_scale), min_scale)


def make_problem(
    network: Network,
    reports: Reports,
    reliability: dict[str, float],
    min_scale: float = MIN_SCALE,
    smoothness: float | None = None,
) -> Problem:
    reports.validate(network)
    scale = report_scale(reports, min_scale)
    c = np.array([reliability.get(r, DEFAULT_RELIABILITY) for r in reports.reporter], dtype=float)
    if np.any(c <= 0):
        raise ValueError("a reliability (relative standard error) must be positive")
    finite = reports.value[np.isfinite(reports.value)]
    unit = float(max(np.median(finite) if finite.size else 1.0, 1.0))
    m = measurement_matrix(network, reports)
    return Problem(
        network=network,
        m=m,
        a=balance_matrix(network),
        y=reports.value / unit,
        sigma=c * scale / unit,
        unit=unit,
        smooth=smoothness_prior(network, m, reports.value / unit, smoothness, min_scale / unit),
    )


def smoothness_prior(
    network: Network, m: sparse.csr_matrix, y: np.ndarray, smoothness: float | None, floor: float
) -> sparse.csr_matrix:
    """D' W D for ``flow[b, d] - flow[b, d-1] ~ N(0, (smoothness * level_b)^2)``.

    A day's flow is rarely far from the day before's: this prior is what lets a single count with
    nothing else beside it (one side of a crossing point) still be checked against its own days.
    ``level_b`` is the median of the reports that count border b alone. None: no prior.
    """
    n = network.n_variables
    if not smoothness:
        return sparse.csr_matrix((n, n))
    per_row = np.diff(m.indptr)
    single = (per_row == 1) & np.isfinite(y)
    column = m.indices[m.indptr[:-1][single]]
    days, rows = network.flow_days, []
    for b in range(len(network.borders)):
        mine = (column >= b * days) & (column < (b + 1) * days)
        level = max(float(np.median(y[single][mine])) if mine.any() else floor, floor)
        rows.append(np.full(days - 1, 1.0 / (smoothness * level) ** 2))
    first = np.concatenate([np.arange(b * days, (b + 1) * days - 1) for b in range(len(network.borders))])
    count = len(first)
    diff = sparse.csr_matrix(
        (
            np.r_[-np.ones(count), np.ones(count)],
            (np.r_[np.arange(count), np.arange(count)], np.r_[first, first + 1]),
        ),
        shape=(count, n),
    )
    return (diff.T.multiply(np.concatenate(rows)).tocsr() @ diff).tocsr()


@dataclass
class Factorised:
    """The equality model's KKT matrix, factorised once, for the closed form and for probing."""

    problem: Problem
    active: np.ndarray  # bool per report: takes part in the estimate
    hessian: sparse.csc_matrix
    gradient: np.ndarray  # M' W y over the active reports
    lu: splinalg.SuperLU

    @classmethod
    def build(cls, problem: Problem, active: np.ndarray) -> Factorised:
        hessian, gradient = weighted_system(problem, active)
        kkt = sparse.bmat([[hessian, problem.a.T], [problem.a, None]], format="csc")
        return cls(problem, active, hessian, gradient, splinalg.splu(kkt, permc_spec="COLAMD"))

    def closed_form(self) -> np.ndarray:
        """Equality-constrained WLS: may leave negative flows and stocks."""
        rhs = np.concatenate([self.gradient, np.zeros(self.problem.a.shape[0])])
        return self.lu.solve(rhs)[: self.problem.network.n_variables]

    def quadratic_forms(self, rows: sparse.csr_matrix, series: np.ndarray, day: np.ndarray, probe_days: int):
        """diag(R G R') for the rows R (reports or unit vectors of unknowns), by probing."""
        n = self.problem.network.n_variables
        extra = self.problem.a.shape[0]
        period = max(1, min(probe_days, self.problem.network.flow_days + 1))
        colour = pd.factorize(series.astype(np.int64) * period + np.mod(day, period))[0]
        result = np.zeros(rows.shape[0])
        if rows.shape[0] == 0:
            return result
        rows_t = rows.T.tocsc()
        n_colours = int(colour.max()) + 1
        for start in range(0, n_colours, PROBE_CHUNK):
            stop = min(start + PROBE_CHUNK, n_colours)
            in_chunk = (colour >= start) & (colour < stop)
            idx = np.flatnonzero(in_chunk)
            pick = sparse.csc_matrix(
                (np.ones(idx.size), (idx, colour[idx] - start)), shape=(rows.shape[0], stop - start)
            )
            probes = (rows_t @ pick).toarray()
            solved = self.lu.solve(np.vstack([probes, np.zeros((extra, stop - start))]))[:n]
            # Row i of R against the solution of its own colour.
            picked = rows[idx] @ solved
            result[idx] = picked[np.arange(idx.size), colour[idx] - start]
        return np.maximum(result, 0.0)


def solve_qp(factorised: Factorised, *, method: str = "auto") -> np.ndarray:
    """The WLS of ``factorised`` with x >= 0. ``method``: "auto" (pivoting where it applies) or
    "clarabel" (always the interior-point solver)."""
    if method == "clarabel":
        return _clarabel(factorised.hessian, factorised.gradient, factorised.problem.a)
    return solve_nonnegative(factorised.problem, factorised.active)


def variable_series(network: Network) -> tuple[np.ndarray, np.ndarray]:
    """(series, day) of every unknown, for probing their variances."""
    n_b, n_k = len(network.borders), len(network.nodes)
    flow_series = np.repeat(np.arange(n_b), network.flow_days)
    flow_day = np.tile(np.arange(network.flow_days) - network.max_lag, n_b)
    present_series = n_b + np.repeat(np.arange(n_k), network.days + 1)
    present_day = np.tile(np.arange(network.days + 1) - 1, n_k)
    return np.concatenate([flow_series, present_series]), np.concatenate([flow_day, present_day])


def weighted_system(problem: Problem, active: np.ndarray) -> tuple[sparse.csc_matrix, np.ndarray]:
    """(H, g) of the objective 1/2 x'Hx - g'x over the active reports, prior and smoothness included."""
    n = problem.network.n_variables
    w = np.where(active, 1.0 / problem.sigma**2, 0.0)
    mw = problem.m.T.multiply(w).tocsr()
    hessian = (mw @ problem.m + problem.smooth + sparse.identity(n) / PRIOR_SIGMA**2).tocsc()
    return hessian, mw @ np.where(active, problem.y, 0.0)


def solve_nonnegative(problem: Problem, active: np.ndarray, *, max_iterations: int = 80) -> np.ndarray:
    """min 1/2 x'Hx - g'x subject to A x = 0 and x >= 0.

    When every report counts one unknown and there is no smoothness prior, H is diagonal and the
    QP's dual is a concave, piecewise quadratic function of the balance multipliers alone (one per
    node and day): ``x(nu) = max(g - A'nu, 0) / h`` is then non-negative by construction, and the
    optimum is where it balances. A semismooth Newton method (see ``_dual_newton``) finds it in a few
    dozen factorisations of the balance-sized system (one row per node and day; the block principal
    pivoting this replaces, Newton's step without the line search, cycled on a 60-node route).
    Otherwise, or should it not converge, Clarabel.
    """
    hessian, gradient = weighted_system(problem, active)
    h = hessian.diagonal()
    if (hessian - sparse.diags(h)).count_nonzero() == 0:
        x = _dual_newton(problem.a.tocsr(), h, gradient, max_iterations)
        if x is not None:
            return x
    return _clarabel(hessian, gradient, problem.a)


BALANCE_TOLERANCE = 1e-9  # reporting scales: a balance open by a billionth of a typical figure is closed


def _complement_solve(
    a: sparse.csr_matrix, at: sparse.csr_matrix, d: np.ndarray, rhs: np.ndarray, order: list
) -> np.ndarray:
    """Solve ``A diag(d) A' v = rhs``, scaled to a unit diagonal: its rows range from well-counted
    crossing points to stocks nothing counts (a 10^10 spread). A node-day with no free unknown has an
    empty row: a 1 on its diagonal keeps the factorisation defined (its multiplier does not move).
    A ridge far below the unit diagonal keeps two node-days that share their one free unknown
    solvable; the Newton step is then still an ascent direction, and the line search does the rest.
    ``order`` keeps the first call's fill-reducing ordering: later complements have a subset of its
    pattern, so it stays good, and the ordering is a sixth of a factorisation's cost."""
    schur = (a.multiply(d).tocsr() @ at).tocsc()
    diagonal = schur.diagonal()
    scale = 1.0 / np.sqrt(np.where(diagonal > 0, diagonal, 1.0))
    scaled = (sparse.diags(scale) @ schur @ sparse.diags(scale)).tocsc()
    scaled = scaled + sparse.diags(np.where(diagonal > 0, 0.0, 1.0) + 1e-12, format="csc")
    options = {"SymmetricMode": True}
    if not order:
        lu = splinalg.splu(scaled, permc_spec="MMD_AT_PLUS_A", options=options)
        inverse = np.empty_like(lu.perm_c)
        inverse[lu.perm_c] = np.arange(len(inverse))
        order.append(inverse)
        return lu.solve(rhs * scale) * scale
    permutation = order[0]
    lu = splinalg.splu(scaled[permutation][:, permutation].tocsc(), permc_spec="NATURAL", options=options)
    solution = np.empty_like(rhs)
    solution[permutation] = lu.solve((rhs * scale)[permutation])
    return solution * scale


def _dual_newton(a: sparse.csr_matrix, h: np.ndarray, g: np.ndarray, max_iterations: int):
    """Maximise the dual ``-1/2 sum(max(g - A'nu, 0)^2 / h)``; its gradient is the balance A x(nu).

    Newton's step on the free unknowns' complement, with an exact line search along the step (the
    dual is concave, so the search keeps it rising and the method converges from anywhere; once the
    free set is the optimum's, one full step lands exactly on it). Started from the multipliers of
    the equality-constrained estimate. None when it does not converge.
    """
    at = a.T.tocsr()
    order: list = []
    nu = _complement_solve(a, at, 1.0 / h, a @ (g / h), order)
    for _iteration in range(max_iterations):
        p = g - at @ nu
        free = p > 0
        x = np.where(free, p / h, 0.0)
        balance = a @ x
        if np.abs(balance).max(initial=0.0) <= BALANCE_TOLERANCE * max(1.0, float(x.max(initial=0.0))):
            return x
        step = _complement_solve(a, at, np.where(free, 1.0 / h, 0.0), balance, order)
        nu = nu + _line_search(p, at @ step, h) * step
    return None


def _line_search(p: np.ndarray, q: np.ndarray, h: np.ndarray) -> float:
    """argmax over t >= 0 of ``-1/2 sum(max(p - t q, 0)^2 / h)``: where its (decreasing) slope
    ``sum(max(p - t q, 0) q / h)`` crosses zero, by bisection (a step of 1 is tried first)."""

    def slope(t: float) -> float:
        return float(np.sum(np.maximum(p - t * q, 0.0) * q / h))

    if abs(slope(1.0)) <= 1e-12 * max(1.0, abs(slope(0.0))):
        return 1.0
    low, high = 0.0, 1.0
    while slope(high) > 0 and high < 1e3:
        low, high = high, high * 2
    for _ in range(50):
        middle = 0.5 * (low + high)
        if slope(middle) > 0:
            low = middle
        else:
            high = middle
    return 0.5 * (low + high)


def _clarabel(
    hessian: sparse.csc_matrix, gradient: np.ndarray, a: sparse.csr_matrix, tolerance: float = 1e-6
):
    # 1e-6 relative: a millionth of the objective, far below a person on any route (1e-7 took a
    # third more interior-point iterations for nothing a count can show).
    n = hessian.shape[0]
    m_eq = a.shape[0]
    constraints = sparse.vstack([a, -sparse.identity(n)], format="csc")
    settings = clarabel.DefaultSettings()
    settings.verbose = False
    settings.tol_gap_abs = tolerance
    settings.tol_gap_rel = tolerance
    settings.tol_feas = tolerance
    cones = [clarabel.ZeroConeT(m_eq), clarabel.NonnegativeConeT(n)]
    p = sparse.triu(hessian, format="csc")
    solution = clarabel.DefaultSolver(p, -gradient, constraints, np.zeros(m_eq + n), cones, settings).solve()
    status = str(solution.status)
    if "Solved" not in status:
        raise RuntimeError(f"the reconciliation QP was not solved: Clarabel status {status}")
    # Interior-point solutions sit a hair inside the bounds; a stock of -1e-9 persons is zero.
    return np.maximum(np.asarray(solution.x), 0.0)
