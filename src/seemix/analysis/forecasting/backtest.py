"""Rolling-origin backtests and their scores (MASE, interval coverage).

At each origin t a model is handed ``panel.until(t)``: the data up to and including day t and
nothing after it. It forecasts days t+1 .. t+H, which are then compared with what was reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from seemix.analysis.forecasting.models import Model
from seemix.analysis.forecasting.panel import Panel

BACKTEST_COLUMNS = ["model", "series", "origin", "h", "date", "forecast", "actual"]


def origin_positions(panel: Panel, start: pd.Timestamp | str, end: pd.Timestamp | str) -> list[int]:
    """Positions of the origins from ``start`` to ``end`` inclusive (both must be in the panel)."""
    first, last = panel.dates.get_loc(pd.Timestamp(start)), panel.dates.get_loc(pd.Timestamp(end))
    return list(range(int(first), int(last) + 1))


def rolling_origin(
    panel: Panel, models: Iterable[Model], origins: Sequence[int], horizon: int
) -> pd.DataFrame:
    """Every model's forecasts from every origin: one row per (model, series, origin, h).

    ``actual`` is what the panel holds for the target date, NaN if it was not reported or lies
    beyond the panel's last date.
    """
    models = list(models)
    names = list(panel.target_names)
    target_rows = [panel.index(n) for n in names]
    parts = []
    for t in origins:
        known = panel.until(t)
        dates = panel.future_dates(t, horizon)
        actual = np.full((len(names), horizon), np.nan)
        inside = min(horizon, panel.values.shape[1] - 1 - t)
        actual[:, :inside] = panel.values[target_rows, t + 1 : t + 1 + inside]
        for model in models:
            forecast = np.asarray(model.predict(known, horizon), dtype=float)
            if forecast.shape != (len(names), horizon):
                raise ValueError(
                    f"{model.name} returned shape {forecast.shape}, expected {(len(names), horizon)}"
                )
            part = {
                "model": model.name,
                "series": np.repeat(names, horizon),
                "origin": panel.dates[t],
                "h": np.tile(np.arange(1, horizon + 1), len(names)),
                "date": np.tile(dates, len(names)),
                "forecast": forecast.ravel(),
                "actual": actual.ravel(),
            }
            level, bands = getattr(model, "level", None), getattr(model, "bands", None)
            if level is not None and bands is not None:
                part[f"lo_{level}"], part[f"hi_{level}"] = bands[0].ravel(), bands[1].ravel()
            parts.append(pd.DataFrame(part))
    if not parts:
        return pd.DataFrame(columns=BACKTEST_COLUMNS)
    return pd.concat(parts, ignore_index=True)


def mase_scale(panel: Panel, before: pd.Timestamp | str, season: int = 1) -> pd.Series:
    """Per series: the mean absolute ``season``-step change of the history before ``before``:
    the in-sample error of the naive forecast, MASE's denominator."""
    stop = int(panel.dates.searchsorted(pd.Timestamp(before)))
    scales = {}
    for name in panel.target_names:
        y = panel.values[panel.index(name), :stop]
        diffs = np.abs(y[season:] - y[:-season])
        scales[name] = float(np.nanmean(diffs)) if np.isfinite(diffs).any() else np.nan
    return pd.Series(scales, name="scale")


def score(rows: pd.DataFrame, scale: pd.Series) -> pd.DataFrame:
    """Per model and horizon: MASE (the mean over series of each series' MAE / its scale) and, where
    the rows carry ``lo_80``/``hi_80``, the share of actual values inside the 80 % interval."""
    rows = rows.dropna(subset=["actual", "forecast"])
    rows = rows.assign(abs_error=(rows["actual"] - rows["forecast"]).abs())
    per_series = rows.groupby(["model", "h", "series"])["abs_error"].mean().reset_index()
    per_series["mase"] = per_series["abs_error"] / per_series["series"].map(scale)
    table = per_series.groupby(["model", "h"])["mase"].mean().to_frame()
    table["n"] = rows.groupby(["model", "h"]).size()
    if "lo_80" in rows.columns:
        inside = rows.dropna(subset=["lo_80", "hi_80"])
        inside = inside.assign(
            hit=(inside["actual"] >= inside["lo_80"]) & (inside["actual"] <= inside["hi_80"])
        )
        table["coverage_80"] = inside.groupby(["model", "h"])["hit"].mean()
    return table.reset_index()
