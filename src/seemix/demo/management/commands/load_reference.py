"""`seemix load_reference`: participants and gazetteer (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from seemix.demo.reference import load_reference


class Command(BaseCommand):
    help = (
        "Load or bring up to date the reference data: participants, countries, crossing points, "
        "sites, routes, indicators."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_reference()
        self.stdout.write(f"participants: {summary.participants}")
        self.stdout.write(f"gazetteer: {summary.gazetteer}")
        self.stdout.write(str(summary.indicators))
