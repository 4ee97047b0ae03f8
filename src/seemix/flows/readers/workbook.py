"""Rows of an XLSX sheet, streamed with openpyxl's read-only mode.

Which sheet: the one named (``sheet=``), else the first visible one.

Formulas: the value the spreadsheet last calculated is read (``data_only=True``), and the report says
once how many formula cells there were. A formula with no calculated value (a file written by a
program that does not calculate, such as a script) is an error at its cell: its row is rejected.

Merged cells: an error at the merged range, and every row the range covers is rejected. A merged
cell holds its value in its first cell only, so the other rows would silently lose a date, a place
or a value; unmerging and filling in is the reporter's decision, not ours.

Both are found by one streamed pass over the sheet's XML before the rows are read.
"""

from __future__ import annotations

import zipfile
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from lxml import etree
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries
from openpyxl.utils.exceptions import InvalidFileException

from seemix.flows.inputs import Problem, SourceLocation
from seemix.flows.readers.problems import FileRejected, ProblemLog

_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


class WorkbookRows:
    """(row number, cells) of one sheet: typed values (str, int, float, datetime, bool, None)."""

    unit = "rows"

    def __init__(
        self, path: Path, *, label: str, participant: str, log: ProblemLog, sheet: str | None = None
    ) -> None:
        self.path = path
        self.label = label
        self.participant = participant
        self.log = log
        self.wanted_sheet = sheet
        self.sheet = ""
        self.size = 0
        self.rejected: set[int] = set()
        self.labels: list[str] = []
        self._workbook: Any = None
        self._rows: Iterator[tuple[Any, ...]] | None = None
        self._peeked: deque[tuple[int, list[Any]]] = deque()
        self._row = 0

    def open(self) -> None:
        try:
            self._workbook = load_workbook(self.path, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
            raise FileRejected(
                [
                    Problem(
                        SourceLocation(file=self.label),
                        "file",
                        "",
                        _("The file is not an XLSX workbook: %(error)s.") % {"error": error},
                        suggestion=_("Save it as .xlsx (Excel 2007 or later) or as CSV."),
                    )
                ]
            ) from None
        names = self._workbook.sheetnames
        if self.wanted_sheet is not None:
            if self.wanted_sheet not in names:
                raise FileRejected(
                    [
                        Problem(
                            SourceLocation(file=self.label),
                            "sheet",
                            self.wanted_sheet,
                            _("The workbook has no sheet %(name)r.") % {"name": self.wanted_sheet},
                            suggestion=_("Its sheets: %(names)s.") % {"names": ", ".join(names)},
                        )
                    ]
                )
            worksheet = self._workbook[self.wanted_sheet]
        else:
            visible = [self._workbook[n] for n in names if self._workbook[n].sheet_state == "visible"]
            worksheet = visible[0] if visible else self._workbook[names[0]]
        self.sheet = worksheet.title
        self.size = worksheet.max_row or 0  # from the sheet's stated dimension: for the progress bar only
        self._scan(worksheet)
        # The stated dimension is often wrong in files written by other programs: read what is there.
        worksheet.reset_dimensions()
        self._rows = worksheet.iter_rows(min_row=1, min_col=1, values_only=True)

    def _scan(self, worksheet: Any) -> None:
        """Find merged ranges and formulas without a calculated value, without loading the sheet."""
        formulas = 0
        first_formula = ""
        # openpyxl keeps the archive and the sheet's part name; read-only mode offers no merged cells.
        with self._workbook._archive.open(worksheet._worksheet_path) as xml:
            tags = (f"{_NS}c", f"{_NS}mergeCell", f"{_NS}row")
            for _event, element in etree.iterparse(xml, events=("end",), tag=tags):
                if element.tag == f"{_NS}row":
                    # Keep memory flat: drop each row once read.
                    element.clear()
                    while element.getprevious() is not None:
                        del element.getparent()[0]
                elif element.tag == f"{_NS}mergeCell":
                    self._merged(element.get("ref", ""))
                else:
                    formula = element.find(f"{_NS}f")
                    if formula is not None:
                        formulas += 1
                        first_formula = first_formula or element.get("r", "")
                        value = element.find(f"{_NS}v")
                        if value is None or not (value.text or "").strip():
                            self._uncalculated(element.get("r", ""), formula.text or "")
        if formulas:
            column, row = _split_ref(first_formula)
            self.log.warning(
                SourceLocation(file=self.label, sheet=self.sheet, row=row, column=column),
                "formula",
                "",
                ngettext(
                    "%(n)s cell holds a formula: the value the spreadsheet last calculated was read.",
                    "%(n)s cells hold formulas: the values the spreadsheet last calculated were read.",
                    formulas,
                )
                % {"n": formulas},
            )

    def _merged(self, ref: str) -> None:
        _first_col, min_row, _last_col, max_row = range_boundaries(ref)
        self.rejected.update(range(min_row, max_row + 1))
        self.log.error(
            SourceLocation(file=self.label, sheet=self.sheet, row=min_row, column=ref),
            "cells",
            ref,
            _(
                "The cells %(ref)s are merged: a merged cell holds its value in its first cell "
                "(%(first)s) only, so rows %(top)s to %(bottom)s cannot be read."
            )
            % {"ref": ref, "first": ref.split(":")[0], "top": min_row, "bottom": max_row},
            suggestion=_("Unmerge the cells and write the value in every row."),
        )

    def _uncalculated(self, ref: str, formula: str) -> None:
        column, row = _split_ref(ref)
        if row is not None:
            self.rejected.add(row)
        self.log.error(
            SourceLocation(file=self.label, sheet=self.sheet, row=row, column=column),
            "formula",
            f"={formula}",
            _(
                "The cell %(ref)s holds a formula (=%(formula)s) with no calculated value: the program that "
                "saved the file did not calculate it."
            )
            % {"ref": ref, "formula": formula},
            suggestion=_("Open the file in a spreadsheet program and save it again, or type the value."),
        )

    def close(self) -> None:
        if self._workbook is not None:
            self._workbook.close()

    @property
    def position(self) -> int:
        return self._row

    def peek(self, n: int) -> list[tuple[int, list[Any]]]:
        while len(self._peeked) < n:
            row = self._next()
            if row is None:
                break
            self._peeked.append(row)
        return list(self._peeked)[:n]

    def _next(self) -> tuple[int, list[Any]] | None:
        assert self._rows is not None, "open() first"
        try:
            cells = next(self._rows)
        except StopIteration:
            return None
        self._row += 1
        values = list(cells)
        while values and values[-1] is None:
            values.pop()
        return self._row, values

    def __iter__(self) -> Iterator[tuple[int, list[Any]]]:
        while self._peeked:
            yield self._peeked.popleft()
        while (row := self._next()) is not None:
            yield row

    def undecoded(self, row: int, cells: list[Any]) -> bool:
        return False


def _split_ref(ref: str) -> tuple[str, int | None]:
    letters = "".join(c for c in ref if c.isalpha())
    digits = "".join(c for c in ref if c.isdigit())
    return letters, int(digits) if digits else None
