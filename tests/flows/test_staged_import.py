"""The staged (set-wise) import path against the row path: the same file gives the same outcome.

Each test runs one file through ``import_csv`` (which takes the staged path for a canonical CSV) and
through the row path (``import_file``), each inside a transaction that is rolled back, and compares
every problem (file, sheet, row, column, field, value, reason, suggestion, severity), what was
written, and which path answered.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.flows.staged_helpers import HEADER, both, same, write


def test_a_good_file_is_written_the_same_by_both_paths(flows_world: Any, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            "2016-01-10,ARRIVALS,RS-MIRATOVAC,1538,,,,,",
            "2016-01-10,ARRIVALS,RS-MIRATOVAC,900,,nationality,sy,1,",
            "2016-01-10,ARRIVALS,RS-MIRATOVAC,,,nationality,AF,,1",
            "2016-01-09,ARRIVALS,Šid,489,,,,0,0",
            "2016-01-09,EXITS,RS-SID,480,HR,,,,",
            "2016-01-01,FRAN-1A,RS,75,,,,,",
        ],
    )
    staged, rows = both(flows_world["RS"], path)
    same(staged, rows)
    assert staged["written"] is True
    assert staged["problems"] == []
    assert staged["accepted"] == 6
    assert staged["revisions"] == [
        ("monthly", "2016-01-01", 1, "submitted", 1),
        ("daily", "2016-01-09", 1, "submitted", 2),
        ("daily", "2016-01-10", 1, "submitted", 3),
    ]
    assert [(r[2], r[3], r[10], r[11], r[12], r[13]) for r in staged["stored"] if r[9]] == [
        ("ARRIVALS", date(2016, 1, 10), "AF", None, False, True),
        ("ARRIVALS", date(2016, 1, 10), "SY", 900, True, False),
    ]


BAD_CODES = [
    "2016-01-10,ARIVALS,RS-MIRATOVAC,1,,,,,",  # unknown indicator (did you mean)
    "2016-01-10,ARRIVALS,Miratovak,2,,,,,",  # unknown place (did you mean)
    "2016-01-10,ARRIVALS,MK-TABANOVCE,3,,,,,",  # another participant's crossing point
    "2016-01-10,ARRIVALS,RS-SID,4,,nationality,Syria,,",  # not a country code
    "2016-01-10,FRAN-2,RS,5,,unaccompanied_minors,yes,,",  # a breakdown the indicator lacks
    "2016-01-10,EXITS,RS-SID,6,,,,,",  # EXITS needs its counterpart
    "2016-01-10,EXITS,RS-SID,7,RS,,,,",  # the counterpart is the place's own country
    "2016-01-10,ARRIVALS,RS-SID,8,,colour,red,,",  # unknown breakdown
    "2016-01-10,ARRIVALS,RS-SID,9,,,SY,,",  # a breakdown value without a breakdown
    "2016-01-10,ARRIVALS,Šіd,10,,,,,",  # a Cyrillic і inside a Latin word
    "2016-01-10,ARRIVALS,RS-MIRATOVAC,-5,,,,,",  # negative
]


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param(BAD_CODES, id="codes"),
        pytest.param(
            [
                "2016-03-09,ARRIVALS,RS-SID,1,,,,,",  # in the future (TODAY is 2016-03-01)
                "2016-01-15,FRAN-1A,RS,2,,,,,",  # monthly, not dated by the first
                "2016-01-10,ARRIVALS,RS-SID,3,,,,,",
            ],
            id="dates",
        ),
        pytest.param(
            [
                "2016-01-10,ARRIVALS,RS-SID,1,,,,,",
                "2016-01-10,ARRIVALS,Šid,2,,,,,",  # the same place by name: a duplicate
                "2016-01-10,ARRIVALS,RS-SID,3,,nationality,SY,,",
                "2016-01-10,ARRIVALS,RS-SID,4,,nationality,sy,,",  # the same nationality
                "2016-01-11,ARRIVALS,Tabanovse,4,,,,,",  # an error: not a duplicate's first row
                "2016-01-11,ARRIVALS,Tabanovse,4,,,,,",
            ],
            id="duplicates",
        ),
        pytest.param(
            [
                "2016-01-10,ARRIVALS,RS-SID,100,,,,,",
                "2016-01-10,ARRIVALS,RS-SID,70,,nationality,SY,,",
                "2016-01-10,ARRIVALS,RS-SID,40,,nationality,AF,,",
                "2016-01-10,ARRIVALS,RS-SID,60,,sex,female,,",
                "2016-01-10,ARRIVALS,RS-SID,50,,sex,male,,",
                "2016-01-11,ARRIVALS,RS-SID,10,,,,,",
                "2016-01-11,ARRIVALS,RS-SID,,,nationality,SY,,",
                "2016-01-11,ARRIVALS,RS-SID,9,,nationality,AF,,",
                "2016-01-12,ARRIVALS,RS-SID,,,,,,",
                "2016-01-12,ARRIVALS,RS-SID,9,,nationality,AF,,",
            ],
            id="breakdown sums",
        ),
    ],
)
def test_a_bad_file_gets_the_same_report_from_both_paths(
    flows_world: Any, tmp_path: Path, lines: list[str]
) -> None:
    path = write(tmp_path, lines)
    staged, rows = both(flows_world["RS"], path)
    same(staged, rows)
    assert staged["written"] is False
    assert staged["stored"] == []
    assert any(p["severity"] == "error" for p in staged["problems"])


def test_the_codes_report_names_each_row_and_column(flows_world: Any, tmp_path: Path) -> None:
    staged, _rows = both(flows_world["RS"], write(tmp_path, BAD_CODES))
    located = [(p["row"], p["column"], p["field"], p["value"], p["suggestion"]) for p in staged["problems"]]
    assert located[:3] == [
        (2, "indicator", "indicator", "ARIVALS", "Did you mean ARRIVALS (Arrivals (entries))?"),
        (3, "place", "place", "Miratovak", "Did you mean Preševo (Miratovac) (RS-MIRATOVAC)?"),
        (4, "place", "place", "MK-TABANOVCE", ""),
    ]
    assert sorted({p["row"] for p in staged["problems"]}) == list(range(2, 13))
    assert staged["problems"][-1]["message"] == "A count cannot be negative."


def test_the_history_warning_is_the_same_and_the_file_is_written(flows_world: Any, tmp_path: Path) -> None:
    start = date(2016, 1, 1)
    lines = [f"{start + timedelta(days=d)},ARRIVALS,RS-SID,{100 + d % 5},,,,," for d in range(12)]
    lines.append(f"{start + timedelta(days=12)},ARRIVALS,RS-SID,1000,,,,,")
    staged, rows = both(flows_world["RS"], write(tmp_path, lines))
    same(staged, rows)
    assert staged["written"] is True
    assert [(p["row"], p["severity"]) for p in staged["problems"]] == [(14, "warning")]
    assert staged["problems"][0]["message"].startswith("1000 is far above the recent history of this series")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2016-01-10,ARRIVALS,RS-SID,1.234,,,,,\n", "a locale number"),
        ("10.01.2016,ARRIVALS,RS-SID,1,,,,,\n", "a dotted date"),
        ("2016-01-10,ARRIVALS,RS-SID,N/A,,,,,\n", "a missing marker"),
        ("2016-01-10,ARRIVALS,RS-SID,1,,,,yes,\n", "a word for a flag"),
        ("2016-01-10,ARRIVALS, RS-SID ,1,,,,,\n", "spaces around a code"),
        ("2016-01-10,ARRIVALS,RS-SID,1,,,,,\n\n2016-01-11,ARRIVALS,RS-SID,1,,,,,\n", "a blank line"),
        ("2016-01-10,ARRIVALS,RS-SID,1,,,,,,7\n", "a cell beyond the header"),
        ("2016-01-10,ARRIVALS,RS-SID,1\n", "a short row"),
        ("2016-02-30,ARRIVALS,RS-SID,1,,,,,\n", "a date not in the calendar"),
        ("2016-01-10,ARRIVALS,RS-SID,\x00,,,,,\n", "a NUL byte"),
    ],
)
def test_a_file_the_staged_path_does_not_read_goes_down_the_row_path(
    flows_world: Any, tmp_path: Path, text: str, why: str
) -> None:
    path = tmp_path / "figures.csv"
    path.write_text(HEADER + text, encoding="utf-8")
    staged, rows = both(flows_world["RS"], path)
    same(staged, rows, path="rows")


def test_other_encodings_and_delimiters_go_down_the_row_path(flows_world: Any, tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("date;indicator;place;value\n2016-01-10;ARRIVALS;Šid;1\n".encode("cp1250"))
    staged, rows = both(flows_world["RS"], latin)
    same(staged, rows, path="rows")
    late = tmp_path / "late.csv"
    late.write_bytes(
        b"date,indicator,place,value\n2016-01-10,ARRIVALS,RS-SID,1\n2016-01-11,ARRIVALS,\xe8,1\n"
    )
    staged, rows = both(flows_world["RS"], late)
    same(staged, rows, path="rows")


def test_a_byte_order_mark_and_another_column_order_take_the_staged_path(
    flows_world: Any, tmp_path: Path
) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffvalue,Place,DATE,indicator\n5,RS-SID,2016-01-10,ARRIVALS\n".encode())
    staged, rows = both(flows_world["RS"], path)
    same(staged, rows)
    assert staged["stored"][0][11] == 5


def test_row_by_row_and_xlsx_take_the_row_path(flows_world: Any, tmp_path: Path) -> None:
    path = write(tmp_path, ["2016-01-10,ARRIVALS,RS-SID,1,,,,,", "2016-01-10,ARRIVALS,Tabanovse,1,,,,,"])
    staged, rows = both(flows_world["RS"], path, row_by_row=True)
    same(staged, rows, path="rows")
    assert staged["accepted"] == 1
