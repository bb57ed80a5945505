"""The learner's side of the room (course_lib.room): what is sent, and that the notebook never waits or fails.

The records are made from real Reports of ``check_answers`` (and real CodeChecks), with the mistakes the
self-check really names; ``join_room`` registers with the self-check's own listeners.  The server here is
either absent, a socket that never answers, or the real room server (test_room_server.py tests the server
itself; test_room_kernel.py a real kernel reporting to it).
"""

import dataclasses
import json
import socket
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import Answers, check_answers, check_backward, check_forward, exercises, networks, practice
from course_lib import room as room_module
from course_lib.mistakes import MISTAKES
from course_lib.room import VERDICTS, Room, RoomProblem, join_room, leave_room, normal_code, records_of
from course_lib.selfcheck import listeners

MAZUR = networks.get("mazur")


@pytest.fixture(autouse=True)
def pseudonyms_in_tmp(tmp_path, monkeypatch):
    """Every test keeps its pseudonyms in its own folder, never in the home of the machine."""
    monkeypatch.setenv("COURSE_ROOM_STATE", str(tmp_path / "pseudonyms.json"))
    yield
    leave_room(quiet=True)


@pytest.fixture
def no_server():
    """An address where nothing listens (connections are refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def black_hole():
    """A server that takes connections and never answers: the worst case for a notebook that must not wait."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(100)
    yield f"http://127.0.0.1:{s.getsockname()[1]}"
    s.close()


def waiting(room):
    """The records a room holds (on their way, then queued), in the order of the checks."""
    with room._lock:
        return [q.record for q in list(room._inflight) + list(room._queue)]


def test_a_report_becomes_one_record_per_quantity_with_exercise_quantity_verdict_and_mistake():
    answers = Answers(MAZUR)
    exact = MAZUR.quantities()
    answers.net_h1 = exact["net_h1"]
    answers.out_h1 = exact["net_h1"]  # the sigmoid forgotten: a mistake the self-check names
    answers.net_h2 = ...
    report = check_answers(MAZUR, answers)
    assert report["out_h1"].mistake == "sigmoid-not-applied" and "sigmoid-not-applied" in MISTAKES
    assert records_of(MAZUR, report) == [
        {"exercise": "07-mazur", "quantity": "net_h1", "verdict": "correct", "mistake": None},
        {"exercise": "07-mazur", "quantity": "out_h1", "verdict": "incorrect", "mistake": "sigmoid-not-applied"},
        {"exercise": "07-mazur", "quantity": "net_h2", "verdict": "not attempted", "mistake": None},
    ]


def test_names_the_network_lacks_practice_problems_and_code_checks():
    answers = Answers(MAZUR)
    answers.w16 = 0.39  # not a quantity of the network: the name is the learner's text, never sent
    answers["my name is Ada"] = 1
    answers.net_h1 = 0.3775
    report = check_answers(MAZUR, answers)
    assert len(report) == 3 and [r["quantity"] for r in records_of(MAZUR, report)] == ["net_h1"]
    problem = practice("mazur", 3)
    assert records_of(problem, check_answers(problem, {"net_h1": 0.5}))[0]["exercise"] == "mazur/practice"
    in_the_exercise = records_of(problem, check_answers(problem, {"net_h1": 0.5}), "/home/ada/exercises/07-mazur.ipynb")
    assert in_the_exercise[0]["exercise"] == "07-mazur/practice"

    def forward(network, x):
        raise NotImplementedError

    code = check_forward(MAZUR, forward)
    assert records_of(MAZUR, code) == [
        {"exercise": "07-mazur", "quantity": "forward pass", "verdict": "not attempted", "mistake": None}
    ]

    def backward(network, x, target):
        grads = network.backward(x, target)
        return list(grads.weights), list(grads.biases)

    assert records_of(MAZUR, check_backward(MAZUR, backward)) == [
        {"exercise": "07-mazur", "quantity": "backpropagation", "verdict": "correct", "mistake": None}
    ]


def test_an_example_that_is_not_the_courses_is_not_reported():
    mine = dataclasses.replace(MAZUR, name="my-own-network", title="Ada's network")
    assert records_of(mine, check_answers(mine, {"net_h1": 0.3})) == []


EXERCISE_10 = practice("wider", seed=10)  # what exercise 10 works: a practice problem of exercise 08's network


