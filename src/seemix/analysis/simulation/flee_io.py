"""Flee's input formats: read a Flee scenario into a seemix `Scenario`, and write one back.

Flee (github.com/djgroen/flee, BSD-3-Clause) is the agent-based refugee-movement model whose
scenario files FabFlee publishes. Read here: `locations.csv`, `routes.csv`, `closures.csv`,
`sim_period.csv`, `conflicts.csv` (when present), `simsetting.yml` (the `move_rules` only), and the
validation data: `data_layout.csv` (location name -> CSV of cumulative counts) and its CSVs.

How Flee's agent rules become compartment rules (documented, since they are approximations):
- Nodes: `camp` -> sink (people stay; Flee's camp move chance is 0.001) with capacity = the
  `population` column (Flee's camp capacity, soft); `conflict_zone` -> entry; anything else ->
  transit. Move fraction: Flee's `conflict_movechance` at conflict zones, `default_movechance`
  elsewhere (from simsetting.yml, else Flee's defaults 1.0 and 0.3).
- Edges: Flee's routes are two-way and its agents look `awareness_level` steps ahead for camps.
  Here every place feels the camps' pull, P(x) = sum over camps of capacity / (1 + road km to the
  camp) ** `weight_power` (Flee scores a camp by its capacity too), and each route becomes the
  one-way edge towards the stronger pull (P strictly increases along every edge, so the graph has
  no cycle), weighted P(target) / km ** `weight_power`, with travel days = km / `max_move_speed`
  (fractional). Camps have no edge out. Full camps are avoided while another way is open
  (engine rule 3), as Flee's full camps lose their pull.
- Inflow: the `total` validation series (cumulative, linearly interpolated by day as Flee does)
  gives the new displaced each day (day 0: the first value, Flee's `insert_day0`), shared among the
  conflict zones active that day in proportion to population x conflict intensity
  (conflicts.csv, else `conflict_date` <= day). Camps start with their day-0 validation count.
- Closures: `country` closes every edge between the two countries, `location` every edge touching
  the location, `link` the named link; both ways, from closure_start up to (not including)
  closure_end, as Flee enacts them.
"""

from __future__ import annotations

import csv
import heapq
import math
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from seemix.analysis.simulation.model import Edge, Measure, Node, Scenario, ScenarioError

FLEE_MOVE_DEFAULTS = {
    "max_move_speed": 360.0,
    "default_movechance": 0.3,
    "conflict_movechance": 1.0,
    "camp_movechance": 0.001,
    "weight_power": 1.0,
}


@dataclass
class FleeScenario:
    """A Flee scenario read into seemix: the scenario, the validation series (cumulative persons
    per day, one column per validated location, NaN where Flee has no data) and the total."""

    scenario: Scenario
    validation: pd.DataFrame
    total: pd.Series
    routes: list[tuple[str, str, float]]


def _rows(path: Path) -> list[list[str]]:
    """Non-empty CSV rows, with Flee's `#` header/comment lines left out."""
    if not path.exists():
        raise ScenarioError(f"{path}: file missing")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return [row for row in csv.reader(handle) if row and row[0].strip() and not row[0].startswith("#")]


def _number(path: Path, line: int, field: str, text: str, default: float | None = None) -> float:
    text = text.strip()
    if text == "" and default is not None:
        return default
    try:
        return float(text)
    except ValueError:
        raise ScenarioError(f"{path.name} row {line}: {field}: not a number: {text!r}") from None


def read_move_rules(path: Path) -> dict[str, float]:
    """The numeric `move_rules` of a Flee simsetting.yml (a flat two-level YAML; no YAML library
    is needed for it). Missing file or keys: Flee's defaults."""
    rules = dict(FLEE_MOVE_DEFAULTS)
    if not path.exists():
        return rules
    section = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if not line.startswith((" ", "\t")):
            section = line.rstrip(":").strip()
            continue
        if section == "move_rules" and ":" in line:
            key, value = (part.strip() for part in line.split(":", 1))
            try:
                rules[key] = float(value)
            except ValueError:
                continue  # booleans and strings of move_rules are not used here
    return rules


def read_sim_period(path: Path) -> tuple[date, int]:
    values = {row[0].strip(): row[1].strip() for row in _rows(path) if len(row) >= 2}
    try:
        return date.fromisoformat(values["StartDate"]), int(values["Length"])
    except (KeyError, ValueError) as error:
        raise ScenarioError(
            f"{path.name}: needs StartDate,<YYYY-MM-DD> and Length,<days> ({error})"
        ) from None


