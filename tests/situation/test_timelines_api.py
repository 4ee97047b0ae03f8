# ruff: noqa: F811  (the imported fixtures are parameters of the tests)
"""Timelines and capacity through the API: figures, neighbours, markers, as-of, access, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from seemix.flows.models import ReportRevision
from seemix.situation.services.capacity import days_until_full
from tests.conftest import api  # noqa: F401
from tests.measures.conftest import caller, user_of, world  # noqa: F401
from tests.situation.alerts_helpers import days, submit

START = dt.date(2015, 10, 17)
PERIOD = {"date_from": "2015-10-17", "date_to": "2015-10-21"}


@pytest.fixture
def figures(world):
    submit(world["HR"], [("ARRIVALS", d, "HR", 5000 + i, "") for i, d in enumerate(days(START, 5))])
    submit(world["SI"], [("ARRIVALS", d, "SI", 8000 + i, "") for i, d in enumerate(days(START, 5))])
    submit(
        world["RS"],
        [("ARRIVALS", d, "RS", 100, "") for d in days(START, 5)],
        classification="restricted",
        audience=[world["SI"]],
    )


@pytest.mark.parametrize(
    ("_case", "who", "status"),
    [("anonymous", "anonymous", 401), ("no participant", "nobody", 403), ("member", "AT observer", 200)],
)
@pytest.mark.parametrize("path", ["/api/v1/situation/timelines", "/api/v1/situation/capacity"])
def test_access(_case, who, status, path, caller, figures):
    assert caller(who).get(path, PERIOD).status_code == status


def test_country_with_neighbours_and_regional_stack(caller, figures):
    response = caller("SI observer").get("/api/v1/situation/timelines", {**PERIOD, "country": "SI"})
    assert response.status_code == 200, response.content
    body = response.json()
    series = {(s["country"], s["role"]): s["values"] for s in body["series"]}
    assert series[("SI", "country")] == [8000, 8001, 8002, 8003, 8004]
    assert series[("HR", "upstream")] == [5000, 5001, 5002, 5003, 5004]
    assert ("AT", "downstream") in series
    assert series[("AT", "downstream")] == [None] * 5  # missing stays missing
    regional = {s["country"]: s["values"] for s in body["regional"]}
    assert regional["RS"] == [100] * 5  # SI is in the audience of Serbia's restricted figures
    spec = body["charts"]["country"]
    assert spec["title"]["subtitle"][0].startswith("Source: ")
    assert "persons per day" in spec["title"]["text"]


def test_restricted_figures_stay_with_their_readers(caller, figures):
    body = caller("AT observer").get("/api/v1/situation/timelines", PERIOD).json()
    assert sorted(s["country"] for s in body["regional"]) == ["HR", "SI"]


def test_as_of_shows_the_figures_known_then(caller, world, figures):
    before = timezone.now()
    submit(world["SI"], [("ARRIVALS", dt.date(2015, 10, 21), "SI", 12616, "")])
    assert ReportRevision.objects.filter(superseded_at__isnull=False).count() == 1
    client = caller("SI observer")
    now = client.get("/api/v1/situation/timelines", {**PERIOD, "country": "SI"}).json()
    then = client.get(
        "/api/v1/situation/timelines", {**PERIOD, "country": "SI", "as_of": before.isoformat()}
    ).json()
    assert now["series"][0]["values"][-1] == 12616
    assert then["series"][0]["values"][-1] == 8004


def test_bad_period_is_a_located_error(caller, figures):
    response = caller("SI observer").get(
        "/api/v1/situation/timelines", {"date_from": "2015-10-21", "date_to": "2015-10-01"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "date_from"
    unknown = caller("SI observer").get("/api/v1/situation/timelines", {"country": "ZZ"})
    assert unknown.status_code == 422


def test_timeline_query_count_does_not_grow_with_the_period(caller, figures, django_assert_max_num_queries):
    client = caller("SI observer")
    with django_assert_max_num_queries(14):
        client.get(
            "/api/v1/situation/timelines",
            {"country": "SI", "date_from": "2015-07-01", "date_to": "2016-04-30"},
        )
    with django_assert_max_num_queries(14):
        client.get("/api/v1/situation/capacity", {"date_from": "2015-07-01", "date_to": "2016-04-30"})


def test_capacity_occupancy_pledges_and_days_until_full(caller, world):
    submit(
        world["HR"], [("PRESENT", d, "HR-OPATOVAC", 3000 + 100 * i, "") for i, d in enumerate(days(START, 5))]
    )
    body = caller("HR observer").get("/api/v1/situation/capacity", {**PERIOD, "country": "HR"}).json()
    assert body["capacity"] == [4000] * 5  # Opatovac; Slavonski Brod's capacity is from 3 Nov 2015
    assert body["present"] == [3000, 3100, 3200, 3300, 3400]
    assert body["days_until_full"] == 6  # 600 places left at 100 a day
    assert body["trend_per_day"] == pytest.approx(100)
    opatovac = next(s for s in body["sites"] if s["code"] == "HR-OPATOVAC")
    assert opatovac == {"code": "HR-OPATOVAC", "name": opatovac["name"], "country": "HR", "capacity": 4000,
                        "present": 3400, "share": 0.85}  # fmt: skip
    assert [(p["places"], p["recorded_capacity"]) for p in body["pledges"]] == [(50000, 4000)]
    region = caller("HR observer").get("/api/v1/situation/capacity", PERIOD).json()
    assert [p["places"] for p in region["pledges"]] == [50000, 50000]


def test_days_until_full_rules():
    d = days(START, 5)
    assert days_until_full(d, [10, 10, 10, 10, 10], 100) == (None, pytest.approx(0))
    assert days_until_full(d, [100, 100, 100, 100, 120], 100)[0] == 0
    assert days_until_full(d, [None, None, 1, 2, 3], 100) == (None, None)  # too few figures


def test_chart_specifications_are_valid_vega_lite_with_title_source_and_units(caller, figures):
    import altair as alt

    body = caller("SI observer").get("/api/v1/situation/timelines", {**PERIOD, "country": "SI"}).json()
    capacity = caller("SI observer").get("/api/v1/situation/capacity", PERIOD).json()
    for spec in (body["charts"]["country"], body["charts"]["regional"]):
        alt.TopLevelSpec.validate(spec)
        assert "(persons per day)" in spec["title"]["text"]
        assert spec["title"]["subtitle"][0].startswith("Source: seemix: daily reports")
    alt.TopLevelSpec.validate(capacity["chart"])
    assert capacity["chart"]["title"]["text"].startswith("Reception capacity (places)")
    assert capacity["chart"]["title"]["subtitle"][0].startswith("Source: seemix: gazetteer site capacities")
