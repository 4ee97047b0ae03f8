"""POST /reports: bulk submission through the API, authorisation, problems, idempotency."""

import pytest

from seemix.flows.models import Observation, Report, ReportRevision
from tests.flows.conftest import SessionApiClient, counts

DAY = "2016-01-10"


def body(*observations, **extra):
    return {"observations": list(observations), **extra}


def obs(place="RS-MIRATOVAC", value=100, *, date=DAY, indicator="ARRIVALS", **extra):
    return {"date": date, "indicator": indicator, "place": place, "value": value, **extra}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", 401),
        ("nobody", 403),
        ("MK reporter", 403),
        ("RS analyst", 403),
        ("RS observer", 403),
        ("admin", 403),
        ("admin session", 403),
        ("RS reporter", 201),
        ("RS coordinator", 201),
    ],
)
def test_submitting_for_serbia_needs_a_serbian_reporter_or_coordinator(
    flows_world, caller, platform_admin, who, status
):
    # given
    client = SessionApiClient(platform_admin) if who == "admin session" else caller(who)
    before = counts()
    # when
    response = client.post("/api/v1/reports", body(obs(), participant="RS"))
    # then
    assert response.status_code == status, response.content
    if status == 201:
        assert response.json()["accepted"] == 1
        assert Observation.objects.count() == 1
    else:
        assert counts() == before
    if who.startswith("admin"):
        assert response.json()["detail"] == "Only the reporters and coordinators of RS submit its figures."


def test_a_submission_answers_with_its_revisions(flows_world, caller):
    # given
    client = caller("RS reporter")
    # when
    response = client.post("/api/v1/reports", body(obs(), obs("RS-SID", 80, date="2016-01-11")))
    # then
    assert response.status_code == 201
    data = response.json()
    reports = {r.period_start.isoformat(): r.pk for r in Report.objects.all()}
    assert [
        (r["period_start"], r["report"], r["number"], r["status"], r["observations"])
        for r in data["revisions"]
    ] == [
        ("2016-01-10", reports["2016-01-10"], 1, "submitted", 1),
        ("2016-01-11", reports["2016-01-11"], 1, "submitted", 1),
    ]
    assert (data["accepted"], data["rejected"], data["problems"]) == (2, 0, [])


def test_a_submission_with_errors_answers_422_listing_every_problem_and_writes_nothing(flows_world, caller):
    # given
    client = caller("RS reporter")
    before = counts()
    # when
    response = client.post("/api/v1/reports", body(obs(), obs("Tabanovca", 5), obs("RS-SID", -1)))
    # then
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    data = response.json()
    assert (data["title"], data["detail"]) == ("Invalid input", "2 errors: nothing was written.")
    assert [(e["row"], e["field"], e["value"], e["reason"], e["suggestion"]) for e in data["errors"]] == [
        (
            2,
            "place",
            "Tabanovca",
            "There is no crossing point, site, border section or country 'Tabanovca'.",
            "Did you mean Tabanovce (MK-TABANOVCE)?",
        ),
        (3, "value", "-1", "A count cannot be negative.", ""),
    ]
    assert counts() == before


def test_row_by_row_keeps_the_good_rows(flows_world, caller):
    # given
    client = caller("RS reporter")
    # when
    response = client.post("/api/v1/reports?row_by_row=true", body(obs(), obs("RS-SID", -1)))
    # then
    assert response.status_code == 201
    data = response.json()
    assert (data["accepted"], data["rejected"]) == (1, 1)
    assert [(p["row"], p["field"], p["severity"]) for p in data["problems"]] == [(2, "value", "error")]
    assert Observation.objects.count() == 1


def test_row_by_row_with_no_good_row_answers_422(flows_world, caller):
    # given
    client = caller("RS reporter")
    before = counts()
    # when
    response = client.post("/api/v1/reports?row_by_row=true", body(obs("RS-SID", -1)))
    # then
    assert response.status_code == 422
    assert counts() == before


def test_a_retry_with_the_same_idempotency_key_changes_nothing(flows_world, caller):
    # given
    client = caller("RS reporter")
    first = client.post("/api/v1/reports", body(obs()), **{"Idempotency-Key": "2016-01-10-rs"})
    before = counts()
    # when
    again = client.post("/api/v1/reports", body(obs()), **{"Idempotency-Key": "2016-01-10-rs"})
    other = client.post("/api/v1/reports", body(obs(value=7)), **{"Idempotency-Key": "2016-01-10-rs"})
    # then
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert again.json() == first.json()
    assert other["Content-Type"] == "application/problem+json"
    assert counts() == before


def test_another_participant_keeps_its_own_idempotency_keys(flows_world, caller):
    # given
    caller("RS reporter").post("/api/v1/reports", body(obs()), **{"Idempotency-Key": "k"})
    # when
    response = caller("MK reporter").post(
        "/api/v1/reports", body(obs("MK-TABANOVCE", 5)), **{"Idempotency-Key": "k"}
    )
    # then
    assert response.status_code == 201
    assert ReportRevision.objects.count() == 2


def test_a_resubmission_of_a_day_is_a_new_revision(flows_world, caller):
    # given
    client = caller("RS reporter")
    client.post("/api/v1/reports", body(obs()))
    # when
    response = client.post("/api/v1/reports", body(obs("RS-SID", 4)))
    # then
    assert [(r["number"], r["observations"]) for r in response.json()["revisions"]] == [(2, 2)]
    assert list(ReportRevision.objects.order_by("number").values_list("superseded_at", flat=True))[1] is None


def test_a_submission_for_an_unknown_participant_is_refused(flows_world, caller):
    response = caller("RS reporter").post("/api/v1/reports", body(obs(), participant="QQ"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "participant"


def test_a_restricted_submission_names_its_audience(flows_world, caller):
    # when
    response = caller("RS reporter").post(
        "/api/v1/reports", body(obs(), classification="restricted", audience=["HR", "SI"])
    )
    # then
    assert response.status_code == 201
    revision = ReportRevision.objects.get()
    assert (revision.classification, sorted(p.code for p in revision.audience.all())) == (
        "restricted",
        ["HR", "SI"],
    )


def test_a_source_note_with_mixed_scripts_is_refused(flows_world, caller):
    response = caller("RS reporter").post("/api/v1/reports", body(obs(), source_note="MUP Srbij\u0435"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "source_note"


def test_an_empty_submission_is_refused(flows_world, caller):
    response = caller("RS reporter").post("/api/v1/reports", body())
    assert response.status_code == 422
    assert response.json()["errors"][0]["reason"] == "The submission holds no figures."
