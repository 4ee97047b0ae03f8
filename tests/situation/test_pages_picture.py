# ruff: noqa: F811  (the fixtures are imported from picture_world)
"""The picture pages: who may open them, what they show, the impact-level form, bad input."""

from __future__ import annotations

import pytest
from django.test import Client

from seemix.core.classification import Classification
from seemix.core.models import AuditEntry
from seemix.situation.models import ImpactAssessment
from tests.flows.conftest import MODEL_BACKEND
from tests.situation.picture_world import gazetteer, indicators, principal_of, report, world  # noqa: F401

pytestmark = pytest.mark.django_db

PAGES = [
    "/situation/?date=2015-10-21",
    "/situation/?date=2015-10-21&layer=occupancy",
    "/situation/country/SI/?date=2015-10-21",
    "/situation/border-section/HR-SI/?date=2015-10-21",
]


@pytest.fixture
def browser(make_user, world):
    def make(who: str) -> Client:
        client = Client()
        if who == "anonymous":
            return client
        if who == "nobody":
            user = make_user(username="nobody")
        else:
            code, role = who.split()
            user = make_user(code, role, username=f"{code.lower()}-{role}-page")
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return make


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize(
    ("_case", "who", "status"),
    [("anonymous", "anonymous", 302), ("no membership", "nobody", 403), ("member", "AT observer", 200)],
)
def test_page_access(url, _case, who, status, browser, report):
    report("SI", [("SI", "ARRIVALS", 12616, "")])
    response = browser(who).get(url)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/")
    if status != 200:
        assert b"12,616" not in response.content


def test_picture_page_shows_the_figures_and_map(browser, report, django_assert_max_num_queries):
    report("SI", [("SI", "ARRIVALS", 12616, "")])
    report("HR", [("HR", "ARRIVALS", 98765, "")], classification=Classification.RESTRICTED, audience=("SI",))
    client = browser("AT observer")
    with django_assert_max_num_queries(60):  # session, user, memberships, the picture, the map, panels
        response = client.get("/situation/?date=2015-10-21")
    page = response.content.decode()
    assert "Figures of 21 October 2015" in page
    assert "12,616" in page
    assert "98,765" not in page
    assert "98765" not in page
    assert 'id="picture-map-spec"' in page
    assert '<label for="id_date">Day</label>' in page
    assert "<legend>Shade countries by</legend>" in page
    assert "/situation/country/SI/?date=2015-10-21" in page


def test_unknown_country_or_section_is_404(browser, world):
    client = browser("AT observer")
    assert client.get("/situation/country/XX/").status_code == 404
    assert client.get("/situation/border-section/XX-YY/").status_code == 404


def test_bad_date_is_explained(browser, world):
    response = browser("AT observer").get("/situation/?date=21.10.2015&as_of=soon")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid date." in page
    assert "is not a timestamp: use ISO 8601" in page


FORM = {"day": "2015-10-21", "level": "critical", "reason": "Rigonce: 10,000 waiting overnight"}


@pytest.mark.parametrize(
    ("_case", "who", "status"),
    [
        ("anonymous", "anonymous", 302),
        ("no membership", "nobody", 403),
        ("other participant's coordinator", "RS coordinator", 403),
        ("right participant, wrong role", "SI analyst", 403),
        ("coordinator of one of the two countries", "SI coordinator", 302),
    ],
)
def test_set_level_form_access(_case, who, status, browser, report):
    response = browser(who).post("/situation/border-section/HR-SI/", FORM)
    assert response.status_code == status
    if status == 302 and who != "anonymous":
        assert response["Location"] == "/situation/border-section/HR-SI/?date=2015-10-21"
        row = ImpactAssessment.objects.get()
        assert (row.level, row.source, row.reason, row.participant.code) == (
            "critical", "manual", FORM["reason"], "SI",
        )  # fmt: skip
        assert AuditEntry.objects.filter(action="situation.impact_set").count() == 1
    else:
        assert not ImpactAssessment.objects.exists()


def test_set_level_form_only_shown_to_the_sections_coordinators(browser, report):
    report("SI", [("SI", "ARRIVALS", 12616, "")])
    assert (
        "Set the impact level"
        in browser("HR coordinator").get("/situation/border-section/HR-SI/").content.decode()
    )
    assert (
        "Set the impact level"
        not in browser("RS coordinator").get("/situation/border-section/HR-SI/").content.decode()
    )


def test_set_level_form_errors_name_the_field(browser, report):
    report("SI", [("SI", "ARRIVALS", 12616, "")])
    response = browser("SI coordinator").post("/situation/border-section/HR-SI/", {**FORM, "reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not ImpactAssessment.objects.exists()


def test_country_page_of_a_day_and_as_of(browser, report):
    report("SI", [("SI", "ARRIVALS", 12616, "")])
    page = (
        browser("AT observer")
        .get("/situation/country/SI/?date=2015-10-21&as_of=2015-10-22T08:00")
        .content.decode()
    )
    assert "as they were known at 2015-10-22 08:00 UTC" in page
    assert "12,616" not in page
