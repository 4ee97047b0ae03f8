"""Who may open which flows page, and what a refused request leaves behind (nothing)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from tests.flows.conftest import MODEL_BACKEND, counts
from tests.flows.out_data import make_revision

DAY = date(2016, 1, 10)
GRID = f"/flows/grid/RS/{DAY.isoformat()}/"


@pytest.fixture
def browser(make_user, request):
    """browser(who): "anonymous", "nobody" (signed in, no membership), "admin", or "<code> <role>"."""

    def make(who: str) -> Client:
        client = Client()
        if who == "anonymous":
            return client
        if who == "nobody":
            user = make_user(username="nobody")
        elif who == "admin":
            user = request.getfixturevalue("platform_admin")
        else:
            code, role = who.split()
            user = make_user(code, role, username=f"{code.lower()}-{role}-page")
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return make


@pytest.fixture
def reports(flows_world):
    p = flows_world
    return {
        "rs": make_revision(p["RS"], DAY, [("ARRIVALS", "RS-MIRATOVAC", 6100)]).report,
        "gr-restricted": make_revision(
            p["GR"], DAY, [("ARRIVALS", "GR-IDOMENI", 777)], classification="restricted", audience=[p["HR"]]
        ).report,
    }


def pages(reports) -> list[str]:
    return [
        "/flows/",
        f"/flows/reports/{reports['rs'].pk}/",
        "/flows/grid/",
        GRID,
        "/flows/upload/",
        "/flows/observations/",
        "/flows/observations/export?format=csv",
        "/flows/status/",
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(browser, reports):
    for path in pages(reports):
        # when
        response = browser("anonymous").get(path)
        # then
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/?next=/flows/"), path


def test_users_without_membership_are_refused_every_page(browser, reports):
    # given
    client = browser("nobody")
    for path in pages(reports):
        # when
        response = client.get(path)
        # then
        assert response.status_code == 403, path


@pytest.mark.parametrize("who", ["RS reporter", "RS coordinator"])
def test_submitters_open_every_page(who, browser, reports):
    # given
    client = browser(who)
    for path in pages(reports):
        # when
        response = client.get(path, follow=path == "/flows/grid/")
        # then
        assert response.status_code == 200, path


@pytest.mark.parametrize("who", ["RS analyst", "RS observer", "RCC analyst", "admin"])
def test_readers_open_the_reading_pages_but_not_the_ways_in(who, browser, reports):
    # given
    client = browser(who)
    for path in pages(reports):
        # when
        response = client.get(path)
        # then
        expected = 403 if path in ("/flows/grid/", GRID, "/flows/upload/") else 200
        if who == "admin" and path.startswith("/flows/reports/"):
            # Administration grants no reading of shared figures: without a membership, only PUBLIC ones.
            expected = 404
        assert response.status_code == expected, (path, response.status_code)


def test_another_participants_restricted_report_is_not_found(browser, reports):
    # given
    path = f"/flows/reports/{reports['gr-restricted'].pk}/"
    # when
    outsider = browser("RS reporter").get(path)
    audience = browser("HR analyst").get(path)
    owner = browser("GR reporter").get(path)
    # then
    assert outsider.status_code == 404
    assert audience.status_code == 200
    assert owner.status_code == 200
    assert "777" in audience.content.decode()


def test_a_missing_report_is_not_found_alike(browser, reports):
    # when
    response = browser("RS reporter").get("/flows/reports/999999/")
    # then
    assert response.status_code == 404


def test_restricted_figures_stay_off_the_observations_page(browser, reports):
    # when
    html = browser("RS reporter").get("/flows/observations/", {"date_from": "2016-01-01"}).content.decode()
    # then
    assert "6100" in html
    assert "777" not in html


@pytest.mark.parametrize(
    ("who", "status"), [("RS analyst", 403), ("RS observer", 403), ("MK reporter", 403), ("admin", 403)]
)
def test_only_the_participants_submitters_may_submit_its_grid(who, status, browser, reports):
    # given
    client = browser(who)
    before = counts()
    # when
    response = client.post(
        GRID, {"cell__RS-SID__ARRIVALS": "5000", "classification": "regional", "submit": "1"}
    )
    # then
    assert response.status_code == status
    assert counts() == before


@pytest.mark.parametrize("who", ["RS analyst", "RCC analyst", "admin"])
def test_readers_may_not_upload(who, browser, reports, tmp_path):
    # given
    client = browser(who)
    before = counts()
    path = tmp_path / "figures.csv"
    path.write_text("date,place,indicator,value\n2016-01-10,RS-SID,ARRIVALS,5000\n")
    # when
    with path.open("rb") as handle:
        response = client.post(
            "/flows/upload/", {"file": handle, "classification": "regional", "participant": "RS"}
        )
    # then
    assert response.status_code == 403
    assert counts() == before


def test_a_reporter_may_not_upload_for_another_participant(browser, reports, tmp_path):
    # given
    client = browser("MK reporter")
    before = counts()
    path = tmp_path / "figures.csv"
    path.write_text("date,place,indicator,value\n2016-01-10,RS-SID,ARRIVALS,5000\n")
    # when
    with path.open("rb") as handle:
        response = client.post(
            "/flows/upload/", {"file": handle, "classification": "regional", "participant": "RS"}
        )
    # then
    assert response.status_code == 403
    assert counts() == before


def test_an_unknown_participant_grid_is_not_found(browser, reports):
    # when
    response = browser("RS reporter").get("/flows/grid/ZZ/2016-01-10/")
    # then
    assert response.status_code == 404
