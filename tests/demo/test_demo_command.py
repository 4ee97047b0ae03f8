"""`seemix demo --no-serve` prepares a database whose printed logins work."""

from datetime import UTC, datetime

from django.core.management import call_command

from seemix.core.models import AuditEntry
from seemix.demo.users import DEMO_PARTICIPANTS, DEMO_PASSWORD, ROLES
from seemix.directory.models import ContactPoint, Membership, Participant
from seemix.flows.models import Observation
from seemix.gazetteer.models import CrossingPoint
from seemix.measures.models import Measure
from seemix.outbox.models import Delivery
from seemix.situation.models import ImpactAssessment, SituationAlert


def test_the_demo_prepares_participants_gazetteer_and_one_user_per_role(db, capsys, client):
    # when
    call_command("demo", no_serve=True)
    # then
    out = capsys.readouterr().out
    assert f"password for all: {DEMO_PASSWORD}" in out
    assert "rs-coordinator" in out
    assert Participant.objects.filter(code__in=["GR", "MK", "RS", "HR", "SI", "AT", "RCC"]).count() == 7
    assert CrossingPoint.objects.filter(code__startswith="MK-").exists()
    for code in DEMO_PARTICIPANTS:
        for role in ROLES:
            assert Membership.objects.filter(
                user__username=f"{code.lower()}-{role}", participant__code=code, role=role
            ).exists()
    assert ContactPoint.objects.filter(classification="restricted", participant__code="RS").count() == 1
    # the real 2015-16 arrivals and measures
    assert "Daily arrivals 2015-16 loaded" in out
    assert (
        Observation.objects.filter(revision__report__participant__code="MK", date="2015-10-01").get().value
        == 4370
    )
    assert Measure.objects.filter(
        issuer__code="HU",
        planned_start__range=(datetime(2015, 9, 14, tzinfo=UTC), datetime(2015, 9, 16, tzinfo=UTC)),
    ).exists()
    # the picture of every day of the period: impact levels and the alerts of the time, not emailed
    assert "Picture of 201 days" in out
    assert (
        ImpactAssessment.objects.filter(day="2015-10-21", border_section__code="HR-HU").get().level == "high"
    )
    surge = SituationAlert.objects.get(kind="surge", key="surge:SI:2015-10-21")
    assert surge.evidence["value"] == 12616
    assert SituationAlert.objects.filter(
        kind="reconciliation", title__startswith="Sustained discrepancy: RS's entries at MK-RS, 2015-10-02"
    ).exists()
    assert not SituationAlert.objects.filter(kind="reconciliation", day__gt="2016-03-08").exists()
    assert not Delivery.objects.filter(event="situation.alert").exists()
    # a printed login signs in (one demo database for both checks: preparing it takes a while)
    response = client.post("/accounts/login/", {"username": "hr-reporter", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Croatia" in home.content.decode()


def test_running_the_demo_twice_changes_nothing(db):
    call_command("demo", no_serve=True)
    counts = (
        Membership.objects.count(),
        ContactPoint.objects.count(),
        AuditEntry.objects.count(),
        SituationAlert.objects.count(),
    )
    call_command("demo", no_serve=True)
    assert (
        Membership.objects.count(),
        ContactPoint.objects.count(),
        AuditEntry.objects.count(),
        SituationAlert.objects.count(),
    ) == counts
