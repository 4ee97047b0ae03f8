"""The columns of a plain (not HXL) file, by name.

A file has one observation per row. Its header names the columns; each name is matched, ignoring
case, spaces, hyphens and underscores, against the field's name and its synonyms below. The order of
the columns does not matter. ``date``, ``indicator``, ``place`` and ``value`` are required. A header
cell that matches nothing is an error that names it and lists the accepted names, so a misspelt
column is never silently dropped.

"country" and "country code" give the place only when no other column does: beside a crossing
point, site or place code column they say the place's country, which the place already fixes, and are
read past. The columns of seemix's own export that describe a figure's report (``exported.py``) are
known too, so that an export imports back as it is.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from seemix.flows.inputs import Problem, SourceLocation
from seemix.flows.readers.exported import CHECKED_COLUMNS, CONTEXT_COLUMNS

FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("day", "reporting date", "report date", "datum"),
    "indicator": ("indicator code", "indicator_code", "series"),
    "place": (
        "place code",
        "location",
        "crossing point",
        "site",
        "border section",
        "country",
        "country code",
    ),
    "value": ("count", "persons", "number", "figure", "total"),
    "counterpart": ("counterpart country", "destination", "destination country", "other country"),
    "breakdown": ("disaggregation", "breakdown type"),
    "breakdown_value": ("breakdown value", "category", "group"),
    "estimate": ("is estimate", "estimated"),
    "provisional": ("is provisional",),
}
REQUIRED = ("date", "indicator", "place", "value")
# Names of the place that only say a country: the place when nothing else is, the place's country otherwise.
COUNTRY_NAMES = ("country", "country code")


def normalise(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name.strip().lower())


_LOOKUP: dict[str, str] = {}
for _field, _synonyms in FIELDS.items():
    for _name in (_field, *_synonyms):
        _LOOKUP[normalise(_name)] = _field
_WEAK = {normalise(name) for name in COUNTRY_NAMES}
# Columns that are not figures' fields: "participant" and "classification" are checked, the rest read past.
_CONTEXT: dict[str, str] = {}
for _field, _synonyms in (*CONTEXT_COLUMNS.items(), *CHECKED_COLUMNS.items()):
    for _name in (_field, *_synonyms):
        _CONTEXT[normalise(_name)] = _field


def accepted_names() -> str:
    return "; ".join(f"{field} ({', '.join(synonyms)})" for field, synonyms in FIELDS.items())


@dataclass(frozen=True)
class ColumnMap:
    """Which cell index holds which field, and each column's label for messages."""

    index: dict[str, int]
    labels: list[str]
    # "participant" and "classification", where the file has them (from a seemix export).
    checked: dict[str, int] = dataclasses.field(default_factory=dict)

    def label(self, field: str) -> str:
        return self.labels[self.index[field]]


def map_header(
    cells: list[str], *, file: str, sheet: str = "", row: int = 1, letters: bool = False
) -> tuple[ColumnMap | None, list[Problem]]:
    """Map a header row to fields. Returns the map, or None and the problems that prevent it."""
    problems: list[Problem] = []
    index: dict[str, int] = {}
    checked: dict[str, int] = {}
    countries: list[tuple[int, str, str]] = []  # (position, label, text) of "country" columns
    labels: list[str] = []
    for position, cell in enumerate(cells):
        text = "" if cell is None else str(cell).strip()
        label = (
            f"{column_letter(position)} ({text})"
            if letters and text
            else (column_letter(position) if letters else text)
        )
        labels.append(label)
        if not text:
            continue
        where = SourceLocation(file=file, sheet=sheet, row=row, column=label)
        name = normalise(text)
        field = _LOOKUP.get(name)
        if field == "place" and name in _WEAK:
            countries.append((position, label, text))
            continue
        context = _CONTEXT.get(name) if field is None else None
        if context is not None:
            if context in CHECKED_COLUMNS and context in checked:
                problems.append(_twice(where, text, labels[checked[context]], label, context))
            elif context in CHECKED_COLUMNS:
                checked[context] = position
            continue
        if field is None:
            close = difflib.get_close_matches(normalise(text), list(_LOOKUP), n=1, cutoff=0.7)
            hint = _("Did you mean %(name)s? ") % {"name": _LOOKUP[close[0]]} if close else ""
            problems.append(
                Problem(
                    where,
                    "header",
                    text,
                    _("The column %(name)r is not one seemix knows.") % {"name": text},
                    suggestion=hint + _("Accepted column names: %(names)s.") % {"names": accepted_names()},
                )
            )
        elif field in index:
            problems.append(_twice(where, text, labels[index[field]], label, field))
        else:
            index[field] = position
    if "place" not in index and countries:
        index["place"] = countries[0][0]
        for _position, label, text in countries[1:]:
            where = SourceLocation(file=file, sheet=sheet, row=row, column=label)
            problems.append(_twice(where, text, countries[0][1], label, "place"))
    missing = [f for f in REQUIRED if f not in index]
    if missing:
        problems.append(
            Problem(
                SourceLocation(file=file, sheet=sheet, row=row),
                "header",
                ", ".join(str(c) for c in cells),
                _("The header has no column for: %(fields)s.") % {"fields": ", ".join(missing)},
                suggestion=_("Every file needs the columns date, indicator, place and value."),
            )
        )
    if problems:
        return None, problems
    return ColumnMap(index=index, labels=labels, checked=checked), []


def _twice(where: SourceLocation, text: str, first: str, second: str, field: str) -> Problem:
    return Problem(
        where,
        "header",
        text,
        _("The columns %(first)r and %(second)r both mean %(field)s.")
        % {"first": first, "second": second, "field": field},
        suggestion=_("Keep one of them."),
    )


def column_letter(position: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how a spreadsheet names a column."""
    letters = ""
    n = position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
