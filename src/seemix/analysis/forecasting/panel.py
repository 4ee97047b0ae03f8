"""A panel of regular time series (days or months) on one calendar: what every model reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

SEASON = {"D": 7, "MS": 12}  # a week of days; a year of months


@dataclass(frozen=True)
class Panel:
    """``values[i, t]`` is series ``names[i]`` on ``dates[t]``; NaN where nothing was reported.

    ``upstream`` names, for a series, the series that feed it along the route (what arrives there
    today arrives here in a few days); ``targets`` are the series to forecast (all when empty).
    """

    dates: pd.DatetimeIndex
    names: tuple[str, ...]
    values: np.ndarray
    freq: str = "D"
    upstream: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    targets: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.freq not in SEASON:
            raise ValueError(f"freq must be one of {sorted(SEASON)}, not {self.freq!r}")
        if self.values.shape != (len(self.names), len(self.dates)):
            raise ValueError(
                f"values have shape {self.values.shape}, expected {(len(self.names), len(self.dates))}"
            )
        if len(set(self.names)) != len(self.names):
            raise ValueError("series names repeat")
        expected = (
            pd.date_range(self.dates[0], periods=len(self.dates), freq=self.freq) if len(self.dates) else None
        )
        if expected is not None and not self.dates.equals(expected):
            raise ValueError(f"dates are not a gapless {self.freq} calendar starting {self.dates[0].date()}")
        unknown = [n for n in (*self.targets, *self.upstream) if n not in self.names]
        unknown += [u for ups in self.upstream.values() for u in ups if u not in self.names]
        if unknown:
            raise ValueError(f"unknown series: {', '.join(sorted(set(unknown)))}")

    @property
    def season(self) -> int:
        return SEASON[self.freq]

    @property
    def target_names(self) -> tuple[str, ...]:
        return self.targets or self.names

    def index(self, name: str) -> int:
        return self.names.index(name)

    def until(self, t: int) -> Panel:
        """The panel as known at the end of period ``t`` (inclusive): nothing after it exists."""
        return Panel(
            dates=self.dates[: t + 1],
            names=self.names,
            values=self.values[:, : t + 1].copy(),
            freq=self.freq,
            upstream=self.upstream,
            targets=self.targets,
        )

    def future_dates(self, t: int, horizon: int) -> pd.DatetimeIndex:
        return pd.date_range(self.dates[t], periods=horizon + 1, freq=self.freq)[1:]

    @classmethod
    def from_frame(
        cls, frame: pd.DataFrame, *, freq: str = "D", upstream: Mapping[str, tuple[str, ...]] | None = None
    ) -> Panel:
        """A panel from a frame indexed by date with one column per series (missing dates become NaN)."""
        if frame.empty:
            raise ValueError("no observations to forecast from")
        index = pd.DatetimeIndex(frame.index)
        full = pd.date_range(index.min(), index.max(), freq=freq)
        frame = frame.reindex(full)
        return cls(
            dates=full,
            names=tuple(str(c) for c in frame.columns),
            values=frame.to_numpy(dtype=float).T.copy(),
            freq=freq,
            upstream=dict(upstream or {}),
        )


def clean(y: np.ndarray) -> np.ndarray:
    """A gapless copy for models that cannot read gaps: leading gaps dropped, inner ones
    interpolated, trailing ones carried forward. Empty if nothing was ever reported."""
    observed = np.flatnonzero(~np.isnan(y))
    if observed.size == 0:
        return np.empty(0)
    y = y[observed[0] :]
    positions = np.arange(y.size)
    known = ~np.isnan(y)
    return np.interp(positions, positions[known], y[known])


def recent_scale(y: np.ndarray, days: int = 14, floor: float = 1.0) -> float:
    """Mean absolute day-to-day change over the last ``days`` periods: the local noise level that
    residuals are divided by, so that one calibration serves busy and quiet series alike."""
    tail = clean(y)[-(days + 1) :]
    if tail.size < 2:
        return floor
    return max(float(np.mean(np.abs(np.diff(tail)))), floor)
