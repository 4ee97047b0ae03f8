"""The typed body and answer of POST /api/v1/analysis/scenarios."""

from __future__ import annotations

from datetime import date
from typing import Any

from ninja import Field, Schema


class ScenarioIn(Schema):
    measure_id: int | None = Field(None, description="Simulate this measure (as you may read it)")
    horizon: int = Field(42, description="Days simulated from the measure's start (1-180)")
    scenario: dict[str, Any] | None = Field(
        None, description="Or a scenario as JSON (nodes, edges, days, inflow, measures...; see the docs)"
    )


class PlaceOut(Schema):
    code: str
    name: str
    present: float
    stranded: float
    baseline_present: float
    baseline_stranded: float
    capacity: float | None
    above_capacity: float | None


class NodeDayOut(Schema):
    date: date | int
    node: str
    arrivals: float
    departures: float
    present: float
    stranded: float
    shortfall: float
    left: float
    capacity: float | None


class EdgeDayOut(Schema):
    date: date | int
    source: str
    target: str
    flow: float


class RunOut(Schema):
    nodes: list[NodeDayOut]
    edges: list[EdgeDayOut]


class ScenarioNodeOut(Schema):
    name: str
    label: str
    kind: str
    country: str
    latitude: float | None
    longitude: float | None


class ScenarioOut(Schema):
    name: str
    measure_id: int | None
    measure_start: date | None
    first_day: date | None
    days: int
    summary: str
    places: list[PlaceOut]
    assumptions: list[str]
    not_modelled: list[str]
    sources: list[str]
    nodes: list[ScenarioNodeOut]
    with_measures: RunOut
    without_measures: RunOut
