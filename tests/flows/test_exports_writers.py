"""The export writers alone: rows in, files out, read back with the field's own readers."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import openpyxl
import sdmx

from seemix.flows.exports import COLUMNS, FORMATS, HXL_TAGS, ExportRow, render, tabular
from seemix.flows.exports import sdmx as sdmx_export


def row(**overrides) -> ExportRow:
    values = {
        "date": date(2015, 10, 19),
        "periodicity": "daily",
        "participant": "RS",
        "country": "RS",
        "place_type": "crossing_point",
        "place_code": "RS-MIRATOVAC",
        "place_name": "Miratovac",
        "indicator": "ARRIVALS",
        "unit": "persons",
        "counterpart": "",
        "breakdown": "",
        "breakdown_value": "",
        "value": 6211,
        "estimate": False,
        "provisional": False,
        "classification": "regional",
        "report": 7,
        "revision": 2,
        "submitted_at": datetime(2015, 10, 20, 8, 30, tzinfo=UTC),
    }
    values.update(overrides)
    return ExportRow(**values)


ROWS = [
    row(),
    row(
        indicator="EXITS", counterpart="HR", value=5980, estimate=True, place_code="RS-SID", place_name="Šid"
    ),
    row(breakdown="nationality", breakdown_value="SY", value=3100, provisional=True),
    row(value=None, place_code="RS", place_type="country", place_name="Serbia"),
    row(periodicity="monthly", date=date(2015, 10, 1), indicator="FRAN-1A", value=120000),
]


def body(name: str, rows=ROWS) -> bytes:
    return b"".join(render(name, rows))


def test_csv_has_a_header_and_one_line_per_observation():
    # when
    parsed = list(csv.reader(io.StringIO(body("csv").decode("utf-8"))))
    # then
    assert parsed[0] == list(COLUMNS)
    assert len(parsed) == 1 + len(ROWS)
    first = dict(zip(parsed[0], parsed[1], strict=True))
    assert first["date"] == "2015-10-19"
    assert first["value"] == "6211"
    assert first["estimate"] == "0"
    assert first["submitted_at"] == "2015-10-20T08:30:00+00:00"
    assert dict(zip(parsed[0], parsed[2], strict=True))["place_name"] == "Šid"


def test_csv_keeps_a_missing_value_missing_not_zero():
    # when
    parsed = list(csv.DictReader(io.StringIO(body("csv").decode("utf-8"))))
    # then
    assert parsed[3]["value"] == ""


def test_csv_streams_in_chunks(monkeypatch):
    # given
    monkeypatch.setattr(tabular, "CHUNK_ROWS", 2)
    # when
    chunks = list(render("csv", ROWS))
    # then
    assert len(chunks) == 3
    assert b"".join(chunks).count(b"\r\n") == 1 + len(ROWS)


def test_hxl_tags_every_column():
    # when
    parsed = list(csv.reader(io.StringIO(body("hxl").decode("utf-8"))))
    # then
    assert parsed[0] == list(COLUMNS)
    assert parsed[1] == [HXL_TAGS[name] for name in COLUMNS]
    assert all(tag.startswith("#") and " " not in tag for tag in parsed[1])
    assert len(set(parsed[1])) == len(COLUMNS)
    assert len(parsed) == 2 + len(ROWS)


def test_libhxl_reads_the_hxl_export():
    # given
    import hxl

    text = body("hxl").decode("utf-8")
    # when
    dataset = hxl.data(hxl.input.ArrayInput(list(csv.reader(text.splitlines()))))
    tags = [str(column) for column in dataset.columns]
    rows = list(dataset)  # a libhxl data set is read once
    values = [r.get("#indicator+num") or "" for r in rows]
    # then
    assert tags == [HXL_TAGS[name] for name in COLUMNS]
    assert all(tag.startswith("#") for tag in tags)
    assert values == ["6211", "5980", "3100", "", "120000"]
    assert rows[1].get("#country+code+counterpart") == "HR"


def test_xlsx_has_the_same_cells_typed():
    # given
    book = openpyxl.load_workbook(io.BytesIO(body("xlsx")), read_only=True)
    # when
    sheet = book["observations"]
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    # then
    assert cells[0][: len(COLUMNS) - 1] == list(COLUMNS[:-1])
    assert cells[0][-1] == "submitted_at (UTC)"
    assert len(cells) == 1 + len(ROWS)
    first = dict(zip(COLUMNS, cells[1], strict=True))
    assert first["date"] == datetime(2015, 10, 19)
    assert first["value"] == 6211
    assert first["estimate"] is False
    assert first["submitted_at"] == datetime(2015, 10, 20, 8, 30)
    assert dict(zip(COLUMNS, cells[4], strict=True))["value"] is None


def test_xlsx_continues_on_a_new_sheet_past_the_row_limit(monkeypatch):
    # given
    monkeypatch.setattr(tabular, "XLSX_ROWS_PER_SHEET", 2)
    # when
    book = openpyxl.load_workbook(io.BytesIO(body("xlsx")), read_only=True)
    # then
    assert book.sheetnames == ["observations", "observations 2", "observations 3"]
    assert sum(len(list(book[name].iter_rows())) - 1 for name in book.sheetnames) == len(ROWS)


def test_xlsx_of_nothing_has_its_header():
    # when
    book = openpyxl.load_workbook(io.BytesIO(body("xlsx", [])), read_only=True)
    # then
    assert [list(r) for r in book["observations"].iter_rows(values_only=True)] == [
        [*COLUMNS[:-1], "submitted_at (UTC)"]
    ]


def test_sdmx_csv_has_dataflow_dimensions_value_and_attributes():
    # when
    parsed = list(csv.DictReader(io.StringIO(body("sdmx-csv").decode("utf-8"))))
    # then
    assert list(parsed[0]) == [
        "DATAFLOW",
        "FREQ",
        "REF_AREA",
        "INDICATOR",
        "LOCATION",
        "COUNTERPART_AREA",
        "BREAKDOWN",
        "BREAKDOWN_VALUE",
        "TIME_PERIOD",
        "OBS_VALUE",
        "OBS_STATUS",
        "UNIT_MEASURE",
        "REPORTING_PARTICIPANT",
    ]
    assert parsed[0]["DATAFLOW"] == "SEEMIX:DF_MIGRATION_FLOWS(1.0)"
    assert [(p["FREQ"], p["TIME_PERIOD"], p["OBS_VALUE"], p["OBS_STATUS"]) for p in parsed] == [
        ("D", "2015-10-19", "6211", "A"),
        ("D", "2015-10-19", "5980", "E"),
        ("D", "2015-10-19", "3100", "P"),
        ("D", "2015-10-19", "", "M"),
        ("M", "2015-10", "120000", "A"),
    ]
    assert (parsed[1]["COUNTERPART_AREA"], parsed[0]["COUNTERPART_AREA"]) == ("HR", "_Z")
    assert (parsed[2]["BREAKDOWN"], parsed[2]["BREAKDOWN_VALUE"]) == ("nationality", "SY")
    assert (parsed[0]["BREAKDOWN"], parsed[0]["BREAKDOWN_VALUE"]) == ("_T", "_T")


def test_sdmx_ml_is_read_back_by_sdmx1_with_the_same_numbers(tmp_path):
    # given
    path = tmp_path / "export.xml"
    path.write_bytes(body("sdmx-ml"))
    # when
    message = sdmx.read_sdmx(path)
    observations = message.data[0].obs
    # then
    assert len(observations) == len(ROWS)
    read = {
        (
            o.key["INDICATOR"].value,
            o.key["LOCATION"].value,
            o.key["BREAKDOWN_VALUE"].value,
            o.key["TIME_PERIOD"].value,
        ): float(o.value)
        for o in observations
    }
    assert read[("ARRIVALS", "RS-MIRATOVAC", "_T", "2015-10-19")] == 6211
    assert read[("EXITS", "RS-SID", "_T", "2015-10-19")] == 5980
    assert read[("ARRIVALS", "RS-MIRATOVAC", "SY", "2015-10-19")] == 3100
    assert read[("FRAN-1A", "RS-MIRATOVAC", "_T", "2015-10")] == 120000
    missing = read[("ARRIVALS", "RS", "_T", "2015-10-19")]
    assert missing != missing  # NaN: missing stays missing
    statuses = [o.attrib["OBS_STATUS"].value for o in observations]
    assert statuses == ["A", "E", "P", "M", "A"]


def test_sdmx_ml_streams_in_chunks_that_form_one_document(monkeypatch, tmp_path):
    # given
    monkeypatch.setattr(sdmx_export, "CHUNK_ROWS", 2)
    # when
    chunks = list(render("sdmx-ml", ROWS))
    path = tmp_path / "export.xml"
    path.write_bytes(b"".join(chunks))
    # then
    assert len(chunks) >= 3
    assert len(sdmx.read_sdmx(path).data[0].obs) == len(ROWS)


def test_json_lists_every_observation_with_its_columns():
    # when
    parsed = json.loads(body("json"))
    # then
    assert parsed["format"] == "seemix-observations"
    assert parsed["columns"] == list(COLUMNS)
    assert len(parsed["observations"]) == len(ROWS)
    assert parsed["observations"][0]["value"] == 6211
    assert parsed["observations"][3]["value"] is None
    assert parsed["observations"][1]["estimate"] is True
    assert parsed["observations"][0]["date"] == "2015-10-19"


def test_every_format_renders_an_empty_export():
    # when / then
    for name in FORMATS:
        assert b"".join(render(name, [])), name
