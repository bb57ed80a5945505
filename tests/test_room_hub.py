"""The room as a JupyterHub service, with a real JupyterHub on loopback.

JupyterHub (from PyPI) and its proxy, configurable-http-proxy (from npm, installed by ``make test`` into
``.venv/hub-proxy`` from ``tools/hub-proxy``), run with the guide's own service configuration
(``docs/jupyterhub_room.py``), a dummy authenticator and throw-away databases.  The hub starts the room
itself.  Then:

- a learner's "kernel" (the real client, joined from the environment a hub's spawner sets, with a hub
  token of the scopes a single-user server's own token has) reports; the room checks the token with the
  hub and stores a keyed pseudonym, never the name; reports without a hub token, or with a bad one, are
  refused;
- an instructor logs in to the dashboard through the hub's OAuth (the real log-in form, cookies and
  redirects, with an HTTP client standing in for the browser); a learner who is not in the instructors'
  group is refused.

Not exercised: a spawned single-user server and its kernel (the token is made through the hub's API
instead of by a spawn).  Skipped with a message where npm's proxy or JupyterHub is missing, except where
COURSE_REQUIRE_ROOM_SERVICES=1 (CI).
"""

import html
import os
import re
import secrets
import signal
import subprocess
import sys

import pytest
from room_helpers import ROOT, wait_for

PROXY = ROOT / ".venv" / "hub-proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
requests = pytest.importorskip("requests")


def _missing():
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        return "JupyterHub is not installed (pip install -e '.[room-hub]')"
    if not PROXY.exists():
        return f"JupyterHub's proxy is not installed: run make test (it runs npm ci into {PROXY.parents[2]})"
    return None


if _missing():
    if os.environ.get("COURSE_REQUIRE_ROOM_SERVICES") == "1":
        pytest.fail(f"COURSE_REQUIRE_ROOM_SERVICES=1 but {_missing()}", pytrace=False)
    pytest.skip(_missing(), allow_module_level=True)

from course_lib import check_answers, networks  # noqa: E402
from course_lib import room as room_module  # noqa: E402
from course_room.store import Store  # noqa: E402

CODE = "HUBTEST1"


def free_ports(n):
    import socket

    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hub")
    public, hub_port, proxy_api, room_port = free_ports(4)
    admin_token = secrets.token_hex(32)
    config = folder / "jupyterhub_config.py"
    config.write_text(
        f"""
c = get_config()
load_subconfig({str(ROOT / "docs" / "jupyterhub_room.py")!r})  # the guide's room service, as it is
c.JupyterHub.bind_url = "http://127.0.0.1:{public}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api}"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.JupyterHub.db_url = "sqlite:///{folder / "jupyterhub.sqlite"}"
c.JupyterHub.cookie_secret_file = {str(folder / "cookie_secret")!r}
c.JupyterHub.pid_file = {str(folder / "jupyterhub.pid")!r}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = "course"
c.Authenticator.allow_all = True
c.JupyterHub.load_groups = {{"instructors": {{"users": ["teacher"]}}}}
c.JupyterHub.services.append({{"name": "test-admin", "api_token": {admin_token!r}}})
c.JupyterHub.load_roles.append({{"name": "test-admin", "services": ["test-admin"],
                                 "scopes": ["admin:users", "tokens", "read:users"]}})
# a helper given the room's access scope by hand, outside the instructors' group: the room itself refuses
c.JupyterHub.load_roles.append({{"name": "room-helper", "users": ["helper"],
                                 "scopes": ["access:services!service=room"]}})
"""
    )
    env = {
        **os.environ,
        "COURSE_ROOM_CODE": CODE,
        "COURSE_ROOM_DB": f"sqlite:///{folder / 'room.sqlite'}",
        "COURSE_ROOM_SERVICE_PORT": str(room_port),
        "COURSE_ROOM_STATE": str(folder / "pseudonyms.json"),
    }
    log = open(folder / "jupyterhub.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyterhub", "-f", str(config)],
        cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{public}"
    try:

        def up():
            assert process.poll() is None, (folder / "jupyterhub.log").read_text()[-3000:]
            try:
                return requests.get(f"{url}/services/room/", timeout=2).status_code == 200
            except requests.RequestException:
                return False

        wait_for(up, f"the hub or its room did not start; see {folder / 'jupyterhub.log'}", timeout=90)
        api = requests.Session()
        api.headers["Authorization"] = f"token {admin_token}"
        yield {"url": url, "api": f"{url}/hub/api", "admin": api, "folder": folder, "room_db": env["COURSE_ROOM_DB"]}
    finally:
        process.terminate()  # the hub stops its room and its proxy
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        try:
            os.killpg(process.pid, signal.SIGKILL)  # anything it left behind
        except ProcessLookupError:
            pass
        log.close()


