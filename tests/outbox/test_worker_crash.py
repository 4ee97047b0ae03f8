"""The real worker (`seemix worker`, a subprocess) is killed in the middle of a fan-out and restarted.

Every delivery arrives, and none arrives twice under a new id: the only repeats are of deliveries
that were on the wire when the worker died, under their own delivery id. Runs against a scratch
database the subprocesses can see: a SQLite file, or a fresh PostgreSQL database when the suite
runs on PostgreSQL.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from seemix.outbox.sending import SENDER_THREADS
from seemix.outbox.signing import verify_signature
from tests.outbox.receivers import Received, Receiver
from tests.outbox.scratch import run_script, start_worker, subprocess_env

PARTICIPANTS = 40
MESSAGES = 3
# Requests answered at once before the receivers start holding them: the worker dies after these.
ANSWERED_BEFORE_THE_KILL = 30


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def test_a_worker_killed_mid_fan_out_loses_nothing_and_repeats_only_under_the_same_id(
    tmp_path: Path, database_url: str, receivers: Callable[..., Receiver]
) -> None:
    # given: 40 participants, each with its own receiver; after the first 30 requests the receivers
    # hold every request (the worker's threads are then all on the wire) until released
    lock = threading.Lock()
    answered = {"n": 0}
    gate = threading.Event()
    held: list[str] = []

    def hold_after_the_first(request: Received) -> None:
        with lock:
            answered["n"] += 1
            hold = answered["n"] > ANSWERED_BEFORE_THE_KILL and not gate.is_set()
            if hold:
                held.append(request.delivery_id)
        if hold:
            gate.wait(timeout=60)

    endpoints = [receivers(on_request=hold_after_the_first) for _ in range(PARTICIPANTS)]
    env = subprocess_env(database_url, tmp_path, SEEMIX_WEBHOOK_TIMEOUT_SECONDS="2")
    secret = json.loads(run_script(env, "setup", *[r.url for r in endpoints]))["secret"]
    batches = json.loads(run_script(env, "enqueue", str(MESSAGES)))
    expected = {
        code: {batch["deliveries"][code] for batch in batches} for code in sorted(batches[0]["deliveries"])
    }
    log = tmp_path / "worker.log"

    # when: the worker starts on the enqueued task, and is killed (SIGKILL) with requests on the wire
    worker = start_worker(env, log=log)
    try:
        # A row is claimed only when a quarter of the threads are free, and is sent at once: once the
        # receivers hold more than three quarters of the threads, the rest of that claim arrives within
        # moments, then nothing more (every thread is held) until the 2 s timeout, long after the kill.
        wait_for(lambda: len(held) > SENDER_THREADS * 3 // 4, 60, "the worker to be mid fan-out")
        seen = {"count": -1, "since": time.monotonic()}

        def settled() -> bool:
            if len(held) != seen["count"]:
                seen.update(count=len(held), since=time.monotonic())
            return time.monotonic() - seen["since"] >= 0.2

        wait_for(settled, 60, "the requests on the wire to settle")
    finally:
        worker.kill()
        worker.wait(timeout=30)
    gate.set()
    on_the_wire = set(held)
    # and a new worker starts: nothing new is enqueued, it must find the due deliveries itself
    restarted = start_worker(env, log=log)
    try:

        def all_arrived() -> bool:
            return all(
                expected[code] <= set(r.delivery_ids())
                for code, r in zip(sorted(expected), endpoints, strict=True)
            )

        def all_delivered() -> bool:
            rows = json.loads(run_script(env, "report"))
            return all(row["status"] == "delivered" for row in rows)

        wait_for(all_arrived, 120, "every delivery to arrive after the restart")
        wait_for(all_delivered, 60, "every delivery to be recorded as delivered")
    finally:
        restarted.terminate()
        restarted.wait(timeout=30)

    # then: each receiver got exactly its own deliveries' ids, every one of them
    rows = json.loads(run_script(env, "report"))
    assert len(rows) == PARTICIPANTS * MESSAGES
    for code, receiver in zip(sorted(expected), endpoints, strict=True):
        assert set(receiver.delivery_ids()) == expected[code], code
    # a repeat is only ever a delivery that was on the wire when the worker died, under its own id
    counts = Counter(i for r in endpoints for i in r.delivery_ids())
    repeated = {i for i, n in counts.items() if n > 1}
    assert repeated <= on_the_wire
    assert max(counts.values()) <= 2
    # those were claimed twice; the others once
    attempts = {row["delivery_id"]: row["attempts"] for row in rows}
    assert {attempts[i] for i in on_the_wire} == {2}
    assert {n for i, n in attempts.items() if i not in on_the_wire} == {1}
    # and what arrived is signed as documented
    for receiver in endpoints:
        for request in receiver.received:
            assert verify_signature(secret, request.timestamp, request.body, request.signature, tolerance=600)
