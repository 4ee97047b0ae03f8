"""`seemix raise_alerts --date D`: run the alert rules of the situation picture for one day (or a range)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from seemix.situation.alert_rules import run_alert_rules


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date of the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Run the alert rules (surge, site capacity, counts disagreeing, short lead time, unacknowledged "
        "notification, missing daily report) for a day; an alert already raised is not raised again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=_date, help="The day (YYYY-MM-DD); default: yesterday")
        parser.add_argument("--to", dest="date_to", type=_date, help="Run every day from --date to this one")

    def handle(self, *args: Any, **options: Any) -> None:
        first = options["date"] or timezone.now().date() - timedelta(days=1)
        last = options["date_to"] or first
        if last < first:
            raise CommandError("--to must not be before --date")
        day = first
        while day <= last:
            started = timezone.now()
            found = run_alert_rules(day)
            counts = ", ".join(
                f"{kind} {len(alerts)} ({sum(a.raised_at >= started for a in alerts)} new)"
                for kind, alerts in found.items()
                if alerts
            )
            self.stdout.write(f"{day.isoformat()}: {counts or 'no alerts'}")
            day += timedelta(days=1)
