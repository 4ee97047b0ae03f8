"""CSV reader: encodings, delimiters, headers, dates, numbers, and streaming."""

from __future__ import annotations

import tracemalloc
from datetime import date
from pathlib import Path

import pytest

from seemix.flows.readers import FileRejected, open_reader
from seemix.flows.readers.columns import accepted_names
from tests.flows.readers_helpers import csv_file, read, rejected

HEADER = "date,indicator,place,value\n"


def test_a_plain_csv_file_gives_located_observations(tmp_path: Path) -> None:
    # given
    path = csv_file(
        tmp_path, HEADER + "2015-10-01,ARRIVALS,HR-TOVARNIK,4344\n2015-10-02,ARRIVALS,Tovarnik,5546\n"
    )
    # when
    rows, problems = read(path)
    # then
    assert problems == []
    assert [(r.location.file, r.location.row, r.date, r.indicator, r.place, r.value) for r in rows] == [
        ("figures.csv", 2, date(2015, 10, 1), "ARRIVALS", "HR-TOVARNIK", 4344),
        ("figures.csv", 3, date(2015, 10, 2), "ARRIVALS", "Tovarnik", 5546),
    ]
    assert rows[0].raw == {
        "date": "2015-10-01",
        "indicator": "ARRIVALS",
        "place": "HR-TOVARNIK",
        "value": "4344",
    }


def test_every_optional_column_and_synonyms_in_any_order(tmp_path: Path) -> None:
    # given
    path = csv_file(
        tmp_path,
        "Persons;Crossing point;Indicator code;Day;Destination;Breakdown;Breakdown value;Estimate;"
        "Provisional\n"
        "120;RS-SID;EXITS;01.10.2015;HR;sex;female;yes;0\n",
    )
    # when
    rows, problems = read(path, "RS")
    # then
    assert problems == []
    row = rows[0]
    assert (row.date, row.indicator, row.place, row.value, row.counterpart) == (
        date(2015, 10, 1), "EXITS", "RS-SID", 120, "HR",
    )  # fmt: skip
    assert (row.breakdown, row.breakdown_value, row.estimate, row.provisional) == (
        "sex",
        "female",
        True,
        False,
    )


def test_an_empty_file_is_rejected(tmp_path: Path) -> None:
    # given
    path = csv_file(tmp_path, "")
    # then
    assert rejected(path) == [
        "error None : The file is empty. | Send a file with a header row and one row per figure."
    ]


def test_a_file_of_blank_lines_is_rejected_as_empty(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "\n\n  \n")
    assert rejected(path) == [
        "error None : The file is empty. | Send a file with a header row and one row per figure."
    ]


def test_a_header_only_file_is_rejected(tmp_path: Path) -> None:
    # given
    path = csv_file(tmp_path, HEADER + "\n,,,\n")
    # then
    assert rejected(path) == [
        "error 1 : The file has a header but no rows of figures. | Add one row per figure below the header."
    ]


def test_an_unknown_column_is_named_with_the_accepted_names(tmp_path: Path) -> None:
    # given
    path = csv_file(tmp_path, "date,indicator,place,value,remarks\n2015-10-01,ARRIVALS,RS-SID,5,x\n")
    # then
    assert rejected(path) == [
        "error 1 remarks: The column 'remarks' is not one seemix knows. "
        f"| Accepted column names: {accepted_names()}."
    ]


def test_a_misspelt_column_gets_a_suggestion_and_the_missing_field_is_named(tmp_path: Path) -> None:
    # given
    path = csv_file(tmp_path, "date,indicator,place,valeu\n2015-10-01,ARRIVALS,RS-SID,5\n")
    # then
    assert rejected(path) == [
        "error 1 valeu: The column 'valeu' is not one seemix knows. | Did you mean value? "
        f"Accepted column names: {accepted_names()}.",
        "error 1 : The header has no column for: value. "
        "| Every file needs the columns date, indicator, place and value.",
    ]


def test_two_columns_for_one_field_are_rejected(tmp_path: Path) -> None:
    path = csv_file(tmp_path, "date,indicator,place,location,value\n2015-10-01,ARRIVALS,RS-SID,RS,5\n")
    assert rejected(path) == [
        "error 1 location: The columns 'place' and 'location' both mean place. | Keep one of them."
    ]


