"""The room's web app (Starlette): reports in, live figures out.

Routes, under the prefix (``/`` on a laptop, ``/services/room/`` on a hub):

- ``GET  api/rooms/CODE``: is there an open room with this code? (what ``join_room`` asks first)
- ``POST api/reports``: a batch of one learner's reports (see :mod:`course_room.reports`);
  answers ``{"stored": n, "already_stored": m}``, or an error ``{"error": "..."}`` and stores nothing;
- ``GET  rooms/CODE/``: the dashboard (the instructor's token, or a hub log-in);
- ``GET  rooms/CODE/events``: the live figures, as server-sent events (``summary``, then ``closed``);
- ``GET  api/rooms/CODE/summary``: the same figures once, as JSON;
- ``POST rooms/CODE/close``: close the room and delete its data.

On a laptop the dashboard's key is the room's token: the link ``make room``
prints carries it once (``?token=...``); the page then keeps it in a cookie
and drops it from the address bar.  On a hub, see :mod:`course_room.hub`.
"""

import asyncio
import json
import time
from dataclasses import dataclass
from importlib import resources

import anyio
from sse_starlette import EventSourceResponse
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route

from course_lib.room import MAX_BATCH_BYTES

from .reports import BadBatch, read_batch
from .store import Conflict, RoomGone

THROTTLE = 0.5  # seconds: a dashboard gets at most two summaries a second, however busy the room
HEARTBEAT = 10.0  # seconds: figures are sent again this often anyway (the "stuck for" times, a closed room)
ROOM_CACHE = 1.0  # seconds a room found by its code is taken as still open (a report to a closed one fails anyway)


@dataclass
class Settings:
    """What the app needs: the store, the address learners join at, and, on a hub, the hub gate."""

    store: object
    public_url: str = ""
    hub: object = None  # a course_room.hub.HubGate on a JupyterHub
    prefix: str = "/"


class Changes:
    """Wakes the live streams of a room when a batch for it is stored (all on the event loop's thread)."""

    def __init__(self):
        self._events = {}

    def notify(self, room_id):
        event = self._events.pop(room_id, None)
        if event is not None:
            event.set()

    async def wait(self, room_id, timeout, stop):
        """Wait for a change in the room, for ``timeout`` seconds at most, or until ``stop`` is set."""
        event = self._events.setdefault(room_id, asyncio.Event())
        with anyio.move_on_after(timeout):
            async with anyio.create_task_group() as waiting:

                async def until(happened):
                    await happened.wait()
                    waiting.cancel_scope.cancel()

                waiting.start_soon(until, event)
                waiting.start_soon(until, stop)


def error(status, message):
    return JSONResponse({"error": message}, status_code=status)


def _page(name):
    return resources.files("course_room").joinpath("static", name).read_text(encoding="utf-8")


