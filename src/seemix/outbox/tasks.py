"""The outbox's background task: send the due deliveries (run by ``seemix worker``).

``deliver_due`` is enqueued after every commit that writes deliveries (``services.enqueue``). When
a run ends it schedules the next one for the moment the next delivery falls due (a retry after its
backoff, a claim whose lease will lapse). And ``seemix worker`` sweeps on start and every
SWEEP_SECONDS (``DeliverySweeper``): a worker killed in the middle of a fan-out leaves its task
RUNNING in django-tasks-db's table forever and its rows SENDING, so on restart the sweep enqueues
the task again, and the rows whose lease has lapsed are due.
``seemix deliver`` sends the due deliveries in the foreground instead (once, or ``--loop``).
It is idempotent: running it twice at once sends nothing twice (rows are claimed).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db.models import Min, Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task

from seemix.core.sweeper import Sweeper
from seemix.outbox.models import DUE_STATUSES, Delivery
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
    else:
        schedule_next_run()
    return run.counts


def _queued_by(moment: datetime) -> bool:
    """Is a run of deliver_due already queued to start no later than ``moment``?"""
    from django_tasks_db.models import DBTaskResult, get_date_max

    return (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=deliver_due.module_path)
        .filter(Q(run_after__lte=moment) | Q(run_after=get_date_max()))
        .exists()
    )


def schedule_next_run() -> datetime | None:
    """Enqueue deliver_due for when the next delivery falls due, unless a run is queued by then.

    Only with a backend that can defer (the database one); returns the time scheduled, if any.
    """
    if not deliver_due.get_backend().supports_defer:
        return None
    earliest = Delivery.objects.filter(status__in=DUE_STATUSES).aggregate(at=Min("next_attempt_at"))["at"]
    if earliest is None or _queued_by(earliest):
        return None
    deliver_due.using(run_after=earliest).enqueue()
    return earliest


def ensure_delivery_sweep() -> bool:
    """Enqueue ``deliver_due`` if deliveries are due now (or a claim's lease has lapsed). True if enqueued."""
    if not due_deliveries(timezone.now()).exists():
        return False
    deliver_due.enqueue()
    logger.info("due deliveries found: deliver_due enqueued")
    return True


def _already_queued() -> bool:
    return _queued_by(timezone.now())


def _sweep_deliveries() -> bool:
    if _already_queued():
        return False
    return ensure_delivery_sweep()


class DeliverySweeper(Sweeper[bool]):
    """Enqueue ``deliver_due`` every ``interval`` seconds when deliveries are due and none is queued.

    ``seemix worker`` runs one beside django-tasks-db's worker loop: retries whose backoff has
    passed, and rows left SENDING by a killed worker whose lease has lapsed, go out without waiting
    for a new enqueue. Any number of workers may sweep at once: the task claims rows, so an extra run
    sends nothing twice.
    """

    def __init__(self, interval: float) -> None:
        super().__init__(
            name="delivery", what="delivery sweep", job=_sweep_deliveries, failed=False, interval=interval
        )
