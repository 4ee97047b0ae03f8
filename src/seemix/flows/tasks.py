"""Background work of flows: the reminder to a participant whose daily report is late.

``send_late_report_reminders`` is a django-tasks task. ``seemix worker`` keeps a ``ReminderSweeper``
beside its queue loop (``FlowsConfig.worker_started``): on start and every ``SWEEP_SECONDS`` it
enqueues the task when a participant is due a reminder for the latest day past its deadline and no
run is queued, so no cron is needed. ``seemix send_reminders`` runs it in the foreground or enqueues
it. It is idempotent: each (participant, day) gets at most one reminder, however many workers sweep.
The reminder is recorded as an audit row (``flows.reminder_sent`` on the participant) in a
transaction that first locks the participant's row (SQLite: the write lock its IMMEDIATE transactions
take), so two workers running at once cannot both send; the email leaves after the commit.

The email names the participant, the day and the deadline, and nothing else: no figure, no other
participant, nothing of any RESTRICTED report.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from seemix.core import audit
from seemix.core.models import AuditEntry
from seemix.core.sweeper import Sweeper
from seemix.directory.models import ContactPoint, ContactTopic, Participant
from seemix.flows.models import Periodicity
from seemix.flows.status import deadline_for, latest_due_day, missing_daily_reports

logger = logging.getLogger(__name__)

REMINDER_ACTION = "flows.reminder_sent"
# How often `seemix worker` looks for late reports. A deadline passes once a day: minutes of delay are
# harmless, and each look costs a few small queries.
SWEEP_SECONDS = 300


@dataclass
class ReminderRun:
    day: date
    sent: list[str] = field(default_factory=list)  # participant codes reminded now
    already_sent: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)  # no contact point with an email address


def reminder_recipients(participant: Participant) -> list[str]:
    """The participant's flows contact points' addresses, else its general ones."""
    points = ContactPoint.objects.filter(participant=participant, is_active=True).exclude(email="")
    for topic in (ContactTopic.FLOWS, ContactTopic.GENERAL):
        emails = sorted({p.email for p in points if p.topic == topic})
        if emails:
            return emails
    return []


def _reminders_of(day: date) -> Any:
    return AuditEntry.objects.filter(
        action=REMINDER_ACTION, object_type=Participant._meta.label_lower, changes__day=day.isoformat()
    )


def _already_reminded(participant: Participant, day: date) -> bool:
    return _reminders_of(day).filter(object_id=str(participant.pk)).exists()


def participants_due_a_reminder(now: datetime | None = None) -> list[Participant]:
    """The participants late for the latest day past its deadline, not yet reminded, with an address."""
    now = now or timezone.now()
    day = latest_due_day(now)
    reminded = set(_reminders_of(day).values_list("object_id", flat=True))
    late = [p for p in missing_daily_reports(day, now) if str(p.pk) not in reminded]
    return [p for p in late if reminder_recipients(p)]


def _message(participant: Participant, day: date, deadline: datetime, recipients: list[str]) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        local_deadline = timezone.localtime(deadline)
        values = {
            "participant": participant.name,
            "day": date_format(day, "DATE_FORMAT"),
            "deadline": f"{date_format(local_deadline, 'DATETIME_FORMAT')} ({settings.TIME_ZONE})",
            "url": settings.SEEMIX_BASE_URL
            + reverse("flows:grid", kwargs={"code": participant.code, "day": day.isoformat()}),
        }
        subject = _("seemix: the daily report of %(participant)s for %(day)s is late") % values
        body = (
            _(
                "The daily report of %(participant)s for %(day)s had not been submitted to seemix by its "
                "deadline, %(deadline)s.\n\nPlease submit it, or a draft marked as provisional, at\n"
                "%(url)s\n\nYou receive this message as a contact point of %(participant)s for migratory "
                "flows. One reminder is sent per day and participant."
            )
            % values
        )
    return EmailMessage(subject=subject, body=body, to=recipients)


def remind_late_reporters(day: date | None = None, *, now: datetime | None = None) -> ReminderRun:
    """Send one reminder to each participant whose daily report for ``day`` is missing."""
    now = now or timezone.now()
    day = day or latest_due_day(now)
    run = ReminderRun(day)
    deadline = deadline_for(Periodicity.DAILY, day)
    for participant in missing_daily_reports(day, now):
        recipients = reminder_recipients(participant)
        if not recipients:
            logger.warning("No contact point with an email address for %s: no reminder", participant.code)
            run.unreachable.append(participant.code)
            continue
        with transaction.atomic():
            # The lock serialises concurrent workers; the audit row is the record "sent".
            Participant.objects.select_for_update().filter(pk=participant.pk).first()
            if _already_reminded(participant, day):
                run.already_sent.append(participant.code)
                continue
            audit.record(
                None,
                REMINDER_ACTION,
                participant,
                participant_code=participant.code,
                changes={"day": day.isoformat(), "periodicity": "daily", "recipients": recipients},
            )
            message = _message(participant, day, deadline, recipients)
            transaction.on_commit(partial(message.send, fail_silently=False))
        run.sent.append(participant.code)
    return run


@task()
def send_late_report_reminders(day: str | None = None) -> dict[str, object]:
    """The task: ``day`` as ISO date, default the latest day whose deadline has passed."""
    run = remind_late_reporters(date.fromisoformat(day) if day else None)
    return {
        "day": run.day.isoformat(),
        "sent": run.sent,
        "already_sent": run.already_sent,
        "unreachable": run.unreachable,
    }


def _already_queued() -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(task_path=send_late_report_reminders.module_path).exists()


def ensure_reminder_run(now: datetime | None = None) -> bool:
    """Enqueue ``send_late_report_reminders`` if someone is due a reminder now. True if enqueued."""
    due = participants_due_a_reminder(now)
    if not due:
        return False
    send_late_report_reminders.enqueue()
    logger.info(
        "late daily reports (%s): send_late_report_reminders enqueued", ", ".join(p.code for p in due)
    )
    return True


def _sweep_reminders() -> bool:
    if _already_queued():
        return False
    return ensure_reminder_run()


class ReminderSweeper(Sweeper[bool]):
    """Enqueue the reminders every ``interval`` seconds when one is due and no run is queued. Any
    number of workers may sweep at once: the task reminds each participant once a day."""

    def __init__(self, interval: float) -> None:
        super().__init__(
            name="reminder", what="late-report sweep", job=_sweep_reminders, failed=False, interval=interval
        )
