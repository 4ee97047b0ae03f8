"""Webhook fan-out: a measure-like message to 40 addressees, from the commit to the last receiver's 200.

Forty receivers (threaded HTTP servers on 127.0.0.1, one port each) stand for the addressees'
systems. For each of MESSAGES messages the benchmark commits ``outbox.services.enqueue`` of one
message per addressee (a 3 kB CAP-sized body) in a transaction, as a producer does, and times until
the last of the 40 receivers has answered 200. The sending is done by the real worker: a `seemix
worker` subprocess (django-tasks-db, default poll interval 1 s) woken by the on-commit enqueue.

Baseline, in the same run: the same 40 payloads POSTed sequentially and directly (urllib, the same
signing and headers) from the benchmark process, per message.

Two shapes: "one at a time" (the next message once the previous one has fully arrived: the latency
of one notification) and "burst" (all messages committed back to back: the queue under load).

Runs on a scratch SQLite file; and on a scratch PostgreSQL database too when
SEEMIX_BENCH_POSTGRES_URL is set (made on that server and dropped). SEEMIX_BENCH_FANOUT_MESSAGES
sets the number of messages (default 100).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

MESSAGES = int(os.environ.get("SEEMIX_BENCH_FANOUT_MESSAGES", "100"))
# `seemix worker --interval`: how long its idle worker waits before looking at the queue again.
WORKER_INTERVAL = os.environ.get("SEEMIX_BENCH_WORKER_INTERVAL", "1.0")
ADDRESSEES = 40
SECRET = "whsec_benchmark-secret"
REPO = Path(__file__).resolve().parents[1]
PAYLOAD_BYTES = 3000


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Arrivals:
    """What the receivers answered 200 to: delivery id -> time (perf_counter) of the answer."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.by_id: dict[str, float] = {}
        self.condition = threading.Condition(self.lock)

    def add(self, delivery_id: str) -> None:
        with self.condition:
            self.by_id.setdefault(delivery_id, time.perf_counter())
            self.condition.notify_all()

    def wait_for(self, ids: set[str], timeout: float = 120) -> float:
        """The time the last of ``ids`` was answered, once all have been."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while not ids <= self.by_id.keys():
                left = deadline - time.monotonic()
                if left <= 0:
                    missing = len(ids - self.by_id.keys())
                    raise RuntimeError(f"{missing} deliveries did not arrive within {timeout} s")
                self.condition.wait(left)
            return max(self.by_id[i] for i in ids)


def start_receivers(arrivals: Arrivals) -> list[tuple[ThreadingHTTPServer, str]]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
            arrivals.add(self.headers.get("Seemix-Delivery-Id", ""))

        def log_message(self, format: str, *args: object) -> None:
            pass

    servers = []
    for _ in range(ADDRESSEES):
        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append((server, f"http://127.0.0.1:{server.server_address[1]}/hook"))
    return servers


def direct_posts(urls: list[str], payload: str) -> float:
    """The baseline: the 40 POSTs one after the other, signed like the worker's. Seconds."""
    from seemix.outbox.signing import signature_header

    body = payload.encode()
    started = time.perf_counter()
    for url in urls:
        timestamp = int(time.time())
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/cap+xml",
                "Seemix-Delivery-Id": str(uuid.uuid4()),
                "Seemix-Event": "measure.notified",
                "Seemix-Timestamp": str(timestamp),
                "Seemix-Signature": signature_header(SECRET, timestamp, body),
            },
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read()
            assert response.status == 200
    return time.perf_counter() - started


def payload_of(number: int) -> str:
    return json.dumps({"measure": number, "cap": "x" * PAYLOAD_BYTES})


