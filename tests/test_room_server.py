"""The room server (course_room), for real on loopback: no one let in, nothing bad stored, a room closed for good.

The server runs as ``make room`` runs it (``python -m course_room serve``), in a subprocess, with its data in
an SQLite file of the test's own folder.  Reports go in as the learner's client sends them; the tests then
read the database itself to see what was stored.
"""

import http.client
import json
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytest.importorskip("starlette")

from hypothesis import example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from room_helpers import assert_dashboard_equals_recount, get, request, wait_for  # noqa: E402

from course_lib import check_answers, networks  # noqa: E402
from course_lib.room import MAX_BATCH_BYTES, MAX_REPORTS_PER_BATCH, VERDICTS, Room  # noqa: E402
from course_room.store import Store  # noqa: E402


@pytest.fixture(scope="module")
def server(room_server):
    """A room of its own in the shared room server."""
    return room_server.new_room("Bad input")


def stored(server):
    store = Store(server.db)
    try:
        return store.reports_of(store.room(server.code))
    finally:
        store.close()


def report(**changes):
    return {
        "id": secrets.token_hex(16),
        "exercise": "mazur",
        "quantity": "net_h1",
        "verdict": "incorrect",
        "mistake": "bias-left-out",
        "seq": 0,
        "age": 0.25,
        **changes,
    }


def batch(server, reports=None, **changes):
    body = {"code": server.code, "learner": secrets.token_hex(8), "session": secrets.token_hex(8)}
    return {**body, "reports": reports if reports is not None else [report()], **changes}


def post(server, body=None, raw=None, headers=None):
    return request("POST", f"{server.url}/api/reports", body, headers=headers, raw=raw)


