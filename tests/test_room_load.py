"""The room under load, on loopback: nothing lost, nothing stored twice, the dashboard equal to a recount.

300 simulated learners check 50 answers each within a few seconds, through the real client
(``course_lib.room.Room``: its queue, its background sender, its HTTP) and the real server in a subprocess;
the self-checks are real Reports of ``check_answers``.  A second run kills the server (SIGKILL) in the
middle and starts it again on the same port and database: every report a client saw acknowledged is
stored, and the queues catch up.  The figures (reports per second, latency from the self-check to the
server's acknowledgement) are printed at the end of the test run; they are measured, not asserted.
"""

import random
import statistics
import time
from collections import Counter

import pytest

pytest.importorskip("starlette")

from room_helpers import RoomServer, assert_dashboard_equals_recount, self_checks  # noqa: E402

from course_lib.room import Room, records_of  # noqa: E402
from course_room.store import Store  # noqa: E402

LEARNERS, CHECKS, SPREAD = 300, 50, 3.0  # 15 000 reports, sent within about SPREAD seconds


def simulate(server, learners, checks, spread, seed, at=None):
    """Learners check answers at random moments over ``spread`` seconds; ``at(seconds)`` runs during the run.

    Returns (rooms, expected records per pseudonym in order, seconds until the last acknowledgement,
    the longest time a self-check's listener took).
    """
    rng = random.Random(seed)
    pool = self_checks()
    rooms = [
        Room(server.url, server.code, pseudonym=f"{rng.getrandbits(64):016x}", pause=0.2, max_pause=1.0)
        for _ in range(learners)
    ]
    for room in rooms:
        room.keep_sent = True
    schedule = sorted(
        (rng.uniform(0, spread), k, rng.randrange(len(pool))) for k in range(learners) for _ in range(checks)
    )
    expected = {room.pseudonym: [] for room in rooms}
    slowest = 0.0
    start = time.monotonic()
    pending = sorted(at or {})
    for moment, k, p in schedule:
        while pending and moment >= pending[0]:
            at[pending.pop(0)]()
        time.sleep(max(0.0, start + moment - time.monotonic()))
        example, report = pool[p]
        before = time.perf_counter()
        rooms[k].listener(example, report)
        slowest = max(slowest, time.perf_counter() - before)
        expected[rooms[k].pseudonym] += records_of(example, report)
    for action in pending:
        at[action]()
    for room in rooms:
        assert room.flush(timeout=max(5.0, 90 - (time.monotonic() - start))), (
            f"a queue did not catch up: {room.status()}"
        )
    elapsed = time.monotonic() - start
    for room in rooms:
        room.close()
    return rooms, expected, elapsed, slowest


def assert_stored_exactly_once(server, rooms, expected):
    store = Store(server.db)
    try:
        room = store.room(server.code)
        rows = store.reports_of(room)
    finally:
        store.close()
    sent = [record for r in rooms for record in r.acknowledged]
    total = sum(len(records) for records in expected.values())
    assert len(sent) == total, "every report was acknowledged"
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)) == total, "every report stored, and stored once"
    assert {r["id"] for r in sent} == set(ids), "every acknowledged report is stored"
    by_learner = {}
    for row in sorted(rows, key=lambda r: r["seq"]):
        by_learner.setdefault(row["learner"], []).append(
            {
                "exercise": row["exercise"],
                "quantity": row["quantity"],
                "verdict": row["verdict"],
                "mistake": row["mistake"],
            }
        )
    assert by_learner == expected, "each learner's reports stored as checked, in the order checked"
    return rows


def latency_line(rooms, elapsed, slowest):
    latencies = sorted(t for room in rooms for t in room.latencies)
    p50, p99 = statistics.quantiles(latencies, n=100)[49], statistics.quantiles(latencies, n=100)[98]
    batches = sum(room.batches for room in rooms)
    return (
        f"{len(latencies)} reports acknowledged in {elapsed:.1f} s ({len(latencies) / elapsed:.0f} reports/s held, "
        f"{batches} requests, {batches / elapsed:.0f}/s); self-check to acknowledgement p50 {1000 * p50:.0f} ms, "
        f"p99 {1000 * p99:.0f} ms; slowest listener call {1000 * slowest:.1f} ms"
    )


def test_300_learners_50_reports_each_all_stored_once_and_counted_right(tmp_path, figures):
    server = RoomServer(f"sqlite:///{tmp_path / 'room.sqlite'}", tmp_path)
    try:
        rooms, expected, elapsed, slowest = simulate(server, LEARNERS, CHECKS, SPREAD, seed=14)
        rows = assert_stored_exactly_once(server, rooms, expected)
        assert_dashboard_equals_recount(server.summary(), rows)
    finally:
        server.stop()
    verdicts = Counter(row["verdict"] for row in rows)
    figures(f"room load, {LEARNERS} learners x {CHECKS} reports (SQLite): {latency_line(rooms, elapsed, slowest)}")
    figures(f"room load: nothing lost, nothing stored twice; verdicts {dict(verdicts)}")


def test_a_server_killed_mid_run_loses_nothing_acknowledged_and_queues_catch_up(tmp_path, figures):
    server = RoomServer(f"sqlite:///{tmp_path / 'room.sqlite'}", tmp_path)
    down = {}

    def kill():
        down["at"] = time.monotonic()
        server.kill()

    def restart():
        server.start()  # same port, same database
        down["for"] = time.monotonic() - down["at"]

    try:
        rooms, expected, elapsed, slowest = simulate(server, 100, CHECKS, 3.0, seed=15, at={1.0: kill, 2.0: restart})
        retried = sum(room.failures for room in rooms)
        assert retried > 0, "the clients met the dead server (else this test tests nothing)"
        rows = assert_stored_exactly_once(server, rooms, expected)
        assert_dashboard_equals_recount(server.summary(), rows)
    finally:
        server.stop()
    figures(
        f"room restart: killed 1.0 s into the run, back after {down['for']:.1f} s; {retried} requests failed and were "
        f"sent again; all {len(rows)} reports stored once; {latency_line(rooms, elapsed, slowest)}"
    )
