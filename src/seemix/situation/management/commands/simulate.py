"""`seemix simulate SCENARIO`: run a scenario file (JSON, or a Flee scenario folder) with and without
its measures and print what happens per place; `--out DIR` writes the daily tables as CSV and
`--flee-out DIR` writes the scenario in Flee's input files.

A Flee folder is either an `input_csv` folder (with `source_data` beside it) or the folder holding
both, as FabFlee lays them out (`../shared/data/flee_fabflee/FabFlee_ukraine2022`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seemix.analysis.simulation import ScenarioError, SimulationResult
from seemix.analysis.simulation.flee_io import read_flee, write_flee
from seemix.analysis.simulation.jsonio import scenario_from_json
from seemix.situation.services import scenarios as service


def read_scenario(path: Path):
    """The scenario of a JSON file or a Flee folder; CommandError naming the file otherwise."""
    if path.is_dir():
        inputs = path / "input_csv" if (path / "input_csv").is_dir() else path
        return read_flee(inputs).scenario
    if not path.exists():
        raise CommandError(f"{path}: no such file or folder")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CommandError(f"{path}: not a JSON file: {error}") from None
    return scenario_from_json(data)


def _write_tables(folder: Path, name: str, result: SimulationResult) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    result.nodes_long().to_csv(folder / f"{name}_nodes.csv", index=False)
    result.edges_long().to_csv(folder / f"{name}_edges.csv", index=False)


class Command(BaseCommand):
    help = (
        "Simulate a scenario (a JSON file or a Flee scenario folder) with and without its measures: "
        "persons present and stranded per place on the last day, and a one-line summary."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("scenario", type=Path, help="JSON scenario file or Flee scenario folder")
        parser.add_argument("--out", type=Path, help="Write the daily tables (CSV) into this folder")
        parser.add_argument("--flee-out", type=Path, help="Write the scenario as Flee input files here")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            scenario = read_scenario(options["scenario"])
            outcome = service.run(scenario)
        except ScenarioError as error:
            raise CommandError(f"{options['scenario']}: {error}") from None
        last = outcome.result.dates()[-1]
        self.stdout.write(f"{scenario.name}: {scenario.days} days, {len(scenario.nodes)} places, "
                          f"{len(scenario.edges)} legs, {len(scenario.measures)} measures")  # fmt: skip
        self.stdout.write(f"On {last}:")
        self.stdout.write(
            f"{'place':<28} {'present':>12} {'stranded':>12} {'no measure: present':>20} {'capacity':>10}"
        )
        for place in outcome.places:
            capacity = "-" if place.capacity is None else f"{place.capacity:,.0f}"
            self.stdout.write(
                f"{place.name[:28]:<28} {place.present:>12,.0f} {place.stranded:>12,.0f} "
                f"{place.baseline_present:>20,.0f} {capacity:>10}"
            )
        self.stdout.write(outcome.summary)
        for note in outcome.assumptions:
            self.stdout.write(f"Assumed: {note}")
        if options["out"]:
            _write_tables(options["out"], "with_measures", outcome.result)
            _write_tables(options["out"], "without_measures", outcome.baseline)
            self.stdout.write(f"Daily tables written to {options['out']}")
        if options["flee_out"]:
            write_flee(scenario, options["flee_out"])
            self.stdout.write(f"Flee input files written to {options['flee_out']}")
