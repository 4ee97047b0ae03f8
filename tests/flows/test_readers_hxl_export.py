"""The HXL reader and the hashtags of seemix's own export: the place from #loc+code, the counterpart of
any figure, the long format's breakdown columns, the report's context read past, the checks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.flows.readers_helpers import csv_file, read, rejected

pytest.importorskip("hxl", reason="libhxl cannot be imported (is six installed?)")


def test_the_place_is_the_loc_code_and_the_names_beside_it_are_read_past(tmp_path: Path) -> None:
    # given
    path = csv_file(
        tmp_path,
        "#date,#country+code,#loc+code,#loc+name,#meta+loc+type,#indicator+code,#indicator+num,#meta+unit\n"
        "2016-01-10,RS,RS-SID,Šid,crossing_point,ARRIVALS,489,persons\n",
        name="export.hxl.csv",
    )
    # when
    rows, problems = read(path, "RS")
    # then
    assert [(r.date, r.place, r.indicator, r.value) for r in rows] == [
        (date(2016, 1, 10), "RS-SID", "ARRIVALS", 489)
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("tags", "place"),
    [
        ("#loc+name,#loc", "plain"),
        ("#loc+name,#country+code", "name"),
        ("#country+name,#country+code", "country code"),
    ],
)
def test_which_column_gives_the_place(tmp_path: Path, tags: str, place: str) -> None:
    # given: the code before the bare tag before the name; #loc before #country
    first, second = tags.split(",")
    values = {"#loc+name": "name", "#loc": "plain", "#country+code": "country code", "#country+name": "x"}
    path = csv_file(
        tmp_path,
        f"#date,{first},{second},#affected+arrivals\n2016-01-10,{values[first]},{values[second]},5\n",
    )
    # when
    rows, problems = read(path, "RS")
    # then
    assert [r.place for r in rows] == [place]
    assert problems == []


def test_two_columns_of_the_same_place_tag_are_rejected(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "#date,#loc+code,#loc+code,#affected+arrivals\n2016-01-10,RS-SID,RS-SID,5\n")
    assert rejected(path, "RS") == [
        "error 1 #loc+code: The columns #loc+code and #loc+code both give the place. | Keep one of them."
    ]


def test_the_counterpart_column_applies_to_every_indicator(tmp_path: Path) -> None:
    # given
    path = csv_file(
        tmp_path,
        "#date,#loc+code,#indicator+code,#country+code+counterpart,#indicator+num\n"
        "2016-01-10,RS-SID,EXITS,HR,5800\n"
        "2016-01-10,RS-MIRATOVAC,ARRIVALS,MK,6000\n"
        "2016-01-10,RS-PRESEVO,PRESENT,,900\n",
    )
    # when
    rows, problems = read(path, "RS")
    # then
    assert [(r.indicator, r.place, r.counterpart, r.value) for r in rows] == [
        ("EXITS", "RS-SID", "HR", 5800),
        ("ARRIVALS", "RS-MIRATOVAC", "MK", 6000),
        ("PRESENT", "RS-PRESEVO", "", 900),
    ]
    assert problems == []


def test_a_counterpart_column_beside_a_destination_column_is_rejected(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path,
        "#date,#loc+code,#affected+exits,#country+code+destination,#country+code+counterpart\n"
        "2016-01-10,RS-SID,5800,HR,HR\n",
    )
    assert rejected(path, "RS") == [
        "error 1 #country+code+counterpart: The columns #country+code+destination and "
        "#country+code+counterpart both give the counterpart. | Keep one of them."
    ]


def test_the_long_formats_breakdown_columns(tmp_path: Path) -> None:
    # given
    path = csv_file(
        tmp_path,
        "#date,#loc+code,#indicator+code,#meta+breakdown,#meta+breakdown+value,#indicator+num\n"
        "2016-01-10,RS-MIRATOVAC,ARRIVALS,,,6000\n"
        "2016-01-10,RS-MIRATOVAC,ARRIVALS,nationality,SY,2500\n"
        "2016-01-10,RS-MIRATOVAC,ARRIVALS,age_group,0-13,300\n",
    )
    # when
    rows, problems = read(path, "RS")
    # then
    assert [(r.breakdown, r.breakdown_value, r.value) for r in rows] == [
        ("", "", 6000),
        ("nationality", "SY", 2500),
        ("age_group", "0-13", 300),
    ]
    assert problems == []


def test_a_row_with_two_breakdowns_is_a_located_error(tmp_path: Path) -> None:
    # given: a nationality column and a breakdown column that says otherwise; a figure column broken
    # down by sex on a row that is broken down too
    path = csv_file(
        tmp_path,
        "#date,#loc+code,#country+nationality,#meta+breakdown,#meta+breakdown+value,#affected+arrivals\n"
        "2016-01-10,RS-MIRATOVAC,SY,sex,female,100\n"
        "2016-01-10,RS-MIRATOVAC,SY,nationality,SY,200\n",
    )
    wide = csv_file(
        tmp_path,
        "#date,#loc+code,#meta+breakdown,#meta+breakdown+value,#affected+arrivals+f\n"
        "2016-01-10,RS-MIRATOVAC,nationality,SY,100\n",
        name="wide.csv",
    )
    # when
    rows, problems = read(path, "RS")
    wide_rows, wide_problems = read(wide, "RS")
    # then
    assert [(r.location.row, r.breakdown, r.breakdown_value, r.value) for r in rows] == [
        (3, "nationality", "SY", 200)
    ]
    assert problems == [
        "error 2 #country+nationality: The row gives the nationality SY and the breakdown sex female. "
        "| A figure has one breakdown: keep one of them."
    ]
    assert wide_rows == []
    assert wide_problems == [
        "error 2 #affected+arrivals+f: The column #affected+arrivals+f is broken down by sex, and the row "
        "by nationality. | A figure has one breakdown: leave the row's breakdown empty."
    ]


def test_the_reporting_participant_and_the_classification_are_checked(tmp_path: Path) -> None:
    # given
    path = csv_file(
        tmp_path,
        "#date,#org+reporting+code,#loc+code,#affected+arrivals,#meta+classification\n"
        "2016-01-10,RS,RS-SID,5,regional\n"
        "2016-01-10,HR,HR-TOVARNIK,6,regional\n"
        "2016-01-11,RS,RS-SID,7,restricted\n"
        "2016-01-12,RS,RS-SID,8,secret\n",
    )
    # when
    with_regional, problems = read(path, "RS", classification="regional")
    unchecked, unchecked_problems = read(path, "RS")
    # then
    assert [r.value for r in with_regional] == [5]
    assert problems == [
        "error 3 #org+reporting+code: This figure was reported by HR, but the file is imported for RS. "
        "| Import the figures of HR as HR, or leave their rows out (an export for one participant holds "
        "only its rows).",
        "error 4 #meta+classification: This figure comes from a restricted report: imported as regional, "
        "it would be shown to more readers than its reporter allowed. | Import the file as restricted.",
        "error 5 #meta+classification: 'secret' is not a classification. "
        "| Write public, regional or restricted, or leave the cell empty.",
    ]
    assert [r.value for r in unchecked] == [5, 7]
    assert len(unchecked_problems) == 2


def test_an_unknown_figure_hashtag_beside_the_exports_columns_keeps_its_located_error(
    tmp_path: Path,
) -> None:
    path = csv_file(
        tmp_path,
        "date,place_code,value,refugees\n"
        "#date,#loc+code,#indicator+num,#affected+refugees\n"
        "2016-01-10,RS-SID,5,4\n",
    )
    assert rejected(path, "RS") == [
        "error 2 #affected+refugees: The column #affected+refugees seems to hold figures, but seemix does "
        "not know which indicator. | Use #affected with one of +arrivals, +entries, +exits, +departures, "
        "+present, +stranded, +registrations, +registered, or #indicator+code with #indicator+num.",
        "error 2 : The hashtag row has no column for: #indicator+code (for the #indicator+num column). "
        "| See the hashtags seemix reads in the import documentation.",
    ]
