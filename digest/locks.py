"""One run at a time: a named lock kept in the database.

``digest run`` from cron, the ``digest schedule`` daemon and manual ``crawl``/``send`` commands
share the database, so they share the lock too, on SQLite and PostgreSQL alike. A row in the
``locks`` table is the lock; inserting it is the atomic step (the primary key refuses a second
holder). While held, a thread refreshes ``heartbeat_at``. A lock is stale, and is taken over,
when its holder ran on this host and that process is gone, or when its heartbeat stopped
longer ago than ``stale_after``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import TracebackType

from sqlalchemy import Connection, delete, select, text, update
from sqlalchemy.exc import IntegrityError

from digest.errors import LockHeld
from digest.models import LockRow
from digest.store import Store

__all__ = ["DAEMON", "PIPELINE", "AdvisoryLock", "LockHeld", "LockInfo", "RunLock"]

log = logging.getLogger(__name__)

PIPELINE = "pipeline"  # crawling and sending: the daemon's jobs, `run`, `crawl`, `send`
DAEMON = "daemon"  # one `digest schedule` per database


@dataclass(frozen=True)
class LockInfo:
    name: str
    host: str
    pid: int
    command: str
    acquired_at: datetime
    heartbeat_at: datetime

    def describe(self) -> str:
        return (f"'{self.command}' (pid {self.pid} on {self.host}, since "
                f"{self.acquired_at.isoformat(timespec='seconds')}, last heartbeat "
                f"{self.heartbeat_at.isoformat(timespec='seconds')})")


class RunLock:
    """A database lock, used as a context manager or with ``acquire``/``release``."""

    def __init__(self, store: Store, name: str, command: str, *,
                 stale_after: timedelta = timedelta(minutes=10),
                 heartbeat: timedelta = timedelta(seconds=30),
                 alive: Callable[[int], bool] | None = None, takeover: bool = False) -> None:
        self.store = store
        self.takeover = takeover  # the caller knows any holder is gone (it holds an AdvisoryLock)
        self.name = name
        self.command = command
        self.stale_after = stale_after
        self.heartbeat = heartbeat
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.token = ""
        self._alive = alive or _pid_alive
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    def acquire(self, *, wait: float = 0.0, poll: float = 1.0,
                should_stop: Callable[[], bool] = lambda: False) -> None:
        """Take the lock, waiting up to ``wait`` seconds for its holder to finish.

        Raises:
            LockHeld: it is still held after ``wait`` seconds (or ``should_stop`` turned true).
        """
        deadline = time.monotonic() + wait
        while True:
            holder = self._try_insert()
            if holder is None:
                self._start_heartbeat()
                return
            if self._stale(holder):
                log.warning("taking over the stale %s lock from %s", self.name, holder.describe())
                self._remove(holder)
                continue
            if time.monotonic() >= deadline or should_stop():
                raise LockHeld(holder.name, holder.describe())
            time.sleep(max(0.01, min(poll, deadline - time.monotonic())))

    def release(self) -> None:
        self._stop.set()
        if self._beat is not None:
            self._beat.join()
            self._beat = None
        if self.token:
            with self.store.session() as s:
                s.execute(delete(LockRow).where(LockRow.name == self.name,
                                                LockRow.token == self.token))
            self.token = ""

    @contextmanager
    def held(self, *, wait: float = 0.0, poll: float = 1.0,
             should_stop: Callable[[], bool] = lambda: False) -> Iterator[None]:
        """Hold the lock for a block (see :meth:`acquire` for the arguments)."""
        self.acquire(wait=wait, poll=poll, should_stop=should_stop)
        try:
            yield
        finally:
            self.release()

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()

    # --- internals -------------------------------------------------------------------------------

    def _try_insert(self) -> LockInfo | None:
        """Insert our row; None on success, else the current holder."""
        token = uuid.uuid4().hex
        now = datetime.now(UTC)
        try:
            with self.store.session() as s:
                s.add(LockRow(name=self.name, token=token, host=self.host, pid=self.pid,
                              command=self.command, acquired_at=now, heartbeat_at=now))
            self.token = token
            return None
        except IntegrityError:
            pass
        holder = holder_of(self.store, self.name)
        if holder is None:  # released between our insert and this read: try again
            return self._try_insert()
        return holder

    def _stale(self, holder: LockInfo) -> bool:
        if self.takeover:
            return True
        if holder.host == self.host and not self._alive(holder.pid):
            return True
        return datetime.now(UTC) - holder.heartbeat_at > self.stale_after

    def _remove(self, holder: LockInfo) -> None:
        with self.store.session() as s:  # only that holder's row, in case it changed meanwhile
            s.execute(delete(LockRow).where(LockRow.name == holder.name,
                                            LockRow.pid == holder.pid,
                                            LockRow.host == holder.host,
                                            LockRow.acquired_at == holder.acquired_at))
        self.store.mark_runs_killed(holder.host, holder.pid)

    def _start_heartbeat(self) -> None:
        self._stop.clear()
        self._beat = threading.Thread(target=self._beat_loop, name=f"lock-{self.name}", daemon=True)
        self._beat.start()

    def _beat_loop(self) -> None:
        while not self._stop.wait(self.heartbeat.total_seconds()):
            try:
                with self.store.session() as s:
                    s.execute(update(LockRow).where(LockRow.name == self.name,
                                                    LockRow.token == self.token)
                              .values(heartbeat_at=datetime.now(UTC)))
            except Exception:  # a busy database must not kill the run; the next beat retries
                log.warning("could not refresh the %s lock's heartbeat", self.name, exc_info=True)


class AdvisoryLock:
    """A PostgreSQL session-level advisory lock: held as long as this object's connection is
    open, and released by the server when it closes, however the holder ends (SIGKILL and a
    lost machine included). Lets standby processes take over without heartbeats."""

    def __init__(self, store: Store, name: str) -> None:
        self.store = store
        self.key = int.from_bytes(hashlib.sha256(f"digest:{name}".encode()).digest()[:8], "big",
                                  signed=True)
        self._conn: Connection | None = None

    def try_acquire(self) -> bool:
        if self._conn is not None:
            return True
        conn = self.store.engine.connect()
        try:
            got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                    {"key": self.key}).scalar())
            conn.commit()
        except BaseException:
            conn.close()
            raise
        if got:
            self._conn = conn
        else:
            conn.close()
        return got

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
                self._conn.commit()
            finally:
                self._conn.close()  # closing would release it too
                self._conn = None


def holder_of(store: Store, name: str) -> LockInfo | None:
    with store.session() as s:
        row = s.scalar(select(LockRow).where(LockRow.name == name))
        if row is None:
            return None
        return LockInfo(name=row.name, host=row.host, pid=row.pid, command=row.command,
                        acquired_at=row.acquired_at, heartbeat_at=row.heartbeat_at)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True
