"""Reconciliation on small cases solved by hand, and its gross-error tests on a planted error."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from seemix.analysis.reconciliation import Border, Network, ReportKind, Reports, reconcile
from seemix.analysis.reconciliation.solver import Factorised
from seemix.analysis.reconciliation.synthetic import layered_network, route_network, simulate

K = ReportKind


def test_two_nodes_one_border_weighted_mean_of_both_counts():
    # given: A counts 100 leaving for B, B counts 110 arriving; both 10 % reliable
    network = Network(nodes=("A", "B"), borders=(Border("A", "B"),), days=1)
    reports = Reports.build([(K.EXIT, 0, 0, 100.0, "A"), (K.ENTRY, 0, 0, 110.0, "B")])
    # when
    result = reconcile(network, reports, reliability={"A": 0.1, "B": 0.1}, min_scale=1.0)
    # then: sigma 10 and 11; the WLS estimate is (100/10^2 + 110/11^2) / (1/10^2 + 1/11^2)
    w = np.array([1 / 100, 1 / 121])
    expected = (100 * w[0] + 110 * w[1]) / w.sum()
    assert result.sigma == pytest.approx([10.0, 11.0])
    assert result.flow[0, 0] == pytest.approx(expected, rel=1e-7)
    assert result.fitted == pytest.approx([expected, expected], rel=1e-7)
    assert result.adjustment == pytest.approx([expected - 100, expected - 110], rel=1e-6)
    assert result.fitted_se == pytest.approx([np.sqrt(1 / w.sum())] * 2, rel=1e-6)
    assert result.flow_se[0, 0] == pytest.approx(np.sqrt(1 / w.sum()), rel=1e-6)
    assert result.suspects == []


def _one_node(values: dict[str, float]) -> tuple[Network, Reports]:
    """Node A fed from outside and emptied to outside; stocks counted on days 0 and 1."""
    network = Network(nodes=("A",), borders=(Border("S", "A"), Border("A", "T")), days=2)
    reports = Reports.build(
        [
            (K.PRESENT, 0, 0, values["p0"], "A"),
            (K.ENTRY, 0, 1, values["in"], "A"),
            (K.EXIT, 1, 1, values["out"], "A"),
            (K.PRESENT, 0, 1, values["p1"], "A"),
        ]
    )
    return network, reports


def test_stock_balance_spreads_the_discrepancy_evenly_over_equal_reports():
    # given: p1 - p0 - in + out = 90 - 50 - 100 + 80 = 20, four reports with sigma 100 each
    network, reports = _one_node({"p0": 50, "in": 100, "out": 80, "p1": 90})
    # when
    result = reconcile(network, reports, reliability={"A": 0.1}, min_scale=1000.0)
    # then: each takes a quarter of it, in the direction that closes the balance
    assert result.fitted == pytest.approx([55, 105, 75, 85], abs=1e-4)
    assert result.adjustment == pytest.approx([5, 5, -5, -5], abs=1e-4)
    assert result.present[0, 1:] == pytest.approx([55, 85], abs=1e-4)
    assert result.fitted_se == pytest.approx([100 * np.sqrt(3 / 4)] * 4, rel=1e-6)


def test_non_negativity_binds_where_the_closed_form_goes_negative():
    # given: 100 leave a node that held 10 and received nothing, and 10 are still counted there
    network, reports = _one_node({"p0": 10, "in": 0, "out": 100, "p1": 10})
    # when
    result = reconcile(network, reports, reliability={"A": 0.1}, min_scale=1000.0)
    # then: the closed form moves each by 25 and leaves -15 people present on day 1
    p1 = network.present_index(0, 1)
    assert result.closed_form[p1] == pytest.approx(-15, abs=1e-4)
    # the QP holds the stock at 0 and shares the remaining 90 among the other three
    assert result.fitted == pytest.approx([40, 30, 70, 0], abs=1e-4)
    assert result.present.min() >= 0
    assert result.flow.min() >= 0


def _planted(days: int = 30, bad_day: int = 12) -> tuple[Network, Reports, int]:
    """A -> B with both sides counting, stocks counted daily; B's entries doubled on one day."""
    network = Network(
        nodes=("A", "B"),
        borders=(Border("S", "A"), Border("A", "B", lag=1), Border("B", "T")),
        days=days,
        names={"A": "Serbia", "B": "Croatia"},
    )
    rng = np.random.default_rng(7)
    rows = []
    flow = 1000 + rng.integers(-30, 30, size=days + 2)
    for d in range(days):
        rows += [
            (K.ENTRY, 0, d, flow[d + 1], "A"),  # into A from outside
            (K.EXIT, 1, d, flow[d + 1], "A"),  # A sends on the same day what it got
            (K.ENTRY, 1, d, flow[d], "B"),  # B counts them a day later
            (K.EXIT, 2, d, flow[d], "B"),
            (K.PRESENT, 0, d, 200, "A"),
            (K.PRESENT, 1, d, 300, "B"),
        ]
    reports = Reports.build(rows)
    value = reports.value.copy()
    bad = int(np.flatnonzero((reports.kind == K.ENTRY) & (reports.target == 1) & (reports.day == bad_day))[0])
    value[bad] *= 2
    return network, Reports(reports.kind, reports.target, reports.day, value, reports.reporter), bad


