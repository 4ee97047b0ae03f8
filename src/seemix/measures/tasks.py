"""Background work of measures: escalate the acknowledgements that are overdue.

``escalate_overdue`` is a django-tasks task. ``seemix worker`` keeps an ``EscalationSweeper``
beside its queue loop (``MeasuresConfig.worker_started``): every ``SWEEP_SECONDS`` it enqueues the
task when some acknowledgement is overdue and no run is queued, so a deadline passing needs no cron.
``seemix escalate`` runs it in the foreground or enqueues it. The task is idempotent: a recipient is
escalated at most once, whoever runs it and however often (see services/acknowledgements.py).
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from seemix.core.sweeper import Sweeper
from seemix.measures.services import escalate_overdue as escalate_overdue_now
from seemix.measures.services.acknowledgements import overdue_recipients

logger = logging.getLogger(__name__)

SWEEP_SECONDS = 60


@task()
def escalate_overdue() -> list[int]:
    """The ids of the escalations made by this run."""
    return [e.pk for e in escalate_overdue_now()]


def _already_queued() -> bool:
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(task_path=escalate_overdue.module_path).exists()


def ensure_escalation_sweep() -> bool:
    """Enqueue ``escalate_overdue`` if an acknowledgement is overdue now. True if enqueued."""
    if not overdue_recipients(timezone.now()):
        return False
    escalate_overdue.enqueue()
    logger.info("overdue acknowledgements found: escalate_overdue enqueued")
    return True


def _sweep_escalations() -> bool:
    if _already_queued():
        return False
    return ensure_escalation_sweep()


class EscalationSweeper(Sweeper[bool]):
    """Enqueue ``escalate_overdue`` every ``interval`` seconds when something is overdue and no run
    is queued. Any number of workers may sweep at once: the task escalates each recipient once."""

    def __init__(self, interval: float) -> None:
        super().__init__(
            name="escalation",
            what="escalation sweep",
            job=_sweep_escalations,
            failed=False,
            interval=interval,
        )
