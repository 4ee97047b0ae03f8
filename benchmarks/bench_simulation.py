"""Simulation (issue #6): against Flee on its own scenarios, the 2015-16 replay, and 1 million people.

    .venv/bin/python benchmarks/bench_simulation.py [--skip-flee]

(a) Flee, the agent-based model, on its test network and on FabFlee's ukraine2022 (validation: UNHCR
    crossing counts into Poland, Hungary, Romania, Slovakia and Moldova), in the same run as seemix
    on the same files: both errors (Flee's "Total error" averaged over the days) and both run times.
    Flee is not a dependency and this script fetches nothing. Place a Flee checkout yourself and
    point SEEMIX_FLEE_DIR at it, with a Python that has Flee's own dependencies:

        git clone https://github.com/djgroen/flee /tmp/flee          # or git archive of a mirror
        python3 -m venv /tmp/flee-venv
        /tmp/flee-venv/bin/pip install numpy pandas pyyaml beartype
        SEEMIX_FLEE_DIR=/tmp/flee SEEMIX_FLEE_PYTHON=/tmp/flee-venv/bin/python \\
            .venv/bin/python benchmarks/bench_simulation.py

    SEEMIX_FLEE_HASTEN (default 1000) is Flee's population scale-down for ukraine2022 (1 agent per
    1000 persons): at full scale (23.6 million agents) Flee would not finish on this machine.
(b) The 2015-16 replay: the Greek islands' daily arrivals as inflow, the real measures, Oct 2015 to
    Apr 2016, against the observed daily arrivals per country.
(c) A 180-day regional scenario with 1 million people.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from seemix.analysis.simulation import (  # noqa: E402
    Edge,
    Measure,
    Node,
    Scenario,
    averaged_relative_difference,
    balkan2015,
    simulate,
)
from seemix.analysis.simulation.flee_io import flee_total_error, read_flee  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
FLEE_DATA = DATA / "flee_fabflee"
UKRAINE = FLEE_DATA / "FabFlee_ukraine2022"
ARRIVALS = DATA / "balkan_route_daily" / "wb_route_daily_arrivals_2015-10-01_2016-04-18.csv"


def best_of(runs: int, work):
    best, value = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        value = work()
        best = min(best, time.perf_counter() - started)
    return best, value


def flee_settings(base: Path | None, hasten: int, folder: Path) -> Path:
    """Flee's simsetting.yml for the run: the scenario's own (or Flee's defaults) with `hasten` set."""
    text = base.read_text() if base and base.exists() else "optimisations:\n  hasten: 1\n"
    lines, seen = [], False
    for line in text.splitlines():
        if line.strip().startswith("hasten:"):
            line, seen = f"  hasten: {hasten}", True
        lines.append(line)
    if not seen:
        lines += ["optimisations:", f"  hasten: {hasten}"]
    path = folder / "simsetting.yml"
    path.write_text("\n".join(lines) + "\n")
    return path


def run_flee(
    flee_dir: Path, python: str, inputs: Path, validation: Path, settings: Path
) -> tuple[float, float]:
    """Flee's runscripts/run.py on the scenario; returns (seconds, mean Total error)."""
    started = time.perf_counter()
    done = subprocess.run(
        [python, str(flee_dir / "runscripts" / "run.py"), str(inputs), str(validation), "0", str(settings)],
        cwd=settings.parent,
        env={**os.environ, "PYTHONPATH": str(flee_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"Flee failed ({done.returncode}): {done.stderr[-2000:]}")
    header = next(i for i, line in enumerate(done.stdout.splitlines()) if line.startswith("Day,"))
    out = pd.read_csv(io.StringIO("\n".join(done.stdout.splitlines()[header:])))
    return seconds, float(out["Total error"].mean())


def flee_comparison(skip_flee: bool) -> None:
    print("\n(a) Flee's own scenarios, seemix and Flee in the same run")
    cases = [
        ("test network", FLEE_DATA / "flee_test_data" / "test_input_csv",
         FLEE_DATA / "flee_test_data" / "test_input_csv" / "refugee_data", None, 1),
        ("ukraine2022", UKRAINE / "input_csv", UKRAINE / "source_data", UKRAINE / "simsetting.yml",
         int(os.environ.get("SEEMIX_FLEE_HASTEN", "1000"))),
    ]  # fmt: skip
    flee_dir = Path(os.environ["SEEMIX_FLEE_DIR"]) if os.environ.get("SEEMIX_FLEE_DIR") else None
    python = os.environ.get("SEEMIX_FLEE_PYTHON", sys.executable)
    why_not = None
    if skip_flee:
        why_not = "--skip-flee given"
    elif flee_dir is None:
        why_not = "SEEMIX_FLEE_DIR is not set (see this script's docstring for how to place Flee)"
    elif not (flee_dir / "runscripts" / "run.py").exists():
        why_not = f"{flee_dir}/runscripts/run.py not found: SEEMIX_FLEE_DIR is not a Flee checkout"
    print(
        f"{'scenario':<14} {'seemix error':>12} {'seemix s':>9} {'Flee error':>10} {'Flee s':>8}"
        f" {'speed-up':>9}"
    )
    for name, inputs, validation, settings, hasten in cases:
        flee = read_flee(inputs, validation, settings)

        def run_seemix(flee=flee):
            result = simulate(flee.scenario)
            return flee_total_error(
                result.node_frame("present").reset_index(drop=True), flee.validation, flee.total
            )

        seconds, error = best_of(3, run_seemix)
        if why_not:
            print(f"{name:<14} {error:>12.4f} {seconds:>9.3f} {'-':>10} {'-':>8} {'-':>9}")
            continue
        with tempfile.TemporaryDirectory(prefix="flee-run-") as scratch:
            yml = flee_settings(settings or flee_dir / "flee" / "simsetting.yml", hasten, Path(scratch))
            flee_seconds, flee_error = run_flee(flee_dir, python, inputs, validation, yml)
        print(
            f"{name:<14} {error:>12.4f} {seconds:>9.3f} {flee_error:>10.4f} {flee_seconds:>8.1f} "
            f"{flee_seconds / seconds:>8.0f}x   (Flee hasten={hasten})"
        )
    if why_not:
        print(f"Flee not run: {why_not}")


def replay() -> None:
    print("\n(b) 2015-16 replay: Greek islands' arrivals as inflow, the real measures")
    arrivals = balkan2015.read_arrivals(ARRIVALS)
    start, end = date(2015, 10, 1), date(2016, 4, 18)
    seconds, result = best_of(3, lambda: simulate(balkan2015.route_scenario(arrivals, start, end)))
    baseline = simulate(balkan2015.route_scenario(arrivals, start, end, measures=False))
    observed = balkan2015.observed(arrivals, start, end)
    simulated = result.node_frame("arrivals")
    after = start + timedelta(days=14)
    print(f"run time {seconds * 1000:.1f} ms for {result.scenario.days} days")
    print(f"{'country':<8} {'ARD daily':>9} {'ARD 7-day':>9} {'simulated':>10} {'observed':>10}")
    for node in balkan2015.COLUMNS:
        if node == "GR-ISLANDS":
            continue  # the inflow itself
        obs = observed.loc[observed.index >= after, node]
        sim = simulated.loc[obs.index, node]
        weekly_obs, weekly_sim = obs.rolling(7).mean().iloc[6:], sim.rolling(7).mean().iloc[6:]
        print(
            f"{node:<8} {averaged_relative_difference(sim.to_numpy(), obs.to_numpy()):>9.3f} "
            f"{averaged_relative_difference(weekly_sim.to_numpy(), weekly_obs.to_numpy()):>9.3f} "
            f"{sim.sum():>10,.0f} {np.nansum(obs):>10,.0f}"
        )
    # Diversion after 17 Oct 2015: the week before and after, Hungary vs Slovenia.
    for label, first in (("10-16 Oct 2015", date(2015, 10, 10)), ("18-24 Oct 2015", date(2015, 10, 18))):
        days = [first + timedelta(days=k) for k in range(7)]
        sim_hu, sim_si = simulated.loc[days, "HU"].sum(), simulated.loc[days, "SI"].sum()
        obs_hu, obs_si = observed.loc[days, "HU"].sum(), observed.loc[days, "SI"].sum()
        print(
            f"{label}: Hungary sim {sim_hu:,.0f} / obs {obs_hu:,.0f}; "
            f"Slovenia sim {sim_si:,.0f} / obs {obs_si:,.0f}"
        )
    # Build-up in Greece after the closure of 9 Mar 2016.
    greece = ["GR-ISLANDS", "GR"]
    present = result.node_frame("present")[greece].sum(axis=1)
    stranded = result.node_frame("stranded")[greece].sum(axis=1)
    closing = date(2016, 3, 8)
    for day in (date(2016, 3, 20), date(2016, 4, 18)):
        window = (observed.index > closing) & (observed.index <= day)
        built = np.nansum(observed.loc[window, "GR-ISLANDS"]) - np.nansum(observed.loc[window, "MK"])
        sim_built = present[day] - present[closing]
        no_measure = baseline.node_frame("present")[greece].sum(axis=1)
        print(
            f"Greece 9 Mar -> {day}: simulated build-up {sim_built:,.0f} "
            f"(stranded on the day {stranded[day]:,.0f}, "
            f"present {present[day]:,.0f}); observed islands - fYROM arrivals {built:,.0f}; "
            f"ratio {sim_built / built:.2f}; without the measures present {no_measure[day]:,.0f}"
        )


def regional_million() -> None:
    print("\n(c) 180-day regional scenario, 1,000,000 people")
    rng = np.random.default_rng(2016)
    countries = ["TR", "GR", "BG", "MK", "AL", "XK", "RS", "ME", "BA", "HR", "HU", "RO", "SI", "AT", "DE"]
    nodes = [Node("TR", "entry")]
    edges = []
    # each country: a reception site and three crossing points towards its neighbours (60 nodes)
    for c in countries[1:-1]:
        nodes += [Node(c), Node(f"{c}-site", "transit", capacity=5000.0, move_fraction=0.3)]
        edges += [Edge(c, f"{c}-site", 0.5), Edge(f"{c}-site", c, 1.0)]
    nodes.append(Node("DE", "sink"))
    order = {c: k for k, c in enumerate(countries)}
    for a in countries:
        for b in countries:
            if 0 < order[b] - order[a] <= 3:
                mid = f"{a}-{b}"
                nodes.append(Node(mid))
                edges += [
                    Edge(a, mid, float(rng.integers(1, 3)), capacity_per_day=float(rng.integers(2000, 9000))),
                    Edge(mid, b, 0.1),
                ]
    inflow = rng.gamma(4.0, 1.0, 180)
    inflow = inflow / inflow.sum() * 1_000_000
    measures = [
        Measure("closure", 40, None, edges=(("RS", "RS-HR"),)),
        Measure("cap", 90, 120, edges=(("GR", "GR-MK"),), value=1500),
        Measure("closure", 150, None, node="SI"),
    ]
    scenario = Scenario(
        nodes=nodes, edges=edges, days=180, inflow=pd.DataFrame({"TR": inflow}), measures=measures,
        groups=("sia", "other"), group_shares=(0.9, 0.1), start_date=date(2015, 10, 1),
    )  # fmt: skip
    seconds, result = best_of(3, lambda: simulate(scenario))
    print(
        f"{len(nodes)} nodes, {len(edges)} edges, 2 groups, 180 days: {seconds:.3f} s "
        f"(goal < 10 s); people entered {result.inflow_total().sum():,.0f}, "
        f"in Germany at the end {result.node_frame('present')['DE'].iloc[-1]:,.0f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-flee", action="store_true")
    args, _ = parser.parse_known_args()
    flee_comparison(args.skip_flee)
    replay()
    regional_million()
    return 0


if __name__ == "__main__":
    sys.exit(main())
