"""Choosing a model per series and horizon from its recent backtest, and calibrating the bands.

At an origin t, for series s and horizon h, the candidate with the lowest mean absolute error over
the last ``window`` origins whose targets are already known (origins t-h-window+1 .. t-h) is chosen:
only the past decides. Its forecast becomes seemix's. The bands are split-conformal: the chosen
models' past errors, each divided by its series' local noise level at its origin (``recent_scale``),
are pooled over the series; their empirical quantiles, times today's noise level, are added to the
forecast. That keeps the 80 % band about 80 % wide in coverage whether a series carries 8,000 a
day or 80, and it narrows within days of a closure instead of weeks.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from math import ceil

import numpy as np
import pandas as pd

from seemix.analysis.forecasting.panel import Panel, recent_scale

LEVELS = (80, 95)


def add_combinations(backtest: pd.DataFrame, combinations: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Backtest rows of each combination: the mean of its members' forecasts (all must be present)."""
    keys = ["series", "origin", "h", "date"]
    frames = [backtest]
    for name, members in combinations.items():
        part = backtest[backtest["model"].isin(members)]
        if part.empty:
            continue
        grouped = part.groupby(keys, sort=False).agg(
            forecast=("forecast", "mean"), actual=("actual", "first"), k=("model", "nunique")
        )
        grouped = grouped[grouped["k"] == len(members)].drop(columns="k").reset_index()
        frames.append(grouped.assign(model=name))
    return pd.concat(frames, ignore_index=True)


def conformal_quantiles(scores: np.ndarray, level: int) -> tuple[float, float]:
    """The lower and upper split-conformal quantiles of the signed scores for a central ``level`` % band."""
    scores = np.sort(scores[np.isfinite(scores)])
    n = scores.size
    alpha = 1 - level / 100
    upper = min(n - 1, ceil((n + 1) * (1 - alpha / 2)) - 1)
    lower = max(0, int(np.floor((n + 1) * (alpha / 2))) - 1)
    return float(scores[lower]), float(scores[upper])


def select_and_calibrate(
    backtest: pd.DataFrame,
    panel: Panel,
    *,
    window: int = 28,
    levels: Sequence[int] = LEVELS,
    default: str | None = None,
    min_scores: int = 20,
    name: str = "seemix",
    at: pd.Timestamp | None = None,
    pool: float = 0.0,
) -> pd.DataFrame:
    """seemix's rows for every origin of ``backtest``: the chosen model's forecast with its bands.

    ``backtest`` holds the candidates' rows (``rolling_origin``, ``add_combinations``) for
    consecutive origins. Where fewer than ``min_scores`` past errors exist (the first origins of a
    series' history) the ``default`` model is used and its bands are the candidates' usual
    square-root-of-horizon widening of the local noise level, flagged ``calibrated = False``.
    ``at`` limits the output to that one origin (a day's forecast).
    """
    models = sorted(backtest["model"].unique())
    default = default if default in models else models[0]
    series = list(dict.fromkeys(backtest["series"]))
    origins = pd.DatetimeIndex(sorted(backtest["origin"].unique()))
    horizons = sorted(backtest["h"].unique())
    if len(origins) > 1 and not (np.diff(panel.dates.get_indexer(origins)) == 1).all():
        raise ValueError("origins must be consecutive periods")
    index = pd.MultiIndex.from_product(
        [models, series, origins, horizons], names=["model", "series", "origin", "h"]
    )
    table = backtest.set_index(["model", "series", "origin", "h"]).reindex(index)
    shape = (len(models), len(series), len(origins), len(horizons))
    forecast = table["forecast"].to_numpy().reshape(shape)
    actual = table["actual"].to_numpy().reshape(shape)[0]
    dates = table["date"].to_numpy().reshape(shape)[0]
    positions = panel.dates.get_indexer(origins)
    scale = np.array(
        [[recent_scale(panel.values[panel.index(s), : p + 1]) for p in positions] for s in series]
    )  # (series, origins)
    errors = np.abs(forecast - actual[None])
    scores = (actual[None] - forecast) / scale[None, :, :, None]
    out = []
    for i in range(len(origins)) if at is None else [origins.get_loc(pd.Timestamp(at))]:
        for hi, h in enumerate(horizons):
            past = slice(max(0, i - h - window + 1), max(0, i - h + 1))
            window_errors = errors[:, :, past, hi]
            counts = np.isfinite(window_errors).sum(axis=2)
            with np.errstate(invalid="ignore", divide="ignore"):
                mae = np.where(counts > 0, np.nansum(window_errors, axis=2) / counts, np.nan)
            known = np.isfinite(mae).any(axis=0) & (i - h >= 0)
            if pool:
                # Shrink each series' record towards the models' record over all series (errors in
                # units of each series' noise level): 28 days of one series pick noise, not skill.
                relative = np.abs(scores[:, :, past, hi])
                with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    own = np.nanmean(relative, axis=2)
                    everyone = np.nanmean(own, axis=1, keepdims=True)
                mae = (1 - pool) * own + pool * everyone
            chosen = np.where(
                known, np.argmin(np.where(np.isfinite(mae), mae, np.inf), axis=0), models.index(default)
            )
            pooled = np.concatenate([scores[chosen[s], s, past, hi] for s in range(len(series))])
            calibrated = np.isfinite(pooled).sum() >= min_scores
            point = np.maximum(forecast[chosen, np.arange(len(series)), i, hi], 0.0)
            row = {
                "model": name,
                "series": series,
                "origin": origins[i],
                "h": h,
                "date": dates[:, i, hi],
                "forecast": point,
                "actual": actual[:, i, hi],
                "chosen": [models[c] for c in chosen],
                "calibrated": calibrated,
            }
            for level in levels:
                if calibrated:
                    q_lo, q_hi = conformal_quantiles(pooled, level)
                else:
                    z = {80: 1.2816, 95: 1.96}.get(level, 1.96)
                    q_lo, q_hi = -z * np.sqrt(h), z * np.sqrt(h)
                row[f"lo_{level}"] = np.maximum(point + q_lo * scale[:, i], 0.0)
                row[f"hi_{level}"] = np.maximum(point + q_hi * scale[:, i], row[f"lo_{level}"])
            out.append(pd.DataFrame(row))
    return pd.concat(out, ignore_index=True)
