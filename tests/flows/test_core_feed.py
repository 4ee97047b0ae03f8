"""The change feed's numbering under concurrent submissions (services.feed)."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from seemix.flows.services.feed import take_change_numbers


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite admits one writer at a time anyway")
def test_a_later_submission_is_numbered_only_after_the_earlier_one_commits():
    # given a submission that has taken its number and not yet committed
    events: list[str] = []
    second_started = threading.Event()
    numbers: dict[str, int] = {}

    def second() -> None:
        try:
            second_started.set()
            with transaction.atomic():
                numbers["second"] = take_change_numbers(1).start
                events.append("second numbered")
        finally:
            connections.close_all()

    with transaction.atomic():
        numbers["first"] = take_change_numbers(1).start
        thread = threading.Thread(target=second)
        thread.start()
        second_started.wait()
        # Give the second submission the chance to overtake, which the lock must refuse.
        time.sleep(0.3)
        events.append("first committing")
    # when
    thread.join()
    # then
    assert events == ["first committing", "second numbered"]
    assert numbers["second"] == numbers["first"] + 1
