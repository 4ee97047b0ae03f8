"""An export of seemix imports back as it is: CSV, XLSX and HXL, through `seemix import` and the upload
page, with the same figures — places of every kind, counterparts, breakdowns, flags, missing values,
monthly figures — as a new revision of each report."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from seemix.flows.exports import FORMATS
from seemix.flows.models import Observation, ReportRevision

FIRST_IMPORT = """date,indicator,place,value,counterpart,breakdown,breakdown_value,estimate,provisional
2016-01-10,ARRIVALS,RS-MIRATOVAC,6000,,,,0,0
2016-01-10,ARRIVALS,RS-MIRATOVAC,2500,,nationality,SY,1,0
2016-01-10,ARRIVALS,RS-MIRATOVAC,1000,,sex,female,0,1
2016-01-10,ARRIVALS,RS-MIRATOVAC,300,,age_group,0-13,1,1
2016-01-10,ARRIVALS,RS-MIRATOVAC,12,,unaccompanied_minors,yes,0,0
2016-01-10,EXITS,RS-SID,5800,HR,,,0,0
2016-01-10,EXITS,RS-SID,5000,HR,nationality,SY,0,0
2016-01-10,PRESENT,RS-PRESEVO,,,,,0,0
2016-01-11,ARRIVALS,RS,6100,,,,1,0
2016-01-01,FRAN-1A,RS,120,,,,0,1
"""
# What identifies and describes a figure in an export; the report's id, revision and time are the import's.
FIGURE = (
    "date", "periodicity", "participant", "country", "place_type", "place_code", "place_name", "indicator",
    "unit", "counterpart", "breakdown", "breakdown_value", "value", "estimate", "provisional",
    "classification",
)  # fmt: skip


def command(name: str, *args: str) -> str:
    out = StringIO()
    try:
        call_command(name, *args, stdout=out, stderr=StringIO())
    except CommandError as error:
        raise AssertionError(f"{error}\n{out.getvalue()}") from None
    return out.getvalue()


def export(tmp_path: Path, fmt: str, user: Any, *extra: str) -> Path:
    path = tmp_path / f"export.{FORMATS[fmt].extension}"
    command("export", "--format", fmt, "--user", user.username, *extra, "-o", str(path))
    return path


def figures(tmp_path: Path, user: Any) -> list[tuple[Any, ...]]:
    """The current figures as the JSON export gives them, without the report's id, revision and time."""
    import json

    path = export(tmp_path, "json", user, "--participant", "RS")
    rows = json.loads(path.read_text(encoding="utf-8"))["observations"]
    return sorted(tuple(str(row[name]) for name in FIGURE) for row in rows)


@pytest.fixture
def reported(flows_world: Any, make_user: Any, tmp_path: Path) -> Any:
    """Serbia's figures, imported once; returns a Serbian reporter."""
    first = tmp_path / "first.csv"
    first.write_text(FIRST_IMPORT, encoding="utf-8")
    command("import", str(first), "--participant", "RS", "--no-progress")
    return make_user("RS", "reporter", username="rs-reporter")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "hxl"])
def test_an_export_imports_back_as_a_new_revision_with_the_same_figures(
    fmt: str, reported: Any, tmp_path: Path
) -> None:
    # given
    before = figures(tmp_path, reported)
    assert len(before) == 10
    assert ("2016-01-10", "daily", "RS", "RS", "crossing_point", "RS-SID", "Šid", "EXITS", "persons", "HR",
            "nationality", "SY", "5000", "False", "False", "regional") in before  # fmt: skip
    path = export(tmp_path, fmt, reported, "--participant", "RS")
    # when
    out = command("import", str(path), "--participant", "RS", "--no-progress")
    # then
    assert out.startswith("Imported 10 figures into 3 reports")
    assert out.endswith("0 rows rejected; 0 errors, 0 warnings.\n")
    assert figures(tmp_path, reported) == before
    current = ReportRevision.objects.filter(superseded_at__isnull=True, status="submitted")
    assert sorted(r.number for r in current) == [2, 2, 2]
    assert Observation.objects.filter(revision__in=current).count() == 10


def test_an_hxl_export_imports_back_through_the_upload_page(reported: Any, tmp_path: Path) -> None:
    # given
    before = figures(tmp_path, reported)
    path = export(tmp_path, "hxl", reported, "--participant", "RS")
    client = Client()
    client.force_login(reported, backend="django.contrib.auth.backends.ModelBackend")
    # when
    with path.open("rb") as upload:
        response = client.post(
            "/flows/upload/",
            {"participant": "RS", "file": upload, "classification": "regional", "source_note": ""},
        )
    # then
    assert response.status_code == 200
    assert "10 figures accepted, 0 rows rejected." in response.content.decode()
    assert figures(tmp_path, reported) == before
    current = ReportRevision.objects.filter(superseded_at__isnull=True, status="submitted")
    assert sorted(r.number for r in current) == [2, 2, 2]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "hxl"])
def test_another_participants_rows_of_an_export_are_located_errors(
    fmt: str, reported: Any, tmp_path: Path
) -> None:
    # given: the export of every participant's figures, imported for Croatia
    path = export(tmp_path, fmt, reported)
    # when
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), "--participant", "HR", "--no-progress", stdout=out)
    # then
    text = out.getvalue()
    assert text.count("This figure was reported by RS, but the file is imported for HR.") == 10
    assert "Rejected (" in text
    assert ReportRevision.objects.filter(participant__code="HR").count() == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "hxl"])
def test_a_restricted_export_is_not_widened_by_its_import(
    fmt: str, flows_world: Any, make_user: Any, tmp_path: Path
) -> None:
    # given: Serbia's figures in a RESTRICTED report, exported
    first = tmp_path / "first.csv"
    first.write_text(FIRST_IMPORT, encoding="utf-8")
    command("import", str(first), "--participant", "RS", "--classification", "restricted", "--no-progress")
    reporter = make_user("RS", "reporter", username="rs-reporter")
    path = export(tmp_path, fmt, reporter, "--participant", "RS")
    # when: imported with the default classification, regional
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), "--participant", "RS", "--no-progress", stdout=out)
    # then
    text = out.getvalue()
    message = (
        "This figure comes from a restricted report: imported as regional, it would be shown to more "
        "readers than its reporter allowed."
    )
    assert text.count(message) == 10
    assert "suggestion: Import the file as restricted." in text
    assert not ReportRevision.objects.filter(classification="regional").exists()
    # and imported as restricted, it goes in
    done = command(
        "import", str(path), "--participant", "RS", "--classification", "restricted", "--no-progress"
    )
    assert done.startswith("Imported 10 figures into 3 reports")


def test_the_json_exports_figures_go_back_through_the_api(reported: Any, tmp_path: Path, api: Any) -> None:
    # given: the JSON export's observations, each with its place_code as the API's place
    import json

    before = figures(tmp_path, reported)
    exported = json.loads(
        export(tmp_path, "json", reported, "--participant", "RS").read_text(encoding="utf-8")
    )
    fields = (
        "date",
        "indicator",
        "value",
        "counterpart",
        "breakdown",
        "breakdown_value",
        "estimate",
        "provisional",
    )
    observations = [{"place": o["place_code"], **{f: o[f] for f in fields}} for o in exported["observations"]]
    # when
    response = api(reported).post(
        "/api/v1/reports", {"participant": "RS", "classification": "regional", "observations": observations}
    )
    # then
    assert response.status_code == 201, response.json()
    assert response.json()["accepted"] == 10
    assert figures(tmp_path, reported) == before
