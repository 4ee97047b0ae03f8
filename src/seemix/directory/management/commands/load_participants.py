"""seemix load_participants: create or update the participants of the seed file (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from seemix.core.errors import InvalidInput
from seemix.directory.services import load_participants


class Command(BaseCommand):
    help = "Load the SEECP participants and partners (directory/data/participants.json). Safe to run again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=None, help="Another seed file of the same form.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_participants(actor=None, path=options["file"])
        except InvalidInput as exc:
            raise CommandError("\n".join(f"{e.field}: {e.message}" for e in exc.errors)) from None
        self.stdout.write(
            f"Participants: {len(result.created)} created, {len(result.updated)} updated, "
            f"{len(result.unchanged)} unchanged."
        )
