"""A file with a plain header: one observation per row, columns named as in ``columns.py``.

The first row that is not blank is the header. Dates may be written in one of three formats, and one
file writes them all the same way: the first date read sets the file's format, and a row written
another way is an error at that row (a file that mixes formats has often been edited by hand in two
locales, where 03.04 and 04/03 may be the same day or not).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from seemix.flows.inputs import ObservationInput, Problem, SourceLocation
from seemix.flows.readers.columns import ColumnMap, map_header
from seemix.flows.readers.exported import RowChecks
from seemix.flows.readers.problems import FileRejected, ProblemLog
from seemix.flows.readers.values import CellError, count_from_cell, parse_date, parse_flag

FLAGS = ("estimate", "provisional")
# Rows looked at after the header to tell a header-only file at once (the import also checks at the end).
PEEK_ROWS = 100
DATE_CACHE = 10_000


def header_only(file: str, sheet: str, row: int | None) -> Problem:
    return Problem(
        SourceLocation(file=file, sheet=sheet, row=row),
        "file",
        "",
        _("The file has a header but no rows of figures."),
        suggestion=_("Add one row per figure below the header."),
    )


def is_blank(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


class DateFormats:
    """Holds a file to the date format of its first date."""

    def __init__(self, log: ProblemLog) -> None:
        self.log = log
        self.format = ""
        self.first_row: int | None = None

    def check(self, fmt: str, where: SourceLocation, text: str) -> bool:
        if not fmt:  # a spreadsheet's own date cell: no format to mix up
            return True
        if not self.format:
            self.format, self.first_row = fmt, where.row
            return True
        if fmt == self.format:
            return True
        self.log.error(
            where,
            "date",
            text,
            _(
                "This date is written as %(this)s, but the file's dates are written as %(first)s "
                "(first in row %(row)s)."
            )
            % {"this": fmt, "first": self.format, "row": self.first_row},
            suggestion=_("Write every date of the file the same way."),
        )
        return False


class RowBuilder:
    """Turns the cells of one row into an ObservationInput, or logs why it cannot."""

    def __init__(
        self,
        columns: ColumnMap,
        *,
        file: str,
        sheet: str,
        participant: str,
        log: ProblemLog,
        classification: str | None = None,
    ) -> None:
        self.columns = columns
        self.file = file
        self.sheet = sheet
        self.participant = participant
        self.log = log
        self.dates = DateFormats(log)
        self.width = len(columns.labels)
        self._fields = list(columns.index.items())
        index = columns.index
        self._required = (index["date"], index["indicator"], index["place"], index["value"])
        self._optional = tuple(index.get(f) for f in ("counterpart", "breakdown", "breakdown_value"))
        self._has_optional = any(at is not None for at in self._optional)
        self._flags = tuple(index.get(f) for f in FLAGS)
        self._labels = columns.labels
        self.checks = RowChecks(participant=participant, classification=classification, log=log)
        self._participant_at = columns.checked.get("participant")
        self._classification_at = columns.checked.get("classification")
        # Dates repeat on every row of a day: each distinct text is parsed (and its format checked) once.
        self._dates: dict[str, date] = {}

    def where(self, row: int, field: str) -> SourceLocation:
        return SourceLocation(file=self.file, sheet=self.sheet, row=row, column=self.columns.label(field))

    def build(self, row: int, cells: list[Any]) -> ObservationInput | None:
        """The row's observation, or None (its problems logged, or a blank row)."""
        if len(cells) == self.width:
            fast = self._fast(row, cells)
            if fast is not None:
                return fast
        if is_blank(cells):
            return None
        return self._slow(row, cells)

    def _fast(self, row: int, cells: list[Any]) -> ObservationInput | None:
        """The common row of a text file (digits, a date seen before), built without checks that
        cannot fail on it; None sends the row down the general path."""
        date_at, indicator_at, place_at, value_at = self._required
        day = self._dates.get(cells[date_at])
        if day is None:
            return None
        text = cells[value_at]
        if not isinstance(text, str):
            return None
        if text.isdigit() and text.isascii():
            value: int | None = int(text)
        elif text == "":
            value = None
        else:
            return None
        flags = [False, False]
        for n, at in enumerate(self._flags):
            if at is not None:
                flag = cells[at]
                if flag in ("", "0"):
                    continue
                if flag == "1":
                    flags[n] = True
                    continue
                return None
        at = self._participant_at
        if at is not None and cells[at] not in self.checks.fast_participants:
            return None
        at = self._classification_at
        if at is not None and cells[at] not in self.checks.fast_classifications:
            return None
        counterpart = breakdown = breakdown_value = ""
        if self._has_optional:
            at_counterpart, at_breakdown, at_value = self._optional
            counterpart = "" if at_counterpart is None else cells[at_counterpart].strip()
            breakdown = "" if at_breakdown is None else cells[at_breakdown].strip()
            breakdown_value = "" if at_value is None else cells[at_value].strip()
        return ObservationInput(
            SourceLocation(self.file, self.sheet, row),
            day,
            cells[indicator_at].strip(),
            cells[place_at].strip(),
            value,
            counterpart,
            breakdown,
            breakdown_value,
            flags[0],
            flags[1],
            dict(zip(self._labels, cells, strict=True)),
        )

    def _slow(self, row: int, cells: list[Any]) -> ObservationInput | None:
        ok = True
        for extra in range(self.width, len(cells)):
            if cell_text(cells[extra]):
                ok = False
                self.log.error(
                    SourceLocation(file=self.file, sheet=self.sheet, row=row, column=str(extra + 1)),
                    "row",
                    cell_text(cells[extra]),
                    ngettext(
                        "This row has a value in column %(n)s, beyond the header's %(width)s column.",
                        "This row has a value in column %(n)s, beyond the header's %(width)s columns.",
                        self.width,
                    )
                    % {"n": extra + 1, "width": self.width},
                    suggestion=_("Check the row for a stray delimiter."),
                )
        raw = {field: cell_text(cells[i]) if i < len(cells) else "" for field, i in self._fields}
        cell = {field: cells[i] if i < len(cells) else None for field, i in self._fields}
        observed = None
        try:
            parsed = parse_date(cell["date"])
            ok = self.dates.check(parsed.format, self.where(row, "date"), raw["date"]) and ok
            observed = parsed.value
            if ok and isinstance(cell["date"], str) and len(self._dates) < DATE_CACHE:
                self._dates[cell["date"]] = observed
        except CellError as error:
            ok = False
            self.log.error(self.where(row, "date"), "date", raw["date"], error.message, error.suggestion)
        value = None
        try:
            count = count_from_cell(cell["value"], self.participant)
            value = count.value
            if count.interpretation:
                self._note_grouping(row, raw["value"], count.interpretation, value)
        except CellError as error:
            ok = False
            self.log.error(self.where(row, "value"), "value", raw["value"], error.message, error.suggestion)
        flags = {}
        for field in FLAGS:
            if field in cell:
                try:
                    flags[field] = parse_flag(cell[field])
                except CellError as error:
                    ok = False
                    self.log.error(self.where(row, field), field, raw[field], error.message, error.suggestion)
        ok = self._checked(row, cells) and ok
        if not ok:
            return None
        return ObservationInput(
            location=SourceLocation(file=self.file, sheet=self.sheet, row=row),
            date=observed,
            indicator=raw["indicator"],
            place=raw["place"],
            value=value,
            counterpart=raw.get("counterpart", ""),
            breakdown=raw.get("breakdown", ""),
            breakdown_value=raw.get("breakdown_value", ""),
            estimate=flags.get("estimate", False),
            provisional=flags.get("provisional", False),
            raw={self.columns.label(f): v for f, v in raw.items()},
        )

    def _checked(self, row: int, cells: list[Any]) -> bool:
        """The participant and classification cells of a row from a seemix export."""
        ok = True
        for at, check in (
            (self._participant_at, self.checks.participant_ok),
            (self._classification_at, self.checks.classification_ok),
        ):
            if at is not None and at < len(cells):
                where = SourceLocation(file=self.file, sheet=self.sheet, row=row, column=self._labels[at])
                ok = check(where, cell_text(cells[at])) and ok
        return ok

    def _note_grouping(self, row: int, text: str, separator: str, value: int | None) -> None:
        note_grouping(self.log, self.participant, self.where(row, "value"), text, separator, value)


