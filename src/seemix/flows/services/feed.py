"""Numbers for the change feed that become visible in their own order.

A revision's ``change_seq`` is taken from the single ``FeedCounter`` row by an UPDATE at the very
end of the submitting transaction. The UPDATE locks the row until that transaction commits (on
PostgreSQL; SQLite admits one writer at a time anyway), so a second submission waits there and
takes the next number only once the first has committed or rolled back. Hence numbers are
committed in increasing order with no gap that a later commit could fill: a reader that has seen
number n will never afterwards find a newly committed revision numbered n or less. The lock is held
only from the UPDATE to the commit.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from seemix.flows.models import FeedCounter


def take_change_numbers(count: int) -> range:
    """``count`` consecutive numbers, locked to this transaction until it ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("change numbers are taken inside the transaction that uses them")
    if count <= 0:
        return range(0)
    if not FeedCounter.objects.filter(pk=1).update(value=F("value") + count):
        FeedCounter.objects.get_or_create(pk=1)
        FeedCounter.objects.filter(pk=1).update(value=F("value") + count)
    last = FeedCounter.objects.values_list("value", flat=True).get(pk=1)
    return range(last - count + 1, last + 1)
