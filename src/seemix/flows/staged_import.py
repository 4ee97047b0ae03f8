"""The fast path of `seemix import`: a plain UTF-8 CSV file staged in the database and checked set-wise.

When it applies (``import_csv``; everything else takes the row path, ``readers.importing.import_file``):
an all-or-nothing import of a CSV file that the reader opens as plain (not HXL), UTF-8 with or
without a byte-order mark, comma-separated, with its header on the first row; and, found once the
file is staged, every value written as digits (or empty), every date as yyyy-mm-dd, every flag as
0, 1 or empty, no code with spaces around it, no blank row. XLSX, HXL, legacy encodings, other
delimiters, locale numbers ("1.234"), other date formats, a row of the wrong width or a byte that is
not UTF-8 (the database's COPY refuses it) and ``--row-by-row`` go down the row path, which reads them.

How: the file goes whole into a temporary table of text columns (PostgreSQL: ``COPY``; SQLite:
``csv.reader`` and ``executemany``), row numbers kept. The distinct combinations of codes and the
distinct dates (a few hundred of each) are resolved in Python by the validator's own methods, so the
messages are the row path's; everything per row is SQL (flows.staged_checks): the joins that resolve
each row, duplicates, breakdown sums, the history rule's figures. Only rows with a problem come back
to Python, to be reported at their row and column exactly as the row path reports them. Then, in one
transaction, ``INSERT ... SELECT`` into the observation table under the new revisions
(services.submission.submit_staged: the same reports, revisions, carry-over and audit row).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from seemix.core.access import Principal
from seemix.core.classification import Classification
from seemix.directory.models import Participant
from seemix.flows import staged_checks
from seemix.flows.models import Channel, Observation
from seemix.flows.readers import open_reader
from seemix.flows.readers.importing import ImportOutcome, Progress, _sorted, import_file
from seemix.flows.readers.plain import PlainReader
from seemix.flows.readers.problems import FileRejected
from seemix.flows.readers.textfile import TextRows
from seemix.flows.services.submission import ImportRejected, check_submitter, submit_staged
from seemix.flows.validation import Validator

STAGE = "seemix_stage"
BLOCK = 1 << 20
TEMPORARY = ("seemix_stage", "seemix_combo", "seemix_day", "seemix_resolved", "seemix_period", "seemix_dup")


class NotStaged(Exception):
    """The file is not in the form the staged path takes: the row path reads it instead."""


def import_csv(
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
    on_path: Callable[[str], None] | None = None,
) -> ImportOutcome:
    """``import_file``, by the staged path where it applies (module docstring), else by the row path.

    The same outcome either way: the same rows written, the same problems at the same places.
    ``on_path("staged" | "rows")`` says which path answered (for tests and the benchmark).
    """
    options: dict[str, Any] = {
        "classification": classification,
        "audience": audience or [],
        "source_note": source_note,
        "channel": channel,
    }
    if not row_by_row and fmt in (None, "csv"):
        outcome = _staged(path, actor, participant, label, progress, validator, options)
        if outcome is not None:
            if on_path is not None:
                on_path("staged")
            return outcome
    if on_path is not None:
        on_path("rows")
    return import_file(
        path,
        actor=actor,
        participant=participant,
        fmt=fmt,
        sheet=sheet,
        label=label,
        row_by_row=row_by_row,
        progress=progress,
        validator=validator,
        **options,
    )


def _layout(path: Path | str, participant: Participant, label: str | None, classification: str) -> Any:
    """The reader's view of the file's header, when the file may take the staged path; else NotStaged."""
    try:
        reader = open_reader(path, participant=participant.code, label=label, classification=classification)
    except FileRejected:
        raise NotStaged from None  # the row path reports it
    with reader:
        source, parser = reader.source, reader.parser
        if not (isinstance(source, TextRows) and isinstance(parser, PlainReader)) or reader.log.problems:
            raise NotStaged
        if (
            source.encoding not in ("utf-8", "utf-8-sig")
            or source.delimiter != ","
            or parser._header_row != 1
        ):
            raise NotStaged
        assert parser.builder is not None
        return parser.builder


def _staged(
    path: Path | str,
    actor: Principal | None,
    participant: Participant,
    label: str | None,
    progress: Progress | None,
    validator: Validator | None,
    options: dict[str, Any],
) -> ImportOutcome | None:
    """The outcome by the staged path, or None when the file must take the row path."""
    path = Path(path)
    try:
        builder = _layout(path, participant, label, options["classification"])
    except NotStaged:
        return None
    # The same refusals as the row path, before any work: not allowed, bad options.
    check_submitter(actor, participant, **options)
    validator = validator or Validator(participant)
    connection.ensure_connection()
    try:
        with transaction.atomic():
            _drop()
            count, keyed = _load(path, builder)
            if progress is not None:
                progress(path.stat().st_size, path.stat().st_size, count)
            checks = staged_checks.StagedChecks(builder, validator, count, keyed)
            checks.run()
    except (NotStaged, UnicodeDecodeError, csv.Error, *_copy_errors()):
        # COPY refused a row (width, encoding, a NUL byte), or a cell is not in the canonical form:
        # the atomic block rolled the staging back, and the row path reads the file and reports it.
        return None
    try:
        if validator.error_count:
            return ImportOutcome(False, count, problems=_sorted(validator.problems), kind="csv")
        try:
            result = submit_staged(
                actor=actor, participant=participant, validator=validator, write=checks.write, **options
            )
        except ImportRejected as rejected:
            return ImportOutcome(False, count, problems=_sorted(rejected.problems), kind="csv")
        return ImportOutcome(bool(result.accepted), count, result, _sorted(result.problems), "csv")
    finally:
        _drop()


class Keyed:
    """What the SQLite load notes of each row on its way in: the distinct combinations of codes and
    the distinct dates, each with its first row (n), so that no GROUP BY over text is needed after
    (SQLite groups by sorting), and the join that resolves the rows is on integers."""

    def __init__(self, code_at: list[int], date_at: int) -> None:
        self.codes = itemgetter(*code_at)
        self.date_at = date_at
        self.combos: dict[tuple[str, ...], int] = {}  # codes -> k
        self.combo_first: list[int] = []  # k -> first n
        self.dates: dict[str, int] = {}  # text -> first n

    def rows(self, records: Iterator[list[str]], width: int) -> Iterator[list[Any]]:
        combos, firsts, dates, codes, date_at = (
            self.combos,
            self.combo_first,
            self.dates,
            self.codes,
            self.date_at,
        )
        for n, cells in enumerate(records, start=1):
            if len(cells) != width:
                raise NotStaged  # a blank line or a row of another width
            key = codes(cells)
            k = combos.get(key)
            if k is None:
                k = combos[key] = len(combos)
                firsts.append(n)
            if cells[date_at] not in dates:
                dates[cells[date_at]] = n
            cells.append(k)
            yield cells


def _load(path: Path, builder: Any) -> tuple[int, Keyed | None]:
    """The file's rows into the staging table: column c0.. for each cell, n the record number (the
    header is record 0, so n + 1 is the row a spreadsheet shows). (number of rows, what SQLite noted)."""
    width = len(builder.columns.labels)
    columns = ", ".join(f"c{i}" for i in range(width))
    keyed = None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cells = ", ".join(f"c{i} text" for i in range(width))
            cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} (n bigint GENERATED ALWAYS AS IDENTITY, {cells})")
            # FORCE_NOT_NULL: an empty cell is '' as in the row path, never NULL.
            sql = (
                f"COPY {STAGE} ({columns}) FROM STDIN "
                f"(FORMAT csv, HEADER true, ENCODING 'UTF8', FORCE_NOT_NULL ({columns}))"
            )
            with cursor.cursor.copy(sql) as copy, path.open("rb") as handle:
                while block := handle.read(BLOCK):
                    copy.write(block)
            count = cursor.cursor.rowcount
        else:
            index = builder.columns.index
            keyed = Keyed([index[f] for f in staged_checks.CODES if f in index], index["date"])
            cells = ", ".join(f"c{i} TEXT" for i in range(width))
            cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} (n INTEGER PRIMARY KEY, {cells}, k INTEGER)")
            marks = ", ".join("?" * (width + 1))
            raw = connection.connection
            with path.open(encoding="utf-8-sig", errors="strict", newline="") as handle:
                records = csv.reader(handle)
                header = next(records, None)
                if header is None or len(header) != width:
                    raise NotStaged
                insert = f"INSERT INTO {STAGE} ({columns}, k) VALUES ({marks})"  # noqa: S608
                count = raw.executemany(insert, keyed.rows(records, width)).rowcount
    if not count:
        raise NotStaged
    return int(count), keyed


def _drop() -> None:
    with connection.cursor() as cursor:
        for table in TEMPORARY:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")


def _copy_errors() -> tuple[type[Exception], ...]:
    """psycopg's own errors (COPY runs on the driver's cursor, outside Django's error wrapping)."""
    if connection.vendor != "postgresql":
        return ()
    import psycopg

    return (psycopg.DataError,)  # a bad row, a byte that is not UTF-8, a NUL: class 22


def observation_table() -> str:
    return connection.ops.quote_name(Observation._meta.db_table)
