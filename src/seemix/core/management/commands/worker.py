"""`seemix worker`: run background tasks from the database queue (django-tasks-db's db_worker)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker (several may run against one PostgreSQL)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Process the tasks due now, then exit.")

    def handle(self, *args: Any, batch: bool, **options: Any) -> None:
        worker_args = ["--batch"] if batch else []
        call_command("db_worker", *worker_args)
