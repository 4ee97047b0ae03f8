"""What the forecast on the timelines costs a page, on the demo's real 2015-16 figures.

Loads the demo's reference data, flows and users into a scratch SQLite database, then, as the
si-analyst (a Django test client signed in), requests SEEMIX_BENCH_PAGE_REQUESTS times each:

- the picture of 8 March 2016 (its timeline panel forecasts the region's total);
- Slovenia's page of 8 March 2016 (its panel forecasts Slovenia's arrivals);

three ways, in the same run: the baseline (the same page with the forecast switched off), the page
with a cold forecast cache (cleared before each request: the first reader of a day after a new
report), and the page with a warm cache (every later reader: the backtest is cached under the ids
of the revisions read). Prints the medians and the extra time over the baseline.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REQUESTS = int(os.environ.get("SEEMIX_BENCH_PAGE_REQUESTS", "5"))
PAGES = ["/situation/?date=2016-03-08", "/situation/country/SI/?date=2016-03-08"]


def _median(request: Callable[[], None], before: Callable[[], None] = lambda: None) -> float:
    times = []
    for _ in range(REQUESTS):
        before()
        start = time.perf_counter()
        request()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    import seemix.situation.templatetags.situation_panels as panels
    from seemix.demo.flows import load_demo_flows
    from seemix.demo.reference import load_reference
    from seemix.demo.users import ensure_demo_users
    from seemix.flows.services import load_indicators

    call_command("migrate", verbosity=0, interactive=False)
    load_reference()
    load_indicators(actor=None)
    load_demo_flows()
    ensure_demo_users()
    client = Client()
    client.force_login(get_user_model().objects.get(username="si-analyst"))
    attach = panels.attach_forecast

    def no_forecast(_principal, timeline):  # type: ignore[no-untyped-def]
        return timeline

    for url in PAGES:

        def get(url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        panels.attach_forecast = no_forecast
        get()  # warm-up: templates, route graph
        baseline = _median(get)
        panels.attach_forecast = attach
        cold = _median(get, cache.clear)
        warm = _median(get)
        print(
            f"{url}: baseline (no forecast) {baseline * 1000:,.0f} ms; cold cache {cold * 1000:,.0f} ms "
            f"(+{(cold - baseline) * 1000:,.0f} ms, {cold / baseline:.1f}x); "
            f"warm cache {warm * 1000:,.0f} ms "
            f"(+{(warm - baseline) * 1000:,.0f} ms, {warm / baseline:.2f}x); "
            f"median of {REQUESTS}",
            flush=True,
        )


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
            DATABASE_URL=f"sqlite:///{Path(scratch) / 'bench.sqlite3'}",
        )
        run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
