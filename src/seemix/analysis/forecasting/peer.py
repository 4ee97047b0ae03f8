"""The IFRC dashboard's published 1-3 day forecast models (2015-16), used as a peer baseline.

Each file under ``ifrc_peer_forecast_models/`` is ``{"models": {country: {"1"|"2"|...: [{"var":
"intercept" | "X.affected.arrive<country>.<lag>", "coef": "..."}]}}}``: a linear model of a country's
arrivals k days ahead on other countries' arrivals ``lag`` days before the target day (every lag is
at least k, so the inputs are known at the origin). The file name gives the training window, e.g.
``05nov05_15dec15_lasso.json`` = 5 Nov to 15 Dec 2015. As on the dashboard, a model forecasts from
the day after its window ends until a model with a later window end exists, never inside its window.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from seemix.analysis.forecasting.panel import Panel

# "greece" in the later files is the same series as "mainlandgreece" in the earlier ones: the
# dashboard's greecerinput.csv takes y = arrivals to mainland Greece.
PEER_SERIES = {"greece": "mainlandgreece"}
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
# Day, month, two-digit year; the first file names write the year of the start as "05".
_END = re.compile(r"^\d{2}[a-z]{3}\d{2}_(\d{2})([a-z]+?)(\d{2})(?:_lasso)?$")
_VAR = re.compile(r"^X\.affected\.arrive([a-z]+)\.(\d+)$")


class PeerModelError(ValueError):
    pass


@dataclass(frozen=True)
class PeerModel:
    file: str
    window_end: date
    terms: dict[str, dict[int, list[tuple[str | None, int, float]]]]  # series -> k -> (source, lag, coef)


def window_end(file_name: str) -> date:
    """The last training day in a peer file's name (``05dec05_15djan15`` is 15 Jan 2016: the
    window runs from December, so "djan" is January and the "15" after it the day's year typo)."""
    match = _END.match(Path(file_name).stem.lower())
    if not match:
        raise PeerModelError(f"{file_name}: the name does not end in a training window like 15dec15")
    day, month, year = match.groups()
    month = month[-3:]
    if month not in _MONTHS:
        raise PeerModelError(f"{file_name}: {month!r} is not a month")
    start_month = _MONTHS[Path(file_name).stem.lower()[2:5]]
    end_year = 2000 + int(year)
    if _MONTHS[month] < start_month and end_year == 2015:
        end_year = 2016  # the window crosses the new year
    return date(end_year, _MONTHS[month], int(day))


def load_peer_models(folder: str | Path) -> list[PeerModel]:
    """Every peer file, oldest window end first; files with the same window and content once."""
    models: list[PeerModel] = []
    seen: set[tuple[date, str]] = set()
    for path in sorted(Path(folder).glob("*.json")):
        text = path.read_text(encoding="utf-8")
        end = window_end(path.name)
        raw = json.loads(text)["models"]
        key = (end, json.dumps(raw, sort_keys=True))
        if key in seen:
            continue
        seen.add(key)
        terms: dict[str, dict[int, list[tuple[str | None, int, float]]]] = {}
        for country, by_k in raw.items():
            series = PEER_SERIES.get(country, country)
            for k, entries in by_k.items():
                parsed: list[tuple[str | None, int, float]] = []
                for entry in entries:
                    if entry["var"] == "intercept":
                        parsed.append((None, 0, float(entry["coef"])))
                        continue
                    var = _VAR.match(entry["var"])
                    if not var:
                        raise PeerModelError(f"{path.name}: {country} {k}: unknown variable {entry['var']!r}")
                    source, lag = PEER_SERIES.get(var.group(1), var.group(1)), int(var.group(2))
                    if lag < int(k):
                        raise PeerModelError(
                            f"{path.name}: {country} {k}: lag {lag} is not known {k} days ahead"
                        )
                    parsed.append((source, lag, float(entry["coef"])))
                terms.setdefault(series, {})[int(k)] = parsed
        models.append(PeerModel(file=path.name, window_end=end, terms=terms))
    return sorted(models, key=lambda m: m.window_end)


class PeerForecast:
    """The dashboard's forecasts at an origin: the model whose window ended last on or before it."""

    name = "ifrc_peer"

    def __init__(self, models: list[PeerModel]) -> None:
        self.models = sorted(models, key=lambda m: m.window_end)

    def active(self, origin: date) -> PeerModel | None:
        usable = [m for m in self.models if m.window_end <= origin]
        return usable[-1] if usable else None

    def predict(self, known: Panel, horizon: int) -> np.ndarray:
        """NaN where no model was published yet, for a k beyond the file's, or a missing input."""
        out = np.full((len(known.target_names), horizon), np.nan)
        model = self.active(known.dates[-1].date())
        if model is None:
            return out
        t = known.values.shape[1] - 1
        for row, name in enumerate(known.target_names):
            for k, terms in model.terms.get(name, {}).items():
                if k > horizon:
                    continue
                total = 0.0
                for source, lag, coef in terms:
                    if source is None:
                        total += coef
                        continue
                    position = t + k - lag  # the input's date: lag days before the target t + k
                    value = known.values[known.index(source), position] if source in known.names else np.nan
                    total += coef * value
                out[row, k - 1] = max(total, 0.0)
        return out
