"""The row every export writer takes: one observation, flattened, with nothing but plain values.

Writers are pure functions over iterables of :class:`ExportRow` (no database, no request), so each
format is tested alone and the same rows feed the API, the pages and ``seemix export``. Where the
rows come from (the caller's visible observations) is ``exports.source``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any


# Not frozen: a frozen dataclass's __init__ costs twice as much, and exports build millions of them.
@dataclass(slots=True)
class ExportRow:
    date: date
    periodicity: str  # "daily" or "monthly": a monthly figure's date is the first day of its month
    participant: str  # code of the reporting participant
    country: str  # ISO 3166 alpha-2 code of the country the figure is about
    place_type: str  # crossing_point, site, border_section or country
    place_code: str
    place_name: str
    indicator: str
    unit: str
    counterpart: str  # country code, "" where the indicator has none
    breakdown: str  # "" for the total
    breakdown_value: str
    value: int | None  # None: reported as not available (never turned into zero)
    estimate: bool
    provisional: bool
    classification: str
    report: int
    revision: int
    submitted_at: datetime | None


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(ExportRow))

# HXL hashtags, one per column (hxlstandard.org). seemix's HXL reader takes the export back
# (readers/hxltags.py): the place is the #loc+code (the #loc+name and #country+code beside it name the
# same place), +counterpart is the counterpart of any indicator, #meta+breakdown(+value) the breakdown;
# #org+reporting and #meta+classification are checked against the import, the other #meta read past.
HXL_TAGS: dict[str, str] = {
    "date": "#date",
    "periodicity": "#meta+periodicity",
    "participant": "#org+reporting+code",
    "country": "#country+code",
    "place_type": "#meta+loc+type",
    "place_code": "#loc+code",
    "place_name": "#loc+name",
    "indicator": "#indicator+code",
    "unit": "#meta+unit",
    "counterpart": "#country+code+counterpart",
    "breakdown": "#meta+breakdown",
    "breakdown_value": "#meta+breakdown+value",
    "value": "#indicator+num",
    "estimate": "#meta+estimate",
    "provisional": "#meta+provisional",
    "classification": "#meta+classification",
    "report": "#meta+report+id",
    "revision": "#meta+revision",
    "submitted_at": "#meta+submitted",
}
assert set(HXL_TAGS) == set(COLUMNS)


def _flag(value: bool) -> str:
    return "1" if value else "0"


def as_text(row: ExportRow) -> list[str]:
    """The row's cells as text in COLUMNS order: ISO dates, 1/0 flags, "" for missing."""
    return [
        row.date.isoformat(), row.periodicity, row.participant, row.country, row.place_type, row.place_code,
        row.place_name, row.indicator, row.unit, row.counterpart, row.breakdown, row.breakdown_value,
        "" if row.value is None else str(row.value), _flag(row.estimate), _flag(row.provisional),
        row.classification, str(row.report), str(row.revision),
        "" if row.submitted_at is None else row.submitted_at.isoformat(),
    ]  # fmt: skip


def as_text_rows(rows: Iterable[ExportRow]) -> Iterator[list[str]]:
    for row in rows:
        yield as_text(row)


def as_dict(row: ExportRow) -> dict[str, Any]:
    """The row as JSON-ready values (dates as ISO text), keyed by column."""
    return {
        "date": row.date.isoformat(), "periodicity": row.periodicity, "participant": row.participant,
        "country": row.country, "place_type": row.place_type, "place_code": row.place_code,
        "place_name": row.place_name, "indicator": row.indicator, "unit": row.unit,
        "counterpart": row.counterpart,
        "breakdown": row.breakdown, "breakdown_value": row.breakdown_value, "value": row.value,
        "estimate": row.estimate, "provisional": row.provisional, "classification": row.classification,
        "report": row.report, "revision": row.revision,
        "submitted_at": None if row.submitted_at is None else row.submitted_at.isoformat(),
    }  # fmt: skip
