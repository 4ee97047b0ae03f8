"""Flee's input formats: its own scenarios read, and a seemix scenario written and read back."""

import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from seemix.analysis.simulation import Edge, Measure, Node, Scenario, ScenarioError, simulate
from seemix.analysis.simulation.flee_io import flee_total_error, read_flee, read_move_rules, write_flee

FLEE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "flee_fabflee"
TEST_NETWORK = FLEE / "flee_test_data" / "test_input_csv"
UKRAINE = FLEE / "FabFlee_ukraine2022"

needs_data = pytest.mark.skipif(not TEST_NETWORK.exists(), reason="../shared/data/flee_fabflee is not here")


@needs_data
def test_flee_test_network_is_read():
    flee = read_flee(TEST_NETWORK, TEST_NETWORK / "refugee_data")
    scenario = flee.scenario
    assert [n.name for n in scenario.nodes] == ["A", "B", "C", "C2", "D", "E", "F"]
    assert {n.name: n.kind for n in scenario.nodes} == {
        "A": "entry", "B": "entry", "C": "transit", "C2": "transit", "D": "sink", "E": "sink", "F": "sink",
    }  # fmt: skip
    assert scenario.start_date == date(2020, 1, 1)
    assert scenario.days == 10
    assert {n.name: n.capacity for n in scenario.nodes if n.kind == "sink"} == {
        "D": 30000,
        "E": 20000,
        "F": 10000,
    }
    # the country closure ABC-DEF of days 5 to 8 closes every edge across that border
    (closure,) = scenario.measures
    assert (closure.kind, closure.start_day, closure.end_day) == ("closure", 5, 8)
    assert sorted(closure.edges) == [("C", "D"), ("C", "E"), ("C2", "F")]
    # every route became one-way towards the camps: no edge leaves a camp
    assert not [e for e in scenario.edges if e.source in {"D", "E", "F"}]
    assert list(flee.validation.columns) == ["D", "E", "F"]


@needs_data
def test_ukraine_2022_reads_and_runs_with_its_validation_series():
    flee = read_flee(UKRAINE / "input_csv")
    assert flee.scenario.days == 554
    assert flee.scenario.start_date == date(2022, 2, 24)
    assert list(flee.validation.columns) == [
        "Medyka",
        "Beregsurany",
        "Siret",
        "Vysne_Nemecke",
        "Ocnita",
        "Palanca",
    ]
    assert flee.total.iloc[-1] == 23613225.0
    assert read_move_rules(UKRAINE / "simsetting.yml")["max_move_speed"] == 600.0
    result = simulate(flee.scenario)
    # nobody is lost: everyone who entered, and the camps' day-0 counts, are somewhere at the end
    # (the camps' day-0 counts exceed the day-0 total in Flee's data, so they are added to it)
    entered = result.inflow_total().sum() + sum(flee.scenario.initial_present.values())
    by_edges = result.arrivals.sum() - result.inflow_total().sum()
    in_transit = result.flow.sum() - by_edges
    assert result.present[-1].sum() + in_transit == pytest.approx(entered, rel=1e-9)
    assert entered == pytest.approx(flee.total.iloc[-1] - flee.total.iloc[0] + 41024.0)
    error = flee_total_error(result.node_frame("present").reset_index(drop=True), flee.validation, flee.total)
    assert 0 < error < 1


def test_seemix_scenario_round_trips_through_flee_files(tmp_path):
    # given a scenario with one entry, a fork and a closure
    scenario = Scenario(
        nodes=[Node("GR", "entry"), Node("MK"), Node("RS"), Node("AT", "sink", capacity=5000.0)],
        edges=[Edge("GR", "MK", 2.0), Edge("MK", "RS", 0.5), Edge("RS", "AT", 1.0), Edge("MK", "AT", 3.0)],
        days=12,
        start_date=date(2016, 3, 1),
        inflow=pd.DataFrame({"GR": [100.0, 200.0, 0.0, 50.0]}),
        measures=[
            Measure("closure", 8, 10, edges=(("GR", "MK"),)),
            Measure("cap", 0, edges=(("MK", "RS"),), value=10),
        ],
    )
    # when written as Flee files and read back
    folder = write_flee(scenario, tmp_path / "flee", km_per_day=100.0)
    back = read_flee(folder / "input_csv").scenario
    # then nodes, edges, closures and inflow are the same
    assert [(n.name, n.kind, n.capacity) for n in back.nodes] == [
        ("GR", "entry", math.inf), ("MK", "transit", math.inf),
        ("RS", "transit", math.inf), ("AT", "sink", 5000.0),
    ]  # fmt: skip
    assert sorted((e.source, e.target, e.travel_days) for e in back.edges) == sorted(
        (e.source, e.target, e.travel_days) for e in scenario.edges
    )
    assert [(m.kind, m.start_day, m.end_day, m.edges) for m in back.measures] == [
        ("closure", 8, 10, (("GR", "MK"),))
    ]
    assert (folder / "NOT_EXPORTED.txt").read_text() == "cap (('MK', 'RS'),)\n"
    assert back.start_date == date(2016, 3, 1)
    assert back.days == 12
    assert back.inflow["GR"].tolist() == [100.0, 200.0, 0.0, 50.0] + [0.0] * 8


@needs_data
def test_flee_files_round_trip_through_seemix(tmp_path):
    first = read_flee(TEST_NETWORK, TEST_NETWORK / "refugee_data").scenario
    folder = write_flee(first, tmp_path / "again", km_per_day=360.0)
    second = read_flee(folder / "input_csv").scenario
    assert [(n.name, n.kind, n.capacity) for n in second.nodes] == [
        (n.name, n.kind, n.capacity) for n in first.nodes
    ]
    assert [(e.source, e.target) for e in second.edges] == [(e.source, e.target) for e in first.edges]
    assert [e.travel_days for e in second.edges] == pytest.approx([e.travel_days for e in first.edges])


def test_bad_flee_file_is_named(tmp_path):
    (tmp_path / "sim_period.csv").write_text("StartDate,2020-01-01\nLength,3\n")
    (tmp_path / "locations.csv").write_text("#name,region,country,lat,lon,location_type\nA,a,X,1,1,camp\n")
    (tmp_path / "routes.csv").write_text("#name1,name2,distance\nA,B,10\n")
    with pytest.raises(ScenarioError, match=r"routes.csv row 1: name2: unknown location 'B'"):
        read_flee(tmp_path)
    (tmp_path / "routes.csv").write_text("#name1,name2,distance\nA,A,ten\n")
    with pytest.raises(ScenarioError, match=r"routes.csv row 1: distance: not a number: 'ten'"):
        read_flee(tmp_path)
