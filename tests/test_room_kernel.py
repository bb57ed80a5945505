"""From a learner's kernel to the instructor's database: the room end to end, nothing stood in for.

A real Jupyter kernel (nbclient) runs a small notebook of an exercise's kind, started as a hub starts a
learner's kernel: with ``COURSE_ROOM_URL`` and ``COURSE_ROOM_CODE`` in its environment (so that importing
course_lib joins the room) and with ``JPY_SESSION_NAME``, the notebook's path, which Jupyter gives every
notebook's kernel.  Its ``check_answers`` and ``check_backward`` report to the real room server on
loopback.  The test then reads the room's database: the rows are those the same checks give here, under
the learner's pseudonym, and nothing the learner typed, no notebook name and no code arrives.
"""

import json
import os
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("starlette")
nbclient = pytest.importorskip("nbclient")

from course_lib import check_answers, check_backward, networks, practice  # noqa: E402
from course_lib.room import records_of  # noqa: E402
from course_room.store import Store, reports  # noqa: E402

NOTEBOOK = "exercises/08-wider-Copy1.ipynb"  # a learner's duplicate of exercise 08 (JupyterLab names it so)

# The learner's answers: right, wrong in a way the self-check names, wrong in a way it cannot, left open;
# typed with digits that appear nowhere else, so that the database can be searched for them.
ANSWERS = {"net_h1": 0.36, "out_h1": 0.36, "net_h2": 0.3592817, "out_h2": ...}
PRACTICE = {"net_h1": 0.6271828}

CELLS = [
    "from course_lib import check_answers, check_backward, current_room, networks, practice\n"
    "example = networks.get('wider')",
    f"check_answers(example, {ANSWERS!r})".replace("Ellipsis", "..."),
    f"check_answers(practice('wider', seed=10), {PRACTICE!r})",
    "def backward(network, x, target):  # the learner's code: every weight gradient transposed\n"
    "    secret_learner_code = network.backward(x, target)\n"
    "    return [g.T for g in secret_learner_code.weights], list(secret_learner_code.biases)\n"
    "check_backward(example, backward)",
    "room = current_room()\nassert room.flush(60), room.status()\nprint(room.pseudonym, room.status())",
]


def test_a_kernel_joined_from_its_environment_reports_its_checks_and_nothing_else(room_server, tmp_path):
    room = room_server.new_room("A kernel")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in CELLS])
    env = {
        **os.environ,
        "COURSE_ROOM_URL": room.url,
        "COURSE_ROOM_CODE": room.code.lower(),  # as a hub's configuration might spell it
        "COURSE_ROOM_STATE": str(tmp_path / "pseudonyms.json"),
        "JPY_SESSION_NAME": str(tmp_path / NOTEBOOK),
    }
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": tmp_path}})
    client.execute(env=env)

    said = "".join(o.get("text", "") for o in nb.cells[0].outputs)
    assert f"This notebook reports your self-checks to room {room.code}" in said and "leave_room()" in said
    report = nb.cells[1].outputs[0]["data"]["text/plain"]
    assert "incorrect" in report and "Not attempted" in report
    pseudonym = nb.cells[-1].outputs[0]["text"].split()[0]
    assert json.loads((tmp_path / "pseudonyms.json").read_text()) == {f"{room.url}/ {room.code}": pseudonym}

    # the same checks, here: the records the kernel must have sent, in order
    wider = networks.get("wider")

    def backward(network, x, target):
        grads = network.backward(x, target)
        return [g.T for g in grads.weights], list(grads.biases)

    notebook = str(tmp_path / NOTEBOOK)
    expected = (
        records_of(wider, check_answers(wider, ANSWERS), notebook)
        + records_of(practice("wider", 10), check_answers(practice("wider", 10), PRACTICE), notebook)
        + records_of(wider, check_backward(wider, backward), notebook)
    )
    assert [r["exercise"] for r in expected] == ["08-wider"] * 4 + ["08-wider/practice", "08-wider"]
    assert {r["mistake"] for r in expected} >= {"sigmoid-not-applied", "transposed-gradient", None}

    store = Store(room.db)
    try:
        rows = store.reports_of(store.room(room.code))
    finally:
        store.close()
    fields = ("exercise", "quantity", "verdict", "mistake")
    assert [{k: row[k] for k in fields} for row in sorted(rows, key=lambda r: r["seq"])] == expected
    assert {row["learner"] for row in rows} == {pseudonym}
    assert set(reports.c.keys()) == {"room_id", "id", "learner", "session", "seq", "exercise", "quantity",
                                     "verdict", "mistake", "checked_at", "received_at"}  # fmt: skip
    database = Path(room.db.removeprefix("sqlite:///"))
    stored = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))  # and its log
    assert stored.count(pseudonym.encode()) >= 1
    for secret in (b"0.3592817", b"0.6271828", b"Copy1", b"secret_learner_code", str(tmp_path).encode()):
        assert secret not in stored, f"{secret} reached the room's database"
