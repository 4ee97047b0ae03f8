"""`seemix deliver`: send the due deliveries now, in the foreground (once, or again and again with --loop).

For an operator after an outage, or a cron job where no worker runs. Safe beside running workers:
rows are claimed, so nothing is sent twice by two senders.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from seemix.outbox.sending import process_due


class Command(BaseCommand):
    help = "Send the due email and webhook deliveries now (once, or every --interval seconds with --loop)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep sending until interrupted.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between looks with --loop (default: 1)."
        )

    def handle(self, *args: Any, loop: bool, interval: float, **options: Any) -> None:
        while True:
            run = process_due()
            if run.attempted or not loop:
                counts = ", ".join(f"{status}: {n}" for status, n in sorted(run.counts.items())) or "none due"
                self.stdout.write(f"deliveries attempted: {run.attempted} ({counts})")
            if not loop:
                return
            close_old_connections()
            time.sleep(interval)
