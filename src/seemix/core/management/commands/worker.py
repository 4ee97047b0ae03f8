"""`seemix worker`: run background tasks from the database queue (django-tasks-db's db_worker).

Before the queue loop starts, every app whose AppConfig has a ``worker_started(batch=...)`` method
is told, so it can enqueue the work a killed worker left behind (the outbox enqueues its due
deliveries, and keeps sweeping for them while the worker runs). core names no app here.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker (several may run against one PostgreSQL)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Process the tasks due now, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks at an empty queue (default: %(default)s).",
        )

    def handle(self, *args: Any, batch: bool, interval: float, **options: Any) -> None:
        for config in apps.get_app_configs():
            started = getattr(config, "worker_started", None)
            if callable(started):
                started(batch=batch)
        worker_args = ["--batch"] if batch else []
        call_command("db_worker", *worker_args, "--interval", str(interval))