BAD = {
    "no room code": (lambda s: {k: v for k, v in batch(s).items() if k != "code"}, 401, "no room code"),
    "a wrong room code": (lambda s: batch(s, code="ZZZZ99"), 404, "no open room has the code 'ZZZZ99'"),
    "a code that is no code": (lambda s: batch(s, code="!!"), 422, "is not a room code"),
    "an unknown field (a typed number)": (
        lambda s: batch(s, reports=[report(answer=0.3775)]),
        422,
        "unknown fields ['answer']",
    ),
    "an unknown batch field (a name)": (lambda s: batch(s, name="Ada"), 422, "unknown fields ['name']"),
    "a verdict that is none": (lambda s: batch(s, reports=[report(verdict="wrong")]), 422, "verdict must be one of"),
    "a mistake on a right answer": (
        lambda s: batch(s, reports=[report(verdict="correct")]),
        422,
        "only an incorrect verdict names a mistake",
    ),
    "a message in the mistake": (
        lambda s: batch(s, reports=[report(mistake="You wrote 0.41")]),
        422,
        "mistake must be null or a kebab-case id",
    ),
    "an id that is none": (lambda s: batch(s, reports=[report(id="1")]), 422, "id must be 32 lower-case hex"),
    "a negative age": (lambda s: batch(s, reports=[report(age=-1)]), 422, "age must be the seconds"),
    "a learner that is a name": (lambda s: batch(s, learner="Ada Lovelace"), 422, "learner must be 16"),
    "no reports": (lambda s: batch(s, reports=[]), 422, "non-empty list"),
    "one bad report among good ones": (
        lambda s: batch(s, reports=[report(), report(quantity="net h1!"), report()]),
        422,
        "report 1: quantity must be",
    ),
    "twice the same id in one batch": (
        lambda s: batch(s, reports=[report(id="a" * 32), report(id="a" * 32, seq=1)]),
        422,
        "the same id",
    ),
    "too many reports": (
        lambda s: batch(s, reports=[report(seq=k) for k in range(MAX_REPORTS_PER_BATCH + 1)]),
        413,
        f"at most {MAX_REPORTS_PER_BATCH} reports",
    ),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_reports_are_refused_with_a_clear_error_and_stored_nowhere(server, case):
    make, status, message = BAD[case]
    before = len(stored(server))
    answer = post(server, make(server))
    assert answer[0] == status and message in answer[1]["error"], answer
    assert len(stored(server)) == before


def test_bodies_that_are_not_batches_are_refused(server):
    before = len(stored(server))
    assert post(server, raw=b"{not json")[0] == 400
    assert "not JSON" in post(server, raw=b"\xff\xfe")[1]["error"]
    assert "not a list" in post(server, raw=b"[]")[1]["error"]
    status, answer = post(server, raw=b'{"code": "' + b"x" * MAX_BATCH_BYTES + b'"}')
    assert status == 413 and f"at most {MAX_BATCH_BYTES} bytes" in answer["error"]
    status, answer = post(server, raw=json.dumps(batch(server)).encode(), headers={"Content-Type": "text/plain"})
    assert status == 415 and "application/json" in answer["error"]
    assert len(stored(server)) == before


def test_a_repeated_report_is_stored_once_and_a_reused_id_with_other_content_is_refused(server):
    sent = batch(server, reports=[report(seq=0), report(seq=1, verdict="correct", mistake=None)])
    assert post(server, sent) == (200, {"stored": 2, "already_stored": 0})
    assert post(server, sent) == (200, {"stored": 0, "already_stored": 2})  # its answer was lost: sent again
    ids = [r["id"] for r in stored(server)]
    assert ids.count(sent["reports"][0]["id"]) == 1 and ids.count(sent["reports"][1]["id"]) == 1
    changed = {**sent, "reports": [{**sent["reports"][0], "verdict": "correct", "mistake": None}, report(seq=2)]}
    status, answer = post(server, changed)
    assert status == 409 and "stored already, with other content" in answer["error"]
    after = {r["id"]: r for r in stored(server)}
    assert changed["reports"][1]["id"] not in after, "nothing of a refused batch is stored"
    assert after[sent["reports"][0]["id"]]["verdict"] == "incorrect"


def test_the_dashboard_without_the_instructors_token_is_refused(server):
    page = f"{server.url}/rooms/{server.code}/"
    for url, token in [
        (page, None),
        (page + "?token=guess", None),
        (f"{server.url}/api/rooms/{server.code}/summary", None),
        (f"{server.url}/api/rooms/{server.code}/summary", "guess"),
        (f"{server.url}/rooms/{server.code}/events", None),
    ]:
        status, answer = get(url, token)
        assert status == 403, url
        assert "instructor" in str(answer) or "not (or no longer) valid" in str(answer)
    assert request("POST", f"{server.url}/rooms/{server.code}/close")[0] == 403
    assert get(f"{server.url}/api/rooms/{server.code}/summary", server.token)[0] == 200


def test_the_dashboard_link_sets_a_cookie_and_drops_the_token_from_the_address(server):
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", f"/rooms/{server.code}/?token={server.token}")
    answer = connection.getresponse()
    answer.read()
    assert answer.status == 303 and answer.getheader("Location").endswith(f"/rooms/{server.code}/")
    cookie = answer.getheader("Set-Cookie")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    connection.request("GET", f"/rooms/{server.code}/", headers={"Cookie": cookie.split(";")[0]})
    page = connection.getresponse().read().decode()
    assert f"join_room(&quot;{server.url}&quot;, &quot;{server.code}&quot;)" in page
    connection.close()


def test_make_room_prints_the_join_line_and_the_dashboard_and_listens_on_loopback_only(room_server):
    psutil = pytest.importorskip("psutil")
    server = room_server
    said = server.announcement
    assert f'from course_lib import join_room; join_room("{server.url}", "{server.code}")' in said
    assert f"{server.url}/rooms/{server.code}/?token={server.token}" in said
    assert "Only this computer can reach the room" in said and f"make room-close CODE={server.code}" in said
    listening = [c.laddr for c in psutil.Process(server.process.pid).net_connections() if c.status == "LISTEN"]
    assert [a.ip for a in listening] == ["127.0.0.1"] and server.url.startswith("http://127.0.0.1:")


def test_joining_with_a_wrong_code_says_so_at_once(server, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_ROOM_STATE", str(tmp_path / "p.json"))
    room = Room(server.url, "WRONG9")
    room._joined.wait(10)
    assert room.state == "refused" and "no open room has the code 'WRONG9'" in room.problem
    room.close()


def read_event(stream):
    """The next server-sent event of a stream: (name, data)."""
    name, data = None, []
    while True:
        line = stream.readline().decode().rstrip("\r\n")
        if line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())
        elif not line and name:
            return name, "\n".join(data)


def open_events(server):
    parts = urlsplit(server.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    connection.request("GET", f"/rooms/{server.code}/events", headers={"Authorization": f"Bearer {server.token}"})
    stream = connection.getresponse()
    assert stream.status == 200 and stream.getheader("Content-Type").startswith("text/event-stream")
    return connection, stream


@pytest.fixture
def own_server(room_server):
    return room_server.new_room("To be closed")


def test_the_live_stream_sends_new_figures_when_a_report_arrives_and_closed_when_the_room_closes(own_server):
    connection, stream = open_events(own_server)
    name, data = read_event(stream)
    assert name == "summary" and json.loads(data)["reports"] == 0
    sent_at = time.monotonic()
    assert post(own_server, batch(own_server))[0] == 200
    name, data = read_event(stream)
    assert name == "summary" and json.loads(data)["reports"] == 1
    assert time.monotonic() - sent_at < 5, "pushed at once, not at the next heartbeat"
    closed = request(
        "POST",
        f"{own_server.url}/rooms/{own_server.code}/close",
        headers={"Authorization": f"Bearer {own_server.token}"},
    )
    assert closed == (200, {"closed": own_server.code, "deleted_reports": 1})
    assert read_event(stream)[0] == "closed"
    connection.close()


def test_one_command_closes_a_room_and_deletes_its_data(own_server, tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_ROOM_STATE", str(tmp_path / "p.json"))
    room = Room(own_server.url, own_server.code)
    room.keep_sent = True
    example = networks.get("mazur")
    for value in (0.3, 0.3775):
        room.listener(example, check_answers(example, {"net_h1": value, "out_h1": 0.59327}))
    assert room.flush(20)
    ids = [r["id"] for r in room.acknowledged]
    assert len(stored(own_server)) == 4
    database = Path(own_server.db.removeprefix("sqlite:///"))
    files = database.parent.glob(database.name + "*")  # the database and its write-ahead log
    assert any(ids[0].encode() in path.read_bytes() for path in files)
    store = Store(own_server.db)
    room_id = store.room(own_server.code).id
    store.close()

    command = [sys.executable, "-m", "course_room", "--db", own_server.db, "close", own_server.code]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"Room {own_server.code} is closed: it and its 4 reports are deleted" in done.stdout

    store = Store(own_server.db)
    try:
        assert store.room(own_server.code) is None
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql(f"SELECT COUNT(*) FROM rooms WHERE id = {room_id}").scalar() == 0
            for table in ("reports", "latest"):
                assert conn.exec_driver_sql(f"SELECT COUNT(*) FROM {table} WHERE room_id = {room_id}").scalar() == 0
    finally:
        store.close()
    files = b"".join(path.read_bytes() for path in database.parent.glob(database.name + "*"))
    assert not any(i.encode() in files for i in ids), "deleted from the file, not only hidden"

    assert get(f"{own_server.url}/api/rooms/{own_server.code}/summary", own_server.token)[0] == 404
    time.sleep(1.1)  # the server takes a room it has just seen as open for a second
    room.listener(example, check_answers(example, {"net_h1": 0.3775}))
    wait_for(lambda: room.state == "closed by the instructor", f"the learner's room did not stop: {room.status()}")
    again = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert again.returncode != 0 and "no open room has the code" in again.stderr


# -- the latest verdicts, against a recount (the database alone) ------------------------------------------


@settings(max_examples=25, deadline=None)
@example([(0, "net_h1", "incorrect"), (0, "net_h1", "incorrect"), (1, "net_h1", "correct")], 1)
@example([(0, "net_h1", "incorrect"), (0, "net_h1", "correct"), (0, "net_h1", "incorrect")], 2)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.sampled_from(["net_h1", "out_h1", "E_total"]), st.sampled_from(VERDICTS)),
        min_size=1,
        max_size=40,
    ),
    st.integers(1, 6),
)
def test_the_figures_equal_a_recount_whatever_the_order_of_checks(tmp_path_factory, checks, size):
    """Learners check quantities in any order, sent in batches of any size: the dashboard agrees with a recount."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('store') / 'room.sqlite'}")
    try:
        room = store.create_room("t", now=0.0)
        learners = [(f"{k:016x}", f"{k + 100:016x}") for k in range(4)]
        queues = {k: [] for k in range(4)}
        for seq, (k, quantity, verdict) in enumerate(checks):
            mistake = "bias-left-out" if verdict == "incorrect" and seq % 2 else None
            queues[k].append(report(quantity=quantity, verdict=verdict, mistake=mistake, seq=seq, age=0.0))
        clock = 1000.0
        for k, records in queues.items():
            for start in range(0, len(records), size):
                clock += 1.0
                store.add(room, *learners[k], records[start : start + size], received_at=clock)
        assert_dashboard_equals_recount(store.summary(room, now=clock + 60), store.reports_of(room))
    finally:
        store.close()


def test_a_later_kernel_of_the_same_learner_wins_by_the_time_of_its_check(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'room.sqlite'}")
    try:
        room = store.create_room("t", now=0.0)
        learner = "0" * 16
        store.add(room, learner, "1" * 16, [report(seq=5, verdict="incorrect")], received_at=100.0)
        store.add(room, learner, "2" * 16, [report(seq=0, verdict="correct", mistake=None)], received_at=200.0)
        late = report(seq=6, verdict="incorrect", age=150.0)  # the first kernel's queue, sent late: checked at 50
        store.add(room, learner, "1" * 16, [late], received_at=200.0)
        (figures,) = store.summary(room, now=300.0)["exercises"]
        assert figures["quantities"][0]["counts"]["correct"] == 1
    finally:
        store.close()


def test_the_dashboard_names_exercises_and_mistakes_as_the_course_does():
    from course_lib import exercises, mistakes
    from course_room.course import exercise_key, exercise_title, mistake_title, quantity_key

    reported = ["10-any-number-of-layers", "mazur", "08-wider/practice", "07-mazur", "wider/practice", "no-such"]
    assert sorted(reported, key=exercise_key) == [
        "07-mazur", "mazur", "08-wider/practice", "wider/practice", "10-any-number-of-layers", "no-such"
    ]  # fmt: skip
    assert exercise_title("10-any-number-of-layers") == exercises.exercise("10-any-number-of-layers").title
    assert exercise_title("08-wider/practice") == "Exercise 08: A wider network, 2-3-2: practice problems"
    assert exercise_title("mazur") == f"{networks.get('mazur').title} (outside the exercises)"
    ten = networks.get("wider").calculation.keys()
    steps = ["backpropagation of a batch", "forward pass of a batch", ten[-1], ten[0]]
    assert sorted(steps, key=lambda q: quantity_key("10-any-number-of-layers", q)) == steps[::-1]
    for mistake in mistakes.MISTAKES.values():
        assert mistake_title(mistake.id) == mistake.title
    assert mistake_title("a-mistake-of-a-newer-course") == "a-mistake-of-a-newer-course"
