"""The 90-day timeline of the situation picture with 10 million observations stored.

Stores SEEMIX_BENCH_OBSERVATIONS (default 10,000,000) observations with the generator of
bench_observations_read.py (daily reports of every state participant, per place, indicator and
breakdown, one report in ten corrected once), then measures SEEMIX_BENCH_TIMELINE_REQUESTS times
each the p50 and p95 latency of:

- GET /api/v1/situation/timelines?country=RS&date_from=D-89&date_to=D : Serbia's arrivals with its
  route neighbours', the measures as markers, the region stacked by country, and the Vega-Lite
  specifications of both charts (the whole API call);
- services.timelines.build_timeline alone (the same figures without HTTP, schema and charts);
- the baseline: the same aggregation written as one plain GROUP BY over the observation table
  (daily ARRIVALS totals of the current, readable revisions, summed per country and day).

Goal (issue 5): the API's p95 <= 800 ms on PostgreSQL. PostgreSQL runs when
SEEMIX_BENCH_POSTGRES_URL is set (a scratch database is made and dropped); otherwise SQLite.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_observations_read as generator  # the generator and the timing helpers

REQUESTS = int(os.environ.get("SEEMIX_BENCH_TIMELINE_REQUESTS", "20"))
DAYS = 90

GROUP_BY_SQL = """
SELECT o.country_id, o.date, SUM(o.value)
FROM flows_observation o
JOIN flows_reportrevision rv ON rv.id = o.revision_id
JOIN flows_report r ON r.id = rv.report_id
WHERE rv.status = 'submitted' AND rv.superseded_at IS NULL AND rv.classification IN ('public', 'regional')
  AND r.periodicity = 'daily' AND o.indicator_id = %s AND o.breakdown = '' AND o.value IS NOT NULL
  AND o.date >= %s AND o.date <= %s
GROUP BY o.country_id, o.date
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
    from seemix.flows.models import Indicator
    from seemix.flows.services import load_indicators
    from seemix.situation.services.timelines import build_timeline

    call_command("migrate", verbosity=0, interactive=False)
    load_reference()
    load_indicators(actor=None)
    ensure_demo_users()
    membership = Membership.objects.select_related("user", "participant").get(user__username="rs-analyst")
    principal = principal_for_user(membership.user)
    secret = issue_token(
        actor=principal, name="bench", participant=membership.participant, role=membership.role
    ).secret
    templates = generator.report_template()
    days = generator.plan(templates)
    participant_ids = dict(Participant.objects.values_list("code", "pk"))
    start = time.perf_counter()
    stored = generator.load(templates, days, participant_ids, membership.user_id, connection.vendor)
    load_seconds = time.perf_counter() - start
    date_to = generator.LAST_DAY
    date_from = date_to - timedelta(days=DAYS - 1)
    arrivals = Indicator.objects.get(code="ARRIVALS").pk
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    query = {"country": "RS", "date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    groups = 0

    def api() -> None:
        response = client.get("/api/v1/situation/timelines", query)
        assert response.status_code == 200, response.content[:500]

    def service() -> None:
        build_timeline(principal, country="RS", date_from=date_from, date_to=date_to)

    def group_by() -> None:
        nonlocal groups
        with connection.cursor() as cursor:
            cursor.execute(GROUP_BY_SQL, [arrivals, date_from, date_to])
            groups = len(cursor.fetchall())

    print(
        f"[{label}] {stored:,} observations stored ({days} days x {len(templates)} participants) "
        f"in {load_seconds:.0f} s; {REQUESTS} requests each; period {date_from} .. {date_to}",
        flush=True,
    )
    p50: dict[str, float] = {}
    for name, fn in (
        ("plain GROUP BY (baseline)", group_by),
        ("build_timeline", service),
        ("GET timelines", api),
    ):
        samples = generator.timed(fn, REQUESTS)
        p50[name] = statistics.median(samples)
        p95 = generator.percentile(samples, 0.95)
        print(f"  {name:<28} p50 {p50[name]:9.1f} ms   p95 {p95:9.1f} ms", flush=True)
    print(f"  {groups:,} (country, day) groups in the 90 days")
    base = p50["plain GROUP BY (baseline)"]
    print(f"  ratio p50: service {p50['build_timeline'] / base:.2f}x, API {p50['GET timelines'] / base:.2f}x")


def main() -> int:
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
        url = os.environ.get("SEEMIX_BENCH_POSTGRES_URL")
        if not url:
            os.environ["DATABASE_URL"] = f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
            run("sqlite")
            return 0
        import psycopg

        name = f"seemix_bench_timeline_{os.getpid()}"
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
