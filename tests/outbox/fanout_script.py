"""Run in a subprocess against a scratch database by the reliability test and the fan-out benchmark.

    python -m tests.outbox.fanout_script setup URL [URL ...]   one participant and endpoint per URL
    python -m tests.outbox.fanout_script enqueue N            N messages, each to every participant
    python -m tests.outbox.fanout_script report               the webhook deliveries as JSON

``setup`` prints the endpoints' secret (one for all, so receivers can verify); ``enqueue`` prints
{participant code: [delivery ids]} and the commit time (time.time()) as JSON. Everything goes
through the product's own functions (``enqueue`` in a transaction, so the worker is woken on commit).
"""

from __future__ import annotations

import json
import os
import sys
import time


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seemix.settings")
    import django

    django.setup()


SECRET = "whsec_reliability-test-secret"


def setup(urls: list[str]) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from seemix.directory.models import Participant, ParticipantKind
    from seemix.outbox.models import WebhookEndpoint
    from seemix.outbox.sealing import seal

    call_command("migrate", verbosity=0, interactive=False)
    with transaction.atomic():
        for number, url in enumerate(urls, start=1):
            participant = Participant.objects.create(
                code=f"P{number:02d}", name=f"Participant {number:02d}", kind=ParticipantKind.THIRD_COUNTRY
            )
            WebhookEndpoint.objects.create(
                participant=participant, url=url, secret_encrypted=seal(SECRET), secret_hint=SECRET[:10]
            )
    print(json.dumps({"secret": SECRET}))


def enqueue_messages(count: int, payload_bytes: int = 2000) -> None:
    from django.db import transaction

    from seemix.directory.models import Participant
    from seemix.outbox.models import Channel
    from seemix.outbox.services import OutgoingMessage, enqueue

    participants = list(Participant.objects.order_by("code"))
    batches = []
    for number in range(count):
        # A CAP-sized body: a measure's alert with its areas is a few kilobytes.
        payload = json.dumps({"measure": number, "text": "x" * payload_bytes})
        messages = [
            OutgoingMessage(
                participant=p,
                topic="measures",
                event="measure.notified",
                subject_type="measures.notification",
                subject_id=str(number),
                subject=f"Measure {number}",
                body="",
                payload=payload,
                content_type="application/json",
                channels=(Channel.WEBHOOK,),
            )
            for p in participants
        ]
        with transaction.atomic():
            created = enqueue(messages)
        batches.append(
            {
                "committed_at": time.time(),
                "deliveries": {d.participant.code: str(d.delivery_id) for d in created},
            }
        )
    print(json.dumps(batches))


def report() -> None:
    from seemix.outbox.models import Channel, Delivery

    rows = Delivery.objects.filter(channel=Channel.WEBHOOK).select_related("participant").order_by("id")
    print(
        json.dumps(
            [
                {
                    "delivery_id": str(d.delivery_id),
                    "participant": d.participant.code,
                    "status": d.status,
                    "attempts": d.attempts,
                }
                for d in rows
            ]
        )
    )


def main(argv: list[str]) -> None:
    _django()
    command, *args = argv
    if command == "setup":
        setup(args)
    elif command == "enqueue":
        enqueue_messages(int(args[0]))
    elif command == "report":
        report()
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
