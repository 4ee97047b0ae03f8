"""The typed answer of GET /api/v1/analysis/forecasts."""

from __future__ import annotations

from datetime import date

from ninja import Schema


class SeriesForecastOut(Schema):
    key: str
    kind: str
    code: str
    indicator: str
    origin: date
    last_observed: date
    days: list[date]
    forecast: list[float]
    lo_80: list[float]
    hi_80: list[float]
    lo_95: list[float]
    hi_95: list[float]
    models: list[str]
    calibrated: bool
    capacity: list[int | None]


class ForecastsOut(Schema):
    origin: date | None
    horizon: int
    levels: list[int]
    method: str
    series: list[SeriesForecastOut]
