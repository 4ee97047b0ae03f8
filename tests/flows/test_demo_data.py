"""The shipped 2015-16 data set: loaded through the import path as each country's reports."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

import pytest

from seemix.core.models import AuditEntry
from seemix.demo.flows import DATA_FILE, SERIES, load_demo_flows
from seemix.demo.reference import load_reference
from seemix.directory.models import Participant
from seemix.flows.models import Channel, Observation, Report, ReportRevision
from tests.conftest import ApiClient


@pytest.fixture
def participants(db: Any) -> dict[str, Participant]:
    """The seeded participants (the demo needs HU and DE too), in place of tests/conftest.py's few."""
    load_reference()
    return {p.code: p for p in Participant.objects.all()}


@pytest.fixture
def demo_flows(participants: dict[str, Participant]) -> Any:
    return load_demo_flows()


def _file_values() -> dict[str, dict[str, str]]:
    with DATA_FILE.open(newline="") as handle:
        return {row["date"]: row for row in csv.DictReader(handle)}


def _values(code: str, **place: str) -> dict[str, int | None]:
    rows = Observation.objects.filter(
        revision__participant__code=code, revision__superseded_at__isnull=True, **place
    ).values_list("date", "value")
    return {day.isoformat(): value for day, value in rows}


def test_every_reported_figure_is_loaded_and_nothing_else(demo_flows: Any) -> None:
    # given
    file = _file_values()
    # then: one observation per non-empty, non-N/A cell, with its value
    for series in SERIES:
        place = (
            {"border_section__code": series.place}
            if "-" in series.place
            else {"crossing_point": None, "site": None, "border_section": None}
        )
        expected = {
            day: int(row[series.column]) for day, row in file.items() if row[series.column] not in ("", "N/A")
        }
        assert _values(series.participant, **place) == expected, series.column


def test_spot_values_of_the_real_data(demo_flows: Any) -> None:
    # then
    assert _values("GR", border_section__code="GR-TR")["2015-10-01"] == 2631
    assert _values("GR", border_section=None)["2015-10-01"] == 2409
    assert _values("MK")["2015-10-01"] == 4370
    assert _values("SI")["2015-10-01"] == 0  # a reported zero stays a zero
    assert _values("AT")["2015-10-01"] == 4550


def test_missing_and_na_stay_missing_never_zero(demo_flows: Any) -> None:
    # then: Slovenia wrote N/A on 2015-10-03, Germany reported only from 2016-02-18
    slovenia = _values("SI")
    germany = _values("DE")
    assert "2015-10-03" not in slovenia
    assert not Observation.objects.filter(revision__participant__code="SI", date="2015-10-03").exists()
    assert min(germany) == "2016-02-18"
    assert max(germany) == "2016-03-19"
    assert len(germany) == 31
    assert None not in slovenia.values()


def test_each_country_reports_its_own_days(demo_flows: Any) -> None:
    # then
    assert demo_flows.accepted == {
        "GR": 400, "MK": 201, "RS": 200, "HR": 200, "HU": 154, "SI": 197, "AT": 201, "DE": 31,
    }  # fmt: skip
    assert demo_flows.reports == {
        "GR": 200, "MK": 201, "RS": 200, "HR": 200, "HU": 154, "SI": 197, "AT": 201, "DE": 31,
    }  # fmt: skip
    assert set(ReportRevision.objects.values_list("channel", flat=True)) == {Channel.DEMO}
    assert Report.objects.filter(participant__code="GR", period_start="2015-10-01").count() == 1


def test_loading_again_changes_nothing(demo_flows: Any) -> None:
    # given
    counts = (Observation.objects.count(), ReportRevision.objects.count(), AuditEntry.objects.count())
    # when
    again = load_demo_flows()
    # then
    assert again.skipped is True
    assert (Observation.objects.count(), ReportRevision.objects.count(), AuditEntry.objects.count()) == counts


def test_the_demo_figures_are_read_through_the_api(
    demo_flows: Any, api: Callable[[Any], ApiClient], make_user: Callable[..., Any]
) -> None:
    # given
    client = api(make_user("RS", "analyst"))
    # when
    response = client.get(
        "/api/v1/observations", {"participant": "MK", "date_from": "2015-10-01", "date_to": "2015-10-02"}
    )
    # then
    assert response.status_code == 200
    items = response.json()["items"]
    assert [(i["date"], i["indicator"], i["place"], i["value"]) for i in items] == [
        ("2015-10-01", "ARRIVALS", "MK", 4370),
        ("2015-10-02", "ARRIVALS", "MK", 5853),
    ]


def test_each_day_is_dated_as_reported_the_next_morning_so_as_of_reads_work(
    demo_flows: Any, api: Callable[[Any], ApiClient], make_user: Callable[..., Any]
) -> None:
    # given
    from datetime import UTC, datetime

    revision = ReportRevision.objects.get(participant__code="SI", report__period_start="2015-10-21")
    assert revision.submitted_at == revision.created_at == datetime(2015, 10, 22, 10, tzinfo=UTC)
    client = api(make_user("RS", "analyst"))

    def slovenia(as_of: str) -> int | None:
        response = client.get("/api/v1/situation", {"date": "2015-10-21", "as_of": as_of})
        assert response.status_code == 200
        return {c["code"]: c["arrivals"] for c in response.json()["countries"]}.get("SI")

    # then: the evening before the figures were published, the picture had none for Slovenia
    assert slovenia("2015-10-21T20:00:00Z") is None
    assert slovenia("2015-10-22T12:00:00Z") == 12616
