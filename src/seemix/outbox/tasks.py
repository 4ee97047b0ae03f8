"""The outbox's background task: send the due deliveries (run by ``seemix worker``).

``deliver_due`` is enqueued after every commit that writes deliveries (``services.enqueue``), and
periodically by ``seemix worker`` as a safety net (``ensure_delivery_sweep``): a worker killed in the
middle of a fan-out leaves its task RUNNING in django-tasks-db's table forever and its rows SENDING,
so on restart the sweep enqueues the task again and the rows' lapsed leases make them due.
``seemix deliver`` sends the due deliveries in the foreground instead (once, or ``--loop``).
It is idempotent: running it twice at once sends nothing twice (rows are claimed).
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks import task

from seemix.outbox.sending import due_deliveries, process_due

logger = logging.getLogger(__name__)

# One run yields after this long so that other tasks in the queue get their turn; it re-enqueues itself.
RUN_SECONDS = 60
# How often `seemix worker` looks for due deliveries besides the enqueues (retries, lapsed leases).
SWEEP_SECONDS = 15


@task()
def deliver_due() -> dict[str, int]:
    run = process_due(max_seconds=RUN_SECONDS)
    if run.more_due:
        deliver_due.enqueue()
    return run.counts


def ensure_delivery_sweep() -> bool:
    """Enqueue ``deliver_due`` if deliveries are due now (or a claim's lease has lapsed). True if enqueued."""
    if not due_deliveries(timezone.now()).exists():
        return False
    deliver_due.enqueue()
    logger.info("due deliveries found: deliver_due enqueued")
    return True


def _already_queued() -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(task_path=deliver_due.module_path).exists()


class DeliverySweeper(threading.Thread):
    """Enqueue ``deliver_due`` every ``interval`` seconds when deliveries are due and none is queued.

    ``seemix worker`` runs one beside django-tasks-db's worker loop: retries whose backoff has
    passed, and rows left SENDING by a killed worker whose lease has lapsed, go out without waiting
    for a new enqueue. Any number of workers may sweep at once: the task claims rows, so an extra run
    sends nothing twice.
    """

    def __init__(self, interval: float) -> None:
        super().__init__(name="seemix-delivery-sweeper", daemon=True)
        self.interval = interval
        self.stopped = threading.Event()

    def sweep(self) -> bool:
        try:
            if _already_queued():
                return False
            return ensure_delivery_sweep()
        except Exception:
            logger.exception("the delivery sweep failed; trying again in %s s", self.interval)
            return False
        finally:
            close_old_connections()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.sweep()
        connection.close()
