"""API read latency with token authentication, against the bare ORM query of the same rows.

The baseline is the same query serialised with json.dumps in the same process, so the ratio is the
cost of the whole API path (routing, token lookup, membership check, schema validation, paging,
problem handling) over the data access itself. Runs on a scratch SQLite database, and on PostgreSQL
too when SEEMIX_BENCH_POSTGRES_URL is set (a scratch database is made and dropped there).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REQUESTS = int(os.environ.get("SEEMIX_BENCH_REQUESTS", "300"))


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def timed(fn, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    for _ in range(10):
        fn()
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def run(label: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from seemix.demo.reference import load_reference
    from seemix.demo.users import ensure_demo_users
    from seemix.directory.models import Membership
    from seemix.directory.principals import principal_for_user
    from seemix.directory.services import issue_token
    from seemix.gazetteer.models import CrossingPoint

    call_command("migrate", verbosity=0, interactive=False)
    load_reference()
    ensure_demo_users()
    membership = Membership.objects.select_related("user", "participant").get(user__username="rs-analyst")
    secret = issue_token(
        actor=principal_for_user(membership.user),
        name="bench",
        participant=membership.participant,
        role=membership.role,
    ).secret
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    fields = ["code", "name", "name_latin", "kind", "latitude", "longitude"]

    def baseline() -> None:
        rows = list(CrossingPoint.objects.order_by("code").values(*fields)[:50])
        json.dumps({"count": CrossingPoint.objects.count(), "items": rows}, default=str)

    def through_api() -> None:
        response = client.get("/api/v1/crossing-points?limit=50")
        assert response.status_code == 200, response.content

    def me() -> None:
        assert client.get("/api/v1/me").status_code == 200

    base = timed(baseline, REQUESTS)
    api = timed(through_api, REQUESTS)
    whoami = timed(me, REQUESTS)
    print(f"[{label}] {REQUESTS} requests each, {CrossingPoint.objects.count()} crossing points")
    for name, samples in (("baseline ORM+json", base), ("GET /crossing-points", api), ("GET /me", whoami)):
        print(
            f"  {name:<22} p50 {statistics.median(samples):7.2f} ms   p95 {percentile(samples, 0.95):7.2f} ms"
        )
    print(f"  ratio API/baseline p50: {statistics.median(api) / statistics.median(base):.1f}x")


@contextmanager
def scratch_postgres(server_url: str) -> Iterator[str]:
    """A database made for this run on the server of ``server_url``, dropped afterwards."""
    import psycopg

    name = f"seemix_bench_{os.getpid()}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name}")


def main() -> int:
    backend = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] in {"sqlite", "postgres"} else None
    with tempfile.TemporaryDirectory() as scratch:
        os.environ.update(
            SECRET_KEY="bench-only",
            SEEMIX_VAR_DIR=scratch,
            SEEMIX_TASKS_BACKEND="immediate",
            DJANGO_SETTINGS_MODULE="seemix.settings",
            EMAIL_URL="locmem://",
            ALLOWED_HOSTS="testserver",
        )
        if backend == "postgres":
            with scratch_postgres(os.environ["SEEMIX_BENCH_POSTGRES_URL"]) as url:
                os.environ["DATABASE_URL"] = url
                run("postgresql")
            return 0
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        run("sqlite")
    if backend is None and os.environ.get("SEEMIX_BENCH_POSTGRES_URL"):
        import subprocess

        return subprocess.call([sys.executable, __file__, "postgres"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
