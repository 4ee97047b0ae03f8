# ruff: noqa: F811  (the imported fixtures are parameters of the tests)
"""The alert rules, each on figures or measures made to fire it, and just below its threshold."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from seemix.core.classification import Classification
from seemix.gazetteer.models import ReceptionSite, SiteCapacity
from seemix.situation.alert_rules import run_alert_rules, surge_threshold
from seemix.situation.models import AlertKind, SituationAlert
from tests.measures.conftest import user_of, world  # noqa: F401
from tests.situation.alerts_helpers import days, submit

DAY = dt.date(2015, 10, 21)


def _history(world, code: str, values: list[int], **kwargs) -> None:
    start = DAY - dt.timedelta(days=len(values) - 1)
    submit(
        world[code],
        [("ARRIVALS", d, code, v, "") for d, v in zip(days(start, len(values)), values, strict=True)],
        **kwargs,
    )


def test_surge_threshold_is_the_largest_of_its_three_bounds():
    import numpy as np

    median, mad, threshold = surge_threshold(np.array([1000, 1100, 900, 1000, 1050], dtype=float))
    assert (median, mad) == (1000, 50)
    assert threshold == 2000  # 2 x median beats median + 4 MAD (1200) and median + 500
    assert surge_threshold(np.array([1.0, 2.0, 3.0, 4.0])) is None  # fewer than 5 figures


def test_surge_fires_above_the_threshold_and_not_at_it(world):
    _history(world, "SI", [1000, 1100, 900, 1000, 1050, 2001])
    _history(world, "HR", [1000, 1100, 900, 1000, 1050, 2000])
    found = run_alert_rules(DAY, now=dt.datetime(2015, 10, 22, tzinfo=dt.UTC))
    surges = found[AlertKind.SURGE]
    assert [a.key for a in surges] == ["surge:SI:2015-10-21"]
    alert = surges[0]
    assert alert.participant.code == "SI"
    assert alert.country_id == "SI"
    assert alert.classification == Classification.REGIONAL
    assert alert.evidence == {"value": 2001, "median": 1000.0, "mad": 50.0, "threshold": 2000.0}
    # run again: nothing new
    run_alert_rules(DAY, now=dt.datetime(2015, 10, 22, tzinfo=dt.UTC))
    assert SituationAlert.objects.filter(kind=AlertKind.SURGE).count() == 1


def test_surge_from_restricted_figures_is_restricted_to_their_participant_and_audience(world):
    _history(world, "SI", [100, 110, 90, 100, 105, 5000], classification="restricted", audience=[world["AT"]])
    alert = run_alert_rules(DAY)[AlertKind.SURGE][0]
    assert alert.classification == Classification.RESTRICTED
    assert alert.participant.code == "SI"
    assert [p.code for p in alert.audience.all()] == ["AT"]


def test_site_above_90_percent_of_capacity(world):
    opatovac = ReceptionSite.objects.get(code="HR-OPATOVAC")  # 4,000 places from 2015-09-20
    assert SiteCapacity.objects.filter(site=opatovac).count() == 1
    submit(
        world["HR"],
        [("PRESENT", DAY, "HR-OPATOVAC", 3601, ""), ("PRESENT", DAY, "HR-SLAVONSKI-BROD", 10, "")],
    )
    alerts = run_alert_rules(DAY)[AlertKind.SITE_CAPACITY]
    assert [a.key for a in alerts] == ["site:HR-OPATOVAC:2015-10-21"]
    assert alerts[0].evidence == {
        "present": 3601,
        "capacity": 4000,
        "share": 0.9002,
    }  # 0.90025, rounded half to even
    assert alerts[0].site_id == opatovac.pk


def test_site_at_exactly_90_percent_is_quiet(world):
    submit(world["HR"], [("PRESENT", DAY, "HR-OPATOVAC", 3600, "")])
    assert run_alert_rules(DAY)[AlertKind.SITE_CAPACITY] == []


def test_counts_disagree_beyond_tolerance(world):
    # Croatia's exits to Slovenia against Slovenia's arrivals from Croatia
    submit(world["HR"], [("EXITS", DAY, "HR", 5000, "SI")])
    submit(world["SI"], [("ARRIVALS", DAY, "SI", 4499, "HR")])
    alerts = run_alert_rules(DAY)[AlertKind.COUNT_DISAGREEMENT]
    assert [a.key for a in alerts] == ["counts:HR>SI:2015-10-21"]
    assert alerts[0].border_section.code in ("HR-SI", "SI-HR")
    assert alerts[0].evidence == {"exits": 5000, "arrivals": 4499, "tolerance": 500.0}


def test_counts_within_tolerance_are_quiet(world):
    submit(world["HR"], [("EXITS", DAY, "HR", 5000, "SI")])
    submit(world["SI"], [("ARRIVALS", DAY, "SI", 4500, "HR")])
    assert run_alert_rules(DAY)[AlertKind.COUNT_DISAGREEMENT] == []


def test_report_missing_after_reporting_in_the_previous_week(world):
    submit(world["RS"], [("ARRIVALS", DAY - dt.timedelta(days=2), "RS", 10, "")])
    submit(
        world["MK"], [("ARRIVALS", DAY - dt.timedelta(days=1), "MK", 10, ""), ("ARRIVALS", DAY, "MK", 10, "")]
    )
    alerts = run_alert_rules(DAY)[AlertKind.REPORT_MISSING]
    assert [a.key for a in alerts] == ["missing:RS:2015-10-21"]


def test_command_runs_the_rules_for_a_range(world):
    _history(world, "SI", [1000, 1100, 900, 1000, 1050, 9000])
    out = StringIO()
    call_command("raise_alerts", "--date", "2015-10-20", "--to", "2015-10-21", stdout=out)
    assert out.getvalue().splitlines() == ["2015-10-20: no alerts", "2015-10-21: surge 1 (1 new)"]


def test_command_rejects_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"'21\.10\.2015' is not a date"):
        call_command("raise_alerts", "--date", "21.10.2015")


def test_short_lead_time_and_unacknowledged_notifications(world):
    from seemix.measures import services
    from seemix.measures.models import Recipient
    from tests.measures.conftest import NOW, closure_data

    # given: a closure notified one day before it takes effect (the target is more)
    measure = services.create_measure(
        actor=None, issuer=world["HU"], data=closure_data(planned_start=NOW + dt.timedelta(days=1))
    )
    # notified at the test's NOW, not the clock's: a slow run must not shorten the lead time
    services.notify_measure(measure, actor=None, now=NOW)
    # and Serbia's deadline to acknowledge passed an hour ago
    serbia = Recipient.objects.get(notification__measure=measure, participant__code="RS")
    Recipient.objects.filter(pk=serbia.pk).update(acknowledge_by=NOW - dt.timedelta(hours=1))
    # when
    found = run_alert_rules(NOW.date(), now=NOW)
    # then
    lead = found[AlertKind.SHORT_LEAD_TIME]
    assert [(a.key, a.participant.code, a.measure_id) for a in lead] == [
        (f"lead:{measure.pk}", "HU", measure.pk)
    ]
    assert lead[0].evidence["lead_time_hours"] == 24.0
    silent = found[AlertKind.UNACKNOWLEDGED]
    assert [(a.key, a.participant.code) for a in silent] == [(f"unack:{serbia.pk}", "RS")]


def test_command_says_what_is_new(world):
    _history(world, "SI", [1000, 1100, 900, 1000, 1050, 9000])
    call_command("raise_alerts", "--date", "2015-10-21", stdout=StringIO())
    out = StringIO()
    call_command("raise_alerts", "--date", "2015-10-21", stdout=out)
    assert out.getvalue().splitlines() == ["2015-10-21: surge 1 (0 new)"]


def test_an_acknowledgement_in_time_is_quiet_and_a_late_one_is_not(world):
    from seemix.measures import services
    from seemix.measures.models import Acknowledgement, Recipient
    from tests.measures.conftest import NOW, closure_data

    measure = services.create_measure(actor=None, issuer=world["HU"], data=closure_data())
    services.notify_measure(measure, actor=None)
    recipients = list(Recipient.objects.filter(notification__measure=measure).order_by("pk")[:2])
    deadline = NOW - dt.timedelta(hours=1)
    Recipient.objects.filter(pk__in=[r.pk for r in recipients]).update(acknowledge_by=deadline)
    in_time, late = recipients
    Acknowledgement.objects.create(recipient=in_time, acknowledged_at=deadline - dt.timedelta(minutes=1))
    Acknowledgement.objects.create(recipient=late, acknowledged_at=deadline + dt.timedelta(minutes=1))
    silent = run_alert_rules(deadline.date(), now=NOW)[AlertKind.UNACKNOWLEDGED]
    keys = {a.key for a in silent}
    assert f"unack:{late.pk}" in keys
    assert f"unack:{in_time.pk}" not in keys


def test_the_worker_runs_the_rules_for_the_latest_reported_day(world):
    from django.apps import apps

    _history(world, "SI", [1000, 1100, 900, 1000, 1050, 2001])
    apps.get_app_config("situation").worker_started(batch=True)
    assert list(SituationAlert.objects.filter(kind=AlertKind.SURGE).values_list("key", flat=True)) == [
        "surge:SI:2015-10-21"
    ]


def test_a_surge_after_days_of_nothing_says_so_instead_of_a_ratio(world):
    _history(world, "SI", [0, 0, 0, 0, 0, 12616])
    alert = run_alert_rules(DAY)[AlertKind.SURGE][0]
    assert (
        alert.detail == "12,616 arrivals where the median of the previous 14 days was 0 (flagged above 500)."
    )