def test_a_country_column_beside_the_place_is_the_places_country(tmp_path: Path) -> None:
    # given: "country" gives the place only when no other column does (a seemix export has both)
    path = csv_file(tmp_path, "date,indicator,place,country,value\n2015-10-01,ARRIVALS,RS-SID,RS,5\n")
    # when
    rows, problems = read(path, "RS")
    # then
    assert [(r.place, r.value) for r in rows] == [("RS-SID", 5)]
    assert problems == []


def test_a_country_column_alone_is_the_place_and_two_of_them_are_rejected(tmp_path: Path) -> None:
    alone = csv_file(tmp_path, "date,indicator,country,value\n2015-10-01,ARRIVALS,RS,5\n")
    assert [r.place for r in read(alone, "RS")[0]] == ["RS"]
    both = csv_file(tmp_path, "date,indicator,country,country code,value\n2015-10-01,ARRIVALS,RS,RS,5\n")
    assert rejected(both) == [
        "error 1 country code: The columns 'country' and 'country code' both mean place. | Keep one of them."
    ]


@pytest.mark.parametrize(("delimiter", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab")])
def test_the_delimiter_is_taken_from_the_header(tmp_path: Path, delimiter: str, name: str) -> None:
    # given
    lines = ["date", "indicator", "place", "value"], ["01.10.2015", "ARRIVALS", "Tabanovce, MK", "1.234"]
    path = csv_file(tmp_path, "".join(delimiter.join(f'"{c}"' for c in line) + "\n" for line in lines))
    # when
    rows, _problems = read(path, "MK")
    # then
    assert [(r.place, r.value) for r in rows] == [("Tabanovce, MK", 1234)]


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_column(tmp_path: Path) -> None:
    # given
    path = csv_file(tmp_path, "\ufeff" + HEADER + "2015-10-01,ARRIVALS,Šid,7\n")
    # when
    rows, problems = read(path, "RS")
    # then
    assert problems == []
    assert [(r.date, r.place) for r in rows] == [(date(2015, 10, 1), "Šid")]


def test_latin1_text_is_read_in_the_participants_legacy_code_page_and_said(tmp_path: Path) -> None:
    # given: Röszke written by a program that saves Latin-1 (ö is 0xF6 in Latin-1 and Windows-1250)
    path = csv_file(tmp_path, HEADER + "2015-10-01,ARRIVALS,Röszke,41\n", encoding="latin-1")
    # when
    rows, problems = read(path, "HU")
    # then
    assert [r.place for r in rows] == ["Röszke"]
    assert problems == [
        "warning 2 : The file is not UTF-8 (the first byte that is not is in row 2): it was read as "
        "Windows-1250 (Central European), the usual legacy encoding for HU. "
        "| If names look wrong, save the file as UTF-8 and import it again."
    ]


def test_windows_1250_gives_the_croatian_and_serbian_letters(tmp_path: Path) -> None:
    path = csv_file(tmp_path, HEADER + "2015-10-01,ARRIVALS,Šid,7\n", encoding="cp1250")
    rows, problems = read(path, "RS")
    assert [r.place for r in rows] == ["Šid"]
    assert len(problems) == 1


def test_a_participant_without_a_legacy_code_page_gets_windows_1252(tmp_path: Path) -> None:
    path = csv_file(tmp_path, HEADER + "2015-10-01,ARRIVALS,Österreich,7\n", encoding="latin-1")
    rows, problems = read(path, "UNHCR")
    assert [r.place for r in rows] == ["Österreich"]
    assert "Windows-1252 (Western European, Latin-1)" in problems[0]


def test_a_non_utf8_byte_after_the_first_mib_rejects_only_its_row(tmp_path: Path) -> None:
    # given: the first MiB is ASCII (so UTF-8), then a Latin-1 byte
    filler = "2015-10-01,ARRIVALS,HR-TOVARNIK,1\n" * 40_000
    path = tmp_path / "late.csv"
    path.write_bytes((HEADER + filler).encode() + b"2015-10-02,ARRIVALS,Tovarnik \xe9,2\n")
    # when
    rows, problems = read(path)
    # then
    assert len(rows) == 40_000
    assert problems == [
        "error 40002 place: This cell holds bytes that are not utf-8, the encoding of the file's beginning. "
        "| Save the whole file as UTF-8 and import it again."
    ]


def test_mixed_date_formats_are_an_error_at_each_row_that_differs(tmp_path: Path) -> None:
    # given
    path = csv_file(
        tmp_path,
        HEADER
        + "01.10.2015,ARRIVALS,HR-TOVARNIK,1\n2015-10-02,ARRIVALS,HR-TOVARNIK,2\n"
        + "03.10.2015,ARRIVALS,HR-TOVARNIK,3\n",
    )
    # when
    rows, problems = read(path)
    # then
    assert [r.location.row for r in rows] == [2, 4]
    assert problems == [
        "error 3 date: This date is written as yyyy-mm-dd, but the file's dates are written as dd.mm.yyyy "
        "(first in row 2). | Write every date of the file the same way."
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2015-10-01", date(2015, 10, 1)), ("1.10.2015", date(2015, 10, 1)), ("01.10.2015.", date(2015, 10, 1)),
     ("01/10/2015", date(2015, 10, 1))],
)  # fmt: skip
def test_the_three_date_formats(tmp_path: Path, text: str, expected: date) -> None:
    path = csv_file(tmp_path, HEADER + f"{text},ARRIVALS,HR-TOVARNIK,1\n")
    rows, _problems = read(path)
    assert rows[0].date == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10/13/2015", "'10/13/2015' is not a date in the calendar (read as dd/mm/yyyy). | Dates are "
         "read day first (dd/mm/yyyy); '10/13/2015' looks month first: write 2015-10-13."),
        ("31.02.2016", "'31.02.2016' is not a date in the calendar (read as dd.mm.yyyy)."),
        ("Oct 1", "'Oct 1' is not a date. | Write the date as 2015-10-01 (ISO 8601), 01.10.2015 or "
         "01/10/2015."),
        ("", "The date is missing. | Write the date as 2015-10-01 (ISO 8601), 01.10.2015 or 01/10/2015."),
    ],
)  # fmt: skip
def test_bad_dates_are_located_errors(tmp_path: Path, text: str, message: str) -> None:
    path = csv_file(tmp_path, HEADER + f"{text},ARRIVALS,HR-TOVARNIK,1\n2015-10-02,ARRIVALS,HR-TOVARNIK,2\n")
    rows, problems = read(path)
    assert [r.location.row for r in rows] == [3]
    assert problems == [f"error 2 date: {message}"]


