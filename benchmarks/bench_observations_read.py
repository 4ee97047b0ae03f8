"""Reading the last 30 days of all participants' daily observations as JSON, with 10 million stored.

Stores SEEMIX_BENCH_OBSERVATIONS (default 10,000,000) observations in the real tables of a scratch
database (executemany in one transaction on SQLite, COPY on PostgreSQL): daily reports of every
state participant over consecutive days, each with figures per place, indicator and breakdown, and
one report in ten corrected once (so a tenth of the rows belong to superseded revisions the reads
must skip). Then, SEEMIX_BENCH_READ_REQUESTS times each, measures the p50 and p95 latency of:

- GET /api/v1/observations/export?format=json&periodicity=daily&date_from=D-29&date_to=D : all the
  rows of the 30 days, streamed as one JSON document, against the bare SQL query of the same rows
  (same joins, filters and order; fetched, not serialised) and the same SQL + json.dumps;
- GET /api/v1/observations?periodicity=daily&date_from=...&limit=500 : the first page of the paged
  list (with its count), against the bare SQL of that page and its count.

Runs on SQLite, and on PostgreSQL too when SEEMIX_BENCH_POSTGRES_URL is set (a scratch database is
made and dropped there). Never part of the test suite: loading takes minutes.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

TARGET = int(os.environ.get("SEEMIX_BENCH_OBSERVATIONS", "10000000"))
REQUESTS = int(os.environ.get("SEEMIX_BENCH_READ_REQUESTS", "20"))
LAST_DAY = date(2026, 10, 31)
NATIONALITIES = [
    "SY",
    "AF",
    "IQ",
    "IR",
    "PK",
    "MA",
    "DZ",
    "ER",
    "SO",
    "BD",
    "NG",
    "LB",
    "PS",
    "TN",
    "LY",
    "YE",
    "SD",
    "CM",
    "EG",
    "IN",
]
SEXES = ["female", "male", "unknown"]
AGES = ["0-13", "14-17", "18-34", "35-64", "65+"]
CORRECTED_EVERY = 10  # one report in ten has a superseded first revision


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    fn()  # warm the caches once
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def report_template() -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    """Per participant: the (indicator id, country, crossing point, site, counterpart, breakdown,
    breakdown value) of the figures of one day."""
    from seemix.directory.models import STATE_KINDS, Participant
    from seemix.flows.models import Indicator
    from seemix.gazetteer.models import CrossingPoint, ReceptionSite

    daily = {i.code: i.pk for i in Indicator.objects.filter(periodicity="daily")}
    breakdowns = [("", "")] + [("nationality", n) for n in NATIONALITIES] + [("sex", s) for s in SEXES]
    breakdowns += [("age_group", a) for a in AGES]
    templates: dict[str, list[tuple]] = {}  # type: ignore[type-arg]
    for participant in Participant.objects.filter(kind__in=list(STATE_KINDS)).order_by("code"):
        code = participant.code
        rows: list[tuple] = []  # type: ignore[type-arg]
        places = [(None, None)] + [(p.pk, None) for p in CrossingPoint.objects.filter(country=code)]
        places += [(None, s.pk) for s in ReceptionSite.objects.filter(country=code)]
        for point, site in places:
            for indicator, pk in daily.items():
                counterpart = "HR" if indicator == "EXITS" else None
                if indicator == "PRESENT" and site is None:
                    continue
                for breakdown, value in breakdowns:
                    rows.append((pk, code, point, site, counterpart, breakdown, value))
        templates[code] = rows
    return templates


def plan(templates: dict[str, list[tuple]]) -> int:  # type: ignore[type-arg]
    per_day = sum(len(rows) for rows in templates.values())
    # Every CORRECTED_EVERY-th report also stores its superseded first revision.
    return max(30, round(TARGET / (per_day * (1 + 1 / CORRECTED_EVERY))))


def stamp(moment: datetime | None) -> str | None:
    """A UTC timestamp as both databases take it in text (Django stores naive UTC on SQLite)."""
    return None if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")


def generate(templates, days: int, participant_ids: dict[str, int], user_id: int):  # type: ignore[no-untyped-def]
    """(reports, revisions, observation rows): plain tuples in the tables' column order."""
    first = LAST_DAY - timedelta(days=days - 1)
    reports: list[tuple] = []  # type: ignore[type-arg]
    revisions: list[tuple] = []  # type: ignore[type-arg]
    counters = {"report": 0, "revision": 0, "observation": 0}

    def observations() -> Iterator[tuple]:  # type: ignore[type-arg]
        for offset in range(days):
            day = first + timedelta(days=offset)
            day_text = day.isoformat()
            submitted = datetime(day.year, day.month, day.day, 20)
            for code, rows in templates.items():
                counters["report"] += 1
                report_id, participant = counters["report"], participant_ids[code]
                reports.append((report_id, participant, "daily", day_text, stamp(submitted)))
                numbers = [1, 2] if report_id % CORRECTED_EVERY == 0 else [1]
                for number in numbers:
                    counters["revision"] += 1
                    revision_id = counters["revision"]
                    at = submitted + timedelta(hours=13 * (number - 1))
                    superseded = stamp(at + timedelta(hours=13)) if number < len(numbers) else None
                    revisions.append(
                        (revision_id, report_id, participant, number, "submitted", "regional", "", "", "api",
                         None, user_id, stamp(at), user_id, stamp(at), superseded, revision_id, len(rows))
                    )  # fmt: skip
                    base = counters["observation"]
                    for i, (indicator, country, point, site, counterpart, breakdown, kind) in enumerate(
                        rows, 1
                    ):
                        value = ((base + i) * 7919 + number) % 5000
                        yield (base + i, revision_id, indicator, day_text, country, point, site, None,
                               counterpart, breakdown, kind, value, i % 17 == 0, False)  # fmt: skip
                    counters["observation"] += len(rows)

    return reports, revisions, observations