def server_like_token(hub, name):
    """A hub token of ``name`` with the scopes the hub gives a single-user server's own token."""
    admin = hub["admin"]
    if admin.get(f"{hub['api']}/users/{name}").status_code == 404:
        assert admin.post(f"{hub['api']}/users/{name}").status_code == 201
    answer = admin.post(
        f"{hub['api']}/users/{name}/tokens",
        json={"scopes": ["users:activity!user", f"access:servers!server={name}/"], "note": "as a server's token"},
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["token"]


def test_learners_kernels_report_with_their_hub_tokens_under_a_keyed_pseudonym(hub, monkeypatch):
    monkeypatch.setenv("COURSE_ROOM_STATE", str(hub["folder"] / "pseudonyms.json"))
    token = server_like_token(hub, "learner1")
    # what the spawner gives every learner's server (and so its kernels): the guide's c.Spawner.environment
    environ = {
        "COURSE_ROOM_URL": f"{hub['url']}/services/room/",
        "COURSE_ROOM_CODE": CODE,
        "JUPYTERHUB_API_TOKEN": token,
    }
    room = room_module.join_from_environment(environ)
    try:
        assert room.state == "reporting" and room.title == "Workshop", room.status()
        room.keep_sent = True
        example = networks.get("mazur")
        check_answers(example, {"net_h1": 0.3775, "out_h1": 0.1})  # joined: the self-check itself reports
        assert room.flush(20), room.status()
    finally:
        room_module.leave_room(quiet=True)
    store = Store(hub["room_db"])
    try:
        stored_room = store.room(CODE)
        rows = store.reports_of(stored_room)
        assert [(r["quantity"], r["verdict"]) for r in rows] == [("net_h1", "correct"), ("out_h1", "incorrect")]
        assert {r["learner"] for r in rows} == {stored_room.hub_pseudonym("learner1")} != {room.pseudonym}
        assert b"learner1" not in b"".join(p.read_bytes() for p in hub["folder"].glob("room.sqlite*"))
    finally:
        store.close()

    body = {"code": CODE, "learner": "0" * 16, "session": "1" * 16, "reports": [{**rows[0], "id": "2" * 32}]}
    body["reports"] = [{k: body["reports"][0][k] for k in ("id", "exercise", "quantity", "verdict", "mistake", "seq")}]
    body["reports"][0]["age"] = 0.0
    for headers in ({}, {"Authorization": "token not-a-hub-token"}):
        answer = requests.post(f"{hub['url']}/services/room/api/reports", json=body, headers=headers, timeout=10)
        assert answer.status_code == 401 and "hub" in answer.json()["error"]


def log_in(hub, name):
    """Open the dashboard in a fresh "browser" and log in to the hub as ``name``; returns (session, last answer)."""
    browser = requests.Session()
    answer = browser.get(f"{hub['url']}/services/room/rooms/{CODE}/", timeout=10)  # -> hub log-in page
    assert "/hub/login" in answer.url, answer.url
    xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', answer.text)
    form = {"username": name, "password": "course", **({"_xsrf": xsrf.group(1)} if xsrf else {})}
    answer = browser.post(answer.url, data=form, timeout=10)  # -> authorize -> the room's callback -> dashboard
    return browser, answer


def test_the_dashboard_needs_the_hubs_log_in_and_the_instructors_group(hub):
    anonymous = requests.get(f"{hub['url']}/services/room/api/rooms/{CODE}/summary", timeout=10)
    assert anonymous.status_code == 403 and "log in to the hub as an instructor" in anonymous.json()["error"]

    browser, answer = log_in(hub, "teacher")
    assert answer.status_code == 200 and answer.url.endswith(f"/services/room/rooms/{CODE}/"), answer.url
    assert f'Room <span class="code">{CODE}</span>' in answer.text and "learners join by themselves" in answer.text
    summary = browser.get(f"{hub['url']}/services/room/api/rooms/{CODE}/summary", timeout=10)
    assert summary.status_code == 200 and summary.json()["room"]["code"] == CODE

    hub["admin"].post(f"{hub['api']}/users/learner2")
    browser, answer = log_in(hub, "learner2")
    assert answer.status_code == 403, (answer.status_code, answer.url)
    assert f"/services/room/rooms/{CODE}/" not in answer.url or "not in the group" in answer.text
    assert browser.get(f"{hub['url']}/services/room/api/rooms/{CODE}/summary", timeout=10).status_code == 403


def test_a_user_with_the_access_scope_but_not_the_group_is_refused_by_the_room_itself(hub):
    """Belt and braces: the hub lets "helper" through (a role gives the access scope), the room does not."""
    browser, answer = log_in(hub, "helper")
    assert answer.status_code == 403 and "helper is not in the group 'instructors'" in html.unescape(answer.text)
    assert browser.get(f"{hub['url']}/services/room/api/rooms/{CODE}/summary", timeout=10).status_code == 403
