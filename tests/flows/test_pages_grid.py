"""The day's grid and the upload page: figures in through the one validation path, problems shown
where they are."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from seemix.flows.models import Observation, Report, ReportRevision
from tests.flows.conftest import MODEL_BACKEND, counts

DAY = date(2016, 1, 10)
GRID = f"/flows/grid/RS/{DAY.isoformat()}/"


@pytest.fixture
def reporter(flows_world, make_user):
    client = Client()
    client.force_login(make_user("RS", "reporter", username="rs-rep"), backend=MODEL_BACKEND)
    return client


def current_values(code: str = "RS") -> dict[tuple[str, str], int | None]:
    rows = Observation.objects.filter(
        revision__participant__code=code, revision__status="submitted", revision__superseded_at__isnull=True
    ).values_list("crossing_point__code", "site__code", "country_id", "indicator__code", "value")
    return {(cp or site or country, indicator): value for cp, site, country, indicator, value in rows}


def test_the_grid_has_a_row_per_place_and_a_column_per_daily_indicator(reporter):
    # when
    response = reporter.get(GRID)
    html = response.content.decode()
    # then
    assert response.status_code == 200
    for place in ("RS-MIRATOVAC", "RS-SID", "RS-BERKASOVO", "RS-HORGOS", "RS-PRESEVO"):
        assert f'name="cell__{place}__ARRIVALS"' in html
    assert 'name="cell__RS__ARRIVALS"' in html  # the country as a whole
    for indicator in ("ARRIVALS", "EXITS", "PRESENT", "STRANDED", "REGISTRATIONS"):
        assert f'id="col-{indicator}"' in html
    assert "FRAN-1A" not in html  # monthly indicators are not in a day's grid
    assert 'name="cell__RS-SID__EXITS"' in html  # exits at Šid go to Croatia
    assert 'name="cell__RS-PRESEVO__EXITS"' not in html  # a site has no destination country


def test_a_reporter_submits_the_day(reporter):
    # when
    response = reporter.post(GRID, {
        "cell__RS-MIRATOVAC__ARRIVALS": "6211", "cell__RS-SID__EXITS": "5980",
        "cell__RS-PRESEVO__PRESENT": "N/A", "classification": "regional",
        "source_note": "Border police daily sheet", "submit": "1",
    })  # fmt: skip
    # then
    assert response.status_code == 302
    assert response["Location"] == GRID
    assert current_values() == {
        ("RS-MIRATOVAC", "ARRIVALS"): 6211, ("RS-SID", "EXITS"): 5980, ("RS-PRESEVO", "PRESENT"): None,
    }  # fmt: skip
    revision = ReportRevision.objects.get()
    assert (revision.status, revision.channel, revision.source_note) == (
        "submitted",
        "form",
        "Border police daily sheet",
    )
    assert Observation.objects.get(indicator__code="EXITS").counterpart_country_id == "HR"
    assert "The report of 2016-01-10 is submitted." in reporter.get(GRID).content.decode()


def test_a_draft_is_saved_shown_again_then_submitted(reporter):
    # given
    reporter.post(GRID, {"cell__RS-MIRATOVAC__ARRIVALS": "6000", "classification": "regional", "save": "1"})
    # when
    html = reporter.get(GRID).content.decode()
    response = reporter.post(GRID, {
        "cell__RS-MIRATOVAC__ARRIVALS": "6001", "cell__RS-HORGOS__STRANDED": "120",
        "classification": "regional", "submit": "1",
    })  # fmt: skip
    # then
    assert 'value="6000"' in html
    assert "draft revision 1" in html
    assert response.status_code == 302
    assert ReportRevision.objects.get().status == "submitted"
    assert current_values() == {("RS-MIRATOVAC", "ARRIVALS"): 6001, ("RS-HORGOS", "STRANDED"): 120}


def test_a_correction_is_a_new_revision_and_the_first_is_kept(reporter):
    # given
    reporter.post(GRID, {"cell__RS-MIRATOVAC__ARRIVALS": "6000", "classification": "regional", "submit": "1"})
    # when
    reporter.post(GRID, {"cell__RS-MIRATOVAC__ARRIVALS": "6050", "classification": "regional", "submit": "1"})
    # then
    revisions = list(ReportRevision.objects.order_by("number").values_list("number", "superseded_at"))
    assert [number for number, _ in revisions] == [1, 2]
    assert revisions[0][1] is not None
    assert revisions[1][1] is None
    assert current_values() == {("RS-MIRATOVAC", "ARRIVALS"): 6050}


def test_unreadable_cells_are_shown_where_they_are_and_nothing_is_saved(reporter):
    # given
    before = counts()
    # when
    response = reporter.post(GRID, {
        "cell__RS-MIRATOVAC__ARRIVALS": "6211", "cell__RS-SID__ARRIVALS": "1.234,5",
        "classification": "regional", "submit": "1",
    })  # fmt: skip
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="cell__RS-SID__ARRIVALS-problems"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="cell__RS-MIRATOVAC__ARRIVALS-problems"' not in html
    assert counts() == before


def test_validation_problems_come_back_to_their_cells(reporter):
    # given
    tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
    before = counts()
    # when
    response = reporter.post(
        f"/flows/grid/RS/{tomorrow}/",
        {"cell__RS-HORGOS__ARRIVALS": "10", "classification": "regional", "submit": "1"},
    )
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="cell__RS-HORGOS__ARRIVALS-problems"' in html
    assert "is in the future" in html
    assert counts() == before


def test_an_empty_grid_is_not_submitted(reporter):
    # given
    before = counts()
    # when
    response = reporter.post(GRID, {"classification": "regional", "submit": "1"})
    # then
    assert response.status_code == 200
    assert "Fill in at least one figure." in response.content.decode()
    assert counts() == before


def test_a_restricted_report_names_its_audience(reporter, flows_world):
    # when
    reporter.post(GRID, {
        "cell__RS-SID__ARRIVALS": "5000", "classification": "restricted", "audience": [flows_world["HR"].pk],
        "submit": "1",
    })  # fmt: skip
    # then
    revision = ReportRevision.objects.get()
    assert revision.classification == "restricted"
    assert [p.code for p in revision.audience.all()] == ["HR"]


# --- upload ----------------------------------------------------------------------------------------


def upload(client, tmp_path, text: str, **fields):
    path = tmp_path / "figures.csv"
    path.write_text(text, encoding="utf-8")
    with path.open("rb") as handle:
        return client.post("/flows/upload/", {"file": handle, "classification": "regional", **fields})


def test_an_uploaded_file_is_submitted(reporter, tmp_path):
    # when
    response = upload(reporter, tmp_path, "date,place,indicator,value\n2016-01-10,RS-SID,ARRIVALS,5000\n"
                                          "2016-01-11,RS-SID,ARRIVALS,5100\n")  # fmt: skip
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "2 figures accepted, 0 rows rejected." in html
    assert Report.objects.count() == 2
    figures = sorted(Observation.objects.values_list("date", "value"))
    assert figures == [(DAY, 5000), (date(2016, 1, 11), 5100)]
    assert ReportRevision.objects.filter(channel="upload").count() == 2


def test_a_file_with_errors_lists_them_located_and_saves_nothing(reporter, tmp_path):
    # given
    before = counts()
    # when
    response = upload(reporter, tmp_path, "date,place,indicator,value\n2016-01-10,Tabanovse,ARRIVALS,5000\n"
                                          "2016-01-10,RS-SID,ARRIVALS,-3\n")  # fmt: skip
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "nothing was saved" in html
    assert "figures.csv" in html
    assert '<table class="problems">' in html
    assert counts() == before


def test_an_empty_file_is_refused_with_a_reason(reporter, tmp_path):
    # given
    before = counts()
    # when
    response = upload(reporter, tmp_path, "")
    # then
    assert response.status_code == 200
    assert "The submitted file is empty." in response.content.decode()
    assert counts() == before


def test_row_by_row_keeps_the_good_rows_and_lists_the_rejected(reporter, tmp_path):
    # when
    response = upload(reporter, tmp_path, "date,place,indicator,value\n2016-01-10,RS-SID,ARRIVALS,5000\n"
                                          "2016-01-10,RS-NOWHERE,ARRIVALS,10\n", row_by_row="on")  # fmt: skip
    # then
    html = response.content.decode()
    assert "1 figure accepted, 1 row rejected." in html
    assert "RS-NOWHERE" in html
    assert current_values() == {("RS-SID", "ARRIVALS"): 5000}


def test_row_by_row_upload_keeps_the_readable_rows_and_rejects_the_unreadable_one(reporter, tmp_path):
    # when: the second row's value cannot be read as a number
    response = upload(
        reporter, tmp_path,
        "date,place,indicator,value\n2016-01-10,RS-SID,ARRIVALS,5000\n2016-01-11,RS-SID,ARRIVALS,lots\n",
        row_by_row="on",
    )  # fmt: skip
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 figure accepted, 1 row rejected." in html
    assert list(Observation.objects.values_list("date", "value")) == [(DAY, 5000)]
