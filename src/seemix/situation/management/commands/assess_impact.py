"""`seemix assess_impact --date D`: compute the impact level of every border section for a day."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seemix.situation.picture_worker import assess_latest_days
from seemix.situation.services.impact import assess_impact_levels


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} {value!r} is not a date of the form YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Compute the impact level (low, medium, high, critical) of every border section for a day by "
        "the rules of docs/situation.md. A section with a level set by hand that day keeps it. Running it "
        "again records nothing new."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", help="The day (YYYY-MM-DD); default: the latest reported day and the one before"
        )
        parser.add_argument(
            "--to", help="With --date: compute every day from --date to this day (YYYY-MM-DD)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["to"] and not options["date"]:
            raise CommandError("--to needs --date (the first day)")
        if not options["date"]:
            days = assess_latest_days()
            self.stdout.write(
                f"Assessed {', '.join(d.isoformat() for d in days) or 'nothing: no report yet'}."
            )
            return
        first = _day(options["date"], "--date")
        last = _day(options["to"], "--to") if options["to"] else first
        if last < first:
            raise CommandError(f"--to {last} is before --date {first}")
        total = 0
        day = first
        while day <= last:
            recorded = assess_impact_levels(day)
            total += len(recorded)
            levels: dict[str, int] = {}
            for row in recorded:
                levels[row.level] = levels.get(row.level, 0) + 1
            summary = ", ".join(f"{n} {level}" for level, n in sorted(levels.items())) or "unchanged"
            self.stdout.write(f"{day}: {summary}")
            day += timedelta(days=1)
        self.stdout.write(f"{total} new assessments.")
