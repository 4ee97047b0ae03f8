"""The candidate models. Each one forecasts from a panel cut at its origin (``Panel.until``):

    model.predict(known: Panel, horizon: int) -> np.ndarray  # (len(known.target_names), horizon)

A model sees only ``known``, so a backtest that hands it ``panel.until(t)`` cannot leak the future.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from seemix.analysis.forecasting.panel import Panel, clean


class Model(Protocol):
    name: str

    def predict(self, known: Panel, horizon: int) -> np.ndarray: ...


Z = {80: 1.2815515655446004, 95: 1.959963984540054}


class OwnBands:
    """For the baselines' own prediction intervals: with ``level`` set, ``predict`` also leaves
    ``bands = (lower, upper)`` of its last call, which ``rolling_origin`` records."""

    level: int | None = None
    bands: tuple[np.ndarray, np.ndarray] | None = None


class SeasonalNaive(OwnBands):
    """The last full season repeated: the value of the same weekday a week before (a month a year
    before). Gaps take the last reported value; a series shorter than a season repeats its last value."""

    name = "seasonal_naive"

    def __init__(self, season: int | None = None, level: int | None = None) -> None:
        self.season = season
        self.level = level

    def predict(self, known: Panel, horizon: int) -> np.ndarray:
        season = self.season or known.season
        out = np.zeros((len(known.target_names), horizon))
        sigma = np.zeros(len(known.target_names))
        for row, name in enumerate(known.target_names):
            y = clean(known.values[known.index(name)])
            if y.size == 0:
                continue
            if y.size < season:
                out[row] = y[-1]
                continue
            last = y[-season:]
            out[row] = last[np.arange(horizon) % season]
            if y.size > season + 1:
                sigma[row] = np.std(y[season:] - y[:-season], ddof=1)
        if self.level is not None:
            # The textbook band: the seasonal differences' spread, widening by whole seasons.
            spread = Z[self.level] * sigma[:, None] * np.sqrt(np.arange(horizon) // season + 1)[None]
            self.bands = (np.maximum(out - spread, 0.0), out + spread)
        return out


class RecentMean:
    """The mean of the last ``window`` periods, flat: hard to beat on noisy series a week ahead."""

    name = "recent_mean"

    def __init__(self, window: int = 7) -> None:
        self.window = window

    def predict(self, known: Panel, horizon: int) -> np.ndarray:
        out = np.zeros((len(known.target_names), horizon))
        for row, name in enumerate(known.target_names):
            y = clean(known.values[known.index(name)])
            if y.size:
                out[row] = y[-self.window :].mean()
        return out


class Naive:
    """The last reported value, flat: after a closure, a 0 stays 0."""

    name = "naive"

    def predict(self, known: Panel, horizon: int) -> np.ndarray:
        out = np.zeros((len(known.target_names), horizon))
        for row, name in enumerate(known.target_names):
            y = clean(known.values[known.index(name)])
            if y.size:
                out[row] = y[-1]
        return out


class RecentMedian:
    """The median of the last ``window`` periods, flat: one day's ferry strike or backlog does not
    move it, which on mainland Greece's figures after the closure is most of the error."""

    name = "recent_median"

    def __init__(self, window: int = 7) -> None:
        self.window = window

    def predict(self, known: Panel, horizon: int) -> np.ndarray:
        out = np.zeros((len(known.target_names), horizon))
        for row, name in enumerate(known.target_names):
            y = clean(known.values[known.index(name)])
            if y.size:
                out[row] = np.median(y[-self.window :])
        return out


# AutoETS refuses fewer than 7 values ("tiny datasets"); below 8 the last value is the forecast.
MIN_LENGTH = 8


class Statsforecast(OwnBands):
    """statsforecast's AutoETS or AutoTheta, one series at a time.

    ``refit_every`` > 1 re-estimates a series' model only every that many origins and in between
    applies the fitted model to the newer data (``forward``): the state is updated every day, the
    parameters once a week, which is how a daily production run affords hundreds of series.
    """

    def __init__(self, kind: str, refit_every: int = 1, level: int | None = None) -> None:
        if kind not in ("ets", "theta"):
            raise ValueError(f"kind must be 'ets' or 'theta', not {kind!r}")
        self.kind = kind
        self.name = "auto_ets" if kind == "ets" else "auto_theta"
        self.refit_every = refit_every
        self.level = level
        self._fitted: dict[str, tuple[object, int, int]] = {}  # name -> (model, length at fit, season)

    def _new(self, season: int) -> object:
        from statsforecast.models import AutoETS, AutoTheta  # slow to import; only when used

        return AutoETS(season_length=season) if self.kind == "ets" else AutoTheta(season_length=season)

    def predict(self, known: Panel, horizon: int) -> np.ndarray:
        out = np.zeros((len(known.target_names), horizon))
        lower, upper = np.zeros_like(out), np.zeros_like(out)
        for row, name in enumerate(known.target_names):
            y = clean(known.values[known.index(name)])
            if y.size == 0:
                continue
            # A seasonal model needs two full seasons; a flat stretch has nothing to estimate
            # (and AutoETS's multiplicative forms divide by it).
            season = known.season if y.size >= 2 * known.season + 1 else 1
            if y.size < MIN_LENGTH or np.ptp(y[-2 * known.season :]) == 0:
                out[row] = lower[row] = upper[row] = y[-1]
                continue
            result = self._forecast(name, y, horizon, season)
            out[row] = result["mean"]
            if self.level is not None:
                lower[row], upper[row] = result[f"lo-{self.level}"], result[f"hi-{self.level}"]
        if self.level is not None:
            self.bands = (np.maximum(lower, 0.0), np.maximum(upper, 0.0))
        return np.maximum(out, 0.0)

    def _forecast(self, name: str, y: np.ndarray, horizon: int, season: int) -> dict:
        cached = self._fitted.get(name)
        levels = [self.level] if self.level is not None else None
        if (
            self.refit_every > 1
            and cached
            and cached[2] == season
            and 0 <= y.size - cached[1] < self.refit_every
        ):
            return cached[0].forward(y=y, h=horizon, level=levels)  # type: ignore[attr-defined]
        model = self._new(season)
        if self.refit_every == 1:
            return model.forecast(y=y, h=horizon, level=levels)  # type: ignore[attr-defined]
        model.fit(y)  # type: ignore[attr-defined]
        self._fitted[name] = (model, y.size, season)
        return model.predict(h=horizon, level=levels)  # type: ignore[attr-defined]
