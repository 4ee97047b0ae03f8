"""Rows of a delimited text file, streamed: the file is never read whole, whatever its size.

Encoding: UTF-8, with or without a byte-order mark (UTF-16 with its mark is read too). The first MiB
decides: if it is not UTF-8, the file is read in the legacy Windows code page of the reporting
participant's language (``LEGACY_ENCODINGS``: Windows-1250 for the Latin-script Central European
languages, 1251 Cyrillic, 1253 Greek, 1254 Turkish; Windows-1252, the superset of Latin-1, for the
others), and the report says so as a warning. A byte that is not UTF-8 further down a file that began
as UTF-8 rejects that row, located, rather than guessing again.

Delimiter: the one of comma, semicolon and tab that the header line holds most (outside quotes);
comma when it holds none.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import deque
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from seemix.flows.inputs import Problem, SourceLocation
from seemix.flows.readers.problems import FileRejected, ProblemLog

SAMPLE_BYTES = 1 << 20
DELIMITERS = (",", ";", "\t")
LEGACY_ENCODINGS = {
    **dict.fromkeys(["AL", "BA", "CZ", "HR", "HU", "ME", "RO", "RS", "SI", "SK", "XK"], "cp1250"),
    **dict.fromkeys(["BG", "MK", "UA"], "cp1251"),
    "GR": "cp1253",
    "CY": "cp1253",
    "TR": "cp1254",
}
ENCODING_NAMES = {
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1252": "Windows-1252 (Western European, Latin-1)",
    "cp1253": "Windows-1253 (Greek)",
    "cp1254": "Windows-1254 (Turkish)",
    "latin-1": "ISO 8859-1 (Latin-1)",
}
# Cells that failed to decode carry these surrogates (errors="surrogateescape").
_UNDECODED = re.compile("[\udc80-\udcff]")
csv.field_size_limit(1 << 24)


def _detect_encoding(sample: bytes, participant: str) -> tuple[str, str, int | None]:
    """(codec, interpretation note, row of the first non-UTF-8 byte) for a file's first bytes."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "", None
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "", None
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=len(sample) < SAMPLE_BYTES)
        return "utf-8", "", None
    except UnicodeDecodeError as error:
        row = sample[: error.start].count(b"\n") + 1
    for codec in (LEGACY_ENCODINGS.get(participant, "cp1252"), "cp1252", "latin-1"):
        try:
            sample.decode(codec)
        except UnicodeDecodeError:
            continue
        return codec, ENCODING_NAMES[codec], row
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def _detect_delimiter(first_line: str) -> str:
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


class TextRows:
    """(row number, cells) of a CSV file; the first record is row 1, as a spreadsheet shows it."""

    unit = "bytes"

    def __init__(self, path: Path, *, label: str, participant: str, log: ProblemLog) -> None:
        self.path = path
        self.label = label
        self.participant = participant
        self.log = log
        self.size = path.stat().st_size
        self.encoding = ""
        self.delimiter = ","
        self.labels: list[str] = []  # the columns' names, once the header is read: for messages
        self._raw: io.FileIO | None = None
        self._text: io.TextIOWrapper | None = None
        self._records: Iterator[list[str]] | None = None
        self._peeked: deque[tuple[int, list[str]]] = deque()
        self._row = 0

    def open(self) -> None:
        with self.path.open("rb") as probe:
            sample = probe.read(SAMPLE_BYTES)
        if not sample.strip():
            raise FileRejected(
                [
                    Problem(
                        SourceLocation(file=self.label),
                        "file",
                        "",
                        _("The file is empty."),
                        suggestion=_("Send a file with a header row and one row per figure."),
                    )
                ]
            )
        self.encoding, note, bad_row = _detect_encoding(sample, self.participant)
        if note:
            self.log.warning(
                SourceLocation(file=self.label, row=bad_row),
                "encoding",
                self.encoding,
                _(
                    "The file is not UTF-8 (the first byte that is not is in row %(row)s): it was read as "
                    "%(encoding)s, the usual legacy encoding for %(participant)s."
                )
                % {"row": bad_row, "encoding": note, "participant": self.participant or "-"},
                suggestion=_("If names look wrong, save the file as UTF-8 and import it again."),
            )
        self._raw = io.FileIO(self.path, "r")
        self._text = io.TextIOWrapper(
            io.BufferedReader(self._raw, 1 << 16),
            encoding=self.encoding,
            errors="surrogateescape",
            newline="",
        )
        first_line = sample.split(b"\n", 1)[0].decode(self.encoding, "replace").lstrip("\ufeff")
        self.delimiter = _detect_delimiter(first_line)
        self._records = csv.reader(self._text, delimiter=self.delimiter)

    def close(self) -> None:
        if self._text is not None:
            self._text.close()

    @property
    def position(self) -> int:
        return self._raw.tell() if self._raw is not None and not self._raw.closed else self.size

    def peek(self, n: int) -> list[tuple[int, list[str]]]:
        """The next ``n`` rows, without consuming them."""
        while len(self._peeked) < n:
            row = self._next()
            if row is None:
                break
            self._peeked.append(row)
        return list(self._peeked)[:n]

    def _next(self) -> tuple[int, list[str]] | None:
        assert self._records is not None, "open() first"
        try:
            cells = next(self._records)
        except StopIteration:
            return None
        except csv.Error as error:
            raise FileRejected(
                [
                    Problem(
                        SourceLocation(file=self.label, row=self._row + 1),
                        "file",
                        "",
                        _("The file cannot be read as CSV here: %(error)s.") % {"error": error},
                        suggestion=_("Check the quotes on this row."),
                    )
                ]
            ) from None
        self._row += 1
        return self._row, cells

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        while self._peeked:
            yield self._peeked.popleft()
        while (row := self._next()) is not None:
            yield row

    def _column(self, position: int) -> str:
        return (
            self.labels[position]
            if position < len(self.labels) and self.labels[position]
            else str(position + 1)
        )

    def undecoded(self, row: int, cells: list[str]) -> bool:
        """Report a row holding bytes that are not in the file's encoding; True if it does."""
        joined = "".join(cells)
        if joined.isascii() or not _UNDECODED.search(joined):
            return False
        for position, cell in enumerate(cells):
            if _UNDECODED.search(cell):
                shown = cell.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                self.log.error(
                    SourceLocation(file=self.label, row=row, column=self._column(position)),
                    "encoding",
                    shown,
                    _(
                        "This cell holds bytes that are not %(encoding)s, the encoding of the "
                        "file's beginning."
                    )
                    % {"encoding": self.encoding},
                    suggestion=_("Save the whole file as UTF-8 and import it again."),
                )
                return True
        return False
