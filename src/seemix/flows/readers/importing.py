"""Import one file: read it (``open_reader``) and submit its rows through ``submit_observations``.

The same validation as every other way in: the reader's findings (a date that cannot be read, a
merged cell, an encoding guess) are handed to the submission's ``Validator`` after the last row, so
an all-or-nothing import with any reader error is rejected by the same rule, with every problem of
both in one report, and a row-by-row import counts the reader's rejected rows with the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from seemix.core.access import Principal
from seemix.core.classification import Classification
from seemix.directory.models import Participant
from seemix.flows.inputs import ObservationInput, Problem, Severity
from seemix.flows.models import Channel
from seemix.flows.readers import Reader, open_reader
from seemix.flows.readers.problems import FileRejected
from seemix.flows.services import ImportRejected, SubmissionResult, submit_observations
from seemix.flows.validation import Validator

Progress = Callable[[int, int, int], None]  # (done, total) in the reader's unit, rows read


@dataclass
class ImportOutcome:
    """What an import did: ``written`` False means nothing was written."""

    written: bool
    rows_read: int = 0
    result: SubmissionResult | None = None
    problems: list[Problem] = field(default_factory=list)
    kind: str = ""  # csv, xlsx, csv+hxl, xlsx+hxl

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.WARNING]


def _sorted(problems: list[Problem]) -> list[Problem]:
    """Problems in the order of the file (sheet, row), file-wide ones first; duplicates dropped."""
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.location.sheet, p.location.row or 0))


def _rows(
    reader: Reader, validator: Validator, progress: Progress | None, flags: tuple[bool, bool]
) -> Iterator[ObservationInput]:
    """The reader's rows; after the last, its findings go to the validator (before ``finish``)."""
    every = 1 << 12
    count = 0
    estimate, provisional = flags
    for count, row in enumerate(reader, start=1):
        if progress is not None and not count % every:
            progress(*reader.progress, count)
        row.estimate = row.estimate or estimate
        row.provisional = row.provisional or provisional
        yield row
    if progress is not None:
        progress(*reader.progress, count)
    for problem in reader.log.problems:
        # The validator's own tally decides acceptance and counts rejected rows: feed it.
        validator._add(problem)
    validator.rows_rejected += len(reader.log.rejected_rows)


def import_file(
    path: Path | str,
    *,
    actor: Principal | None,
    participant: Participant,
    fmt: str | None = None,
    sheet: str | None = None,
    label: str | None = None,
    row_by_row: bool = False,
    classification: str = Classification.REGIONAL,
    audience: list[Participant] | None = None,
    source_note: str = "",
    channel: str = Channel.CLI,
    progress: Progress | None = None,
    validator: Validator | None = None,
    estimate: bool = False,
    provisional: bool = False,
) -> ImportOutcome:
    """Read ``path`` and submit its figures for ``participant``; never raises for bad input.

    All or nothing unless ``row_by_row``: with any error nothing is written and ``written`` is
    False. ``progress(done, total, rows)`` is called as the file is read (``done`` and ``total`` in bytes
    of a CSV or rows of a sheet). ``estimate`` and ``provisional`` mark every figure of the file so
    (the upload page's boxes), besides the rows the file's own flag columns mark.
    """
    try:
        reader = open_reader(
            path,
            participant=participant.code,
            fmt=fmt,
            sheet=sheet,
            label=label,
            classification=classification,
        )
    except FileRejected as rejected:
        return ImportOutcome(False, problems=_sorted(rejected.problems))
    reader.strict = False  # its errors go to the validator (``_rows``), which decides
    validator = validator or Validator(participant)
    options: dict[str, Any] = {
        "classification": classification,
        "audience": audience or [],
        "source_note": source_note,
    }
    with reader:
        try:
            result = submit_observations(
                actor=actor,
                participant=participant,
                rows=_rows(reader, validator, progress, (estimate, provisional)),
                channel=channel,
                row_by_row=row_by_row,
                validator=validator,
                **options,
            )
        except FileRejected as rejected:  # the file broke off in the middle (a CSV quoting error)
            problems = reader.log.problems + rejected.problems
            return ImportOutcome(False, reader.rows_read, problems=_sorted(problems), kind=reader.kind)
        except ImportRejected as rejected:
            problems = rejected.problems + reader.log.problems
            return ImportOutcome(False, reader.rows_read, problems=_sorted(problems), kind=reader.kind)
    written = bool(result.accepted)
    return ImportOutcome(written, reader.rows_read, result, _sorted(result.problems), reader.kind)
