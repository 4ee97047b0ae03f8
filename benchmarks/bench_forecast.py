"""Forecasting: rolling-origin backtest on the real 2015-16 route data, and the refit of 400 series.

1. Backtest (seemix.analysis.forecasting.evaluation says exactly what is compared and how):
   ``../shared/data/balkan_route_daily/``, the six series the IFRC dashboard forecast, one origin a
   day, two regimes, MASE and 80 % coverage at 1, 2, 3, 7 and 14 days for seemix and, in the same
   run, seasonal naive, AutoETS, AutoTheta and the IFRC dashboard's own published models.
2. Refit of 400 daily series (50 noisy, rescaled copies of the route's 8 series, 201 days): the
   next day's run with the previous day's backtest stored (every candidate refit on every
   series, selection, 14 days with 80/95 % bands), against statsforecast's own
   ``StatsForecast([AutoETS, AutoTheta]).forecast(h=14, level=[80, 95])`` of the same series.

    .venv/bin/python benchmarks/bench_forecast.py [--skip-backtest] [--skip-refit] [--series 400]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

from seemix.analysis.forecasting import forecast
from seemix.analysis.forecasting.data import ROUTE_UPSTREAM, load_route_daily
from seemix.analysis.forecasting.evaluation import route_backtest
from seemix.analysis.forecasting.panel import Panel

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data" / "balkan_route_daily"
ROUTE_FILE = DATA / "wb_route_daily_arrivals_2015-10-01_2016-04-18.csv"


def backtest() -> None:
    report = route_backtest(DATA)
    print(f"backtest: {report.origins} origins x 14 days x 6 series, {report.seconds:.0f} s\n")
    print(report.markdown())


def synthetic_panel(copies: int, seed: int = 2016) -> Panel:
    """``copies`` noisy copies of the route's 8 series (x 0.05-1.5, +-10 % day by day noise)."""
    route = load_route_daily(ROUTE_FILE).drop(columns=["germany"]).interpolate(limit_direction="both")
    rng = np.random.default_rng(seed)
    columns, upstream = {}, {}
    for k in range(copies):
        factor = rng.uniform(0.05, 1.5)
        for name in route.columns:
            noise = rng.lognormal(0.0, 0.1, len(route))
            columns[f"{name}-{k}"] = np.round(route[name].to_numpy() * factor * noise)
            upstream[f"{name}-{k}"] = tuple(
                f"{u}-{k}" for u in ROUTE_UPSTREAM.get(name, ()) if u in route.columns
            )
    return Panel.from_frame(pd.DataFrame(columns, index=route.index), upstream=upstream)


STORED_COPIES = 5  # the stored backtest is computed for 5 copies (40 series), see refit()


def refit(series: int) -> None:
    """The timed day: every candidate refit on every series at the new origin, the combinations,
    the selection and the bands over the stored backtest of the 41 days before.

    Computing that stored backtest for 400 series would take this shared machine half an hour (it
    is the previous 41 days' runs), so it is computed for the first 40 series and stored under the
    names of all 400 (copy k serves for copies k, k + 5, k + 10, ...): the same rows, the same
    shape, genuine model output; its actual values are then read from the 400 series' own data.
    Wall and CPU seconds are given: the machine is shared and its load average is printed.
    """
    from statsforecast import StatsForecast
    from statsforecast.models import AutoETS, AutoTheta

    copies = series // 8
    panel = synthetic_panel(copies)
    small = synthetic_panel(STORED_COPIES)
    started = time.perf_counter()
    _, stored_small = forecast(small.until(len(small.dates) - 2), refit_every=7)
    took = time.perf_counter() - started
    parts = stored_small["series"].str.rsplit("-", n=1)
    name, copy = parts.str[0], parts.str[1].astype(int)
    stored = pd.concat(
        [
            stored_small.assign(series=name + "-" + (copy + STORED_COPIES * r).astype(str))
            for r in range(copies // STORED_COPIES)
        ],
        ignore_index=True,
    )
    print(f"\nrefit: {len(panel.names)} series; stored backtest of 40 series made in {took:.0f} s")

    long = pd.DataFrame(
        {
            "unique_id": np.repeat(panel.names, len(panel.dates)),
            "ds": np.tile(panel.dates, len(panel.names)),
            "y": panel.values.ravel(),
        }
    )
    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    StatsForecast(models=[AutoETS(season_length=7), AutoTheta(season_length=7)], freq="D", n_jobs=1).forecast(
        df=long, h=14, level=[80, 95]
    )
    baseline = (time.perf_counter() - wall, time.process_time() - cpu)
    wall, cpu = time.perf_counter(), time.process_time()
    rows, _ = forecast(panel, previous=stored)
    seemix = (time.perf_counter() - wall, time.process_time() - cpu)
    assert len(rows) == 14 * len(panel.names)
    print(f"load average before: {load:.1f}, after: {os.getloadavg()[0]:.1f}")
    print(f"baseline statsforecast AutoETS + AutoTheta: {baseline[0]:.1f} s wall, {baseline[1]:.1f} s CPU")
    print(f"seemix daily refit: {seemix[0]:.1f} s wall, {seemix[1]:.1f} s CPU")
    ratio = f"{seemix[0] / baseline[0]:.2f} x baseline (wall), {seemix[1] / baseline[1]:.2f} x (CPU)"
    print(f"  = {ratio}; goal <= 60 s: {'met' if seemix[0] <= 60 else 'not met'} (wall)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-backtest", action="store_true")
    parser.add_argument("--skip-refit", action="store_true")
    parser.add_argument("--series", type=int, default=400)
    args = parser.parse_args()
    if not args.skip_backtest:
        backtest()
    if not args.skip_refit:
        refit(args.series)


if __name__ == "__main__":
    main()
