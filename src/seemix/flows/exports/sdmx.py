"""SDMX-CSV 1.0 and SDMX-ML 2.1 (generic data message, all dimensions at observation level).

One data structure for every observation: the dimensions below identify a figure; the value is
OBS_VALUE; OBS_STATUS (SDMX code list CL_OBS_STATUS) says A normal, E estimated, P provisional, M
missing (an estimate that is also provisional is written E). "_T" is the SDMX code for a total and
"_Z" for "not applicable" (no counterpart country).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from lxml import etree

from seemix.flows.exports.rows import ExportRow

AGENCY = "SEEMIX"
DSD_ID = "DSD_MIGRATION_FLOWS"
DATAFLOW_ID = "DF_MIGRATION_FLOWS"
VERSION = "1.0"
DATAFLOW = f"{AGENCY}:{DATAFLOW_ID}({VERSION})"
DIMENSIONS = (
    "FREQ",
    "REF_AREA",
    "INDICATOR",
    "LOCATION",
    "COUNTERPART_AREA",
    "BREAKDOWN",
    "BREAKDOWN_VALUE",
    "TIME_PERIOD",
)
ATTRIBUTES = ("OBS_STATUS", "UNIT_MEASURE", "REPORTING_PARTICIPANT")
CHUNK_ROWS = 2000

NS_MESSAGE = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
NS_GENERIC = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
NS_COMMON = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"


def time_period(row: ExportRow) -> str:
    return row.date.strftime("%Y-%m") if row.periodicity == "monthly" else row.date.isoformat()


def obs_status(row: ExportRow) -> str:
    if row.value is None:
        return "M"
    if row.estimate:
        return "E"
    return "P" if row.provisional else "A"


def key_of(row: ExportRow) -> tuple[str, ...]:
    return (
        "M" if row.periodicity == "monthly" else "D",
        row.country,
        row.indicator,
        row.place_code or "_Z",
        row.counterpart or "_Z",
        row.breakdown or "_T",
        row.breakdown_value or "_T",
        time_period(row),
    )


def attributes_of(row: ExportRow) -> tuple[str, ...]:
    return (obs_status(row), row.unit, row.participant)


def write_sdmx_csv(rows: Iterable[ExportRow]) -> Iterator[str]:
    """SDMX-CSV 1.0: DATAFLOW, the dimensions, OBS_VALUE, the attributes. Missing values are empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["DATAFLOW", *DIMENSIONS, "OBS_VALUE", *ATTRIBUTES])
    pending = 0
    for row in rows:
        value = "" if row.value is None else str(row.value)
        writer.writerow([DATAFLOW, *key_of(row), value, *attributes_of(row)])
        pending += 1
        if pending >= CHUNK_ROWS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    yield buffer.getvalue()


class _Sink:
    """A file-like object lxml writes into and the generator drains between observations."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.parts.append(data)

    def drain(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def write_sdmx_ml(
    rows: Iterable[ExportRow], *, message_id: str = "SEEMIX_EXPORT", prepared: datetime | None = None
) -> Iterator[bytes]:
    """An SDMX-ML 2.1 GenericData message, streamed: readable without the structure definition."""
    prepared = prepared or datetime.now(UTC)
    sink = _Sink()
    nsmap = {"message": NS_MESSAGE, "generic": NS_GENERIC, "common": NS_COMMON}
    m, g, c = (f"{{{NS_MESSAGE}}}", f"{{{NS_GENERIC}}}", f"{{{NS_COMMON}}}")
    with etree.xmlfile(sink, encoding="utf-8") as xf:
        xf.write_declaration(standalone=True)
        with xf.element(f"{m}GenericData", nsmap=nsmap):
            header = etree.Element(f"{m}Header")
            etree.SubElement(header, f"{m}ID").text = message_id
            etree.SubElement(header, f"{m}Test").text = "false"
            etree.SubElement(header, f"{m}Prepared").text = prepared.isoformat(timespec="seconds")
            etree.SubElement(header, f"{m}Sender", id=AGENCY)
            structure = etree.SubElement(
                header, f"{m}Structure", structureID=DSD_ID, dimensionAtObservation="AllDimensions"
            )
            ref_holder = etree.SubElement(structure, f"{c}Structure")
            etree.SubElement(ref_holder, "Ref", agencyID=AGENCY, id=DSD_ID, version=VERSION)
            xf.write(header)
            with xf.element(f"{m}DataSet", structureRef=DSD_ID):
                pending = 0
                for row in rows:
                    obs = etree.Element(f"{g}Obs")
                    key = etree.SubElement(obs, f"{g}ObsKey")
                    for dim, value in zip(DIMENSIONS, key_of(row), strict=True):
                        etree.SubElement(key, f"{g}Value", id=dim, value=value)
                    etree.SubElement(
                        obs, f"{g}ObsValue", value="NaN" if row.value is None else str(row.value)
                    )
                    attrs = etree.SubElement(obs, f"{g}Attributes")
                    for attr, value in zip(ATTRIBUTES, attributes_of(row), strict=True):
                        if value:
                            etree.SubElement(attrs, f"{g}Value", id=attr, value=value)
                    xf.write(obs)
                    pending += 1
                    if pending >= CHUNK_ROWS:
                        xf.flush()
                        yield sink.drain()
                        pending = 0
    yield sink.drain()