def read_cumulative(path: Path, start: date, days: int) -> pd.Series:
    """A validation CSV (date, cumulative count) as one value per simulated day, linearly
    interpolated between the data points and held flat after the last one (Flee's
    get_interpolated_data); before the first point: the first value."""
    points: list[tuple[int, float]] = []
    for line, row in enumerate(_rows(path), start=1):
        if row[0].strip().lower() == "date":
            continue
        try:
            day = (date.fromisoformat(row[0].strip()) - start).days
        except ValueError:
            raise ScenarioError(f"{path.name} row {line}: date: not an ISO date: {row[0]!r}") from None
        if len(row) < 2:
            raise ScenarioError(f"{path.name} row {line}: count: missing")
        points.append((day, _number(path, line, "count", row[1])))
    if not points:
        raise ScenarioError(f"{path.name}: no data rows")
    points.sort()
    xs = np.array([p[0] for p in points], dtype=float)
    ys = np.array([p[1] for p in points], dtype=float)
    return pd.Series(np.interp(np.arange(days), xs, ys), index=pd.RangeIndex(days, name="day"))


def read_validation(folder: Path, start: date, days: int, layout: str = "data_layout.csv") -> pd.DataFrame:
    """Every series named in data_layout.csv (name,file) as columns, `total` included."""
    series = {}
    for row in _rows(folder / layout):
        if len(row) < 2:
            raise ScenarioError(f"{layout}: row {row!r}: needs name,file")
        series[row[0].strip()] = read_cumulative(folder / row[1].strip(), start, days)
    return pd.DataFrame(series)


def _distances_to_camps(names: list[str], routes: list[tuple[str, str, float]], camps: list[str]) -> dict:
    """Shortest road distance (km) from every location to its nearest camp (Dijkstra from all camps)."""
    neighbours: dict[str, list[tuple[str, float]]] = {n: [] for n in names}
    for a, b, km in routes:
        neighbours[a].append((b, km))
        neighbours[b].append((a, km))
    best = {n: math.inf for n in names}
    queue = [(0.0, c) for c in camps]
    for c in camps:
        best[c] = 0.0
    heapq.heapify(queue)
    while queue:
        d, n = heapq.heappop(queue)
        if d > best[n]:
            continue
        for m, km in neighbours[n]:
            if d + km < best[m]:
                best[m] = d + km
                heapq.heappush(queue, (d + km, m))
    return best


