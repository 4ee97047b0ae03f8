"""GET /api/v1/observations/export and `seemix export`: what the caller may read, in six formats."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import openpyxl
import pytest
import sdmx
from django.core.management import CommandError, call_command

from seemix.core.models import AuditEntry
from seemix.flows.exports import FORMATS
from tests.flows.out_data import make_revision

DAY = date(2016, 1, 10)
EXPORT = "/api/v1/observations/export"


@pytest.fixture
def reports(flows_world):
    p = flows_world
    make_revision(p["RS"], DAY, [("ARRIVALS", "RS-MIRATOVAC", 6100), ("EXITS", "RS-SID", 5900)],
                  submitted_at=datetime(2016, 1, 10, 20, tzinfo=UTC))  # fmt: skip
    # A correction: the export holds the current figure, "as of" the earlier one.
    make_revision(p["RS"], DAY, [("ARRIVALS", "RS-MIRATOVAC", 6111), ("EXITS", "RS-SID", 5900)],
                  submitted_at=datetime(2016, 1, 11, 9, tzinfo=UTC))  # fmt: skip
    make_revision(p["MK"], DAY, [("ARRIVALS", "MK-GEVGELIJA", 5200)])
    # RESTRICTED, shared with Croatia only.
    make_revision(
        p["GR"], DAY, [("ARRIVALS", "GR-IDOMENI", 777)], classification="restricted", audience=[p["HR"]]
    )
    # A draft is nobody's data yet.
    make_revision(p["SI"], DAY, [("ARRIVALS", "SI-RIGONCE", 4242)], status="draft")
    return p


def values_in_csv(response) -> dict[tuple[str, str], str]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return {(r["participant"], r["place_code"]): r["value"] for r in csv.DictReader(io.StringIO(text))}


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("nobody", 403), ("RS reporter", 200), ("HR analyst", 200), ("RCC observer", 200)],
)
def test_export_access(who, status, caller, reports):
    # given
    client = caller(who)
    audit_rows = AuditEntry.objects.count()
    # when
    response = client.get(EXPORT, {"format": "csv"})
    # then
    assert response.status_code == status
    assert AuditEntry.objects.count() == audit_rows


def test_restricted_figures_are_exported_only_to_their_participant_and_audience(caller, reports):
    # when
    as_serbia = values_in_csv(caller("RS reporter").get(EXPORT, {"format": "csv"}))
    as_croatia = values_in_csv(caller("HR analyst").get(EXPORT, {"format": "csv"}))
    as_greece = values_in_csv(caller("GR reporter").get(EXPORT, {"format": "csv"}))
    # then
    assert as_serbia == {
        ("RS", "RS-MIRATOVAC"): "6111",
        ("RS", "RS-SID"): "5900",
        ("MK", "MK-GEVGELIJA"): "5200",
    }
    assert as_croatia == {**as_serbia, ("GR", "GR-IDOMENI"): "777"}
    assert as_greece == as_croatia


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_no_format_leaks_a_restricted_or_draft_figure(fmt, caller, reports):
    # when
    response = caller("RS reporter").get(EXPORT, {"format": fmt})
    body = b"".join(response.streaming_content)
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[fmt].media_type
    assert response["Content-Disposition"].startswith('attachment; filename="seemix-observations-')
    assert response["Content-Disposition"].endswith(f'.{FORMATS[fmt].extension}"')
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True)["observations"]
        cells = [c for r in sheet.iter_rows(values_only=True) for c in r]
        assert 6111 in cells
        assert 777 not in cells
        assert 4242 not in cells
        assert "GR-IDOMENI" not in cells
    else:
        assert b"6111" in body
        assert b"777" not in body
        assert b"4242" not in body
        assert b"GR-IDOMENI" not in body
        assert b"SI-RIGONCE" not in body


def test_the_export_takes_the_filters_of_the_observations_list(caller, reports):
    # when
    response = caller("HR analyst").get(
        EXPORT, {"format": "csv", "indicator": "ARRIVALS", "participant": "RS", "date_from": "2016-01-10",
                 "date_to": "2016-01-10"},
    )  # fmt: skip
    # then
    assert values_in_csv(response) == {("RS", "RS-MIRATOVAC"): "6111"}


def test_the_export_as_of_a_past_moment_holds_the_figures_of_then(caller, reports):
    # when
    response = caller("RS reporter").get(
        EXPORT, {"format": "csv", "participant": "RS", "as_of": "2016-01-10T23:00:00Z"}
    )
    # then
    assert values_in_csv(response) == {("RS", "RS-MIRATOVAC"): "6100", ("RS", "RS-SID"): "5900"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"format": "pdf"}, "format"),
        ({"format": "csv", "indicator": "ARIVALS"}, "indicator"),
        ({"format": "csv", "participant": "ZZ"}, "participant"),
        ({"format": "csv", "date_from": "10.01.2016"}, "date_from"),
    ],
)
def test_a_bad_filter_answers_422_naming_it_before_any_byte_is_sent(query, field, caller, reports):
    # when
    response = caller("RS reporter").get(EXPORT, query)
    # then
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.content.decode()


def test_a_misspelt_indicator_gets_a_suggestion(caller, reports):
    # when
    response = caller("RS reporter").get(EXPORT, {"format": "csv", "indicator": "ARIVALS"})
    # then
    assert "Did you mean ARRIVALS?" in response.content.decode()


def test_sdmx_ml_export_reads_back_with_the_numbers_of_the_csv(caller, reports, tmp_path):
    # given
    client = caller("HR analyst")
    expected = values_in_csv(client.get(EXPORT, {"format": "csv"}))
    path = tmp_path / "export.xml"
    path.write_bytes(b"".join(client.get(EXPORT, {"format": "sdmx-ml"}).streaming_content))
    # when
    message = sdmx.read_sdmx(path)
    read = {
        (o.attrib["REPORTING_PARTICIPANT"].value, o.key["LOCATION"].value): str(int(float(o.value)))
        for o in message.data[0].obs
    }
    # then
    assert read == expected


def test_json_export_lists_the_same_figures(caller, reports):
    # when
    response = caller("RS reporter").get(EXPORT, {"format": "json"})
    body = json.loads(b"".join(response.streaming_content))
    # then
    assert {(o["participant"], o["place_code"]): o["value"] for o in body["observations"]} == {
        ("RS", "RS-MIRATOVAC"): 6111, ("RS", "RS-SID"): 5900, ("MK", "MK-GEVGELIJA"): 5200,
    }  # fmt: skip
    assert body["filters"] == {}


# --- the command line ------------------------------------------------------------------------------


def test_the_command_exports_what_the_named_user_may_read(reports, make_user, tmp_path):
    # given
    make_user("RS", "analyst", username="ana")
    make_user("HR", "analyst", username="hrvoje")
    # when
    call_command("export", "--format", "csv", "--user", "ana", "-o", str(tmp_path / "rs.csv"))
    call_command(
        "export", "--format", "hxl", "--user", "hrvoje", "--participant", "GR", "-o", str(tmp_path / "hr.csv")
    )
    # then
    serbia = list(csv.DictReader(io.StringIO((tmp_path / "rs.csv").read_text())))
    croatia = list(csv.reader(io.StringIO((tmp_path / "hr.csv").read_text())))
    assert sorted((r["participant"], r["value"]) for r in serbia) == [
        ("MK", "5200"),
        ("RS", "5900"),
        ("RS", "6111"),
    ]
    assert croatia[1][0] == "#date"
    assert [r[croatia[0].index("value")] for r in croatia[2:]] == ["777"]


def test_the_command_filters_by_date_and_indicator(reports, make_user, tmp_path):
    # given
    make_user("RS", "reporter", username="rade")
    out = tmp_path / "out.json"
    args = [
        "--format",
        "json",
        "--user",
        "rade",
        "--indicator",
        "EXITS",
        "--from",
        "2016-01-10",
        "--to",
        "2016-01-10",
    ]
    # when
    call_command("export", *args, "-o", str(out))
    # then
    assert [(o["indicator"], o["value"]) for o in json.loads(out.read_text())["observations"]] == [
        ("EXITS", 5900)
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--user", "nobody-at-all"], "No active user"),
        (["--user", "rade", "--indicator", "ARIVALS"], "--indicator: There is no indicator 'ARIVALS'"),
        (["--user", "rade", "--from", "yesterday"], "not a date"),
        (["--user", "rade", "--as-of", "soon"], "not an ISO 8601 timestamp"),
    ],
)
def test_the_command_refuses_bad_arguments_and_writes_nothing(args, message, reports, make_user, tmp_path):
    # given
    make_user("RS", "reporter", username="rade")
    out = tmp_path / "out.csv"
    # when / then
    with pytest.raises(CommandError, match=message):
        call_command("export", *args, "-o", str(out))
    assert not out.exists()


def test_the_command_refuses_a_user_without_membership(reports, make_user, tmp_path):
    # given
    make_user(username="stranger")
    # when / then
    with pytest.raises(CommandError, match="members of participants only"):
        call_command("export", "--user", "stranger", "-o", str(tmp_path / "out.csv"))
