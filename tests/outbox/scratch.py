"""A scratch database that subprocesses (the real worker, fanout_script) can see, made and dropped here.

SQLite: a file in the given folder. PostgreSQL: a fresh database on the server of ``base_url``,
dropped afterwards. The test process itself never opens it through Django.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def scratch_database(folder: Path, postgres_url: str | None = None) -> Iterator[str]:
    if postgres_url is None:
        yield f"sqlite:///{folder / 'scratch.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(postgres_url)
    name = f"seemix_scratch_{uuid.uuid4().hex[:12]}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def subprocess_env(database_url: str, folder: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "seemix.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "scratch-secret-key-for-subprocesses-0123456789abcdef",
        "DEBUG": "0",
        "SEEMIX_TASKS_BACKEND": "database",
        "EMAIL_URL": "locmem://",
        "SEEMIX_VAR_DIR": str(folder / "var"),
        "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
        "LOG_LEVEL": "WARNING",
    }
    env.update(extra)
    return env


def run_script(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tests.outbox.fanout_script", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"fanout_script {args[0]} failed:\n{done.stderr[-4000:]}")
    return done.stdout.strip().splitlines()[-1]


def start_worker(env: dict[str, str], *args: str, log: Path) -> subprocess.Popen[bytes]:
    """`seemix worker` (django-tasks-db's worker with the outbox's sweep), its output in ``log``."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "seemix", "worker", "--interval", "0.1", *args],
            env=env,
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