REPORT_COLUMNS = ["id", "participant_id", "periodicity", "period_start", "created_at"]
REVISION_COLUMNS = [
    "id",
    "report_id",
    "participant_id",
    "number",
    "status",
    "classification",
    "source_note",
    "note",
    "channel",
    "submission_id",
    "created_by_id",
    "created_at",
    "submitted_by_id",
    "submitted_at",
    "superseded_at",
    "change_seq",
    "observation_count",
]
OBSERVATION_COLUMNS = [
    "id",
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
]


def load(templates, days: int, participant_ids, user_id: int, vendor: str) -> int:  # type: ignore[no-untyped-def]
    from django.db import connection, transaction

    reports, revisions, observations = generate(templates, days, participant_ids, user_id)
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY flows_observation ({', '.join(OBSERVATION_COLUMNS)}) FROM STDIN") as copy:
                for row in observations():
                    copy.write_row(row)
                    count += 1
            for table, columns, rows in (
                ("flows_report", REPORT_COLUMNS, reports),
                ("flows_reportrevision", REVISION_COLUMNS, revisions),
            ):
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            for table in ("flows_report", "flows_reportrevision", "flows_observation"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
        else:
            # The DB-API connection itself: sqlite3's executemany takes the generator, no batches.
            raw = connection.connection
            marks = ", ".join(["?"] * len(OBSERVATION_COLUMNS))
            before = raw.total_changes
            insert = f"INSERT INTO flows_observation ({', '.join(OBSERVATION_COLUMNS)}) VALUES ({marks})"
            raw.executemany(insert, observations())
            count = raw.total_changes - before
            for table, columns, rows in (("flows_report", REPORT_COLUMNS, reports),
                                         ("flows_reportrevision", REVISION_COLUMNS, revisions)):  # fmt: skip
                marks = ", ".join(["?"] * len(columns))
                raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return count


# The same rows, the observation table alone, the revisions by an IN (...) as the API's query has
# them: the API then resolves codes from dictionaries (what rows share), not by a join per row.
NARROW_FROM = """
FROM flows_observation o
WHERE o.revision_id IN (
    SELECT rv.id FROM flows_reportrevision rv JOIN flows_report r ON r.id = rv.report_id
    WHERE rv.status = 'submitted' AND rv.superseded_at IS NULL AND rv.classification IN ('public', 'regional')
      AND r.periodicity = 'daily')
  AND o.date >= %s AND o.date <= %s
"""
NARROW_SQL = (
    "SELECT o.date, o.revision_id, o.indicator_id, o.country_id, o.crossing_point_id, o.site_id, "
    "o.border_section_id, o.counterpart_country_id, o.breakdown, o.breakdown_value, o.value, o.is_estimate, "
    "o.is_provisional" + NARROW_FROM
)

# The same rows with every code and name joined in SQL, as a hand-written report query would.
BARE_SQL = """
SELECT o.date, r.periodicity, p.code, o.country_id, cp.code, cp.name_latin, s.code, s.name_latin,
       bs.code, bs.name, c.name, i.code, i.unit, o.counterpart_country_id, o.breakdown,
       o.breakdown_value, o.value, o.is_estimate, o.is_provisional, rv.classification, rv.report_id,
       rv.number, rv.submitted_at
FROM flows_observation o
JOIN flows_reportrevision rv ON rv.id = o.revision_id
JOIN flows_report r ON r.id = rv.report_id
JOIN directory_participant p ON p.id = rv.participant_id
JOIN flows_indicator i ON i.id = o.indicator_id
JOIN gazetteer_country c ON c.code = o.country_id
LEFT JOIN gazetteer_crossingpoint cp ON cp.id = o.crossing_point_id
LEFT JOIN gazetteer_receptionsite s ON s.id = o.site_id
LEFT JOIN gazetteer_bordersection bs ON bs.id = o.border_section_id
WHERE rv.status = 'submitted' AND rv.superseded_at IS NULL AND rv.classification IN ('public', 'regional')
  AND r.periodicity = 'daily' AND o.date >= %s AND o.date <= %s
"""


def run(label: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from seemix.demo.reference import load_reference
    from seemix.demo.users import ensure_demo_users
    from seemix.directory.models import Membership, Participant
    from seemix.directory.principals import principal_for_user
    from seemix.directory.services import issue_token
    from seemix.flows.services import load_indicators

    call_command("migrate", verbosity=0, interactive=False)
    load_reference()
    load_indicators(actor=None)
    ensure_demo_users()
    membership = Membership.objects.select_related("user", "participant").get(user__username="rs-analyst")
    secret = issue_token(
        actor=principal_for_user(membership.user),
        name="bench",
        participant=membership.participant,
        role=membership.role,
    ).secret
    templates = report_template()
    days = plan(templates)
    participant_ids = dict(Participant.objects.values_list("code", "pk"))
    start = time.perf_counter()
    stored = load(templates, days, participant_ids, membership.user_id, connection.vendor)
    load_seconds = time.perf_counter() - start
    date_from, date_to = LAST_DAY - timedelta(days=29), LAST_DAY
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    query = {"periodicity": "daily", "date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    order = " ORDER BY o.date, o.revision_id, o.id"
    page_order = " ORDER BY o.date, o.id"
    rows_in_window = 0

    def export_api() -> None:
        nonlocal rows_in_window
        response = client.get("/api/v1/observations/export", {**query, "format": "json"})
        assert response.status_code == 200, response
        body = json.loads(b"".join(response.streaming_content))
        rows_in_window = len(body["observations"])

    def bare_sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute(BARE_SQL + order, [date_from, date_to])
            cursor.fetchall()

    def bare_sql_json() -> None:
        with connection.cursor() as cursor:
            cursor.execute(BARE_SQL + order, [date_from, date_to])
            json.dumps(cursor.fetchall(), default=str)

    def page_api() -> None:
        response = client.get("/api/v1/observations", {**query, "limit": 500})
        assert response.status_code == 200, response.content[:500]
        assert len(response.json()["items"]) == 500

    def narrow_sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute(NARROW_SQL + order, [date_from, date_to])
            cursor.fetchall()

    def page_sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*)" + NARROW_FROM, [date_from, date_to])
            cursor.fetchone()
            cursor.execute(NARROW_SQL + page_order + " LIMIT 500", [date_from, date_to])
            cursor.fetchall()

    print(
        f"[{label}] {stored:,} observations stored ({days} days x {len(templates)} participants, "
        f"1 report in {CORRECTED_EVERY} corrected) in {load_seconds:.0f} s "
        f"({stored / load_seconds:,.0f} rows/s); {REQUESTS} requests each",
        flush=True,
    )
    measures = [
        ("bare SQL, 30 days, narrow", narrow_sql),
        ("bare SQL, 30 days, joined", bare_sql),
        ("bare SQL + json.dumps", bare_sql_json),
        ("GET /observations/export json", export_api),
        ("bare SQL, page of 500 + count", page_sql),
        ("GET /observations limit=500", page_api),
    ]
    p50: list[float] = []
    for name, fn in measures:
        samples = timed(fn, REQUESTS)
        p50.append(statistics.median(samples))
        print(f"  {name:<32} p50 {p50[-1]:9.1f} ms   p95 {percentile(samples, 0.95):9.1f} ms", flush=True)
    print(f"  {rows_in_window:,} current rows in the 30 days")
    print(f"  ratio export/bare SQL p50: {p50[3] / p50[0]:.1f}x (narrow), {p50[3] / p50[1]:.1f}x (joined)")
    print(f"  ratio page/bare SQL p50: {p50[5] / p50[4]:.1f}x")


def main() -> int:
    backend = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] in {"sqlite", "postgres"} else None
    with tempfile.TemporaryDirectory() as scratch:
        os.environ.update(
            SECRET_KEY="bench-only",
            SEEMIX_VAR_DIR=scratch,
            SEEMIX_TASKS_BACKEND="immediate",
            DJANGO_SETTINGS_MODULE="seemix.settings",
            EMAIL_URL="locmem://",
            LOG_LEVEL="WARNING",
            ALLOWED_HOSTS="testserver,localhost",
        )
        if backend == "postgres":
            return run_postgres()
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        run("sqlite")
    if backend is None and os.environ.get("SEEMIX_BENCH_POSTGRES_URL"):
        import subprocess

        return subprocess.call([sys.executable, __file__, "postgres"])
    return 0


def run_postgres() -> int:
    """In a scratch database made next to SEEMIX_BENCH_POSTGRES_URL's, dropped afterwards."""
    import psycopg

    url = os.environ["SEEMIX_BENCH_POSTGRES_URL"]
    name = f"seemix_bench_read_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
        run("postgresql")
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
