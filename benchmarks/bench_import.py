"""Bulk import of 1,000,000 generated observations through `seemix import`, against a raw bulk load.

The file is generated once, streamed to a temporary file: one participant (Serbia), 9 places
(the country, its crossing points and site, its border sections), 4 daily indicators, each figure
broken down by 40 nationalities with its total, over as many days as it takes (valid figures: the
validator accepts every row, so the full path is measured, validation included).

Per database, in the same run and on the same scratch database:
- raw: the same file loaded into a bare table of its columns, in one transaction: ``csv.reader`` and
  ``executemany`` on SQLite, ``COPY ... FROM STDIN (FORMAT csv)`` on PostgreSQL;
- full: ``seemix import FILE --participant RS`` in its own process, with its peak memory (ru_maxrss of
  that process). The file is a plain UTF-8 CSV, so the import takes the staged path
  (flows.staged_import: the file staged in the database, validated set-wise, INSERT ... SELECT); the
  run checks that it did (``-v 2`` says which path answered);
- rows (only with SEEMIX_BENCH_ROW_PATH=1): ``seemix import --row-path``, the row path (reader,
  validator per row, spool, COPY/executemany) on the same file, into a fresh scratch database.

SQLite always; PostgreSQL too when SEEMIX_BENCH_POSTGRES_URL is set (a scratch database is created
there and dropped). SEEMIX_BENCH_ROWS changes the number of rows (default 1,000,000).
Goal: full >= 0.5 x raw rows/s, peak < 500 MiB.
"""

from __future__ import annotations

import csv
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROWS = int(os.environ.get("SEEMIX_BENCH_ROWS", "1000000"))
PARTICIPANT = "RS"
PLACES = [
    "RS",
    "RS-MIRATOVAC",
    "RS-SID",
    "RS-BERKASOVO",
    "RS-HORGOS",
    "RS-PRESEVO",
    "MK-RS",
    "HR-RS",
    "HU-RS",
]
INDICATORS = ["ARRIVALS", "PRESENT", "REGISTRATIONS", "STRANDED"]
NATIONALITIES = [
    "AF", "SY", "IQ", "IR", "PK", "BD", "ER", "SO", "MA", "DZ", "TN", "LY", "EG", "SD", "NG", "GM", "SN",
    "ML", "CM", "CD", "PS", "LB", "JO", "YE", "IN", "LK", "NP", "CN", "TR", "GE", "AM", "AZ", "RU", "UA",
    "XK", "AL", "ET", "GN", "CI", "GH",
]  # fmt: skip
FIRST_DAY = date(2012, 1, 1)
HERE = Path(__file__).resolve().parent


def generate(path: Path, rows: int) -> int:
    """Write ``rows`` observations (whole days of figures) to ``path``; returns the rows written."""
    rng = random.Random(2016)
    written = 0
    day = FIRST_DAY
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["date", "indicator", "place", "breakdown", "breakdown_value", "value"])
        while written < rows:
            iso = day.isoformat()
            for place in PLACES:
                for indicator in INDICATORS:
                    values = [rng.randrange(0, 60) for _ in NATIONALITIES]
                    out.writerow([iso, indicator, place, "", "", sum(values) + rng.randrange(0, 5)])
                    written += 1
                    for code, value in zip(NATIONALITIES, values, strict=True):
                        out.writerow([iso, indicator, place, "nationality", code, value])
                        written += 1
            day += timedelta(days=1)
    return written


def child_env(database_url: str, scratch: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "bench-only",
        "SEEMIX_VAR_DIR": scratch,
        "SEEMIX_TASKS_BACKEND": "immediate",
        "EMAIL_URL": "locmem://",
        "DJANGO_SETTINGS_MODULE": "seemix.settings",
    }


