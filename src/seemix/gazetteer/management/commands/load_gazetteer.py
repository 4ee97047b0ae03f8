"""seemix load_gazetteer: load or bring up to date the shipped countries, borders, places and routes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from seemix.core.errors import InvalidInput
from seemix.gazetteer.services import load_gazetteer


class Command(BaseCommand):
    help = (
        "Load the gazetteer's reference data shipped with seemix (countries, border sections, crossing "
        "points, reception sites, capacities, route edges). Idempotent: a second run changes nothing."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = load_gazetteer(actor=None)
        except InvalidInput as exc:
            # The shipped data contradicts what an administrator changed: say where, change nothing.
            raise CommandError(f"The gazetteer was not loaded: {exc.detail}") from exc
        self.stdout.write(str(summary))
        self.stdout.write(
            self.style.SUCCESS("Gazetteer up to date." if not summary.changed else "Gazetteer loaded.")
        )
