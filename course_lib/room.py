"""The room: your self-check verdicts, anonymously, on the instructor's live dashboard.

In a workshop the instructor runs a room (``make room``, see the instructor
guide) and shows one line for the top of the exercise::

    from course_lib import join_room; join_room("http://192.168.1.20:8765", "K7QMX4")

(on a JupyterHub the hub can join every learner by itself, through the
environment variables ``COURSE_ROOM_URL`` and ``COURSE_ROOM_CODE``).  From then
on every self-check of this kernel (``check_answers``, ``check_forward``,
``check_backward``) sends, for each quantity it checked, a record of five
things and nothing else:

- the exercise: one of the course's exercise names, e.g. ``"07-mazur"``, known
  from the notebook's name when it is an exercise (``"07-mazur/practice"`` for
  another practice problem of its network), else from the example: the
  exercise that works its numbers, or the network's name (``"mazur"``,
  ``"mazur/practice"``), see :func:`course_lib.exercises.exercise_of`;
- the quantity: its name in the course, e.g. ``"net_h1"`` or ``"dE/dw5"``
  (``"forward pass"``, ``"backpropagation"``, ``"forward pass of a batch"`` or
  ``"backpropagation of a batch"`` for a code exercise);
- the verdict: ``"correct"``, ``"too few digits"``, ``"carried forward"``,
  ``"incorrect"`` or ``"not attempted"``;
- the named mistake, if the self-check recognised one: a fixed identifier
  such as ``"update-sign"`` (see :mod:`course_lib.mistakes`), else nothing;
- a pseudonym: a random number made for this room on this computer, so that
  the dashboard can count learners without knowing who they are.

Never your numbers, your code, the feedback's text (it quotes your numbers),
your name or the name of a notebook of your own.  Quantities the network does
not have (a typo such as ``answers.w16``) are not reported at all, nor are
examples that are not the course's, nor the checks of the lessons (they show
the self-check at work, often on a mistake made on purpose).  ``leave_room()`` stops it; what was not sent yet is
then thrown away.

The notebook never waits for the room: a self-check only puts records in a
bounded queue (the oldest are dropped beyond ``max_queued``), and a
background thread sends them in batches, again and again with growing
pauses while the server is down or slow, until it has them.  Every record has
a random id, so a batch sent twice (the server stored it but its answer was
lost) is stored once.

This module also defines what a record is (the fields, the limits, the shape
of a room code): the room server (``course_room``) checks what it receives
against the same definitions.
"""

import atexit
import http.client
import json
import logging
import os
import random
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from .exercises import exercise_of
from .networks import Example
from .selfcheck.listeners import add_listener, remove_listener

__all__ = ["join_room", "leave_room", "current_room", "records_of", "Room", "RoomProblem"]

log = logging.getLogger(__name__)

# -- what a record is (the server checks what it receives against these) -----------------------

VERDICTS = ("correct", "too few digits", "carried forward", "incorrect", "not attempted")
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off a projector
CODE_PATTERN = re.compile(r"[A-Z0-9]{4,16}")
ID_PATTERN = re.compile(r"[0-9a-f]{32}")  # a record's id: 128 random bits
PSEUDONYM_PATTERN = re.compile(r"[0-9a-f]{16}")  # a learner's or a kernel session's: 64 random bits
EXERCISE_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*(/practice)?")
QUANTITY_PATTERN = re.compile(r"[A-Za-z0-9_/+.-]{1,40}|[a-z][a-z ]{0,39}")  # a course name, or a code check's
MISTAKE_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_MISTAKE = 60
MAX_REPORTS_PER_BATCH = 500
MAX_BATCH_BYTES = 256 * 1024
MAX_AGE = 7 * 24 * 3600.0  # seconds a record may wait in a queue and still be taken
RECORD_FIELDS = ("id", "exercise", "quantity", "verdict", "mistake", "seq", "age")


def normal_code(code):
    """A room code as the server stores it: capitals, without spaces or dashes (``"k7q-mx4"`` -> ``"K7QMX4"``)."""
    if not isinstance(code, str):
        raise RoomProblem(f"a room code is text such as 'K7QMX4', got {code!r}")
    normal = re.sub(r"[\s-]", "", code).upper()
    if not CODE_PATTERN.fullmatch(normal):
        raise RoomProblem(f"{code!r} is not a room code: 4 to 16 letters and digits, such as 'K7QMX4'")
    return normal


