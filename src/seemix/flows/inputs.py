"""What every way in (web form, file upload, JSON API, `seemix import`) hands to validation.

Readers turn their source into ``ObservationInput`` rows, each carrying where it came from, so that
every problem can be reported at its file, sheet, row and column. Validation (``flows.validation``)
is the one path all of them share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class SourceLocation:
    file: str = ""
    sheet: str = ""
    row: int | None = None  # 1-based, as a spreadsheet user counts (the header is row 1)
    column: str = ""  # the column's header text or letter

    def __str__(self) -> str:
        parts = [
            self.file or "",
            f"sheet {self.sheet}" if self.sheet else "",
            f"row {self.row}" if self.row is not None else "",
            f"column {self.column}" if self.column else "",
        ]
        return ", ".join(p for p in parts if p)


@dataclass(slots=True)
class ObservationInput:
    """One reported figure before validation: codes and names as the source wrote them."""

    location: SourceLocation
    date: date | None
    indicator: str
    place: str  # a crossing point, site or border section code or name, or a country code
    value: int | None  # None: not reported (missing and N/A stay missing, never zero)
    counterpart: str = ""  # country code: the destination of exits, the other side of a border
    breakdown: str = ""  # "" (total), nationality, sex, age_group, unaccompanied_minors
    breakdown_value: str = ""
    estimate: bool = False
    provisional: bool = False
    raw: dict[str, str] = field(default_factory=dict)  # the source's own cells, for messages


@dataclass(frozen=True, slots=True)
class Problem:
    """A located, actionable finding: what is wrong, where, and what to do about it."""

    location: SourceLocation
    field: str
    value: str
    message: str
    severity: Severity = Severity.ERROR
    suggestion: str = ""  # "did you mean Tabanovce?"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.location.file,
            "sheet": self.location.sheet,
            "row": self.location.row,
            "column": self.location.column,
            "field": self.field,
            "value": self.value,
            "message": self.message,
            "severity": str(self.severity),
            "suggestion": self.suggestion,
        }
