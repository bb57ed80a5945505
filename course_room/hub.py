"""The room as a JupyterHub service: learners' kernels prove themselves with their hub tokens, and
instructors log in with the hub.

JupyterHub starts the room (a *managed service*, see the instructor guide)
with its own API token and OAuth client in the environment; this module
wraps ``jupyterhub.services.auth.HubOAuth``, JupyterHub's own client of its
API, so the room uses the documented service API and nothing private:

- a report carries ``Authorization: token <the kernel's JUPYTERHUB_API_TOKEN>``;
  the hub says whose token it is (``GET /hub/api/user``, cached for a few
  minutes), and the room stores a keyed hash of the name, never the name;
- the dashboard sends the browser through the hub's OAuth log-in (with PKCE)
  and lets in only users whose token holds the service's access scope (the
  hub grants it to the instructors' group through a role) and who belong to
  the instructors' group.
"""

import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode


@dataclass
class _Pending:
    next_url: str
    verifier: str | None
    expires: float


@dataclass
class HubGate:
    """Hub log-in for the dashboard and hub tokens for reports; ``instructors`` is the group let in."""

    instructors: str = "instructors"
    session_age: float = 8 * 3600.0
    auth: object = None
    _pending: dict = field(default_factory=dict)
    _sessions: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.auth is None:
            from jupyterhub.services.auth import HubOAuth

            self.auth = HubOAuth(cache_max_age=300)

    @property
    def prefix(self):
        return self.auth.base_url  # the service's prefix, e.g. /services/room/

    # -- learners' kernels

    async def learner(self, authorization):
        """The hub user name behind an ``Authorization`` header, or None."""
        token = _token_of(authorization)
        if not token:
            return None
        model = await self.auth.user_for_token(token, sync=False)
        if not model or model.get("kind", "user") != "user":
            return None
        return model["name"]

    # -- instructors' browsers

    def login_redirect(self, next_url):
        """Start the OAuth log-in: returns (the hub's authorize URL, the state to keep in a cookie)."""
        state = secrets.token_urlsafe(24)
        extra = {"state": state}
        verifier = None
        if hasattr(self.auth, "generate_pkce_code_challenge"):
            verifier, challenge, method = self.auth.generate_pkce_code_challenge()
            extra.update(code_challenge=challenge, code_challenge_method=method)
        now = time.time()
        self._pending = {s: p for s, p in self._pending.items() if p.expires > now}
        self._pending[state] = _Pending(next_url, verifier, now + 600)
        return f"{self.auth.login_url}&{urlencode(extra)}", state

    async def finish_login(self, code, state, cookie_state):
        """Finish the OAuth log-in; returns (session id, next URL) or raises PermissionError in words."""
        pending = self._pending.pop(state, None) if state else None
        if pending is None or state != cookie_state or pending.expires < time.time():
            raise PermissionError("this log-in has expired or did not start here: open the dashboard again")
        token = await self.auth.token_for_code(code, code_verifier=pending.verifier, sync=False)
        model = await self.auth.user_for_token(token, use_cache=False, sync=False)
        if not model:
            raise PermissionError("the hub did not say who you are")
        if not self.auth.check_scopes(self.auth.access_scopes, model):
            raise PermissionError(f"{model['name']} may not open the room's dashboard (no access to this service)")
        if self.instructors not in model.get("groups", []):
            raise PermissionError(f"{model['name']} is not in the group {self.instructors!r} of this hub")
        session = secrets.token_urlsafe(32)
        self._sessions[session] = (model["name"], time.time() + self.session_age)
        return session, pending.next_url

    def instructor(self, session):
        """The instructor logged in with this session cookie, or None."""
        name, expires = self._sessions.get(session or "", (None, 0))
        return name if expires > time.time() else None


def _token_of(authorization):
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() in ("token", "bearer") else None
