"""The validation of a staged file, set-wise: the row path's rules, with its messages, in SQL.

The file's rows are in the temporary table ``seemix_stage`` (flows.staged_import). Each step below is
one or two statements over all rows; Python sees the distinct codes and dates (to resolve them with
the validator's own methods) and the rows that have a problem (to report them at their row and
column as the row path does), never the others:

1. the form of the cells (digits, yyyy-mm-dd, 0/1 flags): anything else is for the row path;
2. the distinct combinations of codes (``seemix_combo``) and of date and indicator (``seemix_day``),
   resolved by ``Validator.resolve_codes`` and ``Validator._check_date``;
3. every row resolved by a join into ``seemix_resolved`` (ids, the report's period, the state:
   0 accepted, 1 an error of its own, 2 a duplicate);
4. per-row problems, then duplicates (``GROUP BY ... HAVING count(*) > 1``, then a window);
5. breakdowns summing above their total (a ``GROUP BY`` joined to the totals); the reports that a
   submission corrects are checked by flows.sums against the figures they carry over, as in the row
   path, from their rows only;
6. the history rule: the accepted values, fetched as arrays, in the row path's SeriesHistory.
"""

from __future__ import annotations

import re
from array import array
from datetime import date
from typing import Any

import numpy as np
from django.db import connection

from seemix.flows.bulk import OBSERVATION_COLUMNS
from seemix.flows.history_fast import FastSeriesHistory
from seemix.flows.inputs import Problem, Severity, SourceLocation
from seemix.flows.models import Observation
from seemix.flows.readers.plain import DATE_CACHE
from seemix.flows.sums import base_revisions, exceeds_message
from seemix.flows.validation import Validator, duplicate_problem, negative_value

CODES = ("indicator", "place", "counterpart", "breakdown", "breakdown_value")
COMBO_TEXTS = ("indicator", "place", "counterpart", "breakdown_text", "breakdown_value_text")
FLAGS = ("estimate", "provisional")
CHUNK = 50_000
_ISO = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class NotCanonical(Exception):
    """A cell the staged path does not read: the row path takes the file."""


