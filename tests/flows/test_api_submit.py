"""POST /reports: bulk submission through the API, authorisation, problems, idempotency."""

import pytest

from seemix.flows.models import Observation, Report, ReportRevision
from tests.flows.conftest import counts

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
        ("RS reporter", 201),
        ("RS coordinator", 201),
    ],
)
def test_submitting_for_serbia_needs_a_serbian_reporter_or_coordinator(flows_world, caller, who, status):
    # given
    client = caller(who)
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


def test_a_submission_answers_with_its_revisions(flows_world, caller):
    # given
    client = caller("RS reporter")
    # when
    response = client.post("/api/v1/reports", body(obs(), obs("RS-SID", 80, date="2016-01-11")))
    # then
    assert response.status_code == 201
    data = response.json()
    reports = {r.period_start.isoformat(): r.pk for r in Report.objects.all()}
    assert [(r["period_start"], r["report"], r["number"], r["status"], r["observations"]) for r in data["revisions"]] == [
        ("2016-01-10", reports["2016-01-10"], 1, "submitted", 1),
        ("2016-01-11", reports["2016-01-11"], 1, "submitted", 1),
    ]
    assert (data["accepted"], data["rejected"], data["problems"]) == (2, 0, [])
