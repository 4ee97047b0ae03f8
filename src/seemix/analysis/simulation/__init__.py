"""Simulation of what a measure does along the route (issue #6).

`model` holds the scenario (route graph, inflow, measures), `engine` the daily population-flow
model and its metric, `flee_io` reads and writes Flee's input formats.
"""

from seemix.analysis.simulation.engine import SimulationResult, averaged_relative_difference, simulate
from seemix.analysis.simulation.model import Edge, Measure, Node, Scenario, ScenarioError

__all__ = [
    "Edge",
    "Measure",
    "Node",
    "Scenario",
    "ScenarioError",
    "SimulationResult",
    "averaged_relative_difference",
    "simulate",
]
