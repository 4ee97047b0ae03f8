"""enqueue: the fan-out of one message to its channels, written in the producer's transaction."""

from __future__ import annotations

from typing import Any

import pytest

from seemix.core.errors import InvalidInput
from seemix.directory.models import ContactPoint, ContactTopic
from seemix.outbox.models import Channel, Delivery, DeliveryStatus
from seemix.outbox.services import enqueue
from tests.outbox.conftest import make_endpoint, make_message


def test_enqueue_fans_out_to_inbox_email_and_every_active_endpoint(participants: Any) -> None:
    # given
    rs = participants["RS"]
    ContactPoint.objects.create(
        participant=rs, topic=ContactTopic.GENERAL, name="Duty", email="duty@rs.example"
    )
    first, second = make_endpoint(rs, "http://127.0.0.1:9/a"), make_endpoint(rs, "http://127.0.0.1:9/b")
    make_endpoint(rs, "http://127.0.0.1:9/off", active=False)
    # when
    created = enqueue([make_message(rs)])
    # then
    rows = Delivery.objects.order_by("channel", "endpoint_id")
    assert [(d.channel, d.endpoint_id, d.status) for d in rows] == [
        (Channel.EMAIL, None, DeliveryStatus.PENDING),
        (Channel.INBOX, None, DeliveryStatus.DELIVERED),
        (Channel.WEBHOOK, first.pk, DeliveryStatus.PENDING),
        (Channel.WEBHOOK, second.pk, DeliveryStatus.PENDING),
    ]
    assert len(created) == 4
    assert len({d.delivery_id for d in rows}) == 4
    webhook = rows.get(endpoint=first)
    assert (webhook.payload, webhook.content_type) == ("<alert>closure</alert>", "application/cap+xml")
    assert rows.get(channel=Channel.EMAIL).payload == ""


def test_enqueue_plans_no_email_for_a_participant_without_an_address(participants: Any) -> None:
    # given
    hr = participants["HR"]
    ContactPoint.objects.create(
        participant=hr, topic=ContactTopic.MEASURES, name="Phone only", phone="+385 1 123 4567"
    )
    ContactPoint.objects.create(
        participant=hr, topic=ContactTopic.FLOWS, name="Flows", email="flows@hr.example"
    )
    # when
    enqueue([make_message(hr)])
    # then
    assert list(Delivery.objects.values_list("channel", flat=True)) == [Channel.INBOX]


def test_enqueue_refuses_an_unknown_channel_and_writes_nothing(participants: Any) -> None:
    # when
    with pytest.raises(InvalidInput) as raised:
        enqueue([make_message(participants["RS"]), make_message(participants["HR"], channels=("fax",))])
    # then
    assert [e.field for e in raised.value.errors] == ["messages[1].channels"]
    assert Delivery.objects.count() == 0


def test_enqueue_wakes_the_worker_only_after_commit(
    participants: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # given
    rs = participants["RS"]
    make_endpoint(rs, "http://127.0.0.1:9/hook")
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        enqueue([make_message(rs)])
    # then
    assert len(callbacks) == 1