def run(label: str, scratch: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from seemix.directory.models import Participant, ParticipantKind
    from seemix.outbox.models import Channel, WebhookEndpoint
    from seemix.outbox.sealing import seal
    from seemix.outbox.services import OutgoingMessage, enqueue

    call_command("migrate", verbosity=0, interactive=False)
    arrivals = Arrivals()
    servers = start_receivers(arrivals)
    urls = [url for _, url in servers]
    participants = []
    with transaction.atomic():
        for number, url in enumerate(urls, start=1):
            participant = Participant.objects.create(
                code=f"B{number:02d}", name=f"Addressee {number:02d}", kind=ParticipantKind.THIRD_COUNTRY
            )
            WebhookEndpoint.objects.create(
                participant=participant, url=url, secret_encrypted=seal(SECRET), secret_hint=SECRET[:10]
            )
            participants.append(participant)
    connection.close()

    def commit_one(number: int) -> tuple[float, set[str]]:
        messages = [
            OutgoingMessage(
                participant=p,
                topic="measures",
                event="measure.notified",
                subject_type="bench.measure",
                subject_id=str(number),
                subject=f"Measure {number}",
                body="",
                payload=payload_of(number),
                content_type="application/cap+xml",
                channels=(Channel.WEBHOOK,),
            )
            for p in participants
        ]
        with transaction.atomic():
            created = enqueue(messages)
        # on_commit has run: the worker's task is enqueued. The clock starts at the commit.
        return time.perf_counter(), {str(d.delivery_id) for d in created}

    log = (scratch / "worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "seemix", "worker", "--interval", WORKER_INTERVAL],
        env=os.environ.copy(),
        cwd=REPO,
        stdout=log,
        stderr=log,
    )
    try:
        # Warm-up: the worker's start, first connections, imports.
        for number in range(3):
            committed, ids = commit_one(-1 - number)
            arrivals.wait_for(ids)
        one_at_a_time = []
        baseline = []
        for number in range(MESSAGES):
            committed, ids = commit_one(number)
            one_at_a_time.append(arrivals.wait_for(ids) - committed)
            baseline.append(direct_posts(urls, payload_of(number)))
        burst_commits = [commit_one(MESSAGES + number) for number in range(MESSAGES)]
        burst = [arrivals.wait_for(ids, timeout=600) - committed for committed, ids in burst_commits]
    finally:
        worker.terminate()
        worker.wait(timeout=60)
        log.close()
        for server, _ in servers:
            server.shutdown()
            server.server_close()

    print(
        f"[{label}] {MESSAGES} messages x {ADDRESSEES} webhook addressees, {PAYLOAD_BYTES} B payloads,"
        f" seemix worker --interval {WORKER_INTERVAL}"
    )
    rows = (
        ("baseline: 40 direct sequential POSTs", baseline),
        ("outbox, one message at a time", one_at_a_time),
        (f"outbox, burst of {MESSAGES} messages", burst),
    )
    for name, samples in rows:
        print(
            f"  {name:<38} p50 {statistics.median(samples):6.3f} s   p95 {percentile(samples, 0.95):6.3f} s"
            f"   p99 {percentile(samples, 0.99):6.3f} s   max {max(samples):6.3f} s"
        )
    goal = percentile(one_at_a_time, 0.95) <= 2 and percentile(one_at_a_time, 0.99) <= 5
    print(f"  goal p95 <= 2 s and p99 <= 5 s (one at a time): {'met' if goal else 'NOT met'}")


def scratch_postgres(url: str) -> tuple[str, str, str]:
    import psycopg

    parts = urlsplit(url)
    name = f"seemix_bench_fanout_{uuid.uuid4().hex[:8]}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin, name, urlunsplit(parts._replace(path=f"/{name}"))


def main() -> int:
    backend = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] in {"sqlite", "postgres"} else None
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        os.environ.update(
            SECRET_KEY="bench-only-secret-key-0123456789",
            SEEMIX_VAR_DIR=str(scratch),
            SEEMIX_TASKS_BACKEND="database",
            DJANGO_SETTINGS_MODULE="seemix.settings",
            EMAIL_URL="locmem://",
            DEBUG="0",
            LOG_LEVEL="WARNING",
            PYTHONPATH=os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
        )
        if backend == "postgres":
            import psycopg

            admin, name, url = scratch_postgres(os.environ["SEEMIX_BENCH_POSTGRES_URL"])
            os.environ["DATABASE_URL"] = url
            try:
                run("postgresql", scratch)
            finally:
                from django.db import connections

                connections.close_all()
                with psycopg.connect(admin, autocommit=True) as connection:
                    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return 0
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
        run("sqlite", scratch)
    if backend is None and os.environ.get("SEEMIX_BENCH_POSTGRES_URL"):
        return subprocess.call([sys.executable, __file__, "postgres"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
