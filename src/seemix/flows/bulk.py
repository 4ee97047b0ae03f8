"""The fast write path of observations: validated rows are staged on disk, then written in one go.

``stage`` streams the rows through the validator (codes resolved once, dict look-ups per row) into a
``Spool``: marshalled chunks in a temporary file, so a million rows never sit in memory as objects.
``write_observations`` then copies the spool into the table inside the caller's transaction: with
COPY on PostgreSQL (psycopg 3 ``cursor.copy``), with ``executemany`` on SQLite. No ORM object is
made per row.

Corrections and drafts build on an earlier revision: ``carry_over`` copies, in SQL, the earlier
revision's rows that the new one does not replace; ``drop_replaced`` keeps only the newest row of
each figure inside a draft that was saved again.
"""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.db import connection

from seemix.flows.inputs import ObservationInput
from seemix.flows.models import Observation
from seemix.flows.validation import Staged, Validator

CHUNK = 20_000
OBSERVATION_COLUMNS = (
    "revision_id",
    "indicator_id",
    "date",
    "country_id",
    "crossing_point_id",
    "site_id",
    "border_section_id",
    "counterpart_country_id",
    "breakdown",
    "breakdown_value",
    "value",
    "is_estimate",
    "is_provisional",
)
# What makes two rows of one revision the same figure (NULL-safe where the column may be NULL).
IDENTITY = ("indicator_id", "date", "country_id", "breakdown", "breakdown_value")
NULLABLE_IDENTITY = ("crossing_point_id", "site_id", "border_section_id", "counterpart_country_id")


class Spool:
    """Staged rows on disk, in marshalled chunks: append them, then iterate them once or more."""

    def __init__(self, chunk: int = CHUNK) -> None:
        self.chunk = chunk
        self.file: IO[bytes] = tempfile.TemporaryFile(prefix="seemix-spool-")  # noqa: SIM115 (closed by close())
        self.buffer: list[Staged] = []
        self.count = 0

    def append(self, staged: Staged) -> None:
        self.buffer.append(staged)
        self.count += 1
        if len(self.buffer) >= self.chunk:
            self._flush()

    def _flush(self) -> None:
        if self.buffer:
            # Length-prefixed blobs: marshal.load on a file object reads object by object (slowly).
            blob = marshal.dumps(self.buffer)
            self.file.write(len(blob).to_bytes(8, "little"))
            self.file.write(blob)
            self.buffer = []

    def __iter__(self) -> Iterator[Staged]:
        self._flush()
        self.file.seek(0)
        while header := self.file.read(8):
            blob = self.file.read(int.from_bytes(header, "little"))
            yield from marshal.loads(blob)  # noqa: S302 (our own temporary file)

    def close(self) -> None:
        self.file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def stage(rows: Iterable[ObservationInput], validator: Validator, spool: Spool, *, on_row: Any = None) -> int:
    """Check every row into the spool, then ``validator.finish()``. Returns the number of rows read.

    ``on_row(seq, row)`` is called for each row before it is checked (a progress bar, a hash).
    """
    count = 0
    check, append = validator.check, spool.append
    for seq, row in enumerate(rows):
        if on_row is not None:
            on_row(seq, row)
        staged = check(row, seq)
        if staged is not None:
            append(staged)
        count += 1
    validator.finish()
    return count


def _table() -> str:
    return connection.ops.quote_name(Observation._meta.db_table)


def write_observations(spool: Iterable[Staged], revision_ids: dict[int, int], rejected: set[int]) -> int:
    """Insert the spool's rows (less the ``rejected`` seqs) under the revision of each row's report
    index. Runs in the caller's transaction. Returns the number of rows written."""
    columns = ", ".join(connection.ops.quote_name(c) for c in OBSERVATION_COLUMNS)
    written = 0
    if connection.vendor == "postgresql":
        copy_sql = f"COPY {_table()} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            write_row = copy.write_row
            for staged in spool:
                if rejected and staged[0] in rejected:
                    continue
                write_row((revision_ids[staged[1]], *staged[2:]))
                written += 1
        return written
    marks = ", ".join(["%s"] * len(OBSERVATION_COLUMNS))
    sql = f"INSERT INTO {_table()} ({columns}) VALUES ({marks})"  # noqa: S608 (quoted names; values bound)
    with connection.cursor() as cursor:
        for batch in _batches(spool):
            rows = [(revision_ids[s[1]], *s[2:]) for s in batch if not rejected or s[0] not in rejected]
            cursor.executemany(sql, rows)
            written += len(rows)
    return written


def _batches(spool: Iterable[Staged]) -> Iterator[list[Staged]]:
    batch: list[Staged] = []
    for staged in spool:
        batch.append(staged)
        if len(batch) >= CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def _same_figure(left: str, right: str) -> str:
    same = "IS NOT DISTINCT FROM" if connection.vendor == "postgresql" else "IS"
    q = connection.ops.quote_name
    parts = [f"{left}.{q(c)} = {right}.{q(c)}" for c in IDENTITY]
    parts += [f"{left}.{q(c)} {same} {right}.{q(c)}" for c in NULLABLE_IDENTITY]
    return " AND ".join(parts)


def carry_over(base_revision_id: int, revision_id: int) -> int:
    """Copy into ``revision_id`` the rows of ``base_revision_id`` it does not give itself."""
    q = connection.ops.quote_name
    copied = ", ".join(q(c) for c in OBSERVATION_COLUMNS[1:])
    selected = ", ".join(f"o.{q(c)}" for c in OBSERVATION_COLUMNS[1:])
    sql = (
        f"INSERT INTO {_table()} ({q('revision_id')}, {copied}) "  # noqa: S608
        f"SELECT %s, {selected} FROM {_table()} o WHERE o.{q('revision_id')} = %s AND NOT EXISTS ("
        f"SELECT 1 FROM {_table()} n WHERE n.{q('revision_id')} = %s AND {_same_figure('n', 'o')})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [revision_id, base_revision_id, revision_id])
        return cursor.rowcount


def drop_replaced(revision_id: int) -> int:
    """Delete the rows of a draft for which the draft holds a newer row of the same figure."""
    q = connection.ops.quote_name
    table = _table()
    sql = (
        f"DELETE FROM {table} WHERE {q('revision_id')} = %s AND EXISTS ("  # noqa: S608
        f"SELECT 1 FROM {table} n WHERE n.{q('revision_id')} = %s AND n.{q('id')} > {table}.{q('id')} "
        f"AND {_same_figure('n', table)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [revision_id, revision_id])
        return cursor.rowcount
