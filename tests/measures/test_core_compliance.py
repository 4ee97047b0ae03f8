"""Lead time and compliance with the advance-notice target, per participant and period; and the
subscriptions that make a partner an addressee."""

from __future__ import annotations

from datetime import timedelta

import pytest

from seemix.measures import services
from seemix.measures.models import Addressee
from tests.measures.conftest import NOW, closure_data


def _notified(world, code: str, *, days_ahead: float, path: str = "planned", **overrides):
    measure = services.create_measure(
        actor=None,
        issuer=world[code],
        data=closure_data(
            planned_start=NOW + timedelta(days=days_ahead),
            path=path,
            immediate_justification="Sudden influx" if path == "immediate" else "",
            **overrides,
        ),
    )
    services.notify_measure(measure, actor=None, now=NOW)
    return measure


def test_compliance_counts_the_measures_notified_at_least_seven_days_ahead(caller, world):
    # given
    _notified(world, "HU", days_ahead=8, title="On time")
    _notified(world, "HU", days_ahead=7, title="Exactly seven days")
    _notified(world, "HU", days_ahead=2, title="Late")
    _notified(world, "HU", days_ahead=0, path="immediate", title="Immediate")
    cancelled = _notified(world, "HU", days_ahead=1, title="Cancelled")
    services.cancel_measure(cancelled, actor=None, now=NOW)
    _notified(world, "AT", days_ahead=3, title="Austrian", border_sections=("AT-SI",), crossing_points=())
    _notified(world, "HU", days_ahead=60, title="Outside the period")
    period = {"start": NOW.date().isoformat(), "end": (NOW + timedelta(days=30)).date().isoformat()}
    # when
    report = caller("RCC analyst").get("/api/v1/compliance", period).json()
    only_hungary = caller("RCC analyst").get("/api/v1/compliance", {**period, "participant": "HU"}).json()
    # then
    rows = {r["participant"]: r for r in report["participants"]}
    assert rows["HU"] == {
        "participant": "HU",
        "name": "Hungary",
        "measures": 4,
        "planned": 3,
        "planned_on_time": 2,
        "immediate": 1,
        "on_time": 2,
        "share_planned_on_time": pytest.approx(0.6667),
        "share_on_time": 0.5,
        "median_lead_time_hours": 108.0,
        "shortest_lead_time_hours": 0.0,
    }
    assert (rows["AT"]["measures"], rows["AT"]["on_time"]) == (1, 0)
    assert [r["participant"] for r in only_hungary["participants"]] == ["HU"]


def test_the_lead_time_follows_the_actual_entry_into_force(caller, world):
    # given
    measure = _notified(world, "HU", days_ahead=10)
    # when: it took effect a day after it was notified
    services.bring_into_force(measure, actor=None, at=NOW + timedelta(days=1), now=NOW + timedelta(days=1))
    body = caller("RS observer").get(f"/api/v1/measures/{measure.pk}").json()
    # then
    assert body["lead_time_hours"] == 24.0
    assert body["meets_advance_notice"] is False


def test_an_end_before_the_start_is_refused(caller, world):
    response = caller("RCC analyst").get("/api/v1/compliance", {"start": "2016-01-02", "end": "2016-01-01"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "end"


def test_a_coordinator_subscribes_its_partner_to_measures_of_some_countries(caller, world):
    # given
    unhcr = caller("UNHCR coordinator")
    # when
    subscribed = unhcr.put("/api/v1/subscriptions", {"countries": ["hu", "RS"]})
    measure = services.create_measure(actor=None, issuer=world["HU"], data=closure_data())
    listed = unhcr.get("/api/v1/subscriptions").json()
    # then
    assert subscribed.status_code == 200
    assert subscribed.json()["countries"] == ["HU", "RS"]
    assert [s["participant"] for s in listed] == ["UNHCR"]
    assert Addressee.objects.get(measure=measure, participant__code="UNHCR").reasons == ["subscription"]


def test_an_unknown_country_is_refused(caller, world):
    response = caller("UNHCR coordinator").put("/api/v1/subscriptions", {"countries": ["QQ"]})
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "countries",
        "message": "Unknown countries: QQ.",
        "code": "invalid",
    }
