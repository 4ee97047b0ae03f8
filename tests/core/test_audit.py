"""The audit log: append-only, written in the change's transaction, carrying the request id."""

from __future__ import annotations

import pytest
from django.db import transaction

from seemix.core import audit
from seemix.core.models import AppendOnlyError, AuditEntry
from seemix.directory.models import Participant

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(participants):
    with transaction.atomic():
        return audit.record(None, "participant.created", participants["RS"], participant_code="RS")


def test_an_audit_entry_cannot_be_changed(entry):
    # when
    entry.action = "participant.deleted"
    with pytest.raises(AppendOnlyError):
        entry.save()
    # then
    assert AuditEntry.objects.get().action == "participant.created"


def test_an_audit_entry_cannot_be_deleted(entry):
    # when
    with pytest.raises(AppendOnlyError):
        entry.delete()
    # then
    assert AuditEntry.objects.count() == 1


def test_audit_entries_cannot_be_updated_or_deleted_in_bulk(entry):
    # when
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    # then
    assert list(AuditEntry.objects.values_list("action", flat=True)) == ["participant.created"]


def test_an_entry_records_actor_object_and_participant(entry):
    # then
    assert (entry.actor, entry.actor_label, entry.object_type, entry.object_repr) == (
        None,
        "system",
        "directory.participant",
        "Serbia (RS)",
    )
    assert entry.object_id == str(Participant.objects.get(code="RS").pk)


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused(participants):
    # when
    with pytest.raises(RuntimeError):
        audit.record(None, "participant.created", participants["RS"])
    # then
    assert AuditEntry.objects.count() == 0


def test_the_audit_row_carries_the_request_id_that_the_response_echoes(api, platform_admin, participants):
    # given
    client = api(platform_admin)
    # when
    response = client.post(
        "/api/v1/participants",
        {"code": "AL", "name": "Albania", "kind": "seecp"},
        **{"X-Request-ID": "ticket-4711-abc"},
    )
    # then
    assert response.status_code == 201
    assert response["X-Request-ID"] == "ticket-4711-abc"
    assert AuditEntry.objects.get(action="participant.created").request_id == "ticket-4711-abc"


def test_an_unsafe_request_id_is_replaced_by_a_generated_one(api, platform_admin, participants):
    # given
    client = api(platform_admin)
    # when
    response = client.post(
        "/api/v1/participants",
        {"code": "AL", "name": "Albania", "kind": "seecp"},
        **{"X-Request-ID": "<script>alert(1)</script>"},
    )
    # then
    generated = response["X-Request-ID"]
    assert generated != "<script>alert(1)</script>"
    assert len(generated) == 32
    assert AuditEntry.objects.get(action="participant.created").request_id == generated
