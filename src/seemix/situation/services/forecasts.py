"""Forecasts of the daily figures, with 80 % and 95 % bands, and the early warning on capacity.

What is forecast (one series each, keyed as shown):

- ``country:RS``: a country's daily arrivals (ARRIVALS totals over all its places);
- ``section:GR-TR``: the arrivals reported at a border section (the demo's Greek islands);
- ``crossing:RS-SID``: the arrivals at a crossing point;
- ``site:HR-OPATOVAC``: the persons present in a reception site at the end of the day (PRESENT);
- ``present:HR``: the persons present in all of a country's sites.

A reader's forecasts are computed from the figures that reader may read (``timeline_series``,
through ``flows.queries.current_revisions``): a RESTRICTED report the reader may not see neither
appears in nor influences them. The early warning (``forecast_capacity_alerts``) runs as the
system on every current figure, and its alert carries the classification of the figures it was
computed from, as the other alert rules do.

The models, their selection and the bands are seemix.analysis.forecasting's. The backtest the
selection needs is recomputed from the figures and cached (Django's cache) under a key made of the
ids of the report revisions read: a new or corrected report makes a new key, nothing goes stale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import gettext as _

from seemix.analysis.forecasting import forecast
from seemix.analysis.forecasting.panel import Panel
from seemix.core.access import Principal
from seemix.core.classification import Classification
from seemix.core.errors import FieldError, InvalidInput, NotFound
from seemix.directory.models import Participant
from seemix.gazetteer.models import CrossingPoint, ReceptionSite
from seemix.measures.addressees import country_route_graph
from seemix.situation.models import AlertKind, SituationAlert
from seemix.situation.services.alerts import raise_alert
from seemix.situation.services.capacity import capacities_by_day
from seemix.situation.services.timelines import neighbours
from seemix.situation.timeline_series import Cell, Sources, daily_sums, revisions_for

HORIZON = 14
MAX_HORIZON = 14
HISTORY_DAYS = 120
# How far up the route a country's forecast reads: in 2015-16 the islands' arrivals of a day reached
# Croatia about four days later (analysis.forecasting.data.ROUTE_UPSTREAM, measured there).
UPSTREAM_STEPS = 3
MIN_OBSERVED_DAYS = 21  # three weeks: less and a weekly pattern cannot be told from noise
CACHE_SECONDS = 6 * 3600
# The statsforecast models re-estimated once a week, updated daily in between (models.Statsforecast).
REFIT_EVERY = 7
METHOD = (
    "seemix.analysis.forecasting: per series and horizon, the best of seasonal naive, AutoETS, AutoTheta, "
    "a route-aware regression on upstream countries and their combinations over the last 28 days' "
    "backtest; split-conformal 80 % and 95 % bands"
)

# (key prefix, indicator, the observation field that names the series, which observations)
KINDS: tuple[tuple[str, str, str, Q | None], ...] = (
    ("country", "ARRIVALS", "country_id", None),
    ("section", "ARRIVALS", "border_section__code", Q(border_section__isnull=False)),
    ("crossing", "ARRIVALS", "crossing_point__code", Q(crossing_point__isnull=False)),
    ("site", "PRESENT", "site__code", Q(site__isnull=False)),
    ("present", "PRESENT", "country_id", Q(site__isnull=False)),
)


@dataclass
class SeriesForecast:
    """One series' forecast from ``origin`` (its last day of data) for ``days``, with its bands.

    ``models[i]`` is the model chosen for ``days[i]``; ``calibrated`` is False while the series'
    history is too short for calibrated bands. ``capacity[i]`` is the places of a site (or of all a
    country's sites) valid on ``days[i]``, None where not recorded or not a stock of persons.
    """

    key: str
    kind: str
    code: str
    indicator: str
    origin: dt.date
    last_observed: dt.date
    days: list[dt.date]
    forecast: list[float]
    lo_80: list[float]
    hi_80: list[float]
    lo_95: list[float]
    hi_95: list[float]
    models: list[str]
    calibrated: bool
    capacity: list[int | None] = field(default_factory=list)
    revisions: set[int] = field(default_factory=set, repr=False)


@dataclass
class Figures:
    frame: pd.DataFrame  # one column per series key, one row per day (NaN: no figure)
    cells: dict[str, dict[dt.date, Cell]]
    sources: Sources = field(default_factory=Sources)


def read_figures(principal: Principal | None, start: dt.date, end: dt.date) -> Figures:
    """Every series' daily figures start..end that ``principal`` may read (None: the system)."""
    days = pd.date_range(start, end, freq="D")
    columns: dict[str, pd.Series] = {}
    cells: dict[str, dict[dt.date, Cell]] = {}
    sources = Sources()
    for prefix, indicator, by, where in KINDS:
        series, found = daily_sums(indicator, start, end, (by,), principal=principal, where=where)
        sources.revisions.update(found.revisions)
        sources.audiences.update(found.audiences)
        for (code,), by_day in series.items():
            key = f"{prefix}:{code}"
            cells[key] = by_day
            values = pd.Series({pd.Timestamp(d): float(c.value) for d, c in by_day.items()}, dtype=float)
            columns[key] = values.reindex(days)
    frame = pd.DataFrame(columns, index=days) if columns else pd.DataFrame(index=days)
    return Figures(frame=frame, cells=cells, sources=sources)


def latest_day(principal: Principal | None) -> dt.date | None:
    """The last day with a daily figure the principal may read."""
    from seemix.flows.models import Observation

    revisions = revisions_for(principal).filter(report__periodicity="daily")
    return (
        Observation.objects.filter(revision__in=revisions.values("pk"), value__isnull=False)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )


def _upstream(keys: list[str]) -> dict[str, tuple[str, ...]]:
    """Which series feed which: a country's upstream neighbours on the route graph; for a place,
    its own country's arrivals and that country's upstream neighbours."""
    countries = {k.split(":", 1)[1] for k in keys if k.startswith("country:")}
    place_country: dict[str, str] = {}
    for prefix, rows in (
        ("crossing", CrossingPoint.objects.values_list("code", "country_id")),
        ("site", ReceptionSite.objects.values_list("code", "country_id")),
    ):
        place_country.update((f"{prefix}:{code}", str(country)) for code, country in rows)
    graph = country_route_graph()
    upstream_of = {
        c: [u for u in _upstream_countries(c, graph) if u in countries]
        for c in {*countries, *place_country.values()}
    }
    out: dict[str, tuple[str, ...]] = {}
    for key in keys:
        prefix, code = key.split(":", 1)
        country = code if prefix in ("country", "present") else place_country.get(key)
        if country is None:
            continue
        feeders = [f"country:{u}" for u in upstream_of.get(country, [])]
        if prefix != "country" and f"country:{country}" in keys:
            feeders.insert(0, f"country:{country}")
        if feeders:
            out[key] = tuple(feeders)
    return out


def _upstream_countries(country: str, graph: dict[str, set[str]], steps: int = UPSTREAM_STEPS) -> list[str]:
    """The countries up to ``steps`` legs upstream on the route graph, nearest first."""
    found: list[str] = []
    frontier = [country]
    for _step in range(steps):
        frontier = [u for c in frontier for u in neighbours(c, graph)[0] if u != country and u not in found]
        found.extend(dict.fromkeys(frontier))
    return found


def forecast_cache_key(figures: Figures, origin: dt.date, horizon: int, keys: list[str]) -> str:
    digest = hashlib.sha256()
    digest.update(f"{origin.isoformat()}|{horizon}|{','.join(keys)}|".encode())
    digest.update(",".join(str(r) for r in sorted(figures.sources.revisions)).encode())
    return f"seemix:forecasts:{digest.hexdigest()}"


def forecasts_for(
    principal: Principal | None,
    *,
    day: dt.date | None = None,
    series: list[str] | None = None,
    horizon: int = HORIZON,
) -> list[SeriesForecast]:
    """Forecasts of the series ``principal`` may read (None: the system), from ``day`` (default the
    last day with a figure) for 1..``horizon`` days. ``series`` limits them to those keys; a key
    that is unknown or not visible is NotFound, as one that does not exist.

    The timelines call this with one key (see ``series_forecast``).
    """
    if not 1 <= horizon <= MAX_HORIZON:
        raise InvalidInput(FieldError("horizon", _("Use 1 to %(n)d days.") % {"n": MAX_HORIZON}))
    origin = day or latest_day(principal)
    if origin is None:
        return []
    figures = read_figures(principal, origin - dt.timedelta(days=HISTORY_DAYS - 1), origin)
    observed = figures.frame.notna().sum()
    usable = [k for k in figures.frame.columns if observed[k] >= MIN_OBSERVED_DAYS]
    for key in series or []:
        if key not in usable:
            raise NotFound("forecast series", key)
    targets = list(series) if series else usable
    if not targets:
        return []
    upstream = {k: v for k, v in _upstream(usable).items() if k in targets}
    needed = sorted({*targets, *(u for ups in upstream.values() for u in ups)})
    cache_key = forecast_cache_key(figures, origin, horizon, targets)
    rows = cache.get(cache_key)
    if rows is None:
        panel = replace(
            Panel.from_frame(figures.frame[needed], freq="D", upstream=upstream), targets=tuple(targets)
        )
        rows, _backtest = forecast(panel, horizon=horizon, refit_every=REFIT_EVERY)
        cache.set(cache_key, rows, CACHE_SECONDS)
    return _results(rows, figures, upstream, origin)


def _results(
    rows: pd.DataFrame, figures: Figures, upstream: dict[str, tuple[str, ...]], origin: dt.date
) -> list[SeriesForecast]:
    out = []
    for key, part in rows.groupby("series", sort=True):
        part = part.sort_values("h")
        prefix, code = str(key).split(":", 1)
        cells = figures.cells[str(key)]
        revisions = {r for c in cells.values() for r in c.revisions}
        for feeder in upstream.get(str(key), ()):
            revisions |= {r for c in figures.cells.get(feeder, {}).values() for r in c.revisions}
        out.append(
            SeriesForecast(
                key=str(key),
                kind=prefix,
                code=code,
                indicator="PRESENT" if prefix in ("site", "present") else "ARRIVALS",
                origin=origin,
                last_observed=max(cells),
                days=[d.date() for d in pd.DatetimeIndex(part["date"])],
                forecast=rounded(part["forecast"]),
                lo_80=rounded(part["lo_80"]),
                hi_80=rounded(part["hi_80"]),
                lo_95=rounded(part["lo_95"]),
                hi_95=rounded(part["hi_95"]),
                models=part["chosen"].tolist(),
                calibrated=bool(part["calibrated"].all()),
                revisions=revisions,
            )
        )
    _attach_capacity(out, figures)
    return out


def rounded(values: pd.Series) -> list[float]:
    return [round(float(v), 1) for v in values]


def _attach_capacity(results: list[SeriesForecast], figures: Figures) -> None:
    """A site's places; for a country, those of its sites whose figures make up its series (a
    site that reports nothing has unknown occupancy: its places would hide a full site)."""
    stocks = [r for r in results if r.kind in ("site", "present")]
    if not stocks:
        return
    reporting = {k.split(":", 1)[1] for k in figures.cells if k.startswith("site:")}
    sites = [s for s in ReceptionSite.objects.values_list("pk", "code", "country_id") if s[1] in reporting]
    days = stocks[0].days
    by_site = capacities_by_day([pk for pk, _c, _k in sites], days)
    for result in stocks:
        chosen = [
            pk for pk, code, country in sites if (code if result.kind == "site" else country) == result.code
        ]
        per_day = [[by_site[pk][i] for pk in chosen] for i in range(len(days))]
        result.capacity = [
            sum(v for v in values if v is not None) if any(v is not None for v in values) else None
            for values in per_day
        ]


def series_forecast(
    principal: Principal, key: str, *, day: dt.date | None = None, horizon: int = HORIZON
) -> SeriesForecast:
    """One series' forecast with its bands, for the timelines: ``key`` as in this module's docstring
    (a country's arrivals: ``f"country:{code}"``). Draw ``days`` against ``forecast`` as the line,
    ``lo_80..hi_80`` and ``lo_95..hi_95`` as the two bands; ``origin`` is the last day of figures.
    NotFound when the series is not visible to the principal or has fewer than three weeks of
    figures in the last HISTORY_DAYS days."""
    return forecasts_for(principal, day=day, series=[key], horizon=horizon)[0]


def crossings(result: SeriesForecast) -> list[tuple[dt.date, float, int]]:
    """(day, upper 80 % band, capacity) of the days on which the band is above the capacity."""
    return [
        (d, hi, cap)
        for d, hi, cap in zip(result.days, result.hi_80, result.capacity, strict=True)
        if cap is not None and hi > cap
    ]


def forecast_capacity_alerts(day: dt.date, *, horizon: int = HORIZON) -> list[SituationAlert]:
    """The early warning: an alert for each site (and each country's sites together) whose upper
    80 % band crosses its capacity within ``horizon`` days of ``day``. Raised once per series and
    origin day; classified as the figures it comes from (those of the series and its upstream)."""
    results = [r for r in forecasts_for(None, day=day, horizon=horizon) if r.kind in ("site", "present")]
    if not results:
        return []
    sources = read_figures(None, day - dt.timedelta(days=HISTORY_DAYS - 1), day).sources
    people = {p.code: p for p in Participant.objects.filter(is_active=True)}
    sites = {s.code: s for s in ReceptionSite.objects.all()}
    alerts = []
    for result in results:
        found = crossings(result)
        if not found:
            continue
        first, upper, capacity = found[0]
        site = sites.get(result.code) if result.kind == "site" else None
        country = site.country_id if site else result.code
        where = site.name_latin if site else _("the sites of %(country)s") % {"country": country}
        title = _("Forecast: %(where)s may exceed its capacity by %(day)s") % {
            "where": where,
            "day": first.isoformat(),
        }
        detail = _(
            "From the figures up to %(origin)s, the upper 80 %% band reaches %(upper)s persons on %(day)s "
            "for %(capacity)s places (forecast %(forecast)s, model %(model)s)."
        ) % {
            "origin": result.origin.isoformat(),
            "upper": f"{upper:,.0f}",
            "day": first.isoformat(),
            "capacity": f"{capacity:,}",
            "forecast": f"{result.forecast[result.days.index(first)]:,.0f}",
            "model": result.models[result.days.index(first)],
        }
        classification, owner, audience = sources.visibility(result.revisions)
        participant = people.get(country)
        if classification == Classification.RESTRICTED:
            participant = Participant.objects.filter(pk=owner).first() if owner else None
        alerts.append(
            raise_alert(
                kind=AlertKind.FORECAST_CAPACITY,
                key=f"forecast:{result.key}:{day.isoformat()}",
                title=title,
                detail=detail,
                day=day,
                evidence=_evidence(result, found),
                country=country,
                site=site,
                participant=participant,
                classification=classification,
                audience=list(Participant.objects.filter(pk__in=audience)),
            )
        )
    return alerts


def _evidence(result: SeriesForecast, found: list[tuple[dt.date, float, int]]) -> dict[str, Any]:
    return {
        "series": result.key,
        "origin": result.origin.isoformat(),
        "days_over": [d.isoformat() for d, _u, _c in found],
        "forecast": dict(zip([d.isoformat() for d in result.days], result.forecast, strict=True)),
        "hi_80": dict(zip([d.isoformat() for d in result.days], result.hi_80, strict=True)),
        "capacity": found[0][2],
        "models": sorted(set(result.models)),
        "method": METHOD,
        "peak_upper": float(np.max(result.hi_80)),
    }
