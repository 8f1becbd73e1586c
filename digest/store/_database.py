"""The database under every part of the store: engine, sessions and migrations."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from digest.domain import SubscriberDefaults

log = logging.getLogger("digest.store")
_MIGRATIONS = Path(__file__).parent.parent / "migrations"
_MIGRATION_LOCK = 0x6469676573740001  # PostgreSQL advisory lock key: "digest" + 1

_T = TypeVar("_T")


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; never corrupts in WAL mode
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


class Database:
    """An engine and its sessions for one database URL. Create one per process."""

    def __init__(self, url: str, *, echo: bool = False,
                 subscriber_defaults: SubscriberDefaults | None = None) -> None:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        self.url = url
        # a server restarted under a long-lived process (the web app, the daemon): a pooled
        # connection is tested when taken, so no request fails on one the server dropped
        sqlite = parsed.get_backend_name() == "sqlite"
        self.engine: Engine = create_engine(url, echo=echo, pool_pre_ping=not sqlite)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._source_ids: dict[str, int] = {}  # a source's row id never changes
        self.subscriber_defaults = subscriber_defaults or SubscriberDefaults()

    def migrate(self) -> None:
        """Bring the schema to the newest version (creates it in an empty database). On
        PostgreSQL, processes starting together (workers, senders) migrate one at a time."""
        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(_MIGRATIONS))
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "postgresql":  # held until this transaction ends
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session


def again_on_conflict(work: Callable[[], None]) -> None:
    """Run ``work``; if another process inserted the same rows first, once more (now they
    exist and are updated instead)."""
    try:
        work()
    except IntegrityError:
        work()


def chunks(items: list[_T], size: int) -> Iterator[list[_T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
