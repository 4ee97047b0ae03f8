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


class SeasonalNaive:
    """The last full season repeated: the value of the same weekday a week before (a month a year
    before). Gaps take the last reported value; a series shorter than a season repeats its last value."""

    name = "seasonal_naive"

    def __init__(self, season: int | None = None) -> None:
        self.season = season

    def predict(self, known: Panel, horizon: int) -> np.ndarray:
        season = self.season or known.season
        out = np.zeros((len(known.target_names), horizon))
        for row, name in enumerate(known.target_names):
            y = clean(known.values[known.index(name)])
            if y.size == 0:
                continue
            if y.size < season:
                out[row] = y[-1]
                continue
            last = y[-season:]
            out[row] = last[np.arange(horizon) % season]
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


class Statsforecast:
    """statsforecast's AutoETS or AutoTheta, one series at a time.

    ``refit_every`` > 1 re-estimates a series' model only every that many origins and in between
    applies the fitted model to the newer data (``forward``): the state is updated every day, the
    parameters once a week, which is how a daily production run affords hundreds of series.
    """

    def __init__(self, kind: str, refit_every: int = 1) -> None:
        if kind not in ("ets", "theta"):
            raise ValueError(f"kind must be 'ets' or 'theta', not {kind!r}")
        self.kind = kind
        self.name = "auto_ets" if kind == "ets" else "auto_theta"
        self.refit_every = refit_every
        self._fitted: dict[str, tuple[object, int, int]] = {}  # name -> (model, length at fit, season)

    def _new(self, season: int) -> object:
        from statsforecast.models import AutoETS, AutoTheta  # slow to import; only when used

        return AutoETS(season_length=season) if self.kind == "ets" else AutoTheta(season_length=season)

    def predict(self, known: Panel, horizon: int) -> np.ndarray:
        out = np.zeros((len(known.target_names), horizon))
        for row, name in enumerate(known.target_names):
            y = clean(known.values[known.index(name)])
            if y.size == 0:
                continue
            # A seasonal model needs two full seasons; a flat stretch has nothing to estimate
            # (and AutoETS's multiplicative forms divide by it).
            season = known.season if y.size >= 2 * known.season + 1 else 1
            if y.size < 4 or np.ptp(y[-2 * known.season :]) == 0:
                out[row] = y[-1]
                continue
            out[row] = self._forecast(name, y, horizon, season)
        return np.maximum(out, 0.0)

    def _forecast(self, name: str, y: np.ndarray, horizon: int, season: int) -> np.ndarray:
        cached = self._fitted.get(name)
        if (
            self.refit_every > 1
            and cached
            and cached[2] == season
            and 0 <= y.size - cached[1] < self.refit_every
        ):
            return np.asarray(cached[0].forward(y=y, h=horizon)["mean"])  # type: ignore[attr-defined]
        model = self._new(season)
        if self.refit_every == 1:
            return np.asarray(model.forecast(y=y, h=horizon)["mean"])  # type: ignore[attr-defined]
        model.fit(y)  # type: ignore[attr-defined]
        self._fitted[name] = (model, y.size, season)
        return np.asarray(model.predict(h=horizon)["mean"])  # type: ignore[attr-defined]