def test_planted_double_count_is_found_with_its_evidence():
    # given
    network, reports, bad = _planted()
    # when
    result = reconcile(network, reports, reliability={"A": 0.05, "B": 0.05}, start=date(2015, 10, 1))
    # then: that report and no other
    assert [s.index for s in result.suspects] == [bad]
    suspect = result.suspects[0]
    exits = reports.value[(reports.kind == K.EXIT) & (reports.target == 1) & (reports.day == 11)][0]
    doubled = reports.value[bad]
    assert suspect.reference == exits
    percent = round((doubled - exits) / exits * 100)
    assert suspect.evidence.startswith(
        f"Croatia's entries from Serbia on 2015-10-13 ({doubled:,.0f}) exceed Serbia's exits to Croatia "
        f"({exits:,.0f}) by {percent} %, beyond what reporting noise explains (normalised residual +"
    )
    assert suspect.z > suspect.threshold
    assert not result.global_before.passes(0.05)
    assert result.global_after.passes(0.05)
    # Without the suspect, the reconciled flow is the other counts' figure (exact data elsewhere).
    assert result.fitted[bad] == pytest.approx(exits, rel=1e-3)


def test_without_detection_the_double_count_pulls_the_estimate():
    network, reports, bad = _planted()
    result = reconcile(network, reports, reliability={"A": 0.05, "B": 0.05}, detect=False)
    assert result.suspects == []
    assert result.fitted[bad] > reports.value[bad] / 2 * 1.1


def test_not_available_report_is_filled_by_the_balance_and_takes_no_part():
    network, reports, _bad = _planted()
    value = reports.value.copy()
    gap = int(np.flatnonzero((reports.kind == K.EXIT) & (reports.target == 1) & (reports.day == 20))[0])
    value[gap] = np.nan
    reports = Reports(reports.kind, reports.target, reports.day, value, reports.reporter)
    result = reconcile(network, reports, reliability={"A": 0.05, "B": 0.05})
    counted = reports.value[(reports.kind == K.ENTRY) & (reports.target == 1) & (reports.day == 21)][0]
    assert np.isnan(result.adjustment[gap])
    assert result.fitted[gap] == pytest.approx(counted, rel=1e-3)


def test_bad_report_is_named_with_its_reason():
    network = Network(nodes=("A",), borders=(Border("S", "A"),), days=3)
    reports = Reports.build([(K.ENTRY, 0, 1, 5.0, "A"), (K.ENTRY, 0, 3, 5.0, "A")])
    with pytest.raises(
        ValueError, match=r"report 1 \(kind 1, target 0, day 3, value 5.0\): day outside 0..2"
    ):
        reconcile(network, reports)
    with pytest.raises(ValueError, match="lag 3 is not 0, 1 or 2"):
        Border("A", "B", lag=3)


def test_learnt_reliability_finds_the_sloppy_reporter():
    # given: a synthetic route where each country has its own noise
    synthetic = simulate(route_network(days=60), seed=3, corrupt=0.0)
    # when
    result = reconcile(synthetic.network, synthetic.reports, learn=True, detect=False)
    # then: the learnt order of the two extremes is the true order
    truth = synthetic.reliability
    worst, best = max(truth, key=truth.get), min(truth, key=truth.get)
    assert result.reliability[worst] > result.reliability[best]


def test_synthetic_route_is_closer_to_the_truth_than_the_reports():
    synthetic = simulate(route_network(days=60), seed=5)
    result = reconcile(synthetic.network, synthetic.reports, reliability=synthetic.reliability)
    raw = np.abs(synthetic.reports.value - synthetic.truth).mean()
    fitted = np.abs(result.fitted - synthetic.truth).mean()
    assert fitted < 0.7 * raw
    assert result.present.min() >= 0
    found = result.suspected & synthetic.corrupted
    assert found.sum() >= 0.7 * synthetic.corrupted.sum()


