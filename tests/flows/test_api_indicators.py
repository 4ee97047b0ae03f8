"""The indicator catalogue through the API and the admin: read by members, written by administrators."""

import pytest
from django.test import Client

from seemix.core.models import AuditEntry
from seemix.flows.models import Indicator

NEW = {"code": "FRAN-8", "name": "Detections on exit", "definition": "Persons detected leaving illegally.",
       "periodicity": "monthly", "allowed_breakdowns": ["nationality"]}  # fmt: skip


def snapshot():
    return (
        list(Indicator.objects.order_by("code").values_list("code", "name", "unit")),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("nobody", 403), ("RS observer", 200), ("admin", 200)]
)
def test_reading_the_catalogue(indicators, caller, who, status):
    # when
    client = caller(who)
    response = client.get("/api/v1/indicators", {"periodicity": "daily"})
    one = client.get("/api/v1/indicators/EXITS")
    # then
    assert response.status_code == status
    assert one.status_code == status
    if status == 200:
        assert [i["code"] for i in response.json()["items"]] == [
            "ARRIVALS",
            "EXITS",
            "PRESENT",
            "REGISTRATIONS",
            "STRANDED",
        ]
        assert one.json()["needs_counterpart"] is True


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("nobody", 403), ("RS coordinator", 403), ("admin", 201)]
)
def test_adding_an_indicator(indicators, caller, who, status):
    # given
    client = caller(who)
    before = snapshot()
    # when
    response = client.post("/api/v1/indicators", NEW)
    # then
    assert response.status_code == status
    if status == 201:
        assert response.json()["code"] == "FRAN-8"
        assert AuditEntry.objects.first().action == "flows.indicator.created"
    else:
        assert snapshot() == before


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("nobody", 403), ("RS coordinator", 403), ("admin", 200)]
)
def test_changing_an_indicator(indicators, caller, who, status):
    # given
    client = caller(who)
    before = snapshot()
    # when
    response = client.patch("/api/v1/indicators/FRAN-2", {"unit": "facilitators"})
    # then
    assert response.status_code == status
    if status == 200:
        assert Indicator.objects.get(code="FRAN-2").unit == "facilitators"
        entry = AuditEntry.objects.first()
        assert (entry.action, entry.changes) == (
            "flows.indicator.updated",
            {"unit": ["persons", "facilitators"]},
        )
    else:
        assert snapshot() == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**NEW, "code": "ARRIVALS"}, "code"),
        ({**NEW, "code": "fran 8"}, "code"),
        ({**NEW, "allowed_breakdowns": ["religion"]}, "allowed_breakdowns"),
        ({**NEW, "name": " "}, "name"),
    ],
)
def test_a_bad_indicator_is_refused_and_nothing_written(indicators, caller, payload, field):
    # given
    client = caller("admin")
    before = snapshot()
    # when
    response = client.post("/api/v1/indicators", payload)
    # then
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert snapshot() == before


def test_the_periodicity_of_an_indicator_never_changes(indicators, caller):
    # when
    response = caller("admin").patch("/api/v1/indicators/ARRIVALS", {"periodicity": "monthly"})
    # then
    assert response.status_code == 200
    assert Indicator.objects.get(code="ARRIVALS").periodicity == "daily"


def test_administrators_edit_indicators_in_the_admin_with_an_audit_row(indicators, platform_admin):
    # given
    client = Client()
    client.force_login(platform_admin, backend="django.contrib.auth.backends.ModelBackend")
    indicator = Indicator.objects.get(code="STRANDED")
    form = {
        "name": "Stranded at a border crossing", "definition": indicator.definition, "unit": "persons",
        "allowed_breakdowns": '["nationality"]', "source": indicator.source, "is_active": "on",
    }  # fmt: skip
    # when
    response = client.post(f"/admin/flows/indicator/{indicator.pk}/change/", form)
    # then
    assert response.status_code == 302, response.content.decode()[:2000]
    indicator.refresh_from_db()
    assert (indicator.name, indicator.allowed_breakdowns) == (
        "Stranded at a border crossing",
        ["nationality"],
    )
    entry = AuditEntry.objects.first()
    assert (entry.action, entry.actor_label) == ("flows.indicator.updated", "platform-admin")
