"""A scenario as JSON (the file `seemix simulate` reads and the body POST /api/v1/analysis/scenarios
takes), and a result as plain rows.

    {"name": "...", "start_date": "2016-03-01", "days": 30,
     "nodes": [{"name": "GR", "kind": "entry|transit|sink", "capacity": 5000, "capacity_binding": false,
                "move_fraction": 1.0, "country": "GR", "latitude": 40.6, "longitude": 22.9,
                "label": "Greece"}],
     "edges": [{"source": "GR", "target": "MK", "travel_days": 1, "capacity_per_day": null, "weight": 1}],
     "inflow": {"GR": [1200, 1500, ...]},                # persons per day from day 0, per entry node
     "groups": ["sia", "other"], "group_shares": [0.9, 0.1],
     "measures": [{"kind": "closure|cap|restriction|capacity", "start_day": 8, "end_day": null,
                   "edges": [["GR", "MK"]], "node": null, "value": null, "admitted": [], "label": "..."}],
     "give_up_rate": 0, "initial_present": {"GR": 1000}, "assumptions": ["..."]}

Only nodes, edges, days and inflow are required; the rest has the defaults of `model`.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd

from seemix.analysis.simulation.engine import SimulationResult
from seemix.analysis.simulation.model import Edge, Measure, Node, Scenario, ScenarioError

NODE_FIELDS = {"name", "kind", "capacity", "capacity_binding", "move_fraction", "country", "latitude",
               "longitude", "label"}  # fmt: skip
EDGE_FIELDS = {"source", "target", "travel_days", "capacity_per_day", "weight"}
MEASURE_FIELDS = {"kind", "start_day", "end_day", "edges", "node", "value", "admitted", "label"}
TOP_FIELDS = {"name", "start_date", "days", "nodes", "edges", "inflow", "groups", "group_shares", "measures",
              "give_up_rate", "initial_present", "assumptions"}  # fmt: skip


def _check_fields(where: str, data: Any, allowed: set[str], required: set[str]) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ScenarioError(f"{where}: must be an object")
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ScenarioError(f"{where}: unknown field(s) {unknown}")
    missing = sorted(required - set(data))
    if missing:
        raise ScenarioError(f"{where}: missing field(s) {missing}")
    return data


def _number(where: str, value: Any, default: float) -> float:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"{where}: not a number: {value!r}")
    return float(value)


def scenario_from_json(data: Any) -> Scenario:
    """A Scenario from the JSON above; a ScenarioError names the field and the row of what is wrong."""
    data = _check_fields("scenario", data, TOP_FIELDS, {"nodes", "edges", "days", "inflow"})
    nodes = []
    for i, raw in enumerate(data["nodes"] if isinstance(data["nodes"], list) else []):
        raw = _check_fields(f"nodes row {i}", raw, NODE_FIELDS, {"name"})
        nodes.append(
            Node(
                name=str(raw["name"]),
                kind=str(raw.get("kind", "transit")),
                capacity=_number(f"nodes row {i}: capacity", raw.get("capacity"), math.inf),
                capacity_binding=bool(raw.get("capacity_binding", False)),
                move_fraction=None
                if raw.get("move_fraction") is None
                else _number(f"nodes row {i}: move_fraction", raw["move_fraction"], 1.0),
                country=str(raw.get("country", "")),
                latitude=raw.get("latitude"),
                longitude=raw.get("longitude"),
                label=str(raw.get("label", "")),
            )
        )
    if not nodes:
        raise ScenarioError("scenario: nodes: a list of at least one node is needed")
    edges = []
    for j, raw in enumerate(data["edges"] if isinstance(data["edges"], list) else []):
        raw = _check_fields(f"edges row {j}", raw, EDGE_FIELDS, {"source", "target"})
        edges.append(
            Edge(
                source=str(raw["source"]),
                target=str(raw["target"]),
                travel_days=_number(f"edges row {j}: travel_days", raw.get("travel_days"), 1.0),
                capacity_per_day=_number(
                    f"edges row {j}: capacity_per_day", raw.get("capacity_per_day"), math.inf
                ),
                weight=_number(f"edges row {j}: weight", raw.get("weight"), 1.0),
            )
        )
    days = data["days"]
    if isinstance(days, bool) or not isinstance(days, int):
        raise ScenarioError(f"scenario: days: a whole number of days, got {days!r}")
    inflow_raw = data["inflow"]
    if not isinstance(inflow_raw, dict):
        raise ScenarioError("scenario: inflow: an object {node: [persons per day, ...]}")
    columns = {}
    for name, values in inflow_raw.items():
        if not isinstance(values, list):
            raise ScenarioError(f"inflow: {name}: a list of persons per day")
        columns[name] = pd.Series([_number(f"inflow: {name} day {t}", v, 0.0) for t, v in enumerate(values)])
    measures = []
    for k, raw in enumerate(data.get("measures") or []):
        raw = _check_fields(f"measures row {k}", raw, MEASURE_FIELDS, {"kind", "start_day"})
        pairs = raw.get("edges") or []
        if not all(isinstance(p, list | tuple) and len(p) == 2 for p in pairs):
            raise ScenarioError(f"measures row {k}: edges: a list of [source, target] pairs")
        measures.append(
            Measure(
                kind=str(raw["kind"]),
                start_day=int(_number(f"measures row {k}: start_day", raw["start_day"], 0)),
                end_day=None
                if raw.get("end_day") is None
                else int(_number(f"measures row {k}: end_day", raw["end_day"], 0)),
                edges=tuple((str(a), str(b)) for a, b in pairs),
                node=raw.get("node"),
                value=None
                if raw.get("value") is None
                else _number(f"measures row {k}: value", raw["value"], 0),
                admitted=tuple(str(g) for g in raw.get("admitted") or ()),
                label=str(raw.get("label", "")),
            )
        )
    start = data.get("start_date")
    try:
        start_date = date.fromisoformat(start) if start else None
    except (TypeError, ValueError):
        raise ScenarioError(f"scenario: start_date: not an ISO date: {start!r}") from None
    return Scenario(
        nodes=nodes,
        edges=edges,
        days=days,
        inflow=pd.DataFrame(columns),
        start_date=start_date,
        measures=measures,
        groups=tuple(data.get("groups") or ("all",)),
        group_shares=tuple(
            _number(f"scenario: group_shares item {k}", s, 0.0)
            for k, s in enumerate(data.get("group_shares") or (1.0,))
        ),
        give_up_rate=_number("scenario: give_up_rate", data.get("give_up_rate"), 0.0),
        initial_present={
            str(k): _number(f"initial_present: {k}", v, 0.0)
            for k, v in (data.get("initial_present") or {}).items()
        },
        assumptions=[str(a) for a in data.get("assumptions") or []],
        name=str(data.get("name", "scenario")),
    )


def result_rows(result: SimulationResult) -> dict[str, Any]:
    """The result as JSON-ready rows: per day and node, per day and edge (persons, rounded to 0.1)."""
    dates = [d.isoformat() if isinstance(d, date) else int(d) for d in result.dates()]
    nodes = result.nodes_long()
    edges = result.edges_long()
    node_rows = [
        {
            "date": dates[int(r.day)],
            "node": r.node,
            "arrivals": round(r.arrivals, 1),
            "departures": round(r.departures, 1),
            "present": round(r.present, 1),
            "stranded": round(r.stranded, 1),
            "shortfall": round(r.shortfall, 1),
            "left": round(r.left, 1),
            "capacity": None if math.isinf(r.capacity) else round(r.capacity, 1),
        }
        for r in nodes.itertuples(index=False)
    ]
    edge_rows = [
        {"date": dates[int(r.day)], "source": r.source, "target": r.target, "flow": round(r.flow, 1)}
        for r in edges.itertuples(index=False)
    ]
    return {"nodes": node_rows, "edges": edge_rows, "assumptions": result.assumptions}
