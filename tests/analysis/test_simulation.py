"""The simulation model on small cases whose answer is known exactly."""

import math

import numpy as np
import pandas as pd
import pytest

from seemix.analysis.simulation import (
    Edge,
    Measure,
    Node,
    Scenario,
    ScenarioError,
    averaged_relative_difference,
    simulate,
)


def fork(measures=(), days=4, inflow=(100.0,), **kwargs):
    """Entry A -> B, then B -> C (1 day) or B -> D (2 days); C and D are sinks."""
    return Scenario(
        nodes=[Node("A", "entry"), Node("B"), Node("C", "sink"), Node("D", "sink")],
        edges=[Edge("A", "B", 0), Edge("B", "C", 1), Edge("B", "D", 2)],
        days=days,
        inflow=pd.DataFrame({"A": list(inflow)}),
        measures=list(measures),
        **kwargs,
    )


def test_open_fork_splits_by_weight():
    # given two open edges of equal weight
    result = simulate(fork())
    # then half goes each way, each arriving after its travel days
    assert result.flow[0].tolist() == [100.0, 50.0, 50.0]
    assert result.node_frame("arrivals")["C"].tolist() == [0.0, 50.0, 0.0, 0.0]
    assert result.node_frame("arrivals")["D"].tolist() == [0.0, 0.0, 50.0, 0.0]
    assert result.present[-1].tolist() == [0.0, 0.0, 50.0, 50.0]


def test_closed_edge_diverts_all_flow_to_the_open_one():
    # given B -> C closed from day 0
    result = simulate(fork([Measure("closure", 0, edges=(("B", "C"),))]))
    # then everything goes to D, nobody waits
    assert result.edge_frame()["B>C"].sum() == 0.0
    assert result.edge_frame()["B>D"].tolist() == [100.0, 0.0, 0.0, 0.0]
    assert result.present[-1].tolist() == [0.0, 0.0, 0.0, 100.0]
    assert result.stranded.sum() == 0.0


def test_closing_every_way_out_strands_people_until_it_opens():
    # given both ways out of B closed on days 0 and 1
    closure = Measure("closure", 0, 2, node=None, edges=(("B", "C"), ("B", "D")))
    result = simulate(fork([closure], days=5))
    # then 100 wait at B for two days, and leave on day 2 by both edges
    assert result.node_frame("stranded")["B"].tolist() == [100.0, 100.0, 0.0, 0.0, 0.0]
    assert result.node_frame("present")["B"].tolist() == [100.0, 100.0, 0.0, 0.0, 0.0]
    assert result.flow[2].tolist() == [0.0, 50.0, 50.0]
    assert result.present[-1].tolist() == [0.0, 0.0, 50.0, 50.0]


def test_give_up_rate_takes_people_off_the_route():
    closure = Measure("closure", 0, None, edges=(("B", "C"), ("B", "D")))
    result = simulate(fork([closure], days=3, give_up_rate=0.5))
    assert result.node_frame("left")["B"].tolist() == [50.0, 25.0, 12.5]
    assert result.node_frame("stranded")["B"].tolist() == [50.0, 25.0, 12.5]


def test_binding_capacity_caps_a_node_and_the_rest_waits_upstream():
    # given a sink of 30 places that admits no more than that
    scenario = Scenario(
        nodes=[Node("A", "entry"), Node("S", "sink", capacity=30, capacity_binding=True)],
        edges=[Edge("A", "S", 1)],
        days=3,
        inflow=pd.DataFrame({"A": [100.0]}),
    )
    result = simulate(scenario)
    # then S fills to 30 and stays there; 70 are stranded at A
    assert result.node_frame("present")["S"].tolist() == [0.0, 30.0, 30.0]
    assert result.node_frame("stranded")["A"].tolist() == [70.0, 70.0, 70.0]
    assert result.shortfall.sum() == 0.0


