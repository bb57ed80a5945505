"""course_room: the instructor's live, anonymous view of where a room of learners is stuck.

Not part of the learners' library: learners only need ``course_lib.room`` (the
standard library's HTTP), while this server needs the ``[room]`` extra
(Starlette, uvicorn, sse-starlette, SQLAlchemy; ``[room-hub]`` adds JupyterHub's
service client and the PostgreSQL driver).

- :mod:`course_room.reports`: what a batch of reports must look like (else it is refused whole);
- :mod:`course_room.store`: the tables, in SQLite or PostgreSQL through SQLAlchemy;
- :mod:`course_room.summary` and :mod:`course_room.course`: the dashboard's figures, in the course's order;
- :mod:`course_room.app`: the web app (Starlette, server-sent events);
- :mod:`course_room.hub`: the JupyterHub service's log-in and tokens;
- :mod:`course_room.__main__`: ``python -m course_room serve | close | list`` (``make room``, ``make room-close``).
"""

import os

# The server is not a learner: it must not join a room named in its environment when it imports course_lib.
os.environ.pop("COURSE_ROOM_URL", None)
