"""Background work of measures: escalate the acknowledgements that are overdue.

``escalate_overdue`` is a django-tasks task (run by ``seemix worker``); ``seemix escalate`` runs it
in the foreground or enqueues it (e.g. from cron every few minutes). It is idempotent: a recipient
is escalated at most once, whoever runs it and however often (see services/acknowledgements.py).
"""

from __future__ import annotations

from django_tasks import task

from seemix.measures.services import escalate_overdue as escalate_overdue_now


@task()
def escalate_overdue() -> list[int]:
    """The ids of the escalations made by this run."""
    return [e.pk for e in escalate_overdue_now()]