@pytest.mark.parametrize("text", ["", "N/A", "n/a", "NA", "-", "–", "..", " "])
def test_missing_markers_stay_missing_never_zero(tmp_path: Path, text: str) -> None:
    path = csv_file(tmp_path, HEADER + f"2015-10-01,ARRIVALS,HR-TOVARNIK,{text}\n")
    rows, problems = read(path)
    assert [r.value for r in rows] == [None]
    assert problems == []


def test_a_point_in_1234_is_a_thousands_separator_for_croatia_said_once(tmp_path: Path) -> None:
    # given
    path = csv_file(
        tmp_path,
        HEADER + "2015-10-01,ARRIVALS,HR-TOVARNIK,1.234\n2015-10-02,ARRIVALS,HR-TOVARNIK,12.345\n"
        "2015-10-03,ARRIVALS,HR-TOVARNIK,1 234\n2015-10-04,ARRIVALS,HR-TOVARNIK,1234.0\n",
    )
    # when
    rows, problems = read(path, "HR")
    # then
    assert [r.value for r in rows] == [1234, 12345, 1234, 1234]
    assert problems == [
        "warning 2 value: '1.234' was read as 1234: for HR '.' separates thousands "
        "(2 values were read this way; this is the first)."
    ]


@pytest.mark.parametrize(
    ("participant", "text", "message"),
    [
        ("UNHCR", "1.234", "'1.234' is ambiguous: in English '.' separates decimals, and a count of "
         "persons has none. | If you meant 1234 persons, write 1234."),
        ("HR", "1,234", "'1,234' is ambiguous: in Croatian ',' separates decimals, and a count of "
         "persons has none. | If you meant 1234 persons, write 1234."),
        ("AL", "1.234", "'1.234' is ambiguous: Albanian separates thousands with a space and decimals "
         "with ','. | If you meant 1234 persons, write 1234."),
        ("", "1.234", "'1.234' is ambiguous: '.' may separate thousands or decimals, and - has no number "
         "convention in seemix. | Write the number with digits only: 1234."),
        ("HR", "12,5", "'12,5' is not a whole number: a count of persons has no fraction. "
         "| Round it to a whole number of persons."),
        ("HR", "many", "'many' is not a number. | Write the count with digits only; leave the cell empty or "
         "write N/A when it was not reported."),
    ],
)  # fmt: skip
def test_numbers_that_cannot_be_read_safely_are_located_errors(
    tmp_path: Path, participant: str, text: str, message: str
) -> None:
    # given
    path = csv_file(tmp_path, HEADER + f'2015-10-01,ARRIVALS,HR-TOVARNIK,"{text}"\n')
    # when
    rows, problems = read(path, participant)
    # then
    assert rows == []
    assert problems == [f"error 2 value: {message}"]