@pytest.mark.parametrize(
    "example, notebook, exercise",
    [
        (EXERCISE_10, "/home/ada/nn-by-hand/exercises/10-any-number-of-layers.ipynb", "10-any-number-of-layers"),
        (EXERCISE_10, None, "10-any-number-of-layers"),  # a kernel that does not know its notebook
        (EXERCISE_10, "/home/ada/exercises/08-wider.ipynb", "08-wider/practice"),
        (practice("wider", seed=3), "/home/ada/exercises/08-wider.ipynb", "08-wider/practice"),
        (practice("wider", seed=3), None, "wider/practice"),
        (networks.get("wider"), "/home/ada/exercises/08-wider-fresh-2.ipynb", "08-wider"),  # make fresh's copy
        (networks.get("wider"), "/home/ada/exercises/08-wider-Copy1.ipynb", "08-wider"),  # JupyterLab's Duplicate
        (networks.get("wider"), "C:\\Users\\ada\\Downloads\\08-wider (1).ipynb", "08-wider"),
        (MAZUR, "/home/ada/exercises/10-any-number-of-layers.ipynb", "07-mazur"),  # another network: its own
        (MAZUR, "/home/ada/Ada Lovelace's homework.ipynb", "07-mazur"),  # a notebook's own name is never sent
        (MAZUR, "/home/ada/nn-by-hand/notebooks/07-mazur.ipynb", None),  # a lesson's checks are demonstrations
        (EXERCISE_10.network, "/home/ada/exercises/10-any-number-of-layers.ipynb", "10-any-number-of-layers"),
        (EXERCISE_10.network, None, "10-any-number-of-layers"),  # a batch check: the exercise that has them
    ],
)
def test_the_exercise_is_the_notebooks_when_it_is_one_else_the_examples(example, notebook, exercise):
    """Exercise 10 works practice("wider", seed=10) and exercise 08 practice problems of the same network:
    the dashboard counts them apart, by the notebook's name (as Jupyter gives it to the kernel) or the example."""
    assert exercises.exercise_of(example, notebook) == exercise
    if exercise is not None:
        assert room_module.EXERCISE_PATTERN.fullmatch(exercise)


def test_a_room_takes_the_notebook_from_the_kernels_environment(no_server, monkeypatch):
    monkeypatch.setenv("JPY_SESSION_NAME", "/srv/course/exercises/10-any-number-of-layers.ipynb")
    room = Room(no_server, "ABCD12", pause=5.0)
    room.listener(EXERCISE_10, check_answers(EXERCISE_10, {"net_h1": 0.1262}))
    room.listener(MAZUR, check_answers(MAZUR, {"net_h1": 0.3775}))
    monkeypatch.setenv("JPY_SESSION_NAME", "/srv/course/notebooks/06-han-kamber.ipynb")
    lesson = Room(no_server, "ABCD12", pause=5.0)
    lesson.listener(MAZUR, check_answers(MAZUR, {"net_h1": 0.3775}))
    assert [r["exercise"] for r in waiting(room)] == [
        "10-any-number-of-layers",
        "07-mazur",
    ]
    assert lesson.queued == 0
    room.close()
    lesson.close()


answer_values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.text(max_size=30),
    st.just(...),
    st.lists(st.floats(allow_nan=False), max_size=3),
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(MAZUR.calculation.keys() + ["w16", "Ada Lovelace"]), answer_values, max_size=8))
def test_no_record_can_carry_what_the_learner_typed(answers):
    """Whatever a learner writes, a record holds only the course's own names and verdicts: nothing typed."""
    report = check_answers(MAZUR, answers)
    keys = set(MAZUR.calculation.keys())
    for record in records_of(MAZUR, report):
        assert set(record) == {"exercise", "quantity", "verdict", "mistake"}
        assert record["exercise"] == "07-mazur" and record["quantity"] in keys
        assert record["verdict"] in VERDICTS
        assert record["mistake"] is None or (record["mistake"] in MISTAKES and record["verdict"] == "incorrect")
        assert record["mistake"] == report[record["quantity"]].mistake or record["verdict"] != "incorrect"
        messages = [f.message for f in report if f.key == record["quantity"]]
        assert messages and all(m not in json.dumps(record) for m in messages)


def test_the_listener_never_raises_whatever_it_is_given(no_server):
    room = Room(no_server, "ABCD12")
    report = check_answers(MAZUR, {"net_h1": 0.3775})
    for example, result in [(None, None), (MAZUR, "text"), (MAZUR, object()), (object(), report), (MAZUR, report)]:
        room.listener(example, result)
    assert room.queued == 1
    room.close()


def test_checks_never_wait_for_a_server_that_never_answers(black_hole):
    room = Room(black_hole, "ABCD12", timeout=2.0)
    report = check_answers(MAZUR, {"net_h1": 0.3775, "out_h1": 0.5})
    took = []
    for _ in range(20):
        start = time.perf_counter()
        room.listener(MAZUR, report)
        took.append(time.perf_counter() - start)
    # a call that waited for the network would take the 2 s timeout; these only put records in a queue
    assert max(took) < 0.5, took
    assert room.queued == 40 and room.sent == 0
    room.close()


def test_the_queue_is_bounded_and_keeps_the_newest(no_server):
    room = Room(no_server, "ABCD12", max_queued=100, batch=10, pause=5.0)
    report = check_answers(MAZUR, {"net_h1": 0.3775})
    for _ in range(250):
        room.listener(MAZUR, report)
    waiting = room.queued
    assert waiting <= 100 + 10 and room.dropped == 250 - waiting  # 100 waiting, and a batch on its way
    assert room.status().endswith(f"{room.dropped} dropped")
    assert [q.seq for q in room._queue][-1] == 249  # the newest is kept
    room.close()