def new_code(length=6):
    """A fresh random room code, easy to read off a projector (no 0/O, 1/I/L)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


class RoomProblem(ValueError):
    """A join line that cannot work (not a URL, not a room code): says what was expected."""


# -- from a self-check to anonymous records -------------------------------------------------------


def _mistake_of(verdict):
    """The named mistake's identifier (issue 11's ``mistake`` attribute), or None."""
    mistake = getattr(verdict, "mistake", None)
    if isinstance(mistake, str) and len(mistake) <= MAX_MISTAKE and MISTAKE_PATTERN.fullmatch(mistake):
        return mistake
    return None


def records_of(example, result, notebook=None):
    """The anonymous records of one self-check: a list of dicts with exercise, quantity, verdict, mistake.

    ``result`` is what ``check_answers`` returns (a ``Report``: one record per
    quantity of the course network) or what ``check_forward``,
    ``check_backward`` or the batch checks return (a ``CodeCheck``: one
    record).  The exercise is the one the check belongs to
    (:func:`course_lib.exercises.exercise_of`, from ``example`` and the
    kernel's ``notebook``): none, and nothing is reported, for a lesson's
    checks or an example that is not the course's.  The learner's answers,
    the messages and the code are never read.
    """
    exercise = exercise_of(example, notebook)
    if exercise is None:
        return []
    feedback = getattr(result, "feedback", None)
    if isinstance(feedback, dict):  # a Report: one verdict per quantity
        if not isinstance(example, Example):
            return []
        known = example.calculation.by_key
        verdicts = [(key, f) for key, f in feedback.items() if key in known]
    elif isinstance(getattr(result, "what", None), str):  # a CodeCheck
        verdicts = [(result.what, result)]
    else:
        return []
    found = []
    for quantity, verdict in verdicts:
        status = getattr(verdict, "status", None)
        if status in VERDICTS and QUANTITY_PATTERN.fullmatch(quantity):
            record = {"exercise": exercise, "quantity": quantity, "verdict": status}
            record["mistake"] = _mistake_of(verdict) if status == "incorrect" else None
            found.append(record)
    return found


# -- the pseudonym ------------------------------------------------------------------------------


def _state_file():
    """Where this computer keeps its pseudonyms, one per room (``COURSE_ROOM_STATE`` names another file)."""
    if os.environ.get("COURSE_ROOM_STATE"):
        return Path(os.environ["COURSE_ROOM_STATE"])
    state = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(state) / "course_lib" / "room-pseudonyms.json"


def pseudonym_for(url, code):
    """This computer's random pseudonym in the room ``(url, code)``: made once, then kept.

    Kept so that a restarted kernel, or a second exercise open at the same
    time, counts as the same learner.  Where the file cannot be written (a
    read-only home) the pseudonym lasts as long as the kernel.
    """
    key = f"{url} {code}"
    path = _state_file()
    try:
        known = json.loads(path.read_text()) if path.exists() else {}
        if not isinstance(known, dict):
            known = {}
    except (OSError, ValueError):
        known = {}
    if isinstance(known.get(key), str) and PSEUDONYM_PATTERN.fullmatch(known[key]):
        return known[key]
    known[key] = secrets.token_hex(8)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(known, indent=1))
    except OSError as error:
        log.info("the room pseudonym is not kept across kernels: %s", error)
    return known[key]


# -- the room and its background sender -----------------------------------------------------------


@dataclass(frozen=True)
class _Queued:
    record: dict
    checked: float  # the client's clock when the self-check ran
    seq: int


class Room:
    """A joined room: turns self-checks into records and sends them in the background.

    ``listener(example, result)`` is what the self-check calls; it only puts
    records in the queue and never raises.  ``status()`` says what is
    happening; ``flush(timeout)`` waits until everything queued is sent (for
    tests and for leaving); ``close()`` stops the sender.

    ``hub_token``: on a JupyterHub, the kernel's ``JUPYTERHUB_API_TOKEN``, which
    the room service checks with the hub (then the service, not this
    computer, makes the pseudonym).  ``notebook``: the path of the kernel's
    notebook, which names the exercise (by default ``JPY_SESSION_NAME``, which
    Jupyter sets in a notebook's kernel).  ``clock``, ``pause`` (the first pause
    after a failure, doubled up to ``max_pause``) and ``timeout`` are for tests.
    """

    def __init__(
        self,
        url,
        code,
        *,
        hub_token=None,
        pseudonym=None,
        notebook=None,
        max_queued=10_000,
        batch=200,
        timeout=10.0,
        pause=0.5,
        max_pause=30.0,
        clock=time.monotonic,
    ):
        self.url = _base_url(url)
        self.code = normal_code(code)
        self.pseudonym = pseudonym or pseudonym_for(self.url, self.code)
        self.session = secrets.token_hex(8)
        self.notebook = notebook if notebook is not None else os.environ.get("JPY_SESSION_NAME")
        self.title = None
        self._hub_token = hub_token
        self._queue = deque()
        self._inflight = []
        self._max_queued = int(max_queued)
        self._batch = min(int(batch), MAX_REPORTS_PER_BATCH)
        self._timeout, self._pause, self._max_pause, self._clock = timeout, pause, max_pause, clock
        self._seq = 0
        self._lock = threading.Condition()
        self._closed = False
        self._connection = None
        self._joined = threading.Event()
        self.sent = 0  # records the server has acknowledged
        self.batches = 0  # requests that carried them
        self.dropped = 0  # records pushed out of a full queue, or refused by the server
        self.failures = 0  # requests that found no server (or a busy one) and were tried again
        self.keep_sent = False  # tests: keep every acknowledged record and its latency
        self.acknowledged = []  # the records the server acknowledged, as sent (when keep_sent)
        self.latencies = []  # seconds from the self-check to the server's acknowledgement (when keep_sent)
        self.state = "joining"
        self.problem = None  # the last failure, in words
        self._hook = self.listener  # one bound method, so that the self-check can remove what it added
        self._thread = threading.Thread(target=self._run, name=f"course-room-{self.code}", daemon=True)
        self._thread.start()

    # -- the learner's side: never waits, never raises

    def listener(self, example, result):
        """Queue the records of one self-check (the self-check's listener: returns at once, never raises)."""
        try:
            found = records_of(example, result, self.notebook)
        except Exception:  # a report we cannot read must never become the learner's failure
            log.exception("the room could not read this self-check")
            return
        if not found:
            return
        now = self._clock()
        with self._lock:
            if self._closed:
                return
            for record in found:
                if len(self._queue) >= self._max_queued:
                    self._queue.popleft()  # the oldest goes: the newest verdicts matter most to the dashboard
                    self.dropped += 1
                self._queue.append(_Queued(dict(record, id=secrets.token_hex(16)), now, self._seq))
                self._seq += 1
            self._lock.notify_all()

    @property
    def queued(self):
        """Records not yet acknowledged by the server (waiting, or on their way)."""
        return len(self._queue) + len(self._inflight)

    def status(self):
        """One line: where the reports go and how many are sent, waiting or dropped."""
        where = f"room {self.code}" + (f" ({self.title})" if self.title else "") + f" at {self.url}"
        counts = f"{self.sent} sent, {self.queued} waiting" + (f", {self.dropped} dropped" if self.dropped else "")
        problem = f" ({self.problem})" if self.problem and self.state != "reporting" else ""
        return f"{where}: {self.state}{problem}; {counts}"

    def flush(self, timeout=10.0):
        """Wait until every queued record is acknowledged (True) or ``timeout`` seconds have passed (False)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self.queued and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._lock.wait(left)
            return not self.queued

    def close(self, discard=True):
        """Stop the sender; the records still waiting are thrown away (``discard``) or left in ``queued``."""
        with self._lock:
            self._closed = True
            if discard:
                self._queue.clear()
                self._inflight = []
            self._lock.notify_all()
        self._thread.join(timeout=self._timeout + 1)
        if self.state not in ("closed by the instructor", "refused"):
            self.state = "left"

    def __repr__(self):
        return f"<Room {self.status()}>"

    def _repr_html_(self):
        if self.state in ("closed by the instructor", "refused", "left"):
            return f"<div class='course-room'><b>Not reporting</b>: {escape(self.status())}</div>"
        what = "the exercise, the quantity, the verdict and the named mistake of each self-check"
        return (
            # a dot, not an emoji: a browser without an emoji font (Debian's chromium) draws an emoji as a box
            f"<div class='course-room'><span style='color:#1a7f37'>●</span> <b>Reporting to {escape(self.status())}"
            "</b><br>"
            f"<small>Anonymous: {what}, under a random pseudonym. Not your numbers, your code or your name. "
            "<code>leave_room()</code> stops it.</small></div>"
        )

    # -- the background sender: one batch on its way at a time, resent until the server has it

    def _run(self):
        self._hello()
        self._joined.set()
        in_a_row = 0
        while True:
            with self._lock:
                while not self._queue and not self._inflight and not self._closed:
                    self._lock.wait()
                if self._closed:
                    return
                if not self._inflight:  # a batch that failed is sent again first, with the same ids
                    self._inflight = [self._queue.popleft() for _ in range(min(self._batch, len(self._queue)))]
                batch = self._inflight
            outcome = self._send(batch)
            with self._lock:
                if outcome != "retry":
                    self._inflight = []
                if outcome == "stop":
                    self.dropped += len(self._queue)
                    self._queue.clear()
                    self._closed = True
                self._lock.notify_all()
                if self._closed:
                    return
            if outcome == "retry":
                in_a_row += 1
                pause = min(self._max_pause, self._pause * 2 ** (in_a_row - 1)) * random.uniform(0.75, 1.25)
                with self._lock:
                    self._lock.wait_for(lambda: self._closed, timeout=pause)
            else:
                in_a_row = 0

    def _hello(self):
        """Ask the server for the room once at joining, so that a wrong code shows at once."""
        status, answer = self._request("GET", f"api/rooms/{self.code}")
        if status == 200:
            self.title = answer.get("title")
            self.state = "reporting"
        elif status in (401, 403, 404):
            self.state, self.problem = "refused", answer.get("error", f"the server answered {status}")
            with self._lock:
                self._closed = True
        else:
            self.state = "waiting for the server"
            self.problem = answer.get("error") or "the room's server does not answer yet"

    def _send(self, batch):
        """POST one batch; returns "stored", "retry", "refused" (this batch can never be taken) or "stop"."""
        now = self._clock()
        fresh = [q for q in batch if now - q.checked <= MAX_AGE]
        self.dropped += len(batch) - len(fresh)  # waited more than a week: no longer news
        if not fresh:
            return "stored"
        reports = [dict(q.record, seq=q.seq, age=round(max(now - q.checked, 0.0), 3)) for q in fresh]
        body = {"code": self.code, "learner": self.pseudonym, "session": self.session, "reports": reports}
        status, answer = self._request("POST", "api/reports", body)
        if status == 200:
            self.sent += len(reports)
            self.batches += 1
            if self.keep_sent:
                done = self._clock()
                self.acknowledged += reports
                self.latencies += [done - q.checked for q in fresh]
            self.state, self.problem = "reporting", None
            return "stored"
        if status in (401, 403, 404):  # no such room (closed, or a wrong code), or not allowed
            self.state = "closed by the instructor" if status == 404 else "refused"
            self.problem = answer.get("error", f"the server answered {status}")
            self.dropped += len(fresh)
            return "stop"
        if status in (400, 409, 413, 415, 422):  # this batch is wrong (a bug): drop it, keep the rest going
            self.problem = answer.get("error", f"the server answered {status}")
            log.warning("the room refused %d records: %s", len(fresh), self.problem)
            self.dropped += len(fresh)
            return "refused"
        self.state = "waiting for the server"
        self.problem = answer.get("error") or (f"the server answered {status}" if status else "no answer")
        self.failures += 1
        return "retry"

    def _request(self, method, path, body=None):
        """One HTTP request on a kept-alive connection; returns (status, JSON answer), (0, {...}) on failure."""
        parts = urlsplit(self.url)
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":")).encode()
            headers["Content-Type"] = "application/json"
        if self._hub_token:
            headers["Authorization"] = f"token {self._hub_token}"
        for attempt in (1, 2):  # a kept-alive connection the server has closed fails once: open a new one
            try:
                if self._connection is None:
                    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
                    self._connection = kind(parts.hostname, parts.port, timeout=self._timeout)
                self._connection.request(method, parts.path + path, body=data, headers=headers)
                response = self._connection.getresponse()
                raw = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self._drop_connection()
                try:
                    answer = json.loads(raw) if raw else {}
                except ValueError:
                    answer = {}
                return response.status, answer if isinstance(answer, dict) else {}
            except (OSError, http.client.HTTPException) as error:
                self._drop_connection()
                if attempt == 2 or isinstance(error, (TimeoutError, ConnectionRefusedError)):
                    return 0, {"error": f"cannot reach {self.url} ({type(error).__name__})"}
        return 0, {}

    def _drop_connection(self):
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _base_url(url):
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise RoomProblem(f"{url!r} is not the room's address: give it as shown, e.g. 'http://192.168.1.20:8765'")
    return url.rstrip("/") + "/"


# -- joining and leaving --------------------------------------------------------------------------

_current = None


def join_room(url=None, code=None, *, hub_token=None, **options):
    """Join the instructor's room: from now on this kernel's self-checks are reported, anonymously.

    ``url`` and ``code`` are the two parts of the join line the instructor
    shows.  Returns the :class:`Room`, which says in the notebook where it
    reports (joining again replaces the room joined before).  Waits at most
    two seconds, once, for the server to confirm the code; the self-checks
    themselves never wait.

    Without them, as the exercises write it (``join_room()``): the room this
    kernel is in already, else the one a hub names in the kernel's
    environment (``COURSE_ROOM_URL``, ``COURSE_ROOM_CODE``), else none: then it
    does nothing, shows nothing and returns None.
    """
    global _current
    if url is None and code is None:
        return _current if _current is not None else join_from_environment(say=False)
    if url is None or code is None:
        raise RoomProblem(
            'give both parts of the join line your instructor shows: join_room("http://192.168.1.20:8765", "K7QMX4")'
        )
    room = Room(url, code, hub_token=hub_token, **options)
    leave_room(quiet=True)
    _current = room
    add_listener(room._hook)  # the self-check calls it after every check (course_lib.selfcheck.listeners)
    room._joined.wait(timeout=2.0)
    return room


def leave_room(quiet=False):
    """Stop reporting (the records not sent yet are thrown away); returns what it did, in words."""
    global _current
    room, _current = _current, None
    if room is None:
        return None if quiet else "Not in a room: nothing is reported."
    remove_listener(room._hook)
    room.close(discard=True)
    return None if quiet else f"Left room {room.code}: nothing more is reported."


def current_room():
    """The room this kernel reports to, or None."""
    return _current


def join_from_environment(environ=None, say=True):
    """Join the room named by ``COURSE_ROOM_URL`` and ``COURSE_ROOM_CODE`` (set by a hub), and say so (``say``).

    On a JupyterHub the kernel's ``JUPYTERHUB_API_TOKEN`` goes with the
    reports, so that the room service knows them to come from the hub's
    learners.  Does nothing when the variables are not set, or when this
    kernel is in a room already.  A bad variable is reported, never raised.
    """
    environ = os.environ if environ is None else environ
    url, code = environ.get("COURSE_ROOM_URL"), environ.get("COURSE_ROOM_CODE")
    if not url or not code or _current is not None:
        return None
    try:
        room = join_room(url, code, hub_token=environ.get("JUPYTERHUB_API_TOKEN") or None)
    except RoomProblem as problem:
        print(f"The course room is not joined: {problem} (check COURSE_ROOM_URL and COURSE_ROOM_CODE).")
        return None
    if say:
        print(
            f"This notebook reports your self-checks to {room.status()}: anonymously (the exercise, the quantity, "
            "the verdict and the named mistake; never your numbers, code or name). leave_room() stops it."
        )
    return room


@atexit.register
def _last_chance():
    """At the kernel's exit, give the queue one second to go out."""
    if _current is not None:
        _current.flush(timeout=1.0)
