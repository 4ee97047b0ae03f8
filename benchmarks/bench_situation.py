"""The regional picture of one day (GET /api/v1/situation?date=D) with 10 million observations stored.

Fills a scratch database (PostgreSQL when SEEMIX_BENCH_POSTGRES_URL is set or with the argument
`postgres`; SQLite with `sqlite`) with SEEMIX_BENCH_OBSERVATIONS (default 10,000,000) observations,
made by the generator and loader of bench_observations_read.py (imported, not copied): daily reports
of 17 state participants over about ten years, each holding the picture's indicators at every place
of the country (ARRIVALS and EXITS for the country and at its crossing points, STRANDED at its
crossing points, PRESENT at its sites), the total and its breakdowns by nationality, and one report
in ten corrected once (its first revision superseded, so the reads must skip it). Then, as a
REGIONAL reader's bearer token, SEEMIX_BENCH_READ_REQUESTS times each after one warm-up:

- GET /api/v1/situation?date=D for the last day (the end of a month: the most reports before it in
  its month), the whole picture: countries, sections, places, legs, freshness;
- the same aggregation written as a plain GROUP BY over the observation table (the current
  revisions joined, filtered on the date, no breakdown, summed per indicator and place);
- the same GROUP BY narrowed through the day's reports first (the report period is indexed), the
  best a hand-written query does without pre-aggregation.

The picture is computed from the observations on every call (no pre-aggregation), so a revised
report changes it at once (tests/situation/test_picture.py::test_as_of_shows_the_figures_known_then).
The totals of the API are checked against the GROUP BY's in the same run.

The 90-day timeline of issue 5 is measured by the timelines helper: ``timeline_measures`` is the
hook where its functions join this run (it returns none here).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bench_observations_read import (
    CORRECTED_EVERY,
    LAST_DAY,
    NATIONALITIES,
    REQUESTS,
    TARGET,
    load,
    percentile,
    timed,
)

COUNTRIES = 17
GOAL_P95_MS = 300

PLAIN_GROUP_BY = """
SELECT o.indicator_id, o.country_id, o.crossing_point_id, o.site_id, o.border_section_id,
       o.counterpart_country_id, SUM(o.value)
FROM flows_observation o JOIN flows_reportrevision rv ON rv.id = o.revision_id
WHERE rv.status = 'submitted' AND rv.superseded_at IS NULL AND rv.classification IN ('public', 'regional')
  AND o.date = %s AND o.breakdown = '' AND o.value IS NOT NULL AND o.indicator_id IN ({indicators})
GROUP BY o.indicator_id, o.country_id, o.crossing_point_id, o.site_id, o.border_section_id,
         o.counterpart_country_id
"""
NARROWED_GROUP_BY = """
SELECT o.indicator_id, o.country_id, o.crossing_point_id, o.site_id, o.border_section_id,
       o.counterpart_country_id, SUM(o.value)
FROM flows_observation o
WHERE o.revision_id IN (
    SELECT rv.id FROM flows_reportrevision rv JOIN flows_report r ON r.id = rv.report_id
    WHERE rv.status = 'submitted' AND rv.superseded_at IS NULL AND rv.classification IN ('public', 'regional')
      AND r.periodicity = 'daily' AND r.period_start = %s)
  AND o.date = %s AND o.breakdown = '' AND o.value IS NOT NULL AND o.indicator_id IN ({indicators})
GROUP BY o.indicator_id, o.country_id, o.crossing_point_id, o.site_id, o.border_section_id,
         o.counterpart_country_id
