"""Fixtures of the outbox tests: receivers on 127.0.0.1, endpoints with known secrets, messages."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from seemix.directory.models import ContactTopic, Participant
from seemix.outbox.models import WebhookEndpoint
from seemix.outbox.sealing import seal
from seemix.outbox.services import OutgoingMessage
from tests.outbox.receivers import Receiver, start_receiver
from tests.outbox.scratch import scratch_database

SECRET = "whsec_test-secret-known-to-the-receiver"


@pytest.fixture
def receivers() -> Iterator[Callable[..., Receiver]]:
    """receivers(status=200, on_request=None) -> a running receiver, shut down after the test."""
    started: list[Receiver] = []

    def start(**kwargs: Any) -> Receiver:
        receiver = start_receiver(**kwargs)
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.close()


def make_endpoint(
    participant: Participant, url: str, secret: str = SECRET, *, active: bool = True
) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        participant=participant,
        url=url,
        secret_encrypted=seal(secret),
        secret_hint=secret[:10],
        is_active=active,
    )


def make_message(participant: Participant, **overrides: Any) -> OutgoingMessage:
    values: dict[str, Any] = {
        "participant": participant,
        "topic": ContactTopic.MEASURES,
        "event": "measure.notified",
        "subject_type": "measures.notification",
        "subject_id": "42",
        "subject": "Closure of the border section",
        "body": "Hungary closes the border section with Serbia on 15 September 2015.",
        "payload": "<alert>closure</alert>",
        "content_type": "application/cap+xml",
    }
    values.update(overrides)
    return OutgoingMessage(**values)


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A scratch database for subprocesses: a SQLite file, or a fresh one if the suite runs on PostgreSQL."""
    postgres = os.environ["DATABASE_URL"] if "postgresql" in settings.DATABASES["default"]["ENGINE"] else None
    with scratch_database(tmp_path, postgres) as url:
        yield url
