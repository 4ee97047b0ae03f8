"""The outbox's background task: send the due deliveries (run by ``seemix worker``).

``deliver_due`` is enqueued after every commit that writes deliveries (``services.enqueue``), and
periodically by ``seemix worker`` as a safety net (``ensure_delivery_sweep``): a worker killed in the
middle of a fan-out leaves its task RUNNING in django-tasks-db's table forever and its rows SENDING,
so on restart the sweep enqueues the task again and the rows' lapsed leases make them due.
It is idempotent: running it twice at once sends nothing twice (rows are claimed).
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from seemix.outbox.sending import due_deliveries, process_due

logger = logging.getLogger(__name__)

# One run yields after this long so that other tasks in the queue get their turn; it re-enqueues itself.
RUN_SECONDS = 60


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
