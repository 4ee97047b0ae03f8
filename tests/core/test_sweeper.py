"""The worker's sweeper threads: a failed sweep is logged and retried, never raised."""

import logging

from seemix.core.sweeper import Sweeper


def test_a_sweep_returns_the_jobs_result():
    assert Sweeper(name="t", what="test sweep", job=lambda: 3, failed=0, interval=60).sweep() == 3


def test_a_failed_sweep_is_logged_and_returns_the_failed_value(caplog):
    def boom() -> int:
        raise RuntimeError("database went away")

    sweeper = Sweeper(name="t", what="test sweep", job=boom, failed=-1, interval=60)
    with caplog.at_level(logging.ERROR, logger="seemix.core.sweeper"):
        assert sweeper.sweep() == -1
    assert [r.getMessage() for r in caplog.records] == ["the test sweep failed; trying again in 60 s"]
    assert caplog.records[0].exc_info[0] is RuntimeError
    assert sweeper.name == "seemix-t-sweeper"
    assert sweeper.daemon


def test_the_thread_sweeps_until_stopped(db):
    calls = []
    sweeper = Sweeper(name="t", what="test sweep", job=lambda: calls.append(1), failed=None, interval=0.01)
    sweeper.start()
    while len(calls) < 3:
        sweeper.stopped.wait(0.01)
    sweeper.stopped.set()
    sweeper.join(timeout=5)
    assert not sweeper.is_alive()
