"""HXL reader (libhxl): hashtag rows in CSV and XLSX, wide and long layouts, unknown hashtags."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from tests.flows.readers_helpers import csv_file, read, rejected

# libhxl imports six, which its dependencies no longer pull in: the lead adds it to the lock file.
pytest.importorskip("hxl", reason="libhxl cannot be imported (is six installed?)")

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "balkan_route_daily" / "ifrc_raw"


def test_a_wide_hxl_file_gives_one_observation_per_figure_cell(tmp_path: Path) -> None:
    # given: a plain header, the hashtag row, and two figure columns (one broken down by sex)
    path = csv_file(
        tmp_path,
        "Date,Crossing point,Arrivals,Arrivals (women),Estimated\n"
        "#date,#loc+code,#affected+arrivals,#affected+arrivals+f,#meta+estimate\n"
        "2016-01-10,MK-GEVGELIJA,819,310,\n"
        "2016-01-11,MK-GEVGELIJA,N/A,,1\n"
        "2016-01-12,MK-GEVGELIJA,1.200,,\n",
        name="hxl.csv",
    )
    # when
    rows, problems = read(path, "MK")
    # then: the empty and N/A cells give no observation; "1.200" follows the Macedonian convention
    assert [
        (
            r.location.row,
            r.location.column,
            r.date,
            r.indicator,
            r.place,
            r.breakdown,
            r.breakdown_value,
            r.value,
        )
        for r in rows
    ] == [
        (3, "#affected+arrivals", date(2016, 1, 10), "ARRIVALS", "MK-GEVGELIJA", "", "", 819),
        (3, "#affected+arrivals+f", date(2016, 1, 10), "ARRIVALS", "MK-GEVGELIJA", "sex", "female", 310),
        (5, "#affected+arrivals", date(2016, 1, 12), "ARRIVALS", "MK-GEVGELIJA", "", "", 1200),
    ]
    assert problems == [
        "warning 5 #affected+arrivals: '1.200' was read as 1200: for MK '.' separates thousands."
    ]


def test_exits_with_their_destination_and_a_long_layout(tmp_path: Path) -> None:
    # given
    path = csv_file(
        tmp_path,
        "#date,#country+code,#indicator+code,#indicator+num,#country+code+destination\n"
        "10.01.2016,RS,EXITS,1538,HR\n",
    )
    # when
    rows, problems = read(path, "RS")
    # then
    assert problems == []
    assert [(r.date, r.place, r.indicator, r.value, r.counterpart) for r in rows] == [
        (date(2016, 1, 10), "RS", "EXITS", 1538, "HR")
    ]


def test_an_unknown_context_hashtag_is_ignored_with_a_warning(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "#date,#loc+name,#affected+arrivals,#org+name\n2016-01-10,Gevgelija,819,UNHCR\n",
        name="hxl.csv",
    )
    rows, problems = read(path, "MK")
    assert [(r.place, r.value) for r in rows] == [("Gevgelija", 819)]
    assert problems == ["warning 1 #org+name: The column #org+name is not one seemix reads: it was ignored."]


def test_an_unknown_hashtag_that_carries_figures_is_rejected(tmp_path: Path) -> None:
    # given: the IFRC dashboard's own tags (#affected+arrivegreekislands...): seemix cannot place them
    path = SHARED / "arrivals_sheet_hxl.csv"
    # then
    problems = rejected(path, "GR")
    assert problems[0] == (
        "error 2 #affected+arrivegreekislands: The column #affected+arrivegreekislands seems to hold "
        "figures, but seemix does not know which indicator. | Use #affected with one of +arrivals, +entries, "
        "+exits, +departures, +present, +stranded, +registrations, +registered, or #indicator+code with "
        "#indicator+num."
    )
    assert problems[-1] == (
        "error 2 : The hashtag row has no column for: #loc or #country+code. "
        "| See the hashtags seemix reads in the import documentation."
    )
    assert len(problems) == 9


def test_children_alone_spans_two_age_groups(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "#date,#loc+code,#affected+arrivals+children\n2016-01-10,MK-GEVGELIJA,5\n")
    assert rejected(path, "MK") == [
        "error 1 #affected+arrivals+children: +children spans two of seemix's age groups (0-13 and 14-17). "
        "| Tag the column +age0_13 or +age14_17, or +children+unaccompanied for unaccompanied minors."
    ]


def test_unaccompanied_children_and_age_groups(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "#date,#loc+code,#affected+arrivals+children+unaccompanied,#affected+arrivals+age14_17\n"
        "2016-01-10,MK-GEVGELIJA,5,12\n",
    )
    rows, problems = read(path, "MK")
    assert problems == []
    assert [(r.breakdown, r.breakdown_value, r.value) for r in rows] == [
        ("unaccompanied_minors", "yes", 5),
        ("age_group", "14-17", 12),
    ]


def test_forcing_hxl_on_a_file_without_hashtags(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "date,indicator,place,value\n2016-01-10,ARRIVALS,MK-GEVGELIJA,1\n")
    assert rejected(path, "MK", fmt="hxl") == [
        "error None : No row of HXL hashtags was found in the first 25 rows. | Add a row of hashtags (#date, "
        "#loc+code, #affected+arrivals...) under the header, or import the file as plain CSV or XLSX."
    ]


def test_a_bad_cell_rejects_the_whole_row(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "#date,#loc+code,#affected+arrivals,#affected+exits,#country+code+destination\n"
        "2016-01-10,MK-TABANOVCE,819,abc,RS\n2016-01-11,MK-TABANOVCE,5,6,RS\n",
    )
    rows, problems = read(path, "MK")
    assert [(r.location.row, r.indicator, r.value) for r in rows] == [(3, "ARRIVALS", 5), (3, "EXITS", 6)]
    assert problems == [
        "error 2 #affected+exits: 'abc' is not a number. | Write the count with digits only; leave the cell "
        "empty or write N/A when it was not reported."
    ]


def test_an_hxl_tagged_workbook(tmp_path: Path) -> None:
    # given
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "arrivals"
    for row in (["Date", "Country", "Arrivals"], ["#date", "#country+code", "#affected+arrivals"],
                [date(2016, 1, 10), "HR", 942]):  # fmt: skip
        sheet.append(row)
    path = tmp_path / "hxl.xlsx"
    book.save(path)
    # when
    rows, problems = read(path, "HR")
    # then
    assert problems == []
    assert [
        (r.location.sheet, r.location.row, r.location.column, r.date, r.place, r.value) for r in rows
    ] == [("arrivals", 3, "C (#affected+arrivals)", date(2016, 1, 10), "HR", 942)]
