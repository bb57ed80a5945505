"""Where a room keeps its reports: SQLAlchemy, with SQLite by default and PostgreSQL by URL.

Three tables:

- ``rooms``: a room's code (what learners type), its title, the instructor's
  dashboard token and a secret for pseudonyms made on a hub;
- ``reports``: every record exactly as received, once: the primary key is
  the record's random id, so a batch sent twice is stored once;
- ``latest``: for each learner, exercise and quantity, the latest verdict,
  its named mistake and since when the verdict has been the same.  The
  dashboard counts from it, so its cost grows with the room, not with the day.

"Latest" is by the kernel's own order of checks (its ``seq``) within one
kernel session, and by the time of the check between two sessions of the
same learner (a restarted kernel).  The time of a check is the server's
clock at receipt minus the record's ``age`` (how long it waited in the
learner's queue), so learners' clocks never matter.

Writes go through one writer thread that stores the batches waiting together
in one transaction (group commit): a commit waits for the disk, and 300
learners reporting at once then wait for one disk write, not for 300.  A
batch is acknowledged only after its commit.

Deleting a room deletes its rows, then compacts the database (SQLite:
``VACUUM`` with ``secure_delete``; PostgreSQL: ``VACUUM``), so that the data is
gone from the file too, not only from the tables.
"""

import hmac
import queue
import secrets
import threading
import time
from collections import Counter
from concurrent.futures import Future
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    and_,
    case,
    create_engine,
    event,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite

from course_lib.room import new_code, normal_code

metadata = MetaData()

rooms = Table(
    "rooms",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(16), unique=True, nullable=False),
    Column("title", String(80), nullable=False),
    Column("token", String(64), nullable=False),  # the instructor's dashboard token
    Column("secret", String(64), nullable=False),  # the key of pseudonyms made from hub user names
    Column("created_at", Float, nullable=False),
    Column("reports", Integer, nullable=False, default=0),  # how many reports are stored
)

