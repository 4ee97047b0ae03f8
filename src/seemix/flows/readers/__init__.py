"""File readers: CSV, XLSX and HXL-tagged CSV/XLSX to ``ObservationInput`` rows, streamed.

``open_reader(path, participant=...)`` returns a started :class:`Reader`: iterate it for the rows
(each carrying its file, sheet, row and column); ``reader.log.problems`` holds what it found on the
way (located errors: those rows are not handed on; warnings: interpretations the report must show).
A file that cannot be read at all raises :class:`FileRejected` with its problems.

Format: ``fmt`` "csv" or "xlsx" chooses the container (by default: the extension, then the content);
either is read as HXL when one of its first 25 rows is a row of hashtags. ``fmt="hxl"`` requires
the hashtags.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from seemix.flows.inputs import ObservationInput, Problem, SourceLocation
from seemix.flows.readers.hxltags import HASHTAG_ROWS, HxlReader
from seemix.flows.readers.plain import PlainReader
from seemix.flows.readers.problems import FileRejected, ProblemLog
from seemix.flows.readers.textfile import TextRows
from seemix.flows.readers.workbook import WorkbookRows

FORMATS = ("csv", "xlsx", "hxl")
_XLSX_SUFFIXES = {".xlsx", ".xlsm"}
_ZIP_MAGIC = b"PK\x03\x04"

__all__ = ["FORMATS", "FileRejected", "ProblemLog", "Reader", "open_reader"]


class Reader:
    """A started reader over one file: iterate for rows; ``log`` for problems; ``progress`` for a bar."""

    def __init__(self, source: Any, parser: Any, log: ProblemLog) -> None:
        self.source = source
        self.parser = parser
        self.log = log
        self.rows_read = 0
        # Rows with an error are not handed on. A caller that does not pass the log's errors to the
        # submission's validator (as ``importing.import_file`` does, clearing this) would write the
        # other rows of a file it meant to take all or nothing: by default the reader refuses the
        # whole file at its end instead.
        self.strict = True

    @property
    def kind(self) -> str:
        container = "xlsx" if isinstance(self.source, WorkbookRows) else "csv"
        return f"{container}+hxl" if isinstance(self.parser, HxlReader) else container

    @property
    def unit(self) -> str:
        return str(self.source.unit)

    @property
    def progress(self) -> tuple[int, int]:
        """(done, total) in ``unit``: bytes of a CSV file, rows of a sheet (total from its dimension)."""
        return self.source.position, self.source.size

    def __iter__(self) -> Iterator[ObservationInput]:
        for observation in self.parser:
            self.rows_read += 1
            yield observation
        self.log.finish()
        if self.strict and self.log.has_errors:
            raise FileRejected(self.log.problems)

    def close(self) -> None:
        self.source.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _container(path: Path, fmt: str | None) -> str:
    if fmt in ("csv", "xlsx"):
        return fmt
    if path.suffix.lower() in _XLSX_SUFFIXES:
        return "xlsx"
    with path.open("rb") as probe:
        return "xlsx" if probe.read(4) == _ZIP_MAGIC else "csv"


def _has_hashtags(rows: list[tuple[int, list[Any]]]) -> bool:
    for _row, cells in rows:
        texts = [str(c).strip() for c in cells if c is not None and str(c).strip()]
        if texts and sum(t.startswith("#") for t in texts) / len(texts) >= 0.5:
            return True
    return False


def open_reader(
    path: Path | str,
    *,
    participant: str,
    fmt: str | None = None,
    label: str | None = None,
    sheet: str | None = None,
    classification: str | None = None,
) -> Reader:
    """Open ``path`` and read its header: FileRejected if the file cannot be imported at all.

    ``classification``: what the import will classify the figures as; a row of a seemix export that
    was more restricted is an error (``exported.py``). None: not checked."""
    path = Path(path)
    label = label or path.name
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    if not path.is_file():
        raise FileRejected(
            [
                Problem(
                    SourceLocation(file=label),
                    "file",
                    str(path),
                    _("There is no file %(path)s.") % {"path": path},
                )
            ]
        )
    log = ProblemLog()
    source: Any
    if _container(path, fmt) == "xlsx":
        source = WorkbookRows(path, label=label, participant=participant, log=log, sheet=sheet)
    else:
        source = TextRows(path, label=label, participant=participant, log=log)
    try:
        source.open()
        hxl = fmt == "hxl" or _has_hashtags(source.peek(HASHTAG_ROWS))
        parser: Any = (HxlReader if hxl else PlainReader)(
            source, participant=participant, log=log, classification=classification
        )
        parser.start()
    except BaseException:
        source.close()
        raise
    return Reader(source, parser, log)
