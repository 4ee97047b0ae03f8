"""`seemix worker` reminds the late reporters without cron: the sweep enqueues the reminders once when
someone is due one, the worker sends them, and several workers at once send each reminder once."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from seemix.core.models import AuditEntry
from seemix.directory.models import ContactPoint, ContactTopic
from seemix.flows import tasks
from seemix.flows.tasks import (
    ReminderSweeper,
    participants_due_a_reminder,
    remind_late_reporters,
    send_late_report_reminders,
)

DAY = date(2016, 1, 10)
AFTER_DEADLINE = datetime(2016, 1, 11, 12, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _deadline(settings: Any) -> None:
    settings.TIME_ZONE = "UTC"
    settings.SEEMIX_DAILY_REPORT_DEADLINE_HOUR = 12


@pytest.fixture
def database_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def contacts(flows_world: Any) -> dict[str, Any]:
    p = flows_world
    ContactPoint.objects.create(
        participant=p["RS"], topic=ContactTopic.FLOWS, name="RS", email="f@rs.example"
    )
    ContactPoint.objects.create(
        participant=p["MK"], topic=ContactTopic.GENERAL, name="MK", email="g@mk.example"
    )
    return p


def queued() -> int:
    return DBTaskResult.objects.filter(
        task_path=send_late_report_reminders.module_path, status="READY"
    ).count()


def test_who_is_due_a_reminder(contacts: Any, django_capture_on_commit_callbacks: Any) -> None:
    # the late participants with an address, for the latest day past its deadline; once reminded, nobody
    assert [p.code for p in participants_due_a_reminder(AFTER_DEADLINE)] == ["MK", "RS"]
    with django_capture_on_commit_callbacks(execute=True):
        remind_late_reporters(DAY, now=AFTER_DEADLINE)
    assert participants_due_a_reminder(AFTER_DEADLINE) == []
    # the next day's deadline has not passed at 11:59: still nobody
    assert participants_due_a_reminder(datetime(2016, 1, 12, 11, 59, tzinfo=UTC)) == []
    assert [p.code for p in participants_due_a_reminder(datetime(2016, 1, 12, 12, 1, tzinfo=UTC))] == [
        "MK",
        "RS",
    ]


def test_the_sweep_enqueues_the_reminders_once_when_someone_is_due_one(
    contacts: Any, database_tasks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    monkeypatch.setattr(tasks.timezone, "now", lambda: AFTER_DEADLINE)
    sweeper = ReminderSweeper(interval=60)
    # when
    swept = [sweeper.sweep(), sweeper.sweep()]
    # then: the second sweep finds the run already queued
    assert swept == [True, False]
    assert queued() == 1
    assert mail.outbox == []


def test_the_sweep_does_nothing_once_everyone_late_is_reminded(
    contacts: Any,
    database_tasks: None,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # given
    monkeypatch.setattr(tasks.timezone, "now", lambda: AFTER_DEADLINE)
    with django_capture_on_commit_callbacks(execute=True):
        remind_late_reporters(DAY, now=AFTER_DEADLINE)
    # when / then
    assert ReminderSweeper(interval=60).sweep() is False
    assert queued() == 0


@pytest.mark.django_db(transaction=True)  # the worker closes its connection when it stops
def test_the_worker_sends_each_reminder_once_however_often_it_starts(
    contacts: Any, database_tasks: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given: the clock after the deadline of 10 January, and nobody has reported
    monkeypatch.setattr(tasks.timezone, "now", lambda: AFTER_DEADLINE)
    # when: a worker starts, does what is due and stops; then a second one
    call_command("worker", "--batch")
    call_command("worker", "--batch")
    # then
    assert sorted(m.to[0] for m in mail.outbox) == ["f@rs.example", "g@mk.example"]
    assert AuditEntry.objects.filter(action="flows.reminder_sent").count() == 2
    assert queued() == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_one_reminder(
    contacts: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    if connection.vendor == "sqlite":
        # The test database is SQLite in memory with a shared cache, whose table locks fail at once
        # instead of waiting as a file database's IMMEDIATE transactions do: run on PostgreSQL.
        pytest.skip("needs a database that waits for locks (PostgreSQL)")
    # given: the check "already reminded?" takes a while, so that both runs are inside it together
    slow = tasks._already_reminded

    def already_reminded(participant: Any, day: date) -> bool:
        time.sleep(0.3)
        return slow(participant, day)

    monkeypatch.setattr(tasks, "_already_reminded", already_reminded)
    runs: list[Any] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            runs.append(remind_late_reporters(DAY, now=AFTER_DEADLINE))
        except BaseException as error:  # reported below, not swallowed
            errors.append(error)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then: each participant reminded by exactly one of the runs
    assert errors == []
    assert sorted(code for run in runs for code in run.sent) == ["MK", "RS"]
    assert sorted(code for run in runs for code in run.already_sent) == ["MK", "RS"]
    assert AuditEntry.objects.filter(action="flows.reminder_sent").count() == 2
    assert len(mail.outbox) == 2
