"""`seemix import` on its two paths: which one answers, and the same report from either."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from tests.flows.staged_helpers import both, same

EXPORT_HEADER = (
    "date,periodicity,participant,country,place_type,place_code,place_name,indicator,unit,counterpart,"
    "breakdown,breakdown_value,value,estimate,provisional,classification,report,revision,submitted_at\n"
)


def run(*args: str) -> tuple[int, str, str]:
    """(exit status, standard output, standard error) of `seemix import ...`, rolled back."""
    out, err = StringIO(), StringIO()
    status = 0
    with transaction.atomic():
        try:
            call_command("import", *args, "--no-progress", stdout=out, stderr=err)
        except CommandError as error:
            status = 1
            out.write(f"CommandError: {error}\n")
        transaction.set_rollback(True)
    return status, out.getvalue(), err.getvalue()


GOOD_AND_BAD = "{d},ARRIVALS,RS-SID,5\n{d},ARRIVALS,Tabanovse,5\n"


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("date,indicator,place,value\n" + GOOD_AND_BAD.format(d="2016-01-10"), "staged"),
        ("date;indicator;place;value\n" + GOOD_AND_BAD.format(d="2016-01-10").replace(",", ";"), "rows"),
        ("date,indicator,place,value\n" + GOOD_AND_BAD.format(d="10.01.2016"), "rows"),
    ],
)
def test_the_command_says_which_path_answered_and_reports_the_same_either_way(
    flows_world: Any, tmp_path: Path, text: str, path: str
) -> None:
    file = tmp_path / "figures.csv"
    file.write_text(text, encoding="utf-8")
    status, out, err = run(str(file), "--participant", "RS", "-v", "2")
    forced_status, forced_out, forced_err = run(str(file), "--participant", "RS", "-v", "2", "--row-path")
    assert err == f"Import path: {path}\n"
    assert forced_err == "Import path: rows\n"
    assert (status, out) == (forced_status, forced_out)
    assert status == 1
    assert "column place: There is no crossing point, site, border section or country 'Tabanovse'." in out


def test_a_seemix_export_takes_the_staged_path_and_reads_as_on_the_row_path(
    flows_world: Any, tmp_path: Path
) -> None:
    file = tmp_path / "export.csv"
    file.write_text(
        EXPORT_HEADER
        + "2016-01-10,daily,RS,RS,crossing_point,RS-SID,Šid,ARRIVALS,persons,,,,489,0,1,regional,7,2,"
        "2016-01-11T08:00:00+00:00\n"
        "2016-01-10,daily,RS,RS,crossing_point,RS-SID,Šid,EXITS,persons,RS,,,480,0,0,regional,7,2,"
        "2016-01-11T08:00:00+00:00\n"
        "2016-01-10,daily,RS,RS,crossing_point,RS-SID,Šid,ARRIVALS,persons,,nationality,SY,300,1,0,"
        "regional,7,2,2016-01-11T08:00:00+00:00\n",
        encoding="utf-8",
    )
    staged, rows = both(flows_world["RS"], file)
    same(staged, rows)
    # The column named is the first of the row whose cell holds the value ("RS"), on both paths.
    located = [(p["row"], p["column"], p["field"], p["value"]) for p in staged["problems"]]
    assert located == [(3, "participant", "counterpart", "RS")]


def test_a_row_of_another_participant_in_an_export_goes_down_the_row_path(
    flows_world: Any, tmp_path: Path
) -> None:
    file = tmp_path / "export.csv"
    file.write_text(
        EXPORT_HEADER + "2016-01-10,daily,HR,HR,crossing_point,HR-BAPSKA,Bapska,ARRIVALS,persons,,,,5,0,0,"
        "regional,7,2,\n",
        encoding="utf-8",
    )
    staged, rows = both(flows_world["RS"], file)
    same(staged, rows, path="rows")
    assert staged["written"] is False
