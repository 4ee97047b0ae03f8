# ruff: noqa: F811  (the imported fixtures are parameters of the tests)
"""The forecast on the timelines: in the API and the chart specifications, from the period's last day
(never from later figures), without the influence of RESTRICTED figures the reader may not read, on
the country page's and the picture's panels, and with a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import json

import altair as alt
import pytest
from django.core.cache import cache
from django.test import Client

from seemix.flows.models import Observation
from tests.conftest import api  # noqa: F401
from tests.flows.conftest import MODEL_BACKEND
from tests.measures.conftest import caller, user_of, world  # noqa: F401
from tests.situation.alerts_helpers import days, submit

START = dt.date(2015, 11, 2)  # a Monday
N = 35
LAST = START + dt.timedelta(days=N - 1)  # Sunday 6 December 2015
WEEK = [900, 1000, 1100, 1200, 1300, 1400, 1500]
URL = "/api/v1/situation/timelines"
PERIOD = {"date_from": (LAST - dt.timedelta(days=29)).isoformat(), "date_to": LAST.isoformat()}
AHEAD = [d.isoformat() for d in days(LAST + dt.timedelta(days=1), 14)]


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


def _forecast_layers(spec):
    return [layer for layer in spec.get("layer", []) if layer.get("data", {}).get("name") == "forecast"]


def test_a_countrys_timeline_carries_its_forecast_from_the_periods_last_day(caller, figures):
    # when
    response = caller("AT observer").get(URL, {**PERIOD, "country": "SI"})
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    forecast = body["forecast"]
    assert (forecast["series"], forecast["origin"], forecast["days"]) == (
        "country:SI",
        LAST.isoformat(),
        AHEAD,
    )
    assert forecast["forecast"] == pytest.approx([2 * w for w in WEEK] * 2, abs=2)  # the weekly rhythm
    for i in range(14):
        assert forecast["lo_95"][i] <= forecast["lo_80"][i] <= forecast["forecast"][i]
        assert forecast["forecast"][i] <= forecast["hi_80"][i] <= forecast["hi_95"][i]
    assert len(forecast["models"]) == 14
    assert body["forecast_note"] is None
    # the chart: the x axis runs to the last day forecast; line and bands read the forecast's rows
    spec = body["charts"]["country"]
    alt.TopLevelSpec.validate(spec)
    rows = spec["datasets"]["forecast"]
    assert [r["day"] for r in rows] == [LAST.isoformat(), *AHEAD]  # from the origin's figure on
    assert rows[0]["value"] == 2 * WEEK[(N - 1) % 7]
    assert [r["value"] for r in rows[1:]] == forecast["forecast"]
    assert [r["hi_95"] for r in rows[1:]] == forecast["hi_95"]
    assert {r["series"] for r in rows} == {"Slovenia: forecast from 6 Dec 2015"}
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [PERIOD["date_from"], AHEAD[-1]]
    layers = _forecast_layers(spec)
    bands = [layer for layer in layers if layer["mark"]["type"] == "area"]
    assert [(b["encoding"]["y"]["field"], b["encoding"]["y2"]["field"]) for b in bands] == [
        ("lo_95", "hi_95"),
        ("lo_80", "hi_80"),
    ]
    assert bands[0]["encoding"]["fill"]["scale"]["domain"] == ["95 % band (forecast)", "80 % band (forecast)"]
    line = next(layer for layer in layers if layer["mark"]["type"] == "line")
    dash = line["encoding"]["strokeDash"]["scale"]
    assert dash["domain"][-1] == "forecast"
    assert dash["range"][-1] == [10, 3, 2, 3]  # told apart by its dashes, not by colour alone
    subtitle = spec["title"]["subtitle"]
    assert subtitle[0].startswith("Source: seemix: daily reports")
    assert subtitle[1].startswith(
        "Forecast (dash-dot line) from 6 Dec 2015, the last day of figures it reads"
    )
    assert subtitle[2].startswith("Models chosen (by day ahead): ")
    # the stacked chart of a country's timeline draws none (the country's forecast is not the region's)
    assert _forecast_layers(body["charts"]["regional"]) == []


def test_figures_after_the_origin_are_never_read(caller, world, figures):
    # given the forecast from LAST
    before = caller("AT observer").get(URL, {**PERIOD, "country": "HR"}).json()["forecast"]
    # when far larger figures for the following days are reported
    later = days(LAST + dt.timedelta(days=1), 5)
    submit(world["HR"], [("ARRIVALS", d, "HR", 90000, "") for d in later])
    cache.clear()
    after = caller("AT observer").get(URL, {**PERIOD, "country": "HR"}).json()["forecast"]
    # then the forecast from LAST is the same; from the new last day it reads them
    assert after == before
    moved = caller("AT observer").get(URL, {"country": "HR", "date_to": later[-1].isoformat()}).json()
    assert moved["forecast"]["origin"] == later[-1].isoformat()
    assert moved["forecast"]["forecast"][0] > 10 * before["forecast"][0]


def test_restricted_figures_of_another_participant_do_not_influence_the_forecast(
    caller, world, figures, restricted_serbia
):
    # given what an Austrian reader gets with Serbia's restricted figures (upstream of Croatia) stored
    croatia = caller("AT observer").get(URL, {**PERIOD, "country": "HR"}).json()
    region = caller("AT observer").get(URL, PERIOD).json()
    serbias_region = caller("RS observer").get(URL, PERIOD).json()
    # when those figures are gone (and the cache with them)
    Observation.objects.filter(revision__participant=world["RS"]).delete()
    cache.clear()
    # then the reader's forecasts are the same, the country's and the region's total alike
    assert (
        caller("AT observer").get(URL, {**PERIOD, "country": "HR"}).json()["forecast"] == croatia["forecast"]
    )
    assert caller("AT observer").get(URL, PERIOD).json()["forecast"] == region["forecast"]
    assert region["forecast"]["forecast"] == pytest.approx([3 * w for w in WEEK] * 2, abs=3)
    # while Serbia, who may read them, had them in its total
    assert serbias_region["forecast"]["forecast"][0] > 50000


def test_the_regional_view_forecasts_the_total_of_the_stack(caller, figures):
    body = caller("AT observer").get(URL, PERIOD).json()
    forecast = body["forecast"]
    assert (forecast["series"], forecast["origin"], forecast["days"]) == (
        "region:arrivals",
        LAST.isoformat(),
        AHEAD,
    )
    spec = body["charts"]["regional"]
    alt.TopLevelSpec.validate(spec)
    rows = spec["datasets"]["forecast"]
    assert rows[0] == {
        "day": LAST.isoformat(),
        "series": "Total of the region: forecast from 6 Dec 2015",
        "value": 3 * WEEK[(N - 1) % 7],
        "model": "—",
        "lo_80": 4500,
        "hi_80": 4500,
        "lo_95": 4500,
        "hi_95": 4500,
    }
    line = next(layer for layer in _forecast_layers(spec) if layer["mark"]["type"] == "line")
    assert line["encoding"]["strokeDash"]["scale"]["domain"] == [
        "Total of the region: forecast from 6 Dec 2015"
    ]
    assert spec["title"]["subtitle"][1].startswith("Forecast (dash-dot line) from 6 Dec 2015")


def test_no_forecast_with_too_few_figures_or_as_of_says_why(caller, figures):
    short = caller("AT observer").get(
        URL, {"country": "SI", "date_from": "2015-11-02", "date_to": "2015-11-15"}
    )
    body = short.json()
    assert body["forecast"] is None
    note = "No forecast: a forecast needs figures on at least 21 of the 120 days up to 15 Nov 2015."
    assert body["forecast_note"] == note
    assert body["charts"]["country"]["title"]["subtitle"][1] == note
    assert body["charts"]["country"]["datasets"]["forecast"] == []
    as_of = caller("AT observer").get(URL, {**PERIOD, "country": "SI", "as_of": "2030-01-01T00:00"}).json()
    assert as_of["forecast"] is None
    assert as_of["forecast_note"].startswith("No forecast on a view “as known at” a past moment")


def _page(user_of, who: str) -> Client:
    code, role = who.split()
    client = Client()
    client.force_login(user_of(code, role), backend=MODEL_BACKEND)
    return client


def _spec(page: str, spec_id: str) -> dict:
    opening = f'<script id="{spec_id}" type="application/json">'
    start = page.index(opening) + len(opening)
    return json.loads(page[start : page.index("</script>", start)])


def test_the_country_page_and_the_picture_draw_the_forecast_from_their_day(user_of, figures):
    client = _page(user_of, "AT observer")
    country = client.get(f"/situation/country/SI/?date={LAST.isoformat()}").content.decode()
    spec = _spec(country, "timeline-spec-si")
    assert [r["day"] for r in spec["datasets"]["forecast"]][1:] == AHEAD
    assert "Slovenia: forecast from 6 Dec 2015" in country
    picture = client.get(f"/situation/?date={LAST.isoformat()}").content.decode()
    region = _spec(picture, "timeline-spec-region")
    assert region["datasets"]["forecast"][1]["day"] == AHEAD[0]
    timelines = client.get("/situation/timelines/", {**PERIOD, "country": "HR"}).content.decode()
    assert _spec(timelines, "country-spec")["datasets"]["forecast"][-1]["day"] == AHEAD[-1]


def test_query_count_with_a_forecast_does_not_grow_with_the_period(
    caller, figures, django_assert_max_num_queries
):
    # The forecast adds the five series kinds' reads, the places, and one route-graph freshness
    # check per neighbours() call of forecasts._upstream (bounded by the route graph, not the days).
    client = caller("SI observer")
    # not counted: the token's first use writes its last_used_at; the route graph is read once
    client.get(URL, {**PERIOD, "country": "SI"})
    counts = []
    for period in (PERIOD, {"date_from": "2015-07-01", "date_to": LAST.isoformat()}):
        cache.clear()
        with django_assert_max_num_queries(50) as context:
            body = client.get(URL, {**period, "country": "SI"}).json()
        counts.append(len(context))
        assert body["forecast"]["origin"] == LAST.isoformat()
    assert counts[0] == counts[1]
