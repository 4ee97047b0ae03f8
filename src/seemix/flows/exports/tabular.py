"""CSV, HXL-tagged CSV and XLSX writers. CSV and HXL stream; XLSX is written to a temporary file."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import IO, Any

from openpyxl import Workbook

from seemix.flows.exports.rows import COLUMNS, HXL_TAGS, ExportRow, as_text_rows

# Rows per chunk of a streamed response: large enough to keep the per-chunk overhead negligible.
CHUNK_ROWS = 2000
# Excel's limit is 1,048,576 rows a sheet; one is the header. A larger export continues on a new sheet.
XLSX_ROWS_PER_SHEET = 1_048_575


def _csv_chunks(header_rows: list[list[str]], rows: Iterable[ExportRow]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(header_rows)
    pending = 0
    for text_row in as_text_rows(rows):
        writer.writerow(text_row)
        pending += 1
        if pending >= CHUNK_ROWS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue()


def write_csv(rows: Iterable[ExportRow]) -> Iterator[str]:
    """RFC 4180 CSV (CRLF line ends), one header row of column names, UTF-8 without BOM."""
    return _csv_chunks([list(COLUMNS)], rows)


def write_hxl(rows: Iterable[ExportRow]) -> Iterator[str]:
    """CSV with an HXL hashtag row under the header: every column is tagged."""
    return _csv_chunks([list(COLUMNS), [HXL_TAGS[name] for name in COLUMNS]], rows)


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, datetime):
        # Excel has no time zones: timestamps are written in UTC, as the column header says.
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def write_xlsx(rows: Iterable[ExportRow], out: IO[bytes]) -> None:
    """An XLSX workbook (openpyxl write-only mode: memory stays flat however many rows)."""
    workbook = Workbook(write_only=True)
    header = [f"{name} (UTC)" if name == "submitted_at" else name for name in COLUMNS]
    sheet = None
    written = XLSX_ROWS_PER_SHEET
    for row in rows:
        if written >= XLSX_ROWS_PER_SHEET:
            number = len(workbook.worksheets) + 1
            sheet = workbook.create_sheet("observations" if number == 1 else f"observations {number}")
            sheet.append(header)
            written = 0
        assert sheet is not None
        sheet.append([_xlsx_value(getattr(row, name)) for name in COLUMNS])
        written += 1
    if sheet is None:
        workbook.create_sheet("observations").append(header)
    workbook.save(out)
