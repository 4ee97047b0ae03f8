"""Exports of observations: CSV, XLSX, HXL, SDMX-CSV, SDMX-ML 2.1 and JSON.

``FORMATS`` names each format with its media type and file extension; ``render(name, rows)`` gives
the body as an iterator of bytes (streamed) — XLSX, a zip archive, is built in a temporary file
first and then read back in chunks.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from seemix.flows.exports.jsonl import write_json
from seemix.flows.exports.rows import COLUMNS, HXL_TAGS, ExportRow
from seemix.flows.exports.sdmx import write_sdmx_csv, write_sdmx_ml
from seemix.flows.exports.tabular import write_csv, write_hxl, write_xlsx

__all__ = ["COLUMNS", "FORMATS", "HXL_TAGS", "ExportFormat", "ExportRow", "render"]

FILE_CHUNK = 256 * 1024


@dataclass(frozen=True)
class ExportFormat:
    name: str
    label: str
    media_type: str
    extension: str


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("csv", "CSV", "text/csv; charset=utf-8", "csv"),
        ExportFormat(
            "xlsx",
            "Excel (XLSX)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        ExportFormat("hxl", "HXL (tagged CSV)", "text/csv; charset=utf-8", "hxl.csv"),
        ExportFormat(
            "sdmx-csv", "SDMX-CSV", "application/vnd.sdmx.data+csv; version=1.0.0; charset=utf-8", "csv"
        ),
        ExportFormat("sdmx-ml", "SDMX-ML 2.1", "application/vnd.sdmx.genericdata+xml; version=2.1", "xml"),
        ExportFormat("json", "JSON", "application/json", "json"),
    )
}


def _encoded(chunks: Iterable[str]) -> Iterator[bytes]:
    for chunk in chunks:
        yield chunk.encode("utf-8")


def _xlsx(rows: Iterable[ExportRow]) -> Iterator[bytes]:
    with tempfile.TemporaryFile() as spool:
        write_xlsx(rows, spool)
        spool.seek(0)
        while chunk := spool.read(FILE_CHUNK):
            yield chunk


def render(name: str, rows: Iterable[ExportRow], *, meta: dict[str, Any] | None = None) -> Iterator[bytes]:
    """The export of ``rows`` in format ``name`` (a key of FORMATS), as bytes to stream."""
    if name == "csv":
        return _encoded(write_csv(rows))
    if name == "hxl":
        return _encoded(write_hxl(rows))
    if name == "sdmx-csv":
        return _encoded(write_sdmx_csv(rows))
    if name == "sdmx-ml":
        return write_sdmx_ml(rows)
    if name == "json":
        return _encoded(write_json(rows, meta=meta))
    if name == "xlsx":
        return _xlsx(rows)
    raise KeyError(name)
