"""A background thread of `seemix worker` that runs one idempotent job every ``interval`` seconds.

The worker's apps (deliveries, escalations, reminders, impact levels and alerts) each sweep for work
that falls due without anyone enqueuing it. What they share is here: the loop, the thread's own
database connection, and the rule that a failed sweep is logged with its traceback and tried again
at the next one, because a sweep that raised must not stop the worker's queue loop, which delivers
notifications. Every job is idempotent, so any number of workers may sweep at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)

Result = TypeVar("Result")


class Sweeper(threading.Thread, Generic[Result]):
    """Calls ``job()`` at each sweep; ``failed`` is what a sweep that raised returns."""

    def __init__(
        self, *, name: str, what: str, job: Callable[[], Result], failed: Result, interval: float
    ) -> None:
        super().__init__(name=f"seemix-{name}-sweeper", daemon=True)
        self.what = what
        self.job = job
        self.failed = failed
        self.interval = interval
        self.stopped = threading.Event()

    def sweep(self) -> Result:
        try:
            return self.job()
        except Exception:
            logger.exception("the %s failed; trying again in %s s", self.what, self.interval)
            return self.failed

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.sweep()
            # This thread's own connection: drop it if the database went away meanwhile.
            close_old_connections()
        connection.close()
