"""Reconciliation against known truth, its speed, and what it flags in the real 2015-16 figures.

1. Synthetic route (the 9 countries and 30 crossing points of seemix.analysis.reconciliation.
   synthetic, 365 days, noise 5-15 % per reporter, 1 % of reports doubled or missed): the error of
   the reconciled figures against the truth, beside the raw reports' and the unconstrained closed
   form's (baselines, same run); negative stocks; recall and false alarms of the gross-error tests.
2. Speed on 60 nodes x 365 days: the non-negative estimate against the closed form, same run.
3. The real figures of Oct 2015 - Mar 2016 (../shared/data/balkan_route_daily): what is flagged.

    .venv/bin/python benchmarks/bench_reconciliation.py [--seeds 1 2] [--skip-speed] [--skip-real]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from seemix.analysis.reconciliation import ReportKind, reconcile  # noqa: E402
from seemix.analysis.reconciliation.solver import (  # noqa: E402
    Factorised,
    _clarabel,
    make_problem,
    solve_nonnegative,
    weighted_system,
)
from seemix.analysis.reconciliation.synthetic import layered_network, route_network, simulate  # noqa: E402
from seemix.analysis.route_data import read_route_csv, route_reports  # noqa: E402

REAL = (
    ROOT.parent
    / "shared"
    / "data"
    / "balkan_route_daily"
    / "wb_route_daily_arrivals_2015-10-01_2016-04-18.csv"
)
SMOOTHNESS = 0.3  # a flow's day-to-day change the prior allows (the synthetic truth moves ~20 %)
FALSE_ALARMS = 1.0  # the measurement test's expected false alarms among all honest reports


def mae(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> float:
    return float(np.abs(a[mask] - b[mask]).mean())


def synthetic(seed: int) -> None:
    data = simulate(route_network(365), seed=seed)
    reports, truth = data.reports, data.truth
    flow = reports.kind != ReportKind.PRESENT
    every = np.ones(len(reports), dtype=bool)
    print(
        f"\n-- synthetic route, seed {seed}: {len(data.network.nodes)} countries, "
        f"{len(data.network.borders) - 1} crossing points + Germany's onward exits, 365 days, "
        f"{len(reports):,} reports, {int(data.corrupted.sum())} corrupted "
        f"({int((data.corruption == 'double').sum())} doubled, "
        f"{int((data.corruption == 'missed').sum())} missed)"
    )
    rows = [("raw reports", reports.value, None, None)]
    started = time.perf_counter()
    problem = make_problem(data.network, reports, data.reliability)
    closed = Factorised.build(problem, np.isfinite(problem.y)).closed_form()
    closed_time = time.perf_counter() - started
    n_flows = data.network.n_flows
    rows.append(
        (
            "closed form (no bounds, no tests)",
            problem.m @ closed * problem.unit,
            closed[n_flows:],
            closed_time,
        )
    )
    variants = (
        ("seemix, stated reliabilities", False, True),
        ("seemix, learnt reliabilities (plain median, baseline)", True, False),
        ("seemix, learnt reliabilities (robust)", True, True),
    )
    for label, learn, robust in variants:
        started = time.perf_counter()
        result = reconcile(
            data.network,
            reports,
            reliability=None if learn else data.reliability,
            learn=learn,
            robust_learning=robust,
            smoothness=SMOOTHNESS,
            false_alarms=FALSE_ALARMS,
            probe_days=14,
        )
        elapsed = time.perf_counter() - started
        rows.append((label, result.fitted, result.present.ravel(), elapsed))
        flagged = result.suspected
        found = int((flagged & data.corrupted).sum())
        false = int((flagged & ~data.corrupted).sum())
        per_26 = false / data.corrupted.sum() * 26
        if learn:
            learnt = ", ".join(
                f"{k} {result.reliability[k]:.3f}/{v:.3f}" for k, v in sorted(data.reliability.items())
            )
            print(f"{label}: learnt/true relative errors: {learnt}")
        print(
            f"{label}: recall {found}/{int(data.corrupted.sum())} = {found / data.corrupted.sum():.1%}, "
            f"false alarms {false} ({per_26:.2f} per 26 injected), rounds {result.rounds}, "
            f"global test p {result.global_before.p_value:.2g} -> {result.global_after.p_value:.2g}, "
            f"sustained-discrepancy weeks flagged {len(result.sustained)} (none planted)"
        )
    raw_all = mae(reports.value, truth, every)
    print(
        "| estimate | MAE all reports | MAE flows | MAE stocks | vs raw (all) | negative stocks | seconds |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, fitted, present, seconds in rows:
        negative = "-" if present is None else f"{int((present < -0.5).sum())} (min {present.min():,.1f})"
        print(
            f"| {label} | {mae(fitted, truth, every):,.1f} | {mae(fitted, truth, flow):,.1f} | "
            f"{mae(fitted, truth, ~flow):,.1f} | {mae(fitted, truth, every) / raw_all - 1:+.0%} | "
            f"{negative} | "
            f"{'-' if seconds is None else f'{seconds:.1f}'} |"
        )


def speed() -> None:
    network = layered_network(60, 365)
    data = simulate(network, seed=2, outside_reporters=("SOURCE",))
    print(
        f"\n-- speed: {len(network.nodes)} nodes, {len(network.borders)} borders, 365 days: "
        f"{network.n_variables:,} unknowns, {len(data.reports):,} reports"
    )
    started = time.perf_counter()
    problem = make_problem(network, data.reports, data.reliability)
    x = Factorised.build(problem, np.isfinite(problem.y)).closed_form()
    closed = time.perf_counter() - started
    started = time.perf_counter()
    problem = make_problem(network, data.reports, data.reliability)
    bounded = solve_nonnegative(problem, np.isfinite(problem.y))
    nonnegative = time.perf_counter() - started
    started = time.perf_counter()
    problem = make_problem(network, data.reports, data.reliability)
    hessian, gradient = weighted_system(problem, np.isfinite(problem.y))
    interior = _clarabel(hessian, gradient, problem.a)
    clarabel_time = time.perf_counter() - started
    objective = [0.5 * v @ (hessian @ v) - gradient @ v for v in (bounded, interior)]
    print(
        f"closed form (baseline): {closed:.2f} s, {int((x < -1e-9).sum())} negative unknowns "
        f"(min {x.min() * problem.unit:,.1f})"
    )
    print(
        f"non-negative WLS (dual Newton): {nonnegative:.2f} s ({nonnegative / closed:.1f} x the closed "
        f"form), min {bounded.min():.2g}, balance open by at most "
        f"{np.abs(problem.a @ bounded).max() * problem.unit:.2g}"
    )
    print(
        f"non-negative WLS (Clarabel, baseline): {clarabel_time:.2f} s ({clarabel_time / closed:.1f} x); "
        f"objective {objective[0]:,.3f} (dual Newton) vs {objective[1]:,.3f} (Clarabel), "
        f"reconciled figures differ by at most "
        f"{np.abs(problem.m @ (bounded - interior)).max() * problem.unit:.2g} persons"
    )


def real() -> None:
    figures = read_route_csv(REAL)
    start, end = date(2015, 10, 1), date(2016, 3, 31)
    network, reports = route_reports(figures, start, end)
    started = time.perf_counter()
    result = reconcile(network, reports, learn=True, start=start, probe_days=400)
    elapsed = time.perf_counter() - started
    counted = int((~reports.assumed & np.isfinite(reports.value)).sum())
    print(f"\n-- real figures {start} to {end}: {counted} figures, solved with tests in {elapsed:.1f} s")
    print(
        "learnt relative errors: " + ", ".join(f"{k} {v:.0%}" for k, v in sorted(result.reliability.items()))
    )
    before, after = result.global_before, result.global_after
    print(
        f"global test: {before.statistic:,.0f} on {before.dof:,.0f} dof (p {before.p_value:.2g}) -> "
        f"{after.statistic:,.0f} on {after.dof:,.0f} (p {after.p_value:.2g}) after {result.rounds} rounds"
    )
    print(f"flagged: {len(result.suspects)}")
    for suspect in sorted(result.suspects, key=lambda s: (int(reports.day[s.index]), s.index)):
        print(f"- {suspect.evidence}")
    print(f"sustained discrepancies (weeks): {len(result.sustained)}")
    for window in sorted(result.sustained, key=lambda w: (int(reports.day[w.indices[0]]), w.indices[0])):
        print(f"- {window.evidence}")
    print("reported as not available (N/A), filled by the balance:")
    names = network.names
    for i in np.flatnonzero(np.isnan(reports.value)):
        when = date.fromordinal(start.toordinal() + int(reports.day[i]))
        border = network.borders[int(reports.target[i])]
        print(
            f"- {names[border.destination]}'s entries from {names[border.origin]} on {when}: N/A; "
            f"reconciled {result.fitted[i]:,.0f} +- {result.fitted_se[i]:,.0f}"
        )
    print(
        "Croatia -> Hungary -> Austria, 1-18 October 2015 (normalised residuals; 0: not testable that day):"
    )
    for who in ("RS", "HR", "HU", "SI", "AT"):
        mine = (reports.reporter == who) & (reports.day < 18)
        cells = " ".join(f"{z:+.1f}" for z in result.z[mine])
        print(f"  {who}: {cells}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-real", action="store_true")
    args = parser.parse_args()
    for seed in args.seeds:
        synthetic(seed)
    if not args.skip_speed:
        speed()
    if not args.skip_real:
        real()
    return 0


if __name__ == "__main__":
    sys.exit(main())
