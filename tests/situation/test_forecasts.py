# ruff: noqa: F811  (the imported fixtures are parameters of the tests)
"""Forecasts through the API, the command and the early warning: access, restricted figures, alerts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command

from seemix.situation.models import AlertKind, SituationAlert
from seemix.situation.services.forecasts import forecast_capacity_alerts, forecasts_for, series_forecast
from tests.conftest import api  # noqa: F401
from tests.measures.conftest import caller, user_of, world  # noqa: F401
from tests.situation.alerts_helpers import days, submit

START = dt.date(2015, 11, 2)  # a Monday
N = 35
LAST = START + dt.timedelta(days=N - 1)
WEEK = [900, 1000, 1100, 1200, 1300, 1400, 1500]
URL = "/api/v1/analysis/forecasts"


@pytest.fixture(autouse=True)
def _no_cached_forecasts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def figures(world):
    submit(world["HR"], [("ARRIVALS", d, "HR", WEEK[i % 7], "") for i, d in enumerate(days(START, N))])
    submit(world["SI"], [("ARRIVALS", d, "SI", 2 * WEEK[i % 7], "") for i, d in enumerate(days(START, N))])


@pytest.fixture
def restricted_serbia(world):
    """Serbia's figures, RESTRICTED to Serbia: far larger than the others, on a different rhythm."""
    submit(
        world["RS"],
        [("ARRIVALS", d, "RS", 50000 + 7000 * (i % 3), "") for i, d in enumerate(days(START, N))],
        classification="restricted",
    )


@pytest.mark.parametrize(
    ("_case", "who", "status"),
    [
        ("anonymous", "anonymous", 401),
        ("signed in, no participant", "nobody", 403),
        ("member of another participant", "AT observer", 200),
        ("member of the reporting participant", "HR reporter", 200),
    ],
)
def test_access(_case, who, status, caller, figures):
    response = caller(who).get(URL, {"series": "country:HR", "horizon": 3})
    assert response.status_code == status, response.content
    if status == 200:
        assert [s["key"] for s in response.json()["series"]] == ["country:HR"]


def test_a_weekly_pattern_is_forecast_with_nested_bands(caller, figures):
    response = caller("AT observer").get(URL, {"date": LAST.isoformat(), "horizon": 7})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["origin"] == LAST.isoformat()
    assert body["levels"] == [80, 95]
    by_key = {s["key"]: s for s in body["series"]}
    assert sorted(by_key) == ["country:HR", "country:SI"]
    croatia = by_key["country:HR"]
    assert croatia["days"] == [d.isoformat() for d in days(LAST + dt.timedelta(days=1), 7)]
    # 35 days = 5 whole weeks: the next week starts again with 900
    assert croatia["forecast"] == pytest.approx(WEEK, abs=1)
    for i in range(7):
        assert croatia["lo_95"][i] <= croatia["lo_80"][i] <= croatia["forecast"][i]
        assert croatia["forecast"][i] <= croatia["hi_80"][i] <= croatia["hi_95"][i]
    assert croatia["capacity"] == []


def test_restricted_figures_neither_appear_in_nor_influence_a_readers_forecasts(
    caller, world, figures, restricted_serbia
):
    # given what an Austrian reader gets with Serbia's restricted figures stored
    austria = caller("AT observer").get(URL, {"date": LAST.isoformat(), "horizon": 5}).json()
    # when those figures are gone (and the cache with them)
    from seemix.flows.models import Observation

    Observation.objects.filter(revision__participant=world["RS"]).delete()
    cache.clear()
    without = caller("AT observer").get(URL, {"date": LAST.isoformat(), "horizon": 5}).json()
    # then Serbia is absent and Croatia's forecast (Serbia is upstream of Croatia) is the same
    assert sorted(s["key"] for s in austria["series"]) == ["country:HR", "country:SI"]
    assert austria == without


def test_the_owner_of_restricted_figures_gets_their_forecast(caller, figures, restricted_serbia):
    body = caller("RS observer").get(URL, {"date": LAST.isoformat(), "horizon": 3}).json()
    assert sorted(s["key"] for s in body["series"]) == ["country:HR", "country:RS", "country:SI"]


def test_a_series_not_visible_is_not_found_like_a_missing_one(caller, figures, restricted_serbia):
    hidden = caller("AT observer").get(URL, {"series": "country:RS"})
    missing = caller("AT observer").get(URL, {"series": "country:ZZ"})
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["title"] == missing.json()["title"]