def seemix(env: dict[str, str], *args: str) -> tuple[float, int, int, str]:
    """Run `seemix ARGS` in a child process: (seconds, exit status, peak RSS in KiB, standard error)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "seemix", *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    errors = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - start
    text = errors.decode(errors="replace")
    if process.returncode:
        sys.stderr.write(text[-4000:])
    return elapsed, process.returncode, usage.ru_maxrss, text


def raw_sqlite(path: Path, database: Path) -> float:
    connection = sqlite3.connect(database)
    connection.execute(
        "CREATE TABLE raw_observation (date TEXT, indicator TEXT, place TEXT, breakdown TEXT, "
        "breakdown_value TEXT, value INTEGER)"
    )
    start = time.perf_counter()
    with path.open(newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        with connection:
            connection.executemany("INSERT INTO raw_observation VALUES (?, ?, ?, ?, ?, ?)", rows)
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed


def raw_postgres(path: Path, url: str) -> float:
    import psycopg

    with psycopg.connect(url) as connection:
        connection.execute(
            "CREATE TABLE raw_observation (date date, indicator text, place text, breakdown text, "
            "breakdown_value text, value bigint)"
        )
        connection.commit()
        start = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.copy("COPY raw_observation FROM STDIN (FORMAT csv, HEADER true)") as copy,
            path.open("rb") as handle,
        ):
            while block := handle.read(1 << 20):
                copy.write(block)
        connection.commit()
        return time.perf_counter() - start


def measure(
    label: str, path: Path, rows: int, database_url: str, raw: float, scratch: str, *, row_path: bool = False
) -> dict[str, float]:
    env = child_env(database_url, scratch)
    for setup in (("migrate", "--no-input", "-v", "0"), ("load_reference",), ("load_indicators",)):
        _seconds, status, _rss, _err = seemix(env, *setup)
        if status:
            raise SystemExit(f"[{label}] seemix {' '.join(setup)} failed")
    extra = ("--row-path",) if row_path else ()
    seconds, status, peak_kib, errors = seemix(
        env, "import", str(path), "--participant", PARTICIPANT, "--no-progress", "-v", "2", *extra
    )
    if status:
        raise SystemExit(f"[{label}] seemix import failed (status {status})")
    expected = "Import path: rows" if row_path else "Import path: staged"
    if expected not in errors:
        raise SystemExit(f"[{label}] the import did not say {expected!r}: {errors[-500:]}")
    label += " (row path)" if row_path else " (staged path)"
    figures = {
        "raw_rows_per_s": rows / raw,
        "full_rows_per_s": rows / seconds,
        "ratio": raw / seconds,
        "peak_mib": peak_kib / 1024,
        "raw_s": raw,
        "full_s": seconds,
    }
    print(
        f"[{label}] {rows:,} rows: raw {figures['raw_rows_per_s']:,.0f} rows/s ({raw:.1f} s); "
        f"seemix import {figures['full_rows_per_s']:,.0f} rows/s ({seconds:.1f} s); "
        f"ratio {figures['ratio']:.2f}x (goal >= 0.5x); "
        f"peak memory of the import {figures['peak_mib']:.0f} MiB (goal < 500 MiB)",
        flush=True,
    )
    return figures


def scratch_postgres(url: str) -> tuple[str, str]:
    """(admin URL, URL of a new scratch database)."""
    import psycopg

    name = f"seemix_bench_import_{os.getpid()}_{time.monotonic_ns() % 10**6}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    return url, urlunsplit(parts._replace(path=f"/{name}"))


def drop_postgres(admin_url: str, scratch_url: str) -> None:
    import psycopg

    name = urlsplit(scratch_url).path.lstrip("/")
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> int:
    backends = sys.argv[1:] or ["sqlite", "postgres"]
    with tempfile.TemporaryDirectory(prefix="seemix-bench-import-") as scratch:
        path = Path(scratch) / "observations.csv"
        start = time.perf_counter()
        rows = generate(path, ROWS)
        print(
            f"generated {rows:,} observations ({path.stat().st_size / 1e6:.0f} MB) in "
            f"{time.perf_counter() - start:.1f} s",
            flush=True,
        )
        row_path = os.environ.get("SEEMIX_BENCH_ROW_PATH") == "1"
        if "sqlite" in backends:
            database = Path(scratch) / "bench.sqlite3"
            raw = raw_sqlite(path, database)
            measure("sqlite", path, rows, f"sqlite:///{database}", raw, scratch)
            if row_path:
                again = Path(scratch) / "rows.sqlite3"
                measure("sqlite", path, rows, f"sqlite:///{again}", raw, scratch, row_path=True)
        url = os.environ.get("SEEMIX_BENCH_POSTGRES_URL")
        if "postgres" in backends and url:
            admin, scratch_url = scratch_postgres(url)
            try:
                raw = raw_postgres(path, scratch_url)
                measure("postgresql", path, rows, scratch_url, raw, scratch)
            finally:
                drop_postgres(admin, scratch_url)
            if row_path:
                admin, scratch_url = scratch_postgres(url)
                try:
                    measure("postgresql", path, rows, scratch_url, raw, scratch, row_path=True)
                finally:
                    drop_postgres(admin, scratch_url)
        elif "postgres" in backends:
            print("[postgresql] skipped: set SEEMIX_BENCH_POSTGRES_URL to run it")
    return 0


if __name__ == "__main__":
    sys.exit(main())
