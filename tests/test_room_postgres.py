"""The room on PostgreSQL (as on a hub for 300): the same code, the database chosen by its URL.

A real PostgreSQL server is started by the tests (Debian's ``postgresql``; ``.ci/run`` installs it), as the
unprivileged user ``nobody`` when the tests run as root, in a throw-away folder.  Without PostgreSQL the
tests are skipped with a message, except where COURSE_REQUIRE_ROOM_SERVICES=1 (CI).
"""

import os
import secrets

import pytest

pytest.importorskip("starlette")
pytest.importorskip("psycopg")

from room_helpers import (  # noqa: E402
    RoomServer,
    assert_dashboard_equals_recount,
    assert_stored_exactly_once,
    latency_line,
    postgres_bin,
    postgres_server,
    simulate,
)

from course_room.store import Conflict, Store  # noqa: E402

if postgres_bin() is None:
    if os.environ.get("COURSE_REQUIRE_ROOM_SERVICES") == "1":
        pytest.fail("COURSE_REQUIRE_ROOM_SERVICES=1 but PostgreSQL is not installed", pytrace=False)
    pytest.skip(
        "the PostgreSQL path needs Debian's PostgreSQL (sudo apt-get install postgresql) to run",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def postgres():
    with postgres_server() as url:
        yield url


def report(**changes):
    return {"id": secrets.token_hex(16), "exercise": "mazur", "quantity": "net_h1", "verdict": "correct",
            "mistake": None, "seq": 0, "age": 0.0, **changes}  # fmt: skip


def test_the_store_keeps_its_promises_on_postgresql(postgres):
    store = Store(postgres)
    try:
        assert store.dialect == "postgresql"
        room = store.create_room("On PostgreSQL", code="PGROOM", now=0.0)
        learner, session = secrets.token_hex(8), secrets.token_hex(8)
        first = [report(seq=0, verdict="incorrect", mistake="update-sign"), report(seq=1, quantity="out_h1")]
        assert store.add(room, learner, session, first, received_at=10.0) == (2, 0)
        assert store.add(room, learner, session, first, received_at=11.0) == (0, 2)
        with pytest.raises(Conflict):
            store.add(
                room, learner, session, [{**first[0], "verdict": "correct", "mistake": None}, report(seq=2)], 12.0
            )
        again = [report(seq=3, verdict="incorrect", mistake="update-sign")]
        assert store.add(room, learner, session, again, received_at=20.0) == (1, 0)
        rows = store.reports_of(room)
        assert len(rows) == 3
        summary = store.summary(room, now=30.0)
        assert_dashboard_equals_recount(summary, rows)
        assert summary["stuck"][0]["longest"] == pytest.approx(20.0), "stuck since the first of the incorrect checks"
        assert store.delete_room("PGROOM") == 3 and store.rooms() == []
    finally:
        store.close()


def test_a_room_served_from_postgresql_stores_every_report_once_and_closes(postgres, tmp_path, figures):
    server = RoomServer(postgres, tmp_path, code="PGLOAD")
    try:
        cpu = server.cpu_seconds()
        rooms, expected, elapsed, slowest = simulate(server, 60, 20, 2.0, seed=16)
        cpu = server.cpu_seconds() - cpu
        rows = assert_stored_exactly_once(server, rooms, expected)
        assert_dashboard_equals_recount(server.summary(), rows)
    finally:
        server.stop()
    figures(f"room on PostgreSQL, 60 learners x 20 reports: {latency_line(rooms, elapsed, slowest)}; "
            f"server CPU {1e6 * cpu / len(rows):.0f} µs per report")  # fmt: skip
    store = Store(postgres)
    try:
        assert store.delete_room("PGLOAD") == 1200
        with store.engine.connect() as conn:
            assert [
                conn.exec_driver_sql(f"SELECT COUNT(*) FROM {t}").scalar() for t in ("rooms", "reports", "latest")
            ] == [0, 0, 0]
    finally:
        store.close()
