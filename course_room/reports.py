"""The checks a batch of reports passes before anything of it is stored.

A batch is one JSON object, as ``course_lib.room`` sends it::

    {"code": "K7QMX4", "learner": "<16 hex>", "session": "<16 hex>",
     "reports": [{"id": "<32 hex>", "exercise": "mazur", "quantity": "net_h1",
                  "verdict": "incorrect", "mistake": "bias-left-out", "seq": 7, "age": 0.2}, ...]}

Anything else is refused whole, with an HTTP status and a sentence naming
what was expected: not JSON (400), no room code (401), a field missing, of
the wrong type or out of its pattern, an unknown field (422: a field we do
not know could carry what we promise never to store), more than
``MAX_REPORTS_PER_BATCH`` reports or more than ``MAX_BATCH_BYTES`` bytes (413).
The limits and patterns are those of :mod:`course_lib.room`, which makes the
reports.
"""

import json
import math
from dataclasses import dataclass

from course_lib.room import (
    EXERCISE_PATTERN,
    ID_PATTERN,
    MAX_AGE,
    MAX_BATCH_BYTES,
    MAX_MISTAKE,
    MAX_REPORTS_PER_BATCH,
    MISTAKE_PATTERN,
    PSEUDONYM_PATTERN,
    QUANTITY_PATTERN,
    RECORD_FIELDS,
    VERDICTS,
    RoomProblem,
    normal_code,
)

BATCH_FIELDS = ("code", "learner", "session", "reports")
MAX_SEQ = 2**53


class BadBatch(ValueError):
    """A batch refused whole: ``status`` is the HTTP status, the message says what was expected."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Batch:
    code: str
    learner: str | None  # None when the hub names the learner
    session: str
    reports: list


def read_batch(body, *, learner_required=True):
    """Check a request body (bytes) and return the :class:`Batch`, or raise :class:`BadBatch`."""
    if len(body) > MAX_BATCH_BYTES:
        raise BadBatch(413, f"a batch is at most {MAX_BATCH_BYTES} bytes; this one has {len(body)}")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadBatch(400, "the body is not JSON: send one object with code, learner, session and reports") from None
    if not isinstance(data, dict):
        raise BadBatch(400, f"send one JSON object with {', '.join(BATCH_FIELDS)}, not a {type(data).__name__}")
    code = data.get("code")
    if code in (None, ""):
        raise BadBatch(401, "no room code: join with join_room(url, code), the code shown by the instructor")
    try:
        code = normal_code(code)
    except RoomProblem as problem:
        raise BadBatch(422, str(problem)) from None
    unknown = sorted(set(data) - set(BATCH_FIELDS))
    if unknown:
        raise BadBatch(422, f"unknown fields {unknown}: a batch has only {', '.join(BATCH_FIELDS)}")
    learner = data.get("learner")
    if learner is not None or learner_required:
        learner = _hex("learner", learner, PSEUDONYM_PATTERN, 16)
    session = _hex("session", data.get("session"), PSEUDONYM_PATTERN, 16)
    records = data.get("reports")
    if not isinstance(records, list) or not records:
        raise BadBatch(422, "reports must be a non-empty list of reports")
    if len(records) > MAX_REPORTS_PER_BATCH:
        raise BadBatch(413, f"a batch holds at most {MAX_REPORTS_PER_BATCH} reports; this one has {len(records)}")
    checked = [_record(k, r) for k, r in enumerate(records)]
    ids = [r["id"] for r in checked]
    if len(set(ids)) != len(ids):
        raise BadBatch(422, "two reports of this batch have the same id: every report needs its own")
    return Batch(code, learner, session, checked)


def _hex(name, value, pattern, digits):
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise BadBatch(422, f"{name} must be {digits} lower-case hexadecimal digits, got {_shown(value)}")
    return value


def _record(k, record):
    where = f"report {k}"
    if not isinstance(record, dict):
        raise BadBatch(422, f"{where} must be an object with {', '.join(RECORD_FIELDS)}")
    missing = [f for f in RECORD_FIELDS if f not in record]
    unknown = sorted(set(record) - set(RECORD_FIELDS))
    if missing or unknown:
        what = f"lacks {missing}" if missing else f"has unknown fields {unknown}"
        raise BadBatch(422, f"{where} {what}: a report has exactly {', '.join(RECORD_FIELDS)}")
    _hex(f"{where}: id", record["id"], ID_PATTERN, 32)
    _text(where, "exercise", record["exercise"], EXERCISE_PATTERN, "a course network's name, e.g. 'mazur'")
    _text(where, "quantity", record["quantity"], QUANTITY_PATTERN, "a quantity's name, e.g. 'net_h1' or 'dE/dw5'")
    if record["verdict"] not in VERDICTS:
        raise BadBatch(422, f"{where}: verdict must be one of {', '.join(VERDICTS)}; got {_shown(record['verdict'])}")
    mistake = record["mistake"]
    if mistake is not None:
        _text(where, "mistake", mistake, MISTAKE_PATTERN, "null or a kebab-case id such as 'update-sign'")
        if len(mistake) > MAX_MISTAKE:
            raise BadBatch(422, f"{where}: mistake is at most {MAX_MISTAKE} characters")
        if record["verdict"] != "incorrect":
            raise BadBatch(422, f"{where}: only an incorrect verdict names a mistake")
    seq, age = record["seq"], record["age"]
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 <= seq < MAX_SEQ:
        raise BadBatch(422, f"{where}: seq must be a whole number from 0, got {_shown(seq)}")
    if not isinstance(age, (int, float)) or isinstance(age, bool) or not math.isfinite(age) or not 0 <= age <= MAX_AGE:
        raise BadBatch(422, f"{where}: age must be the seconds the report waited, 0 to {MAX_AGE:g}; got {_shown(age)}")
    return {**record, "age": float(age)}


def _text(where, name, value, pattern, expected):
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise BadBatch(422, f"{where}: {name} must be {expected}; got {_shown(value)}")


def _shown(value):
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
