"""GET /observations (filters, as of) and GET /observations/changes (the change feed)."""

from datetime import date

import pytest
from django.utils import timezone

from seemix.flows.models import Report
from seemix.flows.services import correct_report, submit_observations
from tests.flows.conftest import row


@pytest.fixture
def figures(flows_world, principal_of):
    """Serbia: two days at two crossing points, a nationality breakdown, exits to Croatia; North
    Macedonia: one RESTRICTED day (seen by MK only)."""
    rs = principal_of("RS", "reporter")
    submit_observations(actor=rs, participant=flows_world["RS"], rows=[
        row("RS-MIRATOVAC", 100, number=2),
        row("RS-MIRATOVAC", 60, breakdown="nationality", breakdown_value="SY", number=3),
        row("RS-SID", 90, number=4),
        row("RS-SID", 85, indicator="EXITS", counterpart="HR", number=5),
        row("RS-MIRATOVAC", 110, day=date(2016, 1, 11), number=6),
    ])  # fmt: skip
    mk = principal_of("MK", "reporter")
    submit_observations(
        actor=mk, participant=flows_world["MK"], rows=[row("MK-TABANOVCE", 95)], classification="restricted"
    )
    return {"rs": rs, "mk": mk}


def listed(response):
    assert response.status_code == 200, response.content
    return [
        (o["participant"], o["date"], o["indicator"], o["place"], o["breakdown_value"], o["value"])
        for o in response.json()["items"]
    ]


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("nobody", 403), ("HR observer", 200)])
def test_reading_observations_needs_a_membership(figures, caller, who, status):
    client = caller(who)
    assert client.get("/api/v1/observations").status_code == status
    assert client.get("/api/v1/observations/changes").status_code == status


def test_observations_are_those_the_caller_may_see(figures, caller):
    # when
    croatia = listed(caller("HR analyst").get("/api/v1/observations"))
    macedonia = listed(caller("MK analyst").get("/api/v1/observations", {"participant": "MK"}))
    # then
    assert croatia == [
        ("RS", "2016-01-10", "ARRIVALS", "RS-MIRATOVAC", "", 100),
        ("RS", "2016-01-10", "ARRIVALS", "RS-MIRATOVAC", "SY", 60),
        ("RS", "2016-01-10", "ARRIVALS", "RS-SID", "", 90),
        ("RS", "2016-01-10", "EXITS", "RS-SID", "", 85),
        ("RS", "2016-01-11", "ARRIVALS", "RS-MIRATOVAC", "", 110),
    ]
    assert macedonia == [("MK", "2016-01-10", "ARRIVALS", "MK-TABANOVCE", "", 95)]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"indicator": "EXITS"}, [("RS", "2016-01-10", "EXITS", "RS-SID", "", 85)]),
        ({"date_from": "2016-01-11"}, [("RS", "2016-01-11", "ARRIVALS", "RS-MIRATOVAC", "", 110)]),
        (
            {"date_to": "2016-01-10", "place": "Šid", "indicator": "ARRIVALS"},
            [("RS", "2016-01-10", "ARRIVALS", "RS-SID", "", 90)],
        ),
        ({"breakdown": "nationality"}, [("RS", "2016-01-10", "ARRIVALS", "RS-MIRATOVAC", "SY", 60)]),
        (
            {"place": "RS", "breakdown": "total", "date_from": "2016-01-11"},
            [("RS", "2016-01-11", "ARRIVALS", "RS-MIRATOVAC", "", 110)],
        ),
    ],
)
def test_observations_are_filtered(figures, caller, filters, expected):
    assert listed(caller("SI analyst").get("/api/v1/observations", filters)) == expected


