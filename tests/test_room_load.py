"""The room under load, on loopback: nothing lost, nothing stored twice, the dashboard equal to a recount.

300 simulated learners check 50 answers each within a few seconds, through the real client
(``course_lib.room.Room``: its queue, its background sender, its HTTP) and the real server in a subprocess;
the self-checks are real Reports of ``check_answers``.  A second run kills the server (SIGKILL) in the
middle and starts it again on the same port and database: every report a client saw acknowledged is
stored, and the queues catch up.  The figures (reports per second, latency from the self-check to the
server's acknowledgement) are printed at the end of the test run; they are measured, not asserted.
"""

import time
from collections import Counter

import pytest

pytest.importorskip("starlette")

from room_helpers import (  # noqa: E402
    RoomServer,
    assert_dashboard_equals_recount,
    assert_stored_exactly_once,
    latency_line,
    simulate,
)

LEARNERS, CHECKS, SPREAD = 300, 50, 3.0  # 15 000 reports, sent within about SPREAD seconds


def test_300_learners_50_reports_each_all_stored_once_and_counted_right(room_server, figures):
    room = room_server.new_room("Load")
    cpu = room_server.cpu_seconds()
    rooms, expected, elapsed, slowest = simulate(room, LEARNERS, CHECKS, SPREAD, seed=14)
    cpu = room_server.cpu_seconds() - cpu
    rows = assert_stored_exactly_once(room, rooms, expected)
    assert_dashboard_equals_recount(room.summary(), rows)
    verdicts = Counter(row["verdict"] for row in rows)
    figures(f"room load, {LEARNERS} learners x {CHECKS} reports (SQLite): {latency_line(rooms, elapsed, slowest)}")
    figures(
        f"room load: nothing lost, nothing stored twice; verdicts {dict(verdicts)}; server CPU "
        f"{cpu:.1f} s, {1e6 * cpu / len(rows):.0f} µs per report (the test's clients share the machine's 2 cores)"
    )


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
