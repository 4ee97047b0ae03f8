# ruff: noqa: F811  (the imported fixtures are parameters of the tests)
"""raise_alert, acknowledge_alert, resolve_alert: idempotence, state changes, audit rows, deliveries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from seemix.core.classification import Classification
from seemix.core.errors import Conflict, Forbidden, InvalidInput
from seemix.core.models import AuditEntry
from seemix.directory.models import ContactPoint, ContactTopic
from seemix.directory.principals import principal_for_user
from seemix.measures.models import Subscription
from seemix.outbox.models import Channel, Delivery
from seemix.situation.models import AlertState, AlertStateChange, SituationAlert
from seemix.situation.services.alerts import acknowledge_alert, raise_alert, resolve_alert
from tests.measures.conftest import user_of, world  # noqa: F401  (fixtures: the shipped gazetteer)

DAY = dt.date(2015, 10, 21)


def _raise(world: dict[str, Any], **overrides: Any) -> SituationAlert:
    kwargs: dict[str, Any] = {
        "kind": "surge",
        "key": "surge:SI:2015-10-21",
        "title": "Arrivals in Slovenia 12,616: 4.1 times the 14-day level",
        "detail": "detail",
        "day": DAY,
        "evidence": {"value": 12616},
        "participant": world["SI"],
    }
    kwargs.update(overrides)
    return raise_alert(**kwargs)


@pytest.fixture
def contacts(world: dict[str, Any]) -> None:
    for code in ("SI", "AT", "HR", "RS"):
        ContactPoint.objects.create(
            participant=world[code], topic=ContactTopic.GENERAL, name="desk", email=f"{code}@example.org"
        )


def test_raise_alert_writes_alert_state_change_audit_and_deliveries(
    world, contacts, django_capture_on_commit_callbacks
):
    # given: Austria subscribed to Slovenia's news, Serbia to Greece's only
    Subscription.objects.create(participant=world["AT"], countries=["SI"])
    Subscription.objects.create(participant=world["RS"], countries=["GR"])
    # when
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        alert = _raise(world, country="SI")
    # then
    assert alert.state == AlertState.OPEN
    assert list(AlertStateChange.objects.filter(alert=alert).values_list("old_state", "new_state")) == [
        ("", "open")
    ]
    assert AuditEntry.objects.filter(action="situation.alert_raised", object_id=str(alert.pk)).count() == 1
    emails = Delivery.objects.filter(subject_type="situation.alert", channel=Channel.EMAIL)
    assert sorted(emails.values_list("participant__code", flat=True)) == ["AT", "SI"]
    assert "12,616" in emails.first().body
    assert len(callbacks) == 1  # the worker is woken after commit


def test_second_raise_returns_the_same_alert_and_changes_nothing(world, contacts):
    first = _raise(world)
    deliveries, audits = Delivery.objects.count(), AuditEntry.objects.count()
    second = _raise(world, title="another title", day=dt.date(2015, 10, 22))
    assert second.pk == first.pk
    assert second.title == first.title
    assert SituationAlert.objects.count() == 1
    assert AlertStateChange.objects.count() == 1
    assert (Delivery.objects.count(), AuditEntry.objects.count()) == (deliveries, audits)


def test_raise_rejects_unknown_kind(world):
    with pytest.raises(InvalidInput, match="kind"):
        _raise(world, kind="nonsense")
    assert not SituationAlert.objects.exists()


def test_restricted_alert_goes_only_to_its_participant_and_audience(world, contacts):
    Subscription.objects.create(participant=world["AT"], countries=[])
    Subscription.objects.create(participant=world["RS"], countries=[])
    alert = _raise(world, country="SI", classification=Classification.RESTRICTED, audience=[world["RS"]])
    codes = set(Delivery.objects.filter(subject_id=str(alert.pk)).values_list("participant__code", flat=True))
    assert codes == {"SI", "RS"}


def test_acknowledge_then_resolve_by_the_world_coordinator(world, user_of):
    alert = _raise(world)
    actor = principal_for_user(user_of("SI", "coordinator"))
    acknowledge_alert(actor, alert, "seen")
    resolve_alert(actor, alert, "over")
    alert.refresh_from_db()
    assert alert.state == AlertState.RESOLVED
    rows = list(AlertStateChange.objects.filter(alert=alert).values_list("old_state", "new_state", "note"))
    assert rows == [("", "open", ""), ("open", "acknowledged", "seen"), ("acknowledged", "resolved", "over")]
    assert AuditEntry.objects.filter(action="situation.alert_acknowledged").count() == 1
    assert AuditEntry.objects.filter(action="situation.alert_resolved").count() == 1
    with pytest.raises(Conflict):
        acknowledge_alert(actor, alert, "again")


@pytest.mark.parametrize(("code", "role"), [("RS", "coordinator"), ("SI", "reporter"), ("SI", "observer")])
def test_acknowledge_denied_to_others(world, user_of, code, role):
    alert = _raise(world)
    with pytest.raises(Forbidden):
        acknowledge_alert(principal_for_user(user_of(code, role)), alert, "")
    alert.refresh_from_db()
    assert alert.state == AlertState.OPEN
    assert AlertStateChange.objects.count() == 1


def test_losing_a_race_returns_the_winners_alert(world, monkeypatch):
    # given: another process raised the alert after our read saw nothing
    winner = _raise(world)
    counts = (AlertStateChange.objects.count(), AuditEntry.objects.count(), Delivery.objects.count())
    from django.db.models.query import QuerySet

    real_first = QuerySet.first
    monkeypatch.setattr(QuerySet, "first", lambda qs: None if qs.model is SituationAlert else real_first(qs))
    # when
    loser = _raise(world)
    # then
    assert loser.pk == winner.pk
    counts_after = (AlertStateChange.objects.count(), AuditEntry.objects.count(), Delivery.objects.count())
    assert counts_after == counts


@pytest.mark.django_db(transaction=True)
def test_concurrent_raises_make_one_alert_on_postgresql(world):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("threads share no in-memory SQLite database; the race itself is tested above")
    barrier = threading.Barrier(4)
    results: list[int] = []

    def worker() -> None:
        from django.db import connections

        try:
            barrier.wait()
            results.append(_raise(world).pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    assert len(set(results)) == 1
    assert SituationAlert.objects.count() == 1
    assert AlertStateChange.objects.count() == 1