@pytest.mark.parametrize(
    ("filters", "field", "message"),
    [
        ({"indicator": "ARIVALS"}, "indicator", "There is no indicator 'ARIVALS'. Did you mean ARRIVALS?"),
        (
            {"place": "Tabanovca"},
            "place",
            "There is no single place 'Tabanovca'. Did you mean Tabanovce (MK-TABANOVCE)?",
        ),
        ({"participant": "QQ"}, "participant", "There is no participant 'QQ'."),
        (
            {"breakdown": "colour"},
            "breakdown",
            "Use one of total, nationality, sex, age_group, unaccompanied_minors.",
        ),
    ],
)
def test_an_unknown_filter_value_is_an_error_not_an_empty_answer(figures, caller, filters, field, message):
    # when
    response = caller("SI analyst").get("/api/v1/observations", filters)
    # then
    assert response.status_code == 422
    assert [(e["field"], e["message"]) for e in response.json()["errors"]] == [(field, message)]


def test_as_of_reads_a_past_state(figures, caller):
    # given
    before_correction = timezone.now()
    report = Report.objects.get(participant__code="RS", period_start=date(2016, 1, 11))
    correct_report(report, actor=figures["rs"], rows=[row("RS-MIRATOVAC", 115, day=date(2016, 1, 11))])
    client = caller("SI analyst")
    filters = {"date_from": "2016-01-11"}
    # when
    now = listed(client.get("/api/v1/observations", filters))
    then = listed(client.get("/api/v1/observations", {**filters, "as_of": before_correction.isoformat()}))
    # then
    assert now == [("RS", "2016-01-11", "ARRIVALS", "RS-MIRATOVAC", "", 115)]
    assert then == [("RS", "2016-01-11", "ARRIVALS", "RS-MIRATOVAC", "", 110)]


def test_nothing_is_visible_as_of_before_the_first_submission(figures, caller):
    response = caller("SI analyst").get("/api/v1/observations", {"as_of": "2020-01-01T00:00:00Z"})
    assert listed(response) == []


def changes(client, since, limit=1000):
    response = client.get("/api/v1/observations/changes", {"since": since, "limit": limit})
    assert response.status_code == 200, response.content
    data = response.json()
    return [(o["participant"], o["date"], o["place"], o["revision"], o["value"]) for o in data["items"]], \
        data["next_cursor"]  # fmt: skip


def test_the_change_feed_pages_through_revisions_in_commit_order(figures, caller):
    # given
    client = caller("SI analyst")
    # when
    first, cursor = changes(client, "0", limit=3)
    second, cursor = changes(client, cursor, limit=3)
    third, final = changes(client, cursor, limit=3)
    # then: Serbia's two reports (MK's is RESTRICTED), each revision's rows together
    assert first + second == [
        ("RS", "2016-01-10", "RS-MIRATOVAC", 1, 100),
        ("RS", "2016-01-10", "RS-MIRATOVAC", 1, 60),
        ("RS", "2016-01-10", "RS-SID", 1, 90),
        ("RS", "2016-01-10", "RS-SID", 1, 85),
        ("RS", "2016-01-11", "RS-MIRATOVAC", 1, 110),
    ]
    assert (third, final) == ([], cursor)


def test_the_change_feed_brings_a_correction_as_the_whole_new_revision(figures, caller):
    # given a consumer that has read everything
    client = caller("SI analyst")
    _items, cursor = changes(client, "0")
    report = Report.objects.get(participant__code="RS", period_start=date(2016, 1, 10))
    # when
    correct_report(report, actor=figures["rs"], rows=[row("RS-SID", 91)])
    items, _next = changes(client, cursor)
    # then
    assert items == [
        ("RS", "2016-01-10", "RS-SID", 2, 91),
        ("RS", "2016-01-10", "RS-MIRATOVAC", 2, 100),
        ("RS", "2016-01-10", "RS-MIRATOVAC", 2, 60),
        ("RS", "2016-01-10", "RS-SID", 2, 85),
    ]


def test_the_restricted_report_is_in_its_own_participants_feed(figures, caller):
    items, _cursor = changes(caller("MK observer"), "0")
    assert ("MK", "2016-01-10", "MK-TABANOVCE", 1, 95) in items


@pytest.mark.parametrize("cursor", ["abc", "-1", "1.x"])
def test_a_bad_cursor_is_an_error(figures, caller, cursor):
    response = caller("SI analyst").get("/api/v1/observations/changes", {"since": cursor})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "since"
