# The course room as a JupyterHub service: add this to jupyterhub_config.py (or load it from there with
# load_subconfig("/path/to/jupyterhub_room.py")).  See docs/instructor-guide.md, section 7, "The room on a hub".
#
# The hub starts the room with its own API token and OAuth client; learners' kernels report with their
# hub tokens (no code to type); the dashboard is behind the hub's log-in, for the instructors' group only.
# The room's Python needs the course installed with its hub extra:  pip install "course_lib[room-hub]"
# (tests/test_room_hub.py starts a real JupyterHub with exactly this file.)
import os
import sys

c = get_config()  # noqa: F821 (JupyterHub's config files get get_config from traitlets)

ROOM_CODE = os.environ.get("COURSE_ROOM_CODE", "NNBYHAND")  # names the room; learners never type it here
ROOM_DB = os.environ.get("COURSE_ROOM_DB", "sqlite:////srv/course-room/room.sqlite")  # or postgresql+psycopg://...
ROOM_PORT = int(os.environ.get("COURSE_ROOM_SERVICE_PORT", "10101"))
INSTRUCTORS = os.environ.get("COURSE_ROOM_INSTRUCTORS", "instructors")  # the hub group let into the dashboard
# Where learners' kernels reach the room: the service directly (kernels on the hub's machine, as on TLJH),
# or through the proxy (https://<hub>/services/room/) when servers run elsewhere (Kubernetes).
ROOM_URL = os.environ.get("COURSE_ROOM_URL", f"http://127.0.0.1:{ROOM_PORT}/services/room/")

c.JupyterHub.services.append(
    {
        "name": "room",
        "url": f"http://127.0.0.1:{ROOM_PORT}",
        "command": [sys.executable, "-m", "course_room", "--db", ROOM_DB, "serve", "--hub", "--code", ROOM_CODE,
                    "--instructors", INSTRUCTORS],  # fmt: skip
        "oauth_no_confirm": True,
        "oauth_client_allowed_scopes": ["read:users:groups!user"],  # so the room can see the group
        "display": False,  # not in learners' service menu
    }
)
c.JupyterHub.load_roles.append(
    # the hub creates the group if it is missing; add instructors to it in the admin page or with load_groups
    {"name": "room-instructors", "groups": [INSTRUCTORS], "scopes": ["access:services!service=room"]}
)
c.Spawner.environment.update({"COURSE_ROOM_URL": ROOM_URL, "COURSE_ROOM_CODE": ROOM_CODE})
