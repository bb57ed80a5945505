"""Shared by the room's tests: a real room server on loopback, raw HTTP, real self-checks, an independent recount."""

import contextlib
import dataclasses
import http.client
import json
import os
import pwd
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from pathlib import Path

from course_lib import Answers, check_answers, networks
from course_lib.mistakes import usual_mistakes
from course_lib.room import VERDICTS, Room, records_of
from course_room.store import Store

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
        self.announcement = ""
        while True:
            line = self.process.stdout.readline()
            if line.startswith("{"):
                break
            self.announcement += line
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

    def cpu_seconds(self):
        """The CPU time the server process has used so far (user and system), from /proc."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def summary(self):
        status, answer = get(f"{self.url}/api/rooms/{self.code}/summary", token=self.token)
        assert status == 200, answer
        return answer

    def new_room(self, title="A test room"):
        """Open another room in the server's database: the running server serves it at once."""
        store = Store(self.db)
        try:
            room = store.create_room(title, now=time.time())
        finally:
            store.close()
        return OpenRoom(self.url, self.db, room.code, room.token)


@dataclasses.dataclass
class OpenRoom:
    """A room of a running server: where it is, its code and its dashboard token."""

    url: str
    db: str
    code: str
    token: str

    summary = RoomServer.summary


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


def self_checks(names=("mazur", "han-kamber"), per=12):
    """Real Reports of check_answers, one quantity each: per quantity a right answer, a wrong one the self-check
    names (the number a usual mistake of ``course_lib.mistakes`` gives), a wrong one it cannot name, and none."""
    pool = []
    for name in names:
        example = networks.get(name)
        exact = example.quantities()
        keys = [q.key for q in example.calculation.quantities if q.stage not in ("given",)][:per]
        for key in keys:
            (_, _, mistaken), *_ = usual_mistakes(example.calculation, key)
            for value in (exact[key], mistaken(exact), exact[key] * 1.5 + 0.2, ...):
                answers = Answers(example)
                answers[key] = value
                pool.append((example, check_answers(example, answers, [key])))
    named = {f.mistake for _, report in pool for f in report if f.mistake}
    assert len(named) >= 6, f"the pool names too few mistakes to test the room with: {named}"
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
            "median": statistics.median(stuck[exercise, quantity]) if stuck[exercise, quantity] else 0.0,
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
            "median": q["stuck"]["median"],
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
        assert abs(figure["median"] - want["median"]) < 1e-6, key
    assert summary["reports"] == len(rows)
    assert summary["learners"] == len({r["learner"] for r in rows})


# -- a simulated room --------------------------------------------------------------------------------


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


# -- a real PostgreSQL server, started by the tests ----------------------------------------------------


def postgres_bin():
    """The folder of Debian's PostgreSQL programs (the newest version installed), or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    which = shutil.which("pg_config")
    if which:
        folder = Path(subprocess.run([which, "--bindir"], capture_output=True, text=True).stdout.strip())
        return folder if (folder / "postgres").exists() else None
    return None


@contextlib.contextmanager
def postgres_server():
    """A throw-away PostgreSQL server on 127.0.0.1; yields its SQLAlchemy URL.

    PostgreSQL refuses to run as root, and CI runs as root: there the server runs as the unprivileged
    user ``nobody`` (setpriv), in a folder of its own under the system's temporary folder.
    """
    bindir = postgres_bin()
    folder = Path(tempfile.mkdtemp(prefix="course-room-pg-"))
    as_user = []
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
        as_user = ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]
    os.chmod(folder, 0o700)
    data, log = folder / "data", folder / "server.log"
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8", "HOME": str(folder)}
    initdb = [str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]
    subprocess.run(as_user + initdb, check=True, capture_output=True, env=env, cwd=folder)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = ["-c", "listen_addresses=127.0.0.1", "-p", str(port), "-k", str(folder), "-c", "fsync=off"]
    written = open(log, "w")
    server = subprocess.Popen(
        as_user + [str(bindir / "postgres"), "-D", str(data), *settings],
        stdout=subprocess.DEVNULL, stderr=written, env=env, cwd=folder, start_new_session=True,
    )  # fmt: skip
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    try:
        import psycopg

        def ready():
            if server.poll() is not None:
                raise RuntimeError(f"PostgreSQL stopped: {log.read_text()[-2000:]}")
            try:
                psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres", connect_timeout=2).close()
                return True
            except psycopg.OperationalError:
                return False

        wait_for(ready, "PostgreSQL did not start", timeout=60)
        yield url
    finally:
        server.send_signal(signal.SIGINT)  # a fast shutdown
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        written.close()
        shutil.rmtree(folder, ignore_errors=True)
