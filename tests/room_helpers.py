"""Shared by the room's tests: a real room server on loopback, raw HTTP, real self-checks, an independent recount."""

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path
from types import SimpleNamespace

from course_lib import Answers, check_answers, networks
from course_lib.room import VERDICTS
from course_lib.selfcheck import Report

ROOT = Path(__file__).resolve().parent.parent


class RoomServer:
    """``python -m course_room serve`` in a subprocess, on 127.0.0.1, with its data at ``db``."""

    def __init__(self, db, folder, port=0, code=None, args=(), env=None):
        self.db, self.folder, self.args, self.env = db, Path(folder), list(args), env
        self.code, self.port = code, port
        self.process = None
        self.start()

    def start(self):
        command = [sys.executable, "-m", "course_room", "--db", self.db, "serve", "--port", str(self.port), "--json"]
        command += ["--code", self.code] if self.code else []
        self.log = open(self.folder / "room-server.log", "a")
        self.process = subprocess.Popen(
            command + self.args,
            cwd=self.folder,
            env={**os.environ, **(self.env or {})},
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            line = self.process.stdout.readline()
            if line.startswith("{"):
                break
            if not line and (self.process.poll() is not None or time.monotonic() > deadline):
                raise RuntimeError(f"the room server did not start; see {self.folder / 'room-server.log'}")
        found = json.loads(line)
        self.url, self.port = found["url"], found["port"]
        self.code, self.token = (
            next(iter(found["rooms"].items())) if not self.code else (self.code, found["rooms"][self.code])
        )
        wait_for(lambda: get(self.url + "/")[0] == 200, "the room server does not answer", timeout=30)
        return self

    def kill(self):
        """Kill the server at once (SIGKILL: no clean shutdown, as in a crash)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self.process.stdout.close()
        self.log.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            self.process.stdout.close()
            self.log.close()

    def summary(self):
        status, answer = get(f"{self.url}/api/rooms/{self.code}/summary", token=self.token)
        assert status == 200, answer
        return answer


def wait_for(condition, message, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


def request(method, url, body=None, headers=None, raw=None):
    """One HTTP request; returns (status, JSON answer or text). ``raw`` sends bytes as they are."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    headers = {"Content-Type": "application/json", **(headers or {})} if data is not None else dict(headers or {})
    call = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(call, timeout=10) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as refused:
        status, text = refused.code, refused.read().decode()
    except (OSError, http.client.HTTPException):
        return 0, None
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def get(url, token=None):
    return request("GET", url, headers={"Authorization": f"Bearer {token}"} if token else None)


# -- real self-checks ---------------------------------------------------------------------------------


def with_mistake(report, mistakes):
    """The same Report with a named mistake on its incorrect verdicts, where the self-check names none yet.

    Stands in for issue 11's ``Feedback.mistake`` until it lands: ``mistakes`` maps a quantity to an id.
    """
    feedback = {}
    for key, f in report.feedback.items():
        if f.status == "incorrect" and getattr(f, "mistake", None) is None and key in mistakes:
            f = SimpleNamespace(**vars(f), mistake=mistakes[key])
        feedback[key] = f
    return Report(report.example, feedback)


def self_checks(names=("mazur", "han-kamber"), per=12):
    """Real Reports of check_answers, one quantity each: a right, a wrong and an empty answer per quantity."""
    pool = []
    ids = ("update-sign", "learning-rate", "net-for-out", "bias-left-out")
    for name in names:
        example = networks.get(name)
        exact = example.quantities()
        keys = [q.key for q in example.calculation.quantities if q.stage not in ("given",)][:per]
        for k, key in enumerate(keys):
            for value in (exact[key], exact[key] * 1.5 + 0.2, ...):
                answers = Answers(example)
                answers[key] = value
                report = check_answers(example, answers, [key])
                pool.append((example, with_mistake(report, {key: ids[k % len(ids)]})))
    return pool


# -- an independent recount of the dashboard's figures ---------------------------------------------------


def recount(rows, now):
    """The dashboard's figures, counted again from the stored reports (not from the ``latest`` table).

    Latest is the last report by the kernel's own order (seq) within a session; these tests run one session
    per learner.  Stuck since: the first of the incorrect reports in a row at the end.
    """
    history = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r["session"], r["seq"])):
        history[row["learner"], row["exercise"], row["quantity"]].append(row)
    learners = defaultdict(set)
    counts = defaultdict(Counter)
    stuck = defaultdict(list)
    mistakes = defaultdict(Counter)
    for (learner, exercise, quantity), reports in history.items():
        last = reports[-1]
        learners[exercise].add(learner)
        counts[exercise, quantity][last["verdict"]] += 1
        if last["verdict"] == "incorrect":
            start = len(reports) - 1
            while start > 0 and reports[start - 1]["verdict"] == "incorrect":
                start -= 1
            stuck[exercise, quantity].append(now - reports[start]["checked_at"])
            if last["mistake"]:
                mistakes[exercise, quantity][last["mistake"]] += 1
    figures = {}
    for (exercise, quantity), tally in counts.items():
        full = {v: tally[v] for v in VERDICTS}
        full["not attempted"] += len(learners[exercise]) - sum(full.values())
        figures[exercise, quantity] = {
            "counts": full,
            "stuck": len(stuck[exercise, quantity]),
            "longest": max(stuck[exercise, quantity], default=0.0),
            "mistakes": dict(mistakes[exercise, quantity]),
        }
    return {exercise: len(members) for exercise, members in learners.items()}, figures


def dashboard_figures(summary):
    """The same shape as :func:`recount`, read off the server's summary."""
    learners = {e["exercise"]: e["learners"] for e in summary["exercises"]}
    figures = {
        (e["exercise"], q["quantity"]): {
            "counts": q["counts"],
            "stuck": q["stuck"]["learners"],
            "longest": q["stuck"]["longest"],
            "mistakes": {m["mistake"]: m["learners"] for m in q["mistakes"]},
        }
        for e in summary["exercises"]
        for q in e["quantities"]
    }
    return learners, figures


def assert_dashboard_equals_recount(summary, rows):
    learners, figures = dashboard_figures(summary)
    expected_learners, expected = recount(rows, summary["now"])
    assert learners == expected_learners
    assert figures.keys() == expected.keys()
    for key, figure in figures.items():
        want = expected[key]
        assert figure["counts"] == want["counts"], key
        assert figure["stuck"] == want["stuck"] and figure["mistakes"] == want["mistakes"], key
        assert abs(figure["longest"] - want["longest"]) < 1e-6, key
    assert summary["reports"] == len(rows)
    assert summary["learners"] == len({r["learner"] for r in rows})
