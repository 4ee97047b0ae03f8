"""seemix load_indicators: create or update the shipped indicator catalogue (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand

from seemix.flows.services import load_indicators


class Command(BaseCommand):
    help = "Load the shipped indicator catalogue (daily flow and monthly FRAN/WB-RAN indicators)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(load_indicators(actor=None)))