def test_soft_capacity_reports_the_shortfall():
    scenario = Scenario(
        nodes=[Node("A", "entry"), Node("S", "sink", capacity=30)],
        edges=[Edge("A", "S", 0)],
        days=2,
        inflow=pd.DataFrame({"A": [100.0]}),
        measures=[Measure("capacity", 1, node="S", value=80)],
    )
    result = simulate(scenario)
    assert result.node_frame("present")["S"].tolist() == [100.0, 100.0]
    assert result.node_frame("shortfall")["S"].tolist() == [70.0, 20.0]
    assert result.node_frame("capacity")["S"].tolist() == [30.0, 80.0]


def test_a_cap_per_day_queues_the_excess():
    scenario = Scenario(
        nodes=[Node("A", "entry"), Node("S", "sink")],
        edges=[Edge("A", "S", 1)],
        days=4,
        inflow=pd.DataFrame({"A": [300.0]}),
        measures=[Measure("cap", 0, edges=(("A", "S"),), value=100)],
    )
    result = simulate(scenario)
    assert result.flow[:, 0].tolist() == [100.0, 100.0, 100.0, 0.0]
    assert result.node_frame("stranded")["A"].tolist() == [200.0, 100.0, 0.0, 0.0]
    assert result.node_frame("present")["S"].tolist() == [0.0, 100.0, 200.0, 300.0]


def test_a_nationality_restriction_passes_only_the_admitted_share():
    # given a flow assumed 90 % Syrian, Afghan and Iraqi ("sia") and 10 % other
    scenario = Scenario(
        nodes=[Node("GR", "entry"), Node("MK", "sink")],
        edges=[Edge("GR", "MK", 1)],
        days=3,
        inflow=pd.DataFrame({"GR": [1000.0, 1000.0]}),
        groups=("sia", "other"),
        group_shares=(0.9, 0.1),
        measures=[Measure("restriction", 1, edges=(("GR", "MK"),), admitted=("sia",))],
    )
    result = simulate(scenario)
    # then day 0 passes whole; from day 1 only 90 % pass and the others wait in Greece
    assert result.flow[:, 0].tolist() == pytest.approx([1000.0, 900.0, 0.0])
    assert result.node_frame("stranded")["GR"].tolist() == pytest.approx([0.0, 100.0, 100.0])
    assert result.present_by_group[-1, 0].tolist() == pytest.approx([0.0, 100.0])


def test_restriction_diverts_the_others_to_an_unrestricted_edge():
    scenario = Scenario(
        nodes=[Node("X", "entry"), Node("P", "sink"), Node("Q", "sink")],
        edges=[Edge("X", "P", 0), Edge("X", "Q", 0)],
        days=1,
        inflow=pd.DataFrame({"X": [100.0]}),
        groups=("sia", "other"),
        group_shares=(0.8, 0.2),
        measures=[Measure("restriction", 0, edges=(("X", "P"),), admitted=("sia",))],
    )
    result = simulate(scenario)
    # the admitted split 40/40, the others all go to Q
    assert result.present[0].tolist() == pytest.approx([0.0, 40.0, 60.0])


def test_fractional_travel_days_spread_arrivals_over_two_days():
    scenario = Scenario(
        nodes=[Node("A", "entry"), Node("S", "sink")],
        edges=[Edge("A", "S", 1.25)],
        days=3,
        inflow=pd.DataFrame({"A": [100.0]}),
    )
    result = simulate(scenario)
    assert result.node_frame("arrivals")["S"].tolist() == [0.0, 75.0, 25.0]


def test_same_day_edges_chain_within_one_day():
    scenario = Scenario(
        nodes=[Node("A", "entry"), Node("B"), Node("C"), Node("D", "sink")],
        edges=[Edge("A", "B", 0), Edge("B", "C", 0), Edge("C", "D", 0)],
        days=1,
        inflow=pd.DataFrame({"A": [10.0]}),
    )
    result = simulate(scenario)
    assert result.arrivals[0].tolist() == [10.0, 10.0, 10.0, 10.0]
    assert result.present[0].tolist() == [0.0, 0.0, 0.0, 10.0]


