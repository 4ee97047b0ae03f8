"""Forecasts of daily and monthly series with calibrated 80 % and 95 % bands.

    panel = Panel.from_frame(frame, freq="D", upstream={"fyrom": ("mainlandgreece",)})
    rows = forecast(panel)            # 14 days ahead from the last date, one row per series and day

Candidates (``candidate_models``): seasonal naive, statsforecast's AutoETS and AutoTheta, the
route-aware regression on upstream series (``route.RouteAware``), the mean and the median of the
last week, the last value, and equal-weight combinations (``COMBINATIONS``). For each series and
horizon the candidate with the lowest error over the last ``window`` origins of a rolling-origin
backtest is chosen and its bands calibrated from those errors (``selection``). ``backtest.score``
gives MASE and coverage.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from seemix.analysis.forecasting.backtest import mase_scale, origin_positions, rolling_origin, score
from seemix.analysis.forecasting.models import (
    Model,
    Naive,
    RecentMean,
    RecentMedian,
    SeasonalNaive,
    Statsforecast,
)
from seemix.analysis.forecasting.panel import Panel
from seemix.analysis.forecasting.route import RouteAware
from seemix.analysis.forecasting.selection import LEVELS, add_combinations, select_and_calibrate

__all__ = [
    "COMBINATIONS", "LEVELS", "Panel", "backtest_candidates", "candidate_models", "forecast",
    "mase_scale", "origin_positions", "rolling_origin", "score", "select_and_calibrate",
]  # fmt: skip

HORIZON = {"D": 14, "MS": 3}
WINDOW = {"D": 28, "MS": 12}
COMBINATIONS: dict[str, tuple[str, ...]] = {
    "mean_ets_theta_route": ("auto_ets", "auto_theta", "route_aware"),
    "mean_all": ("auto_ets", "auto_theta", "route_aware", "recent_mean"),
    "mean_theta_route": ("auto_theta", "route_aware"),
    "mean_ets_theta": ("auto_ets", "auto_theta"),
    "mean_ets_theta_recent": ("auto_ets", "auto_theta", "recent_mean"),
}


def candidate_models(freq: str = "D", *, refit_every: int = 1) -> list[Model]:
    """The models seemix chooses from, for daily ("D") or monthly ("MS") series."""
    if freq == "MS":
        return [
            SeasonalNaive(12),
            Statsforecast("ets", refit_every),
            Statsforecast("theta", refit_every),
            RecentMean(3),
        ]
    return [
        SeasonalNaive(7),
        Statsforecast("ets", refit_every),
        Statsforecast("theta", refit_every),
        RouteAware(),
        RecentMean(7),
        RecentMedian(7),
        Naive(),
    ]


def backtest_candidates(
    panel: Panel, origins: Sequence[int], horizon: int, *, models: Sequence[Model] | None = None
) -> pd.DataFrame:
    """The candidates' and their combinations' backtest rows at ``origins``."""
    rows = rolling_origin(
        panel, models if models is not None else candidate_models(panel.freq), origins, horizon
    )
    return add_combinations(rows, COMBINATIONS)


def forecast(
    panel: Panel,
    *,
    origin: pd.Timestamp | str | None = None,
    horizon: int | None = None,
    window: int | None = None,
    levels: Sequence[int] = LEVELS,
    refit_every: int = 1,
    previous: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """seemix's forecast from ``origin`` (the panel's last date by default) for 1..horizon periods.

    Returns ``(forecasts, backtest)``. ``forecasts`` has one row per target series and horizon:
    series, origin, h, date, forecast, lo_80, hi_80, lo_95, hi_95, chosen (the model), calibrated
    (False while a series has too short a history for its bands to be calibrated). ``backtest``
    holds the candidates' rows of the last ``window + horizon`` origins; pass it back as
    ``previous`` the next day and only the new origins are computed (rows of ``previous`` whose
    actual value has since been reported or revised are refreshed from the panel).
    """
    horizon = horizon or HORIZON[panel.freq]
    window = window or WINDOW[panel.freq]
    t = len(panel.dates) - 1 if origin is None else int(panel.dates.get_loc(pd.Timestamp(origin)))
    # Origins with less than two seasons of history would calibrate the bands on the errors of
    # forecasts nobody would make (from one or two values): the backtest starts after them.
    first = _first_observed(panel) + 2 * panel.season - 1
    wanted = list(range(max(first, t - horizon - window + 1), t + 1))
    known = panel.until(t)
    rows = None
    if previous is not None and not previous.empty:
        rows = previous[previous["origin"].isin(known.dates[wanted]) & (previous["h"] <= horizon)]
        rows = rows[rows["series"].isin(known.target_names)]
        done = set(pd.DatetimeIndex(rows["origin"].unique()))
        wanted = [p for p in wanted if known.dates[p] not in done]
    fresh = backtest_candidates(
        known, wanted, horizon, models=candidate_models(panel.freq, refit_every=refit_every)
    )
    rows = fresh if rows is None else pd.concat([rows, fresh], ignore_index=True)
    rows = _refresh_actuals(rows, known)
    chosen = select_and_calibrate(
        rows, known, window=window, levels=levels, default="auto_ets", at=known.dates[t]
    )
    today = chosen[chosen["origin"] == known.dates[t]].drop(columns=["model", "actual"])
    return today.reset_index(drop=True), rows


def _first_observed(panel: Panel) -> int:
    observed = np.flatnonzero(~np.isnan(panel.values).all(axis=0))
    return int(observed[0]) if observed.size else 0


def _refresh_actuals(rows: pd.DataFrame, known: Panel) -> pd.DataFrame:
    positions = known.dates.get_indexer(pd.DatetimeIndex(rows["date"]))
    series = [known.index(s) for s in rows["series"]]
    inside = positions >= 0
    actual = pd.Series(float("nan"), index=rows.index)
    actual[inside] = known.values[pd.Index(series)[inside], positions[inside]]
    return rows.assign(actual=actual.to_numpy())