reports = Table(
    "reports",
    metadata,
    Column("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    Column("id", String(32), nullable=False),
    Column("learner", String(16), nullable=False),
    Column("session", String(16), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("exercise", String(60), nullable=False),
    Column("quantity", String(40), nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("mistake", String(60)),
    Column("checked_at", Float, nullable=False),
    Column("received_at", Float, nullable=False),
    PrimaryKeyConstraint("room_id", "id"),
)

latest = Table(
    "latest",
    metadata,
    Column("room_id", Integer, ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    Column("learner", String(16), nullable=False),
    Column("exercise", String(60), nullable=False),
    Column("quantity", String(40), nullable=False),
    Column("session", String(16), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("mistake", String(60)),
    Column("checked_at", Float, nullable=False),
    Column("since", Float, nullable=False),  # when this verdict began (for "stuck for how long")
    PrimaryKeyConstraint("room_id", "learner", "exercise", "quantity"),
)

_LATEST = ("room_id", "learner", "exercise", "quantity", "session", "seq", "verdict", "mistake", "checked_at")
CONTENT = ("learner", "exercise", "quantity", "verdict", "mistake", "session", "seq")


class Conflict(ValueError):
    """A record id already stored with other content: the whole batch is refused."""


class RoomGone(LookupError):
    """The room was closed (and its data deleted) while a batch for it was on its way."""


@dataclass(frozen=True)
class Room:
    id: int
    code: str
    title: str
    token: str
    secret: str
    created_at: float
    reports: int

    def token_matches(self, token):
        """True when ``token`` is this room's dashboard token (compared in constant time)."""
        return isinstance(token, str) and hmac.compare_digest(token.encode(), self.token.encode())

    def hub_pseudonym(self, user_name):
        """The pseudonym of a hub user in this room: a keyed hash of the name, never the name itself."""
        return hmac.new(self.secret.encode(), user_name.encode(), "sha256").hexdigest()[:16]


def _sqlite_pragmas(connection, _record):
    cursor = connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=10000", "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten, not left in free pages
    cursor.close()


class Store:
    """A room database at ``url`` (``sqlite:///room.sqlite``, ``postgresql+psycopg://user@host/db``).

    The tables are created when missing.  Every method is synchronous and
    thread-safe; the web app calls them from a thread pool.
    """

    def __init__(self, url):
        self.url = url
        self.engine = create_engine(url, pool_pre_ping=True)
        self.dialect = self.engine.dialect.name
        if self.dialect not in ("sqlite", "postgresql"):
            raise ValueError(f"the room keeps its data in SQLite or PostgreSQL, not {self.dialect} ({url})")
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        # SQLite takes one writer at a time: waiting here is fairer and faster than its busy loop
        self._write = threading.Lock() if self.dialect == "sqlite" else _NoLock()
        # each commit waits for the disk (fsync): one writer thread commits the batches that arrive together
        # in one transaction (group commit), in SQLite and in PostgreSQL alike
        self._writer = _GroupCommit(self)
        self._insert = sqlite.insert if self.dialect == "sqlite" else postgresql.insert
        self._upsert_latest = self._build_upsert()
        metadata.create_all(self.engine)

    def close(self):
        self._writer.stop()
        self.engine.dispose()

    # -- rooms

    def create_room(self, title="Workshop", code=None, now=0.0):
        """Open a room and return it; ``code`` is made at random unless given."""
        code = normal_code(code) if code else new_code()
        with self._write, self.engine.begin() as conn:
            if conn.execute(select(rooms.c.id).where(rooms.c.code == code)).first():
                raise ValueError(f"a room with the code {code} is open already")
            conn.execute(
                rooms.insert().values(
                    code=code,
                    title=str(title)[:80],
                    token=secrets.token_urlsafe(24),
                    secret=secrets.token_hex(32),
                    created_at=now,
                    reports=0,
                )
            )
        return self.room(code)

    def room(self, code):
        """The open room with this code, or None."""
        try:
            code = normal_code(code)
        except ValueError:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(rooms).where(rooms.c.code == code)).mappings().first()
        return Room(**row) if row else None

    def rooms(self):
        with self.engine.connect() as conn:
            return [Room(**row) for row in conn.execute(select(rooms).order_by(rooms.c.id)).mappings()]

    def delete_room(self, code):
        """Close a room: delete it and every report of it, then compact; returns the number of reports deleted."""
        room = self.room(code)
        if room is None:
            raise KeyError(f"no open room has the code {code!r}")
        with self._write:
            with self.engine.begin() as conn:
                deleted = conn.execute(reports.delete().where(reports.c.room_id == room.id)).rowcount
                conn.execute(latest.delete().where(latest.c.room_id == room.id))
                conn.execute(rooms.delete().where(rooms.c.id == room.id))
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM"))
                if self.dialect == "sqlite":  # and empty the write-ahead log, which still holds the old pages
                    for _ in range(50):
                        if conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)")).first()[0] == 0:
                            break
                        time.sleep(0.1)  # a reader is still in the log: wait for it to finish
        return deleted

    # -- reports

    def add(self, room, learner, session, records, received_at):
        """Store a batch of one learner's records; returns ``(stored, already_stored)`` once it is committed.

        ``records``: dicts with id, exercise, quantity, verdict, mistake, seq,
        age (checked by :mod:`course_room.reports`).  A record whose id is
        stored already counts as already stored when its content is the same;
        with other content the whole batch is refused (:class:`Conflict`) and
        nothing of it is stored.
        """
        return self.add_later(room, learner, session, records, received_at).result()

    def add_later(self, room, learner, session, records, received_at):
        """:meth:`add` without waiting: returns a ``concurrent.futures.Future`` of its result.

        The web app awaits it (``asyncio.wrap_future``), so no thread waits while the disk does.
        """
        rows = [
            {
                "room_id": room.id,
                "id": r["id"],
                "learner": learner,
                "session": session,
                "seq": r["seq"],
                "exercise": r["exercise"],
                "quantity": r["quantity"],
                "verdict": r["verdict"],
                "mistake": r["mistake"],
                "checked_at": received_at - r["age"],
                "received_at": received_at,
            }
            for r in records
        ]
        return self._writer.submit(room, rows)

    def _add_group(self, conn, group):
        """Store batches ``[(room, rows), ...]`` in the open transaction ``conn``, with a few statements for all.

        Every batch is checked before anything is written: one for a closed room (:class:`RoomGone`) or with
        a stored id whose content differs (:class:`Conflict`) is refused whole, the others are stored.
        Returns, per batch, ``(stored, already_stored)`` or the exception that refused it.
        """
        room_ids = {room.id for room, _ in group}
        open_rooms = set(conn.execute(select(rooms.c.id).where(rooms.c.id.in_(room_ids))).scalars())
        ids = [row["id"] for _, rows in group for row in rows]
        stored = {
            (row["room_id"], row["id"]): row
            for row in conn.execute(
                select(reports).where(reports.c.room_id.in_(room_ids), reports.c.id.in_(ids))
            ).mappings()
        }
        outcomes, fresh = [], []
        for room, rows in group:
            if room.id not in open_rooms:
                outcomes.append(RoomGone(room.code))
                continue
            earlier = [stored.get((room.id, row["id"])) for row in rows]
            if any(old is not None and any(old[k] != row[k] for k in CONTENT) for old, row in zip(earlier, rows)):
                outcomes.append(Conflict("a report id of this batch is stored already, with other content"))
                continue
            new = [row for old, row in zip(earlier, rows) if old is None]
            stored.update({(room.id, row["id"]): row for row in new})  # a twin batch later in this group
            fresh += new
            outcomes.append((len(new), len(rows) - len(new)))
        if fresh:  # DO NOTHING: a twin batch stored by a concurrent transaction (PostgreSQL) is not stored again
            inserted = conn.execute(
                self._insert(reports).on_conflict_do_nothing().returning(reports.c.room_id, reports.c.id), fresh
            ).all()
            new = set(map(tuple, inserted))
            if len(new) < len(fresh):  # only PostgreSQL, racing another transaction: count what this one stored
                outcomes = _recount(group, outcomes, new)
            fresh = [row for row in fresh if (row["room_id"], row["id"]) in new]
            self._update_latest(conn, fresh)
            for room_id, count in Counter(row["room_id"] for row in fresh).items():
                conn.execute(rooms.update().where(rooms.c.id == room_id).values(reports=rooms.c.reports + count))
        return outcomes

    def _update_latest(self, conn, rows):
        """Fold new records into ``latest``, in each kernel's order: one statement for a whole round of keys.

        A round holds each (room, learner, exercise, quantity) at most once (a second check of the same
        quantity goes to the next round), so that every dialect applies them in order.
        """
        rounds, seen = [], Counter()
        for row in sorted(rows, key=lambda r: (r["session"], r["seq"])):
            key = (row["room_id"], row["learner"], row["exercise"], row["quantity"])
            if seen[key] == len(rounds):
                rounds.append([])
            rounds[seen[key]].append({**{k: row[k] for k in _LATEST}, "since": row["checked_at"]})
            seen[key] += 1
        for values in rounds:
            conn.execute(self._upsert_latest, values)

    def _build_upsert(self):
        insert = self._insert(latest)
        new, old = insert.excluded, latest.c
        later = or_(
            and_(new.session == old.session, new.seq > old.seq),
            and_(new.session != old.session, new.checked_at >= old.checked_at),
        )
        return insert.on_conflict_do_update(
            index_elements=["room_id", "learner", "exercise", "quantity"],
            set_={
                "session": new.session,
                "seq": new.seq,
                "verdict": new.verdict,
                "mistake": new.mistake,
                "checked_at": new.checked_at,
                "since": case((old.verdict == new.verdict, old.since), else_=new.checked_at),
            },
            where=later,
        )

    def reports_of(self, room):
        """Every stored report of a room, in the order received (for tests and exports)."""
        with self.engine.connect() as conn:
            query = select(reports).where(reports.c.room_id == room.id).order_by(reports.c.received_at, reports.c.seq)
            return [dict(row) for row in conn.execute(query).mappings()]

    # -- the dashboard's figures

    def summary(self, room, now, active_for=600.0):
        """The dashboard's figures for a room (see :func:`course_room.summary.summarise`)."""
        from .summary import summarise

        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    latest.c.learner,
                    latest.c.exercise,
                    latest.c.quantity,
                    latest.c.verdict,
                    latest.c.mistake,
                    latest.c.checked_at,
                    latest.c.since,
                ).where(latest.c.room_id == room.id)
            ).all()
            total = conn.execute(select(rooms.c.reports).where(rooms.c.id == room.id)).scalar()
            last = conn.execute(select(func.max(latest.c.checked_at)).where(latest.c.room_id == room.id)).scalar()
        if total is None:
            raise KeyError(f"no open room has the code {room.code!r}")
        return summarise(room, rows, total, last, now, active_for)


class _GroupCommit:
    """SQLite's writer: takes the batches waiting, stores them in one transaction, one fsync for all.

    A batch that is refused (a conflict, a closed room) is checked before anything of it is written, so
    the others of its group are stored all the same.  Nothing is acknowledged before the commit.
    """

    MAX_GROUP = 64

    def __init__(self, store):
        self.store = store
        self.waiting = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="course-room-writer", daemon=True)
        self.thread.start()

    def submit(self, room, rows):
        done = Future()
        self.waiting.put((room, rows, done))
        return done

    def stop(self):
        self.waiting.put(None)
        self.thread.join(timeout=10)

    def _run(self):
        while True:
            group = [self.waiting.get()]
            while len(group) < self.MAX_GROUP and group[-1] is not None:
                try:
                    group.append(self.waiting.get_nowait())
                except queue.Empty:
                    break
            stop = group[-1] is None
            group = [item for item in group if item is not None]
            if group:
                self._store(group)
            if stop:
                return

    def _store(self, group):
        try:
            with self.store._write, self.store.engine.begin() as conn:
                outcomes = self.store._add_group(conn, [(room, rows) for room, rows, _ in group])
        except Exception as failure:  # nothing of the group is stored: every batch is answered 500, and resent
            outcomes = [failure] * len(group)  # (a room deleted meanwhile by another process is found then)
        for (_, _, done), outcome in zip(group, outcomes):
            if isinstance(outcome, Exception):
                done.set_exception(outcome)
            else:
                done.set_result(outcome)


def _recount(group, outcomes, inserted):
    """Per batch, what this transaction really stored, when a concurrent one stored some of the same ids."""
    counted = []
    for (room, rows), outcome in zip(group, outcomes):
        if isinstance(outcome, Exception):
            counted.append(outcome)
        else:
            mine = sum((room.id, row["id"]) in inserted for row in rows)
            counted.append((mine, len(rows) - mine))
    return counted


class _NoLock:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
