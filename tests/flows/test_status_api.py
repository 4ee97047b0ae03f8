"""GET /api/v1/reporting-status: reported, late, missing or due, per participant and period."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from tests.flows.out_data import make_revision

DAY = date(2016, 1, 10)


@pytest.fixture(autouse=True)
def _deadline(settings):
    settings.TIME_ZONE = "UTC"
    settings.SEEMIX_DAILY_REPORT_DEADLINE_HOUR = 12
    settings.SEEMIX_MONTHLY_REPORT_DEADLINE_DAY = 15


def by_code(body):
    return {p["participant"]: p for p in body["participants"]}


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("nobody", 403), ("RS reporter", 200), ("RCC analyst", 200), ("admin", 200)],
)
def test_reporting_status_access(who, status, caller, flows_world):
    # when
    response = caller(who).get(
        "/api/v1/reporting-status", {"date_from": "2016-01-10", "date_to": "2016-01-10"}
    )
    # then
    assert response.status_code == status


def test_each_participant_and_day_is_reported_late_missing_or_due(caller, flows_world):
    # given
    p = flows_world
    make_revision(
        p["GR"], DAY, [("ARRIVALS", "GR-IDOMENI", 5000)], submitted_at=datetime(2016, 1, 10, 21, tzinfo=UTC)
    )
    make_revision(
        p["MK"], DAY, [("ARRIVALS", "MK-GEVGELIJA", 4800)], submitted_at=datetime(2016, 1, 11, 15, tzinfo=UTC)
    )
    # A correction made later changes neither the state nor the first submission time.
    make_revision(
        p["MK"], DAY, [("ARRIVALS", "MK-GEVGELIJA", 4810)], submitted_at=datetime(2016, 1, 12, 9, tzinfo=UTC)
    )
    make_revision(p["HR"], DAY, [("ARRIVALS", "HR-TOVARNIK", 4700)], status="draft")
    make_revision(
        p["SI"],
        DAY,
        [("ARRIVALS", "SI-RIGONCE", 4242)],
        classification="restricted",
        submitted_at=datetime(2016, 1, 11, 11, 59, tzinfo=UTC),
    )
    # when
    response = caller("RS reporter").get(
        "/api/v1/reporting-status",
        {"periodicity": "daily", "date_from": "2016-01-10", "date_to": "2016-01-11"},
    )
    # then
    assert response.status_code == 200
    body = response.json()
    rows = by_code(body)
    assert list(rows) == ["AT", "HR", "GR", "MK", "RS", "SI"]  # the states, by name; not the RCC
    states = {code: [period["state"] for period in row["periods"]] for code, row in rows.items()}
    assert states == {
        "AT": ["missing", "missing"],
        "HR": ["missing", "missing"],  # a draft is not a report
        "GR": ["reported", "missing"],
        "MK": ["late", "missing"],
        "RS": ["missing", "missing"],
        "SI": ["reported", "missing"],  # RESTRICTED, yet its submission is not hidden from the status
    }
    assert rows["MK"]["periods"][0]["first_submitted_at"] == "2016-01-11T15:00:00Z"
    assert rows["MK"]["periods"][0]["deadline"] == "2016-01-11T12:00:00Z"
    assert (rows["MK"]["late"], rows["MK"]["missing"], rows["MK"]["reported"], rows["MK"]["due"]) == (
        1,
        1,
        0,
        0,
    )
    # Never a figure: the status says whether, not what.
    assert "4242" not in response.content.decode()
    assert "value" not in response.content.decode()


def test_today_is_due_until_its_deadline(caller, flows_world):
    # given
    today = timezone.localdate()
    # when
    response = caller("GR reporter").get(
        "/api/v1/reporting-status", {"date_from": today.isoformat(), "date_to": today.isoformat()}
    )
    # then
    assert response.status_code == 200
    assert {row["periods"][0]["state"] for row in response.json()["participants"]} == {"due"}


def test_monthly_reports_are_due_by_the_fifteenth_of_the_next_month(caller, flows_world):
    # given
    p = flows_world
    october = date(2015, 10, 1)
    make_revision(
        p["RS"],
        october,
        [("FRAN-1A", "RS", 120)],
        periodicity="monthly",
        submitted_at=datetime(2015, 11, 14, 23, tzinfo=UTC),
    )
    make_revision(
        p["GR"],
        october,
        [("FRAN-1A", "GR", 900)],
        periodicity="monthly",
        submitted_at=datetime(2015, 11, 15, 0, 1, tzinfo=UTC),
    )
    # when
    response = caller("HR analyst").get(
        "/api/v1/reporting-status",
        {"periodicity": "monthly", "date_from": "2015-10-20", "date_to": "2015-11-05"},
    )
    # then
    body = response.json()
    assert response.status_code == 200
    assert body["date_from"] == "2015-10-01"
    rows = by_code(body)
    assert [period["period_start"] for period in rows["RS"]["periods"]] == ["2015-10-01", "2015-11-01"]
    assert [period["state"] for period in rows["RS"]["periods"]] == ["reported", "missing"]
    assert [period["state"] for period in rows["GR"]["periods"]] == ["late", "missing"]
    assert rows["GR"]["periods"][0]["deadline"] == "2015-11-15T00:00:00Z"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"periodicity": "weekly"}, "periodicity"),
        ({"date_from": "2016-01-11", "date_to": "2016-01-10"}, "date_from"),
        ({"date_from": "2015-01-01", "date_to": "2016-06-01"}, "date_to"),
        ({"date_from": "yesterday"}, "date_from"),
    ],
)
def test_a_bad_period_is_refused_naming_the_field(query, field, caller, flows_world):
    # when
    response = caller("RS reporter").get("/api/v1/reporting-status", query)
    # then
    assert response.status_code == 422
    assert field in response.content.decode()