def read_flee(
    input_dir: Path, validation_dir: Path | None = None, settings: Path | None = None
) -> FleeScenario:
    """Read a Flee scenario (input_csv folder, and source_data folder for the validation data)."""
    input_dir = Path(input_dir)
    start, days = read_sim_period(input_dir / "sim_period.csv")
    rules = read_move_rules(Path(settings) if settings else input_dir.parent / "simsetting.yml")
    speed = rules["max_move_speed"]

    locations: list[dict[str, Any]] = []
    for line, row in enumerate(_rows(input_dir / "locations.csv"), start=1):
        if len(row) < 6:
            raise ScenarioError(f"locations.csv row {line}: needs name,region,country,lat,lon,location_type")
        path = input_dir / "locations.csv"
        locations.append(
            {
                "name": row[0].strip(),
                "region": row[1].strip(),
                "country": row[2].strip(),
                "lat": _number(path, line, "latitude", row[3], 0.0),
                "lon": _number(path, line, "longitude", row[4], 0.0),
                "type": row[5].strip(),
                "conflict_date": _number(
                    path, line, "conflict_date", row[6] if len(row) > 6 else "", math.inf
                ),
                "population": _number(path, line, "population", row[7] if len(row) > 7 else "", 0.0),
            }
        )
    names = [loc["name"] for loc in locations]
    known = set(names)
    routes: list[tuple[str, str, float]] = []
    for line, row in enumerate(_rows(input_dir / "routes.csv"), start=1):
        if len(row) < 3:
            raise ScenarioError(f"routes.csv row {line}: needs name1,name2,distance")
        a, b = row[0].strip(), row[1].strip()
        for field, name in (("name1", a), ("name2", b)):
            if name not in known:
                raise ScenarioError(f"routes.csv row {line}: {field}: unknown location {name!r}")
        routes.append((a, b, _number(input_dir / "routes.csv", line, "distance", row[2])))

    camps = [loc["name"] for loc in locations if loc["type"] == "camp"]
    if not camps:
        raise ScenarioError("locations.csv: no location of type camp: nowhere for people to go")
    capacity = {loc["name"]: max(loc["population"], 1.0) for loc in locations if loc["type"] == "camp"}
    by_camp = {c: _distances_to_camps(names, routes, [c]) for c in camps}
    power = rules["weight_power"]
    # The pull of the camps felt at x: sum of capacity / (1 + road km to the camp) ** weight_power.
    pull = {
        x: sum(capacity[c] / (1.0 + d[x]) ** power for c, d in by_camp.items() if d[x] < math.inf)
        for x in names
    }
    edges: list[Edge] = []
    for a, b, km in routes:
        for u, v in ((a, b), (b, a)):
            if pull[v] > pull[u] and u not in capacity:  # nobody leaves a camp (Flee: 0.001)
                edges.append(Edge(u, v, travel_days=km / speed, weight=pull[v] / max(km, 1.0) ** power))

    nodes = []
    for loc in locations:
        kind = {"camp": "sink", "conflict_zone": "entry"}.get(loc["type"], "transit")
        chance = {"camp": 0.0, "conflict_zone": rules["conflict_movechance"]}.get(
            loc["type"], rules["default_movechance"]
        )
        places = loc["population"] if kind == "sink" and loc["population"] > 0 else math.inf
        nodes.append(
            Node(
                loc["name"],
                kind,
                capacity=places,
                move_fraction=chance,
                country=loc["country"],
                latitude=loc["lat"],
                longitude=loc["lon"],
                label=loc["region"],
            )
        )

    measures = _read_closures(input_dir / "closures.csv", locations, edges)
    validation_dir = Path(validation_dir) if validation_dir else input_dir.parent / "source_data"
    validation = read_validation(validation_dir, start, days)
    total_name = next((c for c in validation.columns if c.lower() == "total"), None)
    if total_name is None:
        raise ScenarioError(f"{validation_dir / 'data_layout.csv'}: no `total` series: the inflow is unknown")
    total = validation.pop(total_name)
    validation = validation[[c for c in validation.columns if c in known]]

    initial = {c: float(validation[c].iloc[0]) for c in validation.columns if c in camps}
    new = np.diff(total.to_numpy(), prepend=0.0)
    new[0] = max(new[0] - sum(initial.values()), 0.0)
    new = np.maximum(new, 0.0)
    spawn = _spawn_weights(input_dir / "conflicts.csv", locations, days)
    with np.errstate(invalid="ignore", divide="ignore"):
        spread = np.where(spawn.sum(axis=1, keepdims=True) > 0, spawn / spawn.sum(axis=1, keepdims=True), 0.0)
    entry_names = [loc["name"] for loc in locations if loc["type"] == "conflict_zone"]
    inflow = pd.DataFrame(spread * new[:, None], columns=entry_names)
    scenario = Scenario(
        nodes=nodes,
        edges=edges,
        days=days,
        inflow=inflow,
        start_date=start,
        measures=measures,
        initial_present=initial,
        name=input_dir.parent.name or input_dir.name,
        assumptions=[
            "Flee scenario read as compartments: routes oriented towards the camps' pull "
            f"(capacity / (1 + km)^{power:g}), travel at {speed:g} km/day, new displaced from the "
            "total series shared among active conflict zones by population x intensity.",
        ],
    )
    return FleeScenario(scenario=scenario, validation=validation, total=total, routes=routes)


def _spawn_weights(path: Path, locations: list[dict], days: int) -> np.ndarray:
    """(days, conflict zones): population x conflict intensity of each zone on each day."""
    zones = [loc for loc in locations if loc["type"] == "conflict_zone"]
    intensity = np.zeros((days, len(zones)))
    if path.exists():
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = [r for r in csv.reader(handle) if r]
        header = [h.strip().lstrip("#") for h in rows[0]]
        column = {name: k for k, name in enumerate(header)}
        for line, row in enumerate(rows[1:], start=2):
            day = int(_number(path, line, "Day", row[0]))
            if 0 <= day < days:
                for z, zone in enumerate(zones):
                    if zone["name"] in column:
                        intensity[day, z] = _number(path, line, zone["name"], row[column[zone["name"]]], 0.0)
    else:
        for z, zone in enumerate(zones):
            intensity[np.arange(days) >= zone["conflict_date"], z] = 1.0
    population = np.array([max(zone["population"], 1.0) for zone in zones])
    return intensity * population[None, :]