def test_horizon_beyond_14_days_is_a_located_error(caller, figures):
    response = caller("AT observer").get(URL, {"horizon": 15})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "horizon"


def test_series_forecast_for_the_timelines(user_of, figures):
    from seemix.directory.auth import principal_for_user

    reader = principal_for_user(user_of("SI", "observer"))
    result = series_forecast(reader, "country:SI", day=LAST, horizon=2)
    assert (result.key, result.origin, result.days) == (
        "country:SI",
        LAST,
        days(LAST + dt.timedelta(days=1), 2),
    )
    assert result.forecast == pytest.approx([1800, 2000], abs=2)


@pytest.fixture
def filling_site(world):
    """Opatovac (4,000 places) filling by 60 persons a day from 1,500: full in about 6 weeks."""
    submit(
        world["HR"], [("PRESENT", d, "HR-OPATOVAC", 1500 + 60 * i, "") for i, d in enumerate(days(START, N))]
    )


def test_early_warning_when_the_upper_band_crosses_a_sites_capacity(world, filling_site):
    # 1,500 + 60 x 34 = 3,540 on the last day: 4,000 is crossed about 8 days later
    alerts = forecast_capacity_alerts(LAST)
    again = forecast_capacity_alerts(LAST)

    keys = sorted(a.key for a in alerts)
    assert keys == [f"forecast:present:HR:{LAST}", f"forecast:site:HR-OPATOVAC:{LAST}"]
    assert [a.pk for a in again] == [a.pk for a in alerts]
    assert SituationAlert.objects.filter(kind=AlertKind.FORECAST_CAPACITY).count() == 2
    site = SituationAlert.objects.get(key=f"forecast:site:HR-OPATOVAC:{LAST}")
    assert site.site.code == "HR-OPATOVAC"
    assert site.country_id == "HR"
    assert site.classification == "regional"
    first = dt.date.fromisoformat(site.evidence["days_over"][0])
    assert LAST < first <= LAST + dt.timedelta(days=14)
    assert site.evidence["capacity"] == 4000
    assert site.evidence["hi_80"][first.isoformat()] > 4000


def test_no_early_warning_far_from_capacity(world):
    submit(
        world["HR"],
        [("PRESENT", d, "HR-OPATOVAC", 1000 + (i % 7) * 10, "") for i, d in enumerate(days(START, N))],
    )
    assert forecast_capacity_alerts(LAST) == []
    assert not SituationAlert.objects.exists()


def test_an_alert_from_restricted_figures_is_restricted_to_their_readers(world):
    submit(
        world["HR"],
        [("PRESENT", d, "HR-OPATOVAC", 1500 + 60 * i, "") for i, d in enumerate(days(START, N))],
        classification="restricted",
        audience=[world["SI"]],
    )
    forecast_capacity_alerts(LAST)
    site = SituationAlert.objects.get(key=f"forecast:site:HR-OPATOVAC:{LAST}")
    assert site.classification == "restricted"
    assert site.participant == world["HR"]
    assert list(site.audience.all()) == [world["SI"]]


def test_command_prints_forecasts_and_runs_the_early_warning(world, filling_site):
    out = io.StringIO()
    call_command("forecast", "--date", LAST.isoformat(), "--series", "site:HR-OPATOVAC", stdout=out)
    text = out.getvalue()
    assert f"Forecasts from {LAST.isoformat()}" in text
    assert "site:HR-OPATOVAC" in text
    assert "capacity 4,000" in text
    assert "Early warning: 2 forecast capacity alert(s)" in text


def test_forecasts_on_the_demo_data(db):
    from seemix.demo.flows import load_demo_flows
    from seemix.demo.reference import load_reference

    load_reference()
    load_demo_flows()
    results = forecasts_for(None, day=dt.date(2016, 3, 1))

    keys = {r.key for r in results}
    assert {"country:GR", "country:MK", "country:RS", "country:HR", "country:SI", "country:AT"} <= keys
    assert "section:GR-TR" in keys  # the Greek islands
    for result in results:
        assert result.days == days(dt.date(2016, 3, 2), 14)
        assert all(
            lo <= f <= hi for lo, f, hi in zip(result.lo_80, result.forecast, result.hi_80, strict=True)
        )
        assert all(a <= b for a, b in zip(result.lo_95, result.lo_80, strict=True))
        assert all(a >= b for a, b in zip(result.hi_95, result.hi_80, strict=True))
    serbia = next(r for r in results if r.key == "country:RS")
    # the route-aware model reads Serbia's upstream neighbour on the route graph
    assert serbia.calibrated
