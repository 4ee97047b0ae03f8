"""XLSX reader: typed cells, sheets, formulas and merged cells (workbooks built with openpyxl)."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl

from tests.flows.readers_helpers import read, rejected

HEADER = ["date", "indicator", "place", "value"]


def workbook(path: Path, rows: list[list[Any]], *, title: str = "Daily", merge: str = "",
             before: list[str] | None = None) -> Path:  # fmt: skip
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    if before:
        first.title = before[0]
        sheet = book.create_sheet(title)
    else:
        sheet, sheet.title = first, title
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def with_cached_values(path: Path, sheet_xml: str, values: dict[str, str]) -> Path:
    """Write the values a spreadsheet program would have calculated into the formula cells."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts[sheet_xml].decode()
    for ref, value in values.items():
        xml = re.sub(rf'(<c r="{ref}"[^>]*>.*?<v>)(</v>)', rf"\g<1>{value}\g<2>", xml)
    parts[sheet_xml] = xml.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def test_typed_cells_are_read_with_their_sheet_row_and_column(tmp_path: Path) -> None:
    # given: a date cell, a text date, an integer, a float that is whole
    path = workbook(
        tmp_path / "daily.xlsx",
        [
            HEADER,
            [datetime(2016, 1, 10), "ARRIVALS", "RS-SID", 1538],
            ["2016-01-11", "ARRIVALS", "Šid", 489.0],
        ],
    )
    # when
    rows, problems = read(path, "RS")
    # then
    assert problems == []
    assert [(r.location.sheet, r.location.row, r.date, r.place, r.value) for r in rows] == [
        ("Daily", 2, date(2016, 1, 10), "RS-SID", 1538),
        ("Daily", 3, date(2016, 1, 11), "Šid", 489),
    ]
    assert rows[0].raw["D (value)"] == "1538"


def test_the_first_visible_sheet_or_the_named_one(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "two.xlsx", [HEADER, ["2016-01-10", "ARRIVALS", "RS-SID", 5]], before=["Notes"]
    )
    assert rejected(path, "RS") == [
        "error Notes None : The file is empty. | Send a file with a header row and one row per figure."
    ]
    rows, _problems = read(path, "RS", sheet="Daily")
    assert [r.value for r in rows] == [5]
    assert rejected(path, "RS", sheet="Weekly") == [
        "error None : The workbook has no sheet 'Weekly'. | Its sheets: Notes, Daily."
    ]


def test_a_formula_is_read_by_the_value_the_spreadsheet_calculated(tmp_path: Path) -> None:
    # given: D2 = B-side arithmetic, saved with its calculated value by a spreadsheet program
    path = workbook(tmp_path / "formulas.xlsx", [HEADER, ["2016-01-10", "ARRIVALS", "RS-SID", "=1000+538"]])
    with_cached_values(path, "xl/worksheets/sheet1.xml", {"D2": "1538"})
    # when
    rows, problems = read(path, "RS")
    # then
    assert [r.value for r in rows] == [1538]
    assert problems == [
        "warning Daily 2 D: 1 cell holds a formula: the value the spreadsheet last calculated was read."
    ]


def test_a_formula_without_a_calculated_value_rejects_its_row(tmp_path: Path) -> None:
    # given: written by a program that does not calculate (openpyxl itself)
    path = workbook(
        tmp_path / "formulas.xlsx",
        [HEADER, ["2016-01-10", "ARRIVALS", "RS-SID", "=1000+538"], ["2016-01-11", "ARRIVALS", "RS-SID", 7]],
    )
    # when
    rows, problems = read(path, "RS")
    # then
    assert [(r.location.row, r.value) for r in rows] == [(3, 7)]
    assert problems == [
        "error Daily 2 D: The cell D2 holds a formula (=1000+538) with no calculated value: the program that "
        "saved the file did not calculate it. | Open the file in a spreadsheet program and save it again, or "
        "type the value.",
        "warning Daily 2 D: 1 cell holds a formula: the value the spreadsheet last calculated was read.",
    ]


def test_merged_cells_are_an_error_at_the_merged_range(tmp_path: Path) -> None:
    # given: one date merged over two rows
    path = workbook(
        tmp_path / "merged.xlsx",
        [HEADER, ["2016-01-10", "ARRIVALS", "RS-SID", 1], ["2016-01-11", "ARRIVALS", "RS-SID", 2],
         [None, "ARRIVALS", "RS-MIRATOVAC", 3], ["2016-01-12", "ARRIVALS", "RS-SID", 4]],
        merge="A3:A4",
    )  # fmt: skip
    # when
    rows, problems = read(path, "RS")
    # then: the rows under the range are rejected, the others read
    assert [(r.location.row, r.value) for r in rows] == [(2, 1), (5, 4)]
    assert problems == [
        "error Daily 3 A3:A4: The cells A3:A4 are merged: a merged cell holds its value in its first cell "
        "(A3) only, so rows 3 to 4 cannot be read. | Unmerge the cells and write the value in every row."
    ]


def test_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a zip")
    assert rejected(path, "RS")[0].startswith("error None : The file is not an XLSX workbook: ")


def test_an_empty_sheet_and_a_header_only_sheet(tmp_path: Path) -> None:
    assert rejected(workbook(tmp_path / "empty.xlsx", []), "RS") == [
        "error Daily None : The file is empty. | Send a file with a header row and one row per figure."
    ]
    assert rejected(workbook(tmp_path / "header.xlsx", [HEADER]), "RS") == [
        "error Daily 1 : The file has a header but no rows of figures. "
        "| Add one row per figure below the header."
    ]


def test_an_unknown_column_is_named_by_letter_and_header(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "cols.xlsx", [[*HEADER, "Bemerkung"], ["2016-01-10", "ARRIVALS", "RS-SID", 1, "x"]]
    )
    problems = rejected(path, "RS")
    assert problems[0].startswith(
        "error Daily 1 E (Bemerkung): The column 'Bemerkung' is not one seemix knows."
    )


def test_a_fractional_number_cell_is_a_located_error(tmp_path: Path) -> None:
    path = workbook(tmp_path / "frac.xlsx", [HEADER, ["2016-01-10", "ARRIVALS", "RS-SID", 12.5]])
    rows, problems = read(path, "RS")
    assert rows == []
    assert problems == [
        "error Daily 2 D (value): 12.5 is not a whole number: a count of persons has no fraction. "
        "| Round it to a whole number of persons."
    ]
