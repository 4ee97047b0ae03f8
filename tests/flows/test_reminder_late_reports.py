"""The late-report reminder: one email per participant and day, to its flows contact point (else its
general one), after the deadline, with nothing restricted in it, never twice."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.core import mail
from django.core.management import call_command

from seemix.core.classification import Classification
from seemix.core.models import AuditEntry
from seemix.directory.models import ContactPoint, ContactTopic
from seemix.flows.tasks import remind_late_reporters, send_late_report_reminders
from tests.flows.out_data import make_revision

DAY = date(2016, 1, 10)
AFTER_DEADLINE = datetime(2016, 1, 11, 12, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _deadline(settings):
    settings.TIME_ZONE = "UTC"
    settings.SEEMIX_DAILY_REPORT_DEADLINE_HOUR = 12
    settings.SEEMIX_BASE_URL = "https://seemix.example.org"


def contact(participant, topic, email, **fields):
    return ContactPoint.objects.create(
        participant=participant, topic=topic, name=f"{participant.code} {topic}", email=email, **fields
    )


@pytest.fixture
def world(flows_world):
    p = flows_world
    contact(p["RS"], ContactTopic.FLOWS, "flows@mup.example.rs")
    contact(p["RS"], ContactTopic.GENERAL, "general@mup.example.rs")
    contact(p["MK"], ContactTopic.GENERAL, "general@mvr.example.mk")
    contact(p["MK"], ContactTopic.FLOWS, "", phone="+389 2 000 000")  # no address: the general one is used
    contact(p["HR"], ContactTopic.FLOWS, "", phone="+385 1 000 000")  # nobody to write to
    contact(p["AT"], ContactTopic.FLOWS, "old@bmi.example.at", is_active=False)
    contact(
        p["SI"], ContactTopic.FLOWS, "flows@policija.example.si", classification=Classification.RESTRICTED
    )
    # Greece reported on time; Slovenia reported a RESTRICTED report: neither is reminded.
    make_revision(p["GR"], DAY, [("ARRIVALS", "GR-IDOMENI", 5123)])
    make_revision(p["SI"], DAY, [("ARRIVALS", "SI-RIGONCE", 4242)], classification="restricted")
    return p


def sent_to() -> dict[str, list[str]]:
    return {message.subject.split(" of ")[1].split(" for ")[0]: message.to for message in mail.outbox}


def test_each_late_participant_gets_one_reminder_at_its_contact_point(
    world, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        run = remind_late_reporters(DAY, now=AFTER_DEADLINE)
    # then
    assert sorted(run.sent) == ["MK", "RS"]
    assert sorted(run.unreachable) == ["AT", "HR"]
    assert sent_to() == {"North Macedonia": ["general@mvr.example.mk"], "Serbia": ["flows@mup.example.rs"]}
    assert AuditEntry.objects.filter(action="flows.reminder_sent").count() == 2


def test_the_reminder_names_the_day_and_the_page_and_nothing_restricted(
    world, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        remind_late_reporters(DAY, now=AFTER_DEADLINE)
    # then
    serbia = next(m for m in mail.outbox if m.to == ["flows@mup.example.rs"])
    assert "Serbia" in serbia.subject
    assert "https://seemix.example.org/flows/grid/RS/2016-01-10/" in serbia.body
    for message in mail.outbox:
        text = message.subject + message.body
        assert "4242" not in text
        assert "5123" not in text
        assert "Slovenia" not in text
        assert "Greece" not in text


def test_a_second_run_sends_nothing_more(world, django_capture_on_commit_callbacks):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        remind_late_reporters(DAY, now=AFTER_DEADLINE)
    audit_rows = AuditEntry.objects.count()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        run = remind_late_reporters(DAY, now=datetime(2016, 1, 11, 18, tzinfo=UTC))
    # then
    assert run.sent == []
    assert sorted(run.already_sent) == ["MK", "RS"]
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.count() == audit_rows


def test_nobody_is_reminded_before_the_deadline(world, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        run = remind_late_reporters(DAY, now=datetime(2016, 1, 11, 11, 59, tzinfo=UTC))
    # then
    assert run.sent == []
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(action="flows.reminder_sent").exists()


def test_a_report_submitted_late_stops_the_reminder(world, django_capture_on_commit_callbacks):
    # given
    make_revision(world["RS"], DAY, [("ARRIVALS", "RS-MIRATOVAC", 6000)], submitted_at=AFTER_DEADLINE)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        run = remind_late_reporters(DAY, now=datetime(2016, 1, 11, 13, tzinfo=UTC))
    # then
    assert run.sent == ["MK"]


def test_the_task_runs_on_the_worker_backend_and_is_idempotent(world, django_capture_on_commit_callbacks):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        first = send_late_report_reminders.enqueue(day=DAY.isoformat())
    with django_capture_on_commit_callbacks(execute=True):
        second = send_late_report_reminders.enqueue(day=DAY.isoformat())
    # then
    assert first.return_value["sent"] == ["MK", "RS"]
    assert second.return_value["sent"] == []
    assert len(mail.outbox) == 2


def test_the_command_sends_the_reminders_of_a_day(world, django_capture_on_commit_callbacks, capsys):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", DAY.isoformat())
    # then
    out = capsys.readouterr()
    assert "Reminders for 2016-01-10: sent to MK, RS." in out.out
    assert "No contact point with an email address: AT, HR." in out.err
    assert len(mail.outbox) == 2


def test_the_command_refuses_a_bad_date(world):
    # when / then
    with pytest.raises(Exception, match="not a date"):
        call_command("send_reminders", "--date", "10/01/2016")
    assert mail.outbox == []
