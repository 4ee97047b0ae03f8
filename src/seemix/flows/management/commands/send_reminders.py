"""`seemix send_reminders`: remind the participants whose daily report is late (run it from cron)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from seemix.flows.tasks import remind_late_reporters, send_late_report_reminders


class Command(BaseCommand):
    help = (
        "Email a reminder to the contact point of each participant whose daily report is past its "
        "deadline. Safe to run often: one reminder per participant and day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="The reported day (YYYY-MM-DD); default: the latest day past its deadline"
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Hand the work to the background worker instead of doing it now",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["date"]
        if day:
            try:
                date.fromisoformat(day)
            except ValueError:
                raise CommandError(
                    _("--date %(value)r is not a date of the form YYYY-MM-DD") % {"value": day}
                ) from None
        if options["enqueue"]:
            result = send_late_report_reminders.enqueue(day=day)
            self.stdout.write(_("Enqueued reminders (task %(id)s).") % {"id": result.id})
            return
        run = remind_late_reporters(date.fromisoformat(day) if day else None)
        day = run.day.isoformat()
        if run.sent:
            self.stdout.write(
                _("Reminders for %(day)s: sent to %(codes)s.") % {"day": day, "codes": ", ".join(run.sent)}
            )
        else:
            self.stdout.write(_("Reminders for %(day)s: sent to nobody.") % {"day": day})
        if run.already_sent:
            self.stdout.write(
                _("Already reminded earlier: %(codes)s.") % {"codes": ", ".join(run.already_sent)}
            )
        if run.unreachable:
            self.stderr.write(
                _("No contact point with an email address: %(codes)s.")
                % {"codes": ", ".join(run.unreachable)}
            )
