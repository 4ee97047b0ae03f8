"""Reading reports and their revisions through the API; corrections; visibility by classification."""

from datetime import date

import pytest

from seemix.flows.models import Report, ReportRevision
from seemix.flows.services import correct_report, submit_observations
from tests.flows.conftest import counts, row


@pytest.fixture
def serbia(flows_world, principal_of):
    """A REGIONAL report of Serbia for 10 January 2016 and the reporter who made it."""
    reporter = principal_of("RS", "reporter")
    submit_observations(
        actor=reporter,
        participant=flows_world["RS"],
        rows=[row("RS-MIRATOVAC", 100)],
        source_note="Ministry of Interior",
    )
    return Report.objects.get(participant__code="RS")


@pytest.fixture
def restricted(flows_world, principal_of):
    """A RESTRICTED report of Croatia shared with Slovenia only."""
    reporter = principal_of("HR", "reporter")
    submit_observations(
        actor=reporter,
        participant=flows_world["HR"],
        rows=[row("HR-TOVARNIK", 40)],
        classification="restricted",
        audience=[flows_world["SI"]],
    )
    return Report.objects.get(participant__code="HR")


@pytest.mark.parametrize(
    ("who", "status"),
    # Administration grants no exemption (core.access): an administrator without membership reads PUBLIC only.
    [("anonymous", 401), ("nobody", 403), ("MK observer", 200), ("RS analyst", 200), ("admin", 404)],
)
def test_reading_a_regional_report(serbia, caller, who, status):
    # when
    response = caller(who).get(f"/api/v1/reports/{serbia.pk}")
    # then
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("MK reporter", 404), ("admin", 404), ("HR analyst", 200), ("SI observer", 200)],
)
def test_a_restricted_report_is_seen_by_its_participant_and_audience_only(restricted, caller, who, status):
    # when
    client = caller(who)
    detail = client.get(f"/api/v1/reports/{restricted.pk}")
    listed = client.get("/api/v1/reports").json()["items"]
    revision = client.get(f"/api/v1/reports/{restricted.pk}/revisions/1")
    # then
    assert detail.status_code == status
    assert revision.status_code == status
    assert [r["id"] for r in listed] == ([restricted.pk] if status == 200 else [])


def test_a_report_lists_its_revisions_with_who_and_when(serbia, caller, principal_of):
    # given a correction
    correct_report(
        serbia, actor=principal_of("RS", "coordinator"), rows=[row("RS-MIRATOVAC", 120)], note="late count"
    )
    # when
    data = caller("MK analyst").get(f"/api/v1/reports/{serbia.pk}").json()
    # then
    assert (data["participant"], data["periodicity"], data["period_start"]) == ("RS", "daily", "2016-01-10")
    first, second = data["revisions"]
    assert (first["number"], first["created_by"], first["source_note"], first["superseded_at"]) == (
        1,
        "p-rs-reporter",
        "Ministry of Interior",
        second["submitted_at"],
    )
    assert (second["number"], second["submitted_by"], second["note"], second["superseded_at"]) == (
        2,
        "p-rs-coordinator",
        "late count",
        None,
    )


def test_a_revision_holds_its_own_figures(serbia, caller, principal_of):
    # given
    correct_report(serbia, actor=principal_of("RS", "reporter"), rows=[row("RS-SID", 7)])
    client = caller("HR analyst")
    # when
    first = client.get(f"/api/v1/reports/{serbia.pk}/revisions/1").json()
    second = client.get(f"/api/v1/reports/{serbia.pk}/revisions/2").json()
    # then
    assert [(o["place"], o["value"]) for o in first["observations"]] == [("RS-MIRATOVAC", 100)]
    assert [(o["place"], o["value"]) for o in second["observations"]] == [
        ("RS-MIRATOVAC", 100),
        ("RS-SID", 7),
    ]
    assert client.get(f"/api/v1/reports/{serbia.pk}/revisions/3").status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("nobody", 403),
        ("MK reporter", 403),
        ("RS analyst", 403),
        ("RS observer", 403),
        ("RS reporter", 201),
        ("RS coordinator", 201),
    ],
)
def test_correcting_a_report(serbia, caller, who, status):
    # given
    client = caller(who)
    before = counts()
    # when
    response = client.post(
        f"/api/v1/reports/{serbia.pk}/revisions",
        {
            "note": "recount",
            "observations": [
                {"date": "2016-01-10", "indicator": "ARRIVALS", "place": "RS-MIRATOVAC", "value": 90}
            ],
        },
    )
    # then
    assert response.status_code == status, response.content
    if status == 201:
        assert [(r["number"], r["observations"]) for r in response.json()["revisions"]] == [(2, 1)]
        revision = ReportRevision.objects.get(report=serbia, number=2)
        assert (revision.classification, revision.source_note) == ("regional", "Ministry of Interior")
    else:
        assert counts() == before


def test_a_correction_outside_the_reports_day_is_refused(serbia, caller):
    # given
    reporter = caller("RS reporter")
    before = counts()
    # when
    response = reporter.post(
        f"/api/v1/reports/{serbia.pk}/revisions",
        {"observations": [{"date": "2016-01-11", "indicator": "ARRIVALS", "place": "RS-SID", "value": 9}]},
    )
    # then
    assert response.status_code == 422
    assert [(e["row"], e["field"], e["reason"]) for e in response.json()["errors"]] == [
        (1, "date", "2016-01-11 is outside the report's period (daily 2016-01-10)."),
    ]
    assert counts() == before


def test_reports_are_filtered_by_participant_and_period(serbia, restricted, caller):
    # when
    client = caller("SI analyst")
    everything = client.get("/api/v1/reports").json()
    serbian = client.get("/api/v1/reports", {"participant": "RS"}).json()
    later = client.get("/api/v1/reports", {"date_from": "2016-01-11"}).json()
    # then
    assert everything["count"] == 2
    assert [r["id"] for r in serbian["items"]] == [serbia.pk]
    assert later["count"] == 0
    assert client.get("/api/v1/reports", {"participant": "XX"}).status_code == 422


def test_a_draft_is_seen_by_its_participant_only_and_submitted_later(flows_world, caller):
    # given
    reporter = caller("RS reporter")
    saved = reporter.post(
        "/api/v1/reports",
        {
            "draft": True,
            "observations": [{"date": "2016-01-10", "indicator": "ARRIVALS", "place": "RS-SID", "value": 3}],
        },
    )
    report_id = saved.json()["revisions"][0]["report"]
    # when
    seen_by_neighbour = caller("MK analyst").get(f"/api/v1/reports/{report_id}")
    seen_by_colleague = caller("RS analyst").get(f"/api/v1/reports/{report_id}")
    submitted = reporter.post(f"/api/v1/reports/{report_id}/draft/submit")
    # then
    assert saved.status_code == 201
    assert seen_by_neighbour.status_code == 404
    assert seen_by_colleague.json()["revisions"][0]["status"] == "draft"
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    assert caller("MK analyst").get(f"/api/v1/reports/{report_id}").status_code == 200


def test_analysts_cannot_submit_a_draft(flows_world, caller, principal_of):
    # given
    submit_observations(
        actor=principal_of("RS", "reporter"),
        participant=flows_world["RS"],
        rows=[row("RS-SID", 3, day=date(2016, 1, 12))],
        as_draft=True,
    )
    report = Report.objects.get()
    analyst = caller("RS analyst")
    before = counts()
    # when
    response = analyst.post(f"/api/v1/reports/{report.pk}/draft/submit")
    # then
    assert response.status_code == 403
    assert counts() == before
    assert ReportRevision.objects.get().status == "draft"
