"""`seemix import` end to end: the reader, the one validation path, the write, the report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from seemix.core.models import AuditEntry
from seemix.flows.models import Channel, Observation, Report, ReportRevision, Submission

HEADER = "date,indicator,place,value\n"


def run(*args: str) -> tuple[int, str]:
    """(exit status, standard output) of `seemix import ...`."""
    out = StringIO()
    try:
        call_command("import", *args, "--no-progress", stdout=out, stderr=StringIO())
    except CommandError as error:
        return 1, out.getvalue() + f"CommandError: {error}\n"
    return 0, out.getvalue()


def nothing_written() -> tuple[int, int, int, int]:
    return (Observation.objects.count(), ReportRevision.objects.count(), Report.objects.count(),
            Submission.objects.count())  # fmt: skip


def write(tmp_path: Path, text: str, name: str = "figures.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_csv_file_becomes_the_participants_daily_reports(flows_world: Any, tmp_path: Path) -> None:
    # given
    path = write(tmp_path, HEADER + "2016-01-10,ARRIVALS,RS-MIRATOVAC,1538\n2016-01-09,ARRIVALS,Šid,489\n")
    audit_before = AuditEntry.objects.count()
    # when
    status, out = run(path, "--participant", "RS", "--source-note", "MUP daily report")
    # then
    assert status == 0
    assert out == (
        "Imported 2 figures into 2 reports (submission "
        f"{Submission.objects.get().pk}); 0 rows rejected; 0 errors, 0 warnings.\n"
    )
    observations = Observation.objects.order_by("date")
    assert [(o.date, o.indicator.code, o.crossing_point.code, o.value) for o in observations] == [
        (date(2016, 1, 9), "ARRIVALS", "RS-SID", 489),
        (date(2016, 1, 10), "ARRIVALS", "RS-MIRATOVAC", 1538),
    ]
    revisions = ReportRevision.objects.all()
    assert {(r.participant.code, r.channel, r.status, r.source_note) for r in revisions} == {
        ("RS", Channel.CLI, "submitted", "MUP daily report")
    }
    assert AuditEntry.objects.count() == audit_before + 1


def test_all_or_nothing_reports_every_problem_and_writes_nothing(flows_world: Any, tmp_path: Path) -> None:
    # given: a good row, a date the reader cannot read, a misspelt crossing point, another country's
    path = write(
        tmp_path,
        HEADER + "2016-01-10,ARRIVALS,MK-TABANOVCE,819\n"
        "2016-01-32,ARRIVALS,MK-TABANOVCE,1\n"
        "2016-01-09,ARRIVALS,Tabanovse,715\n",
    )
    path_rs = write(tmp_path, HEADER + "2016-01-10,ARRIVALS,MK-TABANOVCE,819\n", name="serbia.csv")
    audit_before = AuditEntry.objects.count()
    # when
    status, out = run(path, "--participant", "MK")
    status_rs, out_rs = run(path_rs, "--participant", "RS")
    # then
    assert status == 1
    assert out.splitlines() == [
        "ERROR   figures.csv, row 3, column date: '2016-01-32' is not a date in the calendar "
        "(read as yyyy-mm-dd).",
        "        value: '2016-01-32' (date)",
        "ERROR   figures.csv, row 4, column place: There is no crossing point, site, border section or "
        "country 'Tabanovse'.",
        "        value: 'Tabanovse' (place)",
        "        suggestion: Did you mean Tabanovce (MK-TABANOVCE)?",
        "Rejected (2 errors, 0 warnings): nothing was written. 2 rows read.",
        "CommandError: The import was rejected: nothing was written.",
    ]
    assert status_rs == 1
    assert out_rs.splitlines()[0] == (
        "ERROR   serbia.csv, row 2, column place: Tabanovce (MK-TABANOVCE) is in North Macedonia (MK): "
        "Serbia (RS) reports only places in its own country."
    )
    assert nothing_written() == (0, 0, 0, 0)
    assert AuditEntry.objects.count() == audit_before


def test_row_by_row_keeps_the_good_rows_and_reports_every_rejected_row(
    flows_world: Any, tmp_path: Path
) -> None:
    # given
    path = write(
        tmp_path,
        HEADER + "2016-01-10,ARRIVALS,MK-TABANOVCE,819\n"
        "2016-01-32,ARRIVALS,MK-TABANOVCE,1\n"
        "2016-01-09,ARRIVALS,Tabanovse,715\n"
        "2016-01-08,ARRIVALS,MK-GEVGELIJA,-5\n",
    )
    # when
    status, out = run(path, "--participant", "MK", "--row-by-row")
    # then
    assert status == 0
    lines = out.splitlines()
    assert [line for line in lines if line.startswith("ERROR")] == [
        "ERROR   figures.csv, row 3, column date: '2016-01-32' is not a date in the calendar "
        "(read as yyyy-mm-dd).",
        "ERROR   figures.csv, row 4, column place: There is no crossing point, site, border section or "
        "country 'Tabanovse'.",
        "ERROR   figures.csv, row 5, column value: A count cannot be negative.",
    ]
    assert lines[-1] == (
        f"Imported 1 figures into 1 reports (submission {Submission.objects.get().pk}); 3 rows rejected; "
        "3 errors, 0 warnings."
    )
    assert [(o.date, o.value) for o in Observation.objects.all()] == [(date(2016, 1, 10), 819)]


def test_row_by_row_with_every_row_rejected_writes_nothing(flows_world: Any, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "2016-01-32,ARRIVALS,MK-TABANOVCE,1\n")
    status, out = run(path, "--participant", "MK", "--row-by-row")
    assert status == 1
    assert "ERROR   figures.csv, row 2, column date: '2016-01-32' is not a date in the calendar" in out
    assert nothing_written() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "ERROR   figures.csv: The file is empty."),
        (HEADER, "ERROR   figures.csv, row 1: The file has a header but no rows of figures."),
        ("date,indicator,place,amount\n2016-01-10,ARRIVALS,RS-SID,1\n",
         "ERROR   figures.csv, row 1, column amount: The column 'amount' is not one seemix knows."),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_read_is_rejected_with_its_reason(
    flows_world: Any, tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    status, out = run(path, "--participant", "RS")
    assert status == 1
    assert out.splitlines()[0] == message
    assert nothing_written() == (0, 0, 0, 0)


def test_a_thousands_point_follows_the_participants_convention(flows_world: Any, tmp_path: Path) -> None:
    # given: the same text, from Croatia and from UNHCR's convention
    path = write(tmp_path, HEADER + "2015-10-20,ARRIVALS,HR-TOVARNIK,1.234\n")
    # when
    status, out = run(path, "--participant", "HR")
    # then
    assert status == 0
    assert out.splitlines()[0] == (
        "WARNING figures.csv, row 2, column value: '1.234' was read as 1234: for HR '.' separates thousands."
    )
    assert list(Observation.objects.values_list("value", flat=True)) == [1234]


def test_a_user_submits_only_for_their_own_participant(
    flows_world: Any, tmp_path: Path, make_user: Callable[..., Any]
) -> None:
    # given
    make_user("RS", "reporter", username="rs-reporter")
    make_user("HR", "reporter", username="hr-reporter")
    path = write(tmp_path, HEADER + "2016-01-10,ARRIVALS,RS-SID,1\n")
    # when
    denied, denied_out = run(path, "--participant", "RS", "--user", "hr-reporter")
    # then
    assert denied == 1
    assert denied_out == "CommandError: Only the reporters and coordinators of RS submit its figures.\n"
    assert nothing_written() == (0, 0, 0, 0)
    # when
    allowed, _out = run(path, "--participant", "RS", "--user", "rs-reporter")
    # then
    assert allowed == 0
    assert ReportRevision.objects.get().submitted_by.username == "rs-reporter"


def test_an_unknown_participant_or_user_is_a_clear_error(flows_world: Any, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "2016-01-10,ARRIVALS,RS-SID,1\n")
    status, out = run(path, "--participant", "SRB")
    assert status == 1
    assert (
        out == "CommandError: There is no participant 'SRB'. The participants: AT, GR, HR, MK, RCC, RS, SI.\n"
    )
    status, out = run(path, "--participant", "RS", "--user", "nobody-here")
    assert (status, out) == (1, "CommandError: No active user 'nobody-here'.\n")


def test_a_correction_is_a_new_revision(flows_world: Any, tmp_path: Path) -> None:
    # given
    run(write(tmp_path, HEADER + "2016-01-10,ARRIVALS,RS-SID,100\n"), "--participant", "RS")
    # when
    status, _out = run(
        write(tmp_path, HEADER + "2016-01-10,ARRIVALS,RS-SID,120\n", "fix.csv"), "--participant", "RS"
    )
    # then
    assert status == 0
    revisions = ReportRevision.objects.order_by("number")
    assert [(r.number, r.superseded_at is None) for r in revisions] == [(1, False), (2, True)]
    assert Observation.objects.get(revision=revisions[1]).value == 120
    assert Observation.objects.get(revision=revisions[0]).value == 100


def test_an_xlsx_with_merged_cells_is_rejected_at_the_range(flows_world: Any, tmp_path: Path) -> None:
    # given
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Dnevni"
    for row in (
        ["date", "indicator", "place", "value"],
        [date(2016, 1, 10), "ARRIVALS", "HR-TOVARNIK", 942],
        [date(2016, 1, 11), "ARRIVALS", "HR-TOVARNIK", 1799],
        [None, "ARRIVALS", "HR-BAPSKA", 12],
    ):
        sheet.append(row)
    sheet.merge_cells("A3:A4")
    path = tmp_path / "hr.xlsx"
    book.save(path)
    # when
    status, out = run(str(path), "--participant", "HR")
    # then
    assert status == 1
    assert out.splitlines()[0] == (
        "ERROR   hr.xlsx, sheet Dnevni, row 3, column A3:A4: The cells A3:A4 are merged: a merged cell holds "
        "its value in its first cell (A3) only, so rows 3 to 4 cannot be read."
    )
    assert nothing_written() == (0, 0, 0, 0)
    # when: row by row, the rows outside the range are kept
    status, out = run(str(path), "--participant", "HR", "--row-by-row")
    # then
    assert status == 0
    assert [(o.date, o.value) for o in Observation.objects.all()] == [(date(2016, 1, 10), 942)]


def test_an_hxl_file_is_imported_with_its_unknown_hashtag_reported(flows_world: Any, tmp_path: Path) -> None:
    pytest.importorskip("hxl", reason="libhxl cannot be imported (is six installed?)")
    # given
    path = write(
        tmp_path,
        "Date,Crossing point,Arrivals,Exits,Exit to,Source\n"
        "#date,#loc+name,#affected+arrivals,#affected+exits,#country+code+destination,#meta+source\n"
        "10.01.2016,Tabanovce,819,800,RS,MVR\n",
        name="mk.csv",
    )
    # when
    status, out = run(path, "--participant", "MK")
    # then
    assert status == 0
    assert out.splitlines()[0] == (
        "WARNING mk.csv, row 2, column #meta+source: The column #meta+source is not one seemix reads: it was "
        "ignored."
    )
    observations = Observation.objects.order_by("indicator__code")
    assert [
        (o.indicator.code, o.crossing_point.code, o.counterpart_country_id, o.value) for o in observations
    ] == [
        ("ARRIVALS", "MK-TABANOVCE", None, 819),
        ("EXITS", "MK-TABANOVCE", "RS", 800),
    ]
