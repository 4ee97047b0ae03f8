"""`seemix demo`: prepare the demo database, then serve it with a worker and print the logins."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from seemix.core.management.commands.serve import gunicorn_argv
from seemix.demo.flows import load_demo_flows
from seemix.demo.reference import load_reference
from seemix.demo.situation import load_demo_situation
from seemix.demo.users import DEMO_PASSWORD, ensure_demo_contact_points, ensure_demo_users
from seemix.env import Env
from seemix.measures.demo import load_demo_measures


class Command(BaseCommand):
    help = "Migrate, load the reference data and demo users, then serve on SEEMIX_BIND with a worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Only prepare the database.")
        parser.add_argument("--bind", default=Env().str("SEEMIX_BIND", "127.0.0.1:8000"))

    def handle(self, *args: Any, no_serve: bool, bind: str, **options: Any) -> None:
        database = settings.DATABASES["default"]
        self.stdout.write(f"Database: {database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("build_assets", verbosity=0)
        load_reference()
        logins = ensure_demo_users()
        ensure_demo_contact_points()
        flows = load_demo_flows()
        if not flows.skipped:
            self.stdout.write(f"Daily arrivals 2015-16 loaded: {sum(flows.accepted.values()):,} figures.")
        measures = load_demo_measures()
        if measures:
            self.stdout.write(f"Measures of 2015-16 notified: {len(measures)}.")
        situation = load_demo_situation(progress=self._progress)
        if not situation.skipped:
            self.stdout.write(
                f"Picture of {situation.days} days: {situation.assessments:,} impact levels, "
                f"{situation.alerts:,} alerts."
            )
        self.stdout.write(self.style.SUCCESS("The demo database is ready."))
        if no_serve:
            self._print_logins(logins, address=None)
            return
        self._serve(bind, logins)

    def _progress(self, day: date) -> None:
        # A line a month: the whole period takes a minute or more.
        if (day + timedelta(days=1)).day == 1:
            self.stdout.write(f"Impact levels and alerts computed up to {day.isoformat()}.")

    def _print_logins(self, logins: list[Any], address: str | None) -> None:
        if address:
            self.stdout.write(self.style.SUCCESS(f"\nseemix is running at {address}  (Ctrl-C stops it)"))
            self.stdout.write(f"API docs: {address}api/v1/docs")
            self.stdout.write(
                f"The picture of 21 Oct 2015 (Slovenia received 12,616 people, four days after Hungary "
                f"closed its border with Croatia): {address}situation/?date=2015-10-21"
            )
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for login in logins:
            who = f"{login.participant} {login.role}".strip()
            self.stdout.write(f"  {login.username:<18} {who}")

    def _serve(self, bind: str, logins: list[Any]) -> None:
        worker = subprocess.Popen([sys.executable, "-m", "seemix", "worker"])
        web = subprocess.Popen(gunicorn_argv(bind, workers=2))  # noqa: S603
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        time.sleep(1.5)
        self._print_logins(logins, address=f"http://{bind}/")
        try:
            while not stopping and web.poll() is None and worker.poll() is None:
                time.sleep(0.5)
        finally:
            for process in (web, worker):
                if process.poll() is None:
                    process.terminate()
            for process in (web, worker):
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        if not stopping:
            self.stderr.write("A demo process stopped on its own: see its output above.")
            sys.exit(1)