"""


@dataclass
class BenchContext:
    """What a measure needs: the API client (a REGIONAL reader's token), the database, the day."""

    client: Any
    connection: Any
    day: date
    days_stored: int


def timeline_measures(context: BenchContext) -> list[tuple[str, Callable[[], None]]]:
    """Hook for the 90-day timeline (the timelines helper's part of issue 5): (name, function) pairs
    run and reported like the one-day measures. None here."""
    return []


def picture_template() -> dict[str, list[tuple]]:  # type: ignore[type-arg]
    """Per participant, the (indicator, country, crossing point, site, counterpart, breakdown, value)
    of one day's report, with as many nationalities as keep ten years within the target."""
    from seemix.directory.models import STATE_KINDS, Participant
    from seemix.flows.models import Indicator
    from seemix.gazetteer.models import Country, CrossingPoint, ReceptionSite

    ids = dict(
        Indicator.objects.filter(code__in=["ARRIVALS", "EXITS", "PRESENT", "STRANDED"]).values_list(
            "code", "pk"
        )
    )
    countries = set(Country.objects.values_list("code", flat=True))
    codes = sorted(
        p for p in Participant.objects.filter(kind__in=list(STATE_KINDS)).values_list("code", flat=True)
        if p in countries
    )[:COUNTRIES]  # fmt: skip
    places: dict[str, list[tuple]] = {}  # type: ignore[type-arg]
    for code in codes:
        rows: list[tuple] = [
            (ids["ARRIVALS"], code, None, None, None),
            (ids["EXITS"], code, None, None, "AT"),
        ]  # type: ignore[type-arg]
        for point in CrossingPoint.objects.filter(country=code):
            counterpart = point.counterpart.country_id if point.counterpart_id else None
            rows += [
                (ids["ARRIVALS"], code, point.pk, None, None),
                (ids["EXITS"], code, point.pk, None, counterpart),
                (ids["STRANDED"], code, point.pk, None, None),
            ]
        rows += [(ids["PRESENT"], code, None, s.pk, None) for s in ReceptionSite.objects.filter(country=code)]
        places[code] = rows
    combinations = sum(len(rows) for rows in places.values())
    per_day_goal = TARGET / (3652 * (1 + 1 / CORRECTED_EVERY))
    nationalities = NATIONALITIES[: max(1, min(len(NATIONALITIES), round(per_day_goal / combinations) - 1))]
    breakdowns = [("", "")] + [("nationality", n) for n in nationalities]
    return {
        code: [(*place, breakdown, value) for place in rows for breakdown, value in breakdowns]
        for code, rows in places.items()
    }


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

    call_command("migrate", verbosity=0, interactive=False)
    load_reference()
    ensure_demo_users()
    membership = Membership.objects.select_related("user", "participant").get(user__username="rs-analyst")
    principal = principal_for_user(membership.user)
    secret = issue_token(
        actor=principal, name="bench", participant=membership.participant, role=membership.role
    ).secret
    templates = picture_template()
    per_day = sum(len(rows) for rows in templates.values())
    days = max(30, round(TARGET / (per_day * (1 + 1 / CORRECTED_EVERY))))
    participant_ids = dict(Participant.objects.values_list("code", "pk"))
    start = time.perf_counter()
    stored = load(templates, days, participant_ids, membership.user_id, connection.vendor)
    load_seconds = time.perf_counter() - start
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    day = LAST_DAY
    indicators = ", ".join(
        str(pk) for pk in Indicator.objects.filter(code__in=["ARRIVALS", "EXITS", "PRESENT", "STRANDED"])
        .values_list("pk", flat=True)
    )  # fmt: skip
    arrivals_id = Indicator.objects.get(code="ARRIVALS").pk
    answers: dict[str, Any] = {}

    def picture_api() -> None:
        response = client.get("/api/v1/situation", {"date": day.isoformat()})
        assert response.status_code == 200, response.content[:500]
        answers["api"] = response.json()

    def group_by(sql: str, params: list[Any], name: str) -> Callable[[], None]:
        def query() -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql.format(indicators=indicators), params)
                answers[name] = cursor.fetchall()

        return query

    plain = group_by(PLAIN_GROUP_BY, [day], "plain")
    narrowed = group_by(NARROWED_GROUP_BY, [day, day], "narrowed")
    print(
        f"[{label}] {stored:,} observations stored ({days} days = {days / 365.25:.1f} years x "
        f"{len(templates)} participants, {per_day:,} rows a day, 1 report in {CORRECTED_EVERY} corrected) "
        f"in {load_seconds:.0f} s; "
        f"{REQUESTS} requests each",
        flush=True,
    )
    context = BenchContext(client, connection, day, days)
    measures = [
        ("plain GROUP BY, one day (baseline)", plain),
        ("GROUP BY through the day's reports", narrowed),
        ("GET /situation?date=D", picture_api),
        *timeline_measures(context),
    ]
    p95: dict[str, float] = {}
    for name, fn in measures:
        samples = timed(fn, REQUESTS)
        p95[name] = percentile(samples, 0.95)
        print(f"  {name:<40} p50 {statistics.median(samples):9.1f} ms   p95 {p95[name]:9.1f} ms", flush=True)
    arrivals = sum(total for indicator, *_place, total in answers["plain"] if indicator == arrivals_id)
    assert answers["api"]["totals"]["arrivals"] == arrivals, (answers["api"]["totals"], arrivals)
    assert sorted(answers["plain"], key=str) == sorted(answers["narrowed"], key=str)
    api, base = p95["GET /situation?date=D"], p95["plain GROUP BY, one day (baseline)"]
    print(f"  region-wide arrivals {arrivals:,} (API = GROUP BY); {len(answers['plain'])} groups")
    print(f"  ratio API/plain GROUP BY p95: {api / base:.2f}x; goal p95 <= {GOAL_P95_MS} ms: "
          f"{'met' if api <= GOAL_P95_MS else 'NOT met'}")  # fmt: skip


def main() -> int:
    backend = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] in {"sqlite", "postgres"} else None
    if backend is None:
        backend = "postgres" if os.environ.get("SEEMIX_BENCH_POSTGRES_URL") else "sqlite"
    with tempfile.TemporaryDirectory() as scratch:
        os.environ.update(
            SECRET_KEY="bench-only", SEEMIX_VAR_DIR=scratch, SEEMIX_TASKS_BACKEND="immediate",
            DJANGO_SETTINGS_MODULE="seemix.settings", EMAIL_URL="locmem://", LOG_LEVEL="WARNING",
            ALLOWED_HOSTS="testserver,localhost",
        )  # fmt: skip
        if backend == "postgres":
            return run_postgres()
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        run("sqlite")
    return 0


def run_postgres() -> int:
    """In a scratch database made next to SEEMIX_BENCH_POSTGRES_URL's, dropped afterwards."""
    import psycopg

    url = os.environ.get("SEEMIX_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = f"seemix_bench_situation_{os.getpid()}"
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
