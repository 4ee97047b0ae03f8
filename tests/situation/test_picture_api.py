# ruff: noqa: F811  (the fixtures are imported from picture_world)
"""GET /api/v1/situation and the impact-level endpoints: answers, errors, who may call them."""

from __future__ import annotations

import pytest

from seemix.core.classification import Classification
from seemix.core.models import AuditEntry
from seemix.situation.models import ImpactAssessment
from tests.flows.conftest import caller  # noqa: F401
from tests.situation.picture_world import gazetteer, indicators, principal_of, report, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("_case", "who", "status"),
    [("anonymous", "anonymous", 401), ("no membership", "nobody", 403), ("member", "MK observer", 200)],
)
def test_picture_access(_case, who, status, caller, report):
    report("RS", [("RS", "ARRIVALS", 6850, "")])
    response = caller(who).get("/api/v1/situation")
    assert response.status_code == status
    if status != 200:
        assert response["Content-Type"] == "application/problem+json"
        assert "6850" not in response.content.decode()


def test_picture_answer_for_a_day(caller, report, django_assert_max_num_queries):
    # given
    report("RS", [("RS", "ARRIVALS", 6850, ""), ("RS-SID", "EXITS", 6000, "HR")])
    report("HR", [("HR", "ARRIVALS", 99, "")], classification=Classification.RESTRICTED, audience=("SI",))
    client = caller("MK observer")
    # when
    with django_assert_max_num_queries(22):  # the picture's 15 and the token's look-ups
        response = client.get("/api/v1/situation", {"date": "2015-10-21"})
    # then
    assert response.status_code == 200
    body = response.json()
    assert body["date"] == "2015-10-21"
    assert body["totals"]["arrivals"] == 6850
    countries = {c["code"]: c for c in body["countries"]}
    assert countries["RS"]["exits_by_destination"] == {"HR": 6000}
    assert countries["HR"]["arrivals"] is None
    section = next(s for s in body["border_sections"] if s["code"] == "HR-RS")
    assert section["directions"][0]["counted_by_origin"] == 6000
    assert {f["participant"]: f["days_behind"] for f in body["freshness"]}["RS"] == 0


def test_picture_as_of_before_anything_was_reported(caller, report):
    report("RS", [("RS", "ARRIVALS", 6850, "")])
    body = caller("MK observer").get("/api/v1/situation", {"as_of": "2001-01-01T00:00:00Z"}).json()
    assert body["date"] is None
    assert body["totals"]["arrivals"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [({"date": "21.10.2015"}, "date"), ({"date": "2015-02-30"}, "date"), ({"as_of": "yesterday"}, "as_of")],
)
def test_bad_dates_are_problems_naming_the_field(params, field, caller, world):
    response = caller("MK observer").get("/api/v1/situation", params)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == [field]
    assert "YYYY-MM-DD" in problem["detail"] or "ISO 8601" in problem["detail"]


BODY = {"day": "2015-10-21", "level": "high", "reason": "4,000 people waiting at Berkasovo in the rain"}


@pytest.mark.parametrize(
    ("_case", "who", "status"),
    [
        ("anonymous", "anonymous", 401),
        ("no membership", "nobody", 403),
        ("other participant's coordinator", "SI coordinator", 403),
        ("right participant, wrong role", "RS reporter", 403),
        ("coordinator of one of the two countries", "RS coordinator", 201),
        ("coordinator of the other country", "HR coordinator", 201),
    ],
)
def test_set_impact_level_access(_case, who, status, caller, world):
    response = caller(who).post("/api/v1/situation/border-sections/HR-RS/impact", BODY)
    assert response.status_code == status
    if status == 201:
        body = response.json()
        assert (body["level"], body["source"], body["participant"]) == ("high", "manual", who.split()[0])
        assert body["reason"] == BODY["reason"]
        assert AuditEntry.objects.filter(action="situation.impact_set").count() == 1
    else:
        assert not ImpactAssessment.objects.exists()
        assert not AuditEntry.objects.filter(action="situation.impact_set").exists()


def test_set_impact_level_bad_input_names_the_fields(caller, world):
    response = caller("RS coordinator").post(
        "/api/v1/situation/border-sections/RS-HR/impact", {**BODY, "level": "severe", "reason": " "}
    )
    assert response.status_code == 422
    assert sorted(e["field"] for e in response.json()["errors"]) == ["level", "reason"]
    assert not ImpactAssessment.objects.exists()


@pytest.mark.parametrize(
    ("_case", "who", "status"),
    [("anonymous", "anonymous", 401), ("no membership", "nobody", 403), ("member", "AT observer", 200)],
)
def test_impact_history_access(_case, who, status, caller, world):
    caller("RS coordinator").post("/api/v1/situation/border-sections/HR-RS/impact", BODY)
    response = caller(who).get("/api/v1/situation/border-sections/HR-RS/impact")
    assert response.status_code == status
    if status == 200:
        [row] = response.json()
        assert (row["border_section"], row["day"], row["level"]) == ("HR-RS", "2015-10-21", "high")


def test_impact_history_of_an_unknown_section_is_404(caller, world):
    assert caller("AT observer").get("/api/v1/situation/border-sections/XX-YY/impact").status_code == 404
