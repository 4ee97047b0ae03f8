"""The forecasting algorithms on small exact cases (seemix.analysis.forecasting)."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from seemix.analysis.forecasting import Panel, forecast
from seemix.analysis.forecasting.backtest import rolling_origin, score
from seemix.analysis.forecasting.models import RecentMean, SeasonalNaive
from seemix.analysis.forecasting.route import RouteAware
from seemix.analysis.forecasting.selection import select_and_calibrate

WEEK = np.array([10.0, 20, 30, 40, 50, 60, 70])


def daily(values: dict[str, np.ndarray], start: str = "2016-01-04", **kwargs) -> Panel:
    frame = pd.DataFrame(values, index=pd.date_range(start, periods=len(next(iter(values.values())))))
    return Panel.from_frame(frame, freq="D", **kwargs)


def test_seasonal_naive_repeats_a_weekly_pattern_exactly():
    # given six weeks of the same week
    panel = daily({"site": np.tile(WEEK, 6)})
    # when
    predicted = SeasonalNaive().predict(panel, 10)
    # then the next ten days continue the pattern
    assert predicted.tolist() == [[10, 20, 30, 40, 50, 60, 70, 10, 20, 30]]


def test_forecast_of_a_weekly_pattern_is_exact_with_bands_of_no_width():
    panel = daily({"site": np.tile(WEEK, 8)})

    rows, _ = forecast(panel, horizon=7, window=21)

    assert rows["date"].tolist() == list(pd.date_range("2016-02-29", periods=7))
    assert rows["forecast"].to_numpy() == pytest.approx(WEEK, abs=1e-6)
    for band in ("lo_80", "hi_80", "lo_95", "hi_95"):
        assert rows[band].to_numpy() == pytest.approx(WEEK, abs=1e-6)
    assert rows["calibrated"].all()


class Spy:
    """A model that records the last date it was shown and forecasts it as a number."""

    name = "spy"

    def __init__(self) -> None:
        self.seen: list[pd.Timestamp] = []

    def predict(self, known: Panel, horizon: int) -> np.ndarray:
        self.seen.append(known.dates[-1])
        assert known.values.shape[1] == len(known.dates)
        return np.full((len(known.target_names), horizon), float(known.dates[-1].day))


def test_backtest_shows_each_model_only_the_days_up_to_its_origin():
    panel = daily({"a": np.arange(30.0)})
    spy = Spy()

    rows = rolling_origin(panel, [spy], origins=[9, 10, 28], horizon=3)

    assert spy.seen == [pd.Timestamp("2016-01-13"), pd.Timestamp("2016-01-14"), pd.Timestamp("2016-02-01")]
    last = rows[rows["origin"] == pd.Timestamp("2016-02-01")]
    assert last["date"].tolist() == list(pd.date_range("2016-02-02", periods=3))
    # the panel ends on 2 February: one actual known, two beyond the data
    assert last["actual"].tolist()[0] == 29.0
    assert np.isnan(last["actual"].tolist()[1:]).all()


def test_forecasts_do_not_change_when_the_future_does():
    rng = np.random.default_rng(1)
    x = rng.poisson(1000, 80).astype(float)
    poisoned = x.copy()
    poisoned[50:] = 1e9
    models = [SeasonalNaive(), RouteAware(), RecentMean()]
    clean_rows = rolling_origin(daily({"x": x}), models, range(30, 50), 5)
    poison_rows = rolling_origin(daily({"x": poisoned}), models, range(30, 50), 5)

    assert clean_rows["forecast"].tolist() == poison_rows["forecast"].tolist()


def test_selection_uses_only_errors_already_known_at_the_origin():
    # given model "a" wrong by 10 until origin 30 and exact after, model "b" always wrong by 1
    panel = daily({"s": np.zeros(61)})
    origins = panel.dates[:60]
    rows = []
    for i, origin in enumerate(origins):
        date = origin + pd.Timedelta(days=1)
        rows.append(("a", "s", origin, 1, date, 10.0 if i < 30 else 0.0, 0.0))
        rows.append(("b", "s", origin, 1, date, 1.0, 0.0))
    backtest = pd.DataFrame(rows, columns=["model", "series", "origin", "h", "date", "forecast", "actual"])

    chosen = select_and_calibrate(backtest, panel, window=5, min_scores=1).set_index("origin")["chosen"]

    # at origin 30 the only known errors are those of origins 25..29: "a" was wrong then
    assert chosen[origins[30]] == "b"
    # at origin 34 "a" has one exact day in five (mean 8): still "b"
    assert chosen[origins[34]] == "b"
    # from origin 35 the last five known errors of "a" (origins 30..34) are all 0
    assert chosen[origins[35]] == "a"


def test_80_percent_bands_cover_about_80_percent_of_a_synthetic_series():
    rng = np.random.default_rng(7)
    days = 260
    values = {f"s{i}": 500 + 100 * np.tile(WEEK / 70, 40)[:days] + rng.normal(0, 50, days) for i in range(20)}
    panel = daily(values)
    candidates = rolling_origin(panel, [SeasonalNaive(), RecentMean()], range(20, days - 1), 1)

    rows = select_and_calibrate(candidates, panel, window=28)
    table = score(rows[rows["origin"] >= panel.dates[100]], pd.Series(1.0, index=list(values)))

    assert 0.75 <= table["coverage_80"].item() <= 0.85


def test_route_aware_model_recovers_a_three_day_lag():
    # given arrivals upstream, 90 % of which arrive downstream three days later
    rng = np.random.default_rng(3)
    upstream = rng.uniform(500, 3000, 120).round()
    downstream = np.concatenate([[np.nan] * 3, 0.9 * upstream[:-3]]) + rng.normal(0, 5, 120)
    panel = daily({"down": downstream, "up": upstream}, upstream={"down": ("up",)})

    weights = RouteAware(window=60).lag_weights(panel, "down", k=1)

    strongest = max(weights, key=weights.get)
    assert strongest == ("up", 3)
    assert weights[strongest] == pytest.approx(0.9, abs=0.02)


def test_monthly_series_get_three_months_with_nested_bands():
    rng = np.random.default_rng(5)
    months = pd.date_range("2013-01-01", periods=48, freq="MS")
    seasonal = 1000 + 200 * np.sin(np.arange(48) * np.pi / 6)
    frame = pd.DataFrame({"asylum": seasonal + rng.normal(0, 40, 48)}, months)
    panel = Panel.from_frame(frame, freq="MS")

    rows, _ = forecast(panel, window=6)

    assert rows["date"].tolist() == list(pd.date_range("2017-01-01", periods=3, freq="MS"))
    assert (rows["lo_95"] <= rows["lo_80"]).all()
    assert (rows["lo_80"] <= rows["forecast"]).all()
    assert (rows["forecast"] <= rows["hi_80"]).all()
    assert (rows["hi_80"] <= rows["hi_95"]).all()


def test_the_next_days_forecast_reuses_the_stored_backtest():
    rng = np.random.default_rng(11)
    panel = daily({"x": rng.poisson(300, 70).astype(float) + np.tile(WEEK, 10)})
    yesterday = Panel(panel.dates[:-1], panel.names, panel.values[:, :-1], panel.freq)

    _, stored = forecast(yesterday, horizon=3, window=7)
    incremental, _ = forecast(panel, horizon=3, window=7, previous=stored)
    cold, _ = forecast(panel, horizon=3, window=7)

    pd.testing.assert_frame_equal(incremental, cold)


def test_a_bad_cell_of_the_route_file_is_named(tmp_path: Path):
    from seemix.analysis.forecasting.data import RouteDataError, load_route_daily

    path = tmp_path / "route.csv"
    header = "date,greekislands,mainlandgreece,fyrom,serbia,croatia,hungary,slovenia,austria,germany,source\n"
    path.write_text(header + "2015-10-01,1,2,3,4,5,,N/A,8,,xlsx\n2015-10-02,1,2,-3,4,5,6,7,8,,xlsx\n")

    expected = r"route.csv, row 3, column fyrom: '-3' is not a count of persons"
    with pytest.raises(RouteDataError, match=expected):
        load_route_daily(path)