def _read_closures(path: Path, locations: list[dict], edges: list[Edge]) -> list[Measure]:
    if not path.exists():
        return []
    country = {loc["name"]: loc["country"] for loc in locations}
    measures = []
    for line, row in enumerate(_rows(path), start=1):
        if len(row) < 5:
            raise ScenarioError(f"closures.csv row {line}: needs closure_type,name1,name2,start,end")
        kind, a, b = row[0].strip(), row[1].strip(), row[2].strip()
        start = int(_number(path, line, "closure_start", row[3]))
        end = int(_number(path, line, "closure_end", row[4]))
        if kind == "country":
            hit = [e for e in edges if {country[e.source], country[e.target]} == {a, b}]
        elif kind == "location":
            hit = [e for e in edges if a in (e.source, e.target)]
        elif kind == "link":
            hit = [e for e in edges if {e.source, e.target} == {a, b}]
        else:
            raise ScenarioError(f"closures.csv row {line}: closure_type: {kind!r} is not read by seemix")
        if hit:
            pairs = tuple((e.source, e.target) for e in hit)
            measures.append(Measure("closure", start, end, edges=pairs, label=f"{kind} {a}-{b}"))
    return measures


def write_flee(scenario: Scenario, folder: Path, km_per_day: float = 360.0) -> Path:
    """Write a seemix scenario as a Flee scenario: folder/input_csv and folder/source_data.

    Entry nodes become conflict zones, sinks camps (population = capacity), others towns; each
    edge a route of travel_days x km_per_day km; closure measures on edges `link` closures
    (restrictions, caps and capacity changes have no Flee equivalent and are listed in
    folder/NOT_EXPORTED.txt); the inflow the cumulative `total` series.
    """
    folder = Path(folder)
    (folder / "input_csv").mkdir(parents=True, exist_ok=True)
    (folder / "source_data").mkdir(parents=True, exist_ok=True)
    start = scenario.start_date or date(2000, 1, 1)
    inflow = scenario.inflow_array().sum(axis=2)
    per_node = inflow.sum(axis=0)
    index = scenario.node_index()
    kinds = {"entry": "conflict_zone", "sink": "camp", "transit": "town"}
    with (folder / "input_csv" / "locations.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "#name",
                "region",
                "country",
                "latitude",
                "longitude",
                "location_type",
                "conflict_date",
                "population",
            ]
        )
        for node in scenario.nodes:
            if node.kind == "sink":
                population = "" if math.isinf(node.capacity) else f"{node.capacity:g}"
            else:
                population = f"{per_node[index[node.name]]:g}" if node.kind == "entry" else "0"
            place = [
                node.name,
                node.label,
                node.country or node.name,
                node.latitude or 0.0,
                node.longitude or 0.0,
            ]
            out.writerow([*place, kinds[node.kind], "0" if node.kind == "entry" else "", population])
    with (folder / "input_csv" / "routes.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["#name1", "name2", "distance", "forced_redirection"])
        for edge in scenario.edges:
            out.writerow([edge.source, edge.target, f"{edge.travel_days * km_per_day:g}", "0"])
    skipped = []
    with (folder / "input_csv" / "closures.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["#closure_type", "name1", "name2", "closure_start", "closure_end"])
        for measure in scenario.measures:
            if measure.kind != "closure":
                skipped.append(f"{measure.kind} {measure.label or measure.edges or measure.node}")
                continue
            end = scenario.days if measure.end_day is None else measure.end_day
            for j in scenario.measure_edges(measure):
                edge = scenario.edges[j]
                out.writerow(["link", edge.source, edge.target, measure.start_day, end])
    (folder / "NOT_EXPORTED.txt").write_text(
        "".join(f"{line}\n" for line in skipped) or "everything was exported\n", encoding="utf-8"
    )
    with (folder / "input_csv" / "sim_period.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["StartDate", start.isoformat()], ["Length", scenario.days]])
    cumulative = np.cumsum(inflow.sum(axis=1))
    with (folder / "source_data" / "total.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        for t, value in enumerate(cumulative):
            out.writerow([(start + timedelta(days=t)).isoformat(), f"{value:.6g}"])
    (folder / "source_data" / "data_layout.csv").write_text("total,total.csv\n", encoding="utf-8")
    (folder / "simsetting.yml").write_text(
        f"move_rules:\n  max_move_speed: {km_per_day:g}\n"
        "  default_movechance: 1.0\n  conflict_movechance: 1.0\n",
        encoding="utf-8",
    )
    return folder


def flee_total_error(simulated: pd.DataFrame, observed: pd.DataFrame, total: pd.Series) -> float:
    """Flee's "Total error" averaged over the days: mean over t of sum over the validated locations
    of |sim - data| / total(t) (flee/postprocessing/analysis.py, runscripts/run.py)."""
    columns = list(observed.columns)
    diff = np.abs(simulated[columns].to_numpy(dtype=float) - observed.to_numpy(dtype=float)).sum(axis=1)
    totals = total.to_numpy(dtype=float)
    keep = totals > 0
    return float(np.mean(diff[keep] / totals[keep]))
