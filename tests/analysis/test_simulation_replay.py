"""The 2015-16 replay on the shared daily arrivals: the diversion of 17 Oct 2015 and the build-up in
Greece after 9 Mar 2016 (benchmarks/bench_simulation.py prints the full comparison)."""

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from seemix.analysis.simulation import balkan2015, simulate

ARRIVALS = (
    Path(__file__).resolve().parents[2].parent
    / "shared/data/balkan_route_daily/wb_route_daily_arrivals_2015-10-01_2016-04-18.csv"
)
pytestmark = pytest.mark.skipif(not ARRIVALS.exists(), reason="../shared/data is not here")
START, END = date(2015, 10, 1), date(2016, 4, 18)


@pytest.fixture(scope="module")
def replay():
    arrivals = balkan2015.read_arrivals(ARRIVALS)
    scenario = balkan2015.route_scenario(arrivals, START, END)
    return (
        arrivals,
        simulate(scenario),
        simulate(balkan2015.route_scenario(arrivals, START, END, measures=False)),
    )


def test_hungarys_closure_of_17_october_diverts_the_whole_flow_to_slovenia(replay):
    _arrivals, result, baseline = replay
    arrivals = result.node_frame("arrivals")
    after = [date(2015, 10, 18) + timedelta(days=k) for k in range(7)]
    assert arrivals.loc[after, "HU"].sum() == 0.0
    assert arrivals.loc[after, "SI"].sum() > 40_000
    # without the measures the way through Hungary keeps 20 of every 21 leaving Croatia
    assert (
        baseline.node_frame("arrivals").loc[after, "HU"].sum()
        > 20 * baseline.node_frame("arrivals").loc[after, "SI"].sum() * 0.9
    )


def test_the_greek_build_up_after_9_march_is_within_a_quarter_of_the_observed(replay):
    arrivals, result, baseline = replay
    greece = result.node_frame("present")[["GR-ISLANDS", "GR"]].sum(axis=1)
    window = [d for d in arrivals.index if date(2016, 3, 8) < d <= date(2016, 4, 18)]
    observed = np.nansum(arrivals.loc[window, "greekislands"]) - np.nansum(arrivals.loc[window, "fyrom"])
    built = greece[date(2016, 4, 18)] - greece[date(2016, 3, 8)]
    assert built == pytest.approx(observed, rel=0.25)
    assert result.node_frame("stranded").loc[date(2016, 4, 18), "GR"] > 25_000
    assert baseline.node_frame("stranded").loc[date(2016, 4, 18)].sum() == 0.0


def test_the_restriction_of_november_2015_passes_only_the_admitted_share(replay):
    _arrivals, result, _baseline = replay
    nodes = [n.name for n in result.scenario.nodes]
    others = result.present_by_group[:, nodes.index("GR"), 3]  # group "other"
    day = (date(2015, 12, 15) - START).days
    before = (date(2015, 11, 18) - START).days
    # the others (10 % of the inflow) pile up in Greece from 19 Nov; the admitted move on
    assert others[before] < 1_000
    assert others[day] > others[day - 7] + 1_000 > others[before] + 2_000
    admitted = result.present_by_group[day, nodes.index("GR"), :3].sum()
    assert admitted < others[day]
    assert result.node_frame("stranded").iloc[day]["GR"] == pytest.approx(others[day], rel=1e-9)
