"""The forecast drawn on a timeline: 1..14 days after the last day of the period shown.

- A country's timeline: that country's arrivals (``forecasts.series_forecast``, key
  ``country:<code>``): the route-aware selection, reading its upstream neighbours too.
- The region's stacked view: the total of the stack (every country's arrivals of a day added up),
  forecast as one series by the same selection and bands (``seemix.analysis.forecasting``). The
  countries' own forecasts are not added up: their bands do not add.

The origin is the period's last day: only figures dated up to it are read (the forecast of a past
day is the one that could have been made that day, from the figures current now). A timeline "as of"
a past moment gets no forecast: forecasts are made from the current revisions only. When there is
none, ``note`` says why, for the chart's reader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from django.core.cache import cache
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from seemix.analysis.forecasting import COMBINATIONS, forecast
from seemix.analysis.forecasting.panel import Panel
from seemix.core.access import Principal
from seemix.core.errors import NotFound
from seemix.situation.services import forecasts
from seemix.situation.services.timelines import Timeline
from seemix.situation.timeline_series import Cell, daily_sums

REGION_KEY = "region:arrivals"
# The models' names as a reader should see them (seemix.analysis.forecasting's candidates).
MODEL_NAMES = {
    "seasonal_naive": gettext_lazy("seasonal naive"),
    "naive": gettext_lazy("naive (last value)"),
    "recent_mean": gettext_lazy("mean of recent days"),
    "recent_median": gettext_lazy("median of recent days"),
    "auto_ets": "AutoETS",
    "auto_theta": "AutoTheta",
    "route_aware": gettext_lazy("route-aware regression"),
}


def model_name(model: str) -> str:
    """A model's name for a reader; a combination names its members ("mean of AutoETS + AutoTheta")."""
    if model in COMBINATIONS:
        members = " + ".join(str(MODEL_NAMES.get(m, m)) for m in COMBINATIONS[model])
        return _("mean of %(models)s") % {"models": members}
    return str(MODEL_NAMES.get(model, model))


@dataclass
class TimelineForecast:
    """The forecast of ``series`` ("country:SI" or "region:arrivals") from ``origin``."""

    series: str
    origin: dt.date
    days: list[dt.date]
    forecast: list[float]
    lo_80: list[float]
    hi_80: list[float]
    lo_95: list[float]
    hi_95: list[float]
    models: list[str]
    calibrated: bool
    method: str = forecasts.METHOD

    @property
    def model_names(self) -> list[str]:
        """The models chosen for some horizon, once each, in the order of the horizons."""
        return [model_name(m) for m in dict.fromkeys(self.models)]


def attach_forecast(principal: Principal, timeline: Timeline) -> Timeline:
    """Set ``timeline.forecast`` (or ``timeline.forecast_note``, saying why there is none)."""
    origin = timeline.date_to
    if timeline.as_of is not None:
        timeline.forecast_note = _(
            "No forecast on a view “as known at” a past moment: forecasts are made from the current figures."
        )
        return timeline
    try:
        if timeline.country is not None:
            found = forecasts.series_forecast(principal, f"country:{timeline.country}", day=origin)
            timeline.forecast = _from_series(found)
        else:
            timeline.forecast = regional_forecast(principal, origin)
    except NotFound:
        timeline.forecast = None
    if timeline.forecast is None:
        timeline.forecast_note = _(
            "No forecast: a forecast needs figures on at least %(n)d of the %(days)d days up to %(day)s."
        ) % {
            "n": forecasts.MIN_OBSERVED_DAYS,
            "days": forecasts.HISTORY_DAYS,
            "day": date_format(origin, "j M Y"),
        }
    return timeline


def _from_series(found: forecasts.SeriesForecast) -> TimelineForecast:
    return TimelineForecast(
        series=found.key,
        origin=found.origin,
        days=found.days,
        forecast=found.forecast,
        lo_80=found.lo_80,
        hi_80=found.hi_80,
        lo_95=found.lo_95,
        hi_95=found.hi_95,
        models=found.models,
        calibrated=found.calibrated,
    )


def regional_forecast(
    principal: Principal, origin: dt.date, *, horizon: int = forecasts.HORIZON
) -> TimelineForecast | None:
    """The forecast of the region's daily total (what the stacked chart's top edge shows), from the
    figures the principal may read dated up to ``origin``; None with too few days of figures.

    Cached as the series' forecasts are: under the ids of the revisions read, so a new or corrected
    report makes a new key and a reader who may read other reports gets another key.
    """
    start = origin - dt.timedelta(days=forecasts.HISTORY_DAYS - 1)
    sums, sources = daily_sums(forecasts.KINDS[0][1], start, origin, ("country_id",), principal=principal)
    cells: dict[dt.date, Cell] = {}
    for by_day in sums.values():
        for day, cell in by_day.items():
            total = cells.setdefault(day, Cell())
            total.value += cell.value
            total.revisions |= cell.revisions
    if len(cells) < forecasts.MIN_OBSERVED_DAYS:
        return None
    days = pd.date_range(start, origin, freq="D")
    values = pd.Series({pd.Timestamp(d): float(c.value) for d, c in cells.items()}, dtype=float)
    figures = forecasts.Figures(
        frame=pd.DataFrame({REGION_KEY: values.reindex(days)}, index=days),
        cells={REGION_KEY: cells},
        sources=sources,
    )
    key = forecasts.forecast_cache_key(figures, origin, horizon, [REGION_KEY])
    rows = cache.get(key)
    if rows is None:
        rows, _backtest = forecast(
            Panel.from_frame(figures.frame, freq="D"), horizon=horizon, refit_every=forecasts.REFIT_EVERY
        )
        cache.set(key, rows, forecasts.CACHE_SECONDS)
    part = rows.sort_values("h")
    return TimelineForecast(
        series=REGION_KEY,
        origin=origin,
        days=[d.date() for d in pd.DatetimeIndex(part["date"])],
        forecast=forecasts.rounded(part["forecast"]),
        lo_80=forecasts.rounded(part["lo_80"]),
        hi_80=forecasts.rounded(part["hi_80"]),
        lo_95=forecasts.rounded(part["lo_95"]),
        hi_95=forecasts.rounded(part["hi_95"]),
        models=part["chosen"].tolist(),
        calibrated=bool(part["calibrated"].all()),
    )
