"""`seemix serve`: the production web server (gunicorn) on SEEMIX_BIND."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand

from seemix.env import Env


def gunicorn_argv(bind: str, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "seemix.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--forwarded-allow-ips",
        "127.0.0.1",
    ]


class Command(BaseCommand):
    help = "Serve seemix with gunicorn (static files by WhiteNoise)."

    def add_arguments(self, parser: Any) -> None:
        env = Env()
        parser.add_argument("--bind", default=env.str("SEEMIX_BIND", "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int, default=env.int("SEEMIX_WEB_WORKERS", 2))

    def handle(self, *args: Any, bind: str, workers: int, **options: Any) -> None:
        argv = gunicorn_argv(bind, workers)
        sys.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - our own interpreter, fixed arguments