def create_app(settings):
    store, hub = settings.store, settings.hub
    changes = Changes()
    cookie_path = settings.prefix
    known = {}  # code -> (room, when looked up): a busy room is looked up once a second, not per report

    async def find_room(code, fresh=False):
        room, when = known.get(code, (None, 0.0))
        if fresh or time.monotonic() - when > ROOM_CACHE:
            room = await run_in_threadpool(store.room, code)
            known[code] = (room, time.monotonic())
        return room

    # -- learners

    async def room_info(request):
        if hub and not await hub.learner(request.headers.get("authorization")):
            return error(401, "this room is on JupyterHub: report from a kernel of the hub")
        room = await find_room(request.path_params["code"])
        if room is None:
            return error(404, f"no open room has the code {request.path_params['code']!r}: check the join line")
        return JSONResponse({"code": room.code, "title": room.title})

    async def post_reports(request):
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return error(415, "send the reports as application/json")
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > MAX_BATCH_BYTES:
            return error(413, f"a batch is at most {MAX_BATCH_BYTES} bytes; this one has {length}")
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BATCH_BYTES:
                return error(413, f"a batch is at most {MAX_BATCH_BYTES} bytes")
        try:
            batch = read_batch(body, learner_required=hub is None)
        except BadBatch as bad:
            return error(bad.status, str(bad))
        user = None
        if hub:
            user = await hub.learner(request.headers.get("authorization"))
            if user is None:
                return error(401, "this room is on JupyterHub: reports need the kernel's hub token")
        room = await find_room(batch.code)
        if room is None:
            return error(404, f"no open room has the code {batch.code!r}: check the join line, or the room is closed")
        learner = room.hub_pseudonym(user) if user else batch.learner
        try:
            later = store.add_later(room, learner, batch.session, batch.reports, time.time())
            stored, repeated = await asyncio.wrap_future(later)
        except Conflict as conflict:
            return error(409, str(conflict))
        except RoomGone:
            known.pop(batch.code, None)
            return error(404, f"no open room has the code {batch.code!r}: the room is closed")
        if stored:
            changes.notify(room.id)
        return JSONResponse({"stored": stored, "already_stored": repeated})

    # -- instructors

    async def instructor_room(request):
        """The room of the request, if the request may see its dashboard: (room, None) or (None, response)."""
        code = request.path_params["code"]
        room = await find_room(code, fresh=True)
        if hub:
            allowed = hub.instructor(request.cookies.get("course_room_session"))
        else:
            token = request.cookies.get(f"course_room_{room.code}") if room else None
            header = request.headers.get("authorization", "")
            if header.lower().startswith("bearer "):
                token = header[7:].strip()
            allowed = room is not None and room.token_matches(token)
        if room is None:
            return None, error(404, f"no open room has the code {code!r}")
        if not allowed:
            why = "log in to the hub as an instructor" if hub else "open the dashboard link printed by make room"
            return None, error(403, f"this is the instructor's dashboard: {why}")
        return room, None

    async def dashboard(request):
        code = request.path_params["code"]
        token = request.query_params.get("token")
        if token is not None and not hub:
            room = await find_room(code, fresh=True)
            if room is None or not room.token_matches(token):
                return error(403, "this dashboard link is not (or no longer) valid: use the one make room printed")
            keep = RedirectResponse(request.url.remove_query_params("token"), status_code=303)
            keep.set_cookie(f"course_room_{room.code}", token, path=cookie_path, httponly=True, samesite="lax")
            return keep
        room, refused = await instructor_room(request)
        if refused and hub and refused.status_code == 403:
            url, state = hub.login_redirect(str(request.url.path))
            login = RedirectResponse(url, status_code=302)
            login.set_cookie("course_room_oauth_state", state, path=cookie_path, httponly=True, samesite="lax")
            return login
        if refused:
            return HTMLResponse(_refusal(json.loads(refused.body)["error"]), status_code=refused.status_code)
        join = (
            "learners join by themselves (the hub sets COURSE_ROOM_URL and COURSE_ROOM_CODE)"
            if hub
            else f'from course_lib import join_room; join_room("{settings.public_url}", "{room.code}")'
        )
        page = _page("dashboard.html").replace("{{code}}", room.code).replace("{{join}}", _html(join))
        return HTMLResponse(page.replace("{{title}}", _html(room.title)))

    async def summary(request):
        room, refused = await instructor_room(request)
        if refused:
            return refused
        try:
            figures = await run_in_threadpool(store.summary, room, time.time())
        except KeyError as gone:
            return error(404, gone.args[0])
        return JSONResponse(figures)

    async def events(request):
        room, refused = await instructor_room(request)
        if refused:
            return refused

        stop = anyio.Event()  # set by sse-starlette when the server shuts down: the stream then ends cleanly

        async def stream():
            while not stop.is_set():
                try:
                    figures = await run_in_threadpool(store.summary, room, time.time())
                except KeyError:
                    yield {"event": "closed", "data": json.dumps({"code": room.code})}
                    return
                yield {"event": "summary", "data": json.dumps(figures)}
                await changes.wait(room.id, HEARTBEAT, stop)
                await asyncio.sleep(THROTTLE)

        return EventSourceResponse(stream(), ping=15, shutdown_event=stop, shutdown_grace_period=1.0)

    async def close(request):
        room, refused = await instructor_room(request)
        if refused:
            return refused
        deleted = await run_in_threadpool(store.delete_room, room.code)
        known.pop(room.code, None)
        changes.notify(room.id)
        return JSONResponse({"closed": room.code, "deleted_reports": deleted})

    async def oauth_callback(request):
        try:
            session, next_url = await hub.finish_login(
                request.query_params.get("code", ""),
                request.query_params.get("state"),
                request.cookies.get("course_room_oauth_state"),
            )
        except PermissionError as refusal:
            return HTMLResponse(_refusal(str(refusal)), status_code=403)
        done = RedirectResponse(next_url, status_code=302)
        done.set_cookie("course_room_session", session, path=cookie_path, httponly=True, samesite="lax")
        done.delete_cookie("course_room_oauth_state", path=cookie_path)
        return done

    async def home(request):
        return PlainTextResponse(
            "The course's room server. Learners: join with the line your instructor shows. "
            "Instructors: open the dashboard link printed by make room.\n"
        )

    async def static(request):
        name = request.path_params["name"]
        kinds = {"dashboard.js": "text/javascript", "dashboard.css": "text/css"}
        if name not in kinds:
            return error(404, f"no file {name!r}")
        return Response(_page(name), media_type=kinds[name], headers={"Cache-Control": "no-cache"})

    routes = [
        Route("/", home),
        Route("/api/rooms/{code}", room_info),
        Route("/api/reports", post_reports, methods=["POST"]),
        Route("/api/rooms/{code}/summary", summary),
        Route("/rooms/{code}/", dashboard),
        Route("/rooms/{code}/events", events),
        Route("/rooms/{code}/close", close, methods=["POST"]),
        Route("/static/{name}", static),
    ]
    if hub:
        routes.append(Route("/oauth_callback", oauth_callback))
    if settings.prefix.strip("/"):
        routes = [Mount("/" + settings.prefix.strip("/"), routes=routes)]
    return Starlette(routes=routes)


def _html(text):
    from html import escape

    return escape(text)


def _refusal(message):
    return (
        "<!doctype html><meta charset='utf-8'><title>Course room</title>"
        f"<body style='font:18px system-ui;margin:3em'><h1>Course room</h1><p>{_html(message)}</p></body>"
    )