def test_people_are_conserved_on_a_random_network():
    rng = np.random.default_rng(6)
    nodes = [Node("N0", "entry")] + [Node(f"N{i}") for i in range(1, 8)] + [Node("Z", "sink")]
    pairs = [(i, j) for i in range(8) for j in range(i + 1, 8)]
    edges = [Edge(f"N{i}", f"N{j}", float(rng.integers(0, 4)) + 0.5) for i, j in pairs]
    edges += [Edge(f"N{i}", "Z", 1.0, capacity_per_day=50.0) for i in range(1, 8)]
    closure = Measure("closure", 3, 9, edges=(("N1", "Z"), ("N2", "Z")))
    scenario = Scenario(
        nodes=nodes,
        edges=edges,
        days=30,
        inflow=pd.DataFrame({"N0": rng.uniform(0, 400, 20)}),
        measures=[closure],
    )
    result = simulate(scenario)
    by_edges = result.arrivals.sum(axis=1) - result.inflow_total()
    in_transit = np.cumsum(result.flow.sum(axis=1)) - np.cumsum(by_edges)
    assert result.present.sum(axis=1) + in_transit == pytest.approx(np.cumsum(result.inflow_total()))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"edges": [Edge("A", "Nowhere")]}, "edges row 0: target: unknown node 'Nowhere'"),
        ({"edges": [Edge("A", "B", -1)]}, "edges row 0: travel_days: must be a finite number >= 0"),
        ({"inflow": pd.DataFrame({"Q": [1.0]})}, "inflow: column 'Q': unknown node"),
        (
            {"measures": [Measure("closure", 0, edges=(("B", "A"),), label="x")]},
            "measures row 0 (x): edges: no edge from 'B' to 'A'",
        ),
        (
            {"measures": [Measure("cap", 0, edges=(("A", "B"),))]},
            "measures row 0: value: a cap needs a value >= 0",
        ),
        (
            {"measures": [Measure("restriction", 0, edges=(("A", "B"),), admitted=("sia",))]},
            "measures row 0: admitted: unknown groups ['sia']",
        ),
        ({"group_shares": (0.5,)}, "group_shares: must be >= 0 and sum to 1"),
    ],
)
def test_bad_input_is_named(change, message):
    base = {
        "nodes": [Node("A", "entry"), Node("B", "sink")],
        "edges": [Edge("A", "B")],
        "days": 2,
        "inflow": pd.DataFrame({"A": [1.0]}),
    }
    with pytest.raises(ScenarioError) as raised:
        Scenario(**(base | change))
    assert message in str(raised.value)


def test_a_cycle_of_same_day_edges_is_refused():
    scenario = Scenario(
        nodes=[Node("A", "entry"), Node("B")],
        edges=[Edge("A", "B", 0), Edge("B", "A", 0.5)],
        days=1,
        inflow=pd.DataFrame({"A": [1.0]}),
    )
    with pytest.raises(ScenarioError, match="a cycle of edges under 1 travel day"):
        simulate(scenario)


def test_averaged_relative_difference():
    assert averaged_relative_difference(np.array([90.0, 110.0, 5.0]), np.array([100.0, 100.0, np.nan])) == 0.1
    assert math.isnan(averaged_relative_difference(np.array([1.0]), np.array([0.0])))


def test_json_scenario_errors_name_the_field():
    from seemix.analysis.simulation.jsonio import scenario_from_json

    base = {"days": 1, "nodes": [{"name": "A", "kind": "entry"}], "edges": [], "inflow": {"A": [1]}}
    with pytest.raises(ScenarioError, match="group_shares item 0: not a number: 'x'"):
        scenario_from_json(base | {"groups": ["g"], "group_shares": ["x"]})
    with pytest.raises(ScenarioError, match=r"nodes row 0: unknown field\(s\) \['colour'\]"):
        scenario_from_json(base | {"nodes": [{"name": "A", "colour": "red"}]})
    with pytest.raises(ScenarioError, match="inflow: A day 1: not a number: 'many'"):
        scenario_from_json(base | {"inflow": {"A": [1, "many"]}})
    assert scenario_from_json(base).inflow["A"].tolist() == [1.0]
