"""The demo's measures: the real 2015-16 measures, replayed with their real dates, idempotent, every
CAP message valid, and the compliance that shows how little notice was given."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from seemix.measures.demo import load_demo_measures
from seemix.measures.models import Escalation, Measure, Notification
from tests.measures.conftest import assert_valid_cap


@pytest.fixture
def demo(world):
    return load_demo_measures()


def test_the_demo_replays_the_measures_of_the_issue_with_their_real_dates(demo):
    # then
    assert len(demo) == 28
    hungary = {m.title: m for m in Measure.objects.filter(issuer__code="HU", type="closure")}
    serbia = hungary["Closure of the green border with Serbia; entry only at the transit zones"]
    croatia = hungary["Closure of the green border with Croatia"]
    assert serbia.in_force_at == datetime(2015, 9, 14, 22, 0, tzinfo=UTC)  # 00:00 CEST on 15 September
    assert croatia.in_force_at == datetime(2015, 10, 16, 22, 0, tzinfo=UTC)
    assert serbia.lead_time.total_seconds() / 3600 == 4
    sia = Measure.objects.filter(type="entry_restriction").order_by("issuer__code")
    assert [(m.issuer.code, m.nationalities, m.status) for m in sia] == [
        ("HR", ["AF", "IQ", "SY"], "lifted"),
        ("MK", ["AF", "IQ", "SY"], "lifted"),
        ("RS", ["AF", "IQ", "SY"], "lifted"),
        ("SI", ["AF", "IQ", "SY"], "lifted"),
    ]
    caps = Measure.objects.get(issuer__code="AT", type="procedure")
    assert caps.persons_affected_per_day == 3200
    controls = Measure.objects.filter(type="border_control")
    assert sorted({m.issuer.code for m in controls}) == ["AT", "DE", "HU", "SI"]
    assert controls.count() == 17
    first_german = controls.filter(issuer__code="DE").order_by("planned_start").first()
    assert (first_german.path, first_german.lead_time.total_seconds()) == ("immediate", 0)
    assert "Notification time assumed" in first_german.description


def test_the_neighbours_are_addressees_and_the_silent_were_escalated(demo):
    # given
    closure = Measure.objects.get(
        title="Closure of the green border with Serbia; entry only at the transit zones"
    )
    # then
    codes = set(closure.addressees.values_list("participant__code", flat=True))
    assert {"RS", "HR", "RCC"} <= codes
    escalations = Escalation.objects.filter(recipient__notification__measure=closure)
    assert sorted(e.recipient.participant.code for e in escalations) == sorted(codes)
    assert {e.escalated_at for e in escalations} == {datetime(2015, 9, 15, 18, 0, 1, tzinfo=UTC)}
    # every message validates
    for notification in Notification.objects.filter(measure__in=demo):
        assert_valid_cap(notification.cap_xml)


def test_compliance_shows_how_little_notice_was_given_and_loading_again_changes_nothing(caller, demo):
    # given
    before = (Measure.objects.count(), Notification.objects.count(), Escalation.objects.count())
    # when
    again = load_demo_measures()
    report = (
        caller("RCC analyst").get("/api/v1/compliance", {"start": "2015-09-01", "end": "2016-12-31"}).json()
    )
    # then
    assert again == []
    assert (Measure.objects.count(), Notification.objects.count(), Escalation.objects.count()) == before
    rows = {r["participant"]: r for r in report["participants"]}
    assert report["advance_notice_days"] == 7
    assert sorted(rows) == ["AT", "DE", "HR", "HU", "MK", "RS", "SI"]
    assert {code: row["on_time"] for code, row in rows.items()} == dict.fromkeys(rows, 0)
    assert rows["HU"]["measures"] == 3
    assert rows["HU"]["shortest_lead_time_hours"] == 0.0
    assert rows["DE"]["share_planned_on_time"] == 0.0