def note_grouping(
    log: ProblemLog, participant: str, where: SourceLocation, text: str, separator: str, value: int | None
) -> None:
    """Say once per file that a point or comma was read as the participant's thousands separator."""

    def message(n: int) -> str:
        return ngettext(
            "%(text)r was read as %(value)s: for %(participant)s %(sep)r separates thousands.",
            "%(text)r was read as %(value)s: for %(participant)s %(sep)r separates thousands "
            "(%(n)s values were read this way; this is the first).",
            n,
        ) % {"text": text, "value": value, "participant": participant, "sep": separator, "n": n}

    log.note(f"grouping:{separator}", where, "value", text, message)


class PlainReader:
    """ObservationInputs from a row source (text or workbook) with a plain header."""

    format = "plain"

    def __init__(
        self, source: Any, *, participant: str, log: ProblemLog, classification: str | None = None
    ) -> None:
        self.source = source
        self.participant = participant
        self.log = log
        self.classification = classification
        self.builder: RowBuilder | None = None
        self._header_row = 0

    def start(self) -> None:
        """Read the header and make sure at least one row follows it; FileRejected otherwise."""
        source = self.source
        sheet = getattr(source, "sheet", "")
        header: list[Any] | None = None
        for row, cells in source:
            if not is_blank(cells):
                self._header_row, header = row, cells
                break
        where = SourceLocation(file=source.label, sheet=sheet)
        if header is None:
            raise FileRejected(
                [
                    Problem(
                        where,
                        "file",
                        "",
                        _("The file is empty."),
                        suggestion=_("Send a file with a header row and one row per figure."),
                    )
                ]
            )
        columns, problems = map_header(
            [cell_text(c) for c in header],
            file=source.label,
            sheet=sheet,
            row=self._header_row,
            letters=bool(sheet),
        )
        if columns is None:
            raise FileRejected(problems)
        following = source.peek(PEEK_ROWS)
        if len(following) < PEEK_ROWS and all(is_blank(cells) for _row, cells in following):
            raise FileRejected([header_only(source.label, sheet, self._header_row)])
        source.labels = columns.labels
        self.builder = RowBuilder(
            columns,
            file=source.label,
            sheet=sheet,
            participant=self.participant,
            log=self.log,
            classification=self.classification,
        )

    def __iter__(self) -> Iterator[ObservationInput]:
        assert self.builder is not None, "start() first"
        build = self.builder.build
        rejected: set[int] = getattr(self.source, "rejected", set())
        undecoded = self.source.undecoded
        for row, cells in self.source:
            if (not any(cells) and is_blank(cells)) or row in rejected or undecoded(row, cells):
                continue
            observation = build(row, cells)
            if observation is not None:
                yield observation
