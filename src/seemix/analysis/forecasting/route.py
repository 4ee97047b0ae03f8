"""The route-aware model: a series' next days from its own and its upstream neighbours' last days.

What lands on the Greek islands today reaches North Macedonia about two days later, Serbia the same
day as North Macedonia, Croatia a day after Serbia. For each horizon k the model is a direct
regression

    y_s(t + k) = c_k + sum over u in {s} + upstream(s), l in 0..lags-1 of  b_{k,u,l} * x_u(t - l)

fitted by non-negative least squares on the last ``window`` origins, recent ones weighing more
(half-life ``halflife``). Non-negative because people move forward along the route: a neighbour's
arrivals never lower the coming arrivals here; it also selects a few lags out of many without a
tuning knob. When the upstream dries up (a closure) the forecast falls with it, days before the
series' own history shows it.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import nnls

from seemix.analysis.forecasting.panel import Panel


def filled(y: np.ndarray) -> np.ndarray:
    """Inner gaps interpolated, trailing gaps carried forward; leading gaps stay NaN."""
    y = y.astype(float).copy()
    known = np.flatnonzero(~np.isnan(y))
    if known.size == 0:
        return y
    positions = np.arange(known[0], y.size)
    y[known[0] :] = np.interp(positions, known, y[known])
    return y


class RouteAware:
    name = "route_aware"

    def __init__(
        self, lags: int = 7, window: int = 42, halflife: float = 14.0, min_samples: int = 14
    ) -> None:
        self.lags = lags
        self.window = window
        self.halflife = halflife
        self.min_samples = min_samples

    def sources(self, known: Panel, name: str) -> tuple[str, ...]:
        return (name, *known.upstream.get(name, ()))

    def _design(self, known: Panel, name: str) -> np.ndarray:
        """Row t holds x_u(t - l) for every source u and lag l, then 1 (the intercept)."""
        columns = []
        for source in self.sources(known, name):
            x = filled(known.values[known.index(source)])
            for lag in range(self.lags):
                shifted = np.full(x.size, np.nan)
                shifted[lag:] = x[: max(x.size - lag, 0)]
                columns.append(shifted)
        columns.append(np.ones(known.values.shape[1]))
        return np.column_stack(columns)

    def fit(self, known: Panel, name: str, k: int) -> np.ndarray | None:
        """The coefficients for horizon k (the intercept last), or None if too few samples."""
        return self._fit(self._design(known, name), filled(known.values[known.index(name)]), k)

    def _fit(self, design: np.ndarray, y: np.ndarray, k: int) -> np.ndarray | None:
        t = y.size - 1
        origins = np.arange(max(0, t - k - self.window + 1), t - k + 1)
        rows = design[origins]
        targets = y[origins + k]
        usable = ~np.isnan(rows).any(axis=1) & ~np.isnan(targets)
        if usable.sum() < self.min_samples:
            return None
        age = (t - k) - origins[usable]
        weights = np.sqrt(0.5 ** (age / self.halflife))
        a = rows[usable] * weights[:, None]
        b = targets[usable] * weights
        # Scale columns so that NNLS's tolerance means the same for 10 and for 10,000 a day.
        norms = np.linalg.norm(a, axis=0)
        norms[norms == 0] = 1.0
        coef, _ = nnls(a / norms, b, maxiter=50 * a.shape[1])
        return coef / norms

    def predict(self, known: Panel, horizon: int) -> np.ndarray:
        out = np.zeros((len(known.target_names), horizon))
        for row, name in enumerate(known.target_names):
            design = self._design(known, name)
            current = design[-1]
            own = filled(known.values[known.index(name)])
            fallback = np.nanmean(own[-7:]) if np.isfinite(own[-7:]).any() else 0.0
            for k in range(1, horizon + 1):
                coef = self._fit(design, own, k)
                if coef is None or np.isnan(current).any():
                    out[row, k - 1] = fallback
                else:
                    out[row, k - 1] = float(current @ coef)
        return np.maximum(out, 0.0)

    def lag_weights(self, known: Panel, name: str, k: int = 1) -> dict[tuple[str, int], float]:
        """The fitted weight of each (source, days between its date and the target's date)."""
        coef = self.fit(known, name, k)
        if coef is None:
            return {}
        weights = {}
        for i, source in enumerate(self.sources(known, name)):
            for lag in range(self.lags):
                weights[(source, k + lag)] = float(coef[i * self.lags + lag])
        return weights
