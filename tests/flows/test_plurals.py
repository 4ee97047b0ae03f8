"""Every count in the flows pages and messages agrees with its number, in English: 1 figure, 2 figures."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from tests.flows.readers_helpers import csv_file, read
from tests.flows.test_readers_xlsx import HEADER, with_cached_values, workbook

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def reporter(flows_world: Any, make_user: Any) -> Client:
    client = Client()
    client.force_login(make_user("RS", "reporter", username="rs-rep"), backend=MODEL_BACKEND)
    return client


def upload(client: Client, tmp_path: Path, text: str, **fields: str) -> str:
    path = tmp_path / "figures.csv"
    path.write_text("date,place,indicator,value\n" + text, encoding="utf-8")
    with path.open("rb") as handle:
        response = client.post("/flows/upload/", {"file": handle, "classification": "regional", **fields})
    assert response.status_code == 200
    return response.content.decode()


def test_the_upload_counts_one_figure_and_one_rejected_row(reporter: Client, tmp_path: Path) -> None:
    html = upload(
        reporter,
        tmp_path,
        "2016-01-10,RS-SID,ARRIVALS,5000\n2016-01-10,RS-NOWHERE,ARRIVALS,10\n",
        row_by_row="on",
    )
    assert "1 figure accepted, 1 row rejected." in html
    assert "revision 1, 1 figure</li>" in html


def test_the_upload_counts_several_figures_and_no_rejected_row(reporter: Client, tmp_path: Path) -> None:
    html = upload(
        reporter, tmp_path, "2016-01-10,RS-SID,ARRIVALS,5000\n2016-01-10,RS-MIRATOVAC,ARRIVALS,6000\n"
    )
    assert "2 figures accepted, 0 rows rejected." in html
    assert "revision 1, 2 figures</li>" in html


def test_the_upload_counts_errors(reporter: Client, tmp_path: Path) -> None:
    one = upload(reporter, tmp_path, "2016-01-10,RS-SID,ARRIVALS,-3\n")
    two = upload(reporter, tmp_path, "2016-01-10,RS-SID,ARRIVALS,-3\n2016-01-10,RS-MIRATOVAC,ARRIVALS,-4\n")
    assert "1 error: nothing was saved." in one
    assert "1 problem found" in one
    assert "2 errors: nothing was saved." in two
    assert "2 problems found" in two


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"D2": "1538"}, "1 cell holds a formula: the value the spreadsheet last calculated was read."),
        (
            {"D2": "1538", "D3": "12"},
            "2 cells hold formulas: the values the spreadsheet last calculated were read.",
        ),
    ],
)
def test_the_formula_warning_counts_its_cells(tmp_path: Path, cells: dict[str, str], message: str) -> None:
    rows = [HEADER, ["2016-01-10", "ARRIVALS", "RS-SID", "=1000+538"]]
    if len(cells) == 2:
        rows.append(["2016-01-11", "ARRIVALS", "RS-SID", "=10+2"])
    path = workbook(tmp_path / "formulas.xlsx", rows)
    with_cached_values(path, "xl/worksheets/sheet1.xml", cells)
    _rows, problems = read(path, "RS")
    assert problems == [f"warning Daily 2 D: {message}"]


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [("0.001", "If you meant 1 person, write 1."), ("1.234", "If you meant 1234 persons, write 1234.")],
)
def test_the_ambiguous_number_suggestion_counts_persons(tmp_path: Path, text: str, suggestion: str) -> None:
    # given: for UNHCR (English) a point separates decimals
    path = csv_file(tmp_path, f"date,indicator,place,value\n2016-01-10,ARRIVALS,RS-SID,{text}\n")
    # when
    _rows, problems = read(path, "UNHCR")
    # then
    assert problems[0].endswith(f"| {suggestion}")


def test_the_export_command_counts_bytes(reporter: Client, flows_world: Any, tmp_path: Path) -> None:
    err = StringIO()
    out = tmp_path / "empty.csv"
    call_command("export", "--user", "rs-rep", "--format", "csv", "-o", str(out), stderr=err)
    assert err.getvalue() == f"Wrote {out.stat().st_size} bytes to {out}.\n"
