"""``python -m course_room``: open a room and serve it, list rooms, close a room and delete its data.

    python -m course_room serve [--lan] [--port 8765] [--title "Workshop"] [--code CODE] [--db URL]
    python -m course_room serve --hub --code CODE      (started by JupyterHub as a managed service)
    python -m course_room list [--db URL]
    python -m course_room close CODE [--db URL]

``--db`` (or ``COURSE_ROOM_DB``) is an SQLAlchemy URL: by default the SQLite
file ``room-data/room.sqlite`` in the current folder; on a hub, e.g.
``postgresql+psycopg://room@db.example/room``.  ``serve`` listens on this
computer only (127.0.0.1) unless given ``--lan`` (every interface, for a room
of laptops on one network) or ``--host``.  It keeps no access log: the room
records no addresses.
"""

import argparse
import json
import os
import socket
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

DEFAULT_DB = "sqlite:///room-data/room.sqlite"
DEFAULT_PORT = 8765


def _store(url):
    from .store import Store

    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    return Store(url)


def lan_address():
    """This computer's address on its local network (a UDP socket is connected, nothing is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 9))
            return probe.getsockname()[0]
        except OSError:
            return socket.gethostbyname(socket.gethostname())


def serve(args):
    import uvicorn

    from .app import Settings, create_app

    hub = None
    prefix = "/"
    host, port = args.host or ("0.0.0.0" if args.lan else "127.0.0.1"), args.port
    if args.hub:
        from .hub import HubGate

        service_url = os.environ.get("JUPYTERHUB_SERVICE_URL")
        if not service_url or not os.environ.get("JUPYTERHUB_API_TOKEN"):
            sys.exit("--hub: start the room as a JupyterHub service (JUPYTERHUB_SERVICE_URL and _API_TOKEN unset)")
        if not args.code:
            sys.exit("--hub needs --code: the room code the hub also gives learners' kernels (COURSE_ROOM_CODE)")
        parts = urlsplit(service_url)
        host, port = parts.hostname, parts.port
        prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
        hub = HubGate(instructors=args.instructors)

    store = _store(args.db)
    if args.code:
        rooms = [store.room(args.code) or store.create_room(args.title, args.code, now=time.time())]
    else:
        rooms = store.rooms() or [store.create_room(args.title, now=time.time())]

    # proto=IPPROTO_TCP: asyncio then sets TCP_NODELAY on each connection (else Nagle's algorithm and delayed
    # acknowledgements hold every small answer back for 40 ms)
    listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restarted room takes its port back at once
    try:
        listener.bind((host, port))
    except OSError as problem:
        sys.exit(f"cannot listen on {host}:{port} ({problem.strerror}): is a room running already? Try --port")
    listener.listen(2048)  # from now on connections wait in the backlog until the app serves them
    port = listener.getsockname()[1]
    shown = lan_address() if host in ("0.0.0.0", "::") else host
    public_url = os.environ.get("COURSE_ROOM_PUBLIC_URL") or f"http://{shown}:{port}"
    settings = Settings(store=store, public_url=public_url, hub=hub, prefix=prefix)

    for room in rooms:
        _announce(room, public_url, prefix, hub, args, store.url)
    if args.json:  # one line for programs that start the room (the tests)
        print(json.dumps({"url": public_url, "port": port, "rooms": {r.code: r.token for r in rooms}}), flush=True)

    config = uvicorn.Config(
        create_app(settings), log_level="warning", access_log=False, timeout_graceful_shutdown=2, lifespan="off"
    )
    try:
        uvicorn.Server(config).run(sockets=[listener])
    except KeyboardInterrupt:  # a second Ctrl-C: stop at once, quietly
        pass
    finally:
        store.close()


def _announce(room, public_url, prefix, hub, args, db):
    dashboard = f"{public_url}{prefix}rooms/{room.code}/"
    lines = [f"Room {room.code} ({room.title}) is open."]
    if hub:
        lines += [
            "Learners' kernels join by themselves (COURSE_ROOM_URL and COURSE_ROOM_CODE in c.Spawner.environment).",
            f"Dashboard (hub log-in, group {args.instructors!r}): {dashboard}",
        ]
    else:
        lines += [
            "Learners: run this line at the top of the exercise (show it on the projector):",
            f'    from course_lib import join_room; join_room("{public_url}", "{room.code}")',
            "Your dashboard (keep this link to yourself: it holds the instructor's key):",
            f"    {dashboard}?token={room.token}",
        ]
        if not args.lan and not args.host:
            lines.append(
                "Only this computer can reach the room. For a room of laptops on your network: make room LAN=1"
            )
    lines += [f"Data: {db}", f"Close the room and delete its data: make room-close CODE={room.code}", ""]
    print("\n".join(lines), flush=True)


def list_rooms(args):
    store = _store(args.db)
    rooms = store.rooms()
    if not rooms:
        print(f"No open rooms in {store.url}.")
    for room in rooms:
        opened = time.strftime("%Y-%m-%d %H:%M", time.localtime(room.created_at))
        print(f"{room.code}  {room.title!r}  opened {opened}, {room.reports} reports")
    store.close()


def close_room(args):
    store = _store(args.db)
    if not args.code:
        codes = ", ".join(r.code for r in store.rooms()) or "none"
        store.close()
        sys.exit(f"give the code of the room to close: make room-close CODE=... (open rooms: {codes})")
    try:
        deleted = store.delete_room(args.code)
    except (KeyError, ValueError) as problem:
        codes = ", ".join(r.code for r in store.rooms()) or "none"
        sys.exit(f"{problem.args[0]} (open rooms: {codes})")
    finally:
        store.close()
    print(f"Room {args.code.upper()} is closed: it and its {deleted} reports are deleted from {store.url}.")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m course_room", description=__doc__.split("\n")[0])
    parser.add_argument("--db", default=os.environ.get("COURSE_ROOM_DB", DEFAULT_DB), help="SQLAlchemy URL")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("serve", help="open a room (if none is open) and serve it")
    run.add_argument("--lan", action="store_true", help="listen on the local network, not only on this computer")
    run.add_argument("--host", help="the address to listen on (default 127.0.0.1; with --lan 0.0.0.0)")
    run.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}; 0 picks a free one")
    run.add_argument("--title", default="Workshop", help="the room's title on the dashboard")
    run.add_argument("--code", help="the room code (made at random by default)")
    run.add_argument("--hub", action="store_true", help="run as a JupyterHub service")
    run.add_argument("--instructors", default="instructors", help="on a hub: the group let into the dashboard")
    run.add_argument("--json", action="store_true", help="also print the addresses as one JSON line")
    commands.add_parser("list", help="list the open rooms")
    shut = commands.add_parser("close", help="close a room and delete its data")
    shut.add_argument("code", nargs="?")
    args = parser.parse_args(argv)
    {"serve": serve, "list": list_rooms, "close": close_room}[args.command](args)


if __name__ == "__main__":
    main()
