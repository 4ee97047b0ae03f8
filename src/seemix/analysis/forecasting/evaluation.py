"""The backtest table of issue 7 on the real 2015-16 route data, for ``seemix forecast --backtest``
and ``benchmarks/bench_forecast.py``.

The six series the IFRC dashboard forecast (mainland Greece, North Macedonia, Serbia, Croatia,
Slovenia, Austria; the Greek islands and Hungary feed the route-aware model as upstream series).
One origin a day from 2015-11-20 to 2016-04-17, forecasts 1-14 days ahead. A forecast belongs to a
regime by its target date: regular 2016-01-11 .. 2016-03-08, closure 2016-03-09 .. 2016-04-18.
MASE per horizon = the mean over the six series of MAE / the series' in-sample naive MAE (one-day
changes, every day before the regime). Coverage = the share of actual values inside the 80 % band.

Baselines, in the same run: seasonal naive (weekly), statsforecast's AutoETS and AutoTheta (refit
at every origin, with their own 80 % intervals), and the IFRC dashboard's published 1-3 day models
(``peer``: each used from the day after its training window ends until a model with a later window
end exists; they have no intervals). seemix = the model chosen per series and horizon from the last
28 origins' errors, with split-conformal bands (``selection``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from seemix.analysis.forecasting.backtest import mase_scale, origin_positions, rolling_origin, score
from seemix.analysis.forecasting.data import load_route_daily, route_panel
from seemix.analysis.forecasting.models import (
    Model,
    Naive,
    RecentMean,
    RecentMedian,
    SeasonalNaive,
    Statsforecast,
)
from seemix.analysis.forecasting.peer import PeerForecast, load_peer_models
from seemix.analysis.forecasting.route import RouteAware
from seemix.analysis.forecasting.selection import add_combinations, select_and_calibrate

ROUTE_FILE = "wb_route_daily_arrivals_2015-10-01_2016-04-18.csv"
PEER_FOLDER = "ifrc_peer_forecast_models"
TARGETS = ("mainlandgreece", "fyrom", "serbia", "croatia", "slovenia", "austria")
REGIMES = {"regular": ("2016-01-11", "2016-03-08"), "closure": ("2016-03-09", "2016-04-18")}
FIRST_ORIGIN, LAST_ORIGIN = "2015-11-20", "2016-04-17"
HORIZONS = (1, 2, 3, 7, 14)
GOAL_HORIZONS = (1, 2, 3, 7)
GOAL_RATIO = 0.9  # MASE at least 10 % below the best baseline
BASELINES = ("seasonal_naive", "auto_ets", "auto_theta", "ifrc_peer")
LABELS = {
    "seemix": "seemix", "seasonal_naive": "seasonal naive", "auto_ets": "AutoETS",
    "auto_theta": "AutoTheta", "ifrc_peer": "IFRC peer",
}  # fmt: skip


@dataclass
class RouteBacktest:
    seconds: float
    origins: int
    scores: dict[str, pd.DataFrame] = field(default_factory=dict)  # regime -> score() rows
    chosen: dict[str, pd.Series] = field(default_factory=dict)  # regime -> share of each chosen model

    def ratio(self, regime: str, h: int) -> tuple[float, str]:
        mase = self.scores[regime].pivot(index="h", columns="model", values="mase")
        best = str(mase.loc[h, list(BASELINES)].idxmin())
        return float(mase.loc[h, "seemix"] / mase.loc[h, best]), best

    def markdown(self) -> str:
        lines = []
        for regime, (first, last) in REGIMES.items():
            table = self.scores[regime]
            mase = table.pivot(index="h", columns="model", values="mase")
            coverage = table.pivot(index="h", columns="model", values="coverage_80")
            lines += [
                f"{regime} ({first} .. {last}): MASE (coverage of the 80 % band)",
                "",
                "| h | " + " | ".join(LABELS[m] for m in ("seemix", *BASELINES))
                + " | best baseline | seemix / best | goal (<= 0.90) |",
                "|---" * (len(BASELINES) + 5) + "|",
            ]  # fmt: skip
            for h in HORIZONS:
                ratio, best = self.ratio(regime, h)
                goal = ("met" if ratio <= GOAL_RATIO else "not met") if h in GOAL_HORIZONS else "-"
                cells = [
                    _cell(mase.loc[h, m], coverage.loc[h, m] if m in coverage.columns else np.nan)
                    for m in ("seemix", *BASELINES)
                ]
                lines.append(f"| {h} | {' | '.join(cells)} | {LABELS[best]} | {ratio:.2f} | {goal} |")
            shares = ", ".join(f"{m} {s:.0%}" for m, s in self.chosen[regime].items())
            lines += ["", f"models seemix chose: {shares}", ""]
        return "\n".join(lines)


def _cell(mase: float, coverage: float) -> str:
    if np.isnan(mase):
        return "-"
    return f"{mase:.3f}" + ("" if np.isnan(coverage) else f" ({coverage:.0%})")


def route_backtest(folder: str | Path, window: int = 28) -> RouteBacktest:
    """The whole comparison; ``folder`` is ``shared/data/balkan_route_daily``."""
    from seemix.analysis.forecasting import COMBINATIONS

    folder = Path(folder)
    panel = route_panel(load_route_daily(folder / ROUTE_FILE), TARGETS)
    origins = origin_positions(panel, FIRST_ORIGIN, LAST_ORIGIN)
    started = time.perf_counter()
    own_bands: list[Model] = [
        SeasonalNaive(level=80),
        Statsforecast("ets", level=80),
        Statsforecast("theta", level=80),
    ]
    baselines = rolling_origin(panel, own_bands, origins, 14)
    peer = rolling_origin(panel, [PeerForecast(load_peer_models(folder / PEER_FOLDER))], origins, 14)
    others = rolling_origin(panel, [RouteAware(), RecentMean(), RecentMedian(), Naive()], origins, 14)
    candidates = add_combinations(
        pd.concat([baselines.drop(columns=["lo_80", "hi_80"]), others], ignore_index=True), COMBINATIONS
    )
    seemix = select_and_calibrate(candidates, panel, window=window, default="auto_ets")
    report = RouteBacktest(seconds=time.perf_counter() - started, origins=len(origins))
    rows = pd.concat([baselines, peer, seemix], ignore_index=True)
    for regime, (first, last) in REGIMES.items():
        inside = rows[(rows["date"] >= first) & (rows["date"] <= last) & rows["h"].isin(HORIZONS)]
        report.scores[regime] = score(inside, mase_scale(panel, first))
        picked = seemix[(seemix["date"] >= first) & (seemix["date"] <= last)]["chosen"]
        report.chosen[regime] = picked.value_counts(normalize=True)
    return report