def test_albania_groups_thousands_with_a_space(tmp_path: Path) -> None:
    # Albanian writes 1 234 (CLDR): the point is neither its thousands nor its decimal separator.
    path = csv_file(tmp_path, HEADER + '2015-10-01,ARRIVALS,AL,"1\u00a0234"\n')
    rows, problems = read(path, "AL")
    assert [r.value for r in rows] == [1234]
    assert problems == []


def test_a_cell_beyond_the_header_rejects_its_row(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path, HEADER + "2015-10-01,ARRIVALS,HR-TOVARNIK,1,234\n2015-10-02,ARRIVALS,HR-TOVARNIK,5\n"
    )
    rows, problems = read(path)
    assert [r.value for r in rows] == [5]
    assert problems == [
        "error 2 5: This row has a value in column 5, beyond the header's 4 columns. "
        "| Check the row for a stray delimiter."
    ]


def test_bad_flags_are_located_errors(tmp_path: Path) -> None:
    path = csv_file(
        tmp_path, "date,indicator,place,value,estimate\n2015-10-01,ARRIVALS,HR-TOVARNIK,1,maybe\n"
    )
    rows, problems = read(path)
    assert rows == []
    assert problems == [
        "error 2 estimate: 'maybe' is neither yes nor no. | Write 1 or yes for yes, 0, no or nothing for no."
    ]


def _big_file(path: Path, rows: int) -> Path:
    line = b"2015-10-01,ARRIVALS,HR-TOVARNIK,1234\n"
    with path.open("wb") as out:
        out.write(HEADER.encode())
        block = line * 10_000
        for _ in range(rows // 10_000):
            out.write(block)
    return path


def test_a_large_file_is_streamed_not_loaded(tmp_path: Path) -> None:
    # given: 50 MB of figures
    path = _big_file(tmp_path / "big.csv", 1_400_000)
    assert path.stat().st_size > 50_000_000
    # when: the header and the first row are read
    with open_reader(path, participant="HR") as reader:
        first = next(iter(reader))
        done, total = reader.progress
    # then: only a buffer's worth of the file has been read
    assert first.location.row == 2
    assert total == path.stat().st_size
    assert done <= 1 << 17


def _peak_memory_reading(path: Path) -> int:
    tracemalloc.start()
    try:
        with open_reader(path, participant="HR") as reader:
            for _row in reader:
                pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_reading_a_file_through_keeps_memory_flat(tmp_path: Path) -> None:
    # given: files of 1.1 MB and 3 MB (both above the 1 MiB the encoding is sniffed from)
    small = _big_file(tmp_path / "small.csv", 30_000)
    large = _big_file(tmp_path / "large.csv", 80_000)
    # when
    small_peak, large_peak = _peak_memory_reading(small), _peak_memory_reading(large)
    # then: what is held is a buffer and a row, not the file nor its rows (~50 MB as objects)
    assert large_peak < small_peak + 256 * 1024
    assert large_peak < 3 * 1024 * 1024


def test_iterated_directly_a_reader_refuses_a_file_with_errors_at_its_end(tmp_path: Path) -> None:
    # given: a caller that hands the rows on without the reader's log (not through import_file)
    path = csv_file(
        tmp_path, HEADER + "2015-10-01,ARRIVALS,HR-TOVARNIK,1\n2015-10-02,ARRIVALS,HR-TOVARNIK,abc\n"
    )
    handed_on = []

    def hand_on() -> None:
        with open_reader(path, participant="HR") as reader:
            for row in reader:
                handed_on.append(row.value)

    # when
    with pytest.raises(FileRejected) as caught:
        hand_on()
    # then: the good row was read, but the file is refused before the caller can write it alone
    assert handed_on == [1]
    assert [p.location.row for p in caught.value.problems] == [3]