@pytest.mark.parametrize(
    ("network", "seed"),
    [(route_network(days=60), 9), (layered_network(60, 45), 3)],
    ids=["route-60-days", "layered-60-nodes-45-days"],
)
def test_dual_newton_finds_clarabels_optimum(network, seed):
    from seemix.analysis.reconciliation.solver import (
        _clarabel,
        _dual_newton,
        make_problem,
        solve_nonnegative,
        weighted_system,
    )

    outside = ("TR",) if "TR" in {b.origin for b in network.borders} else ("SOURCE",)
    synthetic = simulate(network, seed=seed, outside_reporters=outside)
    problem = make_problem(synthetic.network, synthetic.reports, synthetic.reliability)
    active = np.isfinite(problem.y)
    hessian, gradient = weighted_system(problem, active)
    # the fast path itself, not Clarabel behind it
    newton = _dual_newton(problem.a.tocsr(), hessian.diagonal(), gradient, 80)
    assert newton is not None
    assert np.array_equal(solve_nonnegative(problem, active), newton)
    interior = _clarabel(hessian, gradient, problem.a, tolerance=1e-9)
    closed = Factorised.build(problem, active).closed_form()
    assert closed.min() < 0  # the bounds bind: the case is not trivial
    # every balance closed to a billionth of the largest unknown: far below a thousandth of a person
    assert np.abs(problem.a @ newton).max() <= 1e-9 * newton.max()
    assert np.abs(problem.a @ newton).max() * problem.unit < 1e-3
    assert newton.min() >= 0
    # the same optimum: the objective to 1e-9 (Newton's is not above Clarabel's) and the reconciled
    # figures to well under a person
    objective = [0.5 * x @ hessian @ x - gradient @ x for x in (newton, interior)]
    assert objective[0] <= objective[1] + 1e-9 * abs(objective[1])
    assert objective[0] == pytest.approx(objective[1], rel=1e-9)
    assert np.abs(problem.m @ (newton - interior)).max() * problem.unit < 0.5


def test_a_week_of_undercounting_is_a_sustained_discrepancy_not_a_gross_error():
    # given: Croatia counts 12 % fewer entries than Serbia's exits for one week (days 14-20)
    network, reports, bad = _planted()
    value = reports.value.copy()
    value[bad] /= 2  # undo the planted double count
    week = (reports.kind == K.ENTRY) & (reports.target == 1) & (reports.day >= 14) & (reports.day <= 20)
    value[week] *= 0.88
    reports = Reports(reports.kind, reports.target, reports.day, value, reports.reporter)
    # when
    result = reconcile(network, reports, reliability={"A": 0.05, "B": 0.05}, start=date(2015, 10, 1))
    # then: no day alone is beyond the noise; the week is
    assert result.suspects == []
    assert len(result.sustained) == 1
    sustained = result.sustained[0]
    assert sustained.indices == tuple(np.flatnonzero(week))
    assert sustained.z < -sustained.threshold
    assert sustained.evidence.startswith(
        "Croatia's entries from Serbia from 2015-10-15 to 2015-10-21 (7 figures) were on average "
    )
    assert " below what Serbia's balance implies: each day within reporting noise" in sustained.evidence


def test_robust_learning_finds_planted_gross_errors_the_plain_median_missed():
    # given: the route over 60 days, 42 of its reports corrupted (doubled or a missed day), and no
    # stated reliabilities: they are learnt from the reports
    synthetic = simulate(route_network(days=60), seed=5)
    options = {"learn": True, "smoothness": 0.3, "false_alarms": 1.0, "probe_days": 14, "window": 0}
    # when: learnt with the plain median of the squared residuals, and with the outliers left out
    plain = reconcile(synthetic.network, synthetic.reports, robust_learning=False, **options)
    robust = reconcile(synthetic.network, synthetic.reports, robust_learning=True, **options)
    # then: the corrupted reports no longer teach their honest neighbours' reporters a larger error
    truth = synthetic.reliability
    error = {
        name: np.mean([abs(np.log(result.reliability[r] / truth[r])) for r in truth])
        for name, result in (("plain", plain), ("robust", robust))
    }
    assert error["robust"] < 0.8 * error["plain"]  # 0.079 against 0.105 (mean |log(learnt / true)|)
    # and the measurement test, sharper, finds planted errors the plain learning missed
    corrupted = synthetic.corrupted
    newly_found = robust.suspected & corrupted & ~plain.suspected
    assert newly_found.sum() >= 3
    assert (robust.suspected & corrupted).sum() > (plain.suspected & corrupted).sum()
    assert (robust.suspected & ~corrupted).sum() <= 3
