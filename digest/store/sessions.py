"""Admin sessions kept on the server: a session cookie names one, and a logout ends it here."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import update

from digest.models import AdminSessionRow, utcnow
from digest.store._database import Database


class SessionStore(Database):
    """Admin logins and logouts."""

    def start_admin_session(self, user: str) -> str:
        """A new session for ``user``; returns the id its cookie carries."""
        session_id = secrets.token_urlsafe(32)
        with self.session() as s:
            s.add(AdminSessionRow(id=session_id, user=user, created_at=utcnow()))
        return session_id

    def admin_session_open(self, session_id: str, *, max_age: timedelta,
                           now: datetime | None = None) -> bool:
        """Whether the session was started less than ``max_age`` ago and not ended since."""
        with self.session() as s:
            row = s.get(AdminSessionRow, session_id)
            return (row is not None and row.ended_at is None
                    and (now or utcnow()) - row.created_at < max_age)

    def end_admin_session(self, session_id: str) -> None:
        with self.session() as s:
            s.execute(update(AdminSessionRow).where(AdminSessionRow.id == session_id,
                                                    AdminSessionRow.ended_at.is_(None))
                      .values(ended_at=utcnow()))
