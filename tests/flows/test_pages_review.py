"""What a reporter meets on the flows pages when a request is not what the page expects: a moment that
is not one, a bad filter, a periodicity that does not exist; and the upload page's flag boxes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from seemix.flows.models import Observation
from tests.flows.conftest import MODEL_BACKEND
from tests.flows.out_data import make_revision

DAY = date(2016, 1, 10)


@pytest.fixture
def page_as(make_user: Any) -> Any:
    def make(code: str, role: str) -> Client:
        client = Client()
        client.force_login(make_user(code, role, username=f"{code}-{role}-review"), backend=MODEL_BACKEND)
        return client

    return make


@pytest.fixture
def serbia_report(flows_world: Any) -> Any:
    p = flows_world
    make_revision(
        p["RS"], DAY, [("ARRIVALS", "RS-MIRATOVAC", 6100)], submitted_at=datetime(2016, 1, 10, 20, tzinfo=UTC)
    )
    return make_revision(
        p["RS"], DAY, [("ARRIVALS", "RS-MIRATOVAC", 6150)], submitted_at=datetime(2016, 1, 11, 9, tzinfo=UTC)
    ).report


@pytest.mark.parametrize("as_of", ["2016-13-45 10:00", "yesterday"])
def test_a_moment_that_is_not_one_is_named_and_the_current_revision_shown(
    page_as: Any, serbia_report: Any, as_of: str
) -> None:
    # when
    response = page_as("HR", "analyst").get(f"/flows/reports/{serbia_report.pk}/", {"as_of": as_of})
    html = response.content.decode()
    # then
    assert response.status_code == 200
    assert (
        f"&#x27;{as_of}&#x27; is not a date and time: write it as YYYY-MM-DD HH:MM. The current revision is "
        "shown."
    ) in html
    assert "Figures of revision 2" in html
    assert "6150" in html


def test_the_as_of_field_names_the_pages_time_zone(page_as: Any, serbia_report: Any, settings: Any) -> None:
    # given
    settings.TIME_ZONE = "Europe/Belgrade"
    # when: 21:30 in Belgrade is 20:30 UTC, after the first revision (20:00 UTC) and before the second
    html = (
        page_as("HR", "analyst")
        .get(f"/flows/reports/{serbia_report.pk}/", {"as_of": "2016-01-10 21:30"})
        .content.decode()
    )
    # then
    assert "Show the report as it stood at (Europe/Belgrade, YYYY-MM-DD HH:MM)" in html
    assert "Figures of revision 1" in html


def test_a_bad_filter_of_the_figures_page_shows_its_reason_and_no_figures(
    page_as: Any, serbia_report: Any
) -> None:
    # when
    html = page_as("MK", "reporter").get("/flows/observations/", {"date_from": "2016-99-01"}).content.decode()
    # then
    assert "From: Enter a valid date." in html
    assert "6150" not in html
    assert "format=csv" not in html


def test_the_download_links_keep_the_filters_encoded(page_as: Any, serbia_report: Any) -> None:
    # when
    html = (
        page_as("MK", "reporter")
        .get(
            "/flows/observations/",
            {"place": "RS-MIRATOVAC", "date_from": "2016-01-10", "date_to": "2016-01-10"},
        )
        .content.decode()
    )
    # then
    assert "format=csv&amp;place=RS-MIRATOVAC&amp;date_from=2016-01-10&amp;date_to=2016-01-10" in html


def test_a_periodicity_that_does_not_exist_is_named(page_as: Any, serbia_report: Any) -> None:
    # when
    html = page_as("MK", "reporter").get("/flows/", {"periodicity": "weekly"}).content.decode()
    # then
    assert "&#x27;weekly&#x27; is not a periodicity: daily or monthly. Every report is shown." in html
    assert "1 report" in html


@pytest.mark.parametrize(
    ("boxes", "flags"),
    [
        ({}, [(False, False), (True, False)]),
        ({"estimate": "on", "provisional": "on"}, [(True, True), (True, True)]),
    ],
)
def test_the_upload_pages_boxes_mark_every_figure_of_the_file(
    page_as: Any, flows_world: Any, tmp_path: Path, boxes: dict[str, str], flags: list[tuple[bool, bool]]
) -> None:
    # given: a file whose second row is marked an estimate by its own column
    path = tmp_path / "figures.csv"
    path.write_text(
        "date,place,indicator,value,estimate\n2016-01-10,RS-SID,ARRIVALS,5000,0\n2016-01-10,RS-MIRATOVAC,ARRIVALS,6000,1\n",
        encoding="utf-8",
    )
    client = page_as("RS", "reporter")
    # when
    with path.open("rb") as handle:
        response = client.post("/flows/upload/", {"file": handle, "classification": "regional", **boxes})
    # then
    assert "2 figures accepted, 0 rows rejected." in response.content.decode()
    observations = Observation.objects.order_by("crossing_point__code")
    assert [o.crossing_point.code for o in observations] == ["RS-MIRATOVAC", "RS-SID"]
    assert [(o.is_estimate, o.is_provisional) for o in observations] == list(reversed(flags))


def test_the_upload_page_says_what_its_boxes_do(page_as: Any, flows_world: Any) -> None:
    html = page_as("RS", "reporter").get("/flows/upload/").content.decode()
    assert "Every figure of the file is an estimate" in html
    assert "Otherwise the file&#x27;s estimate and provisional columns say which figures are." in html
