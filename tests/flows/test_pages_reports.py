"""The reports list, a report's page (revisions, who and when, as of), the figures page with its
download menu, and the reporting status page."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.test import Client

from tests.flows.conftest import MODEL_BACKEND
from tests.flows.out_data import make_revision

DAY = date(2016, 1, 10)


@pytest.fixture
def page_as(make_user):
    def make(code: str, role: str) -> Client:
        client = Client()
        client.force_login(make_user(code, role, username=f"{code}-{role}-reports"), backend=MODEL_BACKEND)
        return client

    return make


@pytest.fixture
def serbia_report(flows_world, make_user):
    rade = make_user(username="rade")
    p = flows_world
    make_revision(p["RS"], DAY, [("ARRIVALS", "RS-MIRATOVAC", 6100)], user=rade,
                  submitted_at=datetime(2016, 1, 10, 20, tzinfo=UTC))  # fmt: skip
    correction = make_revision(
        p["RS"], DAY, [("ARRIVALS", "RS-MIRATOVAC", 6150)], user=rade, note="Late count from Preševo",
        submitted_at=datetime(2016, 1, 11, 9, tzinfo=UTC),
    )  # fmt: skip
    return correction.report


def test_the_reports_list_shows_the_reports_shared_with_the_user(page_as, serbia_report, flows_world):
    # given
    make_revision(flows_world["GR"], DAY, [("ARRIVALS", "GR-IDOMENI", 777)], classification="restricted")
    # when
    html = page_as("MK", "analyst").get("/flows/").content.decode()
    # then
    assert f'href="/flows/reports/{serbia_report.pk}/"' in html
    assert "Serbia" in html
    assert "Greece" not in html
    assert "1 report" in html


def test_a_report_page_lists_every_revision_with_who_and_when(page_as, serbia_report):
    # when
    html = page_as("HR", "analyst").get(f"/flows/reports/{serbia_report.pk}/").content.decode()
    # then
    assert html.count("<td>rade</td>") == 2
    assert "Late count from Preševo" in html
    assert "Figures of revision 2" in html
    assert "6150" in html
    assert "6100" not in html


def test_a_report_as_of_a_past_moment_shows_the_revision_of_then(page_as, serbia_report):
    # when
    html = (
        page_as("HR", "analyst")
        .get(f"/flows/reports/{serbia_report.pk}/", {"as_of": "2016-01-10 23:00"})
        .content.decode()
    )
    # then
    assert "Figures of revision 1" in html
    assert "6100" in html
    assert "6150" not in html


def test_a_report_offers_its_downloads_and_its_reporters_a_correction(page_as, serbia_report):
    # when
    as_reporter = page_as("RS", "reporter").get(f"/flows/reports/{serbia_report.pk}/").content.decode()
    as_analyst = page_as("HR", "analyst").get(f"/flows/reports/{serbia_report.pk}/").content.decode()
    # then
    for fmt in ("csv", "xlsx", "hxl", "sdmx-csv", "sdmx-ml", "json"):
        assert (
            f"/flows/observations/export?format={fmt}&amp;participant=RS&amp;date_from=2016-01-10"
            in as_analyst
        )
    assert 'href="/flows/grid/RS/2016-01-10/"' in as_reporter
    assert 'href="/flows/grid/RS/2016-01-10/"' not in as_analyst


def test_the_download_of_a_page_holds_the_figures_the_page_shows(page_as, serbia_report):
    # when
    response = page_as("HR", "analyst").get(
        "/flows/observations/export", {"format": "csv", "participant": "RS", "date_from": "2016-01-10"}
    )
    # then
    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.count("\r\n") == 2
    assert ",6150," in body


def test_a_bad_download_filter_returns_to_the_figures_page_with_the_reason(page_as, serbia_report):
    # when
    response = page_as("HR", "analyst").get(
        "/flows/observations/export", {"format": "csv", "indicator": "ARIVALS"}, follow=True
    )
    # then
    assert response.redirect_chain[-1][0].startswith("/flows/observations/?")
    assert "Did you mean ARRIVALS?" in response.content.decode()


def test_the_figures_page_filters_and_offers_the_same_downloads(page_as, serbia_report):
    # when
    response = page_as("MK", "reporter").get(
        "/flows/observations/", {"participant": "RS", "date_from": "2016-01-01"}
    )
    html = response.content.decode()
    # then
    assert response.status_code == 200
    assert "6150" in html
    assert "format=sdmx-ml&amp;participant=RS&amp;date_from=2016-01-01" in html


def test_the_figures_page_names_a_bad_filter(page_as, serbia_report):
    # when
    html = page_as("MK", "reporter").get("/flows/observations/", {"place": "Tabanovse"}).content.decode()
    # then
    assert "place: There is no single place" in html


def test_the_status_page_shows_each_participant_and_day(page_as, serbia_report, settings):
    # given
    settings.TIME_ZONE = "UTC"
    # when
    html = (
        page_as("MK", "observer")
        .get("/flows/status/", {"periodicity": "daily", "date_from": "2016-01-10", "date_to": "2016-01-11"})
        .content.decode()
    )
    # then
    assert '<td class="state state-reported"' in html
    assert html.count('<td class="state state-missing"') == 11  # 6 states x 2 days, less Serbia's report
    assert "Regional Cooperation Council" not in html


def test_the_status_page_explains_a_bad_period(page_as, flows_world):
    # when
    html = (
        page_as("MK", "observer")
        .get("/flows/status/", {"date_from": "2016-02-10", "date_to": "2016-01-11"})
        .content.decode()
    )
    # then
    assert "The start date is after the end date." in html


def test_the_figures_page_opens_on_the_latest_week_with_figures(flows_world, make_user):
    # given: Serbia's figures of January 2016 only, read in the present
    from django.test import Client

    from seemix.flows.inputs import ObservationInput, SourceLocation
    from seemix.flows.services import submit_observations

    submit_observations(
        actor=None,
        participant=flows_world["RS"],
        rows=[ObservationInput(SourceLocation("t"), date(2016, 1, 10), "ARRIVALS", "RS-SID", 5123)],
        classification="public",
    )
    client = Client()
    client.force_login(make_user("HR", "analyst"), backend="django.contrib.auth.backends.ModelBackend")
    # when
    html = client.get("/flows/observations/").content.decode()
    # then
    assert "5123" in html or "5,123" in html
