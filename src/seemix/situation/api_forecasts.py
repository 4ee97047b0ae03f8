"""GET /api/v1/analysis/forecasts: forecasts of the daily figures the caller may read, with bands."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router

from seemix.situation.schemas_forecasts import ForecastsOut
from seemix.situation.services import forecasts as service

router = Router()


@router.get(
    "/analysis/forecasts",
    response=ForecastsOut,
    tags=["analysis"],
    summary="Forecasts of the daily figures with 80 % and 95 % bands",
)
def forecasts(
    request: HttpRequest,
    date: dt.date | None = None,
    series: str | None = None,
    horizon: int = service.HORIZON,
) -> Any:
    """Forecasts from ``date`` (default: the last day with a figure you may read) for 1..``horizon``
    days (at most 14), of every series with three weeks of figures or of ``series`` (keys separated
    by commas: ``country:RS``, ``section:GR-TR``, ``crossing:RS-SID``, ``site:HR-OPATOVAC``,
    ``present:HR``). Computed only from the reports you may read."""
    keys = [k.strip() for k in series.split(",") if k.strip()] if series else None
    results = service.forecasts_for(request.auth, day=date, series=keys, horizon=horizon)  # type: ignore[attr-defined]
    return {
        "origin": results[0].origin if results else date,
        "horizon": horizon,
        "levels": [80, 95],
        "method": service.METHOD,
        "series": results,
    }
