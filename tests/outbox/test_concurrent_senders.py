"""Several senders at once (real `seemix deliver` processes) never send one delivery twice.

The receivers hold every request until more requests are on the wire at once than one process has
sender threads, so the test proves the processes really were sending side by side; then every
delivery must have arrived exactly once, each claimed once (PostgreSQL: SKIP LOCKED; SQLite: the
IMMEDIATE transaction serialises the claims).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from seemix.outbox.sending import SENDER_THREADS
from tests.outbox.receivers import Received, Receiver
from tests.outbox.scratch import REPO, run_script, subprocess_env

PARTICIPANTS = 10
MESSAGES = 10
SENDERS = 4


def test_concurrent_senders_send_each_delivery_once(
    tmp_path: Path, database_url: str, receivers: Callable[..., Receiver]
) -> None:
    # given: 100 webhook deliveries due, and receivers that hold requests until two processes' worth
    # of threads are on the wire
    lock = threading.Lock()
    on_the_wire = {"now": 0, "most": 0}
    side_by_side = threading.Event()

    def hold(_: Received) -> None:
        with lock:
            on_the_wire["now"] += 1
            on_the_wire["most"] = max(on_the_wire["most"], on_the_wire["now"])
            if on_the_wire["now"] > SENDER_THREADS:
                side_by_side.set()
        side_by_side.wait(timeout=60)
        with lock:
            on_the_wire["now"] -= 1

    endpoints = [receivers(on_request=hold) for _ in range(PARTICIPANTS)]
    env = subprocess_env(database_url, tmp_path)
    run_script(env, "setup", *[r.url for r in endpoints])
    batches = json.loads(run_script(env, "enqueue", str(MESSAGES)))
    expected = {i for batch in batches for i in batch["deliveries"].values()}
    # when
    senders = [
        subprocess.Popen(
            [sys.executable, "-m", "seemix", "deliver"],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(SENDERS)
    ]
    outputs = [sender.communicate(timeout=180)[0] for sender in senders]
    # then
    assert [sender.returncode for sender in senders] == [0] * SENDERS, outputs
    assert side_by_side.is_set()
    assert on_the_wire["most"] > SENDER_THREADS
    arrived = Counter(i for r in endpoints for i in r.delivery_ids())
    assert set(arrived) == expected
    assert set(arrived.values()) == {1}
    rows = json.loads(run_script(env, "report"))
    assert {(row["status"], row["attempts"]) for row in rows} == {("delivered", 1)}
    assert sum(int(out.split("deliveries attempted: ")[1].split()[0]) for out in outputs) == len(expected)