class StagedChecks:
    def __init__(self, builder: Any, validator: Validator, count: int, keyed: Any = None) -> None:
        self.keyed = keyed  # SQLite: the combinations and dates noted as the rows went in
        self.validator = validator
        self.file = builder.file
        self.columns = builder.columns
        self.checks = getattr(builder, "checks", None)
        self.labels: list[str] = list(self.columns.labels)
        self.index: dict[str, int] = dict(self.columns.index)
        self.count = count
        self.pg = connection.vendor == "postgresql"
        self.combos: dict[
            int, tuple[Any, ...]
        ] = {}  # k -> (indicator key, found, total, figure, periodicity)
        self.days: dict[tuple[str, int], tuple[Any, ...]] = {}  # (text, indicator key) -> (found,)
        self.dates: dict[str, date] = {}
        self.slow_first: dict[str, int] = {}  # cached date text -> the row that parsed it (n)
        self.corrected: set[tuple[str, date]] = set()
        self.day_keys: list[Any] = []  # dk -> the report key of a date and indicator
        self.noted = False  # a combination of codes or a date with a problem
        self.negatives = 0
        self.accepted = np.empty((0, 5), dtype=np.int64)  # figure key, period index, value, n, dk
        self.figure_keys: dict[tuple[Any, ...], int] = {}  # figure identity -> key, in the order of rows
        self.periodicities: dict[tuple[Any, ...], str] = {}

    def col(self, field: str) -> str:
        return f"s.c{self.index[field]}" if field in self.index else "''"

    # --- running ------------------------------------------------------------------------------------

    def run(self) -> None:
        from seemix.flows.staged_import import NotStaged

        if len(set(self.labels)) != len(self.labels) or not all(self.labels):
            raise NotStaged  # the row path's messages name columns by label: they must be distinct
        try:
            self._form()
            self._dates()
            self._combos()
        except NotCanonical:
            raise NotStaged from None
        self._days()
        self._resolve()
        problems = self._row_problems()
        self._fetch_accepted()
        self._duplicates(problems)
        for n in sorted(problems):
            for problem in problems[n]:
                self.validator._add(problem)
        self._report_keys()
        self._sums()
        self._corrected_rows()
        self._history()
        self.validator.finish()

    def _execute(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    # --- 1. the form of the cells -------------------------------------------------------------------

    def _form(self) -> None:
        v = self.col("value")
        # Digits only (ltrim of the digits leaves nothing: cheaper than a pattern), at most 18 of them
        # (a bigint), or a minus and digits (an error the validator reports), or empty (missing).
        digits = f"(length({v}) BETWEEN 1 AND 18 AND ltrim({v}, '0123456789') = '')"
        minus = (
            f"(substr({v}, 1, 1) = '-' AND length({v}) BETWEEN 2 AND 19 "
            f"AND ltrim(substr({v}, 2), '0123456789') = '')"
        )
        bad = [f"NOT ({v} = '' OR {digits} OR {minus})", f"substr({v}, 1, 1) = '-'"]
        bad += [f"{self.col(f)} NOT IN ('', '0', '1')" for f in FLAGS if f in self.index]
        cases = ", ".join(f"SUM(CASE WHEN {b} THEN 1 ELSE 0 END)" for b in bad)
        (found,) = self._execute(f"SELECT {cases} FROM seemix_stage s")  # noqa: S608
        self.negatives = int(found[1] or 0)
        if found[0] or any(found[2:]):
            raise NotCanonical
        checked = getattr(self.columns, "checked", {})
        for name, at in checked.items():
            if self.checks is None:
                raise NotCanonical
            allowed = getattr(self.checks, f"fast_{name}s", None)
            values = self._execute(f"SELECT DISTINCT c{at} FROM seemix_stage")  # noqa: S608
            if allowed is None or any(text not in allowed for (text,) in values):
                raise NotCanonical

    def _dates(self) -> None:
        if self.keyed is not None:
            rows = sorted(self.keyed.dates.items(), key=lambda item: item[1])
        else:
            date_cells = self.col("date")
            rows = self._execute(
                f"SELECT {date_cells}, MIN(s.n) FROM seemix_stage s GROUP BY 1 ORDER BY 2"  # noqa: S608
            )
        for position, (text, first) in enumerate(rows):
            if not _ISO.match(text):
                raise NotCanonical
            try:
                self.dates[text] = date.fromisoformat(text)
            except ValueError:
                raise NotCanonical from None
            # The reader parses a date's first row the long way and caches the first DATE_CACHE
            # dates; a problem's column is found the way that row was read (``_raw``).
            if position < DATE_CACHE:
                self.slow_first[text] = first

    # --- 2. distinct codes and dates ----------------------------------------------------------------

    def _combos(self) -> None:
        present = [f for f in CODES if f in self.index]
        texts = ", ".join(self.col(f) for f in present)
        if self.keyed is not None:  # in the order of k, which is the order of their first rows
            rows = [(*codes, n) for codes, n in zip(self.keyed.combos, self.keyed.combo_first, strict=True)]
        else:
            rows = self._execute(
                f"SELECT {texts}, MIN(s.n) FROM seemix_stage s GROUP BY {texts} ORDER BY MIN(s.n)"  # noqa: S608
            )
        totals: dict[tuple[Any, ...], int] = {}
        figures = self.figure_keys
        records = []
        for k, (*cells, _first) in enumerate(rows):
            codes = dict.fromkeys(CODES, "") | dict(zip(present, cells, strict=True))
            if any(text != text.strip() for text in codes.values()):
                raise NotCanonical
            resolved = self.validator.resolve_codes(*(codes[f] for f in CODES))
            indicator, country, crossing, site, section, counterpart, breakdown_value, found = resolved[:8]
            total, figure = resolved[8:]
            total_key = totals.setdefault(total, len(totals)) if total is not None else None
            figure_key = figures.setdefault(figure, len(figures)) if figure is not None else None
            indicator_key = indicator.id if indicator is not None else 0
            bad = any(f[3] == Severity.ERROR for f in found)
            self.combos[k] = (indicator_key, found, total, figure, indicator, codes)
            self.noted = self.noted or bool(found)
            if figure is not None:
                self.periodicities[figure] = indicator.periodicity
            records.append(
                (k, *(codes[f] for f in CODES), indicator_key, indicator.id if indicator else None, country,
                 crossing, site, section, counterpart, codes["breakdown"], breakdown_value, total_key,
                 figure_key, int(bad), int(bool(found)))
            )  # fmt: skip
        big = "bigint" if self.pg else "INTEGER"
        self._execute(
            f"CREATE TEMPORARY TABLE seemix_combo (k {big}, indicator text, place text, counterpart text, "
            f"breakdown_text text, breakdown_value_text text, indicator_key {big}, indicator_id {big}, "
            f"country_id text, crossing_point_id {big}, site_id {big}, border_section_id {big}, "
            f"counterpart_id text, breakdown text, breakdown_value text, total_key {big}, "
            f"figure_key {big}, bad {big}, noted {big})"
        )
        with connection.cursor() as cursor:
            marks = ", ".join(["%s"] * 19)
            cursor.executemany(f"INSERT INTO seemix_combo VALUES ({marks})", records)  # noqa: S608

    def _days(self) -> None:
        indicators = {c[0]: c[4] for c in self.combos.values()}
        records = []
        for text, day in self.dates.items():
            for key, indicator in indicators.items():
                report_key, found, _iso, index = self.validator._check_date(day, indicator)
                self.days[text, key] = found
                self.day_keys.append(report_key)
                self.noted = self.noted or bool(found)
                periodicity, start = report_key if report_key is not None else (None, None)
                bad = any(f[3] == Severity.ERROR for f in found)
                records.append(
                    (
                        len(records),
                        text,
                        key,
                        self._date(day),
                        periodicity,
                        self._date(start),
                        index,
                        int(bad),
                        int(bool(found)),
                    )
                )
        kind = "date" if self.pg else "text"
        big = "bigint" if self.pg else "INTEGER"
        self._execute(
            f"CREATE TEMPORARY TABLE seemix_day (dk {big}, date_text text, indicator_key {big}, day {kind}, "
            f"periodicity text, period_start {kind}, pidx {big}, bad {big}, noted {big})"
        )
        with connection.cursor() as cursor:
            marks = ", ".join(["%s"] * 9)
            cursor.executemany(f"INSERT INTO seemix_day VALUES ({marks})", records)  # noqa: S608

    def _date(self, day: date | None) -> Any:
        return day if self.pg or day is None else day.isoformat()

    # --- 3. every row resolved ----------------------------------------------------------------------

    def _resolve(self) -> None:
        v = self.col("value")
        big = "BIGINT" if self.pg else "INTEGER"
        value = f"CASE WHEN {v} = '' THEN NULL ELSE CAST({v} AS {big}) END"
        negative = f"CASE WHEN {v} LIKE '-%' THEN CAST({v} AS {big}) < 0 ELSE FALSE END"
        flags = [f"({self.col(f)} = '1')" if f in self.index else "FALSE" for f in FLAGS]
        if self.pg:
            # Every join here is a file's rows against a few thousand codes or dates: hash joins, with
            # memory enough to hash (not sort) them, for this transaction only. The temporary tables
            # have no statistics; a multi-column join's estimate then falls to one row, and the
            # planner would loop over the small table for each row.
            self._execute("SET LOCAL work_mem = '256MB'")
            self._execute("SET LOCAL enable_nestloop = off")
            self._execute("SET LOCAL enable_mergejoin = off")
            for table in ("seemix_combo", "seemix_day"):
                self._execute(f"ANALYZE {table}")
        join = " AND ".join(
            f"c.{name} = {self.col(f)}"
            for f, name in zip(CODES, COMBO_TEXTS, strict=True)
            if f in self.index
        )  # fmt: skip
        if self.keyed is not None:
            join = "c.k = s.k"
            self._execute("CREATE INDEX seemix_combo_k ON seemix_combo (k)")
            self._execute("CREATE INDEX seemix_day_text ON seemix_day (date_text, indicator_key)")
        self._execute(
            "CREATE TEMPORARY TABLE seemix_resolved AS "  # noqa: S608
            "SELECT s.n AS n, c.k AS k, c.indicator_id, c.country_id, c.crossing_point_id, c.site_id, "
            "c.border_section_id, c.counterpart_id, c.breakdown, c.breakdown_value, c.total_key, "
            f"c.figure_key, d.dk, d.day, d.periodicity, d.period_start, d.pidx, {value} AS value, "
            f"{flags[0]} AS is_estimate, {flags[1]} AS is_provisional, "
            f"CASE WHEN c.bad = 1 OR d.bad = 1 OR {negative} THEN 1 ELSE 0 END AS state, "
            f"CASE WHEN c.noted = 1 OR d.noted = 1 OR {negative} THEN 1 ELSE 0 END AS noted "
            f"FROM seemix_stage s JOIN seemix_combo c ON {join} "
            f"JOIN seemix_day d ON d.date_text = {self.col('date')} AND d.indicator_key = c.indicator_key"
        )

    # --- 4. per-row problems, duplicates ------------------------------------------------------------

    def _row_problems(self) -> dict[int, list[Problem]]:
        if not self.noted and not self.negatives:
            return {}  # no row can have a problem of its own: no need to look
        cells = ", ".join(f"s.c{i}" for i in range(len(self.labels)))
        rows = self._execute(
            f"SELECT r.n, r.k, r.value, {cells} FROM seemix_resolved r JOIN seemix_stage s ON s.n = r.n "  # noqa: S608
            "WHERE r.noted = 1 ORDER BY r.n"
        )
        problems: dict[int, list[Problem]] = {}
        date_at, value_at = self.index["date"], self.index["value"]
        for n, k, value, *row in rows:
            indicator_key, found, _total, _figure, _indicator, codes = self.combos[k]
            text = row[date_at]
            found = list(found) + list(self.days[text, indicator_key])
            if value is not None and value < 0:
                found.append(negative_value())
            shown = {
                **codes,
                "date": self.dates[text].isoformat(),
                "value": "" if value is None else str(value),
            }
            # The reader builds a date's first row, later dates' rows and a negative value's row the
            # long way (only the figure's fields), every other row from all its cells.
            slow = self.slow_first.get(text, n) == n or row[value_at].startswith("-")
            cells_by_label = (
                [(self.labels[i], row[i]) for i in self.index.values()]
                if slow
                else list(zip(self.labels, row, strict=True))
            )
            for field, message, suggestion, severity in found:
                shown_value = shown.get(field, "")
                column = next((h for h, c in cells_by_label if c == shown_value and shown_value != ""), "")
                where = SourceLocation(self.file, "", n + 1, column)
                problems.setdefault(n, []).append(
                    Problem(where, field, shown_value, message, severity, suggestion)
                )
        return problems

    def _fetch_accepted(self) -> None:
        """(figure key, period index, value or -1, n, day key) of every row without an error of its
        own, as one array (fetched in chunks into it, never as a list of a million tuples)."""
        found = np.empty((self.count, 5), dtype=np.int64)
        at = 0
        sql = "SELECT figure_key, pidx, COALESCE(value, -1), n, dk FROM seemix_resolved WHERE state = 0"
        # PostgreSQL: a server-side cursor, or the driver would hold every row of the result at once.
        with (
            connection.connection.cursor(name="seemix_accepted") if self.pg else connection.cursor() as cursor
        ):
            cursor.execute(sql)
            while chunk := cursor.fetchmany(CHUNK):
                found[at : at + len(chunk)] = chunk
                at += len(chunk)
        self.accepted = found[:at]

    def _duplicates(self, problems: dict[int, list[Problem]]) -> None:
        """A figure given twice on one day (the period index stands for the day: a figure has one
        periodicity): the later rows are duplicates of the first, as the row path finds them."""
        rows = self.accepted
        ordered = rows[np.lexsort((rows[:, 3], rows[:, 1], rows[:, 0]))]
        again = np.zeros(len(ordered), dtype=bool)
        again[1:] = (ordered[1:, 0] == ordered[:-1, 0]) & (ordered[1:, 1] == ordered[:-1, 1])
        if not again.any():
            return
        group = np.cumsum(~again) - 1
        first = ordered[~again][group, 3]
        pairs = sorted(zip(ordered[again, 3].tolist(), first[again].tolist(), strict=True))
        for n, first_n in pairs:
            problems.setdefault(n, []).append(
                duplicate_problem(SourceLocation(self.file, "", n + 1), first_n + 1)
            )
        self.accepted = ordered[~again]
        big = "bigint" if self.pg else "INTEGER"
        self._execute(f"CREATE TEMPORARY TABLE seemix_dup (n {big} PRIMARY KEY)")
        with connection.cursor() as cursor:
            cursor.executemany("INSERT INTO seemix_dup VALUES (%s)", [(n,) for n, _first in pairs])
        self._execute("UPDATE seemix_resolved SET state = 2 WHERE n IN (SELECT n FROM seemix_dup)")

    # --- 5. reports, breakdown sums -----------------------------------------------------------------

    def _report_keys(self) -> None:
        # Numbered in the order of their first accepted row, as the row path numbers them.
        firsts: dict[Any, int] = {}
        days, inverse = np.unique(self.accepted[:, 4], return_inverse=True)
        earliest = np.full(len(days), np.iinfo(np.int64).max)
        np.minimum.at(earliest, inverse.reshape(-1), self.accepted[:, 3])
        for dk, n in zip(days.tolist(), earliest.tolist(), strict=True):
            key = self.day_keys[dk]
            firsts[key] = min(n, firsts.get(key, n))
        keys = sorted(firsts, key=firsts.__getitem__)
        self.validator.report_keys = {key: i for i, key in enumerate(keys)}
        self.corrected = set(base_revisions(self.validator.participant.pk, keys))
        kind = "date" if self.pg else "text"
        big = "bigint" if self.pg else "INTEGER"
        self._execute(
            f"CREATE TEMPORARY TABLE seemix_period (periodicity text, period_start {kind}, corrected {big}, "
            f"revision_id {big})"
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO seemix_period VALUES (%s, %s, %s, NULL)",
                [(p, self._date(s), int((p, s) in self.corrected)) for p, s in keys],
            )
        if self.pg:
            self._execute("ANALYZE seemix_period")

    def _period_join(self, alias: str, corrected: int) -> str:
        return (
            f"JOIN seemix_period p ON p.periodicity = {alias}.periodicity "
            f"AND p.period_start = {alias}.period_start AND p.corrected = {corrected}"
        )

    def _sums(self) -> None:
        """Breakdowns above their total, in the reports that the submission does not correct."""
        period = self._period_join("r", 0) if self.corrected else ""
        # One pass: each total (unique among accepted rows) and each breakdown's sum, by figure and day.
        rows = self._execute(
            "WITH g AS (SELECT r.total_key, r.day, r.breakdown, SUM(r.value) AS summed, "  # noqa: S608
            f"MIN(r.n) AS first FROM seemix_resolved r {period} WHERE r.state = 0 AND r.value IS NOT NULL "
            "GROUP BY r.total_key, r.day, r.breakdown) "
            "SELECT t.first, t.summed, b.breakdown, b.summed FROM g b JOIN g t ON t.total_key = b.total_key "
            "AND t.day = b.day AND t.breakdown = '' WHERE b.breakdown <> '' AND b.summed > t.summed "
            "ORDER BY b.first"
        )
        for n, value, breakdown, summed in rows:
            value = int(value)
            message = exceeds_message(breakdown, int(summed), value, None, None)
            self.validator._add(Problem(SourceLocation(self.file, "", n + 1), "value", str(value), message))

    def _corrected_rows(self) -> None:
        """The accepted rows of the reports the submission corrects, into the validator's own
        bookkeeping: ``finish`` checks them against the figures they carry over (flows.sums)."""
        if not self.corrected:
            return
        rows = self._execute(
            "SELECT r.n, r.k, r.day, r.breakdown, r.value FROM seemix_resolved r "  # noqa: S608
            f"{self._period_join('r', 1)} "
            "WHERE r.state = 0 ORDER BY r.n"
        )
        note = self.validator.note_figure
        for n, k, day, breakdown, value in rows:
            _key, _found, total, figure, _indicator, _codes = self.combos[k]
            day = day if isinstance(day, date) else date.fromisoformat(day)
            note(
                n - 1, SourceLocation(self.file, "", n + 1), hash(total), hash(figure), day, breakdown, value
            )

    # --- 6. history ---------------------------------------------------------------------------------

    def _history(self) -> None:
        if self.validator._history is None:
            return
        found = self.accepted[self.accepted[:, 2] >= 0][:, :4]  # the values (-1: missing)
        history = FastSeriesHistory()
        order = np.lexsort((found[:, 3], found[:, 0]))
        found = found[order]
        starts = np.searchsorted(found[:, 0], np.arange(len(self.figure_keys) + 1))
        # Series in the order the row path makes them: by the first row of their codes.
        for figure, i in self.figure_keys.items():
            part = found[starts[i] : starts[i + 1]]
            series = history.series_for(figure, self.periodicities[figure], SourceLocation(self.file))
            series.indexes = array("q", part[:, 1].tobytes())
            series.values = array("q", part[:, 2].tobytes())
            series.rows = array("q", (part[:, 3] + 1).tobytes())
        self.validator._history = history

    # --- the write ----------------------------------------------------------------------------------

    def write(self, revision_ids: dict[int, int]) -> int:
        """The accepted rows into the observation table under their report's new revision."""
        keys = {index: key for key, index in self.validator.report_keys.items()}
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE seemix_period SET revision_id = %s WHERE periodicity = %s AND period_start = %s",
                [(rid, keys[i][0], self._date(keys[i][1])) for i, rid in revision_ids.items()],
            )
            q = connection.ops.quote_name
            table = q(Observation._meta.db_table)
            columns = ", ".join(q(c) for c in OBSERVATION_COLUMNS)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT p.revision_id, r.indicator_id, r.day, r.country_id, "  # noqa: S608
                "r.crossing_point_id, r.site_id, r.border_section_id, r.counterpart_id, r.breakdown, "
                "r.breakdown_value, r.value, r.is_estimate, r.is_provisional FROM seemix_resolved r "
                "JOIN seemix_period p ON p.periodicity = r.periodicity AND p.period_start = r.period_start "
                "WHERE r.state = 0"
            )
            return int(cursor.rowcount)
