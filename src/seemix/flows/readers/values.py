"""Cells to values: counts, dates, flags, and what "missing" looks like.

Counts of persons are whole numbers. How a number is written depends on who wrote it: most of the
region separates thousands with a point ("1.234" is one thousand two hundred and thirty-four in
Zagreb, Belgrade or Vienna), English-speaking organisations with a comma, and Albania, Bulgaria and
Hungary with a space. ``NUMBER_CONVENTIONS`` is the table the readers use, by the reporting
participant's code (CLDR's conventions for the participant's language):

- a space (or a no-break or thin space, or an apostrophe) between groups of three digits is always a
  thousands separator;
- a point or comma followed by groups of exactly three digits ("1.234", "12,345,678") is ambiguous:
  it is read as the participant's thousands separator when it is one (and the file's report says so
  once, with the first place it happened); when it is the participant's decimal separator, or the
  participant has no convention here, it is an error, because a count is not written with three
  decimals and reading it wrongly is off by a factor of a thousand;
- any other point or comma is a decimal separator, accepted only when what follows is zeros
  ("1234.0", "12,00"): a count has no fraction.

"", "-", en and em dashes, "N/A", "NA", "n.a.", ".." and "…" mean "not reported" and stay missing, never zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class NumberConvention:
    thousands: str  # "." "," or " "
    decimal: str  # "," or "."
    language: str  # whose convention, for messages


_POINT_COMMA = ".", ","
_SPACE_COMMA = " ", ","
_COMMA_POINT = ",", "."

NUMBER_CONVENTIONS: dict[str, NumberConvention] = {
    code: NumberConvention(thousands, decimal, language)
    for code, (thousands, decimal), language in [
        ("AT", _POINT_COMMA, "German (Austria)"),
        ("BA", _POINT_COMMA, "Bosnian, Croatian and Serbian"),
        ("CY", _POINT_COMMA, "Greek"),
        ("DE", _POINT_COMMA, "German"),
        ("GR", _POINT_COMMA, "Greek"),
        ("HR", _POINT_COMMA, "Croatian"),
        ("IT", _POINT_COMMA, "Italian"),
        ("MD", _POINT_COMMA, "Romanian"),
        ("ME", _POINT_COMMA, "Montenegrin"),
        ("MK", _POINT_COMMA, "Macedonian"),
        ("RO", _POINT_COMMA, "Romanian"),
        ("RS", _POINT_COMMA, "Serbian"),
        ("SI", _POINT_COMMA, "Slovenian"),
        ("TR", _POINT_COMMA, "Turkish"),
        # CLDR: Albanian (also in Kosovo), Bulgarian and Hungarian group thousands with a space.
        ("AL", _SPACE_COMMA, "Albanian"),
        ("XK", _SPACE_COMMA, "Albanian"),
        ("BG", _SPACE_COMMA, "Bulgarian"),
        ("HU", _SPACE_COMMA, "Hungarian"),
        # Partners that report in English.
        ("EUAA", _COMMA_POINT, "English"),
        ("EUROPOL", _COMMA_POINT, "English"),
        ("FRONTEX", _COMMA_POINT, "English"),
        ("IOM", _COMMA_POINT, "English"),
        ("RCC", _COMMA_POINT, "English"),
        ("UNHCR", _COMMA_POINT, "English"),
    ]
}

MISSING_MARKERS = frozenset({"", "-", "–", "—", "n/a", "na", "n.a.", "..", "…"})
TRUE_WORDS = frozenset({"1", "true", "yes", "y", "x"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "n"})

_SPACES = re.compile(r"^[+-]?\d{1,3}(?:[ \u00a0\u202f\u2009']\d{3})+$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_DIGITS = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^([+-]?[\d.,' \u00a0\u202f\u2009]*?\d)([.,])(\d+)$")


class CellError(Exception):
    """A cell that cannot be read, with a message and a suggestion for a person."""

    def __init__(self, message: str, suggestion: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion


def is_missing(text: str) -> bool:
    return text.strip().lower() in MISSING_MARKERS


@dataclass(frozen=True)
class ParsedCount:
    value: int | None
    # Set when the text was read through the participant's convention ("1.234" -> 1234).
    interpretation: str = ""


def parse_count(text: str, participant: str) -> ParsedCount:
    """A count of persons from a cell's text, following ``participant``'s number convention."""
    raw = text.strip()
    if raw.lower() in MISSING_MARKERS:
        return ParsedCount(None)
    if _DIGITS.match(raw):
        return ParsedCount(int(raw))
    if _SPACES.match(raw):
        return ParsedCount(int(re.sub(r"[ \u00a0\u202f\u2009']", "", raw)))
    convention = NUMBER_CONVENTIONS.get(participant)
    grouped = _GROUPED.match(raw)
    if grouped:
        separator = grouped.group(1)
        as_integer = int(raw.replace(separator, ""))
        if convention is not None and separator == convention.thousands:
            return ParsedCount(as_integer, interpretation=separator)
        if convention is not None and separator == convention.decimal:
            raise CellError(
                _(
                    "%(text)r is ambiguous: in %(language)s %(sep)r separates decimals, and a count of "
                    "persons has none."
                )
                % {"text": raw, "language": convention.language, "sep": separator},
                ngettext(
                    "If you meant %(n)s person, write %(n)s.",
                    "If you meant %(n)s persons, write %(n)s.",
                    as_integer,
                )
                % {"n": as_integer},
            )
        if convention is not None:
            raise CellError(
                _(
                    "%(text)r is ambiguous: %(language)s separates thousands with a space and decimals "
                    "with %(decimal)r."
                )
                % {"text": raw, "language": convention.language, "decimal": convention.decimal},
                ngettext(
                    "If you meant %(n)s person, write %(n)s.",
                    "If you meant %(n)s persons, write %(n)s.",
                    as_integer,
                )
                % {"n": as_integer},
            )
        raise CellError(
            _(
                "%(text)r is ambiguous: %(sep)r may separate thousands or decimals, and %(code)s has no "
                "number convention in seemix."
            )
            % {"text": raw, "sep": separator, "code": participant or "-"},
            _("Write the number with digits only: %(n)s.") % {"n": as_integer},
        )
    decimal = _DECIMAL.match(raw)
    if decimal:
        whole, _separator, fraction = decimal.groups()
        whole_digits = re.sub(r"[.,' \u00a0\u202f\u2009]", "", whole)
        if _DIGITS.match(whole_digits):
            if set(fraction) == {"0"}:
                return ParsedCount(int(whole_digits))
            raise CellError(
                _("%(text)r is not a whole number: a count of persons has no fraction.") % {"text": raw},
                _("Round it to a whole number of persons."),
            )
    raise CellError(
        _("%(text)r is not a number.") % {"text": raw},
        _("Write the count with digits only; leave the cell empty or write N/A when it was not reported."),
    )


def count_from_cell(cell: object, participant: str) -> ParsedCount:
    """A count from a typed spreadsheet cell (int, float, str, None)."""
    if cell is None:
        return ParsedCount(None)
    if isinstance(cell, bool):
        raise CellError(_("%(text)r is not a number.") % {"text": str(cell)})
    if isinstance(cell, int):
        return ParsedCount(cell)
    if isinstance(cell, float):
        if cell.is_integer():
            return ParsedCount(int(cell))
        raise CellError(
            _("%(text)s is not a whole number: a count of persons has no fraction.") % {"text": cell},
            _("Round it to a whole number of persons."),
        )
    if isinstance(cell, datetime | date):
        raise CellError(_("%(text)s is a date, not a number.") % {"text": cell})
    return parse_count(str(cell), participant)


def parse_flag(cell: object) -> bool:
    if cell is None:
        return False
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int | float) and cell in (0, 1):
        return bool(cell)
    text = str(cell).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(
        _("%(text)r is neither yes nor no.") % {"text": str(cell)},
        _("Write 1 or yes for yes, 0, no or nothing for no."),
    )


# --- dates -------------------------------------------------------------------------------------------

ISO = "yyyy-mm-dd"
DOTTED = "dd.mm.yyyy"
SLASHED = "dd/mm/yyyy"

_DATE_FORMATS: list[tuple[str, re.Pattern[str], tuple[int, int, int]]] = [
    # (format name, pattern, group indexes of (year, month, day))
    (ISO, re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?$"), (1, 2, 3)),
    # "01.10.2015." with a final point is how Serbian, Croatian and Slovenian write dates.
    (DOTTED, re.compile(r"^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\.?$"), (3, 2, 1)),
    (SLASHED, re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), (3, 2, 1)),
]

DATE_HELP = "2015-10-01 (ISO 8601), 01.10.2015 or 01/10/2015"


@dataclass(frozen=True)
class ParsedDate:
    value: date
    format: str  # ISO, DOTTED, SLASHED, or "" for a spreadsheet's own date cell


def parse_date(cell: object) -> ParsedDate:
    """A date from a cell: a spreadsheet date, or text in one of the three accepted formats."""
    if isinstance(cell, datetime):
        return ParsedDate(cell.date(), "")
    if isinstance(cell, date):
        return ParsedDate(cell, "")
    text = "" if cell is None else str(cell).strip()
    if not text:
        raise CellError(_("The date is missing."), _("Write the date as %(help)s.") % {"help": DATE_HELP})
    for name, pattern, (y, m, d) in _DATE_FORMATS:
        match = pattern.match(text)
        if not match:
            continue
        year, month, day = int(match.group(y)), int(match.group(m)), int(match.group(d))
        try:
            return ParsedDate(date(year, month, day), name)
        except ValueError:
            suggestion = ""
            if name == SLASHED and month > 12 and day <= 12:
                suggestion = _(
                    "Dates are read day first (dd/mm/yyyy); %(text)r looks month first: write %(fixed)s."
                ) % {"text": text, "fixed": date(year, day, month).isoformat()}
            raise CellError(
                _("%(text)r is not a date in the calendar (read as %(format)s).")
                % {"text": text, "format": name},
                suggestion,
            ) from None
    raise CellError(
        _("%(text)r is not a date.") % {"text": text}, _("Write the date as %(help)s.") % {"help": DATE_HELP}
    )
