"""How the worker finds due deliveries without a new enqueue: the next run scheduled, and the sweep."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from seemix.outbox.models import Channel, Delivery
from seemix.outbox.sending import process_due
from seemix.outbox.services import enqueue
from seemix.outbox.tasks import DeliverySweeper, deliver_due, schedule_next_run
from tests.outbox.conftest import make_endpoint, make_message
from tests.outbox.receivers import Receiver


@pytest.fixture
def database_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued() -> list[Any]:
    return list(
        DBTaskResult.objects.filter(task_path=deliver_due.module_path, status="READY").values_list(
            "run_after", flat=True
        )
    )


def test_after_a_failed_attempt_the_next_run_is_scheduled_for_the_retry_once(
    participants: Any, receivers: Callable[..., Receiver], database_tasks: None
) -> None:
    # given
    make_endpoint(participants["RS"], receivers(status=503).url)
    enqueue([make_message(participants["RS"])])
    process_due()
    retry_at = Delivery.objects.get(channel=Channel.WEBHOOK).next_attempt_at
    # when
    first = schedule_next_run()
    second = schedule_next_run()
    # then
    assert (first, second) == (retry_at, None)
    assert queued() == [retry_at]


def test_nothing_is_scheduled_when_nothing_is_waiting(participants: Any, database_tasks: None) -> None:
    # given: only an inbox message, delivered at once
    enqueue([make_message(participants["RS"], channels=(Channel.INBOX,))])
    # when
    scheduled = schedule_next_run()
    # then
    assert scheduled is None
    assert queued() == []


def test_the_sweep_enqueues_the_task_when_deliveries_are_due_and_none_is_queued(
    participants: Any, database_tasks: None
) -> None:
    # given: a due delivery written without waking any worker (as if the wake-up were lost)
    make_endpoint(participants["RS"], "http://127.0.0.1:9/hook")
    enqueue([make_message(participants["RS"])])
    sweeper = DeliverySweeper(interval=60)
    # when
    swept = [sweeper.sweep(), sweeper.sweep()]
    # then
    assert swept == [True, False]
    assert len(queued()) == 1


def test_the_sweep_does_nothing_when_nothing_is_due(participants: Any, database_tasks: None) -> None:
    # when
    swept = DeliverySweeper(interval=60).sweep()
    # then
    assert swept is False
    assert queued() == []
