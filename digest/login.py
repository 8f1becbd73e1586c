"""The admin login's policy: how many wrong passwords, from whom, and how long a session lasts.

Used by ``digest serve`` (digest/web.py). A pause after each wrong password does not stop an
attacker who sends hundreds at once, so failures are counted, per client address and over all
clients, in a sliding window: past ``web.login_failures_per_client`` that client, and past
``web.login_failures_total`` everyone, is answered 429 until the oldest counted failure leaves
the window (``web.login_lockout_minutes``); a client that logged in before is held by its own
failures only, so that nobody can lock the real admin out from elsewhere. A session is bound to
the credentials it logged in with (changing the user or password in the environment ends every
session), lasts at most ``web.admin_session_hours`` from login, however active, and ends on the
server at logout.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import deque
from collections.abc import Callable

__all__ = ["LoginThrottle", "credentials_fingerprint"]


class LoginThrottle:
    """Counts failed logins per client and overall within ``window`` seconds.

    Call :meth:`retry_after` before checking a password and :meth:`failed` at once when it is
    wrong (before any pause), so that parallel attempts see each other's failures.
    """

    def __init__(self, *, per_client: int, total: int, window: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_client = per_client
        self.total = total
        self.window = window
        self.clock = clock
        self._all: deque[float] = deque()
        self._by_client: dict[str, deque[float]] = {}
        self._trusted: dict[str, None] = {}  # in the order they logged in

    def _expire(self, now: float) -> None:
        horizon = now - self.window
        while self._all and self._all[0] <= horizon:
            self._all.popleft()
        for client in [c for c, times in self._by_client.items() if not times or times[-1] <= horizon]:
            del self._by_client[client]  # bounded memory: only clients with recent failures
        for times in self._by_client.values():
            while times and times[0] <= horizon:
                times.popleft()

    def retry_after(self, client: str) -> float:
        """Seconds until ``client`` may try again; 0 when it may now. A client that logged in
        before (:meth:`trust`) is held by its own failures only: failures from everyone else
        cannot lock the real admin out."""
        now = self.clock()
        self._expire(now)
        waits = []
        mine = self._by_client.get(client)
        if mine is not None and len(mine) >= self.per_client:
            waits.append(mine[len(mine) - self.per_client] + self.window - now)
        if len(self._all) >= self.total and client not in self._trusted:
            waits.append(self._all[len(self._all) - self.total] + self.window - now)
        return max([0.0, *waits])

    def trust(self, client: str) -> None:
        """``client`` logged in: the overall limit no longer holds it (its own still does)."""
        self._trusted[client] = None
        if len(self._trusted) > 1000:  # bounded memory: the oldest go first
            del self._trusted[next(iter(self._trusted))]

    def failed(self, client: str) -> None:
        now = self.clock()
        self._all.append(now)
        self._by_client.setdefault(client, deque()).append(now)


def credentials_fingerprint(key: bytes, user: str, password: str) -> str:
    """What a session keeps of the credentials it logged in with: an HMAC, never the password."""
    message = user.encode() + b"\0" + password.encode()
    return hmac.new(key, b"admin login\0" + message, hashlib.sha256).hexdigest()