def test_join_lines_that_cannot_work_say_what_was_expected():
    with pytest.raises(RoomProblem, match="not the room's address"):
        join_room("192.168.1.20:8765", "ABCD12")
    with pytest.raises(RoomProblem, match="not a room code"):
        join_room("http://127.0.0.1:8765", "AB")
    assert normal_code(" k7q-mx4 ") == "K7QMX4"


def test_joining_registers_with_the_self_check_and_every_kind_of_check_reaches_the_queue(no_server):
    room = join_room(no_server, "ABCD12", pause=5.0)
    assert room_module.current_room() is room and room._hook in listeners._LISTENERS
    check_answers(MAZUR, {"net_h1": 0.3775, "out_h1": 0.59327})  # the check itself calls the room: two records
    assert room.queued == 2

    def forward(network, x):
        return network.forward(x).output

    def backward(network, x, target):
        return None  # a forgotten return

    check_forward(MAZUR, forward)
    check_backward(MAZUR, backward)
    assert [(r["quantity"], r["verdict"], r["mistake"]) for r in waiting(room)[2:]] == [
        ("forward pass", "correct", None),
        ("backpropagation", "incorrect", "returned-none"),
    ]
    again = join_room(no_server, "ABCD12", pause=5.0)  # joining again replaces the room: one listener, not two
    assert listeners._LISTENERS.count(again._hook) == 1 and room._hook not in listeners._LISTENERS
    leave_room()


def test_leaving_the_room_stops_reporting_and_drops_what_waits(no_server):
    room = join_room(no_server, "ABCD12", pause=5.0)
    check_answers(MAZUR, {"net_h1": 0.3775})
    assert room.queued == 1
    assert leave_room() == "Left room ABCD12: nothing more is reported."
    assert room_module.current_room() is None and room.state == "left" and room.queued == 0
    assert room._hook not in listeners._LISTENERS, "the self-check no longer calls the room"
    check_answers(MAZUR, {"net_h1": 0.3775})
    room.listener(MAZUR, check_answers(MAZUR, {"net_h1": 0.3775}))
    assert room.queued == 0
    assert leave_room() == "Not in a room: nothing is reported."


def test_the_notebook_says_it_is_reporting(no_server):
    room = join_room(no_server, "ABCD12")
    html = room._repr_html_()
    assert "Reporting to room ABCD12" in html and "leave_room()" in html and "Not your numbers" in html
    assert all(ord(c) < 0x1F000 for c in html), "no emoji: a browser without an emoji font draws a box (seen)"
    assert "waiting for the server" in room.status()
    leave_room()
    assert "Not reporting" in room._repr_html_()


def test_a_pseudonym_is_random_per_room_and_kept_on_this_computer(no_server):
    first = Room(no_server, "ABCD12")
    again = Room(no_server, "ABCD12")
    other = Room(no_server, "WXYZ98")
    assert first.pseudonym == again.pseudonym != other.pseudonym
    assert first.session != again.session  # each kernel has its own order of checks
    for room in (first, again, other):
        room.close()


def test_a_hub_joins_the_kernel_from_the_environment(no_server, capsys):
    """A kernel started with COURSE_ROOM_URL and COURSE_ROOM_CODE (as a hub sets them) joins, and says so."""
    environ = {"COURSE_ROOM_URL": no_server, "COURSE_ROOM_CODE": "hub-room", "JUPYTERHUB_API_TOKEN": "abc123"}
    room = room_module.join_from_environment(environ)
    said = capsys.readouterr().out
    assert "This notebook reports your self-checks to room HUBROOM" in said
    assert "never your numbers, code or name" in said and "leave_room() stops it" in said
    assert room_module.current_room() is room and room._hub_token == "abc123"
    assert room_module.join_from_environment(environ) is None, "a kernel in a room already stays where it is"
    leave_room()
    assert room_module.join_from_environment({}) is None and capsys.readouterr().out == ""
    assert room_module.join_from_environment({**environ, "COURSE_ROOM_CODE": "no"}) is None
    assert "The course room is not joined: 'no' is not a room code" in capsys.readouterr().out


def test_the_exercises_line_join_room_does_nothing_without_a_room_and_shows_the_room_with_one(
    no_server, monkeypatch, capsys
):
    """The exercises carry ``join_room()``: silent without a room, the hub's room with one, the room joined."""
    monkeypatch.delenv("COURSE_ROOM_URL", raising=False)
    monkeypatch.delenv("COURSE_ROOM_CODE", raising=False)
    assert join_room() is None and room_module.current_room() is None
    assert capsys.readouterr() == ("", "")
    monkeypatch.setenv("COURSE_ROOM_URL", no_server)
    monkeypatch.setenv("COURSE_ROOM_CODE", "HUBROOM")
    room = join_room()
    assert room is room_module.current_room() and room.code == "HUBROOM" and room._hook in listeners._LISTENERS
    assert capsys.readouterr().out == "", "the cell shows the room itself (its _repr_html_), once"
    assert "Reporting to room HUBROOM" in room._repr_html_() and "leave_room()" in room._repr_html_()
    mine = join_room(no_server, "ABCD12")  # the instructor's own line replaces it
    assert join_room() is mine
    with pytest.raises(RoomProblem, match="give both parts of the join line"):
        join_room(no_server)
